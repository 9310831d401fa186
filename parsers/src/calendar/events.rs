//! Splitting a day's content into events.
//!
//! A time-shaped token (`H`, `HH`, `H:MM`, `HH:MM`, optionally `-END` of the same
//! shapes; hours 0–23, 24 only as an end) starts a new event; the text before the first
//! time token is an untimed event.

use crate::date::digits;
use crate::tokens;
use nom::{
    IResult, Parser,
    bytes::complete::take_while_m_n,
    character::complete::char,
    combinator::{all_consuming, map_res, opt},
    sequence::preceded,
};
use std::fmt;

/// A time of day as written in calendar.txt; `24:00` only ends an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
}

impl Time {
    /// Valid as a start: 00:00 to 23:59.
    fn starts(self) -> bool {
        self.hour <= 23 && self.minute <= 59
    }

    /// Valid as an end: a start time or 24:00.
    fn ends(self) -> bool {
        self.starts() || (self.hour == 24 && self.minute == 0)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// One event of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub start: Option<Time>,
    pub end: Option<Time>,
    /// The words after the time (or before the first time), inner spacing kept.
    pub text: String,
}

/// `H`, `HH`, `H:MM` or `HH:MM` with any numbers.
fn clock(input: &str) -> IResult<&str, Time> {
    let hour = map_res(
        take_while_m_n(1, 2, |c: char| c.is_ascii_digit()),
        str::parse::<u8>,
    );
    let (rest, (hour, minute)) = (hour, opt(preceded(char(':'), digits(2)))).parse(input)?;
    // Two digits always fit a u8.
    let minute = minute.unwrap_or(0) as u8;
    Ok((rest, Time { hour, minute }))
}

/// Reads a whole token as a time or a time range.
pub fn time_token(token: &str) -> Option<(Time, Option<Time>)> {
    let (_, (start, end)) = all_consuming((clock, opt(preceded(char('-'), clock))))
        .parse(token)
        .ok()?;
    (start.starts() && end.is_none_or(Time::ends)).then_some((start, end))
}

/// The events of a day's content, in the order written.
pub fn split_events(content: &str) -> Vec<Event> {
    let mut events = Vec::new();
    let mut start = None;
    let mut end = None;
    let mut text_from = 0;
    for (offset, token) in tokens::tokens(content) {
        let Some((token_start, token_end)) = time_token(token) else {
            continue;
        };
        let text = tokens::trim(&content[text_from..offset]);
        if start.is_some() || !text.is_empty() {
            events.push(Event {
                start,
                end,
                text: text.to_string(),
            });
        }
        start = Some(token_start);
        end = token_end;
        text_from = offset + token.len();
    }
    let text = tokens::trim(&content[text_from..]);
    if start.is_some() || !text.is_empty() {
        events.push(Event {
            start,
            end,
            text: text.to_string(),
        });
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(content: &str) -> Vec<String> {
        split_events(content)
            .into_iter()
            .map(|e| {
                let time = |t: Option<Time>| t.map_or("-".to_string(), |t| t.to_string());
                format!("{}|{}|{}", time(e.start), time(e.end), e.text)
            })
            .collect()
    }

    #[test]
    fn time_tokens_start_events() {
        assert_eq!(
            shown("Mum's birthday 9:30-10 standup  with team 14 dentist 22-24 night shift"),
            [
                "-|-|Mum's birthday",
                "09:30|10:00|standup  with team",
                "14:00|-|dentist",
                "22:00|24:00|night shift"
            ]
        );
        assert_eq!(shown("10"), ["10:00|-|"]);
        assert!(shown("").is_empty());
    }

    #[test]
    fn only_real_times_count() {
        for not_a_time in [
            "24", "25", "24-25", "7:5", "10:60", "123", "9am", "10-", "-10", "10--11", "1:00:00", "23-24:30",
        ] {
            assert_eq!(time_token(not_a_time), None, "{not_a_time}");
        }
        assert!(time_token("0").is_some());
        assert!(time_token("23:59-24:00").is_some());
        assert!(time_token("7-9:45").is_some());
    }
}
