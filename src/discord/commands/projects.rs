//! The project commands: `/projects`, `/project show|status|update|link`, and
//! `/note`: the options to the use cases of [`crate::app::projects`] and
//! [`crate::app::notes`], their results as replies.

use super::{list, run, say};
use crate::app::notes::{self, Note};
use crate::app::projects::{self, Change, Listing, Update};
use crate::discord::complete::{projects, tasks};
use crate::discord::{Context, Error, reply};
use myorg_parsers::ProjectStatus;

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

/// Projects (or goals) with status and progress
#[poise::command(slash_command, rename = "projects")]
pub(super) async fn projects_command(
    ctx: Context<'_>,
    #[description = "Only this status (default: all but done)"] status: Option<Status>,
    #[description = "Goals instead of projects"] goals: Option<bool>,
) -> Result<(), Error> {
    let listing = Listing {
        goals: goals.unwrap_or(false),
        status: status.map(Into::into),
        all: false,
    };
    let title = if listing.goals { "Goals" } else { "Projects" };
    match run(ctx, "projects", move |app| projects::list(&app.look(), &listing)).await? {
        Ok(listed) => list(ctx, title, listed.lines(), listed.none()).await,
        Err(error) => reply::error(ctx, &error.to_string()).await,
    }
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
    let bare = slug.trim().trim_start_matches('+').to_string();
    let title = format!("+{bare}");
    match run(ctx, "project show", move |app| projects::show(&app.look(), &bare)).await? {
        Ok(shown) => reply::embeds(ctx, &title, &shown.said()).await,
        Err(error) => reply::error(ctx, &error.to_string()).await,
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
    change(ctx, slug, Some(status.into()), None).await
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
    change(ctx, slug, None, Some(Update::Text(text))).await
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
    let update = Update::Link {
        url,
        words: text.unwrap_or_default(),
    };
    change(ctx, slug, None, Some(update)).await
}

/// Changes the project `slug` as the person asked, and says what happened.
async fn change(
    ctx: Context<'_>,
    slug: String,
    status: Option<ProjectStatus>,
    update: Option<Update>,
) -> Result<(), Error> {
    let change = Change { slug, status, update };
    let done = run(ctx, "project", move |app| projects::change(app, &change)).await?;
    say(ctx, done, |changed| changed.said()).await
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
    let note = Note {
        text,
        project,
        task,
        memory: memory.unwrap_or(false),
    };
    let done = run(ctx, "note", move |app| notes::add(app, &note)).await?;
    say(ctx, done, |noted| noted.said()).await
}
