//! Typed accessors for the todo.txt extensions the assistant understands, and the
//! diagnostics for suspicious values.
//!
//! `due:DATE`, `t:DATE` (threshold), `rec:` ([`Recurrence`]), `pri:X` (priority kept on
//! completion), `h:1` (hidden), `id:`/`p:` (dependencies), `owner:NAME`, and
//! waiting-for items: `@waiting` with `who:NAME` and `followup:DATE`.

use super::{Priority, Recurrence, Task};
use crate::date::parse_date;
use chrono::NaiveDate;

/// Tags that hold a date.
const DATE_KEYS: [&str; 3] = ["due", "t", "followup"];

/// Tags that make sense once per task; the first one counts.
const SINGLE_KEYS: [&str; 9] = ["due", "t", "rec", "pri", "h", "id", "owner", "who", "followup"];

impl Task {
    /// `due:` — when the task is due. `None` when absent or not a valid date.
    pub fn due(&self) -> Option<NaiveDate> {
        self.tag("due").and_then(parse_date)
    }

    /// `t:` — the threshold date: the task is hidden until then.
    pub fn threshold(&self) -> Option<NaiveDate> {
        self.tag("t").and_then(parse_date)
    }

    /// `rec:` — how the task recurs when completed.
    pub fn recurrence(&self) -> Option<Recurrence> {
        self.tag("rec").and_then(Recurrence::parse)
    }

    /// `pri:X` — the priority a done task had.
    pub fn kept_priority(&self) -> Option<Priority> {
        self.tag("pri").and_then(Priority::from_text)
    }

    /// `h:1` — hidden from lists.
    pub fn is_hidden(&self) -> bool {
        self.tag("h") == Some("1")
    }

    /// `id:` — this task's id for dependencies.
    pub fn id(&self) -> Option<&str> {
        self.tag("id")
    }

    /// `p:` — ids of the tasks this one depends on.
    pub fn parents(&self) -> impl Iterator<Item = &str> + '_ {
        self.tag_values("p")
    }

    /// `owner:` — who on the team the task is assigned to.
    pub fn owner(&self) -> Option<&str> {
        self.tag("owner")
    }

    /// Whether this is a waiting-for item (`@waiting`).
    pub fn is_waiting(&self) -> bool {
        self.has_context("waiting")
    }

    /// `who:` — whom a waiting-for item waits on.
    pub fn waiting_on(&self) -> Option<&str> {
        self.tag("who")
    }

    /// `followup:` — when to chase a waiting-for item.
    pub fn followup(&self) -> Option<NaiveDate> {
        self.tag("followup").and_then(parse_date)
    }

    /// Suspicious values on this task, in words.
    pub(crate) fn problems(&self, out: &mut Vec<String>) {
        let mut counts = [0usize; SINGLE_KEYS.len()];
        for (key, value) in self.tags() {
            if let Some(slot) = SINGLE_KEYS.iter().position(|single| *single == key) {
                counts[slot] += 1;
            }
            if DATE_KEYS.contains(&key) && parse_date(value).is_none() {
                out.push(format!("{key}:{value} is not a valid date (expected YYYY-MM-DD)"));
            }
            match key {
                "rec" if Recurrence::parse(value).is_none() => out.push(format!(
                    "rec:{value} is not a recurrence (expected a number, optionally after +, then d, w, m, y or b)"
                )),
                "pri" if Priority::from_text(value).is_none() => {
                    out.push(format!("pri:{value} is not a priority (expected one letter A-Z)"))
                }
                "h" if value != "0" && value != "1" => {
                    out.push(format!("h:{value} is not a hidden flag (expected h:1 or h:0)"))
                }
                _ => {}
            }
        }
        for (key, count) in SINGLE_KEYS.iter().zip(counts) {
            if count > 1 {
                out.push(format!("{key}: appears {count} times; the first one counts"));
            }
        }
        if let (Some(threshold), Some(due)) = (self.threshold(), self.due())
            && threshold > due
        {
            out.push(format!(
                "t:{threshold} is after due:{due}: the task stays hidden past its due date"
            ));
        }
        if let (Some(completed), Some(created)) = (self.completed(), self.created())
            && completed < created
        {
            out.push(format!(
                "completed on {completed}, before it was created on {created}"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::todo::RecurrenceUnit;

    fn problems(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        Task::parse(line).problems(&mut out);
        out
    }

    #[test]
    fn typed_accessors_read_the_extensions() {
        let task = Task::parse(
            "(A) 2026-11-01 chase invoice @waiting who:ben followup:2026-11-25 due:2026-11-30 t:2026-11-20 rec:+1m owner:ana id:7 p:3 p:4 h:1",
        );
        assert_eq!(task.due(), parse_date("2026-11-30"));
        assert_eq!(task.threshold(), parse_date("2026-11-20"));
        assert_eq!(task.followup(), parse_date("2026-11-25"));
        let rec = task.recurrence().unwrap();
        assert!(rec.strict);
        assert_eq!((rec.count, rec.unit), (1, RecurrenceUnit::Month));
        assert!(task.is_waiting());
        assert_eq!(task.waiting_on(), Some("ben"));
        assert_eq!(task.owner(), Some("ana"));
        assert_eq!(task.id(), Some("7"));
        assert_eq!(task.parents().collect::<Vec<_>>(), ["3", "4"]);
        assert!(task.is_hidden());
        assert!(problems(&task.render()).is_empty());
    }

    #[test]
    fn suspicious_values_are_reported() {
        assert_eq!(
            problems("a due:2026-02-30"),
            ["due:2026-02-30 is not a valid date (expected YYYY-MM-DD)"]
        );
        assert_eq!(problems("a rec:1q").len(), 1);
        assert_eq!(problems("a pri:AB").len(), 1);
        assert_eq!(problems("a h:yes").len(), 1);
        assert_eq!(
            problems("a due:2026-01-01 due:2026-01-02"),
            ["due: appears 2 times; the first one counts"]
        );
        assert_eq!(problems("a t:2026-02-01 due:2026-01-01").len(), 1);
        assert_eq!(problems("x 2026-01-01 2026-02-01 a").len(), 1);
        assert!(problems("plain task +p @c key:value").is_empty());
    }

    #[test]
    fn an_invalid_due_date_reads_as_no_due_date() {
        let task = Task::parse("a due:tomorrow");
        assert_eq!(task.due(), None);
        assert_eq!(task.tag("due"), Some("tomorrow"));
    }
}
