//! Day headers (`YYYY-MM-DD wWW Aaa`): ISO week and English weekday of a date.

use chrono::{Datelike, NaiveDate, Weekday};
use std::fmt::Write as _;

/// English three-letter weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `Mon` … `Sun`.
pub fn weekday_name(weekday: Weekday) -> &'static str {
    WEEKDAYS[weekday.num_days_from_monday() as usize]
}

/// The ISO week number (`%V`, 1–53).
pub fn iso_week(date: NaiveDate) -> u32 {
    date.iso_week().week()
}

/// The header of a day line: `2026-11-22 w47 Sun`.
pub fn day_header(date: NaiveDate) -> String {
    let mut out = String::with_capacity(18);
    write_day_header(date, &mut out);
    out
}

/// Appends the header of a day line to `out`.
pub fn write_day_header(date: NaiveDate, out: &mut String) {
    let _ = write!(
        out,
        "{date} w{:02} {}",
        iso_week(date),
        weekday_name(date.weekday())
    );
}

/// The header of a week-goal line: `2026-11-16 w47`.
pub fn week_header(date: NaiveDate) -> String {
    format!("{date} w{:02}", iso_week(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn headers_use_the_iso_week_across_year_ends() {
        assert_eq!(day_header(day(2026, 11, 22)), "2026-11-22 w47 Sun");
        assert_eq!(day_header(day(2027, 1, 1)), "2027-01-01 w53 Fri");
        assert_eq!(day_header(day(2024, 12, 30)), "2024-12-30 w01 Mon");
        assert_eq!(day_header(day(1700, 1, 1)), "1700-01-01 w53 Fri");
        assert_eq!(week_header(day(2026, 11, 16)), "2026-11-16 w47");
    }
}
