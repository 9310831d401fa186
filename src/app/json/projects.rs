//! A project or goal as JSON, with its progress, and a log.txt entry: `myorg projects
//! --json`, `myorg project SLUG --json`, and the `list_projects`, `show_project` and
//! `get_quarter_plan` tools' structured results.

use crate::app::json::TaskJson;
use crate::app::projects::{Shown, Summary};
use chrono::NaiveDate;
use myorg_domain::projects::Progress;
use myorg_parsers::log::LogEntry;
use schemars::JsonSchema;
use serde::Serialize;

/// A project of projects.txt or a goal of goals.txt.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ProjectJson {
    /// project or goal.
    pub kind: String,
    /// Its slug, without +.
    pub slug: String,
    /// Its line in its file, from 1.
    pub line: usize,
    /// The line as written.
    pub raw: String,
    /// planning, active, blocked, someday or done.
    pub status: String,
    /// What it is, in words.
    pub title: String,
    /// A person's handle.
    pub owner: Option<String>,
    /// YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub due: Option<NaiveDate>,
    /// For a project: the slug of its goal.
    pub goal: Option<String>,
    /// For a goal: its quarter, like 2026Q4.
    pub quarter: Option<String>,
    pub area: Option<String>,
    pub progress: ProgressJson,
    /// For a goal: the slugs of its projects, in file order.
    pub projects: Vec<String>,
}

/// How many of its tasks are done.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ProgressJson {
    pub done: usize,
    pub total: usize,
    /// Whole percent done; none without tasks.
    pub percent: Option<usize>,
}

/// An entry of log.txt.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LogEntryJson {
    /// YYYY-MM-DD.
    #[schemars(with = "String")]
    pub date: NaiveDate,
    /// HH:MM.
    pub time: String,
    /// Who wrote it.
    pub name: String,
    pub text: String,
}

impl From<&Summary> for ProjectJson {
    fn from(summary: &Summary) -> ProjectJson {
        let project = &summary.project;
        ProjectJson {
            kind: summary.kind.noun().to_string(),
            slug: summary.slug.clone(),
            line: summary.index + 1,
            raw: summary.line.clone(),
            status: summary.status.as_str().to_string(),
            title: summary.title(),
            owner: project.owner().map(str::to_string),
            due: project.due(),
            goal: project.goal().map(str::to_string),
            quarter: project.quarter().map(|quarter| quarter.to_string()),
            area: project.area().map(str::to_string),
            progress: ProgressJson::from(summary.progress),
            projects: summary.projects.clone(),
        }
    }
}

impl From<Progress> for ProgressJson {
    fn from(progress: Progress) -> ProgressJson {
        ProgressJson {
            done: progress.done,
            total: progress.total,
            percent: progress.percent(),
        }
    }
}

impl From<&LogEntry> for LogEntryJson {
    fn from(entry: &LogEntry) -> LogEntryJson {
        LogEntryJson {
            date: entry.date,
            time: entry.time.format("%H:%M").to_string(),
            name: entry.name.clone(),
            text: entry.text.clone(),
        }
    }
}

/// One project or goal in full (`myorg project SLUG --json`): the entry, its open
/// tasks, how many are hidden, a goal's projects and the recent log entries.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ProjectShownJson {
    #[serde(flatten)]
    pub entry: ProjectJson,
    /// Its open tasks, most urgent first.
    pub tasks: Vec<TaskJson>,
    /// Open tasks hidden until later (`t:`) or by `h:1`.
    pub hidden: usize,
    /// For a goal: its projects.
    pub members: Vec<ProjectJson>,
    /// The newest log entries about it, oldest first.
    pub log: Vec<LogEntryJson>,
}

impl From<&Shown> for ProjectShownJson {
    fn from(shown: &Shown) -> ProjectShownJson {
        ProjectShownJson {
            entry: ProjectJson::from(&shown.entry),
            tasks: shown.open.iter().map(TaskJson::from).collect(),
            hidden: shown.hidden,
            members: shown.members.iter().map(ProjectJson::from).collect(),
            log: shown.log.iter().map(LogEntryJson::from).collect(),
        }
    }
}
