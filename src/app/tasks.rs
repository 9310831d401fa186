//! Tasks: add, complete (with a note for log.txt and working memory), edit, delete
//! (confirmed first), archive and search. References, dates in words and the urgency
//! order come from the domain crate; every change is one store operation, authored by
//! the person asking. Several tasks at once: `many.rs` ([`done_many`], [`edit_many`]).

mod many;
mod references;
mod scan;
mod search;
#[cfg(test)]
mod tests;
pub use many::{BULK, CONFIRM_OVER, Changed, Several, done_many, edit_many};
pub use search::{Lines, search, search_lines, search_some};

use super::confirm::Pending;
use super::{Ctx, Error, Look, Result};
use crate::store::operation::TODO;
use crate::store::{Operation, PushReport};
use chrono::NaiveDate;
use myorg_domain::fields::{self, Fields};
use myorg_domain::files::Page;
use myorg_domain::notes;
use myorg_domain::reference::{self, References, Scope};
use myorg_domain::search::Filter;
use myorg_parsers::{Task, TodoFile};

/// A task to add: its text (which may hold `+project @context key:value`) and fields.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    pub text: String,
    pub fields: Fields,
}

/// A task written: its reference, its line, and notes for the person (an unknown
/// owner, a due date in the past).
#[derive(Debug, Clone)]
pub struct Written {
    pub reference: String,
    pub line: String,
    pub task: Task,
    pub notes: Vec<String>,
    pub push: PushReport,
}

impl Written {
    /// What happened, for a person or the model: `VERB REF: LINE` and its notes.
    pub fn said(&self, verb: &str) -> String {
        with_notes(format!("{verb} {}: {}", self.reference, self.line), &self.notes)
    }
}

/// `text` and a `Note: …` line for each note.
pub fn with_notes(text: String, notes: &[String]) -> String {
    notes
        .iter()
        .fold(text, |text, note| format!("{text}\nNote: {note}"))
}

/// Adds a task, created today.
pub fn add(ctx: &Ctx, new: &NewTask) -> Result<Written> {
    let built = fields::new_task(&ctx.people()?, ctx.now.date(), &new.text, &new.fields)?;
    write_new(ctx, built.task, built.notes)
}

/// Adds `task` as it is (already checked), with `notes` for the person.
pub fn write_new(ctx: &Ctx, task: Task, notes: Vec<String>) -> Result<Written> {
    let line = task.render();
    let applied = ctx
        .store
        .apply(Operation::AddTask { line: line.clone() }, &ctx.actor)?;
    Ok(Written {
        reference: reference::short(&task),
        line,
        task,
        notes,
        push: applied.push,
    })
}

/// todo.txt as it is now.
pub fn todo(files: &dyn super::Files) -> Result<TodoFile> {
    Ok(TodoFile::parse(files.read(TODO)?))
}

/// The index and line of the task `given` names in `todo`.
pub fn named(todo: &TodoFile, given: &str, scope: Scope) -> Result<(usize, String)> {
    let index = reference::find(todo, given, scope)?;
    Ok((index, todo.text(index).unwrap_or_default().to_string()))
}

/// A task completed: the commit's subject, the task as done, the next occurrence of a
/// recurring one, and what became of the note for log.txt.
#[derive(Debug, Clone)]
pub struct Completed {
    pub summary: String,
    /// The line as it was.
    pub line: String,
    pub done: Option<Task>,
    pub next: Option<Task>,
    /// The log.txt line written, or why it was not.
    pub note: Option<std::result::Result<String, String>>,
    pub push: PushReport,
}

impl Completed {
    /// What happened, in full (a commit's subject is cut): the task as done, the next
    /// occurrence, and the note.
    pub fn said(&self) -> String {
        let mut said = match &self.done {
            Some(done) => format!("Done: {}", done.render()),
            None => format!("Done: {}", self.line),
        };
        if let Some(next) = &self.next {
            said.push_str(&format!("\nNext {}: {}", reference::short(next), next.render()));
        }
        match &self.note {
            Some(Ok(note)) => said.push_str(&format!("\nAdded to log.txt: {note}")),
            Some(Err(error)) => said.push_str(&format!("\nThe summary was not written to log.txt: {error}")),
            None => {}
        }
        said
    }
}

