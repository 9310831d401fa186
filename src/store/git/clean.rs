//! Telling, fast, that nobody edited the working tree by hand, so a write need not
//! ask libgit2 for a full status (which reads every folder of the store and stats
//! each file twice). The check may only err towards "changed", which then takes the
//! full status as before; it never calls a changed tree clean:
//!
//! - the index holds HEAD's tree, nothing staged: its cache-tree extension says so
//!   (a commit keeps it, `git add` clears it);
//! - each tracked file is stat'ed once, by its name within its folder (the folder
//!   opened once, not every path walked from the root), on two threads in a large
//!   store, and trusted when its size, times, inode and mode are the index's and it
//!   is older than the index (git's "racy" rule: a file changed in the same tick as
//!   the index was written, or an entry git emptied for that reason, is hashed);
//! - a new file makes its folder's modification time change, so folders are read
//!   only when their time differs from the last clean look (kept in `cache`, like
//!   git's untracked cache), or when that time was too recent to trust.

use super::Git;
use super::index_file::{Entry, IndexFile};
use sha1::{Digest, Sha1};
use std::collections::{HashMap, HashSet};
use std::ffi::CString;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A folder time this close to the look that recorded it is not trusted: a file
/// made in the same tick may have been missed by that look.
const RACY: Duration = Duration::from_secs(1);

/// Below this many tracked files one thread stats them all.
const ONE_THREAD_BELOW: usize = 2_000;
/// At most this many threads stat files.
const MAX_THREADS: usize = 4;

/// The folders of the working tree (store-relative, "" for the root) and their
/// modification times, as of a look that found no untracked file.
type Folders = HashMap<String, (i64, i64)>;

