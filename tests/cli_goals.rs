//! `myorg goals` and `myorg goals report` through the real binary on a temporary
//! store made from the bundled template, at a fixed time (2026-11-23 08:00, a Monday)
//! and as `ana`: a quarter's goals with the progress `myorg projects` shows, their
//! projects and the telos.md section each serves (by `telos:` or named under a
//! heading), other quarters and every quarter, `--json`; the weekly report against
//! last week with stalled goals flagged, a task completed this week counted; and bad
//! input that fails and changes nothing.

use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

mod support;
use support::{myorg, stderr, stdout};

const ENV: [(&str, &str); 2] = [
    ("MYORG_USER_NAME", "ana"),
    ("MYORG_USER_EMAIL", "ana@example.com"),
];

fn run(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--store", "s"];
    all.extend_from_slice(args);
    stdout(&myorg(dir, &all, &ENV))
}

fn fail(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--store", "s"];
    all.extend_from_slice(args);
    stderr(&myorg(dir, &all, &ENV))
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&run(dir, args)).unwrap()
}

/// Appends `lines` to the store file `name`, as a hand edit.
fn append(dir: &Path, name: &str, lines: &str) {
    let path = dir.join("s").join(name);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(lines);
    std::fs::write(path, text).unwrap();
}

/// The `progress` of each line `myorg projects … --json` prints, by slug.
fn progress_by_slug(dir: &Path, args: &[&str]) -> HashMap<String, Value> {
    run(dir, args)
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).unwrap();
            (
                value["slug"].as_str().unwrap().to_string(),
                value["progress"].clone(),
            )
        })
        .collect()
}

