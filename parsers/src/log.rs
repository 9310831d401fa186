//! log.txt: `YYYY-MM-DD HH:MM NAME: text`, with optional `+project @context` tokens.

use crate::date::{date, digits};
use crate::document::{Document, LineItem};
use crate::tokens::{self, TokenKind};
use chrono::{NaiveDate, NaiveTime, Timelike};
use nom::{IResult, Parser, bytes::complete::take_till1, character::complete::char, combinator::map_opt};

/// A log.txt file.
pub type LogFile = Document<LogLine>;

/// One line of log.txt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogLine {
    Blank,
    Entry(LogEntry),
    /// Not in the log grammar; the text as written.
    Other(String),
}

/// One entry: when, who, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub date: NaiveDate,
    /// Minutes precision.
    pub time: NaiveTime,
    pub name: String,
    pub text: String,
}

impl LogEntry {
    /// A new entry; the time is cut to the minute and the text to one line.
    pub fn new(date: NaiveDate, time: NaiveTime, name: &str, text: &str) -> LogEntry {
        let time = NaiveTime::from_hms_opt(time.hour(), time.minute(), 0).unwrap_or(time);
        let one_line = |s: &str| tokens::trim(&s.replace(['\n', '\r'], " ")).to_string();
        LogEntry {
            date,
            time,
            name: one_line(&name.replace(':', "")),
            text: one_line(text),
        }
    }

    fn marked(&self, kind: TokenKind) -> impl Iterator<Item = &str> + '_ {
        tokens::tokens(&self.text)
            .filter(move |(_, token)| tokens::classify(token) == Some(kind))
            .map(|(_, token)| &token[1..])
    }

    /// `+project` names in the text.
    pub fn projects(&self) -> impl Iterator<Item = &str> + '_ {
        self.marked(TokenKind::Project)
    }

    /// `@context` names in the text.
    pub fn contexts(&self) -> impl Iterator<Item = &str> + '_ {
        self.marked(TokenKind::Context)
    }
}

fn clock(input: &str) -> IResult<&str, NaiveTime> {
    map_opt((digits(2), char(':'), digits(2)), |(h, _, m)| {
        NaiveTime::from_hms_opt(h, m, 0)
    })
    .parse(input)
}

fn entry(input: &str) -> IResult<&str, LogEntry> {
    let (rest, (date, _, time, _, name, _)) = (
        date,
        char(' '),
        clock,
        char(' '),
        take_till1(|c| c == ':'),
        char(':'),
    )
        .parse(input)?;
    let name = tokens::trim(name);
    if name.is_empty() || !(rest.is_empty() || rest.starts_with(' ')) {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        )));
    }
    let text = tokens::trim(rest).to_string();
    Ok((
        "",
        LogEntry {
            date,
            time,
            name: name.to_string(),
            text,
        },
    ))
}

impl LineItem for LogLine {
    fn parse(text: &str) -> Self {
        if tokens::is_blank(text) {
            return LogLine::Blank;
        }
        match entry(text) {
            Ok((_, entry)) => LogLine::Entry(entry),
            Err(_) => LogLine::Other(text.to_string()),
        }
    }

    fn render(&self) -> String {
        match self {
            LogLine::Blank => String::new(),
            LogLine::Other(text) => text.clone(),
            LogLine::Entry(e) => {
                let time = e.time.format("%H:%M");
                if e.text.is_empty() {
                    format!("{} {time} {}:", e.date, e.name)
                } else {
                    format!("{} {time} {}: {}", e.date, e.name, e.text)
                }
            }
        }
    }

    fn problems(&self, out: &mut Vec<String>) {
        if let LogLine::Other(_) = self {
            out.push("not a log line: expected `YYYY-MM-DD HH:MM NAME: text`".to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_keeps_other_lines() {
        let doc = LogFile::parse(
            "2026-11-20 16:05 ana: Merged https://x.org/pull/42 +website @work\nfree text\n2026-11-20 25:00 ana: bad hour\n",
        );
        let LogLine::Entry(entry) = doc.get(0).unwrap() else {
            panic!()
        };
        assert_eq!(entry.name, "ana");
        assert_eq!(entry.text, "Merged https://x.org/pull/42 +website @work");
        assert_eq!(entry.projects().collect::<Vec<_>>(), ["website"]);
        assert_eq!(entry.contexts().collect::<Vec<_>>(), ["work"]);
        assert_eq!(
            doc.diagnostics().iter().map(|d| d.line).collect::<Vec<_>>(),
            [2, 3]
        );
    }

    #[test]
    fn new_entries_render_canonically() {
        let date = crate::date::parse_date("2026-11-22").unwrap();
        let time = NaiveTime::from_hms_opt(9, 5, 59).unwrap();
        let mut doc = LogFile::new();
        doc.push(LogLine::Entry(LogEntry::new(
            date,
            time,
            "ana:",
            "note\nwith break",
        )));
        assert_eq!(doc.to_bytes(), b"2026-11-22 09:05 ana: note with break\n");
    }
}
