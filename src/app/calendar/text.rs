//! The calendar's results as a person reads them: the same text in the terminal
//! (`myorg events`, `today`, `agenda`), on Discord and for the model. An event is
//! `09:30-10:00  standup`, its time column as wide for every event; a task is its
//! reference, two spaces and its line as written, as `myorg tasks` shows it.

use super::{Agenda, DueTask, Events, Today};
use chrono::{Datelike, NaiveDate};
use myorg_domain::calendar::DatedEvent;
use myorg_parsers::calendar::header::weekday_name;

/// `09:30-10:00  standup`, the time column as wide for every event.
pub fn event_line(event: &DatedEvent) -> String {
    format!("{:<11}  {}", event.time(), event.text)
}

/// `Mon 2026-11-23`.
fn day_title(date: NaiveDate) -> String {
    format!("{} {date}", weekday_name(date.weekday()))
}

/// `REF  LINE`.
fn task_text(task: &DueTask) -> String {
    format!("{}  {}", task.reference, task.line)
}

impl Events {
    /// One line an event, `Mon 2026-11-23  09:30-10:00  standup`, in columns.
    pub fn lines(&self) -> Vec<String> {
        self.events
            .iter()
            .map(|event| format!("{}  {}", day_title(event.date), event_line(event)))
            .collect()
    }

    /// One line an event, short: `Mon 2026-11-23 09:30-10:00 standup`, no time for
    /// an untimed one.
    pub fn compact_lines(&self) -> Vec<String> {
        self.events
            .iter()
            .map(|event| match event.time().trim() {
                "" => format!("{} {}", day_title(event.date), event.text),
                time => format!("{} {time} {}", day_title(event.date), event.text),
            })
            .collect()
    }

    /// What is said when there are none: `No events from 2027-03-01 to 2027-03-07.`
    pub fn none(&self) -> String {
        format!("No events from {} to {}.", self.from, self.to)
    }
}

impl Today {
    /// Today as a person reads it: the title, week goal and the person's context, then
    /// the events, overdue tasks and tasks due today, each section only when it has
    /// something.
    pub fn said(&self) -> String {
        let date = self.day.date;
        let mut text = format!("Today, {} (week {})\n", day_title(date), self.week());
        if let Some(goal) = &self.day.week_goal {
            text.push_str(&format!("Week goal: {goal}\n"));
        }
        text.push_str(&format!("Context {}\n", self.context.said()));
        let mut section = |title: &str, lines: Vec<String>| {
            if !lines.is_empty() {
                text.push_str(&format!("\n{title}\n"));
                lines
                    .iter()
                    .for_each(|line| text.push_str(&format!("  {line}\n")));
            }
        };
        section("Events", self.day.events.iter().map(event_line).collect());
        section("Overdue", self.overdue.iter().map(task_text).collect());
        section("Due today", self.day.due.iter().map(task_text).collect());
        if self.day.is_empty() && self.overdue.is_empty() {
            text.push_str("\nNothing on the calendar and no tasks due today.\n");
        }
        text
    }
}

