//! The calendar commands: `myorg event` (add an event to calendar.txt), `myorg events`
//! (the events of a range of days), the command line to the use cases of
//! [`crate::app::calendar`] and their results printed; and `myorg calendar days` (day
//! headers).

use super::store::{ctx, look, open, print_push};
use crate::app::calendar::{self, Event, Range};
use crate::app::json::EventJson;
use crate::config::Config;
use anyhow::{Context, bail};
use chrono::{NaiveDate, NaiveDateTime};
use myorg_parsers::calendar::header::write_day_header;
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
            serde_json::to_writer(&mut out, &EventJson::from(event))?;
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
