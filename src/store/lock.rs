//! The single-writer lock across processes: an exclusive lock on a file in the state
//! directory. The bot and a `myorg` command on the same store never interleave writes.
//! [`exclusive`] is the lock itself, also what keeps two processes from sending
//! reminders from the same ledger.
//!
//! While holding it, the writer also leaves a mark (`writing`) that it removes when
//! done. Whoever takes the lock and still finds the mark knows the previous writer
//! died mid-write, so the git lock files it left are stale and safe to remove.

use anyhow::{Context, bail};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Held while writing; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
    mark: PathBuf,
    /// The previous writer died while writing.
    pub previous_crashed: bool,
}

impl WriterLock {
    /// Takes the lock at `path`, waiting up to `timeout`. `on_wait` is called once if
    /// another process holds it, so the person knows why nothing happens.
    pub fn acquire(path: &Path, timeout: Duration, on_wait: &dyn Fn()) -> anyhow::Result<WriterLock> {
        let file = exclusive(path, timeout, on_wait, "writing to the store")?;
        let mark = path.with_extension("writing");
        let previous_crashed = mark.exists();
        std::fs::write(&mark, std::process::id().to_string())
            .with_context(|| format!("writing {}", mark.display()))?;
        Ok(WriterLock {
            _file: file,
            mark,
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
        let _ = std::fs::remove_file(&self.mark);
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
