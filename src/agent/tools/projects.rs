//! The project and note tools: `list_projects`, `update_project` (a status, an
//! update in log.txt, or both) and `add_note` (log.txt or working-memory.txt): their
//! arguments to the use cases of [`crate::app::projects`] and [`crate::app::notes`],
//! the same `myorg projects`, `project SLUG` and `note` run.

use super::{Effect, Outcome, Tool, ToolContext, limited, tool};
use crate::app::notes::{self, Note};
use crate::app::projects::{self, Change, Listing, Update};
use myorg_parsers::ProjectStatus;
use schemars::JsonSchema;
use serde::Deserialize;

/// How many projects a listing shows.
const LISTED: usize = 100;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        tool(
            "list_projects",
            "Projects (or goals) with status and progress.",
            Effect::Reads,
            list_projects,
        ),
        tool(
            "update_project",
            "Set a project's or goal's status and/or log an update about it.",
            Effect::Changes,
            update_project,
        ),
        tool(
            "add_note",
            "Add a note to log.txt (or working memory), optionally about a project or task.",
            Effect::Changes,
            add_note,
        ),
    ]
}

// No doc comment: it would be repeated in every schema that uses it.
#[derive(Deserialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Status {
    Planning,
    Active,
    Blocked,
    Someday,
    Done,
}

impl From<Status> for ProjectStatus {
    fn from(status: Status) -> ProjectStatus {
        match status {
            Status::Planning => ProjectStatus::Planning,
            Status::Active => ProjectStatus::Active,
            Status::Blocked => ProjectStatus::Blocked,
            Status::Someday => ProjectStatus::Someday,
            Status::Done => ProjectStatus::Done,
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListProjects {
    /// Only this status (default: all but done).
    status: Option<Status>,
    /// Goals instead of projects.
    goals: Option<bool>,
}

fn list_projects(ctx: &ToolContext, args: ListProjects) -> anyhow::Result<Outcome> {
    let listing = Listing {
        goals: args.goals.unwrap_or(false),
        status: args.status.map(Into::into),
        all: false,
    };
    let listed = projects::list(&ctx.look(), &listing)?;
    Ok(Outcome::Done(limited(listed.lines(), LISTED, listed.none())))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateProject {
    /// Its slug (without +).
    slug: String,
    status: Option<Status>,
    /// An update to log about it.
    update: Option<String>,
}

fn update_project(ctx: &ToolContext, args: UpdateProject) -> anyhow::Result<Outcome> {
    let change = Change {
        slug: args.slug,
        status: args.status.map(Into::into),
        update: args.update.map(Update::Text),
    };
    Ok(Outcome::Done(projects::change(ctx, &change)?.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddNote {
    text: String,
    /// A project or goal slug it is about.
    project: Option<String>,
    /// A task it is about (reference or words).
    task: Option<String>,
    /// To working-memory.txt instead of log.txt.
    memory: Option<bool>,
}

fn add_note(ctx: &ToolContext, args: AddNote) -> anyhow::Result<Outcome> {
    let note = Note {
        text: args.text,
        project: args.project,
        task: args.task,
        memory: args.memory.unwrap_or(false),
    };
    Ok(Outcome::Done(notes::add(ctx, &note)?.said()))
}
