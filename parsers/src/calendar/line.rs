//! The lines of calendar.txt: day, week goal, month, year, blank, and anything else.
//!
//! `YYYY-MM-DD wWW Aaa  content`, `YYYY-MM-DD wWW  week goal`, `YYYY-MM  text`,
//! `YYYY  text`: the header, then two spaces, then the content.

use super::events::{Event, split_events};
use super::header::{WEEKDAYS, iso_week, week_header, weekday_name, write_day_header};
use crate::date::{RawDate, digits, raw_date};
use crate::tokens;
use chrono::{Datelike, NaiveDate, Weekday};
use nom::{IResult, Parser, bytes::complete::take_while_m_n, character::complete::char, sequence::preceded};

/// `YYYY-MM-DD wWW Aaa  content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayLine {
    pub date: RawDate,
    pub week: u32,
    /// As written (checked against the date).
    pub weekday: String,
    /// The content, trimmed.
    pub text: String,
    /// Whether the content was separated from the header by two spaces.
    pub spaced: bool,
}

/// `YYYY-MM-DD wWW  goal for the week` (the date is a Monday).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekGoalLine {
    pub date: RawDate,
    pub week: u32,
    pub text: String,
    pub spaced: bool,
}

/// `YYYY-MM  text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthLine {
    pub year: i32,
    pub month: u32,
    pub text: String,
    pub spaced: bool,
}

/// `YYYY  text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearLine {
    pub year: i32,
    pub text: String,
    pub spaced: bool,
}

/// One line of calendar.txt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarLine {
    Blank,
    Day(DayLine),
    WeekGoal(WeekGoalLine),
    Month(MonthLine),
    Year(YearLine),
    /// Fits no shape. Holds the text as written, so that writing it back never turns it
    /// into a line of another kind.
    Invalid(String),
}

impl DayLine {
    /// A canonical day line.
    pub fn new(date: NaiveDate, text: &str) -> DayLine {
        DayLine {
            date: date.into(),
            week: iso_week(date),
            weekday: weekday_name(date.weekday()).to_string(),
            text: tokens::trim(text).to_string(),
            spaced: true,
        }
    }

    /// The date, if the line names a real one.
    pub fn date(&self) -> Option<NaiveDate> {
        self.date.to_date()
    }

    /// The day's events in the order written.
    pub fn events(&self) -> Vec<Event> {
        split_events(&self.text)
    }
}

impl WeekGoalLine {
    pub fn date(&self) -> Option<NaiveDate> {
        self.date.to_date()
    }
}

/// The content after a header: `None` when `rest` does not continue a header at all;
/// otherwise the trimmed text and whether it was properly spaced.
fn content(rest: &str) -> Option<(String, bool)> {
    if rest.is_empty() {
        return Some((String::new(), true));
    }
    let text = tokens::trim(rest);
    if rest.starts_with("  ") {
        Some((text.to_string(), true))
    } else if rest.starts_with([' ', '\t']) {
        Some((text.to_string(), text.is_empty()))
    } else {
        None
    }
}

/// ` wWW` after a date.
fn week_field(input: &str) -> IResult<&str, u32> {
    preceded((char(' '), char('w')), digits(2)).parse(input)
}

/// ` Aaa`: three letters naming a weekday in any case.
fn weekday_field(input: &str) -> IResult<&str, &str> {
    let (rest, name) =
        preceded(char(' '), take_while_m_n(3, 3, |c: char| c.is_ascii_alphabetic())).parse(input)?;
    if WEEKDAYS.iter().any(|day| day.eq_ignore_ascii_case(name)) {
        Ok((rest, name))
    } else {
        Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        )))
    }
}

