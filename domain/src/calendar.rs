//! The calendar: adding an event to calendar.txt, the events of a range of days, the
//! goal of a week, and what `today` and `agenda` show (events with the tasks due).
//!
//! Times are wall-clock times in the store's timezone, as calendar.txt writes them:
//! nothing here converts them, so an event at 2:30 on the night summer time starts
//! stays at 2:30.
//!
//! An event is written into its day's content as `TIME TEXT` (`14:30-15 dentist`),
//! before the first event that starts later, so the day stays in time order; an
//! event without a time joins the text before the first time (calendar.txt's untimed
//! part), after what is there, separated by a comma. A missing day line is inserted
//! at its sorted place with a correct header. Every other line, and every other byte
//! of the day's content, stays as it was; the day's own header is written in canonical
//! form (a wrong week number or weekday corrected).
//!
//! Requests in words (`tomorrow 14:30-15 dentist`, `dec 5 10 haircut`, `fri lunch
//! with Marta`) are read by [`parse_event`]: the longest run of up to four words that
//! the date language accepts, then an optional time, then the text.

mod range;

pub use range::{RangeError, days_between};

use crate::search::{self, Filter};
use crate::when::{WhenError, parse_when};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use myorg_parsers::calendar::events::time_token;
use myorg_parsers::calendar::header::weekday_name;
use myorg_parsers::calendar::{DayLine, Event, Time};
use myorg_parsers::{CalendarFile, CalendarLine, Task, TodoFile};
use std::collections::BTreeMap;
use std::fmt;

/// Why an event cannot be added; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventError {
    /// Nothing was said.
    Nothing,
    /// The day is not one (a form the date language does not know, or a day that
    /// does not exist).
    When(WhenError),
    /// A time-shaped word that is not a time (`25:00`, `10:60`, `9am`).
    BadTime(String),
    /// `24:00` given as a start.
    StartsAtMidnightEnd(String),
    /// An end without a start.
    EndWithoutStart,
    /// The end is not after the start.
    EndNotAfterStart { start: Time, end: Time },
    /// No text.
    EmptyText,
    /// The text holds a line break.
    LineBreak,
    /// A word of the text that calendar.txt would read as the start of another event.
    TimeInText(String),
    /// The time given on its own is not shaped like one (`noon`).
    NotATime(String),
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::Nothing => f.write_str("say when and what, e.g. \"tomorrow 14:30-15 dentist\""),
            EventError::When(error) => error.fmt(f),
            EventError::BadTime(word) => write!(
                f,
                "\"{word}\" is not a time: write H, HH, H:MM or HH:MM on the 24-hour clock, from 0:00 to \
                 23:59, optionally with an end (14:30, 9-10:30, 22-24)"
            ),
            EventError::StartsAtMidnightEnd(word) => write!(
                f,
                "\"{word}\" starts at 24:00, which only ends an event; an event at midnight starts at 0:00 \
                 of the next day"
            ),
            EventError::EndWithoutStart => f.write_str("an end time needs a start time"),
            EventError::EndNotAfterStart { start, end } => write!(
                f,
                "the event would end at {end}, not after it starts at {start}; write the start first, e.g. \
                 {}-{}",
                short_time(*end),
                short_time(*start)
            ),
            EventError::EmptyText => f.write_str(
                "the event needs some text after its day and time, e.g. \"tomorrow 14:30 dentist\"",
            ),
            EventError::LineBreak => f.write_str("the event's text must be on one line"),
            EventError::TimeInText(word) => write!(
                f,
                "\"{word}\" in the text would start another event in calendar.txt (a number or time starts \
                 one); add one event at a time, or write it another way (\"five\", \"5pm\")"
            ),
            EventError::NotATime(time) => write!(f, "{time:?} is not a time (HH:MM or HH:MM-HH:MM)"),
        }
    }
}

impl std::error::Error for EventError {}

impl From<WhenError> for EventError {
    fn from(error: WhenError) -> Self {
        EventError::When(error)
    }
}

/// An event to add: checked, so that writing it cannot fail or be misread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    date: NaiveDate,
    start: Option<Time>,
    end: Option<Time>,
    text: String,
}

impl NewEvent {
    /// An event on `date`, from `start` to `end`, that says `text` (trimmed). The
    /// start is 0:00 to 23:59, the end after it and at most 24:00; the text is one
    /// line, not empty, with no word that calendar.txt would read as a time.
    pub fn new(
        date: NaiveDate,
        start: Option<Time>,
        end: Option<Time>,
        text: &str,
    ) -> Result<NewEvent, EventError> {
        match (start, end) {
            (None, Some(_)) => return Err(EventError::EndWithoutStart),
            (Some(start), _) if start.hour == 24 && start.minute == 0 => {
                return Err(EventError::StartsAtMidnightEnd(start.to_string()));
            }
            (Some(start), _) if !starts(start) => return Err(EventError::BadTime(start.to_string())),
            (Some(start), Some(end)) => {
                if !ends(end) {
                    return Err(EventError::BadTime(end.to_string()));
                }
                if end <= start {
                    return Err(EventError::EndNotAfterStart { start, end });
                }
            }
            _ => {}
        }
        if text.contains(['\n', '\r']) {
            return Err(EventError::LineBreak);
        }
        let text = trim(text);
        if text.is_empty() {
            return Err(EventError::EmptyText);
        }
        if let Some((_, word)) = words(text).find(|(_, word)| time_token(word).is_some()) {
            return Err(EventError::TimeInText(word.to_string()));
        }
        Ok(NewEvent {
            date,
            start,
            end,
            text: text.to_string(),
        })
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    pub fn start(&self) -> Option<Time> {
        self.start
    }

    pub fn end(&self) -> Option<Time> {
        self.end
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The time as calendar.txt writes it (`14:30-15`), if the event has one.
    pub fn time(&self) -> Option<String> {
        self.start.map(|start| match self.end {
            Some(end) => format!("{}-{}", short_time(start), short_time(end)),
            None => short_time(start),
        })
    }

    /// What goes into the day's content: `14:30-15 dentist`, or the text alone.
    pub fn content(&self) -> String {
        match self.time() {
            Some(time) => format!("{time} {}", self.text),
            None => self.text.clone(),
        }
    }
}

/// `2026-11-24 14:30-15 dentist`.
impl fmt::Display for NewEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.content())
    }
}

