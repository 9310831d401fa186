//! A store's use of a [`Watcher`]: its own (`myorg run`, `myorg watch`), or another
//! process's through `STATE/watch.sock`. Each writer session asks what changed since
//! the epoch kept in `STATE/watch.token`, and on success records the epoch it asked
//! at with the identity of `.git/index` as it leaves it (its device, inode, size and
//! times: git and libgit2 write a new file each time).
//!
//! The token is trusted only while the index is the one it names: a `git reset` or
//! a commit by hand changes the index without touching the files, and the next look
//! is then a whole one. A session that failed records nothing, so the next asks from
//! the last epoch that ended clean.

use super::Store;
use super::git::Git;
use super::watch::serve::{self, Service};
use super::watch::{Answer, Since, Watcher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The socket in the state directory.
const SOCKET: &str = "watch.sock";
/// The last epoch a session ended clean at, and the index it left.
const TOKEN: &str = "watch.token";

/// `.git/index`'s device, inode, size, modification and change times.
type IndexIdentity = [i64; 7];

/// The store's own watcher, answering other processes too; dropping it stops the
/// answers (this process goes on asking its watcher).
pub struct Watching {
    _service: Service,
}

impl Store {
    /// Watches the working tree, so each write here and in other processes (through
    /// `STATE/watch.sock`) looks only at what changed. Fails when inotify cannot
    /// watch the store, or another process already watches it.
    pub fn watch(&self) -> anyhow::Result<Watching> {
        let watcher = Arc::new(Watcher::start(self.root())?);
        let service = serve::serve(Arc::clone(&watcher), &self.state_dir.join(SOCKET))?;
        *self
            .watcher
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(watcher);
        Ok(Watching { _service: service })
    }

    /// What changed since the last session that ended clean, from this process's
    /// watcher or another's; `None` when nobody watches.
    pub(super) fn watched_changes(&self, git: &Git) -> Option<Answer> {
        let own = self
            .watcher
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let socket = self.state_dir.join(SOCKET);
        if own.is_none() && !socket.exists() {
            return None;
        }
        let since = read_token(&self.state_dir.join(TOKEN))
            .filter(|(_, index)| index_identity(git.git_dir()).as_ref() == Some(index))
            .map(|(since, _)| since);
        match own {
            Some(watcher) => Some(watcher.changes_since(since)),
            None => serve::ask(&socket, &canonical(self.root())?, since),
        }
    }

    /// Records that this session ended clean: what changed since `asked` is all
    /// that can differ from the index as it is now.
    pub(super) fn settle_watch(&self, git: &Git) {
        let asked = self
            .watch_asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let (Some(asked), Some(index)) = (asked, index_identity(git.git_dir())) {
            write_token(&self.state_dir.join(TOKEN), asked, index);
        }
    }

    /// Forgets what the last session asked (at the start of each).
    pub(super) fn forget_watch_asked(&self) {
        *self
            .watch_asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// Keeps the epoch of this session's look, for [`Store::settle_watch`].
    pub(super) fn keep_watch_asked(&self, asked: Since) {
        *self
            .watch_asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(asked);
    }
}

fn canonical(root: &Path) -> Option<PathBuf> {
    root.canonicalize().ok()
}

fn index_identity(git_dir: &Path) -> Option<IndexIdentity> {
    let meta = std::fs::symlink_metadata(git_dir.join("index")).ok()?;
    Some([
        meta.dev() as i64,
        meta.ino() as i64,
        meta.size() as i64,
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
    ])
}

/// `WATCHER EPOCH` and the seven numbers of the index; anything else reads as none.
fn read_token(path: &Path) -> Option<(Since, IndexIdentity)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut numbers = text.split_ascii_whitespace();
    let watcher = numbers.next()?.parse().ok()?;
    let epoch = numbers.next()?.parse().ok()?;
    let mut index = [0i64; 7];
    for slot in &mut index {
        *slot = numbers.next()?.parse().ok()?;
    }
    numbers
        .next()
        .is_none()
        .then_some((Since { watcher, epoch }, index))
}

/// Writes the token (best effort: without it the next look is a whole one), over
/// the last one rather than as a new file, which costs the file system more. Not
/// flushed: a token cut or mixed with the last one has too few or too many numbers
/// and reads as none.
fn write_token(path: &Path, since: Since, index: IndexIdentity) {
    use std::io::Write;
    let mut text = format!("{} {}", since.watcher, since.epoch);
    for number in index {
        text.push_str(&format!(" {number}"));
    }
    text.push('\n');
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.set_len(text.len() as u64)
        });
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_read_back_and_anything_else_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TOKEN);
        let long = Since {
            watcher: u64::MAX,
            epoch: 123_456_789,
        };
        write_token(&path, long, [i64::MIN; 7]);
        assert_eq!(read_token(&path), Some((long, [i64::MIN; 7])));
        // A shorter one written over it leaves nothing of the longer one.
        let short = Since { watcher: 7, epoch: 2 };
        write_token(&path, short, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(read_token(&path), Some((short, [1, 2, 3, 4, 5, 6, 7])));
        for damaged in ["", "7 2 1 2 3 4 5 6", "7 2 1 2 3 4 5 6 7 8", "7 x 1 2 3 4 5 6 7"] {
            std::fs::write(&path, damaged).unwrap();
            assert_eq!(read_token(&path), None, "{damaged:?}");
        }
    }
}