/// Completes the open task `given` names; then, when there is a `summary`, writes it to
/// log.txt about the task. A task not found or not completed leaves no note behind.
/// With a summary, working-memory.txt gets `done REF "WORDS": SUMMARY` in the
/// completion's commit.
pub fn complete(ctx: &Ctx, given: &str, summary: Option<&str>) -> Result<Completed> {
    let todo = todo(ctx.store)?;
    let (index, line) = named(&todo, given, Scope::Open)?;
    complete_at(ctx, &todo, index, line, summary)
}

/// Completes the task at `index` of `todo`, whose line is `line`, as [`complete`] does.
fn complete_at(
    ctx: &Ctx,
    todo: &TodoFile,
    index: usize,
    line: String,
    summary: Option<&str>,
) -> Result<Completed> {
    let on = ctx.now.date();
    let task = todo.get(index).and_then(|item| item.task()).cloned();
    // The note is checked before anything changes, and written only once the task is done.
    let note = match (summary, &task) {
        (Some(summary), Some(task)) => {
            let text = notes::about_task(summary, task)?;
            Some(notes::entry_line(ctx.now, &ctx.handle, &text)?)
        }
        (Some(summary), None) => Some(notes::entry_line(ctx.now, &ctx.handle, summary)?),
        (None, _) => None,
    };
    // A summary makes the completion worth remembering, in the same commit.
    let mut operation = Operation::CompleteTask {
        line: line.clone(),
        on,
    };
    if let (Some(summary), Some(task)) = (summary, &task) {
        let reference = References::of(todo).shown(task);
        let text = myorg_domain::memory::completed(&reference, task, summary)?;
        operation = super::memory::remembering(ctx, operation, &text)?;
    }
    let applied = ctx.store.apply(operation, &ctx.actor)?;
    let (done, next) = match task {
        Some(task) => {
            let next = myorg_domain::recurrence::next_occurrence(&task, on);
            let mut done = task;
            done.complete(on);
            (Some(done), next)
        }
        None => (None, None),
    };
    let mut push = applied.push;
    let note = note.map(|note| {
        match ctx
            .store
            .apply(Operation::AppendLog { line: note.clone() }, &ctx.actor)
        {
            Ok(applied) => {
                push = applied.push;
                Ok(note)
            }
            Err(error) => Err(format!("{error:#}")),
        }
    });
    Ok(Completed {
        summary: applied.summary,
        line,
        done,
        next,
        note,
        push,
    })
}

/// Edits the task `given` names (done ones too): new words (keeping its fields) and
/// fields; an edit that changes nothing is refused.
pub fn edit(ctx: &Ctx, given: &str, text: Option<&str>, fields: &Fields) -> Result<Written> {
    let todo = todo(ctx.store)?;
    let (index, line) = named(&todo, given, Scope::All)?;
    let task = todo
        .get(index)
        .and_then(|item| item.task())
        .ok_or_else(|| Error::Invalid("that line is not a task".to_string()))?;
    let built = fields::edit(&ctx.people()?, ctx.now.date(), task, text, fields)?;
    rewrite(ctx, line, built.task, built.notes)
}

/// Replaces the line `line` of todo.txt by `task` (already checked), with `notes`
/// for the person.
pub fn rewrite(ctx: &Ctx, line: String, task: Task, notes: Vec<String>) -> Result<Written> {
    let new_line = task.render();
    let applied = ctx.store.apply(
        Operation::UpdateTask {
            line,
            new_line: new_line.clone(),
        },
        &ctx.actor,
    )?;
    Ok(Written {
        reference: reference::short(&task),
        line: new_line,
        task,
        notes,
        push: applied.push,
    })
}

/// The deletion of the task `given` names (done ones too), for the person to
/// confirm: nothing changes until [`super::confirm::apply`].
pub fn delete(ctx: &Ctx, given: &str) -> Result<Pending> {
    let todo = todo(ctx.store)?;
    let (index, line) = named(&todo, given, Scope::All)?;
    let preview = format!("Delete line {} of {TODO}: {line}", index + 1);
    Ok(Pending::new(
        ctx,
        "delete_task",
        preview,
        Operation::DeleteTask { line },
    ))
}

