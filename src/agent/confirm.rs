//! Confirmations: a destructive change the model asked for waits here until the person
//! who asked confirms it (a button in Discord, a prompt in the terminal). Each is
//! bound to that person and to that exact change, and expires after a few minutes;
//! taking one removes it, so it applies at most once.

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
