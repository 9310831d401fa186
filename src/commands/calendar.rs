//! The calendar commands: `myorg event` (add an event to calendar.txt), `myorg events`
//! (the events of a range of days), the command line to the use cases of
//! [`crate::app::calendar`] and their results printed; and `myorg calendar days` (day
//! headers).

use super::store::{ctx, look, open, print_push};
use crate::app::calendar::{self, Event, Range};
use crate::config::Config;
use anyhow::{Context, bail};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use myorg_domain::calendar::DatedEvent;
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
    let store = open(config)?;
    let added = calendar::add_event(&ctx(config, &store, now)?, &Event::Words(words.to_vec()))?;
    println!("{}", added.summary);
    if let Some(day) = &added.day {
        println!("{day}");
    }
    added.notes.iter().for_each(|note| println!("Note: {note}"));
    print_push(&added.push)
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
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let range = Range {
        names: ("--from", "--to"),
        ..Range::new(from.map(str::to_string), to.map(str::to_string))
    };
    let found = calendar::events(&look(config, files.as_ref(), &handle, now), &range)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        for event in &found.events {
            serde_json::to_writer(&mut out, &event_json(event))?;
            writeln!(out)?;
        }
    } else if found.events.is_empty() {
        writeln!(out, "{}", found.none())?;
    } else {
        for line in found.lines() {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(())
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
    fn an_event_in_json_has_its_day_times_text_and_line() {
        let event = DatedEvent {
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            start: Some(myorg_parsers::calendar::Time { hour: 14, minute: 0 }),
            end: None,
            text: "dentist".to_string(),
            line: 0,
        };
        assert_eq!(
            event_json(&event).to_string(),
            r#"{"date":"2026-11-23","weekday":"Mon","start":"14:00","end":null,"text":"dentist","line":1}"#
        );
    }
}
