//! The registry's tools as MCP tools, and a tool's [`Outcome`] as an MCP tool result.
//!
//! One source for every tool: its name, description and argument schema come from
//! [`Registry::definitions`], the schema of its structured result (`outputSchema`,
//! which every reading tool has) from [`Registry::output_schema`]; the annotations
//! from [`Registry::effect`]: `readOnlyHint` and `idempotentHint` for the reading
//! tools, `destructiveHint` for the ones that wait for the person's word (delete,
//! overwrite, undo), and for the other changes `destructiveHint: false` (each adds or
//! edits lines in one commit that `undo_change` reverts). None reaches outside the
//! store (`openWorldHint: false`).

use crate::agent::tools::{Effect, Outcome, Registry};
use rmcp::model::{CallToolResult, ContentBlock, JsonObject, Tool, ToolAnnotations};
use serde_json::Value;
use std::sync::Arc;

/// Every tool of `registry`, in its order.
pub(super) fn listed(registry: &Registry) -> Vec<Tool> {
    registry
        .definitions()
        .iter()
        .filter_map(|definition| {
            let function = definition.get("function")?;
            let name = function.get("name")?.as_str()?.to_string();
            let description = function.get("description")?.as_str()?.to_string();
            let schema: JsonObject = match function.get("parameters") {
                Some(Value::Object(schema)) => schema.clone(),
                _ => JsonObject::new(),
            };
            let annotations = annotations(registry.effect(&name)?);
            let tool = Tool::new(name.clone(), description, Arc::new(schema)).with_annotations(annotations);
            Some(match registry.output_schema(&name) {
                Some(Value::Object(output)) => tool.with_raw_output_schema(Arc::new(output.clone())),
                _ => tool,
            })
        })
        .collect()
}

/// What a client may assume of a tool with this effect.
fn annotations(effect: Effect) -> ToolAnnotations {
    let hints = ToolAnnotations::new().open_world(false);
    match effect {
        Effect::Reads => hints.read_only(true).destructive(false).idempotent(true),
        Effect::Changes => hints.read_only(false).destructive(false).idempotent(false),
        Effect::Confirmed => hints.read_only(false).destructive(true).idempotent(false),
    }
}

/// A finished call: its text (and its structured result, `data`, from a tool that
/// gives one), or its failure as a tool error (the session goes on).
pub(super) fn result(outcome: Outcome, data: Option<Value>) -> CallToolResult {
    match outcome {
        Outcome::Done(text) => {
            let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
            result.structured_content = data;
            result
        }
        Outcome::Failed(why) => not_done(&why),
        // Only a destructive tool asks, and its answer is handled before this.
        Outcome::NeedsConfirmation(pending) => not_done(&format!(
            "{} needs the person's confirmation; nothing was changed",
            pending.tool
        )),
    }
}

/// A tool error saying `why`.
pub(super) fn not_done(why: &str) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(why)])
}
