//! The store's files a use case reads, parsed once: one reading for the briefings,
//! the projects and the jobs alike. A use case says which files it needs; the others
//! stay empty, unread.

use super::{Files, Result};
use crate::store::operation::{CALENDAR, DONE, GOALS, PROJECTS, TODO};
use myorg_domain::{briefing, projects};
use myorg_parsers::{CalendarFile, ProjectsFile, TodoFile};

/// `skills/weekly-review.md`: the weekly review's guide, when the store has one.
const GUIDE: &str = "skills/weekly-review.md";

/// Which files to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// projects.txt and goals.txt: enough to find a slug or check a new one.
    Lists,
    /// Those and the tasks progress is counted over (todo.txt, done.txt).
    Progress,
    /// Everything a briefing reads: also calendar.txt and the weekly review's guide.
    Briefing,
}

/// The store files read, parsed (those not needed are empty).
pub struct Loaded {
    pub todo: TodoFile,
    pub done: TodoFile,
    pub calendar: CalendarFile,
    pub projects: ProjectsFile,
    pub goals: ProjectsFile,
    /// `skills/weekly-review.md`, when the store has one and it was needed.
    pub guide: Option<String>,
}

impl Loaded {
    /// The files `need` names, as `files` holds them (a missing file: empty).
    pub fn read(files: &dyn Files, need: Need) -> Result<Loaded> {
        let tasks = need != Need::Lists;
        let briefing = need == Need::Briefing;
        let guide = if briefing { files.read(GUIDE)? } else { Vec::new() };
        Ok(Loaded {
            todo: if tasks {
                TodoFile::parse(files.read(TODO)?)
            } else {
                TodoFile::new()
            },
            done: if tasks {
                TodoFile::parse(files.read(DONE)?)
            } else {
                TodoFile::new()
            },
            calendar: if briefing {
                CalendarFile::parse(files.read(CALENDAR)?)
            } else {
                CalendarFile::parse(Vec::new())
            },
            projects: ProjectsFile::parse(files.read(PROJECTS)?),
            goals: ProjectsFile::parse(files.read(GOALS)?),
            guide: (!guide.is_empty()).then(|| String::from_utf8_lossy(&guide).into_owned()),
        })
    }

    /// The files, as a briefing reads them.
    pub fn for_briefing(&self) -> briefing::Files<'_> {
        briefing::Files {
            todo: &self.todo,
            done: &self.done,
            calendar: &self.calendar,
            projects: &self.projects,
            goals: &self.goals,
        }
    }

    /// The files, as the projects' progress reads them.
    pub fn for_projects(&self) -> projects::Files<'_> {
        projects::Files {
            projects: &self.projects,
            goals: &self.goals,
            todo: &self.todo,
            done: &self.done,
        }
    }
}
