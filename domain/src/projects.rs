//! Projects and goals: listing by status, progress, one project shown in full, new
//! project lines and status changes.
//!
//! projects.txt and goals.txt share one grammar (see `myorg_parsers::projects`): a
//! todo.txt line whose first `+slug` names the project or goal. Slugs are one name
//! space across both files, since tasks and log entries name either with `+slug`.
//!
//! **Status.** `status:` gives it; a line marked `x` is done whatever it says. A line
//! without a `status:` tag, or with a value that is not a status (the parser reports
//! it), counts as **active**: a project someone wrote down by hand is presumably being
//! worked on, and a listing must not lose it.
//!
//! **Progress** of a project is done/total over the tasks tagged `+slug` in todo.txt
//! *and* done.txt (archived tasks count as done, whether or not they are marked `x`).
//! Tasks hidden with `h:1` are placeholders that keep a project name alive in
//! todo.txt apps, not work, and are not counted. A project without tasks has no
//! progress ("no tasks"), not 0%.
//!
//! A **goal**'s tasks are those tagged with the goal's own `+slug` or with the
//! `+slug` of any project whose `goal:` names it; a task tagged with two of them
//! counts once. Its progress is done/total over those tasks, so a big project weighs
//! more than a small one, as its work does.
//!
//! **Done.** Setting the status to done also marks the line `x DATE` (the completion
//! date; a creation date and other tags stay), so todo.txt apps that open the file
//! show it as completed; moving a done project to another status removes the mark.
//! `status:done` is written too, so the line says the same to both kinds of reader.

use crate::search::{self, Filter, Found};
use chrono::NaiveDate;
use myorg_parsers::log::{LogEntry, LogFile, LogLine};
use myorg_parsers::todo::InvalidEdit;
use myorg_parsers::{Project, ProjectStatus, ProjectsFile, Quarter, Task, TodoFile};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Which file a line is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// projects.txt.
    Project,
    /// goals.txt.
    Goal,
}

impl Kind {
    /// "project" or "goal".
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Project => "project",
            Kind::Goal => "goal",
        }
    }

    /// The file's usual name.
    pub fn file(self) -> &'static str {
        match self {
            Kind::Project => "projects.txt",
            Kind::Goal => "goals.txt",
        }
    }
}

/// How many of a project's tasks are done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// Whole percent done; `None` without tasks.
    pub fn percent(self) -> Option<usize> {
        (self.total > 0).then(|| self.done * 100 / self.total)
    }

    fn count(&mut self, done: bool) {
        self.total += 1;
        if done {
            self.done += 1;
        }
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.total == 0 {
            f.write_str("no tasks")
        } else {
            write!(f, "{}/{} done", self.done, self.total)
        }
    }
}

/// Why a project request cannot be done; the text is what a person reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectError {
    /// Not a well-formed slug.
    BadSlug(String),
    /// The slug is taken: in which file, on which line (1-based).
    Exists { slug: String, kind: Kind, line: usize },
    /// No project or goal has this slug; the known ones.
    Unknown { slug: String, known: Vec<String> },
    /// `goal:` names no goal of goals.txt.
    NoSuchGoal(String),
    /// The status is already the one asked for.
    SameStatus { slug: String, status: ProjectStatus },
    /// A project needs a description besides its slug and tags.
    NoText,
    /// `quarter:` must read `YYYYQn`.
    BadQuarter(String),
    /// A value could not be written as a tag.
    Edit(InvalidEdit),
    /// An edit that would leave the line as it is.
    Unchanged(String),
}

