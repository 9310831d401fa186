//! Reminders: what is due to be said to whom at an instant, and which of those to
//! send now given what was already sent (the ledger), quiet hours and a daily limit.
//!
//! Each reminder has a **key** naming the thing and the moment, so it is sent once:
//! - a deadline, at the stages 7, 3, 1 and 0 days before its `due:` date (configurable):
//!   `due:REF:DATE:STAGE`, where the stage is the smallest one not below the days left
//!   (a task due in 5 days is at stage 7, so a missed stage is caught up once, and an
//!   earlier stage that was missed is not sent late);
//! - an overdue task, once a day: `overdue:REF:TODAY`;
//! - an event, some minutes before its start (30 by default), never after it started:
//!   `event:DATE:HH:MM:TEXT`; an event in the person's quiet hours (up to the minute
//!   they end) is said before they begin instead, as many minutes before them, with
//!   when it is ("tonight at 03:15: …"), under the same key;
//! - a stale waiting-for item, once a week: `waiting:REF:YYYY-Www`.
//!
//! "Today" is each person's own (their timezone); calendar times are in the store's
//! timezone. A task with `owner:` goes to that person when configured; other tasks,
//! events and waiting-for items go to the people who get unassigned things.

use crate::reference::reference;
use crate::waiting::{Stale, WaitingFilter, waiting};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use myorg_parsers::{CalendarFile, CalendarLine, TodoFile};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// Whom a message for the whole team is to: the team channel.
pub const TEAM: &str = "@team";

/// Who reminders go to.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    /// The `owner:` handle.
    pub handle: String,
    pub timezone: Tz,
    /// No reminder between these local times (`start > end` spans midnight).
    pub quiet: Option<(NaiveTime, NaiveTime)>,
    /// Gets tasks without an owner (or with one that is no recipient), events and
    /// waiting-for items.
    pub gets_unassigned: bool,
    /// Their own daily limit, instead of [`Settings::max_per_day`].
    pub max_per_day: Option<usize>,
    /// The kinds of reminder they do not get.
    pub muted: Vec<Kind>,
}

impl Recipient {
    /// Whether they get reminders of `kind`.
    pub fn wants(&self, kind: Kind) -> bool {
        !self.muted.contains(&kind)
    }

    /// The wall-clock time of this person at `now`.
    pub fn local(&self, now: DateTime<Utc>) -> NaiveDateTime {
        now.with_timezone(&self.timezone).naive_local()
    }

    /// Whether `now` is in this person's quiet hours.
    pub fn is_quiet(&self, now: DateTime<Utc>) -> bool {
        let Some((start, end)) = self.quiet else {
            return false;
        };
        let time = self.local(now).time();
        if start <= end {
            start <= time && time < end
        } else {
            time >= start || time < end
        }
    }

    /// The quiet hours about to begin: their start and end, when they start within
    /// `lead` of `now` (and `now` is not quiet already).
    pub fn quiet_ahead(&self, now: DateTime<Utc>, lead: TimeDelta) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let (start, end) = self.quiet?;
        if self.is_quiet(now) {
            return None;
        }
        let local = self.local(now);
        let day = if local.time() < start {
            local.date()
        } else {
            local.date().succ_opt()?
        };
        let end_day = if start < end { day } else { day.succ_opt()? };
        let from = instant(self.timezone, day.and_time(start))?;
        let to = instant(self.timezone, end_day.and_time(end))?;
        (from - now <= lead).then_some((from, to))
    }
}

/// The instant a wall-clock time names in `zone`: the earlier one when the clock went
/// back, the first valid minute after a gap when it went forward.
pub fn instant(zone: Tz, at: NaiveDateTime) -> Option<DateTime<Utc>> {
    (0..=120)
        .filter_map(|minutes| at.checked_add_signed(TimeDelta::minutes(minutes)))
        .find_map(|at| zone.from_local_datetime(&at).earliest())
        .map(|local| local.with_timezone(&Utc))
}

