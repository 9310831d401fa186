//! Briefings: the morning briefing, the evening summary and the weekly review, as
//! structured data built from the store's files for a person and a day, and their
//! rendering as Markdown that reads well in Discord and on a terminal.
//!
//! The morning briefing suggests what to do first in the context the person starts
//! the day in, the evening summary the one thing to start tomorrow with
//! ([`crate::suggest`] ranks them); which context that is comes in as a
//! [`DayContext`].
//!
//! Deterministic: the same files, person and day give the same briefing. Sections in
//! a fixed order, empty ones left out; items in a stable order; every task carries
//! its reference so it can be acted on. A person sees their own tasks (`owner:`
//! their handle) and, when asked, unassigned ones; nobody given means everyone's.

use crate::calendar::{DatedEvent, events_between, week_goal};
use crate::goals;
use crate::kpi::Figures;
use crate::projects::{self, Kind as ProjectKind};
use crate::reference::References;
use crate::search::{Filter, search};
use crate::suggest::{self, Request, blocked_ids, is_blocked};
use crate::waiting::{WaitingFilter, waiting};
use chrono::{Datelike, Days, NaiveDate};
use myorg_parsers::{CalendarFile, ProjectStatus, ProjectsFile, Task, TodoFile};
use std::fmt::Write;

/// The store files a briefing reads.
#[derive(Clone, Copy)]
pub struct Files<'a> {
    pub todo: &'a TodoFile,
    /// done.txt: archived tasks.
    pub done: &'a TodoFile,
    pub calendar: &'a CalendarFile,
    pub projects: &'a ProjectsFile,
    pub goals: &'a ProjectsFile,
}

/// Whose briefing it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whom {
    /// The person's `owner:` handle; `None`: everyone's tasks.
    pub handle: Option<String>,
    /// With tasks nobody owns.
    pub unassigned_too: bool,
}

impl Whom {
    fn sees(&self, task: &Task) -> bool {
        match (&self.handle, task.owner()) {
            (None, _) => true,
            (Some(handle), Some(owner)) => owner.eq_ignore_ascii_case(handle),
            (Some(_), None) => self.unassigned_too,
        }
    }
}

/// Which briefing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Morning,
    Evening,
    Weekly,
}

/// One line of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The task's reference, when it is a task of todo.txt.
    pub reference: Option<String>,
    pub text: String,
    /// A short remark: when it was due, why it is listed.
    pub note: Option<String>,
}

/// A titled list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    /// A line under the title, before the items (the context suggestions are for).
    pub lead: Option<String>,
    pub items: Vec<Item>,
    /// The items are Markdown already (a guide's checklist), not text to escape.
    pub markdown: bool,
}

/// A whole briefing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Briefing {
    pub kind: Kind,
    pub date: NaiveDate,
    /// The person's handle, if it is one person's.
    pub handle: Option<String>,
    /// A line under the title (the week's goal).
    pub subtitle: Option<String>,
    /// Non-empty sections, in order.
    pub sections: Vec<Section>,
}

impl Briefing {
    /// Whether there is nothing to say.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }
}

/// What a briefing needs besides the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// A waiting-for item without follow-up date is stale after this many days.
    pub stale_after_days: i64,
    /// How many days ahead "due soon" looks.
    pub soon_days: u64,
    /// At most this many top priorities.
    pub top_priorities: usize,
    /// At most this many suggestions in the morning.
    pub suggestions: usize,
}

/// The context a person starts a day in, and why: what the day's suggestions are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayContext {
    /// `@computer`.
    pub context: String,
    /// `work hours`, `set until the end of the day`.
    pub why: String,
}

impl DayContext {
    /// `Context @computer (work hours)`.
    pub fn said(&self) -> String {
        format!("Context {} ({})", self.context, self.why)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            stale_after_days: 7,
            soon_days: 7,
            top_priorities: 5,
            suggestions: 3,
        }
    }
}

