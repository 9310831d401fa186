//! The in-process schedule driving the real briefing jobs at fixed clocks: days
//! around both DST switches of 2026 in Europe/Madrid (2026-03-29, 2026-10-25), ticks
//! every 37 seconds, the assistant restarted every few hours and once down over a
//! briefing's time. Each person gets each briefing exactly once per local day, at
//! their own local time (or on start, when the assistant was down then).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use myorg_assistant::config::{Config, PersonConfig};
use myorg_assistant::jobs;
use myorg_assistant::reminders::Deliver;
use myorg_assistant::schedule::{Schedule, Ticker};
use myorg_assistant::store::{Store, StoreSettings};
use myorg_domain::reminders::Message;
use std::collections::BTreeMap;

const MADRID: Tz = chrono_tz::Europe::Madrid;
const NEW_YORK: Tz = chrono_tz::America::New_York;

/// Keeps what it is given, with the time of the tick.
struct Collect {
    now: DateTime<Utc>,
    sent: Vec<(String, String, DateTime<Utc>)>,
}

impl Deliver for Collect {
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        for key in &message.keys {
            self.sent.push((message.to.clone(), key.clone(), self.now));
        }
        Ok(())
    }
}

fn config() -> Config {
    let mut config = Config::default();
    config.store.timezone = Some("Europe/Madrid".into());
    config.people = vec![
        PersonConfig {
            name: "Ana García".into(),
            timezone: Some("Europe/Madrid".into()),
            ..PersonConfig::default()
        },
        PersonConfig {
            name: "Ben Okafor".into(),
            timezone: Some("America/New_York".into()),
            morning: Some("07:30".into()),
            evening: Some("18:45".into()),
            ..PersonConfig::default()
        },
    ];
    // Only the briefings: they are what this test counts.
    for job in [
        "deadline-checker",
        "event-reminders",
        "waiting-followup",
        "git-sync",
    ] {
        config.scheduler.jobs.insert(job.into(), String::new());
    }
    config
}

fn at(zone: Tz, local: &str) -> DateTime<Utc> {
    let local = myorg_assistant::clock::parse(local).unwrap();
    myorg_assistant::clock::utc_at(local, zone)
}

