//! Property tests: parsing then serializing an unmodified document is the identity,
//! for arbitrary strings and arbitrary bytes, in every format; a task written in
//! canonical form reads back as the same task; editing one field of a task keeps its
//! other fields and its line ending; inserting or removing a line leaves every other
//! line as it was, in every format, and appending to a file's bytes writes what
//! appending to its document does; completing a task twice, or making sure of a
//! calendar day twice, is the same as once.

use chrono::NaiveDate;
use myorg_parsers::{
    CalendarFile, CalendarLine, Document, Ending, KpiFile, KpiLine, LineItem, LogFile, LogLine, Priority,
    ProjectLine, ProjectsFile, Task, TodoFile, TodoLine,
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
    assert_eq!(KpiFile::parse(input.to_vec()).to_bytes(), input);
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

/// A task line in todo.txt's shape: maybe done, maybe a priority and a creation date,
/// then words, projects, contexts and tags (some keys repeated).
fn task_line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[a-z]{1,6}",
        "\\+[a-z]{1,4}",
        "@[a-z]{1,4}",
        ("(due|t|owner|rec|id|k)", "[a-z0-9-]{1,10}").prop_map(|(k, v)| format!("{k}:{v}")),
        Just("due:2026-12-01".to_string()),
        Just("http://a.b".to_string()),
    ];
    (
        prop::option::of(Just("x 2026-11-20 ")),
        prop::option::of("\\([A-C]\\) "),
        prop::option::of(Just("2026-11-01 ")),
        "[a-w][a-z]{0,5}",
        proptest::collection::vec(word, 0..8),
    )
        .prop_map(|(done, priority, created, first, words)| {
            let mut line = String::new();
            line.push_str(done.unwrap_or_default());
            if done.is_none() {
                line.push_str(&priority.unwrap_or_default());
            }
            line.push_str(created.unwrap_or_default());
            line.push_str(&first);
            for word in words {
                line.push(' ');
                line.push_str(&word);
            }
            line
        })
}

/// One edit of one field of a task.
#[derive(Debug, Clone)]
enum Edit {
    Tag(String, String),
    RemoveTag(String),
    Priority(Option<char>),
    Project(String),
    Context(String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        ("(due|t|owner|k|new)", "[a-z0-9-]{1,10}").prop_map(|(k, v)| Edit::Tag(k, v)),
        "(due|t|owner|k)".prop_map(Edit::RemoveTag),
        prop::option::of(prop::char::range('A', 'Z')).prop_map(Edit::Priority),
        "[a-z]{1,5}".prop_map(Edit::Project),
        "[a-z]{1,5}".prop_map(Edit::Context),
    ]
}

/// The words of a task's description, without those `edited` says the edit may touch.
fn other_words(task: &Task, edited: impl Fn(&str) -> bool) -> Vec<String> {
    task.description()
        .split([' ', '\t', '\r'])
        .filter(|word| !word.is_empty() && !edited(word))
        .map(str::to_string)
        .collect()
}

/// The words of a task an edit must leave as they were.
type Untouched = Box<dyn Fn(&Task) -> Vec<String>>;

/// Whether `word` is one of `task`'s tags with this key.
fn is_tag(task: &Task, key: &str, word: &str) -> bool {
    task.tags().any(|(k, v)| k == key && word == format!("{k}:{v}"))
}

/// The lines of a document as they are written: bytes and ending.
fn lines_of<T>(doc: &Document<T>) -> Vec<(Vec<u8>, Ending)> {
    (0..doc.len())
        .map(|i| (doc.raw(i).unwrap().to_vec(), doc.ending(i).unwrap()))
        .collect()
}

/// A file of these lines, after a byte-order mark when `bom`.
fn file_of(bom: bool, lines: &[(Vec<u8>, Ending)]) -> Vec<u8> {
    let mut out = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
    for (raw, ending) in lines {
        out.extend_from_slice(raw);
        out.extend_from_slice(ending.as_bytes());
    }
    out
}

