//! The single-writer lock across processes: an exclusive lock on a file in the state
//! directory. The bot and a `myorg` command on the same store never interleave writes.
//! [`exclusive`] is the lock itself, also what keeps two processes from sending
//! reminders from the same ledger.
//!
//! While holding it, the writer also leaves a mark (its process id, written in the
//! lock file itself) that it clears when done. Whoever takes the lock and still finds
//! the mark knows the previous writer died mid-write, so the git lock files it left
//! are stale and safe to remove. The mark lives in the lock file, not in a file of
//! its own, so that a write makes no new file (each costs the file system an inode).

use anyhow::{Context, bail};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Held while writing; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct WriterLock {
    file: File,
    /// The previous writer died while writing.
    pub previous_crashed: bool,
}

impl WriterLock {
    /// Takes the lock at `path`, waiting up to `timeout`. `on_wait` is called once if
    /// another process holds it, so the person knows why nothing happens.
    pub fn acquire(path: &Path, timeout: Duration, on_wait: &dyn Fn()) -> anyhow::Result<WriterLock> {
        use std::os::unix::fs::FileExt;
        let file = exclusive(path, timeout, on_wait, "writing to the store")?;
        let marked = file
            .metadata()
            .with_context(|| format!("reading {}", path.display()))?
            .len()
            > 0;
        // The mark of an earlier version, a file of its own.
        let old_mark = path.with_extension("writing");
        let previous_crashed = marked || old_mark.exists();
        if previous_crashed {
            let _ = std::fs::remove_file(&old_mark);
        }
        let pid = std::process::id().to_string();
        file.set_len(0)
            .and_then(|()| file.write_all_at(pid.as_bytes(), 0))
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(WriterLock {
            file,
            previous_crashed,
        })
    }
}

/// An exclusive lock on the file at `path` (made if missing), across processes: held
/// while the returned file is open, released when it is dropped or the process dies.
/// Waits up to `timeout`, calling `on_wait` once if another holds it; `doing` says
/// what the holder does, for the error.
pub fn exclusive(path: &Path, timeout: Duration, on_wait: &dyn Fn(), doing: &str) -> anyhow::Result<File> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("opening the lock file {}", path.display()))?;
    let started = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(TryLockError::WouldBlock) => {
                if !told {
                    on_wait();
                    told = true;
                }
                if started.elapsed() >= timeout {
                    bail!(
                        "another process is still {doing} after {}s (lock file {}); try again later",
                        timeout.as_secs(),
                        path.display()
                    );
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::Error(err)) => {
                return Err(err).with_context(|| format!("locking {}", path.display()));
            }
        }
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        // A failure leaves the mark: the next writer then cleans up, which is harmless.
        let _ = self.file.set_len(0);
    }
}

/// Git's lock files under `git_dir` (the index, HEAD, refs, config, packed-refs).
pub fn git_lock_files(git_dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for name in [
        "index.lock",
        "HEAD.lock",
        "ORIG_HEAD.lock",
        "config.lock",
        "packed-refs.lock",
    ] {
        let path = git_dir.join(name);
        if path.exists() {
            found.push(path);
        }
    }
    collect_locks(&git_dir.join("refs"), &mut found);
    found
}

fn collect_locks(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_locks(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "lock") {
            found.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(path: &Path) -> WriterLock {
        WriterLock::acquire(path, Duration::from_secs(1), &|| {}).unwrap()
    }

    #[test]
    fn a_writer_that_did_not_clear_its_mark_is_known_to_have_crashed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writer.lock");
        assert!(!take(&path).previous_crashed);
        // Released: the mark is cleared, and no file is left beside the lock.
        assert!(!take(&path).previous_crashed);
        assert_eq!(std::fs::read(&path).unwrap(), b"");
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1);
        // A writer killed while holding it leaves its process id.
        std::fs::write(&path, "4242").unwrap();
        let lock = take(&path);
        assert!(lock.previous_crashed);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            std::process::id().to_string()
        );
        drop(lock);
        // The mark an earlier version left, a file of its own, counts too, once.
        std::fs::write(path.with_extension("writing"), "4242").unwrap();
        assert!(take(&path).previous_crashed);
        assert!(!path.with_extension("writing").exists());
        assert!(!take(&path).previous_crashed);
    }
}
