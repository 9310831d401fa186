//! A simulated week of reminders, minute by minute through a fake clock, across the
//! end of summer time in Europe/Madrid (2026-10-25), with the assistant restarted
//! every few hours (the ledger read back from its file): exactly the messages worked
//! out by hand, at their times (none twice, none missed, none in quiet hours, an
//! event in them said the evening before, the daily limit kept); and `myorg remind`
//! through the real binary, also two at once.

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use myorg_assistant::reminders::Reminders;
use myorg_assistant::reminders::ledger::Ledger;
use myorg_domain::reminders::{Recipient, Settings};
use std::path::Path;

mod support;
use support::inbox::Inbox;
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

/// Every message of the week, in order, worked out by hand from the rules: when it is
/// sent (UTC; the local time above it), to whom, the ledger keys it carries, and
/// whether it is folded (past the limit of 4 a day). Ana (Madrid, quiet 22:00-07:00)
/// gets her own and the unassigned tasks, Ben (New York, quiet 23:00-08:00) his.
/// Deadlines at 7, 3, 1 and 0 days (a stage missed before the start caught up once,
/// with the days left), overdue tasks once a day, events 30 minutes before (at the
/// end of quiet hours when that falls in them, and at 21:30 the evening before for
/// an event in them), waiting-for items once an ISO week; summer time ends in the
/// night of 24 to 25 October (Madrid UTC+2, then UTC+1; New York stays UTC-4).
/// The references in the keys: ymyyjbht the plumber, naqembbv the report, cnafcahk
/// the bank, mjqtrqpt the insurance, tcyxmhdh the venue, vnfbbdff the car,
/// trfshfyn the fence, rccbwyzj the landlord.
#[rustfmt::skip]
const WEEK: &[(&str, &str, &[&str], bool)] = &[
    // Tue 20 18:00 in New York
    ("2026-10-20T22:00Z", "ben", &["due:tcyxmhdh:2026-10-27:7"], false),
    // Wed 21 07:00 in Madrid
    ("2026-10-21T05:00Z", "ana", &["overdue:ymyyjbht:2026-10-21"], false),
    ("2026-10-21T05:00Z", "ana", &["due:naqembbv:2026-10-23:3"], false),
    ("2026-10-21T05:00Z", "ana", &["due:cnafcahk:2026-10-25:7"], false),
    ("2026-10-21T05:00Z", "ana", &["due:mjqtrqpt:2026-10-28:7"], false),
    ("2026-10-21T05:00Z", "ana", &["waiting:trfshfyn:2026-W43"], true),
    // Wed 21 09:00 in Madrid
    ("2026-10-21T07:00Z", "ana", &["event:2026-10-21:09:30:standup"], true),
    // Wed 21 12:30 in Madrid
    ("2026-10-21T10:30Z", "ana", &["event:2026-10-21:13:00:lunch with Marta"], true),
    // Thu 22 07:00 in Madrid
    ("2026-10-22T05:00Z", "ana", &["event:2026-10-22:07:15:early run"], false),
    ("2026-10-22T05:00Z", "ana", &["overdue:ymyyjbht:2026-10-22"], false),
    ("2026-10-22T05:00Z", "ana", &["due:naqembbv:2026-10-23:1"], false),
    ("2026-10-22T05:00Z", "ana", &["due:cnafcahk:2026-10-25:3"], false),
    // Thu 22 18:00 in Madrid
    ("2026-10-22T16:00Z", "ana", &["event:2026-10-22:18:30:yoga"], true),
    // Thu 22 21:30 in Madrid
    ("2026-10-22T19:30Z", "ana", &["event:2026-10-23:00:10:night train"], true),
    // Fri 23 07:00 in Madrid
    ("2026-10-23T05:00Z", "ana", &["overdue:ymyyjbht:2026-10-23"], false),
    ("2026-10-23T05:00Z", "ana", &["due:naqembbv:2026-10-23:0"], false),
    // Fri 23 15:30 in Madrid
    ("2026-10-23T13:30Z", "ana", &["event:2026-10-23:16:00:retro"], false),
    // Sat 24 07:00 in Madrid
    ("2026-10-24T05:00Z", "ana", &["overdue:ymyyjbht:2026-10-24"], false),
    ("2026-10-24T05:00Z", "ana", &["overdue:naqembbv:2026-10-24"], false),
    ("2026-10-24T05:00Z", "ana", &["due:cnafcahk:2026-10-25:1"], false),
    ("2026-10-24T05:00Z", "ana", &["waiting:rccbwyzj:2026-W43"], false),
    // Sat 24 10:30 in Madrid
    ("2026-10-24T08:30Z", "ana", &["event:2026-10-24:11:00:haircut"], true),
    // Sat 24 08:00 in New York
    ("2026-10-24T12:00Z", "ben", &["due:tcyxmhdh:2026-10-27:3"], false),
    // Sat 24 21:30 in Madrid
    ("2026-10-24T19:30Z", "ana", &["event:2026-10-24:22:45:late film", "event:2026-10-25:02:30:the hour that happens twice"], true),
    // Sun 25 07:00 in Madrid
    ("2026-10-25T06:00Z", "ana", &["overdue:ymyyjbht:2026-10-25"], false),
    ("2026-10-25T06:00Z", "ana", &["overdue:naqembbv:2026-10-25"], false),
    ("2026-10-25T06:00Z", "ana", &["due:cnafcahk:2026-10-25:0"], false),
    ("2026-10-25T06:00Z", "ana", &["due:mjqtrqpt:2026-10-28:3"], false),
    // Sun 25 09:30 in Madrid
    ("2026-10-25T08:30Z", "ana", &["event:2026-10-25:10:00:brunch"], true),
    // Mon 26 07:00 in Madrid
    ("2026-10-26T06:00Z", "ana", &["overdue:ymyyjbht:2026-10-26"], false),
    ("2026-10-26T06:00Z", "ana", &["overdue:naqembbv:2026-10-26"], false),
    ("2026-10-26T06:00Z", "ana", &["overdue:cnafcahk:2026-10-26"], false),
    ("2026-10-26T06:00Z", "ana", &["due:vnfbbdff:2026-11-02:7"], false),
    ("2026-10-26T06:00Z", "ana", &["waiting:trfshfyn:2026-W44", "waiting:rccbwyzj:2026-W44"], true),
    // Mon 26 09:00 in Madrid
    ("2026-10-26T08:00Z", "ana", &["event:2026-10-26:09:30:standup"], true),
    // Mon 26 08:00 in New York
    ("2026-10-26T12:00Z", "ben", &["due:tcyxmhdh:2026-10-27:1"], false),
    // Tue 27 07:00 in Madrid
    ("2026-10-27T06:00Z", "ana", &["overdue:ymyyjbht:2026-10-27"], false),
    ("2026-10-27T06:00Z", "ana", &["overdue:naqembbv:2026-10-27"], false),
    ("2026-10-27T06:00Z", "ana", &["overdue:cnafcahk:2026-10-27"], false),
    ("2026-10-27T06:00Z", "ana", &["due:mjqtrqpt:2026-10-28:1"], false),
    // Tue 27 11:30 in Madrid
    ("2026-10-27T10:30Z", "ana", &["event:2026-10-27:12:00:dentist"], true),
    // Tue 27 08:00 in New York
    ("2026-10-27T12:00Z", "ben", &["due:tcyxmhdh:2026-10-27:0"], false),
];

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
                max_per_day: None,
                muted: Vec::new(),
            },
            Recipient {
                handle: "ben".into(),
                timezone: chrono_tz::America::New_York,
                quiet: Some((t(23, 0), t(8, 0))),
                gets_unassigned: false,
                max_per_day: None,
                muted: Vec::new(),
            },
        ],
        store_timezone: chrono_tz::Europe::Madrid,
        team: None,
        in_team_channel: Vec::new(),
    }
}

