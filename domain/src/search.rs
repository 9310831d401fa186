//! Finding tasks: filters, and the urgency order.
//!
//! A [`Filter`] keeps a task when every part of it matches: all words of the text
//! (case-insensitive, anywhere in the line), every `+project` and `@context` asked
//! for, a priority range, an owner, due dates before or after a day, overdue. Done
//! tasks, and tasks hidden by a future threshold (`t:`) or `h:1`, are left out
//! unless asked for.
//!
//! Tasks come out most urgent first. The urgency score adds:
//! - **due**: overdue, 13 plus half a point per day late (up to 6 more); due today,
//!   12; due within 14 days, from 9.3 (tomorrow) down towards 0 the further it is
//!   (`10 × (1 − days/15)`); later or no due date, 0. A date always outweighs a
//!   priority alone: what is late or due today comes first;
//! - **priority**: A 6, B 4, C 2, any other letter 1, none 0;
//! - **age**: a thirtieth of a point per day since creation, at most 2;
//! - **waiting** (`@waiting`): minus 3, since it is someone else's move.
//!
//! Equal scores keep the file's order.
//!
//! A search reads a parsed document ([`search`]), or the text of a large file
//! without building one (`text.rs`: [`search_text`], [`matching`]).

mod text;
pub use text::{Hit, matching, matching_each, most_urgent_first, search_text};

use chrono::NaiveDate;
use myorg_parsers::todo::Priority;
use myorg_parsers::{Task, TodoFile};

/// What to look for. The default keeps every open, visible task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words that must all appear in the line (case-insensitive).
    pub words: Vec<String>,
    /// Projects (without `+`) the task must all have.
    pub projects: Vec<String>,
    /// Contexts (without `@`) the task must all have.
    pub contexts: Vec<String>,
    /// Priorities from `.0` (most important, e.g. A) to `.1` (e.g. C), inclusive.
    pub priority: Option<(Priority, Priority)>,
    /// Only tasks with `owner:` this name (case-insensitive)…
    pub owner: Option<String>,
    /// …and, with this, tasks without an owner too ("mine").
    pub unassigned_too: bool,
    /// Due on or before this day.
    pub due_before: Option<NaiveDate>,
    /// Due on or after this day.
    pub due_after: Option<NaiveDate>,
    /// Only tasks whose due date is past.
    pub overdue: bool,
    /// Keep tasks hidden by a future `t:` or by `h:1`.
    pub include_hidden: bool,
    /// Keep done tasks.
    pub include_done: bool,
}

impl Filter {
    /// A filter from query words: `+project`, `@context`, `(A)` or `(A-C)` for
    /// priorities, `owner:NAME`; any other word is text to find.
    pub fn from_query<'a>(words: impl IntoIterator<Item = &'a str>) -> Filter {
        let mut filter = Filter::default();
        for word in words.into_iter().flat_map(str::split_whitespace) {
            if let Some(project) = word.strip_prefix('+').filter(|p| !p.is_empty()) {
                filter.projects.push(project.to_string());
            } else if let Some(context) = word.strip_prefix('@').filter(|c| !c.is_empty()) {
                filter.contexts.push(context.to_string());
            } else if let Some(range) = priority_range(word) {
                filter.priority = Some(range);
            } else if let Some(owner) = word.strip_prefix("owner:").filter(|o| !o.is_empty()) {
                filter.owner = Some(owner.to_string());
            } else {
                filter.words.push(word.to_lowercase());
            }
        }
        filter
    }

    /// Whether `task`, whose line reads `line`, passes on `today`.
    pub fn matches(&self, task: &Task, line: &str, today: NaiveDate) -> bool {
        if task.is_done() && !self.include_done {
            return false;
        }
        if !self.include_hidden && (task.is_hidden() || task.threshold().is_some_and(|t| t > today)) {
            return false;
        }
        if !self.projects.iter().all(|p| task.has_project(p)) {
            return false;
        }
        if !self.contexts.iter().all(|c| task.has_context(c)) {
            return false;
        }
        if let Some((high, low)) = self.priority {
            let priority = task.priority().or_else(|| task.kept_priority());
            if !priority.is_some_and(|p| p >= high && p <= low) {
                return false;
            }
        }
        if let Some(owner) = &self.owner {
            let keep = match task.owner() {
                Some(name) => name.eq_ignore_ascii_case(owner),
                None => self.unassigned_too,
            };
            if !keep {
                return false;
            }
        }
        let due = task.due();
        let due_within = |test: &dyn Fn(NaiveDate) -> bool| due.is_some_and(test);
        if self.due_before.is_some_and(|day| !due_within(&|due| due <= day))
            || self.due_after.is_some_and(|day| !due_within(&|due| due >= day))
            || (self.overdue && !due_within(&|due| due < today))
        {
            return false;
        }
        self.words.is_empty() || {
            let lower = line.to_lowercase();
            self.words.iter().all(|word| lower.contains(word.as_str()))
        }
    }
}

