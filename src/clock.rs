//! The current time, as a wall-clock time in the store's timezone. `--now` /
//! `MYORG_NOW` fix it (for tests and for replaying a day; it is read as a time in the
//! store's timezone); otherwise it is the system clock. Every command that reads the
//! time gets it from here.

use chrono::NaiveDateTime;

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
}
