//! Keeping a long-running store in step with its remote: a pull every so often, pushes
//! batched within a short window, and retries with a growing delay while the remote is
//! unreachable, woken by the operations that leave it work (a push deferred or
//! failed). What a person must hear about (an operation that no longer applied,
//! whichever front end asked for it; edits saved beside a conflicting file; a remote
//! that stays down) comes out of a channel for the front end to relay.

use super::{PushReport, SharedStore};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// When the background sync pulls, pushes and retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPolicy {
    /// A pull (fetch, replay, push) this often.
    pub every: Duration,
    /// Operations are pushed this long after the first unpushed one, together; zero
    /// pushes each one as it is made.
    pub push_window: Duration,
    /// The first retry after a failure; each next one waits twice as long, up to
    /// `every`.
    pub first_retry: Duration,
}

impl Default for SyncPolicy {
    fn default() -> SyncPolicy {
        SyncPolicy {
            every: Duration::from_secs(15 * 60),
            push_window: Duration::ZERO,
            first_retry: Duration::from_secs(5),
        }
    }
}

/// The background sync; [`BackgroundSync::stop`] ends it cleanly, and dropping it
/// ends it at once.
pub struct BackgroundSync {
    task: tokio::task::JoinHandle<()>,
    stop: CancellationToken,
    store: SharedStore,
    /// Reports worth telling someone about, as they happen: a failure, changes not
    /// applied (now or earlier), edits saved beside a conflicting file.
    pub reports: mpsc::UnboundedReceiver<PushReport>,
}

impl BackgroundSync {
    /// Stops: waits for the pull or push in progress to end, starts no other, and
    /// gives operations their own pushes back. The reports sent so far stay to be
    /// read.
    pub async fn stop(&mut self) {
        self.stop.cancel();
        let _ = (&mut self.task).await;
        self.store.store.defer_pushes(false);
        self.store.store.background_tells.store(false, Ordering::SeqCst);
    }
}

impl Drop for BackgroundSync {
    fn drop(&mut self) {
        self.task.abort();
        self.store.store.defer_pushes(false);
        self.store.store.background_tells.store(false, Ordering::SeqCst);
    }
}

impl SharedStore {
    /// Starts syncing in the background with `policy`; from then on this sync tells
    /// of what operations' pushes could not apply (its `reports`). With a push
    /// window, operations are committed at once and pushed by this task.
    pub fn keep_in_sync(&self, policy: SyncPolicy) -> BackgroundSync {
        let (sender, reports) = mpsc::unbounded_channel();
        if !policy.push_window.is_zero() {
            self.store.defer_pushes(true);
        }
        self.store.background_tells.store(true, Ordering::SeqCst);
        let stop = CancellationToken::new();
        let task = tokio::spawn(run(self.clone(), policy, sender, stop.clone()));
        BackgroundSync {
            task,
            stop,
            store: self.clone(),
            reports,
        }
    }
}

async fn run(
    store: SharedStore,
    policy: SyncPolicy,
    reports: mpsc::UnboundedSender<PushReport>,
    stop: CancellationToken,
) {
    let mut failures: u32 = 0;
    let mut next_sync = Instant::now() + policy.every;
    // Commits that opening could not push (the remote was away) are retried like a
    // push that failed.
    if store.unpushed_commits().await.is_some_and(|count| count > 0) {
        failures = 1;
        next_sync = Instant::now() + policy.first_retry;
    }
    let wake = &store.store.push_due;
    loop {
        let result = tokio::select! {
            () = stop.cancelled() => return,
            () = wake.notified() => {
                // What else comes within the window goes in the same push. A stop
                // does not wait for the window: it pushes on its own.
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(policy.push_window) => {}
                }
                store.push_pending().await
            }
            () = tokio::time::sleep_until(next_sync) => store.sync().await,
        };
        let report = result.unwrap_or_else(|err| PushReport {
            error: Some(format!("{err:#}")),
            ..PushReport::default()
        });
        if report.error.is_some() {
            failures = failures.saturating_add(1);
            next_sync = Instant::now() + retry_delay(&policy, failures);
        } else {
            failures = 0;
            next_sync = Instant::now() + policy.every;
        }
        let worth_telling = report.error.is_some()
            || !report.dropped.is_empty()
            || !report.saved_beside.is_empty()
            || !report.earlier.is_empty();
        if worth_telling && reports.send(report).is_err() {
            // Nobody listens any more; the syncing itself still matters.
        }
    }
}

/// `first_retry`, doubled for each failure after the first, at most `every`.
fn retry_delay(policy: &SyncPolicy, failures: u32) -> Duration {
    let doubled = policy
        .first_retry
        .saturating_mul(1u32.checked_shl(failures.saturating_sub(1)).unwrap_or(u32::MAX));
    doubled.min(policy.every)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_sync_interval() {
        let policy = SyncPolicy {
            every: Duration::from_secs(900),
            push_window: Duration::ZERO,
            first_retry: Duration::from_secs(5),
        };
        let delays: Vec<u64> = (1..=10).map(|n| retry_delay(&policy, n).as_secs()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 320, 640, 900, 900]);
        assert_eq!(retry_delay(&policy, u32::MAX), policy.every);
    }
}
