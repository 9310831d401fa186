//! `get_context` and `set_context`: where the person who asks is (`@phone`,
//! `@computer`…) and why, and setting it or going back to inferring it: the use
//! cases of [`crate::app::context`], as `myorg context` has them; the context read
//! also as data ([`ContextJson`]).

use super::{Effect, Found, Outcome, Tool, ToolContext, reading_tool_with_data, tool};
use crate::app::context;
use crate::app::json::ContextJson;
use schemars::JsonSchema;
use serde::Deserialize;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        reading_tool_with_data(
            "get_context",
            "The person's context now (@phone, @computer…) and why.",
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

fn get_context(ctx: &ToolContext, _args: GetContext) -> anyhow::Result<Found<ContextJson>> {
    let current = context::current(&ctx.look())?;
    Ok(Found {
        said: current.said(),
        data: ContextJson::from(&current),
    })
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
