//! Projects and goals: the list with progress, one shown in full, a new one, and a
//! change (a status, an update or a link in log.txt, or both). What a status means,
//! how progress is counted and how goals relate to projects is in
//! `myorg_domain::projects`; updates and links are log.txt lines
//! (`myorg_domain::notes`). Every change is one store operation, authored by the
//! person asking.

use super::loaded::{Loaded, Need};
use super::tasks::Hit;
use super::{Ctx, Error, Files, Look, Result};
use crate::store::operation::{LOG, ProjectList};
use crate::store::{Operation, PushReport};
use myorg_domain::fields;
use myorg_domain::notes;
use myorg_domain::projects::{self as domain, Entry, Kind, LISTING_ORDER, NewProject, Progress};
use myorg_domain::reference::References;
use myorg_parsers::log::{LogEntry, LogFile};
use myorg_parsers::{Project, ProjectStatus};
use std::fmt::Write as _;

/// How many log entries a project's page shows.
pub const LOG_SHOWN: usize = 5;

impl Loaded {
    /// `entry` with its line as written, owned.
    fn summary(&self, entry: &Entry<'_>) -> Summary {
        let file = match entry.kind {
            Kind::Project => &self.projects,
            Kind::Goal => &self.goals,
        };
        Summary {
            kind: entry.kind,
            index: entry.index,
            line: file.text(entry.index).unwrap_or_default().into_owned(),
            slug: entry.slug.to_string(),
            project: entry.project.clone(),
            status: entry.status,
            progress: entry.progress,
            projects: entry.projects.iter().map(|slug| slug.to_string()).collect(),
        }
    }
}

/// The slug of the project or goal `given` names (with or without `+`), which must
/// exist in projects.txt or goals.txt.
pub fn existing_slug(files: &dyn Files, given: &str) -> Result<String> {
    let loaded = Loaded::read(files, Need::Lists)?;
    Ok(loaded.for_projects().find(given)?.slug.to_string())
}

/// A project or goal with its progress.
#[derive(Debug, Clone)]
pub struct Summary {
    pub kind: Kind,
    /// The 0-based line of its file.
    pub index: usize,
    /// The line as written.
    pub line: String,
    pub slug: String,
    pub project: Project,
    /// The status it counts as.
    pub status: ProjectStatus,
    pub progress: Progress,
    /// For a goal: the slugs of the projects whose `goal:` names it, in file order.
    pub projects: Vec<String>,
}

impl Summary {
    /// What it is, in words.
    pub fn title(&self) -> String {
        domain::title(&self.project)
    }

    /// `4/10 done 40%`, or `no tasks`.
    pub fn progress_said(&self) -> String {
        match self.progress.percent() {
            Some(percent) => format!("{} {percent}%", self.progress),
            None => self.progress.to_string(),
        }
    }

    /// Owner, due date and goal of a project; quarter and projects of a goal.
    pub fn details(&self) -> String {
        let project = &self.project;
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
        if !self.projects.is_empty() {
            let projects: Vec<String> = self.projects.iter().map(|p| format!("+{p}")).collect();
            parts.push(format!("projects {}", projects.join(" ")));
        }
        parts.join(", ")
    }

    /// One line, for a person or the model: `+slug status progress: title (details)`.
    pub fn said(&self) -> String {
        let details = self.details();
        let details = if details.is_empty() {
            String::new()
        } else {
            format!(" ({details})")
        };
        format!(
            "+{} {} {}: {}{details}",
            self.slug,
            self.status,
            self.progress_said(),
            self.title()
        )
    }
}

/// Which projects (or goals) a listing shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Listing {
    /// Goals (goals.txt) rather than projects.
    pub goals: bool,
    /// Only this status; `None`: every status but done (unless `all`).
    pub status: Option<ProjectStatus>,
    /// Done ones too.
    pub all: bool,
}

impl Listing {
    /// Projects or goals.
    pub fn kind(&self) -> Kind {
        if self.goals { Kind::Goal } else { Kind::Project }
    }

    /// Whether a project of `status` is shown.
    pub fn shows(&self, status: ProjectStatus) -> bool {
        match self.status {
            Some(wanted) => status == wanted,
            None => self.all || status != ProjectStatus::Done,
        }
    }
}

/// The projects (goals) a listing shows.
#[derive(Debug, Clone)]
pub struct Listed {
    pub kind: Kind,
    /// The ones shown, in file order.
    pub shown: Vec<Summary>,
    /// How many done ones were left out, when no status was asked for.
    pub done_left_out: usize,
}

