//! The current time, as a wall-clock time in the store's timezone. `--now` /
//! `MYORG_NOW` fix it (for tests and for replaying a day; it is read as a time in the
//! store's timezone); otherwise it is the system clock. Every command that reads the
//! time gets it from here. `myorg run` runs for a long time, so for it (a [`Clock`])
//! `--now` is where its clock starts, advancing from there with real time.

use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};
use std::time::Instant;

/// The time of a long-running process: the system clock, or a given start that
/// advances with the monotonic clock.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    start: Option<(DateTime<Utc>, Instant)>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { start: None }
    }

    /// A clock that reads `at` now and advances from it.
    pub fn starting_at(at: DateTime<Utc>) -> Clock {
        Clock {
            start: Some((at, Instant::now())),
        }
    }

    /// `--now` (a wall-clock time in `zone`) as the start, else the system clock.
    pub fn new(fixed: Option<NaiveDateTime>, zone: chrono_tz::Tz) -> Clock {
        match fixed {
            Some(local) => Clock::starting_at(utc_at(local, zone)),
            None => Clock::system(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.start {
            None => Utc::now(),
            Some((at, started)) => TimeDelta::from_std(started.elapsed())
                .ok()
                .and_then(|elapsed| at.checked_add_signed(elapsed))
                .unwrap_or(at),
        }
    }
}

/// The instant the wall-clock time `local` names in `zone`: the first of two in a
/// repeated hour, and the time an hour later for one a gap skips.
pub fn utc_at(local: NaiveDateTime, zone: chrono_tz::Tz) -> DateTime<Utc> {
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + TimeDelta::hours(1)))
                .earliest()
        })
        .map_or_else(|| Utc.from_utc_datetime(&local), |at| at.with_timezone(&Utc))
}

/// Reads `2026-11-23T08:00:00` or `2026-11-23T08:00`.
pub fn parse(text: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .map_err(|_| format!("{text:?} is not a date and time (expected YYYY-MM-DDTHH:MM[:SS])"))
}

/// The fixed time if one was given, else the system clock in `timezone` (the
/// system's own when `None`).
pub fn now(fixed: Option<NaiveDateTime>, timezone: Option<chrono_tz::Tz>) -> NaiveDateTime {
    match (fixed, timezone) {
        (Some(fixed), _) => fixed,
        (None, Some(zone)) => chrono::Utc::now().with_timezone(&zone).naive_local(),
        (None, None) => chrono::Local::now().naive_local(),
    }
}

/// The wall-clock time in `zone` at the instant `utc`.
pub fn local_at(utc: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> NaiveDateTime {
    utc.with_timezone(&zone).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_follows_the_store_timezone_across_dst_switches() {
        let madrid: chrono_tz::Tz = "Europe/Madrid".parse().unwrap();
        let at = |utc: &str| local_at(utc.parse().unwrap(), madrid).to_string();
        // Spring forward on 2026-03-29 at 01:00 UTC (02:00 → 03:00 local).
        assert_eq!(at("2026-03-28T22:59:00Z"), "2026-03-28 23:59:00");
        assert_eq!(at("2026-03-28T23:00:00Z"), "2026-03-29 00:00:00");
        assert_eq!(at("2026-03-29T01:00:00Z"), "2026-03-29 03:00:00");
        // Fall back on 2026-10-25 at 01:00 UTC (03:00 → 02:00 local).
        assert_eq!(at("2026-10-24T21:59:00Z"), "2026-10-24 23:59:00");
        assert_eq!(at("2026-10-24T22:00:00Z"), "2026-10-25 00:00:00");
        assert_eq!(at("2026-10-25T01:30:00Z"), "2026-10-25 02:30:00");
        assert_eq!(at("2026-10-25T23:00:00Z"), "2026-10-26 00:00:00");
    }

    #[test]
    fn a_wall_clock_time_is_an_instant_even_in_a_switch() {
        let madrid: chrono_tz::Tz = "Europe/Madrid".parse().unwrap();
        let utc = |local: &str| utc_at(parse(local).unwrap(), madrid).to_rfc3339();
        assert_eq!(utc("2026-11-23T08:00"), "2026-11-23T07:00:00+00:00");
        assert_eq!(utc("2026-10-25T02:30"), "2026-10-25T00:30:00+00:00", "the first");
        assert_eq!(utc("2026-03-29T02:30"), "2026-03-29T01:30:00+00:00", "an hour on");
    }

    #[test]
    fn a_clock_started_at_a_time_advances_from_it() {
        // Far from the system clock's time, so that one could not pass for it.
        let start: DateTime<Utc> = "2100-01-01T07:00:00Z".parse().unwrap();
        let clock = Clock::starting_at(start);
        let (first, second) = (clock.now(), clock.now());
        assert!(start <= first && first <= second);
        assert_eq!(first.date_naive(), start.date_naive());
        assert!(Clock::system().now() < start);
    }
}
