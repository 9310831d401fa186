//! working-memory.txt as the assistant keeps it: the words of the lines it writes
//! after significant actions, and the file kept small.
//!
//! A line the assistant writes has the shape of a log entry,
//! `YYYY-MM-DD HH:MM NAME: text` ([`crate::notes::entry_line`], the time in the
//! store's timezone); this module gives its text for each significant action: a
//! project's or goal's status changed (`project website → done`), a task done with a
//! summary (`done kmbt "Call the bank": rate fixed until 2031`), a weekly review
//! finished (`weekly review 2026-W48 finished`). A decision the person asks to
//! remember is their own words. Routine adds and completions write nothing.
//!
//! Past a number of lines ([`rollover`]), the oldest lines move, byte for byte and in
//! order, to `notes/working-memory/YYYY-MM.md`, each by its own month: the date it
//! starts with. A line that starts with none (a continuation, a line written by hand,
//! a blank line) goes with its neighbours: the month of the nearest dated line before
//! it, else of the first dated line after it, else the month given. A month's file is
//! created with a one-line heading, then appended to ([`archived`]). Nothing is lost:
//! every line stays in working-memory.txt or moves to exactly one month's file.

use crate::notes::{self, NoteError};
use crate::projects::Kind;
use chrono::{Datelike, IsoWeek, NaiveDate};
use myorg_parsers::{ProjectStatus, Task};
use std::collections::BTreeMap;
use std::fmt;

/// How many lines working-memory.txt keeps unless configured otherwise.
pub const DEFAULT_MAX_LINES: usize = 200;

/// The store folder of the months' files.
pub const ARCHIVE_DIR: &str = "notes/working-memory";

/// What a status change leaves in working memory: `project website → done`.
pub fn status_changed(kind: Kind, slug: &str, status: ProjectStatus) -> String {
    format!("{} {slug} → {status}", kind.noun())
}

/// What a task done with a summary leaves in working memory:
/// `done REF "WORDS": SUMMARY`, the task's words as a note carries them
/// ([`notes::task_words`]).
pub fn completed(reference: &str, task: &Task, summary: &str) -> Result<String, NoteError> {
    let summary = summary.trim();
    if summary.is_empty() {
        return Err(NoteError::Empty);
    }
    Ok(format!(
        "done {reference} \"{}\": {summary}",
        notes::task_words(task)
    ))
}

/// What a finished weekly review leaves in working memory:
/// `weekly review 2026-W48 finished`, and `: SUMMARY` when there is one.
pub fn review_finished(week: IsoWeek, summary: Option<&str>) -> String {
    let finished = format!("weekly review {}-W{:02} finished", week.year(), week.week());
    match summary.map(str::trim).filter(|summary| !summary.is_empty()) {
        Some(summary) => format!("{finished}: {summary}"),
        None => finished,
    }
}

/// A calendar month, the one a line moves by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// The month of `date`.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            first: date.with_day(1).unwrap_or(date),
        }
    }

    /// Its file: `notes/working-memory/YYYY-MM.md`.
    pub fn path(self) -> String {
        format!("{ARCHIVE_DIR}/{self}.md")
    }

    /// The first line of its file: `# Working memory, November 2026`.
    pub fn heading(self) -> String {
        format!("# Working memory, {}", self.first.format("%B %Y"))
    }
}

impl fmt::Display for Month {
    /// `YYYY-MM`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

/// working-memory.txt after a rollover: the lines it keeps, and the ones that move,
/// by month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollover {
    /// The new working-memory.txt: its last lines, as they were.
    pub kept: Vec<u8>,
    /// The lines that move, by month, each month's in their order, byte for byte
    /// with their line endings. Empty when the file is within its limit.
    pub moved: BTreeMap<Month, Vec<u8>>,
}

/// `file` (working-memory.txt) kept to its last `max_lines` lines (at least one):
/// the lines before move by month (see the module documentation); `fallback` is the
/// month of lines with no dated line anywhere near them.
pub fn rollover(file: &[u8], max_lines: usize, fallback: Month) -> Rollover {
    let lines: Vec<&[u8]> = file.split_inclusive(|&byte| byte == b'\n').collect();
    let cut = lines.len().saturating_sub(max_lines.max(1));
    let (old, kept) = lines.split_at(cut);
    let first_dated = lines
        .iter()
        .find_map(|line| date_of(line))
        .map(Month::of)
        .unwrap_or(fallback);
    let mut moved: BTreeMap<Month, Vec<u8>> = BTreeMap::new();
    let mut current = None;
    for line in old {
        if let Some(date) = date_of(line) {
            current = Some(Month::of(date));
        }
        moved
            .entry(current.unwrap_or(first_dated))
            .or_default()
            .extend_from_slice(line);
    }
    Rollover {
        kept: kept.concat(),
        moved,
    }
}

