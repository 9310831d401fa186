//! The git tools: `git_status`, `git_log` and `undo_change`*, over the use cases of
//! [`crate::app::status`] and [`crate::app::history`]. An undo is resolved to its
//! commit when previewed, so a confirmation undoes exactly that commit.

use super::{Effect, Outcome, Tool, ToolContext, tool};
use crate::app::history::{self, Of};
use crate::app::status;
use schemars::JsonSchema;
use serde::Deserialize;

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
    Ok(Outcome::Done(status::status(ctx)?.said()))
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
    let of = args.path.map_or(Of::Everything, Of::File);
    let changes = history::history(ctx, &of, history::limit(args.limit))?;
    Ok(Outcome::Done(history::said(&changes)))
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
