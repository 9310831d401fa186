//! `myorg context` through the real binary on the bundled template, the store in
//! Madrid time and Ana in New York: inferred from the calendar and her own work
//! hours, set until the end of her day, back to inference with `auto`, an unknown
//! context refused with nothing changed, a bad `[contexts]` refused before anything
//! runs; `myorg today` saying it; and `myorg suggest` without `--context` made for
//! her context.

use std::path::Path;
use tempfile::TempDir;

mod support;
use support::{myorg, stderr, stdout};

const CONFIG: &str = r#"
[user]
name = "Ana"
email = "ana@example.com"

[[people]]
name = "Ana"
email = "ana@example.com"
timezone = "America/New_York"

[contexts]
names = ["@phone", "@errands", "@computer", "@home"]

[[contexts.rules]]
context = "@phone"
words = ["call", "interview"]
"#;

/// `myorg context ARGS` at `now` (the store's time, Madrid).
fn context(dir: &Path, now: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--config", "myorg.toml", "--store", "s", "context"];
    all.extend_from_slice(args);
    myorg(dir, &all, &[("MYORG_NOW", now), ("TIMEZONE", "Europe/Madrid")])
}

fn said(dir: &Path, now: &str, args: &[&str]) -> String {
    stdout(&context(dir, now, args)).trim_end().to_string()
}

fn setup() -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("myorg.toml"), CONFIG).unwrap();
    dir
}

fn kept(dir: &Path) -> Option<Vec<u8>> {
    std::fs::read(dir.join("s/.git/myorg/context.json")).ok()
}

#[test]
fn the_context_is_inferred_from_the_calendar_and_her_own_hours() {
    let dir = setup();
    let dir = dir.path();
    // Tuesday 11:15 in Madrid: the interview (a configured word) is on.
    assert_eq!(
        said(dir, "2026-11-24T11:15:00", &[]),
        "@phone — \"second interview backend candidate\" 11:00–12:00"
    );
    let today = stdout(&myorg(
        dir,
        &["--config", "myorg.toml", "--store", "s", "today"],
        &[
            ("MYORG_NOW", "2026-11-24T11:15:00"),
            ("TIMEZONE", "Europe/Madrid"),
        ],
    ));
    assert!(
        today.contains("\nContext @phone — \"second interview backend candidate\" 11:00–12:00\n"),
        "`today` says it: {today}"
    );
    // 13:00 in Madrid is 07:00 in New York: not her work hours yet; 16:00 is 10:00.
    assert_eq!(
        said(dir, "2026-11-24T13:00:00", &[]),
        "@home — outside work hours"
    );
    assert_eq!(said(dir, "2026-11-24T16:00:00", &[]), "@computer — work hours");
    // Saturday afternoon.
    assert_eq!(
        said(dir, "2026-11-28T17:00:00", &[]),
        "@home — outside work hours"
    );
    assert_eq!(kept(dir), None, "looking sets nothing");
}

#[test]
fn a_set_context_holds_until_the_end_of_her_day_and_auto_forgets_it() {
    let dir = setup();
    let dir = dir.path();
    assert_eq!(
        said(dir, "2026-11-24T16:00:00", &["errands"]),
        "@errands — set until the end of the day"
    );
    assert_eq!(
        said(dir, "2026-11-24T20:00:00", &[]),
        "@errands — set until the end of the day"
    );
    let today = stdout(&myorg(
        dir,
        &["--config", "myorg.toml", "--store", "s", "today"],
        &[
            ("MYORG_NOW", "2026-11-24T20:00:00"),
            ("TIMEZONE", "Europe/Madrid"),
        ],
    ));
    assert!(
        today.contains("\nContext @errands — set until the end of the day\n"),
        "`today` says it: {today}"
    );
    // 05:59 in Madrid is 23:59 in New York: her day is not over; at 06:00 it is.
    assert_eq!(
        said(dir, "2026-11-25T05:59:00", &[]),
        "@errands — set until the end of the day"
    );
    assert_eq!(
        said(dir, "2026-11-25T06:00:00", &[]),
        "@home — outside work hours"
    );

    assert_eq!(
        said(dir, "2026-11-25T16:00:00", &["@Phone"]),
        "@phone — set until the end of the day"
    );
    assert_eq!(
        said(dir, "2026-11-25T16:05:00", &["auto"]),
        "@computer — work hours"
    );
    assert_eq!(said(dir, "2026-11-25T16:06:00", &[]), "@computer — work hours");
}

