//! `myorg undo`, `history`, `status` and `sync`: the store itself from the terminal,
//! and what the other commands share (opening the store, who asks, push reports).

use crate::app::{Ctx, Files, Look};
use crate::config::Config;
use crate::store::{Actor, NewStore, Origin, PushReport, Start, Store, StoreSettings};
use myorg_parsers::TodoFile;

pub(super) fn open(config: &Config) -> anyhow::Result<Store> {
    open_as(config.store_settings())
}

fn open_as(settings: StoreSettings) -> anyhow::Result<Store> {
    let on_wait = Box::new(|| eprintln!("Another myorg process is writing to the store; waiting…"));
    let store = Store::open_with(settings, on_wait)?;
    if let Some(told) = origin_lines(store.root(), store.origin()) {
        eprintln!("{told}");
    }
    Ok(store)
}

/// What `myorg init` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    Empty,
    Sample,
    Adopt,
}

/// `myorg init [--empty|--sample|--adopt] [DIR]`.
pub fn init(config: &Config, kind: Init) -> anyhow::Result<()> {
    let mut settings = config.store_settings();
    (settings.start, settings.new_store) = match kind {
        Init::Empty => (Start::New, NewStore::Empty),
        Init::Sample => (Start::New, NewStore::Sample),
        Init::Adopt => (Start::Adopt, NewStore::Empty),
    };
    let store = open_as(settings)?;
    if *store.origin() == Origin::Cloned {
        println!("Cloned the remote's store into {}.", store.root().display());
    } else if matches!(store.origin(), Origin::New(NewStore::Empty)) {
        println!("A new, empty store is ready at {}.", store.root().display());
    }
    Ok(())
}

/// What a person must hear of the store's first opening (nothing for a store that
/// was there, or an empty one they asked for).
pub fn origin_lines(root: &std::path::Path, origin: &Origin) -> Option<String> {
    let root = root.display();
    match origin {
        Origin::Existing | Origin::New(NewStore::Empty) | Origin::Cloned => None,
        Origin::New(NewStore::Sample) => Some(format!(
            "A sample store was created at {root} to try the assistant out; \
             `myorg init --empty DIR` starts a real one, `myorg init --adopt DIR` keeps a \
             folder of your own files."
        )),
        Origin::Adopted {
            files,
            created,
            saved_beside,
        } => {
            let mut told =
                format!("Your files in {root} are now kept in git: {files} committed as they were.");
            if !created.is_empty() {
                told.push_str(&format!(" Created empty: {}.", created.join(", ")));
            }
            if !saved_beside.is_empty() {
                told.push_str(&format!(
                    " These differed from the remote's and were saved beside it: {}.",
                    saved_beside.join(", ")
                ));
            }
            Some(told)
        }
    }
}

/// A request from the terminal: as the configured user, at `now`.
pub(super) fn ctx<'a>(
    config: &'a Config,
    store: &'a Store,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<Ctx<'a>> {
    Ok(Ctx {
        config,
        store,
        actor: actor(config),
        handle: config.me()?.handle,
        now,
    })
}

/// A look from the terminal at `files`, as `handle`, at `now`.
pub(super) fn look<'a>(
    config: &'a Config,
    files: &'a dyn Files,
    handle: &'a str,
    now: chrono::NaiveDateTime,
) -> Look<'a> {
    Look {
        config,
        files,
        handle,
        now,
    }
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
    print_push(&applied.push)?;
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
        let index = myorg_domain::reference::find(&todo, target, myorg_domain::reference::Scope::All)?;
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

/// `myorg status [--ack]`: with `--ack`, the changes not applied it lists are
/// forgotten once shown.
pub fn status(config: &Config, acknowledge: bool) -> anyhow::Result<()> {
    let store = open(config)?;
    let status = store.status()?;
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
    if !status.unapplied.is_empty() {
        let count = status.unapplied.len();
        println!("{count} change{} not applied:", if count == 1 { "" } else { "s" });
        for item in &status.unapplied {
            let when = chrono::DateTime::from_timestamp(item.at as i64, 0)
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            println!("  {when} {item}");
        }
        store.mark_told()?;
        if acknowledge {
            store.acknowledge()?;
            println!("Acknowledged: status no longer lists them.");
        } else {
            println!("(`myorg status --ack` once you have seen to them)");
        }
    }
    Ok(())
}

/// `myorg sync`.
pub fn sync(config: &Config) -> anyhow::Result<()> {
    let report = open(config)?.sync()?;
    for line in sync_lines(&report) {
        println!("{line}");
    }
    went_wrong(&report)
}

/// Prints what a push did; an error when something did not go as asked, so the exit
/// code says so.
pub(super) fn print_push(report: &PushReport) -> anyhow::Result<()> {
    for line in push_lines(report) {
        println!("{line}");
    }
    went_wrong(report)
}

fn went_wrong(report: &PushReport) -> anyhow::Result<()> {
    if report.went_wrong() {
        let earlier = report.earlier.iter().filter(|earlier| !earlier.reworded).count();
        let count = report.dropped.len() + report.saved_beside.len() + earlier;
        anyhow::bail!(
            "{count} change{} did not go as asked (above); `myorg status` lists them until `myorg status --ack`",
            if count == 1 { "" } else { "s" }
        );
    }
    Ok(())
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
    lines.extend(report.retargeted.iter().cloned());
    for earlier in &report.earlier {
        lines.push(if earlier.reworded {
            earlier.to_string()
        } else {
            format!("Not applied earlier: {earlier}")
        });
    }
    lines
}