/// `9`, `9:30`, `24`: the shortest form calendar.txt reads as that time.
pub fn short_time(time: Time) -> String {
    if time.minute == 0 {
        time.hour.to_string()
    } else {
        format!("{}:{:02}", time.hour, time.minute)
    }
}

fn starts(time: Time) -> bool {
    time.hour <= 23 && time.minute <= 59
}

fn ends(time: Time) -> bool {
    starts(time) || (time.hour == 24 && time.minute == 0)
}

/// Adds `event` to `calendar` and returns the index of its day line. The day line
/// is created when missing; the event goes before the first event of the day that
/// starts later (after those at the same time), or at the end of the untimed part
/// when it has no time.
pub fn add_event(calendar: &mut CalendarFile, event: &NewEvent) -> usize {
    let index = calendar.ensure_day(event.date);
    let Some(CalendarLine::Day(day)) = calendar.get(index) else {
        // ensure_day returns a day line's index; nothing else can be there.
        return index;
    };
    let content = insert_into_content(&day.text, event);
    let mut day: DayLine = day.clone();
    day.text = content;
    calendar.replace(index, CalendarLine::Day(day));
    index
}

/// A day's content with `event` written at its place.
fn insert_into_content(content: &str, event: &NewEvent) -> String {
    let times: Vec<(usize, Time)> = words(content)
        .filter_map(|(offset, word)| time_token(word).map(|(start, _)| (offset, start)))
        .collect();
    let new = event.content();
    let at = match event.start {
        Some(start) => times
            .iter()
            .find(|(_, other)| *other > start)
            .map(|(offset, _)| *offset),
        None => {
            let untimed_end = times.first().map_or(content.len(), |(offset, _)| *offset);
            let untimed = content[..untimed_end].trim_end_matches([' ', '\t', '\r']);
            if trim(untimed).is_empty() {
                Some(0)
            } else {
                let end = untimed.len();
                return format!("{}, {new}{}", &content[..end], &content[end..]);
            }
        }
    };
    match at {
        Some(offset) if offset < content.len() => {
            format!("{}{new} {}", &content[..offset], &content[offset..])
        }
        _ if trim(content).is_empty() => new,
        _ => format!("{content} {new}"),
    }
}

/// One event of the calendar, with its day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedEvent {
    pub date: NaiveDate,
    pub start: Option<Time>,
    pub end: Option<Time>,
    pub text: String,
    /// The 0-based index of its day line.
    pub line: usize,
}

impl DatedEvent {
    fn of(date: NaiveDate, line: usize, event: Event) -> DatedEvent {
        DatedEvent {
            date,
            start: event.start,
            end: event.end,
            text: event.text,
            line,
        }
    }

    /// `09:30-10:00`, `14:00`, or empty for an untimed event.
    pub fn time(&self) -> String {
        match (self.start, self.end) {
            (Some(start), Some(end)) => format!("{start}-{end}"),
            (Some(start), None) => start.to_string(),
            _ => String::new(),
        }
    }
}

/// The events from `from` to `to` inclusive, by day, then untimed ones first and the
/// others by start time (equal times in the order written).
pub fn events_between(calendar: &CalendarFile, from: NaiveDate, to: NaiveDate) -> Vec<DatedEvent> {
    let mut found: Vec<DatedEvent> = calendar
        .items()
        .filter_map(|(index, line)| match line {
            CalendarLine::Day(day) => day.date().map(|date| (index, date, day)),
            _ => None,
        })
        .filter(|(_, date, _)| (from..=to).contains(date))
        .flat_map(|(index, date, day)| {
            day.events()
                .into_iter()
                .map(move |event| DatedEvent::of(date, index, event))
        })
        .collect();
    // Stable: a hand-written file out of order still comes out in order.
    found.sort_by_key(|event| (event.date, event.start.is_some(), event.start));
    found
}

/// The goal of the week that holds `date` (the week-goal line of its Monday).
pub fn week_goal(calendar: &CalendarFile, date: NaiveDate) -> Option<&str> {
    // None in the calendar's first week, cut short: no Monday to hold a goal.
    let monday = date.week(Weekday::Mon).checked_first_day()?;
    calendar.items().find_map(|(_, line)| match line {
        CalendarLine::WeekGoal(goal) if goal.date() == Some(monday) && !goal.text.is_empty() => {
            Some(goal.text.as_str())
        }
        _ => None,
    })
}

/// The text of the month line of `date`'s month.
pub fn month_note(calendar: &CalendarFile, date: NaiveDate) -> Option<&str> {
    calendar.items().find_map(|(_, line)| match line {
        CalendarLine::Month(month)
            if month.year == date.year() && month.month == date.month() && !month.text.is_empty() =>
        {
            Some(month.text.as_str())
        }
        _ => None,
    })
}

