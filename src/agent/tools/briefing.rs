//! `get_briefing`, `get_team_digest` and `suggest_tasks`: the morning, evening or
//! weekly briefing, the team's week, and the next actions, for the person who asks: the use cases of
//! [`crate::app::briefing`] and [`crate::app::suggest`], as `myorg briefing` and
//! `myorg suggest` have them, with their `--json` as the data beside the text.

use super::{Found, Tool, ToolContext, reading_tool_with_data};
use crate::app::briefing::{self, Asked};
use crate::app::json::{BriefingJson, DigestJson, SuggestionJson};
use crate::app::suggest;
use myorg_domain::briefing::Kind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The most suggestions a call gives.
const MOST_SUGGESTIONS: usize = 50;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        reading_tool_with_data(
            "get_briefing",
            "The person's briefing as Markdown: events, due tasks, priorities, waiting, goals.",
            get_briefing,
        ),
        reading_tool_with_data(
            "get_team_digest",
            "The team's week: per person done and due, blocked, waiting, projects moved or not, figures.",
            get_team_digest,
        ),
        reading_tool_with_data(
            "suggest_tasks",
            "What the person could do next, ranked, with reasons; default: in their context now.",
            suggest_tasks,
        ),
    ]
}

#[derive(Deserialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum BriefingKind {
    Morning,
    Evening,
    Weekly,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetBriefing {
    /// Default morning.
    kind: Option<BriefingKind>,
    /// Default today (date or words).
    date: Option<String>,
}

fn get_briefing(ctx: &ToolContext, args: GetBriefing) -> anyhow::Result<Found<BriefingJson>> {
    let kind = match args.kind.unwrap_or(BriefingKind::Morning) {
        BriefingKind::Morning => Kind::Morning,
        BriefingKind::Evening => Kind::Evening,
        BriefingKind::Weekly => Kind::Weekly,
    };
    let asked = Asked {
        date: args.date,
        ..Asked::mine(kind)
    };
    let built = briefing::briefing(&ctx.look(), &asked)?;
    Ok(Found {
        said: briefing::text(&built).trim_end().to_string(),
        data: BriefingJson::from(&built),
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetTeamDigest {
    /// The day it is as of, default today (date or words).
    date: Option<String>,
}

fn get_team_digest(ctx: &ToolContext, args: GetTeamDigest) -> anyhow::Result<Found<DigestJson>> {
    let digest = briefing::team(&ctx.look(), args.date.as_deref())?;
    Ok(Found {
        said: digest.render().trim_end().to_string(),
        data: DigestJson::from(&digest),
    })
}

#[derive(Deserialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Energy {
    Low,
    High,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SuggestTasks {
    /// Where they are, like @home; default: their context now.
    context: Option<String>,
    /// Minutes available.
    minutes: Option<u32>,
    energy: Option<Energy>,
    /// Default 5.
    limit: Option<u32>,
}

/// The suggestions, best first, and the situation they were made for.
#[derive(Serialize, JsonSchema)]
struct SuggestionsFound {
    /// The context and time they are for, when no context was asked for.
    situation: Option<String>,
    suggestions: Vec<SuggestionJson>,
}

fn suggest_tasks(ctx: &ToolContext, args: SuggestTasks) -> anyhow::Result<Found<SuggestionsFound>> {
    let asked = suggest::Asked {
        context: args.context,
        minutes: args.minutes,
        energy: args.energy.map(|level| match level {
            Energy::Low => myorg_domain::suggest::Energy::Low,
            Energy::High => myorg_domain::suggest::Energy::High,
        }),
        limit: args.limit.map(|n| (n as usize).min(MOST_SUGGESTIONS)),
        everyone: false,
    };
    let suggested = suggest::suggest_here(&ctx.look(), &asked)?;
    Ok(Found {
        said: suggested.said(),
        data: SuggestionsFound {
            situation: suggested.situation.clone(),
            suggestions: suggested.found.0.iter().map(SuggestionJson::from).collect(),
        },
    })
}
