//! The slash commands and the "Add as task" message command. Each one performs the
//! operation the agent's tool of the same purpose performs (the registry in
//! `crate::agent::tools`), with the person's options as the tool's arguments, or
//! shows what the matching `myorg` command shows; so Discord, the terminal and the
//! model change the store in exactly the same way.
//!
//! Work that may take a while (a commit, a pull) runs on the blocking pool; when it
//! has not answered within two seconds the interaction is deferred, so Discord's
//! three seconds are never missed.
//!
//! The helpers are here; the commands by area in `tasks.rs`, `projects.rs` and
//! `store.rs` (briefings, suggestions and the store).

mod projects;
mod store;
mod tasks;

use super::buttons::{self, MOST_PAGES, PER_PAGE};
use super::reply;
use super::retry::patiently;
use super::text::{self, DESCRIPTION_LIMIT};
use super::{Context, Data, Error};
use crate::agent::tools::Outcome;
use poise::CreateReply;
use projects::{note, project, projects_command};
use serde_json::Value;
use std::future::Future;
use std::sync::Arc;
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
        undo(),
        history(),
        sync(),
        status(),
        usage_command(),
        help(),
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

/// Calls tool `name` with `arguments` as the person of `ctx`.
pub(super) async fn call(ctx: Context<'_>, name: &'static str, arguments: Value) -> Result<Outcome, Error> {
    let data = ctx.data();
    let asker = data.asker(ctx.author(), ctx.channel_id().get());
    let started = Instant::now();
    let work = data.with_tools(asker, move |registry, context| {
        registry.call(context, name, &arguments)
    });
    let outcome = in_time(ctx, work).await??;
    let said = match &outcome {
        Outcome::Done(text) => text.lines().next().unwrap_or("").to_string(),
        Outcome::Failed(why) => format!("refused: {why}"),
        Outcome::NeedsConfirmation(pending) => format!("to confirm: {}", pending.preview),
    };
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let kind = match &outcome {
        Outcome::Done(_) => "done",
        Outcome::Failed(_) => "failed",
        Outcome::NeedsConfirmation(_) => "needs confirmation",
    };
    tracing::info!(tool = name, outcome = kind, elapsed_ms, "discord: tool called");
    tracing::debug!(tool = name, said = %text::clip(&said, 200), "discord: what the tool said");
    Ok(outcome)
}

/// Shows an outcome: as text, or as an embed titled `title`.
pub(super) async fn show(ctx: Context<'_>, outcome: Outcome, title: Option<&str>) -> Result<(), Error> {
    match outcome {
        Outcome::Done(answer) => match title {
            Some(title) => reply::embeds(ctx, title, &answer).await,
            None => reply::say(ctx, &answer).await,
        },
        Outcome::Failed(why) => reply::error(ctx, &why).await,
        Outcome::NeedsConfirmation(pending) => {
            let preview = pending.preview.clone();
            let asker = ctx.data().asker(ctx.author(), ctx.channel_id().get());
            let id = ctx.data().held.request(&asker.handle, pending, Instant::now());
            let content = text::clip(
                &format!("Please confirm (within 5 minutes): {preview}"),
                text::MESSAGE_LIMIT,
            );
            let ask = CreateReply::default()
                .content(content)
                .components(vec![buttons::confirm_row("", &id)]);
            reply::send(ctx, ask).await
        }
    }
}

/// Shows the lines of an outcome as a paginated list.
pub(super) async fn show_list(ctx: Context<'_>, outcome: Outcome, title: &str) -> Result<(), Error> {
    let Outcome::Done(answer) = outcome else {
        return show(ctx, outcome, Some(title)).await;
    };
    let mut lines: Vec<String> = answer.lines().map(str::to_string).collect();
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
    if pages.len() <= 1 {
        return reply::embeds(ctx, title, &answer).await;
    }
    let id = ctx.data().pages.keep(title, pages.clone());
    let (embed, components) = buttons::page(&id, title, &pages, 0);
    reply::send(ctx, CreateReply::default().embed(embed).components(components)).await
}

/// Puts the given options into a JSON object, leaving out the missing ones.
pub(super) fn arguments(fields: &[(&str, Option<Value>)]) -> Value {
    let map = fields
        .iter()
        .filter_map(|(key, value)| value.clone().map(|value| (key.to_string(), value)))
        .collect();
    Value::Object(map)
}

/// Runs blocking work reading the configuration and returns its text.
pub(super) async fn report(
    ctx: Context<'_>,
    work: impl FnOnce(&crate::config::Config) -> anyhow::Result<String> + Send + 'static,
) -> Result<Result<String, String>, Error> {
    let config = Arc::clone(&ctx.data().config);
    let done = in_time(ctx, async move {
        tokio::task::spawn_blocking(move || work(&config).map_err(|error| format!("{error:#}"))).await
    })
    .await??;
    Ok(done)
}
