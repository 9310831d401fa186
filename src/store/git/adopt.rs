//! Putting a folder of the person's own files on top of the remote's store
//! (`myorg init --adopt` with a remote that has history): nothing of either side is
//! lost. A file both have with different content keeps the remote's version at its
//! path, and the folder's version is saved beside it as `PATH.conflict-SHORTID`.

use super::Git;
use anyhow::{Context, bail};
use git2::{ObjectType, Oid, TreeWalkMode, TreeWalkResult};
use std::path::Path;

impl Git {
    /// Makes the remote's commit `upstream` the branch's head without touching the
    /// working tree, then writes the remote's files into it: missing ones as they are,
    /// ones that differ after saving the folder's version beside them. Returns the
    /// files saved beside. The caller commits the result.
    pub fn adopt_onto(&self, upstream: Oid) -> anyhow::Result<Vec<String>> {
        let tree = self.repo.find_commit(upstream)?.tree()?;
        let mut remote_files = Vec::new();
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(ObjectType::Blob)
                && let Ok(name) = entry.name()
            {
                remote_files.push((format!("{dir}{name}"), entry.id()));
            }
            TreeWalkResult::Ok
        })?;
        // Look first, write after: a clash of a file with a folder changes nothing.
        let mut writes = Vec::new();
        for (path, id) in &remote_files {
            let full = self.root().join(path);
            if let Some(clash) = clashing_ancestor(self.root(), Path::new(path)) {
                bail!(
                    "the remote has {path}, but {} is a file in this folder; nothing was changed",
                    clash.display()
                );
            }
            match std::fs::symlink_metadata(&full) {
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => writes.push((path, *id, None)),
                Err(err) => return Err(err).with_context(|| format!("reading {}", full.display())),
                Ok(meta) if meta.is_dir() => {
                    bail!("the remote has the file {path}, but it is a folder here; nothing was changed")
                }
                Ok(_) => {
                    let mine = std::fs::read(&full).with_context(|| format!("reading {}", full.display()))?;
                    let my_id = Oid::hash_object(ObjectType::Blob, &mine)?;
                    if my_id != *id {
                        let beside = format!("{path}.conflict-{}", &my_id.to_string()[..8]);
                        writes.push((path, *id, Some((beside, mine))));
                    }
                }
            }
        }
        let mut saved = Vec::new();
        for (path, id, beside) in writes {
            if let Some((beside, mine)) = beside {
                super::super::files::write_atomically(&self.root().join(&beside), &mine)?;
                saved.push(beside);
            }
            let content = self.repo.find_blob(id)?.content().to_vec();
            super::super::files::write_atomically(&self.root().join(path), &content)?;
        }
        self.repo.reference(
            &format!("refs/heads/{}", self.branch),
            upstream,
            true,
            "myorg: keep this folder on top of the remote's store",
        )?;
        let mut index = self.repo.index()?;
        index.read_tree(&tree)?;
        index.write()?;
        Ok(saved)
    }
}

/// The first proper ancestor of `path` (under `root`) that exists and is not a folder.
fn clashing_ancestor(root: &Path, path: &Path) -> Option<std::path::PathBuf> {
    let mut prefix = root.to_path_buf();
    let components: Vec<_> = path.components().collect();
    for component in &components[..components.len().saturating_sub(1)] {
        prefix.push(component);
        if let Ok(meta) = std::fs::symlink_metadata(&prefix)
            && !meta.is_dir()
        {
            return Some(prefix);
        }
    }
    None
}