/// `(A)` or `(A-C)`.
fn priority_range(word: &str) -> Option<(Priority, Priority)> {
    let inner = word.strip_prefix('(')?.strip_suffix(')')?;
    let parse = |text: &str| {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(letter), None) => Priority::new(letter.to_ascii_uppercase()),
            _ => None,
        }
    };
    match inner.split_once('-') {
        Some((high, low)) => Some((parse(high)?, parse(low)?)),
        None => parse(inner).map(|p| (p, p)),
    }
}

/// A task that matched, with where it is and how urgent it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'a> {
    /// The 0-based line index.
    pub index: usize,
    pub task: &'a Task,
    pub urgency: f64,
}

/// The tasks of `todo` that `filter` keeps on `today`, most urgent first.
pub fn search<'a>(todo: &'a TodoFile, filter: &Filter, today: NaiveDate) -> Vec<Found<'a>> {
    let mut found: Vec<Found<'a>> = todo
        .tasks()
        .filter(|(index, task)| {
            // The text is only needed when there are words to look for.
            filter.words.is_empty() && filter.matches(task, "", today)
                || !filter.words.is_empty()
                    && filter.matches(task, &todo.text(*index).unwrap_or_default(), today)
        })
        .map(|(index, task)| Found {
            index,
            task,
            urgency: urgency(task, today),
        })
        .collect();
    most_urgent_first(&mut found, |found| (found.urgency, found.index));
    found
}

/// The urgency score of `task` on `today` (see the module documentation).
pub fn urgency(task: &Task, today: NaiveDate) -> f64 {
    let due = match task.due().map(|due| (due - today).num_days()) {
        Some(days) if days < 0 => 13.0 + (-days as f64 * 0.5).min(6.0),
        Some(0) => 12.0,
        Some(days) if days <= 14 => 10.0 * (1.0 - days as f64 / 15.0),
        _ => 0.0,
    };
    let priority = match task.priority().map(|p| p.letter()) {
        Some('A') => 6.0,
        Some('B') => 4.0,
        Some('C') => 2.0,
        Some(_) => 1.0,
        None => 0.0,
    };
    let age = task
        .created()
        .map(|created| ((today - created).num_days().max(0) as f64 / 30.0).min(2.0))
        .unwrap_or(0.0);
    let waiting = if task.is_waiting() { -3.0 } else { 0.0 };
    due + priority + age + waiting
}

#[cfg(test)]
mod tests {
    use super::text::LOWERCASE_TO_ASCII;
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const TODAY: &str = "2026-11-22";

    fn lines(file: &str, filter: &Filter) -> Vec<String> {
        let todo = TodoFile::parse(file);
        search(&todo, filter, day(TODAY))
            .iter()
            .map(|found| todo.text(found.index).unwrap().to_string())
            .collect()
    }

    const FILE: &str = "\
(B) 2026-11-01 Write report +work @office due:2026-11-24 owner:ana
(A) Call the bank +home @phone
x 2026-11-20 Old done thing +work
Plan trip +home t:2026-12-01
Secret thing +work h:1
2026-10-01 Review budget +work due:2026-11-20 owner:ben
Ask Ben for the keys @waiting who:ben
Tidy desk +work
(C) Pay rent +home due:2026-11-22
";

    #[test]
    fn filters_each_keep_what_they_say() {
        let query = |words: &str| lines(FILE, &Filter::from_query(words.split(' ')));
        assert_eq!(
            query("+work"),
            [
                "2026-10-01 Review budget +work due:2026-11-20 owner:ben",
                "(B) 2026-11-01 Write report +work @office due:2026-11-24 owner:ana",
                "Tidy desk +work",
            ]
        );
        assert_eq!(query("@phone"), ["(A) Call the bank +home @phone"]);
        assert_eq!(query("+home BANK"), ["(A) Call the bank +home @phone"]);
        assert_eq!(
            query("(A-B)"),
            [
                "(B) 2026-11-01 Write report +work @office due:2026-11-24 owner:ana",
                "(A) Call the bank +home @phone"
            ]
        );
        assert_eq!(
            query("owner:ANA"),
            ["(B) 2026-11-01 Write report +work @office due:2026-11-24 owner:ana"]
        );
        assert!(query("+nothing").is_empty());
    }

