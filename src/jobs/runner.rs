//! The one way a job runs in `myorg run`, for `POST /trigger/JOB` and the schedule
//! alike: on the blocking pool, one job at a time (and the ledger's lock keeps
//! another process from reading it before this one records), counted in the
//! metrics, a panic turned into an error.

use super::{Job, MakeDeliver, Recipients};
use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::{JobLabel, Metrics};
use crate::reminders::Deliver;
use crate::store::Store;
use myorg_domain::reminders::Message;
use serde_json::Value;
use std::sync::{Arc, Mutex, PoisonError};
use tracing::Instrument;

/// Runs the jobs of one assistant, with what they share.
pub struct Runner {
    pub config: Arc<Config>,
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    /// Where jobs send their messages.
    pub deliver: MakeDeliver,
    /// The time jobs run at.
    pub clock: Clock,
    /// Held while a job runs: jobs run one at a time, so two runs (a trigger and the
    /// schedule, or a retried trigger) never both read the ledger before either
    /// records what it sent.
    one_job_at_a_time: Mutex<()>,
}

impl Runner {
    /// A runner whose jobs read `config` and `store`, count into `metrics`, deliver
    /// through `deliver` and take the time from `clock`.
    pub fn new(
        config: Arc<Config>,
        store: Arc<Store>,
        metrics: Arc<Metrics>,
        deliver: MakeDeliver,
        clock: Clock,
    ) -> Runner {
        Runner {
            config,
            store,
            metrics,
            deliver,
            clock,
            one_job_at_a_time: Mutex::new(()),
        }
    }

    /// Runs `job` for `recipients` on the blocking pool, after any job already
    /// running, and counts it. A job that fails or panics comes back as the error,
    /// in words (cleared of the configured secrets: it is logged and answered to the
    /// trigger).
    pub async fn run(self: &Arc<Self>, job: Job, recipients: Recipients) -> Result<Value, String> {
        let run = uuid::Uuid::new_v4().simple().to_string();
        let span = tracing::info_span!(
            "job",
            job = %job,
            recipients = %recipients,
            run = run.get(..8).unwrap_or(&run),
        );
        let started = std::time::Instant::now();
        let ran = self.run_in(job, recipients).instrument(span.clone()).await;
        let _entered = span.enter();
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &ran {
            Ok(_) => tracing::info!(elapsed_ms, "job done"),
            Err(error) => tracing::warn!(elapsed_ms, %error, "job failed"),
        }
        ran
    }

    /// [`Runner::run`] within its span.
    async fn run_in(self: &Arc<Self>, job: Job, recipients: Recipients) -> Result<Value, String> {
        let label = JobLabel { job: job.to_string() };
        let worker = Arc::clone(self);
        let running = label.clone();
        // The job's span goes along to the blocking thread.
        let span = tracing::Span::current();
        let ran = tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            tracing::info!("job started");
            let _turn = worker
                .one_job_at_a_time
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let gauge = worker.metrics.jobs_running.get_or_create(&running).clone();
            gauge.inc();
            // Down again however the job ends, panics included.
            let _running = Finally(move || {
                gauge.dec();
            });
            let mut deliver = Counting {
                inner: (worker.deliver)(),
                sent: 0,
            };
            let now = worker.clock.now();
            let result = super::run(job, &recipients, &worker.config, &worker.store, now, &mut deliver);
            worker.metrics.messages_sent.inc_by(deliver.sent);
            result
        })
        .await;
        self.metrics.job_runs.get_or_create(&label).inc();
        let failed = match ran {
            Ok(Ok(result)) => return Ok(result),
            Ok(Err(error)) => format!("{error:#}"),
            Err(error) => match error.try_into_panic() {
                Ok(panic) => format!(
                    "the job panicked: {}",
                    panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default()
                ),
                Err(error) => format!("the job stopped: {error}"),
            },
        };
        self.metrics.job_failures.get_or_create(&label).inc();
        // A git or Discord error may quote a secret.
        Err(self.config.secrets().redact(&failed).into_owned())
    }
}

/// Runs its closure when dropped.
struct Finally<F: FnMut()>(F);

impl<F: FnMut()> Drop for Finally<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// Counts what it delivers.
struct Counting {
    inner: Box<dyn Deliver + Send>,
    sent: u64,
}

impl Deliver for Counting {
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        self.inner.deliver(message)?;
        self.sent += 1;
        Ok(())
    }
}
