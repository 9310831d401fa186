//! The project and note tools: `list_projects`, `update_project` (a status, an
//! update in log.txt, or both) and `add_note` (log.txt or working-memory.txt), with
//! the same decisions as `myorg projects`, `project SLUG` and `note`.

use super::{Effect, Outcome, Tool, ToolContext, limited, tool};
use crate::commands::notes::{self as notes_command, About};
use crate::commands::projects as command;
use crate::store::Operation;
use anyhow::bail;
use myorg_parsers::ProjectStatus;
use schemars::JsonSchema;
use serde::Deserialize;

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
    let goals = args.goals.unwrap_or(false);
    let lines = command::summary(ctx.store, goals, args.status.map(Into::into))?;
    let none = if goals { "No goals." } else { "No projects." };
    Ok(Outcome::Done(limited(lines, 100, none)))
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
    if args.status.is_none() && args.update.is_none() {
        bail!("say a status or an update");
    }
    // Both checked before either is applied.
    let status = args
        .status
        .map(|status| command::status_change(ctx.store, ctx.now, &args.slug, status.into()))
        .transpose()?;
    let update = args
        .update
        .as_deref()
        .map(|text| command::update_line(ctx.store, &ctx.handle, ctx.now, &args.slug, text))
        .transpose()?;
    let mut done = Vec::new();
    if let Some(operation) = status {
        done.push(ctx.store.apply(operation, &ctx.actor)?.summary);
    }
    if let Some(line) = update {
        ctx.store
            .apply(Operation::AppendLog { line: line.clone() }, &ctx.actor)?;
        done.push(format!("Logged: {line}"));
    }
    Ok(Outcome::Done(done.join("\n")))
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
    let about = About {
        project: args.project,
        task: args.task,
        memory: args.memory.unwrap_or(false),
    };
    let (operation, line) = notes_command::entry(ctx.store, &ctx.handle, ctx.now, &args.text, &about)?;
    let file = match operation {
        Operation::AppendMemory { .. } => "working-memory.txt",
        _ => "log.txt",
    };
    ctx.store.apply(operation, &ctx.actor)?;
    Ok(Outcome::Done(format!("Added to {file}: {line}")))
}
