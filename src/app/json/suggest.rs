//! What to do next and where, as JSON: a person's context (`myorg today --json`, the
//! `get_context` tool) and a suggested task (`myorg suggest --json`, the
//! `suggest_tasks` tool).

use super::TaskJson;
use crate::app::context::Current;
use crate::app::suggest::Suggestion;
use schemars::JsonSchema;
use serde::Serialize;

/// A person's context now, and why.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ContextJson {
    /// Like @phone.
    pub context: String,
    /// Why: an event, work hours, or until when it was set.
    pub why: String,
}

impl From<&Current> for ContextJson {
    fn from(current: &Current) -> ContextJson {
        ContextJson {
            context: current.context.clone(),
            why: current.why.clone(),
        }
    }
}

/// A suggested task: the task's fields, then why and its rank's score.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SuggestionJson {
    #[serde(flatten)]
    pub task: TaskJson,
    /// Why it is suggested, in a few words.
    pub reason: String,
    /// Its rank's score, higher first (two decimals).
    pub score: f64,
}

impl From<&Suggestion> for SuggestionJson {
    fn from(suggestion: &Suggestion) -> SuggestionJson {
        SuggestionJson {
            task: TaskJson::of(
                &suggestion.reference,
                suggestion.index,
                &suggestion.task,
                suggestion.urgency,
                &suggestion.line,
            ),
            reason: suggestion.reason.clone(),
            score: (suggestion.score * 100.0).round() / 100.0,
        }
    }
}
