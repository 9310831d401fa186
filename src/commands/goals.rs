//! `myorg goals [--quarter Q|current|all] [--json]` (a quarter's goals with progress,
//! projects and the telos.md section each serves) and `myorg goals report [--week
//! WHEN] [--json]` (what moved each open goal this week against last week): the
//! command line to the use cases of [`crate::app::goals`], printed as text or as one
//! JSON object. They read the working tree without the writer lock.

use super::store::look;
use crate::app::goals;
use crate::config::Config;
use chrono::NaiveDateTime;
use std::io::Write;

/// `myorg goals [--quarter Q] [--json]`.
pub fn list(config: &Config, now: NaiveDateTime, quarter: Option<&str>, json: bool) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let goals = goals::goals(&look(config, files.as_ref(), &handle, now), quarter)?;
    let text = if json {
        serde_json::to_string(&goals)?
    } else {
        goals.said()
    };
    print_line(&text)
}

/// `myorg goals report [--week WHEN] [--json]`.
pub fn report(config: &Config, now: NaiveDateTime, week: Option<&str>, json: bool) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let report = goals::report(&look(config, files.as_ref(), &handle, now), week)?;
    let text = if json {
        serde_json::to_string(&report)?
    } else {
        report.said()
    };
    print_line(&text)
}

/// `text` and a line break on standard output; a closed pipe is an error, not a panic.
fn print_line(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}
