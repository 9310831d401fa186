//! Lines for log.txt and working-memory.txt: notes, project updates and links.
//!
//! A log.txt entry is `YYYY-MM-DD HH:MM NAME: text` (see `myorg_parsers::log`), the
//! time in the store's timezone, cut to the minute. An entry about a project ends
//! with its `+slug` (unless the text already names it), so the project's page finds
//! it. A note about a task ends with `— task: ` and the task's words without its
//! `key:value` tags: the text outlives the task's reference (which changes when the
//! task is edited), and the task's `+project` and `@context` come along, so the note
//! shows up with the project too.
//!
//! working-memory.txt is free text; a line the assistant appends has the same shape
//! as a log entry, `YYYY-MM-DD HH:MM NAME: text`, so it says when and by whom it was
//! written and ages visibly, and one reader reads both files. Lines written by hand
//! in any other shape stay as they are.
//!
//! [`append_line`] adds a line at the end of a file's bytes: the file's usual line
//! ending (CRLF when most of its lines use it), a final newline added first when the
//! file lacks one, and always a final newline after the new line.

use chrono::NaiveDateTime;
use myorg_parsers::log::{LogEntry, LogLine};
use myorg_parsers::{LineItem, Task};
use std::fmt;

/// Why a note cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteError {
    /// Nothing to write.
    Empty,
    /// A link that does not look like one.
    NotALink(String),
}

impl fmt::Display for NoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoteError::Empty => f.write_str("a note needs some text"),
            NoteError::NotALink(text) => write!(
                f,
                "\"{text}\" is not a link: expected an address like https://example.com/pull/42"
            ),
        }
    }
}

impl std::error::Error for NoteError {}

/// The entry line `YYYY-MM-DD HH:MM NAME: text` at `now` (line breaks in the text
/// become spaces).
pub fn entry_line(now: NaiveDateTime, name: &str, text: &str) -> Result<String, NoteError> {
    let entry = LogEntry::new(now.date(), now.time(), name, text);
    if entry.text.is_empty() {
        return Err(NoteError::Empty);
    }
    let name = if entry.name.is_empty() {
        "someone"
    } else {
        &entry.name
    };
    Ok(LogLine::Entry(LogEntry {
        name: name.to_string(),
        ..entry
    })
    .render())
}

/// `text` about project `slug`: `+slug` added at the end unless the text has it.
pub fn about_project(text: &str, slug: &str) -> Result<String, NoteError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NoteError::Empty);
    }
    let named = text
        .split_whitespace()
        .any(|word| word.strip_prefix('+') == Some(slug));
    Ok(if named {
        text.to_string()
    } else {
        format!("{text} +{slug}")
    })
}

/// `text` about `task`: `text — task: WORDS` (see the module documentation).
pub fn about_task(text: &str, task: &Task) -> Result<String, NoteError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NoteError::Empty);
    }
    Ok(format!("{text} — task: {}", task_words(task)))
}

/// A task's words as a note carries them: its description without its `key:value`
/// tags (see the module documentation), nor control characters a hand edit left.
pub fn task_words(task: &Task) -> String {
    let tags: Vec<String> = task.tags().map(|(k, v)| format!("{k}:{v}")).collect();
    let words: Vec<&str> = task
        .description()
        .split_whitespace()
        .filter(|word| !tags.iter().any(|tag| tag == word))
        .collect();
    // The task's words as a reader sees them: a control character a hand edit left
    // in its line is not carried into the note.
    let words: Vec<String> = words
        .iter()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|word| !word.is_empty())
        .collect();
    words.join(" ")
}

/// A link with optional words before it: `TEXT URL`, or `URL` alone. The link is
/// one word with a scheme (`https://…`, `mailto:…`).
pub fn link(url: &str, text: &str) -> Result<String, NoteError> {
    let url = url.trim();
    let scheme = url.split_once(':').map(|(scheme, _)| scheme).unwrap_or_default();
    let looks_like_a_link = !url.contains(char::is_whitespace)
        && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && (url.contains("://") && url.len() > scheme.len() + 3 || scheme == "mailto" && url.len() > 7);
    if !looks_like_a_link {
        return Err(NoteError::NotALink(url.to_string()));
    }
    let text = text.trim();
    Ok(if text.is_empty() {
        url.to_string()
    } else {
        format!("{text} {url}")
    })
}

