//! Sending reminders: the configured rules and recipients, the store's files as they
//! are in the working tree, the ledger of what was sent, and a [`Deliver`] that
//! carries each message (the terminal, Discord). The decisions are in
//! `myorg_domain::reminders`; this module reads, delivers and records.

pub mod ledger;

use crate::config::Config;
use anyhow::{Context, bail};
use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use ledger::Ledger;
use myorg_domain::escalation::{escalations, team_recipient};
use myorg_domain::reminders::{Files, Kind, Message, Plan, Recipient, Settings, due_reminders, plan};
use myorg_parsers::{CalendarFile, TodoFile};
use std::path::Path;

/// The rules and the people, read from the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminders {
    pub settings: Settings,
    pub recipients: Vec<Recipient>,
    pub store_timezone: Tz,
    /// The team channel as a recipient of escalations, when there is a team (two
    /// people or more) and escalation reaches it.
    pub team: Option<Recipient>,
    /// The handles of the people who have their messages in the team channel rather
    /// than their direct messages (`deliver = "team"`).
    pub in_team_channel: Vec<String>,
}

impl Reminders {
    pub fn from_config(config: &Config) -> anyhow::Result<Reminders> {
        let store_timezone = config.store_timezone()?;
        let rules = &config.reminders;
        let default_quiet = quiet_hours(&rules.quiet_hours).context("in reminders.quiet_hours")?;
        let people = config.people()?;
        let mut recipients = Vec::new();
        let mut in_team_channel = Vec::new();
        for (person, entry) in people.iter().zip(&config.people) {
            let quiet = match &entry.quiet_hours {
                Some(text) => {
                    quiet_hours(text).with_context(|| format!("in the quiet_hours of {}", person.name))?
                }
                None => default_quiet,
            };
            let timezone = match &person.timezone {
                Some(zone) => zone.parse().unwrap_or(store_timezone),
                None => store_timezone,
            };
            let mut muted = Vec::new();
            if let Some(kinds) = &entry.reminders {
                let wanted =
                    kinds_named(kinds).with_context(|| format!("in the reminders of {}", person.name))?;
                muted = Kind::WORDS
                    .iter()
                    .map(|(_, kind)| *kind)
                    .filter(|kind| !wanted.contains(kind))
                    .collect();
            }
            match entry.deliver.as_deref().map(str::trim) {
                None | Some("dm") => {}
                Some("team") => in_team_channel.push(person.handle.clone()),
                Some(other) => bail!(
                    "the deliver of {} is {other:?}; it is `dm` or `team`",
                    person.name
                ),
            }
            recipients.push(Recipient {
                handle: person.handle.clone(),
                timezone,
                quiet,
                gets_unassigned: rules
                    .unassigned_to
                    .iter()
                    .any(|h| h.eq_ignore_ascii_case(&person.handle)),
                max_per_day: entry.max_per_day,
                muted,
            });
        }
        for handle in &rules.unassigned_to {
            if !recipients.iter().any(|r| r.handle.eq_ignore_ascii_case(handle)) {
                bail!("reminders.unassigned_to names {handle:?}, who is not one of the configured people");
            }
        }
        if recipients.is_empty() {
            recipients.push(Recipient {
                handle: config.me()?.handle,
                timezone: store_timezone,
                quiet: default_quiet,
                gets_unassigned: true,
                max_per_day: None,
                muted: Vec::new(),
            });
        } else if rules.unassigned_to.is_empty() {
            recipients[0].gets_unassigned = true;
        }
        let settings = Settings {
            deadline_days: rules.deadline_days.clone(),
            event_minutes: rules.event_minutes,
            max_per_day: rules.max_per_day,
            stale_after_days: config.waiting.stale_after_days.into(),
            nudge_after_days: config.escalation.nudge_after_days,
            team_after_days: config.escalation.team_after_days,
        };
        let team = (recipients.len() > 1 && config.escalation.team_after_days > 0)
            .then(|| team_recipient(store_timezone, default_quiet));
        Ok(Reminders {
            settings,
            recipients,
            store_timezone,
            team,
            in_team_channel,
        })
    }

