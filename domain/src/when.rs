//! The date language: a day said in words, relative to today (in the store's
//! timezone; the caller passes it in).
//!
//! Case does not matter and extra spaces are ignored. The forms:
//!
//! | words | the day |
//! |---|---|
//! | `2026-12-01` | that date |
//! | `today`, `tod`, `tomorrow`, `tom`, `tmr`, `yesterday` | as said |
//! | `fri`, `friday`, `next fri` | the first Friday after today (on a Friday: a week later) |
//! | `this fri` | this week's Friday when not yet past (today counts), else the next |
//! | `in 3 days`, `in 2 weeks`, `in 1 month`, `in a year`, `3d`, `2w`, `+1m` | counted on the calendar; a month from 31 January is the last day of February |
//! | `in 5 business days`, `5b` | Monday to Friday only |
//! | `next week`, `next month`, `next year` | the Monday, the 1st, 1 January after |
//! | `dec 5`, `5 dec`, `december 5th`, `dec 5 2027`, `5 december, 2027` | the next such day (this year unless past) |
//! | `the 15th`, `15th` | the next 15th of a month (today counts) |
//! | `end of week`, `eow` | this week's Sunday |
//! | `end of month`, `eom`, `end of year`, `eoy` | the last day of the month or year |
//!
//! A day a month does not have is an error that names it ("November has no 31st"),
//! never a silent move to another day.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use std::fmt;

/// Why words are not a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    /// Not a form of the date language.
    Unknown(String),
    /// A form of it, naming a day that does not exist.
    NoSuchDay(String),
    /// Further than the calendar goes.
    OutOfRange(String),
}

impl fmt::Display for WhenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WhenError::Unknown(text) => write!(
                f,
                "\"{text}\" is not a date; say e.g. 2026-12-01, today, tomorrow, fri, next monday, in 3 days, \
                 in 2 weeks, dec 5, the 15th or end of month"
            ),
            WhenError::NoSuchDay(why) => f.write_str(why),
            WhenError::OutOfRange(text) => write!(f, "\"{text}\" is too far away to be a date"),
        }
    }
}

impl std::error::Error for WhenError {}

/// The day `text` names, counted from `today`.
pub fn parse_when(text: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    let day = parse_any(text, today)?;
    writable(day).ok_or_else(|| WhenError::OutOfRange(text.trim().to_string()))
}

/// `day` when it can be written as `YYYY-MM-DD` (years 0 to 9999), the only date
/// form todo.txt has.
pub fn writable(day: NaiveDate) -> Option<NaiveDate> {
    (0..=9999).contains(&day.year()).then_some(day)
}

fn parse_any(text: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    let lower = text.trim().to_lowercase().replace(',', " ");
    let words: Vec<&str> = lower.split_whitespace().collect();
    if let [single] = words.as_slice()
        && let Some(date) = myorg_parsers::date::parse_date(single)
    {
        return Ok(date);
    }
    let unknown = || WhenError::Unknown(text.trim().to_string());
    let far = || WhenError::OutOfRange(text.trim().to_string());
    match words.as_slice() {
        [] => Err(unknown()),
        ["today" | "tod" | "now"] => Ok(today),
        ["tomorrow" | "tom" | "tmr"] => today.checked_add_days(Days::new(1)).ok_or_else(far),
        ["yesterday"] => today.checked_sub_days(Days::new(1)).ok_or_else(far),
        // The checked forms: the week of the calendar's first or last day is cut short.
        ["next", "week"] => today
            .week(Weekday::Mon)
            .checked_first_day()
            .and_then(|monday| monday.checked_add_days(Days::new(7)))
            .ok_or_else(far),
        ["next", "month"] => first_of_month(today, 1).ok_or_else(far),
        ["next", "year"] => NaiveDate::from_ymd_opt(today.year() + 1, 1, 1).ok_or_else(far),
        ["end", "of", "week"] | ["eow"] => today.week(Weekday::Mon).checked_last_day().ok_or_else(far),
        ["end", "of", "month"] | ["eom"] => first_of_month(today, 1)
            .and_then(|first| first.pred_opt())
            .ok_or_else(far),
        ["end", "of", "year"] | ["eoy"] => NaiveDate::from_ymd_opt(today.year(), 12, 31).ok_or_else(far),
        [day] | ["next", day] if weekday(day).is_some() => weekday(day)
            .and_then(|wanted| next_weekday(today, wanted, false))
            .ok_or_else(far),
        ["this", day] if weekday(day).is_some() => weekday(day)
            .and_then(|wanted| next_weekday(today, wanted, true))
            .ok_or_else(far),
        ["in" | "after", count, unit] => {
            let count = amount(count).ok_or_else(unknown)?;
            add(today, count, self::unit(unit).ok_or_else(unknown)?).ok_or_else(far)
        }
        ["in", count, "business" | "working" | "work", "day" | "days"] => {
            let count = amount(count).ok_or_else(unknown)?;
            add(today, count, Unit::BusinessDay).ok_or_else(far)
        }
        [short] if compact(short).is_some() => {
            let (count, unit) = compact(short).ok_or_else(unknown)?;
            add(today, count, unit).ok_or_else(far)
        }
        ["the", day] | [day] if ordinal(day).is_some() => {
            nth_of_month(today, ordinal(day).unwrap_or(0), text)
        }
        [a, b] | [a, b, _] => {
            let (month, day) = month_day(a, b).ok_or_else(unknown)?;
            let year = match words.get(2) {
                Some(year) => Some(year.parse::<i32>().map_err(|_| unknown())?),
                None => None,
            };
            month_and_day(today, month, day, year)
        }
        _ => Err(unknown()),
    }
}

