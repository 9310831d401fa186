//! The slash commands and the "Add as task" message command. Each one turns the
//! person's typed options into the request of a use case of [`crate::app`], runs it
//! as that person, and shows its typed result (the same use case the terminal's
//! command and the model's tool call); so Discord, the terminal and the model change
//! the store in exactly the same way.
//!
//! Work that may take a while (a commit, a pull) runs on the blocking pool; when it
//! has not answered within two seconds the interaction is deferred, so Discord's
//! three seconds are never missed.
//!
//! The helpers are here; the commands by area in `tasks.rs`, `projects.rs`,
//! `store.rs` (briefings, suggestions and the store), `context.rs`, `goals.rs`
//! (goals and working memory), `kpi.rs` (figures and their charts) and `settings.rs`
//! (a person's own settings); `examples.rs` holds an example of each for `/help`.

mod context;
mod examples;
mod goals;
mod kpi;
mod projects;
mod settings;
mod store;
mod tasks;

use super::buttons::{self, MOST_PAGES, PER_PAGE};
use super::reply;
use super::retry::patiently;
use super::text::{self, DESCRIPTION_LIMIT};
use super::{Context, Data, Error};
use crate::app;
use crate::app::confirm::Pending;
use context::context_command;
use goals::{goals, remember};
use kpi::kpi;
use poise::CreateReply;
use projects::{note, project, projects_command};
use settings::settings;
use std::future::Future;
use std::time::{Duration, Instant};
use store::{briefing, help, history, review, status, suggest, sync, undo, usage_command};
use tasks::{add, add_as_task, agenda_command, done, event, tasks_command, today, waiting};

/// How long work may take before the interaction is deferred.
const DEFER_AFTER: Duration = Duration::from_secs(2);

/// Every command, in the order `/help` lists them.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        add(),
        done(),
        tasks_command(),
        today(),
        agenda_command(),
        event(),
        waiting(),
        projects_command(),
        project(),
        note(),
        briefing(),
        review(),
        suggest(),
        context_command(),
        undo(),
        history(),
        sync(),
        status(),
        usage_command(),
        help(),
        goals(),
        remember(),
        settings(),
        kpi(),
        add_as_task(),
    ]
}

/// Runs `work`, deferring the interaction when it is slow.
pub(super) async fn in_time<T: Send + 'static>(
    ctx: Context<'_>,
    work: impl Future<Output = T> + Send + 'static,
) -> Result<T, Error> {
    let mut handle = tokio::spawn(work);
    tokio::select! {
        done = &mut handle => return Ok(done?),
        _ = tokio::time::sleep(DEFER_AFTER) => {}
    }
    patiently("deferring", || ctx.defer()).await?;
    Ok(handle.await?)
}

/// Runs the use case `work` as the person of `ctx` on the blocking pool, deferring the
/// interaction when it is slow; `name` names it in the log.
pub(super) async fn run<T: Send + 'static>(
    ctx: Context<'_>,
    name: &'static str,
    work: impl FnOnce(&app::Ctx) -> app::Result<T> + Send + 'static,
) -> Result<app::Result<T>, Error> {
    let data = ctx.data();
    let caller = data.asker(ctx.author(), ctx.channel_id().get());
    let started = Instant::now();
    let done = in_time(ctx, data.app.run(&caller, data.now(), work)).await??;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match &done {
        Ok(_) => tracing::info!(use_case = name, outcome = "done", elapsed_ms, "discord: use case"),
        Err(error) => {
            tracing::info!(
                use_case = name,
                outcome = "refused",
                elapsed_ms,
                "discord: use case"
            );
            tracing::debug!(use_case = name, why = %text::clip(&error.to_string(), 200), "discord: why it was refused");
        }
    }
    Ok(done)
}

/// Says what a use case did (`said` of its result), or why it did nothing, privately.
pub(super) async fn say<T>(
    ctx: Context<'_>,
    done: app::Result<T>,
    said: impl FnOnce(T) -> String,
) -> Result<(), Error> {
    match done {
        Ok(result) => reply::say(ctx, &said(result)).await,
        Err(error) => reply::error(ctx, &error.to_string()).await,
    }
}

/// Shows what a use case did (`shown` of its result) as an embed titled `title`, or
/// why it did nothing, privately.
pub(super) async fn titled<T>(
    ctx: Context<'_>,
    done: app::Result<T>,
    title: &str,
    shown: impl FnOnce(T) -> String,
) -> Result<(), Error> {
    match done {
        Ok(result) => reply::embeds(ctx, title, &shown(result)).await,
        Err(error) => reply::error(ctx, &error.to_string()).await,
    }
}

/// Asks the person of `ctx` to confirm `pending`, with buttons.
pub(super) async fn ask_to_confirm(ctx: Context<'_>, pending: Pending) -> Result<(), Error> {
    let preview = pending.preview.clone();
    let asker = ctx.data().asker(ctx.author(), ctx.channel_id().get());
    let id = ctx
        .data()
        .app
        .confirmations
        .request(&asker.handle, pending, Instant::now());
    let content = text::clip(
        &format!("Please confirm (within 5 minutes): {preview}"),
        text::MESSAGE_LIMIT,
    );
    let ask = CreateReply::default()
        .content(content)
        .components(vec![buttons::confirm_row(&id)]);
    reply::send(ctx, ask).await
}

/// Shows lines as a list titled `title` (`empty` when there are none), in pages with
/// buttons when they do not fit one embed.
pub(super) async fn list(
    ctx: Context<'_>,
    title: &str,
    lines: Vec<String>,
    empty: &str,
) -> Result<(), Error> {
    paged(ctx, title, lines, empty, None).await
}

/// [`list`] of tasks (`REF text` lines), each page with a menu to pick tasks and a
/// Done button, for the person who asked alone.
pub(super) async fn task_list(
    ctx: Context<'_>,
    title: &str,
    lines: Vec<String>,
    empty: &str,
) -> Result<(), Error> {
    paged(ctx, title, lines, empty, Some(ctx.author().id.get())).await
}

async fn paged(
    ctx: Context<'_>,
    title: &str,
    lines: Vec<String>,
    empty: &str,
    picker: Option<u64>,
) -> Result<(), Error> {
    if lines.is_empty() {
        return reply::embeds(ctx, title, empty).await;
    }
    let all = lines.join("\n");
    let mut lines: Vec<String> = all.lines().map(str::to_string).collect();
    // The pages are kept for their buttons: a bounded number of lines.
    let most = PER_PAGE * MOST_PAGES - 1;
    if lines.len() > most + 1 {
        let more = lines.len() - most;
        lines.truncate(most);
        lines.push(format!(
            "… and {more} more: narrow the search (query, owner, due before)"
        ));
    }
    let pages = text::pages(&lines, PER_PAGE, DESCRIPTION_LIMIT);
    if pages.len() <= 1 && picker.is_none() {
        return reply::embeds(ctx, title, &all).await;
    }
    let id = ctx.data().pages.keep(title, pages.clone(), picker);
    let (embed, components) = buttons::page(&id, title, &pages, 0, picker);
    reply::send(ctx, CreateReply::default().embed(embed).components(components)).await
}
