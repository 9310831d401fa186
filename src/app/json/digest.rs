//! The team digest as JSON: `myorg briefing team --json` and the `get_team_digest`
//! tool's structured result.

use myorg_domain::digest::Digest;
use schemars::JsonSchema;
use serde::Serialize;

/// The team's week.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DigestJson {
    /// The week that ended.
    pub last_week: WeekJson,
    /// The last day of the week ahead, YYYY-MM-DD.
    pub until: String,
    pub people: Vec<PersonWeekJson>,
    /// What is blocked.
    pub blocked: Vec<String>,
    /// What the team waits for.
    pub waiting: Vec<String>,
    /// Active projects that moved, with what they finished.
    pub moved: Vec<String>,
    /// Active projects nothing moved.
    pub still: Vec<String>,
    /// The latest figures with their change.
    pub figures: Vec<String>,
}

/// A week, its first and last day, YYYY-MM-DD.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WeekJson {
    pub from: String,
    pub to: String,
}

/// One person's week.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PersonWeekJson {
    pub name: String,
    /// What they finished in the week before.
    pub done: Vec<String>,
    /// What is due in the week ahead, overdue first.
    pub due: Vec<String>,
}

impl From<&Digest> for DigestJson {
    fn from(digest: &Digest) -> DigestJson {
        DigestJson {
            last_week: WeekJson {
                from: digest.last_week.0.to_string(),
                to: digest.last_week.1.to_string(),
            },
            until: digest.until.to_string(),
            people: digest
                .people
                .iter()
                .map(|person| PersonWeekJson {
                    name: person.name.clone(),
                    done: person.done.clone(),
                    due: person.due.clone(),
                })
                .collect(),
            blocked: digest.blocked.clone(),
            waiting: digest.waiting.clone(),
            moved: digest.moved.clone(),
            still: digest.still.clone(),
            figures: digest.figures.clone(),
        }
    }
}
