//! The calendar commands through the real binary on a temporary store made from the
//! bundled template, at a fixed time (2026-11-23 08:00, a Monday): `event` into an
//! existing day and a missing one (one commit, every other line as it was), bad
//! requests that change nothing, `events` over a range, `today` (with the person's
//! context) and `agenda`, and their `--json`.

use git2::Repository;
use std::collections::HashMap;
use std::path::Path;
use tempfile::TempDir;

mod support;
use support::{fail_in_store as fail, run_in_store as run};

const TEMPLATE: &str = include_str!("../fixtures/store/calendar.txt");

fn calendar(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("s/calendar.txt")).unwrap()
}

/// The template's calendar.txt with the line that starts with `old` replaced by
/// `new` (several lines when it holds line breaks).
fn template_with(old: &str, new: &str) -> String {
    let mut replaced = 0;
    let lines: Vec<&str> = TEMPLATE
        .lines()
        .map(|line| {
            if line.starts_with(old) {
                replaced += 1;
                new
            } else {
                line
            }
        })
        .collect();
    assert_eq!(replaced, 1, "{old}");
    lines.join("\n") + "\n"
}

/// The subject of the newest commit and the files it changed.
fn head(dir: &Path) -> (String, Vec<String>) {
    let repo = Repository::open(dir.join("s")).unwrap();
    let commit = repo.head().unwrap().peel_to_commit().unwrap();
    let parent = commit.parent(0).ok().map(|parent| parent.tree().unwrap());
    let diff = repo
        .diff_tree_to_tree(parent.as_ref(), Some(&commit.tree().unwrap()), None)
        .unwrap();
    let files = diff
        .deltas()
        .map(|delta| delta.new_file().path().unwrap().display().to_string())
        .collect();
    (commit.summary().unwrap().unwrap().to_string(), files)
}

/// The reference `myorg tasks` shows for each open task, by its line as written.
fn references(dir: &Path) -> HashMap<String, String> {
    run(dir, &["tasks", "--json", "--hidden"])
        .lines()
        .map(|line| {
            let task: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                task["raw"].as_str().unwrap().to_string(),
                task["ref"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_event_goes_at_its_time_in_its_day_in_one_commit() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["event", "tomorrow", "14:30-15", "dentist"]);
    assert_eq!(
        out,
        "Add event: 2026-11-24 14:30-15 dentist\n\
         2026-11-24 w48 Tue  11-12 second interview backend candidate 14:30-15 dentist 18:30-20 yoga\n"
    );
    assert_eq!(
        calendar(dir.path()),
        template_with(
            "2026-11-24 ",
            "2026-11-24 w48 Tue  11-12 second interview backend candidate 14:30-15 dentist 18:30-20 yoga"
        )
    );
    assert_eq!(
        head(dir.path()),
        (
            "Add event: 2026-11-24 14:30-15 dentist".to_string(),
            vec!["calendar.txt".to_string()]
        )
    );

    // A quoted day of several words, then a time; and a day with no time at all,
    // which joins the day's untimed text.
    run(dir.path(), &["event", "dec 5", "10", "haircut"]);
    run(dir.path(), &["event", "fri", "lunch", "with", "Marta"]);
    let text = calendar(dir.path());
    assert!(text.contains("\n2026-12-05 w49 Sat  10 haircut\n"), "{text}");
    assert!(
        text.contains("\n2026-11-27 w48 Fri  Q4 report due, lunch with Marta 16-17 leadership sync\n"),
        "{text}"
    );
    assert_eq!(head(dir.path()).0, "Add event: 2026-11-27 lunch with Marta");
}

#[test]
fn a_missing_day_is_inserted_in_order_with_its_header() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["event", "2026-12-14", "9:30", "standup"]);
    assert!(out.ends_with("\n2026-12-14 w51 Mon  9:30 standup\n"), "{out}");
    assert_eq!(
        calendar(dir.path()),
        template_with(
            "2026-12-13 ",
            "2026-12-13 w50 Sun\n2026-12-14 w51 Mon  9:30 standup"
        )
    );
    // Before the first day: after the year line, before November's month line.
    run(dir.path(), &["event", "2026-10-30", "Halloween", "party", "prep"]);
    let text = calendar(dir.path());
    assert!(
        text.starts_with(
            "2026  Ship v2, grow the team, finish the kitchen\n2026-10-30 w44 Fri  Halloween party prep\n2026-11  "
        ),
        "{text}"
    );
    // After the last line of the file.
    run(dir.path(), &["event", "2027-03-01", "8-9", "dentist"]);
    assert!(
        calendar(dir.path()).ends_with("\n2027  Kitchen done by the end of January, first half marathon in spring\n2027-03-01 w09 Mon  8-9 dentist\n")
    );
    assert_eq!(
        head(dir.path()),
        (
            "Add event: 2027-03-01 8-9 dentist".to_string(),
            vec!["calendar.txt".to_string()]
        )
    );
}

