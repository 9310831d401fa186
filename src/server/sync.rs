//! The store kept in step with its remote while `myorg run` runs: the background
//! sync of `[store]` (a pull every `sync_every_secs`, a failed push retried from
//! `first_retry_secs` on, pushes batched within `push_window_ms`), and its reports
//! relayed: a failure to the log, changes not applied and edits saved beside a
//! conflicting file to the people concerned, through the jobs' [`Deliver`] (as the
//! `git-sync` job tells them).
//!
//! [`Deliver`]: crate::reminders::Deliver

use crate::jobs::{self, Runner};
use crate::store::{BackgroundSync, PushReport, SharedStore};
use std::sync::Arc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The running background sync and its relay.
pub struct Syncing {
    task: JoinHandle<()>,
    stop: CancellationToken,
}

impl Syncing {
    /// Starts keeping the store of `jobs` in sync (nothing to do for a store without
    /// a remote: `None`).
    pub fn start(jobs: Arc<Runner>) -> Option<Syncing> {
        jobs.config.git.url.as_ref()?;
        let policy = jobs.config.sync_policy();
        tracing::info!(
            pull_every_secs = policy.every.as_secs(),
            first_retry_secs = policy.first_retry.as_secs(),
            push_window_ms = policy.push_window.as_millis() as u64,
            "sync: a pull at each interval; a push that did not reach the remote is tried again, twice as long after each failure"
        );
        let sync = SharedStore::from(Arc::clone(&jobs.store)).keep_in_sync(policy);
        let stop = CancellationToken::new();
        let task = tokio::spawn(relay(sync, jobs, stop.clone()));
        Some(Syncing { task, stop })
    }

    /// Stops the sync after the pull or push in progress, and tells what it had left
    /// to tell. Callers bound the wait.
    pub async fn stop(self) {
        self.stop.cancel();
        let _ = self.task.await;
    }
}

/// Passes each report on until `stop`, then stops the sync and passes on the rest.
async fn relay(mut sync: BackgroundSync, jobs: Arc<Runner>, stop: CancellationToken) {
    loop {
        tokio::select! {
            report = sync.reports.recv() => match report {
                Some(report) => tell(&jobs, report).await,
                None => return,
            },
            () = stop.cancelled() => break,
        }
    }
    sync.stop().await;
    while let Ok(report) = sync.reports.try_recv() {
        tell(&jobs, report).await;
    }
}

/// Logs a failure, and tells the people concerned what went wrong, on the blocking
/// pool (a [`Deliver`](crate::reminders::Deliver) may block); counted as messages
/// sent.
async fn tell(jobs: &Arc<Runner>, report: PushReport) {
    if let Some(error) = &report.error {
        tracing::warn!(
            error = %jobs.config.secrets().redact(error),
            "sync: the remote was not reached; trying again later"
        );
    }
    if report.dropped.is_empty() && report.saved_beside.is_empty() && report.earlier.is_empty() {
        return;
    }
    let worker = Arc::clone(jobs);
    let told = tokio::task::spawn_blocking(move || {
        let mut deliver = (worker.deliver)();
        jobs::tell_not_applied(&worker.config, &report, &mut *deliver)
    })
    .await;
    match told {
        Ok(told) => {
            jobs.metrics.messages_sent.inc_by(told.len() as u64);
        }
        Err(error) => tracing::warn!(%error, "sync: telling of changes not applied stopped"),
    }
}