    /// What to send at `now`, given the ledger, from the files under `root`.
    pub fn plan(&self, root: &Path, ledger: &Ledger, now: DateTime<Utc>) -> anyhow::Result<Plan> {
        let todo = TodoFile::parse(read(root, "todo.txt")?);
        let calendar = CalendarFile::parse(read(root, "calendar.txt")?);
        let files = Files {
            todo: &todo,
            calendar: &calendar,
        };
        let mut due = due_reminders(&files, &self.recipients, self.store_timezone, &self.settings, now);
        due.extend(escalations(
            &todo,
            &self.recipients,
            &self.settings,
            self.team.is_some(),
            ledger.sent(),
            now,
        ));
        let mut everyone = self.recipients.clone();
        everyone.extend(self.team.clone());
        Ok(plan(due, ledger.sent(), &everyone, &self.settings, now))
    }

    /// Sends what is due at `now` through `deliver`, recording each delivered message
    /// in the ledger. A message that fails is not recorded, so the next run tries it
    /// again.
    pub fn send_due(
        &self,
        root: &Path,
        ledger: &mut Ledger,
        now: DateTime<Utc>,
        deliver: &mut dyn Deliver,
    ) -> anyhow::Result<Outcome> {
        let plan = self.plan(root, ledger, now)?;
        let mut outcome = Outcome {
            held: plan.held.len(),
            ..Outcome::default()
        };
        for message in plan.messages {
            match deliver.deliver(&message) {
                Ok(()) => {
                    ledger.record(&message, now)?;
                    outcome.sent.push(message);
                }
                Err(error) => outcome.failed.push((message, format!("{error:#}"))),
            }
        }
        Ok(outcome)
    }
}

/// Carries a message to its person.
pub trait Deliver {
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()>;
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub sent: Vec<Message>,
    /// Held back by quiet hours.
    pub held: usize,
    /// Not delivered, with the error; tried again next time.
    pub failed: Vec<(Message, String)>,
}

/// The kinds of reminder `words` name (`deadline`, `overdue`, `event`, `waiting`,
/// `escalation`): an unknown word is an error naming the known ones.
pub fn kinds_named(words: &[String]) -> anyhow::Result<Vec<Kind>> {
    let mut kinds = Vec::new();
    for word in words {
        let Some(kind) = Kind::named(word) else {
            let known: Vec<&str> = Kind::WORDS.iter().map(|(name, _)| *name).collect();
            bail!("{word:?} is no kind of reminder; the kinds: {}", known.join(", "));
        };
        kinds.push(kind);
    }
    Ok(kinds)
}

/// `HH:MM-HH:MM`, or empty for none.
pub fn quiet_hours(text: &str) -> anyhow::Result<Option<(NaiveTime, NaiveTime)>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || anyhow::anyhow!("{text:?} is not a range of hours such as 22:00-07:00");
    let (start, end) = text.split_once('-').ok_or_else(bad)?;
    let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
    let (start, end) = (time(start)?, time(end)?);
    if start == end {
        return Err(bad());
    }
    Ok(Some((start, end)))
}

fn read(root: &Path, name: &str) -> anyhow::Result<Vec<u8>> {
    let path = root.join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_are_read_or_refused() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(quiet_hours("22:00-07:00").unwrap(), Some((t(22, 0), t(7, 0))));
        assert_eq!(
            quiet_hours(" 13:30 - 14:00 ").unwrap(),
            Some((t(13, 30), t(14, 0)))
        );
        assert_eq!(quiet_hours("").unwrap(), None);
        for bad in ["22-07", "25:00-07:00", "22:00", "10:00-10:00"] {
            assert!(quiet_hours(bad).is_err(), "{bad}");
        }
    }
}
