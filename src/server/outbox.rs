//! The loop of `myorg run` that sends the messages people asked the assistant to send
//! to others ([`crate::app::outbox`]): every [`EVERY`], what is queued goes through
//! the jobs' `Deliver` (Discord, or the log when headless), on the blocking pool.

use crate::jobs::MakeDeliver;
use std::path::PathBuf;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How often the queue is looked at.
pub const EVERY: Duration = Duration::from_secs(2);

/// Starts the loop; it ends when `stop` is cancelled.
pub fn start(state_dir: PathBuf, deliver: MakeDeliver, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(EVERY) => {}
            }
            let dir = state_dir.clone();
            let make = deliver.clone();
            let drained = tokio::task::spawn_blocking(move || {
                let mut deliver = make();
                crate::app::outbox::drain(&dir, deliver.as_mut())
            })
            .await;
            match drained {
                Ok(Ok(0)) => {}
                Ok(Ok(sent)) => tracing::info!(sent, "queued messages sent"),
                Ok(Err(error)) => tracing::warn!(
                    error = format!("{error:#}"),
                    "the queued messages could not be read"
                ),
                Err(error) => tracing::warn!(%error, "sending the queued messages stopped"),
            }
        }
    })
}