impl Listed {
    /// The ones shown by status, in the order listings show them; statuses without
    /// any left out.
    pub fn by_status(&self) -> Vec<(ProjectStatus, Vec<&Summary>)> {
        let mut groups = Vec::new();
        for status in LISTING_ORDER {
            let group: Vec<&Summary> = self.shown.iter().filter(|s| s.status == status).collect();
            if !group.is_empty() {
                groups.push((status, group));
            }
        }
        groups
    }

    /// One line each ([`Summary::said`]), by status.
    pub fn lines(&self) -> Vec<String> {
        self.by_status()
            .into_iter()
            .flat_map(|(_, group)| group.into_iter().map(Summary::said))
            .collect()
    }

    /// What a listing without any says: `No projects.` or `No goals.`
    pub fn none(&self) -> &'static str {
        match self.kind {
            Kind::Project => "No projects.",
            Kind::Goal => "No goals.",
        }
    }
}

/// The projects (or goals) `listing` shows, with their progress.
pub fn list(look: &Look, listing: &Listing) -> Result<Listed> {
    let loaded = Loaded::read(look.files, Need::Progress)?;
    let entries = loaded.for_projects().list(listing.kind());
    let done_left_out = if listing.status.is_none() && !listing.all {
        entries.iter().filter(|e| e.status == ProjectStatus::Done).count()
    } else {
        0
    };
    Ok(Listed {
        kind: listing.kind(),
        shown: entries
            .iter()
            .filter(|entry| listing.shows(entry.status))
            .map(|entry| loaded.summary(entry))
            .collect(),
        done_left_out,
    })
}

