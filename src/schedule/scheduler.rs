//! The scheduler task of `myorg run`. tokio-cron-scheduler only drives the ticks
//! (every [`TICK`]); at each one the [`Ticker`] decides what is due at the assistant's
//! clock, and each run goes through the jobs' [`Runner`], the trigger's own path (the
//! blocking pool, one job at a time, the metrics), one after another. A run that
//! fails or panics is logged and counted, and its job keeps its schedule. Stopping
//! ends the ticks, lets the run in progress finish and drops the runs not started.
//!
//! Why not one tokio-cron-scheduler job per schedule: it reads each expression in the
//! fixed UTC offset its timezone had when the job was made, so a morning briefing
//! made in winter would come an hour late all summer; and it reads the system clock,
//! where the assistant's may be set with `MYORG_NOW`. The decision is
//! [`super::due::due`] instead, pure and tested across DST switches.

use super::table::Due;
use super::ticker::Ticker;
use crate::clock::Clock;
use crate::jobs::Job as JobName;
use crate::jobs::Runner;
use anyhow::Context;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_cron_scheduler::{Job, JobScheduler};
use tokio_util::sync::CancellationToken;

/// How often the schedule looks at the clock: a six-field expression (with seconds)
/// for tokio-cron-scheduler, in UTC. A job runs within this much of its minute.
pub const TICK: &str = "*/5 * * * * *";

/// Runs one due job to its end: its result, or its error in words.
pub type RunDue =
    Arc<dyn Fn(Due) -> Pin<Box<dyn Future<Output = Result<Value, String>> + Send>> + Send + Sync>;

/// The running schedule; [`Scheduler::stop`] ends it.
pub struct Scheduler {
    ticks: JobScheduler,
    task: JoinHandle<()>,
    stop: CancellationToken,
    running: Arc<Mutex<Option<Due>>>,
}

impl Scheduler {
    /// Starts `schedule` for `jobs`: the missed briefings at once, then each job at
    /// its time, through [`Runner::run`].
    pub async fn start(jobs: Arc<Runner>, ticker: Ticker) -> anyhow::Result<Scheduler> {
        let clock = jobs.clock;
        let run: RunDue = Arc::new(move |due: Due| {
            let jobs = Arc::clone(&jobs);
            Box::pin(async move { jobs.run(due.job, due.recipients).await })
        });
        Scheduler::start_with(ticker, clock, run).await
    }

    /// Starts `ticker`, running what it says through `run`.
    pub async fn start_with(ticker: Ticker, clock: Clock, run: RunDue) -> anyhow::Result<Scheduler> {
        // One tick waits at most: a tick that finds the loop busy is dropped, and the
        // next one covers its minutes.
        let (sender, receiver) = mpsc::channel(1);
        // The first tick, at once: the briefings missed while stopped.
        let _ = sender.try_send(clock.now());
        let ticks = JobScheduler::new().await.context("starting the scheduler")?;
        let tick = Job::new_async(TICK, move |_, _| {
            let sender = sender.clone();
            Box::pin(async move {
                let _ = sender.try_send(clock.now());
            })
        })
        .context("the scheduler's tick")?;
        ticks.add(tick).await.context("adding the scheduler's tick")?;
        ticks.start().await.context("starting the scheduler")?;
        let stop = CancellationToken::new();
        let running = Arc::new(Mutex::new(None));
        let task = tokio::spawn(keep(ticker, receiver, run, stop.clone(), Arc::clone(&running)));
        Ok(Scheduler {
            ticks,
            task,
            stop,
            running,
        })
    }

    /// Stops ticking and waits for the run in progress, if any, to end; the runs due
    /// and not started are dropped. Callers bound the wait.
    pub async fn stop(mut self) {
        let _ = self.ticks.shutdown().await;
        self.stop.cancel();
        let running = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(due) = running {
            tracing::info!(
                job = %due.job,
                recipients = %due.recipients,
                "stopping the schedule: waiting for the running job to finish"
            );
        }
        let _ = self.task.await;
    }
}

/// How long after a failed briefing it is tried again.
const RETRY_AFTER: TimeDelta = TimeDelta::minutes(10);
/// How many times a failed briefing is tried again (within the hour, so the same
/// day's briefing).
const RETRIES: u32 = 6;

/// A failed briefing waiting to be tried again.
struct Retry {
    at: DateTime<Utc>,
    attempt: u32,
    due: Due,
}