impl CalendarLine {
    /// Reads one line. Never fails.
    pub fn parse(text: &str) -> CalendarLine {
        if tokens::is_blank(text) {
            return CalendarLine::Blank;
        }
        if let Ok((rest, (date, week))) = (raw_date, week_field).parse(text) {
            if let Ok((after, weekday)) = weekday_field(rest)
                && let Some((text, spaced)) = content(after)
            {
                let weekday = weekday.to_string();
                return CalendarLine::Day(DayLine {
                    date,
                    week,
                    weekday,
                    text,
                    spaced,
                });
            }
            if let Some((text, spaced)) = content(rest) {
                return CalendarLine::WeekGoal(WeekGoalLine {
                    date,
                    week,
                    text,
                    spaced,
                });
            }
        }
        if let Ok((rest, (year, _, month))) = (digits(4), char('-'), digits(2)).parse(text)
            && let Some((text, spaced)) = content(rest)
        {
            // Four digits always fit an i32.
            let year = year as i32;
            return CalendarLine::Month(MonthLine {
                year,
                month,
                text,
                spaced,
            });
        }
        if let Ok((rest, year)) = digits(4).parse(text)
            && let Some((text, spaced)) = content(rest)
        {
            let year = year as i32;
            return CalendarLine::Year(YearLine { year, text, spaced });
        }
        CalendarLine::Invalid(text.to_string())
    }

    /// The text after the header (the whole trimmed line when it fits no shape).
    pub fn text(&self) -> &str {
        match self {
            CalendarLine::Blank => "",
            CalendarLine::Invalid(text) => tokens::trim(text),
            CalendarLine::Day(day) => &day.text,
            CalendarLine::WeekGoal(goal) => &goal.text,
            CalendarLine::Month(month) => &month.text,
            CalendarLine::Year(year) => &year.text,
        }
    }

    /// The line in canonical form: the header recomputed from a valid date, two spaces,
    /// the content.
    pub fn render(&self) -> String {
        let (mut out, text) = match self {
            CalendarLine::Blank => return String::new(),
            CalendarLine::Invalid(text) => return text.clone(),
            CalendarLine::Day(day) => {
                let mut out = String::with_capacity(20 + day.text.len());
                match day.date() {
                    Some(date) => write_day_header(date, &mut out),
                    None => out.push_str(&format!("{} w{:02} {}", day.date, day.week, day.weekday)),
                }
                (out, &day.text)
            }
            CalendarLine::WeekGoal(goal) => {
                let header = match goal.date() {
                    Some(date) => week_header(date),
                    None => format!("{} w{:02}", goal.date, goal.week),
                };
                (header, &goal.text)
            }
            CalendarLine::Month(month) => (format!("{:04}-{:02}", month.year, month.month), &month.text),
            CalendarLine::Year(year) => (format!("{:04}", year.year), &year.text),
        };
        if !text.is_empty() {
            out.push_str("  ");
            out.push_str(text);
        }
        out
    }

    /// What is wrong with this line on its own.
    pub fn problems(&self, out: &mut Vec<String>) {
        const SPACING: &str = "put two spaces between the header and the text";
        match self {
            CalendarLine::Blank => {}
            CalendarLine::Invalid(text) => out.push(invalid_reason(tokens::trim(text))),
            CalendarLine::Day(day) => {
                match day.date() {
                    None => out.push(format!("{} is not a valid date", day.date)),
                    Some(date) => {
                        check_week(date, day.week, out);
                        let real = weekday_name(date.weekday());
                        if day.weekday != real {
                            out.push(format!("{date} is a {real}, not {}", day.weekday));
                        }
                    }
                }
                if !day.spaced {
                    out.push(SPACING.to_string());
                }
            }
            CalendarLine::WeekGoal(goal) => {
                match goal.date() {
                    None => out.push(format!("{} is not a valid date", goal.date)),
                    Some(date) => {
                        if date.weekday() != Weekday::Mon {
                            let day = weekday_name(date.weekday());
                            out.push(format!("a week goal goes on a Monday, and {date} is a {day}"));
                        }
                        check_week(date, goal.week, out);
                    }
                }
                if !goal.spaced {
                    out.push(SPACING.to_string());
                }
            }
            CalendarLine::Month(month) => {
                if !(1..=12).contains(&month.month) {
                    out.push(format!(
                        "{:04}-{:02} is not a valid month",
                        month.year, month.month
                    ));
                }
                if !month.spaced {
                    out.push(SPACING.to_string());
                }
            }
            CalendarLine::Year(year) => {
                if !year.spaced {
                    out.push(SPACING.to_string());
                }
            }
        }
    }
}

fn check_week(date: NaiveDate, week: u32, out: &mut Vec<String>) {
    let real = iso_week(date);
    if week != real {
        out.push(format!("{date} is in week w{real:02}, not w{week:02}"));
    }
}

