//! A review in progress, kept in the state directory (`STATE/review/HANDLE.json`) so
//! that it survives a restart and the person comes back to the step where they left:
//! the week it is for, its steps, where it is, the items left as they were, and what
//! it has done so far.

use crate::app::Result;
use anyhow::Context as _;
use myorg_domain::review::{Kind, Step};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A person's review of one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// `2026-W49`.
    pub week: String,
    pub steps: Vec<Kept>,
    /// The current step, 0-based; past the last when finished.
    pub step: usize,
    /// The items of the current step left as they were (their keys).
    pub skipped: Vec<String>,
    /// How many times each answer did something (`archive`, `done`…).
    pub did: BTreeMap<String, usize>,
    pub finished: bool,
}

/// A step as kept: its kind's name and its title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub kind: String,
    pub title: String,
}

impl State {
    /// A review of `week` through `steps`, at its first step.
    pub fn new(week: &str, steps: Vec<Step>) -> State {
        State {
            week: week.to_string(),
            steps: steps
                .into_iter()
                .map(|step| Kept {
                    kind: step.kind.name().to_string(),
                    title: step.title,
                })
                .collect(),
            step: 0,
            skipped: Vec::new(),
            did: BTreeMap::new(),
            finished: false,
        }
    }

    /// The current step; `None` when finished (or a kept file names no such step).
    pub fn current(&self) -> Option<Step> {
        if self.finished {
            return None;
        }
        let kept = self.steps.get(self.step)?;
        Some(Step {
            kind: Kind::named(&kept.kind).unwrap_or(Kind::Checklist),
            title: kept.title.clone(),
        })
    }

    /// On to the next step.
    pub fn advance(&mut self) {
        self.step += 1;
        self.skipped.clear();
        if self.step >= self.steps.len() {
            self.finished = true;
        }
    }

    /// Counts one more `word` done.
    pub fn count(&mut self, word: &str) {
        *self.did.entry(word.to_string()).or_default() += 1;
    }
}

/// Where `handle`'s review is kept under the state directory `dir`.
fn path(dir: &Path, handle: &str) -> PathBuf {
    let name: String = handle
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    dir.join("review").join(format!("{name}.json"))
}

/// `handle`'s kept review; none when there is none or it cannot be read (said in the
/// log: the review then starts again).
pub fn load(dir: &Path, handle: &str) -> Option<State> {
    let path = path(dir, handle);
    let bytes = std::fs::read(&path).ok()?;
    serde_json::from_slice(&bytes)
        .inspect_err(|error| {
            tracing::warn!(path = %path.display(), %error, "a kept review is unreadable; it starts again");
        })
        .ok()
}

/// Keeps `state` as `handle`'s review, replacing the file whole.
pub fn save(dir: &Path, handle: &str, state: &State) -> Result<()> {
    let path = path(dir, handle);
    let write = || -> anyhow::Result<()> {
        let folder = path.parent().context("a review file has a folder")?;
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        let mut file = tempfile::NamedTempFile::new_in(folder)?;
        file.write_all(&serde_json::to_vec_pretty(state)?)?;
        file.as_file().sync_all()?;
        file.persist(&path)?;
        Ok(())
    };
    write().with_context(|| format!("saving {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use myorg_domain::review::steps;

    #[test]
    fn a_review_is_kept_and_read_back_and_a_broken_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path(), "ana"), None);
        let mut state = State::new("2026-W49", steps(&["Look around".to_string()]));
        state.advance();
        state.count("archive");
        save(dir.path(), "Ana", &state).unwrap();
        assert_eq!(load(dir.path(), "ana"), Some(state.clone()));
        assert_eq!(state.current().map(|step| step.kind), Some(Kind::Checklist));
        std::fs::write(dir.path().join("review/ana.json"), "{").unwrap();
        assert_eq!(load(dir.path(), "ana"), None);
        assert!(path(dir.path(), "../x").starts_with(dir.path().join("review")));
    }
}