    #[test]
    fn dates_done_hidden_and_mine() {
        let run = |filter: Filter| lines(FILE, &filter);
        assert_eq!(
            run(Filter {
                overdue: true,
                ..Filter::default()
            }),
            ["2026-10-01 Review budget +work due:2026-11-20 owner:ben"]
        );
        assert_eq!(
            run(Filter {
                due_after: Some(day("2026-11-22")),
                due_before: Some(day("2026-11-30")),
                ..Filter::default()
            }),
            [
                "(C) Pay rent +home due:2026-11-22",
                "(B) 2026-11-01 Write report +work @office due:2026-11-24 owner:ana"
            ]
        );
        let hidden = run(Filter {
            include_hidden: true,
            ..Filter::from_query(["+work"])
        });
        assert!(hidden.iter().any(|l| l.contains("Secret thing")));
        let plain = run(Filter::from_query(["+home"]));
        assert!(
            !plain.iter().any(|l| l.contains("Plan trip")),
            "threshold in the future"
        );
        let done = run(Filter {
            include_done: true,
            ..Filter::from_query(["+work"])
        });
        assert!(done.iter().any(|l| l.contains("Old done thing")));
        let mine = run(Filter {
            owner: Some("ana".into()),
            unassigned_too: true,
            ..Filter::from_query(["+work"])
        });
        assert_eq!(
            mine,
            [
                "(B) 2026-11-01 Write report +work @office due:2026-11-24 owner:ana",
                "Tidy desk +work"
            ]
        );
    }

    #[test]
    fn the_most_urgent_come_first() {
        let all = lines(FILE, &Filter::default());
        assert_eq!(
            all,
            [
                "2026-10-01 Review budget +work due:2026-11-20 owner:ben",
                "(C) Pay rent +home due:2026-11-22",
                "(B) 2026-11-01 Write report +work @office due:2026-11-24 owner:ana",
                "(A) Call the bank +home @phone",
                "Tidy desk +work",
                "Ask Ben for the keys @waiting who:ben",
            ]
        );
    }

    #[test]
    fn a_file_searched_in_pieces_of_whole_lines_gives_the_same_tasks_in_the_same_order() {
        let odd =
            "(A) Plan +work\r\nTidy +workshop @home\n\n  \r\nx 2026-11-20 Done +work\r\n\u{feff}Mark +work\n";
        let file = format!("\u{feff}{FILE}\n{odd}{FILE}{odd}Last +work @office\r");
        let text = file.strip_prefix('\u{feff}').unwrap();
        // Every cut after a newline, into two pieces and into pieces of one line.
        let cuts: Vec<usize> = text.match_indices('\n').map(|(at, _)| at + 1).collect();
        for query in ["", "+work", "@home", "(A-B)", "+work report", "plan", "+nothing"] {
            let filter = Filter::from_query(query.split(' '));
            let whole: Vec<(usize, &str)> = search_text(&file, &filter, day(TODAY))
                .iter()
                .map(|hit| (hit.index, hit.line))
                .collect();
            let in_pieces = |bounds: &[usize]| {
                let mut found = Vec::new();
                let mut first = 0;
                for pair in bounds.windows(2) {
                    let piece = &text[pair[0]..pair[1]];
                    let (hits, lines) = matching(piece, first, &filter, day(TODAY));
                    assert_eq!(lines, myorg_parsers::todo::piece_lines(piece).count());
                    found.extend(hits);
                    first += lines;
                }
                most_urgent_first(&mut found, |hit| (hit.urgency, hit.index));
                found.iter().map(|hit| (hit.index, hit.line)).collect::<Vec<_>>()
            };
            for &cut in &cuts {
                assert_eq!(in_pieces(&[0, cut, text.len()]), whole, "{query:?} cut at {cut}");
            }
            let lines: Vec<usize> = [0]
                .into_iter()
                .chain(cuts.iter().copied())
                .chain([text.len()])
                .collect();
            assert_eq!(in_pieces(&lines), whole, "{query:?} line by line");
        }
    }