#[test]
fn bad_requests_are_clear_errors_that_change_nothing() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["status"]);
    let before = calendar(dir.path());
    let commit = head(dir.path()).0;
    for (args, expected) in [
        (
            &["event", "nov", "31", "dentist"][..],
            "November 2026 has no 31st",
        ),
        (&["event", "nov 31", "10", "dentist"], "November 2026 has no 31st"),
        (&["event", "tomorrow", "25:00", "x"], "\"25:00\" is not a time"),
        (&["event", "tomorrow", "9:75", "x"], "\"9:75\" is not a time"),
        (
            &["event", "tomorrow", "16-15", "x"],
            "would end at 15:00, not after it starts at 16:00",
        ),
        (
            &["event", "tomorrow", "24", "x"],
            "24:00, which only ends an event",
        ),
        (&["event", "tomorrow", "14:30"], "needs some text"),
        (&["event", "tomorrow", "14:30", " "], "needs some text"),
        (
            &["event", "tomorrow", "9", "standup", "14", "dentist"],
            "\"14\" in the text would start another event",
        ),
        (&["event", "soon", "party"], "\"soon\" is not a date"),
    ] {
        let error = fail(dir.path(), args);
        assert!(error.starts_with("myorg: "), "{args:?}: {error}");
        assert!(error.contains(expected), "{args:?}: {error}");
    }
    assert_eq!(calendar(dir.path()), before);
    assert_eq!(head(dir.path()).0, commit);
    let usage = fail(dir.path(), &["event"]);
    assert!(usage.contains("WHEN [TIME] TEXT"), "{usage}");
}

#[test]
fn events_lists_a_range_by_day_and_time() {
    let dir = TempDir::new().unwrap();
    assert_eq!(
        run(dir.path(), &["events", "--from", "nov 30", "--to", "dec 1"]),
        "Mon 2026-11-30  09:30-10:00  standup\n\
         Tue 2026-12-01               Dani's first day\n\
         Tue 2026-12-01  09:00-10:00  welcome and laptop setup\n\
         Tue 2026-12-01  13:00-14:30  welcome lunch\n\
         Tue 2026-12-01  18:30-20:00  yoga\n"
    );
    // By default the 7 days from today.
    let week = run(dir.path(), &["events"]);
    let lines: Vec<&str> = week.lines().collect();
    assert_eq!(lines.len(), 10, "{week}");
    assert_eq!(lines[0], "Mon 2026-11-23  09:30-10:00  standup");
    assert_eq!(lines[9], "Sun 2026-11-29  14:00        family lunch at Lola's");
    assert_eq!(
        run(dir.path(), &["events", "--from", "2027-03-01"]),
        "No events from 2027-03-01 to 2027-03-07.\n"
    );
    let error = fail(dir.path(), &["events", "--from", "dec 5", "--to", "dec 2"]);
    assert!(
        error.contains("--from 2026-12-05 is after --to 2026-12-02"),
        "{error}"
    );
    let error = fail(dir.path(), &["events", "--to", "nov 31"]);
    assert!(error.contains("--to") && error.contains("no 31st"), "{error}");

    let json = run(
        dir.path(),
        &["events", "--from", "dec 1", "--to", "dec 1", "--json"],
    );
    let events: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 4, "{json}");
    assert_eq!(
        events[0],
        serde_json::json!({"date": "2026-12-01", "weekday": "Tue", "start": null, "end": null,
            "text": "Dani's first day", "line": 38})
    );
    assert_eq!(
        events[2],
        serde_json::json!({"date": "2026-12-01", "weekday": "Tue", "start": "13:00", "end": "14:30",
            "text": "welcome lunch", "line": 38})
    );
    assert!(
        TEMPLATE
            .lines()
            .nth(37)
            .unwrap()
            .starts_with("2026-12-01 w49 Tue")
    );
}

