//! The slash commands and the "Add as task" message command. Each one performs the
//! operation the agent's tool of the same purpose performs (the registry in
//! `crate::agent::tools`), with the person's options as the tool's arguments, or
//! shows what the matching `myorg` command shows; so Discord, the terminal and the
//! model change the store in exactly the same way.
//!
//! Work that may take a while (a commit, a pull) runs on the blocking pool; when it
//! has not answered within two seconds the interaction is deferred, so Discord's
//! three seconds are never missed.

use super::buttons::{self, MOST_PAGES, PER_PAGE};
use super::complete::{contexts, people, projects, tasks};
use super::reply;
use super::text::{self, DESCRIPTION_LIMIT};
use super::{Context, Data, Error};
use crate::agent::tools::{Outcome, ToolContext};
use crate::commands::{agenda, projects as project_command, store as store_command, usage};
use poise::CreateReply;
use poise::serenity_prelude as serenity;
use serde_json::{Value, json};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
async fn in_time<T: Send + 'static>(
    ctx: Context<'_>,
    work: impl Future<Output = T> + Send + 'static,
) -> Result<T, Error> {
    let mut handle = tokio::spawn(work);
    tokio::select! {
        done = &mut handle => return Ok(done?),
        _ = tokio::time::sleep(DEFER_AFTER) => {}
    }
    ctx.defer().await?;
    Ok(handle.await?)
}

/// Calls tool `name` with `arguments` as the person of `ctx`.
async fn call(ctx: Context<'_>, name: &'static str, arguments: Value) -> Result<Outcome, Error> {
    let data = ctx.data();
    let asker = data.asker(ctx.author(), ctx.channel_id().get());
    let now = (data.now)();
    let (config, store, registry) = (
        Arc::clone(&data.config),
        Arc::clone(&data.store),
        Arc::clone(&data.registry),
    );
    let started = Instant::now();
    let outcome = in_time(ctx, async move {
        tokio::task::spawn_blocking(move || {
            let context = ToolContext {
                config: &config,
                store: &store,
                actor: asker.actor,
                handle: asker.handle,
                now,
            };
            registry.call(&context, name, &arguments)
        })
        .await
    })
    .await??;
    let said = match &outcome {
        Outcome::Done(text) => text.lines().next().unwrap_or("").to_string(),
        Outcome::Failed(why) => format!("refused: {why}"),
        Outcome::NeedsConfirmation(pending) => format!("to confirm: {}", pending.preview),
    };
    eprintln!(
        "myorg: discord: {} ({}): {name} → {} ({} ms)",
        ctx.author().name,
        ctx.author().id,
        text::clip(&said, 200),
        started.elapsed().as_millis()
    );
    Ok(outcome)
}

/// Shows an outcome: as text, or as an embed titled `title`.
async fn show(ctx: Context<'_>, outcome: Outcome, title: Option<&str>) -> Result<(), Error> {
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
            ctx.send(
                CreateReply::default()
                    .content(content)
                    .components(vec![buttons::confirm_row("", &id)]),
            )
            .await?;
            Ok(())
        }
    }
}

/// Shows the lines of an outcome as a paginated list.
async fn show_list(ctx: Context<'_>, outcome: Outcome, title: &str) -> Result<(), Error> {
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
    ctx.send(CreateReply::default().embed(embed).components(components))
        .await?;
    Ok(())
}

/// Puts the given options into a JSON object, leaving out the missing ones.
fn arguments(fields: &[(&str, Option<Value>)]) -> Value {
    let map = fields
        .iter()
        .filter_map(|(key, value)| value.clone().map(|value| (key.to_string(), value)))
        .collect();
    Value::Object(map)
}

