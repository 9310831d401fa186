//! A store's use of a [`Watcher`]: its own (`myorg run`, `myorg watch`), or another
//! process's through `STATE/watch.sock`. Each writer session asks what changed since
//! the epoch kept in `STATE/watch.token`, and on success records the epoch it asked
//! at with the identity of `.git/index` as it leaves it (its device, inode, size and
//! times: git and libgit2 write a new file each time).
//!
//! The token is trusted only while the index is the one it names: a `git reset` or
//! a commit by hand changes the index without touching the files, and the next look
//! is then a whole one. A session records a token only when it ends without error
//! and the index is still the one it found or the one it last wrote to commit, so a
//! person's git command that changed the index meanwhile (or a checkout by a
//! replay, not followed) means a whole look next time, never a trusted guess.

use super::Store;
use super::git::{Git, IndexIdentity};
use super::watch::serve::{self, Service};
use super::watch::{Answer, Since, Watcher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The socket in the state directory.
const SOCKET: &str = "watch.sock";
/// The last epoch a session ended clean at, and the index it left.
const TOKEN: &str = "watch.token";

/// The store's own watcher, answering other processes too; dropping it stops the
/// answers (this process goes on asking its watcher).
pub struct Watching {
    service: Service,
    watcher: Arc<Watcher>,
}

impl Watching {
    /// How long since a writer (here or through the socket) last asked.
    pub fn idle(&self) -> std::time::Duration {
        self.watcher.idle()
    }

    /// Whether other processes can still ask: the socket is still this watcher's.
    pub fn reachable(&self) -> bool {
        self.service.reachable()
    }
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
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::clone(&watcher));
        Ok(Watching { service, watcher })
    }

    /// Whether a watcher answers for this store: this process's, or another's
    /// through the socket.
    pub fn watched(&self) -> bool {
        self.own_watcher().is_some() || self.ask_socket(None).is_some()
    }

    /// This process's watcher, once [`Store::watch`] started it.
    fn own_watcher(&self) -> Option<Arc<Watcher>> {
        self.watcher
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Another process's answer through the socket; `None` when nobody answers there
    /// about this store.
    fn ask_socket(&self, since: Option<Since>) -> Option<Answer> {
        let socket = self.state_dir.join(SOCKET);
        if !socket.exists() {
            return None;
        }
        serve::ask(&socket, &canonical(self.root())?, since)
    }

    /// What changed since the last session that ended clean, from this process's
    /// watcher or another's, and the index as it was when asked; `None` when nobody
    /// watches.
    pub(super) fn watched_changes(&self, git: &Git) -> Option<(Answer, Option<IndexIdentity>)> {
        let own = self.own_watcher();
        if own.is_none() && !self.state_dir.join(SOCKET).exists() {
            return None;
        }
        let index = git.index_identity();
        let since = read_token(&self.state_dir.join(TOKEN))
            .filter(|(_, token_index)| index.as_ref() == Some(token_index))
            .map(|(since, token_index)| {
                // The index a session of this store left: found and verified, or
                // written, by it.
                git.trust_index(token_index);
                since
            });
        let answer = match own {
            Some(watcher) => watcher.changes_since(since),
            None => self.ask_socket(since)?,
        };
        Some((answer, index))
    }

    /// Records that this session ended clean: what changed since it asked is all
    /// that can differ from the index as it is now, if that index is the one the
    /// session found or last wrote itself.
    pub(super) fn settle_watch(&self, git: &Git) {
        let asked = self
            .watch_asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let (Some((since, found)), Some(now)) = (asked, git.index_identity()) else {
            return;
        };
        if found == Some(now) || git.index_written() == Some(now) {
            write_token(&self.state_dir.join(TOKEN), since, now);
        }
    }

    /// Forgets what the last session asked (at the start of each).
    pub(super) fn forget_watch_asked(&self) {
        *self
            .watch_asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// Keeps the epoch of this session's look and the index it found, for
    /// [`Store::settle_watch`].
    pub(super) fn keep_watch_asked(&self, asked: Since, index: Option<IndexIdentity>) {
        *self
            .watch_asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((asked, index));
    }
}

fn canonical(root: &Path) -> Option<PathBuf> {
    root.canonicalize().ok()
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
    use crate::store::{Actor, Operation, StoreSettings};

    fn add(store: &Store, text: &str) {
        let actor = Actor {
            name: "Ana".into(),
            email: "ana@example.com".into(),
            via: "cli".into(),
        };
        let line = format!("2026-12-06 {text}");
        store.apply(Operation::AddTask { line }, &actor).unwrap();
    }

    #[test]
    fn a_session_whose_index_a_person_changed_meanwhile_leaves_no_token() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(StoreSettings::local(dir.path().join("s"))).unwrap();
        let _watching = store.watch().unwrap();
        add(&store, "First");
        add(&store, "Second");
        let token = store.state_dir.join(TOKEN);
        let (before, index) = read_token(&token).unwrap();
        let git = store.repository().unwrap();
        assert_eq!(git.index_identity(), Some(index));

        // A session asks, then a person's `git reset` rewrites the index before it ends.
        store.forget_watch_asked();
        let (answer, found) = store.watched_changes(&git).unwrap();
        assert_eq!(found, Some(index));
        store.keep_watch_asked(answer.next, found);
        let repo = git2::Repository::open(store.root()).unwrap();
        let back = repo.revparse_single("HEAD~1").unwrap();
        repo.reset(&back, git2::ResetType::Mixed, None).unwrap();
        store.settle_watch(&git);
        assert_eq!(read_token(&token), Some((before, index)));

        // A session that finds the index as the last one left it records its epoch.
        store.forget_watch_asked();
        let (answer, found) = store.watched_changes(&git).unwrap();
        store.keep_watch_asked(answer.next, found);
        store.settle_watch(&git);
        assert_eq!(read_token(&token).map(|(since, _)| since), Some(answer.next));
        assert_ne!(answer.next, before);
    }

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