#[test]
fn today_shows_events_the_week_goal_and_overdue_and_due_tasks() {
    let dir = TempDir::new().unwrap();
    let refs = references(dir.path());
    let task = |raw: &str| format!("  {}  {raw}\n", refs[raw]);
    let expected = [
        "Today, Mon 2026-11-23 (week 48)\n",
        "Week goal: Send the Q4 report, plan Dani's first week\n",
        // 08:00 is before work.
        "Context @home — outside work hours\n",
        "\nEvents\n",
        "  09:30-10:00  standup\n",
        "  14:00        dentist\n",
        "\nOverdue\n",
        &task("(A) 2026-11-16 Fix broken contact form on staging +website @computer due:2026-11-20 estimate:2h"),
        &task("(B) 2026-11-13 Send feedback to first-round candidates +hiring @email owner:carla due:2026-11-20"),
        &task("2026-11-20 Water the balcony plants @home rec:2d due:2026-11-22"),
        &task("2026-11-20 Call Mum about Sunday lunch @phone due:2026-11-22"),
        "\nDue today\n",
        &task("2026-11-16 Order laptop for Dani +onboarding @computer owner:carla due:2026-11-23 p:2"),
    ]
    .concat();
    assert_eq!(run(dir.path(), &["today"]), expected);

    let json: serde_json::Value = serde_json::from_str(&run(dir.path(), &["today", "--json"])).unwrap();
    assert_eq!(json["date"], "2026-11-23");
    assert_eq!(json["weekday"], "Mon");
    assert_eq!(json["week"], 48);
    assert_eq!(json["week_goal"], "Send the Q4 report, plan Dani's first week");
    assert_eq!(
        json["context"],
        serde_json::json!({ "context": "@home", "why": "outside work hours" })
    );
    assert_eq!(json["month_note"], "Q4 report, backend hire, get ready for Dani");
    assert_eq!(json["year_note"], "Ship v2, grow the team, finish the kitchen");
    assert_eq!(json["events"].as_array().unwrap().len(), 2);
    assert_eq!(json["events"][1]["text"], "dentist");
    assert_eq!(json["overdue"].as_array().unwrap().len(), 4);
    let due = &json["due"][0];
    let raw = "2026-11-16 Order laptop for Dani +onboarding @computer owner:carla due:2026-11-23 p:2";
    assert_eq!(due["raw"], raw);
    assert_eq!(due["ref"], refs[raw].as_str());
    assert_eq!(due["due"], "2026-11-23");
    assert_eq!(due["owner"], "carla");
    assert_eq!(due["projects"], serde_json::json!(["onboarding"]));
    let line = due["line"].as_u64().unwrap() as usize;
    let todo = std::fs::read_to_string(dir.path().join("s/todo.txt")).unwrap();
    assert_eq!(todo.lines().nth(line - 1).unwrap(), raw);
}

