//! Escalation over a simulated two weeks, every ten minutes through a fake clock,
//! with the assistant restarted every few hours (the ledger read back from its file):
//! each stuck thing is nudged to its owner once, then told to the team once, naming
//! the owner; nothing in quiet hours; a task done in the meantime, or given a new
//! date, stops it; a person who turned escalations off gets no nudge. The rules come
//! from the configuration, as `myorg run` reads them, the people's own settings in
//! the store included.

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use myorg_assistant::app::WorkingTree;
use myorg_assistant::app::settings::settled;
use myorg_assistant::config::{Config, PersonConfig};
use myorg_assistant::reminders::Reminders;
use myorg_assistant::reminders::ledger::Ledger;
use myorg_domain::reminders::TEAM;
use std::collections::BTreeSet;

mod support;
use support::inbox::Inbox;

const TODO: &str = "\
2026-11-01 Send the invoice owner:ben due:2026-12-01
2026-11-01 Renew the domain owner:ana due:2026-12-03
2026-11-01 Fix the gate owner:cleo due:2026-12-02
2026-11-01 Order the chairs owner:ben due:2026-12-04
2026-11-01 Contract from Bob @waiting who:bob followup:2026-11-30
";

fn config() -> Config {
    let mut config = Config::default();
    config.store.timezone = Some("Europe/Madrid".into());
    config.reminders.quiet_hours = "22:00-07:00".into();
    config.reminders.deadline_days = Vec::new();
    config.escalation.nudge_after_days = 3;
    config.escalation.team_after_days = 4;
    let person = |name: &str, handle: &str, zone: &str| PersonConfig {
        name: name.into(),
        handle: Some(handle.into()),
        timezone: Some(zone.into()),
        ..PersonConfig::default()
    };
    config.people = vec![
        person("Ana García", "ana", "Europe/Madrid"),
        person("Ben Okafor", "ben", "America/New_York"),
        person("Cleo Park", "cleo", "Asia/Tokyo"),
    ];
    config
}

