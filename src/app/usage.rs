//! The language models' use: calls, tokens and cost per day, person and provider over
//! the last days, and today's spending against the daily budget, from the usage
//! ledger (`ledger.rs`) the agent writes to and checks its budget with.

mod ledger;

pub use ledger::{Budget, Call, Ledger, Totals, by_day_person_provider};

use super::{Ctx, Result};
use chrono::{Days, NaiveDate};
use std::fmt::Write as _;

/// One day's use by one person through one provider.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub day: NaiveDate,
    pub person: String,
    pub provider: String,
    pub totals: Totals,
}

/// Today against the daily budget.
#[derive(Debug, Clone, PartialEq)]
pub enum Today {
    /// The budget is spent, said why.
    Spent(String),
    /// Within the budget: what is spent of it.
    Within { spent: Totals, budget: Budget },
}

/// The use over some days.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    /// The first day counted.
    pub since: NaiveDate,
    /// By day, person and provider, in that order.
    pub rows: Vec<Row>,
    /// Today against the budget; `None` without a budget.
    pub today: Option<Today>,
}

impl Usage {
    /// One line per day, person and provider, and today's budget: what `myorg usage`
    /// and `/usage` show.
    pub fn said(&self) -> String {
        let mut out = String::new();
        if self.rows.is_empty() {
            let _ = writeln!(out, "No model calls since {}.", self.since);
        }
        for row in &self.rows {
            let totals = &row.totals;
            let _ = writeln!(
                out,
                "{}  {:<12} {:<12} {:>4} calls {:>8} in {:>7} out  {:.4}",
                row.day,
                row.person,
                row.provider,
                totals.calls,
                totals.prompt_tokens,
                totals.completion_tokens,
                totals.cost
            );
        }
        match &self.today {
            Some(Today::Spent(why)) => {
                let _ = writeln!(out, "Today: {why}; chat answers only its grammar until tomorrow.");
            }
            Some(Today::Within { spent, budget }) => {
                let _ = writeln!(
                    out,
                    "Today: {} tokens, {:.4} spent of the daily budget ({} tokens, {:.2}).",
                    spent.tokens(),
                    spent.cost,
                    budget.tokens,
                    budget.cost
                );
            }
            None => {}
        }
        out
    }
}

/// The use over the last `days` days (today included; at least one).
pub fn usage(ctx: &Ctx, days: u32) -> Result<Usage> {
    let ledger = Ledger::new(ctx.store.state_dir());
    let today = ctx.now.date();
    let since = today
        .checked_sub_days(Days::new(u64::from(days.max(1)) - 1))
        .unwrap_or(today);
    let rows = by_day_person_provider(&ledger.calls_since(since)?)
        .into_iter()
        .map(|((day, person, provider), totals)| Row {
            day,
            person,
            provider,
            totals,
        })
        .collect();
    let budget = Budget {
        tokens: ctx.config.llm.daily_tokens,
        cost: ctx.config.llm.daily_cost,
    };
    let spent = ledger.day_totals(today)?;
    let today = match budget.exceeded(&spent) {
        Some(why) => Some(Today::Spent(why)),
        None if budget.tokens > 0 || budget.cost > 0.0 => Some(Today::Within { spent, budget }),
        None => None,
    };
    Ok(Usage { since, rows, today })
}
