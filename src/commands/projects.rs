//! The project commands: `projects` (by status, with progress), `project SLUG` (one
//! in full), `project SLUG status|update|link` and `project new`. What a status
//! means, how progress is counted and how goals relate to projects is in
//! `myorg_domain::projects`; updates and links are log.txt entries
//! (`myorg_domain::notes`). Reading commands read the working tree without the
//! writer lock; every change is a store operation.

use super::read::working_tree_file;
use super::store::{actor, open, print_push};
use crate::config::Config;
use crate::store::Operation;
use crate::store::operation::{DONE, GOALS, LOG, PROJECTS, ProjectList, TODO};
use chrono::NaiveDateTime;
use myorg_domain::notes;
use myorg_domain::projects::{self as domain, Entry, Files, Kind, NewProject, Shown};
use myorg_domain::reference::References;
use myorg_parsers::log::{LogEntry, LogFile};
use myorg_parsers::{ProjectStatus, ProjectsFile, TodoFile};
use std::io::Write;

/// The statuses in the order listings show them: what moves first, done last.
const ORDER: [ProjectStatus; 5] = [
    ProjectStatus::Active,
    ProjectStatus::Blocked,
    ProjectStatus::Planning,
    ProjectStatus::Someday,
    ProjectStatus::Done,
];

/// How many log entries `project SLUG` shows.
const LOG_SHOWN: usize = 5;

/// The files a listing reads, parsed.
struct Loaded {
    projects: ProjectsFile,
    goals: ProjectsFile,
    todo: TodoFile,
    done: TodoFile,
}

impl Loaded {
    /// From the working tree, without the writer lock.
    fn read(config: &Config) -> anyhow::Result<Loaded> {
        let read = |path| working_tree_file(config, path);
        Ok(Loaded {
            projects: ProjectsFile::parse(read(PROJECTS)?),
            goals: ProjectsFile::parse(read(GOALS)?),
            todo: TodoFile::parse(read(TODO)?),
            done: TodoFile::parse(read(DONE)?),
        })
    }

    /// From an open store (before a change).
    fn from_store(store: &crate::store::Store) -> anyhow::Result<Loaded> {
        Ok(Loaded {
            projects: ProjectsFile::parse(store.read(PROJECTS)?),
            goals: ProjectsFile::parse(store.read(GOALS)?),
            todo: TodoFile::new(),
            done: TodoFile::new(),
        })
    }

    fn files(&self) -> Files<'_> {
        Files {
            projects: &self.projects,
            goals: &self.goals,
            todo: &self.todo,
            done: &self.done,
        }
    }

    /// The line of `entry` as written.
    fn raw(&self, entry: &Entry<'_>) -> String {
        let file = match entry.kind {
            Kind::Project => &self.projects,
            Kind::Goal => &self.goals,
        };
        file.text(entry.index).unwrap_or_default().into_owned()
    }
}

/// What `myorg projects` shows.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// Only this status; `None`: every status but done (unless `all`).
    pub status: Option<ProjectStatus>,
    pub all: bool,
    pub goals: bool,
    pub json: bool,
}

