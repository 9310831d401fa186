//! The quarter-plan tools: `create_initiative`, `update_initiative`,
//! `get_quarter_plan`, `add_update` and `link_pr`, in the plan's words (planning,
//! in-progress, blocked, completed): the use cases of [`crate::app::plan`], over the
//! projects and goals of projects.txt and goals.txt and their log.txt entries. The
//! plan read also as data ([`PlanJson`]).

use super::{Effect, Found, Outcome, Tool, ToolContext, reading_tool_with_data, tool};
use crate::app::json::PlanJson;
use crate::app::plan::{self, InitiativeChange, NewInitiative, PullRequestLink};
use crate::app::projects::{self, Change, Update};
use myorg_domain::plan::{PlanStatus, PrState};
use schemars::JsonSchema;
use serde::Deserialize;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        tool(
            "create_initiative",
            "Create a quarter-plan initiative: a project with status, owner, target date and tags.",
            Effect::Changes,
            create_initiative,
        ),
        tool(
            "update_initiative",
            "Change an initiative's (a project's or goal's) status, owner, target date or tags.",
            Effect::Changes,
            update_initiative,
        ),
        reading_tool_with_data(
            "get_quarter_plan",
            "A quarter's initiatives: status, owner, progress, last update, linked PRs.",
            get_quarter_plan,
        ),
        tool(
            "add_update",
            "Log an update about an initiative (a project or goal) in log.txt.",
            Effect::Changes,
            add_update,
        ),
        tool(
            "link_pr",
            "Link a pull request to an initiative (a log.txt entry tagged with its slug).",
            Effect::Changes,
            link_pr,
        ),
    ]
}

// No doc comment: it would be repeated in every schema that uses it.
#[derive(Deserialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Status {
    Planning,
    InProgress,
    Blocked,
    Completed,
}

impl From<Status> for PlanStatus {
    fn from(status: Status) -> PlanStatus {
        match status {
            Status::Planning => PlanStatus::Planning,
            Status::InProgress => PlanStatus::InProgress,
            Status::Blocked => PlanStatus::Blocked,
            Status::Completed => PlanStatus::Completed,
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateInitiative {
    /// Its short name, like website-v2 (letters, digits, - _ .).
    slug: String,
    /// What it is, in words.
    title: String,
    /// Default in-progress.
    status: Option<Status>,
    /// A person's name or handle.
    owner: Option<String>,
    /// Target date (date or words).
    target_date: Option<String>,
    /// Like +frontend or @q4.
    tags: Option<Vec<String>>,
    /// The slug of the goal it serves.
    goal: Option<String>,
}

fn create_initiative(ctx: &ToolContext, args: CreateInitiative) -> anyhow::Result<Outcome> {
    let new = NewInitiative {
        slug: args.slug,
        title: args.title,
        status: args.status.map(Into::into),
        owner: args.owner,
        target_date: args.target_date,
        tags: args.tags.unwrap_or_default(),
        goal: args.goal,
    };
    Ok(Outcome::Done(plan::create(ctx, &new)?.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateInitiative {
    /// Its slug (without +).
    slug: String,
    status: Option<Status>,
    /// A person's name or handle.
    owner: Option<String>,
    /// Target date (date or words).
    target_date: Option<String>,
    /// Tags to add, like +frontend or @q4.
    tags: Option<Vec<String>>,
}

fn update_initiative(ctx: &ToolContext, args: UpdateInitiative) -> anyhow::Result<Outcome> {
    let change = InitiativeChange {
        slug: args.slug,
        status: args.status.map(Into::into),
        owner: args.owner,
        target_date: args.target_date,
        tags: args.tags.unwrap_or_default(),
    };
    Ok(Outcome::Done(plan::update(ctx, &change)?.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetQuarterPlan {
    /// Like 2026Q4, or current, next, previous (default current).
    quarter: Option<String>,
}

fn get_quarter_plan(ctx: &ToolContext, args: GetQuarterPlan) -> anyhow::Result<Found<PlanJson>> {
    let plan = plan::quarter_plan(&ctx.look(), args.quarter.as_deref())?;
    Ok(Found {
        said: plan.said(),
        data: PlanJson::from(&plan),
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddUpdate {
    /// The initiative's slug (without +).
    slug: String,
    /// What happened, in words.
    text: String,
}

fn add_update(ctx: &ToolContext, args: AddUpdate) -> anyhow::Result<Outcome> {
    let change = Change {
        slug: args.slug,
        status: None,
        update: Some(Update::Text(args.text)),
    };
    Ok(Outcome::Done(projects::change(ctx, &change)?.said()))
}

#[derive(Deserialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum State {
    Open,
    Draft,
    Merged,
    Closed,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct LinkPr {
    /// The initiative's slug (without +).
    slug: String,
    /// The pull request's address (https://…).
    url: String,
    /// Its title.
    title: Option<String>,
    state: Option<State>,
}

fn link_pr(ctx: &ToolContext, args: LinkPr) -> anyhow::Result<Outcome> {
    let link = PullRequestLink {
        slug: args.slug,
        url: args.url,
        title: args.title.unwrap_or_default(),
        state: args.state.map(|state| match state {
            State::Open => PrState::Open,
            State::Draft => PrState::Draft,
            State::Merged => PrState::Merged,
            State::Closed => PrState::Closed,
        }),
    };
    Ok(Outcome::Done(plan::link_pr(ctx, &link)?.said()))
}
