//! The project and note tools: `list_projects`, `show_project` (one in full),
//! `create_project`, `create_goal`, `update_project` (a status, an update in log.txt,
//! or both), `project_link` (a link in log.txt) and `add_note` (log.txt or
//! working-memory.txt): their arguments to the use cases of [`crate::app::projects`]
//! and [`crate::app::notes`], the same `myorg projects`, `project SLUG`, `project new`,
//! `project SLUG link` and `note` run. The reading ones also give their result as data
//! ([`ProjectJson`], [`ProjectShownJson`], as `--json` prints them).

use super::{Effect, Found, Outcome, Tool, ToolContext, limited, reading_tool_with_data, tool};
use crate::app::json::{ProjectJson, ProjectShownJson};
use crate::app::notes::{self, Note};
use crate::app::projects::{self, Change, Listing, New, Update};
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
        reading_tool_with_data(
            "show_project",
            "One project or goal in full: its line, progress, open tasks, recent log.",
            show_project,
        ),
        tool(
            "create_project",
            "Add a project to projects.txt.",
            Effect::Changes,
            create_project,
        ),
        tool(
            "create_goal",
            "Add a goal to goals.txt, for a quarter.",
            Effect::Changes,
            create_goal,
        ),
        tool(
            "project_link",
            "Log a link (a document, a pull request) about a project or goal in log.txt.",
            Effect::Changes,
            project_link,
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

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ShowProject {
    /// Its slug (without +).
    slug: String,
}

fn show_project(ctx: &ToolContext, args: ShowProject) -> anyhow::Result<Found<ProjectShownJson>> {
    let shown = projects::show(&ctx.look(), &args.slug)?;
    Ok(Found {
        said: shown.said().trim_end().to_string(),
        data: ProjectShownJson::from(&shown),
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateProject {
    /// Its short name, like kitchen (letters, digits, - _ .).
    slug: String,
    /// What it is, in words.
    text: String,
    /// Default active.
    status: Option<Status>,
    /// A person's name or handle.
    owner: Option<String>,
    /// A date or words.
    due: Option<String>,
    /// The slug of the goal it serves.
    goal: Option<String>,
    /// Like work or home.
    area: Option<String>,
}

fn create_project(ctx: &ToolContext, args: CreateProject) -> anyhow::Result<Outcome> {
    let new = New {
        slug: args.slug,
        text: args.text,
        status: args.status.map(Into::into),
        owner: args.owner,
        due: args.due,
        goal: args.goal,
        area: args.area,
        ..New::default()
    };
    Ok(Outcome::Done(projects::add(ctx, &new)?.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateGoal {
    /// Its short name, like ship-v2 (letters, digits, - _ .).
    slug: String,
    /// What it is; may hold telos:SECTION, the telos.md heading it serves.
    text: String,
    /// Like 2026Q4.
    quarter: Option<String>,
    /// Default active.
    status: Option<Status>,
    /// A person's name or handle.
    owner: Option<String>,
    /// A date or words.
    due: Option<String>,
    /// Like work or home.
    area: Option<String>,
}

fn create_goal(ctx: &ToolContext, args: CreateGoal) -> anyhow::Result<Outcome> {
    let new = New {
        slug: args.slug,
        text: args.text,
        status: args.status.map(Into::into),
        owner: args.owner,
        due: args.due,
        area: args.area,
        quarter: args.quarter,
        as_goal: true,
        ..New::default()
    };
    Ok(Outcome::Done(projects::add(ctx, &new)?.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ProjectLink {
    /// Its slug (without +).
    slug: String,
    /// The address (https://…, mailto:…).
    url: String,
    /// Words before the link.
    text: Option<String>,
}

fn project_link(ctx: &ToolContext, args: ProjectLink) -> anyhow::Result<Outcome> {
    let change = Change {
        slug: args.slug,
        status: None,
        update: Some(Update::Link {
            url: args.url,
            words: args.text.unwrap_or_default(),
        }),
    };
    Ok(Outcome::Done(projects::change(ctx, &change)?.said()))
}
