//! Replayable operations: an intent and its target, not a text diff. The same
//! operation applied to a newer version of the files (after the remote moved) does
//! the same thing there, or says plainly that it no longer applies.

use chrono::NaiveDate;
use myorg_parsers::{Task, TodoFile, TodoLine};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The store path of todo.txt.
pub const TODO: &str = "todo.txt";

/// A change to the store, as the person meant it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Operation {
    /// Append this task line to todo.txt.
    AddTask { line: String },
    /// Mark done, on `on`, the open task whose line reads exactly `line`.
    CompleteTask { line: String, on: NaiveDate },
}

/// Why an operation could not be applied; nothing was changed.
#[derive(Debug)]
pub enum OperationError {
    /// Its target is gone or changed (typically edited elsewhere meanwhile).
    NoLongerApplies(String),
    /// The request itself is not valid.
    Invalid(String),
    Io(std::io::Error),
}

impl fmt::Display for OperationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OperationError::NoLongerApplies(why) | OperationError::Invalid(why) => f.write_str(why),
            OperationError::Io(err) => write!(f, "reading the store: {err}"),
        }
    }
}

impl std::error::Error for OperationError {}

/// What applying an operation produced: new contents for some store files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Store-relative path and its whole new content.
    pub files: Vec<(String, Vec<u8>)>,
    /// One line saying what changed, for the commit message.
    pub summary: String,
}

impl Operation {
    /// Applies the operation to the files `read` returns (store-relative paths; a
    /// missing file reads as empty).
    pub fn apply(&self, read: &dyn Fn(&str) -> std::io::Result<Vec<u8>>) -> Result<Change, OperationError> {
        match self {
            Operation::AddTask { line } => {
                let task = Task::parse(line);
                if task.description().is_empty() || line.contains(['\n', '\r']) {
                    return Err(OperationError::Invalid(
                        "a task needs some text, on one line".to_string(),
                    ));
                }
                let mut todo = TodoFile::parse(read(TODO).map_err(OperationError::Io)?);
                todo.push(TodoLine::Task(task.clone()));
                Ok(Change {
                    files: vec![(TODO.to_string(), todo.to_bytes())],
                    summary: subject("Add task", task.description()),
                })
            }
            Operation::CompleteTask { line, on } => {
                let mut todo = TodoFile::parse(read(TODO).map_err(OperationError::Io)?);
                let found = todo
                    .tasks()
                    .find(|(index, task)| {
                        !task.is_done() && todo.text(*index).is_some_and(|text| text == *line)
                    })
                    .map(|(index, task)| (index, task.clone()));
                let Some((index, mut task)) = found else {
                    return Err(OperationError::NoLongerApplies(format!(
                        "the task \"{line}\" is no longer in todo.txt as it was (changed, completed or removed meanwhile)"
                    )));
                };
                let summary = subject("Complete task", task.description());
                task.complete(*on);
                todo.replace(index, TodoLine::Task(task));
                Ok(Change {
                    files: vec![(TODO.to_string(), todo.to_bytes())],
                    summary,
                })
            }
        }
    }
}

/// `Verb: text`, cut to a readable commit subject.
fn subject(verb: &str, text: &str) -> String {
    const MAX: usize = 72;
    let mut subject = format!("{verb}: {text}");
    if subject.chars().count() > MAX {
        subject = subject.chars().take(MAX - 1).collect::<String>() + "…";
    }
    subject
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(todo: &'static str) -> impl Fn(&str) -> std::io::Result<Vec<u8>> {
        move |_| Ok(todo.as_bytes().to_vec())
    }

    #[test]
    fn adding_appends_one_line_and_keeps_the_rest() {
        let op = Operation::AddTask {
            line: "2026-11-22 Call Mum +family".into(),
        };
        let change = op.apply(&files("(A) first\r\n  odd line")).unwrap();
        assert_eq!(
            change.files[0].1,
            b"(A) first\r\n  odd line\r\n2026-11-22 Call Mum +family"
        );
        assert_eq!(change.summary, "Add task: Call Mum +family");
    }

    #[test]
    fn completing_targets_the_exact_line_or_says_it_no_longer_applies() {
        let op = Operation::CompleteTask {
            line: "(B) 2026-11-01 Pay rent".into(),
            on: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        };
        let change = op.apply(&files("a\n(B) 2026-11-01 Pay rent\n")).unwrap();
        assert_eq!(change.files[0].1, b"a\nx 2026-11-22 2026-11-01 Pay rent pri:B\n");
        let gone = op
            .apply(&files("a\n(B) 2026-11-01 Pay rent +edited\n"))
            .unwrap_err();
        assert!(matches!(gone, OperationError::NoLongerApplies(_)), "{gone}");
    }

    #[test]
    fn an_empty_task_is_refused() {
        let op = Operation::AddTask { line: "(A) ".into() };
        assert!(matches!(op.apply(&files("")), Err(OperationError::Invalid(_))));
    }
}
