//! The project commands: `/projects`, `/project show|status|update|link`, and
//! `/note`.

use super::{arguments, call, report, show, show_list};
use crate::commands::projects as project_command;
use crate::discord::complete::{projects, tasks};
use crate::discord::{Context, Error, reply};
use serde_json::{Value, json};

/// A project's or goal's status.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub(super) enum Status {
    #[name = "planning"]
    Planning,
    #[name = "active"]
    Active,
    #[name = "blocked"]
    Blocked,
    #[name = "someday"]
    Someday,
    #[name = "done"]
    Done,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Planning => "planning",
            Status::Active => "active",
            Status::Blocked => "blocked",
            Status::Someday => "someday",
            Status::Done => "done",
        }
    }
}

/// Projects (or goals) with status and progress
#[poise::command(slash_command, rename = "projects")]
pub(super) async fn projects_command(
    ctx: Context<'_>,
    #[description = "Only this status (default: all but done)"] status: Option<Status>,
    #[description = "Goals instead of projects"] goals: Option<bool>,
) -> Result<(), Error> {
    let arguments = arguments(&[
        ("status", status.map(|s| Value::from(s.word()))),
        ("goals", goals.map(Value::from)),
    ]);
    let title = if goals == Some(true) { "Goals" } else { "Projects" };
    let outcome = call(ctx, "list_projects", arguments).await?;
    show_list(ctx, outcome, title).await
}

/// One project or goal: show it, set its status, log an update or a link
#[poise::command(
    slash_command,
    subcommands("project_show", "project_status", "project_update", "project_link"),
    subcommand_required
)]
pub(super) async fn project(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Its line, progress, open tasks and recent log
#[poise::command(slash_command, rename = "show")]
pub(super) async fn project_show(
    ctx: Context<'_>,
    #[description = "The project's slug"]
    #[autocomplete = "projects"]
    slug: String,
) -> Result<(), Error> {
    let now = ctx.data().now();
    let bare = slug.trim().trim_start_matches('+').to_string();
    let title = format!("+{bare}");
    match report(ctx, move |config| project_command::show_text(config, now, &bare)).await? {
        Ok(text) => reply::embeds(ctx, &title, &text).await,
        Err(why) => reply::error(ctx, &why).await,
    }
}

/// Set its status
#[poise::command(slash_command, rename = "status")]
pub(super) async fn project_status(
    ctx: Context<'_>,
    #[description = "The project's slug"]
    #[autocomplete = "projects"]
    slug: String,
    #[description = "The new status"] status: Status,
) -> Result<(), Error> {
    let slug = slug.trim().trim_start_matches('+').to_string();
    let outcome = call(
        ctx,
        "update_project",
        json!({"slug": slug, "status": status.word()}),
    )
    .await?;
    show(ctx, outcome, None).await
}

/// Log an update about it
#[poise::command(slash_command, rename = "update")]
pub(super) async fn project_update(
    ctx: Context<'_>,
    #[description = "The project's slug"]
    #[autocomplete = "projects"]
    slug: String,
    #[description = "What happened"]
    #[max_length = 1000]
    text: String,
) -> Result<(), Error> {
    let slug = slug.trim().trim_start_matches('+').to_string();
    let outcome = call(ctx, "update_project", json!({"slug": slug, "update": text})).await?;
    show(ctx, outcome, None).await
}

/// Log a link (a pull request, a document) about it
#[poise::command(slash_command, rename = "link")]
pub(super) async fn project_link(
    ctx: Context<'_>,
    #[description = "The project's slug"]
    #[autocomplete = "projects"]
    slug: String,
    #[description = "The link (http:// or https://)"] url: String,
    #[description = "Words before the link"] text: Option<String>,
) -> Result<(), Error> {
    let line = match myorg_domain::notes::link(&url, text.as_deref().unwrap_or("")) {
        Ok(line) => line,
        Err(error) => return reply::error(ctx, &error.to_string()).await,
    };
    let slug = slug.trim().trim_start_matches('+').to_string();
    let outcome = call(ctx, "update_project", json!({"slug": slug, "update": line})).await?;
    show(ctx, outcome, None).await
}

/// Add a note to log.txt (or to working memory)
#[poise::command(slash_command)]
pub(super) async fn note(
    ctx: Context<'_>,
    #[description = "The note"]
    #[max_length = 1000]
    text: String,
    #[description = "A project or goal it is about"]
    #[autocomplete = "projects"]
    project: Option<String>,
    #[description = "A task it is about"]
    #[autocomplete = "tasks"]
    task: Option<String>,
    #[description = "To working-memory.txt instead of log.txt"] memory: Option<bool>,
) -> Result<(), Error> {
    let arguments = arguments(&[
        ("text", Some(json!(text))),
        ("project", project.map(|p| Value::from(p.trim_start_matches('+')))),
        ("task", task.map(Value::from)),
        ("memory", memory.map(Value::from)),
    ]);
    let outcome = call(ctx, "add_note", arguments).await?;
    show(ctx, outcome, None).await
}