/// A unit of `in N …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    BusinessDay,
    Week,
    Month,
    Year,
}

fn unit(word: &str) -> Option<Unit> {
    Some(match word {
        "d" | "day" | "days" => Unit::Day,
        "b" | "bd" | "business-day" | "business-days" | "weekday" | "weekdays" => Unit::BusinessDay,
        "w" | "wk" | "wks" | "week" | "weeks" => Unit::Week,
        "m" | "mo" | "month" | "months" => Unit::Month,
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
        _ => return None,
    })
}

/// `3d`, `2w`, `+1m`, `5b`.
fn compact(word: &str) -> Option<(u32, Unit)> {
    let word = word.strip_prefix('+').unwrap_or(word);
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let count = word[..digits].parse().ok()?;
    Some((count, unit(&word[digits..])?))
}

/// A count in words or digits (up to 100 000, far enough for any real plan).
fn amount(word: &str) -> Option<u32> {
    let count = match word {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        _ => word.parse().ok()?,
    };
    (count <= 100_000).then_some(count)
}

/// `today` moved by `count` units; `None` past the calendar's end.
fn add(today: NaiveDate, count: u32, unit: Unit) -> Option<NaiveDate> {
    match unit {
        Unit::Day => today.checked_add_days(Days::new(count.into())),
        Unit::Week => today.checked_add_days(Days::new(u64::from(count) * 7)),
        Unit::Month => today.checked_add_months(Months::new(count)),
        Unit::Year => today.checked_add_months(Months::new(count.checked_mul(12)?)),
        Unit::BusinessDay => add_business_days(today, count),
    }
}

