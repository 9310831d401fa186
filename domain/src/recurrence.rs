//! The next occurrence of a recurring task (`rec:`), made when it is completed.
//!
//! - `rec:Nd|w|m|y|b` counts from the completion day; `rec:+N…` (strict) counts from
//!   the old due date (or, with no `due:`, the old threshold `t:`).
//! - With a `due:`, the new `due:` is the old one moved, and a `t:` keeps its distance
//!   before it (the `t:`→`due:` gap).
//! - With only a `t:`, the `t:` moves: a task that is only hidden until a day recurs
//!   too.
//! - With neither, the new task gets a `due:` one interval after completion.
//! - Months and years are calendar arithmetic; a day the target month lacks is its
//!   last day (31 January + 1 month = 28 or 29 February). `b` counts Monday to Friday.
//! - The new task keeps the text, priority and tags; its creation date (if it had one)
//!   is the completion day.

use crate::when::{add_business_days, writable};
use chrono::{Days, Months, NaiveDate};
use myorg_parsers::Task;
use myorg_parsers::todo::{Recurrence, RecurrenceUnit};

/// The task that comes back when `task` (open, with `rec:`) is completed on
/// `completed_on`; `None` when it does not recur (or its dates would leave the
/// calendar).
pub fn next_occurrence(task: &Task, completed_on: NaiveDate) -> Option<Task> {
    let rule = task.recurrence()?;
    let due = task.due();
    let threshold = task.threshold();
    let mut next = task.clone();
    next.reopen();
    if next.created().is_some() {
        next.set_created(Some(completed_on));
    }
    let from = |old: Option<NaiveDate>| {
        if rule.strict {
            old.unwrap_or(completed_on)
        } else {
            completed_on
        }
    };
    match (due, threshold) {
        (Some(due), threshold) => {
            let new_due = advance(from(Some(due)), rule)?;
            next.set_tag("due", &new_due.to_string()).ok()?;
            if let Some(threshold) = threshold {
                let new_threshold = new_due.checked_sub_signed(due - threshold).and_then(writable)?;
                next.set_tag("t", &new_threshold.to_string()).ok()?;
            }
        }
        (None, Some(threshold)) => {
            let new_threshold = advance(from(Some(threshold)), rule)?;
            next.set_tag("t", &new_threshold.to_string()).ok()?;
        }
        (None, None) => {
            let new_due = advance(completed_on, rule)?;
            next.set_tag("due", &new_due.to_string()).ok()?;
        }
    }
    Some(next)
}

