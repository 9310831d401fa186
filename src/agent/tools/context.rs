//! `get_context` and `set_context`: where the person who asks is (`@phone`,
//! `@computer`…) and why, and setting it or going back to inferring it: the use
//! cases of [`crate::app::context`], as `myorg context` has them.

use super::{Effect, Outcome, Tool, ToolContext, tool};
use crate::app::context;
use schemars::JsonSchema;
use serde::Deserialize;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        tool(
            "get_context",
            "The person's context now (@phone, @computer…) and why.",
            Effect::Reads,
            get_context,
        ),
        tool(
            "set_context",
            "Set the person's context until it expires, or \"auto\" to infer it again.",
            Effect::Changes,
            set_context,
        ),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetContext {}

fn get_context(ctx: &ToolContext, _args: GetContext) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(context::current(&ctx.look())?.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SetContext {
    /// One of the team's contexts, like @phone, or "auto".
    context: String,
}

fn set_context(ctx: &ToolContext, args: SetContext) -> anyhow::Result<Outcome> {
    let current = if args.context.trim().eq_ignore_ascii_case("auto") {
        context::auto(ctx)?
    } else {
        context::set(ctx, &args.context)?
    };
    Ok(Outcome::Done(current.said()))
}
