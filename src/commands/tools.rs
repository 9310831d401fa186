//! `myorg tools [--json]`: the agent's tool registry as the model sees it — each
//! tool's name (`*` when it needs a person's confirmation), description and argument
//! schema — and an estimate of the tokens the definitions take in every request.

use crate::agent::tools::Registry;

/// `myorg tools [--json]`.
pub fn run(json: bool) -> anyhow::Result<()> {
    let registry = Registry::new();
    let definitions = registry.definitions();
    if json {
        println!("{}", serde_json::to_string_pretty(&definitions)?);
    } else {
        for definition in &definitions {
            let function = &definition["function"];
            let name = function["name"].as_str().unwrap_or_default();
            let mark = if registry.is_destructive(name) { "*" } else { "" };
            println!(
                "{name}{mark}: {}",
                function["description"].as_str().unwrap_or_default()
            );
            println!("  {}", function["parameters"]);
        }
        println!();
        println!("* needs a person's confirmation before it changes anything.");
    }
    let tokens = estimated_tokens(&definitions);
    let line = format!(
        "{} tools, about {tokens} tokens of definitions",
        definitions.len()
    );
    // With --json the estimate goes to standard error, so the output stays JSON.
    if json {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
    Ok(())
}

/// The definitions' size in tokens, estimated as their compact JSON's characters / 4.
pub fn estimated_tokens(definitions: &[serde_json::Value]) -> usize {
    serde_json::Value::Array(definitions.to_vec())
        .to_string()
        .chars()
        .count()
        .div_ceil(4)
}
