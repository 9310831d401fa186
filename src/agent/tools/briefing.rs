//! `get_briefing` and `suggest_tasks`: the morning, evening or weekly briefing and
//! the next actions, for the person who asks, built by the domain as `myorg
//! briefing` and `myorg suggest` build them.

use super::{Effect, Outcome, Tool, ToolContext, tool};
use crate::commands::briefing::{Loaded, settings};
use crate::store::operation::{GOALS, PROJECTS, TODO};
use anyhow::Context;
use myorg_domain::briefing::{self, Kind, Whom};
use myorg_domain::reference::References;
use myorg_domain::suggest::{self, Request, suggest};
use myorg_domain::when::parse_when;
use myorg_parsers::{ProjectsFile, TodoFile};
use schemars::JsonSchema;
use serde::Deserialize;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        tool(
            "get_briefing",
            "The person's briefing as Markdown: events, due tasks, priorities, waiting, goals.",
            Effect::Reads,
            get_briefing,
        ),
        tool(
            "suggest_tasks",
            "What the person could do next, ranked, each with a reason.",
            Effect::Reads,
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

fn get_briefing(ctx: &ToolContext, args: GetBriefing) -> anyhow::Result<Outcome> {
    let date = match args.date.as_deref() {
        Some(words) => parse_when(words, ctx.now.date()).context("in date")?,
        None => ctx.now.date(),
    };
    let kind = match args.kind.unwrap_or(BriefingKind::Morning) {
        BriefingKind::Morning => Kind::Morning,
        BriefingKind::Evening => Kind::Evening,
        BriefingKind::Weekly => Kind::Weekly,
    };
    let whom = Whom {
        handle: Some(ctx.handle.clone()),
        unassigned_too: true,
    };
    let loaded = Loaded::read_with(|path| ctx.store.read(path))?;
    let briefing = loaded.briefing(kind, &whom, date, &settings(ctx.config));
    Ok(Outcome::Done(briefing::render(&briefing).trim_end().to_string()))
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
    /// Where they are, like @home.
    context: Option<String>,
    /// Minutes available.
    minutes: Option<u32>,
    energy: Option<Energy>,
    /// Default 5.
    limit: Option<u32>,
}

fn suggest_tasks(ctx: &ToolContext, args: SuggestTasks) -> anyhow::Result<Outcome> {
    let energy = args.energy.map(|level| match level {
        Energy::Low => suggest::Energy::Low,
        Energy::High => suggest::Energy::High,
    });
    let request = Request {
        owner: Some(ctx.handle.clone()),
        context: args
            .context
            .as_deref()
            .map(|c| c.trim().trim_start_matches('@').to_string())
            .filter(|c| !c.is_empty()),
        minutes: args.minutes,
        energy,
        limit: args.limit.map_or(5, |n| (n as usize).min(50)),
    };
    let todo = TodoFile::parse(ctx.store.read(TODO)?);
    let projects = ProjectsFile::parse(ctx.store.read(PROJECTS)?);
    let goals = ProjectsFile::parse(ctx.store.read(GOALS)?);
    let found = suggest(&todo, Some(&projects), Some(&goals), &request, ctx.now.date());
    if found.is_empty() {
        return Ok(Outcome::Done(
            "Nothing to suggest: no open task fits.".to_string(),
        ));
    }
    let references = References::of(&todo);
    let lines: Vec<String> = found
        .iter()
        .enumerate()
        .map(|(rank, suggestion)| {
            format!(
                "{}. {} {} — {}",
                rank + 1,
                references.shown(suggestion.task),
                todo.text(suggestion.index).unwrap_or_default(),
                suggestion.reason
            )
        })
        .collect();
    Ok(Outcome::Done(lines.join("\n")))
}
