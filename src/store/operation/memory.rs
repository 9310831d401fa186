//! The operations on working-memory.txt: a line appended, alone
//! ([`Operation::AppendMemory`]) or in the commit of the action it tells of
//! ([`Operation::Remembered`]), and the file kept to its last lines: past the limit
//! the operation carries, the oldest lines move to `notes/working-memory/YYYY-MM.md`
//! by month, in the same commit (`myorg_domain::memory`).
//!
//! The limit travels with the operation, so a replay on a newer working-memory.txt
//! (hand edits, another person's lines) keeps that file to the same size, and moves
//! what is old there. An action that no longer applies takes its line with it.

use super::{Change, FileChanges, MEMORY, Operation, OperationError, Snapshot, subject};
use myorg_domain::memory::{self, Month};
use myorg_domain::notes;
use myorg_parsers::log::{LogFile, LogLine};

pub(super) fn append(
    snapshot: &dyn Snapshot,
    line: &str,
    keep: Option<usize>,
) -> Result<Change, OperationError> {
    if line.contains(['\n', '\r']) || line.trim().is_empty() {
        return Err(OperationError::Invalid(
            "a working-memory line needs some text, on one line".to_string(),
        ));
    }
    // The line has the shape of a log entry; its text alone makes the subject.
    let entry = match LogFile::parse(line).get(0) {
        Some(LogLine::Entry(entry)) => Some(entry.clone()),
        _ => None,
    };
    let text = entry
        .as_ref()
        .map_or_else(|| line.trim().to_string(), |entry| entry.text.clone());
    let memory = notes::append_line(snapshot.read(MEMORY).map_err(OperationError::Io)?, line);
    let mut files: FileChanges = Vec::new();
    let memory = match keep {
        None => memory,
        Some(0) => {
            return Err(OperationError::Invalid(
                "working-memory.txt keeps at least one line".to_string(),
            ));
        }
        Some(keep) => {
            let Some(entry) = entry else {
                return Err(OperationError::Invalid(format!(
                    "{line:?} is not a working-memory entry (expected `YYYY-MM-DD HH:MM NAME: text`)"
                )));
            };
            let rolled = memory::rollover(&memory, keep, Month::of(entry.date));
            for (month, lines) in rolled.moved {
                let path = month.path();
                snapshot.allowed(&path)?;
                let existing = snapshot.read(&path).map_err(OperationError::Io)?;
                files.push((path, Some(memory::archived(existing, month, &lines))));
            }
            rolled.kept
        }
    };
    files.insert(0, (MEMORY.to_string(), Some(memory)));
    Ok(Change {
        files,
        summary: subject("Working memory", &text),
        todo: None,
        retargeted: None,
    })
}

/// `operation` applied, then `line` appended to working-memory.txt as that change
/// leaves it: one change, the action's summary.
pub(super) fn remembered(
    snapshot: &dyn Snapshot,
    operation: &Operation,
    line: &str,
    keep: Option<usize>,
) -> Result<Change, OperationError> {
    let mut change = operation.apply(snapshot)?;
    let memory = append(
        &After {
            snapshot,
            files: &change.files,
        },
        line,
        keep,
    )?;
    for (path, content) in memory.files {
        match change.files.iter_mut().find(|(changed, _)| *changed == path) {
            Some(changed) => changed.1 = content,
            None => change.files.push((path, content)),
        }
    }
    Ok(change)
}

/// The files as a change leaves them: its own new contents, else the snapshot's.
pub(super) struct After<'a> {
    pub(super) snapshot: &'a dyn Snapshot,
    pub(super) files: &'a FileChanges,
}