/// Why a line fits no shape, with the right header when it starts with a real date.
fn invalid_reason(text: &str) -> String {
    let expected = "not a calendar.txt line: expected `YYYY-MM-DD wWW Aaa  text`, `YYYY-MM-DD wWW  goal`, `YYYY-MM  text` or `YYYY  text`";
    match raw_date(text).ok().and_then(|(_, raw)| raw.to_date()) {
        Some(date) => format!(
            "{expected}; the header for {date} is `{}`",
            super::header::day_header(date)
        ),
        None => expected.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        CalendarLine::parse(line).problems(&mut out);
        out
    }

    #[test]
    fn reads_each_shape() {
        let CalendarLine::Day(day) = CalendarLine::parse("2026-11-22 w47 Sun  10 brunch") else {
            panic!()
        };
        assert_eq!(
            (day.week, day.weekday.as_str(), day.text.as_str()),
            (47, "Sun", "10 brunch")
        );
        assert!(
            matches!(CalendarLine::parse("2026-11-22 w47 Sun"), CalendarLine::Day(d) if d.text.is_empty())
        );
        assert!(
            matches!(CalendarLine::parse("2026-11-16 w47  Ship it"), CalendarLine::WeekGoal(g) if g.text == "Ship it")
        );
        assert!(matches!(CalendarLine::parse("2026-11  Q4"), CalendarLine::Month(m) if m.month == 11));
        assert!(matches!(CalendarLine::parse("2026  Big year"), CalendarLine::Year(y) if y.year == 2026));
        assert!(matches!(CalendarLine::parse(" \t"), CalendarLine::Blank));
        assert!(matches!(CalendarLine::parse("hello"), CalendarLine::Invalid(_)));
        assert!(matches!(
            CalendarLine::parse("2026-11-22"),
            CalendarLine::Invalid(_)
        ));
    }

    #[test]
    fn validates_dates_weeks_weekdays_and_spacing() {
        assert!(problems("2026-11-22 w47 Sun  ok").is_empty());
        assert_eq!(problems("2026-02-30 w09 Mon"), ["2026-02-30 is not a valid date"]);
        assert_eq!(
            problems("2026-11-22 w48 Sun"),
            ["2026-11-22 is in week w47, not w48"]
        );
        assert_eq!(problems("2026-11-22 w47 Mon"), ["2026-11-22 is a Sun, not Mon"]);
        assert_eq!(problems("2026-11-22 w47 sun"), ["2026-11-22 is a Sun, not sun"]);
        assert_eq!(
            problems("2026-11-22 w47 Sun brunch"),
            ["put two spaces between the header and the text"]
        );
        assert_eq!(
            problems("2026-11-18 w47  goal"),
            ["a week goal goes on a Monday, and 2026-11-18 is a Wed"]
        );
        assert_eq!(problems("2026-13  x"), ["2026-13 is not a valid month"]);
        assert_eq!(
            problems("2026 x"),
            ["put two spaces between the header and the text"]
        );
        assert!(
            problems("2026-11-22")
                .pop()
                .unwrap()
                .ends_with("`2026-11-22 w47 Sun`")
        );
    }

    #[test]
    fn renders_canonically() {
        let fix = |line: &str| CalendarLine::parse(line).render();
        assert_eq!(fix("2026-11-22 w48 Mon  brunch "), "2026-11-22 w47 Sun  brunch");
        assert_eq!(fix("2026-11-16 w47 Ship"), "2026-11-16 w47  Ship");
        assert_eq!(fix("2026-11\tQ4"), "2026-11  Q4");
        assert_eq!(fix("2026"), "2026");
        assert_eq!(
            fix("  2026-11-23 w47 Sun  stays invalid"),
            "  2026-11-23 w47 Sun  stays invalid"
        );
        assert_eq!(
            DayLine::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), " 9 x ").text,
            "9 x"
        );
    }

    /// Found by fuzzing: a trimmed invalid line read back as a day line.
    #[test]
    fn an_invalid_line_stays_invalid_when_rewritten() {
        let line = CalendarLine::parse("  2026-11-23 w47 Sun  leading space");
        assert!(matches!(line, CalendarLine::Invalid(_)));
        assert_eq!(CalendarLine::parse(&line.render()), line);
        assert_eq!(line.text(), "2026-11-23 w47 Sun  leading space");
    }
}