/// The rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Days before a due date to remind at (any order).
    pub deadline_days: Vec<i64>,
    /// Minutes before an event's start.
    pub event_minutes: i64,
    /// Individual reminders per person per local day; more are folded into one
    /// summary message.
    pub max_per_day: usize,
    /// A waiting-for item without a follow-up date is stale after this many days.
    pub stale_after_days: i64,
    /// Escalation: days stuck before the owner is nudged, then days after the nudge
    /// before the team is told (0: never). See [`crate::escalation`].
    pub nudge_after_days: u32,
    pub team_after_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            deadline_days: vec![7, 3, 1, 0],
            event_minutes: 30,
            max_per_day: 10,
            stale_after_days: 7,
            nudge_after_days: 0,
            team_after_days: 0,
        }
    }
}

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Event,
    Overdue,
    Deadline,
    Waiting,
    /// Something stuck, said to its owner ([`crate::escalation`]).
    Nudge,
    /// Something stuck, told to the team, naming its owner.
    Escalation,
}

impl Kind {
    /// Every kind, by the word a person's `reminders` setting names it with (a nudge
    /// and the team's escalation are both `escalation`).
    pub const WORDS: [(&'static str, Kind); 5] = [
        ("deadline", Kind::Deadline),
        ("overdue", Kind::Overdue),
        ("event", Kind::Event),
        ("waiting", Kind::Waiting),
        ("escalation", Kind::Nudge),
    ];

    /// The kind `word` names.
    pub fn named(word: &str) -> Option<Kind> {
        Kind::WORDS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(word.trim()))
            .map(|(_, kind)| *kind)
    }
}

/// One thing to say to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// Sent once per key and person.
    pub key: String,
    /// The recipient's handle.
    pub to: String,
    pub kind: Kind,
    /// The message, one line, with the task's reference when there is one.
    pub text: String,
    /// Order within its kind: days left (overdue: most overdue first), an event's
    /// minute of the day, a waiting-for item's days overdue (most first).
    pub order: i64,
    /// The person a message to the team names (and alone may be mentioned).
    pub about: Option<String>,
}

impl fmt::Display for Reminder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.to, self.text)
    }
}

/// The store files reminders read.
pub struct Files<'a> {
    pub todo: &'a TodoFile,
    pub calendar: &'a CalendarFile,
}

/// Everything due to be said at `now` (before the ledger and limits).
pub fn due_reminders(
    files: &Files,
    recipients: &[Recipient],
    store_timezone: Tz,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Vec<Reminder> {
    let mut out = Vec::new();
    for recipient in recipients {
        deadlines(files.todo, recipient, recipients, settings, now, &mut out);
        if recipient.gets_unassigned {
            events(files.calendar, recipient, store_timezone, settings, now, &mut out);
            stale_waiting(files.todo, recipient, settings, now, &mut out);
        }
    }
    out.retain(|reminder| {
        recipients
            .iter()
            .find(|r| r.handle == reminder.to)
            .is_none_or(|r| r.wants(reminder.kind))
    });
    out
}

/// Whether a task owned by `owner` goes to `recipient`.
pub(crate) fn goes_to(owner: Option<&str>, recipient: &Recipient, recipients: &[Recipient]) -> bool {
    match owner {
        Some(owner) if recipients.iter().any(|r| r.handle.eq_ignore_ascii_case(owner)) => {
            recipient.handle.eq_ignore_ascii_case(owner)
        }
        _ => recipient.gets_unassigned,
    }
}

fn deadlines(
    todo: &TodoFile,
    recipient: &Recipient,
    recipients: &[Recipient],
    settings: &Settings,
    now: DateTime<Utc>,
    out: &mut Vec<Reminder>,
) {
    let today = recipient.local(now).date();
    let last_stage = settings.deadline_days.iter().copied().max().unwrap_or(0);
    for (_, task) in todo.tasks() {
        let Some(due) = task.due() else { continue };
        if task.is_done() || task.is_waiting() || !goes_to(task.owner(), recipient, recipients) {
            continue;
        }
        let left = (due - today).num_days();
        if left > last_stage {
            continue;
        }
        let id = reference(task);
        let what = task.description();
        let (key, text, kind) = if left < 0 {
            (
                format!("overdue:{id}:{today}"),
                format!("overdue since {due} ({}): {what} [{}]", days(-left), &id[..4]),
                Kind::Overdue,
            )
        } else {
            let Some(stage) = settings
                .deadline_days
                .iter()
                .copied()
                .filter(|s| *s >= left)
                .min()
            else {
                continue;
            };
            let when = match left {
                0 => "due today".to_string(),
                1 => "due tomorrow".to_string(),
                n => format!("due in {n} days ({due})"),
            };
            (
                format!("due:{id}:{due}:{stage}"),
                format!("{when}: {what} [{}]", &id[..4]),
                Kind::Deadline,
            )
        };
        out.push(Reminder {
            key,
            to: recipient.handle.clone(),
            kind,
            text,
            order: left,
            about: None,
        });
    }
}

fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_string()
    } else {
        format!("{count} days")
    }
}

