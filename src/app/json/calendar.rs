//! An event of calendar.txt as JSON: `myorg events`, `today` and `agenda` with
//! `--json`, and the `list_events` tool's structured result.

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