/// Builds the sections of a briefing, leaving out empty ones.
struct Builder<'a> {
    files: Files<'a>,
    whom: &'a Whom,
    references: References,
    /// The open, visible tasks the person sees, most urgent first.
    open: Vec<&'a Task>,
    sections: Vec<Section>,
}

impl<'a> Builder<'a> {
    fn new(files: Files<'a>, whom: &'a Whom, today: NaiveDate) -> Builder<'a> {
        let open = search(files.todo, &Filter::default(), today)
            .into_iter()
            .map(|found| found.task)
            .filter(|task| whom.sees(task))
            .collect();
        Builder {
            files,
            whom,
            references: References::of(files.todo),
            open,
            sections: Vec::new(),
        }
    }

    fn section(&mut self, title: &str, items: Vec<Item>) {
        if !items.is_empty() {
            self.sections.push(Section {
                title: title.to_string(),
                lead: None,
                items,
                markdown: false,
            });
        }
    }

    /// The section `title` of at most `most` suggestions for `day` in `context`, under
    /// a line naming it; left out when no open task fits.
    fn suggested(&mut self, title: &str, context: &DayContext, day: NaiveDate, most: usize) {
        let request = Request {
            owner: self.whom.handle.clone(),
            context: Some(context.context.trim_start_matches('@').to_string()),
            limit: usize::MAX,
            ..Request::default()
        };
        let files = self.files;
        let items: Vec<Item> =
            suggest::suggest(files.todo, Some(files.projects), Some(files.goals), &request, day)
                .into_iter()
                .filter(|found| self.whom.sees(found.task))
                .take(most)
                .map(|found| self.task(found.task, Some(found.reason)))
                .collect();
        self.section(title, items);
        if let Some(section) = self.sections.last_mut().filter(|section| section.title == title) {
            section.lead = Some(context.said());
        }
    }

    fn task(&self, task: &Task, note: Option<String>) -> Item {
        Item {
            reference: Some(self.references.shown(task)),
            text: task.description().to_string(),
            note,
        }
    }

    /// Open, visible tasks the person sees, kept by `keep`, most urgent first.
    fn tasks(&self, keep: impl Fn(&Task) -> bool) -> Vec<&'a Task> {
        self.open.iter().copied().filter(|task| keep(task)).collect()
    }

    fn events(&self, date: NaiveDate) -> Vec<Item> {
        events_between(self.files.calendar, date, date)
            .iter()
            .map(event_item)
            .collect()
    }

    /// Tasks completed in `from..=to`, from todo.txt and done.txt, oldest first.
    fn completed(&self, from: NaiveDate, to: NaiveDate) -> Vec<Item> {
        let mut done: Vec<(NaiveDate, Item)> = [self.files.todo, self.files.done]
            .iter()
            .flat_map(|file| file.tasks().map(|(_, task)| task))
            .filter(|task| self.whom.sees(task))
            .filter_map(|task| {
                let on = task.completed().filter(|on| (from..=to).contains(on))?;
                let note = (from != to).then(|| format!("{} {}", weekday(on), on.day()));
                Some((
                    on,
                    Item {
                        reference: None,
                        text: task.description().to_string(),
                        note,
                    },
                ))
            })
            .collect();
        done.sort_by_key(|(on, _)| *on);
        done.into_iter().map(|(_, item)| item).collect()
    }

    fn stale_waiting(&self, today: NaiveDate, settings: &Settings) -> Vec<Item> {
        waiting(
            self.files.todo,
            &WaitingFilter::default(),
            today,
            settings.stale_after_days,
        )
        .into_iter()
        .filter(|item| item.stale.is_some() && self.whom.sees(item.task))
        .map(|item| {
            let note = item
                .stale
                .map(|stale| format!("{}, {stale}", item.who.unwrap_or("someone")));
            self.task(item.task, note)
        })
        .collect()
    }

    fn overdue(&self, today: NaiveDate) -> Vec<Item> {
        self.tasks(|task| task.due().is_some_and(|due| due < today))
            .into_iter()
            .map(|task| {
                let due = task.due().unwrap_or(today);
                let late = (today - due).num_days();
                self.task(task, Some(format!("due {due}, {}", days_ago(late))))
            })
            .collect()
    }

    fn due_on(&self, day: NaiveDate) -> Vec<Item> {
        self.tasks(|task| task.due() == Some(day))
            .into_iter()
            .map(|task| self.task(task, None))
            .collect()
    }

    fn finish(self, kind: Kind, date: NaiveDate, subtitle: Option<String>) -> Briefing {
        Briefing {
            kind,
            date,
            handle: self.whom.handle.clone(),
            subtitle,
            sections: self.sections,
        }
    }
}

