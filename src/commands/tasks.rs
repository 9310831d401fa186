//! The task commands: `add`, `done`, `edit`, `delete`, `tasks`, `archive`. Dates in
//! words, references and the urgency order come from the domain crate; every change
//! is a store operation.

use super::store::{actor, open, print_push};
use crate::config::Config;
use crate::store::Operation;
use anyhow::{Context, bail};
use chrono::{NaiveDate, NaiveDateTime};
use myorg_domain::reference::{self, Scope};
use myorg_domain::search::{self, Filter};
use myorg_domain::when::parse_when;
use myorg_parsers::todo::Priority;
use myorg_parsers::{Task, TodoFile};
use std::io::{BufRead, Write};

/// What `myorg add` and `myorg edit` may set besides the text.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub due: Option<String>,
    pub threshold: Option<String>,
    pub priority: Option<String>,
    pub project: Option<String>,
    pub context: Option<String>,
    pub owner: Option<String>,
}

/// `myorg add TEXT [options]`: a new task, created today.
pub fn add(config: &Config, now: NaiveDateTime, text: &str, fields: &Fields) -> anyhow::Result<()> {
    let (task, notes) = new_task(config, now, text, fields)?;
    let line = task.render();
    let store = open(config)?;
    let applied = store.apply(Operation::AddTask { line: line.clone() }, &actor(config))?;
    println!("Added {}: {line}", short_reference(&task));
    notes.iter().for_each(|note| println!("Note: {note}"));
    print_push(&applied.push)?;
    Ok(())
}

/// The task `myorg add` (and the `add_task` tool) makes of `text` and `fields`,
/// created today, with notes for the person (an unknown owner, a due date past).
pub fn new_task(
    config: &Config,
    now: NaiveDateTime,
    text: &str,
    fields: &Fields,
) -> anyhow::Result<(Task, Vec<String>)> {
    let text = text.trim();
    if text.is_empty() {
        bail!("a task needs some text");
    }
    // `x …` typed as a new task is its text, not a done marker.
    let mut task = Task::parse(text);
    if task.is_done() {
        task = Task::new(text);
    }
    if task.created().is_none() {
        task.set_created(Some(now.date()));
    }
    let (fields, mut notes) = with_owner_handle(config, fields)?;
    notes.extend(apply_fields(&mut task, &fields, now.date())?);
    if task.description().is_empty() {
        bail!("a task needs some text besides its tags");
    }
    Ok((task, notes))
}

/// `myorg done REF`.
pub fn done(config: &Config, now: NaiveDateTime, given: &str) -> anyhow::Result<()> {
    let store = open(config)?;
    let todo = TodoFile::parse(store.read("todo.txt")?);
    let index = find(&todo, given, Scope::Open)?;
    let line = todo.text(index).unwrap_or_default().to_string();
    let applied = store.apply(Operation::CompleteTask { line, on: now.date() }, &actor(config))?;
    println!("{}", applied.summary);
    print_push(&applied.push)?;
    Ok(())
}

/// `myorg edit REF [--text T] [options]`: `none` clears a date, priority or owner.
pub fn edit(
    config: &Config,
    now: NaiveDateTime,
    given: &str,
    text: Option<&str>,
    fields: &Fields,
) -> anyhow::Result<()> {
    let store = open(config)?;
    let todo = TodoFile::parse(store.read("todo.txt")?);
    let edit = edited(config, now, &todo, given, text, fields)?;
    let applied = store.apply(
        Operation::UpdateTask {
            line: edit.line,
            new_line: edit.new_line.clone(),
        },
        &actor(config),
    )?;
    println!("Now {}: {}", short_reference(&edit.task), edit.new_line);
    edit.notes.iter().for_each(|note| println!("Note: {note}"));
    print_push(&applied.push)?;
    Ok(())
}

/// A task as `myorg edit` (and the `update_task` tool) changes it.
#[derive(Debug, Clone)]
pub struct Edit {
    /// The line as it is now.
    pub line: String,
    /// The line once edited.
    pub new_line: String,
    /// The edited task.
    pub task: Task,
    /// Notes for the person (an unknown owner, a due date past).
    pub notes: Vec<String>,
}

