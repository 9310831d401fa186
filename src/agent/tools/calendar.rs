//! The calendar tools: `add_event`, `list_events` and `get_agenda` (each day's events
//! and tasks due), the model's arguments to the use cases of [`crate::app::calendar`];
//! the events and days also as data ([`EventJson`], [`DayJson`], as `myorg events` and
//! `myorg agenda` print them with `--json`).

use super::{Effect, Found, Outcome, Tool, ToolContext, limited, reading_tool_with_data, tool};
use crate::app::calendar::{self, Event, Range};
use crate::app::json::{DayJson, EventJson};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
        reading_tool_with_data(
            "list_events",
            "Events of a range of days (default: 7 days from today).",
            list_events,
        ),
        reading_tool_with_data(
            "get_agenda",
            "The coming days (default 7 from today): each day's events and tasks due.",
            get_agenda,
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
    let event = Event::Parts {
        date: args.date,
        time: args.time,
        text: args.text,
    };
    Ok(Outcome::Done(calendar::add_event(ctx, &event)?.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListEvents {
    /// First day (date or words); default today.
    from: Option<String>,
    /// Last day; default 6 days after from.
    to: Option<String>,
}

/// The events of a range of days: the first ones shown, and how many there are.
#[derive(Serialize, JsonSchema)]
struct EventsFound {
    /// The first day, YYYY-MM-DD.
    #[schemars(with = "String")]
    from: NaiveDate,
    /// The last day, YYYY-MM-DD.
    #[schemars(with = "String")]
    to: NaiveDate,
    /// By day, then the untimed ones, then by start time.
    events: Vec<EventJson>,
    /// How many events the days hold, shown or not.
    total: usize,
}

fn list_events(ctx: &ToolContext, args: ListEvents) -> anyhow::Result<Found<EventsFound>> {
    let range = Range {
        at_most_a_year: true,
        ..Range::new(args.from, args.to)
    };
    let found = calendar::events(&ctx.look(), &range)?;
    Ok(Found {
        said: limited(found.compact_lines(), EVENTS_SHOWN, &found.none()),
        data: EventsFound {
            from: found.from,
            to: found.to,
            events: found
                .events
                .iter()
                .take(EVENTS_SHOWN)
                .map(EventJson::from)
                .collect(),
            total: found.events.len(),
        },
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetAgenda {
    /// How many days from today (default 7; 1: today).
    days: Option<u32>,
}

/// Every day asked for, empty ones too.
#[derive(Serialize, JsonSchema)]
struct AgendaFound {
    days: Vec<DayJson>,
}

fn get_agenda(ctx: &ToolContext, args: GetAgenda) -> anyhow::Result<Found<AgendaFound>> {
    let agenda = calendar::agenda(&ctx.look(), args.days.unwrap_or(7))?;
    Ok(Found {
        said: agenda.said().trim_end().to_string(),
        data: AgendaFound {
            days: agenda.days.iter().map(DayJson::from).collect(),
        },
    })
}