/// The text of the year line of `date`'s year.
pub fn year_note(calendar: &CalendarFile, date: NaiveDate) -> Option<&str> {
    calendar.items().find_map(|(_, line)| match line {
        CalendarLine::Year(year) if year.year == date.year() && !year.text.is_empty() => {
            Some(year.text.as_str())
        }
        _ => None,
    })
}

/// A task of todo.txt and its 0-based line index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskLine<'a> {
    pub index: usize,
    pub task: &'a Task,
}

/// One day of the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaDay<'a> {
    pub date: NaiveDate,
    /// In time order, untimed first.
    pub events: Vec<DatedEvent>,
    /// Open tasks due that day, most urgent first.
    pub due: Vec<TaskLine<'a>>,
}

impl AgendaDay<'_> {
    /// `Mon`.
    pub fn weekday(&self) -> &'static str {
        weekday_name(self.date.weekday())
    }

    /// Neither events nor tasks due.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.due.is_empty()
    }
}

/// The `days` days from `from` (every one, empty or not; fewer at the end of the
/// calendar): each with its events and the open tasks due then. A task hidden by
/// `h:1` is left out; one hidden by a threshold shows on the days it is visible.
pub fn agenda<'a>(
    calendar: &CalendarFile,
    todo: &'a TodoFile,
    from: NaiveDate,
    days: u32,
) -> Vec<AgendaDay<'a>> {
    let Some(last) = days.checked_sub(1) else {
        return Vec::new();
    };
    let to = from
        .checked_add_days(Days::new(last.into()))
        .unwrap_or(NaiveDate::MAX);
    let mut events: BTreeMap<NaiveDate, Vec<DatedEvent>> = BTreeMap::new();
    for event in events_between(calendar, from, to) {
        events.entry(event.date).or_default().push(event);
    }
    let mut due: BTreeMap<NaiveDate, Vec<TaskLine<'a>>> = BTreeMap::new();
    for (index, task) in todo.tasks() {
        if let Some(date) = task.due()
            && (from..=to).contains(&date)
            && Filter::default().matches(task, "", date)
        {
            due.entry(date).or_default().push(TaskLine { index, task });
        }
    }
    std::iter::successors(Some(from), |date| date.succ_opt())
        .take_while(|date| *date <= to)
        .map(|date| {
            let mut due = due.remove(&date).unwrap_or_default();
            // Stable: equal scores keep the file's order.
            due.sort_by(|a, b| search::urgency(b.task, date).total_cmp(&search::urgency(a.task, date)));
            AgendaDay {
                date,
                events: events.remove(&date).unwrap_or_default(),
                due,
            }
        })
        .collect()
}

/// What `today` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Today<'a> {
    /// Today's events and the tasks due today.
    pub day: AgendaDay<'a>,
    /// The goal of this week, the note of this month and year (calendar.txt's week,
    /// month and year lines).
    pub week_goal: Option<String>,
    pub month_note: Option<String>,
    pub year_note: Option<String>,
    /// Open, visible tasks past their due date, most urgent first.
    pub overdue: Vec<TaskLine<'a>>,
}

/// Today's events, goal and tasks.
pub fn today<'a>(calendar: &CalendarFile, todo: &'a TodoFile, today: NaiveDate) -> Today<'a> {
    let day = agenda(calendar, todo, today, 1).pop().unwrap_or(AgendaDay {
        date: today,
        events: Vec::new(),
        due: Vec::new(),
    });
    let filter = Filter {
        overdue: true,
        ..Filter::default()
    };
    let overdue = search::search(todo, &filter, today)
        .into_iter()
        .map(|found| TaskLine {
            index: found.index,
            task: found.task,
        })
        .collect();
    Today {
        day,
        week_goal: week_goal(calendar, today).map(str::to_string),
        month_note: month_note(calendar, today).map(str::to_string),
        year_note: year_note(calendar, today).map(str::to_string),
        overdue,
    }
}

/// Reads `WHEN [TIME] TEXT`: the longest run of up to four words that names a day
/// (`tomorrow`, `dec 5`, `in 2 weeks`, `2026-12-01`), then an optional time (`14`,
/// `9:30`, `14:30-15`, `14:30-15:00`), then the text.
///
/// A last word of the day that is also a time (`dec 5 10`, which the date language
/// reads as 5 December of the year 10) is taken as the time when the words before it
/// already name a day.
pub fn parse_event(text: &str, today: NaiveDate) -> Result<NewEvent, EventError> {
    let all: Vec<(usize, &str)> = words(text).collect();
    let Some(&(_, first)) = all.first() else {
        return Err(EventError::Nothing);
    };
    // The day each run of 1 to 4 words names, or why it does not.
    let runs: Vec<Result<NaiveDate, WhenError>> = (1..=all.len().min(4))
        .map(|count| {
            let phrase: Vec<&str> = all[..count].iter().map(|(_, word)| *word).collect();
            parse_when(&phrase.join(" "), today)
        })
        .collect();
    // A run the date language took as a day, even one that does not exist.
    let names_a_day = |count: usize| {
        count >= 1
            && runs
                .get(count - 1)
                .is_some_and(|run| !matches!(run, Err(WhenError::Unknown(_))))
    };
    let Some(mut count) = (1..=runs.len()).rev().find(|&count| names_a_day(count)) else {
        // No run names a day, the first word alone included: say why it does not.
        return Err(match parse_when(first, today) {
            Err(error) => error.into(),
            Ok(_) => EventError::Nothing,
        });
    };
    if count > 1 && looks_like_time(all[count - 1].1) && names_a_day(count - 1) {
        count -= 1;
    }
    let date = match &runs[count - 1] {
        Ok(date) => *date,
        Err(error) => return Err(error.clone().into()),
    };
    let rest = all.get(count).map_or("", |&(offset, _)| &text[offset..]);
    parse_event_on(date, rest)
}