#[test]
fn two_weeks_of_escalation_with_restarts() {
    let store = tempfile::TempDir::new().unwrap();
    let state = tempfile::TempDir::new().unwrap();
    std::fs::write(store.path().join("todo.txt"), TODO).unwrap();
    // Cleo turned escalations off for herself, in the store's settings.
    std::fs::create_dir_all(store.path().join(".myorg")).unwrap();
    std::fs::write(
        store.path().join(".myorg/settings.toml"),
        "[people.cleo]\nreminders = [\"deadline\", \"overdue\", \"event\", \"waiting\"]\n",
    )
    .unwrap();
    let base = config();

    let start: DateTime<Utc> = "2026-11-30T00:00:00Z".parse().unwrap();
    let mut inbox = Inbox::default();
    let mut ledger = Ledger::open(state.path(), start).unwrap();
    for step in 0..(14 * 24 * 6) {
        let now = start + TimeDelta::minutes(10 * step);
        // A restart every 7 hours and 10 minutes: the ledger comes back from its file,
        // the settings are read again.
        if step % 43 == 0 {
            drop(ledger);
            ledger = Ledger::open(state.path(), now).unwrap();
        }
        // 9 Dec, 12:00 in Madrid: the chairs are ordered; the domain gets a new date.
        if now == "2026-12-09T11:00:00Z".parse::<DateTime<Utc>>().unwrap() {
            let todo = TODO
                .replace(
                    "2026-11-01 Order the chairs owner:ben due:2026-12-04",
                    "x 2026-12-09 2026-11-01 Order the chairs owner:ben due:2026-12-04",
                )
                .replace("due:2026-12-03", "due:2026-12-10");
            std::fs::write(store.path().join("todo.txt"), todo).unwrap();
        }
        let (config, problem) = settled(&base, &WorkingTree(store.path().to_path_buf()));
        assert_eq!(problem, None);
        let rules = Reminders::from_config(&config).unwrap();
        inbox.now = Some(now);
        let outcome = rules
            .send_due(store.path(), &mut ledger, now, &mut inbox)
            .unwrap();
        assert!(outcome.failed.is_empty());
    }

    // The escalations only (the daily overdue reminders go on beside them).
    let said: Vec<(String, String, String)> = inbox
        .received
        .iter()
        .filter(|(_, message)| {
            message
                .keys
                .iter()
                .any(|key| key.starts_with("nudge:") || key.starts_with("escalate:"))
        })
        .map(|(at, message)| {
            let key = message.keys.join(" ");
            let kind = key.split(':').next().unwrap().to_string();
            (
                at.format("%Y-%m-%dT%H:%MZ").to_string(),
                message.to.clone(),
                format!("{kind} {}", &message.text),
            )
        })
        .collect();
    let expected: Vec<(&str, &str, &str)> = vec![
        // 3 Dec 07:00 in Madrid (quiet until then): the contract, three days past its
        // follow-up date; unassigned, so Ana's.
        (
            "2026-12-03T06:00Z",
            "ana",
            "nudge stuck for 3 days: Contract from Bob (follow-up due 2026-11-30)",
        ),
        // 4 Dec 07:00 in New York: the invoice, three days overdue.
        (
            "2026-12-04T12:00Z",
            "ben",
            "nudge stuck for 3 days: Send the invoice (overdue since 2026-12-01)",
        ),
        (
            "2026-12-06T06:00Z",
            "ana",
            "nudge stuck for 3 days: Renew the domain (overdue since 2026-12-03)",
        ),
        // Four days after its nudge, the contract reaches the team.
        (
            "2026-12-07T06:00Z",
            "@team",
            "escalate stuck for 7 days, ana's: Contract from Bob (follow-up due 2026-11-30); nudged on 2026-12-03.",
        ),
        (
            "2026-12-07T12:00Z",
            "ben",
            "nudge stuck for 3 days: Order the chairs (overdue since 2026-12-04)",
        ),
        // 8 Dec began in New York at 05:00Z, in the team's quiet hours (Madrid's):
        // told at 07:00 in Madrid.
        (
            "2026-12-08T06:00Z",
            "@team",
            "escalate stuck for 7 days, ben's: Send the invoice (overdue since 2026-12-01); nudged on 2026-12-04.",
        ),
        // Cleo gets no nudges: the team hears of her gate as late as it would have
        // (3 + 4 days), at the start of 9 Dec in Tokyo.
        (
            "2026-12-08T15:00Z",
            "@team",
            "escalate stuck for 7 days, cleo's: Fix the gate (overdue since 2026-12-02); cleo gets no nudges.",
        ),
        // The chairs were ordered on 9 Dec: never told to the team. The domain got a
        // new date (10 Dec) before its team level: it starts over.
        (
            "2026-12-13T06:00Z",
            "ana",
            "nudge stuck for 3 days: Renew the domain (overdue since 2026-12-10)",
        ),
    ];
    assert_eq!(said.len(), expected.len(), "{said:#?}");
    for ((at, to, text), (want_at, want_to, want_text)) in said.iter().zip(&expected) {
        assert_eq!((at.as_str(), to.as_str()), (*want_at, *want_to), "{text}");
        assert!(text.starts_with(want_text), "{text}\nwanted: {want_text}");
    }

    // Nothing at all twice, nothing in anyone's quiet hours (22:00-07:00 in their
    // timezone; the team's, in the store's).
    let mut keys = BTreeSet::new();
    for (at, message) in &inbox.received {
        for key in &message.keys {
            assert!(
                keys.insert((message.to.clone(), key.clone())),
                "{key} twice to {}",
                message.to
            );
        }
        let zone: chrono_tz::Tz = match message.to.as_str() {
            "ben" => chrono_tz::America::New_York,
            "cleo" => chrono_tz::Asia::Tokyo,
            _ => chrono_tz::Europe::Madrid,
        };
        let hour = at.with_timezone(&zone).hour();
        assert!(
            (7..22).contains(&hour),
            "{at} to {}: {}",
            message.to,
            message.text
        );
    }
    assert!(
        inbox
            .received
            .iter()
            .all(|(_, m)| m.to != "cleo" || !m.keys[0].starts_with("nudge:")),
        "cleo turned nudges off"
    );
    // The team's messages name the one person they are about.
    for (_, message) in inbox.received.iter().filter(|(_, m)| m.to == TEAM) {
        let about = message.about.as_deref().unwrap();
        assert!(
            message.text.contains(&format!(", {about}'s: ")),
            "{}",
            message.text
        );
    }
}
