//! `myorg undo`, `history`, `status` and `sync`: the store itself from the terminal,
//! and what the other commands share (opening the store, who asks, push reports).

use crate::app::history::{self, Of};
use crate::app::{Ctx, Files, Look, status};
use crate::config::Config;
use crate::store::{Actor, NewStore, Origin, PushReport, Start, Store, StoreSettings};
use chrono::NaiveDateTime;

pub(super) fn open(config: &Config) -> anyhow::Result<Store> {
    let mut store = open_as(config.store_settings())?;
    if let Some(starter) = super::background_watch::starter(config, &store) {
        store.on_unwatched_look(starter);
    }
    Ok(store)
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
pub(super) fn ctx<'a>(config: &'a Config, store: &'a Store, now: NaiveDateTime) -> anyhow::Result<Ctx<'a>> {
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
    now: NaiveDateTime,
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

/// `myorg undo [COMMIT] [--force]`: asking is confirming.
pub fn undo(config: &Config, now: NaiveDateTime, commit: Option<&str>, force: bool) -> anyhow::Result<()> {
    let store = open(config)?;
    let (summary, push) = history::undo_confirmed(&ctx(config, &store, now)?, commit, force)?;
    println!("{summary}");
    print_push(&push)
}

/// `myorg history [FILE|TASK]`: a store file's changes, a task's, or all.
pub fn history(config: &Config, now: NaiveDateTime, target: &str, limit: usize) -> anyhow::Result<()> {
    let store = open(config)?;
    let of = Of::FileOrTask(target.to_string());
    let changes = history::history(&ctx(config, &store, now)?, &of, limit)?;
    if changes.is_empty() {
        println!("No changes found.");
    }
    for change in changes {
        println!("{}", change.said());
    }
    Ok(())
}

/// `myorg status [--ack]`: with `--ack`, the changes not applied it lists are
/// forgotten once shown.
pub fn status(config: &Config, now: NaiveDateTime, acknowledge: bool) -> anyhow::Result<()> {
    let store = open(config)?;
    let shown = status::status_shown(&ctx(config, &store, now)?, acknowledge)?;
    for line in shown.lines() {
        println!("{line}");
    }
    if !shown.unapplied.is_empty() {
        if acknowledge {
            println!("Acknowledged: status no longer lists them.");
        } else {
            println!("(`myorg status --ack` once you have seen to them)");
        }
    }
    Ok(())
}

/// `myorg sync`.
pub fn sync(config: &Config, now: NaiveDateTime) -> anyhow::Result<()> {
    let store = open(config)?;
    let synced = status::sync(&ctx(config, &store, now)?)?;
    for line in synced.lines() {
        println!("{line}");
    }
    went_wrong(&synced.0)
}

/// Prints what a push did; an error when something did not go as asked, so the exit
/// code says so.
pub(super) fn print_push(report: &PushReport) -> anyhow::Result<()> {
    for line in status::push_lines(report) {
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
