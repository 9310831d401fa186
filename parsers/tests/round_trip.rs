//! Property tests: parsing then serializing an unmodified document is the identity,
//! for arbitrary strings and arbitrary bytes, in every format; and a task written in
//! canonical form reads back as the same task.

use myorg_parsers::{
    CalendarFile, CalendarLine, LineItem, LogFile, LogLine, ProjectsFile, Task, TodoFile, TodoLine,
};
use proptest::prelude::*;

/// Text biased towards the characters the grammars care about.
fn store_like_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("x ".to_string()),
            Just("(A) ".to_string()),
            Just("2026-11-22 ".to_string()),
            Just("2026-02-30".to_string()),
            Just(" w47 Sun  ".to_string()),
            Just("+proj ".to_string()),
            Just("@ctx ".to_string()),
            Just("due:2026-12-01 ".to_string()),
            Just("rec:+1w ".to_string()),
            Just("http://a.b ".to_string()),
            Just("10:30-11 ".to_string()),
            Just("\r\n".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just("\t".to_string()),
            Just("\u{a0}".to_string()),
            Just("\u{feff}".to_string()),
            "[a-z:+@()0-9 -]{0,8}",
            any::<String>(),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// An open task in canonical form (words after a first plain one, single spaces, no
/// `due:`), some of its words holding bytes that are not UTF-8, the same ones repeated.
fn task_with_unreadable_bytes() -> impl Strategy<Value = Vec<u8>> {
    let word = prop_oneof![
        "[a-z]{1,6}".prop_map(String::into_bytes),
        "[+@][a-z]{1,4}".prop_map(String::into_bytes),
        Just(b"\xff".to_vec()),
        Just(b"\xfe".to_vec()),
        Just(b"+bin\xc3".to_vec()),
        (
            "[a-z]{0,3}",
            proptest::collection::vec(0x80u8..=0xff, 1..4),
            "[a-z]{0,3}"
        )
            .prop_map(|(a, bad, b)| [a.as_bytes(), &bad, b.as_bytes()].concat()),
    ];
    (
        "[a-w][a-z]{0,5}",
        proptest::collection::vec(word, 0..12),
        0x80u8..=0xff,
    )
        .prop_map(|(first, words, bad)| {
            let mut line = first.into_bytes();
            line.push(bad);
            for word in words {
                line.push(b' ');
                line.extend_from_slice(&word);
            }
            line
        })
}

/// Lines of any bytes but LF.
fn other_lines() -> impl Strategy<Value = Vec<Vec<u8>>> {
    proptest::collection::vec(
        proptest::collection::vec(any::<u8>().prop_filter("no LF", |b| *b != b'\n'), 0..30),
        0..6,
    )
}

fn assert_identity(input: &[u8]) {
    assert_eq!(TodoFile::parse(input.to_vec()).to_bytes(), input);
    assert_eq!(ProjectsFile::parse(input.to_vec()).to_bytes(), input);
    assert_eq!(CalendarFile::parse(input.to_vec()).to_bytes(), input);
    assert_eq!(LogFile::parse(input.to_vec()).to_bytes(), input);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn round_trip_of_arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..400)) {
        assert_identity(&input);
    }

    #[test]
    fn round_trip_of_arbitrary_strings(input in any::<String>()) {
        assert_identity(input.as_bytes());
    }

    #[test]
    fn round_trip_of_store_like_text(input in store_like_text()) {
        assert_identity(input.as_bytes());
        let doc = TodoFile::parse(input.clone());
        let _ = doc.diagnostics();
    }

    #[test]
    fn the_fast_line_reading_agrees_with_the_document(input in store_like_text()) {
        let doc = TodoFile::parse(input.clone());
        let lines: Vec<(usize, &str)> = myorg_parsers::todo::lines(&input).collect();
        prop_assert_eq!(lines.len(), doc.len());
        for (index, line) in lines {
            prop_assert_eq!(doc.text(index).unwrap(), line);
            match doc.get(index).unwrap() {
                TodoLine::Blank => prop_assert!(myorg_parsers::todo::is_blank_line(line)),
                TodoLine::Task(task) => {
                    prop_assert!(!myorg_parsers::todo::is_blank_line(line));
                    prop_assert_eq!(Task::description_of(line), task.description());
                }
            }
        }
    }

    #[test]
    fn editing_one_line_changes_no_other_byte(input in store_like_text(), pick in any::<prop::sample::Index>()) {
        let mut doc = TodoFile::parse(input.clone());
        prop_assume!(!doc.is_empty());
        let index = pick.index(doc.len());
        let before: Vec<Vec<u8>> = (0..doc.len()).map(|i| doc.raw(i).unwrap().to_vec()).collect();
        doc.replace(index, TodoLine::Task(Task::new("edited")));
        let after = TodoFile::parse(doc.to_bytes());
        prop_assert_eq!(after.len(), before.len());
        for (i, raw) in before.iter().enumerate() {
            if i != index {
                prop_assert_eq!(after.raw(i).unwrap(), raw.as_slice());
            }
        }
        prop_assert_eq!(after.raw(index).unwrap(), b"edited");
    }

    #[test]
    fn editing_a_line_keeps_its_bytes_that_are_not_utf8(
        (line, others) in (task_with_unreadable_bytes(), other_lines()),
        pick in any::<prop::sample::Index>(),
        complete in any::<bool>(),
    ) {
        let at = pick.index(others.len() + 1);
        let mut file = Vec::new();
        for (i, other) in others.iter().enumerate() {
            if i == at {
                file.extend_from_slice(&line);
                file.push(b'\n');
            }
            file.extend_from_slice(other);
            file.push(b'\n');
        }
        if at == others.len() {
            file.extend_from_slice(&line);
            file.push(b'\n');
        }
        let mut doc = TodoFile::parse(file.clone());
        let mut task = doc.get(at).and_then(|item| item.task()).cloned().unwrap();
        let expected = if complete {
            task.complete(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
            [&b"x 2026-11-22 "[..], &line].concat()
        } else {
            task.set_tag("due", "2026-12-01").unwrap();
            [&line[..], b" due:2026-12-01"].concat()
        };
        doc.replace(at, TodoLine::Task(task.clone()));
        let written = doc.to_bytes();
        let start: usize = others[..at].iter().map(|o| o.len() + 1).sum();
        prop_assert_eq!(&written[..start], &file[..start]);
        prop_assert_eq!(&written[start..start + expected.len()], expected.as_slice());
        prop_assert_eq!(&written[start + expected.len()..], &file[start + line.len()..]);
        // It reads back as the task that was written.
        let again = TodoFile::parse(written);
        prop_assert_eq!(again.get(at).and_then(|item| item.task()), Some(&task));
    }

    #[test]
    fn a_canonical_task_reads_back_the_same(line in store_like_text()) {
        let task = Task::parse(&line.replace('\n', " "));
        prop_assert_eq!(Task::parse(&task.render()), task);
    }

    #[test]
    fn canonical_calendar_and_log_lines_are_stable(line in store_like_text()) {
        let line = line.replace('\n', " ");
        let calendar = CalendarLine::parse(&line).render();
        prop_assert_eq!(CalendarLine::parse(&calendar).render(), calendar);
        let log = <LogLine as LineItem>::parse(&line).render();
        prop_assert_eq!(<LogLine as LineItem>::parse(&log).render(), log);
    }
}
