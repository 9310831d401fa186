//! Dates as the store writes them: `YYYY-MM-DD`, a real Gregorian date.

use chrono::{Datelike, NaiveDate};
use nom::{IResult, Parser, character::complete::char, combinator::map_opt};
use std::fmt;

/// The three numbers of a `YYYY-MM-DD` field, whether or not they make a real date.
///
/// Kept so that a line with an impossible date (`2026-02-30`) can be reported and
/// shown as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RawDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl RawDate {
    /// The calendar date, if these numbers name one.
    pub fn to_date(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, self.day)
    }
}

impl From<NaiveDate> for RawDate {
    fn from(date: NaiveDate) -> Self {
        RawDate {
            year: date.year(),
            month: date.month(),
            day: date.day(),
        }
    }
}

impl fmt::Display for RawDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Exactly `n` ASCII digits (at most 9), as a number.
pub(crate) fn digits<'a>(n: usize) -> impl Parser<&'a str, Output = u32, Error = nom::error::Error<&'a str>> {
    move |input: &'a str| {
        let bytes = input.as_bytes();
        if n > 9 || bytes.len() < n || !bytes[..n].iter().all(u8::is_ascii_digit) {
            return Err(nom::Err::Error(nom::error::Error::new(
                input,
                nom::error::ErrorKind::Digit,
            )));
        }
        let value = bytes[..n]
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
        // The first n bytes are ASCII, so n is a character boundary.
        Ok((&input[n..], value))
    }
}

/// `YYYY-MM-DD` with any numbers in the fields.
pub(crate) fn raw_date(input: &str) -> IResult<&str, RawDate> {
    let (rest, (year, _, month, _, day)) =
        (digits(4), char('-'), digits(2), char('-'), digits(2)).parse(input)?;
    // Four digits always fit an i32.
    let year = year as i32;
    Ok((rest, RawDate { year, month, day }))
}

/// `YYYY-MM-DD` naming a real date.
pub(crate) fn date(input: &str) -> IResult<&str, NaiveDate> {
    map_opt(raw_date, RawDate::to_date).parse(input)
}

/// Reads a whole string as a date: `Some` only for exactly `YYYY-MM-DD` naming a real date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    match date(text) {
        Ok(("", date)) => Some(date),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_real_dates_in_the_exact_shape() {
        assert_eq!(parse_date("2026-11-22"), NaiveDate::from_ymd_opt(2026, 11, 22));
        assert_eq!(parse_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-11-22",
            "2026-11-22 ",
            "２０２６-11-22",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn raw_date_keeps_impossible_numbers() {
        let (_, raw) = raw_date("2026-02-30").unwrap();
        assert_eq!(raw.to_string(), "2026-02-30");
        assert_eq!(raw.to_date(), None);
    }
}
