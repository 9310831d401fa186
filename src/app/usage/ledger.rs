//! The usage ledger: tokens and cost of every model call, per day, person and
//! provider, in `STATE/usage.jsonl` (one JSON object a line, appended by the agent),
//! and the daily budget it is checked against.

use anyhow::Context;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One model call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// The store-local day.
    pub date: NaiveDate,
    pub person: String,
    pub provider: String,
    pub model: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// The provider's figure when it gave one, else computed from its prices.
    pub cost: f64,
}

/// Totals of some calls.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    pub calls: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cost: f64,
}

impl Totals {
    fn add(&mut self, call: &Call) {
        self.calls += 1;
        self.prompt_tokens += call.prompt_tokens;
        self.completion_tokens += call.completion_tokens;
        self.cost += call.cost;
    }

    pub fn tokens(&self) -> u64 {
        self.prompt_tokens + self.completion_tokens
    }
}

/// The daily limits (0: none).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Budget {
    pub tokens: u64,
    pub cost: f64,
}

impl Budget {
    /// Why `spent` is over this budget, in words; `None` while within it.
    pub fn exceeded(&self, spent: &Totals) -> Option<String> {
        if self.tokens > 0 && spent.tokens() >= self.tokens {
            return Some(format!(
                "today's budget of {} tokens is spent ({} used)",
                self.tokens,
                spent.tokens()
            ));
        }
        if self.cost > 0.0 && spent.cost >= self.cost {
            return Some(format!(
                "today's budget of {:.2} is spent ({:.2} used)",
                self.cost, spent.cost
            ));
        }
        None
    }
}

/// The ledger file.
pub struct Ledger {
    path: PathBuf,
}

impl Ledger {
    pub fn new(state_dir: &Path) -> Ledger {
        Ledger {
            path: state_dir.join("usage.jsonl"),
        }
    }

    /// Appends one call.
    pub fn record(&self, call: &Call) -> anyhow::Result<()> {
        let mut line = serde_json::to_string(call)?;
        line.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .with_context(|| format!("opening {}", self.path.display()))?;
        file.write_all(line.as_bytes())?;
        Ok(())
    }

    /// Every call recorded from `since` on (lines that cannot be read are skipped).
    pub fn calls_since(&self, since: NaiveDate) -> anyhow::Result<Vec<Call>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(err).with_context(|| format!("reading {}", self.path.display())),
        };
        Ok(text
            .lines()
            .filter_map(|line| serde_json::from_str::<Call>(line).ok())
            .filter(|call| call.date >= since)
            .collect())
    }

    /// Everyone's totals on `day`.
    pub fn day_totals(&self, day: NaiveDate) -> anyhow::Result<Totals> {
        let mut totals = Totals::default();
        for call in self.calls_since(day)?.iter().filter(|call| call.date == day) {
            totals.add(call);
        }
        Ok(totals)
    }
}

/// Totals by (day, person, provider), in that order.
pub fn by_day_person_provider(calls: &[Call]) -> BTreeMap<(NaiveDate, String, String), Totals> {
    let mut out: BTreeMap<(NaiveDate, String, String), Totals> = BTreeMap::new();
    for call in calls {
        out.entry((call.date, call.person.clone(), call.provider.clone()))
            .or_default()
            .add(call);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(date: &str, person: &str, provider: &str, tokens: u64, cost: f64) -> Call {
        Call {
            date: date.parse().unwrap(),
            person: person.into(),
            provider: provider.into(),
            model: "m".into(),
            prompt_tokens: tokens,
            completion_tokens: tokens / 2,
            cost,
        }
    }

    #[test]
    fn calls_are_kept_and_summed_by_day_person_and_provider() {
        let dir = tempfile::TempDir::new().unwrap();
        let ledger = Ledger::new(dir.path());
        ledger
            .record(&call("2026-11-22", "ana", "fast", 100, 0.01))
            .unwrap();
        ledger
            .record(&call("2026-11-23", "ana", "fast", 1000, 0.1))
            .unwrap();
        ledger
            .record(&call("2026-11-23", "ben", "strong", 2000, 0.5))
            .unwrap();
        ledger
            .record(&call("2026-11-23", "ana", "fast", 10, 0.0))
            .unwrap();
        let today = ledger.day_totals("2026-11-23".parse().unwrap()).unwrap();
        assert_eq!(today.calls, 3);
        assert_eq!(today.tokens(), 1000 + 500 + 2000 + 1000 + 10 + 5);
        let calls = ledger.calls_since("2026-11-23".parse().unwrap()).unwrap();
        let grouped = by_day_person_provider(&calls);
        let ana = &grouped[&(
            "2026-11-23".parse().unwrap(),
            "ana".to_string(),
            "fast".to_string(),
        )];
        assert_eq!((ana.calls, ana.prompt_tokens), (2, 1010));
    }

    #[test]
    fn a_budget_says_when_it_is_spent() {
        let spent = Totals {
            calls: 3,
            prompt_tokens: 900,
            completion_tokens: 100,
            cost: 0.42,
        };
        assert_eq!(Budget::default().exceeded(&spent), None);
        assert_eq!(
            Budget {
                tokens: 2000,
                cost: 0.0
            }
            .exceeded(&spent),
            None
        );
        assert!(
            Budget {
                tokens: 1000,
                cost: 0.0
            }
            .exceeded(&spent)
            .unwrap()
            .contains("1000 tokens")
        );
        assert!(
            Budget {
                tokens: 0,
                cost: 0.40
            }
            .exceeded(&spent)
            .unwrap()
            .contains("0.40")
        );
    }
}
