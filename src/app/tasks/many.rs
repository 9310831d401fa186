//! Several tasks at once: `done_many` (the words of `myorg done`, `/done` and the
//! model's `complete_task`: one task's words, or several references and line numbers)
//! and `edit_many` (the same fields set on several tasks). Several tasks change in one
//! commit ([`Operation::Bulk`]), all or nothing: a reference that names no task, or
//! several, changes nothing and the error names it. More than [`CONFIRM_OVER`] tasks
//! at once wait for the person's yes, as a [`Pending`] (Taskwarrior's habit); a
//! request may set its own bound (`usize::MAX`: the person said yes already; 1: every
//! bulk change waits, as the team's `bulk` directive `confirm` asks of the model).

use super::{Completed, Written, complete_at, edit, todo};
use crate::app::confirm::Pending;
use crate::app::{Ctx, Error, Result};
use crate::store::operation::TODO;
use crate::store::{Operation, PushReport};
use myorg_domain::fields::{self, Fields};
use myorg_domain::recurrence;
use myorg_domain::reference::{self, Named, Scope};
use myorg_parsers::TodoFile;

/// More tasks than this, changed at once, need the person's confirmation.
pub const CONFIRM_OVER: usize = 3;

pub use crate::app::confirm::BULK;

/// What a request naming one task or several did.
#[derive(Debug, Clone)]
pub enum Several<T> {
    /// It named one task: that task's result.
    One(T),
    /// It named several, changed in one commit.
    Changed(Changed),
    /// It named more than [`CONFIRM_OVER`]: nothing changed until the person confirms.
    Confirm(Pending),
}

/// Several tasks changed in one commit.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The commit's subject.
    pub summary: String,
    /// One line a task: `Done: LINE`, `Now REF: LINE`, `Next REF: LINE`.
    pub lines: Vec<String>,
    pub push: PushReport,
}

impl Changed {
    /// `Done 2 tasks:` or `Changed 2 tasks:`, then a line each.
    pub fn said(&self) -> String {
        let mut said = vec![self.summary.clone()];
        said.extend(self.lines.iter().cloned());
        said.join("\n")
    }
}

/// A bulk change waiting for the person: `Complete 4 tasks at once:` and the lines.
fn pending(ctx: &Ctx, verb: &str, lines: &[String], operations: Vec<Operation>) -> Pending {
    let mut preview = format!("{verb} {} tasks at once:", lines.len());
    for line in lines {
        preview.push_str(&format!("\n  {line}"));
    }
    Pending::new(ctx, BULK, preview, Operation::Bulk { operations })
}

/// Applies `operations` as one commit.
fn apply(ctx: &Ctx, operations: Vec<Operation>, lines: Vec<String>) -> Result<Changed> {
    let applied = ctx.store.apply(Operation::Bulk { operations }, &ctx.actor)?;
    Ok(Changed {
        summary: applied.summary,
        lines,
        push: applied.push,
    })
}

/// The line of todo.txt at `index`.
fn line_at(todo: &TodoFile, index: usize) -> String {
    todo.text(index).unwrap_or_default().to_string()
}

/// Completes what `words` name ([`reference::find_named`]): one task as [`super::complete`]
/// does (with `summary` for log.txt), or several in one commit, recurring ones coming
/// back with their next dates; more than `confirm_over` (usually [`CONFIRM_OVER`])
/// wait for the person. A summary is for one task.
pub fn done_many(
    ctx: &Ctx,
    words: &[String],
    summary: Option<&str>,
    confirm_over: usize,
) -> Result<Several<Completed>> {
    let todo = todo(ctx.store)?;
    let indices = match reference::find_named(&todo, words, Scope::Open)? {
        Named::One(index) => {
            let line = line_at(&todo, index);
            return complete_at(ctx, &todo, index, line, summary).map(Several::One);
        }
        Named::Several(indices) => indices,
    };
    if summary.is_some() {
        return Err(Error::Invalid(format!(
            "a summary is for one task, and {} were named: complete them without one, or one at a time",
            indices.len()
        )));
    }
    let on = ctx.now.date();
    let mut operations = Vec::new();
    let mut lines = Vec::new();
    let mut said = Vec::new();
    for index in indices {
        let line = line_at(&todo, index);
        if let Some(task) = todo.get(index).and_then(|item| item.task()) {
            let mut done = task.clone();
            done.complete(on);
            said.push(format!("Done: {}", done.render()));
            if let Some(next) = recurrence::next_occurrence(task, on) {
                said.push(format!("Next {}: {}", reference::short(&next), next.render()));
            }
        }
        lines.push(line.clone());
        operations.push(Operation::CompleteTask { line, on });
    }
    if lines.len() > confirm_over {
        return Ok(Several::Confirm(pending(ctx, "Complete", &lines, operations)));
    }
    apply(ctx, operations, said).map(Several::Changed)
}

/// Edits each task `given` names ([`reference::find_each`]: a reference, a line number
/// or words each) with `fields`, in one commit; one task as [`super::edit`] does (new
/// `text` too). New text is for one task. More than `confirm_over` tasks (usually
/// [`CONFIRM_OVER`]) wait for the person. A task the fields would not change is an error that
/// names it; nothing changes.
pub fn edit_many(
    ctx: &Ctx,
    given: &[String],
    text: Option<&str>,
    fields: &Fields,
    confirm_over: usize,
) -> Result<Several<Written>> {
    if let [one] = given {
        return edit(ctx, one, text, fields).map(Several::One);
    }
    let todo = todo(ctx.store)?;
    let indices = reference::find_each(&todo, given, Scope::All)?;
    if let [one] = indices.as_slice() {
        // The same task named more than once.
        let task = todo
            .get(*one)
            .and_then(|item| item.task())
            .ok_or_else(|| Error::Invalid(format!("line {} of {TODO} is not a task", one + 1)))?;
        let built = fields::edit(&ctx.people()?, ctx.now.date(), task, text, fields)?;
        return super::rewrite(ctx, line_at(&todo, *one), built.task, built.notes).map(Several::One);
    }
    if text.is_some() {
        return Err(Error::Invalid(format!(
            "new text is for one task, and {} were named: change the text of one at a time",
            indices.len()
        )));
    }
    let people = ctx.people()?;
    let today = ctx.now.date();
    let mut operations = Vec::new();
    let mut lines = Vec::new();
    let mut said = Vec::new();
    for index in indices {
        let line = line_at(&todo, index);
        let task = todo
            .get(index)
            .and_then(|item| item.task())
            .ok_or_else(|| Error::Invalid(format!("line {} of {TODO} is not a task", index + 1)))?;
        let built = fields::edit(&people, today, task, None, fields)
            .map_err(|why| Error::Invalid(format!("line {} of {TODO}: {why}", index + 1)))?;
        let new_line = built.task.render();
        said.push(format!("Now {}: {new_line}", reference::short(&built.task)));
        said.extend(built.notes.iter().map(|note| format!("Note: {note}")));
        lines.push(format!("{line} → {new_line}"));
        operations.push(Operation::UpdateTask { line, new_line });
    }
    if operations.len() > confirm_over {
        return Ok(Several::Confirm(pending(ctx, "Edit", &lines, operations)));
    }
    apply(ctx, operations, said).map(Several::Changed)
}