fn event_item(event: &DatedEvent) -> Item {
    let time = match (event.start, event.end) {
        (Some(start), Some(end)) => format!("{start}–{end} "),
        (Some(start), None) => format!("{start} "),
        _ => String::new(),
    };
    Item {
        reference: None,
        text: format!("{time}{}", event.text.trim()),
        note: None,
    }
}

fn weekday(date: NaiveDate) -> &'static str {
    myorg_parsers::calendar::header::weekday_name(date.weekday())
}

fn days_ago(days: i64) -> String {
    if days == 1 {
        "1 day ago".to_string()
    } else {
        format!("{days} days ago")
    }
}

/// The morning briefing of `date`: today's events, overdue tasks, tasks due today and
/// within the week, top priorities not yet scheduled, waiting-for items to chase,
/// what to do first in `first` (the day's first context), and goals and active
/// projects with their progress; the week's goal as subtitle.
pub fn morning(
    files: Files,
    whom: &Whom,
    date: NaiveDate,
    settings: &Settings,
    first: Option<&DayContext>,
) -> Briefing {
    let mut b = Builder::new(files, whom, date);
    let events = b.events(date);
    b.section("Today's events", events);
    let overdue = b.overdue(date);
    b.section(titles::OVERDUE, overdue);
    let today = b.due_on(date);
    b.section("Due today", today);
    let soon_end = date
        .checked_add_days(Days::new(settings.soon_days))
        .unwrap_or(date);
    let mut soon = b.tasks(|task| task.due().is_some_and(|due| due > date && due <= soon_end));
    // By day; the most urgent first within a day.
    soon.sort_by_key(|task| task.due());
    let soon: Vec<Item> = soon
        .into_iter()
        .map(|task| {
            let due = task.due().unwrap_or(date);
            b.task(task, Some(format!("{} {}", weekday(due), due.day())))
        })
        .collect();
    b.section("Due this week", soon);
    let blocked = blocked_ids(files.todo);
    let mut top: Vec<&Task> = b.tasks(|task| {
        task.due().is_none()
            && task.priority().is_some_and(|p| p.letter() <= 'B')
            && !task.is_waiting()
            && !is_blocked(task, &blocked)
    });
    top.truncate(settings.top_priorities);
    let top: Vec<Item> = top
        .into_iter()
        .map(|task| b.task(task, task.priority().map(|p| format!("priority {}", p.letter()))))
        .collect();
    b.section("Top priorities, not scheduled", top);
    let waiting = b.stale_waiting(date, settings);
    b.section(titles::WAITING, waiting);
    if let Some(first) = first {
        b.suggested("Suggested", first, date, settings.suggestions);
    }
    let progress = goals_and_projects(&files);
    b.section("Goals and projects", progress);
    let subtitle = week_goal(files.calendar, date).map(|goal| format!("This week: {goal}"));
    b.finish(Kind::Morning, date, subtitle)
}

/// Active goals, then active projects, each with its progress.
fn goals_and_projects(files: &Files) -> Vec<Item> {
    let listing = projects::Files {
        projects: files.projects,
        goals: files.goals,
        todo: files.todo,
        done: files.done,
    };
    [ProjectKind::Goal, ProjectKind::Project]
        .into_iter()
        .flat_map(|kind| listing.list(kind))
        .filter(|entry| entry.status == ProjectStatus::Active)
        .map(|entry| {
            let kind = match entry.kind {
                ProjectKind::Goal => "goal",
                ProjectKind::Project => "project",
            };
            Item {
                reference: None,
                text: format!("+{} {}", entry.slug, projects::title(entry.project)),
                note: Some(match entry.progress.percent() {
                    Some(percent) => format!("{kind}, {} ({percent}%)", entry.progress),
                    None => format!("{kind}, no tasks"),
                }),
            }
        })
        .collect()
}

