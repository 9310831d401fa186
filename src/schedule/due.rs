//! When a job is due: a cron expression read in a timezone, and the one decision the
//! schedule makes at each tick, as a pure function of (schedule, timezone, last tick,
//! now): did the expression name a minute after the last tick and at or before now?
//! Tested at any instant, DST switches included, without waiting.
//!
//! Expressions have the five fields of crontab and Kubernetes CronJobs (minute, hour,
//! day of month, month, day of week; `@daily` and the other nicknames too), parsed by
//! `croner`, the parser tokio-cron-scheduler uses. The decision walks the real minutes
//! between the two instants and reads each as a wall-clock time in the zone, so across
//! a DST switch it does what the Open Cron Pattern Specification says: an expression
//! with one fixed time (`0 8 * * *`) runs once a local day even when that time is
//! skipped (then at the first minute after the gap) or happens twice (then the first
//! time); one with a range, step or `*` in the minute or hour runs at every real
//! instant it names, and not at the wall-clock times a gap skips.

use anyhow::bail;
use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds, Year};
use croner::{Cron as Pattern, JobType};
use std::fmt;

/// The longest stretch one decision looks back over: after a longer pause (a laptop
/// asleep, a clock set back) only the last week counts.
const LOOK_BACK: TimeDelta = TimeDelta::days(7);

/// A checked cron expression of five fields.
#[derive(Clone)]
pub struct Cron {
    text: String,
    inner: Pattern,
}

impl Cron {
    /// Reads `text`; an expression with seconds or years, an unknown field value, or
    /// one that names no minute in the next eight years is refused with the reason.
    pub fn parse(text: &str) -> anyhow::Result<Cron> {
        let inner = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .year(Year::Disallowed)
            .build()
            .parse(expanded(text))
            .map_err(|error| {
                anyhow::anyhow!(
                    "{text:?} is not a cron expression of five fields (minute hour day-of-month month \
                     day-of-week), such as \"0 8 * * 1-5\": {error}"
                )
            })?;
        let cron = Cron {
            text: text.trim().to_string(),
            inner,
        };
        if !cron.comes_again() {
            bail!("{text:?} never comes (no such day?)");
        }
        Ok(cron)
    }

    /// The expression as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The five fields, nicknames spelled out.
    pub fn fields(&self) -> Vec<&str> {
        expanded(&self.text).split_whitespace().collect()
    }

    /// Whether it has one fixed minute and hour (a time of day), as opposed to
    /// ranges, steps or `*` there (an interval).
    fn is_fixed_time(&self) -> bool {
        self.inner.determine_job_type() == JobType::FixedTime
    }

    /// Whether the wall-clock minute `local` matches.
    fn matches(&self, local: NaiveDateTime) -> bool {
        // croner reads only the wall-clock fields of the time it is given, so a UTC
        // time with those fields stands for a local time, even one a gap skips.
        self.inner
            .is_time_matching(&Utc.from_utc_datetime(&local))
            .unwrap_or(false)
    }

    /// Whether some day of the next eight years (two leap days) matches: a minute and
    /// an hour always exist, so this is what can make an expression never come.
    fn comes_again(&self) -> bool {
        let Some(hour) = (0..24).find(|&h| (0..60).any(|m| self.matches_time(h, m))) else {
            return false;
        };
        let Some(minute) = (0..60).find(|&m| self.matches_time(hour, m)) else {
            return false;
        };
        let Some(first) = chrono::NaiveDate::from_ymd_opt(2024, 1, 1) else {
            return false;
        };
        first
            .iter_days()
            .take(8 * 366)
            .filter_map(|day| day.and_hms_opt(hour, minute, 0))
            .any(|at| self.matches(at))
    }

    fn matches_time(&self, hour: u32, minute: u32) -> bool {
        self.inner.pattern.hour_match(hour).unwrap_or(false)
            && self.inner.pattern.minute_match(minute).unwrap_or(false)
    }
}

impl fmt::Debug for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cron({:?})", self.text)
    }
}

impl PartialEq for Cron {
    fn eq(&self, other: &Cron) -> bool {
        self.text == other.text
    }
}

/// `text` with a nickname (`@daily`…) replaced by its five fields.
fn expanded(text: &str) -> &str {
    match text.trim().to_ascii_lowercase().as_str() {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ => text,
    }
}

