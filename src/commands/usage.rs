//! `myorg usage [--days N] [--json]`: the language models' use per day, person and
//! provider (calls, tokens, cost), from the usage ledger, and today's budget.

use super::store::open;
use crate::agent::usage::{Budget, Ledger, by_day_person_provider};
use crate::config::Config;
use chrono::{Days, NaiveDateTime};

/// `myorg usage`.
pub fn run(config: &Config, now: NaiveDateTime, days: u32, json: bool) -> anyhow::Result<()> {
    let store = open(config)?;
    let ledger = Ledger::new(store.state_dir());
    let today = now.date();
    let since = today
        .checked_sub_days(Days::new(u64::from(days.max(1)) - 1))
        .unwrap_or(today);
    let calls = ledger.calls_since(since)?;
    let grouped = by_day_person_provider(&calls);
    if json {
        for ((day, person, provider), totals) in &grouped {
            let line = serde_json::json!({
                "date": day.to_string(),
                "person": person,
                "provider": provider,
                "calls": totals.calls,
                "prompt_tokens": totals.prompt_tokens,
                "completion_tokens": totals.completion_tokens,
                "cost": totals.cost,
            });
            println!("{line}");
        }
        return Ok(());
    }
    print!("{}", report(config, &ledger, now, days)?);
    Ok(())
}

/// What `myorg usage` shows, as text: one line per day, person and provider, and
/// today's budget.
pub fn report(config: &Config, ledger: &Ledger, now: NaiveDateTime, days: u32) -> anyhow::Result<String> {
    use std::fmt::Write as _;
    let today = now.date();
    let since = today
        .checked_sub_days(Days::new(u64::from(days.max(1)) - 1))
        .unwrap_or(today);
    let calls = ledger.calls_since(since)?;
    let grouped = by_day_person_provider(&calls);
    let mut out = String::new();
    if grouped.is_empty() {
        writeln!(out, "No model calls since {since}.")?;
    }
    for ((day, person, provider), totals) in &grouped {
        writeln!(
            out,
            "{day}  {person:<12} {provider:<12} {:>4} calls {:>8} in {:>7} out  {:.4}",
            totals.calls, totals.prompt_tokens, totals.completion_tokens, totals.cost
        )?;
    }
    let budget = Budget {
        tokens: config.llm.daily_tokens,
        cost: config.llm.daily_cost,
    };
    let spent = ledger.day_totals(today)?;
    match budget.exceeded(&spent) {
        Some(why) => writeln!(out, "Today: {why}; chat answers only its grammar until tomorrow.")?,
        None if budget.tokens > 0 || budget.cost > 0.0 => writeln!(
            out,
            "Today: {} tokens, {:.4} spent of the daily budget ({} tokens, {:.2}).",
            spent.tokens(),
            spent.cost,
            budget.tokens,
            budget.cost
        )?,
        None => {}
    }
    Ok(out)
}
