//! The goal tools: `get_goals` (a quarter's goals with progress, projects and the
//! telos.md section each serves), `goal_report` (what moved each open goal this
//! week against last week) and `get_telos` (telos.md's sections and the goals serving
//! each): the use cases of [`crate::app::goals`] and [`crate::app::telos`], the same
//! ones `myorg goals` and `myorg goals report` call, their results also as data.

use super::{Found, Tool, ToolContext, reading_tool_with_data};
use crate::app::goals::{self, Goals, Report};
use crate::app::telos::{self, TelosRead};
use schemars::JsonSchema;
use serde::Deserialize;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        reading_tool_with_data(
            "get_goals",
            "A quarter's goals: progress, projects, the telos.md section each serves.",
            get_goals,
        ),
        reading_tool_with_data(
            "goal_report",
            "Per goal, tasks done this week against last week; stalled goals flagged.",
            goal_report,
        ),
        reading_tool_with_data(
            "get_telos",
            "telos.md by sections (mission, values, focus…), with the goals serving each.",
            get_telos,
        ),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetGoals {
    /// 2026Q4, current (default), next, previous or all.
    quarter: Option<String>,
}

fn get_goals(ctx: &ToolContext, args: GetGoals) -> anyhow::Result<Found<Goals>> {
    let goals = goals::goals(&ctx.look(), args.quarter.as_deref())?;
    Ok(Found {
        said: goals.said(),
        data: goals,
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GoalReport {
    /// A day of the week to report (date or words); default today.
    week: Option<String>,
}

fn goal_report(ctx: &ToolContext, args: GoalReport) -> anyhow::Result<Found<Report>> {
    let report = goals::report(&ctx.look(), args.week.as_deref())?;
    Ok(Found {
        said: report.said(),
        data: report,
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetTelos {
    /// One section's heading or slug (default: all).
    section: Option<String>,
}

fn get_telos(ctx: &ToolContext, args: GetTelos) -> anyhow::Result<Found<TelosRead>> {
    let read = telos::telos(&ctx.look(), args.section.as_deref())?;
    Ok(Found {
        said: read.said(),
        data: read,
    })
}
