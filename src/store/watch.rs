//! Knowing what changed in the working tree without looking at all of it, as git's
//! fsmonitor does: a [`Watcher`] keeps an inotify watch on every folder of the store
//! (not `.git`) and records each path an event names, with the epoch it was read in.
//! A writer asks "what changed since the epoch I last checked at?" and stats only
//! those paths; the answer "everything" sends it back to the full look.
//!
//! Why an answer is complete: the kernel queues an inotify event inside the system
//! call that made the change, so every change finished before a question is in the
//! queue, which is read whole before answering. The rest errs towards "everything":
//! a watcher started after the epoch asked about (another instance), an overflowing
//! queue, a folder moved (the watches under it would name the old path), a name that
//! is not UTF-8 ([`UNREADABLE`]; a folder so named stops the watching). A new folder is watched as soon as its event is
//! read, and named as changed, which makes the asker look at the whole store once.
//!
//! `serve`: the same answers over a Unix socket, for other processes on the store.

pub mod serve;

use inotify::{EventMask, Inotify, WatchMask};
use std::collections::HashMap;
use std::io::ErrorKind;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A changed path that stands for a name that is not UTF-8: the asker cannot stat
/// it, and looks at everything. Paths never hold a NUL.
pub const UNREADABLE: &str = "\0";

/// Past this many changed paths the record is dropped and askers look at everything.
const MAX_CHANGED: usize = 100_000;

/// What an asker has seen: the watcher's instance and the epoch of its last answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    pub watcher: u64,
    pub epoch: u64,
}

/// What changed since an epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// Anything may have changed: look at the whole store.
    Everything,
    /// Only these store-relative paths (files or folders, present or gone) changed.
    Paths(Vec<String>),
}

/// An answer, and the epoch to ask from next time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub changes: Changes,
    pub next: Since,
}

/// The inotify watches on a store's working tree.
pub struct Watcher {
    root: PathBuf,
    id: u64,
    state: Mutex<State>,
}

struct State {
    inotify: Option<Inotify>,
    /// Each watched folder, store-relative ("" for the root), by its watch.
    folders: HashMap<i32, String>,
    /// Each changed path and the epoch it was read in.
    changed: HashMap<String, u64>,
    /// The epoch being read: the next answer's.
    epoch: u64,
    /// Askers from before this epoch get "everything".
    everything_before: u64,
    /// When a writer last asked (or the watcher started).
    asked_at: Instant,
}

const FOLDER_EVENTS: WatchMask = WatchMask::MODIFY
    .union(WatchMask::ATTRIB)
    .union(WatchMask::CLOSE_WRITE)
    .union(WatchMask::CREATE)
    .union(WatchMask::DELETE)
    .union(WatchMask::MOVED_FROM)
    .union(WatchMask::MOVED_TO)
    .union(WatchMask::DELETE_SELF)
    .union(WatchMask::MOVE_SELF)
    .union(WatchMask::DONT_FOLLOW)
    .union(WatchMask::ONLYDIR)
    .union(WatchMask::EXCL_UNLINK);

impl Watcher {
    /// Watches every folder under `root` but `.git`. Fails when inotify cannot be had
    /// or a folder cannot be watched (too many for `fs.inotify.max_user_watches`).
    pub fn start(root: &Path) -> std::io::Result<Watcher> {
        let root = root.canonicalize()?;
        let mut id = [0u8; 8];
        getrandom::fill(&mut id).map_err(|err| std::io::Error::other(err.to_string()))?;
        let mut state = State {
            inotify: None,
            folders: HashMap::new(),
            changed: HashMap::new(),
            epoch: 1,
            everything_before: 1,
            asked_at: Instant::now(),
        };
        state.rebuild(&root).map_err(|err| match err.raw_os_error() {
            Some(libc::ENOSPC) => std::io::Error::other(
                "the store has more folders than inotify may watch (raise the sysctl fs.inotify.max_user_watches)",
            ),
            Some(libc::EMFILE) => std::io::Error::other(
                "too many inotify instances are open (raise the sysctl fs.inotify.max_user_instances)",
            ),
            _ => err,
        })?;
        Ok(Watcher {
            root,
            id: u64::from_le_bytes(id),
            state: Mutex::new(state),
        })
    }

    /// The working tree watched, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What changed since `since` (`None`: never asked). Reads every queued event
    /// first.
    pub fn changes_since(&self, since: Option<Since>) -> Answer {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.read_events(&self.root);
        state.asked_at = Instant::now();
        let epoch = state.epoch;
        let changes = match since {
            Some(since)
                if since.watcher == self.id
                    && since.epoch >= state.everything_before
                    && state.inotify.is_some() =>
            {
                Changes::Paths(
                    state
                        .changed
                        .iter()
                        .filter(|(_, at)| **at > since.epoch)
                        .map(|(path, _)| path.clone())
                        .collect(),
                )
            }
            _ => Changes::Everything,
        };
        state.epoch += 1;
        Answer {
            changes,
            next: Since {
                watcher: self.id,
                epoch,
            },
        }
    }

    /// How long since a writer last asked (or since the watcher started).
    pub fn idle(&self) -> Duration {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .asked_at
            .elapsed()
    }

