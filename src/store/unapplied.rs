//! Changes that could not be applied, kept until a person has seen them: an
//! operation a replay could not apply on the remote's newer files, one that could
//! not be committed, or edits saved beside a conflicting file. Whoever opens the store
//! next (`sync`, the next write, `status`, the bot) tells of them, so an acknowledged
//! change never vanishes silently; `status --ack` clears them.
//!
//! Kept in `STATE/unapplied.json`, a small JSON array rewritten atomically.

use super::files;
use super::journal::Actor;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One change a person must hear of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unapplied {
    /// What was asked ("Edit task: Buy tiles"), or the file a conflict concerned.
    pub summary: String,
    /// Why it was not applied, or where the other version was saved.
    pub why: String,
    /// Who asked (`None` for edits made by hand).
    pub requested_by: Option<Actor>,
    /// Seconds since the Unix epoch.
    pub at: u64,
    /// Already reported once (by a sync, a write or the bot).
    #[serde(default)]
    pub told: bool,
    /// Not a failure: the change was applied to its task as another person had
    /// reworded it (`summary` says so). Told once, then forgotten.
    #[serde(default)]
    pub reworded: bool,
}

impl std::fmt::Display for Unapplied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.reworded {
            return f.write_str(&self.summary);
        }
        write!(f, "{}: {}", self.summary, self.why)?;
        if let Some(actor) = &self.requested_by {
            write!(f, " (asked by {} via {})", actor.name, actor.via)?;
        }
        Ok(())
    }
}

/// At most this many are kept (the oldest go first).
const KEPT: usize = 200;

/// The list in the state directory.
#[derive(Debug, Clone)]
pub struct UnappliedList {
    path: PathBuf,
}

impl UnappliedList {
    pub fn new(state_dir: &Path) -> UnappliedList {
        UnappliedList {
            path: state_dir.join("unapplied.json"),
        }
    }

    /// The changes not applied, until acknowledged, oldest first.
    pub fn not_applied(&self) -> Vec<Unapplied> {
        self.load().into_iter().filter(|item| !item.reworded).collect()
    }

    /// Everything kept, oldest first. An unreadable file reads as empty: it must
    /// never keep the store from opening.
    fn load(&self) -> Vec<Unapplied> {
        let Ok(bytes) = std::fs::read(&self.path) else {
            return Vec::new();
        };
        serde_json::from_slice(&bytes).unwrap_or_else(|err| {
            tracing::warn!(
                path = %self.path.display(),
                error = %err,
                "the list of changes not applied is unreadable; starting a new list"
            );
            Vec::new()
        })
    }

    /// Adds `new` (not told yet).
    pub fn add(&self, new: impl IntoIterator<Item = Unapplied>) -> anyhow::Result<()> {
        let mut all = self.load();
        let before = all.len();
        all.extend(new);
        if all.len() == before {
            return Ok(());
        }
        if all.len() > KEPT {
            all.drain(..all.len() - KEPT);
        }
        self.save(&all)
    }

    /// The ones not told yet, now marked told (changes carried over to a reworded
    /// task are forgotten once told).
    pub fn take_untold(&self) -> anyhow::Result<Vec<Unapplied>> {
        let mut all = self.load();
        let untold: Vec<Unapplied> = all.iter().filter(|item| !item.told).cloned().collect();
        if !untold.is_empty() {
            all.retain(|item| !item.reworded);
            for item in &mut all {
                item.told = true;
            }
            self.save(&all)?;
        }
        Ok(untold)
    }

    /// Forgets them all: the person has seen them.
    pub fn acknowledge(&self) -> anyhow::Result<usize> {
        let count = self.not_applied().len();
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(count),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(err) => Err(err).with_context(|| format!("removing {}", self.path.display())),
        }
    }

    fn save(&self, all: &[Unapplied]) -> anyhow::Result<()> {
        let json = serde_json::to_vec_pretty(all)?;
        files::write_atomically(&self.path, &json)
    }
}

/// Now, in seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(summary: &str) -> Unapplied {
        Unapplied {
            summary: summary.to_string(),
            why: "gone".to_string(),
            requested_by: None,
            at: 1,
            told: false,
            reworded: false,
        }
    }

    #[test]
    fn told_once_kept_until_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let list = UnappliedList::new(dir.path());
        list.add([item("a"), item("b")]).unwrap();
        assert_eq!(list.take_untold().unwrap().len(), 2);
        assert!(list.take_untold().unwrap().is_empty());
        assert_eq!(list.not_applied().len(), 2);
        assert_eq!(list.acknowledge().unwrap(), 2);
        assert!(list.not_applied().is_empty());
        let reworded = Unapplied {
            reworded: true,
            ..item("carried over")
        };
        list.add([reworded]).unwrap();
        assert!(list.not_applied().is_empty(), "not listed as a failure");
        assert_eq!(list.take_untold().unwrap().len(), 1);
        assert!(list.take_untold().unwrap().is_empty(), "forgotten once told");
    }

    #[test]
    fn a_damaged_list_never_blocks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("unapplied.json"), b"\0{not json").unwrap();
        let list = UnappliedList::new(dir.path());
        assert!(list.not_applied().is_empty());
        list.add([item("a")]).unwrap();
        assert_eq!(list.not_applied().len(), 1);
    }
}