/// The date a line starts with: `YYYY-MM-DD`, a real date, then a space, a TAB or
/// the line's end.
fn date_of(line: &[u8]) -> Option<NaiveDate> {
    let (date, rest) = line.split_at_checked(10)?;
    if !matches!(rest.first(), None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
        return None;
    }
    myorg_parsers::date::parse_date(std::str::from_utf8(date).ok()?)
}

/// `existing` (the file of `month`, empty when there is none) with `lines`
/// appended: a new file starts with the month's heading; a final line ending is
/// added first when the file lacks one, and after the lines when they lack one.
pub fn archived(mut existing: Vec<u8>, month: Month, lines: &[u8]) -> Vec<u8> {
    let ending: &[u8] = if existing.is_empty() {
        if lines.ends_with(b"\r\n") { b"\r\n" } else { b"\n" }
    } else {
        notes::usual_ending(&existing)
    };
    if existing.is_empty() {
        existing.extend_from_slice(month.heading().as_bytes());
        existing.extend_from_slice(ending);
    } else if !existing.ends_with(b"\n") {
        existing.extend_from_slice(ending);
    }
    existing.extend_from_slice(lines);
    if !lines.is_empty() && !lines.ends_with(b"\n") {
        existing.extend_from_slice(ending);
    }
    existing
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn month(text: &str) -> Month {
        Month::of(NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").unwrap())
    }

    #[test]
    fn the_lines_of_significant_actions() {
        assert_eq!(
            status_changed(Kind::Project, "website", ProjectStatus::Done),
            "project website → done"
        );
        assert_eq!(
            status_changed(Kind::Goal, "ship", ProjectStatus::Someday),
            "goal ship → someday"
        );
        let task = Task::parse("(A) 2026-11-17 Call the bank +money @phone due:2026-11-27 id:3");
        assert_eq!(
            completed("kmbt", &task, " Rate fixed until 2031 ").unwrap(),
            "done kmbt \"Call the bank +money @phone\": Rate fixed until 2031"
        );
        assert_eq!(completed("kmbt", &task, " "), Err(NoteError::Empty));
        let week = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap().iso_week();
        assert_eq!(review_finished(week, None), "weekly review 2026-W48 finished");
        assert_eq!(
            review_finished(week, Some("  ")),
            "weekly review 2026-W48 finished"
        );
        assert_eq!(
            review_finished(week, Some("inbox empty")),
            "weekly review 2026-W48 finished: inbox empty"
        );
        let first = NaiveDate::from_ymd_opt(2027, 1, 2).unwrap().iso_week();
        assert_eq!(review_finished(first, None), "weekly review 2026-W53 finished");
    }

    #[test]
    fn a_month_names_its_file_and_heading() {
        let november = Month::of(NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        assert_eq!(november, month("2026-11"));
        assert_eq!(november.to_string(), "2026-11");
        assert_eq!(november.path(), "notes/working-memory/2026-11.md");
        assert_eq!(november.heading(), "# Working memory, November 2026");
        assert!(month("2026-10") < november && november < month("2027-01"));
    }

    #[test]
    fn a_file_within_its_limit_stays_as_it_is() {
        for file in [&b""[..], b"a\nb", b"a\r\nb\r\n", b"\n\n\n"] {
            let kept = rollover(file, 3, month("2026-11"));
            assert_eq!(kept.kept, file);
            assert!(kept.moved.is_empty());
        }
    }

    #[test]
    fn the_oldest_lines_move_by_their_own_month_with_their_neighbours() {
        let file = "Free text written by hand\n\
                    2026-10-30 09:00 ana: October\n\
                    \x20 a continuation\n\
                    \n\
                    2026-11-02 10:00 ben: November\n\
                    2026-10-31 11:00 ana: October again, by hand\n\
                    2026-11-21 10:05 ana: project website → done\n\
                    2026-11-22 08:00 ana: newest";
        let rolled = rollover(file.as_bytes(), 2, month("2027-01"));
        assert_eq!(
            String::from_utf8(rolled.kept).unwrap(),
            "2026-11-21 10:05 ana: project website → done\n2026-11-22 08:00 ana: newest"
        );
        let moved: Vec<(String, String)> = rolled
            .moved
            .into_iter()
            .map(|(month, lines)| (month.to_string(), String::from_utf8(lines).unwrap()))
            .collect();
        assert_eq!(
            moved,
            [
                (
                    "2026-10".to_string(),
                    "Free text written by hand\n\
                     2026-10-30 09:00 ana: October\n\
                     \x20 a continuation\n\
                     \n\
                     2026-10-31 11:00 ana: October again, by hand\n"
                        .to_string()
                ),
                (
                    "2026-11".to_string(),
                    "2026-11-02 10:00 ben: November\n".to_string()
                ),
            ]
        );
        // Without any dated line, the month given; a date must stand alone.
        let rolled = rollover(b"a\n2026-11-31 x\n2026-11-21x\nb\n", 1, month("2027-01"));
        assert_eq!(rolled.kept, b"b\n");
        assert_eq!(
            rolled.moved.into_iter().collect::<Vec<_>>(),
            [(month("2027-01"), b"a\n2026-11-31 x\n2026-11-21x\n".to_vec())]
        );
        // At least one line stays; CRLF lines keep their endings.
        let rolled = rollover(b"2026-11-01 a\r\n2026-11-02 b\r\n", 0, month("2027-01"));
        assert_eq!(rolled.kept, b"2026-11-02 b\r\n");
        assert_eq!(rolled.moved[&month("2026-11")], b"2026-11-01 a\r\n");
    }

    #[test]
    fn a_month_s_file_gets_a_heading_once_and_lines_appended() {
        let november = month("2026-11");
        let new = archived(Vec::new(), november, b"2026-11-01 a\n");
        assert_eq!(new, b"# Working memory, November 2026\n2026-11-01 a\n");
        let more = archived(new, november, b"2026-11-02 b\n");
        assert_eq!(
            more,
            b"# Working memory, November 2026\n2026-11-01 a\n2026-11-02 b\n"
        );
        // A file edited by hand: its last line ended, its CRLF kept.
        let by_hand = archived(b"# Mine\r\nkept".to_vec(), november, b"2026-11-03 c\r\n");
        assert_eq!(by_hand, b"# Mine\r\nkept\r\n2026-11-03 c\r\n");
        assert_eq!(
            archived(Vec::new(), november, b"x\r\n"),
            b"# Working memory, November 2026\r\nx\r\n"
        );
        assert_eq!(archived(b"a\n".to_vec(), november, b"last"), b"a\nlast\n");
    }

    /// A line of a generated file: dated in one of a few months, or not, or blank;
    /// each carries its index so that it can be found again.
    fn line(index: usize, kind: u8, month: u32, crlf: bool) -> String {
        let text = match kind {
            0 => format!("2026-{month:02}-1{} 10:00 ana: line {index}", index % 10),
            1 => format!("by hand {index}"),
            _ => " ".repeat(index),
        };
        format!("{text}{}", if crlf { "\r\n" } else { "\n" })
    }

    proptest! {
        #[test]
        fn nothing_is_lost(
            specs in prop::collection::vec((0u8..3, 9u32..13, any::<bool>()), 0..40),
            max_lines in 0usize..30,
            last_ended in any::<bool>(),
            existing in prop::collection::vec(any::<bool>(), 0..3),
        ) {
            let lines: Vec<String> = specs
                .iter()
                .enumerate()
                .map(|(index, &(kind, month, crlf))| line(index, kind, month, crlf))
                .collect();
            let mut file = lines.concat();
            if !last_ended && file.ends_with('\n') {
                file.pop();
                if file.ends_with('\r') {
                    file.pop();
                }
            }
            let before: Vec<&[u8]> = file.as_bytes().split_inclusive(|&b| b == b'\n').collect();
            let rolled = rollover(file.as_bytes(), max_lines, month("2027-01"));
            let kept: Vec<&[u8]> = rolled.kept.split_inclusive(|&b| b == b'\n').collect();
            prop_assert_eq!(kept.len(), before.len().min(max_lines.max(1)));
            prop_assert_eq!(&kept[..], &before[before.len() - kept.len()..]);

            // Each moved line is in exactly one month's file, in its order there, and
            // the months' files with what they held before lose nothing either.
            let mut found = Vec::new();
            for (month, moved) in &rolled.moved {
                let old: Vec<u8> = existing
                    .iter()
                    .map(|&ended| if ended { "old\n" } else { "old" })
                    .collect::<String>()
                    .into_bytes();
                let written = archived(old.clone(), *month, moved);
                let old_lines = old.split_inclusive(|&b| b == b'\n').count();
                let heading = usize::from(old.is_empty());
                let in_file: Vec<&[u8]> = written.split_inclusive(|&b| b == b'\n').collect();
                let moved_lines: Vec<&[u8]> = moved.split_inclusive(|&b| b == b'\n').collect();
                prop_assert_eq!(in_file.len(), old_lines + heading + moved_lines.len());
                prop_assert_eq!(&in_file[old_lines + heading..], &moved_lines[..]);
                let mut last = None;
                for moved_line in moved_lines {
                    let index = before.iter().position(|line| *line == moved_line).unwrap();
                    prop_assert!(last < Some(index), "in order");
                    last = Some(index);
                    found.push(index);
                }
            }
            found.sort_unstable();
            let expected: Vec<usize> = (0..before.len() - kept.len()).collect();
            prop_assert_eq!(found, expected);
        }
    }
}
