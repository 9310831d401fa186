//! A simulated week of reminders, minute by minute through a fake clock, across the
//! end of summer time in Europe/Madrid (2026-10-25), with the assistant restarted
//! every few hours (the ledger read back from its file): no reminder twice, none
//! missed, none in quiet hours (an event in them is said the evening before), never
//! more than the daily limit; and `myorg remind` through the real binary, also two
//! at once.

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use myorg_assistant::reminders::ledger::Ledger;
use myorg_assistant::reminders::{Deliver, Reminders};
use myorg_domain::reminders::{Files, Message, Recipient, Settings, due_reminders};
use myorg_parsers::{CalendarFile, TodoFile};
use std::collections::{HashMap, HashSet};
use std::path::Path;

mod support;
use support::{myorg, myorg_command, stdout};

const TODO: &str = "\
(A) 2026-10-01 Send the report owner:ana due:2026-10-23
2026-10-01 Book the venue owner:ben due:2026-10-27
2026-10-01 Renew insurance due:2026-10-28
2026-10-01 Pay the plumber due:2026-10-19
2026-10-01 Call the bank due:2026-10-25
2026-10-01 Car inspection due:2026-11-02
2026-10-01 Quote for the fence @waiting who:ruiz
2026-10-20 Keys from the landlord @waiting who:landlord followup:2026-10-24
x 2026-10-20 2026-10-01 Already done due:2026-10-24
";

const CALENDAR: &str = "\
2026-10-21 w43 Wed  9:30-10 standup 13 lunch with Marta
2026-10-22 w43 Thu  7:15 early run 18:30-20 yoga
2026-10-23 w43 Fri  0:10 night train 16-17 retro
2026-10-24 w43 Sat  11 haircut 22:45 late film
2026-10-25 w43 Sun  2:30 the hour that happens twice 10 brunch
2026-10-26 w44 Mon  9:30-10 standup
2026-10-27 w44 Tue  12 dentist
";

fn t(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
}

fn reminders() -> Reminders {
    Reminders {
        settings: Settings {
            max_per_day: 4,
            ..Settings::default()
        },
        recipients: vec![
            Recipient {
                handle: "ana".into(),
                timezone: chrono_tz::Europe::Madrid,
                quiet: Some((t(22, 0), t(7, 0))),
                gets_unassigned: true,
            },
            Recipient {
                handle: "ben".into(),
                timezone: chrono_tz::America::New_York,
                quiet: Some((t(23, 0), t(8, 0))),
                gets_unassigned: false,
            },
        ],
        store_timezone: chrono_tz::Europe::Madrid,
    }
}

/// Delivers into a list, as a person would receive them.
#[derive(Default)]
struct Inbox {
    received: Vec<(DateTime<Utc>, Message)>,
    now: Option<DateTime<Utc>>,
}

impl Deliver for Inbox {
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        self.received.push((self.now.unwrap(), message.clone()));
        Ok(())
    }
}