/// The loop: each tick's runs, one after another, until `stop`. A briefing that
/// fails (Discord or the store unreachable) is tried again every [`RETRY_AFTER`], up
/// to [`RETRIES`] times; the ledger keeps the people who got theirs from a second one.
/// Other jobs run again at their next time anyway.
async fn keep(
    mut ticker: Ticker,
    mut ticks: mpsc::Receiver<DateTime<Utc>>,
    run: RunDue,
    stop: CancellationToken,
    running: Arc<Mutex<Option<Due>>>,
) {
    let mut retries: Vec<Retry> = Vec::new();
    loop {
        let now = tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            tick = ticks.recv() => match tick {
                Some(now) => now,
                None => return,
            },
        };
        let mut runs: Vec<(Due, u32)> = ticker.tick(now).into_iter().map(|due| (due, 0)).collect();
        retries.retain(|retry| {
            if retry.at <= now {
                runs.push((retry.due.clone(), retry.attempt));
                false
            } else {
                true
            }
        });
        for (due, attempt) in runs {
            if stop.is_cancelled() {
                return;
            }
            if due.late && attempt == 0 {
                tracing::info!(
                    job = %due.job,
                    recipients = %due.recipients,
                    due_at = %due.at,
                    "was due while the assistant was stopped; running it now"
                );
            }
            *running.lock().unwrap_or_else(PoisonError::into_inner) = Some(due.clone());
            // Its own task, so that even a panic outside the job stays there.
            let ran = tokio::spawn(run(due.clone())).await;
            *running.lock().unwrap_or_else(PoisonError::into_inner) = None;
            let failed = match ran {
                Ok(Ok(_)) => continue,
                Ok(Err(error)) => error,
                Err(error) => format!("the run stopped: {error}"),
            };
            let briefing = matches!(due.job, JobName::MorningBriefing | JobName::EveningSummary);
            if briefing && attempt < RETRIES {
                let at = now + RETRY_AFTER;
                tracing::warn!(
                    job = %due.job,
                    recipients = %due.recipients,
                    error = %failed,
                    retry_at = %at,
                    "scheduled job failed; it is tried again"
                );
                retries.push(Retry {
                    at,
                    attempt: attempt + 1,
                    due,
                });
            } else {
                tracing::warn!(
                    job = %due.job,
                    recipients = %due.recipients,
                    error = %failed,
                    "scheduled job failed; it runs again at its next time"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::jobs::Recipients;
    use tokio::sync::oneshot;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    /// Only event reminders, every five minutes, and the user's morning briefing.
    fn ticker() -> Ticker {
        let mut config = Config::default();
        config.store.timezone = Some("Europe/Madrid".into());
        config.user.name = Some("Ana".into());
        for job in [
            "evening-summary",
            "deadline-checker",
            "waiting-followup",
            "git-sync",
        ] {
            config.scheduler.jobs.insert(job.into(), String::new());
        }
        Ticker::new(crate::schedule::Schedule::from_config(&config).unwrap())
    }

    #[tokio::test]
    async fn a_job_that_fails_or_panics_keeps_its_schedule() {
        let (calls, mut called) = mpsc::unbounded_channel();
        let run: RunDue = Arc::new(move |due: Due| {
            let calls = calls.clone();
            Box::pin(async move {
                let _ = calls.send(due.at);
                match due.at.format("%M").to_string().as_str() {
                    "05" => panic!("a bug in the job"),
                    "10" => Err("the remote is down".to_string()),
                    _ => Ok(Value::Null),
                }
            })
        });
        let (ticks, receiver) = mpsc::channel(1);
        let stop = CancellationToken::new();
        let running = Arc::new(Mutex::new(None));
        let task = tokio::spawn(keep(ticker(), receiver, run, stop.clone(), running));
        // Started at 09:01 in Madrid: the 08:00 briefing, missed, runs first.
        let start = utc("2026-11-23T08:01:00Z");
        ticks.send(start).await.unwrap();
        assert_eq!(
            called.recv().await,
            Some(utc("2026-11-23T07:00:00Z")),
            "the missed briefing"
        );
        for minute in [5, 10, 15] {
            let at = start + TimeDelta::minutes(minute - 1);
            ticks.send(at + TimeDelta::seconds(2)).await.unwrap();
            assert_eq!(called.recv().await, Some(at), "the reminders at :{minute:02}");
        }
        stop.cancel();
        task.await.unwrap();
        assert!(called.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_failed_briefing_is_tried_again_ten_minutes_later_and_not_forever() {
        let (calls, mut called) = mpsc::unbounded_channel();
        let run: RunDue = Arc::new(move |due: Due| {
            let calls = calls.clone();
            Box::pin(async move {
                let _ = calls.send(due.job);
                match due.job {
                    JobName::MorningBriefing => Err("Discord is unreachable".to_string()),
                    _ => Ok(Value::Null),
                }
            })
        });
        let (ticks, receiver) = mpsc::channel(1);
        let stop = CancellationToken::new();
        let running = Arc::new(Mutex::new(None));
        let task = tokio::spawn(keep(ticker(), receiver, run, stop.clone(), running));
        // From 09:01 in Madrid (the missed 08:00 briefing runs, and fails), a tick
        // every minute for two hours: the minutes after the start at which the
        // briefing ran.
        let start = utc("2026-11-23T08:01:00Z");
        let mut briefing_at = Vec::new();
        for minute in 0..=120 {
            let now = start + TimeDelta::minutes(minute);
            // The loop takes one tick at a time and finishes its runs before it takes
            // the next: once it has taken the third copy, the first one's runs are
            // over (a tick repeated runs nothing more).
            for _ in 0..3 {
                ticks.send(now).await.unwrap();
            }
            while let Ok(job) = called.try_recv() {
                if job == JobName::MorningBriefing {
                    briefing_at.push(minute);
                }
            }
        }
        stop.cancel();
        task.await.unwrap();
        assert!(called.try_recv().is_err());
        assert_eq!(
            briefing_at,
            [0, 10, 20, 30, 40, 50, 60],
            "tried again every ten minutes, {RETRIES} times, then left"
        );
    }

    #[tokio::test]
    async fn stopping_lets_the_run_in_progress_finish_and_starts_no_other() {
        let (started, mut has_started) = mpsc::unbounded_channel();
        let (release, released) = oneshot::channel::<()>();
        let released = Arc::new(Mutex::new(Some(released)));
        let finished = Arc::new(Mutex::new(Vec::new()));
        let (runs, done) = (Arc::clone(&finished), Arc::clone(&finished));
        let run: RunDue = Arc::new(move |due: Due| {
            let (started, released, runs) = (started.clone(), Arc::clone(&released), Arc::clone(&runs));
            Box::pin(async move {
                let _ = started.send(due.job);
                let wait = released.lock().unwrap().take();
                if let Some(wait) = wait {
                    let _ = wait.await;
                }
                runs.lock().unwrap().push(due.job);
                Ok(Value::Null)
            })
        });
        let (ticks, receiver) = mpsc::channel(1);
        let stop = CancellationToken::new();
        let running = Arc::new(Mutex::new(None));
        let task = tokio::spawn(keep(ticker(), receiver, run, stop.clone(), Arc::clone(&running)));
        // 09:30 on a Monday in Madrid, started at 10:00: the missed 08:00 briefing
        // and nothing else on the first tick; then 10:05, the reminders.
        ticks.send(utc("2026-11-23T09:00:00Z")).await.unwrap();
        assert_eq!(has_started.recv().await, Some(JobName::MorningBriefing));
        assert_eq!(
            running.lock().unwrap().as_ref().map(|d| d.recipients.clone()),
            Some(Recipients::Only("ana".into()))
        );
        stop.cancel();
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert!(!task.is_finished(), "the loop waits for the run in progress");
        // A tick that arrives meanwhile starts nothing.
        let _ = ticks.try_send(utc("2026-11-23T09:05:01Z"));
        release.send(()).unwrap();
        task.await.unwrap();
        assert_eq!(*done.lock().unwrap(), [JobName::MorningBriefing]);
        assert!(has_started.try_recv().is_err(), "nothing started after the stop");
    }

    #[tokio::test]
    async fn a_started_schedule_runs_the_missed_briefings_at_once_and_stops() {
        let (calls, mut called) = mpsc::unbounded_channel();
        let run: RunDue = Arc::new(move |due: Due| {
            let calls = calls.clone();
            Box::pin(async move {
                let _ = calls.send(due.job);
                Ok(Value::Null)
            })
        });
        // A clock at 09:00 in Madrid: the first tick sends the missed briefing.
        let clock = Clock::starting_at(utc("2026-11-23T08:00:00Z"));
        let scheduler = Scheduler::start_with(ticker(), clock, run).await.unwrap();
        assert_eq!(called.recv().await, Some(JobName::MorningBriefing));
        scheduler.stop().await;
    }
}
