//! A quarter plan as JSON: the `get_quarter_plan` tool's structured result, its
//! initiatives in the order its text lists them.

use super::{LogEntryJson, ProgressJson};
use crate::app::plan::{Initiative, Plan, PullRequest};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

/// A quarter's initiatives.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlanJson {
    /// Like 2026Q4.
    pub quarter: String,
    /// Its first day, YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub first_day: Option<NaiveDate>,
    /// Its last day, YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub last_day: Option<NaiveDate>,
    /// Goals first, then projects, in file order.
    pub initiatives: Vec<InitiativeJson>,
}

/// One initiative: a goal of the quarter or a project due in it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct InitiativeJson {
    /// project or goal.
    pub kind: String,
    /// Its slug, without +.
    pub slug: String,
    pub title: String,
    /// planning, in-progress, blocked or completed.
    pub status: String,
    /// A person's handle.
    pub owner: Option<String>,
    /// Its target date, YYYY-MM-DD.
    #[schemars(with = "Option<String>")]
    pub due: Option<NaiveDate>,
    /// For a project: the slug of its goal.
    pub goal: Option<String>,
    pub progress: ProgressJson,
    /// Its newest entry in log.txt.
    pub last_update: Option<LogEntryJson>,
    pub pull_requests: Vec<PullRequestJson>,
}

/// A pull request linked to an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PullRequestJson {
    pub url: String,
    /// open, draft, merged or closed, when its newest mention says.
    pub state: Option<String>,
    /// When it was last mentioned, YYYY-MM-DD.
    #[schemars(with = "String")]
    pub date: NaiveDate,
}

impl From<&Plan> for PlanJson {
    fn from(plan: &Plan) -> PlanJson {
        PlanJson {
            quarter: plan.quarter.to_string(),
            first_day: plan.days.map(|(first, _)| first),
            last_day: plan.days.map(|(_, last)| last),
            initiatives: plan.initiatives.iter().map(InitiativeJson::from).collect(),
        }
    }
}

impl From<&Initiative> for InitiativeJson {
    fn from(initiative: &Initiative) -> InitiativeJson {
        InitiativeJson {
            kind: initiative.kind.noun().to_string(),
            slug: initiative.slug.clone(),
            title: initiative.title.clone(),
            status: initiative.status.to_string(),
            owner: initiative.owner.clone(),
            due: initiative.due,
            goal: initiative.goal.clone(),
            progress: ProgressJson::from(initiative.progress),
            last_update: initiative.last_update.as_ref().map(LogEntryJson::from),
            pull_requests: initiative
                .pull_requests
                .iter()
                .map(PullRequestJson::from)
                .collect(),
        }
    }
}

impl From<&PullRequest> for PullRequestJson {
    fn from(pr: &PullRequest) -> PullRequestJson {
        PullRequestJson {
            url: pr.url.clone(),
            state: pr.state.map(str::to_string),
            date: pr.date,
        }
    }
}
