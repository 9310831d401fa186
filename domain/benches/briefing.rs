//! The morning briefing plus the reminders due, over a store with 10k tasks and a
//! five-year calendar.txt, parsed files given: what the scheduler computes each time
//! it runs, without the reading and parsing of the files (measured in the parsers'
//! benchmark). `cargo bench -p myorg-domain`.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use myorg_domain::briefing::{DayContext, Files, Settings, Whom, morning};
use myorg_domain::reminders::{self, Recipient, SentLog, due_reminders, plan};
use myorg_parsers::calendar::header::day_header;
use myorg_parsers::{CalendarFile, ProjectsFile, TodoFile};
use std::hint::black_box;

const PROJECTS: [&str; 8] = [
    "website",
    "q4-report",
    "hiring",
    "kitchen",
    "garden",
    "taxes",
    "onboarding",
    "podcast",
];
const OWNERS: [&str; 4] = ["", " owner:ana", " owner:ben", " owner:carla"];

fn todo(tasks: usize, today: NaiveDate) -> String {
    let mut out = String::new();
    for n in 0..tasks {
        let created = today - Days::new((n % 90) as u64);
        if n % 6 == 0 {
            out.push_str(&format!("x {} ", today - Days::new((n % 30) as u64)));
        } else if n % 4 == 0 {
            out.push_str(&format!("({}) ", (b'A' + (n % 3) as u8) as char));
        }
        out.push_str(&format!(
            "{created} Task number {n} about {} +{} @ctx{}{}",
            n * 7 % 1000,
            PROJECTS[n % PROJECTS.len()],
            n % 5,
            OWNERS[n % OWNERS.len()]
        ));
        if n % 3 == 0 {
            let due = today + Days::new((n % 40) as u64) - Days::new(10);
            out.push_str(&format!(" due:{due}"));
        }
        if n % 17 == 0 {
            out.push_str(&format!(
                " @waiting who:person{} followup:{}",
                n % 9,
                today - Days::new((n % 12) as u64)
            ));
        }
        out.push('\n');
    }
    out
}

fn calendar(from: NaiveDate, days: u64) -> String {
    let mut out = String::new();
    for offset in 0..days {
        let day = from + Days::new(offset);
        out.push_str(&day_header(day));
        match offset % 4 {
            0 => out.push_str("  9:30-10 standup 13 lunch with Marta 18:30-20 yoga\n"),
            1 => out.push_str("  dentist reminder 11-12 review 16 call\n"),
            2 => out.push('\n'),
            _ => out.push_str("  10 planning\n"),
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let todo = TodoFile::parse(todo(10_000, today));
    let done = TodoFile::parse("");
    let calendar = CalendarFile::parse(calendar(
        NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        5 * 365 + 1,
    ));
    let projects = ProjectsFile::parse(
        PROJECTS
            .iter()
            .map(|p| format!("+{p} The {p} project status:active goal:g{}\n", p.len() % 3))
            .collect::<String>(),
    );
    let goals = ProjectsFile::parse(
        "+g0 Goal zero status:active\n+g1 Goal one status:active\n+g2 Goal two status:active\n",
    );
    let files = Files {
        todo: &todo,
        done: &done,
        calendar: &calendar,
        projects: &projects,
        goals: &goals,
    };
    let whom = Whom {
        handle: Some("ana".into()),
        unassigned_too: true,
    };
    let recipients: Vec<Recipient> = ["ana", "ben", "carla"]
        .iter()
        .enumerate()
        .map(|(n, handle)| Recipient {
            handle: handle.to_string(),
            timezone: chrono_tz::Europe::Madrid,
            quiet: Some((
                NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
            )),
            gets_unassigned: n == 0,
            max_per_day: None,
            muted: Vec::new(),
        })
        .collect();
    let first = DayContext {
        context: "@computer".into(),
        why: "work hours".into(),
    };
    let now: DateTime<Utc> = "2026-11-23T08:05:00Z".parse().unwrap();
    let settings = reminders::Settings::default();
    let sent = SentLog::default();
    c.bench_function("morning briefing + reminders, 10k tasks, 5-year calendar", |b| {
        b.iter(|| {
            let briefing = morning(files, &whom, today, &Settings::default(), Some(&first));
            let reminder_files = reminders::Files {
                todo: &todo,
                calendar: &calendar,
            };
            let due = due_reminders(
                &reminder_files,
                &recipients,
                chrono_tz::Europe::Madrid,
                &settings,
                now,
            );
            let planned = plan(due, &sent, &recipients, &settings, now);
            black_box((briefing, planned))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
