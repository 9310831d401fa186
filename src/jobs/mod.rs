//! The jobs the assistant runs unattended — briefings, reminders, the git sync — by
//! name, so the HTTP trigger (what Kubernetes CronJobs call) and the in-process
//! schedule run the same code. Each job is synchronous (git and files
//! block): async callers run it on the blocking pool. Its result is a small JSON
//! object saying what it did.
//!
//! The `team-digest` job posts the team digest to the team ([`TEAM`]) once a day at
//! most. The `weekly-review` job opens each person's weekly review ([`crate::app::review`])
//! and sends them where it stands, once a week.
//!
//! Each run reads the people's own settings from the store first
//! ([`crate::app::settings`]), so a change needs no restart; [`route`] sends the
//! messages of those who asked for it to the team channel.
//!
//! Messages go through a [`Deliver`]: Discord once the bot runs, the log meanwhile.
//! Reminders and briefings are keyed in the ledger (a briefing by kind, person and
//! day), so a job triggered twice, or retried, sends nothing twice.
//!
//! [`runner`]: how `myorg run` runs a job (one at a time, counted).

pub mod route;
pub mod runner;

use crate::app::loaded::{Loaded, Need};
use crate::app::{briefing, review};
use crate::config::Config;
use crate::reminders::ledger::Ledger;
use crate::reminders::{Deliver, Reminders};
use crate::store::{PushReport, Store};
use anyhow::bail;
use chrono::{DateTime, Datelike, Utc};
use myorg_domain::briefing::{Kind, Whom};
use myorg_domain::reminders::{Message, Sent};
use serde_json::{Value, json};
use std::fmt;

pub use runner::Runner;

/// A job, by the name CronJobs and the schedule use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    MorningBriefing,
    EveningSummary,
    DeadlineChecker,
    EventReminders,
    WaitingFollowup,
    GitSync,
    WeeklyReview,
    TeamDigest,
}

impl Job {
    /// Every job.
    pub const ALL: [Job; 8] = [
        Job::MorningBriefing,
        Job::EveningSummary,
        Job::DeadlineChecker,
        Job::EventReminders,
        Job::WaitingFollowup,
        Job::GitSync,
        Job::WeeklyReview,
        Job::TeamDigest,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::MorningBriefing => "morning-briefing",
            Job::EveningSummary => "evening-summary",
            Job::DeadlineChecker => "deadline-checker",
            Job::EventReminders => "event-reminders",
            Job::WaitingFollowup => "waiting-followup",
            Job::GitSync => "git-sync",
            Job::WeeklyReview => "weekly-review",
            Job::TeamDigest => "team-digest",
        }
    }

    /// The job called `name`.
    pub fn named(name: &str) -> Option<Job> {
        Job::ALL.into_iter().find(|job| job.name() == name)
    }
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Makes the [`Deliver`] a job sends through: Discord when the bot runs, the log
/// when the assistant is headless. Called once per job run, on a blocking thread.
pub type MakeDeliver = std::sync::Arc<dyn Fn() -> Box<dyn Deliver + Send> + Send + Sync>;

/// A [`MakeDeliver`] that delivers to the log.
pub fn to_log() -> MakeDeliver {
    std::sync::Arc::new(|| Box::new(ToLog))
}

/// Delivers each message to the log (standard error), for a headless assistant.
pub struct ToLog;

impl Deliver for ToLog {
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        tracing::info!(to = %message.to, text = %message.text.replace('\n', " / "), "message");
        Ok(())
    }
}

/// Whose messages a run sends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Recipients {
    /// Everyone's: a trigger, and the reminder jobs on their schedule.
    Everyone,
    /// One person's, by handle: a briefing at that person's own time.
    Only(String),
}

impl fmt::Display for Recipients {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recipients::Everyone => f.write_str("everyone"),
            Recipients::Only(handle) => f.write_str(handle),
        }
    }
}

/// Runs `job` at `now` against `store` for `recipients`, delivering through `deliver`.
pub fn run(
    job: Job,
    recipients: &Recipients,
    config: &Config,
    store: &Store,
    now: DateTime<Utc>,
    deliver: &mut dyn Deliver,
) -> anyhow::Result<Value> {
    // The people's own settings as they are now, in the store.
    let config = &crate::app::settings::settled_or_warn(config, store);
    let routed = Reminders::from_config(config)?.in_team_channel;
    let mut routed = route::InTeamChannel {
        inner: deliver,
        handles: routed,
        people: config.people()?,
    };
    let deliver: &mut dyn Deliver = &mut routed;
    match job {
        Job::MorningBriefing | Job::EveningSummary => {
            let kind = if job == Job::MorningBriefing {
                Kind::Morning
            } else {
                Kind::Evening
            };
            briefings(config, store, kind, recipients, now, deliver)
        }
        Job::DeadlineChecker | Job::EventReminders | Job::WaitingFollowup => {
            let reminders = reminders_for(config, recipients)?;
            let mut ledger = Ledger::open(store.state_dir(), now)?;
            let outcome = reminders.send_due(store.root(), &mut ledger, now, deliver)?;
            Ok(json!({
                "sent": outcome.sent.len(),
                "held_for_quiet_hours": outcome.held,
                "failed": outcome.failed.iter().map(|(_, why)| why).collect::<Vec<_>>(),
            }))
        }
        Job::WeeklyReview => reviews(config, store, recipients, now, deliver),
        Job::TeamDigest => team_digest(config, store, now, deliver),
        Job::GitSync => {
            let report = store.sync()?;
            let told = tell_not_applied(config, &report, deliver);
            if let Some(error) = &report.error {
                bail!("the sync did not reach the remote: {error}");
            }
            Ok(json!({
                "pushed": report.pushed,
                "dropped": report.dropped.iter().map(|d| format!("{}: {}", d.summary, d.why)).collect::<Vec<_>>(),
                "saved_beside": report.saved_beside,
                "retargeted": report.retargeted,
                "earlier": report.earlier.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "told": told,
            }))
        }
    }
}

