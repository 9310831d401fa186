//! A task as JSON: the one shape `myorg tasks --json` prints and the structured
//! results of `search_tasks` and `suggest_tasks` hold (its JSON Schema generated from
//! this type): the reference, the 1-based line, the line as written, and its parts.

use super::tasks::Hit;
use chrono::NaiveDate;
use myorg_parsers::Task;
use schemars::JsonSchema;
use serde::Serialize;

/// A task found (field order as written here).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TaskJson {
    /// Its reference, at its shortest unique length.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Its line in todo.txt, from 1.
    pub line: usize,
    /// The line as written.
    pub raw: String,
    pub done: bool,
    /// A to Z.
    pub priority: Option<char>,
    /// The words, without the priority and dates.
    pub text: String,
    pub projects: Vec<String>,
    pub contexts: Vec<String>,
    /// YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub due: Option<NaiveDate>,
    /// Hidden until this day, YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub threshold: Option<NaiveDate>,
    /// A person's handle.
    pub owner: Option<String>,
    /// YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub created: Option<NaiveDate>,
    /// YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub completed: Option<NaiveDate>,
    /// How urgent, higher first (two decimals).
    pub urgency: f64,
}

impl TaskJson {
    /// The task `task` at 0-based line `index`, written as `raw`, with `reference` and
    /// `urgency`.
    pub fn of(reference: &str, index: usize, task: &Task, urgency: f64, raw: &str) -> TaskJson {
        TaskJson {
            reference: reference.to_string(),
            line: index + 1,
            raw: raw.to_string(),
            done: task.is_done(),
            priority: task.priority().map(|p| p.letter()),
            text: task.description().to_string(),
            projects: task.projects().map(str::to_string).collect(),
            contexts: task.contexts().map(str::to_string).collect(),
            due: task.due(),
            threshold: task.threshold(),
            owner: task.owner().map(str::to_string),
            created: task.created(),
            completed: task.completed(),
            urgency: (urgency * 100.0).round() / 100.0,
        }
    }
}

impl From<&Hit> for TaskJson {
    fn from(hit: &Hit) -> TaskJson {
        TaskJson::of(&hit.reference, hit.index, &hit.task, hit.urgency, &hit.line)
    }
}