#[test]
fn an_unknown_context_is_refused_with_the_known_ones_and_nothing_changes() {
    let dir = setup();
    let dir = dir.path();
    said(dir, "2026-11-24T16:00:00", &["@phone"]);
    let before = kept(dir).expect("the set context is kept");
    let error = stderr(&context(dir, "2026-11-24T16:01:00", &["@moon"]));
    assert_eq!(
        error.trim_end(),
        "myorg: \"@moon\" is not one of the team's contexts; say one of @phone, @errands, @computer, @home, or auto"
    );
    assert_eq!(kept(dir), Some(before));
    assert_eq!(
        said(dir, "2026-11-24T16:02:00", &[]),
        "@phone — set until the end of the day"
    );
}

#[test]
fn bad_contexts_settings_are_refused_before_anything_runs() {
    for (setting, expected) in [
        ("work_hours = \"Mon-Fri 9-18\"", "work hours \"Mon-Fri 9-18\""),
        (
            "names = [\"phone\"]",
            "\"phone\" in [contexts] names must be @ and one word",
        ),
        (
            "at_work = \"@office\"",
            "at_work \"@office\" is not one of the names",
        ),
        (
            "set_for = \"forever\"",
            "\"forever\" is not how long a set context holds",
        ),
    ] {
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join("myorg.toml"), format!("[contexts]\n{setting}\n")).unwrap();
        let error = stderr(&context(dir.path(), "2026-11-24T16:00:00", &[]));
        assert!(error.contains(expected), "{setting}: {error}");
        assert!(error.contains("in the configuration"), "{error}");
        assert!(!dir.path().join("s").exists(), "{setting}: the store was made");
    }
}

#[test]
fn suggest_without_a_context_uses_hers_and_the_time_to_her_next_event() {
    let dir = setup();
    let dir = dir.path();
    let suggest = |now: &str, args: &[&str]| {
        let mut all = vec!["--config", "myorg.toml", "--store", "s", "suggest"];
        all.extend_from_slice(args);
        stdout(&myorg(
            dir,
            &all,
            &[("MYORG_NOW", now), ("TIMEZONE", "Europe/Madrid")],
        ))
    };
    // Monday 16:00 in Madrid, 10:00 in New York; nothing more in Madrid's calendar.
    let out = suggest("2026-11-23T16:00:00", &[]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("Context @computer (work hours); no more events today")
    );
    assert!(out.contains("@computer") && !out.contains("@home"), "{out}");
    // Monday 13:00 in Madrid, 07:00 in New York: an hour to the dentist at 14:00.
    let out = suggest("2026-11-23T13:00:00", &[]);
    assert!(
        out.starts_with("Context @home (outside work hours); 60 minutes until dentist\n1. "),
        "{out}"
    );
    assert!(
        !out.contains("@computer") && !out.contains("estimate:2h"),
        "{out}"
    );
    // Her set context is the one used.
    said(dir, "2026-11-23T13:00:00", &["@phone"]);
    let out = suggest("2026-11-23T13:01:00", &[]);
    assert!(
        out.starts_with("Context @phone (set until the end of the day); 59 minutes until dentist\n"),
        "{out}"
    );
    // A context asked for is used as it is, and nothing else is said.
    let out = suggest("2026-11-23T13:01:00", &["--context", "@computer"]);
    assert!(out.starts_with("1. "), "{out}");
}

#[test]
fn a_person_may_have_work_hours_of_their_own() {
    let dir = TempDir::new().unwrap();
    let own = CONFIG.replace(
        "timezone = \"America/New_York\"\n",
        "timezone = \"America/New_York\"\nwork_hours = \"Sat,Sun 10:00-14:00\"\n",
    );
    std::fs::write(dir.path().join("myorg.toml"), own).unwrap();
    // Saturday 17:00 in Madrid is 11:00 in New York; Monday 16:00 is 10:00.
    assert_eq!(
        said(dir.path(), "2026-11-28T17:00:00", &[]),
        "@computer — work hours"
    );
    assert_eq!(
        said(dir.path(), "2026-11-23T16:00:00", &[]),
        "@home — outside work hours"
    );

    let bad = CONFIG.replace(
        "timezone = \"America/New_York\"\n",
        "timezone = \"America/New_York\"\nwork_hours = \"weekends\"\n",
    );
    std::fs::write(dir.path().join("myorg.toml"), bad).unwrap();
    let error = stderr(&context(dir.path(), "2026-11-28T17:00:00", &[]));
    assert!(error.contains("Ana's work hours \"weekends\""), "{error}");
}