/// The evening summary of `date`: what was done today, what is still open for today,
/// tomorrow's events and deadlines, and the one task to start tomorrow with in
/// `first` (tomorrow's first context).
pub fn evening(files: Files, whom: &Whom, date: NaiveDate, first: Option<&DayContext>) -> Briefing {
    let mut b = Builder::new(files, whom, date);
    let done = b.completed(date, date);
    b.section("Done today", done);
    let open: Vec<Item> = b
        .tasks(|task| task.due().is_some_and(|due| due <= date))
        .into_iter()
        .map(|task| {
            let due = task.due().unwrap_or(date);
            let note = (due < date).then(|| format!("due {due}"));
            b.task(task, note)
        })
        .collect();
    b.section("Still open for today", open);
    let tomorrow = date.succ_opt().unwrap_or(date);
    let events = b.events(tomorrow);
    b.section("Tomorrow's events", events);
    let due = b.due_on(tomorrow);
    b.section("Due tomorrow", due);
    if let Some(first) = first {
        b.suggested("Tomorrow, first", first, tomorrow, 1);
    }
    b.finish(Kind::Evening, date, None)
}

/// The titles of the weekly review's sections, which the interactive review walks.
pub mod titles {
    pub const INBOX: &str = "Inbox: no project, context or date";
    pub const PROJECTS: &str = "Active projects without a next action";
    pub const WAITING: &str = "Waiting for, to chase";
    pub const OVERDUE: &str = "Overdue";
    pub const GOALS: &str = "Goals this week";
    pub const FIGURES: &str = "Figures";
}

/// The built-in weekly review checklist, when the store has no
/// `skills/weekly-review.md`.
pub const DEFAULT_CHECKLIST: [&str; 7] = [
    "Empty your inboxes into todo.txt",
    "Give every inbox task a project, a context or a date",
    "Give every active project a next action",
    "Chase the waiting-for items",
    "Reschedule or drop what is overdue",
    "Look at each goal: did something move it this week?",
    "Look at next week's calendar",
];

/// The checklist of a weekly-review guide: its Markdown list items (`- `, `* `,
/// `1. `, `- [ ] `), in order.
pub fn checklist(guide: &str) -> Vec<String> {
    guide
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let item = line
                .strip_prefix("- ")
                .or_else(|| line.strip_prefix("* "))
                .or_else(|| {
                    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
                    (digits > 0).then(|| line[digits..].strip_prefix(". ")).flatten()
                })?;
            let item = item
                .strip_prefix("[ ] ")
                .or_else(|| item.strip_prefix("[x] "))
                .unwrap_or(item)
                .trim();
            (!item.is_empty()).then(|| item.to_string())
        })
        .collect()
}