/// Tells each person of the changes they asked for that a sync could not apply (and
/// the store's owner of edits saved beside a conflicting file), one message each:
/// what the `git-sync` job and the background sync of `myorg run` both do with a
/// report. Who was told; a failed delivery is logged (`myorg status` still lists
/// them).
pub fn tell_not_applied(config: &Config, report: &PushReport, deliver: &mut dyn Deliver) -> Vec<String> {
    let owner = config.user().name;
    // Per person: the changes not applied, and those applied to a reworded task.
    let mut by_person: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    let mut add = |to: &str, line: String, reworded: bool| {
        let index = match by_person.iter().position(|(who, _, _)| who == to) {
            Some(index) => index,
            None => {
                by_person.push((to.to_string(), Vec::new(), Vec::new()));
                by_person.len() - 1
            }
        };
        let (_, not_applied, carried_over) = &mut by_person[index];
        if reworded {
            carried_over.push(line);
        } else {
            not_applied.push(line);
        }
    };
    for dropped in &report.dropped {
        add(
            &dropped.requested_by.name,
            format!("{}: {}", dropped.summary, dropped.why),
            false,
        );
    }
    for path in &report.saved_beside {
        add(
            &owner,
            format!("Conflicting edits were saved beside the file as {path}"),
            false,
        );
    }
    for earlier in &report.earlier {
        let to = earlier
            .requested_by
            .as_ref()
            .map_or(owner.as_str(), |actor| actor.name.as_str());
        if earlier.reworded {
            add(to, earlier.summary.clone(), true);
        } else {
            add(to, format!("{}: {}", earlier.summary, earlier.why), false);
        }
    }
    let mut told = Vec::new();
    for (to, not_applied, carried_over) in by_person {
        let mut parts = Vec::new();
        if !not_applied.is_empty() {
            parts.push(format!(
                "These changes could not be applied after the store changed elsewhere (they are kept in log.txt):\n- {}",
                not_applied.join("\n- ")
            ));
        }
        parts.extend(carried_over);
        let text = parts.join("\n");
        let message = Message {
            to: to.clone(),
            // What it settles, so that Discord's nonce tells it from another such
            // message to the same person (the same text again is the same message).
            keys: vec![format!("not-applied:{text}")],
            text,
            folded: false,
            about: None,
        };
        match deliver.deliver(&message) {
            Ok(()) => told.push(to),
            Err(err) => {
                tracing::warn!(%to, error = format!("{err:#}"), "could not tell of changes not applied")
            }
        }
    }
    told
}

/// The reminder settings with only `recipients` among the people.
fn reminders_for(config: &Config, recipients: &Recipients) -> anyhow::Result<Reminders> {
    let mut reminders = Reminders::from_config(config)?;
    if let Recipients::Only(handle) = recipients {
        reminders
            .recipients
            .retain(|recipient| recipient.handle.eq_ignore_ascii_case(handle));
        if reminders.recipients.is_empty() {
            bail!("no one to send to has the handle {handle:?}");
        }
    }
    Ok(reminders)
}

/// The briefing of `kind` of each of `recipients` for their own day, delivered.
fn briefings(
    config: &Config,
    store: &Store,
    kind: Kind,
    recipients: &Recipients,
    now: DateTime<Utc>,
    deliver: &mut dyn Deliver,
) -> anyhow::Result<Value> {
    let loaded = Loaded::read(store, Need::Briefing)?;
    let reminders = reminders_for(config, recipients)?;
    let mut ledger = Ledger::open(store.state_dir(), now)?;
    let mut sends = Sends::default();
    for recipient in &reminders.recipients {
        let date = recipient.local(now).date();
        // One briefing of a kind per person and day, however often the job runs.
        let key = format!(
            "briefing:{}:{date}",
            if kind == Kind::Morning {
                "morning"
            } else {
                "evening"
            }
        );
        if ledger.sent().was_sent(&recipient.handle, &key) {
            continue;
        }
        let whom = Whom {
            handle: Some(recipient.handle.clone()),
            unassigned_too: recipient.gets_unassigned,
        };
        let built = loaded.briefing(config, store, kind, &whom, date)?;
        let message = Message {
            to: recipient.handle.clone(),
            text: briefing::text(&built),
            keys: vec![key],
            folded: false,
            about: None,
        };
        sends.send(deliver, &mut ledger, &message, now)?;
    }
    sends.finish()
}