/// Inserting `text` as a line at `at` writes every other line as it was (the last
/// line of a file without a final newline gets one when the new line goes after it,
/// which then has none).
fn insert_keeps_the_others<T: LineItem>(
    input: &[u8],
    at: prop::sample::Index,
    text: &str,
) -> Result<(), TestCaseError> {
    let mut doc = Document::<T>::parse(input.to_vec());
    let bom = input.starts_with(b"\xEF\xBB\xBF");
    prop_assert_eq!(file_of(bom, &lines_of(&doc)), input);
    let mut expected = lines_of(&doc);
    let index = at.index(doc.len() + 1);
    let usual = doc.usual_ending();
    let item = T::parse(text);
    let mut ending = usual;
    if index == expected.len()
        && let Some(last) = expected.last_mut()
        && last.1 == Ending::None
    {
        last.1 = usual;
        ending = Ending::None;
    }
    expected.insert(index, (item.render().into_bytes(), ending));
    doc.insert(index, item);
    prop_assert_eq!(doc.to_bytes(), file_of(bom, &expected));
    Ok(())
}

/// Removing the line at `at` writes every other line as it was (when the removed
/// line was the last, without a final newline, the new last line has none either).
fn remove_keeps_the_others<T: LineItem>(input: &[u8], at: prop::sample::Index) -> Result<(), TestCaseError> {
    let mut doc = Document::<T>::parse(input.to_vec());
    if doc.is_empty() {
        prop_assert!(doc.remove(0).is_none());
        prop_assert_eq!(doc.to_bytes(), input);
        return Ok(());
    }
    let bom = input.starts_with(b"\xEF\xBB\xBF");
    let mut expected = lines_of(&doc);
    let index = at.index(doc.len());
    let (_, removed_ending) = expected.remove(index);
    if removed_ending == Ending::None
        && let Some(last) = expected.last_mut()
    {
        last.1 = Ending::None;
    }
    prop_assert!(doc.remove(index).is_some());
    prop_assert_eq!(doc.to_bytes(), file_of(bom, &expected));
    Ok(())
}

