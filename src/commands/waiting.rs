//! `myorg waiting`: waiting-for items (what others owe you) — list them with the
//! stale ones first, add one, reschedule its follow-up, mark it received.

use super::read::working_tree_file;
use super::store::{actor, open, print_push};
use crate::config::Config;
use crate::store::Operation;
use anyhow::bail;
use chrono::{NaiveDate, NaiveDateTime};
use myorg_domain::fields::when;
use myorg_domain::reference::find;
use myorg_domain::reference::{References, Scope};
use myorg_domain::waiting::{self, Stale, Waiting, WaitingFilter, new_waiting};
use myorg_parsers::{Task, TodoFile};
use std::io::Write;

/// What `myorg waiting` lists.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub who: Option<String>,
    pub stale: bool,
    pub done: bool,
    pub json: bool,
}

/// `myorg waiting [--who NAME] [--stale] [--done] [--json]`.
pub fn list(config: &Config, now: NaiveDateTime, listing: &Listing) -> anyhow::Result<()> {
    let today = now.date();
    let people = config.people()?;
    let filter = WaitingFilter {
        who: listing.who.as_deref().map(|who| people.owner_handle(who)),
        stale_only: listing.stale,
        include_done: listing.done,
    };
    let todo = TodoFile::parse(working_tree_file(config, "todo.txt")?);
    let items = waiting::waiting(&todo, &filter, today, config.waiting.stale_after_days.into());
    let references = References::of(&todo);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if listing.json {
        for item in &items {
            serde_json::to_writer(&mut out, &item_json(&todo, &references, item))?;
            writeln!(out)?;
        }
        out.flush()?;
        return Ok(());
    }
    if items.is_empty() {
        writeln!(out, "Nothing to wait for.")?;
    }
    let (stale, rest): (Vec<&Waiting>, Vec<&Waiting>) = items.iter().partition(|item| item.stale.is_some());
    for (title, group) in [("To chase", stale), ("Waiting", rest)] {
        if group.is_empty() {
            continue;
        }
        writeln!(out, "{title}:")?;
        for item in group {
            writeln!(out, "  {}", describe(&references, item, today))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// One line: reference, who, what, and when.
pub fn describe(references: &References, item: &Waiting, today: NaiveDate) -> String {
    let mut line = format!(
        "{}  {}: {}",
        references.shown(item.task),
        item.who.unwrap_or("someone"),
        what(item.task)
    );
    let mut notes = Vec::new();
    if let Some(stale) = item.stale {
        notes.push(stale.to_string());
    } else if let Some(followup) = item.followup {
        notes.push(format!("follow up {followup}"));
    }
    match (item.since, item.stale) {
        (Some(since), _) if since == today => notes.push("since today".to_string()),
        (Some(since), Some(Stale::WaitedTooLong { .. })) => notes.push(format!("since {since}")),
        (Some(since), _) => {
            let days = (today - since).num_days();
            notes.push(format!(
                "since {since}, {days} day{}",
                if days == 1 { "" } else { "s" }
            ));
        }
        (None, _) => {}
    }
    if item.task.is_done() {
        notes.push(format!(
            "received {}",
            item.task.completed().map_or_else(String::new, |d| d.to_string())
        ));
    }
    if !notes.is_empty() {
        line.push_str(" — ");
        line.push_str(&notes.join("; "));
    }
    line
}

/// The description without the waiting-for markers.
fn what(task: &Task) -> String {
    task.description()
        .split_whitespace()
        .filter(|word| *word != "@waiting" && !word.starts_with("who:") && !word.starts_with("followup:"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn item_json(todo: &TodoFile, references: &References, item: &Waiting) -> serde_json::Value {
    serde_json::json!({
        "ref": references.shown(item.task),
        "line": item.index + 1,
        "raw": todo.text(item.index).unwrap_or_default(),
        "who": item.who,
        "what": what(item.task),
        "since": item.since.map(|d| d.to_string()),
        "waited_days": item.waited_days,
        "followup": item.followup.map(|d| d.to_string()),
        "stale": item.stale.map(|s| s.to_string()),
        "done": item.task.is_done(),
    })
}

/// `myorg waiting add WHO WHAT… [--followup WHEN]`.
pub fn add(
    config: &Config,
    now: NaiveDateTime,
    who: &str,
    what: &str,
    followup: Option<&str>,
) -> anyhow::Result<()> {
    let (task, notes) = new_item(config, now.date(), who, what, followup)?;
    let line = task.render();
    let store = open(config)?;
    let applied = store.apply(Operation::AddTask { line: line.clone() }, &actor(config))?;
    let shown = myorg_domain::reference::reference(&task);
    println!("Waiting {}: {line}", &shown[..myorg_domain::reference::SHOWN]);
    notes.iter().for_each(|note| println!("Note: {note}"));
    print_push(&applied.push)?;
    Ok(())
}

/// The waiting-for item `myorg waiting add` (and the `add_waiting` tool) makes: who
/// by name as their handle, the follow-up in the date language; with notes for the
/// person (a follow-up date past).
pub fn new_item(
    config: &Config,
    today: NaiveDate,
    who: &str,
    what: &str,
    followup: Option<&str>,
) -> anyhow::Result<(Task, Vec<String>)> {
    let followup = followup.map(|words| when(words, today)).transpose()?;
    let who = config.people()?.owner_handle(who);
    let task = new_waiting(&who, what, followup, today)?;
    let notes = if followup.is_some_and(|day| day < today) {
        vec!["the follow-up date is in the past".to_string()]
    } else {
        Vec::new()
    };
    Ok((task, notes))
}

/// `myorg waiting received REF`: the item is done.
pub fn received(config: &Config, now: NaiveDateTime, given: &str) -> anyhow::Result<()> {
    let store = open(config)?;
    let todo = TodoFile::parse(store.read("todo.txt")?);
    let (line, _) = waiting_item(&todo, given)?;
    let applied = store.apply(Operation::CompleteTask { line, on: now.date() }, &actor(config))?;
    println!("{}", applied.summary);
    print_push(&applied.push)?;
    Ok(())
}

/// `myorg waiting followup REF WHEN` (`none` removes the date).
pub fn reschedule(config: &Config, now: NaiveDateTime, given: &str, words: &str) -> anyhow::Result<()> {
    let store = open(config)?;
    let todo = TodoFile::parse(store.read("todo.txt")?);
    let (line, mut task) = waiting_item(&todo, given)?;
    if words.trim().eq_ignore_ascii_case("none") {
        task.remove_tag("followup");
    } else {
        task.set_tag("followup", &when(words, now.date())?.to_string())?;
    }
    let new_line = task.render();
    if new_line == line {
        bail!("nothing to change: the item already reads {line:?}");
    }
    let applied = store.apply(
        Operation::UpdateTask {
            line,
            new_line: new_line.clone(),
        },
        &actor(config),
    )?;
    println!("Now: {new_line}");
    print_push(&applied.push)?;
    Ok(())
}

/// The open waiting-for item `given` names: its line as written, and the task.
fn waiting_item(todo: &TodoFile, given: &str) -> anyhow::Result<(String, Task)> {
    let index = find(todo, given, Scope::Open)?;
    let task = todo.get(index).and_then(|item| item.task()).cloned();
    match task {
        Some(task) if task.is_waiting() => Ok((todo.text(index).unwrap_or_default().to_string(), task)),
        _ => bail!(
            "line {} is not a waiting-for item (it has no @waiting): {}",
            index + 1,
            todo.text(index).unwrap_or_default()
        ),
    }
}