impl Agenda {
    /// The days with something on them, each under its title, the goal of each week
    /// before its first day shown.
    pub fn said(&self) -> String {
        let mut text = String::new();
        let mut goal_shown = None;
        for day in self.days.iter().filter(|day| !day.is_empty()) {
            let week = day.date.iso_week();
            if goal_shown != Some(week) {
                goal_shown = Some(week);
                if let Some(goal) = &day.week_goal {
                    text.push_str(&format!("Week {}: {goal}\n", week.week()));
                }
            }
            text.push_str(&format!("{}\n", day_title(day.date)));
            for event in &day.events {
                text.push_str(&format!("  {}\n", event_line(event)));
            }
            for task in &day.due {
                text.push_str(&format!("  {:<11}  {}\n", "due", task_text(task)));
            }
        }
        if text.is_empty() {
            text = match (self.days.first(), self.days.last()) {
                (Some(first), Some(last)) => format!(
                    "Nothing on the calendar and no tasks due from {} to {}.\n",
                    first.date, last.date
                ),
                _ => "Nothing on the calendar.\n".to_string(),
            };
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Day, Events, Today};
    use super::*;
    use myorg_parsers::Task;
    use myorg_parsers::calendar::Time;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn event(date: &str, start: Option<Time>, end: Option<Time>, text: &str) -> DatedEvent {
        DatedEvent {
            date: day(date),
            start,
            end,
            text: text.to_string(),
            line: 0,
        }
    }

    fn time(hour: u8, minute: u8) -> Option<Time> {
        Some(Time { hour, minute })
    }

    fn empty(date: &str, week_goal: Option<&str>) -> Day {
        Day {
            date: day(date),
            week_goal: week_goal.map(str::to_string),
            events: Vec::new(),
            due: Vec::new(),
        }
    }

    #[test]
    fn event_lines_align_the_text() {
        assert_eq!(
            event_line(&event("2026-11-23", time(9, 30), time(10, 0), "standup")),
            "09:30-10:00  standup"
        );
        assert_eq!(
            event_line(&event("2026-11-23", time(14, 0), None, "dentist")),
            "14:00        dentist"
        );
        assert_eq!(
            event_line(&event("2026-11-23", None, None, "Holiday")),
            "             Holiday"
        );
        let events = Events {
            from: day("2026-11-27"),
            to: day("2026-11-28"),
            events: vec![
                event("2026-11-27", time(14, 0), time(15, 30), "Dentist"),
                event("2026-11-28", None, None, "Market"),
            ],
        };
        assert_eq!(
            events.lines(),
            [
                "Fri 2026-11-27  14:00-15:30  Dentist",
                "Sat 2026-11-28               Market"
            ]
        );
        assert_eq!(
            events.compact_lines(),
            ["Fri 2026-11-27 14:00-15:30 Dentist", "Sat 2026-11-28 Market"]
        );
        assert_eq!(events.none(), "No events from 2026-11-27 to 2026-11-28.");
    }

    #[test]
    fn today_shows_only_the_sections_it_has() {
        let rent = DueTask {
            reference: "abcd".to_string(),
            index: 0,
            line: "Pay rent due:2026-11-23".to_string(),
            task: Task::parse("Pay rent due:2026-11-23"),
        };
        let mut monday = empty("2026-11-23", Some("Ship it"));
        monday
            .events
            .push(event("2026-11-23", time(14, 0), None, "dentist"));
        monday.due.push(rent);
        let at_work = || crate::app::context::Current {
            context: "@computer".to_string(),
            why: "work hours".to_string(),
            set_until: None,
        };
        let today = Today {
            context: at_work(),
            day: monday,
            month_note: None,
            year_note: None,
            overdue: Vec::new(),
        };
        assert_eq!(
            today.said(),
            "Today, Mon 2026-11-23 (week 48)\nWeek goal: Ship it\nContext @computer — work hours\n\n\
             Events\n  14:00        dentist\n\n\
             Due today\n  abcd  Pay rent due:2026-11-23\n"
        );
        let nothing = Today {
            context: at_work(),
            day: empty("2026-11-23", None),
            month_note: None,
            year_note: None,
            overdue: Vec::new(),
        };
        assert_eq!(
            nothing.said(),
            "Today, Mon 2026-11-23 (week 48)\nContext @computer — work hours\n\n\
             Nothing on the calendar and no tasks due today.\n"
        );
    }

    #[test]
    fn the_agenda_leaves_out_empty_days_and_names_each_weeks_goal_once() {
        let with = |date: &str, goal: Option<&str>, events: Vec<DatedEvent>| Day {
            events,
            ..empty(date, goal)
        };
        let agenda = Agenda {
            days: vec![
                with("2026-11-27", Some("Ship it"), Vec::new()),
                with(
                    "2026-11-28",
                    Some("Ship it"),
                    vec![event("2026-11-28", None, None, "Market")],
                ),
                with("2026-11-29", Some("Ship it"), Vec::new()),
                with(
                    "2026-11-30",
                    Some("Rest"),
                    vec![event("2026-11-30", time(9, 0), None, "standup")],
                ),
                with(
                    "2026-12-01",
                    Some("Rest"),
                    vec![event("2026-12-01", time(10, 0), None, "call")],
                ),
            ],
        };
        assert_eq!(
            agenda.said(),
            "Week 48: Ship it\nSat 2026-11-28\n               Market\nWeek 49: Rest\nMon 2026-11-30\n  \
             09:00        standup\nTue 2026-12-01\n  10:00        call\n"
        );
        let quiet = Agenda {
            days: vec![empty("2026-12-02", Some("Rest")), empty("2026-12-04", None)],
        };
        assert_eq!(
            quiet.said(),
            "Nothing on the calendar and no tasks due from 2026-12-02 to 2026-12-04.\n"
        );
        assert_eq!(Agenda { days: Vec::new() }.said(), "Nothing on the calendar.\n");
    }
}
