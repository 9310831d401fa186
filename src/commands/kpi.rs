//! `myorg kpi` (the latest figures and their change, `--json`) and `myorg kpi add
//! KEY=VALUE… [--date WHEN]` (a reading in kpi.txt): the command line to the use cases
//! of [`crate::app::kpi`]. Lines kpi.txt cannot read are told on standard error.
//! Reading reads the working tree without the writer lock.

use super::store::{ctx, look, open, print_push};
use crate::app::kpi::{self, NewReading};
use crate::config::Config;
use chrono::NaiveDateTime;
use myorg_domain::kpi::Latest;
use std::io::Write;

/// `myorg kpi [--json]`.
pub fn show(config: &Config, now: NaiveDateTime, json: bool) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let current = kpi::current(&look(config, files.as_ref(), &handle, now))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        for latest in &current.latest {
            serde_json::to_writer(&mut out, &latest_json(latest))?;
            writeln!(out)?;
        }
    } else {
        for line in current.figure_lines() {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    for line in current.problem_lines() {
        eprintln!("{line}");
    }
    Ok(())
}

/// `myorg kpi add KEY=VALUE… [--date WHEN]`.
pub fn add(config: &Config, now: NaiveDateTime, words: &[String], date: Option<&str>) -> anyhow::Result<()> {
    let new = NewReading {
        figures: kpi::figures_of(words)?,
        date: date.map(str::to_string),
    };
    let store = open(config)?;
    let added = kpi::add(&ctx(config, &store, now)?, &new)?;
    println!("{}", added.said());
    print_push(&added.push)
}

/// One key for `--json`: `{"key", "value", "date", "line", "previous": {"value",
/// "date"}, "change", "percent"}` (numbers as JSON numbers; no previous reading:
/// nulls).
fn latest_json(latest: &Latest) -> serde_json::Value {
    let change = latest.change();
    serde_json::json!({
        "key": latest.key,
        "value": latest.point.value.to_f64(),
        "date": latest.point.date.to_string(),
        "line": latest.point.line + 1,
        "previous": latest.previous.map(|previous| serde_json::json!({
            "value": previous.value.to_f64(),
            "date": previous.date.to_string(),
        })),
        "change": change.map(|change| change.by.to_f64()),
        "percent": change.and_then(|change| change.percent),
    })
}