/// The weekly review on `date` (the week that ends that day): the checklist, inbox
/// tasks (no project, no context, no date), active projects without a next action,
/// waiting-for items to chase, overdue tasks, the open goals with what moved them this
/// week against the week before (those nothing moved for two weeks flagged), and what
/// was done this week, then the latest figures of kpi.txt as they stood that day
/// (`figures`), each with its change. `guide` is `skills/weekly-review.md` when
/// present.
pub fn weekly(
    files: Files,
    whom: &Whom,
    date: NaiveDate,
    guide: Option<&str>,
    settings: &Settings,
    figures: &Figures,
) -> Briefing {
    let mut b = Builder::new(files, whom, date);
    let steps = match guide.map(checklist).filter(|steps| !steps.is_empty()) {
        Some(steps) => steps,
        None => DEFAULT_CHECKLIST.iter().map(|s| s.to_string()).collect(),
    };
    let steps = steps
        .into_iter()
        .map(|text| Item {
            reference: None,
            text,
            note: None,
        })
        .collect();
    b.section("Checklist", steps);
    if let Some(checklist) = b.sections.last_mut() {
        checklist.markdown = true;
    }
    let inbox: Vec<Item> = b
        .tasks(|task| {
            task.projects().next().is_none()
                && task.contexts().next().is_none()
                && task.due().is_none()
                && task.threshold().is_none()
        })
        .into_iter()
        .map(|task| b.task(task, None))
        .collect();
    b.section(titles::INBOX, inbox);
    let stuck = projects_without_next_action(&files, date);
    b.section(titles::PROJECTS, stuck);
    let waiting = b.stale_waiting(date, settings);
    b.section(titles::WAITING, waiting);
    let overdue = b.overdue(date);
    b.section(titles::OVERDUE, overdue);
    let week_start = date.checked_sub_days(Days::new(6)).unwrap_or(date);
    let goals = goals_this_week(&files, date);
    b.section(titles::GOALS, goals);
    let done = b.completed(week_start, date);
    b.section("Done this week", done);
    b.section(titles::FIGURES, figure_items(figures, date));
    b.finish(Kind::Weekly, date, None)
}

/// The latest value of each key on or before `date`: `mrr 1200 on 2026-11-21 — +100
/// (+9.1%) since 2026-10-31`.
fn figure_items(figures: &Figures, date: NaiveDate) -> Vec<Item> {
    figures
        .clone()
        .until(date)
        .latest()
        .into_iter()
        .map(|latest| {
            let note = match (latest.change(), latest.previous) {
                (Some(change), Some(previous)) => format!("{change} since {}", previous.date),
                _ => "first reading".to_string(),
            };
            Item {
                reference: None,
                text: format!("{} {} on {}", latest.key, latest.point.value, latest.point.date),
                note: Some(note),
            }
        })
        .collect()
}

/// Active projects with no open task that could be done now (visible, not waiting,
/// not blocked).
fn projects_without_next_action(files: &Files, today: NaiveDate) -> Vec<Item> {
    let blocked = blocked_ids(files.todo);
    let actionable: Vec<&Task> = search(files.todo, &Filter::default(), today)
        .into_iter()
        .map(|found| found.task)
        .filter(|task| !task.is_waiting() && !is_blocked(task, &blocked))
        .collect();
    files
        .projects
        .projects()
        .filter_map(|(_, project)| {
            let slug = project.slug()?;
            let active = projects::status_of(project) == ProjectStatus::Active;
            let has_next = actionable.iter().any(|task| task.has_project(slug));
            (active && !has_next).then(|| Item {
                reference: None,
                text: format!("+{slug} {}", projects::title(project)),
                note: None,
            })
        })
        .collect()
}

/// The open goals, each with what moved it in the seven days ending on `date` against
/// the seven days before ([`goals::movement`]; a stalled one says so).
fn goals_this_week(files: &Files, date: NaiveDate) -> Vec<Item> {
    let listing = projects::Files {
        projects: files.projects,
        goals: files.goals,
        todo: files.todo,
        done: files.done,
    };
    goals::movement(&listing, goals::Week::ending(date))
        .iter()
        .map(|moved| Item {
            reference: None,
            text: format!("+{} {}", moved.goal.slug, projects::title(moved.goal.project)),
            note: Some(moved.summary()),
        })
        .collect()
}

