//! The git tools: `git_status` (what `myorg status` shows), `git_log`, `sync` and
//! `undo_change`*, over the use cases of [`crate::app::status`] and
//! [`crate::app::history`]. An undo is resolved to its
//! commit when previewed, so a confirmation undoes exactly that commit. The reading
//! ones also give their result as data ([`StatusJson`], [`ChangeJson`]).

use super::{Effect, Found, Outcome, Tool, ToolContext, reading_tool_with_data, tool};
use crate::app::history::{self, Of};
use crate::app::json::{ChangeJson, StatusJson};
use crate::app::status;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(super) fn tools() -> Vec<Tool> {
    vec![
        reading_tool_with_data(
            "git_status",
            "The store's status: branch, remote, unpushed commits, hand edits, changes not applied.",
            git_status,
        ),
        reading_tool_with_data("git_log", "Recent changes (commits), newest first.", git_log),
        tool(
            "sync",
            "Pull the remote's changes and push the store's now.",
            Effect::Changes,
            sync,
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

fn git_status(ctx: &ToolContext, _: NoArguments) -> anyhow::Result<Found<StatusJson>> {
    let status = status::status(ctx)?;
    Ok(Found {
        said: status.said(),
        data: StatusJson::from(&status),
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GitLog {
    /// Only changes to this store file.
    path: Option<String>,
    /// Default 10.
    limit: Option<u32>,
}

/// The changes shown, newest first.
#[derive(Serialize, JsonSchema)]
struct ChangesFound {
    changes: Vec<ChangeJson>,
}

fn git_log(ctx: &ToolContext, args: GitLog) -> anyhow::Result<Found<ChangesFound>> {
    let of = args.path.map_or(Of::Everything, Of::File);
    let changes = history::history(ctx, &of, history::limit(args.limit))?;
    Ok(Found {
        said: history::said(&changes),
        data: ChangesFound {
            changes: changes.iter().map(ChangeJson::from).collect(),
        },
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UndoChange {
    /// A commit id from git_log; default the newest change.
    commit: Option<String>,
}

fn undo_change(ctx: &ToolContext, args: UndoChange) -> anyhow::Result<Outcome> {
    Ok(Outcome::NeedsConfirmation(history::undo(
        ctx,
        args.commit.as_deref(),
    )?))
}

fn sync(ctx: &ToolContext, _: NoArguments) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(status::sync(ctx)?.said()))
}
