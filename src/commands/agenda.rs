//! `myorg today` and `myorg agenda`: the calendar's events with the tasks due, day by
//! day, read from the working tree. What to show comes from the domain crate
//! (`myorg_domain::calendar`); this file only prints it.

use super::calendar::{event_json, event_line};
use crate::config::Config;
use crate::store::operation::{CALENDAR, TODO};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use myorg_domain::calendar::{self, AgendaDay, TaskLine};
use myorg_domain::reference::References;
use myorg_parsers::calendar::header::iso_week;
use myorg_parsers::{CalendarFile, TodoFile};
use std::io::Write;

/// `myorg today [--json]`: today's events in time order, the week's goal, overdue
/// tasks and tasks due today.
pub fn today(config: &Config, now: NaiveDateTime, json: bool) -> anyhow::Result<()> {
    let (calendar, todo) = read(config)?;
    let references = References::of(&todo);
    let today = calendar::today(&calendar, &todo, now.date());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        let value = serde_json::json!({
            "date": today.day.date.to_string(),
            "weekday": today.day.weekday(),
            "week": iso_week(today.day.date),
            "week_goal": today.week_goal,
            "month_note": today.month_note,
            "year_note": today.year_note,
            "events": today.day.events.iter().map(event_json).collect::<Vec<_>>(),
            "overdue": tasks_json(&todo, &references, &today.overdue),
            "due": tasks_json(&todo, &references, &today.day.due),
        });
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
    } else {
        out.write_all(today_text(&today, &todo, &references).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// `myorg agenda [--days N] [--json]`: each day from today with its events and the
/// tasks due; days with neither are left out (`--json` prints every day).
pub fn agenda(config: &Config, now: NaiveDateTime, days: u32, json: bool) -> anyhow::Result<()> {
    let (calendar, todo) = read(config)?;
    let references = References::of(&todo);
    let agenda = calendar::agenda(&calendar, &todo, now.date(), days);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        for day in &agenda {
            let value = serde_json::json!({
                "date": day.date.to_string(),
                "weekday": day.weekday(),
                "week_goal": calendar::week_goal(&calendar, day.date),
                "events": day.events.iter().map(event_json).collect::<Vec<_>>(),
                "due": tasks_json(&todo, &references, &day.due),
            });
            serde_json::to_writer(&mut out, &value)?;
            writeln!(out)?;
        }
    } else {
        let goals = |date| calendar::week_goal(&calendar, date);
        out.write_all(agenda_text(&agenda, goals, &todo, &references).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// What `myorg today` shows, as text.
pub fn today_report(config: &Config, now: NaiveDateTime) -> anyhow::Result<String> {
    let (calendar, todo) = read(config)?;
    let references = References::of(&todo);
    let today = calendar::today(&calendar, &todo, now.date());
    Ok(today_text(&today, &todo, &references))
}

/// What `myorg agenda --days DAYS` shows, as text.
pub fn agenda_report(config: &Config, now: NaiveDateTime, days: u32) -> anyhow::Result<String> {
    let (calendar, todo) = read(config)?;
    let references = References::of(&todo);
    let agenda = calendar::agenda(&calendar, &todo, now.date(), days);
    let goals = |date| calendar::week_goal(&calendar, date);
    Ok(agenda_text(&agenda, goals, &todo, &references))
}

fn read(config: &Config) -> anyhow::Result<(CalendarFile, TodoFile)> {
    Ok((
        CalendarFile::parse(super::read::working_tree_file(config, CALENDAR)?),
        TodoFile::parse(super::read::working_tree_file(config, TODO)?),
    ))
}

/// `Mon 2026-11-23`.
fn day_title(date: NaiveDate) -> String {
    format!(
        "{} {date}",
        myorg_parsers::calendar::header::weekday_name(date.weekday())
    )
}

/// A task as `myorg tasks` shows it: reference, two spaces, the line as written.
fn task_text(todo: &TodoFile, references: &References, task: &TaskLine<'_>) -> String {
    format!(
        "{}  {}",
        references.shown(task.task),
        todo.text(task.index).unwrap_or_default()
    )
}

fn today_text(today: &calendar::Today<'_>, todo: &TodoFile, references: &References) -> String {
    let mut text = format!(
        "Today, {} (week {})\n",
        day_title(today.day.date),
        iso_week(today.day.date)
    );
    if let Some(goal) = &today.week_goal {
        text.push_str(&format!("Week goal: {goal}\n"));
    }
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            text.push_str(&format!("\n{title}\n"));
            lines
                .iter()
                .for_each(|line| text.push_str(&format!("  {line}\n")));
        }
    };
    section("Events", today.day.events.iter().map(event_line).collect());
    let tasks = |tasks: &[TaskLine<'_>]| tasks.iter().map(|t| task_text(todo, references, t)).collect();
    section("Overdue", tasks(&today.overdue));
    section("Due today", tasks(&today.day.due));
    if today.day.is_empty() && today.overdue.is_empty() {
        text.push_str("\nNothing on the calendar and no tasks due today.\n");
    }
    text
}

fn agenda_text<'a>(
    agenda: &[AgendaDay<'_>],
    week_goal: impl Fn(NaiveDate) -> Option<&'a str>,
    todo: &TodoFile,
    references: &References,
) -> String {
    let mut text = String::new();
    let mut goal_shown = None;
    for day in agenda.iter().filter(|day| !day.is_empty()) {
        let week = day.date.iso_week();
        if goal_shown != Some(week) {
            goal_shown = Some(week);
            if let Some(goal) = week_goal(day.date) {
                text.push_str(&format!("Week {}: {goal}\n", week.week()));
            }
        }
        text.push_str(&format!("{}\n", day_title(day.date)));
        for event in &day.events {
            text.push_str(&format!("  {}\n", event_line(event)));
        }
        for task in &day.due {
            text.push_str(&format!(
                "  {:<11}  {}\n",
                "due",
                task_text(todo, references, task)
            ));
        }
    }
    if text.is_empty() {
        let (first, last) = match (agenda.first(), agenda.last()) {
            (Some(first), Some(last)) => (first.date, last.date),
            _ => return "Nothing on the calendar.\n".to_string(),
        };
        text = format!("Nothing on the calendar and no tasks due from {first} to {last}.\n");
    }
    text
}

/// Tasks for `--json`: reference, 1-based line, the line as written, and its parts.
fn tasks_json(todo: &TodoFile, references: &References, tasks: &[TaskLine<'_>]) -> Vec<serde_json::Value> {
    tasks
        .iter()
        .map(|TaskLine { index, task }| {
            serde_json::json!({
                "ref": references.shown(task),
                "line": index + 1,
                "raw": todo.text(*index).unwrap_or_default(),
                "priority": task.priority().map(|p| p.letter().to_string()),
                "text": task.description(),
                "due": task.due().map(|d| d.to_string()),
                "owner": task.owner(),
                "projects": task.projects().collect::<Vec<_>>(),
                "contexts": task.contexts().collect::<Vec<_>>(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn today_shows_only_the_sections_it_has() {
        let calendar = CalendarFile::parse("2026-11-23 w48  Ship it\n2026-11-23 w48 Mon  14 dentist\n");
        let todo = TodoFile::parse("Pay rent due:2026-11-23\n");
        let references = References::of(&todo);
        let now = calendar::today(&calendar, &todo, day("2026-11-23"));
        let shown = today_text(&now, &todo, &references);
        let reference = references.shown(todo.get(0).and_then(|line| line.task()).unwrap());
        assert_eq!(
            shown,
            format!(
                "Today, Mon 2026-11-23 (week 48)\nWeek goal: Ship it\n\nEvents\n  14:00        dentist\n\n\
                 Due today\n  {reference}  Pay rent due:2026-11-23\n"
            )
        );
        let empty = TodoFile::parse("");
        let nothing = calendar::today(&CalendarFile::parse(""), &empty, day("2026-11-23"));
        assert_eq!(
            today_text(&nothing, &empty, &References::of(&empty)),
            "Today, Mon 2026-11-23 (week 48)\n\nNothing on the calendar and no tasks due today.\n"
        );
    }

    #[test]
    fn the_agenda_leaves_out_empty_days_and_names_each_weeks_goal_once() {
        let calendar = CalendarFile::parse(
            "2026-11-23 w48  Ship it\n2026-11-28 w48 Sat  Market\n2026-11-30 w49  Rest\n\
             2026-11-30 w49 Mon  9 standup\n2026-12-01 w49 Tue  10 call\n",
        );
        let todo = TodoFile::parse("");
        let references = References::of(&todo);
        let days = calendar::agenda(&calendar, &todo, day("2026-11-27"), 5);
        let goals = |date| calendar::week_goal(&calendar, date);
        assert_eq!(
            agenda_text(&days, goals, &todo, &references),
            "Week 48: Ship it\nSat 2026-11-28\n               Market\nWeek 49: Rest\nMon 2026-11-30\n  \
             09:00        standup\nTue 2026-12-01\n  10:00        call\n"
        );
        let none = calendar::agenda(&calendar, &todo, day("2026-12-02"), 3);
        assert_eq!(
            agenda_text(&none, goals, &todo, &references),
            "Nothing on the calendar and no tasks due from 2026-12-02 to 2026-12-04.\n"
        );
    }
}
