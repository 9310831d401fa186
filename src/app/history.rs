//! The store's changes: its history (every change, a file's, or a task's), each at
//! its time in the store's timezone whoever asks and wherever the machine is; and
//! undoing one, previewed for the person to confirm, or at once when they confirmed
//! on the spot (the terminal).

use super::confirm::Pending;
use super::{Ctx, Error, Result};
use crate::store::operation::{DONE, TODO};
use crate::store::{CommitInfo, Operation, PushReport, paths};
use chrono::NaiveDateTime;
use myorg_domain::reference::{self, Scope};
use myorg_parsers::TodoFile;

/// How many changes a history shows unless told.
pub const SHOWN: usize = 10;
/// The most a history shows when the model or Discord asks.
pub const MOST: usize = 100;

/// How many changes to show when asked for `asked` (default [`SHOWN`], at most
/// [`MOST`]).
pub fn limit(asked: Option<u32>) -> usize {
    asked.map_or(SHOWN, |n| n as usize).min(MOST)
}

/// Whose changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Of {
    /// Every change.
    Everything,
    /// The changes to this store file.
    File(String),
    /// A store file's when one is there, else those of the task the words name (the
    /// terminal's `myorg history FILE|TASK`).
    FileOrTask(String),
}

/// One change: a commit of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    /// When, in the store's timezone.
    pub at: Option<NaiveDateTime>,
    pub author: String,
    pub subject: String,
    /// Whether the assistant made it: only those are undone without forcing.
    pub by_assistant: bool,
}

impl Change {
    /// `ID8 YYYY-MM-DD HH:MM AUTHOR: SUBJECT`.
    pub fn said(&self) -> String {
        let at = self
            .at
            .map(|at| at.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        format!("{} {at} {}: {}", short(&self.id), self.author, self.subject)
    }
}

/// What is said when there are no changes.
pub const NO_CHANGES: &str = "No changes yet.";

/// The changes, one line each (or that there are none): what the model and Discord
/// show.
pub fn said(changes: &[Change]) -> String {
    if changes.is_empty() {
        return NO_CHANGES.to_string();
    }
    changes.iter().map(Change::said).collect::<Vec<_>>().join("\n")
}

/// The newest `limit` changes `of` names, newest first.
pub fn history(ctx: &Ctx, of: &Of, limit: usize) -> Result<Vec<Change>> {
    let store = ctx.store;
    let commits = match of {
        Of::Everything => store.history(&[], None, limit)?,
        Of::File(path) | Of::FileOrTask(path) if path.trim().is_empty() => store.history(&[], None, limit)?,
        Of::File(path) => {
            let path = path.trim();
            paths::resolve(store.root(), path).map_err(|error| Error::Invalid(format!("{error:#}")))?;
            store.history(&[path], None, limit)?
        }
        Of::FileOrTask(given) => {
            let given = given.trim();
            if paths::resolve(store.root(), given).is_ok_and(|path| path.is_file()) {
                store.history(&[given], None, limit)?
            } else {
                let todo = TodoFile::parse(store.read(TODO)?);
                let index = reference::find(&todo, given, Scope::All)?;
                let task = todo
                    .get(index)
                    .and_then(|line| line.task())
                    .map(|task| task.description().to_string());
                // The description survives completion and archiving, the whole line does not.
                store.history(&[TODO, DONE], task.as_deref(), limit)?
            }
        }
    };
    let zone = ctx.config.store_timezone()?;
    Ok(commits
        .into_iter()
        .map(|commit: CommitInfo| Change {
            at: chrono::DateTime::from_timestamp(commit.time, 0).map(|at| crate::clock::local_at(at, zone)),
            id: commit.id,
            author: commit.author,
            subject: commit.subject,
            by_assistant: commit.by_assistant,
        })
        .collect())
}

/// The undoing of `commit` (default the newest change), for the person to confirm:
/// the commit is resolved now, so confirming undoes exactly it; nothing changes until
/// [`super::confirm::apply`]. A change the assistant did not make is refused.
pub fn undo(ctx: &Ctx, commit: Option<&str>) -> Result<Pending> {
    let operation = ctx.store.undo_operation(given(commit), false)?;
    let preview = match &operation {
        Operation::Undo { commit, subject, .. } => format!("Undo commit {}: {subject}", short(commit)),
        other => format!("{other:?}"),
    };
    Ok(Pending::new(ctx, "undo_change", preview, operation))
}

/// Undoes `commit` (default the newest change), which the person confirmed on the spot
/// (the terminal); `force` undoes a change the assistant did not make too. The
/// commit's subject.
pub fn undo_confirmed(ctx: &Ctx, commit: Option<&str>, force: bool) -> Result<(String, PushReport)> {
    let applied = ctx.store.undo(given(commit), force, &ctx.actor)?;
    Ok((applied.summary, applied.push))
}

/// The commit given, when one is.
fn given(commit: Option<&str>) -> Option<&str> {
    commit.map(str::trim).filter(|commit| !commit.is_empty())
}

/// A commit id as shown: its first 8 characters.
pub fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_said_with_its_short_id_and_store_local_time() {
        let change = Change {
            id: "0123456789abcdef".to_string(),
            at: "2026-11-23T08:05:00".parse().ok(),
            author: "Ana".to_string(),
            subject: "Add task: Call the plumber".to_string(),
            by_assistant: true,
        };
        assert_eq!(
            change.said(),
            "01234567 2026-11-23 08:05 Ana: Add task: Call the plumber"
        );
        assert_eq!(limit(None), SHOWN);
        assert_eq!(limit(Some(1000)), MOST);
        assert_eq!(given(Some("  ")), None);
        assert_eq!(given(Some(" abc ")), Some("abc"));
    }
}
