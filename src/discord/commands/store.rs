//! Briefings, suggestions and the store: `/briefing`, `/review`, `/suggest`,
//! `/undo`, `/history`, `/sync`, `/status`, `/usage`, `/help`.

use super::{arguments, call, in_time, report, show};
use crate::commands::{store as store_command, usage};
use crate::discord::complete::contexts;
use crate::discord::text;
use crate::discord::{Context, Error, reply};
use poise::CreateReply;
use serde_json::{Value, json};
use std::sync::Arc;

/// Which briefing.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub(super) enum Kind {
    #[name = "morning"]
    Morning,
    #[name = "evening"]
    Evening,
    #[name = "weekly"]
    Weekly,
}

/// Your briefing: events, due tasks, priorities, waiting-for, goals
#[poise::command(slash_command)]
pub(super) async fn briefing(
    ctx: Context<'_>,
    #[description = "Morning (default), evening or weekly"] kind: Option<Kind>,
    #[description = "The day (default today)"] date: Option<String>,
) -> Result<(), Error> {
    let word = match kind.unwrap_or(Kind::Morning) {
        Kind::Morning => "morning",
        Kind::Evening => "evening",
        Kind::Weekly => "weekly",
    };
    let arguments = arguments(&[("kind", Some(json!(word))), ("date", date.map(Value::from))]);
    let outcome = call(ctx, "get_briefing", arguments).await?;
    show(
        ctx,
        outcome,
        Some(&format!("{} briefing", text::capitalised(word))),
    )
    .await
}

/// The weekly review: the week's briefing and the review checklist
#[poise::command(slash_command)]
pub(super) async fn review(ctx: Context<'_>) -> Result<(), Error> {
    let outcome = call(ctx, "get_briefing", json!({"kind": "weekly"})).await?;
    show(ctx, outcome, Some("Weekly review")).await
}

/// How much energy there is.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub(super) enum Energy {
    #[name = "low"]
    Low,
    #[name = "high"]
    High,
}

/// What to do next, ranked, each with a reason
#[poise::command(slash_command)]
pub(super) async fn suggest(
    ctx: Context<'_>,
    #[description = "Where you are, like @home"]
    #[autocomplete = "contexts"]
    context: Option<String>,
    #[description = "Minutes available"]
    #[min = 1]
    #[max = 1440]
    minutes: Option<u32>,
    #[description = "Your energy"] energy: Option<Energy>,
) -> Result<(), Error> {
    let arguments = arguments(&[
        ("context", context.map(Value::from)),
        ("minutes", minutes.map(Value::from)),
        (
            "energy",
            energy.map(|e| Value::from(if matches!(e, Energy::Low) { "low" } else { "high" })),
        ),
    ]);
    let outcome = call(ctx, "suggest_tasks", arguments).await?;
    show(ctx, outcome, Some("Suggestions")).await
}

/// Undo a change (the newest by default); you confirm first
#[poise::command(slash_command)]
pub(super) async fn undo(
    ctx: Context<'_>,
    #[description = "A commit id from /history (default: the newest change)"] commit: Option<String>,
) -> Result<(), Error> {
    let outcome = call(
        ctx,
        "undo_change",
        arguments(&[("commit", commit.map(Value::from))]),
    )
    .await?;
    show(ctx, outcome, None).await
}

/// Recent changes to the store, newest first
#[poise::command(slash_command)]
pub(super) async fn history(
    ctx: Context<'_>,
    #[description = "Only changes to this file, like todo.txt"] file: Option<String>,
    #[description = "How many (default 10)"]
    #[min = 1]
    #[max = 100]
    limit: Option<u32>,
) -> Result<(), Error> {
    let arguments = arguments(&[("path", file.map(Value::from)), ("limit", limit.map(Value::from))]);
    let outcome = call(ctx, "git_log", arguments).await?;
    show(ctx, outcome, Some("History")).await
}

/// Pull and push the store now
#[poise::command(slash_command)]
pub(super) async fn sync(ctx: Context<'_>) -> Result<(), Error> {
    let store = Arc::clone(&ctx.data().app.store);
    let synced = in_time(ctx, async move {
        tokio::task::spawn_blocking(move || store.sync()).await
    })
    .await??;
    match synced {
        Ok(report) => {
            let lines = store_command::sync_lines(&report);
            let text = if lines.is_empty() {
                "In sync with the remote.".to_string()
            } else {
                lines.join("\n")
            };
            reply::say(ctx, &text).await
        }
        Err(error) => reply::error(ctx, &format!("The sync failed: {error:#}")).await,
    }
}

/// The store: branch, remote, unpushed commits, uncommitted edits
#[poise::command(slash_command)]
pub(super) async fn status(ctx: Context<'_>) -> Result<(), Error> {
    let outcome = call(ctx, "git_status", json!({})).await?;
    show(ctx, outcome, Some("Store")).await
}

/// The language models' use and today's budget
#[poise::command(slash_command, rename = "usage")]
pub(super) async fn usage_command(
    ctx: Context<'_>,
    #[description = "How many days back (default 7)"]
    #[min = 1]
    #[max = 90]
    days: Option<u32>,
) -> Result<(), Error> {
    let now = ctx.data().now();
    let state = ctx.data().app.store.state_dir().to_path_buf();
    let days = days.unwrap_or(7);
    let answer = report(ctx, move |config| {
        let ledger = crate::agent::usage::Ledger::new(&state);
        usage::report(config, &ledger, now, days)
    })
    .await?;
    match answer {
        Ok(text) => reply::embeds(ctx, "Usage", &text).await,
        Err(why) => reply::error(ctx, &why).await,
    }
}

/// What the assistant can do
#[poise::command(slash_command)]
pub(super) async fn help(ctx: Context<'_>) -> Result<(), Error> {
    let mut lines = Vec::new();
    for command in &ctx.framework().options().commands {
        if command.slash_action.is_some() {
            let description = command.description.as_deref().unwrap_or("");
            lines.push(format!("`/{}`: {description}", command.name));
        }
    }
    lines.push("Right-click a message → Apps → **Add as task**.".to_string());
    let chat = if ctx.data().agent.is_some() {
        "Or just write to me here, in a direct message, or mention me: I can search, add, change and summarise your tasks, calendar and projects, and ask before anything destructive."
    } else {
        "Free-form chat needs a language model, and none is configured; every command works without one."
    };
    lines.push(String::new());
    lines.push(chat.to_string());
    let reply = CreateReply {
        embeds: reply::embed_messages("MyOrg Assistant", &lines.join("\n"))
            .into_iter()
            .next()
            .unwrap_or_default(),
        ..Default::default()
    };
    reply::send(ctx, reply.ephemeral(true)).await
}
