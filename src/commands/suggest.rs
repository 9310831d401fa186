//! `myorg suggest`: what to do next — a short ranked list of the person's open tasks
//! (and unassigned ones), each with the reason it is there.

use super::read::working_tree_file;
use crate::config::Config;
use anyhow::bail;
use chrono::NaiveDateTime;
use myorg_domain::reference::References;
use myorg_domain::suggest::{Energy, Request, suggest};
use myorg_parsers::{ProjectsFile, TodoFile};

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

/// The energy level `text` names (low or high).
fn energy(text: &str) -> anyhow::Result<Energy> {
    match Energy::parse(text) {
        Some(energy) => Ok(energy),
        None => bail!("{text:?} is not an energy level; say low or high"),
    }
}

/// `myorg suggest [--context C] [--minutes N] [--energy low|high] [--limit N]`.
pub fn run(config: &Config, now: NaiveDateTime, asked: &Asked) -> anyhow::Result<()> {
    let energy = asked.energy.as_deref().map(energy).transpose()?;
    let request = Request {
        owner: if asked.everyone {
            None
        } else {
            Some(config.me()?.handle)
        },
        context: asked
            .context
            .as_deref()
            .map(|c| c.trim().trim_start_matches('@').to_string())
            .filter(|c| !c.is_empty()),
        minutes: asked.minutes,
        energy,
        limit: asked.limit.unwrap_or(5),
    };
    let todo = TodoFile::parse(working_tree_file(config, "todo.txt")?);
    let projects = ProjectsFile::parse(working_tree_file(config, "projects.txt")?);
    let goals = ProjectsFile::parse(working_tree_file(config, "goals.txt")?);
    let found = suggest(&todo, Some(&projects), Some(&goals), &request, now.date());
    let references = References::of(&todo);
    if asked.json {
        for suggestion in &found {
            let line = serde_json::json!({
                "ref": references.shown(suggestion.task),
                "line": suggestion.index + 1,
                "raw": todo.text(suggestion.index).unwrap_or_default(),
                "reason": suggestion.reason,
                "score": (suggestion.score * 100.0).round() / 100.0,
            });
            println!("{line}");
        }
        return Ok(());
    }
    if found.is_empty() {
        println!("Nothing to suggest: no open task fits.");
    }
    for (rank, suggestion) in found.iter().enumerate() {
        println!(
            "{}. {}  {}\n   {}",
            rank + 1,
            references.shown(suggestion.task),
            todo.text(suggestion.index).unwrap_or_default(),
            suggestion.reason
        );
    }
    Ok(())
}
