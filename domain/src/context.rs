//! Where a person is, inferred: a context (`@phone`, `@errands`, `@computer`,
//! `@home`) from the calendar and the clock, with why, and the time until their next
//! event. Pure: the instant and both timezones are passed in.
//!
//! Calendar times are wall-clock times of the store's timezone, so an event is matched
//! against now read in the store's zone; work hours are the person's own, so they are
//! matched against now read in the person's zone. Both readings come from one instant,
//! which keeps them right across a change of summer time.
//!
//! The rules, in order: during a timed event whose words name one of a rule's words
//! (`call`, `phone`, `meeting` → `@phone`; `flight`, `train`, `trip`, `travel` →
//! `@errands`), that rule's context; else inside work hours, the work context
//! (`@computer`); else the other one (`@home`). An event without an end lasts
//! [`OPEN_EVENT_MINUTES`]; untimed events are no moment of the day and match nothing.

use crate::calendar::{DatedEvent, events_between};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use myorg_parsers::CalendarFile;
use myorg_parsers::calendar::Time;
use std::fmt;

/// How long an event written with a start and no end is taken to last.
pub const OPEN_EVENT_MINUTES: i64 = 30;

/// The contexts a team uses when none are configured.
pub const DEFAULT_CONTEXTS: [&str; 4] = ["@phone", "@errands", "@computer", "@home"];

/// A team's contexts, as configured and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The contexts the team uses, `@` and one word each.
    pub known: Vec<String>,
    pub rules: Rules,
    /// How long a context a person sets holds.
    pub expiry: Expiry,
}

/// One rule: during an event naming one of `words`, the context is `context`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub context: String,
    /// Lower-case words; an event's word matches one as it is or with a plural `s`.
    pub words: Vec<String>,
}

/// Everything inference decides from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// Tried in order, first match wins.
    pub events: Vec<Rule>,
    /// Inside work hours.
    pub at_work: String,
    /// Outside them.
    pub off_work: String,
    pub work_hours: WorkHours,
}

impl Default for Rules {
    fn default() -> Rules {
        let rule = |context: &str, words: &[&str]| Rule {
            context: context.to_string(),
            words: words.iter().map(|w| w.to_string()).collect(),
        };
        Rules {
            events: vec![
                rule("@phone", &["call", "phone", "meeting"]),
                rule("@errands", &["flight", "train", "trip", "travel"]),
            ],
            at_work: "@computer".to_string(),
            off_work: "@home".to_string(),
            work_hours: WorkHours::default(),
        }
    }
}

/// When the evening starts on a day off, for [`WorkHours::is_late`].
pub const EVENING: NaiveTime = match NaiveTime::from_hms_opt(18, 0, 0) {
    Some(time) => time,
    None => NaiveTime::MIN,
};

/// The days and the hours of a working week, e.g. `Mon-Fri 09:00-18:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkHours {
    /// Monday first.
    days: [bool; 7],
    start: NaiveTime,
    /// Exclusive; `None`: midnight at the end of the day.
    end: Option<NaiveTime>,
}

impl Default for WorkHours {
    fn default() -> WorkHours {
        WorkHours {
            days: [true, true, true, true, true, false, false],
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(18, 0, 0),
        }
    }
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// What is wrong with a setting, in words a person can act on.
pub use crate::fields::Invalid;

impl WorkHours {
    /// Reads `DAYS HH:MM-HH:MM`: days as `Mon-Fri`, `Mon,Wed,Fri` or `Sat`, hours on
    /// the 24-hour clock with the end after the start (`24:00` ends at midnight).
    pub fn parse(text: &str) -> Result<WorkHours, Invalid> {
        let bad = |why: &str| {
            Invalid(format!(
                "work hours {text:?}: {why}; write days and hours such as \"Mon-Fri 09:00-18:00\""
            ))
        };
        let mut parts = text.split_whitespace();
        let (Some(days_text), Some(hours), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad("expected days and hours"));
        };
        let mut days = [false; 7];
        for piece in days_text.split(',') {
            let day = |name: &str| {
                WEEKDAYS
                    .iter()
                    .position(|d| name.to_lowercase().starts_with(d) && name.len() >= 3)
                    .ok_or_else(|| bad(&format!("{name:?} is not a weekday")))
            };
            match piece.split_once('-') {
                Some((from, to)) => {
                    let (from, to) = (day(from)?, day(to)?);
                    let mut at = from;
                    loop {
                        days[at] = true;
                        if at == to {
                            break;
                        }
                        at = (at + 1) % 7;
                    }
                }
                None => days[day(piece)?] = true,
            }
        }
        let (start, end) = hours
            .split_once('-')
            .ok_or_else(|| bad("expected hours as HH:MM-HH:MM"))?;
        let time = |text: &str| NaiveTime::parse_from_str(text, "%H:%M").ok();
        let start = time(start).ok_or_else(|| bad(&format!("{start:?} is not a time")))?;
        let end = match end {
            "24:00" => None,
            end => Some(time(end).ok_or_else(|| bad(&format!("{end:?} is not a time")))?),
        };
        if end.is_some_and(|end| end <= start) {
            return Err(bad("the end must be after the start"));
        }
        Ok(WorkHours { days, start, end })
    }

