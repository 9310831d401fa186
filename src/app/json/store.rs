//! The store's state and changes as JSON: the `git_status` and `git_log` tools'
//! structured results. The store's folder on the machine is left out: a client
//! has no use for it.

use crate::app::history::Change;
use crate::app::status::{NotApplied, Status};
use chrono::NaiveDateTime;
use schemars::JsonSchema;
use serde::Serialize;

/// The state of the store.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StatusJson {
    pub branch: String,
    /// The remote's address, without secrets; none for a local store.
    pub remote: Option<String>,
    /// The newest commit's id.
    pub head: Option<String>,
    /// Commits not yet on the remote.
    pub unpushed: usize,
    /// Changes journaled and not yet pushed.
    pub pending: usize,
    /// Files changed by hand and not committed yet.
    pub changed: Vec<String>,
    /// Why the last push failed.
    pub last_error: Option<String>,
    /// When the store last matched the remote, YYYY-MM-DDTHH:MM:SS in the store's
    /// timezone.
    #[schemars(with = "Option<String>")]
    pub last_sync: Option<NaiveDateTime>,
    /// Changes not applied, until acknowledged, oldest first.
    pub not_applied: Vec<NotAppliedJson>,
}

/// A change not applied.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct NotAppliedJson {
    /// When, YYYY-MM-DDTHH:MM:SS in the store's timezone.
    #[schemars(with = "Option<String>")]
    pub at: Option<NaiveDateTime>,
    /// What was asked, or the file a conflict concerned.
    pub summary: String,
    /// Why it was not applied, or where the other version was saved.
    pub why: String,
    /// Who asked; none for edits made by hand.
    pub asked_by: Option<String>,
}

/// One change: a commit of the store.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ChangeJson {
    /// The commit's id.
    pub id: String,
    /// When, YYYY-MM-DDTHH:MM:SS in the store's timezone.
    #[schemars(with = "Option<String>")]
    pub at: Option<NaiveDateTime>,
    pub author: String,
    pub subject: String,
}

impl From<&Status> for StatusJson {
    fn from(status: &Status) -> StatusJson {
        StatusJson {
            branch: status.branch.clone(),
            remote: status.remote.clone(),
            head: status.head.clone(),
            unpushed: status.unpushed,
            pending: status.pending,
            changed: status.changed.clone(),
            last_error: status.last_error.clone(),
            last_sync: status.last_sync,
            not_applied: status.unapplied.iter().map(NotAppliedJson::from).collect(),
        }
    }
}

impl From<&NotApplied> for NotAppliedJson {
    fn from(item: &NotApplied) -> NotAppliedJson {
        NotAppliedJson {
            at: item.at,
            summary: item.change.summary.clone(),
            why: item.change.why.clone(),
            asked_by: item.change.requested_by.as_ref().map(|actor| actor.name.clone()),
        }
    }
}

impl From<&Change> for ChangeJson {
    fn from(change: &Change) -> ChangeJson {
        ChangeJson {
            id: change.id.clone(),
            at: change.at,
            author: change.author.clone(),
            subject: change.subject.clone(),
        }
    }
}
