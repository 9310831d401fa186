//! The days a listing of events covers: a first and a last day in the date language,
//! by default the seven days from today (from the first day, when only it is given).

use crate::when::{WhenError, parse_when};
use chrono::{Days, NaiveDate};
use std::fmt;

/// Why the days asked for are not a range; the ends are named as the asker knows
/// them by [`RangeError::said`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeError {
    /// The first day is not a day.
    From(WhenError),
    /// The last day is not a day.
    To(WhenError),
    /// The first day comes after the last.
    Reversed { from: NaiveDate, to: NaiveDate },
}

impl RangeError {
    /// What went wrong, with the first and last day called `from` and `to`
    /// (`--from` and `--to` on a command line).
    pub fn said(&self, from_name: &str, to_name: &str) -> String {
        match self {
            RangeError::From(error) => format!("in {from_name}: {error}"),
            RangeError::To(error) => format!("in {to_name}: {error}"),
            RangeError::Reversed { from, to } => format!("{from_name} {from} is after {to_name} {to}"),
        }
    }
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.said("from", "to"))
    }
}

impl std::error::Error for RangeError {}

/// The first and last day `from` and `to` name on `today`: by default today, and the
/// sixth day after the first.
pub fn days_between(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), RangeError> {
    let from = match from {
        Some(text) => parse_when(text, today).map_err(RangeError::From)?,
        None => today,
    };
    let to = match to {
        Some(text) => parse_when(text, today).map_err(RangeError::To)?,
        None => from.checked_add_days(Days::new(6)).unwrap_or(from),
    };
    if from > to {
        return Err(RangeError::Reversed { from, to });
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_week_from_today_or_from_the_first_day_unless_told() {
        let monday = day("2026-11-23");
        assert_eq!(days_between(None, None, monday), Ok((monday, day("2026-11-29"))));
        assert_eq!(
            days_between(Some("dec 30"), None, monday),
            Ok((day("2026-12-30"), day("2027-01-05")))
        );
        assert_eq!(
            days_between(Some("fri"), Some("fri"), monday),
            Ok((day("2026-11-27"), day("2026-11-27")))
        );
        // The last day there is: no day after it to reach.
        assert_eq!(
            days_between(None, None, NaiveDate::MAX),
            Ok((NaiveDate::MAX, NaiveDate::MAX))
        );
    }

    #[test]
    fn each_end_is_named_in_what_went_wrong() {
        let monday = day("2026-11-23");
        let reversed = days_between(Some("dec 5"), Some("dec 2"), monday).unwrap_err();
        assert_eq!(
            reversed.said("--from", "--to"),
            "--from 2026-12-05 is after --to 2026-12-02"
        );
        assert_eq!(reversed.to_string(), "from 2026-12-05 is after to 2026-12-02");
        let to = days_between(None, Some("nov 31"), monday).unwrap_err();
        assert!(matches!(to, RangeError::To(_)));
        assert!(to.said("--from", "--to").starts_with("in --to: "), "{to}");
        assert!(to.to_string().contains("no 31st"), "{to}");
        // The first day is read first.
        let from = days_between(Some("soon"), Some("nov 31"), monday).unwrap_err();
        assert!(from.to_string().starts_with("in from: "), "{from}");
        assert!(from.to_string().contains("\"soon\" is not a date"), "{from}");
    }
}
