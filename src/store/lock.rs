//! The single-writer lock across processes: an exclusive lock on a file in the state
//! directory. The bot and a `myorg` command on the same store never interleave writes.

use anyhow::{Context, bail};
use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// Held while writing; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// Takes the lock at `path`, waiting up to `timeout`. `on_wait` is called once if
    /// another process holds it, so the person knows why nothing happens.
    pub fn acquire(path: &Path, timeout: Duration, on_wait: &dyn Fn()) -> anyhow::Result<WriterLock> {
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
                Ok(()) => return Ok(WriterLock { _file: file }),
                Err(TryLockError::WouldBlock) => {
                    if !told {
                        on_wait();
                        told = true;
                    }
                    if started.elapsed() >= timeout {
                        bail!(
                            "another process is still writing to the store after {}s (lock file {}); try again later",
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
}