/// The briefing as Markdown: a bold title, the subtitle in italics, each section a
/// bold heading with one bullet per item, references in code spans.
pub fn render(briefing: &Briefing) -> String {
    let mut out = String::new();
    let title = match briefing.kind {
        Kind::Morning => "Good morning",
        Kind::Evening => "Evening summary",
        Kind::Weekly => "Weekly review",
    };
    let date = briefing.date;
    let _ = write!(
        out,
        "**{title}** — {} {} {} {}",
        weekday(date),
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    );
    if let Some(handle) = &briefing.handle {
        let _ = write!(out, " ({handle})");
    }
    out.push('\n');
    if let Some(subtitle) = &briefing.subtitle {
        let _ = writeln!(out, "_{}_", escape(subtitle));
    }
    if briefing.sections.is_empty() {
        out.push_str("\nNothing to report.\n");
    }
    for section in &briefing.sections {
        let _ = write!(out, "\n**{}**\n", section.title);
        if let Some(lead) = &section.lead {
            let _ = writeln!(out, "{}", escape(lead));
        }
        for item in &section.items {
            out.push_str("• ");
            if let Some(reference) = &item.reference {
                let _ = write!(out, "`{reference}` ");
            }
            if section.markdown {
                out.push_str(&item.text);
            } else {
                out.push_str(&escape(&item.text));
            }
            if let Some(note) = &item.note {
                let _ = write!(out, " — {}", escape(note));
            }
            out.push('\n');
        }
    }
    out
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Text from the user's files with Markdown's emphasis and code characters escaped,
/// so a task such as `fix *all* the_things` shows as written.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '`' | '~' | '|' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    struct Store {
        todo: TodoFile,
        done: TodoFile,
        calendar: CalendarFile,
        projects: ProjectsFile,
        goals: ProjectsFile,
    }

    impl Store {
        fn new(todo: &str, done: &str) -> Store {
            Store {
                todo: TodoFile::parse(todo),
                done: TodoFile::parse(done),
                calendar: CalendarFile::parse(
                    "2026-11-23 w48  Ship it\n2026-11-23 w48 Mon  14 dentist 9:30-10 standup\n2026-11-24 w48 Tue  yoga\n",
                ),
                projects: ProjectsFile::parse(
                    "+site Website status:active goal:ship\n+idle Nothing to do status:active\n",
                ),
                goals: ProjectsFile::parse("+ship Ship v2 status:active\n+rest Rest more status:active\n"),
            }
        }

        fn files(&self) -> Files<'_> {
            Files {
                todo: &self.todo,
                done: &self.done,
                calendar: &self.calendar,
                projects: &self.projects,
                goals: &self.goals,
            }
        }
    }

    const TODO: &str = "\
Late report +site due:2026-11-20 owner:ana
Today's call due:2026-11-23
Ben's thing due:2026-11-23 owner:ben
(A) Big idea
Soon thing due:2026-11-26
x 2026-11-23 Finished +site
Keys @waiting who:ben followup:2026-11-22
";

    fn titles(briefing: &Briefing) -> Vec<&str> {
        briefing.sections.iter().map(|s| s.title.as_str()).collect()
    }

    fn texts<'a>(briefing: &'a Briefing, title: &str) -> Vec<&'a str> {
        briefing
            .sections
            .iter()
            .find(|s| s.title == title)
            .map(|s| s.items.iter().map(|i| i.text.as_str()).collect())
            .unwrap_or_default()
    }

    fn ana() -> Whom {
        Whom {
            handle: Some("ana".into()),
            unassigned_too: true,
        }
    }

    #[test]
    fn the_morning_has_its_sections_in_order_and_only_the_persons_tasks() {
        let store = Store::new(TODO, "");
        let briefing = morning(
            store.files(),
            &ana(),
            day("2026-11-23"),
            &Settings::default(),
            None,
        );
        assert_eq!(
            titles(&briefing),
            [
                "Today's events",
                "Overdue",
                "Due today",
                "Due this week",
                "Top priorities, not scheduled",
                "Waiting for, to chase",
                "Goals and projects"
            ]
        );
        assert_eq!(
            texts(&briefing, "Today's events"),
            ["09:30–10:00 standup", "14:00 dentist"]
        );
        assert_eq!(texts(&briefing, "Due today"), ["Today's call due:2026-11-23"]);
        assert_eq!(briefing.subtitle.as_deref(), Some("This week: Ship it"));
        let site = &texts(&briefing, "Goals and projects")[0];
        assert_eq!(*site, "+ship Ship v2");
        let notes: Vec<_> = briefing.sections[6]
            .items
            .iter()
            .map(|i| i.note.clone().unwrap())
            .collect();
        assert_eq!(notes[0], "goal, 1/2 done (50%)");
        assert!(notes.contains(&"project, no tasks".to_string()));
        assert!(
            briefing.sections[1].items[0].reference.is_some(),
            "tasks carry references"
        );
    }

    #[test]
    fn empty_sections_are_left_out() {
        let store = Store::new("", "");
        let briefing = evening(store.files(), &ana(), day("2026-11-30"), None);
        assert!(briefing.is_empty());
        assert!(render(&briefing).ends_with("Nothing to report.\n"));
    }

    #[test]
    fn the_evening_counts_done_txt_and_looks_at_tomorrow() {
        let store = Store::new(
            TODO,
            "x 2026-11-23 2026-11-01 Archived already\nx 2026-11-22 Yesterday's\n",
        );
        let briefing = evening(store.files(), &ana(), day("2026-11-23"), None);
        assert_eq!(
            texts(&briefing, "Done today"),
            ["Finished +site", "Archived already"]
        );
        assert_eq!(
            texts(&briefing, "Still open for today"),
            [
                "Late report +site due:2026-11-20 owner:ana",
                "Today's call due:2026-11-23"
            ]
        );
        assert_eq!(texts(&briefing, "Tomorrow's events"), ["yoga"]);
    }

    #[test]
    fn the_weekly_review_follows_the_guide_and_finds_what_is_stuck() {
        let store = Store::new(TODO, "");
        let guide =
            "# Weekly review\n\nSome words.\n\n- [ ] Empty the inbox\n2. Look at `todo.txt`\n* Plan\n";
        let kpi = myorg_parsers::KpiFile::parse(
            "2026-11-01 mrr:1000 users:4\n2026-11-22 mrr:1100\n2026-12-01 mrr:5\n",
        );
        let briefing = weekly(
            store.files(),
            &ana(),
            day("2026-11-29"),
            Some(guide),
            &Settings::default(),
            &Figures::of(&kpi),
        );
        assert_eq!(
            texts(&briefing, "Checklist"),
            ["Empty the inbox", "Look at `todo.txt`", "Plan"]
        );
        assert!(
            render(&briefing).contains("• Look at `todo.txt`\n"),
            "a guide's Markdown is kept"
        );
        assert_eq!(
            texts(&briefing, "Inbox: no project, context or date"),
            ["Big idea"]
        );
        assert_eq!(
            texts(&briefing, "Active projects without a next action"),
            ["+idle Nothing to do"]
        );
        assert_eq!(
            texts(&briefing, "Goals this week"),
            ["+ship Ship v2", "+rest Rest more"]
        );
        let notes: Vec<Option<&str>> = briefing
            .sections
            .iter()
            .find(|s| s.title == "Goals this week")
            .map(|s| s.items.iter().map(|i| i.note.as_deref()).collect())
            .unwrap_or_default();
        assert_eq!(
            notes,
            [
                Some("1 done this week, none last week"),
                Some("no movement for 2 weeks")
            ]
        );
        assert_eq!(texts(&briefing, "Done this week"), ["Finished +site"]);
        // The figures as they stood that day: December's reading is not yet.
        assert_eq!(
            texts(&briefing, "Figures"),
            ["mrr 1100 on 2026-11-22", "users 4 on 2026-11-01"]
        );
        assert!(
            render(&briefing).ends_with(
                "**Figures**\n• mrr 1100 on 2026-11-22 — +100 (+10.0%) since 2026-11-01\n\
                 • users 4 on 2026-11-01 — first reading\n"
            ),
            "{}",
            render(&briefing)
        );
        let builtin = weekly(
            store.files(),
            &ana(),
            day("2026-11-29"),
            None,
            &Settings::default(),
            &Figures::default(),
        );
        assert_eq!(texts(&builtin, "Checklist").len(), DEFAULT_CHECKLIST.len());
        assert!(!builtin.sections.iter().any(|s| s.title == "Figures"));
    }

    #[test]
    fn text_from_the_files_is_escaped() {
        let store = Store::new("Fix *all* the_things `now` due:2026-11-23\n", "");
        let rendered = render(&morning(
            store.files(),
            &ana(),
            day("2026-11-23"),
            &Settings::default(),
            None,
        ));
        assert!(
            rendered.contains("Fix \\*all\\* the\\_things \\`now\\`"),
            "{rendered}"
        );
    }

    fn at(context: &str, why: &str) -> DayContext {
        DayContext {
            context: context.into(),
            why: why.into(),
        }
    }

    const CONTEXTS: &str = "\
(C) Answer the forum @computer
Fix the login page +site @computer due:2026-11-24
Paint the fence @home
Ben's slides @computer owner:ben
(A) Call the bank @phone
Tidy the desk
Plan the launch +site @computer t:2026-11-30
";

    #[test]
    fn the_morning_suggests_three_for_the_days_first_context_under_a_line_naming_it() {
        let store = Store::new(CONTEXTS, "");
        let work = at("@computer", "work hours");
        let briefing = morning(
            store.files(),
            &ana(),
            day("2026-11-23"),
            &Settings::default(),
            Some(&work),
        );
        assert_eq!(
            titles(&briefing)[titles(&briefing).len() - 2..],
            ["Suggested", "Goals and projects"]
        );
        assert_eq!(
            texts(&briefing, "Suggested"),
            [
                "Fix the login page +site @computer due:2026-11-24",
                "Answer the forum @computer",
                "Tidy the desk"
            ]
        );
        let rendered = render(&briefing);
        assert!(
            rendered.contains("\n**Suggested**\nContext @computer (work hours)\n• `"),
            "{rendered}"
        );
        assert!(
            rendered.contains("Fix the login page +site @computer due:2026-11-24 — due tomorrow, @computer"),
            "the reason is the item's note: {rendered}"
        );
        let home = at("@home", "outside work hours");
        let weekend = morning(
            store.files(),
            &ana(),
            day("2026-11-28"),
            &Settings::default(),
            Some(&home),
        );
        // At home, the @computer tasks do not fit: two, not three.
        assert_eq!(
            texts(&weekend, "Suggested"),
            ["Paint the fence @home", "Tidy the desk"]
        );
    }

    #[test]
    fn nothing_to_suggest_leaves_the_section_out() {
        let store = Store::new("Call the bank @phone\nx 2026-11-20 Done @computer\n", "");
        let work = at("@computer", "work hours");
        let briefing = morning(
            store.files(),
            &ana(),
            day("2026-11-23"),
            &Settings::default(),
            Some(&work),
        );
        assert!(!titles(&briefing).contains(&"Suggested"), "{briefing:?}");
        let evening = evening(store.files(), &ana(), day("2026-11-23"), Some(&work));
        assert!(!titles(&evening).contains(&"Tomorrow, first"), "{evening:?}");
    }

    #[test]
    fn the_evening_names_the_one_task_to_start_tomorrow_with() {
        let store = Store::new(CONTEXTS, "");
        let phone = at("@phone", "\"call with the bank\" 09:00–09:30");
        let briefing = evening(store.files(), &ana(), day("2026-11-23"), Some(&phone));
        assert_eq!(titles(&briefing).last(), Some(&"Tomorrow, first"));
        assert_eq!(texts(&briefing, "Tomorrow, first"), ["Call the bank @phone"]);
        let rendered = render(&briefing);
        let (_, last) = rendered.split_once("**Tomorrow, first**\n").unwrap();
        let (lead, item) = last.split_once('\n').unwrap();
        assert_eq!(lead, "Context @phone (\"call with the bank\" 09:00–09:30)");
        assert!(
            item.starts_with("• `") && item.ends_with("` Call the bank @phone — priority A, @phone\n"),
            "{rendered}"
        );
    }
}