    /// When they start on `date`, if it is one of their days.
    pub fn start_on(&self, date: NaiveDate) -> Option<NaiveDateTime> {
        let weekday = date.weekday().num_days_from_monday() as usize;
        self.days[weekday].then(|| date.and_time(self.start))
    }

    /// Whether the wall-clock time `at` is late in the person's day: past the end of
    /// their hours on one of their days, or from 18:00 ([`EVENING`]) on a day off.
    pub fn is_late(&self, at: NaiveDateTime) -> bool {
        let weekday = at.weekday().num_days_from_monday() as usize;
        match (self.days[weekday], self.end) {
            (true, Some(end)) => at.time() >= end,
            (true, None) => false,
            (false, _) => at.time() >= EVENING,
        }
    }

    /// Whether the wall-clock time `at` is inside them.
    pub fn contains(&self, at: NaiveDateTime) -> bool {
        let weekday = at.weekday().num_days_from_monday() as usize;
        self.days[weekday] && at.time() >= self.start && self.end.is_none_or(|end| at.time() < end)
    }
}

impl fmt::Display for WorkHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let on: Vec<&str> = (0..7).filter(|&d| self.days[d]).map(|d| names[d]).collect();
        let first = (0..7).find(|&d| self.days[d]).unwrap_or(0);
        let last = (0..7).rev().find(|&d| self.days[d]).unwrap_or(0);
        let days = if on.len() > 2 && on.len() == last - first + 1 {
            format!("{}-{}", names[first], names[last])
        } else {
            on.join(",")
        };
        let end = self
            .end
            .map_or("24:00".to_string(), |end| end.format("%H:%M").to_string());
        write!(f, "{days} {}-{end}", self.start.format("%H:%M"))
    }
}

/// How long a context a person sets holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expiry {
    /// Until midnight in the person's timezone.
    #[default]
    EndOfDay,
    /// For this long.
    After(Duration),
}

impl Expiry {
    /// Reads `end of day` or a duration in hours or minutes (`4h`, `90m`).
    pub fn parse(text: &str) -> Result<Expiry, Invalid> {
        let text = text.trim().to_lowercase();
        if text == "end of day" {
            return Ok(Expiry::EndOfDay);
        }
        let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
        let number: i64 = number.parse().unwrap_or(0);
        let minutes = match unit.trim() {
            "h" | "hour" | "hours" => number * 60,
            "m" | "min" | "minutes" => number,
            _ => 0,
        };
        if minutes <= 0 || minutes > 7 * 24 * 60 {
            return Err(Invalid(format!(
                "{text:?} is not how long a set context holds; write \"end of day\" or hours or minutes up to \
                 a week, such as \"4h\" or \"90m\""
            )));
        }
        Ok(Expiry::After(Duration::minutes(minutes)))
    }

    /// When a context set at `now` by a person in `zone` stops holding.
    pub fn from(self, zone: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Expiry::After(length) => now + length,
            Expiry::EndOfDay => {
                let next = now.with_timezone(&zone).date_naive() + Duration::days(1);
                instant(zone, next.and_time(NaiveTime::MIN))
            }
        }
    }
}

/// The zones now is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zones {
    /// The calendar's.
    pub store: Tz,
    /// The person's own (their work hours).
    pub person: Tz,
}

/// An inferred context and why, in words a person reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred {
    pub context: String,
    /// `"call with the bank" 10:00–10:30`, `work hours`, `outside work hours`.
    pub why: String,
}

impl Inferred {
    /// `@phone — "call with the bank" 10:00–10:30`.
    pub fn said(&self) -> String {
        format!("{} — {}", self.context, self.why)
    }
}

