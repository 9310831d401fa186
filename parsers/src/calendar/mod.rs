//! calendar.txt (terokarvinen.com/2021/calendar-txt): one line per day, week goal,
//! month or year, kept sorted.
//!
//! - [`header`]: day headers for any date (ISO week, English weekday).
//! - `line`: the line shapes, their validation and canonical form.
//! - [`events`]: splitting a day's content into timed and untimed events.

pub mod events;
pub mod header;
mod line;

pub use events::{Event, Time};
pub use line::{CalendarLine, DayLine, MonthLine, WeekGoalLine, YearLine};

use crate::diagnostic::Diagnostic;
use crate::document::{Document, LineItem};
use chrono::NaiveDate;
use std::collections::HashMap;

/// A calendar.txt file.
pub type CalendarFile = Document<CalendarLine>;

/// Where a dated line sorts: year, then month, then day, a week goal just before its
/// Monday. This is the order plain sorting of well-formed lines gives.
type SortKey = (i32, u32, u32, u8);

impl CalendarLine {
    /// The sort key of a line with a real date (month); `None` for the others, which
    /// take no part in ordering.
    fn sort_key(&self) -> Option<SortKey> {
        match self {
            CalendarLine::Year(y) => Some((y.year, 0, 0, 0)),
            CalendarLine::Month(m) if (1..=12).contains(&m.month) => Some((m.year, m.month, 0, 0)),
            CalendarLine::WeekGoal(g) if g.date().is_some() => {
                Some((g.date.year, g.date.month, g.date.day, 1))
            }
            CalendarLine::Day(d) if d.date().is_some() => Some((d.date.year, d.date.month, d.date.day, 2)),
            _ => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            CalendarLine::Day(d) => d.date.to_string(),
            CalendarLine::WeekGoal(g) => format!("the week goal of {}", g.date),
            other => other.render(),
        }
    }
}

impl LineItem for CalendarLine {
    fn parse(text: &str) -> Self {
        CalendarLine::parse(text)
    }

    fn render(&self) -> String {
        CalendarLine::render(self)
    }

    fn problems(&self, out: &mut Vec<String>) {
        CalendarLine::problems(self, out)
    }

    /// Lines out of order, and a day or week goal written twice.
    fn document_problems(doc: &Document<Self>, out: &mut Vec<Diagnostic>) {
        let mut previous: Option<(SortKey, usize)> = None;
        let mut seen: HashMap<SortKey, usize> = HashMap::new();
        for (index, line) in doc.items() {
            let Some(key) = line.sort_key() else { continue };
            if let Some((before, before_index)) = previous
                && key < before
            {
                let earlier = doc
                    .get(before_index)
                    .map(CalendarLine::describe)
                    .unwrap_or_default();
                out.push(Diagnostic {
                    line: index + 1,
                    message: format!(
                        "out of order: {} comes after {earlier} (line {})",
                        line.describe(),
                        before_index + 1
                    ),
                });
            }
            let first = *seen.entry(key).or_insert(index);
            if first != index && key.3 > 0 {
                out.push(Diagnostic {
                    line: index + 1,
                    message: format!("{} is already on line {}", line.describe(), first + 1),
                });
            }
            if previous.is_none_or(|(before, _)| key >= before) {
                previous = Some((key, index));
            }
        }
    }
}

impl CalendarFile {
    /// The index of the day line for `date`.
    pub fn day_index(&self, date: NaiveDate) -> Option<usize> {
        self.items().find_map(|(index, line)| match line {
            CalendarLine::Day(day) if day.date() == Some(date) => Some(index),
            _ => None,
        })
    }

    /// The index of the day line for `date`, inserting an empty one with a correct
    /// header at its sorted place when there is none: before the first dated line that
    /// sorts after it, else after the last dated line.
    pub fn ensure_day(&mut self, date: NaiveDate) -> usize {
        if let Some(index) = self.day_index(date) {
            return index;
        }
        let new = CalendarLine::Day(DayLine::new(date, ""));
        let key = new.sort_key();
        let mut last_dated = None;
        let mut position = None;
        for (index, line) in self.items() {
            let Some(existing) = line.sort_key() else { continue };
            if Some(existing) > key {
                position = Some(index);
                break;
            }
            last_dated = Some(index);
        }
        let index = position.or(last_dated.map(|i| i + 1)).unwrap_or(self.len());
        self.insert(index, new);
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        crate::date::parse_date(text).unwrap()
    }

    #[test]
    fn a_new_day_goes_to_its_sorted_place() {
        let source =
            "2026  year\n2026-11  month\n2026-11-16 w47  goal\n2026-11-16 w47 Mon  a\n2026-11-20 w47 Fri\n\n";
        let mut doc = CalendarFile::parse(source);
        assert_eq!(doc.ensure_day(day("2026-11-18")), 4);
        assert_eq!(doc.ensure_day(day("2026-11-18")), 4);
        assert_eq!(doc.ensure_day(day("2026-11-16")), 3);
        assert_eq!(doc.ensure_day(day("2026-11-22")), 6);
        assert_eq!(doc.ensure_day(day("2025-12-31")), 0);
        let written = String::from_utf8(doc.to_bytes()).unwrap();
        assert_eq!(
            written,
            "2025-12-31 w01 Wed\n2026  year\n2026-11  month\n2026-11-16 w47  goal\n2026-11-16 w47 Mon  a\n2026-11-18 w47 Wed\n2026-11-20 w47 Fri\n2026-11-22 w47 Sun\n\n"
        );
        assert!(doc.diagnostics().is_empty(), "{:?}", doc.diagnostics());
    }

    #[test]
    fn a_new_day_in_an_empty_file() {
        let mut doc = CalendarFile::parse("");
        assert_eq!(doc.ensure_day(day("2026-11-22")), 0);
        assert_eq!(doc.to_bytes(), b"2026-11-22 w47 Sun\n");
    }

    #[test]
    fn order_and_duplicates_are_reported() {
        let doc = CalendarFile::parse("2026-11-20 w47 Fri\n2026-11-18 w47 Wed\n2026-11-20 w47 Fri  again\n");
        let messages: Vec<String> = doc.diagnostics().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "line 2: out of order: 2026-11-18 comes after 2026-11-20 (line 1)",
                "line 3: 2026-11-20 is already on line 1"
            ]
        );
    }
}
