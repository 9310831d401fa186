//! Escalation of what is stuck: an open task overdue by [`Settings::nudge_after_days`]
//! days, or a waiting-for item as long past its follow-up date, is first **nudged** to
//! its owner (its `owner:`, else the people who get unassigned things). When that nudge
//! went out [`Settings::team_after_days`] days before (by the owner's calendar) and
//! the thing is still stuck, it is **told to the team** ([`TEAM`]), naming the owner,
//! the one person the message may mention. Someone who turned nudges off gets none,
//! and the team is told as late as it would have been.
//!
//! Each level is said once: the keys are `nudge:REF:DATE` (to the owner) and
//! `escalate:REF:DATE:HANDLE` (to the team), DATE being the due or follow-up date, so
//! a new date starts over. These are reminders like the others: the ledger, quiet
//! hours and the daily limit of [`crate::reminders::plan`] apply (the team's posts
//! count towards a limit of their own). A team of one has no team level.

use crate::reference::reference;
use crate::reminders::{Kind, Recipient, Reminder, Sent, Settings, TEAM, goes_to};
use chrono::{DateTime, NaiveDate, Utc};
use myorg_parsers::{Task, TodoFile};

/// Everything stuck enough at `now` to be nudged or told to the team, before the
/// ledger and the limits. `team`: there is a team to tell (two people or more).
pub fn escalations(
    todo: &TodoFile,
    recipients: &[Recipient],
    settings: &Settings,
    team: bool,
    sent: &dyn Sent,
    now: DateTime<Utc>,
) -> Vec<Reminder> {
    let mut out = Vec::new();
    if settings.nudge_after_days == 0 {
        return out;
    }
    for recipient in recipients {
        let today = recipient.local(now).date();
        for (_, task) in todo.tasks() {
            if task.is_done() || !goes_to(task.owner(), recipient, recipients) {
                continue;
            }
            let Some((since, what)) = stuck(task) else {
                continue;
            };
            let late = (today - since).num_days();
            if late < i64::from(settings.nudge_after_days) {
                continue;
            }
            let id = reference(task);
            let short = &id[..4];
            let nudge_key = format!("nudge:{id}:{since}");
            if recipient.wants(Kind::Nudge) {
                out.push(Reminder {
                    key: nudge_key.clone(),
                    to: recipient.handle.clone(),
                    kind: Kind::Nudge,
                    text: format!(
                        "stuck for {}: {} ({what} {since}) — is it still yours? Finish it, give it a new date or drop it. [{short}]",
                        days(late),
                        plain(task)
                    ),
                    order: -late,
                    about: None,
                });
            }
            if !team || settings.team_after_days == 0 {
                continue;
            }
            // Counted from the nudge; for someone who gets none, from when it would
            // have been.
            let nudged = if recipient.wants(Kind::Nudge) {
                let Some(nudged) = sent.sent_at(&recipient.handle, &nudge_key) else {
                    continue;
                };
                let on = nudged.with_timezone(&recipient.timezone).date_naive();
                if (today - on).num_days() < i64::from(settings.team_after_days) {
                    continue;
                }
                format!("nudged on {on}")
            } else {
                if late < i64::from(settings.nudge_after_days + settings.team_after_days) {
                    continue;
                }
                format!("{} gets no nudges", recipient.handle)
            };
            out.push(Reminder {
                key: format!("escalate:{id}:{since}:{}", recipient.handle),
                to: TEAM.to_string(),
                kind: Kind::Escalation,
                text: format!(
                    "stuck for {}, {}'s: {} ({what} {since}); {nudged}. Can someone help? [{short}]",
                    days(late),
                    recipient.handle,
                    plain(task)
                ),
                order: -late,
                about: Some(recipient.handle.clone()),
            });
        }
    }
    out
}

/// The recipient that stands for the team channel in [`crate::reminders::plan`]: its
/// clock, quiet hours and limit are the team's.
pub fn team_recipient(
    timezone: chrono_tz::Tz,
    quiet: Option<(chrono::NaiveTime, chrono::NaiveTime)>,
) -> Recipient {
    Recipient {
        handle: TEAM.to_string(),
        timezone,
        quiet,
        gets_unassigned: false,
        max_per_day: None,
        muted: Vec::new(),
    }
}

/// Since when `task` is stuck, and how to say it: an open waiting-for item's follow-up
/// date, else an open task's due date.
fn stuck(task: &Task) -> Option<(NaiveDate, &'static str)> {
    if task.is_waiting() {
        task.followup().map(|day| (day, "follow-up due"))
    } else {
        task.due().map(|day| (day, "overdue since"))
    }
}

