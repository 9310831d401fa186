//! `myorg usage [--days N] [--json]`: the language models' use per day, person and
//! provider (calls, tokens, cost), and today's budget: [`crate::app::usage`],
//! printed.

use super::store::{ctx, open};
use crate::app::usage;
use crate::config::Config;
use chrono::NaiveDateTime;

/// `myorg usage`.
pub fn run(config: &Config, now: NaiveDateTime, days: u32, json: bool) -> anyhow::Result<()> {
    let store = open(config)?;
    let used = usage::usage(&ctx(config, &store, now)?, days)?;
    if !json {
        print!("{}", used.said());
        return Ok(());
    }
    for row in &used.rows {
        let line = serde_json::json!({
            "date": row.day.to_string(),
            "person": row.person,
            "provider": row.provider,
            "calls": row.totals.calls,
            "prompt_tokens": row.totals.prompt_tokens,
            "completion_tokens": row.totals.completion_tokens,
            "cost": row.totals.cost,
        });
        println!("{line}");
    }
    Ok(())
}