#[test]
fn a_week_minute_by_minute_with_restarts() {
    let store = tempfile::TempDir::new().unwrap();
    let state = tempfile::TempDir::new().unwrap();
    std::fs::write(store.path().join("todo.txt"), TODO).unwrap();
    std::fs::write(store.path().join("calendar.txt"), CALENDAR).unwrap();
    let rules = reminders();
    let todo = TodoFile::parse(TODO);
    let calendar = CalendarFile::parse(CALENDAR);
    let files = Files {
        todo: &todo,
        calendar: &calendar,
    };

    let start: DateTime<Utc> = "2026-10-20T22:00:00Z".parse().unwrap();
    let mut inbox = Inbox::default();
    let mut ledger = Ledger::open(state.path(), start).unwrap();
    // Keys that were due at a minute outside the person's quiet hours.
    let mut deliverable: HashSet<(String, String)> = HashSet::new();
    let minutes = 7 * 24 * 60;
    for minute in 0..minutes {
        let now = start + TimeDelta::minutes(minute);
        // A restart every 7 hours and 13 minutes: the ledger comes back from its file.
        if minute % 433 == 0 {
            drop(ledger);
            ledger = Ledger::open(state.path(), now).unwrap();
        }
        for due in due_reminders(
            &files,
            &rules.recipients,
            rules.store_timezone,
            &rules.settings,
            now,
        ) {
            let recipient = rules.recipients.iter().find(|r| r.handle == due.to).unwrap();
            if !recipient.is_quiet(now) {
                deliverable.insert((due.to.clone(), due.key.clone()));
            }
        }
        inbox.now = Some(now);
        let outcome = rules
            .send_due(store.path(), &mut ledger, now, &mut inbox)
            .unwrap();
        assert!(outcome.failed.is_empty());
    }

    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut per_day: HashMap<(String, chrono::NaiveDate), usize> = HashMap::new();
    for (at, message) in &inbox.received {
        let recipient = rules.recipients.iter().find(|r| r.handle == message.to).unwrap();
        assert!(
            !recipient.is_quiet(*at),
            "sent in quiet hours at {at}: {message:?}"
        );
        for key in &message.keys {
            assert!(
                seen.insert((message.to.clone(), key.clone())),
                "sent twice: {key} to {}",
                message.to
            );
        }
        if !message.folded {
            *per_day
                .entry((message.to.clone(), recipient.local(*at).date()))
                .or_default() += 1;
        }
    }
    assert_eq!(
        seen, deliverable,
        "every deliverable reminder was sent, and nothing else"
    );
    assert!(per_day.values().all(|&count| count <= 4), "{per_day:?}");

    let keys: Vec<&str> = seen.iter().map(|(_, key)| key.as_str()).collect();
    let has = |prefix: &str| keys.iter().any(|k| k.starts_with(prefix));
    // Events are reminded of before they start; those in quiet hours once, in the
    // evening before them (the end of summer time is in the night of the 24th).
    assert!(has("event:2026-10-21:09:30:standup"));
    assert!(
        has("event:2026-10-22:07:15:early run"),
        "07:15: the reminder waits for 07:00"
    );
    for (key, said) in [
        (
            "event:2026-10-23:00:10:night train",
            "tonight at 00:10: night train",
        ),
        ("event:2026-10-24:22:45:late film", "tonight at 22:45: late film"),
        (
            "event:2026-10-25:02:30:the hour that happens twice",
            "tonight at 02:30: the hour that happens twice",
        ),
    ] {
        let (at, message) = inbox
            .received
            .iter()
            .find(|(_, message)| message.keys.iter().any(|k| k == key))
            .unwrap_or_else(|| panic!("{key} was never sent"));
        let local = rules.recipients[0].local(*at).time();
        assert!((t(21, 30)..t(22, 0)).contains(&local), "{key} at {at}");
        assert!(message.text.contains(said), "{message:?}");
    }
    assert!(has("event:2026-10-25:10:00:brunch"));
    assert!(
        has("event:2026-10-26:09:30:standup"),
        "after the switch, at the new offset"
    );
    for (at, message) in &inbox.received {
        if message.keys[0] == "event:2026-10-26:09:30:standup" {
            // 09:30 in Madrid is 08:30 UTC once summer time is over: 30 minutes before.
            assert_eq!(at.to_rfc3339(), "2026-10-26T08:00:00+00:00");
        }
    }
    // Deadlines: each stage once, ben's in New York; overdue once a day.
    assert!(has("due:") && has("overdue:") && has("waiting:"));
    let ben: Vec<&(String, String)> = seen.iter().filter(|(to, _)| to == "ben").collect();
    assert!(
        !ben.is_empty()
            && ben
                .iter()
                .all(|(_, key)| key.starts_with("due:") || key.starts_with("overdue:"))
    );
    let overdue_days = seen.iter().filter(|(_, key)| key.contains("overdue:")).count();
    assert!(overdue_days >= 7, "{overdue_days}");
}

