//! The project and note tools: `list_projects`, `update_project` (a status, an
//! update in log.txt, or both) and `add_note` (log.txt or working-memory.txt): their
//! arguments to the use cases of [`crate::app::projects`] and [`crate::app::notes`],
//! the same `myorg projects`, `project SLUG` and `note` run. The listing also gives
//! its projects as data ([`ProjectJson`], as `myorg projects --json` prints them).

use super::{Effect, Found, Outcome, Tool, ToolContext, limited, reading_tool_with_data, tool};
use crate::app::json::ProjectJson;
use crate::app::notes::{self, Note};
use crate::app::projects::{self, Change, Listing, Update};
use myorg_parsers::ProjectStatus;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How many projects a listing shows.
const LISTED: usize = 100;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        reading_tool_with_data(
            "list_projects",
            "Projects (or goals) with status and progress.",
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

/// The projects (or goals) listed, by status as the text has them: the first ones
/// shown, and how many there are.
#[derive(Serialize, JsonSchema)]
struct ProjectsFound {
    projects: Vec<ProjectJson>,
    /// How many the listing holds, shown or not.
    total: usize,
    /// How many done ones were left out (no status was asked for).
    done_left_out: usize,
}

fn list_projects(ctx: &ToolContext, args: ListProjects) -> anyhow::Result<Found<ProjectsFound>> {
    let listing = Listing {
        goals: args.goals.unwrap_or(false),
        status: args.status.map(Into::into),
        all: false,
    };
    let listed = projects::list(&ctx.look(), &listing)?;
    let projects = listed
        .by_status()
        .into_iter()
        .flat_map(|(_, group)| group)
        .take(LISTED)
        .map(ProjectJson::from)
        .collect();
    Ok(Found {
        said: limited(listed.lines(), LISTED, listed.none()),
        data: ProjectsFound {
            projects,
            total: listed.shown.len(),
            done_left_out: listed.done_left_out,
        },
    })
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