/// The edit of the task `given` names in `todo`: new text and fields; an edit that
/// changes nothing is an error.
pub fn edited(
    config: &Config,
    now: NaiveDateTime,
    todo: &TodoFile,
    given: &str,
    text: Option<&str>,
    fields: &Fields,
) -> anyhow::Result<Edit> {
    let index = find(todo, given, Scope::All)?;
    let line = todo.text(index).unwrap_or_default().to_string();
    let mut task = todo
        .get(index)
        .and_then(|item| item.task())
        .cloned()
        .context("that line is not a task")?;
    if let Some(text) = text {
        let text = text.trim();
        if text.is_empty() {
            bail!("a task needs some text");
        }
        task.set_description(text);
    }
    let (fields, mut notes) = with_owner_handle(config, fields)?;
    notes.extend(apply_fields(&mut task, &fields, now.date())?);
    let new_line = task.render();
    if new_line == line {
        bail!("nothing to change: the task already reads {line:?}");
    }
    Ok(Edit {
        line,
        new_line,
        task,
        notes,
    })
}

/// `myorg delete REF [--yes]`: asks first unless `yes`.
pub fn delete(config: &Config, given: &str, yes: bool) -> anyhow::Result<()> {
    let store = open(config)?;
    let todo = TodoFile::parse(store.read("todo.txt")?);
    let index = find(&todo, given, Scope::All)?;
    let line = todo.text(index).unwrap_or_default().to_string();
    if !yes && !confirm(&format!("Delete \"{line}\"? [y/N] "))? {
        println!("Nothing deleted.");
        return Ok(());
    }
    let applied = store.apply(Operation::DeleteTask { line }, &actor(config))?;
    println!("{}", applied.summary);
    print_push(&applied.push)?;
    Ok(())
}

/// `myorg archive`: done tasks move to done.txt.
pub fn archive(config: &Config) -> anyhow::Result<()> {
    let applied = open(config)?.apply(Operation::Archive, &actor(config))?;
    println!("{}", applied.summary);
    print_push(&applied.push)?;
    Ok(())
}

/// What `myorg tasks` shows.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub query: Vec<String>,
    pub done: bool,
    pub hidden: bool,
    pub overdue: bool,
    pub due_before: Option<String>,
    pub due_after: Option<String>,
    pub owner: Option<String>,
    pub mine: bool,
    pub limit: Option<usize>,
    pub json: bool,
}

/// `myorg tasks [QUERY] [filters]`: the matching tasks, most urgent first.
pub fn list(config: &Config, now: NaiveDateTime, listing: &Listing) -> anyhow::Result<()> {
    let today = now.date();
    let filter = filter(config, today, listing)?;
    let bytes = read_todo(config)?;
    let out = std::io::stdout().lock();
    let mut out = std::io::BufWriter::new(out);
    let limit = listing.limit.unwrap_or(usize::MAX);
    let mut show = |reference: String, index: usize, task: &Task, urgency: f64, raw: &str| {
        if listing.json {
            serde_json::to_writer(&mut out, &task_json(&reference, index, task, urgency, raw))?;
            writeln!(out)
        } else {
            writeln!(out, "{reference}  {raw}")
        }
    };
    // A UTF-8 file (nearly all) is searched line by line, reading only the lines that
    // can match; other files through the lossless document.
    let count = match std::str::from_utf8(&bytes) {
        Ok(text) => {
            // The references of every task (to show each at its shortest unique
            // length) are worked out on a second thread while the search runs.
            let (found, references) = std::thread::scope(|scope| {
                let references = scope.spawn(|| reference::References::of_text(text));
                let found = search::search_text(text, &filter, today);
                let references = match references.join() {
                    Ok(references) => references,
                    Err(_) => reference::References::of_text(text),
                };
                (found, references)
            });
            for hit in found.iter().take(limit) {
                show(
                    references.shown(&hit.task),
                    hit.index,
                    &hit.task,
                    hit.urgency,
                    hit.line,
                )?;
            }
            found.len()
        }
        Err(_) => {
            let todo = TodoFile::parse(bytes);
            let found = search::search(&todo, &filter, today);
            let references = reference::References::of(&todo);
            for hit in found.iter().take(limit) {
                let raw = todo.text(hit.index).unwrap_or_default();
                show(references.shown(hit.task), hit.index, hit.task, hit.urgency, &raw)?;
            }
            found.len()
        }
    };
    if !listing.json && count == 0 {
        writeln!(out, "No tasks match.")?;
    }
    out.flush()?;
    Ok(())
}