/// One project or goal in full.
#[derive(Debug, Clone)]
pub struct Shown {
    pub entry: Summary,
    /// Its open tasks that lists show, most urgent first.
    pub open: Vec<Hit>,
    /// Its open tasks not shown: hidden until a later day (`t:`) or by `h:1`.
    pub hidden: usize,
    /// For a goal: its projects.
    pub members: Vec<Summary>,
    /// The newest log entries about it, oldest first.
    pub log: Vec<LogEntry>,
    /// The pull requests its log entries link (`PR merged: …`), each by its newest
    /// mention: the address, the state it said (`merged`, `open`…) and when.
    pub pull_requests: Vec<(String, Option<&'static str>, chrono::NaiveDate)>,
}

impl Shown {
    /// Its page: its line and fields, progress, a goal's projects, open tasks and
    /// recent log.
    pub fn said(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        let entry = &self.entry;
        let kind = entry.kind;
        writeln!(out, "+{}: {}", entry.slug, entry.title())?;
        writeln!(out, "Status: {}", entry.status)?;
        let percent = entry
            .progress
            .percent()
            .map(|p| format!(" ({p}%)"))
            .unwrap_or_default();
        writeln!(out, "Progress: {}{percent}", entry.progress)?;
        let project = &entry.project;
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
        writeln!(out, "Line {} of {}: {}", entry.index + 1, kind.file(), entry.line)?;
        if kind == Kind::Goal {
            writeln!(out)?;
            if self.members.is_empty() {
                writeln!(out, "No project names this goal (goal:{}).", entry.slug)?;
            } else {
                writeln!(out, "Projects:")?;
                for member in &self.members {
                    writeln!(
                        out,
                        "  +{}  {}, {}  {}",
                        member.slug,
                        member.status,
                        member.progress,
                        member.title()
                    )?;
                }
            }
        }
        writeln!(out)?;
        if self.open.is_empty() {
            writeln!(out, "No open tasks.")?;
        } else {
            writeln!(out, "Open tasks, most urgent first:")?;
            for task in &self.open {
                writeln!(out, "  {}  {}", task.reference, task.line)?;
            }
        }
        if self.hidden > 0 {
            writeln!(
                out,
                "  and {} hidden until later or with h:1 (myorg tasks +{} --hidden)",
                self.hidden, entry.slug
            )?;
        }
        if !self.pull_requests.is_empty() {
            writeln!(out)?;
            writeln!(out, "Pull requests:")?;
            for (url, state, date) in &self.pull_requests {
                writeln!(out, "  {url}  {}, {date}", state.unwrap_or("linked"))?;
            }
        }
        writeln!(out)?;
        if self.log.is_empty() {
            writeln!(out, "No log entries mention +{}.", entry.slug)?;
        } else {
            writeln!(out, "Recent log:")?;
            for log_entry in &self.log {
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
        Ok(())
    }
}

/// The project or goal `slug` in full: its open tasks, a goal's projects, and its
/// last [`LOG_SHOWN`] log entries.
pub fn show(look: &Look, slug: &str) -> Result<Shown> {
    let loaded = Loaded::read(look.files, Need::Progress)?;
    let log = LogFile::parse(look.files.read(LOG)?);
    let shown = loaded
        .for_projects()
        .show(slug, &log, look.now.date(), LOG_SHOWN)?;
    let references = References::of(&loaded.todo);
    let open = shown
        .open
        .iter()
        .map(|found| Hit {
            reference: references.shown(found.task),
            index: found.index,
            line: loaded.todo.text(found.index).unwrap_or_default().into_owned(),
            task: found.task.clone(),
            urgency: found.urgency,
        })
        .collect();
    Ok(Shown {
        entry: loaded.summary(&shown.entry),
        open,
        hidden: shown.hidden,
        members: shown
            .members
            .iter()
            .map(|member| loaded.summary(member))
            .collect(),
        log: shown.log.into_iter().cloned().collect(),
        pull_requests: myorg_domain::plan::pull_requests_about(&log, shown.entry.slug)
            .into_iter()
            .map(|pr| {
                (
                    pr.url.to_string(),
                    pr.state.map(|state| state.as_str()),
                    pr.entry.date,
                )
            })
            .collect(),
    })
}

/// A new project (or goal).
#[derive(Debug, Clone, Default)]
pub struct New {
    pub slug: String,
    /// What it is, in words (tags in it count).
    pub text: String,
    pub status: Option<ProjectStatus>,
    /// A person's name or handle.
    pub owner: Option<String>,
    /// A date or words.
    pub due: Option<String>,
    /// `goal:` (projects).
    pub goal: Option<String>,
    pub area: Option<String>,
    /// `quarter:` (goals).
    pub quarter: Option<String>,
    /// A goal in goals.txt rather than a project.
    pub as_goal: bool,
}

/// A project or goal added: its line and where.
#[derive(Debug, Clone)]
pub struct Added {
    pub kind: Kind,
    pub line: String,
    pub push: PushReport,
}

impl Added {
    /// `Added project to projects.txt: LINE`.
    pub fn said(&self) -> String {
        format!(
            "Added {} to {}: {}",
            self.kind.noun(),
            self.kind.file(),
            self.line
        )
    }
}

/// Adds a project (or goal), created today; an owner given by name is written as the
/// person's handle, as for tasks.
pub fn add(ctx: &Ctx, new: &New) -> Result<Added> {
    let today = ctx.now.date();
    let due = new
        .due
        .as_deref()
        .map(|when| fields::when(when, today))
        .transpose()?;
    let people = ctx.people()?;
    let request = NewProject {
        slug: new.slug.clone(),
        text: new.text.clone(),
        status: new.status,
        owner: new.owner.as_deref().map(|owner| people.owner_handle(owner)),
        due,
        goal: new.goal.clone(),
        quarter: new.quarter.clone(),
        area: new.area.clone(),
    };
    let list = if new.as_goal {
        ProjectList::Goals
    } else {
        ProjectList::Projects
    };
    let line = domain::new_line(
        &Loaded::read(ctx.store, Need::Lists)?.for_projects(),
        &request,
        today,
    )?;
    let applied = ctx.store.apply(
        Operation::AddProject {
            list,
            line: line.clone(),
        },
        &ctx.actor,
    )?;
    Ok(Added {
        kind: list.kind(),
        line,
        push: applied.push,
    })
}

/// What to log about a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// What happened, in words.
    Text(String),
    /// A link (a pull request, a document), with words before it.
    Link { url: String, words: String },
}

/// A change of a project (or goal): a new status, an update to log, or both.
#[derive(Debug, Clone)]
pub struct Change {
    /// Its slug, with or without `+`.
    pub slug: String,
    pub status: Option<ProjectStatus>,
    pub update: Option<Update>,
}

/// What a change did: the status change's commit subject, the log.txt line written.
#[derive(Debug, Clone)]
pub struct Changed {
    pub status: Option<String>,
    pub logged: Option<String>,
    pub push: PushReport,
}

impl Changed {
    /// `Project SLUG: status A → B` and `Logged: LINE`, one a line.
    pub fn said(&self) -> String {
        let logged = self.logged.as_ref().map(|line| format!("Logged: {line}"));
        self.status
            .iter()
            .cloned()
            .chain(logged)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Sets the status of the project (goal) `change.slug` and logs the update about it
/// (its `+slug` added); both are checked before either is applied, and a status it
/// already has is refused.
/// The status change also writes `project SLUG → STATUS` to working-memory.txt, in
/// its commit.
pub fn change(ctx: &Ctx, change: &Change) -> Result<Changed> {
    let text = match &change.update {
        None if change.status.is_none() => {
            return Err(Error::Invalid("say a status or an update".to_string()));
        }
        None => None,
        Some(Update::Text(text)) => Some(text.clone()),
        Some(Update::Link { url, words }) => Some(notes::link(url, words)?),
    };
    let loaded = Loaded::read(ctx.store, Need::Lists)?;
    let entry = loaded.for_projects().find(&change.slug)?;
    let today = ctx.now.date();
    let status = match change.status {
        Some(status) => {
            domain::with_status(entry.project, status, today)?;
            let operation = Operation::SetProjectStatus {
                list: ProjectList::of(entry.kind),
                slug: entry.slug.to_string(),
                status: status.as_str().to_string(),
                on: today,
            };
            let text = myorg_domain::memory::status_changed(entry.kind, entry.slug, status);
            Some(super::memory::remembering(ctx, operation, &text)?)
        }
        None => None,
    };
    let line = match text {
        Some(text) => {
            let text = notes::about_project(&text, entry.slug)?;
            Some(notes::entry_line(ctx.now, &ctx.handle, &text)?)
        }
        None => None,
    };
    let mut changed = Changed {
        status: None,
        logged: None,
        push: PushReport::default(),
    };
    if let Some(operation) = status {
        let applied = ctx.store.apply(operation, &ctx.actor)?;
        changed.status = Some(applied.summary);
        changed.push = applied.push;
    }
    if let Some(line) = line {
        let applied = ctx
            .store
            .apply(Operation::AppendLog { line: line.clone() }, &ctx.actor)?;
        changed.logged = Some(line);
        changed.push = applied.push;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::with_ctx;
    use crate::store::operation::PROJECTS;

    #[test]
    fn a_status_it_already_has_is_invalid_and_an_unknown_slug_not_found() {
        with_ctx(|ctx| {
            let head = ctx.store.read(PROJECTS).unwrap();
            let same = Change {
                slug: "+website".to_string(),
                status: Some(ProjectStatus::Active),
                update: Some(Update::Text("Launched".to_string())),
            };
            // Nothing is logged either: both are checked before either is applied.
            let log = ctx.store.read(LOG).unwrap();
            match change(ctx, &same) {
                Err(Error::Invalid(why)) => assert_eq!(why, "+website is already active"),
                other => panic!("{other:?}"),
            }
            assert_eq!(ctx.store.read(LOG).unwrap(), log);
            let unknown = Change {
                slug: "nope".to_string(),
                status: None,
                update: Some(Update::Text("x".to_string())),
            };
            assert!(matches!(change(ctx, &unknown), Err(Error::NotFound(why)) if why.contains("+nope")),);
            let nothing = Change {
                slug: "website".to_string(),
                status: None,
                update: None,
            };
            assert!(matches!(change(ctx, &nothing), Err(Error::Invalid(_))));
            assert_eq!(ctx.store.read(PROJECTS).unwrap(), head);
        });
    }

    #[test]
    fn a_link_and_a_status_are_one_change_said_in_two_lines() {
        with_ctx(|ctx| {
            let changed = change(
                ctx,
                &Change {
                    slug: "kitchen".to_string(),
                    status: Some(ProjectStatus::Someday),
                    update: Some(Update::Link {
                        url: "https://example.com/quote".to_string(),
                        words: "The quote".to_string(),
                    }),
                },
            )
            .unwrap();
            assert_eq!(
                changed.said(),
                "Project kitchen: status blocked → someday\n\
                 Logged: 2026-11-23 08:00 ana: The quote https://example.com/quote +kitchen"
            );
            let bad = Change {
                slug: "kitchen".to_string(),
                status: None,
                update: Some(Update::Link {
                    url: "example.com".to_string(),
                    words: String::new(),
                }),
            };
            assert!(matches!(change(ctx, &bad), Err(Error::Invalid(why)) if why.contains("is not a link")));
        });
    }

    #[test]
    fn a_goal_lists_its_projects_and_a_listing_leaves_done_ones_out() {
        with_ctx(|ctx| {
            let goals = list(
                &ctx.look(),
                &Listing {
                    goals: true,
                    ..Listing::default()
                },
            )
            .unwrap();
            assert_eq!(goals.kind, Kind::Goal);
            assert!(goals.shown.iter().any(|goal| !goal.projects.is_empty()));
            let projects = list(&ctx.look(), &Listing::default()).unwrap();
            assert!(projects.shown.iter().all(|p| p.status != ProjectStatus::Done));
            let done = list(
                &ctx.look(),
                &Listing {
                    status: Some(ProjectStatus::Done),
                    ..Listing::default()
                },
            )
            .unwrap();
            assert_eq!(projects.done_left_out, done.shown.len());
            assert!(done.done_left_out == 0 && !done.shown.is_empty());
        });
    }
}
