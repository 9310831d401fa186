//! Waiting-for items, what others owe the person (`@waiting who:NAME` tasks in
//! todo.txt): listed with the ones to chase first, added, their follow-up moved, marked
//! received. When one is stale, the order to chase them and how a new one reads are
//! decided in the domain crate ([`myorg_domain::waiting`]); every change is one store
//! operation, authored by the person asking.

use super::tasks::{self, Written};
use super::{Ctx, Error, Look, Result};
use crate::store::operation::TODO;
use crate::store::{Operation, PushReport};
use chrono::NaiveDate;
use myorg_domain::reference::{References, Scope};
use myorg_domain::waiting::{self, NewWaitingError, Stale, WaitingFilter};
use myorg_parsers::{Task, TodoFile};

impl From<NewWaitingError> for Error {
    fn from(error: NewWaitingError) -> Error {
        Error::Invalid(error.to_string())
    }
}

/// Which items to list.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Only what this person owes (a name or a handle).
    pub who: Option<String>,
    /// Only the ones to chase.
    pub stale: bool,
    /// Received ones too.
    pub done: bool,
}

/// One waiting-for item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its reference at its shortest unique length.
    pub reference: String,
    /// The 0-based line index.
    pub index: usize,
    /// The line as written.
    pub line: String,
    pub task: Task,
    /// Who owes it (`who:`).
    pub who: Option<String>,
    /// What is owed: the text without the waiting-for markers.
    pub what: String,
    /// The day it was asked for (the task's creation date).
    pub since: Option<NaiveDate>,
    pub waited_days: Option<i64>,
    pub followup: Option<NaiveDate>,
    /// Why it needs chasing, when it does.
    pub stale: Option<Stale>,
}

impl Item {
    /// Received (done).
    pub fn is_done(&self) -> bool {
        self.task.is_done()
    }

    /// One line, read on `today`: reference, who, what, and when
    /// (`abcd  ruiz: Countertop quote — waiting for 26 days; since 2026-10-28`).
    pub fn said(&self, today: NaiveDate) -> String {
        let mut line = format!(
            "{}  {}: {}",
            self.reference,
            self.who.as_deref().unwrap_or("someone"),
            self.what
        );
        let mut notes = Vec::new();
        if let Some(stale) = self.stale {
            notes.push(stale.to_string());
        } else if let Some(followup) = self.followup {
            notes.push(format!("follow up {followup}"));
        }
        match (self.since, self.stale) {
            (Some(since), _) if since == today => notes.push("since today".to_string()),
            (Some(since), Some(Stale::WaitedTooLong { .. })) => notes.push(format!("since {since}")),
            (Some(since), _) => {
                let days = (today - since).num_days();
                notes.push(format!(
                    "since {since}, {days} day{}",
                    if days == 1 { "" } else { "s" }
                ));
            }
            (None, _) => {}
        }
        if self.is_done() {
            notes.push(format!(
                "received {}",
                self.task.completed().map_or_else(String::new, |d| d.to_string())
            ));
        }
        if !notes.is_empty() {
            line.push_str(" — ");
            line.push_str(&notes.join("; "));
        }
        line
    }
}

/// The items a query keeps, the ones to chase first, as of `today`.
#[derive(Debug, Clone)]
pub struct Listing {
    pub today: NaiveDate,
    pub items: Vec<Item>,
}

/// What is said when nothing is awaited.
pub const NOTHING: &str = "Nothing to wait for.";

impl Listing {
    /// One line an item, the ones to chase first.
    pub fn lines(&self) -> Vec<String> {
        self.items.iter().map(|item| item.said(self.today)).collect()
    }

    /// The items under `To chase:` and `Waiting:`, one indented line each (or
    /// [`NOTHING`]), as a terminal shows them.
    pub fn said(&self) -> String {
        if self.items.is_empty() {
            return format!("{NOTHING}\n");
        }
        let (stale, rest): (Vec<&Item>, Vec<&Item>) =
            self.items.iter().partition(|item| item.stale.is_some());
        let mut text = String::new();
        for (title, group) in [("To chase", stale), ("Waiting", rest)] {
            if group.is_empty() {
                continue;
            }
            text.push_str(&format!("{title}:\n"));
            for item in group {
                text.push_str(&format!("  {}\n", item.said(self.today)));
            }
        }
        text
    }
}

/// The waiting-for items `query` keeps, the ones to chase first.
pub fn list(look: &Look, query: &Query) -> Result<Listing> {
    let today = look.now.date();
    let filter = WaitingFilter {
        who: match &query.who {
            Some(who) => Some(look.people()?.owner_handle(who)),
            None => None,
        },
        stale_only: query.stale,
        include_done: query.done,
    };
    let todo = TodoFile::parse(look.files.read(TODO)?);
    let stale_after = look.config.waiting.stale_after_days.into();
    let references = References::of(&todo);
    let items = waiting::waiting(&todo, &filter, today, stale_after)
        .into_iter()
        .map(|item| Item {
            reference: references.shown(item.task),
            index: item.index,
            line: todo.text(item.index).unwrap_or_default().to_string(),
            task: item.task.clone(),
            who: item.who.map(str::to_string),
            what: waiting::what(item.task),
            since: item.since,
            waited_days: item.waited_days,
            followup: item.followup,
            stale: item.stale,
        })
        .collect();
    Ok(Listing { today, items })
}