/// Reads `[TIME] TEXT` for an event on `date`.
pub fn parse_event_on(date: NaiveDate, text: &str) -> Result<NewEvent, EventError> {
    let mut rest = words(text);
    let (start, end, text) = match rest.next() {
        Some((offset, word)) => match parse_times(word)? {
            Some((start, end)) => (Some(start), end, &text[offset + word.len()..]),
            None => (None, None, text),
        },
        None => (None, None, text),
    };
    NewEvent::new(date, start, end, text)
}

/// An event on `date` at `time` (`HH:MM` or `HH:MM-HH:MM`; none or blank for all
/// day) that says `text`: the parts a form or a tool's arguments give separately.
pub fn event_at(date: NaiveDate, time: Option<&str>, text: &str) -> Result<NewEvent, EventError> {
    let (start, end) = match time.map(str::trim).filter(|time| !time.is_empty()) {
        None => (None, None),
        Some(time) => match parse_times(time)? {
            Some((start, end)) => (Some(start), end),
            None => return Err(EventError::NotATime(time.to_string())),
        },
    };
    NewEvent::new(date, start, end, text)
}

/// The words of a command line: when the first is several words (quoted, like
/// `"dec 5"`) that name a day, it is the whole day and the rest is `[TIME] TEXT`;
/// otherwise the words are read together by [`parse_event`].
pub fn parse_event_words<S: AsRef<str>>(words: &[S], today: NaiveDate) -> Result<NewEvent, EventError> {
    let rest = |from: usize| {
        words
            .iter()
            .skip(from)
            .map(AsRef::as_ref)
            .collect::<Vec<&str>>()
            .join(" ")
    };
    match words.first().map(AsRef::as_ref) {
        Some(first) if trim(first).contains([' ', '\t']) => match parse_when(first, today) {
            Ok(date) => parse_event_on(date, &rest(1)),
            // Not a form of the date language: maybe the whole request in one word.
            Err(WhenError::Unknown(_)) => parse_event(&rest(0), today),
            Err(error) => Err(error.into()),
        },
        _ => parse_event(&rest(0), today),
    }
}

/// A time or a time range in a word: `None` when the word does not look like one
/// (`lunch`, `2026`), an error when it looks like one but is not (`25:00`, `9am`,
/// `16-15`).
pub fn parse_times(word: &str) -> Result<Option<(Time, Option<Time>)>, EventError> {
    if !looks_like_time(word) {
        return Ok(None);
    }
    let bad = || EventError::BadTime(word.to_string());
    let (start, end) = match word.split_once('-') {
        Some((start, end)) => (clock(start).ok_or_else(bad)?, Some(clock(end).ok_or_else(bad)?)),
        None => (clock(word).ok_or_else(bad)?, None),
    };
    if start.hour == 24 && start.minute == 0 {
        return Err(EventError::StartsAtMidnightEnd(word.to_string()));
    }
    if !starts(start) || end.is_some_and(|end| !ends(end)) {
        return Err(bad());
    }
    Ok(Some((start, end)))
}

/// One time of day, `H`, `HH`, `H:MM` or `HH:MM` (any numbers; checked by the
/// caller).
pub fn clock(text: &str) -> Option<Time> {
    let (hour, minute) = match text.split_once(':') {
        Some((hour, minute)) => (hour, Some(minute)),
        None => (text, None),
    };
    let digits = |part: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(hour, 1..=2) || minute.is_some_and(|minute| !digits(minute, 2..=2)) {
        return None;
    }
    Some(Time {
        hour: hour.parse().ok()?,
        minute: minute.map_or(Some(0), |minute| minute.parse().ok())?,
    })
}

/// Digits, colons, a dash and am/pm, starting with a digit and no longer than a time
/// range can be: a word meant as a time, right or wrong.
fn looks_like_time(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let bare = lower.replace("am", "").replace("pm", "");
    word.len() <= 13
        && word.starts_with(|c: char| c.is_ascii_digit())
        && !bare.is_empty()
        && bare.bytes().all(|b| b.is_ascii_digit() || b == b':' || b == b'-')
        && bare.split(['-', ':']).all(|part| (1..=2).contains(&part.len()))
}

/// The words of `text` (split on space, TAB and CR, as calendar.txt does) with
/// their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let separator = |c: char| matches!(c, ' ' | '\t' | '\r');
    text.split(separator)
        .scan(0, |offset, word| {
            let at = *offset;
            *offset += word.len() + 1;
            Some((at, word))
        })
        .filter(|(_, word)| !word.is_empty())
}

