//! Dates as the store writes them: `YYYY-MM-DD`, a real Gregorian date.

use chrono::{Datelike, NaiveDate};
use nom::{IResult, Parser, combinator::map_opt};
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

    /// Whether these numbers name a calendar date (of a year of four digits), as
    /// [`RawDate::to_date`] would say, without making it.
    fn is_real(self) -> bool {
        let leap = self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0);
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (0..=9999).contains(&self.year) && (1..=days).contains(&self.day)
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
    leading_raw_date(input)
        .ok_or_else(|| nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Digit)))
}

/// `YYYY-MM-DD` with any numbers in the fields at the start of `input`, and the rest:
/// read byte by byte, as it is at the start of every line of a large file.
fn leading_raw_date(input: &str) -> Option<(&str, RawDate)> {
    let bytes = input.as_bytes().get(..10)?;
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    // Four digits always fit an i32.
    let year = number(&bytes[..4])? as i32;
    let month = number(&bytes[5..7])?;
    let day = number(&bytes[8..10])?;
    // The first ten bytes are ASCII, so 10 is a character boundary.
    Some((&input[10..], RawDate { year, month, day }))
}

/// `YYYY-MM-DD` naming a real date.
pub(crate) fn date(input: &str) -> IResult<&str, NaiveDate> {
    map_opt(raw_date, RawDate::to_date).parse(input)
}

/// A date field at the start of a todo.txt line's rest: `YYYY-MM-DD` naming a real
/// date, then a space (taken) or the end. The rest and the date.
pub(crate) fn date_field(input: &str) -> Option<(&str, NaiveDate)> {
    let (rest, raw) = date_field_raw(input)?;
    Some((rest, raw.to_date()?))
}

/// What [`date_field`] takes, without making the date: the rest after it.
pub(crate) fn skip_date_field(input: &str) -> Option<&str> {
    date_field_raw(input).and_then(|(rest, raw)| raw.is_real().then_some(rest))
}

fn date_field_raw(input: &str) -> Option<(&str, RawDate)> {
    let (rest, raw) = leading_raw_date(input)?;
    match rest.as_bytes().first() {
        None => Some((rest, raw)),
        Some(b' ') => Some((&rest[1..], raw)),
        Some(_) => None,
    }
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

    /// The date field as nom's combinators read it, before it was read by hand.
    fn combined_date_field(input: &str) -> Option<(&str, NaiveDate)> {
        use nom::{
            branch::alt, bytes::complete::tag, character::complete::char, combinator::eof,
            sequence::terminated,
        };
        let raw = (digits(4), char('-'), digits(2), char('-'), digits(2));
        let real = map_opt(raw, |(year, _, month, _, day)| {
            NaiveDate::from_ymd_opt(year as i32, month, day)
        });
        terminated(real, alt((tag(" "), eof))).parse(input).ok()
    }

    /// Strings close to dates: digits, dashes, spaces and a few others.
    fn near_dates() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("[0-9]{0,5}-?[0-9]{0,3}-?[0-9]{0,3}[ x\\t٣]?[0-9a ]{0,2}")
            .expect("a valid pattern")
    }

    proptest::proptest! {
        #[test]
        fn the_date_field_read_by_hand_agrees_with_the_combinators(
            input in proptest::prop_oneof![near_dates(), proptest::prelude::any::<String>()]
        ) {
            let expected = combined_date_field(&input);
            proptest::prop_assert_eq!(date_field(&input), expected);
            proptest::prop_assert_eq!(skip_date_field(&input), expected.map(|(rest, _)| rest));
        }
    }

    #[test]
    fn every_day_of_four_centuries_is_real_and_no_other() {
        for year in [0, 1900, 1999, 2000, 2024, 2026, 2100, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let raw = RawDate { year, month, day };
                    assert_eq!(raw.is_real(), raw.to_date().is_some(), "{raw}");
                }
            }
        }
    }
}