/// The search `listing` asks for (dates in words read relative to `today`, an owner
/// by name as their handle).
pub fn filter(config: &Config, today: NaiveDate, listing: &Listing) -> anyhow::Result<Filter> {
    let mut filter = Filter::from_query(listing.query.iter().map(String::as_str));
    filter.include_done = listing.done;
    filter.include_hidden = listing.hidden;
    filter.overdue = listing.overdue;
    filter.due_before = listing
        .due_before
        .as_deref()
        .map(|w| when(w, today))
        .transpose()?;
    filter.due_after = listing.due_after.as_deref().map(|w| when(w, today)).transpose()?;
    if let Some(owner) = &listing.owner {
        filter.owner = Some(config.people()?.owner_handle(owner));
    }
    if listing.mine {
        filter.owner = Some(config.me()?.handle);
        filter.unassigned_too = true;
    }
    Ok(filter)
}

/// One task for `--json`: its reference, 1-based line, the line as written, and its
/// parts.
pub(super) fn task_json<'a>(
    reference: &'a str,
    index: usize,
    task: &'a Task,
    urgency: f64,
    raw: &'a str,
) -> TaskJson<'a> {
    TaskJson {
        reference,
        line: index + 1,
        raw,
        done: task.is_done(),
        priority: task.priority().map(|p| p.letter()),
        text: task.description(),
        projects: task.projects().collect(),
        contexts: task.contexts().collect(),
        due: task.due(),
        threshold: task.threshold(),
        owner: task.owner(),
        created: task.created(),
        completed: task.completed(),
        urgency: (urgency * 100.0).round() / 100.0,
    }
}

/// A task as `--json` prints it (field order as written here).
#[derive(serde::Serialize)]
pub(super) struct TaskJson<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    line: usize,
    raw: &'a str,
    done: bool,
    priority: Option<char>,
    text: &'a str,
    projects: Vec<&'a str>,
    contexts: Vec<&'a str>,
    due: Option<NaiveDate>,
    threshold: Option<NaiveDate>,
    owner: Option<&'a str>,
    created: Option<NaiveDate>,
    completed: Option<NaiveDate>,
    urgency: f64,
}

/// todo.txt of the store, read without taking the writer lock when the store exists.
pub(super) fn read_todo(config: &Config) -> anyhow::Result<Vec<u8>> {
    super::read::working_tree_file(config, "todo.txt")
}

/// `fields` with the owner given as a person's name replaced by their handle, and a
/// note when people are configured and none of them has that name.
fn with_owner_handle(config: &Config, fields: &Fields) -> anyhow::Result<(Fields, Vec<String>)> {
    let mut fields = fields.clone();
    let mut notes = Vec::new();
    if let Some(owner) = fields.owner.as_deref().filter(|owner| !is_none(owner)) {
        let people = config.people()?;
        if !people.is_empty() && people.find(owner).is_none() {
            notes.push(format!("{owner} is not one of the configured people"));
        }
        fields.owner = Some(people.owner_handle(owner));
    }
    Ok((fields, notes))
}