impl fmt::Display for ProjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProjectError::BadSlug(slug) => write!(
                f,
                "\"{slug}\" is not a project name: use letters and digits, joined by - _ or . \
                 (like kitchen or q4-report)"
            ),
            ProjectError::Exists { slug, kind, line } => write!(
                f,
                "+{slug} already exists: it is the {} on line {line} of {}",
                kind.noun(),
                kind.file()
            ),
            ProjectError::Unknown { slug, known } if known.is_empty() => {
                write!(f, "there is no project or goal +{slug}, and none is defined yet")
            }
            ProjectError::Unknown { slug, known } => write!(
                f,
                "there is no project or goal +{slug}; known: {}",
                known.join(", ")
            ),
            ProjectError::NoSuchGoal(goal) => {
                write!(f, "there is no goal +{goal} in goals.txt (goal: must name one)")
            }
            ProjectError::SameStatus { slug, status } => write!(f, "+{slug} is already {status}"),
            ProjectError::NoText => f.write_str("a project needs a few words saying what it is"),
            ProjectError::BadQuarter(text) => {
                write!(
                    f,
                    "\"{text}\" is not a quarter (expected YYYYQ1 to YYYYQ4, like 2026Q4)"
                )
            }
            ProjectError::Edit(edit) => edit.fmt(f),
            ProjectError::Unchanged(slug) => write!(f, "+{slug} already says that: nothing to change"),
        }
    }
}

impl std::error::Error for ProjectError {}

impl From<InvalidEdit> for ProjectError {
    fn from(edit: InvalidEdit) -> Self {
        ProjectError::Edit(edit)
    }
}

/// The statuses in the order listings show them: what moves first, done last.
pub const LISTING_ORDER: [ProjectStatus; 5] = [
    ProjectStatus::Active,
    ProjectStatus::Blocked,
    ProjectStatus::Planning,
    ProjectStatus::Someday,
    ProjectStatus::Done,
];

/// The status a project counts as (see the module documentation).
pub fn status_of(project: &Project) -> ProjectStatus {
    project.status().unwrap_or(ProjectStatus::Active)
}

/// What a project is, in words: its description without the naming `+slug` and
/// without `key:value` tags.
pub fn title(project: &Project) -> String {
    let task = &project.task;
    let tags: HashSet<(&str, &str)> = task.tags().collect();
    let slug = project.slug();
    let mut slug_seen = false;
    let mut words = Vec::new();
    for word in task
        .description()
        .split([' ', '\t', '\r'])
        .filter(|w| !w.is_empty())
    {
        if !slug_seen && word.strip_prefix('+') == slug && slug.is_some() {
            slug_seen = true;
            continue;
        }
        if word.split_once(':').is_some_and(|tag| tags.contains(&tag)) {
            continue;
        }
        words.push(word);
    }
    words.join(" ")
}

/// Whether `slug` is a well-formed name for a new project or goal: letters and
/// digits (any script), with `-`, `_` or `.` between them, at most 64 characters.
pub fn check_slug(slug: &str) -> Result<(), ProjectError> {
    let mut chars = slug.chars();
    let well_formed = chars.next().is_some_and(char::is_alphanumeric)
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !slug.ends_with(['-', '_', '.'])
        && slug.chars().count() <= 64;
    if well_formed {
        Ok(())
    } else {
        Err(ProjectError::BadSlug(slug.to_string()))
    }
}

/// `website` or `+website`, trimmed.
pub fn bare_slug(given: &str) -> &str {
    let given = given.trim();
    given.strip_prefix('+').unwrap_or(given)
}

/// The store files a project listing reads.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    pub projects: &'a ProjectsFile,
    pub goals: &'a ProjectsFile,
    pub todo: &'a TodoFile,
    /// done.txt: archived tasks.
    pub done: &'a TodoFile,
}

/// One project or goal with what a listing shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub kind: Kind,
    /// The 0-based line of its file.
    pub index: usize,
    pub slug: &'a str,
    pub project: &'a Project,
    /// The status it counts as.
    pub status: ProjectStatus,
    pub progress: Progress,
    /// For a goal: the slugs of the projects whose `goal:` names it, in file order.
    pub projects: Vec<&'a str>,
}

/// One project or goal in full.
#[derive(Debug, Clone)]
pub struct Shown<'a> {
    pub entry: Entry<'a>,
    /// Its open tasks in todo.txt that lists show, most urgent first.
    pub open: Vec<Found<'a>>,
    /// Its open tasks not shown: hidden until a later day (`t:`) or by `h:1`.
    pub hidden: usize,
    /// For a goal: its projects.
    pub members: Vec<Entry<'a>>,
    /// The newest log entries about it, oldest first.
    pub log: Vec<&'a LogEntry>,
}

