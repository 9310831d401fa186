//! The journal of pending operations: every operation committed locally but not yet
//! pushed, kept outside the git history (in the state directory) so a crash or a
//! rejected push can replay them on the remote head. Once pushed, operations move to
//! a bounded applied log, so a replay can still re-apply them by intent.

use super::operation::Operation;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Who asked for a change, and through which front end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    pub email: String,
    /// `discord`, `cli`, `schedule` or `mcp`.
    pub via: String,
}

/// One operation waiting to reach the remote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// Also written in the commit as `Operation-Id:`, to tell whether it was committed.
    pub id: String,
    pub actor: Actor,
    pub operation: Operation,
}

/// How many settled operations are remembered for replays.
const APPLIED_KEPT: usize = 2000;

/// The journal (`journal.jsonl`, pending operations) and the applied log
/// (`applied.jsonl`, the last operations that reached the remote), one JSON object per
/// line each.
///
/// The applied log keeps each operation's intent after its push: should the remote
/// lose the commit (a remote updated without compare-and-swap), the next replay still
/// re-applies it by intent rather than as a text change that may conflict.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    applied: PathBuf,
}

impl Journal {
    /// The journal kept in the state directory `dir`.
    pub fn new(dir: &Path) -> Journal {
        Journal {
            path: dir.join("journal.jsonl"),
            applied: dir.join("applied.jsonl"),
        }
    }

    /// The pending operations, oldest first. A torn last line (a crash while
    /// appending) is ignored: that operation was never committed.
    pub fn load(&self) -> anyhow::Result<Vec<Pending>> {
        read_entries(&self.path)
    }

    /// The operation recorded under `id`, pending or recently applied.
    pub fn find(&self, id: &str) -> anyhow::Result<Option<Pending>> {
        if let Some(entry) = self.load()?.into_iter().find(|p| p.id == id) {
            return Ok(Some(entry));
        }
        Ok(read_entries(&self.applied)?
            .into_iter()
            .rev()
            .find(|p| p.id == id))
    }

    /// Appends one operation and flushes it to disk before returning.
    pub fn append(&self, pending: &Pending) -> anyhow::Result<()> {
        let mut line = serde_json::to_string(pending).context("encoding a journal entry")?;
        line.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .with_context(|| format!("opening {}", self.path.display()))?;
        file.write_all(line.as_bytes()).context("writing the journal")?;
        file.sync_all().context("flushing the journal")
    }

    /// Everything pending reached the remote: moves it to the applied log (kept to the
    /// last few thousand), then empties the journal.
    pub fn settle(&self) -> anyhow::Result<()> {
        let pending = self.load()?;
        if pending.is_empty() {
            return Ok(());
        }
        let mut applied = read_entries(&self.applied)?;
        applied.extend(pending);
        let skip = applied.len().saturating_sub(APPLIED_KEPT);
        write_entries(&self.applied, &applied[skip..])?;
        self.replace(&[])
    }

    /// Replaces the journal with `pending` (empty: nothing is pending).
    pub fn replace(&self, pending: &[Pending]) -> anyhow::Result<()> {
        write_entries(&self.path, pending)
    }
}

fn read_entries(path: &Path) -> anyhow::Result<Vec<Pending>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
    };
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect())
}

fn write_entries(path: &Path, entries: &[Pending]) -> anyhow::Result<()> {
    let mut text = String::new();
    for entry in entries {
        text.push_str(&serde_json::to_string(entry).context("encoding a journal entry")?);
        text.push('\n');
    }
    super::files::write_atomically(path, text.as_bytes())
}
