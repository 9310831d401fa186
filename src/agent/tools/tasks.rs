//! The task tools: `add_task`, `complete_task` (with an optional summary for
//! log.txt, written once the task is done), `update_task` (both also for several
//! tasks at once, `refs`, within the team's `bulk` directive), `delete_task`*,
//! `search_tasks`, `archive_tasks`, and the waiting-for ones, `list_waiting`,
//! `add_waiting`, `waiting_received` and `waiting_followup`: the model's arguments to
//! the use cases of [`crate::app::tasks`] and [`crate::app::waiting`], the same ones
//! `myorg add`, `edit`, `tasks`, `archive` and `waiting` call; references are the ones the CLI shows. The reading ones also give their
//! result as data ([`TaskJson`], [`WaitingJson`], as `--json` prints them).

use super::{Effect, Found, Outcome, Tool, ToolContext, limited, reading_tool_with_data, tool};
use crate::app::json::{TaskJson, WaitingJson};
use crate::app::tasks::{self, NewTask, Owner, Query, Several};
use crate::app::waiting::{self, NewItem};
use crate::config::Directive;
use myorg_domain::fields::Fields;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
            "Mark an open task (or several: refs) done; a summary of how it went goes to log.txt.",
            Effect::Changes,
            complete_task,
        ),
        tool(
            "update_task",
            "Change a task's text or fields (several tasks' fields: refs); \"none\" clears a field.",
            Effect::Changes,
            update_task,
        ),
        tool(
            "delete_task",
            "Delete a task (the person confirms first).",
            Effect::Confirmed,
            delete_task,
        ),
        reading_tool_with_data(
            "search_tasks",
            "Find tasks, most urgent first: one line each, reference first.",
            search_tasks,
        ),
        reading_tool_with_data(
            "list_waiting",
            "Waiting-for items (what others owe), the ones to chase first.",
            list_waiting,
        ),
        tool(
            "add_waiting",
            "Record that someone owes something.",
            Effect::Changes,
            add_waiting,
        ),
        tool(
            "archive_tasks",
            "Move the done tasks from todo.txt to done.txt.",
            Effect::Changes,
            archive_tasks,
        ),
        tool(
            "waiting_received",
            "A waiting-for item arrived: mark it done.",
            Effect::Changes,
            waiting_received,
        ),
        tool(
            "waiting_followup",
            "Set when to chase a waiting-for item (\"none\" removes the date).",
            Effect::Changes,
            waiting_followup,
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
    let new = NewTask {
        text: args.text,
        fields: Fields {
            due: args.due,
            threshold: None,
            priority: args.priority,
            project: args.project,
            context: args.context,
            owner: args.owner,
        },
    };
    Ok(Outcome::Done(tasks::add(ctx, &new)?.said("Added")))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TaskRef {
    /// Its reference, line number, or words of exactly one task.
    task: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CompleteTask {
    /// Its reference, line number, or words of exactly one task.
    task: Option<String>,
    /// Several tasks' references or line numbers, done in one change (all or none).
    refs: Option<Vec<String>>,
    /// How it went: a note for log.txt about the task (one task only).
    summary: Option<String>,
}

/// The tasks a call names: `task`, or `refs`, not both.
fn named(task: Option<String>, refs: Option<Vec<String>>) -> anyhow::Result<Vec<String>> {
    match (task, refs) {
        (Some(task), None) => Ok(vec![task]),
        (None, Some(refs)) if !refs.is_empty() => Ok(refs),
        (Some(_), Some(_)) => anyhow::bail!("give task (one) or refs (several), not both"),
        _ => anyhow::bail!("say which task: task (one) or refs (several references or line numbers)"),
    }
}

/// How many tasks the model may change at once without the person's yes, by the
/// team's `bulk` directive: `never` refuses several, `confirm` holds any bulk change
/// for the person, `auto` the app's rule (more than three wait for the person).
fn bulk_bound(ctx: &ToolContext, count: usize) -> anyhow::Result<usize> {
    match super::directives::bulk(ctx.config) {
        Directive::Never if count > 1 => anyhow::bail!(
            "the team's directives never let the assistant change several tasks at once, whoever asks; \
             {} can do it themselves, or ask for one task at a time",
            ctx.handle
        ),
        Directive::Confirm => Ok(1),
        _ => Ok(tasks::CONFIRM_OVER),
    }
}

/// A bulk change's result: done, or waiting for the person's yes.
fn outcome<T>(several: Several<T>, one: impl FnOnce(T) -> String) -> Outcome {
    match several {
        Several::One(result) => Outcome::Done(one(result)),
        Several::Changed(changed) => Outcome::Done(changed.said()),
        Several::Confirm(pending) => Outcome::NeedsConfirmation(pending),
    }
}

/// Completes the task(s), then writes one task's summary: a task that is not found,
/// or not completed, leaves no note behind. Several tasks are one change.
fn complete_task(ctx: &ToolContext, args: CompleteTask) -> anyhow::Result<Outcome> {
    let words = match (args.task, args.refs) {
        // One task's words, as the model gives them.
        (Some(task), None) => {
            return Ok(Outcome::Done(
                tasks::complete(ctx, &task, args.summary.as_deref())?.said(),
            ));
        }
        (task, refs) => named(task, refs)?,
    };
    let bound = bulk_bound(ctx, words.len())?;
    let several = tasks::done_many(ctx, &words, args.summary.as_deref(), bound)?;
    Ok(outcome(several, |completed| completed.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateTask {
    /// Its reference, line number, or words of exactly one task.
    task: Option<String>,
    /// Several tasks' references or line numbers, changed alike in one change (all or
    /// none; no new text).
    refs: Option<Vec<String>>,
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
    let given = named(args.task, args.refs)?;
    let bound = bulk_bound(ctx, given.len())?;
    let several = tasks::edit_many(ctx, &given, args.text.as_deref(), &fields, bound)?;
    Ok(outcome(several, |written| written.said("Now")))
}

fn delete_task(ctx: &ToolContext, args: TaskRef) -> anyhow::Result<Outcome> {
    Ok(Outcome::NeedsConfirmation(tasks::delete(ctx, &args.task)?))
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

/// The tasks a search found, most urgent first: the first `limit`, and how many
/// matched.
#[derive(Serialize, JsonSchema)]
struct TasksFound {
    tasks: Vec<TaskJson>,
    /// How many tasks matched, shown or not.
    total: usize,
}

fn search_tasks(ctx: &ToolContext, args: SearchTasks) -> anyhow::Result<Found<TasksFound>> {
    let query = Query {
        words: args
            .query
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        done: args.done.unwrap_or(false),
        overdue: args.overdue.unwrap_or(false),
        due_before: args.due_before,
        owner: args.owner.as_deref().map(Owner::from_given),
        ..Query::default()
    };
    let limit = args.limit.map_or(SEARCH_LIMIT, |limit| limit as usize);
    // Only the tasks shown are built; the others are counted.
    let (hits, total) = tasks::search_some(&ctx.look(), &query, 0, limit)?;
    let mut lines: Vec<String> = hits
        .iter()
        .map(|hit| format!("{} {}", hit.reference, hit.line))
        .collect();
    if total > hits.len() {
        lines.push(format!("… and {} more", total - hits.len()));
    }
    Ok(Found {
        said: if total == 0 {
            "No tasks match.".to_string()
        } else {
            lines.join("\n")
        },
        data: TasksFound {
            tasks: hits.iter().map(TaskJson::from).collect(),
            total,
        },
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListWaiting {
    /// Only items owed by this person.
    who: Option<String>,
    /// Only the ones to chase.
    stale: Option<bool>,
}

/// The waiting-for items found, the ones to chase first: the first ones shown, and
/// how many there are.
#[derive(Serialize, JsonSchema)]
struct WaitingFound {
    items: Vec<WaitingJson>,
    /// How many items matched, shown or not.
    total: usize,
}

fn list_waiting(ctx: &ToolContext, args: ListWaiting) -> anyhow::Result<Found<WaitingFound>> {
    let query = waiting::Query {
        who: args.who,
        stale: args.stale.unwrap_or(false),
        done: false,
    };
    let found = waiting::list(&ctx.look(), &query)?;
    Ok(Found {
        said: limited(found.lines(), SEARCH_LIMIT, waiting::NOTHING),
        data: WaitingFound {
            items: found
                .items
                .iter()
                .take(SEARCH_LIMIT)
                .map(WaitingJson::from)
                .collect(),
            total: found.items.len(),
        },
    })
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
    let new = NewItem {
        who: args.who,
        what: args.what,
        followup: args.followup,
    };
    Ok(Outcome::Done(waiting::add(ctx, &new)?.said("Waiting")))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoArguments {}

fn archive_tasks(ctx: &ToolContext, _: NoArguments) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(tasks::archive(ctx)?.0))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WaitingItem {
    /// Its reference, line number, or words of exactly one open item.
    item: String,
}

fn waiting_received(ctx: &ToolContext, args: WaitingItem) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(waiting::received(ctx, &args.item)?.summary))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WaitingFollowup {
    /// Its reference, line number, or words of exactly one open item.
    item: String,
    /// A date or words (fri, in 2 weeks), or none.
    when: String,
}

fn waiting_followup(ctx: &ToolContext, args: WaitingFollowup) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(
        waiting::reschedule(ctx, &args.item, &args.when)?.said("Now"),
    ))
}