fn trim(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// Monday 2026-11-23, the day the examples are written on.
    fn monday() -> NaiveDate {
        day("2026-11-23")
    }

    fn event(date: &str, time: &str, text: &str) -> NewEvent {
        let (start, end) = parse_times(time)
            .unwrap()
            .map_or((None, None), |(s, e)| (Some(s), e));
        NewEvent::new(day(date), start, end, text).unwrap()
    }

    /// (file before, the event as `DATE|TIME|TEXT`, file after).
    fn check_add(cases: &[(&str, &str, &str)]) {
        for &(before, wanted, after) in cases {
            let mut parts = wanted.splitn(3, '|');
            let (date, time, text) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            let mut calendar = CalendarFile::parse(before);
            let index = add_event(&mut calendar, &event(date, time, text));
            let written = String::from_utf8(calendar.to_bytes()).unwrap();
            assert_eq!(written, after, "adding {wanted:?} to {before:?}");
            assert!(
                calendar.text(index).unwrap().starts_with(date),
                "{wanted:?}: line {index}"
            );
        }
    }

    #[test]
    fn an_event_goes_at_its_time_in_an_existing_day() {
        let day = "2026-11-23 w48 Mon  9:30-10 standup 14 dentist\n";
        check_add(&[
            (
                day,
                "2026-11-23|11-12|review",
                "2026-11-23 w48 Mon  9:30-10 standup 11-12 review 14 dentist\n",
            ),
            (
                day,
                "2026-11-23|8|gym",
                "2026-11-23 w48 Mon  8 gym 9:30-10 standup 14 dentist\n",
            ),
            (
                day,
                "2026-11-23|18:30-20|yoga",
                "2026-11-23 w48 Mon  9:30-10 standup 14 dentist 18:30-20 yoga\n",
            ),
            // Equal start times keep the order they were added in.
            (
                day,
                "2026-11-23|14|call Ana",
                "2026-11-23 w48 Mon  9:30-10 standup 14 dentist 14 call Ana\n",
            ),
            (
                day,
                "2026-11-23|9:30|coffee",
                "2026-11-23 w48 Mon  9:30-10 standup 9:30 coffee 14 dentist\n",
            ),
            (
                day,
                "2026-11-23|0|midnight",
                "2026-11-23 w48 Mon  0 midnight 9:30-10 standup 14 dentist\n",
            ),
            (
                day,
                "2026-11-23|22-24|night shift",
                "2026-11-23 w48 Mon  9:30-10 standup 14 dentist 22-24 night shift\n",
            ),
            // The spacing inside the content is kept.
            (
                "2026-11-23 w48 Mon  9:30-10 standup  with team\t14 dentist\n",
                "2026-11-23|12|lunch",
                "2026-11-23 w48 Mon  9:30-10 standup  with team\t12 lunch 14 dentist\n",
            ),
            (
                "2026-11-23 w48 Mon\n",
                "2026-11-23|9|café con Ana",
                "2026-11-23 w48 Mon  9 café con Ana\n",
            ),
            // The day's line is written in canonical form: a wrong header is corrected.
            (
                "2026-11-27 w47 fri   Q4 report due\n",
                "2026-11-27|10|review",
                "2026-11-27 w48 Fri  Q4 report due 10 review\n",
            ),
        ]);
    }

    #[test]
    fn any_event_added_to_any_day_reads_back_in_order_with_the_others_kept() {
        let contents = [
            "",
            "Holiday",
            "9 standup",
            "Mum's birthday 14 lunch 9 out of order  spaced\ttab",
            "0 a 23:59-24 b",
            "22-24 night 7 early 7 again",
            "café 10:30 té",
        ];
        let events = ["", "0", "7", "9:30-10", "14", "23:59-24", "12:15"];
        for content in contents {
            for time in events {
                let line = format!("2026-11-23 w48 Mon  {content}");
                let mut calendar = CalendarFile::parse(format!("2026  y\n{line}\n2026-12  m\n"));
                let new = event("2026-11-23", time, "new one");
                assert_eq!(add_event(&mut calendar, &new), 1);
                let Some(CalendarLine::Day(day)) = calendar.get(1) else {
                    panic!("{content:?} + {time:?}")
                };
                let before = split_events_of(content);
                let after = day.events();
                let added: Vec<&Event> = after.iter().filter(|e| e.text.ends_with("new one")).collect();
                assert_eq!(added.len(), 1, "{content:?} + {time:?}: {after:?}");
                assert_eq!((added[0].start, added[0].end), (new.start(), new.end()));
                // The other events, in the order they were, with their text (an
                // untimed event may have the new text joined to it).
                let others: Vec<(Option<Time>, String)> = after
                    .iter()
                    .map(|e| {
                        (
                            e.start,
                            e.text
                                .trim_end_matches("new one")
                                .trim_end_matches(", ")
                                .to_string(),
                        )
                    })
                    .filter(|(start, text)| start.is_some() || !text.is_empty())
                    .filter(|(start, text)| !(text.is_empty() && *start == new.start()))
                    .collect();
                let expected: Vec<(Option<Time>, String)> =
                    before.iter().map(|e| (e.start, e.text.clone())).collect();
                assert_eq!(others, expected, "{content:?} + {time:?}");
                // Before it, only events that start no later (untimed ones for an
                // untimed event); right after it, one that starts later.
                let position = after.iter().position(|e| e.text.ends_with("new one")).unwrap();
                let fits = |e: &Event| match new.start() {
                    Some(start) => e.start.is_none_or(|other| other <= start),
                    None => e.start.is_none(),
                };
                assert!(
                    after[..position].iter().all(fits),
                    "{content:?} + {time:?}: {after:?}"
                );
                if new.start().is_some() {
                    assert!(
                        after.get(position + 1).is_none_or(|e| e.start > new.start()),
                        "{content:?} + {time:?}: {after:?}"
                    );
                }
                assert_eq!(calendar.text(0).unwrap(), "2026  y");
                assert_eq!(calendar.text(2).unwrap(), "2026-12  m");
            }
        }
    }

    fn split_events_of(content: &str) -> Vec<Event> {
        myorg_parsers::calendar::events::split_events(content)
    }

    #[test]
    fn an_untimed_event_joins_the_text_before_the_first_time() {
        check_add(&[
            (
                "2026-11-29 w48 Sun  Mum's birthday 14 family lunch\n",
                "2026-11-29||call grandma",
                "2026-11-29 w48 Sun  Mum's birthday, call grandma 14 family lunch\n",
            ),
            (
                "2026-11-29 w48 Sun  14 family lunch\n",
                "2026-11-29||Mum's birthday",
                "2026-11-29 w48 Sun  Mum's birthday 14 family lunch\n",
            ),
            (
                "2026-11-29 w48 Sun  Holiday\n",
                "2026-11-29||no alarms",
                "2026-11-29 w48 Sun  Holiday, no alarms\n",
            ),
            (
                "2026-11-29 w48 Sun\n",
                "2026-11-29||Holiday",
                "2026-11-29 w48 Sun  Holiday\n",
            ),
            // A timed event still goes after the untimed part.
            (
                "2026-11-29 w48 Sun  Mum's birthday 14 family lunch\n",
                "2026-11-29|10|flowers",
                "2026-11-29 w48 Sun  Mum's birthday 10 flowers 14 family lunch\n",
            ),
        ]);
    }

    #[test]
    fn a_missing_day_is_inserted_at_its_place_and_other_lines_stay_as_written() {
        let file = "2026  year\n2026-11  month\n2026-11-23 w48  goal\n2026-11-23 w48 Mon  9 x\n\
                    odd line kept\n2026-11-27 w47 Fri   wrong week kept\n2026-12  next month\n";
        check_add(&[
            (
                file,
                "2026-11-25|10|middle",
                "2026  year\n2026-11  month\n2026-11-23 w48  goal\n2026-11-23 w48 Mon  9 x\n\
                 odd line kept\n2026-11-25 w48 Wed  10 middle\n2026-11-27 w47 Fri   wrong week kept\n\
                 2026-12  next month\n",
            ),
            (
                file,
                "2025-12-31|10|first",
                "2025-12-31 w01 Wed  10 first\n2026  year\n2026-11  month\n2026-11-23 w48  goal\n\
                 2026-11-23 w48 Mon  9 x\nodd line kept\n2026-11-27 w47 Fri   wrong week kept\n\
                 2026-12  next month\n",
            ),
            (
                file,
                "2026-12-02|10|last",
                "2026  year\n2026-11  month\n2026-11-23 w48  goal\n2026-11-23 w48 Mon  9 x\n\
                 odd line kept\n2026-11-27 w47 Fri   wrong week kept\n2026-12  next month\n\
                 2026-12-02 w49 Wed  10 last\n",
            ),
            // Before the month line of December, after the last day of November.
            (
                file,
                "2026-11-30|9|standup",
                "2026  year\n2026-11  month\n2026-11-23 w48  goal\n2026-11-23 w48 Mon  9 x\n\
                 odd line kept\n2026-11-27 w47 Fri   wrong week kept\n2026-11-30 w49 Mon  9 standup\n\
                 2026-12  next month\n",
            ),
            // A Monday's day line goes after its week goal.
            (
                "2026-11-30 w49  goal\n2026-12-01 w49 Tue\n",
                "2026-11-30||x",
                "2026-11-30 w49  goal\n2026-11-30 w49 Mon  x\n2026-12-01 w49 Tue\n",
            ),
            ("", "2026-11-23|9|x", "2026-11-23 w48 Mon  9 x\n"),
        ]);
    }

    #[test]
    fn line_endings_are_kept() {
        check_add(&[
            // No final newline: the new last line has none either.
            (
                "2026-11-23 w48 Mon  9 x",
                "2026-11-24|10|y",
                "2026-11-23 w48 Mon  9 x\n2026-11-24 w48 Tue  10 y",
            ),
            (
                "2026-11-23 w48 Mon  9 x",
                "2026-11-23|10|y",
                "2026-11-23 w48 Mon  9 x 10 y",
            ),
            (
                "2026-11-23 w48 Mon  9 x\n2026-11-25 w48 Wed",
                "2026-11-24|10|y",
                "2026-11-23 w48 Mon  9 x\n2026-11-24 w48 Tue  10 y\n2026-11-25 w48 Wed",
            ),
            // CRLF: the changed and the new line end in CRLF, the others as they were.
            (
                "2026-11-23 w48 Mon  9 x\r\n2026-11-25 w48 Wed  y\r\nmixed\n",
                "2026-11-24|10|z",
                "2026-11-23 w48 Mon  9 x\r\n2026-11-24 w48 Tue  10 z\r\n2026-11-25 w48 Wed  y\r\nmixed\n",
            ),
            (
                "2026-11-23 w48 Mon  9 x\r\n2026-11-25 w48 Wed  y\r\n",
                "2026-11-25|8|z",
                "2026-11-23 w48 Mon  9 x\r\n2026-11-25 w48 Wed  y 8 z\r\n",
            ),
        ]);
    }

    #[test]
    fn times_on_the_dst_switch_days_in_europe_madrid_are_kept_as_written() {
        // 2026-03-29: clocks go from 2:00 to 3:00, so 2:30 never happens there; on
        // 2026-10-25 it happens twice. calendar.txt holds wall-clock times: nothing moves.
        check_add(&[
            (
                "2026-03-28 w13 Sat  23-24 party\n2026-03-30 w14 Mon\n",
                "2026-03-29|2:30-3:30|night train",
                "2026-03-28 w13 Sat  23-24 party\n2026-03-29 w13 Sun  2:30-3:30 night train\n2026-03-30 w14 Mon\n",
            ),
            (
                "2026-10-25 w43 Sun  1:30 owl walk 10 brunch\n",
                "2026-10-25|2:30|owls again",
                "2026-10-25 w43 Sun  1:30 owl walk 2:30 owls again 10 brunch\n",
            ),
        ]);
    }

    #[test]
    fn event_requests_in_words() {
        // (words, the event as written, or an error's words); today is Monday 2026-11-23.
        let cases = [
            ("tomorrow 14:30-15 dentist", "2026-11-24 14:30-15 dentist"),
            ("dec 5 10 haircut", "2026-12-05 10 haircut"),
            ("5 dec haircut", "2026-12-05 haircut"),
            ("fri lunch with Marta", "2026-11-27 lunch with Marta"),
            ("2026-12-01 9:30 standup", "2026-12-01 9:30 standup"),
            ("tomorrow 14:30-15:00 call", "2026-11-24 14:30-15 call"),
            ("tomorrow 09:05 call", "2026-11-24 9:05 call"),
            ("in 2 weeks 22-24 night shift", "2026-12-07 22-24 night shift"),
            ("dec 5 2027 9 dentist", "2027-12-05 9 dentist"),
            (
                "next monday 9  planning  meeting ",
                "2026-11-30 9 planning  meeting",
            ),
            ("the 15th 0 fireworks", "2026-12-15 0 fireworks"),
            ("today 2026 plans", "2026-11-23 2026 plans"),
            ("nov 31 dentist", "November 2026 has no 31st"),
            ("the 31st 10 x", "November has no 31st"),
            ("tomorrow 25:00 x", "\"25:00\" is not a time"),
            ("tomorrow 10:60 x", "\"10:60\" is not a time"),
            ("tomorrow 7:5 x", "\"7:5\" is not a time"),
            ("tomorrow 9am x", "\"9am\" is not a time"),
            ("tomorrow 24 x", "24:00, which only ends an event"),
            ("tomorrow 16-15 x", "end at 15:00, not after it starts at 16:00"),
            ("tomorrow 14:00-14:00 x", "not after it starts"),
            ("tomorrow 14", "needs some text"),
            ("tomorrow", "needs some text"),
            (
                "tomorrow 9 standup 14 dentist",
                "\"14\" in the text would start another event",
            ),
            ("tomorrow meet 5 people", "\"5\" in the text"),
            ("lunch with Marta", "\"lunch\" is not a date"),
            ("", "say when and what"),
            ("   ", "say when and what"),
        ];
        for (words, expected) in cases {
            match parse_event(words, monday()) {
                Ok(event) => assert_eq!(event.to_string(), expected, "{words:?}"),
                Err(error) => assert!(error.to_string().contains(expected), "{words:?}: {error}"),
            }
        }
    }

    #[test]
    fn a_quoted_first_argument_is_the_whole_day() {
        let read = |args: &[&str]| match parse_event_words(args, monday()) {
            Ok(event) => event.to_string(),
            Err(error) => error.to_string(),
        };
        assert_eq!(read(&["dec 5", "10", "haircut"]), "2026-12-05 10 haircut");
        assert_eq!(read(&["next monday", "standup"]), "2026-11-30 standup");
        assert_eq!(
            read(&["tomorrow", "14:30-15", "dentist"]),
            "2026-11-24 14:30-15 dentist"
        );
        assert_eq!(read(&["dec", "5", "10", "haircut"]), "2026-12-05 10 haircut");
        assert!(read(&["nov 31", "x"]).contains("no 31st"));
        assert!(read(&["next lunch", "x"]).contains("\"next\" is not a date"));
        assert_eq!(read(&["tomorrow 9 standup"]), "2026-11-24 9 standup");
        assert_eq!(read(&["dec 5 2027", "9", "dentist"]), "2027-12-05 9 dentist");
        assert!(read(&[]).contains("say when and what"));
    }

    #[test]
    fn a_new_event_is_checked() {
        let t = |hour, minute| Some(Time { hour, minute });
        let date = monday();
        assert_eq!(
            NewEvent::new(date, None, t(10, 0), "x"),
            Err(EventError::EndWithoutStart)
        );
        assert!(matches!(
            NewEvent::new(date, t(24, 0), None, "x"),
            Err(EventError::StartsAtMidnightEnd(_))
        ));
        assert!(matches!(
            NewEvent::new(date, t(23, 60), None, "x"),
            Err(EventError::BadTime(_))
        ));
        assert!(matches!(
            NewEvent::new(date, t(23, 0), t(24, 1), "x"),
            Err(EventError::BadTime(_))
        ));
        assert_eq!(
            NewEvent::new(date, None, None, "two\nlines"),
            Err(EventError::LineBreak)
        );
        assert_eq!(NewEvent::new(date, None, None, " \t"), Err(EventError::EmptyText));
        let ok = NewEvent::new(date, t(23, 0), t(24, 0), " late ").unwrap();
        assert_eq!(
            (ok.time().as_deref(), ok.text(), ok.content().as_str()),
            (Some("23-24"), "late", "23-24 late")
        );
    }

    #[test]
    fn an_event_from_its_parts() {
        let read = |time: Option<&str>, text: &str| match event_at(monday(), time, text) {
            Ok(event) => event.to_string(),
            Err(error) => error.to_string(),
        };
        assert_eq!(
            read(Some("14:00-15:30"), "Dentist"),
            "2026-11-23 14-15:30 Dentist"
        );
        assert_eq!(read(Some(" 9 "), "standup"), "2026-11-23 9 standup");
        assert_eq!(read(Some("  "), "Holiday"), "2026-11-23 Holiday");
        assert_eq!(read(None, "Holiday"), "2026-11-23 Holiday");
        assert_eq!(
            read(Some("noon"), "Lunch"),
            "\"noon\" is not a time (HH:MM or HH:MM-HH:MM)"
        );
        assert!(read(Some("25:00"), "x").contains("\"25:00\" is not a time: write"));
        assert!(read(Some("16-15"), "x").contains("not after it starts"));
        assert!(read(None, " ").contains("needs some text"));
    }

    fn shown(events: &[DatedEvent]) -> Vec<String> {
        events
            .iter()
            .map(|e| format!("{} {}|{}", e.date, e.time(), e.text))
            .collect()
    }

    #[test]
    fn events_in_a_range_cross_month_and_year_ends_in_date_and_time_order() {
        let calendar = CalendarFile::parse(
            "2026-11-30 w49 Mon  9:30-10 standup\n2026-12  month\n\
             2026-12-01 w49 Tue  Dani's first day 13-14:30 lunch 9-10 setup\n\
             2026-12-31 w53 Thu  New Year's Eve 22-24 party\n2027  year\n2027-01  month\n\
             2027-01-01 w53 Fri  12 brunch\n2026-12-15 w51 Tue  10 out of order\n\
             2027-02-30 w09 Tue  10 not a day\n",
        );
        assert_eq!(
            shown(&events_between(&calendar, day("2026-11-30"), day("2026-12-01"))),
            [
                "2026-11-30 09:30-10:00|standup",
                "2026-12-01 |Dani's first day",
                "2026-12-01 09:00-10:00|setup",
                "2026-12-01 13:00-14:30|lunch",
            ]
        );
        assert_eq!(
            shown(&events_between(&calendar, day("2026-12-02"), day("2027-12-31"))),
            [
                "2026-12-15 10:00|out of order",
                "2026-12-31 |New Year's Eve",
                "2026-12-31 22:00-24:00|party",
                "2027-01-01 12:00|brunch",
            ]
        );
        assert!(events_between(&calendar, day("2027-01-02"), day("2027-12-31")).is_empty());
        assert!(events_between(&calendar, day("2026-12-02"), day("2026-12-01")).is_empty());
        assert_eq!(
            events_between(&calendar, day("2026-11-30"), day("2026-11-30"))[0].line,
            0
        );
    }

    #[test]
    fn the_week_goal_is_the_line_of_the_weeks_monday() {
        let calendar = CalendarFile::parse(
            "2026  the year\n2026-11  november\n2026-11-23 w48  Send the Q4 report\n\
             2026-11-23 w48 Mon  9 x\n2026-11-25 w48  not on a Monday\n\
             2026-12-28 w53  Rest\n2027-01  january\n",
        );
        assert_eq!(
            week_goal(&calendar, day("2026-11-23")),
            Some("Send the Q4 report")
        );
        assert_eq!(
            week_goal(&calendar, day("2026-11-29")),
            Some("Send the Q4 report")
        );
        assert_eq!(week_goal(&calendar, day("2026-11-22")), None);
        assert_eq!(week_goal(&calendar, day("2026-11-30")), None);
        // ISO week 53 of 2026 runs into 2027.
        assert_eq!(week_goal(&calendar, day("2027-01-03")), Some("Rest"));
        assert_eq!(month_note(&calendar, day("2026-11-05")), Some("november"));
        assert_eq!(month_note(&calendar, day("2027-01-05")), Some("january"));
        assert_eq!(month_note(&calendar, day("2026-12-05")), None);
        assert_eq!(year_note(&calendar, day("2026-12-05")), Some("the year"));
        assert_eq!(year_note(&calendar, day("2027-01-05")), None);
    }

    #[test]
    fn today_and_the_agenda_bring_events_and_tasks_due() {
        let calendar = CalendarFile::parse(
            "2026-11-23 w48  Ship it\n2026-11-23 w48 Mon  14 dentist 9:30-10 standup\n\
             2026-11-25 w48 Wed  Holiday\n",
        );
        let todo = TodoFile::parse(
            "Due today due:2026-11-23\n(A) Urgent due today due:2026-11-23\n\
             x 2026-11-22 Done due:2026-11-23\nLate due:2026-11-20\n(B) Later late due:2026-11-22\n\
             Hidden late due:2026-11-01 h:1\nDue Wednesday due:2026-11-25\n\
             Visible from Tuesday due:2026-11-26 t:2026-11-24\nNext week due:2026-11-30\n",
        );
        let texts = |tasks: &[TaskLine<'_>]| -> Vec<String> {
            tasks.iter().map(|t| t.task.description().to_string()).collect()
        };
        let now = today(&calendar, &todo, monday());
        assert_eq!(
            shown(&now.day.events),
            ["2026-11-23 09:30-10:00|standup", "2026-11-23 14:00|dentist"]
        );
        assert_eq!(
            texts(&now.day.due),
            ["Urgent due today due:2026-11-23", "Due today due:2026-11-23"]
        );
        assert_eq!(now.day.due[0].index, 1);
        assert_eq!(
            texts(&now.overdue),
            ["Later late due:2026-11-22", "Late due:2026-11-20"]
        );
        assert_eq!(now.week_goal.as_deref(), Some("Ship it"));
        assert_eq!(now.month_note, None);

        let week = agenda(&calendar, &todo, monday(), 7);
        assert_eq!(week.len(), 7);
        assert_eq!(week[6].date, day("2026-11-29"));
        assert!(week[1].is_empty());
        assert_eq!(week[2].weekday(), "Wed");
        assert_eq!(shown(&week[2].events), ["2026-11-25 |Holiday"]);
        assert_eq!(texts(&week[2].due), ["Due Wednesday due:2026-11-25"]);
        assert_eq!(
            texts(&week[3].due),
            ["Visible from Tuesday due:2026-11-26 t:2026-11-24"]
        );
        assert!(agenda(&calendar, &todo, monday(), 0).is_empty());
        assert_eq!(agenda(&calendar, &todo, NaiveDate::MAX, 3).len(), 1);

        let no_tasks = TodoFile::parse("");
        let empty = today(&CalendarFile::parse(""), &no_tasks, monday());
        assert!(empty.day.is_empty() && empty.overdue.is_empty() && empty.week_goal.is_none());
    }
}
