//! A waiting-for item as JSON: `myorg waiting --json` and the `list_waiting` tool's
//! structured result.

use crate::app::waiting::Item;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

/// What someone owes the person.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WaitingJson {
    /// Its reference, at its shortest unique length.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Its line in todo.txt, from 1.
    pub line: usize,
    /// The line as written.
    pub raw: String,
    /// Who owes it.
    pub who: Option<String>,
    /// What is owed.
    pub what: String,
    /// The day it was asked for, YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub since: Option<NaiveDate>,
    /// Days waited so far.
    pub waited_days: Option<i64>,
    /// When to chase, YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub followup: Option<NaiveDate>,
    /// Why it needs chasing, when it does.
    pub stale: Option<String>,
    /// Received.
    pub done: bool,
}

impl From<&Item> for WaitingJson {
    fn from(item: &Item) -> WaitingJson {
        WaitingJson {
            reference: item.reference.clone(),
            line: item.index + 1,
            raw: item.line.clone(),
            who: item.who.clone(),
            what: item.what.clone(),
            since: item.since,
            waited_days: item.waited_days,
            followup: item.followup,
            stale: item.stale.map(|stale| stale.to_string()),
            done: item.is_done(),
        }
    }
}
