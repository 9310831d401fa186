//! The task tools: `add_task`, `complete_task` (with an optional summary for
//! log.txt, written once the task is done), `update_task`, `delete_task`*,
//! `search_tasks`, and the waiting-for ones, `list_waiting` and `add_waiting`. What
//! a task becomes is decided by the same functions `myorg add`, `edit`, `tasks` and
//! `waiting` use; references are the ones the CLI shows.

use super::{Effect, Outcome, Pending, Tool, ToolContext, limited, tool, with_notes};
use crate::commands::tasks::{self as command, Fields, Listing, find, short_reference};
use crate::commands::waiting as waiting_command;
use crate::store::Operation;
use crate::store::operation::TODO;
use myorg_domain::notes;
use myorg_domain::reference::{References, Scope};
use myorg_domain::search;
use myorg_domain::waiting::{self, WaitingFilter};
use myorg_parsers::TodoFile;
use schemars::JsonSchema;
use serde::Deserialize;

/// How many tasks a search shows unless told.
const SEARCH_LIMIT: usize = 20;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        tool(
            "add_task",
            "Add a task to todo.txt. Returns its reference.",
            Effect::Changes,
            add_task,
        ),
        tool(
            "complete_task",
            "Mark an open task done; a summary of how it went goes to log.txt once it is done.",
            Effect::Changes,
            complete_task,
        ),
        tool(
            "update_task",
            "Change a task's text or fields; \"none\" clears a field.",
            Effect::Changes,
            update_task,
        ),
        tool(
            "delete_task",
            "Delete a task (the person confirms first).",
            Effect::Confirmed,
            delete_task,
        ),
        tool(
            "search_tasks",
            "Find tasks, most urgent first: one line each, reference first.",
            Effect::Reads,
            search_tasks,
        ),
        tool(
            "list_waiting",
            "Waiting-for items (what others owe), the ones to chase first.",
            Effect::Reads,
            list_waiting,
        ),
        tool(
            "add_waiting",
            "Record that someone owes something.",
            Effect::Changes,
            add_waiting,
        ),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddTask {
    /// The task; may hold +project @context key:value.
    text: String,
    /// A to Z.
    #[schemars(regex(pattern = r"^[A-Za-z]$"))]
    priority: Option<String>,
    /// A date or words: fri, tomorrow, in 2 weeks, dec 5.
    due: Option<String>,
    project: Option<String>,
    context: Option<String>,
    /// A person's name or handle.
    owner: Option<String>,
}

