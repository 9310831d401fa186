//! Inference at fixed instants across a week of a calendar kept in Madrid time, for
//! a person in Madrid and one in New York, over the night summer time starts in
//! Europe (2026-03-29).

use super::*;
use chrono::NaiveDate;

const WEEK: &str = "\
2026-03-23 w13 Mon  9:30-10 standup 10-10:30 call with the bank 15 flight to Lisbon
2026-03-24 w13 Tue  18:30-20 yoga
2026-03-26 w13 Thu  11-12 Design review meetings
2026-03-29 w13 Sun  10-11 weekly meeting
";

const MADRID: Tz = chrono_tz::Europe::Madrid;
const NEW_YORK: Tz = chrono_tz::America::New_York;

fn utc(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    let date = NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    Utc.from_utc_datetime(&date.and_hms_opt(hour, minute, 0).unwrap())
}

fn infer(person: Tz, now: DateTime<Utc>) -> Inferred {
    let zones = Zones {
        store: MADRID,
        person,
    };
    infer_context(zones, now, &CalendarFile::parse(WEEK), &Rules::default())
}

fn said(person: Tz, now: DateTime<Utc>) -> String {
    infer(person, now).said()
}

#[test]
fn during_a_call_is_the_phone_with_the_event_and_its_times() {
    // 09:15 UTC is 10:15 in Madrid (winter time).
    assert_eq!(
        said(MADRID, utc(23, 9, 15)),
        "@phone — \"call with the bank\" 10:00–10:30"
    );
    // The calendar is Madrid's, whoever asks.
    assert_eq!(
        said(NEW_YORK, utc(23, 9, 15)),
        "@phone — \"call with the bank\" 10:00–10:30"
    );
    // A plural names it too; the end is exclusive.
    assert_eq!(infer(MADRID, utc(26, 10, 59)).context, "@phone");
    assert_eq!(infer(MADRID, utc(23, 9, 30)).context, "@computer");
}

#[test]
fn during_travel_is_errands_and_an_event_without_an_end_lasts_half_an_hour() {
    assert_eq!(
        said(MADRID, utc(23, 14, 10)),
        "@errands — \"flight to Lisbon\" 15:00"
    );
    assert_eq!(infer(MADRID, utc(23, 14, 29)).context, "@errands");
    assert_eq!(infer(MADRID, utc(23, 14, 30)).context, "@computer");
}

#[test]
fn an_event_that_names_no_rule_leaves_the_hours_to_decide() {
    // The standup names no call; yoga neither.
    assert_eq!(said(MADRID, utc(23, 8, 45)), "@computer — work hours");
    assert_eq!(said(MADRID, utc(24, 18, 0)), "@home — outside work hours");
}

#[test]
fn work_hours_are_read_in_the_persons_own_timezone() {
    // Tuesday 18:00 UTC: 19:00 in Madrid (evening), 14:00 in New York (work).
    assert_eq!(infer(MADRID, utc(24, 18, 0)).context, "@home");
    assert_eq!(infer(NEW_YORK, utc(24, 18, 0)).context, "@computer");
    // Monday 12:30 UTC: 13:30 in Madrid, 08:30 in New York.
    assert_eq!(infer(MADRID, utc(23, 12, 30)).context, "@computer");
    assert_eq!(infer(NEW_YORK, utc(23, 12, 30)).context, "@home");
    // Friday 21:30 UTC: 17:30 of Friday's work in New York, 22:30 in Madrid.
    assert_eq!(infer(NEW_YORK, utc(27, 21, 30)).context, "@computer");
    assert_eq!(infer(MADRID, utc(27, 21, 30)).context, "@home");
}

#[test]
fn a_weekend_is_home() {
    assert_eq!(said(MADRID, utc(28, 10, 0)), "@home — outside work hours");
    assert_eq!(said(NEW_YORK, utc(28, 15, 0)), "@home — outside work hours");
}

#[test]
fn the_day_summer_time_starts_in_madrid() {
    // Sunday 08:15 UTC is 10:15 in Madrid once summer time began (09:15 before).
    assert_eq!(
        said(MADRID, utc(29, 8, 15)),
        "@phone — \"weekly meeting\" 10:00–11:00"
    );
    // Monday 07:30 UTC is 09:30 in Madrid: work, where winter time would say 08:30.
    assert_eq!(infer(MADRID, utc(30, 7, 30)).context, "@computer");
    assert_eq!(infer(MADRID, utc(30, 6, 59)).context, "@home");
}

#[test]
fn the_next_event_is_counted_in_real_minutes() {
    let calendar = CalendarFile::parse(WEEK);
    let next = next_event(MADRID, utc(23, 8, 45), &calendar).unwrap();
    assert_eq!(next.said(), "15 minutes until call with the bank");
    assert_eq!(
        next_event(MADRID, utc(23, 13, 59), &calendar).unwrap().said(),
        "1 minute until flight to Lisbon"
    );
    assert_eq!(next_event(MADRID, utc(23, 15, 0), &calendar), None);
    // 01:30 in Madrid the night the clocks skip an hour: 10:00 is 7½ real hours away.
    let across = next_event(MADRID, utc(29, 0, 30), &calendar).unwrap();
    assert_eq!((across.minutes, across.text.as_str()), (450, "weekly meeting"));
}

