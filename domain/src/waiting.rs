//! Waiting-for items: things someone else owes you, kept in todo.txt as open tasks
//! with the context `@waiting`, `who:NAME` and an optional `followup:DATE`. "Since"
//! is the task's creation date.
//!
//! An item is **stale** on a day when:
//! - its follow-up date has come (`followup:` on or before today), or
//! - it has no follow-up date and has waited longer than the allowed number of days
//!   since its creation date.
//!
//! A follow-up date in the future is the person's own choice of when to chase, so an
//! old item with one is not stale yet. Stale items come first (longest overdue
//! first), then the others, oldest first; items without a creation date last.

use crate::people::People;
use crate::when::{WhenError, parse_when};
use chrono::NaiveDate;
use myorg_parsers::todo::InvalidEdit;
use myorg_parsers::{Task, TodoFile};
use std::fmt;

/// Why an item needs chasing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// The follow-up date has come; it was this many days ago (0: today).
    FollowUpDue { since_days: i64 },
    /// No follow-up date, and it has waited this many days.
    WaitedTooLong { days: i64 },
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stale::FollowUpDue { since_days: 0 } => f.write_str("follow up today"),
            Stale::FollowUpDue { since_days } => write!(f, "follow-up was {} ago", days(*since_days)),
            Stale::WaitedTooLong { days: waited } => write!(f, "waiting for {}", days(*waited)),
        }
    }
}

fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_string()
    } else {
        format!("{count} days")
    }
}

/// One waiting-for item of a todo.txt.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting<'a> {
    /// The 0-based line index.
    pub index: usize,
    pub task: &'a Task,
    /// Whom it waits on (`who:`), if said.
    pub who: Option<&'a str>,
    /// Since when (the creation date).
    pub since: Option<NaiveDate>,
    /// How many days it has waited, when the creation date is known.
    pub waited_days: Option<i64>,
    pub followup: Option<NaiveDate>,
    pub stale: Option<Stale>,
}

/// What to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaitingFilter {
    /// Only items waiting on this person (`who:`, case-insensitive).
    pub who: Option<String>,
    /// Only stale items.
    pub stale_only: bool,
    /// Items done too (received).
    pub include_done: bool,
}

/// The waiting-for items of `todo` on `today`; an item without a follow-up date is
/// stale after `stale_after_days`.
pub fn waiting<'a>(
    todo: &'a TodoFile,
    filter: &WaitingFilter,
    today: NaiveDate,
    stale_after_days: i64,
) -> Vec<Waiting<'a>> {
    let mut items: Vec<Waiting<'a>> = todo
        .tasks()
        .filter(|(_, task)| task.is_waiting() && (filter.include_done || !task.is_done()))
        .map(|(index, task)| item(index, task, today, stale_after_days))
        .filter(|item| {
            filter
                .who
                .as_deref()
                .is_none_or(|who| item.who.is_some_and(|name| name.eq_ignore_ascii_case(who)))
        })
        .filter(|item| !filter.stale_only || item.stale.is_some())
        .collect();
    // Stale first, longest overdue first; then oldest first; undated last.
    items.sort_by_key(|item| {
        let overdue = match item.stale {
            Some(Stale::FollowUpDue { since_days }) => since_days,
            Some(Stale::WaitedTooLong { days }) => days - stale_after_days,
            None => i64::MIN,
        };
        (
            std::cmp::Reverse(overdue),
            item.since.is_none(),
            item.since,
            item.index,
        )
    });
    items
}

fn item(index: usize, task: &Task, today: NaiveDate, stale_after_days: i64) -> Waiting<'_> {
    let since = task.created();
    let waited_days = since.map(|since| (today - since).num_days());
    let followup = task.followup();
    let stale = if task.is_done() {
        None
    } else {
        match (followup, waited_days) {
            (Some(followup), _) if followup <= today => Some(Stale::FollowUpDue {
                since_days: (today - followup).num_days(),
            }),
            (None, Some(waited)) if waited > stale_after_days => Some(Stale::WaitedTooLong { days: waited }),
            _ => None,
        }
    };
    Waiting {
        index,
        task,
        who: task.waiting_on(),
        since,
        waited_days,
        followup,
        stale,
    }
}

/// Why a waiting-for item cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewWaitingError {
    /// `who` is empty or not one word.
    Who(String),
    /// Nothing is said of what is awaited.
    EmptyText,
    /// The follow-up is not a day.
    FollowUp(WhenError),
}

