//! `myorg undo`, `history`, `status` and `sync`: the store itself from the terminal,
//! and what the other commands share (opening the store, who asks, push reports).

use crate::config::Config;
use crate::store::{Actor, PushReport, Store};
use myorg_parsers::TodoFile;

pub(super) fn open(config: &Config) -> anyhow::Result<Store> {
    let on_wait = Box::new(|| eprintln!("Another myorg process is writing to the store; waiting…"));
    Store::open_with(config.store_settings(), on_wait)
}

pub(super) fn actor(config: &Config) -> Actor {
    let user = config.user();
    Actor {
        name: user.name,
        email: user.email,
        via: "cli".to_string(),
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
        let index = super::tasks::find(&todo, target, myorg_domain::reference::Scope::All)?;
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
    for line in sync_lines(&report) {
        println!("{line}");
    }
    Ok(())
}

pub(super) fn print_push(report: &PushReport) {
    for line in push_lines(report) {
        println!("{line}");
    }
}

/// What a sync did, one line each (nothing: already in sync).
pub fn sync_lines(report: &PushReport) -> Vec<String> {
    let mut lines = push_lines(report);
    if report.local_only {
        lines.insert(0, "A local store: there is no remote to sync with.".to_string());
    }
    lines
}

/// What a push did, one line each.
pub fn push_lines(report: &PushReport) -> Vec<String> {
    let mut lines = Vec::new();
    if report.pushed {
        lines.push("Pushed.".to_string());
    }
    if let Some(error) = &report.error {
        lines.push(format!("Not pushed yet (kept locally, will retry): {error}"));
    }
    for dropped in &report.dropped {
        lines.push(format!(
            "Not applied on the newer remote version: {}: {}",
            dropped.summary, dropped.why
        ));
    }
    for path in &report.saved_beside {
        lines.push(format!("Conflicting edits were saved beside the file as {path}"));
    }
    lines
}
