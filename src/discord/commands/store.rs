//! Briefings, suggestions and the store: `/briefing`, `/review` (the weekly review
//! step by step, [`crate::discord::review`]), `/suggest`,
//! `/undo`, `/history`, `/sync`, `/status`, `/usage`, `/help`, over the use cases of
//! [`crate::app::briefing`], [`crate::app::suggest`], [`crate::app::history`],
//! [`crate::app::status`] and [`crate::app::usage`].

use super::{ask_to_confirm, examples, run, titled};
use crate::app::briefing::{self, Asked};
use crate::app::history::{self, Of};
use crate::app::{review, status, suggest, usage};
use crate::discord::complete::contexts;
use crate::discord::text;
use crate::discord::{Context, Error, reply};
use myorg_domain::briefing::Kind as BriefingKind;
use poise::CreateReply;

/// Which briefing.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub(super) enum Kind {
    #[name = "morning"]
    Morning,
    #[name = "evening"]
    Evening,
    #[name = "weekly"]
    Weekly,
    #[name = "team"]
    Team,
}

/// Your briefing: events, due tasks, priorities, waiting-for, goals
#[poise::command(slash_command)]
pub(super) async fn briefing(
    ctx: Context<'_>,
    #[description = "Morning (default), evening, weekly, or the team's week"] kind: Option<Kind>,
    #[description = "The day (default today)"] date: Option<String>,
) -> Result<(), Error> {
    let (word, kind) = match kind.unwrap_or(Kind::Morning) {
        Kind::Morning => ("morning", BriefingKind::Morning),
        Kind::Evening => ("evening", BriefingKind::Evening),
        Kind::Weekly => ("weekly", BriefingKind::Weekly),
        Kind::Team => {
            let done = run(ctx, "team digest", move |app| {
                briefing::team(&app.look(), date.as_deref())
            })
            .await?;
            return titled(ctx, done, "Team digest", |digest| {
                digest.render().trim_end().to_string()
            })
            .await;
        }
    };
    let asked = Asked {
        date,
        ..Asked::mine(kind)
    };
    let done = run(ctx, "briefing", move |app| {
        briefing::briefing(&app.look(), &asked)
    })
    .await?;
    let title = format!("{} briefing", text::capitalised(word));
    titled(ctx, done, &title, |built| {
        briefing::text(&built).trim_end().to_string()
    })
    .await
}

/// Your weekly review, step by step, where you left it
#[poise::command(slash_command)]
pub(super) async fn review(
    ctx: Context<'_>,
    #[description = "Start this week's review again from its first step"] restart: Option<bool>,
) -> Result<(), Error> {
    let done = run(ctx, "review", move |app| {
        if restart.unwrap_or(false) {
            review::restart(app)
        } else {
            review::open(app)
        }
    })
    .await?;
    match done {
        Ok(screen) => {
            let (_, embed, rows) = crate::discord::review::message(&screen, None, false);
            reply::send(ctx, CreateReply::default().embed(embed).components(rows)).await
        }
        Err(error) => reply::error(ctx, &error.to_string()).await,
    }
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
    #[description = "Where you are, like @home (default: your context now)"]
    #[autocomplete = "contexts"]
    context: Option<String>,
    #[description = "Minutes available"]
    #[min = 1]
    #[max = 1440]
    minutes: Option<u32>,
    #[description = "Your energy"] energy: Option<Energy>,
) -> Result<(), Error> {
    let asked = suggest::Asked {
        context,
        minutes,
        energy: energy.map(|level| match level {
            Energy::Low => myorg_domain::suggest::Energy::Low,
            Energy::High => myorg_domain::suggest::Energy::High,
        }),
        ..suggest::Asked::default()
    };
    let done = run(ctx, "suggest", move |app| {
        suggest::suggest_here(&app.look(), &asked)
    })
    .await?;
    titled(ctx, done, "Suggestions", |found| found.said()).await
}

/// Undo a change (the newest by default); you confirm first
#[poise::command(slash_command)]
pub(super) async fn undo(
    ctx: Context<'_>,
    #[description = "A commit id from /history (default: the newest change)"] commit: Option<String>,
) -> Result<(), Error> {
    match run(ctx, "undo", move |app| history::undo(app, commit.as_deref())).await? {
        Ok(pending) => ask_to_confirm(ctx, pending).await,
        Err(error) => reply::error(ctx, &error.to_string()).await,
    }
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
    let of = file.map_or(Of::Everything, Of::File);
    let limit = history::limit(limit);
    let done = run(ctx, "history", move |app| history::history(app, &of, limit)).await?;
    titled(ctx, done, "History", |changes| history::said(&changes)).await
}

/// Pull and push the store now
#[poise::command(slash_command)]
pub(super) async fn sync(ctx: Context<'_>) -> Result<(), Error> {
    match run(ctx, "sync", status::sync).await? {
        Ok(synced) => reply::say(ctx, &synced.said()).await,
        Err(error) => reply::error(ctx, &format!("The sync failed: {error}")).await,
    }
}

/// The store: branch, remote, unpushed commits, uncommitted edits
#[poise::command(slash_command)]
pub(super) async fn status(ctx: Context<'_>) -> Result<(), Error> {
    let done = run(ctx, "status", status::status).await?;
    titled(ctx, done, "Store", |shown| shown.said()).await
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
    let days = days.unwrap_or(7);
    let done = run(ctx, "usage", move |app| usage::usage(app, days)).await?;
    titled(ctx, done, "Usage", |used| used.said()).await
}

/// What the assistant can do
#[poise::command(slash_command)]
pub(super) async fn help(ctx: Context<'_>) -> Result<(), Error> {
    let mut lines = Vec::new();
    for command in &ctx.framework().options().commands {
        if command.slash_action.is_some() || !command.subcommands.is_empty() {
            let description = command.description.as_deref().unwrap_or("");
            let example = examples::example(&command.name)
                .map(|example| format!(" — `{example}`"))
                .unwrap_or_default();
            lines.push(format!("`/{}`: {description}{example}", command.name));
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
