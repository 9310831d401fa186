//! The calendar tools: `add_event` and `list_events`, the model's arguments to the
//! use cases of [`crate::app::calendar`].

use super::{Effect, Outcome, Tool, ToolContext, limited, tool};
use crate::app::calendar::{self, Event, Range};
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

fn list_events(ctx: &ToolContext, args: ListEvents) -> anyhow::Result<Outcome> {
    let range = Range {
        at_most_a_year: true,
        ..Range::new(args.from, args.to)
    };
    let found = calendar::events(&ctx.look(), &range)?;
    Ok(Outcome::Done(limited(
        found.compact_lines(),
        EVENTS_SHOWN,
        &found.none(),
    )))
}
