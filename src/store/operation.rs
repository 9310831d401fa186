//! Replayable operations: an intent and its target, not a text diff. The same
//! operation applied to a newer version of the files (after the remote moved) does
//! the same thing there, or says plainly that it no longer applies.

use chrono::NaiveDate;
use myorg_parsers::{Task, TodoFile, TodoLine};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The store path of todo.txt.
pub const TODO: &str = "todo.txt";

/// New contents for store files: path and whole content (`None`: delete the file).
pub type FileChanges = Vec<(String, Option<Vec<u8>>)>;

/// The state an operation is applied to: the latest files, and what git knows.
pub trait Snapshot {
    /// A store file (a missing file reads as empty).
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>>;
    /// todo.txt, parsed. A store may hand out a cached copy instead of reading it.
    fn todo(&self) -> Result<TodoFile, OperationError> {
        self.read(TODO).map(TodoFile::parse).map_err(OperationError::Io)
    }
    /// The files `commit` changed, as they are once that commit is reverted on top of
    /// the current state (`None`: deleted). Fails when later changes conflict.
    fn revert(&self, commit: &str) -> Result<FileChanges, OperationError>;
    /// The commit that recorded operation `id`, if it is in the current history.
    fn commit_of(&self, operation_id: &str) -> Option<String>;
}

/// A change to the store, as the person meant it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Operation {
    /// Append this task line to todo.txt.
    AddTask { line: String },
    /// Mark done, on `on`, the open task whose line reads exactly `line`.
    CompleteTask { line: String, on: NaiveDate },
    /// Revert an earlier change: the commit of operation `operation_id` when it has one
    /// (its hash changes when it is replayed), else `commit`.
    Undo {
        commit: String,
        operation_id: Option<String>,
        subject: String,
    },
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
#[derive(Debug, Clone)]
pub struct Change {
    /// Store-relative paths and their new content.
    pub files: FileChanges,
    /// One line saying what changed, for the commit message.
    pub summary: String,
    /// The new todo.txt, parsed, when the operation rewrote it (for the store's cache).
    pub todo: Option<TodoFile>,
}

impl Change {
    /// A change that rewrites todo.txt as `todo`.
    fn todo(todo: TodoFile, summary: String) -> Change {
        Change {
            files: vec![(TODO.to_string(), Some(todo.to_bytes()))],
            summary,
            todo: Some(todo),
        }
    }
}

impl Operation {
    /// Applies the operation to `snapshot`.
    pub fn apply(&self, snapshot: &dyn Snapshot) -> Result<Change, OperationError> {
        match self {
            Operation::AddTask { line } => {
                let task = Task::parse(line);
                if task.description().is_empty() || line.contains(['\n', '\r']) {
                    return Err(OperationError::Invalid(
                        "a task needs some text, on one line".to_string(),
                    ));
                }
                let mut todo = snapshot.todo()?;
                let summary = subject("Add task", task.description());
                todo.push(TodoLine::Task(task));
                Ok(Change::todo(todo, summary))
            }
            Operation::CompleteTask { line, on } => {
                let mut todo = snapshot.todo()?;
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
                Ok(Change::todo(todo, summary))
            }
            Operation::Undo {
                commit,
                operation_id,
                subject: what,
            } => {
                let target = match operation_id {
                    Some(id) => snapshot.commit_of(id).ok_or_else(|| {
                        OperationError::NoLongerApplies(format!(
                            "\"{what}\" is no longer in the history to undo"
                        ))
                    })?,
                    None => commit.clone(),
                };
                Ok(Change {
                    files: snapshot.revert(&target)?,
                    summary: subject("Undo", what),
                    todo: None,
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

    /// A todo.txt and a git history that knows one operation, `op-1`, at commit `abc`.
    struct Files(&'static str);

    impl Snapshot for Files {
        fn read(&self, _: &str) -> std::io::Result<Vec<u8>> {
            Ok(self.0.as_bytes().to_vec())
        }
        fn revert(&self, commit: &str) -> Result<FileChanges, OperationError> {
            match commit {
                "abc" => Ok(vec![(TODO.to_string(), Some(b"reverted\n".to_vec()))]),
                _ => Err(OperationError::NoLongerApplies(format!("no commit {commit}"))),
            }
        }
        fn commit_of(&self, operation_id: &str) -> Option<String> {
            (operation_id == "op-1").then(|| "abc".to_string())
        }
    }

    fn written(change: &Change) -> &[u8] {
        change.files[0].1.as_deref().unwrap()
    }

    #[test]
    fn adding_appends_one_line_and_keeps_the_rest() {
        let op = Operation::AddTask {
            line: "2026-11-22 Call Mum +family".into(),
        };
        let change = op.apply(&Files("(A) first\r\n  odd line")).unwrap();
        assert_eq!(
            written(&change),
            b"(A) first\r\n  odd line\r\n2026-11-22 Call Mum +family"
        );
        assert_eq!(change.summary, "Add task: Call Mum +family");
    }

    #[test]
    fn completing_targets_the_exact_line_or_says_it_no_longer_applies() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let op = Operation::CompleteTask {
            line: "(B) 2026-11-01 Pay rent".into(),
            on,
        };
        let change = op.apply(&Files("a\n(B) 2026-11-01 Pay rent\n")).unwrap();
        assert_eq!(written(&change), b"a\nx 2026-11-22 2026-11-01 Pay rent pri:B\n");
        let gone = op
            .apply(&Files("a\n(B) 2026-11-01 Pay rent +edited\n"))
            .unwrap_err();
        assert!(matches!(gone, OperationError::NoLongerApplies(_)), "{gone}");
    }

    #[test]
    fn an_empty_task_is_refused() {
        let op = Operation::AddTask { line: "(A) ".into() };
        assert!(matches!(op.apply(&Files("")), Err(OperationError::Invalid(_))));
    }

    #[test]
    fn undo_follows_the_operation_to_its_current_commit() {
        let undo = Operation::Undo {
            commit: "old-hash".into(),
            operation_id: Some("op-1".into()),
            subject: "Add task: x".into(),
        };
        let change = undo.apply(&Files("")).unwrap();
        assert_eq!(change.summary, "Undo: Add task: x");
        assert_eq!(
            change.files,
            vec![(TODO.to_string(), Some(b"reverted\n".to_vec()))]
        );
        let gone = Operation::Undo {
            commit: "old-hash".into(),
            operation_id: Some("op-2".into()),
            subject: "y".into(),
        };
        assert!(matches!(
            gone.apply(&Files("")),
            Err(OperationError::NoLongerApplies(_))
        ));
    }
}
