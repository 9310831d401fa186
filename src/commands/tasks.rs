//! The task commands: `add`, `done`, `edit`, `delete`, `tasks`, `archive`: the
//! command line's options to the use cases of [`crate::app::tasks`], and their
//! results printed.

use super::store::{ctx, look, open, print_push};
use crate::app;
use crate::app::confirm::{self, Pending};
use crate::app::task_json::TaskJson;
use crate::app::tasks::{self, CONFIRM_OVER, NewTask, Owner, Query, Several};
use crate::config::Config;
use chrono::NaiveDateTime;
use std::io::{BufRead, IsTerminal, Write};

pub use myorg_domain::fields::Fields;

/// `myorg add TEXT [options]`: a new task, created today.
pub fn add(config: &Config, now: NaiveDateTime, text: &str, fields: &Fields) -> anyhow::Result<()> {
    let store = open(config)?;
    let new = NewTask {
        text: text.to_string(),
        fields: fields.clone(),
    };
    let added = tasks::add(&ctx(config, &store, now)?, &new)?;
    println!("Added {}: {}", added.reference, added.line);
    added.notes.iter().for_each(|note| println!("Note: {note}"));
    print_push(&added.push)
}

/// `myorg done REF… [--yes]`: one task's words, or several references and line
/// numbers (more than three at once asked first unless `yes`).
pub fn done(config: &Config, now: NaiveDateTime, words: &[String], yes: bool) -> anyhow::Result<()> {
    let store = open(config)?;
    let ctx = ctx(config, &store, now)?;
    match tasks::done_many(&ctx, words, None, bound(yes))? {
        Several::One(completed) => {
            println!("{}", completed.summary);
            print_push(&completed.push)
        }
        Several::Changed(changed) => {
            println!("{}", changed.said());
            print_push(&changed.push)
        }
        Several::Confirm(pending) => confirm_bulk(&ctx, &pending, "done"),
    }
}

/// `myorg edit REF… [--text T] [options] [--yes]`: `none` clears a date, priority or
/// owner; new text for one task only; more than three tasks at once asked first
/// unless `yes`.
pub fn edit(
    config: &Config,
    now: NaiveDateTime,
    given: &[String],
    text: Option<&str>,
    fields: &Fields,
    yes: bool,
) -> anyhow::Result<()> {
    let store = open(config)?;
    let ctx = ctx(config, &store, now)?;
    match tasks::edit_many(&ctx, given, text, fields, bound(yes))? {
        Several::One(edited) => {
            println!("Now {}: {}", edited.reference, edited.line);
            edited.notes.iter().for_each(|note| println!("Note: {note}"));
            print_push(&edited.push)
        }
        Several::Changed(changed) => {
            println!("{}", changed.said());
            print_push(&changed.push)
        }
        Several::Confirm(pending) => confirm_bulk(&ctx, &pending, "edit"),
    }
}

/// How many tasks at once go without asking: any number after `--yes`.
fn bound(yes: bool) -> usize {
    if yes { usize::MAX } else { CONFIRM_OVER }
}

/// Asks the person on the terminal to confirm a bulk change; without a terminal to
/// ask on, refuses and says how to confirm (`--yes`).
fn confirm_bulk(ctx: &app::Ctx, pending: &Pending, command: &str) -> anyhow::Result<()> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "{}\nMore than {CONFIRM_OVER} tasks at once need your yes, and there is no terminal to ask on: \
             run `myorg {command}` again with --yes. Nothing changed.",
            pending.preview
        );
    }
    if !confirm(&format!("{}\nGo ahead? [y/N] ", pending.preview))? {
        println!("Nothing changed.");
        return Ok(());
    }
    println!("{}", confirm::apply(ctx, pending)?);
    Ok(())
}

/// `myorg delete REF [--yes]`: asks first unless `yes`.
pub fn delete(config: &Config, now: NaiveDateTime, given: &str, yes: bool) -> anyhow::Result<()> {
    let store = open(config)?;
    let (_, line) = tasks::named(&tasks::todo(&store)?, given, myorg_domain::reference::Scope::All)?;
    if !yes && !confirm(&format!("Delete \"{line}\"? [y/N] "))? {
        println!("Nothing deleted.");
        return Ok(());
    }
    let (summary, push) = tasks::delete_confirmed(&ctx(config, &store, now)?, &line)?;
    println!("{summary}");
    print_push(&push)
}

/// `myorg archive`: done tasks move to done.txt.
pub fn archive(config: &Config, now: NaiveDateTime) -> anyhow::Result<()> {
    let store = open(config)?;
    let (summary, push) = tasks::archive(&ctx(config, &store, now)?)?;
    println!("{summary}");
    print_push(&push)
}

/// What `myorg tasks` shows.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub query: Vec<String>,
    pub done: bool,
    pub hidden: bool,
    pub overdue: bool,
    pub due_before: Option<String>,
    pub due_after: Option<String>,
    pub owner: Option<String>,
    pub mine: bool,
    pub limit: Option<usize>,
    pub json: bool,
}

/// `myorg tasks [QUERY] [filters]`: the matching tasks, most urgent first.
pub fn list(config: &Config, now: NaiveDateTime, listing: &Listing) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let look = look(config, files.as_ref(), &handle, now);
    let limit = listing.limit.unwrap_or(usize::MAX);
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    if listing.json {
        let (found, _) = tasks::search_some(&look, &listing.query(), 0, limit)?;
        for hit in &found {
            serde_json::to_writer(&mut out, &TaskJson::from(hit))?;
            writeln!(out)?;
        }
    } else {
        let found = tasks::search_lines(&look, &listing.query())?;
        found.each(limit, |reference, line| {
            for part in [reference, "  ", line, "\n"] {
                out.write_all(part.as_bytes())?;
            }
            std::io::Result::Ok(())
        })?;
        if found.total() == 0 {
            writeln!(out, "No tasks match.")?;
        }
    }
    out.flush()?;
    Ok(())
}

impl Listing {
    /// The search it asks for.
    pub fn query(&self) -> Query {
        Query {
            words: self.query.clone(),
            done: self.done,
            hidden: self.hidden,
            overdue: self.overdue,
            due_before: self.due_before.clone(),
            due_after: self.due_after.clone(),
            owner: if self.mine {
                Some(Owner::Me)
            } else {
                self.owner.clone().map(Owner::Named)
            },
        }
    }
}

/// Asks on the terminal; anything but y/yes is no.
fn confirm(question: &str) -> anyhow::Result<bool> {
    print!("{question}");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
