//! The project commands: `projects` (by status, with progress), `project SLUG` (one
//! in full), `project SLUG status|update|link` and `project new`: the command line's
//! options to the use cases of [`crate::app::projects`], and their results printed.
//! Reading commands read the working tree without the writer lock.

use super::store::{ctx, look, open, print_push};
use crate::app::json::{ProjectJson, ProjectShownJson};
use crate::app::projects::{self, Change, New, Update};
use crate::config::Config;
use chrono::NaiveDateTime;
use myorg_parsers::ProjectStatus;
use std::io::Write;

/// What `myorg projects` shows.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// Only this status; `None`: every status but done (unless `all`).
    pub status: Option<ProjectStatus>,
    pub all: bool,
    pub goals: bool,
    pub json: bool,
}

/// `myorg projects [--status S] [--all] [--goals] [--json]`.
pub fn list(config: &Config, now: NaiveDateTime, listing: &Listing) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let wanted = projects::Listing {
        goals: listing.goals,
        status: listing.status,
        all: listing.all,
    };
    let listed = projects::list(&look(config, files.as_ref(), &handle, now), &wanted)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if listing.json {
        for summary in &listed.shown {
            serde_json::to_writer(&mut out, &ProjectJson::from(summary))?;
            writeln!(out)?;
        }
        out.flush()?;
        return Ok(());
    }
    let plural = format!("{}s", listed.kind.noun());
    let width = listed
        .shown
        .iter()
        .map(|summary| summary.slug.chars().count())
        .max()
        .unwrap_or(0);
    let groups = listed.by_status();
    for (status, group) in &groups {
        writeln!(out, "{} ({})", capitalized(status.as_str()), group.len())?;
        for summary in group {
            let slug = format!("+{}", summary.slug);
            let details = summary.details();
            let details = if details.is_empty() {
                String::new()
            } else {
                format!("  ({details})")
            };
            writeln!(
                out,
                "  {slug:<w$}  {:<14}  {}{details}",
                summary.progress_said(),
                summary.title(),
                w = width + 1,
            )?;
        }
    }
    if groups.is_empty() {
        match listing.status {
            Some(status) => writeln!(out, "No {plural} are {status}.")?,
            None => writeln!(out, "No {plural} yet.")?,
        }
    }
    if listed.done_left_out > 0 {
        let goals = if listing.goals { " --goals" } else { "" };
        writeln!(
            out,
            "And {} done: myorg projects{goals} --status done",
            listed.done_left_out
        )?;
    }
    out.flush()?;
    Ok(())
}

/// `myorg project SLUG [--json]`: its line, progress, open tasks and recent log.
pub fn show(config: &Config, now: NaiveDateTime, slug: &str, json: bool) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let shown = projects::show(&look(config, files.as_ref(), &handle, now), slug)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer(&mut out, &ProjectShownJson::from(&shown))?;
        writeln!(out)?;
    } else {
        out.write_all(shown.said().as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// What `myorg project new` says besides the slug and text.
#[derive(Debug, Clone, Default)]
pub struct NewFields {
    pub status: Option<ProjectStatus>,
    pub owner: Option<String>,
    /// In the date language.
    pub due: Option<String>,
    pub goal: Option<String>,
    pub area: Option<String>,
    /// A goal in goals.txt rather than a project.
    pub as_goal: bool,
    pub quarter: Option<String>,
}

/// `myorg project new SLUG TEXT [options]`.
pub fn new(
    config: &Config,
    now: NaiveDateTime,
    slug: &str,
    text: &str,
    fields: &NewFields,
) -> anyhow::Result<()> {
    let new = New {
        slug: slug.to_string(),
        text: text.to_string(),
        status: fields.status,
        owner: fields.owner.clone(),
        due: fields.due.clone(),
        goal: fields.goal.clone(),
        area: fields.area.clone(),
        quarter: fields.quarter.clone(),
        as_goal: fields.as_goal,
    };
    let store = open(config)?;
    let added = projects::add(&ctx(config, &store, now)?, &new)?;
    println!("{}", added.said());
    print_push(&added.push)
}

/// `myorg project SLUG status STATUS`.
pub fn set_status(
    config: &Config,
    now: NaiveDateTime,
    slug: &str,
    status: ProjectStatus,
) -> anyhow::Result<()> {
    change(config, now, slug, Some(status), None)
}

/// `myorg project SLUG update TEXT`: a log.txt entry tagged `+SLUG`.
pub fn update(config: &Config, now: NaiveDateTime, slug: &str, text: &str) -> anyhow::Result<()> {
    change(config, now, slug, None, Some(Update::Text(text.to_string())))
}

/// `myorg project SLUG link URL [TEXT]`: a log.txt entry with the link, tagged `+SLUG`.
pub fn link(config: &Config, now: NaiveDateTime, slug: &str, url: &str, text: &str) -> anyhow::Result<()> {
    let update = Update::Link {
        url: url.to_string(),
        words: text.to_string(),
    };
    change(config, now, slug, None, Some(update))
}

fn change(
    config: &Config,
    now: NaiveDateTime,
    slug: &str,
    status: Option<ProjectStatus>,
    update: Option<Update>,
) -> anyhow::Result<()> {
    let store = open(config)?;
    let change = Change {
        slug: slug.to_string(),
        status,
        update,
    };
    let changed = projects::change(&ctx(config, &store, now)?, &change)?;
    println!("{}", changed.said());
    print_push(&changed.push)
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
