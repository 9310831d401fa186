//! Parsing and serializing speed on realistic files: a generated 100k-line todo.txt
//! and a 10-year calendar.txt. Throughput is in bytes of input (criterion's MiB/s is
//! 2^20 bytes per second).

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use myorg_parsers::calendar::header::day_header;
use myorg_parsers::{CalendarFile, Task, TodoFile, TodoLine};
use std::hint::black_box;

const VERBS: [&str; 8] = [
    "Call", "Write", "Review", "Fix", "Plan", "Buy", "Email", "Prepare",
];
const THINGS: [&str; 8] = [
    "the quarterly report for leadership",
    "Mum about the weekend",
    "contact form on staging",
    "new pricing page copy",
    "groceries for the week",
    "laptop setup for Dani",
    "garden layout and seeds",
    "tax documents for the gestor",
];
const PROJECTS: [&str; 6] = [
    "+website",
    "+q4-report",
    "+hiring",
    "+kitchen",
    "+garden",
    "+taxes",
];
const CONTEXTS: [&str; 5] = ["@computer", "@phone", "@email", "@errands", "@office"];

/// A todo.txt of `lines` lines using every extension, deterministic.
fn todo_txt(lines: usize) -> String {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let mut out = String::with_capacity(lines * 90);
    for i in 0..lines {
        let created = start + chrono::Days::new((i % 600) as u64);
        let due = created + chrono::Days::new((i % 45) as u64);
        let what = format!("{} {}", VERBS[i % 8], THINGS[(i / 8) % 8]);
        let line = match i % 10 {
            0 => format!("x {due} {created} {what} {} pri:B", PROJECTS[i % 6]),
            1 => format!("{created} {what} @waiting who:ben followup:{due}"),
            2 => format!(
                "(A) {created} {what} {} {} due:{due} rec:+1w",
                PROJECTS[i % 6],
                CONTEXTS[i % 5]
            ),
            3 => format!("{created} {what} https://example.com/issues/{i} t:{created} due:{due}"),
            4 => format!("(C) {what} {} owner:carla id:{i} estimate:2h", PROJECTS[i % 6]),
            5 => format!("{created} {what} {} p:{} h:1", CONTEXTS[i % 5], i - 1),
            6 => String::new(),
            _ => format!(
                "(B) {created} {what} {} {} due:{due}",
                PROJECTS[i % 6],
                CONTEXTS[i % 5]
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Ten years of calendar.txt: year, month and week-goal lines and a line per day.
fn calendar_txt() -> String {
    let mut out = String::new();
    let mut date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    let mut i = 0usize;
    while date < end {
        use chrono::Datelike;
        if date.ordinal() == 1 {
            out.push_str(&format!("{}  Ship, grow, rest\n", date.year()));
        }
        if date.day() == 1 {
            out.push_str(&format!("{}  Month focus\n", date.format("%Y-%m")));
        }
        if date.weekday() == chrono::Weekday::Mon {
            out.push_str(&format!("{} w{:02}  Week goal\n", date, date.iso_week().week()));
        }
        out.push_str(&day_header(date));
        match i % 4 {
            0 => out.push_str("  9:30-10 standup 14 dentist 18:30-20 yoga"),
            1 => out.push_str("  Mum's birthday 19 dinner at Lola's"),
            2 => out.push_str("  10-11:30 design review"),
            _ => {}
        }
        out.push('\n');
        date = date.succ_opt().unwrap();
        i += 1;
    }
    out
}

fn todo(c: &mut Criterion) {
    let text = todo_txt(100_000);
    let mut group = c.benchmark_group("todo.txt 100k lines");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    // Timed: copying the text into the document's buffer, parsing every line, and
    // dropping the document. The other groups time only what their names say.
    group.bench_function("parse", |b| {
        b.iter(|| TodoFile::parse(black_box(text.as_bytes())))
    });
    let doc = TodoFile::parse(text.as_bytes());
    group.bench_function("serialize unmodified", |b| b.iter(|| black_box(&doc).to_bytes()));
    let mut edited = doc.clone();
    edited.replace(50_000, TodoLine::Task(Task::new("edited line +bench")));
    group.bench_function("serialize with one edit", |b| {
        b.iter(|| black_box(&edited).to_bytes())
    });
    group.bench_function("diagnostics", |b| b.iter(|| black_box(&doc).diagnostics()));
    group.finish();
}

fn calendar(c: &mut Criterion) {
    let text = calendar_txt();
    let mut group = c.benchmark_group("calendar.txt 10 years");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| CalendarFile::parse(black_box(text.as_bytes())))
    });
    let doc = CalendarFile::parse(text.as_bytes());
    group.bench_function("serialize unmodified", |b| b.iter(|| black_box(&doc).to_bytes()));
    group.finish();
}

criterion_group!(benches, todo, calendar);
criterion_main!(benches);