/// The line ending most of `file`'s lines use: CRLF when more than half of them do,
/// else LF.
pub fn usual_ending(file: &[u8]) -> &'static [u8] {
    let newlines = file.iter().filter(|&&b| b == b'\n').count();
    let crlf = file.windows(2).filter(|pair| pair == b"\r\n").count();
    if crlf * 2 > newlines { b"\r\n" } else { b"\n" }
}

/// `file` with `line` appended (see the module documentation).
pub fn append_line(mut file: Vec<u8>, line: &str) -> Vec<u8> {
    let ending = usual_ending(&file);
    if !file.is_empty() && !file.ends_with(b"\n") {
        file.extend_from_slice(ending);
    }
    file.extend_from_slice(line.replace(['\n', '\r'], " ").as_bytes());
    file.extend_from_slice(ending);
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn entries_have_the_log_shape() {
        let now = at("2026-11-23T08:00:59");
        assert_eq!(
            entry_line(now, "ana", "Quotes in\nfor the +kitchen").unwrap(),
            "2026-11-23 08:00 ana: Quotes in for the +kitchen"
        );
        assert_eq!(entry_line(now, "a:b", "x").unwrap(), "2026-11-23 08:00 ab: x");
        assert_eq!(entry_line(now, ":", "x").unwrap(), "2026-11-23 08:00 someone: x");
        assert_eq!(entry_line(now, "ana", " \n "), Err(NoteError::Empty));
    }

    #[test]
    fn notes_name_their_project_or_task() {
        assert_eq!(
            about_project("Quotes in", "kitchen").unwrap(),
            "Quotes in +kitchen"
        );
        assert_eq!(
            about_project("The +kitchen quotes", "kitchen").unwrap(),
            "The +kitchen quotes"
        );
        assert_eq!(about_project("  ", "kitchen"), Err(NoteError::Empty));
        let task = Task::parse("(A) 2026-11-17 Send Q4 report +q4-report @email due:2026-11-27 id:1");
        assert_eq!(
            about_task("Sent the draft", &task).unwrap(),
            "Sent the draft — task: Send Q4 report +q4-report @email"
        );
        assert_eq!(about_task("", &task), Err(NoteError::Empty));
    }

    #[test]
    fn links_must_look_like_links() {
        let table = [
            ("https://x.org/pull/42", "", Ok("https://x.org/pull/42")),
            (
                "https://x.org/pull/42",
                " Merged ",
                Ok("Merged https://x.org/pull/42"),
            ),
            ("mailto:ana@example.com", "", Ok("mailto:ana@example.com")),
            ("x.org", "", Err(())),
            ("https://", "", Err(())),
            ("https://a b", "", Err(())),
            ("://x", "", Err(())),
            ("", "text", Err(())),
        ];
        for (url, text, expected) in table {
            let got = link(url, text);
            match expected {
                Ok(line) => assert_eq!(got.as_deref(), Ok(line), "{url}"),
                Err(()) => assert!(matches!(got, Err(NoteError::NotALink(_))), "{url}: {got:?}"),
            }
        }
    }

    #[test]
    fn appending_keeps_the_file_ending_and_ends_with_a_newline() {
        let table: [(&[u8], &[u8]); 5] = [
            (b"", b"new\n"),
            (b"a\n", b"a\nnew\n"),
            (b"a", b"a\nnew\n"),
            (b"a\r\nb\r\n", b"a\r\nb\r\nnew\r\n"),
            (b"a\r\nb", b"a\r\nb\r\nnew\r\n"),
        ];
        for (file, expected) in table {
            assert_eq!(
                append_line(file.to_vec(), "new"),
                expected,
                "{:?}",
                String::from_utf8_lossy(file)
            );
        }
        assert_eq!(append_line(Vec::new(), "two\nlines"), b"two lines\n");
    }
}