/// `myorg projects [--status S] [--all] [--goals] [--json]`.
pub fn list(config: &Config, listing: &Listing) -> anyhow::Result<()> {
    let loaded = Loaded::read(config)?;
    let kind = if listing.goals { Kind::Goal } else { Kind::Project };
    let entries = loaded.files().list(kind);
    let shown = |status: ProjectStatus| match listing.status {
        Some(wanted) => status == wanted,
        None => listing.all || status != ProjectStatus::Done,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if listing.json {
        for entry in entries.iter().filter(|entry| shown(entry.status)) {
            serde_json::to_writer(&mut out, &entry_json(entry, &loaded.raw(entry)))?;
            writeln!(out)?;
        }
        out.flush()?;
        return Ok(());
    }
    let plural = format!("{}s", kind.noun());
    let width = entries
        .iter()
        .filter(|entry| shown(entry.status))
        .map(|entry| entry.slug.chars().count())
        .max()
        .unwrap_or(0);
    let mut any = false;
    for status in ORDER.into_iter().filter(|&status| shown(status)) {
        let group: Vec<&Entry<'_>> = entries.iter().filter(|entry| entry.status == status).collect();
        if group.is_empty() {
            continue;
        }
        any = true;
        writeln!(out, "{} ({})", capitalized(status.as_str()), group.len())?;
        for entry in group {
            let slug = format!("+{}", entry.slug);
            let details = details(entry);
            let details = if details.is_empty() {
                String::new()
            } else {
                format!("  ({details})")
            };
            writeln!(
                out,
                "  {slug:<w$}  {:<14}  {}{details}",
                progress(entry),
                domain::title(entry.project),
                w = width + 1,
            )?;
        }
    }
    if !any {
        match listing.status {
            Some(status) => writeln!(out, "No {plural} are {status}.")?,
            None => writeln!(out, "No {plural} yet.")?,
        }
    }
    let done = entries.iter().filter(|e| e.status == ProjectStatus::Done).count();
    if listing.status.is_none() && !listing.all && done > 0 {
        let goals = if listing.goals { " --goals" } else { "" };
        writeln!(out, "And {done} done: myorg projects{goals} --status done")?;
    }
    out.flush()?;
    Ok(())
}

/// `myorg project SLUG [--json]`: its line, progress, open tasks and recent log.
pub fn show(config: &Config, now: NaiveDateTime, slug: &str, json: bool) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        let loaded = Loaded::read(config)?;
        let log = LogFile::parse(working_tree_file(config, LOG)?);
        let files = loaded.files();
        let shown = files.show(slug, &log, now.date(), LOG_SHOWN)?;
        let references = References::of(&loaded.todo);
        serde_json::to_writer(&mut out, &shown_json(&loaded, &shown, &references))?;
        writeln!(out)?;
    } else {
        out.write_all(show_text(config, now, slug)?.as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// What `myorg project SLUG` shows, as text.
pub fn show_text(config: &Config, now: NaiveDateTime, slug: &str) -> anyhow::Result<String> {
    use std::fmt::Write as _;
    let loaded = Loaded::read(config)?;
    let log = LogFile::parse(working_tree_file(config, LOG)?);
    let files = loaded.files();
    let shown = files.show(slug, &log, now.date(), LOG_SHOWN)?;
    let references = References::of(&loaded.todo);
    let mut out = String::new();
    let entry = &shown.entry;
    let kind = entry.kind;
    writeln!(out, "+{}: {}", entry.slug, domain::title(entry.project))?;
    writeln!(out, "Status: {}", entry.status)?;
    let percent = entry
        .progress
        .percent()
        .map(|p| format!(" ({p}%)"))
        .unwrap_or_default();
    writeln!(out, "Progress: {}{percent}", entry.progress)?;
    let project = entry.project;
    if let Some(owner) = project.owner() {
        writeln!(out, "Owner: {owner}")?;
    }
    if let Some(due) = project.due() {
        writeln!(out, "Due: {due}")?;
    }
    if let Some(goal) = project.goal() {
        writeln!(out, "Goal: +{goal}")?;
    }
    if let Some(quarter) = project.quarter() {
        writeln!(out, "Quarter: {quarter}")?;
    }
    if let Some(area) = project.area() {
        writeln!(out, "Area: {area}")?;
    }
    writeln!(
        out,
        "Line {} of {}: {}",
        entry.index + 1,
        kind.file(),
        loaded.raw(entry)
    )?;
    if kind == Kind::Goal {
        writeln!(out)?;
        if shown.members.is_empty() {
            writeln!(out, "No project names this goal (goal:{}).", entry.slug)?;
        } else {
            writeln!(out, "Projects:")?;
            for member in &shown.members {
                writeln!(
                    out,
                    "  +{}  {}, {}  {}",
                    member.slug,
                    member.status,
                    member.progress,
                    domain::title(member.project)
                )?;
            }
        }
    }
    writeln!(out)?;
    if shown.open.is_empty() {
        writeln!(out, "No open tasks.")?;
    } else {
        writeln!(out, "Open tasks, most urgent first:")?;
        for found in &shown.open {
            let raw = loaded.todo.text(found.index).unwrap_or_default();
            writeln!(out, "  {}  {raw}", references.shown(found.task))?;
        }
    }
    if shown.hidden > 0 {
        writeln!(
            out,
            "  and {} hidden until later or with h:1 (myorg tasks +{} --hidden)",
            shown.hidden, entry.slug
        )?;
    }
    writeln!(out)?;
    if shown.log.is_empty() {
        writeln!(out, "No log entries mention +{}.", entry.slug)?;
    } else {
        writeln!(out, "Recent log:")?;
        for log_entry in &shown.log {
            writeln!(
                out,
                "  {} {} {}: {}",
                log_entry.date,
                log_entry.time.format("%H:%M"),
                log_entry.name,
                log_entry.text
            )?;
        }
    }
    Ok(out)
}

/// What `myorg project new` says besides the slug and text.
#[derive(Debug, Clone, Default)]
pub struct NewFields {
    pub status: Option<ProjectStatus>,
    pub owner: Option<String>,
    /// In the date language.
    pub due: Option<String>,
    pub goal: Option<String>,
    pub area: Option<String>,
    /// A goal in goals.txt rather than a project.
    pub as_goal: bool,
    pub quarter: Option<String>,
}

/// `myorg project new SLUG TEXT [options]`.
pub fn new(
    config: &Config,
    now: NaiveDateTime,
    slug: &str,
    text: &str,
    fields: &NewFields,
) -> anyhow::Result<()> {
    let today = now.date();
    let due = fields
        .due
        .as_deref()
        .map(|when| myorg_domain::when::parse_when(when, today))
        .transpose()?;
    // An owner given by name is written as the person's handle, as for tasks.
    let people = config.people()?;
    let owner = fields.owner.as_deref().map(|owner| people.owner_handle(owner));
    let request = NewProject {
        slug: slug.to_string(),
        text: text.to_string(),
        status: fields.status,
        owner,
        due,
        goal: fields.goal.clone(),
        quarter: fields.quarter.clone(),
        area: fields.area.clone(),
    };
    let list = if fields.as_goal {
        ProjectList::Goals
    } else {
        ProjectList::Projects
    };
    let store = open(config)?;
    let loaded = Loaded::from_store(&store)?;
    let line = domain::new_line(&loaded.files(), &request, today)?;
    let applied = store.apply(
        Operation::AddProject {
            list,
            line: line.clone(),
        },
        &actor(config),
    )?;
    println!("Added {} to {}: {line}", list.kind().noun(), list.path());
    print_push(&applied.push)?;
    Ok(())
}

/// `myorg project SLUG status STATUS`.
pub fn set_status(
    config: &Config,
    now: NaiveDateTime,
    slug: &str,
    status: ProjectStatus,
) -> anyhow::Result<()> {
    let store = open(config)?;
    let operation = status_change(&store, now, slug, status)?;
    let applied = store.apply(operation, &actor(config))?;
    println!("{}", applied.summary);
    print_push(&applied.push)?;
    Ok(())
}

/// `myorg project SLUG update TEXT`: a log.txt entry tagged `+SLUG`.
pub fn update(config: &Config, now: NaiveDateTime, slug: &str, text: &str) -> anyhow::Result<()> {
    log_about(config, now, slug, text)
}

/// `myorg project SLUG link URL [TEXT]`: a log.txt entry with the link, tagged `+SLUG`.
pub fn link(config: &Config, now: NaiveDateTime, slug: &str, url: &str, text: &str) -> anyhow::Result<()> {
    log_about(config, now, slug, &notes::link(url, text)?)
}

/// Appends to log.txt the entry `text` makes, about the project `slug` (which must
/// exist).
fn log_about(config: &Config, now: NaiveDateTime, slug: &str, text: &str) -> anyhow::Result<()> {
    let store = open(config)?;
    let line = update_line(&store, &config.me()?.handle, now, slug, text)?;
    let applied = store.apply(Operation::AppendLog { line: line.clone() }, &actor(config))?;
    println!("Logged: {line}");
    print_push(&applied.push)?;
    Ok(())
}

/// The operation that sets the status of the project (goal) `slug` of `store`, which
/// must exist.
pub fn status_change(
    store: &crate::store::Store,
    now: NaiveDateTime,
    slug: &str,
    status: ProjectStatus,
) -> anyhow::Result<Operation> {
    let loaded = Loaded::from_store(store)?;
    let entry = loaded.files().find(slug)?;
    Ok(Operation::SetProjectStatus {
        list: ProjectList::of(entry.kind),
        slug: entry.slug.to_string(),
        status: status.as_str().to_string(),
        on: now.date(),
    })
}

/// The log.txt line of an update `text` by `handle` about the project (goal) `slug`
/// of `store`, which must exist.
pub fn update_line(
    store: &crate::store::Store,
    handle: &str,
    now: NaiveDateTime,
    slug: &str,
    text: &str,
) -> anyhow::Result<String> {
    let loaded = Loaded::from_store(store)?;
    let entry = loaded.files().find(slug)?;
    let text = notes::about_project(text, entry.slug)?;
    Ok(notes::entry_line(now, handle, &text)?)
}

/// The projects (goals, with `goals`) of `store` with their progress, by status
/// as `myorg projects` orders them, one line each: `+slug status progress title
/// (details)`; done ones only with `status`.
pub fn summary(
    store: &crate::store::Store,
    goals: bool,
    status: Option<ProjectStatus>,
) -> anyhow::Result<Vec<String>> {
    let loaded = Loaded {
        projects: ProjectsFile::parse(store.read(PROJECTS)?),
        goals: ProjectsFile::parse(store.read(GOALS)?),
        todo: TodoFile::parse(store.read(TODO)?),
        done: TodoFile::parse(store.read(DONE)?),
    };
    let kind = if goals { Kind::Goal } else { Kind::Project };
    let entries = loaded.files().list(kind);
    let mut lines = Vec::new();
    for wanted in ORDER {
        let shown = match status {
            Some(status) => status == wanted,
            None => wanted != ProjectStatus::Done,
        };
        for entry in entries.iter().filter(|entry| shown && entry.status == wanted) {
            let details = details(entry);
            let details = if details.is_empty() {
                String::new()
            } else {
                format!(" ({details})")
            };
            lines.push(format!(
                "+{} {} {}: {}{details}",
                entry.slug,
                entry.status,
                progress(entry),
                domain::title(entry.project)
            ));
        }
    }
    Ok(lines)
}

/// The slug a note or command names, checked against projects.txt and goals.txt.
pub(super) fn existing_slug(store: &crate::store::Store, slug: &str) -> anyhow::Result<String> {
    let loaded = Loaded::from_store(store)?;
    Ok(loaded.files().find(slug)?.slug.to_string())
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `4/10 done 40%`, or `no tasks`.
fn progress(entry: &Entry<'_>) -> String {
    match entry.progress.percent() {
        Some(percent) => format!("{} {percent}%", entry.progress),
        None => entry.progress.to_string(),
    }
}

/// Owner, due date and goal of a project; quarter and projects of a goal.
fn details(entry: &Entry<'_>) -> String {
    let project = entry.project;
    let mut parts = Vec::new();
    if let Some(owner) = project.owner() {
        parts.push(owner.to_string());
    }
    if let Some(due) = project.due() {
        parts.push(format!("due {due}"));
    }
    if let Some(goal) = project.goal() {
        parts.push(format!("goal +{goal}"));
    }
    if let Some(quarter) = project.quarter() {
        parts.push(quarter.to_string());
    }
    if !entry.projects.is_empty() {
        let projects: Vec<String> = entry.projects.iter().map(|p| format!("+{p}")).collect();
        parts.push(format!("projects {}", projects.join(" ")));
    }
    parts.join(", ")
}

/// One project or goal for `--json`.
fn entry_json(entry: &Entry<'_>, raw: &str) -> serde_json::Value {
    let project = entry.project;
    serde_json::json!({
        "kind": entry.kind.noun(),
        "slug": entry.slug,
        "line": entry.index + 1,
        "raw": raw,
        "status": entry.status.as_str(),
        "title": domain::title(project),
        "owner": project.owner(),
        "due": project.due().map(|d| d.to_string()),
        "goal": project.goal(),
        "quarter": project.quarter().map(|q| q.to_string()),
        "area": project.area(),
        "progress": {
            "done": entry.progress.done,
            "total": entry.progress.total,
            "percent": entry.progress.percent(),
        },
        "projects": entry.projects,
    })
}

fn log_json(entry: &LogEntry) -> serde_json::Value {
    serde_json::json!({
        "date": entry.date.to_string(),
        "time": entry.time.format("%H:%M").to_string(),
        "name": entry.name,
        "text": entry.text,
    })
}

/// `project SLUG --json`: the entry, its open tasks, hidden count, projects (a goal)
/// and recent log entries.
fn shown_json(loaded: &Loaded, shown: &Shown<'_>, references: &References) -> serde_json::Value {
    let mut value = entry_json(&shown.entry, &loaded.raw(&shown.entry));
    let tasks: Vec<serde_json::Value> = shown
        .open
        .iter()
        .map(|found| {
            let raw = loaded.todo.text(found.index).unwrap_or_default();
            let reference = references.shown(found.task);
            let json = super::tasks::task_json(&reference, found.index, found.task, found.urgency, &raw);
            serde_json::to_value(json).unwrap_or_default()
        })
        .collect();
    let members: Vec<serde_json::Value> = shown
        .members
        .iter()
        .map(|member| entry_json(member, &loaded.raw(member)))
        .collect();
    if let Some(object) = value.as_object_mut() {
        object.insert("tasks".into(), tasks.into());
        object.insert("hidden".into(), shown.hidden.into());
        object.insert("members".into(), members.into());
        object.insert(
            "log".into(),
            shown.log.iter().map(|e| log_json(e)).collect::<Vec<_>>().into(),
        );
    }
    value
}
