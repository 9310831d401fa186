//! `myorg add`, `done`, `status` and `sync`: changes and state of the store from the
//! terminal. Richer task semantics (references, dates in words) come with the domain.

use crate::config::Config;
use crate::store::{Actor, Operation, PushReport, Store};
use anyhow::bail;
use chrono::NaiveDateTime;
use myorg_parsers::{Task, TodoFile};

fn open(config: &Config) -> anyhow::Result<Store> {
    let on_wait = Box::new(|| eprintln!("Another myorg process is writing to the store; waiting…"));
    Store::open_with(config.store_settings(), on_wait)
}

fn actor(config: &Config) -> Actor {
    let user = config.user();
    Actor {
        name: user.name,
        email: user.email,
        via: "cli".to_string(),
    }
}

/// `myorg add TEXT`: a new task, created today.
pub fn add(config: &Config, now: NaiveDateTime, text: &str) -> anyhow::Result<()> {
    let text = text.trim();
    if text.is_empty() {
        bail!("a task needs some text");
    }
    // `x …` typed as a new task is its text, not a done marker.
    let mut task = Task::parse(text);
    if task.is_done() {
        task = Task::new(text);
    }
    if task.created().is_none() {
        task.set_created(Some(now.date()));
    }
    let line = task.render();
    let store = open(config)?;
    let applied = store.apply(Operation::AddTask { line: line.clone() }, &actor(config))?;
    println!("Added: {line}");
    print_push(&applied.push);
    Ok(())
}

/// `myorg done REF`: REF is a line number of todo.txt or words of one open task.
pub fn done(config: &Config, now: NaiveDateTime, reference: &str) -> anyhow::Result<()> {
    let store = open(config)?;
    let todo = TodoFile::parse(store.read("todo.txt")?);
    let index = resolve(&todo, reference, Tasks::Open)?;
    let line = todo.text(index).unwrap_or_default().to_string();
    let applied = store.apply(Operation::CompleteTask { line, on: now.date() }, &actor(config))?;
    println!("{}", applied.summary);
    print_push(&applied.push);
    Ok(())
}

/// Which tasks a reference may name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tasks {
    Open,
    Any,
}

/// Finds the task REF names: a line number, or words matching exactly one task.
fn resolve(todo: &TodoFile, reference: &str, which: Tasks) -> anyhow::Result<usize> {
    let reference = reference.trim();
    if let Ok(number) = reference.parse::<usize>() {
        return match todo.get(number.wrapping_sub(1)).and_then(|line| line.task()) {
            Some(task) if which == Tasks::Any || !task.is_done() => Ok(number - 1),
            Some(_) => bail!("line {number} of todo.txt is already done"),
            None if number == 0 || number > todo.len() => {
                bail!("todo.txt has no line {number} ({} lines)", todo.len())
            }
            None => bail!("line {number} of todo.txt is blank, not a task"),
        };
    }
    let wanted = reference.to_lowercase();
    if wanted.is_empty() {
        bail!("say which task: a line number or some of its words");
    }
    let open = if which == Tasks::Open { "open " } else { "" };
    let matches: Vec<(usize, &Task)> = todo
        .tasks()
        .filter(|(_, task)| {
            (which == Tasks::Any || !task.is_done()) && task.description().to_lowercase().contains(&wanted)
        })
        .collect();
    match matches.as_slice() {
        [] => bail!("no {open}task matches {reference:?}"),
        [(index, _)] => Ok(*index),
        several => {
            let list: Vec<String> = several
                .iter()
                .take(5)
                .map(|(i, task)| format!("  line {}: {}", i + 1, task.description()))
                .collect();
            bail!(
                "{} {open}tasks match {reference:?}; say which one:\n{}",
                several.len(),
                list.join("\n")
            )
        }
    }
}

/// `myorg undo [COMMIT] [--force]`.
pub fn undo(config: &Config, commit: Option<&str>, force: bool) -> anyhow::Result<()> {
    let applied = open(config)?.undo(commit, force, &actor(config))?;
    println!("{}", applied.summary);
    print_push(&applied.push);
    Ok(())
}

/// `myorg history [FILE|TASK]`: a store file's changes, a task's, or all.
pub fn history(config: &Config, target: &str, limit: usize) -> anyhow::Result<()> {
    let store = open(config)?;
    let target = target.trim();
    let entries = if target.is_empty() {
        store.history(&[], None, limit)?
    } else if crate::store::paths::resolve(store.root(), target).is_ok_and(|path| path.is_file()) {
        store.history(&[target], None, limit)?
    } else {
        let todo = TodoFile::parse(store.read("todo.txt")?);
        let index = resolve(&todo, target, Tasks::Any)?;
        let task = todo
            .get(index)
            .and_then(|line| line.task())
            .map(|task| task.description().to_string());
        // The description survives completion and archiving, the whole line does not.
        store.history(&["todo.txt", "done.txt"], task.as_deref(), limit)?
    };
    if entries.is_empty() {
        println!("No changes found.");
    }
    for entry in entries {
        let when = chrono::DateTime::from_timestamp(entry.time, 0)
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        println!("{} {when} {}: {}", &entry.id[..8], entry.author, entry.subject);
    }
    Ok(())
}

/// `myorg status`.
pub fn status(config: &Config) -> anyhow::Result<()> {
    let status = open(config)?.status()?;
    println!("store: {}", status.root.display());
    println!("branch: {}", status.branch);
    println!(
        "remote: {}",
        status.remote.as_deref().unwrap_or("none (a local store)")
    );
    println!(
        "head: {}",
        status.head.as_deref().map_or("none", |h| &h[..h.len().min(12)])
    );
    println!("unpushed commits: {}", status.unpushed);
    println!("pending operations: {}", status.pending);
    if !status.changed.is_empty() {
        println!(
            "changed by hand, not yet committed: {}",
            status.changed.join(", ")
        );
    }
    if let Some(error) = status.last_error {
        println!("last push error: {error}");
    }
    if status.remote.is_some() {
        let last_sync = status.last_sync.map_or("never".to_string(), |when| {
            chrono::DateTime::<chrono::Local>::from(when)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        });
        println!("last sync: {last_sync}");
    }
    Ok(())
}

/// `myorg sync`.
pub fn sync(config: &Config) -> anyhow::Result<()> {
    let report = open(config)?.sync()?;
    if report.local_only {
        println!("A local store: there is no remote to sync with.");
    }
    print_push(&report);
    Ok(())
}

fn print_push(report: &PushReport) {
    if report.pushed {
        println!("Pushed.");
    }
    if let Some(error) = &report.error {
        println!("Not pushed yet (kept locally, will retry): {error}");
    }
    for dropped in &report.dropped {
        println!(
            "Not applied on the newer remote version: {}: {}",
            dropped.summary, dropped.why
        );
    }
    for path in &report.saved_beside {
        println!("Conflicting edits were saved beside the file as {path}");
    }
}
