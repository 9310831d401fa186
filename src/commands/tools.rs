//! `myorg tools [--json]`: the agent's tool registry as the model sees it — each
//! tool's name (`*` when it needs a person's confirmation), description and argument
//! schema — and an estimate of the tokens the definitions and the system prompt (for
//! the person at the terminal, with this store's context) take in every request;
//! `myorg directives`: what the model may do with each by the team's directives.

use super::read::working_tree_file;
use crate::agent::prompt;
use crate::agent::tools::Registry;
use crate::config::Config;
use chrono::NaiveDateTime;

/// `myorg directives`: each tool that changes something, and what the model may do
/// with it by the team's directives.
pub fn directives(config: &Config) -> anyhow::Result<()> {
    let registry = Registry::new();
    registry.check_directives(config)?;
    for line in registry.directive_lines(config) {
        println!("{line}");
    }
    Ok(())
}

/// `myorg tools [--json]`.
pub fn run(config: &Config, now: NaiveDateTime, json: bool) -> anyhow::Result<()> {
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
    let text = |path: &str| -> anyhow::Result<String> {
        Ok(String::from_utf8_lossy(&working_tree_file(config, path)?).into_owned())
    };
    let timezone = config.store_timezone()?;
    let files = super::read::working_tree(config)?;
    let me = config.me()?.handle;
    let whereabouts =
        crate::app::context::current(&super::store::look(config, files.as_ref(), &me, now))?.said();
    let system = prompt::system(
        &prompt::template(config.llm.prompts_dir.as_deref())?,
        &prompt::Facts {
            person: &config.me()?.handle,
            now,
            timezone: timezone.name(),
            whereabouts: &whereabouts,
            telos: &text("telos.md")?,
            memory: &text("working-memory.txt")?,
        },
    );
    let system_tokens = prompt::estimate_tokens(&system);
    let line = format!(
        "{} tools, about {tokens} tokens of definitions; the system prompt about {system_tokens} tokens \
         ({} in all before the conversation)",
        definitions.len(),
        tokens + system_tokens
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
