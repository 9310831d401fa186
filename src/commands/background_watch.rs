//! The watcher a write command starts in the background, as git's `core.fsmonitor`
//! starts its daemon: when a write had to look at every file of a large store for
//! hand edits because nobody watches it, `myorg watch --idle SECS` is started,
//! detached, so that the next writes look only at what changed. It ends after
//! `[store] watch_idle_secs` without a write, or when the store or its socket is
//! gone; what it says goes to `STATE/watch.log`.
//!
//! At most one start every ten minutes for a store (the time of
//! `STATE/watch.started`): a watcher that cannot start (the inotify limits, a socket
//! path too long) is not started again on every write.

use crate::config::Config;
use crate::store::Store;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

/// Made (or rewritten) at each start.
const STARTED: &str = "watch.started";
/// What the watcher prints.
const LOG: &str = "watch.log";
/// No start sooner than this after the last one.
const RETRY_AFTER: Duration = Duration::from_secs(10 * 60);

/// What to tell the store, so that a write that looks at every file starts a
/// watcher; `None` when the configuration wants none.
pub(super) fn starter(config: &Config, store: &Store) -> Option<Box<dyn Fn(usize) + Send + Sync>> {
    let settings = &config.store;
    if !settings.watch || settings.watch_from_files == 0 {
        return None;
    }
    let from_files = settings.watch_from_files;
    let start = Start {
        // The watcher is started in this command's folder; absolute all the same.
        root: std::path::absolute(store.root()).unwrap_or_else(|_| store.root().to_path_buf()),
        state_dir: store.state_dir().to_path_buf(),
        config: config.source.clone(),
        idle_secs: settings.watch_idle_secs,
    };
    Some(Box::new(move |files| {
        if files < from_files {
            return;
        }
        match start.run() {
            Ok(Some(pid)) => {
                tracing::info!(pid, files, "started watching the store in the background");
            }
            Ok(None) => {}
            Err(err) => tracing::info!(error = %err, "could not start watching the store"),
        }
    }))
}

/// A background `myorg watch` for one store.
struct Start {
    root: PathBuf,
    state_dir: PathBuf,
    config: Option<PathBuf>,
    idle_secs: u64,
}

impl Start {
    /// Starts the watcher, unless one was started lately; its process id.
    fn run(&self) -> std::io::Result<Option<u32>> {
        let started = self.state_dir.join(STARTED);
        if started_lately(&started, SystemTime::now()) {
            return Ok(None);
        }
        std::fs::write(&started, b"")?;
        let log = std::fs::File::create(self.state_dir.join(LOG))?;
        let mut command = Command::new(std::env::current_exe()?);
        if let Some(config) = &self.config {
            command.arg("--config").arg(config);
        }
        command
            .arg("--store")
            .arg(&self.root)
            .args(["watch", "--idle", &self.idle_secs.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            // Its own group: a Ctrl-C in the terminal stops the command, not it.
            .process_group(0);
        // Not waited for: it outlives this command.
        Ok(Some(command.spawn()?.id()))
    }
}

/// Whether the last start (the time `started` was written) is under
/// [`RETRY_AFTER`] old at `now`.
fn started_lately(started: &Path, now: SystemTime) -> bool {
    std::fs::metadata(started)
        .and_then(|meta| meta.modified())
        .is_ok_and(|at| now.duration_since(at).is_ok_and(|age| age < RETRY_AFTER))
}
