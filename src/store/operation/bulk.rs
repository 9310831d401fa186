//! A bulk change ([`Operation::Bulk`]): several tasks completed or edited as one
//! change, one commit, all or nothing. Each operation is applied to todo.txt as the
//! ones before it left it; if one no longer applies (its task gone or changed), the
//! whole change does not, and nothing is written. A recurring task completed in bulk
//! gets its next occurrence as it would alone.

use super::memory::After;
use super::{Change, FileChanges, Operation, OperationError, Snapshot, subject};

/// The most tasks one bulk change may hold.
pub const MOST: usize = 100;

pub(super) fn apply(snapshot: &dyn Snapshot, operations: &[Operation]) -> Result<Change, OperationError> {
    if operations.is_empty() || operations.len() > MOST {
        return Err(OperationError::Invalid(format!(
            "a bulk change holds 1 to {MOST} tasks, not {}",
            operations.len()
        )));
    }
    if let Some(other) = operations.iter().find(|operation| {
        !matches!(
            operation,
            Operation::CompleteTask { .. } | Operation::UpdateTask { .. }
        )
    }) {
        return Err(OperationError::Invalid(format!(
            "a bulk change completes or edits tasks, it cannot {}",
            other.intent()
        )));
    }
    let mut files: FileChanges = Vec::new();
    let mut todo = None;
    for operation in operations {
        let change = operation.apply(&After {
            snapshot,
            files: &files,
        })?;
        for (path, content) in change.files {
            match files.iter_mut().find(|(changed, _)| *changed == path) {
                Some(changed) => changed.1 = content,
                None => files.push((path, content)),
            }
        }
        todo = change.todo.or(todo);
    }
    Ok(Change {
        files,
        summary: summary(operations),
        todo,
        retargeted: None,
    })
}

/// `Complete 3 tasks: a; b; c`, `Edit 2 tasks: …`, `Change 2 tasks: …`.
fn summary(operations: &[Operation]) -> String {
    let completes = operations
        .iter()
        .filter(|operation| matches!(operation, Operation::CompleteTask { .. }))
        .count();
    let verb = match completes {
        0 => "Edit",
        n if n == operations.len() => "Complete",
        _ => "Change",
    };
    let count = match operations.len() {
        1 => "1 task".to_string(),
        n => format!("{n} tasks"),
    };
    let words: Vec<String> = operations
        .iter()
        .map(|operation| match operation {
            Operation::CompleteTask { line, .. } => {
                myorg_parsers::Task::parse(line).description().to_string()
            }
            Operation::UpdateTask { new_line, .. } => {
                myorg_parsers::Task::parse(new_line).description().to_string()
            }
            other => other.intent(),
        })
        .collect();
    subject(&format!("{verb} {count}"), &words.join("; "))
}

#[cfg(test)]
mod tests {
    use super::super::TODO;
    use super::*;
    use chrono::NaiveDate;

    struct Todo(&'static str);

    impl Snapshot for Todo {
        fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
            Ok(if path == TODO {
                self.0.as_bytes().to_vec()
            } else {
                Vec::new()
            })
        }
        fn revert(&self, _: &str) -> Result<FileChanges, OperationError> {
            Err(OperationError::NoLongerApplies("no history".into()))
        }
        fn commit_of(&self, _: &str) -> Option<String> {
            None
        }
    }

    fn on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn complete(line: &str) -> Operation {
        Operation::CompleteTask {
            line: line.to_string(),
            on: on(),
        }
    }

    #[test]
    fn every_task_changes_in_one_change_and_recurring_ones_come_back() {
        let todo = Todo("Call Mum\nWater plants rec:2d due:2026-11-22\nFile taxes\n");
        let bulk = Operation::Bulk {
            operations: vec![
                complete("Call Mum"),
                complete("Water plants rec:2d due:2026-11-22"),
                Operation::UpdateTask {
                    line: "File taxes".into(),
                    new_line: "(A) File taxes".into(),
                },
            ],
        };
        let change = bulk.apply(&todo).unwrap();
        assert_eq!(
            change.summary,
            "Change 3 tasks: Call Mum; Water plants rec:2d due:2026-11-22; File taxes"
        );
        assert_eq!(change.files.len(), 1);
        assert_eq!(
            String::from_utf8(change.files[0].1.clone().unwrap()).unwrap(),
            "x 2026-11-23 Call Mum\nx 2026-11-23 Water plants rec:2d due:2026-11-22\n(A) File taxes\n\
             Water plants rec:2d due:2026-11-25\n"
        );
        assert_eq!(bulk.kind(), "bulk");
    }

    #[test]
    fn one_task_that_is_gone_changes_none() {
        let todo = Todo("Call Mum\nFile taxes\n");
        let bulk = Operation::Bulk {
            operations: vec![complete("Call Mum"), complete("Not there")],
        };
        assert!(matches!(
            bulk.apply(&todo),
            Err(OperationError::NoLongerApplies(_))
        ));
        // The same task twice: the second finds it done.
        let twice = Operation::Bulk {
            operations: vec![complete("Call Mum"), complete("Call Mum")],
        };
        assert!(twice.apply(&todo).is_err());
        for operations in [
            vec![],
            vec![Operation::Archive],
            vec![complete("Call Mum"); MOST + 1],
        ] {
            let bulk = Operation::Bulk { operations };
            assert!(matches!(bulk.apply(&todo), Err(OperationError::Invalid(_))));
        }
    }
}