/// The latest minute `cron`, read in `zone`, names after `since` and at or before
/// `now`; `None` when it names none (or `now` is not after `since`). Only the last
/// week before `now` is looked at.
pub fn due(cron: &Cron, zone: Tz, since: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if now <= since {
        return None;
    }
    let since = since.max(now - LOOK_BACK);
    let fixed = cron.is_fixed_time();
    let mut latest = None;
    let mut minute = next_minute(since);
    let mut before = local(minute - TimeDelta::minutes(1), zone);
    while minute <= now {
        let here = local(minute, zone);
        let named = if fixed {
            // The first of two instants with this wall-clock time; or, just after a
            // gap, a time the gap skipped.
            (cron.matches(here)
                && zone.from_local_datetime(&here).earliest().map(|t| t.to_utc()) == Some(minute))
                || skipped(before, here).any(|gone| cron.matches(gone))
        } else {
            cron.matches(here)
        };
        if named {
            latest = Some(minute);
        }
        before = here;
        minute += TimeDelta::minutes(1);
    }
    latest
}

/// The first whole minute after `at`.
fn next_minute(at: DateTime<Utc>) -> DateTime<Utc> {
    let floor = at.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(at);
    floor + TimeDelta::minutes(1)
}

fn local(at: DateTime<Utc>, zone: Tz) -> NaiveDateTime {
    at.with_timezone(&zone).naive_local()
}