/// `count` weekdays (Monday to Friday) after `from`.
pub fn add_business_days(from: NaiveDate, count: u32) -> Option<NaiveDate> {
    if count == 0 {
        return Some(from);
    }
    // Counting from a weekend is counting from the Friday before it; then whole weeks
    // first, so a large count is not a long loop.
    let back = match from.weekday() {
        Weekday::Sat => 1,
        Weekday::Sun => 2,
        _ => 0,
    };
    let friday_or_weekday = from.checked_sub_days(Days::new(back))?;
    let mut day = friday_or_weekday.checked_add_days(Days::new(u64::from(count / 5) * 7))?;
    let mut left = count % 5;
    while left > 0 {
        day = day.succ_opt()?;
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    Some(day)
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The first `wanted` after today, or from today on when `today_counts`.
fn next_weekday(today: NaiveDate, wanted: Weekday, today_counts: bool) -> Option<NaiveDate> {
    let ahead = (7 + wanted.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 && !today_counts { 7 } else { ahead };
    today.checked_add_days(Days::new(ahead.into()))
}

/// The 1st of the month `ahead` months after today's.
fn first_of_month(today: NaiveDate, ahead: u32) -> Option<NaiveDate> {
    today.with_day(1)?.checked_add_months(Months::new(ahead))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month's number from its name or its first three letters (`sept` too).
fn month(word: &str) -> Option<u32> {
    let word = word.strip_suffix('.').unwrap_or(word);
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|name| {
            let name = name.to_lowercase();
            word == name || (word.len() == 3 && name.starts_with(word))
        })
        .map(|index| index as u32 + 1)
}

/// `5`, `5th`, `1st`, `22nd`, `3rd`: a day of the month (1 to 31).
fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let day: u32 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

/// `15th` (an ordinal suffix is needed when there is no month: a bare `15` is not a
/// day).
fn ordinal(word: &str) -> Option<u32> {
    word.ends_with(['t', 'd', 'h'])
        .then(|| day_number(word))
        .flatten()
}

/// `dec 5` or `5 dec`.
fn month_day(a: &str, b: &str) -> Option<(u32, u32)> {
    match (month(a), month(b)) {
        (Some(month), None) => Some((month, day_number(b)?)),
        (None, Some(month)) => Some((month, day_number(a)?)),
        _ => None,
    }
}

fn english_ordinal(day: u32) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

/// The next `day` of a month, from today on.
fn nth_of_month(today: NaiveDate, day: u32, text: &str) -> Result<NaiveDate, WhenError> {
    let month = if day >= today.day() {
        today.with_day(1)
    } else {
        first_of_month(today, 1)
    }
    .ok_or_else(|| WhenError::OutOfRange(text.trim().to_string()))?;
    month.with_day(day).ok_or_else(|| {
        WhenError::NoSuchDay(format!(
            "{} has no {}; say which day you mean",
            MONTHS[month.month0() as usize],
            english_ordinal(day)
        ))
    })
}

/// `month`/`day` in `year`, or else this year unless it is past (then next year).
fn month_and_day(today: NaiveDate, month: u32, day: u32, year: Option<i32>) -> Result<NaiveDate, WhenError> {
    let year = year.unwrap_or_else(|| {
        if (month, day) >= (today.month(), today.day()) {
            today.year()
        } else {
            today.year() + 1
        }
    });
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        WhenError::NoSuchDay(format!(
            "{} {year} has no {}; say which day you mean",
            MONTHS[month as usize - 1],
            english_ordinal(day)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// (today, words, the day or an error's words).
    fn check(cases: &[(&str, &str, &str)]) {
        for &(today, words, expected) in cases {
            let got = parse_when(words, day(today));
            match (got, expected.parse::<NaiveDate>()) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{words:?} on {today}"),
                (Err(error), Err(_)) => {
                    let message = error.to_string();
                    assert!(message.contains(expected), "{words:?} on {today}: {message}");
                }
                (got, _) => panic!("{words:?} on {today}: got {got:?}, expected {expected}"),
            }
        }
    }

    #[test]
    fn relative_days_and_weekdays() {
        // 2026-11-23 is a Monday.
        check(&[
            ("2026-11-23", "today", "2026-11-23"),
            ("2026-11-23", "  Tomorrow ", "2026-11-24"),
            ("2026-11-23", "tom", "2026-11-24"),
            ("2026-11-23", "yesterday", "2026-11-22"),
            ("2026-11-23", "2026-12-01", "2026-12-01"),
            ("2026-11-23", "fri", "2026-11-27"),
            ("2026-11-23", "Friday", "2026-11-27"),
            ("2026-11-23", "next friday", "2026-11-27"),
            ("2026-11-23", "mon", "2026-11-30"),
            ("2026-11-23", "next monday", "2026-11-30"),
            ("2026-11-23", "this monday", "2026-11-23"),
            ("2026-11-23", "this sun", "2026-11-29"),
            // "next tuesday" on a Tuesday is a week later.
            ("2026-11-24", "next tuesday", "2026-12-01"),
            ("2026-11-24", "tue", "2026-12-01"),
            ("2026-11-23", "next week", "2026-11-30"),
            ("2026-11-29", "next week", "2026-11-30"),
            ("2026-11-23", "next month", "2026-12-01"),
            ("2026-12-15", "next month", "2027-01-01"),
            ("2026-11-23", "next year", "2027-01-01"),
            ("2026-11-23", "end of week", "2026-11-29"),
            ("2026-11-29", "eow", "2026-11-29"),
            ("2026-11-23", "end of month", "2026-11-30"),
            ("2026-11-23", "EOM", "2026-11-30"),
            ("2026-02-10", "end of month", "2026-02-28"),
            ("2028-02-10", "end of month", "2028-02-29"),
            ("2026-11-23", "end of year", "2026-12-31"),
        ]);
    }

    #[test]
    fn counted_days_weeks_months_and_years() {
        check(&[
            ("2026-11-23", "in 3 days", "2026-11-26"),
            ("2026-11-23", "in 1 day", "2026-11-24"),
            ("2026-11-23", "in 2 weeks", "2026-12-07"),
            ("2026-11-23", "in a week", "2026-11-30"),
            ("2026-11-23", "in two weeks", "2026-12-07"),
            ("2026-11-23", "3d", "2026-11-26"),
            ("2026-11-23", "+2w", "2026-12-07"),
            ("2026-11-23", "in 1 month", "2026-12-23"),
            ("2026-11-23", "1y", "2027-11-23"),
            // Month ends clamp; 29 February only in leap years.
            ("2026-01-31", "in 1 month", "2026-02-28"),
            ("2028-01-31", "in 1 month", "2028-02-29"),
            ("2026-03-31", "in 1 month", "2026-04-30"),
            ("2028-02-29", "in 1 year", "2029-02-28"),
            ("2028-02-29", "in 4 years", "2032-02-29"),
            // Business days skip the weekend (2026-11-27 is a Friday).
            ("2026-11-27", "in 1 business day", "2026-11-30"),
            ("2026-11-27", "5b", "2026-12-04"),
            ("2026-11-28", "1b", "2026-11-30"),
            ("2026-11-28", "5b", "2026-12-04"),
            ("2026-11-23", "in 10 business days", "2026-12-07"),
        ]);
    }

    #[test]
    fn month_days_and_ordinals() {
        check(&[
            ("2026-11-23", "dec 5", "2026-12-05"),
            ("2026-11-23", "5 dec", "2026-12-05"),
            ("2026-11-23", "December 5th", "2026-12-05"),
            ("2026-11-23", "nov 23", "2026-11-23"),
            ("2026-11-23", "nov 22", "2027-11-22"),
            ("2026-11-23", "jan 2", "2027-01-02"),
            ("2026-11-23", "sept 1", "2027-09-01"),
            ("2026-11-23", "dec 5 2027", "2027-12-05"),
            ("2026-11-23", "5 december, 2027", "2027-12-05"),
            ("2026-11-23", "the 15th", "2026-12-15"),
            ("2026-11-23", "the 23rd", "2026-11-23"),
            ("2026-11-23", "30th", "2026-11-30"),
            ("2026-11-23", "the 1st", "2026-12-01"),
            ("2026-12-20", "the 31st", "2026-12-31"),
            ("2027-01-20", "the 29th", "2027-01-29"),
            ("2028-02-01", "feb 29", "2028-02-29"),
            ("2024-01-10", "the 29th", "2024-01-29"),
        ]);
    }

    #[test]
    fn days_that_do_not_exist_are_errors_that_say_so() {
        check(&[
            ("2026-11-23", "the 31st", "November has no 31st"),
            ("2026-11-23", "nov 31", "November 2026 has no 31st"),
            ("2026-11-23", "feb 29", "February 2027 has no 29th"),
            ("2026-11-23", "feb 30 2028", "February 2028 has no 30th"),
            ("2027-02-01", "the 30th", "February has no 30th"),
            ("2027-01-31", "the 30th", "February has no 30th"),
            ("2026-11-23", "2026-02-29", "is not a date"),
        ]);
    }

    #[test]
    fn the_dst_weeks_in_europe_madrid_are_plain_calendar_days() {
        // Summer time starts on 2026-03-29 and ends on 2026-10-25 (Sundays); a day in
        // words counts calendar days, whatever the length of the day in hours.
        check(&[
            ("2026-03-28", "tomorrow", "2026-03-29"),
            ("2026-03-29", "tomorrow", "2026-03-30"),
            ("2026-03-29", "in 1 week", "2026-04-05"),
            ("2026-03-27", "sun", "2026-03-29"),
            ("2026-03-29", "next week", "2026-03-30"),
            ("2026-10-24", "tomorrow", "2026-10-25"),
            ("2026-10-25", "mon", "2026-10-26"),
            ("2026-10-22", "in 3 days", "2026-10-25"),
            ("2026-10-25", "end of month", "2026-10-31"),
        ]);
    }

    #[test]
    fn other_words_are_errors_with_examples() {
        for words in [
            "",
            "soon",
            "next",
            "in days",
            "in -3 days",
            "in 3 fortnights",
            "32nd",
            "15",
            "dec",
            "dec 5 next",
            "the 0th",
            "in 999999999 years",
            "in 8000 years",
            "2026-13-01",
            "friday next",
        ] {
            let error = parse_when(words, day("2026-11-23")).unwrap_err();
            assert!(error.to_string().contains("date"), "{words:?}: {error}");
        }
    }
}