#[test]
fn a_week_minute_by_minute_with_restarts() {
    let store = tempfile::TempDir::new().unwrap();
    let state = tempfile::TempDir::new().unwrap();
    std::fs::write(store.path().join("todo.txt"), TODO).unwrap();
    std::fs::write(store.path().join("calendar.txt"), CALENDAR).unwrap();
    let rules = reminders();

    let start: DateTime<Utc> = "2026-10-20T22:00:00Z".parse().unwrap();
    let mut inbox = Inbox::default();
    let mut ledger = Ledger::open(state.path(), start).unwrap();
    let minutes = 7 * 24 * 60;
    for minute in 0..minutes {
        let now = start + TimeDelta::minutes(minute);
        // A restart every 7 hours and 13 minutes: the ledger comes back from its file.
        if minute % 433 == 0 {
            drop(ledger);
            ledger = Ledger::open(state.path(), now).unwrap();
        }
        inbox.now = Some(now);
        let outcome = rules
            .send_due(store.path(), &mut ledger, now, &mut inbox)
            .unwrap();
        assert!(outcome.failed.is_empty());
    }

    let received: Vec<(String, &str, Vec<&str>, bool)> = inbox
        .received
        .iter()
        .map(|(at, message)| {
            (
                at.format("%Y-%m-%dT%H:%MZ").to_string(),
                message.to.as_str(),
                message.keys.iter().map(String::as_str).collect(),
                message.folded,
            )
        })
        .collect();
    let expected: Vec<(String, &str, Vec<&str>, bool)> = WEEK
        .iter()
        .map(|&(at, to, keys, folded)| (at.to_string(), to, keys.to_vec(), folded))
        .collect();
    assert_eq!(received, expected);

    // What the events in quiet hours say, the evening before.
    for (key, said) in [
        (
            "event:2026-10-23:00:10:night train",
            "and 1 more: tonight at 00:10: night train",
        ),
        (
            "event:2026-10-24:22:45:late film",
            "and 2 more: tonight at 22:45: late film; tonight at 02:30: the hour that happens twice",
        ),
    ] {
        let (_, message) = inbox
            .received
            .iter()
            .find(|(_, message)| message.keys[0] == key)
            .unwrap_or_else(|| panic!("{key} was never sent"));
        assert_eq!(message.text, said);
    }
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