#[test]
fn work_hours_are_read_and_refused_with_a_reason() {
    let hours = WorkHours::parse("Mon-Fri 09:00-18:00").unwrap();
    assert_eq!(hours, WorkHours::default());
    assert_eq!(hours.to_string(), "Mon-Fri 09:00-18:00");
    let odd = WorkHours::parse("sat,sun 10:00-24:00").unwrap();
    assert_eq!(odd.to_string(), "Sat,Sun 10:00-24:00");
    let at = |d, h| {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    };
    assert!(odd.contains(at(28, 23)) && !odd.contains(at(27, 12)) && !odd.contains(at(28, 9)));
    let wrapped = WorkHours::parse("Fri-Mon 08:00-12:00").unwrap();
    assert_eq!(wrapped.to_string(), "Mon,Fri,Sat,Sun 08:00-12:00");
    for bad in [
        "",
        "Mon-Fri",
        "Mon-Fri 9-18",
        "Funday 09:00-18:00",
        "Mon 18:00-09:00",
        "Mon 09:00-25:00",
        "Mon 09:00-18:00 x",
    ] {
        let error = WorkHours::parse(bad).unwrap_err().to_string();
        assert!(error.contains("Mon-Fri 09:00-18:00"), "{bad}: {error}");
    }
}

#[test]
fn a_set_context_holds_to_the_end_of_the_persons_day_or_for_a_while() {
    assert_eq!(Expiry::parse("end of day").unwrap(), Expiry::EndOfDay);
    assert_eq!(Expiry::parse("4h").unwrap(), Expiry::After(Duration::hours(4)));
    assert_eq!(
        Expiry::parse("90 minutes").unwrap(),
        Expiry::After(Duration::minutes(90))
    );
    for bad in ["", "0h", "soon", "2 weeks", "9999h"] {
        assert!(
            Expiry::parse(bad).unwrap_err().to_string().contains("end of day"),
            "{bad}"
        );
    }
    // Tuesday 23:30 UTC: already Wednesday in Madrid, still Tuesday in New York.
    let now = utc(24, 23, 30);
    assert_eq!(Expiry::EndOfDay.from(MADRID, now), utc(25, 23, 0));
    assert_eq!(Expiry::EndOfDay.from(NEW_YORK, now), utc(25, 4, 0));
    // The midnight after summer time starts is an hour earlier in UTC.
    assert_eq!(Expiry::EndOfDay.from(MADRID, utc(29, 12, 0)), utc(29, 22, 0));
    assert_eq!(
        Expiry::After(Duration::minutes(90)).from(MADRID, now),
        utc(25, 1, 0)
    );
}

#[test]
fn a_context_is_known_with_or_without_its_at_sign() {
    let known: Vec<String> = DEFAULT_CONTEXTS.iter().map(|c| c.to_string()).collect();
    assert_eq!(known_context("phone", &known), Some("@phone"));
    assert_eq!(known_context(" @Home ", &known), Some("@home"));
    assert_eq!(known_context("@moon", &known), None);
    assert_eq!(known_context("@", &known), None);
}

#[test]
fn a_day_starts_at_the_briefing_or_at_work_whichever_is_later_on_a_work_day() {
    let at = |h: u32, m: u32| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let hours = WorkHours::default();
    // Monday: a briefing at 08:00 (07:00 UTC in winter) waits for work at 09:00.
    assert_eq!(day_start(MADRID, day(23), at(8, 0), &hours), utc(23, 8, 0));
    // A briefing after the start of work is the start.
    assert_eq!(day_start(MADRID, day(23), at(9, 45), &hours), utc(23, 8, 45));
    // Saturday is no work day: the briefing's time.
    assert_eq!(day_start(MADRID, day(28), at(8, 0), &hours), utc(28, 7, 0));
    // In New York, 09:00 is 13:00 UTC.
    assert_eq!(day_start(NEW_YORK, day(23), at(7, 30), &hours), utc(23, 13, 0));
    let monday = infer(MADRID, day_start(MADRID, day(23), at(8, 0), &hours));
    assert_eq!(monday.said(), "@computer — work hours");
    let saturday = infer(MADRID, day_start(MADRID, day(28), at(8, 0), &hours));
    assert_eq!(saturday.said(), "@home — outside work hours");
}

#[test]
fn late_is_past_the_end_of_work_hours_or_the_evening_of_a_day_off() {
    let at = |text: &str| -> NaiveDateTime { text.parse().unwrap() };
    let hours = WorkHours::parse("Mon-Fri 09:00-17:00").unwrap();
    // Monday 2026-11-23: a work day.
    assert!(!hours.is_late(at("2026-11-23T08:00:00")));
    assert!(!hours.is_late(at("2026-11-23T16:59:00")));
    assert!(hours.is_late(at("2026-11-23T17:00:00")));
    // Saturday: a day off, late from 18:00.
    assert!(!hours.is_late(at("2026-11-28T17:59:00")));
    assert!(hours.is_late(at("2026-11-28T18:00:00")));
    // Hours to midnight: never late on a work day.
    let long = WorkHours::parse("Mon-Fri 09:00-24:00").unwrap();
    assert!(!long.is_late(at("2026-11-23T23:30:00")));
}
