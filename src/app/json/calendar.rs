//! An event of calendar.txt, a task due and a day of the agenda as JSON: `myorg
//! events`, `today` and `agenda` with `--json`, and the `list_events` and
//! `get_agenda` tools' structured results.

use crate::app::calendar::{Day, DueTask};
use chrono::{Datelike, NaiveDate};
use myorg_domain::calendar::DatedEvent;
use myorg_parsers::calendar::header::weekday_name;
use schemars::JsonSchema;
use serde::Serialize;

/// One event on its day.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EventJson {
    /// Its day, YYYY-MM-DD.
    #[schemars(with = "String")]
    pub date: NaiveDate,
    /// Mon to Sun.
    pub weekday: String,
    /// HH:MM; none for an untimed event.
    pub start: Option<String>,
    /// HH:MM.
    pub end: Option<String>,
    pub text: String,
    /// Its day's line in calendar.txt, from 1.
    pub line: usize,
}

impl From<&DatedEvent> for EventJson {
    fn from(event: &DatedEvent) -> EventJson {
        EventJson {
            date: event.date,
            weekday: weekday_name(event.date.weekday()).to_string(),
            start: event.start.map(|time| time.to_string()),
            end: event.end.map(|time| time.to_string()),
            text: event.text.clone(),
            line: event.line + 1,
        }
    }
}

/// An open task due (or overdue).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DueTaskJson {
    /// Its reference.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Its line in todo.txt, from 1.
    pub line: usize,
    /// The line as written.
    pub raw: String,
    /// A to Z.
    pub priority: Option<String>,
    pub text: String,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    pub owner: Option<String>,
    pub projects: Vec<String>,
    pub contexts: Vec<String>,
}

impl From<&DueTask> for DueTaskJson {
    fn from(due: &DueTask) -> DueTaskJson {
        let task = &due.task;
        DueTaskJson {
            reference: due.reference.clone(),
            line: due.index + 1,
            raw: due.line.clone(),
            priority: task.priority().map(|p| p.letter().to_string()),
            text: task.description().to_string(),
            due: task.due().map(|day| day.to_string()),
            owner: task.owner().map(str::to_string),
            projects: task.projects().map(str::to_string).collect(),
            contexts: task.contexts().map(str::to_string).collect(),
        }
    }
}

/// One day of the agenda: its events and the open tasks due then.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DayJson {
    /// YYYY-MM-DD.
    #[schemars(with = "String")]
    pub date: NaiveDate,
    /// Mon to Sun.
    pub weekday: String,
    /// The goal of its week, from calendar.txt.
    pub week_goal: Option<String>,
    /// In time order, untimed first.
    pub events: Vec<EventJson>,
    /// Most urgent first.
    pub due: Vec<DueTaskJson>,
}

impl From<&Day> for DayJson {
    fn from(day: &Day) -> DayJson {
        DayJson {
            date: day.date,
            weekday: day.weekday().to_string(),
            week_goal: day.week_goal.clone(),
            events: day.events.iter().map(EventJson::from).collect(),
            due: day.due.iter().map(DueTaskJson::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_has_its_day_times_text_and_line() {
        let event = DatedEvent {
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            start: Some(myorg_parsers::calendar::Time { hour: 14, minute: 0 }),
            end: None,
            text: "dentist".to_string(),
            line: 0,
        };
        assert_eq!(
            serde_json::to_string(&EventJson::from(&event)).unwrap(),
            r#"{"date":"2026-11-23","weekday":"Mon","start":"14:00","end":null,"text":"dentist","line":1}"#
        );
    }
}