impl Snapshot for After<'_> {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        match self.files.iter().find(|(changed, _)| changed == path) {
            Some((_, content)) => Ok(content.clone().unwrap_or_default()),
            None => self.snapshot.read(path),
        }
    }
    fn revert(&self, commit: &str) -> Result<FileChanges, OperationError> {
        self.snapshot.revert(commit)
    }
    fn commit_of(&self, operation_id: &str) -> Option<String> {
        self.snapshot.commit_of(operation_id)
    }
    fn allowed(&self, path: &str) -> Result<(), OperationError> {
        self.snapshot.allowed(path)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{PROJECTS, ProjectList, TODO};
    use super::*;
    use chrono::NaiveDate;
    use std::collections::HashMap;

    /// Store files by path; a missing one reads as empty. `notes/` may not be written.
    struct Store(HashMap<String, String>);

    impl Store {
        fn new(files: &[(&str, &str)]) -> Store {
            Store(
                files
                    .iter()
                    .map(|(path, content)| (path.to_string(), content.to_string()))
                    .collect(),
            )
        }
    }

    impl Snapshot for Store {
        fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
            Ok(self.0.get(path).cloned().unwrap_or_default().into_bytes())
        }
        fn revert(&self, _: &str) -> Result<FileChanges, OperationError> {
            Err(OperationError::NoLongerApplies("no history".into()))
        }
        fn commit_of(&self, _: &str) -> Option<String> {
            None
        }
        fn allowed(&self, path: &str) -> Result<(), OperationError> {
            match self.0.get("notes-is-a-link") {
                Some(_) if path.starts_with("notes/") => {
                    Err(OperationError::Invalid(format!("{path} leads out of the store")))
                }
                _ => Ok(()),
            }
        }
    }

    fn text(change: &Change) -> Vec<(&str, String)> {
        change
            .files
            .iter()
            .map(|(path, content)| {
                (
                    path.as_str(),
                    String::from_utf8(content.clone().unwrap()).unwrap(),
                )
            })
            .collect()
    }

    const NEW: &str = "2026-11-23 08:00 ana: project website → done";

    #[test]
    fn past_its_limit_the_oldest_lines_move_in_the_same_change() {
        let store = Store::new(&[
            (
                MEMORY,
                "Dani starts Tue 1 Dec\n2026-10-30 09:00 ben: October\n2026-11-02 10:00 ana: November\n",
            ),
            (
                "notes/working-memory/2026-11.md",
                "# Working memory, November 2026\n2026-11-01 09:00 ana: first\n",
            ),
        ]);
        let op = Operation::AppendMemory {
            line: NEW.into(),
            keep: Some(2),
        };
        let change = op.apply(&store).unwrap();
        assert_eq!(change.summary, "Working memory: project website → done");
        assert_eq!(
            text(&change),
            [
                (MEMORY, format!("2026-11-02 10:00 ana: November\n{NEW}\n")),
                (
                    "notes/working-memory/2026-10.md",
                    "# Working memory, October 2026\nDani starts Tue 1 Dec\n2026-10-30 09:00 ben: October\n"
                        .to_string()
                ),
            ]
        );
        // Within the limit, or with none, only the line is appended.
        for keep in [Some(4), None] {
            let op = Operation::AppendMemory {
                line: NEW.into(),
                keep,
            };
            assert_eq!(op.apply(&store).unwrap().files.len(), 1, "{keep:?}");
        }
        // Into a month's file already there.
        let op = Operation::AppendMemory {
            line: NEW.into(),
            keep: Some(1),
        };
        let change = op.apply(&store).unwrap();
        assert_eq!(
            text(&change)[2],
            (
                "notes/working-memory/2026-11.md",
                "# Working memory, November 2026\n2026-11-01 09:00 ana: first\n2026-11-02 10:00 ana: November\n"
                    .to_string()
            )
        );
    }

    #[test]
    fn a_line_kept_to_a_limit_is_dated_and_the_limit_at_least_one() {
        let store = Store::new(&[]);
        for (line, keep) in [("undated", Some(3)), (NEW, Some(0)), ("a\nb", None), (" ", None)] {
            let op = Operation::AppendMemory {
                line: line.into(),
                keep,
            };
            assert!(
                matches!(op.apply(&store), Err(OperationError::Invalid(_))),
                "{line:?} {keep:?}"
            );
        }
        let linked = Store::new(&[(MEMORY, "a\nb\n"), ("notes-is-a-link", "")]);
        let op = Operation::AppendMemory {
            line: NEW.into(),
            keep: Some(1),
        };
        assert!(matches!(op.apply(&linked), Err(OperationError::Invalid(_))));
    }

    fn status_done() -> Operation {
        Operation::SetProjectStatus {
            list: ProjectList::Projects,
            slug: "web".into(),
            status: "done".into(),
            on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        }
    }

    #[test]
    fn an_action_remembered_is_one_change_or_none() {
        let store = Store::new(&[
            (PROJECTS, "+web Site status:active\n"),
            (MEMORY, "2026-11-01 09:00 ana: old\n"),
        ]);
        let op = Operation::Remembered {
            operation: Box::new(status_done()),
            line: NEW.into(),
            keep: Some(1),
        };
        let change = op.apply(&store).unwrap();
        assert_eq!(change.summary, "Project web: status active → done");
        assert_eq!(
            text(&change),
            [
                (PROJECTS, "x 2026-11-23 +web Site status:done\n".to_string()),
                (MEMORY, format!("{NEW}\n")),
                (
                    "notes/working-memory/2026-11.md",
                    "# Working memory, November 2026\n2026-11-01 09:00 ana: old\n".to_string()
                ),
            ]
        );
        // The action no longer applies: nothing, the line neither.
        let done = Store::new(&[(PROJECTS, "x 2026-11-20 +web Site status:done\n")]);
        assert!(matches!(op.apply(&done), Err(OperationError::NoLongerApplies(_))));
        // A bad line refuses the action too.
        let bad = Operation::Remembered {
            operation: Box::new(status_done()),
            line: "two\nlines".into(),
            keep: None,
        };
        assert!(matches!(bad.apply(&store), Err(OperationError::Invalid(_))));
        let hidden = Operation::Remembered {
            operation: Box::new(Operation::AddTask {
                line: "Call \u{7}Mum".into(),
            }),
            line: NEW.into(),
            keep: None,
        };
        assert!(matches!(hidden.apply(&store), Err(OperationError::Invalid(_))));
    }

    #[test]
    fn a_remembered_line_follows_what_the_action_wrote_to_working_memory() {
        let store = Store::new(&[(MEMORY, "a\n"), (TODO, "")]);
        let op = Operation::Remembered {
            operation: Box::new(Operation::AppendMemory {
                line: "2026-11-23 07:59 ana: first".into(),
                keep: None,
            }),
            line: NEW.into(),
            keep: None,
        };
        let change = op.apply(&store).unwrap();
        assert_eq!(
            text(&change),
            [(MEMORY, format!("a\n2026-11-23 07:59 ana: first\n{NEW}\n"))]
        );
    }

    #[test]
    fn the_memory_operations_survive_the_journal() {
        let ops = [
            Operation::AppendMemory {
                line: NEW.into(),
                keep: Some(200),
            },
            Operation::Remembered {
                operation: Box::new(status_done()),
                line: NEW.into(),
                keep: Some(200),
            },
        ];
        for op in ops {
            let json = serde_json::to_string(&op).unwrap();
            assert_eq!(serde_json::from_str::<Operation>(&json).unwrap(), op, "{json}");
        }
        // A line journaled before the limit existed is read without one.
        let old: Operation = serde_json::from_str(r#"{"kind":"append_memory","line":"y"}"#).unwrap();
        assert_eq!(
            old,
            Operation::AppendMemory {
                line: "y".into(),
                keep: None
            }
        );
        let remembered = serde_json::to_value(Operation::Remembered {
            operation: Box::new(Operation::Archive),
            line: NEW.into(),
            keep: None,
        })
        .unwrap();
        assert_eq!(
            remembered,
            serde_json::json!({"kind": "remembered", "operation": {"kind": "archive"}, "line": NEW})
        );
    }
}