#[test]
fn remind_through_the_binary_prints_once_and_dry_run_records_nothing() {
    let dir = tempfile::TempDir::new().unwrap();
    let env = [("TIMEZONE", "Europe/Madrid")];
    let run = |args: &[&str]| {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        stdout(&myorg(dir.path(), &all, &env))
    };
    let dry = run(&["remind", "--dry-run", "--at", "2026-11-23T09:05"]);
    assert!(dry.starts_with("Would send to "), "{dry}");
    assert!(dry.contains(": at 09:30: standup"), "{dry}");
    assert_eq!(
        run(&["remind", "--dry-run", "--at", "2026-11-23T09:05"]),
        dry,
        "nothing recorded"
    );
    let sent = run(&["remind", "--at", "2026-11-23T09:05"]);
    assert_eq!(sent.replace("To ", "Would send to "), dry);
    let again = run(&["remind", "--at", "2026-11-23T09:10"]);
    assert_eq!(again, "Nothing to remind of at 2026-11-23 09:10:00.\n");
    let night = run(&["remind", "--dry-run", "--at", "2026-11-24T06:30"]);
    assert!(night.contains("held back by quiet hours"), "{night}");
    assert!(Path::new(&dir.path().join("s/.git/myorg/reminders.jsonl")).exists());
}

#[test]
fn remind_through_the_binary_says_the_events_of_a_dst_night_once_in_the_evening() {
    // Quiet hours from 22:00 to 07:00 (the default); at 02:00 on 2027-03-28 the
    // clocks in Madrid go to 03:00, so the 02:45 handover falls in the gap.
    let dir = tempfile::TempDir::new().unwrap();
    let env = [("TIMEZONE", "Europe/Madrid")];
    let run = |at: &str| {
        let args = ["--store", "s", "remind", "--at", at];
        stdout(&myorg(dir.path(), &args, &env))
    };
    let made = ["--store", "s", "remind", "--dry-run", "--at", "2027-03-27T12:00"];
    stdout(&myorg(dir.path(), &made, &env));
    std::fs::write(dir.path().join("s/todo.txt"), "").unwrap();
    std::fs::write(
        dir.path().join("s/calendar.txt"),
        "2027-03-27 w12 Sat  23:30 Film\n2027-03-28 w12 Sun  2:45 Handover 3:15 Night train 7:10 Bakery\n",
    )
    .unwrap();
    let mut said = Vec::new();
    let mut at: chrono::NaiveDateTime = "2027-03-27T18:00:00".parse().unwrap();
    while at <= "2027-03-28T09:00:00".parse().unwrap() {
        let time = at.format("%Y-%m-%dT%H:%M").to_string();
        for line in run(&time).lines().filter(|line| line.starts_with("To ")) {
            let (_, text) = line.split_once(": ").unwrap();
            said.push(format!("{time} {text}"));
        }
        at += TimeDelta::minutes(15);
    }
    assert_eq!(
        said,
        [
            "2027-03-27T21:30 tonight at 23:30: Film",
            "2027-03-27T21:30 tonight at 02:45: Handover",
            "2027-03-27T21:30 tonight at 03:15: Night train",
            "2027-03-28T07:00 at 07:10: Bakery",
        ]
    );
}

#[test]
fn two_remind_processes_at_once_send_each_reminder_once() {
    let env = [("TIMEZONE", "Europe/Madrid")];
    let at = "2026-11-23T09:05";
    // A few rounds, to make it likely that both read the ledger before either wrote.
    for round in 0..6 {
        let dir = tempfile::TempDir::new().unwrap();
        let dry = ["--store", "s", "remind", "--dry-run", "--at", at];
        let due = stdout(&myorg(dir.path(), &dry, &env))
            .lines()
            .filter(|line| line.starts_with("Would send to "))
            .count();
        assert!(due > 5, "{due}");
        let start = || {
            myorg_command(dir.path(), &["--store", "s", "remind", "--at", at], &env)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (start(), start());
        let mut sent = Vec::new();
        for child in [first, second] {
            let output = stdout(&child.wait_with_output().unwrap());
            sent.extend(
                output
                    .lines()
                    .filter(|l| l.starts_with("To "))
                    .map(str::to_string),
            );
        }
        assert_eq!(sent.len(), due, "round {round}: {sent:#?}");
    }
}
