//! The calendar tools: `add_event` and `list_events`, over calendar.txt through the
//! domain's date language, times and event checks.

use super::{Effect, Outcome, Tool, ToolContext, limited, tool, with_notes};
use crate::store::Operation;
use crate::store::operation::CALENDAR;
use anyhow::{Context, bail};
use chrono::{Datelike, Days};
use myorg_domain::calendar::{self, NewEvent};
use myorg_domain::when::parse_when;
use myorg_parsers::CalendarFile;
use myorg_parsers::calendar::header::weekday_name;
use schemars::JsonSchema;
use serde::Deserialize;

/// How many events a listing shows.
const EVENTS_SHOWN: usize = 50;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        tool(
            "add_event",
            "Add an event to calendar.txt.",
            Effect::Changes,
            add_event,
        ),
        tool(
            "list_events",
            "Events of a range of days (default: 7 days from today).",
            Effect::Reads,
            list_events,
        ),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddEvent {
    /// A date or words: fri, tomorrow, dec 5.
    date: String,
    /// HH:MM or HH:MM-HH:MM; omit for all day.
    time: Option<String>,
    text: String,
}

fn add_event(ctx: &ToolContext, args: AddEvent) -> anyhow::Result<Outcome> {
    let today = ctx.now.date();
    let date = parse_when(&args.date, today).context("in date")?;
    let (start, end) = match args.time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => (None, None),
        Some(time) => match calendar::parse_times(time)? {
            Some((start, end)) => (Some(start), end),
            None => bail!("{time:?} is not a time (HH:MM or HH:MM-HH:MM)"),
        },
    };
    let event = NewEvent::new(date, start, end, &args.text)?;
    let applied = ctx.store.apply(Operation::add_event(&event), &ctx.actor)?;
    let notes = if date < today {
        vec![format!("{date} is in the past")]
    } else {
        Vec::new()
    };
    Ok(Outcome::Done(with_notes(applied.summary, &notes)))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListEvents {
    /// First day (date or words); default today.
    from: Option<String>,
    /// Last day; default 6 days after from.
    to: Option<String>,
}

fn list_events(ctx: &ToolContext, args: ListEvents) -> anyhow::Result<Outcome> {
    let today = ctx.now.date();
    let from = match args.from.as_deref() {
        Some(text) => parse_when(text, today).context("in from")?,
        None => today,
    };
    let to = match args.to.as_deref() {
        Some(text) => parse_when(text, today).context("in to")?,
        None => from.checked_add_days(Days::new(6)).unwrap_or(from),
    };
    if from > to {
        bail!("from {from} is after to {to}");
    }
    if (to - from).num_days() > 366 {
        bail!("at most a year of events at a time");
    }
    let file = CalendarFile::parse(ctx.store.read(CALENDAR)?);
    let lines = calendar::events_between(&file, from, to)
        .iter()
        .map(|event| {
            let time = event.time();
            let time = time.trim();
            let weekday = weekday_name(event.date.weekday());
            if time.is_empty() {
                format!("{weekday} {} {}", event.date, event.text)
            } else {
                format!("{weekday} {} {time} {}", event.date, event.text)
            }
        })
        .collect();
    Ok(Outcome::Done(limited(
        lines,
        EVENTS_SHOWN,
        &format!("No events from {from} to {to}."),
    )))
}