impl<'a> Files<'a> {
    /// Every project (or goal) of the file, in file order, with its progress.
    pub fn list(&self, kind: Kind) -> Vec<Entry<'a>> {
        let counts = self.counts(kind);
        self.file(kind)
            .projects()
            .filter_map(|(index, project)| {
                let slug = project.slug()?;
                Some(self.entry(kind, index, slug, project, &counts))
            })
            .collect()
    }

    /// The project or goal named `slug` (with or without `+`). projects.txt is looked
    /// at first.
    pub fn find(&self, slug: &str) -> Result<Entry<'a>, ProjectError> {
        let slug = bare_slug(slug);
        for kind in [Kind::Project, Kind::Goal] {
            if let Some((index, project)) = self.file(kind).find(slug) {
                let counts = self.counts(kind);
                let slug = project.slug().unwrap_or_default();
                return Ok(self.entry(kind, index, slug, project, &counts));
            }
        }
        Err(self.unknown(slug))
    }

    /// The error for a slug that names nothing, listing the known slugs.
    pub fn unknown(&self, slug: &str) -> ProjectError {
        let known = [self.projects, self.goals]
            .iter()
            .flat_map(|file| file.projects().filter_map(|(_, p)| p.slug()))
            .map(str::to_string)
            .collect();
        ProjectError::Unknown {
            slug: slug.to_string(),
            known,
        }
    }

    /// `slug` in full on `today`: its open tasks, its projects (a goal), and its last
    /// `log_limit` entries in `log`.
    pub fn show(
        &self,
        slug: &str,
        log: &'a LogFile,
        today: NaiveDate,
        log_limit: usize,
    ) -> Result<Shown<'a>, ProjectError> {
        let entry = self.find(slug)?;
        let members = match entry.kind {
            Kind::Project => Vec::new(),
            Kind::Goal => {
                let counts = self.counts(Kind::Project);
                self.projects
                    .projects()
                    .filter(|(_, p)| p.goal() == Some(entry.slug))
                    .filter_map(|(index, project)| {
                        let slug = project.slug()?;
                        Some(self.entry(Kind::Project, index, slug, project, &counts))
                    })
                    .collect()
            }
        };
        let mut names: HashSet<&str> = members.iter().map(|member| member.slug).collect();
        names.insert(entry.slug);
        let belongs = |task: &Task| task.projects().any(|p| names.contains(p));
        let open: Vec<Found<'a>> = search::search(self.todo, &Filter::default(), today)
            .into_iter()
            .filter(|found| belongs(found.task))
            .collect();
        let every_open = Filter {
            include_hidden: true,
            ..Filter::default()
        };
        let hidden = self
            .todo
            .tasks()
            .filter(|(_, task)| belongs(task) && every_open.matches(task, "", today))
            .count()
            .saturating_sub(open.len());
        let about: Vec<&'a LogEntry> = log
            .items()
            .filter_map(|(_, line)| match line {
                LogLine::Entry(entry) if entry.projects().any(|p| names.contains(p)) => Some(entry),
                _ => None,
            })
            .collect();
        let log = about[about.len().saturating_sub(log_limit)..].to_vec();
        Ok(Shown {
            entry,
            open,
            hidden,
            members,
            log,
        })
    }

    /// An error when `slug` is already a project or a goal.
    pub fn ensure_new(&self, slug: &str) -> Result<(), ProjectError> {
        for kind in [Kind::Project, Kind::Goal] {
            if let Some((index, _)) = self.file(kind).find(slug) {
                return Err(ProjectError::Exists {
                    slug: slug.to_string(),
                    kind,
                    line: index + 1,
                });
            }
        }
        Ok(())
    }

    fn file(&self, kind: Kind) -> &'a ProjectsFile {
        match kind {
            Kind::Project => self.projects,
            Kind::Goal => self.goals,
        }
    }

    fn entry(
        &self,
        kind: Kind,
        index: usize,
        slug: &'a str,
        project: &'a Project,
        counts: &HashMap<&'a str, Progress>,
    ) -> Entry<'a> {
        let projects = match kind {
            Kind::Project => Vec::new(),
            Kind::Goal => self
                .projects
                .projects()
                .filter(|(_, p)| p.goal() == Some(slug))
                .filter_map(|(_, p)| p.slug())
                .collect(),
        };
        Entry {
            kind,
            index,
            slug,
            project,
            status: status_of(project),
            progress: counts.get(slug).copied().unwrap_or_default(),
            projects,
        }
    }

    /// Progress of every slug of `kind`'s file, in one pass over the tasks.
    fn counts(&self, kind: Kind) -> HashMap<&'a str, Progress> {
        let counting = Counting::new(self, kind);
        let mut counts: HashMap<&'a str, Progress> = HashMap::new();
        let mut names: Vec<&'a str> = Vec::new();
        let tasks = self
            .todo
            .tasks()
            .map(|(_, task)| (task, task.is_done()))
            .chain(self.done.tasks().map(|(_, task)| (task, true)));
        for (task, done) in tasks {
            counting.slugs(task, &mut names);
            for name in &names {
                counts.entry(name).or_default().count(done);
            }
        }
        counts
    }
}