    #[test]
    fn searching_the_text_finds_what_searching_the_document_finds() {
        let odd = "\u{feff}(A) Plan +work\r\nTidy +workshop @home\n\n  \r\n\
                   x 2026-11-20 Done +work\r\nReview +work due:2026-11-20\n\
                   Two +work +work @home\nLast +work @office\r";
        let files = [FILE, odd, "", "+work", "\n+work\n", "\u{feff}+work"];
        let queries = [
            "+work",
            "@home",
            "+work @home",
            "+home bank",
            "",
            "(A-B)",
            "+nothing",
            "+work report",
        ];
        for file in files {
            let todo = TodoFile::parse(file);
            for query in queries {
                for done in [false, true] {
                    let filter = Filter {
                        include_done: done,
                        ..Filter::from_query(query.split(' '))
                    };
                    let expected: Vec<(usize, String)> = search(&todo, &filter, day(TODAY))
                        .iter()
                        .map(|found| (found.index, todo.text(found.index).unwrap().to_string()))
                        .collect();
                    let got: Vec<(usize, String)> = search_text(file, &filter, day(TODAY))
                        .iter()
                        .map(|hit| (hit.index, hit.line.to_string()))
                        .collect();
                    assert_eq!(got, expected, "{query:?} in {file:?}");
                }
            }
        }
    }

    #[test]
    fn a_search_by_words_reads_only_lines_that_can_match_and_misses_none() {
        let file = "Send the INVOICE to Ana +work\n\
                    x 2026-11-20 invoice paid +money\n\
                    Pay ref:INV-2026 +money @office\n\
                    Ünïcode Invoice for Zoë\n\
                    Naïve CAFÉ visit\n\
                    (A) Nothing to see\r\n\
                    \n\
                    Tidy desk due:2026-11-21\n";
        let kelvin = format!("{file}Heat to 300 \u{212A}elvin\nAsk Ben\n");
        let queries = [
            "invoice",
            "INVOICE ana",
            "inv-2026",
            "ref:inv",
            "café",
            "zoë",
            "kelvin",
            "desk due:2026",
            "to",
            "nowhere",
        ];
        for text in [file, kelvin.as_str()] {
            let todo = TodoFile::parse(text);
            for query in queries {
                for done in [false, true] {
                    let filter = Filter {
                        include_done: done,
                        ..Filter::from_query(query.split(' '))
                    };
                    let expected: Vec<usize> = search(&todo, &filter, day(TODAY))
                        .iter()
                        .map(|found| found.index)
                        .collect();
                    let got: Vec<usize> = search_text(text, &filter, day(TODAY))
                        .iter()
                        .map(|hit| hit.index)
                        .collect();
                    assert_eq!(got, expected, "{query:?} in {text:?}");
                }
            }
        }
        let found =
            |text: &str, query: &str| search_text(text, &Filter::from_query([query]), day(TODAY)).len();
        assert_eq!(found(file, "invoice"), 2, "any case, a done task left out");
        assert_eq!(found(file, "inv-2026"), 1, "a word in a tag");
        assert_eq!(found(&kelvin, "kelvin"), 1, "a Kelvin sign lowercases to k");
        assert_eq!(found(file, "café"), 1, "a word beyond ASCII");
    }

    #[test]
    fn only_the_known_characters_lowercase_to_ascii_letters() {
        let found: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().any(|lower| lower.is_ascii()))
            .collect();
        assert_eq!(found, LOWERCASE_TO_ASCII);
    }

    #[test]
    fn urgency_follows_the_documented_table() {
        let score = |line: &str| urgency(&Task::parse(line), day(TODAY));
        assert_eq!(score("Nothing special"), 0.0);
        assert_eq!(score("Due today due:2026-11-22"), 12.0);
        assert_eq!(score("Two days late due:2026-11-20"), 14.0);
        assert_eq!(score("Very late due:2025-01-01"), 19.0);
        assert_eq!(score("In 15 days due:2026-12-07"), 0.0);
        assert!((score("In 3 days due:2026-11-25") - 8.0).abs() < 1e-9);
        assert_eq!(score("(A) Top"), 6.0);
        assert_eq!(score("(D) Low"), 1.0);
        assert_eq!(score("2026-10-23 Thirty days old"), 1.0);
        assert_eq!(score("2020-01-01 Ancient"), 2.0);
        assert_eq!(score("Waiting @waiting"), -3.0);
    }

    #[test]
    fn query_words_are_read_as_the_documented_parts() {
        let filter = Filter::from_query(["+work @office (a-c) owner:ben", "Report +"]);
        assert_eq!(filter.projects, ["work"]);
        assert_eq!(filter.contexts, ["office"]);
        assert_eq!(
            filter.priority,
            Some((Priority::new('A').unwrap(), Priority::new('C').unwrap()))
        );
        assert_eq!(filter.owner.as_deref(), Some("ben"));
        assert_eq!(filter.words, ["report", "+"]);
    }
}
