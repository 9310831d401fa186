//! `myorg tools --markdown`: the tool registry as a page for people (`docs/tools.md`):
//! each tool with what it does to the store, its description, whether it gives a
//! structured result, and its arguments (type, required, meaning) read from the same
//! JSON Schema the model and MCP clients get. A test compares `docs/tools.md` with
//! this output, so the page cannot drift from the registry.

use crate::agent::tools::{Effect, Registry};
use serde_json::Value;
use std::fmt::Write;

/// `myorg tools --markdown`: prints the page.
pub fn print() {
    print!("{}", markdown(&Registry::new()));
}

/// The page, in the registry's order.
pub fn markdown(registry: &Registry) -> String {
    let mut page = String::from(
        "# The assistant's tools\n\
         \n\
         The tools the language model calls (Discord's free chat, `myorg chat`, the web\n\
         chat) and that MCP clients get from `myorg mcp` and `/mcp`: the same registry, the\n\
         same arguments. This page is generated from it (`myorg tools --markdown >\n\
         docs/tools.md`) and a test checks that it still matches.\n\
         \n\
         - **reads**: changes nothing (MCP: `readOnlyHint`).\n\
         - **changes**: one commit on the model's word, which `undo_change` reverts.\n\
         - **asks first**: previews the exact change and makes it only on the person's\n  \
           yes (MCP: `destructiveHint`, asked through the client).\n\
         - **structured result**: beside the text, the same as JSON (MCP `outputSchema`).\n",
    );
    for definition in registry.definitions() {
        let function = &definition["function"];
        let name = function["name"].as_str().unwrap_or_default();
        let effect = match registry.effect(name) {
            Some(Effect::Reads) => "reads",
            Some(Effect::Changes) => "changes",
            Some(Effect::Confirmed) => "asks first",
            None => continue,
        };
        let structured = if registry.output_schema(name).is_some() {
            ", structured result"
        } else {
            ""
        };
        let _ = write!(
            page,
            "\n## `{name}`\n\n*{effect}{structured}.* {}\n",
            function["description"].as_str().unwrap_or_default()
        );
        let arguments = arguments(&function["parameters"]);
        if arguments.is_empty() {
            page.push_str("\nNo arguments.\n");
        } else {
            page.push_str("\n| Argument | Type | Required | Meaning |\n|---|---|---|---|\n");
            for row in arguments {
                page.push_str(&row);
                page.push('\n');
            }
        }
    }
    page
}

/// One table row per property of `schema`, in its order.
fn arguments(schema: &Value) -> Vec<String> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = schema["properties"].as_object() else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(name, property)| {
            format!(
                "| `{name}` | {} | {} | {} |",
                kind(property),
                if required.contains(&name.as_str()) {
                    "yes"
                } else {
                    "no"
                },
                cell(property["description"].as_str().unwrap_or_default())
            )
        })
        .collect()
}

/// A property's type as a person reads it: `string`, `one of a, b`, `list of string`.
fn kind(property: &Value) -> String {
    if let Some(values) = property["enum"].as_array() {
        let values: Vec<String> = values
            .iter()
            .map(|value| value.as_str().map_or_else(|| value.to_string(), str::to_string))
            .collect();
        return format!("one of {}", cell(&values.join(", ")));
    }
    match &property["type"] {
        Value::String(kind) if kind == "array" => format!("list of {}", kind_name(&property["items"])),
        _ => kind_name(property),
    }
}

fn kind_name(property: &Value) -> String {
    match &property["type"] {
        Value::String(kind) => kind.clone(),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".to_string(),
    }
}

/// `text` safe inside a table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}