/// Which projects (or goals) of one file a task counts for, by its `+project` tags:
/// the one each tag names and, for goals, the goal of each project it names (see the
/// module documentation).
#[derive(Debug, Clone)]
pub struct Counting<'a> {
    kind: Kind,
    /// The slugs of the file.
    wanted: HashSet<&'a str>,
    /// For goals: each project's goal.
    goal_of: HashMap<&'a str, &'a str>,
}

impl<'a> Counting<'a> {
    /// The counting for the slugs of `kind`'s file of `files`.
    pub fn new(files: &Files<'a>, kind: Kind) -> Counting<'a> {
        let goal_of = match kind {
            Kind::Project => HashMap::new(),
            Kind::Goal => files
                .projects
                .projects()
                .filter_map(|(_, p)| Some((p.slug()?, p.goal()?)))
                .collect(),
        };
        Counting {
            kind,
            wanted: files
                .file(kind)
                .projects()
                .filter_map(|(_, p)| p.slug())
                .collect(),
            goal_of,
        }
    }

    /// Sets `names` to the slugs `task` counts for, each once, in the order of its
    /// tags; none for a task hidden with `h:1`.
    pub fn slugs(&self, task: &Task, names: &mut Vec<&'a str>) {
        names.clear();
        if task.is_hidden() {
            return;
        }
        for project in task.projects() {
            let name = match self.kind {
                Kind::Project => Some(project),
                Kind::Goal if self.wanted.contains(project) => Some(project),
                Kind::Goal => self.goal_of.get(project).copied(),
            };
            if let Some(name) = name.and_then(|n| self.wanted.get(n).copied())
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
    }
}

/// What a new project or goal line says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewProject {
    pub slug: String,
    /// What it is, in words (tags in it count).
    pub text: String,
    pub status: Option<ProjectStatus>,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// `goal:` (projects).
    pub goal: Option<String>,
    /// `quarter:` (goals).
    pub quarter: Option<String>,
    pub area: Option<String>,
}

/// The line for a new project (or goal), checked against `files`, on `today`:
/// `+slug text status:S owner:O due:D goal:G quarter:Q area:A`. The slug must be well
/// formed and unused in both files, `goal:` must name a goal; without a status a new
/// line is active.
pub fn new_line(files: &Files<'_>, new: &NewProject, today: NaiveDate) -> Result<String, ProjectError> {
    let slug = bare_slug(&new.slug);
    check_slug(slug)?;
    files.ensure_new(slug)?;
    let text = new.text.replace(['\n', '\r'], " ");
    let mut task = Task::new(&format!("+{slug} {}", text.trim()));
    let status = new
        .status
        .or_else(|| task.tag("status").and_then(ProjectStatus::parse))
        .unwrap_or(ProjectStatus::Active);
    task.set_tag("status", status.as_str())?;
    for (key, value) in [("owner", new.owner.as_deref()), ("area", new.area.as_deref())] {
        if let Some(value) = value.map(str::trim) {
            task.set_tag(key, value)?;
        }
    }
    if let Some(due) = new.due {
        task.set_tag("due", &due.to_string())?;
    }
    if let Some(goal) = new.goal.as_deref().map(bare_slug) {
        task.set_tag("goal", goal)?;
    }
    if let Some(goal) = task.tag("goal")
        && files.goals.find(goal).is_none()
    {
        return Err(ProjectError::NoSuchGoal(goal.to_string()));
    }
    if let Some(quarter) = new.quarter.as_deref().map(str::trim) {
        let parsed = Quarter::parse(&quarter.to_ascii_uppercase())
            .ok_or_else(|| ProjectError::BadQuarter(quarter.to_string()))?;
        task.set_tag("quarter", &parsed.to_string())?;
    }
    if status == ProjectStatus::Done {
        task.complete(today);
    }
    let project = Project { task };
    if title(&project).is_empty() {
        return Err(ProjectError::NoText);
    }
    Ok(project.task.render())
}

/// `project` with its status set to `status` on `today` (see the module
/// documentation for done); every other part of the line stays.
pub fn with_status(
    project: &Project,
    status: ProjectStatus,
    today: NaiveDate,
) -> Result<Project, ProjectError> {
    let task = &project.task;
    let written = task.tag("status").and_then(ProjectStatus::parse);
    let done = status == ProjectStatus::Done;
    // Already so when the line says it in full (a done line may say it with `x` alone).
    let same =
        (written == Some(status) || (done && written.is_none() && task.is_done())) && done == task.is_done();
    if same {
        return Err(ProjectError::SameStatus {
            slug: project.slug().unwrap_or_default().to_string(),
            status,
        });
    }
    let mut task = project.task.clone();
    task.set_tag("status", status.as_str())?;
    if status == ProjectStatus::Done {
        task.complete(today);
    } else {
        task.reopen();
    }
    Ok(Project { task })
}

/// What an edit of a project (or goal) line changes: its status, `key:value` tags
/// set (a tag already there gets the new value), `+word`/`@word` tags added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectEdit {
    pub status: Option<ProjectStatus>,
    /// Tags to set, like `("owner", "ben")`, `("due", "2026-12-31")`; never `status`.
    pub set: Vec<(String, String)>,
    /// Words to add unless the line has them: `+frontend`, `@q4`.
    pub add: Vec<String>,
}