/// Every file of the store's working tree (outside `.git`) with its bytes, and HEAD.
fn snapshot(dir: &Path) -> (Vec<(String, Vec<u8>)>, String) {
    let root = dir.join("s");
    let mut files = Vec::new();
    let mut pending = vec![root.clone()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(&root).unwrap().display().to_string();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    let head = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    (files, String::from_utf8(head.stdout).unwrap())
}

#[test]
fn the_current_quarters_goals_come_with_progress_projects_and_telos_sections() {
    let dir = TempDir::new().unwrap();
    let text = run(dir.path(), &["goals"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Goals of 2026Q4 (4):", "{text}");
    // Each goal of 2026Q4, the section of telos.md that names it (`+ship-v2` under
    // "Current focus"), then its projects.
    let ship = lines.iter().position(|l| l.starts_with("+ship-v2 ")).unwrap();
    assert!(
        lines[ship].starts_with("+ship-v2 active, ")
            && lines[ship].ends_with(": Ship the v2 website and product pages"),
        "{text}"
    );
    assert_eq!(lines[ship + 1], "  telos: Current focus (Q4 2026)");
    assert!(lines[ship + 2].starts_with("  +website active, "), "{text}");
    assert!(!text.contains("+old-site-retired"), "a goal of 2026Q3: {text}");

    // The same progress `myorg projects` counts, for goals and their projects.
    let goals = json(dir.path(), &["goals", "--json"]);
    assert_eq!(goals["quarter"], "2026Q4");
    let goal_progress = progress_by_slug(dir.path(), &["projects", "--goals", "--all", "--json"]);
    let project_progress = progress_by_slug(dir.path(), &["projects", "--all", "--json"]);
    let listed = goals["goals"].as_array().unwrap();
    let slugs: Vec<&str> = listed.iter().map(|g| g["slug"].as_str().unwrap()).collect();
    assert_eq!(
        slugs,
        ["ship-v2", "grow-team", "home-refresh", "finances-in-order"]
    );
    for goal in listed {
        let slug = goal["slug"].as_str().unwrap();
        assert_eq!(goal["progress"], goal_progress[slug], "{slug}");
        assert_eq!(goal["quarter"], "2026Q4");
        assert_eq!(goal["telos"]["heading"], "Current focus (Q4 2026)", "{slug}");
        assert_eq!(goal["telos"]["by"], "named", "{slug}");
        for project in goal["projects"].as_array().unwrap() {
            let name = project["slug"].as_str().unwrap();
            assert_eq!(project["progress"], project_progress[name], "{name}");
        }
    }
    let grow: Vec<&str> = listed[1]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(grow, ["hiring", "onboarding"]);
    assert_eq!(listed[3]["status"], "planning");
    assert_eq!(listed[3]["projects"][0]["status"], "active");
}

#[test]
fn a_telos_tag_names_its_section_and_other_quarters_are_asked_for_by_name() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["goals"]);
    append(
        dir.path(),
        "goals.txt",
        "+calm Keep evenings free status:active quarter:2026Q4 telos:values\n\
         +fit Run a half marathon status:active quarter:2026Q4 telos:Health\n\
         +focus Finish what I start status:active quarter:2026Q4 telos:current-focus\n\
         +japanese Learn Japanese status:someday quarter:2027Q1\n\
         +loose No quarter status:active\n",
    );
    append(dir.path(), "telos.md", "\n## Health\n\nSleep eight hours.\n");
    let text = run(dir.path(), &["goals", "--quarter", "current"]);
    assert!(text.starts_with("Goals of 2026Q4 (7):\n"), "{text}");
    assert!(
        text.contains("\n+calm active, no tasks: Keep evenings free\n  telos: Values\n"),
        "{text}"
    );
    assert!(
        text.contains("\n+fit active, no tasks: Run a half marathon\n  telos: Health\n"),
        "{text}"
    );
    // A tag names a heading by the start of its slug too.
    assert!(
        text.contains("\n+focus active, no tasks: Finish what I start\n  telos: Current focus (Q4 2026)\n"),
        "{text}"
    );
    let listed = json(dir.path(), &["goals", "--json"]);
    let fit = listed["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|goal| goal["slug"] == "fit")
        .map(|goal| goal["telos"].clone());
    assert_eq!(
        fit.unwrap(),
        serde_json::json!({"heading": "Health", "slug": "health", "by": "tag", "tag": "Health"})
    );

    // telos.md names "Japanese" (the goal's slug, as a word) under "Not now".
    let next = run(dir.path(), &["goals", "--quarter", "next"]);
    assert_eq!(
        next,
        "Goals of 2027Q1 (1):\n+japanese someday, no tasks: Learn Japanese\n  telos: Not now\n"
    );
    let previous = run(dir.path(), &["goals", "--quarter", "2026q3"]);
    assert!(
        previous.starts_with("Goals of 2026Q3 (1):\n+old-site-retired done, "),
        "{previous}"
    );
    let all = run(dir.path(), &["goals", "--quarter", "all"]);
    assert!(all.starts_with("Goals, every quarter (10):\n"), "{all}");
    assert!(all.contains("\n+old-site-retired done, 2026Q3, "), "{all}");
    assert!(all.contains("\n+loose active, no tasks: No quarter\n"), "{all}");
    assert_eq!(
        json(dir.path(), &["goals", "--quarter", "all", "--json"])["quarter"],
        Value::Null
    );
    assert_eq!(
        run(dir.path(), &["goals", "--quarter", "2025Q1"]),
        "No goals in 2025Q1: no goal of goals.txt has quarter:2025Q1.\n"
    );

    // A tag naming no heading is said as such.
    append(
        dir.path(),
        "goals.txt",
        "+rich Get rich status:active quarter:2026Q4 telos:wealth\n",
    );
    let text = run(dir.path(), &["goals"]);
    assert!(
        text.contains(
            "\n+rich active, no tasks: Get rich\n  telos: telos:wealth names no heading of telos.md\n"
        ),
        "{text}"
    );
}

#[test]
fn the_weekly_report_counts_each_goals_completed_tasks_against_last_week() {
    let dir = TempDir::new().unwrap();
    // Monday 23 November: nothing done yet this week; last week (16 to 22) moved
    // three goals, and +finances-in-order last moved on 12 November.
    let report = run(dir.path(), &["goals", "report"]);
    assert_eq!(
        report,
        "Goals, week 2026-11-23 to 2026-11-29 (last week 2026-11-16 to 2026-11-22):\n\
         +ship-v2 Ship the v2 website and product pages: nothing this week, 2 last week\n\
         +grow-team Hire and onboard a backend engineer: nothing this week, 4 last week\n\
         +home-refresh Finish the kitchen and get the garden ready for spring: nothing this week, 1 last week\n\
         +finances-in-order Close the year with taxes and paperwork done: no movement for 2 weeks\n"
    );

    // The week before, by any of its days: the tasks done then, by day.
    let before = run(dir.path(), &["goals", "report", "--week", "2026-11-20"]);
    assert_eq!(
        before,
        run(dir.path(), &["goals", "report", "--week", "2026-11-16"])
    );
    assert!(
        before.starts_with("Goals, week 2026-11-16 to 2026-11-22 (last week 2026-11-09 to 2026-11-15):\n"),
        "{before}"
    );
    assert!(
        before.contains(
            "\n+ship-v2 Ship the v2 website and product pages: 2 done this week, none last week\n\
             \x20 2026-11-20 Merge navigation redesign PR +website @computer\n\
             \x20 2026-11-21 Publish migration notice on the new site +website @computer pri:A\n"
        ),
        "{before}"
    );
    assert!(
        before.contains("\n+home-refresh Finish the kitchen and get the garden ready for spring: 1 done this week, 2 last week\n"),
        "{before}"
    );
    assert!(
        before.contains("\n+finances-in-order Close the year with taxes and paperwork done: nothing this week, 1 last week\n"),
        "{before}"
    );

    // A task done today moves its goal this week; one tagged with the goal itself
    // counts too, and an archived one without a date is in no week.
    run(dir.path(), &["done", "Prepare first-week plan for Dani"]);
    append(
        dir.path(),
        "todo.txt",
        "x 2026-11-23 Budget review +finances-in-order\n",
    );
    append(dir.path(), "done.txt", "Old paperwork +taxes\n");
    let report = json(dir.path(), &["goals", "report", "--json"]);
    assert_eq!(
        report["week"],
        serde_json::json!({"first": "2026-11-23", "last": "2026-11-29"})
    );
    assert_eq!(report["last_week"]["first"], "2026-11-16");
    let grow = &report["goals"][1];
    assert_eq!(grow["slug"], "grow-team");
    assert_eq!(
        grow["done_this_week"],
        serde_json::json!([{"date": "2026-11-23", "text": "Prepare first-week plan for Dani +onboarding @computer due:2026-11-25 pri:A"}])
    );
    assert_eq!(grow["done_last_week"], 4);
    assert_eq!(grow["stalled"], false);
    assert_eq!(grow["summary"], "1 done this week, 4 last week");
    let finances = &report["goals"][3];
    assert_eq!(finances["summary"], "1 done this week, none last week");
    assert_eq!(finances["undated"], 1);
    let stalled: Vec<&str> = report["goals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["stalled"] == true)
        .map(|g| g["slug"].as_str().unwrap())
        .collect();
    assert!(stalled.is_empty(), "{report}");
    let text = run(dir.path(), &["goals", "report"]);
    assert!(
        text.ends_with(
            "+finances-in-order Close the year with taxes and paperwork done: 1 done this week, none last week\n\
             \x20 2026-11-23 Budget review +finances-in-order\n\
             \x20 and 1 done without a completion date, in no week\n"
        ),
        "{text}"
    );
}

#[test]
fn a_bad_quarter_or_week_is_refused_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["goals"]);
    let before = snapshot(dir.path());
    let cases: [(&[&str], &str); 5] = [
        (
            &["goals", "--quarter", "2026Q5"],
            "myorg: \"2026Q5\" is not a quarter: use YYYYQ1 to YYYYQ4 (like 2026Q4), current, next, previous or all\n",
        ),
        (
            &["goals", "--quarter", "soon", "--json"],
            "\"soon\" is not a quarter",
        ),
        (
            &["goals", "report", "--week", "notadate"],
            "\"notadate\" is not a date",
        ),
        (
            &["goals", "report", "--week", "2026-02-30", "--json"],
            "2026-02-30",
        ),
        (&["goals", "--quarter", "2026Q4", "report"], "cannot be used with"),
    ];
    for (args, message) in cases {
        let error = fail(dir.path(), args);
        assert!(error.contains(message), "{args:?}: {error}");
    }
    assert_eq!(snapshot(dir.path()), before);
}
