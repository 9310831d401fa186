//! `remember`: a decision or a fact written to working-memory.txt as a dated line,
//! the use case of [`crate::app::memory`] that `myorg remember` runs.

use super::{Effect, Outcome, Tool, ToolContext, tool};
use crate::app::memory;
use schemars::JsonSchema;
use serde::Deserialize;

pub(super) fn tools() -> Vec<Tool> {
    vec![tool(
        "remember",
        "Remember a decision or fact in working-memory.txt.",
        Effect::Changes,
        remember,
    )]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Remember {
    /// The decision or fact, in a sentence.
    text: String,
}

fn remember(ctx: &ToolContext, args: Remember) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(memory::remember(ctx, &args.text)?.said()))
}
