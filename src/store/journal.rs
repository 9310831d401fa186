//! The journal of pending operations: every operation committed locally but not yet
//! pushed, kept outside the git history (in the state directory) so a crash or a
//! rejected push can replay them on the remote head.

use super::operation::Operation;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;

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

/// The journal file: one JSON object per line.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    pub fn new(path: PathBuf) -> Journal {
        Journal { path }
    }

    /// The pending operations, oldest first. A torn last line (a crash while
    /// appending) is ignored: that operation was never committed.
    pub fn load(&self) -> anyhow::Result<Vec<Pending>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(err).with_context(|| format!("reading {}", self.path.display())),
        };
        Ok(text
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect())
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

    /// Replaces the journal with `pending` (empty: nothing is pending).
    pub fn replace(&self, pending: &[Pending]) -> anyhow::Result<()> {
        let mut text = String::new();
        for entry in pending {
            text.push_str(&serde_json::to_string(entry).context("encoding a journal entry")?);
            text.push('\n');
        }
        super::files::write_atomically(&self.path, text.as_bytes())
    }
}
