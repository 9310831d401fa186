//! The git tools: `git_status`, `git_log` and `undo_change`*. An undo is resolved
//! to its commit when previewed, so a confirmation undoes exactly that commit.

use super::{Effect, Outcome, Pending, Tool, ToolContext, limited, tool};
use crate::store::Operation;
use crate::store::paths;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Deserialize;

/// How many commits `git_log` shows unless told.
const LOG_LIMIT: usize = 10;
/// The most it shows.
const LOG_MAX: usize = 100;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        tool(
            "git_status",
            "The store's branch, remote, unpushed commits and uncommitted edits.",
            Effect::Reads,
            git_status,
        ),
        tool(
            "git_log",
            "Recent changes (commits), newest first.",
            Effect::Reads,
            git_log,
        ),
        tool(
            "undo_change",
            "Undo a change: by default the assistant's newest (the person confirms first).",
            Effect::Confirmed,
            undo_change,
        ),
    ]
}

/// No arguments.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoArguments {}

fn git_status(ctx: &ToolContext, _: NoArguments) -> anyhow::Result<Outcome> {
    let status = ctx.store.status()?;
    let mut parts = vec![format!("branch {}", status.branch)];
    match &status.remote {
        Some(remote) => parts.push(format!("remote {remote}, {} unpushed", status.unpushed)),
        None => parts.push("local store, no remote".to_string()),
    }
    if let Some(head) = &status.head {
        parts.push(format!("head {}", short(head)));
    }
    if status.pending > 0 {
        parts.push(format!("{} operations not pushed yet", status.pending));
    }
    if !status.changed.is_empty() {
        parts.push(format!(
            "edited by hand, not committed: {}",
            status.changed.join(", ")
        ));
    }
    if let Some(error) = &status.last_error {
        parts.push(format!("last push error: {}", error.trim()));
    }
    if let Some(when) = status.last_sync {
        let when = chrono::DateTime::<chrono::Utc>::from(when)
            .with_timezone(&ctx.config.store_timezone().unwrap_or(chrono_tz::UTC));
        parts.push(format!("last sync {}", when.format("%Y-%m-%d %H:%M")));
    }
    let count = status.unapplied.len();
    if count > 0 {
        let items: Vec<String> = status.unapplied.iter().map(ToString::to_string).collect();
        parts.push(format!(
            "{count} change{} not applied: {}",
            if count == 1 { "" } else { "s" },
            items.join(" | ")
        ));
    }
    Ok(Outcome::Done(parts.join("; ")))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GitLog {
    /// Only changes to this store file.
    path: Option<String>,
    /// Default 10.
    limit: Option<u32>,
}

fn git_log(ctx: &ToolContext, args: GitLog) -> anyhow::Result<Outcome> {
    let limit = args.limit.map_or(LOG_LIMIT, |n| n as usize).min(LOG_MAX);
    let path = args.path.filter(|path| !path.trim().is_empty());
    if let Some(path) = &path {
        paths::resolve(ctx.store.root(), path)?;
    }
    let paths: Vec<&str> = path.as_deref().into_iter().collect();
    let timezone = ctx.config.timezone()?;
    let lines = ctx
        .store
        .history(&paths, None, limit)?
        .into_iter()
        .map(|commit| {
            let when = DateTime::<Utc>::from_timestamp(commit.time, 0)
                .map(|time| match timezone {
                    Some(zone) => time.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
                    None => time
                        .with_timezone(&chrono::Local)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                })
                .unwrap_or_default();
            format!(
                "{} {when} {}: {}",
                short(&commit.id),
                commit.author,
                commit.subject
            )
        })
        .collect();
    Ok(Outcome::Done(limited(lines, limit, "No changes yet.")))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UndoChange {
    /// A commit id from git_log; default the newest change.
    commit: Option<String>,
}

fn undo_change(ctx: &ToolContext, args: UndoChange) -> anyhow::Result<Outcome> {
    let commit = args.commit.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let operation = ctx.store.undo_operation(commit, false)?;
    let preview = match &operation {
        Operation::Undo { commit, subject, .. } => format!("Undo commit {}: {subject}", short(commit)),
        other => format!("{other:?}"),
    };
    Ok(Outcome::NeedsConfirmation(Pending::new(
        ctx,
        "undo_change",
        preview,
        operation,
    )))
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