    /// Waits up to `timeout` for events and reads them, so the kernel's queue does
    /// not overflow between questions. For a thread of its own.
    pub fn wait(&self, timeout: Duration) {
        let fd = {
            let state = self
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            state.inotify.as_ref().map(|inotify| inotify.as_raw_fd())
        };
        let Some(fd) = fd else {
            std::thread::sleep(timeout);
            let mut state = self
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            state.read_events(&self.root);
            return;
        };
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd; a descriptor closed meanwhile (a rebuild) only
        // makes poll return early.
        unsafe { libc::poll(&mut poll, 1, timeout.as_millis().min(i32::MAX as u128) as i32) };
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.read_events(&self.root);
    }
}

impl State {
    /// Reads the queued events into `changed`; starts over on anything it cannot
    /// follow.
    fn read_events(&mut self, root: &Path) {
        let mut buffer = [0u8; 16 * 1024];
        let mut start_over = self.inotify.is_none();
        let mut new_folders = Vec::new();
        while !start_over {
            let Some(inotify) = self.inotify.as_mut() else {
                break;
            };
            let events = match inotify.read_events(&mut buffer) {
                Ok(events) => events,
                Err(err) if err.kind() == ErrorKind::WouldBlock => break,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => {
                    tracing::warn!(error = %err, "reading the store's changes failed; looking at everything");
                    start_over = true;
                    break;
                }
            };
            for event in events {
                let wd = event.wd.get_watch_descriptor_id();
                if event.mask.intersects(EventMask::Q_OVERFLOW | EventMask::UNMOUNT) {
                    start_over = true;
                    break;
                }
                if event.mask.contains(EventMask::IGNORED) {
                    self.folders.remove(&wd);
                    continue;
                }
                let Some(folder) = self.folders.get(&wd) else {
                    continue;
                };
                let Some(name) = event.name else {
                    // The folder itself moved or went: its own parent's event names it;
                    // a moved root, or a folder moved, has watches naming old paths.
                    if event.mask.contains(EventMask::MOVE_SELF) || folder.is_empty() {
                        start_over = true;
                        break;
                    }
                    continue;
                };
                let Some(name) = name.to_str() else {
                    if event.mask.contains(EventMask::ISDIR) {
                        start_over = true;
                        break;
                    }
                    self.changed.insert(UNREADABLE.to_string(), self.epoch);
                    continue;
                };
                if folder.is_empty() && name == ".git" {
                    continue;
                }
                let path = if folder.is_empty() {
                    name.to_string()
                } else {
                    format!("{folder}/{name}")
                };
                if event.mask.contains(EventMask::ISDIR) {
                    if event.mask.contains(EventMask::MOVED_FROM) {
                        start_over = true;
                        break;
                    }
                    if event.mask.intersects(EventMask::CREATE | EventMask::MOVED_TO) {
                        new_folders.push(path.clone());
                    }
                }
                self.changed.insert(path, self.epoch);
            }
        }
        for folder in new_folders {
            if start_over {
                break;
            }
            if let Err(err) = self.watch_tree(root, &folder) {
                tracing::warn!(error = %err, "watching a new folder of the store failed; looking at everything");
                start_over = true;
            }
        }
        if self.changed.len() > MAX_CHANGED {
            start_over = true;
        }
        if start_over && let Err(err) = self.rebuild(root) {
            tracing::warn!(error = %err, "the store's folders cannot be watched; every write looks at the whole store");
        }
    }

    /// Drops every watch and record, and watches the whole tree again: askers from
    /// before now look at everything.
    fn rebuild(&mut self, root: &Path) -> std::io::Result<()> {
        self.inotify = None;
        self.folders.clear();
        self.changed.clear();
        self.everything_before = self.epoch;
        self.inotify = Some(Inotify::init()?);
        if let Err(err) = self.watch_tree(root, "") {
            self.inotify = None;
            self.folders.clear();
            return Err(err);
        }
        Ok(())
    }

    /// Watches `folder` (store-relative) and every folder under it. A folder that
    /// went meanwhile is no error: its parent's event names it.
    fn watch_tree(&mut self, root: &Path, folder: &str) -> std::io::Result<()> {
        let Some(inotify) = self.inotify.as_ref() else {
            return Err(std::io::Error::other("not watching"));
        };
        let mut watches = inotify.watches();
        let mut to_watch = vec![folder.to_string()];
        while let Some(folder) = to_watch.pop() {
            let full = if folder.is_empty() {
                root.to_path_buf()
            } else {
                root.join(&folder)
            };
            let watched = watches
                .add(&full, FOLDER_EVENTS)
                .and_then(|wd| Ok((wd, std::fs::read_dir(&full)?)));
            let (wd, entries) = match watched {
                Ok(watched) => watched,
                // Gone, or no longer a folder, meanwhile.
                Err(err)
                    if err.kind() == ErrorKind::NotFound || err.raw_os_error() == Some(libc::ENOTDIR) =>
                {
                    continue;
                }
                Err(err) => return Err(err),
            };
            self.folders.insert(wd.get_watch_descriptor_id(), folder.clone());
            for entry in entries {
                let entry = entry?;
                if !entry.file_type()?.is_dir() {
                    continue;
                }
                // Changes in a folder that cannot be named could not be told.
                let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                    return Err(std::io::Error::other("a folder's name is not UTF-8"));
                };
                if folder.is_empty() && name == ".git" {
                    continue;
                }
                to_watch.push(if folder.is_empty() {
                    name
                } else {
                    format!("{folder}/{name}")
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
