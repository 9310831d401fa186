//! A working tree a person left in the middle of a merge, cherry-pick or revert, with
//! conflicts: the store must go on writing without losing either side.
//!
//! Each conflicted file gets our side back (what HEAD has), and the file as the person
//! left it — both sides between conflict markers, with any resolution begun — is saved
//! beside it as `PATH.conflict-SHORTID`. The other side's changes that merged cleanly
//! stay in the working tree; the merge state is cleared, and the caller commits the
//! lot as hand edits. A rebase or bisect in progress is the person's to finish: the
//! store refuses to write until then.

use super::{Git, IndexFile};
use anyhow::bail;
use git2::RepositoryState;
use std::path::Path;

impl Git {
    /// Settles an interrupted merge (see the module comment); the files saved beside
    /// conflicted ones, empty when there was nothing to settle. `index`: the index
    /// file when it was read already.
    pub fn settle_interrupted_merge(&self, index: Option<&IndexFile>) -> anyhow::Result<Vec<String>> {
        let state = self.repo.state();
        match state {
            RepositoryState::Clean
            | RepositoryState::Merge
            | RepositoryState::CherryPick
            | RepositoryState::CherryPickSequence
            | RepositoryState::Revert
            | RepositoryState::RevertSequence => {}
            other => bail!(
                "the store's repository is in the middle of a {} (at {}); finish or abort it with git first",
                describe(other),
                self.root().display()
            ),
        }
        if state == RepositoryState::Clean && index.is_some_and(|index| !index.has_conflicts()) {
            return Ok(Vec::new());
        }
        let mut index = self.repo.index()?;
        index.read(false)?;
        if state == RepositoryState::Clean && !index.has_conflicts() {
            return Ok(Vec::new());
        }
        let short = self.other_side().unwrap_or_else(|| "merge".to_string());
        let mut saved = Vec::new();
        let conflicts: Vec<git2::IndexConflict> = index.conflicts()?.collect::<Result<_, _>>()?;
        for conflict in conflicts {
            let Some(path) = [&conflict.our, &conflict.their, &conflict.ancestor]
                .into_iter()
                .flatten()
                .map(|entry| String::from_utf8_lossy(&entry.path).to_string())
                .next()
            else {
                continue;
            };
            let full = self.root().join(&path);
            if let Ok(as_left) = std::fs::read(&full) {
                let beside = format!("{path}.conflict-{short}");
                super::super::files::write_atomically(&self.root().join(&beside), &as_left)?;
                saved.push(beside);
            }
            index.conflict_remove(Path::new(&path))?;
            match &conflict.our {
                Some(ours) => {
                    let content = self.repo.find_blob(ours.id)?.content().to_vec();
                    super::super::files::write_atomically(&full, &content)?;
                    index.add_path(Path::new(&path))?;
                }
                None => {
                    // Deleted on our side: the other side's version is the one saved.
                    let _ = std::fs::remove_file(&full);
                }
            }
        }
        index.write()?;
        self.repo.cleanup_state()?;
        Ok(saved)
    }

    /// The short id of the commit being merged, picked or reverted.
    fn other_side(&self) -> Option<String> {
        ["MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD"]
            .into_iter()
            .find_map(|name| self.repo.refname_to_id(name).ok())
            .map(|id| id.to_string()[..8].to_string())
    }
}

/// What a person is in the middle of, in words.
pub(super) fn describe(state: RepositoryState) -> &'static str {
    match state {
        RepositoryState::Bisect => "bisect",
        RepositoryState::Rebase | RepositoryState::RebaseInteractive | RepositoryState::RebaseMerge => {
            "rebase"
        }
        RepositoryState::ApplyMailbox | RepositoryState::ApplyMailboxOrRebase => "git am",
        _ => "git operation",
    }
}
