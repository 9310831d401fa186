//! Short, stable task references.
//!
//! A task's reference is made of letters only (so a number always means a line
//! number), derived from its description (hashed): the text after the completion mark, dates
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
///
/// The description's words (split on spaces, tabs and CRs, as todo.txt splits
/// tokens) are hashed eight bytes at a time, with a mark between words, so spacing
/// does not count; a final mix spreads every input bit over the letters.
fn code(task: &Task) -> u64 {
    code_of(task.description())
}

/// [`code`] of a task with this description.
fn code_of(description: &str) -> u64 {
    let bytes = description.as_bytes();
    let hash = match hash_canonical(bytes) {
        Some(hash) => hash,
        // Tabs, CRs or runs of spaces: the words joined by single spaces.
        None => {
            let words: Vec<&[u8]> = bytes
                .split(|&b| is_separator(b))
                .filter(|w| !w.is_empty())
                .collect();
            hash_canonical(&words.join(&b' ')).unwrap_or(0)
        }
    };
    finish(hash) % BASE.pow(FULL as u32)
}

const BASE: u64 = ALPHABET.len() as u64;

fn is_separator(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r')
}

/// The hash of `bytes` read eight at a time, or `None` when they are not words
/// joined by single spaces (a tab, a CR, two spaces in a row, a space at either end).
fn hash_canonical(bytes: &[u8]) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // The high bit of each byte of `word` that equals `byte`, exactly.
    let equal = |word: u64, byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        !(((x & LOW7) + LOW7) | x | LOW7)
    };
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return None;
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut previous_ends_with_space = false;
    let mut chunks = bytes.chunks_exact(8);
    let mut check_and_mix = |word: u64, hash: &mut u64| {
        let spaces = equal(word, b' ');
        let doubled = spaces & (spaces << 8) != 0 || (previous_ends_with_space && spaces & 0x80 != 0);
        if doubled || equal(word, b'\t') | equal(word, b'\r') != 0 {
            return false;
        }
        previous_ends_with_space = spaces >> 63 != 0;
        *hash = mix(*hash, word);
        true
    };
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if !check_and_mix(word, &mut hash) {
            return None;
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        // The zero padding holds no space, tab or CR.
        if !check_and_mix(u64::from_le_bytes(last), &mut hash) {
            return None;
        }
    }
    Some(mix(hash, bytes.len() as u64))
}

fn mix(hash: u64, value: u64) -> u64 {
    (hash ^ value).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29)
}

/// The splitmix64 finaliser.
fn finish(mut hash: u64) -> u64 {
    hash ^= hash >> 30;
    hash = hash.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash ^= hash >> 27;
    hash = hash.wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^ (hash >> 31)
}

/// The base-22 digits of a code, the most significant first.
fn digits(code: u64) -> [u8; FULL] {
    let mut digits = [0; FULL];
    let mut rest = code;
    for digit in digits.iter_mut().rev() {
        // A remainder of 22 fits a byte.
        *digit = (rest % BASE) as u8;
        rest /= BASE;
    }
    digits
}

/// The first `count` letters of a code.
fn letters(code: u64, count: usize) -> String {
    digits(code)[..count]
        .iter()
        .map(|&digit| ALPHABET[usize::from(digit)] as char)
        .collect()
}

