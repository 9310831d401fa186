//! `myorg today` and `myorg agenda`: the calendar's events with the tasks due, day by
//! day, read from the working tree through the use cases of [`crate::app::calendar`];
//! this file prints their text, or JSON.

use super::store::look;
use crate::app::calendar::{self, DueTask};
use crate::app::json::{ContextJson, DayJson, DueTaskJson, EventJson};
use crate::config::Config;
use chrono::NaiveDateTime;
use std::io::Write;

/// `myorg today [--json]`: the person's context, today's events in time order, the
/// week's goal, overdue tasks and tasks due today.
pub fn today(config: &Config, now: NaiveDateTime, json: bool) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let today = calendar::today(&look(config, files.as_ref(), &handle, now))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        let value = serde_json::json!({
            "date": today.day.date.to_string(),
            "weekday": today.day.weekday(),
            "week": today.week(),
            "week_goal": today.day.week_goal,
            "context": ContextJson::from(&today.context),
            "month_note": today.month_note,
            "year_note": today.year_note,
            "events": today.day.events.iter().map(EventJson::from).collect::<Vec<_>>(),
            "overdue": tasks_json(&today.overdue),
            "due": tasks_json(&today.day.due),
        });
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
    } else {
        out.write_all(today.said().as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// `myorg agenda [--days N] [--json]`: each day from today with its events and the
/// tasks due; days with neither are left out (`--json` prints every day).
pub fn agenda(config: &Config, now: NaiveDateTime, days: u32, json: bool) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let agenda = calendar::agenda(&look(config, files.as_ref(), &handle, now), days)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        for day in &agenda.days {
            serde_json::to_writer(&mut out, &DayJson::from(day))?;
            writeln!(out)?;
        }
    } else {
        out.write_all(agenda.said().as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// Tasks for `--json`: reference, 1-based line, the line as written, and its parts.
fn tasks_json(tasks: &[DueTask]) -> Vec<DueTaskJson> {
    tasks.iter().map(DueTaskJson::from).collect()
}