/// `project` with `edit` made on `today` (a status as [`with_status`] sets it; a
/// status it already has is fine when something else changes). Every other part of
/// the line stays; an edit that changes nothing is [`ProjectError::Unchanged`].
pub fn edited(project: &Project, edit: &ProjectEdit, today: NaiveDate) -> Result<Project, ProjectError> {
    let mut changed = project.clone();
    if let Some(status) = edit.status {
        match with_status(&changed, status, today) {
            Ok(project) => changed = project,
            Err(ProjectError::SameStatus { .. }) => {}
            Err(error) => return Err(error),
        }
    }
    for (key, value) in &edit.set {
        if key == "status" {
            return Err(InvalidEdit::Key(key.clone()).into());
        }
        changed.task.set_tag(key, value)?;
    }
    for word in &edit.add {
        match (word.strip_prefix('+'), word.strip_prefix('@')) {
            (Some(name), _) => changed.task.add_project(name)?,
            (_, Some(name)) => changed.task.add_context(name)?,
            _ => return Err(InvalidEdit::Name(word.clone()).into()),
        }
    }
    // Whether the line says it all already (the spacing of a rewritten line aside).
    let task = &project.task;
    let same_status = edit.status.is_none_or(|status| {
        matches!(
            with_status(project, status, today),
            Err(ProjectError::SameStatus { .. })
        )
    });
    let same_tags = edit
        .set
        .iter()
        .all(|(key, value)| task.tag_values(key).eq([value.as_str()]));
    let has_words = edit
        .add
        .iter()
        .all(|word| match (word.strip_prefix('+'), word.strip_prefix('@')) {
            (Some(name), _) => task.has_project(name),
            (_, Some(name)) => task.has_context(name),
            _ => false,
        });
    if same_status && same_tags && has_words {
        return Err(ProjectError::Unchanged(
            project.slug().unwrap_or_default().to_string(),
        ));
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const PROJECTS: &str = "\
+web Relaunch the site status:active owner:ana goal:ship
+kitchen Kitchen renovation status:blocked goal:home
+empty Nothing yet status:planning
+plain Written by hand
x 2026-10-30 +old Retired status:done goal:ship
";
    const GOALS: &str = "\
+ship Ship v2 status:active quarter:2026Q4
+home Home in order quarter:2026Q4
";
    const TODO: &str = "\
(A) Fix form +web due:2026-11-20
x 2026-11-21 Publish notice +web
Ideas +web h:1
Later +web t:2027-01-01
Tiles +kitchen
Shared +web +kitchen
Goal task +ship
";
    const DONE: &str = "\
x 2026-11-01 Palette +web
x 2026-10-01 Export +old
Archived without a mark +web
";

    fn check<T>(test: impl FnOnce(Files<'_>) -> T) -> T {
        let projects = ProjectsFile::parse(PROJECTS);
        let goals = ProjectsFile::parse(GOALS);
        let todo = TodoFile::parse(TODO);
        let done = TodoFile::parse(DONE);
        test(Files {
            projects: &projects,
            goals: &goals,
            todo: &todo,
            done: &done,
        })
    }

    #[test]
    fn progress_counts_todo_and_done_txt_once_per_task() {
        // (slug, done, total): hidden tasks left out, archived tasks done, a goal
        // counts its projects' tasks and its own, each task once.
        let table = [
            (Kind::Project, "web", 3, 6),
            (Kind::Project, "kitchen", 0, 2),
            (Kind::Project, "empty", 0, 0),
            (Kind::Project, "plain", 0, 0),
            (Kind::Project, "old", 1, 1),
            (Kind::Goal, "ship", 4, 8),
            (Kind::Goal, "home", 0, 2),
        ];
        check(|files| {
            for (kind, slug, done, total) in table {
                let entry = files.list(kind).into_iter().find(|e| e.slug == slug).unwrap();
                assert_eq!(entry.progress, Progress { done, total }, "{slug}");
                assert_eq!(files.find(slug).unwrap().progress, entry.progress, "{slug}");
            }
        });
    }

    #[test]
    fn no_tasks_is_not_zero_percent() {
        let none = Progress::default();
        assert_eq!(none.to_string(), "no tasks");
        assert_eq!(none.percent(), None);
        let some = Progress { done: 1, total: 3 };
        assert_eq!((some.to_string(), some.percent()), ("1/3 done".into(), Some(33)));
    }

    #[test]
    fn statuses_default_to_active_and_x_is_done() {
        let table = [
            ("web", ProjectStatus::Active),
            ("kitchen", ProjectStatus::Blocked),
            ("empty", ProjectStatus::Planning),
            ("plain", ProjectStatus::Active),
            ("old", ProjectStatus::Done),
            ("home", ProjectStatus::Active),
        ];
        check(|files| {
            for (slug, status) in table {
                assert_eq!(files.find(slug).unwrap().status, status, "{slug}");
            }
            let goals = files.list(Kind::Goal);
            assert_eq!(goals[0].projects, ["web", "old"]);
            assert_eq!(goals[1].projects, ["kitchen"]);
        });
    }

    #[test]
    fn unknown_slugs_are_errors_that_list_the_known_ones() {
        check(|files| {
            assert_eq!(files.find("+web").unwrap().slug, "web");
            let error = files.find("nope").unwrap_err();
            assert_eq!(
                error.to_string(),
                "there is no project or goal +nope; known: web, kitchen, empty, plain, old, ship, home"
            );
            let today = day("2026-11-23");
            let log = LogFile::parse("");
            assert!(matches!(
                files.show("nope", &log, today, 5),
                Err(ProjectError::Unknown { .. })
            ));
        });
    }

    #[test]
    fn show_lists_open_tasks_by_urgency_and_the_last_log_entries() {
        let log = LogFile::parse(
            "2026-11-01 09:00 ana: first +web\nnot a log line +web\n2026-11-02 09:00 ben: kitchen +kitchen\n\
             2026-11-03 09:00 ana: second +web\n2026-11-04 09:00 ana: about +ship\n2026-11-05 09:00 ana: third +web\n",
        );
        check(|files| {
            let today = day("2026-11-23");
            let shown = files.show("web", &log, today, 2).unwrap();
            let texts: Vec<&str> = shown.open.iter().map(|f| f.task.description()).collect();
            assert_eq!(texts, ["Fix form +web due:2026-11-20", "Shared +web +kitchen"]);
            assert_eq!(shown.hidden, 2, "h:1 and a future threshold");
            let log_texts: Vec<&str> = shown.log.iter().map(|e| e.text.as_str()).collect();
            assert_eq!(log_texts, ["second +web", "third +web"]);

            let goal = files.show("ship", &log, today, 10).unwrap();
            assert_eq!(goal.entry.kind, Kind::Goal);
            let members: Vec<&str> = goal.members.iter().map(|m| m.slug).collect();
            assert_eq!(members, ["web", "old"]);
            assert_eq!(goal.open.len(), 3, "its projects' tasks and its own");
            assert_eq!(goal.log.len(), 4);
        });
    }

    #[test]
    fn new_lines_are_validated() {
        let today = day("2026-11-23");
        let new = |slug: &str, text: &str| NewProject {
            slug: slug.into(),
            text: text.into(),
            ..NewProject::default()
        };
        check(|files| {
            let line = new_line(
                &files,
                &NewProject {
                    owner: Some("ana".into()),
                    due: Some(day("2026-12-24")),
                    goal: Some("+home".into()),
                    status: Some(ProjectStatus::Planning),
                    ..new("+garage", "Clear the garage @home")
                },
                today,
            );
            assert_eq!(
                line.unwrap(),
                "+garage Clear the garage @home status:planning owner:ana due:2026-12-24 goal:home"
            );
            assert_eq!(
                new_line(&files, &new("boat", "A boat"), today).unwrap(),
                "+boat A boat status:active"
            );
            assert_eq!(
                new_line(
                    &files,
                    &NewProject {
                        quarter: Some("2027q1".into()),
                        ..new("fit", "Run a half marathon")
                    },
                    today
                )
                .unwrap(),
                "+fit Run a half marathon status:active quarter:2027Q1"
            );
            assert_eq!(
                new_line(
                    &files,
                    &NewProject {
                        status: Some(ProjectStatus::Done),
                        ..new("past", "Already done")
                    },
                    today
                )
                .unwrap(),
                "x 2026-11-23 +past Already done status:done"
            );
            let errors = [
                (
                    new("web", "again"),
                    "+web already exists: it is the project on line 1 of projects.txt",
                ),
                (
                    new("ship", "again"),
                    "+ship already exists: it is the goal on line 1 of goals.txt",
                ),
                (new("two words", "x"), "\"two words\" is not a project name"),
                (new("-x", "x"), "is not a project name"),
                (new("x-", "x"), "is not a project name"),
                (new("", "x"), "is not a project name"),
                (new("a:b", "x"), "is not a project name"),
                (new("new", "  status:active "), "a few words"),
                (
                    NewProject {
                        goal: Some("nogoal".into()),
                        ..new("new", "Text")
                    },
                    "there is no goal +nogoal",
                ),
                (
                    NewProject {
                        quarter: Some("2026Q5".into()),
                        ..new("new", "Text")
                    },
                    "\"2026Q5\" is not a quarter",
                ),
                (
                    NewProject {
                        owner: Some("two words".into()),
                        ..new("new", "Text")
                    },
                    "two words",
                ),
            ];
            for (request, message) in errors {
                let error = new_line(&files, &request, today).unwrap_err();
                assert!(error.to_string().contains(message), "{request:?}: {error}");
            }
        });
        assert!(check_slug("küche").is_ok());
        assert!(check_slug("q4-report").is_ok());
        assert!(check_slug(&"a".repeat(65)).is_err());
    }

    #[test]
    fn status_changes_touch_only_the_status_and_the_done_mark() {
        let today = day("2026-11-23");
        let table = [
            (
                "+web Site  status:active owner:ana due:2026-12-15",
                ProjectStatus::Blocked,
                "+web Site status:blocked owner:ana due:2026-12-15",
            ),
            (
                "+web Site owner:ana",
                ProjectStatus::Planning,
                "+web Site owner:ana status:planning",
            ),
            (
                "(B) 2026-01-02 +web Site status:active goal:g",
                ProjectStatus::Done,
                "x 2026-11-23 2026-01-02 +web Site status:done goal:g pri:B",
            ),
            (
                "x 2026-10-30 +old Retired status:done goal:g",
                ProjectStatus::Active,
                "+old Retired status:active goal:g",
            ),
            (
                "+old Retired status:done",
                ProjectStatus::Done,
                "x 2026-11-23 +old Retired status:done",
            ),
            ("+web Site", ProjectStatus::Active, "+web Site status:active"),
            (
                "+typo Text status:actve",
                ProjectStatus::Active,
                "+typo Text status:active",
            ),
        ];
        for (line, status, expected) in table {
            let project = Project {
                task: Task::parse(line),
            };
            let changed = with_status(&project, status, today).unwrap();
            assert_eq!(changed.task.render(), expected, "{line}");
            assert_eq!(status_of(&changed), status);
        }
        let same = [
            ("+web Site status:active", ProjectStatus::Active),
            ("x 2026-10-30 +old Retired", ProjectStatus::Done),
            ("x 2026-10-30 +old Retired status:done", ProjectStatus::Done),
        ];
        for (line, status) in same {
            let project = Project {
                task: Task::parse(line),
            };
            let error = with_status(&project, status, today).unwrap_err();
            assert!(
                matches!(error, ProjectError::SameStatus { .. }),
                "{line}: {error}"
            );
        }
    }

    #[test]
    fn titles_leave_out_the_slug_and_tags() {
        let project = Project {
            task: Task::parse("x 2026-10-30 +old Retire the +blog https://x.org status:done area:work"),
        };
        assert_eq!(title(&project), "Retire the +blog https://x.org");
    }

    #[test]
    fn an_edit_sets_tags_adds_words_and_keeps_the_rest() {
        let today = day("2026-11-23");
        let project = Project {
            task: Task::parse("+web Site  status:active owner:ana"),
        };
        let edit = ProjectEdit {
            status: Some(ProjectStatus::Active),
            set: vec![
                ("owner".into(), "ben".into()),
                ("due".into(), "2026-12-31".into()),
            ],
            add: vec!["+frontend".into(), "@q4".into()],
        };
        let changed = edited(&project, &edit, today).unwrap();
        assert_eq!(
            changed.task.render(),
            "+web Site status:active owner:ben due:2026-12-31 +frontend @q4"
        );
        // What the line says already, in other spacing, is no change.
        let same = ProjectEdit {
            status: Some(ProjectStatus::Active),
            set: vec![("owner".into(), "ana".into())],
            add: vec!["+web".into()],
        };
        assert_eq!(
            edited(&project, &same, today),
            Err(ProjectError::Unchanged("web".into()))
        );
        let done = ProjectEdit {
            status: Some(ProjectStatus::Done),
            ..ProjectEdit::default()
        };
        assert_eq!(
            edited(&project, &done, today).unwrap().task.render(),
            "x 2026-11-23 +web Site status:done owner:ana"
        );
        let errors = [
            (edit.clone(), "already says that"),
            (
                ProjectEdit {
                    set: vec![("status".into(), "busy".into())],
                    ..ProjectEdit::default()
                },
                "status",
            ),
            (
                ProjectEdit {
                    add: vec!["plain".into()],
                    ..ProjectEdit::default()
                },
                "plain",
            ),
            (
                ProjectEdit {
                    set: vec![("owner".into(), "two words".into())],
                    ..ProjectEdit::default()
                },
                "two words",
            ),
        ];
        for (edit, why) in errors {
            let error = edited(&changed, &edit, today).unwrap_err();
            assert!(error.to_string().contains(why), "{edit:?}: {error}");
        }
    }
}
