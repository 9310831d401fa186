//! Short, stable task references.
//!
//! A task's reference is made of letters only (so a number always means a line
//! number), derived from its description: the text after the completion mark, dates
//! and priority, tags included. It does not depend on where the task is or on other
//! lines, so it still finds the task after other lines changed; a change of priority
//! keeps it, a change of the text or of a tag (such as `due:`) gives a new one, so an
//! old reference then finds nothing instead of the wrong task.
//!
//! Shown references are the shortest prefix (at least [`SHOWN`] letters) that no
//! other task of the file shares. A reference given back may be any prefix of at
//! least two letters: one task matching is an answer, several are an ambiguity that
//! the answer lists, none says the task is gone or changed.

use myorg_parsers::{Task, TodoFile, TodoLine};
use std::fmt;

/// Letters used, without look-alikes (no i, l, o, u).
const ALPHABET: &[u8; 22] = b"abcdefghjkmnpqrstvwxyz";
/// The full length of a reference.
pub const FULL: usize = 8;
/// The usual length of a shown reference.
pub const SHOWN: usize = 4;

/// The full reference of a task.
pub fn reference(task: &Task) -> String {
    letters(code(task), FULL)
}

/// A reference as a number: its [`FULL`] letters as base-22 digits, the first letter
/// most significant, so that numeric order is the letters' order.
fn code(task: &Task) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut first = true;
    for word in task.description().split_whitespace() {
        if !first {
            hash = fnv(hash, b' ');
        }
        first = false;
        for byte in word.bytes() {
            hash = fnv(hash, byte);
        }
    }
    hash % BASE.pow(FULL as u32)
}

const BASE: u64 = ALPHABET.len() as u64;

/// The first `count` letters of a code.
fn letters(code: u64, count: usize) -> String {
    (0..count)
        .map(|position| {
            let digit = code / BASE.pow((FULL - 1 - position) as u32) % BASE;
            ALPHABET[digit as usize] as char
        })
        .collect()
}

/// How many leading letters two codes share.
fn shared_letters(a: u64, b: u64) -> usize {
    (0..FULL)
        .take_while(|&position| {
            let unit = BASE.pow((FULL - 1 - position) as u32);
            a / unit == b / unit
        })
        .count()
}

fn fnv(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// The references of every task of a file, to show each at its shortest unique
/// prefix of at least [`SHOWN`] letters.
pub struct References {
    sorted: Vec<u64>,
}

impl References {
    pub fn of(todo: &TodoFile) -> References {
        let mut sorted: Vec<u64> = todo.tasks().map(|(_, task)| code(task)).collect();
        sorted.sort_unstable();
        References { sorted }
    }

    /// The reference to show for `task` (one of the file's).
    pub fn shown(&self, task: &Task) -> String {
        let code = code(task);
        let at = self.sorted.partition_point(|&other| other < code);
        // Neighbours in sorted order share the longest prefixes; the same text twice
        // gives the same code, which no length tells apart.
        let before = at.checked_sub(1).and_then(|i| self.sorted.get(i));
        let after = self.sorted.get(at + 1);
        let shared = [before, after]
            .into_iter()
            .flatten()
            .map(|&other| shared_letters(other, code))
            .max()
            .unwrap_or(0);
        letters(code, (shared + 1).clamp(SHOWN, FULL))
    }
}

/// Which tasks a reference may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Open tasks only (completing, and most edits).
    Open,
    /// Every task, done ones included.
    All,
}