/// A line for each format to insert: a task, a project, a day, a log entry, a
/// reading, or
/// text that is none of them.
fn new_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("(A) 2026-11-22 New task +proj due:2026-12-01".to_string()),
        Just("New project +slug status:active".to_string()),
        Just("2026-11-22 w47 Sun  10:30-11 new event".to_string()),
        Just("2026-11-22 10:30 Ana: new entry".to_string()),
        Just("2026-11-22 mrr:1200 users:-3.5".to_string()),
        "[a-z +@:0-9-]{0,20}",
    ]
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (1900i32..2200, 1u32..=366).prop_filter_map("a real day", |(year, ordinal)| {
        NaiveDate::from_yo_opt(year, ordinal)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn editing_one_field_keeps_the_others_and_the_line_ending(
        line in task_line(),
        edit in edit(),
        (others, endings) in (other_lines(), proptest::collection::vec(0u8..3, 0..8)),
        pick in any::<prop::sample::Index>(),
    ) {
        // The task among other lines, each line with its own ending.
        let at = pick.index(others.len() + 1);
        let mut lines: Vec<Vec<u8>> = others.into_iter().filter(|l| !l.contains(&b'\r')).collect();
        let at = at.min(lines.len());
        lines.insert(at, line.clone().into_bytes());
        let ending_of = |i: usize| match endings.get(i).copied().unwrap_or(0) {
            0 => &b"\n"[..],
            1 => b"\r\n",
            _ if i + 1 == lines.len() => b"",
            _ => b"\n",
        };
        let file: Vec<u8> = (0..lines.len()).flat_map(|i| [lines[i].as_slice(), ending_of(i)].concat()).collect();
        let mut doc = TodoFile::parse(file);
        let ending = doc.ending(at).unwrap();
        let before = doc.get(at).and_then(|item| item.task()).cloned().unwrap();
        let mut after = before.clone();
        let untouched: Untouched = match &edit {
            Edit::Tag(key, value) => {
                after.set_tag(key, value).unwrap();
                prop_assert_eq!(after.tag(key), Some(value.as_str()));
                let key = key.clone();
                Box::new(move |task| other_words(task, |w| is_tag(task, &key, w)))
            }
            Edit::RemoveTag(key) => {
                after.remove_tag(key);
                prop_assert_eq!(after.tag(key), None);
                let key = key.clone();
                Box::new(move |task| other_words(task, |w| is_tag(task, &key, w)))
            }
            Edit::Priority(letter) => {
                let priority = letter.and_then(|l| Priority::from_text(&l.to_string()));
                after.set_priority(priority);
                if before.is_done() {
                    prop_assert_eq!(after.kept_priority(), priority);
                } else {
                    prop_assert_eq!(after.priority(), priority);
                }
                Box::new(|task| other_words(task, |w| is_tag(task, "pri", w)))
            }
            Edit::Project(name) => {
                after.add_project(name).unwrap();
                prop_assert!(after.has_project(name));
                let word = format!("+{name}");
                Box::new(move |task| other_words(task, |w| w == word))
            }
            Edit::Context(name) => {
                after.add_context(name).unwrap();
                prop_assert!(after.has_context(name));
                let word = format!("@{name}");
                Box::new(move |task| other_words(task, |w| w == word))
            }
        };
        doc.replace(at, TodoLine::Task(after));
        let written = TodoFile::parse(doc.to_bytes());
        prop_assert_eq!(written.len(), doc.len());
        prop_assert_eq!(written.ending(at), Some(ending));
        let read = written.get(at).and_then(|item| item.task()).cloned().unwrap();
        prop_assert_eq!(read.is_done(), before.is_done());
        prop_assert_eq!(read.completed(), before.completed());
        prop_assert_eq!(read.created(), before.created());
        if !matches!(edit, Edit::Priority(_)) {
            prop_assert_eq!(read.priority(), before.priority());
        }
        prop_assert_eq!(untouched(&read), untouched(&before));
    }

    #[test]
    fn inserting_a_line_leaves_the_others_intact_in_every_format(
        input in store_like_text(),
        at in any::<prop::sample::Index>(),
        text in new_line(),
    ) {
        insert_keeps_the_others::<TodoLine>(input.as_bytes(), at, &text)?;
        insert_keeps_the_others::<ProjectLine>(input.as_bytes(), at, &text)?;
        insert_keeps_the_others::<CalendarLine>(input.as_bytes(), at, &text)?;
        insert_keeps_the_others::<LogLine>(input.as_bytes(), at, &text)?;
        insert_keeps_the_others::<KpiLine>(input.as_bytes(), at, &text)?;
    }

    #[test]
    fn removing_a_line_leaves_the_others_intact_in_every_format(
        input in store_like_text(),
        at in any::<prop::sample::Index>(),
    ) {
        remove_keeps_the_others::<TodoLine>(input.as_bytes(), at)?;
        remove_keeps_the_others::<ProjectLine>(input.as_bytes(), at)?;
        remove_keeps_the_others::<CalendarLine>(input.as_bytes(), at)?;
        remove_keeps_the_others::<LogLine>(input.as_bytes(), at)?;
        remove_keeps_the_others::<KpiLine>(input.as_bytes(), at)?;
    }

    #[test]
    fn appending_without_parsing_writes_what_push_writes(
        text in store_like_text(),
        bytes in proptest::collection::vec(prop_oneof![any::<u8>(), Just(b'\r'), Just(b'\n')], 0..200),
        line in new_line(),
    ) {
        for input in [text.into_bytes(), bytes] {
            let item = TodoLine::parse(&line);
            let mut doc = TodoFile::parse(input.clone());
            doc.push(item.clone());
            prop_assert_eq!(TodoFile::appended(input, &item), doc.to_bytes());
        }
    }

    #[test]
    fn inserting_and_removing_in_bytes_that_are_not_utf8_leaves_the_others_intact(
        input in proptest::collection::vec(any::<u8>(), 0..200),
        at in any::<prop::sample::Index>(),
        text in new_line(),
    ) {
        insert_keeps_the_others::<TodoLine>(&input, at, &text)?;
        insert_keeps_the_others::<CalendarLine>(&input, at, &text)?;
        remove_keeps_the_others::<TodoLine>(&input, at)?;
        remove_keeps_the_others::<LogLine>(&input, at)?;
    }

    #[test]
    fn completing_a_task_twice_is_completing_it_once(line in task_line(), first in day(), second in day()) {
        let mut once = Task::parse(&line);
        once.complete(first);
        let mut twice = once.clone();
        twice.complete(second);
        prop_assert_eq!(twice.render(), once.render());
        prop_assert_eq!(&twice, &once);
        prop_assert!(once.is_done());
    }

    #[test]
    fn ensuring_a_calendar_day_twice_is_ensuring_it_once(input in store_like_text(), date in day()) {
        let mut doc = CalendarFile::parse(input);
        let index = doc.ensure_day(date);
        let once = doc.to_bytes();
        prop_assert_eq!(doc.ensure_day(date), index);
        prop_assert_eq!(doc.to_bytes(), once);
        prop_assert_eq!(doc.day_index(date), Some(index));
    }
}