/// Sets what the options say; returns notes for the person (a due date in the past).
fn apply_fields(task: &mut Task, fields: &Fields, today: NaiveDate) -> anyhow::Result<Vec<String>> {
    let mut notes = Vec::new();
    // Dates in words inside the text (`due:fri`) become dates too.
    for key in ["due", "t"] {
        if let Some(value) = task.tag(key).map(str::to_string)
            && myorg_parsers::date::parse_date(&value).is_none()
        {
            let date = when(&value, today).with_context(|| format!("in {key}:{value}"))?;
            task.set_tag(key, &date.to_string())?;
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
            .with_context(|| format!("{priority:?} is not a priority (A to Z, or none)"))?;
            task.set_priority(Some(parsed));
        }
    }
    if let Some(project) = fields.project.as_deref() {
        task.add_project(project.trim().trim_start_matches('+'))?;
    }
    if let Some(context) = fields.context.as_deref() {
        task.add_context(context.trim().trim_start_matches('@'))?;
    }
    // Projects and contexts first, then tags: the usual order of a todo.txt line.
    set_or_clear(task, "due", fields.due.as_deref(), |w| {
        when(w, today).map(|d| d.to_string())
    })?;
    set_or_clear(task, "t", fields.threshold.as_deref(), |w| {
        when(w, today).map(|d| d.to_string())
    })?;
    set_or_clear(
        task,
        "owner",
        fields.owner.as_deref(),
        |name| Ok(name.to_string()),
    )?;
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
    read: impl Fn(&str) -> anyhow::Result<String>,
) -> anyhow::Result<()> {
    match value {
        None => Ok(()),
        Some(value) if is_none(value) => {
            task.remove_tag(key);
            Ok(())
        }
        Some(value) => {
            let value = read(value.trim())?;
            Ok(task.set_tag(key, &value)?)
        }
    }
}

fn is_none(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("none")
}

pub(super) fn when(text: &str, today: NaiveDate) -> anyhow::Result<NaiveDate> {
    Ok(parse_when(text, today)?)
}

/// The task `given` names: a reference, a line number, or (when it is neither) words
/// of exactly one task.
pub fn find(todo: &TodoFile, given: &str, scope: Scope) -> anyhow::Result<usize> {
    let given = given.trim();
    match reference::resolve(todo, given, scope) {
        Ok(index) => Ok(index),
        Err(reference::RefError::Malformed(_)) => find_by_words(todo, given, scope),
        // A word shaped like a reference may still be words of a task.
        Err(reference::RefError::NotFound(_)) => find_by_words(todo, given, scope).map_err(|error| {
            anyhow::anyhow!(
                "{error} (a reference changes when its task is edited, completed or removed: list the \
                 tasks again to see the current ones)"
            )
        }),
        Err(error) => Err(error.into()),
    }
}

fn find_by_words(todo: &TodoFile, given: &str, scope: Scope) -> anyhow::Result<usize> {
    let wanted = given.trim().to_lowercase();
    if wanted.is_empty() {
        bail!("say which task: its reference, its line number, or some of its words");
    }
    let open = if scope == Scope::Open { "open " } else { "" };
    let matches: Vec<usize> = todo
        .tasks()
        .filter(|(index, task)| {
            (scope == Scope::All || !task.is_done())
                && todo
                    .text(*index)
                    .is_some_and(|text| text.to_lowercase().contains(&wanted))
        })
        .map(|(index, _)| index)
        .collect();
    match matches.as_slice() {
        [] => bail!("no {open}task has the reference or the words {:?}", given.trim()),
        [index] => Ok(*index),
        several => {
            let list: Vec<String> = several
                .iter()
                .take(5)
                .map(|&i| format!("  line {}: {}", i + 1, todo.text(i).unwrap_or_default()))
                .collect();
            bail!(
                "{} {open}tasks contain {:?}; say which one:\n{}",
                several.len(),
                given.trim(),
                list.join("\n")
            )
        }
    }
}

/// The reference of a task just written, as `myorg add` shows it.
pub fn short_reference(task: &Task) -> String {
    reference::reference(task)[..reference::SHOWN].to_string()
}

/// Asks on the terminal; anything but y/yes is no.
fn confirm(question: &str) -> anyhow::Result<bool> {
    print!("{question}");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