impl Git {
    /// Whether the working tree surely matches `index`: no tracked file changed or
    /// deleted, no new file outside what git ignores. `false` means "maybe": ask
    /// for the full status. `cache` keeps the folder times between calls.
    pub fn surely_clean(&self, index: &IndexFile, cache: &Path) -> anyhow::Result<bool> {
        let started = SystemTime::now();
        if !self.index_holds_head(index)? {
            return Ok(false);
        }
        let root = self.root().to_path_buf();
        let Some(tracked_folders) = check_tracked_files(&root, index)? else {
            return Ok(false);
        };
        let known = read_cache(cache);
        let mut looked = Folders::new();
        let mut to_look: Vec<(String, Option<(i64, i64)>)> = tracked_folders
            .iter()
            .map(|(folder, time)| (folder.clone(), Some(*time)))
            .collect();
        to_look.extend(
            known
                .keys()
                .filter(|folder| !tracked_folders.contains_key(*folder))
                .map(|folder| (folder.clone(), None)),
        );
        let mut seen: HashSet<String> = to_look.iter().map(|(folder, _)| folder.clone()).collect();
        while let Some((folder, time)) = to_look.pop() {
            let full = root.join(&folder);
            let time = match time {
                Some(time) => time,
                None => match std::fs::symlink_metadata(&full) {
                    Ok(meta) if meta.is_dir() => (meta.mtime(), meta.mtime_nsec()),
                    // Gone, or no longer a folder: nothing of it is tracked.
                    _ => continue,
                },
            };
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
                    if path == ".git" || index.contains(path.as_bytes()) {
                        continue;
                    }
                    if entry.file_type()?.is_dir() {
                        if !self.repo.is_path_ignored(&path).unwrap_or(false) && seen.insert(path.clone()) {
                            to_look.push((path, None));
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
}

impl Git {
    /// Whether the working tree surely matches `index`, when it did at some point
    /// and only `paths` (store-relative, from a watcher) changed since. A folder
    /// among them, or a new file git does not ignore, reads as "maybe".
    pub fn surely_clean_at(&self, index: &IndexFile, paths: &[String]) -> anyhow::Result<bool> {
        if !self.index_holds_head(index)? {
            return Ok(false);
        }
        for path in paths {
            if path == ".git" || path.starts_with(".git/") {
                continue;
            }
            let Ok(full) = CString::new(self.root().join(path).into_os_string().into_encoded_bytes()) else {
                // A NUL: the watcher's mark for a name it could not read.
                return Ok(false);
            };
            if let Some(entry) = index.find(path.as_bytes()) {
                let unchanged = entry.stage == 0
                    && !entry.special
                    && file_unchanged(libc::AT_FDCWD, full.as_bytes_with_nul(), &entry, index.mtime)?;
                if !unchanged {
                    return Ok(false);
                }
            } else if stat_at(libc::AT_FDCWD, &full, 0).is_some()
                && !self.repo.is_path_ignored(path).unwrap_or(false)
            {
                // A new file, or a folder that may hold new files.
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Something staged (a person's `git add`) is a hand edit too: the index must
    /// hold HEAD's tree, as its cache-tree tells.
    fn index_holds_head(&self, index: &IndexFile) -> anyhow::Result<bool> {
        let head_tree = match self.head()? {
            Some(head) => self.repo.find_commit(head)?.tree_id(),
            None => return Ok(false),
        };
        Ok(index.cached_root().as_ref().map(|id| id.as_slice()) == Some(head_tree.as_bytes()))
    }
}

/// Whether every tracked file still has the content its entry records: the folders
/// holding tracked files (and those above them) with their times, or `None` when a
/// file may have changed.
fn check_tracked_files(root: &Path, index: &IndexFile) -> anyhow::Result<Option<Folders>> {
    let count = index.len();
    let threads = if count < ONE_THREAD_BELOW {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
    };
    let share = count.div_ceil(threads).max(1);
    let parts: Vec<std::io::Result<Option<Folders>>> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads)
            .map(|part| {
                let range = (part * share).min(count)..((part + 1) * share).min(count);
                scope.spawn(move || check_range(root, index, range))
            })
            .collect();
        let first = check_range(root, index, 0..share.min(count));
        std::iter::once(first)
            .chain(others.into_iter().map(|other| other.join().unwrap_or(Ok(None))))
            .collect()
    });
    let mut folders = Folders::new();
    for part in parts {
        match part? {
            Some(found) => folders.extend(found),
            None => return Ok(None),
        }
    }
    Ok(Some(folders))
}

/// [`check_tracked_files`] for the entries in `range`.
fn check_range(
    root: &Path,
    index: &IndexFile,
    range: std::ops::Range<usize>,
) -> std::io::Result<Option<Folders>> {
    let Some(root_fd) = CString::new(root.as_os_str().as_encoded_bytes())
        .ok()
        .and_then(|path| open_folder(libc::AT_FDCWD, &path))
    else {
        return Ok(None);
    };
    let mut folders = Folders::new();
    let Some(time) = folder_time(root_fd.as_raw_fd()) else {
        return Ok(None);
    };
    folders.insert(String::new(), time);
    let mut chain = Chain::default();
    let mut name = Vec::with_capacity(256);
    for n in range {
        let entry = index.entry(n);
        if entry.stage != 0 || entry.special {
            return Ok(None);
        }
        let (folder, file) = match entry.path.iter().rposition(|&byte| byte == b'/') {
            Some(slash) => (&entry.path[..slash], &entry.path[slash + 1..]),
            None => (&[][..], entry.path),
        };
        let Some(folder_fd) = chain.enter(root_fd.as_raw_fd(), folder, &mut folders) else {
            return Ok(None);
        };
        name.clear();
        name.extend_from_slice(file);
        name.push(0);
        if !file_unchanged(folder_fd, &name, &entry, index.mtime)? {
            return Ok(None);
        }
    }
    Ok(Some(folders))
}

/// The folders open from the root down to the one last entered.
#[derive(Default)]
struct Chain {
    /// The last folder entered, store-relative.
    path: Vec<u8>,
    /// Each open folder of `path`, by where its name ends in `path`.
    open: Vec<(usize, OwnedFd)>,
}

impl Chain {
    /// Opens `folder` (those above it kept open from the last entry), recording the
    /// time of each folder newly opened; `None` when a folder is missing, is not a
    /// folder (a symbolic link) or has a name that is not UTF-8.
    fn enter(&mut self, root: RawFd, folder: &[u8], folders: &mut Folders) -> Option<RawFd> {
        if folder != self.path.as_slice() {
            while let Some((end, _)) = self.open.last() {
                let end = *end;
                if end <= folder.len()
                    && folder[..end] == self.path[..end]
                    && (end == folder.len() || folder[end] == b'/')
                {
                    break;
                }
                self.open.pop();
            }
            self.path.clear();
            self.path.extend_from_slice(folder);
            let mut at = self.open.last().map_or(0, |(end, _)| *end);
            while at < folder.len() {
                let start = if at == 0 { 0 } else { at + 1 };
                let end = folder[start..]
                    .iter()
                    .position(|&byte| byte == b'/')
                    .map_or(folder.len(), |slash| start + slash);
                let parent = self.open.last().map_or(root, |(_, fd)| fd.as_raw_fd());
                let name = CString::new(&folder[start..end]).ok()?;
                let fd = open_folder(parent, &name)?;
                let time = folder_time(fd.as_raw_fd())?;
                folders.insert(String::from_utf8(folder[..end].to_vec()).ok()?, time);
                self.open.push((end, fd));
                at = end;
            }
        }
        Some(self.open.last().map_or(root, |(_, fd)| fd.as_raw_fd()))
    }
}

/// `name` in the folder `parent`, opened as a folder without following a symbolic
/// link; `None` when it cannot be.
fn open_folder(parent: RawFd, name: &CString) -> Option<OwnedFd> {
    // SAFETY: `name` is NUL-terminated; the descriptor returned is ours alone.
    let fd = unsafe {
        libc::openat(
            parent,
            name.as_ptr(),
            libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        )
    };
    // SAFETY: a descriptor just opened, owned by nobody else.
    (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The modification time of the open folder `fd`.
fn folder_time(fd: RawFd) -> Option<(i64, i64)> {
    let stat = stat_at(fd, c"", libc::AT_EMPTY_PATH)?;
    Some((stat.st_mtime, stat.st_mtime_nsec))
}

/// `fstatat`, `None` when it fails.
fn stat_at(folder: RawFd, name: &std::ffi::CStr, flags: libc::c_int) -> Option<libc::stat> {
    // SAFETY: a zeroed `stat` is a valid value for the kernel to fill in.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `name` is NUL-terminated and `stat` is ours to write.
    let done = unsafe {
        libc::fstatat(
            folder,
            name.as_ptr(),
            &mut stat,
            flags | libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    (done == 0).then_some(stat)
}

/// Whether the tracked file `name` (NUL-terminated) in the open folder `folder` still
/// has the content `entry` records, in an index written at `index_time`.
fn file_unchanged(
    folder: RawFd,
    name: &[u8],
    entry: &Entry<'_>,
    index_time: (i64, i64),
) -> std::io::Result<bool> {
    let Ok(c_name) = std::ffi::CStr::from_bytes_with_nul(name) else {
        return Ok(false);
    };
    let Some(stat) = stat_at(folder, c_name, 0) else {
        return Ok(false);
    };
    let kind = stat.st_mode & libc::S_IFMT;
    let kind_matches = match entry.mode {
        0o120000 => kind == libc::S_IFLNK,
        0o100755 => kind == libc::S_IFREG && stat.st_mode & libc::S_IXUSR != 0,
        0o100644 => kind == libc::S_IFREG && stat.st_mode & libc::S_IXUSR == 0,
        _ => false,
    };
    // An entry git emptied (size 0) because it was racy when git wrote the index is
    // compared by content.
    let smudged = entry.size == 0 && stat.st_size != 0;
    if !kind_matches || (!smudged && stat.st_size as u32 != entry.size) {
        return Ok(false);
    }
    // The index keeps these truncated to 32 bits, as git does.
    let same_stat = entry.mtime == (stat.st_mtime as u32, stat.st_mtime_nsec as u32)
        && entry.ctime == (stat.st_ctime as u32, stat.st_ctime_nsec as u32)
        && entry.ino == stat.st_ino as u32;
    if same_stat && !smudged && (stat.st_mtime, stat.st_mtime_nsec) < index_time {
        return Ok(true);
    }
    // Racy, smudged or restat'ed: compare the content (links by their target).
    let content = if kind == libc::S_IFLNK {
        read_link_at(folder, c_name)
    } else {
        read_file_at(folder, c_name)
    };
    Ok(content.is_some_and(|content| blob_id(&content) == entry.id))
}

/// The git blob id of `content`.
fn blob_id(content: &[u8]) -> [u8; 20] {
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", content.len()).as_bytes());
    hasher.update(content);
    hasher.finalize().into()
}

/// The content of the regular file `name` in `folder`.
fn read_file_at(folder: RawFd, name: &std::ffi::CStr) -> Option<Vec<u8>> {
    // SAFETY: `name` is NUL-terminated; the descriptor returned is ours alone.
    let fd = unsafe {
        libc::openat(
            folder,
            name.as_ptr(),
            libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return None;
    }
    // SAFETY: a descriptor just opened, owned by nobody else.
    let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
    let mut content = Vec::new();
    file.read_to_end(&mut content).ok()?;
    Some(content)
}

/// The target of the symbolic link `name` in `folder`.
fn read_link_at(folder: RawFd, name: &std::ffi::CStr) -> Option<Vec<u8>> {
    let mut target = vec![0u8; libc::PATH_MAX as usize];
    // SAFETY: `name` is NUL-terminated and `target` holds `target.len()` bytes.
    let length = unsafe { libc::readlinkat(folder, name.as_ptr(), target.as_mut_ptr().cast(), target.len()) };
    let length = usize::try_from(length).ok().filter(|&n| n < target.len())?;
    target.truncate(length);
    Some(target)
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