/// Deletes the line `line` of todo.txt, which the person confirmed on the spot (the
/// terminal's prompt): the commit's subject.
pub fn delete_confirmed(ctx: &Ctx, line: &str) -> Result<(String, PushReport)> {
    let applied = ctx.store.apply(
        Operation::DeleteTask {
            line: line.to_string(),
        },
        &ctx.actor,
    )?;
    Ok((applied.summary, applied.push))
}

/// Done tasks move to done.txt: the commit's subject.
pub fn archive(ctx: &Ctx) -> Result<(String, PushReport)> {
    let applied = ctx.store.apply(Operation::Archive, &ctx.actor)?;
    Ok((applied.summary, applied.push))
}

/// Whose tasks a search keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// The asker's, and unassigned ones.
    Me,
    /// This person's (a name or a handle).
    Named(String),
}

impl Owner {
    /// `me` is the asker; anything else names a person.
    pub fn from_given(given: &str) -> Owner {
        if given.trim().eq_ignore_ascii_case("me") {
            Owner::Me
        } else {
            Owner::Named(given.trim().to_string())
        }
    }
}

/// A search of tasks.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Words, `+project`, `@context`, `(A)-(C)`, `owner:NAME`.
    pub words: Vec<String>,
    pub done: bool,
    pub hidden: bool,
    pub overdue: bool,
    /// Due on or before (a date or words).
    pub due_before: Option<String>,
    /// Due on or after (a date or words).
    pub due_after: Option<String>,
    pub owner: Option<Owner>,
}

/// A task found: its reference (at its shortest unique length), line, urgency.
#[derive(Debug, Clone)]
pub struct Hit {
    pub reference: String,
    /// The 0-based line index.
    pub index: usize,
    /// The line as written.
    pub line: String,
    pub task: Task,
    pub urgency: f64,
}

/// The search `query` asks for, read on `today`.
pub fn filter(look: &Look, query: &Query) -> Result<Filter> {
    let today = look.now.date();
    let mut filter = Filter::from_query(query.words.iter().map(String::as_str));
    filter.include_done = query.done;
    filter.include_hidden = query.hidden;
    filter.overdue = query.overdue;
    filter.due_before = query
        .due_before
        .as_deref()
        .map(|w| fields::when(w, today))
        .transpose()?;
    filter.due_after = query
        .due_after
        .as_deref()
        .map(|w| fields::when(w, today))
        .transpose()?;
    match &query.owner {
        Some(Owner::Me) => {
            filter.owner = Some(look.handle.to_string());
            filter.unassigned_too = true;
        }
        Some(Owner::Named(name)) => filter.owner = Some(look.people()?.owner_handle(name)),
        None => {}
    }
    Ok(filter)
}

/// A page of the tasks a search keeps.
#[derive(Debug, Clone)]
pub struct Listed {
    pub hits: Vec<Hit>,
    pub page: Page,
}

impl Listed {
    /// `REF LINE` for each task.
    pub fn lines(&self) -> Vec<String> {
        self.hits
            .iter()
            .map(|hit| format!("{} {}", hit.reference, hit.line))
            .collect()
    }
}

/// Page `number` (from 1) of the tasks `query` keeps, most urgent first, `per_page` a
/// page; a page past the last is [`Error::Invalid`] (an empty search has one page).
pub fn page(look: &Look, query: &Query, number: usize, per_page: usize) -> Result<Listed> {
    let per_page = per_page.max(1);
    let skip = number.saturating_sub(1).saturating_mul(per_page);
    let (hits, total) = search_some(look, query, skip, per_page)?;
    let Some(page) = Page::of(total, number, per_page) else {
        let pages = Page::of(total, 1, per_page).map_or(1, |page| page.pages);
        let matching = match total {
            1 => "1 task matches".to_string(),
            count => format!("{count} tasks match"),
        };
        return Err(Error::Invalid(format!(
            "{matching}, {pages} page{} of {per_page}; there is no page {number}",
            if pages == 1 { "" } else { "s" }
        )));
    };
    Ok(Listed { hits, page })
}

/// The day `text` names, relative to `today`.
pub fn day(text: &str, today: NaiveDate) -> Result<NaiveDate> {
    Ok(fields::when(text, today)?)
}