/// The task's words without its `key:value` tags and `@waiting`.
fn plain(task: &Task) -> String {
    task.description()
        .split_whitespace()
        .filter(|word| {
            let tag = word.split_once(':').is_some_and(|(key, value)| {
                !key.is_empty()
                    && !value.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && !value.starts_with("//")
            });
            !tag && *word != "@waiting"
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_string()
    } else {
        format!("{count} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminders::{SentAt, SentLog, plan};
    use chrono::NaiveTime;

    const MADRID: chrono_tz::Tz = chrono_tz::Europe::Madrid;

    fn person(handle: &str, unassigned: bool) -> Recipient {
        Recipient {
            handle: handle.into(),
            timezone: MADRID,
            quiet: Some((
                NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
            )),
            gets_unassigned: unassigned,
            max_per_day: None,
            muted: Vec::new(),
        }
    }

    fn settings() -> Settings {
        Settings {
            nudge_after_days: 3,
            team_after_days: 4,
            ..Settings::default()
        }
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    const TODO: &str = "Send the invoice owner:ben due:2026-12-01\n\
                        Renew the domain due:2026-12-03\n\
                        Contract from Bob @waiting who:bob followup:2026-11-30\n\
                        x 2026-12-02 Done thing owner:ben due:2026-11-20\n";

    #[test]
    fn the_owner_is_nudged_then_the_team_told_once_each() {
        let todo = TodoFile::parse(TODO.as_bytes().to_vec());
        let people = [person("ana", true), person("ben", false)];
        let mut sent = SentLog::default();
        // 2 Dec: nothing is three days stuck yet.
        let at = utc("2026-12-02T10:00:00Z");
        assert!(escalations(&todo, &people, &settings(), true, &sent, at).is_empty());
        // 4 Dec: Ben's invoice is three days overdue, the contract four past its date.
        let at = utc("2026-12-04T10:00:00Z");
        let due = escalations(&todo, &people, &settings(), true, &sent, at);
        let said: Vec<(&str, &str)> = due.iter().map(|r| (r.to.as_str(), r.text.as_str())).collect();
        assert_eq!(said.len(), 2, "{said:#?}");
        assert!(said.iter().any(|(to, text)| *to == "ben"
            && text.starts_with("stuck for 3 days: Send the invoice (overdue since 2026-12-01)")));
        assert!(
            said.iter()
                .any(|(to, text)| *to == "ana" && text.contains("(follow-up due 2026-11-30)"))
        );
        for reminder in &due {
            sent.record(&reminder.to, &reminder.key, SentAt { at, folded: false });
        }
        // Three days later the team is not told yet; four days after the nudge it is.
        let at = utc("2026-12-07T10:00:00Z");
        let due = escalations(&todo, &people, &settings(), true, &sent, at);
        assert!(due.iter().all(|r| r.kind == Kind::Nudge), "{due:#?}");
        let at = utc("2026-12-08T10:00:00Z");
        let due = escalations(&todo, &people, &settings(), true, &sent, at);
        let team: Vec<&Reminder> = due.iter().filter(|r| r.to == TEAM).collect();
        assert_eq!(team.len(), 2, "{due:#?}");
        let invoice = team.iter().find(|r| r.about.as_deref() == Some("ben")).unwrap();
        assert!(
            invoice
                .text
                .starts_with("stuck for 7 days, ben's: Send the invoice"),
            "{}",
            invoice.text
        );
        assert!(invoice.text.contains("nudged on 2026-12-04"));
        // The plan sends each once: what was sent is not sent again.
        let mut everyone = people.to_vec();
        everyone.push(team_recipient(MADRID, None));
        let planned = plan(due, &sent, &everyone, &settings(), at);
        assert_eq!(planned.messages.iter().filter(|m| m.to == TEAM).count(), 2);
        // And the domain, five days overdue by now, is nudged for the first time.
        let nudged: Vec<&str> = planned
            .messages
            .iter()
            .filter(|m| m.to != TEAM)
            .map(|m| m.text.as_str())
            .collect();
        assert_eq!(nudged.len(), 1, "{nudged:#?}");
        assert!(nudged[0].starts_with("stuck for 5 days: Renew the domain (overdue since 2026-12-03)"));
        for message in &planned.messages {
            for key in &message.keys {
                sent.record(&message.to, key, SentAt { at, folded: false });
            }
        }
        let again = escalations(&todo, &people, &settings(), true, &sent, at);
        assert!(plan(again, &sent, &everyone, &settings(), at).messages.is_empty());
    }

    #[test]
    fn a_team_of_one_a_muted_person_and_zero_days_escalate_nothing_more() {
        let todo = TodoFile::parse(TODO.as_bytes().to_vec());
        let at = utc("2026-12-20T10:00:00Z");
        let ana = person("ana", true);
        let mut sent = SentLog::default();
        let nudges = escalations(&todo, std::slice::from_ref(&ana), &settings(), false, &sent, at);
        assert_eq!(nudges.len(), 3, "{nudges:#?}");
        for reminder in &nudges {
            sent.record(
                &reminder.to,
                &reminder.key,
                SentAt {
                    at: utc("2026-12-10T10:00:00Z"),
                    folded: false,
                },
            );
        }
        let later = escalations(&todo, std::slice::from_ref(&ana), &settings(), false, &sent, at);
        assert!(later.iter().all(|r| r.to == "ana"), "{later:#?}");
        let muted = Recipient {
            muted: vec![Kind::Nudge],
            ..ana.clone()
        };
        assert!(
            escalations(
                &todo,
                std::slice::from_ref(&muted),
                &settings(),
                false,
                &SentLog::default(),
                at
            )
            .is_empty()
        );
        // Muted, in a team: no nudge, and the team is told once it is N + M days late.
        let team = [muted, person("ben", false)];
        let told = escalations(
            &todo,
            &team,
            &settings(),
            true,
            &SentLog::default(),
            utc("2026-12-10T10:00:00Z"),
        );
        let told: Vec<&str> = told
            .iter()
            .filter(|r| r.to == TEAM)
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(told.len(), 2, "{told:#?}");
        assert!(
            told.iter().all(|text| text.contains("; ana gets no nudges.")),
            "{told:#?}"
        );
        let off = Settings {
            nudge_after_days: 0,
            ..settings()
        };
        assert!(escalations(&todo, &[ana], &off, true, &sent, at).is_empty());
    }
}
