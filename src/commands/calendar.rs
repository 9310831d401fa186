//! The calendar commands: `myorg event` (add an event to calendar.txt), `myorg events`
//! (the events of a range of days) and `myorg calendar days` (day headers).

use super::store::{actor, open, print_push};
use crate::config::Config;
use crate::store::Operation;
use crate::store::operation::CALENDAR;
use anyhow::{Context, bail};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use myorg_domain::calendar::{self, DatedEvent};
use myorg_domain::when::parse_when;
use myorg_parsers::CalendarFile;
use myorg_parsers::calendar::header::{weekday_name, write_day_header};
use std::io::Write;

/// Prints the header of every day from `from` to `to`, inclusive, one per line.
pub fn days(from: NaiveDate, to: NaiveDate) -> anyhow::Result<()> {
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = String::with_capacity(20);
    for date in from.iter_days().take_while(|date| *date <= to) {
        line.clear();
        write_day_header(date, &mut line);
        line.push('\n');
        out.write_all(line.as_bytes())
            .context("writing to standard output")?;
    }
    out.flush().context("writing to standard output")
}

/// `myorg event WHEN [TIME] TEXT`: adds the event, then shows its day as written.
pub fn event(config: &Config, now: NaiveDateTime, words: &[String]) -> anyhow::Result<()> {
    let event = calendar::parse_event_words(words, now.date())?;
    let store = open(config)?;
    let applied = store.apply(Operation::add_event(&event), &actor(config))?;
    println!("{}", applied.summary);
    let written = CalendarFile::parse(store.read(CALENDAR)?);
    if let Some(line) = written
        .day_index(event.date())
        .and_then(|index| written.text(index))
    {
        println!("{line}");
    }
    if event.date() < now.date() {
        println!("Note: {} is in the past", event.date());
    }
    print_push(&applied.push)?;
    Ok(())
}

/// `myorg events [--from WHEN] [--to WHEN] [--json]`: by default the 7 days from
/// today (from `--from` when only it is given).
pub fn events(
    config: &Config,
    now: NaiveDateTime,
    from: Option<&str>,
    to: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let today = now.date();
    let when = |text: &str, option: &str| parse_when(text, today).with_context(|| format!("in {option}"));
    let from = from
        .map(|text| when(text, "--from"))
        .transpose()?
        .unwrap_or(today);
    let to = match to {
        Some(text) => when(text, "--to")?,
        None => from.checked_add_days(Days::new(6)).unwrap_or(from),
    };
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let file = CalendarFile::parse(super::read::working_tree_file(config, CALENDAR)?);
    let found = calendar::events_between(&file, from, to);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for event in &found {
        if json {
            serde_json::to_writer(&mut out, &event_json(event))?;
            writeln!(out)?;
        } else {
            let weekday = weekday_name(event.date.weekday());
            writeln!(out, "{weekday} {}  {}", event.date, event_line(event))?;
        }
    }
    if !json && found.is_empty() {
        writeln!(out, "No events from {from} to {to}.")?;
    }
    out.flush()?;
    Ok(())
}

/// `09:30-10:00  standup`, the time column as wide for every event.
pub(super) fn event_line(event: &DatedEvent) -> String {
    format!("{:<11}  {}", event.time(), event.text)
}

/// One event for `--json`: its day, times (`HH:MM`, or null), text and the 1-based
/// line of its day in calendar.txt.
pub(super) fn event_json(event: &DatedEvent) -> serde_json::Value {
    serde_json::json!({
        "date": event.date.to_string(),
        "weekday": weekday_name(event.date.weekday()),
        "start": event.start.map(|time| time.to_string()),
        "end": event.end.map(|time| time.to_string()),
        "text": event.text,
        "line": event.line + 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_lines_align_the_text() {
        let event = |start, end, text: &str| DatedEvent {
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            start,
            end,
            text: text.to_string(),
            line: 0,
        };
        let time = |hour, minute| Some(myorg_parsers::calendar::Time { hour, minute });
        assert_eq!(
            event_line(&event(time(9, 30), time(10, 0), "standup")),
            "09:30-10:00  standup"
        );
        assert_eq!(
            event_line(&event(time(14, 0), None, "dentist")),
            "14:00        dentist"
        );
        assert_eq!(event_line(&event(None, None, "Holiday")), "             Holiday");
        let json = event_json(&event(time(14, 0), None, "dentist"));
        assert_eq!(
            json.to_string(),
            r#"{"date":"2026-11-23","weekday":"Mon","start":"14:00","end":null,"text":"dentist","line":1}"#
        );
    }
}