/// `day` moved by one interval of `rule`.
pub fn advance(day: NaiveDate, rule: Recurrence) -> Option<NaiveDate> {
    let next = match rule.unit {
        RecurrenceUnit::Day => day.checked_add_days(Days::new(rule.count.into())),
        RecurrenceUnit::Week => day.checked_add_days(Days::new(u64::from(rule.count) * 7)),
        RecurrenceUnit::Month => day.checked_add_months(Months::new(rule.count)),
        RecurrenceUnit::Year => day.checked_add_months(Months::new(rule.count.checked_mul(12)?)),
        RecurrenceUnit::BusinessDay => add_business_days(day, rule.count),
    };
    next.and_then(writable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// (the task, completed on, the next task's line or "" for none).
    fn check(cases: &[(&str, &str, &str)]) {
        for &(line, on, expected) in cases {
            let next = next_occurrence(&Task::parse(line), day(on)).map(|task| task.render());
            assert_eq!(
                next.as_deref().unwrap_or(""),
                expected,
                "{line} completed on {on}"
            );
        }
    }

    #[test]
    fn from_completion_and_strict() {
        check(&[
            // From completion: late or early, the next one counts from the day done.
            (
                "Water plants due:2026-11-20 rec:1w",
                "2026-11-23",
                "Water plants due:2026-11-30 rec:1w",
            ),
            (
                "Water plants due:2026-11-20 rec:+1w",
                "2026-11-23",
                "Water plants due:2026-11-27 rec:+1w",
            ),
            ("Stretch rec:1d", "2026-11-23", "Stretch rec:1d due:2026-11-24"),
            ("Stretch rec:+1d", "2026-11-23", "Stretch rec:+1d due:2026-11-24"),
            (
                "Backup due:2026-11-23 rec:3d",
                "2026-11-23",
                "Backup due:2026-11-26 rec:3d",
            ),
            (
                "Invoice due:2026-11-30 rec:+1y",
                "2026-12-02",
                "Invoice due:2027-11-30 rec:+1y",
            ),
            ("Not recurring due:2026-11-30", "2026-11-23", ""),
            ("Bad rule rec:0d due:2026-11-30", "2026-11-23", ""),
        ]);
    }

    #[test]
    fn the_threshold_gap_is_kept_and_threshold_only_tasks_recur() {
        check(&[
            (
                "Report due:2026-11-30 t:2026-11-25 rec:+1m",
                "2026-11-28",
                "Report due:2026-12-30 t:2026-12-25 rec:+1m",
            ),
            (
                "Report due:2026-11-30 t:2026-11-25 rec:1m",
                "2026-12-03",
                "Report due:2027-01-03 t:2026-12-29 rec:1m",
            ),
            (
                "Review t:2026-11-23 rec:+1w",
                "2026-11-25",
                "Review t:2026-11-30 rec:+1w",
            ),
            (
                "Review t:2026-11-23 rec:1w",
                "2026-11-25",
                "Review t:2026-12-02 rec:1w",
            ),
        ]);
    }

    #[test]
    fn month_ends_clamp_and_leap_days() {
        check(&[
            (
                "Rent due:2026-01-31 rec:+1m",
                "2026-01-31",
                "Rent due:2026-02-28 rec:+1m",
            ),
            (
                "Rent due:2028-01-31 rec:+1m",
                "2028-01-31",
                "Rent due:2028-02-29 rec:+1m",
            ),
            (
                "Rent due:2026-03-31 rec:+1m",
                "2026-03-30",
                "Rent due:2026-04-30 rec:+1m",
            ),
            (
                "Birthday due:2028-02-29 rec:+1y",
                "2028-02-29",
                "Birthday due:2029-02-28 rec:+1y",
            ),
            (
                "Quarterly due:2026-11-30 rec:+3m",
                "2026-11-30",
                "Quarterly due:2027-02-28 rec:+3m",
            ),
        ]);
    }

    #[test]
    fn business_days_skip_weekends() {
        // 2026-11-27 is a Friday.
        check(&[
            (
                "Standup due:2026-11-27 rec:+1b",
                "2026-11-27",
                "Standup due:2026-11-30 rec:+1b",
            ),
            (
                "Standup due:2026-11-27 rec:1b",
                "2026-11-28",
                "Standup due:2026-11-30 rec:1b",
            ),
            (
                "Weekly due:2026-11-23 rec:+5b",
                "2026-11-23",
                "Weekly due:2026-11-30 rec:+5b",
            ),
            (
                "Fortnight due:2026-11-23 rec:+10b t:2026-11-20",
                "2026-11-23",
                "Fortnight due:2026-12-07 rec:+10b t:2026-12-04",
            ),
        ]);
    }

    #[test]
    fn the_new_task_is_open_created_on_completion_with_its_priority() {
        check(&[
            (
                "(A) 2026-11-01 Pay rent +home due:2026-11-22 rec:+1m",
                "2026-11-23",
                "(A) 2026-11-23 Pay rent +home due:2026-12-22 rec:+1m",
            ),
            (
                "x 2026-11-23 2026-11-01 Pay rent due:2026-11-22 rec:+1m pri:B",
                "2026-11-23",
                "(B) 2026-11-23 Pay rent due:2026-12-22 rec:+1m",
            ),
        ]);
    }

    #[test]
    fn dates_past_the_calendar_are_no_occurrence_not_a_panic() {
        check(&[
            (
                "Far due:+262142-12-31 rec:1y",
                "2026-11-23",
                "Far due:2027-11-23 rec:1y",
            ),
            ("Far due:2026-11-23 rec:+99999y", "2026-11-23", ""),
            ("Far due:2026-11-23 rec:+4294967295m", "2026-11-23", ""),
        ]);
    }
}