fn events(
    calendar: &CalendarFile,
    recipient: &Recipient,
    store_timezone: Tz,
    settings: &Settings,
    now: DateTime<Utc>,
    out: &mut Vec<Reminder>,
) {
    let here = now.with_timezone(&store_timezone).naive_local();
    let lead = TimeDelta::minutes(settings.event_minutes.max(0));
    // An event in the quiet hours about to begin is said now, before them: its own
    // reminder would come in quiet hours and be held until the event had started.
    let night = recipient.quiet_ahead(now, lead);
    // Today's to the day after tomorrow's lines cover a lead of up to a day, and a
    // night ahead in another timezone.
    for date in here.date().iter_days().take(3) {
        let Some(index) = calendar.day_index(date) else {
            continue;
        };
        let Some(CalendarLine::Day(day)) = calendar.get(index) else {
            continue;
        };
        for event in day.events() {
            let Some(start) = event.start else { continue };
            let Some(time) = NaiveTime::from_hms_opt(start.hour.into(), start.minute.into(), 0) else {
                continue;
            };
            // Compared as instants, so an event in the hour a DST switch skips or
            // repeats is reminded of once, before it.
            let Some(at) = instant(store_timezone, date.and_time(time)) else {
                continue;
            };
            let text = event.text.trim();
            let said = match night {
                Some((quiet_from, quiet_to)) if quiet_from < at && at <= quiet_to => {
                    format!("{} {start}: {text}", ahead(here, date, time))
                }
                _ if now < at && at - now <= lead => format!("at {start}: {text}"),
                _ => continue,
            };
            out.push(Reminder {
                key: format!("event:{date}:{start}:{text}"),
                to: recipient.handle.clone(),
                kind: Kind::Event,
                text: said,
                order: (at - now).num_minutes(),
                about: None,
            });
        }
    }
}

/// How to say, at `here`, when an event at `time` on `date` is (both in the store's
/// timezone): "tonight at" for this evening and the small hours after midnight,
/// "at" for later today, "tomorrow at", or its date.
fn ahead(here: NaiveDateTime, date: NaiveDate, time: NaiveTime) -> String {
    match (date - here.date()).num_days() {
        0 if time.hour() >= 18 => "tonight at".to_string(),
        0 => "at".to_string(),
        1 if time.hour() < 5 => "tonight at".to_string(),
        1 => "tomorrow at".to_string(),
        _ => format!("on {date} at"),
    }
}

