//! The current time. `--now` / `MYORG_NOW` fix it (for tests and for replaying a day);
//! otherwise it is the system clock in local time. Every command that reads the time
//! gets it from here.

use chrono::NaiveDateTime;

/// Reads `2026-11-23T08:00:00` or `2026-11-23T08:00`.
pub fn parse(text: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .map_err(|_| format!("{text:?} is not a date and time (expected YYYY-MM-DDTHH:MM[:SS])"))
}

/// The fixed time if one was given, else the system's local time.
pub fn now(fixed: Option<NaiveDateTime>) -> NaiveDateTime {
    fixed.unwrap_or_else(|| chrono::Local::now().naive_local())
}
