//! Telling, fast, that nobody edited the working tree by hand, so a write need not
//! ask libgit2 for a full status (which reads every folder of the store and stats
//! each file twice). The check may only err towards "changed", which then takes the
//! full status as before; it never calls a changed tree clean:
//!
//! - each tracked file is stat'ed once and trusted when its size, times, inode and
//!   mode are the index's and it is older than the index (git's "racy" rule: a file
//!   changed in the same tick as the index was written is hashed instead);
//! - a new file makes its folder's modification time change, so folders are read
//!   only when their time differs from the last clean look (kept in `cache`, like
//!   git's untracked cache), or when that time was too recent to trust.

use super::Git;
use git2::{ObjectType, Oid};
use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A folder time this close to the look that recorded it is not trusted: a file
/// made in the same tick may have been missed by that look.
const RACY: Duration = Duration::from_secs(1);

/// The folders of the working tree (store-relative, "" for the root) and their
/// modification times, as of a look that found no untracked file.
type Folders = HashMap<String, (i64, i64)>;

impl Git {
    /// Whether the working tree surely matches the index: no tracked file changed or
    /// deleted, no new file outside what git ignores. `false` means "maybe": ask
    /// for the full status. `cache` keeps the folder times between calls.
    pub fn surely_clean(&self, cache: &Path) -> anyhow::Result<bool> {
        let started = SystemTime::now();
        let root = self.root().to_path_buf();
        let mut index = self.repo.index()?;
        index.read(false)?;
        let index_time = match std::fs::metadata(self.git_dir().join("index")) {
            Ok(meta) => (meta.mtime(), meta.mtime_nsec()),
            Err(_) => return Ok(false),
        };
        let mut tracked = HashSet::with_capacity(index.len());
        let mut folders_of_tracked: HashSet<String> = HashSet::new();
        folders_of_tracked.insert(String::new());
        for entry in index.iter() {
            let stage = (entry.flags >> 12) & 0b11;
            let Ok(path) = std::str::from_utf8(&entry.path) else {
                return Ok(false);
            };
            if stage != 0 || !self.tracked_file_unchanged(&root, path, &entry, index_time)? {
                return Ok(false);
            }
            let mut folder = path;
            while let Some((parent, _)) = folder.rsplit_once('/') {
                if !folders_of_tracked.insert(parent.to_string()) {
                    break;
                }
                folder = parent;
            }
            tracked.insert(path.to_string());
        }
        let known = read_cache(cache);
        let mut looked = Folders::new();
        let mut to_look: Vec<String> = folders_of_tracked.iter().cloned().collect();
        to_look.extend(known.keys().filter(|f| !folders_of_tracked.contains(*f)).cloned());
        let mut seen: HashSet<String> = to_look.iter().cloned().collect();
        while let Some(folder) = to_look.pop() {
            let full = root.join(&folder);
            let meta = match std::fs::symlink_metadata(&full) {
                Ok(meta) if meta.is_dir() => meta,
                // Gone, or no longer a folder: a tracked file in it shows it.
                _ => continue,
            };
            let time = (meta.mtime(), meta.mtime_nsec());
            let trusted = known.get(&folder) == Some(&time) && !too_recent(time, started);
            if !trusted {
                for entry in std::fs::read_dir(&full)? {
                    let entry = entry?;
                    let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                        return Ok(false);
                    };
                    let path = if folder.is_empty() {
                        name
                    } else {
                        format!("{folder}/{name}")
                    };
                    if path == ".git" || tracked.contains(&path) {
                        continue;
                    }
                    if entry.file_type()?.is_dir() {
                        if !self.repo.is_path_ignored(&path).unwrap_or(false) && seen.insert(path.clone()) {
                            to_look.push(path);
                        }
                    } else if !self.repo.is_path_ignored(&path).unwrap_or(false) {
                        return Ok(false);
                    }
                }
            }
            if !too_recent(time, started) {
                looked.insert(folder, time);
            }
        }
        if looked != known {
            write_cache(cache, &looked);
        }
        Ok(true)
    }

    /// Whether the tracked file `path` still has the content `entry` records.
    fn tracked_file_unchanged(
        &self,
        root: &Path,
        path: &str,
        entry: &git2::IndexEntry,
        index_time: (i64, i64),
    ) -> anyhow::Result<bool> {
        let full = root.join(path);
        let Ok(meta) = std::fs::symlink_metadata(&full) else {
            return Ok(false);
        };
        let kind_matches = match entry.mode {
            0o120000 => meta.file_type().is_symlink(),
            0o100755 => meta.is_file() && meta.mode() & 0o111 != 0,
            0o100644 => meta.is_file() && meta.mode() & 0o111 == 0,
            _ => false,
        };
        if !kind_matches || meta.size() as u32 != entry.file_size {
            return Ok(false);
        }
        let file_time = (meta.mtime(), meta.mtime_nsec());
        // The index keeps these truncated to 32 bits, as git does.
        let same_stat = entry.mtime.seconds() == meta.mtime() as i32
            && entry.mtime.nanoseconds() == meta.mtime_nsec() as u32
            && entry.ctime.seconds() == meta.ctime() as i32
            && entry.ctime.nanoseconds() == meta.ctime_nsec() as u32
            && entry.ino == meta.ino() as u32;
        if same_stat && file_time < index_time {
            return Ok(true);
        }
        // Racy or restat'ed: compare the content (links by their target).
        let id = if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&full)?;
            Oid::hash_object(ObjectType::Blob, target.as_os_str().as_encoded_bytes())?
        } else {
            Oid::hash_file(ObjectType::Blob, &full)?
        };
        Ok(id == entry.id)
    }
}

/// Whether a folder time is too close to (or after) `started` to be trusted.
fn too_recent((seconds, nanoseconds): (i64, i64), started: SystemTime) -> bool {
    let Some(time) = SystemTime::UNIX_EPOCH.checked_add(Duration::new(
        seconds.max(0) as u64,
        nanoseconds.clamp(0, 999_999_999) as u32,
    )) else {
        return true;
    };
    started.duration_since(time).map_or(true, |age| age < RACY)
}

/// The cache: one folder a line, `SECONDS NANOSECONDS PATH`. Anything unreadable
/// reads as empty (every folder is then looked at).
fn read_cache(cache: &Path) -> Folders {
    let Ok(text) = std::fs::read_to_string(cache) else {
        return Folders::new();
    };
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let seconds = parts.next()?.parse().ok()?;
            let nanoseconds = parts.next()?.parse().ok()?;
            let path = parts.next()?.to_string();
            Some((path, (seconds, nanoseconds)))
        })
        .collect()
}

/// Writes the cache (best effort: without it, folders are read again). Not flushed
/// to disk: a cache a power cut damaged only has times that no longer match.
fn write_cache(cache: &Path, folders: &Folders) {
    let mut text = String::new();
    for (path, (seconds, nanoseconds)) in folders {
        if path.contains('\n') {
            continue;
        }
        text.push_str(&format!("{seconds} {nanoseconds} {path}\n"));
    }
    let temporary = cache.with_extension("new");
    if std::fs::write(&temporary, text).is_ok() {
        let _ = std::fs::rename(&temporary, cache);
    }
}
