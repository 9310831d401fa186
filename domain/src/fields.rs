//! A task built or edited from fields (the options of `myorg add`/`edit`, a slash
//! command's, a tool's arguments): dates in words read relative to today, an owner
//! named by name written as their handle, `none` clearing a field. Pure: the people
//! and today's date are passed in.

use crate::people::People;
use crate::when::parse_when;
use chrono::NaiveDate;
use myorg_parsers::Task;
use myorg_parsers::todo::Priority;
use std::fmt;

/// What may be set on a task besides its text; `none` clears a date, the priority or
/// the owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub due: Option<String>,
    pub threshold: Option<String>,
    pub priority: Option<String>,
    pub project: Option<String>,
    pub context: Option<String>,
    pub owner: Option<String>,
}

/// Why the fields make no task: said for the person, nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}

/// A task and the notes for the person that go with it (an unknown owner, a due date
/// in the past).
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub task: Task,
    pub notes: Vec<String>,
}

/// The task `text` and `fields` make, created `today` unless the text says when.
pub fn new_task(people: &People, today: NaiveDate, text: &str, fields: &Fields) -> Result<Built, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Invalid("a task needs some text".to_string()));
    }
    // `x …` typed as a new task is its text, not a done marker.
    let mut task = Task::parse(text);
    if task.is_done() {
        task = Task::new(text);
    }
    if task.created().is_none() {
        task.set_created(Some(today));
    }
    let notes = apply(people, &mut task, fields, today)?;
    if task.description().is_empty() {
        return Err(Invalid("a task needs some text besides its tags".to_string()));
    }
    Ok(Built { task, notes })
}

/// `task` with new words (keeping its fields) and `fields` set; an edit that changes
/// nothing is refused.
pub fn edit(
    people: &People,
    today: NaiveDate,
    task: &Task,
    text: Option<&str>,
    fields: &Fields,
) -> Result<Built, Invalid> {
    let mut edited = task.clone();
    if let Some(text) = text {
        let text = text.trim();
        if text.is_empty() {
            return Err(Invalid("a task needs some text".to_string()));
        }
        edited.set_description(text);
    }
    let notes = apply(people, &mut edited, fields, today)?;
    let line = task.render();
    if edited.render() == line {
        return Err(Invalid(format!(
            "nothing to change: the task already reads {line:?}"
        )));
    }
    Ok(Built { task: edited, notes })
}

/// Sets what `fields` say on `task`; the notes for the person.
fn apply(
    people: &People,
    task: &mut Task,
    fields: &Fields,
    today: NaiveDate,
) -> Result<Vec<String>, Invalid> {
    let mut notes = Vec::new();
    let invalid = |error: &dyn fmt::Display| Invalid(error.to_string());
    // Dates in words inside the text (`due:fri`) become dates too.
    for key in ["due", "t"] {
        if let Some(value) = task.tag(key).map(str::to_string)
            && myorg_parsers::date::parse_date(&value).is_none()
        {
            let date = when(&value, today).map_err(|error| Invalid(format!("in {key}:{value}: {error}")))?;
            task.set_tag(key, &date.to_string()).map_err(|e| invalid(&e))?;
        }
    }
    if let Some(priority) = fields.priority.as_deref() {
        if is_none(priority) {
            task.set_priority(None);
        } else {
            let mut letters = priority.trim().trim_matches(['(', ')']).chars();
            let parsed = match (letters.next(), letters.next()) {
                (Some(letter), None) => Priority::new(letter.to_ascii_uppercase()),
                _ => None,
            }
            .ok_or_else(|| Invalid(format!("{priority:?} is not a priority (A to Z, or none)")))?;
            task.set_priority(Some(parsed));
        }
    }
    if let Some(project) = fields.project.as_deref() {
        task.add_project(project.trim().trim_start_matches('+'))
            .map_err(|e| invalid(&e))?;
    }
    if let Some(context) = fields.context.as_deref() {
        task.add_context(context.trim().trim_start_matches('@'))
            .map_err(|e| invalid(&e))?;
    }
    // Projects and contexts first, then tags: the usual order of a todo.txt line.
    set_or_clear(task, "due", fields.due.as_deref(), |w| {
        when(w, today).map(|d| d.to_string())
    })?;
    set_or_clear(task, "t", fields.threshold.as_deref(), |w| {
        when(w, today).map(|d| d.to_string())
    })?;
    if let Some(owner) = fields.owner.as_deref() {
        if !is_none(owner) && !people.is_empty() && people.find(owner).is_none() {
            notes.push(format!("{owner} is not one of the configured people"));
        }
        set_or_clear(task, "owner", Some(owner), |name| Ok(people.owner_handle(name)))?;
    }
    if let Some(due) = task.due()
        && due < today
        && !task.is_done()
    {
        notes.push(format!("the due date {due} is in the past"));
    }
    Ok(notes)
}

fn set_or_clear(
    task: &mut Task,
    key: &str,
    value: Option<&str>,
    read: impl Fn(&str) -> Result<String, Invalid>,
) -> Result<(), Invalid> {
    match value {
        None => Ok(()),
        Some(value) if is_none(value) => {
            task.remove_tag(key);
            Ok(())
        }
        Some(value) => {
            let value = read(value.trim())?;
            task.set_tag(key, &value)
                .map_err(|error| Invalid(error.to_string()))
        }
    }
}

/// Whether a field's value asks to clear it.
pub fn is_none(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("none")
}

/// A date in the date language, relative to `today`.
pub fn when(text: &str, today: NaiveDate) -> Result<NaiveDate, Invalid> {
    parse_when(text, today).map_err(|error| Invalid(error.to_string()))
}
