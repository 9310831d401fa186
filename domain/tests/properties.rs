//! Property tests of the domain: the date language never panics, whatever the words
//! and whatever day it is; a recurring task always comes back later than it was
//! (than its old dates when strict, than the day it was done otherwise); and a task's
//! reference keeps naming it when other lines change (or says it is ambiguous, never
//! naming another task).

use chrono::{Datelike, NaiveDate};
use myorg_domain::recurrence::{advance, next_occurrence};
use myorg_domain::reference::{RefError, References, Scope, reference, resolve};
use myorg_domain::when::parse_when;
use myorg_parsers::{Recurrence, RecurrenceUnit, Task, TodoFile};
use proptest::prelude::*;

/// Any day chrono has, its first and last included.
fn any_day() -> impl Strategy<Value = NaiveDate> {
    let (min, max) = (
        NaiveDate::MIN.num_days_from_ce(),
        NaiveDate::MAX.num_days_from_ce(),
    );
    prop_oneof![
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        (min..=max).prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap()),
    ]
}

/// A day todo.txt can write (years 0 to 9999).
fn writable_day() -> impl Strategy<Value = NaiveDate> {
    let (min, max) = (
        NaiveDate::from_ymd_opt(0, 1, 1).unwrap().num_days_from_ce(),
        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap().num_days_from_ce(),
    );
    prop_oneof![
        Just(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()),
        (min..=max).prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap()),
    ]
}

/// Words of the date language, and some that are near them.
const WORDS: &str = "today tomorrow tom yesterday now next this in after end of eow eom eoy \
    week month year day days weeks months years business working d w m y b the a an one \
    ten mon monday fri sun sunday jan feb february sept dec december 1st 2nd 15th 29th \
    30th 31st 32nd 0th 2026-12-01 2026-02-30 9999-12-31 0000-01-01 3d +1m 2w 5b 100000 \
    100001 4294967296 -1 0 , 262143 -262144";

/// Whole phrases of the date language, at the calendar's ends too.
const PHRASES: &str = "today|tomorrow|yesterday|next week|next month|next year|end of week|\
    eow|end of month|eom|end of year|eoy|fri|next monday|this sunday|in 3 days|in 2 weeks|\
    in a month|in 100000 years|in 5 business days|3d|+1m|5b|the 15th|31st|dec 5|feb 29|\
    5 dec 262143|dec 31 -262144|2026-12-01";

/// Phrases of the date language, or words of it and others in any order.
fn when_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        prop::sample::select(WORDS.split_whitespace().collect::<Vec<_>>()).prop_map(str::to_string),
        "[0-9]{1,12}",
        "[a-z+,.-]{1,8}",
        any::<String>(),
    ];
    let phrase =
        prop::sample::select(PHRASES.split('|').map(str::trim).collect::<Vec<_>>()).prop_map(str::to_string);
    prop_oneof![
        phrase,
        proptest::collection::vec(word, 0..5).prop_map(|words| words.join(" ")),
    ]
}

/// A `rec:` value: maybe strict, a count (a few large ones), a unit.
fn rule() -> impl Strategy<Value = Recurrence> {
    (
        any::<bool>(),
        prop_oneof![Just(1u32), 1u32..400, Just(u32::MAX), 1u32..=u32::MAX],
        prop::sample::select(vec!['d', 'w', 'm', 'y', 'b']),
    )
        .prop_map(|(strict, count, unit)| {
            Recurrence::parse(&format!("{}{count}{unit}", if strict { "+" } else { "" })).unwrap()
        })
}

/// The words of a task: a few short words, maybe a project or context.
fn task_words() -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof!["[a-z]{1,6}", "\\+[a-z]{1,3}", "@[a-z]{1,3}"], 1..5)
        .prop_map(|words| format!("w{}", words.join(" ")))
}