/// Runs the schedule from `from` to `to`, restarted every five hours and down over
/// each of `down` (from, to); what was sent.
fn simulate(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    down: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<(String, String, DateTime<Utc>)> {
    let dir = tempfile::TempDir::new().unwrap();
    let store = Store::open(StoreSettings::local(dir.path().join("store"))).unwrap();
    let config = config();
    let schedule = Schedule::from_config(&config).unwrap();
    let mut deliver = Collect {
        now: from,
        sent: Vec::new(),
    };
    let mut ticker = Ticker::new(schedule.clone());
    let mut started = from;
    let mut now = from;
    while now < to {
        if let Some((_, up)) = down.iter().find(|(stop, up)| now >= *stop && now < *up) {
            now = *up;
            ticker = Ticker::new(schedule.clone());
            started = now;
            continue;
        }
        if now - started >= TimeDelta::hours(5) {
            ticker = Ticker::new(schedule.clone());
            started = now;
        }
        for due in ticker.tick(now) {
            deliver.now = now;
            jobs::run(due.job, &due.recipients, &config, &store, now, &mut deliver).unwrap();
        }
        now += TimeDelta::seconds(37);
    }
    deliver.sent
}

/// The local minute each (person, key) was sent at; fails on a key sent twice.
fn once_each(sent: &[(String, String, DateTime<Utc>)]) -> BTreeMap<(String, String), String> {
    let mut seen = BTreeMap::new();
    for (to, key, when) in sent {
        let zone = if to == "ben" { NEW_YORK } else { MADRID };
        let local = when.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
        if let Some(before) = seen.insert((to.clone(), key.clone()), local.clone()) {
            panic!("{key} to {to} twice: at {before} and {local}");
        }
    }
    seen
}

fn days(first: &str, n: u64) -> Vec<NaiveDate> {
    let first: NaiveDate = first.parse().unwrap();
    first.iter_days().take(n as usize).collect()
}

fn check_days(sent: &BTreeMap<(String, String), String>, days: &[NaiveDate], late: &[(&str, &str, &str)]) {
    for day in days {
        for (to, kind, time) in [
            ("ana", "morning", "08:00"),
            ("ana", "evening", "20:00"),
            ("ben", "morning", "07:30"),
            ("ben", "evening", "18:45"),
        ] {
            let key = format!("briefing:{kind}:{day}");
            let expected = late
                .iter()
                .find(|(who, k, _)| *who == to && *k == key)
                .map_or(format!("{day} {time}"), |(_, _, when)| when.to_string());
            assert_eq!(
                sent.get(&(to.to_string(), key.clone())),
                Some(&expected),
                "{to} {key}"
            );
        }
    }
    // The other jobs of a person or the team (the team digest, the weekly review)
    // are checked once each by `once_each`; here the briefings are counted.
    let briefings_in_days = sent
        .keys()
        .filter(|(_, key)| {
            key.starts_with("briefing:") && days.iter().any(|day| key.ends_with(&day.to_string()))
        })
        .count();
    assert_eq!(briefings_in_days, days.len() * 4, "{sent:#?}");
}

#[test]
fn spring_forward_each_briefing_once_a_local_day() {
    // Down in Madrid from 07:55 to 09:20 on the switch day: Ana's briefing on start.
    let down = [(at(MADRID, "2026-03-29T07:55"), at(MADRID, "2026-03-29T09:20"))];
    let sent = simulate(
        at(MADRID, "2026-03-28T00:00"),
        // 21:00 of the 30th in New York, after Ben's evening summary.
        at(MADRID, "2026-03-31T03:00"),
        &down,
    );
    let sent = once_each(&sent);
    check_days(
        &sent,
        &days("2026-03-28", 3),
        &[("ana", "briefing:morning:2026-03-29", "2026-03-29 09:20")],
    );
    // The team digest, on the Monday after the switch, at 09:00 in Madrid.
    assert_eq!(
        sent.get(&("@team".to_string(), "team-digest:2026-03-30".to_string())),
        Some(&"2026-03-30 09:00".to_string()),
        "{sent:#?}"
    );
}

#[test]
fn fall_back_each_briefing_once_a_local_day() {
    // Down from 19:00 to 23:30 on the 24th: past the three hours of catch-up, so
    // Ana's evening summary of the 24th is not sent late (nor the next day).
    let down = [(at(MADRID, "2026-10-24T19:00"), at(MADRID, "2026-10-24T23:30"))];
    let sent = simulate(
        at(MADRID, "2026-10-24T00:00"),
        at(MADRID, "2026-10-27T00:00"),
        &down,
    );
    let sent = once_each(&sent);
    assert!(
        !sent.contains_key(&("ana".to_string(), "briefing:evening:2026-10-24".to_string())),
        "{sent:#?}"
    );
    check_days(&sent, &days("2026-10-25", 2), &[]);
    // In New York the stop was 13:00 to 17:30: Ben's briefings that day came on time.
    for (key, when) in [
        ("briefing:morning:2026-10-24", "2026-10-24 07:30"),
        ("briefing:evening:2026-10-24", "2026-10-24 18:45"),
    ] {
        assert_eq!(
            sent.get(&("ben".to_string(), key.to_string())),
            Some(&when.to_string())
        );
    }
}

/// Fails for one person, delivers to the others.
struct FailFor(&'static str, Vec<String>);

impl Deliver for FailFor {
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        if message.to == self.0 {
            anyhow::bail!("Discord is down for {}", self.0);
        }
        self.1.push(message.to.clone());
        Ok(())
    }
}

#[test]
fn one_failed_delivery_keeps_no_one_else_from_their_briefing_and_is_retried_alone() {
    let dir = tempfile::TempDir::new().unwrap();
    let store = Store::open(StoreSettings::local(dir.path().join("store"))).unwrap();
    let config = config();
    let now = at(MADRID, "2026-11-23T08:00");
    let everyone = jobs::Recipients::Everyone;
    let mut failing = FailFor("ana", Vec::new());
    let error = jobs::run(
        jobs::Job::MorningBriefing,
        &everyone,
        &config,
        &store,
        now,
        &mut failing,
    )
    .unwrap_err();
    assert!(format!("{error:#}").contains("ana: Discord is down"), "{error:#}");
    assert_eq!(failing.1, vec!["ben"], "Ben's briefing went out all the same");
    let mut working = FailFor("nobody", Vec::new());
    let retried = jobs::run(
        jobs::Job::MorningBriefing,
        &everyone,
        &config,
        &store,
        now,
        &mut working,
    )
    .unwrap();
    assert_eq!(retried["sent"], 1);
    assert_eq!(working.1, vec!["ana"], "only the one that failed is sent again");
}