/// How many leading letters two codes share.
fn shared_letters(a: u64, b: u64) -> usize {
    digits(a)
        .iter()
        .zip(digits(b).iter())
        .take_while(|(a, b)| a == b)
        .count()
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

    /// The references of every task of a todo.txt text, read line by line without
    /// building a document (the same as [`References::of`] its document).
    pub fn of_text(text: &str) -> References {
        let mut sorted: Vec<u64> = myorg_parsers::todo::lines(text)
            .filter_map(|(_, line)| line_code(line))
            .collect();
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

/// The code of the task on `line` (a line of a todo.txt, without its ending), or
/// `None` for a blank line: what a file's references are made of, a line at a time.
pub fn line_code(line: &str) -> Option<u64> {
    (!myorg_parsers::todo::is_blank_line(line)).then(|| code_of(Task::description_of(line)))
}

/// How many letters the reference of each task is shown at, given the codes of all
/// the tasks of a file in any order: what [`References::shown`] gives each.
pub fn shown_lengths(codes: &[u64]) -> Vec<u8> {
    // A code takes 36 bits (22^8 < 2^36).
    lengths_with_places(codes, 64 - 36)
}

/// [`shown_lengths`], each code sorted with its task's place in its low
/// `place_bits` bits as one number; a file of more tasks than those bits can
/// number sorts pairs.
fn lengths_with_places(codes: &[u64], place_bits: u32) -> Vec<u8> {
    let mut lengths = vec![0; codes.len()];
    if codes.len() < 1 << place_bits {
        let mut sorted: Vec<u64> = codes
            .iter()
            .zip(0..)
            .map(|(&code, at)| code << place_bits | at)
            .collect();
        sorted.sort_unstable();
        let code = |at: usize| sorted[at] >> place_bits;
        for at in 0..sorted.len() {
            let neighbours = [
                at.checked_sub(1).map(code),
                (at + 1 < sorted.len()).then(|| code(at + 1)),
            ];
            lengths[(sorted[at] & ((1 << place_bits) - 1)) as usize] = unique_length(code(at), neighbours);
        }
    } else {
        let mut sorted: Vec<(u64, usize)> = codes.iter().copied().zip(0..).collect();
        sorted.sort_unstable();
        for (at, &(code, task)) in sorted.iter().enumerate() {
            let before = at.checked_sub(1).map(|before| sorted[before].0);
            let after = sorted.get(at + 1).map(|&(after, _)| after);
            lengths[task] = unique_length(code, [before, after]);
        }
    }
    lengths
}

/// The fewest letters, from [`SHOWN`] to [`FULL`], that tell `code` from its
/// `neighbours` in sorted order (the same code never is: it takes all [`FULL`]).
fn unique_length(code: u64, neighbours: [Option<u64>; 2]) -> u8 {
    for length in SHOWN..FULL {
        // The first `length` letters of a code are its digits above these.
        let below = BASE.pow((FULL - length) as u32);
        if neighbours
            .iter()
            .flatten()
            .all(|other| other / below != code / below)
        {
            return length as u8;
        }
    }
    FULL as u8
}

/// The first `count` letters (from [`SHOWN`] to [`FULL`]) of the reference whose
/// code is `code` ([`line_code`]).
pub fn letters_of(code: u64, count: usize) -> String {
    letters(code, count.clamp(SHOWN, FULL))
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
    fn spacing_never_changes_a_reference_and_words_always_do() {
        let same = [
            "Call Mum about the roof +family",
            "Call  Mum about the roof +family",
            "Call\tMum about the roof\t+family",
            "Call Mum\r about the roof +family",
            "Call Mum about the    roof +family",
            "Call Mum about  the roof +family",
        ];
        let code = code_of(same[0]);
        for text in same {
            assert_eq!(code_of(text), code, "{text:?}");
        }
        assert_eq!(code_of(" Call Mum about the roof +family "), code);
        let different = [
            "Call Mum about the roof +famil",
            "CallMum about the roof +family",
            "Call Mum about the roof +family x",
        ];
        for text in different {
            assert_ne!(code_of(text), code, "{text:?}");
        }
        // Eight-byte boundaries: a double space split across two chunks.
        assert_eq!(code_of("abcdefg  hij"), code_of("abcdefg hij"));
        assert_eq!(code_of("abcdefgh  ij"), code_of("abcdefgh ij"));
        assert_eq!(code_of(""), code_of("  "));
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
    fn shown_references_are_those_of_the_nearest_codes_in_files_of_every_size() {
        // Shown lengths worked out the slow way: against every other task's code.
        for size in [0, 1, 2, 17, 300, 5000] {
            let text: String = (0..size).map(|n| format!("Chore {} {n}\n", n % 7)).collect();
            let whole = format!("{text}\n  \nChore 1 1\n");
            let file = todo(&whole);
            let codes: Vec<u64> = file.tasks().map(|(_, task)| code(task)).collect();
            let references = References::of(&file);
            for (at, (_, task)) in file.tasks().enumerate().step_by(7) {
                let shared = (0..codes.len())
                    .filter(|&other| other != at)
                    .map(|other| shared_letters(codes[other], codes[at]))
                    .max()
                    .unwrap_or(0);
                let expected = letters(codes[at], (shared + 1).clamp(SHOWN, FULL));
                assert_eq!(references.shown(task), expected, "task {at} of {size}");
            }
            // All at once, from the codes of their lines: the same as one by one.
            let codes: Vec<u64> = myorg_parsers::todo::lines(&whole)
                .filter_map(|(_, line)| line_code(line))
                .collect();
            let by_lengths: Vec<String> = codes
                .iter()
                .zip(shown_lengths(&codes))
                .map(|(&code, length)| letters_of(code, usize::from(length)))
                .collect();
            let one_by_one: Vec<String> = file.tasks().map(|(_, task)| references.shown(task)).collect();
            assert_eq!(by_lengths, one_by_one, "{size} tasks");
            // More tasks than the bits left for their places number: sorted as pairs.
            assert_eq!(
                lengths_with_places(&codes, 3),
                shown_lengths(&codes),
                "{size} tasks"
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
        assert_eq!(
            References::of_text(&format!("{text}\nTask number 7\n")).sorted,
            references.sorted
        );
        let short = shown.iter().filter(|r| r.len() == SHOWN).count();
        assert!(short > 4500, "most are {SHOWN} letters: {short}");
    }

    #[test]
    fn several_references_or_lines_name_several_tasks_and_other_words_one() {
        let todo = todo("Buy milk\nCall Mum\nx 2026-11-20 Old thing\nFix 3 5 bug\n");
        let of = |line: usize| short(todo.get(line).unwrap().task().unwrap());
        let words = |text: &str| text.split(' ').map(str::to_string).collect::<Vec<_>>();
        let named = |text: &str| find_named(&todo, &words(text), Scope::Open);
        assert_eq!(named("buy milk"), Ok(Named::One(0)));
        assert_eq!(named(&format!("{} 2", of(0))), Ok(Named::Several(vec![0, 1])));
        assert_eq!(named(&format!("2 {} 2", of(1))), Ok(Named::One(1)));
        // The words together are one task's, though each is a line number.
        assert_eq!(named("3 5"), Ok(Named::One(3)));
        // Every word shaped like a reference or line: the one that names nothing is told.
        let error = named(&format!("{} zzzz", of(0))).unwrap_err().to_string();
        assert!(error.contains("no task has the reference \"zzzz\""), "{error}");
        let error = named("1 3").unwrap_err().to_string();
        assert!(error.contains("line 3 of todo.txt is already done"), "{error}");
        let error = named("1 9").unwrap_err().to_string();
        assert!(error.contains("todo.txt has no line 9"), "{error}");
        // Words that are not all references: searched together.
        let error = named("1 milk").unwrap_err().to_string();
        assert!(error.contains("\"1 milk\""), "{error}");
        let each = |given: &[&str]| {
            let given: Vec<String> = given.iter().map(|g| g.to_string()).collect();
            find_each(&todo, &given, Scope::All)
        };
        assert_eq!(each(&["buy milk", "3", "1"]), Ok(vec![0, 2]));
        assert!(each(&["buy milk", "nothing like it"]).is_err());
        assert_eq!(each(&[]), Err(FindError::Empty));
    }
}

/// Why no single task is found by [`find`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindError {
    /// Nothing was given.
    Empty,
    /// A reference or line that names no task in scope (see [`RefError`]).
    Reference(RefError),
    /// No task in scope has these words (`.1`: a word shaped like a reference, whose
    /// task may have changed since it was shown).
    NoMatch {
        given: String,
        open_only: bool,
        stale_reference: bool,
    },
    /// Several tasks have these words: how many, and the first few as `(line, text)`.
    Several {
        given: String,
        open_only: bool,
        count: usize,
        first: Vec<(usize, String)>,
    },
}

impl fmt::Display for FindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let open = |open_only: bool| if open_only { "open " } else { "" };
        match self {
            FindError::Empty => {
                f.write_str("say which task: its reference, its line number, or some of its words")
            }
            FindError::Reference(error) => error.fmt(f),
            FindError::NoMatch {
                given,
                open_only,
                stale_reference,
            } => {
                write!(
                    f,
                    "no {}task has the reference or the words {given:?}",
                    open(*open_only)
                )?;
                if *stale_reference {
                    f.write_str(
                        " (a reference changes when its task is edited, completed or removed: list the \
                         tasks again to see the current ones)",
                    )?;
                }
                Ok(())
            }
            FindError::Several {
                given,
                open_only,
                count,
                first,
            } => {
                write!(
                    f,
                    "{count} {}tasks contain {given:?}; say which one:",
                    open(*open_only)
                )?;
                for (line, text) in first {
                    write!(f, "\n  line {line}: {text}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for FindError {}

/// The task `given` names: a reference, a line number, or (when it is neither) words
/// of exactly one task in `scope`.
pub fn find(todo: &TodoFile, given: &str, scope: Scope) -> Result<usize, FindError> {
    let given = given.trim();
    match resolve(todo, given, scope) {
        Ok(index) => Ok(index),
        Err(RefError::Malformed(_)) => find_by_words(todo, given, scope, false),
        // A word shaped like a reference may still be words of a task.
        Err(RefError::NotFound(_)) => find_by_words(todo, given, scope, true),
        Err(error) => Err(FindError::Reference(error)),
    }
}

fn find_by_words(
    todo: &TodoFile,
    given: &str,
    scope: Scope,
    stale_reference: bool,
) -> Result<usize, FindError> {
    let wanted = given.to_lowercase();
    if wanted.is_empty() {
        return Err(FindError::Empty);
    }
    let open_only = scope == Scope::Open;
    let matches: Vec<usize> = todo
        .tasks()
        .filter(|(index, task)| {
            (scope == Scope::All || !task.is_done())
                && todo
                    .text(*index)
                    .is_some_and(|text| text.to_lowercase().contains(&wanted))
        })
        .map(|(index, _)| index)
        .collect();
    match matches.as_slice() {
        [] => Err(FindError::NoMatch {
            given: given.to_string(),
            open_only,
            stale_reference,
        }),
        [index] => Ok(*index),
        several => Err(FindError::Several {
            given: given.to_string(),
            open_only,
            count: several.len(),
            first: several
                .iter()
                .take(5)
                .map(|&index| (index + 1, todo.text(index).unwrap_or_default().to_string()))
                .collect(),
        }),
    }
}

/// What the words of a command name: one task, or several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    One(usize),
    /// Two or more tasks, each once, in the order given.
    Several(Vec<usize>),
}

/// The tasks `words` name, as `myorg done` reads them. Two or more words that are
/// each a task's reference or line number name those tasks (a task named twice
/// counts once), unless the words together are words of exactly one task; any other
/// words together name one task, as [`find`] finds it. When no reading names
/// anything and every word is shaped like a reference or a line number, the error is
/// the first word's that names no single task.
pub fn find_named(todo: &TodoFile, words: &[String], scope: Scope) -> Result<Named, FindError> {
    let joined = words.join(" ");
    if words.len() < 2 {
        return find(todo, &joined, scope).map(Named::One);
    }
    let together = find(todo, &joined, scope);
    if let Ok(index) = together {
        return Ok(Named::One(index));
    }
    let each: Vec<Result<usize, RefError>> = words.iter().map(|word| resolve(todo, word, scope)).collect();
    if each
        .iter()
        .all(|named| !matches!(named, Err(RefError::Malformed(_))))
    {
        let mut indices: Vec<usize> = Vec::new();
        for named in each {
            let index = named.map_err(FindError::Reference)?;
            if !indices.contains(&index) {
                indices.push(index);
            }
        }
        return Ok(match indices.as_slice() {
            [one] => Named::One(*one),
            _ => Named::Several(indices),
        });
    }
    together.map(Named::One)
}

/// The tasks `given` name, each one task by [`find`] (a reference, a line number, or
/// words); a task named twice counts once. The error is the first one's that names
/// no single task.
pub fn find_each(todo: &TodoFile, given: &[String], scope: Scope) -> Result<Vec<usize>, FindError> {
    if given.is_empty() {
        return Err(FindError::Empty);
    }
    let mut indices: Vec<usize> = Vec::new();
    for one in given {
        let index = find(todo, one, scope)?;
        if !indices.contains(&index) {
            indices.push(index);
        }
    }
    Ok(indices)
}

/// The reference of a task just written, as it is shown after a change.
pub fn short(task: &Task) -> String {
    reference(task)[..SHOWN].to_string()
}
