//! Pushing to a bare repository on this machine (a path or `file://` remote) directly:
//! copy the objects it lacks, then move its branch with compare-and-swap.
//!
//! libgit2's own local push packs the new objects (inflating and recompressing every
//! blob) and indexes the pack on the other side, three quarters of a push's time for
//! a large todo.txt; and it moves the branch without checking that it is still where
//! it was. Here loose objects are copied as they are, and the branch moves only if it
//! still points where it did (git's own ref lock, so a `git push` by a person
//! meanwhile is respected, not overwritten).

use anyhow::Context;
use git2::{ErrorCode, ObjectType, Odb, Oid, Repository, Tree};
use std::path::{Path, PathBuf};

/// How a direct push ended.
pub enum Direct {
    Pushed,
    /// The branch moved, or is not an ancestor of ours: fetch and replay first.
    Rejected,
    /// The remote is not a bare repository: push the usual way.
    NotBare,
}

/// Pushes `ours` (the local branch head) to `branch` of the bare repository at `path`.
pub fn push(repo: &Repository, path: &Path, branch: &str, ours: Oid) -> anyhow::Result<Direct> {
    let target = match Repository::open_bare(path) {
        Ok(target) => target,
        Err(_) => return Ok(Direct::NotBare),
    };
    let refname = format!("refs/heads/{branch}");
    let theirs = match target.refname_to_id(&refname) {
        Ok(id) => Some(id),
        Err(err) if err.code() == ErrorCode::NotFound => None,
        Err(err) => return Err(err).context("reading the remote branch"),
    };
    if theirs == Some(ours) {
        return Ok(Direct::Pushed);
    }
    if let Some(theirs) = theirs
        && !(repo.odb()?.exists(theirs) && repo.graph_descendant_of(ours, theirs)?)
    {
        return Ok(Direct::Rejected);
    }
    let copy = Copy {
        from: repo.odb()?,
        from_objects: repo.path().join("objects"),
        to: target.odb()?,
        to_objects: target.path().join("objects"),
    };
    let mut walk = repo.revwalk()?;
    walk.push(ours)?;
    if let Some(theirs) = theirs {
        walk.hide(theirs)?;
    }
    for commit in walk {
        let commit = repo.find_commit(commit?)?;
        copy.tree(&commit.tree()?, repo)?;
        copy.object(commit.id())?;
    }
    // Someone else's push holds the branch's lock for a moment: wait for it.
    for _ in 0..LOCK_RETRIES {
        let moved = match theirs {
            Some(old) => target.reference_matching(&refname, ours, true, old, "push"),
            None => target.reference(&refname, ours, false, "push"),
        };
        match moved {
            Ok(_) => return Ok(Direct::Pushed),
            Err(err) if err.code() == ErrorCode::Locked => std::thread::sleep(LOCK_WAIT),
            Err(err) if matches!(err.code(), ErrorCode::Modified | ErrorCode::Exists) => {
                return Ok(Direct::Rejected);
            }
            Err(err) => return Err(err).context("moving the remote branch"),
        }
    }
    anyhow::bail!(
        "the remote branch stays locked ({}.lock): another push is under way, or one died \
         and left the lock behind",
        target.path().join(&refname).display()
    )
}

const LOCK_RETRIES: usize = 20;
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(50);

struct Copy<'a> {
    from: Odb<'a>,
    from_objects: PathBuf,
    to: Odb<'a>,
    to_objects: PathBuf,
}

impl Copy<'_> {
    /// Copies a tree and what it holds, entries first: a tree the remote has is
    /// complete, so it is not descended into.
    fn tree(&self, tree: &Tree<'_>, repo: &Repository) -> anyhow::Result<()> {
        if self.to.exists(tree.id()) {
            return Ok(());
        }
        for entry in tree.iter() {
            match entry.kind() {
                Some(ObjectType::Tree) => self.tree(&repo.find_tree(entry.id())?, repo)?,
                Some(ObjectType::Blob) => self.object(entry.id())?,
                // A submodule's commit lives in another repository.
                _ => {}
            }
        }
        self.object(tree.id())
    }

    /// Copies one object: its loose file as it is when there is one, else read and
    /// written again (from a pack).
    fn object(&self, id: Oid) -> anyhow::Result<()> {
        if self.to.exists(id) {
            return Ok(());
        }
        let hex = id.to_string();
        let (dir, file) = hex.split_at(2);
        let loose = self.from_objects.join(dir).join(file);
        if loose.is_file() {
            let dest_dir = self.to_objects.join(dir);
            std::fs::create_dir_all(&dest_dir).with_context(|| format!("creating {}", dest_dir.display()))?;
            let temp = tempfile::Builder::new()
                .prefix("tmp_obj_")
                .tempfile_in(&dest_dir)
                .with_context(|| format!("creating a temporary object in {}", dest_dir.display()))?;
            std::fs::copy(&loose, temp.path()).with_context(|| format!("copying the object {hex}"))?;
            temp.persist(dest_dir.join(file))
                .map_err(|err| err.error)
                .with_context(|| format!("storing the object {hex} in the remote"))?;
        } else {
            let object = self.from.read(id)?;
            self.to.write(object.kind(), object.data())?;
        }
        Ok(())
    }
}