/// The wall-clock minutes strictly between two consecutive real minutes: none, except
/// across a gap (a spring-forward switch skips an hour of them).
fn skipped(before: NaiveDateTime, here: NaiveDateTime) -> impl Iterator<Item = NaiveDateTime> {
    let mut next = before + TimeDelta::minutes(1);
    std::iter::from_fn(move || {
        if next >= here {
            return None;
        }
        let this = next;
        next += TimeDelta::minutes(1);
        Some(this)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Madrid;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    /// Ticks every `step` from the local midnight starting `day` in `zone` to the
    /// next local midnight; the local times at which `cron` was due.
    fn a_day_of_ticks(cron: &str, zone: Tz, day: &str, step: TimeDelta) -> Vec<String> {
        let cron = Cron::parse(cron).unwrap();
        let day: chrono::NaiveDate = day.parse().unwrap();
        let start = zone
            .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap())
            .earliest()
            .unwrap()
            .with_timezone(&Utc);
        let end = zone
            .from_local_datetime(&day.succ_opt().unwrap().and_hms_opt(0, 0, 0).unwrap())
            .earliest()
            .unwrap()
            .with_timezone(&Utc);
        let mut fired = Vec::new();
        // The last tick of the day before.
        let mut last = start - TimeDelta::seconds(1);
        let mut now = start;
        while now < end {
            if let Some(at) = due(&cron, zone, last, now) {
                assert!(at > last && at <= now);
                fired.push(at.with_timezone(&zone).format("%H:%M%:z").to_string());
            }
            last = now;
            now += step;
        }
        fired
    }

    #[test]
    fn the_morning_briefing_fires_once_on_both_dst_switch_days_in_madrid() {
        for day in ["2026-03-29", "2026-10-25", "2026-06-01"] {
            for step in [
                TimeDelta::seconds(5),
                TimeDelta::seconds(17),
                TimeDelta::seconds(61),
            ] {
                let fired = a_day_of_ticks("0 8 * * *", Madrid, day, step);
                let expected = if day == "2026-06-01" || day == "2026-03-29" {
                    "08:00+02:00"
                } else {
                    "08:00+01:00"
                };
                assert_eq!(fired, [expected], "{day} every {step}");
            }
        }
    }

    #[test]
    fn a_time_the_switch_skips_runs_after_the_gap_and_a_time_it_repeats_runs_once() {
        let step = TimeDelta::seconds(20);
        // 02:00 → 03:00 on 2026-03-29: 02:30 never happens.
        assert_eq!(
            a_day_of_ticks("30 2 * * *", Madrid, "2026-03-29", step),
            ["03:00+02:00"]
        );
        // 03:00 → 02:00 on 2026-10-25: 02:30 happens twice.
        assert_eq!(
            a_day_of_ticks("30 2 * * *", Madrid, "2026-10-25", step),
            ["02:30+02:00"]
        );
        assert_eq!(
            a_day_of_ticks("30 2 * * *", Madrid, "2026-10-26", step),
            ["02:30+01:00"]
        );
    }

    #[test]
    fn intervals_follow_real_time_across_the_switches() {
        let step = TimeDelta::seconds(30);
        let hourly = a_day_of_ticks("0 * * * *", Madrid, "2026-03-29", step);
        assert_eq!(hourly.len(), 23);
        assert!(!hourly.iter().any(|t| t.starts_with("02:")), "{hourly:?}");
        let hourly = a_day_of_ticks("0 * * * *", Madrid, "2026-10-25", step);
        assert_eq!(hourly.len(), 25);
        assert_eq!(&hourly[2..4], ["02:00+02:00", "02:00+01:00"]);
        assert_eq!(
            a_day_of_ticks("*/5 * * * *", Madrid, "2026-03-29", step).len(),
            23 * 12
        );
        assert_eq!(
            a_day_of_ticks("*/5 * * * *", Madrid, "2026-10-25", step).len(),
            25 * 12
        );
        assert_eq!(
            a_day_of_ticks("*/15 * * * *", Madrid, "2026-11-23", step).len(),
            96
        );
    }

    #[test]
    fn days_of_the_week_are_local_days() {
        // Monday 09:00 in Madrid is 08:00 UTC in winter.
        let cron = Cron::parse("0 9 * * 1").unwrap();
        let monday = utc("2026-11-23T08:00:00Z");
        assert_eq!(
            due(&cron, Madrid, monday - TimeDelta::seconds(5), monday),
            Some(monday)
        );
        let week_later = monday + TimeDelta::days(7);
        assert_eq!(
            due(&cron, Madrid, monday, week_later - TimeDelta::seconds(1)),
            None
        );
        // The same instant in New York is 03:00 on Monday: not due there.
        assert_eq!(
            due(
                &cron,
                chrono_tz::America::New_York,
                monday - TimeDelta::hours(1),
                monday
            ),
            None
        );
    }

    #[test]
    fn the_latest_of_several_is_named_and_nothing_twice() {
        let cron = Cron::parse("*/15 * * * *").unwrap();
        let since = utc("2026-11-23T08:01:00Z");
        let now = utc("2026-11-23T09:07:30Z");
        assert_eq!(due(&cron, Madrid, since, now), Some(utc("2026-11-23T09:00:00Z")));
        assert_eq!(due(&cron, Madrid, now, now), None);
        assert_eq!(due(&cron, Madrid, now, since), None, "a clock set back");
        // A tick exactly on the minute counts it once: in (since, now].
        let on = utc("2026-11-23T09:15:00Z");
        assert_eq!(due(&cron, Madrid, now, on), Some(on));
        assert_eq!(due(&cron, Madrid, on, on + TimeDelta::seconds(5)), None);
    }

    #[test]
    fn a_long_pause_looks_back_one_week() {
        let cron = Cron::parse("0 9 1 1 *").unwrap();
        let now = utc("2027-01-20T00:00:00Z");
        assert_eq!(due(&cron, Madrid, utc("2026-12-01T00:00:00Z"), now), None);
        let cron = Cron::parse("0 9 * * *").unwrap();
        assert_eq!(
            due(&cron, Madrid, utc("2020-01-01T00:00:00Z"), now),
            Some(utc("2027-01-19T08:00:00Z"))
        );
    }

    #[test]
    fn expressions_are_read_or_refused_with_the_reason() {
        for good in [
            "0 8 * * *",
            "*/5 * * * *",
            "0 9 * * MON",
            "30 7 * * 1-5",
            "@daily",
            " 0 8 * * * ",
        ] {
            assert!(Cron::parse(good).is_ok(), "{good}");
        }
        assert_eq!(Cron::parse(" 0 8 * * * ").unwrap().text(), "0 8 * * *");
        for bad in [
            "",
            "0 8 * *",
            "0 0 8 * * *",
            "0 8 * * * 2027",
            "61 8 * * *",
            "0 24 * * *",
            "0 8 32 * *",
            "0 8 * 13 *",
            "0 8 * * 8",
            "every day",
            "0 0 30 2 *",
            "0 0 31 4 *",
            "é 8 * * *",
            "0 8 * * *,",
            "-1 8 * * *",
            "*/0 * * * *",
        ] {
            assert!(Cron::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Cron::parse("0 0 29 2 *").is_ok(), "leap days come");
        let message = format!("{:#}", Cron::parse("0 0 30 2 *").unwrap_err());
        assert!(message.contains("never comes"), "{message}");
    }
}