/// Why a reference names no single task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// Neither a reference nor a line number.
    Malformed(String),
    /// No task has it: changed, completed or removed since it was shown.
    NotFound(String),
    /// The line number is past the end of the file (which has `.1` lines).
    NoSuchLine(usize, usize),
    /// The line is blank, not a task.
    NotATask(usize),
    /// The line is a done task, and only open ones were asked for.
    AlreadyDone(usize),
    /// Several tasks match: their line numbers (1-based) and texts.
    Ambiguous(String, Vec<(usize, String)>),
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::Malformed(given) => write!(
                f,
                "\"{given}\" is not a task reference (letters, as shown in task lists) or a line number"
            ),
            RefError::NotFound(given) => write!(
                f,
                "no task has the reference \"{given}\": it was changed, completed or removed since it was \
                 shown; list the tasks again to see the current references"
            ),
            RefError::NoSuchLine(line, lines) => {
                write!(f, "todo.txt has no line {line} (it has {lines} lines)")
            }
            RefError::NotATask(line) => write!(f, "line {line} of todo.txt is blank, not a task"),
            RefError::AlreadyDone(line) => write!(f, "line {line} of todo.txt is already done"),
            RefError::Ambiguous(given, matches) => {
                write!(f, "\"{given}\" matches {} tasks; say which:", matches.len())?;
                for (line, text) in matches {
                    write!(f, "\n  line {line}: {text}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for RefError {}

/// The index (0-based line) of the task that `given` names: a reference or prefix of
/// one (case-insensitive), or a 1-based line number.
pub fn resolve(todo: &TodoFile, given: &str, scope: Scope) -> Result<usize, RefError> {
    let given = given.trim();
    let in_scope = |task: &Task| scope == Scope::All || !task.is_done();
    if let Ok(line) = given.trim_start_matches('#').parse::<usize>() {
        return match line
            .checked_sub(1)
            .and_then(|index| todo.get(index).map(|item| (index, item)))
        {
            Some((index, TodoLine::Task(task))) if in_scope(task) => Ok(index),
            Some((_, TodoLine::Task(_))) => Err(RefError::AlreadyDone(line)),
            Some(_) => Err(RefError::NotATask(line)),
            None => Err(RefError::NoSuchLine(line, todo.len())),
        };
    }
    let wanted = given.to_ascii_lowercase();
    if wanted.len() < 2 || wanted.len() > FULL || !wanted.bytes().all(|b| ALPHABET.contains(&b)) {
        return Err(RefError::Malformed(given.to_string()));
    }
    let prefix = wanted.bytes().fold(0u64, |value, letter| {
        let digit = ALPHABET.iter().position(|&a| a == letter).unwrap_or(0) as u64;
        value * BASE + digit
    });
    let unit = BASE.pow((FULL - wanted.len()) as u32);
    let matches: Vec<usize> = todo
        .tasks()
        .filter(|(_, task)| in_scope(task) && code(task) / unit == prefix)
        .map(|(index, _)| index)
        .collect();
    match matches.as_slice() {
        [] => Err(RefError::NotFound(given.to_string())),
        [one] => Ok(*one),
        many => Err(RefError::Ambiguous(
            given.to_string(),
            many.iter()
                .map(|&index| (index + 1, todo.text(index).unwrap_or_default().to_string()))
                .collect(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(text: &str) -> TodoFile {
        TodoFile::parse(text)
    }

    #[test]
    fn a_reference_depends_on_the_text_only() {
        let a = Task::parse("(A) 2026-11-01 Call Mum +family due:2026-11-25");
        let b = Task::parse("(C) Call  Mum +family due:2026-11-25");
        assert_eq!(
            reference(&a),
            reference(&b),
            "priority, dates and spacing do not count"
        );
        let moved = Task::parse("Call Mum +family due:2026-11-26");
        assert_ne!(reference(&a), reference(&moved), "a tag is part of the task");
        let r = reference(&a);
        assert_eq!(r.len(), FULL);
        assert!(r.bytes().all(|b| ALPHABET.contains(&b)));
    }

    #[test]
    fn a_reference_finds_its_task_after_other_lines_change() {
        let before = todo("Buy milk\nCall Mum\nPay rent\n");
        let call = reference(&Task::parse("Call Mum"));
        assert_eq!(resolve(&before, &call[..4], Scope::Open), Ok(1));
        let after = todo("New first line\n\nBuy milk\nPay rent\nCall Mum\n");
        assert_eq!(resolve(&after, &call[..4], Scope::Open), Ok(4));
        assert_eq!(resolve(&after, &call.to_uppercase(), Scope::Open), Ok(4));
    }

    #[test]
    fn a_changed_or_done_task_is_not_guessed() {
        let call = reference(&Task::parse("Call Mum"));
        let changed = todo("Call Mum tonight\n");
        assert!(matches!(
            resolve(&changed, &call, Scope::Open),
            Err(RefError::NotFound(_))
        ));
        let done = todo("x 2026-11-22 Call Mum\n");
        assert!(matches!(
            resolve(&done, &call, Scope::Open),
            Err(RefError::NotFound(_))
        ));
        assert_eq!(resolve(&done, &call, Scope::All), Ok(0));
    }

    #[test]
    fn the_same_text_twice_is_an_ambiguity_that_lists_both() {
        let twice = todo("Call Mum\nBuy milk\n(B) Call Mum\n");
        let call = reference(&Task::parse("Call Mum"));
        let error = resolve(&twice, &call, Scope::Open).unwrap_err();
        assert_eq!(
            error,
            RefError::Ambiguous(
                call.clone(),
                vec![(1, "Call Mum".to_string()), (3, "(B) Call Mum".to_string())]
            )
        );
        assert!(error.to_string().contains("line 3: (B) Call Mum"));
        assert_eq!(resolve(&twice, "3", Scope::Open), Ok(2));
    }

    #[test]
    fn line_numbers_and_malformed_references() {
        let file = todo("Buy milk\n\nx 2026-11-20 Done already\n");
        assert_eq!(resolve(&file, "1", Scope::Open), Ok(0));
        assert_eq!(resolve(&file, "#1", Scope::Open), Ok(0));
        assert_eq!(resolve(&file, "2", Scope::Open), Err(RefError::NotATask(2)));
        assert_eq!(resolve(&file, "3", Scope::Open), Err(RefError::AlreadyDone(3)));
        assert_eq!(resolve(&file, "3", Scope::All), Ok(2));
        assert_eq!(resolve(&file, "0", Scope::Open), Err(RefError::NoSuchLine(0, 3)));
        assert_eq!(resolve(&file, "99", Scope::All), Err(RefError::NoSuchLine(99, 3)));
        assert_eq!(
            resolve(&file, "99", Scope::All).unwrap_err().to_string(),
            "todo.txt has no line 99 (it has 3 lines)"
        );
        for bad in ["", "a", "abc!", "ilou", "abcdefghjk", "héllo"] {
            assert!(
                matches!(resolve(&file, bad, Scope::All), Err(RefError::Malformed(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn shown_references_are_short_and_unique() {
        let text: String = (0..5000).map(|n| format!("Task number {n}\n")).collect();
        // Every 25th task is looked up (all of them would be slow in a debug build).
        let file = todo(&format!("{text}\nTask number 7\n"));
        let references = References::of(&file);
        let shown: Vec<String> = file.tasks().map(|(_, task)| references.shown(task)).collect();
        let mut seen = std::collections::HashSet::new();
        for ((index, _), reference) in file.tasks().zip(&shown) {
            assert!(reference.len() >= SHOWN);
            assert!(
                seen.insert(reference.clone()) || index == 5001,
                "{reference} twice"
            );
            if index % 25 != 0 && index != 5001 {
                continue;
            }
            let resolved = resolve(&file, reference, Scope::Open);
            if index == 7 || index == 5001 {
                assert!(matches!(resolved, Err(RefError::Ambiguous(..))), "the duplicate");
            } else {
                assert_eq!(resolved, Ok(index), "{reference}");
            }
        }
        let short = shown.iter().filter(|r| r.len() == SHOWN).count();
        assert!(short > 4500, "most are {SHOWN} letters: {short}");
    }
}