impl fmt::Display for NewWaitingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewWaitingError::Who(who) => write!(
                f,
                "\"{who}\" cannot be a who: name; use one word without spaces or colons, such as carla or it-desk"
            ),
            NewWaitingError::EmptyText => f.write_str("say what you are waiting for"),
            NewWaitingError::FollowUp(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for NewWaitingError {}

/// A new waiting-for task: `TODAY WHAT @waiting who:WHO [followup:DATE]`. `what` may
/// carry `+project` and other tags of its own.
pub fn new_waiting(
    who: &str,
    what: &str,
    followup: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Task, NewWaitingError> {
    let who = who.trim().trim_start_matches('@');
    let what = what.trim();
    if what.is_empty() {
        return Err(NewWaitingError::EmptyText);
    }
    let mut task = Task::new(what);
    if task.description().trim().is_empty() {
        return Err(NewWaitingError::EmptyText);
    }
    task.set_created(Some(today));
    task.add_context("waiting")
        .map_err(|_| NewWaitingError::EmptyText)?;
    if who.is_empty() || who.contains(':') || task.set_tag("who", who).is_err() {
        return Err(NewWaitingError::Who(who.to_string()));
    }
    if let Some(followup) = followup {
        task.set_tag("followup", &followup.to_string())
            .map_err(|_| NewWaitingError::EmptyText)?;
    }
    Ok(task)
}

/// The waiting-for item a person asks for on `today`: who by name (their handle when
/// they are one of `people`), what, and the follow-up in the date language; with
/// notes for the person (a follow-up date in the past).
pub fn new_item(
    people: &People,
    who: &str,
    what: &str,
    followup: Option<&str>,
    today: NaiveDate,
) -> Result<(Task, Vec<String>), NewWaitingError> {
    let followup = followup
        .map(|words| parse_when(words, today))
        .transpose()
        .map_err(NewWaitingError::FollowUp)?;
    let task = new_waiting(&people.owner_handle(who), what, followup, today)?;
    let notes = if followup.is_some_and(|day| day < today) {
        vec!["the follow-up date is in the past".to_string()]
    } else {
        Vec::new()
    };
    Ok((task, notes))
}

/// The follow-up day `words` name on `today`; `none` is no follow-up date.
pub fn followup_on(words: &str, today: NaiveDate) -> Result<Option<NaiveDate>, WhenError> {
    if words.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    parse_when(words, today).map(Some)
}

/// `task` with its follow-up date set to `day`, or removed.
pub fn with_followup(task: &Task, day: Option<NaiveDate>) -> Result<Task, InvalidEdit> {
    let mut task = task.clone();
    match day {
        Some(day) => task.set_tag("followup", &day.to_string())?,
        None => {
            task.remove_tag("followup");
        }
    }
    Ok(task)
}

/// What is awaited: the description without the waiting-for markers (`@waiting`,
/// `who:`, `followup:`).
pub fn what(task: &Task) -> String {
    task.description()
        .split_whitespace()
        .filter(|word| *word != "@waiting" && !word.starts_with("who:") && !word.starts_with("followup:"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const FILE: &str = "\
2026-11-18 Marketing figures +q4 @waiting who:marta followup:2026-11-24
2026-11-05 Signed offer @waiting who:hr followup:2026-11-19
2026-10-28 Countertop quote +kitchen @waiting who:ruiz
2026-11-20 Keys from Ben @waiting who:ben
Undated thing @waiting who:ben
x 2026-11-21 2026-11-01 Old parcel @waiting who:post
2026-10-01 Old with a later follow-up @waiting who:ana followup:2026-12-01
Not waiting at all who:ben
";

    fn listed(filter: &WaitingFilter, today: &str, stale_after: i64) -> Vec<(String, Option<Stale>)> {
        let todo = TodoFile::parse(FILE);
        waiting(&todo, filter, day(today), stale_after)
            .into_iter()
            .map(|item| (todo.text(item.index).unwrap().to_string(), item.stale))
            .collect()
    }

    #[test]
    fn stale_items_come_first_with_their_reason() {
        let all = listed(&WaitingFilter::default(), "2026-11-23", 7);
        let texts: Vec<&str> = all.iter().map(|(text, _)| text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "2026-10-28 Countertop quote +kitchen @waiting who:ruiz",
                "2026-11-05 Signed offer @waiting who:hr followup:2026-11-19",
                "2026-10-01 Old with a later follow-up @waiting who:ana followup:2026-12-01",
                "2026-11-18 Marketing figures +q4 @waiting who:marta followup:2026-11-24",
                "2026-11-20 Keys from Ben @waiting who:ben",
                "Undated thing @waiting who:ben",
            ]
        );
        assert_eq!(all[0].1, Some(Stale::WaitedTooLong { days: 26 }));
        assert_eq!(all[1].1, Some(Stale::FollowUpDue { since_days: 4 }));
        assert!(all[2..].iter().all(|(_, stale)| stale.is_none()));
        assert_eq!(all[0].1.unwrap().to_string(), "waiting for 26 days");
        assert_eq!(all[1].1.unwrap().to_string(), "follow-up was 4 days ago");
    }

    #[test]
    fn the_threshold_and_the_follow_up_day_decide() {
        // Exactly the allowed number of days is not yet stale; a day more is.
        let at = |today: &str| {
            listed(
                &WaitingFilter {
                    who: Some("BEN".into()),
                    ..WaitingFilter::default()
                },
                today,
                7,
            )[0]
            .1
        };
        assert_eq!(at("2026-11-27"), None);
        assert_eq!(at("2026-11-28"), Some(Stale::WaitedTooLong { days: 8 }));
        let marta = |today: &str| {
            listed(
                &WaitingFilter {
                    who: Some("marta".into()),
                    ..WaitingFilter::default()
                },
                today,
                30,
            )[0]
            .1
        };
        assert_eq!(marta("2026-11-23"), None);
        assert_eq!(marta("2026-11-24"), Some(Stale::FollowUpDue { since_days: 0 }));
        assert_eq!(
            Stale::FollowUpDue { since_days: 0 }.to_string(),
            "follow up today"
        );
    }

    #[test]
    fn filters_for_stale_and_done() {
        let stale = listed(
            &WaitingFilter {
                stale_only: true,
                ..WaitingFilter::default()
            },
            "2026-11-23",
            7,
        );
        assert_eq!(stale.len(), 2);
        let with_done = listed(
            &WaitingFilter {
                include_done: true,
                who: Some("post".into()),
                ..WaitingFilter::default()
            },
            "2026-11-23",
            7,
        );
        assert_eq!(with_done.len(), 1);
        assert_eq!(with_done[0].1, None, "a received item is never stale");
    }

    #[test]
    fn new_items_are_well_formed_or_refused() {
        let today = day("2026-11-23");
        let task = new_waiting("@carla", "Footer review +website", Some(day("2026-11-26")), today).unwrap();
        assert_eq!(
            task.render(),
            "2026-11-23 Footer review +website @waiting who:carla followup:2026-11-26"
        );
        let task = new_waiting("ben", "Keys", None, today).unwrap();
        assert_eq!(task.render(), "2026-11-23 Keys @waiting who:ben");
        assert_eq!(
            new_waiting("ben", "  ", None, today),
            Err(NewWaitingError::EmptyText)
        );
        for who in ["", "two words", "a:b", "//x"] {
            assert!(
                matches!(
                    new_waiting(who, "Keys", None, today),
                    Err(NewWaitingError::Who(_))
                ),
                "{who:?}"
            );
        }
    }

    #[test]
    fn a_new_item_names_its_person_by_handle_and_notes_a_past_followup() {
        let today = day("2026-11-23");
        let people = People::default();
        let (task, notes) = new_item(&people, "Bob", "the spare keys", Some("fri"), today).unwrap();
        assert_eq!(
            task.render(),
            "2026-11-23 the spare keys @waiting who:bob followup:2026-11-27"
        );
        assert!(notes.is_empty());
        let (_, notes) = new_item(&people, "bob", "keys", Some("2026-11-20"), today).unwrap();
        assert_eq!(notes, ["the follow-up date is in the past"]);
        let error = new_item(&people, "bob", "keys", Some("nov 31"), today).unwrap_err();
        assert!(matches!(error, NewWaitingError::FollowUp(_)));
        assert!(error.to_string().contains("November 2026 has no 31st"), "{error}");
        // The follow-up is read first: a bad one is what the person hears of.
        assert!(matches!(
            new_item(&people, "two words", "keys", Some("soon"), today),
            Err(NewWaitingError::FollowUp(_))
        ));
    }

    #[test]
    fn a_followup_is_moved_or_removed() {
        let today = day("2026-11-23");
        let task = Task::parse("2026-11-18 Figures @waiting who:marta followup:2026-11-24");
        assert_eq!(followup_on(" None ", today), Ok(None));
        let friday = followup_on("fri", today).unwrap();
        assert_eq!(friday, Some(day("2026-11-27")));
        assert_eq!(
            with_followup(&task, friday).unwrap().render(),
            "2026-11-18 Figures @waiting who:marta followup:2026-11-27"
        );
        assert_eq!(
            with_followup(&task, None).unwrap().render(),
            "2026-11-18 Figures @waiting who:marta"
        );
        assert!(
            followup_on("someday", today)
                .unwrap_err()
                .to_string()
                .contains("is not a date")
        );
        assert_eq!(what(&task), "Figures");
    }
}