/// A change to lines other than the task's: insert a line, remove one, replace one.
#[derive(Debug, Clone)]
enum Change {
    Insert(prop::sample::Index, String),
    Remove(prop::sample::Index),
    Replace(prop::sample::Index, String),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<prop::sample::Index>(), task_words()).prop_map(|(at, line)| Change::Insert(at, line)),
        any::<prop::sample::Index>().prop_map(Change::Remove),
        (any::<prop::sample::Index>(), task_words()).prop_map(|(at, line)| Change::Replace(at, line)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_date_language_never_panics(text in when_text(), today in any_day()) {
        if let Ok(day) = parse_when(&text, today) {
            prop_assert!(myorg_domain::when::writable(day).is_some(), "{day}");
        }
    }

    #[test]
    fn a_recurrence_always_moves_a_day_forward(day in prop_oneof![writable_day(), any_day()], rule in rule()) {
        if let Some(next) = advance(day, rule) {
            prop_assert!(next > day, "{day} + {rule:?} = {next}");
        }
    }

    #[test]
    fn a_completed_recurring_task_comes_back_later(
        rule in rule(),
        due in prop::option::of(writable_day()),
        threshold in prop::option::of(writable_day()),
        done_on in writable_day(),
    ) {
        let rec = format!("{}{}{}", if rule.strict { "+" } else { "" }, rule.count, match rule.unit {
            RecurrenceUnit::Day => 'd',
            RecurrenceUnit::Week => 'w',
            RecurrenceUnit::Month => 'm',
            RecurrenceUnit::Year => 'y',
            RecurrenceUnit::BusinessDay => 'b',
        });
        let mut line = format!("Water the plants rec:{rec}");
        if let Some(due) = due {
            line.push_str(&format!(" due:{due}"));
        }
        if let Some(threshold) = threshold {
            line.push_str(&format!(" t:{threshold}"));
        }
        let task = Task::parse(&line);
        let Some(next) = next_occurrence(&task, done_on) else {
            return Ok(());
        };
        prop_assert!(!next.is_done());
        prop_assert_eq!(next.recurrence(), Some(rule));
        let from = |old: NaiveDate| if rule.strict { old } else { done_on };
        match (due, threshold) {
            (Some(due), threshold) => {
                let new_due = next.due().unwrap();
                prop_assert!(new_due > from(due), "{line} done on {done_on}: due {new_due}");
                if let Some(threshold) = threshold {
                    prop_assert_eq!(next.threshold().map(|t| new_due - t), Some(due - threshold));
                }
            }
            (None, Some(threshold)) => {
                let new_threshold = next.threshold().unwrap();
                prop_assert!(new_threshold > from(threshold), "{line} done on {done_on}: t {new_threshold}");
                prop_assert_eq!(next.due(), None);
            }
            (None, None) => {
                prop_assert!(next.due().unwrap() > done_on, "{line} done on {done_on}");
            }
        }
    }

    #[test]
    fn a_reference_keeps_naming_its_task_when_other_lines_change(
        others in proptest::collection::vec(task_words(), 0..12),
        target in task_words(),
        at in any::<prop::sample::Index>(),
        changes in proptest::collection::vec(change(), 1..6),
    ) {
        // Other lines never have the task's words (the reference is made of them).
        let words = |line: &str| Task::parse(line).description().split(' ').map(str::to_string).collect::<Vec<_>>();
        let same = |line: &str| words(line) == words(&target);
        let mut lines: Vec<String> = others.into_iter().filter(|line| !same(line)).collect();
        let mut index = at.index(lines.len() + 1);
        lines.insert(index, target.clone());
        let todo = TodoFile::parse(lines.join("\n"));
        let task = todo.get(index).and_then(|line| line.task()).cloned().unwrap();
        let full = reference(&task);
        let shown = References::of(&todo).shown(&task);
        prop_assert_eq!(resolve(&todo, &shown, Scope::All), Ok(index));

        for change in changes {
            match change {
                Change::Insert(at, line) if !same(&line) => {
                    let at = at.index(lines.len() + 1);
                    lines.insert(at, line);
                    if at <= index {
                        index += 1;
                    }
                }
                Change::Remove(at) if lines.len() > 1 => {
                    let at = at.index(lines.len() - 1);
                    // Any line but the task's.
                    let at = if at >= index { at + 1 } else { at };
                    lines.remove(at);
                    if at < index {
                        index -= 1;
                    }
                }
                Change::Replace(at, line) if lines.len() > 1 && !same(&line) => {
                    let at = at.index(lines.len() - 1);
                    let at = if at >= index { at + 1 } else { at };
                    lines[at] = line;
                }
                _ => {}
            }
        }
        let changed = TodoFile::parse(lines.join("\n"));
        let moved = changed.get(index).and_then(|line| line.task()).cloned().unwrap();
        prop_assert_eq!(&moved, &task);
        prop_assert_eq!(reference(&moved), full.clone());
        prop_assert_eq!(resolve(&changed, &full, Scope::All), Ok(index));
        // The shorter reference shown before, and its first two letters (the
        // shortest accepted): the task, or an ambiguity that lists it (a new line may
        // share the prefix), never another task or nothing.
        for given in [shown.as_str(), &shown[..2]] {
            match resolve(&changed, given, Scope::All) {
                Ok(found) => prop_assert_eq!(found, index),
                Err(RefError::Ambiguous(_, matches)) => {
                    prop_assert!(matches.iter().any(|(line, _)| *line == index + 1), "{matches:?}");
                }
                Err(other) => prop_assert!(false, "{given} in the changed file: {other}"),
            }
        }
    }
}
