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

/// How many settled operations are remembered for replays (at least).
const APPLIED_KEPT: usize = 2000;

/// The applied log's size past which it is cut back to `APPLIED_KEPT` entries.
const APPLIED_MAX_BYTES: u64 = 1 << 20;

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

    /// Every operation still known: pending ones first, then the applied log, newest
    /// last. Read once per replay.
    pub fn known(&self) -> anyhow::Result<Vec<Pending>> {
        let mut known = self.load()?;
        known.extend(read_entries(&self.applied)?);
        Ok(known)
    }

    /// Appends one operation and flushes it to disk before returning.
    pub fn append(&self, pending: &Pending) -> anyhow::Result<()> {
        append(&self.path, &encode(std::slice::from_ref(pending))?, true)?;
        Ok(())
    }

    /// Everything pending reached the remote: appends it to the applied log, then
    /// empties the journal. The log is cut back to the last `APPLIED_KEPT` entries
    /// only when it passes `APPLIED_MAX_BYTES`, so settling costs no more as it grows.
    pub fn settle(&self) -> anyhow::Result<()> {
        let pending = self.load()?;
        if pending.is_empty() {
            return Ok(());
        }
        // Neither write is flushed to disk: after a power cut, an entry that is still
        // in the journal is found in the history by its id and not applied again,
        // and the applied log only helps replays that the remote lost commits.
        let size = append(&self.applied, &encode(&pending)?, false)?;
        if size > APPLIED_MAX_BYTES {
            let applied = read_entries(&self.applied)?;
            let skip = applied.len().saturating_sub(APPLIED_KEPT);
            write_entries(&self.applied, &applied[skip..])?;
        }
        std::fs::File::create(&self.path).with_context(|| format!("clearing {}", self.path.display()))?;
        Ok(())
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

/// Appends `text` to the file at `path` (flushed to disk when `durably`); returns
/// the file's new size.
fn append(path: &Path, text: &str, durably: bool) -> anyhow::Result<u64> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    if durably {
        file.sync_all()
            .with_context(|| format!("flushing {}", path.display()))?;
    }
    Ok(file.metadata().map(|m| m.len()).unwrap_or(0))
}

fn encode(entries: &[Pending]) -> anyhow::Result<String> {
    let mut text = String::new();
    for entry in entries {
        text.push_str(&serde_json::to_string(entry).context("encoding a journal entry")?);
        text.push('\n');
    }
    Ok(text)
}

fn write_entries(path: &Path, entries: &[Pending]) -> anyhow::Result<()> {
    super::files::write_atomically(path, encode(entries)?.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The operation recorded under `id`, as a replay finds it.
    fn find(journal: &Journal, id: &str) -> anyhow::Result<Option<Pending>> {
        Ok(journal.known()?.into_iter().rev().find(|p| p.id == id))
    }

    fn entry(n: usize) -> Pending {
        Pending {
            id: format!("op-{n}"),
            actor: Actor {
                name: "Ana".into(),
                email: "ana@example.com".into(),
                via: "cli".into(),
            },
            operation: Operation::AddTask {
                line: format!("2026-11-22 Task {n} {}", "x".repeat(200)),
            },
        }
    }

    #[test]
    fn settled_operations_stay_findable_and_the_log_stays_bounded() {
        let dir = tempfile::TempDir::new().unwrap();
        let journal = Journal::new(dir.path());
        journal.append(&entry(0)).unwrap();
        assert_eq!(journal.load().unwrap(), vec![entry(0)]);
        journal.settle().unwrap();
        assert!(journal.load().unwrap().is_empty());
        assert_eq!(find(&journal, "op-0").unwrap(), Some(entry(0)));

        for n in 1..6000 {
            journal.append(&entry(n)).unwrap();
            if n % 500 == 0 {
                journal.settle().unwrap();
            }
        }
        journal.settle().unwrap();
        let kept = read_entries(&dir.path().join("applied.jsonl")).unwrap();
        assert!(
            kept.len() >= APPLIED_KEPT && kept.len() < 5000,
            "{} entries",
            kept.len()
        );
        assert_eq!(kept.last(), Some(&entry(5999)), "the newest are kept");
        assert_eq!(find(&journal, "op-5999").unwrap(), Some(entry(5999)));
        assert_eq!(find(&journal, "op-1").unwrap(), None, "the oldest are dropped");
    }

    #[test]
    fn a_torn_last_line_is_ignored() {
        let dir = tempfile::TempDir::new().unwrap();
        let journal = Journal::new(dir.path());
        journal.append(&entry(1)).unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"id\":\"op-2\",\"act");
        std::fs::write(&path, text).unwrap();
        assert_eq!(journal.load().unwrap(), vec![entry(1)]);
    }
}
