//! The task commands: `/add`, `/done`, `/tasks`, `/today`, `/agenda`, `/event`,
//! `/waiting`, and the message command "Add as task".

use super::{list, run, say, task_list};
use crate::app::calendar::{self, Event};
use crate::app::tasks::{self, NewTask, Owner, Query};
use crate::app::waiting;
use crate::discord::complete::{contexts, people, projects, tasks};
use crate::discord::text;
use crate::discord::{Context, Error, reply};
use myorg_domain::fields::Fields;
use poise::serenity_prelude as serenity;

/// Add a task to todo.txt
#[poise::command(slash_command)]
pub(super) async fn add(
    ctx: Context<'_>,
    #[description = "The task; may hold +project @context key:value"]
    #[max_length = 1000]
    text: String,
    #[description = "When it is due: fri, tomorrow, in 2 weeks, 2026-12-05"] due: Option<String>,
    #[description = "Priority, a letter A to Z"]
    #[max_length = 1]
    priority: Option<String>,
    #[description = "A project"]
    #[autocomplete = "projects"]
    project: Option<String>,
    #[description = "A context, like @home"]
    #[autocomplete = "contexts"]
    context: Option<String>,
    #[description = "Whose task it is"]
    #[autocomplete = "people"]
    owner: Option<String>,
) -> Result<(), Error> {
    if let Some(priority) = &priority
        && !priority.chars().all(|c| c.is_ascii_alphabetic())
    {
        return reply::error(
            ctx,
            &format!("The priority must be a letter from A to Z, not {priority:?}."),
        )
        .await;
    }
    // "me", offered by the autocomplete, is the person asking.
    let owner = owner.map(|owner| {
        if owner.trim().eq_ignore_ascii_case("me") {
            ctx.data().asker(ctx.author(), ctx.channel_id().get()).handle
        } else {
            owner
        }
    });
    let new = NewTask {
        text,
        fields: Fields {
            due,
            priority: priority.map(|p| p.to_uppercase()),
            project,
            context,
            owner,
            threshold: None,
        },
    };
    let done = run(ctx, "add", move |app| tasks::add(app, &new)).await?;
    say(ctx, done, |added| added.said("Added")).await
}

/// Mark a task done
#[poise::command(slash_command)]
pub(super) async fn done(
    ctx: Context<'_>,
    #[description = "The task: its reference, line number or words"]
    #[autocomplete = "tasks"]
    task: String,
    #[description = "A note about how it went (goes to log.txt)"]
    #[max_length = 1000]
    summary: Option<String>,
) -> Result<(), Error> {
    // One use case: the summary is written only once the task is done.
    let done = run(ctx, "done", move |app| {
        tasks::complete(app, &task, summary.as_deref())
    })
    .await?;
    say(ctx, done, |completed| completed.said()).await
}

/// Open tasks, most urgent first
#[poise::command(slash_command, rename = "tasks")]
pub(super) async fn tasks_command(
    ctx: Context<'_>,
    #[description = "Words, +project, @context"] query: Option<String>,
    #[description = "Only this person's (\"me\" for yours)"]
    #[autocomplete = "people"]
    owner: Option<String>,
    #[description = "Only overdue tasks"] overdue: Option<bool>,
    #[description = "Due on or before (a date or words)"] due_before: Option<String>,
) -> Result<(), Error> {
    let query = Query {
        words: query
            .iter()
            .flat_map(|q| q.split_whitespace())
            .map(str::to_string)
            .collect(),
        overdue: overdue.unwrap_or(false),
        due_before,
        owner: owner.as_deref().map(Owner::from_given),
        ..Query::default()
    };
    match run(ctx, "tasks", move |app| tasks::search(&app.look(), &query)).await? {
        Ok(found) => {
            let lines = found
                .into_iter()
                .map(|hit| format!("{} {}", hit.reference, hit.line))
                .collect();
            task_list(ctx, "Tasks", lines, "No tasks match.").await
        }
        Err(error) => reply::error(ctx, &error.to_string()).await,
    }
}

/// Your context, today's events, overdue tasks and tasks due today
#[poise::command(slash_command)]
pub(super) async fn today(ctx: Context<'_>) -> Result<(), Error> {
    match run(ctx, "today", |app| calendar::today(&app.look())).await? {
        Ok(today) => reply::embeds(ctx, "Today", &today.said()).await,
        Err(error) => reply::error(ctx, &error.to_string()).await,
    }
}

/// The next days: events and tasks due
#[poise::command(slash_command, rename = "agenda")]
pub(super) async fn agenda_command(
    ctx: Context<'_>,
    #[description = "How many days (default 7)"]
    #[min = 1]
    #[max = 60]
    days: Option<u32>,
) -> Result<(), Error> {
    let days = days.unwrap_or(7).clamp(1, 60);
    match run(ctx, "agenda", move |app| calendar::agenda(&app.look(), days)).await? {
        Ok(agenda) => reply::embeds(ctx, &format!("The next {days} days"), &agenda.said()).await,
        Err(error) => reply::error(ctx, &error.to_string()).await,
    }
}

/// Add an event to the calendar
#[poise::command(slash_command)]
pub(super) async fn event(
    ctx: Context<'_>,
    #[description = "The day: fri, tomorrow, dec 5, 2026-12-05"] date: String,
    #[description = "What it is"]
    #[max_length = 500]
    text: String,
    #[description = "HH:MM or HH:MM-HH:MM; empty for all day"] time: Option<String>,
) -> Result<(), Error> {
    let event = Event::Parts { date, time, text };
    let done = run(ctx, "event", move |app| calendar::add_event(app, &event)).await?;
    say(ctx, done, |added| added.said()).await
}

/// Waiting-for items: what others owe, the ones to chase first
#[poise::command(slash_command)]
pub(super) async fn waiting(
    ctx: Context<'_>,
    #[description = "Only what this person owes"]
    #[autocomplete = "people"]
    who: Option<String>,
    #[description = "Only the ones to chase"] stale: Option<bool>,
) -> Result<(), Error> {
    let query = waiting::Query {
        who,
        stale: stale.unwrap_or(false),
        done: false,
    };
    match run(ctx, "waiting", move |app| waiting::list(&app.look(), &query)).await? {
        Ok(found) => list(ctx, "Waiting for", found.lines(), waiting::NOTHING).await,
        Err(error) => reply::error(ctx, &error.to_string()).await,
    }
}

/// Adds the message's text as a task.
#[poise::command(context_menu_command = "Add as task")]
pub(super) async fn add_as_task(ctx: Context<'_>, message: serenity::Message) -> Result<(), Error> {
    let words = message.content.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.is_empty() {
        return reply::error(ctx, "That message has no text to make a task of.").await;
    }
    let new = NewTask {
        text: text::clip(&words, 500),
        fields: Fields::default(),
    };
    let done = run(ctx, "add", move |app| tasks::add(app, &new)).await?;
    say(ctx, done, |added| added.said("Added")).await
}
