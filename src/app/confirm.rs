//! Confirmations: a destructive change (asked for by a slash command, or by the
//! model) waits here until the person who asked confirms it (a button in Discord, a
//! prompt in the terminal). Each is bound to that person and to that exact change,
//! and expires after a few minutes; taking one removes it, so it applies at most once.
//! [`Pending`] is such a change; [`apply`] makes it, checking it again.

use super::{Ctx, Error, Result};
use crate::store::Operation;
use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a confirmation request stays valid.
pub const VALID_FOR: Duration = Duration::from_secs(5 * 60);

/// Why a confirmation is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// No such request (never made, already used, or cancelled).
    Unknown,
    /// Someone else asked for this change.
    NotYours,
    /// Too old; ask again.
    Expired,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refused::Unknown => {
                "there is no such change waiting for confirmation (it was already confirmed or cancelled)"
            }
            Refused::NotYours => "only the person who asked for this change can confirm it",
            Refused::Expired => "this confirmation has expired; ask again",
        })
    }
}

impl std::error::Error for Refused {}

struct Waiting<T> {
    person: String,
    made: Instant,
    change: T,
}

/// The changes waiting for confirmation, by id.
pub struct Confirmations<T> {
    waiting: Mutex<HashMap<String, Waiting<T>>>,
    valid_for: Duration,
}

impl<T> Default for Confirmations<T> {
    fn default() -> Self {
        Confirmations::new(VALID_FOR)
    }
}

impl<T> Confirmations<T> {
    pub fn new(valid_for: Duration) -> Confirmations<T> {
        Confirmations {
            waiting: Mutex::new(HashMap::new()),
            valid_for,
        }
    }

    /// Files `change`, asked by `person` at `now`; returns its id.
    pub fn request(&self, person: &str, change: T, now: Instant) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let mut waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Expired ones are of no use to anyone.
        waiting.retain(|_, w| now.saturating_duration_since(w.made) < self.valid_for);
        waiting.insert(
            id.clone(),
            Waiting {
                person: person.to_string(),
                made: now,
                change,
            },
        );
        id
    }

    /// The change `id` when `person` may confirm it at `now`; it is removed, so it is
    /// confirmed once. Someone else's attempt leaves it waiting.
    pub fn take(&self, id: &str, person: &str, now: Instant) -> Result<T, Refused> {
        let mut waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = waiting.get(id).ok_or(Refused::Unknown)?;
        if entry.person != person {
            return Err(Refused::NotYours);
        }
        let expired = now.saturating_duration_since(entry.made) >= self.valid_for;
        let entry = waiting.remove(id).ok_or(Refused::Unknown)?;
        if expired {
            return Err(Refused::Expired);
        }
        Ok(entry.change)
    }

    /// Drops the change `id` (the person said no).
    pub fn cancel(&self, id: &str, person: &str) -> Result<(), Refused> {
        let mut waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match waiting.get(id) {
            None => Err(Refused::Unknown),
            Some(entry) if entry.person != person => Err(Refused::NotYours),
            Some(_) => {
                waiting.remove(id);
                Ok(())
            }
        }
    }
}

/// How long a person has to confirm a destructive change.
pub const CONFIRM_MINUTES: i64 = 5;

/// The `tool` of a [`Pending`] holding the changes held back from one request.
pub const HELD_CHANGES: &str = "held_changes";

/// A change waiting for the person who asked for it: a destructive one, or the changes
/// held back from one request.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Pending {
    /// Names this confirmation (a button's id, say).
    pub id: String,
    /// What asked for it: the tool of the same purpose (`delete_task`, `write_file`,
    /// `undo_change`), or [`HELD_CHANGES`].
    pub tool: String,
    /// The exact change, for the person to read.
    pub preview: String,
    /// Exactly what confirming does.
    pub action: PendingAction,
    /// The handle of the only person who may confirm it.
    pub handle: String,
    /// After this (store-local) time it can no longer be confirmed.
    pub expires: NaiveDateTime,
}

/// What a confirmation applies.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PendingAction {
    /// One store operation, checked again when applied.
    Apply { operation: Operation },
    /// Calls of tools that change the store, held back from one request that asked
    /// for more changes than the model may make on its own word; each runs then, in
    /// order, as it was asked.
    Calls { calls: Vec<HeldCall> },
}

