//! `rec:[+]N(d|w|m|y|b)`: how a task comes back when completed.

use nom::{
    IResult, Parser,
    character::complete::{char, one_of, u32 as number},
    combinator::{all_consuming, opt},
};
use std::fmt;

/// The unit of a recurrence interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecurrenceUnit {
    Day,
    Week,
    Month,
    Year,
    /// Monday to Friday.
    BusinessDay,
}

impl RecurrenceUnit {
    fn letter(self) -> char {
        match self {
            RecurrenceUnit::Day => 'd',
            RecurrenceUnit::Week => 'w',
            RecurrenceUnit::Month => 'm',
            RecurrenceUnit::Year => 'y',
            RecurrenceUnit::BusinessDay => 'b',
        }
    }
}

/// A parsed `rec:` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Recurrence {
    /// `+`: the next dates count from the old due date, not from the completion date.
    pub strict: bool,
    /// How many units; at least 1.
    pub count: u32,
    pub unit: RecurrenceUnit,
}

impl Recurrence {
    /// Reads a `rec:` value such as `1w`, `+2m` or `5b`.
    pub fn parse(value: &str) -> Option<Self> {
        all_consuming(recurrence).parse(value).ok().map(|(_, rec)| rec)
    }
}

fn recurrence(input: &str) -> IResult<&str, Recurrence> {
    let (rest, (plus, count, unit)) = (opt(char('+')), number, one_of("dwmyb")).parse(input)?;
    let unit = match unit {
        'd' => RecurrenceUnit::Day,
        'w' => RecurrenceUnit::Week,
        'm' => RecurrenceUnit::Month,
        'y' => RecurrenceUnit::Year,
        _ => RecurrenceUnit::BusinessDay,
    };
    if count == 0 {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((
        rest,
        Recurrence {
            strict: plus.is_some(),
            count,
            unit,
        },
    ))
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plus = if self.strict { "+" } else { "" };
        write!(f, "{plus}{}{}", self.count, self.unit.letter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_documented_form() {
        for (text, strict, count, unit) in [
            ("1d", false, 1, RecurrenceUnit::Day),
            ("+2w", true, 2, RecurrenceUnit::Week),
            ("12m", false, 12, RecurrenceUnit::Month),
            ("+1y", true, 1, RecurrenceUnit::Year),
            ("5b", false, 5, RecurrenceUnit::BusinessDay),
        ] {
            let rec = Recurrence::parse(text).unwrap();
            assert_eq!(rec, Recurrence { strict, count, unit });
            assert_eq!(rec.to_string(), text);
        }
    }

    #[test]
    fn rejects_unknown_forms() {
        for text in [
            "",
            "w",
            "0d",
            "1",
            "1x",
            "+",
            "++1d",
            "1dd",
            "-1d",
            "1W",
            "99999999999d",
            " 1d",
        ] {
            assert_eq!(Recurrence::parse(text), None, "{text:?}");
        }
    }
}
