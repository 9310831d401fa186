//! `myorg kpi` (the latest figures and their change, `--json`) and `myorg kpi add
//! KEY=VALUE… [--date WHEN]` (a reading in kpi.txt) and `myorg kpi chart KEY --out
//! FILE.png` (a line chart of one figure): the command line to the use cases of
//! [`crate::app::kpi`]. Lines kpi.txt cannot read are told on standard error.
//! Reading reads the working tree without the writer lock.

use super::store::{ctx, look, open, print_push};
use crate::app::chart::Size;
use crate::app::json::LatestJson;
use crate::app::kpi::{self, NewReading};
use crate::config::Config;
use anyhow::Context;
use chrono::NaiveDateTime;
use std::io::Write;
use std::path::Path;

/// `myorg kpi [--json]`.
pub fn show(config: &Config, now: NaiveDateTime, json: bool) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let current = kpi::current(&look(config, files.as_ref(), &handle, now))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        for latest in &current.latest {
            serde_json::to_writer(&mut out, &LatestJson::from(latest))?;
            writeln!(out)?;
        }
    } else {
        for line in current.figure_lines() {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    tell_problems(&current.problem_lines());
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

/// `myorg kpi chart KEY [--since WHEN] --out FILE.png [--width W --height H]`: the chart
/// is drawn first, so a bad key, day or size writes nothing.
pub fn chart(
    config: &Config,
    now: NaiveDateTime,
    key: &str,
    since: Option<&str>,
    out: &Path,
    (width, height): (Option<u32>, Option<u32>),
) -> anyhow::Result<()> {
    let size = Size::new(width, height)?;
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let chart = kpi::chart(&look(config, files.as_ref(), &handle, now), key, since, size)?;
    std::fs::write(out, &chart.png).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "{} ({}×{}): {}",
        out.display(),
        size.width,
        size.height,
        chart.said()
    );
    tell_problems(&kpi::problem_lines(&chart.problems));
    Ok(())
}

/// The lines kpi.txt could not read, told to the person on standard error (output
/// for them, beside the figures on standard output; not a log line).
fn tell_problems(lines: &[String]) {
    for line in lines {
        eprintln!("{line}");
    }
}