/// A tool call held back: its tool and its arguments, as the model gave them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct HeldCall {
    pub tool: String,
    pub arguments: Value,
}

impl Pending {
    /// `operation`, asked for by `tool` as `ctx`'s person, previewed as `preview`.
    pub fn new(ctx: &Ctx, tool: &str, preview: String, operation: Operation) -> Pending {
        Pending {
            id: uuid::Uuid::new_v4().to_string(),
            tool: tool.to_string(),
            preview,
            action: PendingAction::Apply { operation },
            handle: ctx.handle.clone(),
            expires: ctx.now + TimeDelta::minutes(CONFIRM_MINUTES),
        }
    }

    /// Whether `ctx`'s person may confirm it now: theirs, and not expired (a
    /// confirmation lives a few minutes from when it was made, never longer).
    pub fn check(&self, ctx: &Ctx) -> Result<()> {
        if self.handle != ctx.handle {
            return Err(Error::Refused(format!(
                "only {} can confirm this change, since they asked for it",
                self.handle
            )));
        }
        if ctx.now > self.expires || self.expires - ctx.now > TimeDelta::minutes(CONFIRM_MINUTES) {
            return Err(Error::Refused(format!(
                "this confirmation expired at {}; nothing was changed (ask again)",
                self.expires.format("%Y-%m-%d %H:%M")
            )));
        }
        Ok(())
    }
}

/// The tool name a bulk change's [`Pending`] carries (several tasks in one commit),
/// and the directive's action.
pub const BULK: &str = "bulk";

/// Applies exactly the operation of `pending`, if `ctx`'s person may confirm it now
/// and it is the change its tool previews; the operation checks its target again,
/// so a change made meanwhile makes it no longer apply and nothing changes. The
/// commit's subject.
pub fn apply(ctx: &Ctx, pending: &Pending) -> Result<String> {
    pending.check(ctx)?;
    let not_its_own = || {
        Error::Refused(format!(
            "this confirmation does not hold a change {} makes; nothing was changed",
            pending.tool
        ))
    };
    let PendingAction::Apply { operation } = &pending.action else {
        return Err(not_its_own());
    };
    let fits = matches!(
        (pending.tool.as_str(), operation),
        ("delete_task", Operation::DeleteTask { .. })
            | ("write_file", Operation::WriteFile { .. })
            | ("undo_change", Operation::Undo { .. })
            | (BULK, Operation::Bulk { .. })
    );
    if !fits {
        return Err(not_its_own());
    }
    match ctx.store.apply(operation.clone(), &ctx.actor) {
        Ok(applied) => Ok(applied.summary),
        Err(error) => Err(match Error::from(error) {
            Error::NoLongerApplies(why) => Error::NoLongerApplies(format!(
                "this change no longer applies: {why}; nothing was changed"
            )),
            other => other,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_asker_confirms_once_before_it_expires() {
        let confirmations = Confirmations::new(Duration::from_secs(300));
        let start = Instant::now();
        let id = confirmations.request("ana", "delete line 3", start);
        assert_eq!(confirmations.take(&id, "ben", start), Err(Refused::NotYours));
        assert_eq!(
            confirmations.take(&id, "ana", start + Duration::from_secs(10)),
            Ok("delete line 3")
        );
        assert_eq!(
            confirmations.take(&id, "ana", start),
            Err(Refused::Unknown),
            "once"
        );

        let old = confirmations.request("ana", "undo", start);
        assert_eq!(
            confirmations.take(&old, "ana", start + Duration::from_secs(300)),
            Err(Refused::Expired)
        );
        let cancelled = confirmations.request("ana", "write file", start);
        assert_eq!(confirmations.cancel(&cancelled, "ben"), Err(Refused::NotYours));
        confirmations.cancel(&cancelled, "ana").unwrap();
        assert_eq!(
            confirmations.take(&cancelled, "ana", start),
            Err(Refused::Unknown)
        );
        assert!(
            Refused::NotYours
                .to_string()
                .contains("only the person who asked")
        );
    }
}