/// What a job sending one message a person has sent, and whose failed: one person's
/// failed delivery does not keep the others from theirs.
#[derive(Default)]
struct Sends {
    sent: usize,
    failed: Vec<String>,
}

impl Sends {
    /// Delivers `message` and records it in the ledger once delivered.
    fn send(
        &mut self,
        deliver: &mut dyn Deliver,
        ledger: &mut Ledger,
        message: &Message,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        match deliver.deliver(message) {
            Ok(()) => {
                ledger.record(message, now)?;
                self.sent += 1;
            }
            Err(error) => self.failed.push(format!("{}: {error:#}", message.to)),
        }
        Ok(())
    }

    /// How many were sent; an error when any failed, so a retried trigger sends the
    /// missing ones (and only those).
    fn finish(self) -> anyhow::Result<Value> {
        if !self.failed.is_empty() {
            bail!(
                "{} sent; not delivered (tried again on the next run): {}",
                self.sent,
                self.failed.join("; ")
            );
        }
        Ok(json!({ "sent": self.sent }))
    }
}

pub use myorg_domain::reminders::TEAM;

/// The team digest of today, posted to the team once (keyed by the day).
fn team_digest(
    config: &Config,
    store: &Store,
    now: DateTime<Utc>,
    deliver: &mut dyn Deliver,
) -> anyhow::Result<Value> {
    let today = now.with_timezone(&config.store_timezone()?).naive_local();
    let key = format!("team-digest:{}", today.date());
    let mut ledger = Ledger::open(store.state_dir(), now)?;
    if ledger.sent().was_sent(TEAM, &key) {
        return Ok(json!({ "sent": 0 }));
    }
    let me = config.me()?.handle;
    let look = crate::app::Look {
        config,
        files: store,
        handle: &me,
        now: today,
    };
    let digest = briefing::team(&look, None)?;
    let message = Message {
        to: TEAM.to_string(),
        text: digest.render(),
        keys: vec![key],
        folded: false,
        about: None,
    };
    deliver.deliver(&message)?;
    ledger.record(&message, now)?;
    Ok(json!({ "sent": 1 }))
}

/// Opens the weekly review of each of `recipients` (started at its first step, or
/// where they left it) and tells them, once per person and ISO week.
fn reviews(
    config: &Config,
    store: &Store,
    recipients: &Recipients,
    now: DateTime<Utc>,
    deliver: &mut dyn Deliver,
) -> anyhow::Result<Value> {
    let reminders = reminders_for(config, recipients)?;
    let people = config.people()?;
    let store_now = now.with_timezone(&config.store_timezone()?).naive_local();
    let mut ledger = Ledger::open(store.state_dir(), now)?;
    let mut sends = Sends::default();
    for recipient in &reminders.recipients {
        let week = recipient.local(now).date().iso_week();
        let key = format!("review:{}-W{:02}", week.year(), week.week());
        if ledger.sent().was_sent(&recipient.handle, &key) {
            continue;
        }
        let person = people.find(&recipient.handle);
        let ctx = crate::app::Ctx {
            config,
            store,
            actor: crate::store::Actor {
                name: person.map_or(recipient.handle.clone(), |person| person.name.clone()),
                email: person
                    .and_then(|person| person.email.clone())
                    .unwrap_or_else(|| format!("{}@users.invalid", recipient.handle)),
                via: "schedule".to_string(),
            },
            handle: recipient.handle.clone(),
            now: store_now,
        };
        let screen = review::open(&ctx)?;
        if screen.finished {
            continue;
        }
        let lead = if screen.number == 1 {
            format!(
                "Time for your weekly review ({}): {} steps, one at a time.",
                screen.week, screen.of
            )
        } else {
            format!(
                "Your weekly review ({}) is at step {} of {}.",
                screen.week, screen.number, screen.of
            )
        };
        let message = Message {
            to: recipient.handle.clone(),
            text: format!(
                "{lead} Answer with /review on Discord or `myorg review` in a terminal; you can leave and come back where you were.\n\n{}",
                screen.said()
            ),
            keys: vec![key],
            folded: false,
            about: None,
        };
        sends.send(deliver, &mut ledger, &message, now)?;
    }
    sends.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_has_a_unique_name_that_finds_it() {
        let mut names: Vec<&str> = Job::ALL.iter().map(|job| job.name()).collect();
        for job in Job::ALL {
            assert_eq!(Job::named(job.name()), Some(job));
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Job::ALL.len());
        assert_eq!(Job::named("nope"), None);
    }
}
