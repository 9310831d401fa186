//! `myorg briefing morning|evening|weekly|team [--date WHEN] [--for NAME]`: the briefing of
//! [`crate::app::briefing`], printed as Markdown (or `--json`); `--polish` has the
//! LLM reword it, keeping every item (else the briefing is shown as built).

use super::read::working_tree;
use super::store::look;
use crate::agent::prompt;
use crate::app::briefing::{self, Asked, Whose};
use crate::app::json::BriefingJson;
use crate::config::Config;
use chrono::NaiveDateTime;
use myorg_domain::briefing::Kind;

/// What the options ask for: `--for NAME` (a person or handle), `--everyone`, or the
/// person at the terminal; with unassigned tasks unless `own_only`.
pub fn asked(kind: Kind, date: Option<&str>, person: Option<&str>, everyone: bool, own_only: bool) -> Asked {
    let whose = match (everyone, person) {
        (true, _) => Whose::Everyone,
        (false, Some(name)) => Whose::Named(name.to_string()),
        (false, None) => Whose::Mine,
    };
    Asked {
        kind,
        date: date.map(str::to_string),
        whose,
        own_only,
    }
}

/// `myorg briefing team [--date WHEN] [--json]`: the team digest.
pub fn team(config: &Config, now: NaiveDateTime, date: Option<&str>, json: bool) -> anyhow::Result<()> {
    let files = working_tree(config)?;
    let me = config.me()?.handle;
    let digest = briefing::team(&look(config, files.as_ref(), &me, now), date)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&crate::app::json::DigestJson::from(&digest))?
        );
    } else {
        print!("{}", digest.render());
    }
    Ok(())
}

/// `myorg briefing KIND`.
pub fn run(
    config: &Config,
    now: NaiveDateTime,
    asked: &Asked,
    json: bool,
    polish: bool,
) -> anyhow::Result<()> {
    let files = working_tree(config)?;
    let me = config.me()?.handle;
    let briefing = briefing::briefing(&look(config, files.as_ref(), &me, now), asked)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&BriefingJson::from(&briefing))?
        );
        return Ok(());
    }
    let text = briefing::text(&briefing);
    if !polish {
        print!("{text}");
        return Ok(());
    }
    match reworded(config, now, asked.kind, &text) {
        Ok(polished) => println!("{polished}"),
        Err(why) => {
            print!("{text}");
            eprintln!("Not reworded: {why}.");
        }
    }
    Ok(())
}

/// `text` reworded by the LLM with the briefing's prompt, or why not.
fn reworded(config: &Config, now: NaiveDateTime, kind: Kind, text: &str) -> Result<String, String> {
    let Some(terminal) = super::agent::start(config).map_err(|error| format!("{error:#}"))? else {
        return Err("no LLM is configured".to_string());
    };
    let (name, built_in) = match kind {
        Kind::Weekly => ("weekly-review.md", prompt::WEEKLY_REVIEW),
        Kind::Morning | Kind::Evening => ("briefing.md", prompt::BRIEFING),
    };
    let instructions = prompt::named(config.llm.prompts_dir.as_deref(), name, built_in)
        .map_err(|error| format!("{error:#}"))?;
    let cancel = tokio_util::sync::CancellationToken::new();
    terminal.runtime.block_on(
        terminal
            .agent
            .polish(&terminal.asker, &instructions, text, now, &cancel),
    )
}