/// A waiting-for item to add.
#[derive(Debug, Clone, Default)]
pub struct NewItem {
    /// Who owes it: a name or a handle.
    pub who: String,
    /// What they owe (`+project` and tags allowed).
    pub what: String,
    /// When to chase it, in words.
    pub followup: Option<String>,
}

/// Adds a waiting-for item, created today; `said("Waiting")` says so.
pub fn add(ctx: &Ctx, new: &NewItem) -> Result<Written> {
    let (task, notes) = waiting::new_item(
        &ctx.people()?,
        &new.who,
        &new.what,
        new.followup.as_deref(),
        ctx.now.date(),
    )?;
    tasks::write_new(ctx, task, notes)
}

/// An item received: the commit's subject.
#[derive(Debug, Clone)]
pub struct Received {
    pub summary: String,
    pub push: PushReport,
}

/// The open item `given` names arrived: it is done.
pub fn received(ctx: &Ctx, given: &str) -> Result<Received> {
    let (line, _) = open_item(&tasks::todo(ctx.store)?, given)?;
    let applied = ctx.store.apply(
        Operation::CompleteTask {
            line,
            on: ctx.now.date(),
        },
        &ctx.actor,
    )?;
    Ok(Received {
        summary: applied.summary,
        push: applied.push,
    })
}

/// Moves the follow-up of the open item `given` names to the day `when` names
/// (`none` removes it); a change that changes nothing is refused.
pub fn reschedule(ctx: &Ctx, given: &str, when: &str) -> Result<Written> {
    let (line, task) = open_item(&tasks::todo(ctx.store)?, given)?;
    let day =
        waiting::followup_on(when, ctx.now.date()).map_err(|error| Error::Invalid(error.to_string()))?;
    let task = waiting::with_followup(&task, day).map_err(|error| Error::Invalid(error.to_string()))?;
    let new_line = task.render();
    if new_line == line {
        return Err(Error::Invalid(format!(
            "nothing to change: the item already reads {line:?}"
        )));
    }
    tasks::rewrite(ctx, line, task, Vec::new())
}

/// The open waiting-for item `given` names: its line as written, and the task.
fn open_item(todo: &TodoFile, given: &str) -> Result<(String, Task)> {
    let (index, line) = tasks::named(todo, given, Scope::Open)?;
    match todo.get(index).and_then(|item| item.task()) {
        Some(task) if task.is_waiting() => Ok((line, task.clone())),
        _ => Err(Error::Invalid(format!(
            "line {} is not a waiting-for item (it has no @waiting): {line}",
            index + 1
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(line: &str, today: NaiveDate, stale: Option<Stale>) -> Item {
        let task = Task::parse(line);
        Item {
            reference: "abcd".to_string(),
            index: 0,
            line: line.to_string(),
            who: task.waiting_on().map(str::to_string),
            what: waiting::what(&task),
            since: task.created(),
            waited_days: task.created().map(|since| (today - since).num_days()),
            followup: task.followup(),
            stale,
            task,
        }
    }

    #[test]
    fn an_item_says_who_what_and_when() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let said = |line: &str, stale| item(line, today, stale).said(today);
        assert_eq!(
            said("2026-11-22 Keys @waiting who:ben followup:2026-11-27", None),
            "abcd  ben: Keys — follow up 2026-11-27; since 2026-11-22, 1 day"
        );
        assert_eq!(
            said(
                "2026-10-28 Quote +kitchen @waiting who:ruiz",
                Some(Stale::WaitedTooLong { days: 26 })
            ),
            "abcd  ruiz: Quote +kitchen — waiting for 26 days; since 2026-10-28"
        );
        assert_eq!(said("Figures @waiting", None), "abcd  someone: Figures");
        assert_eq!(
            said("x 2026-11-21 2026-11-23 Parcel @waiting who:post", None),
            "abcd  post: Parcel — since today; received 2026-11-21"
        );
    }

    #[test]
    fn a_listing_puts_the_ones_to_chase_under_their_own_title() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let listing = Listing {
            today,
            items: vec![
                item(
                    "2026-11-05 Offer @waiting who:hr followup:2026-11-19",
                    today,
                    Some(Stale::FollowUpDue { since_days: 4 }),
                ),
                item("2026-11-23 Slides @waiting who:carla", today, None),
            ],
        };
        assert_eq!(
            listing.said(),
            "To chase:\n  abcd  hr: Offer — follow-up was 4 days ago; since 2026-11-05, 18 days\n\
             Waiting:\n  abcd  carla: Slides — since today\n"
        );
        assert_eq!(listing.lines().len(), 2);
        let nothing = Listing {
            today,
            items: Vec::new(),
        };
        assert_eq!(nothing.said(), "Nothing to wait for.\n");
        assert!(nothing.lines().is_empty());
    }
}