fn add_task(ctx: &ToolContext, args: AddTask) -> anyhow::Result<Outcome> {
    let fields = Fields {
        due: args.due,
        threshold: None,
        priority: args.priority,
        project: args.project,
        context: args.context,
        owner: args.owner,
    };
    let (task, notes) = command::new_task(ctx.config, ctx.now, &args.text, &fields)?;
    let line = task.render();
    ctx.store
        .apply(Operation::AddTask { line: line.clone() }, &ctx.actor)?;
    Ok(Outcome::Done(with_notes(
        format!("Added {}: {line}", short_reference(&task)),
        &notes,
    )))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TaskRef {
    /// Its reference, line number, or words of exactly one task.
    task: String,
}

fn todo(ctx: &ToolContext) -> anyhow::Result<TodoFile> {
    Ok(TodoFile::parse(ctx.store.read(TODO)?))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CompleteTask {
    /// Its reference, line number, or words of exactly one task.
    task: String,
    /// How it went: a note for log.txt about the task.
    summary: Option<String>,
}

/// Completes the task, then writes its summary: a task that is not found, or not
/// completed, leaves no note behind.
fn complete_task(ctx: &ToolContext, args: CompleteTask) -> anyhow::Result<Outcome> {
    let todo = todo(ctx)?;
    let index = find(&todo, &args.task, Scope::Open)?;
    let line = todo.text(index).unwrap_or_default().to_string();
    let on = ctx.now.date();
    // What the operation writes, said in full (the commit subject is cut).
    let task = todo.get(index).and_then(|item| item.task()).cloned();
    // The note is checked before anything changes, and written only once the task is done.
    let note = match (args.summary.as_deref(), &task) {
        (Some(summary), Some(task)) => {
            let text = notes::about_task(summary, task)?;
            Some(notes::entry_line(ctx.now, &ctx.handle, &text)?)
        }
        (Some(summary), None) => Some(notes::entry_line(ctx.now, &ctx.handle, summary)?),
        (None, _) => None,
    };
    ctx.store.apply(
        Operation::CompleteTask {
            line: line.clone(),
            on,
        },
        &ctx.actor,
    )?;
    let mut result = match task {
        Some(task) => {
            let next = myorg_domain::recurrence::next_occurrence(&task, on);
            let mut done = task;
            done.complete(on);
            let mut result = format!("Done: {}", done.render());
            if let Some(next) = next {
                result.push_str(&format!("\nNext {}: {}", short_reference(&next), next.render()));
            }
            result
        }
        None => format!("Done: {line}"),
    };
    if let Some(note) = note {
        match ctx
            .store
            .apply(Operation::AppendLog { line: note.clone() }, &ctx.actor)
        {
            Ok(_) => result.push_str(&format!("\nAdded to log.txt: {note}")),
            Err(error) => result.push_str(&format!("\nThe summary was not written to log.txt: {error:#}")),
        }
    }
    Ok(Outcome::Done(result))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateTask {
    /// Its reference, line number, or words of exactly one task.
    task: String,
    /// New text (replaces the words, keeps the fields).
    text: Option<String>,
    priority: Option<String>,
    /// A date or words.
    due: Option<String>,
    /// Hidden until this date (threshold).
    threshold: Option<String>,
    /// Adds a +project.
    project: Option<String>,
    /// Adds a @context.
    context: Option<String>,
    owner: Option<String>,
}

fn update_task(ctx: &ToolContext, args: UpdateTask) -> anyhow::Result<Outcome> {
    let fields = Fields {
        due: args.due,
        threshold: args.threshold,
        priority: args.priority,
        project: args.project,
        context: args.context,
        owner: args.owner,
    };
    let todo = todo(ctx)?;
    let edit = command::edited(
        ctx.config,
        ctx.now,
        &todo,
        &args.task,
        args.text.as_deref(),
        &fields,
    )?;
    ctx.store.apply(
        Operation::UpdateTask {
            line: edit.line,
            new_line: edit.new_line.clone(),
        },
        &ctx.actor,
    )?;
    Ok(Outcome::Done(with_notes(
        format!("Now {}: {}", short_reference(&edit.task), edit.new_line),
        &edit.notes,
    )))
}

fn delete_task(ctx: &ToolContext, args: TaskRef) -> anyhow::Result<Outcome> {
    let todo = todo(ctx)?;
    let index = find(&todo, &args.task, Scope::All)?;
    let line = todo.text(index).unwrap_or_default().to_string();
    let preview = format!("Delete line {} of {TODO}: {line}", index + 1);
    Ok(Outcome::NeedsConfirmation(Pending::new(
        ctx,
        "delete_task",
        preview,
        Operation::DeleteTask { line },
    )))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SearchTasks {
    /// Words, +project, @context, (A)-(C) priority range.
    query: Option<String>,
    /// Only this person's (name or handle); "me" for the asker's and unassigned.
    owner: Option<String>,
    /// Due on or before (date or words).
    due_before: Option<String>,
    overdue: Option<bool>,
    /// Include done tasks.
    done: Option<bool>,
    /// Default 20.
    limit: Option<u32>,
}

fn search_tasks(ctx: &ToolContext, args: SearchTasks) -> anyhow::Result<Outcome> {
    let me = args
        .owner
        .as_deref()
        .is_some_and(|owner| owner.trim().eq_ignore_ascii_case("me"));
    let listing = Listing {
        query: args
            .query
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        done: args.done.unwrap_or(false),
        overdue: args.overdue.unwrap_or(false),
        due_before: args.due_before,
        owner: args.owner.filter(|_| !me),
        ..Listing::default()
    };
    let mut filter = command::filter(ctx.config, ctx.now.date(), &listing)?;
    if me {
        filter.owner = Some(ctx.handle.clone());
        filter.unassigned_too = true;
    }
    let bytes = ctx.store.read(TODO)?;
    let text = String::from_utf8_lossy(&bytes);
    let found = search::search_text(&text, &filter, ctx.now.date());
    let references = References::of_text(&text);
    let lines = found
        .iter()
        .map(|hit| format!("{} {}", references.shown(&hit.task), hit.line))
        .collect();
    let limit = args.limit.map_or(SEARCH_LIMIT, |limit| limit as usize);
    Ok(Outcome::Done(limited(lines, limit, "No tasks match.")))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListWaiting {
    /// Only items owed by this person.
    who: Option<String>,
    /// Only the ones to chase.
    stale: Option<bool>,
}

fn list_waiting(ctx: &ToolContext, args: ListWaiting) -> anyhow::Result<Outcome> {
    let people = ctx.config.people()?;
    let filter = WaitingFilter {
        who: args.who.as_deref().map(|who| people.owner_handle(who)),
        stale_only: args.stale.unwrap_or(false),
        include_done: false,
    };
    let todo = todo(ctx)?;
    let stale_after = ctx.config.waiting.stale_after_days.into();
    let items = waiting::waiting(&todo, &filter, ctx.now.date(), stale_after);
    let references = References::of(&todo);
    let lines = items
        .iter()
        .map(|item| waiting_command::describe(&references, item, ctx.now.date()))
        .collect();
    Ok(Outcome::Done(limited(
        lines,
        SEARCH_LIMIT,
        "Nothing to wait for.",
    )))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AddWaiting {
    /// Who owes it (name or handle).
    who: String,
    /// What they owe.
    what: String,
    /// When to chase (date or words).
    followup: Option<String>,
}

fn add_waiting(ctx: &ToolContext, args: AddWaiting) -> anyhow::Result<Outcome> {
    let (task, notes) = waiting_command::new_item(
        ctx.config,
        ctx.now.date(),
        &args.who,
        &args.what,
        args.followup.as_deref(),
    )?;
    let line = task.render();
    ctx.store
        .apply(Operation::AddTask { line: line.clone() }, &ctx.actor)?;
    Ok(Outcome::Done(with_notes(
        format!("Waiting {}: {line}", short_reference(&task)),
        &notes,
    )))
}