/// Runs blocking work reading the configuration and returns its text.
async fn report(
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

/// Add a task to todo.txt
#[poise::command(slash_command)]
async fn add(
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
    let arguments = arguments(&[
        ("text", Some(json!(text))),
        ("due", due.map(Value::from)),
        ("priority", priority.map(|p| Value::from(p.to_uppercase()))),
        ("project", project.map(Value::from)),
        ("context", context.map(Value::from)),
        ("owner", owner.map(Value::from)),
    ]);
    let outcome = call(ctx, "add_task", arguments).await?;
    show(ctx, outcome, None).await
}

/// Mark a task done
#[poise::command(slash_command)]
async fn done(
    ctx: Context<'_>,
    #[description = "The task: its reference, line number or words"]
    #[autocomplete = "tasks"]
    task: String,
    #[description = "A note about how it went (goes to log.txt)"]
    #[max_length = 1000]
    summary: Option<String>,
) -> Result<(), Error> {
    if let Some(summary) = summary {
        let noted = call(ctx, "add_note", json!({"text": summary, "task": task})).await?;
        if let Outcome::Failed(_) = noted {
            return show(ctx, noted, None).await;
        }
    }
    let outcome = call(ctx, "complete_task", json!({ "task": task })).await?;
    show(ctx, outcome, None).await
}

/// Open tasks, most urgent first
#[poise::command(slash_command, rename = "tasks")]
async fn tasks_command(
    ctx: Context<'_>,
    #[description = "Words, +project, @context"] query: Option<String>,
    #[description = "Only this person's (\"me\" for yours)"]
    #[autocomplete = "people"]
    owner: Option<String>,
    #[description = "Only overdue tasks"] overdue: Option<bool>,
    #[description = "Due on or before (a date or words)"] due_before: Option<String>,
) -> Result<(), Error> {
    let arguments = arguments(&[
        ("query", query.map(Value::from)),
        ("owner", owner.map(Value::from)),
        ("overdue", overdue.map(Value::from)),
        ("due_before", due_before.map(Value::from)),
        ("limit", Some(json!(10_000))),
    ]);
    let outcome = call(ctx, "search_tasks", arguments).await?;
    show_list(ctx, outcome, "Tasks").await
}

/// Today's events, overdue tasks and tasks due today
#[poise::command(slash_command)]
async fn today(ctx: Context<'_>) -> Result<(), Error> {
    let now = (ctx.data().now)();
    match report(ctx, move |config| agenda::today_report(config, now)).await? {
        Ok(text) => reply::embeds(ctx, "Today", &text).await,
        Err(why) => reply::error(ctx, &why).await,
    }
}

/// The next days: events and tasks due
#[poise::command(slash_command, rename = "agenda")]
async fn agenda_command(
    ctx: Context<'_>,
    #[description = "How many days (default 7)"]
    #[min = 1]
    #[max = 60]
    days: Option<u32>,
) -> Result<(), Error> {
    let now = (ctx.data().now)();
    let days = days.unwrap_or(7).clamp(1, 60);
    match report(ctx, move |config| agenda::agenda_report(config, now, days)).await? {
        Ok(text) => reply::embeds(ctx, &format!("The next {days} days"), &text).await,
        Err(why) => reply::error(ctx, &why).await,
    }
}

/// Add an event to the calendar
#[poise::command(slash_command)]
async fn event(
    ctx: Context<'_>,
    #[description = "The day: fri, tomorrow, dec 5, 2026-12-05"] date: String,
    #[description = "What it is"]
    #[max_length = 500]
    text: String,
    #[description = "HH:MM or HH:MM-HH:MM; empty for all day"] time: Option<String>,
) -> Result<(), Error> {
    let arguments = arguments(&[
        ("date", Some(json!(date))),
        ("text", Some(json!(text))),
        ("time", time.map(Value::from)),
    ]);
    let outcome = call(ctx, "add_event", arguments).await?;
    show(ctx, outcome, None).await
}

/// Waiting-for items: what others owe, the ones to chase first
#[poise::command(slash_command)]
async fn waiting(
    ctx: Context<'_>,
    #[description = "Only what this person owes"]
    #[autocomplete = "people"]
    who: Option<String>,
    #[description = "Only the ones to chase"] stale: Option<bool>,
) -> Result<(), Error> {
    let arguments = arguments(&[("who", who.map(Value::from)), ("stale", stale.map(Value::from))]);
    let outcome = call(ctx, "list_waiting", arguments).await?;
    show_list(ctx, outcome, "Waiting for").await
}

/// A project's or goal's status.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
enum Status {
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
async fn projects_command(
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
async fn project(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Its line, progress, open tasks and recent log
#[poise::command(slash_command, rename = "show")]
async fn project_show(
    ctx: Context<'_>,
    #[description = "The project's slug"]
    #[autocomplete = "projects"]
    slug: String,
) -> Result<(), Error> {
    let now = (ctx.data().now)();
    let bare = slug.trim().trim_start_matches('+').to_string();
    let title = format!("+{bare}");
    match report(ctx, move |config| project_command::show_text(config, now, &bare)).await? {
        Ok(text) => reply::embeds(ctx, &title, &text).await,
        Err(why) => reply::error(ctx, &why).await,
    }
}

/// Set its status
#[poise::command(slash_command, rename = "status")]
async fn project_status(
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
async fn project_update(
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
async fn project_link(
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
async fn note(
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

/// Which briefing.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
enum Kind {
    #[name = "morning"]
    Morning,
    #[name = "evening"]
    Evening,
    #[name = "weekly"]
    Weekly,
}

/// Your briefing: events, due tasks, priorities, waiting-for, goals
#[poise::command(slash_command)]
async fn briefing(
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
async fn review(ctx: Context<'_>) -> Result<(), Error> {
    let outcome = call(ctx, "get_briefing", json!({"kind": "weekly"})).await?;
    show(ctx, outcome, Some("Weekly review")).await
}

/// How much energy there is.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
enum Energy {
    #[name = "low"]
    Low,
    #[name = "high"]
    High,
}

/// What to do next, ranked, each with a reason
#[poise::command(slash_command)]
async fn suggest(
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
async fn undo(
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
async fn history(
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
async fn sync(ctx: Context<'_>) -> Result<(), Error> {
    let store = Arc::clone(&ctx.data().store);
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
async fn status(ctx: Context<'_>) -> Result<(), Error> {
    let outcome = call(ctx, "git_status", json!({})).await?;
    show(ctx, outcome, Some("Store")).await
}

/// The language models' use and today's budget
#[poise::command(slash_command, rename = "usage")]
async fn usage_command(
    ctx: Context<'_>,
    #[description = "How many days back (default 7)"]
    #[min = 1]
    #[max = 90]
    days: Option<u32>,
) -> Result<(), Error> {
    let now = (ctx.data().now)();
    let state = ctx.data().store.state_dir().to_path_buf();
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
async fn help(ctx: Context<'_>) -> Result<(), Error> {
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
    ctx.send(reply.ephemeral(true)).await?;
    Ok(())
}

/// Adds the message's text as a task.
#[poise::command(context_menu_command = "Add as task")]
async fn add_as_task(ctx: Context<'_>, message: serenity::Message) -> Result<(), Error> {
    let words = message.content.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.is_empty() {
        return reply::error(ctx, "That message has no text to make a task of.").await;
    }
    let text = text::clip(&words, 500);
    let outcome = call(ctx, "add_task", json!({ "text": text })).await?;
    show(ctx, outcome, None).await
}
