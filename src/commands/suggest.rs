//! `myorg suggest`: what to do next — the suggestions of [`crate::app::suggest`]
//! (the person's open tasks and unassigned ones), each printed with its reason; with
//! no `--context`, in the person's current context, said first.

use super::read::working_tree;
use super::store::look;
use crate::app::json::SuggestionJson;
use crate::app::suggest::{self, NOTHING};
use crate::config::Config;
use chrono::NaiveDateTime;

/// What `myorg suggest` was asked.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub context: Option<String>,
    pub minutes: Option<u32>,
    pub energy: Option<String>,
    pub limit: Option<usize>,
    /// Everyone's tasks, not only the person's own and unassigned ones.
    pub everyone: bool,
    pub json: bool,
}

/// `myorg suggest [--context C] [--minutes N] [--energy low|high] [--limit N]`.
pub fn run(config: &Config, now: NaiveDateTime, asked: &Asked) -> anyhow::Result<()> {
    let request = suggest::Asked {
        context: asked.context.clone(),
        minutes: asked.minutes,
        energy: asked.energy.as_deref().map(suggest::energy).transpose()?,
        limit: asked.limit,
        everyone: asked.everyone,
    };
    let files = working_tree(config)?;
    // Everyone's suggestions are nobody's in particular: no person needs to be known.
    let me = if asked.everyone {
        String::new()
    } else {
        config.me()?.handle
    };
    let suggested = suggest::suggest_here(&look(config, files.as_ref(), &me, now), &request)?;
    let found = suggested.found;
    if asked.json {
        for suggestion in &found.0 {
            println!("{}", serde_json::to_string(&SuggestionJson::from(suggestion))?);
        }
        return Ok(());
    }
    if let Some(situation) = &suggested.situation {
        println!("{situation}");
    }
    if found.0.is_empty() {
        println!("{NOTHING}");
    }
    for (rank, suggestion) in found.0.iter().enumerate() {
        println!(
            "{}. {}  {}\n   {}",
            rank + 1,
            suggestion.reference,
            suggestion.line,
            suggestion.reason
        );
    }
    Ok(())
}