/// The context of a person at `now`, from `calendar` and `rules`.
pub fn infer_context(zones: Zones, now: DateTime<Utc>, calendar: &CalendarFile, rules: &Rules) -> Inferred {
    let here = now.with_timezone(&zones.store).naive_local();
    let events = events_between(calendar, here.date(), here.date());
    for rule in &rules.events {
        let during = events.iter().find(|event| {
            let (Some(start), Some(end)) = (at(event, event.start), ends(event)) else {
                return false;
            };
            start <= here && here < end && names_one(&event.text, &rule.words)
        });
        if let Some(event) = during {
            return Inferred {
                context: rule.context.clone(),
                why: format!("\"{}\" {}", event.text, span(event)),
            };
        }
    }
    let theirs = now.with_timezone(&zones.person).naive_local();
    if rules.work_hours.contains(theirs) {
        Inferred {
            context: rules.at_work.clone(),
            why: "work hours".to_string(),
        }
    } else {
        Inferred {
            context: rules.off_work.clone(),
            why: "outside work hours".to_string(),
        }
    }
}

/// The moment a person starts `date` (a day of their own timezone `person`): their
/// morning briefing's time `morning`, or on one of their work days the start of their
/// work hours when that comes later. The context then is the day's first, the one
/// the morning briefing suggests for (before work on a work day is not where the
/// day's work happens).
pub fn day_start(person: Tz, date: NaiveDate, morning: NaiveTime, hours: &WorkHours) -> DateTime<Utc> {
    let briefing = date.and_time(morning);
    let start = hours.start_on(date).map_or(briefing, |work| work.max(briefing));
    instant(person, start)
}

/// The next event of the day that starts after now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    pub minutes: u32,
    pub text: String,
}

impl Next {
    /// `45 minutes until standup`.
    pub fn said(&self) -> String {
        let unit = if self.minutes == 1 { "minute" } else { "minutes" };
        format!("{} {unit} until {}", self.minutes, self.text)
    }
}

/// The first timed event of the store's day of `now` that starts after it, and the
/// whole minutes until it (real minutes, across a change of summer time).
pub fn next_event(store: Tz, now: DateTime<Utc>, calendar: &CalendarFile) -> Option<Next> {
    let here = now.with_timezone(&store).naive_local();
    events_between(calendar, here.date(), here.date())
        .into_iter()
        .filter_map(|event| at(&event, event.start).map(|start| (start, event)))
        .filter(|(start, _)| *start > here)
        .min_by_key(|(start, _)| *start)
        .map(|(start, event)| Next {
            minutes: u32::try_from((instant(store, start) - now).num_minutes()).unwrap_or(0),
            text: event.text,
        })
}

/// The instant of the wall-clock time `local` in `zone`: the earlier of an hour told
/// twice, and for an hour skipped, the same wall time an hour later.
pub fn instant(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(local + Duration::hours(1))).earliest())
        .map_or_else(|| Utc.from_utc_datetime(&local), |at| at.with_timezone(&Utc))
}

/// `context` as one of `known` (`phone` and `@Phone` name `@phone`).
pub fn known_context<'a>(context: &str, known: &'a [String]) -> Option<&'a str> {
    let bare = context.trim().trim_start_matches('@');
    known
        .iter()
        .find(|k| !bare.is_empty() && k.trim_start_matches('@').eq_ignore_ascii_case(bare))
        .map(String::as_str)
}

/// Whether `text` holds one of `words` (case-insensitive, a plural `s` allowed).
fn names_one(text: &str, words: &[String]) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .any(|word| {
            words
                .iter()
                .any(|w| word == *w || word.strip_suffix('s') == Some(w.as_str()))
        })
}

/// `10:00–10:30`, or `10:00` for an event without an end.
fn span(event: &DatedEvent) -> String {
    match (event.start, event.end) {
        (Some(start), Some(end)) => format!("{start}–{end}"),
        (Some(start), None) => start.to_string(),
        _ => String::new(),
    }
}

fn at(event: &DatedEvent, time: Option<Time>) -> Option<NaiveDateTime> {
    let time = time?;
    let midnight = event.date.and_time(NaiveTime::MIN);
    Some(midnight + Duration::minutes(i64::from(time.hour) * 60 + i64::from(time.minute)))
}

fn ends(event: &DatedEvent) -> Option<NaiveDateTime> {
    at(event, event.end)
        .or_else(|| at(event, event.start).map(|start| start + Duration::minutes(OPEN_EVENT_MINUTES)))
}

#[cfg(test)]
#[path = "context/tests.rs"]
mod tests;