fn stale_waiting(
    todo: &TodoFile,
    recipient: &Recipient,
    settings: &Settings,
    now: DateTime<Utc>,
    out: &mut Vec<Reminder>,
) {
    let today = recipient.local(now).date();
    let week = today.iso_week();
    for item in waiting(todo, &WaitingFilter::default(), today, settings.stale_after_days) {
        let Some(stale) = item.stale else { continue };
        let overdue = match stale {
            Stale::FollowUpDue { since_days } => since_days,
            Stale::WaitedTooLong { days } => days - settings.stale_after_days,
        };
        let id = reference(item.task);
        out.push(Reminder {
            key: format!("waiting:{id}:{}-W{:02}", week.year(), week.week()),
            to: recipient.handle.clone(),
            kind: Kind::Waiting,
            text: format!(
                "chase {} ({stale}): {} [{}]",
                item.who.unwrap_or("someone"),
                item.task.description(),
                &id[..4]
            ),
            order: -overdue,
            about: None,
        });
    }
}

/// What was sent before: the keys per person, and when.
pub trait Sent {
    /// Whether `key` was sent to `to`.
    fn was_sent(&self, to: &str, key: &str) -> bool;
    /// How many single reminders (not summaries) `to` got on the local `day`.
    fn count_on(&self, to: &str, day: NaiveDate, timezone: Tz) -> usize;
    /// When `key` was sent to `to`, if it was.
    fn sent_at(&self, to: &str, key: &str) -> Option<DateTime<Utc>>;
}

/// One ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentAt {
    pub at: DateTime<Utc>,
    /// Sent inside a summary, so it did not count towards the daily limit.
    pub folded: bool,
}

/// An in-memory ledger: (person, key) → when sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentLog {
    sent: HashMap<(String, String), SentAt>,
}

impl SentLog {
    pub fn record(&mut self, to: &str, key: &str, sent: SentAt) {
        self.sent.insert((to.to_string(), key.to_string()), sent);
    }

    pub fn len(&self) -> usize {
        self.sent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sent.is_empty()
    }

    /// Every entry: person, key, when.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, SentAt)> {
        self.sent
            .iter()
            .map(|((to, key), sent)| (to.as_str(), key.as_str(), *sent))
    }

    /// Forgets entries sent before `before` (their moment has long passed).
    pub fn forget_before(&mut self, before: DateTime<Utc>) {
        self.sent.retain(|_, sent| sent.at >= before);
    }
}

impl Sent for SentLog {
    fn was_sent(&self, to: &str, key: &str) -> bool {
        self.sent.contains_key(&(to.to_string(), key.to_string()))
    }

    fn sent_at(&self, to: &str, key: &str) -> Option<DateTime<Utc>> {
        self.sent
            .get(&(to.to_string(), key.to_string()))
            .map(|sent| sent.at)
    }

    fn count_on(&self, to: &str, day: NaiveDate, timezone: Tz) -> usize {
        self.sent
            .iter()
            .filter(|((person, _), sent)| {
                person == to && !sent.folded && sent.at.with_timezone(&timezone).date_naive() == day
            })
            .count()
    }
}

/// One message to send: a reminder, or a summary of several folded into one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub text: String,
    /// The reminder keys this message settles (recorded once it is sent).
    pub keys: Vec<String>,
    /// A summary of reminders past the daily limit.
    pub folded: bool,
    /// The person a message to the team names (and alone may be mentioned).
    pub about: Option<String>,
}

/// What to do now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub messages: Vec<Message>,
    /// Held back by quiet hours (sent later if still due).
    pub held: Vec<Reminder>,
}