#[test]
fn today_reads_the_working_tree_and_commits_nothing() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["status"]);
    let commit = head(dir.path()).0;
    // Hand edits not yet committed are what `today` shows.
    std::fs::write(dir.path().join("s/todo.txt"), "").unwrap();
    std::fs::write(
        dir.path().join("s/calendar.txt"),
        "2026-11-22 w47 Sun  10 brunch\n",
    )
    .unwrap();
    assert_eq!(
        run(dir.path(), &["today"]),
        "Today, Mon 2026-11-23 (week 48)\nContext @home — outside work hours\n\nNothing on the calendar and no tasks due today.\n"
    );
    assert_eq!(
        run(dir.path(), &["agenda"]),
        "Nothing on the calendar and no tasks due from 2026-11-23 to 2026-11-29.\n"
    );
    assert_eq!(head(dir.path()).0, commit, "a read commits nothing");
}

#[test]
fn agenda_shows_each_days_events_and_tasks_due() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["event", "tomorrow", "14:30-15", "dentist"]);
    let refs = references(dir.path());
    let due = |raw: &str| format!("  due          {}  {raw}\n", refs[raw]);
    let expected = [
        "Week 48: Send the Q4 report, plan Dani's first week\n",
        "Mon 2026-11-23\n",
        "  09:30-10:00  standup\n",
        "  14:00        dentist\n",
        &due("2026-11-16 Order laptop for Dani +onboarding @computer owner:carla due:2026-11-23 p:2"),
        "Tue 2026-11-24\n",
        "  11:00-12:00  second interview backend candidate\n",
        "  14:30-15:00  dentist\n",
        "  18:30-20:00  yoga\n",
        &due(
            "(B) 2026-11-17 Pull sales numbers for October and November +q4-report @computer owner:ben \
             due:2026-11-24 p:1",
        ),
        &due("2026-11-17 Take out recycling @home rec:1w due:2026-11-24"),
        "Wed 2026-11-25\n",
        &due("(A) 2026-11-16 Prepare first-week plan for Dani +onboarding @computer due:2026-11-25"),
        &due("(B) 2026-11-17 Draft the Q4 narrative section +q4-report @computer due:2026-11-25 p:1 estimate:3h"),
    ]
    .concat();
    assert_eq!(run(dir.path(), &["agenda", "--days", "3"]), expected);

    // Across a week: each week's goal once; a task hidden until later (t:) shows on
    // its due day once visible.
    let fortnight = run(dir.path(), &["agenda", "--days", "14"]);
    assert!(fortnight.contains("\nWeek 49: Dani's first week, pricing page on staging\nMon 2026-11-30\n"));
    assert!(
        fortnight.contains(
            "2026-11-20 Book welcome lunch for Dani +onboarding @phone due:2026-11-30 t:2026-11-26\n"
        )
    );
    assert!(
        !fortnight.contains("Wed 2026-12-02"),
        "days with nothing are left out"
    );

    let json = run(dir.path(), &["agenda", "--days", "3", "--json"]);
    let days: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(days.len(), 3);
    assert_eq!(days[1]["date"], "2026-11-24");
    assert_eq!(days[1]["weekday"], "Tue");
    assert_eq!(days[1]["week_goal"], "Send the Q4 report, plan Dani's first week");
    assert_eq!(days[1]["events"][1]["start"], "14:30");
    assert_eq!(days[1]["events"][1]["end"], "15:00");
    assert_eq!(days[1]["due"].as_array().unwrap().len(), 2);
    assert_eq!(days[2]["events"], serde_json::json!([]));

    let error = fail(dir.path(), &["agenda", "--days", "0"]);
    assert!(error.contains("--days"), "{error}");
}

/// `today` on the first day chrono has, a Thursday whose week has no Monday, looked
/// up the week's goal on that Monday: a panic. There is no goal to find; the day is
/// shown.
#[test]
fn today_in_the_calendars_first_week_is_not_a_panic() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["status"]);
    let output = support::myorg(
        dir.path(),
        &["--store", "s", "--now=-262143-01-01T08:00", "today"],
        &[],
    );
    let shown = support::stdout(&output);
    assert!(
        shown.starts_with("Today, Thu -262143-01-01 (week 1)\n"),
        "{shown}"
    );
}