/// Which of `due` to send at `now`: not sent before, not in the person's quiet hours,
/// at most `max_per_day` single reminders a day, and the rest folded into one summary
/// message. Events come first, then overdue tasks, deadlines and waiting-for items.
pub fn plan(
    due: Vec<Reminder>,
    sent: &dyn Sent,
    recipients: &[Recipient],
    settings: &Settings,
    now: DateTime<Utc>,
) -> Plan {
    let mut by_person: BTreeMap<String, Vec<Reminder>> = BTreeMap::new();
    let mut held = Vec::new();
    for reminder in due {
        let Some(recipient) = recipients.iter().find(|r| r.handle == reminder.to) else {
            continue;
        };
        if sent.was_sent(&reminder.to, &reminder.key) {
            continue;
        }
        if recipient.is_quiet(now) {
            held.push(reminder);
            continue;
        }
        let list = by_person.entry(reminder.to.clone()).or_default();
        if !list.iter().any(|r| r.key == reminder.key) {
            list.push(reminder);
        }
    }
    let mut messages = Vec::new();
    for (to, mut list) in by_person {
        list.sort_by(|a, b| (a.kind, a.order, &a.key).cmp(&(b.kind, b.order, &b.key)));
        let Some(recipient) = recipients.iter().find(|r| r.handle == to) else {
            continue;
        };
        let today = recipient.local(now).date();
        let room = recipient
            .max_per_day
            .unwrap_or(settings.max_per_day)
            .saturating_sub(sent.count_on(&to, today, recipient.timezone));
        let folded = if list.len() > room {
            list.split_off(room)
        } else {
            Vec::new()
        };
        for reminder in list {
            messages.push(Message {
                to: to.clone(),
                text: reminder.text,
                keys: vec![reminder.key],
                folded: false,
                about: reminder.about,
            });
        }
        if !folded.is_empty() {
            let text = format!(
                "and {} more: {}",
                folded.len(),
                folded
                    .iter()
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            messages.push(Message {
                to: to.clone(),
                text,
                keys: folded.into_iter().map(|r| r.key).collect(),
                folded: true,
                about: None,
            });
        }
    }
    Plan { messages, held }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MADRID: Tz = chrono_tz::Europe::Madrid;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn ana() -> Recipient {
        Recipient {
            handle: "ana".into(),
            timezone: MADRID,
            quiet: Some((
                NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
            )),
            gets_unassigned: true,
            max_per_day: None,
            muted: Vec::new(),
        }
    }

    fn ben() -> Recipient {
        Recipient {
            handle: "ben".into(),
            timezone: chrono_tz::America::New_York,
            quiet: None,
            gets_unassigned: false,
            max_per_day: None,
            muted: Vec::new(),
        }
    }

    const TODO: &str = "\
Report due:2026-11-30
Slides owner:ben due:2026-11-24
Late thing due:2026-11-20
Far away due:2027-01-01
x 2026-11-20 Done due:2026-11-24
Chase quote @waiting who:ruiz
2026-10-01 Old quote @waiting who:ruiz
Carla's task owner:carla due:2026-11-23
";

    const CALENDAR: &str =
        "2026-11-23 w48 Mon  9:30-10 standup 14 dentist\n2026-11-24 w48 Tue  0:15 early call\n";

    fn due_at(now: &str) -> Vec<String> {
        let todo = TodoFile::parse(TODO);
        let calendar = CalendarFile::parse(CALENDAR);
        let files = Files {
            todo: &todo,
            calendar: &calendar,
        };
        let mut keys: Vec<String> =
            due_reminders(&files, &[ana(), ben()], MADRID, &Settings::default(), utc(now))
                .into_iter()
                .map(|r| format!("{} {}", r.to, r.key))
                .collect();
        keys.sort();
        keys
    }

    #[test]
    fn deadlines_stages_overdue_events_and_waiting_have_keys() {
        // 08:10 in Madrid on Monday 2026-11-23 (UTC+1).
        let keys = due_at("2026-11-23T07:10:00Z");
        let id = |text: &str| reference(&myorg_parsers::Task::parse(text));
        let mut expected = [
            format!(
                "ana due:{}:2026-11-23:0",
                id("Carla's task owner:carla due:2026-11-23")
            ),
            format!("ana due:{}:2026-11-30:7", id("Report due:2026-11-30")),
            format!("ana overdue:{}:2026-11-23", id("Late thing due:2026-11-20")),
            format!(
                "ana waiting:{}:2026-W48",
                id("2026-10-01 Old quote @waiting who:ruiz")
            ),
            format!("ben due:{}:2026-11-24:1", id("Slides owner:ben due:2026-11-24")),
        ];
        expected.sort();
        assert_eq!(keys, expected);
        // 09:05 Madrid: the standup is 25 minutes away.
        let keys = due_at("2026-11-23T08:05:00Z");
        assert!(
            keys.contains(&"ana event:2026-11-23:09:30:standup".to_string()),
            "{keys:?}"
        );
        // Not after it started, and not 31 minutes before.
        assert!(
            !due_at("2026-11-23T08:31:00Z")
                .iter()
                .any(|k| k.contains("standup"))
        );
        assert!(
            !due_at("2026-11-23T07:59:00Z")
                .iter()
                .any(|k| k.contains("standup"))
        );
        // An event early tomorrow is reminded of before midnight.
        assert!(
            due_at("2026-11-23T23:00:00Z")
                .iter()
                .any(|k| k.contains("early call"))
        );
    }

    #[test]
    fn a_missed_stage_is_caught_up_once_at_the_current_one() {
        let todo = TodoFile::parse("Report due:2026-11-30\n");
        let calendar = CalendarFile::parse("");
        let files = Files {
            todo: &todo,
            calendar: &calendar,
        };
        let stage = |now: &str| {
            due_reminders(&files, &[ana()], MADRID, &Settings::default(), utc(now))
                .first()
                .map(|r| r.key.rsplit(':').next().unwrap().to_string())
        };
        assert_eq!(stage("2026-11-22T10:00:00Z"), None, "8 days left");
        assert_eq!(stage("2026-11-23T10:00:00Z").as_deref(), Some("7"));
        assert_eq!(stage("2026-11-25T10:00:00Z").as_deref(), Some("7"), "5 days left");
        assert_eq!(stage("2026-11-27T10:00:00Z").as_deref(), Some("3"));
        assert_eq!(stage("2026-11-28T10:00:00Z").as_deref(), Some("3"));
        assert_eq!(stage("2026-11-29T10:00:00Z").as_deref(), Some("1"));
        assert_eq!(stage("2026-11-30T10:00:00Z").as_deref(), Some("0"));
        // 2026-11-29 23:30 UTC is already 2026-11-30 in Madrid.
        assert_eq!(stage("2026-11-29T23:30:00Z").as_deref(), Some("0"));
    }

    #[test]
    fn quiet_hours_span_midnight_in_the_persons_timezone() {
        let ana = ana();
        assert!(ana.is_quiet(utc("2026-11-23T21:30:00Z")), "22:30 in Madrid");
        assert!(ana.is_quiet(utc("2026-11-23T05:59:00Z")), "06:59");
        assert!(!ana.is_quiet(utc("2026-11-23T06:00:00Z")), "07:00");
        assert!(!ana.is_quiet(utc("2026-11-23T20:59:00Z")), "21:59");
        // Summer time: 22:00 in Madrid is 20:00 UTC.
        assert!(ana.is_quiet(utc("2026-07-01T20:00:00Z")));
        assert!(!ben().is_quiet(utc("2026-11-23T03:00:00Z")));
    }

    fn reminder(to: &str, key: &str, kind: Kind) -> Reminder {
        Reminder {
            key: key.into(),
            to: to.into(),
            kind,
            text: format!("about {key}"),
            order: 0,
            about: None,
        }
    }

    #[test]
    fn the_plan_skips_what_was_sent_holds_quiet_ones_and_folds_past_the_limit() {
        let settings = Settings {
            max_per_day: 3,
            ..Settings::default()
        };
        let now = utc("2026-11-23T09:00:00Z");
        let mut sent = SentLog::default();
        sent.record(
            "ana",
            "a",
            SentAt {
                at: utc("2026-11-23T08:00:00Z"),
                folded: false,
            },
        );
        sent.record(
            "ana",
            "old",
            SentAt {
                at: utc("2026-11-22T08:00:00Z"),
                folded: false,
            },
        );
        let due = vec![
            reminder("ana", "a", Kind::Deadline),
            reminder("ana", "b", Kind::Deadline),
            reminder("ana", "c", Kind::Waiting),
            reminder("ana", "d", Kind::Event),
            reminder("ana", "e", Kind::Overdue),
            reminder("ana", "e", Kind::Overdue),
            reminder("ben", "x", Kind::Deadline),
            reminder("nobody", "y", Kind::Deadline),
        ];
        let plan = plan(due, &sent, &[ana(), ben()], &settings, now);
        let shown: Vec<(String, Vec<String>, bool)> = plan
            .messages
            .iter()
            .map(|m| (m.to.clone(), m.keys.clone(), m.folded))
            .collect();
        assert_eq!(
            shown,
            [
                ("ana".to_string(), vec!["d".to_string()], false),
                ("ana".to_string(), vec!["e".to_string()], false),
                ("ana".to_string(), vec!["b".to_string(), "c".to_string()], true),
                ("ben".to_string(), vec!["x".to_string()], false),
            ]
        );
        assert_eq!(plan.messages[2].text, "and 2 more: about b; about c");
        assert!(plan.held.is_empty());

        let night = plan_at_night();
        assert_eq!(night.held.len(), 1);
        assert!(night.messages.is_empty());
    }

    fn plan_at_night() -> Plan {
        let due = vec![reminder("ana", "z", Kind::Deadline)];
        plan(
            due,
            &SentLog::default(),
            &[ana()],
            &Settings::default(),
            utc("2026-11-23T23:00:00Z"),
        )
    }

    /// Runs the reminders every 15 minutes for `hours` from `from`, as the schedule
    /// would, recording what is sent: the recipient's local time and the text.
    fn sent_over(calendar: &str, recipient: Recipient, from: &str, hours: i64) -> Vec<(String, String)> {
        let todo = TodoFile::parse("");
        let calendar = CalendarFile::parse(calendar);
        assert!(calendar.diagnostics().is_empty(), "{:?}", calendar.diagnostics());
        let files = Files {
            todo: &todo,
            calendar: &calendar,
        };
        let recipients = [recipient];
        let settings = Settings::default();
        let mut sent = SentLog::default();
        let mut out = Vec::new();
        for step in 0..hours * 4 {
            let now = utc(from) + TimeDelta::minutes(15 * step);
            let due = due_reminders(&files, &recipients, MADRID, &settings, now);
            for message in plan(due, &sent, &recipients, &settings, now).messages {
                for key in &message.keys {
                    let at = SentAt {
                        at: now,
                        folded: message.folded,
                    };
                    sent.record(&message.to, key, at);
                }
                let local = recipients[0].local(now).format("%Y-%m-%d %H:%M");
                out.push((local.to_string(), message.text));
            }
        }
        out
    }

    fn sent(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(at, text)| (at.to_string(), text.to_string()))
            .collect()
    }

    #[test]
    fn an_event_in_quiet_hours_is_reminded_of_in_the_evening_before_them() {
        // Quiet from 22:00 to 07:00 in Madrid; a day and a night, from 08:00.
        let calendar = "2026-11-23 w48 Mon  23:30 Film\n2026-11-24 w48 Tue  3:15 Night train\n";
        assert_eq!(
            sent_over(calendar, ana(), "2026-11-23T07:00:00Z", 24),
            sent(&[
                ("2026-11-23 21:30", "tonight at 23:30: Film"),
                ("2026-11-23 21:30", "tonight at 03:15: Night train"),
            ])
        );
        // Without quiet hours, each half an hour before.
        let awake = Recipient { quiet: None, ..ana() };
        assert_eq!(
            sent_over(calendar, awake, "2026-11-23T07:00:00Z", 24),
            sent(&[
                ("2026-11-23 23:00", "at 23:30: Film"),
                ("2026-11-24 02:45", "at 03:15: Night train"),
            ])
        );
    }

    #[test]
    fn an_event_in_quiet_hours_on_a_dst_night_is_reminded_of_in_the_evening_before_them() {
        // 2027-03-28: at 02:00 the clocks go to 03:00, so 02:45 never comes.
        let spring = "2027-03-27 w12 Sat\n2027-03-28 w12 Sun  2:45 Handover\n";
        assert_eq!(
            sent_over(spring, ana(), "2027-03-27T07:00:00Z", 24),
            sent(&[("2027-03-27 21:30", "tonight at 02:45: Handover")])
        );
        // Without quiet hours, before the gap: 01:30 is 30 minutes before the clocks
        // show 03:00.
        let awake = Recipient { quiet: None, ..ana() };
        assert_eq!(
            sent_over(spring, awake, "2027-03-27T07:00:00Z", 24),
            sent(&[("2027-03-28 01:30", "at 02:45: Handover")])
        );
        // 2026-10-25: at 03:00 the clocks go back to 02:00, so 02:45 comes twice.
        let autumn = "2026-10-24 w43 Sat\n2026-10-25 w43 Sun  2:45 Handover\n";
        assert_eq!(
            sent_over(autumn, ana(), "2026-10-24T06:00:00Z", 24),
            sent(&[("2026-10-24 21:30", "tonight at 02:45: Handover")])
        );
        let awake = Recipient { quiet: None, ..ana() };
        assert_eq!(
            sent_over(autumn, awake, "2026-10-24T06:00:00Z", 24),
            sent(&[("2026-10-25 02:15", "at 02:45: Handover")])
        );
    }

    #[test]
    fn an_event_just_after_quiet_hours_is_reminded_of_when_they_end() {
        let calendar = "2026-11-24 w48 Tue  7:00 Gym 7:15 Early run 11:00 Late start\n";
        assert_eq!(
            sent_over(calendar, ana(), "2026-11-23T07:00:00Z", 36),
            sent(&[
                ("2026-11-23 21:30", "tomorrow at 07:00: Gym"),
                ("2026-11-24 07:00", "at 07:15: Early run"),
                ("2026-11-24 10:30", "at 11:00: Late start"),
            ])
        );
    }

    #[test]
    fn quiet_hours_ahead_start_within_the_lead() {
        let ana = ana();
        let lead = TimeDelta::minutes(30);
        let at = |text: &str| ana.quiet_ahead(utc(text), lead);
        assert_eq!(at("2026-11-23T20:29:00Z"), None, "21:29");
        assert_eq!(
            at("2026-11-23T20:30:00Z"),
            Some((utc("2026-11-23T21:00:00Z"), utc("2026-11-24T06:00:00Z")))
        );
        assert_eq!(at("2026-11-23T21:00:00Z"), None, "quiet already");
        // A quiet hour in the afternoon, and none at all.
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let siesta = Recipient {
            quiet: Some((t(13, 30), t(14, 0))),
            ..ana.clone()
        };
        assert_eq!(
            siesta.quiet_ahead(utc("2026-11-23T12:10:00Z"), lead),
            Some((utc("2026-11-23T12:30:00Z"), utc("2026-11-23T13:00:00Z")))
        );
        assert_eq!(siesta.quiet_ahead(utc("2026-11-23T13:10:00Z"), lead), None);
        assert_eq!(ben().quiet_ahead(utc("2026-11-23T12:10:00Z"), lead), None);
    }

    #[test]
    fn folded_reminders_do_not_count_towards_the_limit() {
        let mut sent = SentLog::default();
        let at = utc("2026-11-23T09:00:00Z");
        sent.record("ana", "a", SentAt { at, folded: false });
        sent.record("ana", "b", SentAt { at, folded: true });
        assert_eq!(sent.count_on("ana", "2026-11-23".parse().unwrap(), MADRID), 1);
        assert_eq!(sent.count_on("ana", "2026-11-24".parse().unwrap(), MADRID), 0);
        sent.forget_before(utc("2026-11-24T00:00:00Z"));
        assert!(sent.is_empty());
    }
}
