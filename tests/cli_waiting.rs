//! Waiting-for items and people through the real binary on a temporary store made
//! from the bundled template, at 2026-11-23 08:00 (a Monday): the list with the items
//! to chase first, adding with a follow-up in words, rescheduling, receiving, bad
//! input, and `owner:` names from the configured people with `--mine`.

use std::path::Path;
use tempfile::TempDir;

mod support;
use support::{fail_in_store as fail, myorg, stderr, stdout};

fn run(dir: &Path, args: &[&str]) -> String {
    run_with(dir, args, &[])
}

fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut all = vec!["--store", "s"];
    all.extend_from_slice(args);
    stdout(&myorg(dir, &all, env))
}

fn todo(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("s/todo.txt")).unwrap()
}

#[test]
fn the_items_to_chase_come_first_with_the_reason() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["waiting"]);
    let lines: Vec<&str> = out.lines().collect();
    // In the template: the countertop quote has no follow-up and is 26 days old; two
    // follow-up dates (2026-11-19 and 2026-11-21) have passed.
    assert_eq!(lines[0], "To chase:", "{out}");
    assert!(
        lines[1].contains("ruiz: Countertop quote +kitchen — waiting for 26 days; since 2026-10-28"),
        "{out}"
    );
    assert!(
        lines[2].contains("hr: Signed offer template from HR +hiring — follow-up was 4 days ago"),
        "{out}"
    );
    assert!(lines[3].contains("landlord: Signed lease renewal"), "{out}");
    assert_eq!(lines[4], "Waiting:", "{out}");
    assert_eq!(lines.len(), 9, "{out}");

    let stale = run(dir.path(), &["waiting", "--stale", "--json"]);
    let items: Vec<serde_json::Value> = stale.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["who"], "ruiz");
    assert_eq!(items[0]["waited_days"], 26);
    assert_eq!(items[1]["followup"], "2026-11-19");
    let line = items[0]["line"].as_u64().unwrap() as usize;
    assert_eq!(todo(dir.path()).lines().nth(line - 1).unwrap(), items[0]["raw"]);

    // A longer allowance makes the undated item wait without being stale.
    let config = dir.path().join("myorg.toml");
    std::fs::write(&config, "[waiting]\nstale_after_days = 30\n").unwrap();
    let relaxed = stdout(&myorg(
        dir.path(),
        &[
            "--config",
            config.to_str().unwrap(),
            "--store",
            "s",
            "waiting",
            "--stale",
            "--json",
        ],
        &[],
    ));
    assert_eq!(relaxed.lines().count(), 2, "{relaxed}");
}

#[test]
fn add_reschedule_and_receive() {
    let dir = TempDir::new().unwrap();
    let out = run(
        dir.path(),
        &[
            "waiting",
            "add",
            "carla",
            "Slides",
            "for",
            "the",
            "review",
            "+website",
            "--followup",
            "fri",
        ],
    );
    assert!(
        out.contains("2026-11-23 Slides for the review +website @waiting who:carla followup:2026-11-27"),
        "{out}"
    );
    let reference = out
        .strip_prefix("Waiting ")
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .to_string();
    let mine = run(dir.path(), &["waiting", "--who", "CARLA"]);
    assert!(
        mine.contains("carla: Slides for the review +website — follow up 2026-11-27; since today"),
        "{mine}"
    );
    assert_eq!(
        mine.lines().count(),
        3,
        "two of Carla's items under one heading: {mine}"
    );

    let out = run(dir.path(), &["waiting", "followup", &reference, "tomorrow"]);
    assert!(out.contains("who:carla followup:2026-11-24"), "{out}");
    let out = run(
        dir.path(),
        &["waiting", "followup", "slides for the review", "none"],
    );
    assert!(
        out.ends_with("who:carla\n") || out.contains("who:carla\nPushed"),
        "{out}"
    );

    let out = run(dir.path(), &["waiting", "received", "slides for the review"]);
    assert!(out.contains("Complete task: Slides for the review"), "{out}");
    assert!(
        todo(dir.path())
            .contains("x 2026-11-23 2026-11-23 Slides for the review +website @waiting who:carla")
    );
    let history = run(dir.path(), &["waiting", "--who", "carla", "--done"]);
    assert!(history.contains("received 2026-11-23"), "{history}");
}

#[test]
fn bad_input_is_a_clear_error_that_changes_nothing() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["status"]);
    let before = todo(dir.path());
    for (args, expected) in [
        (&["waiting", "add", "two words", "Keys"][..], "one word"),
        (&["waiting", "add", "ben", "  "], "say what you are waiting for"),
        (
            &["waiting", "add", "ben", "Keys", "--followup", "nov 31"],
            "November 2026 has no 31st",
        ),
        (&["waiting", "received", "1"], "not a waiting-for item"),
        (&["waiting", "followup", "countertop", "someday"], "is not a date"),
        (&["waiting", "received", "zzzz"], "no open task"),
    ] {
        let error = fail(dir.path(), args);
        assert!(error.contains(expected), "{args:?}: {error}");
    }
    assert_eq!(todo(dir.path()), before);
}

#[test]
fn owners_are_people_handles_and_mine_is_the_user() {
    let dir = TempDir::new().unwrap();
    let config = dir.path().join("myorg.toml");
    std::fs::write(
        &config,
        "[user]\nname = \"Ana García\"\nemail = \"ana@example.com\"\n\n\
         [[people]]\nname = \"Ana García\"\nemail = \"ana@example.com\"\ndiscord_id = \"111\"\n\n\
         [[people]]\nname = \"Ben Okafor\"\nhandle = \"ben\"\ntimezone = \"Europe/London\"\n",
    )
    .unwrap();
    let with_config = |args: &[&str]| {
        let mut all = vec!["--config", config.to_str().unwrap()];
        all.extend_from_slice(args);
        run(dir.path(), &all)
    };
    let out = with_config(&["add", "Plan", "the", "offsite", "+team", "--owner", "Ben Okafor"]);
    assert!(out.contains("Plan the offsite +team owner:ben"), "{out}");
    assert!(!out.contains("Note:"), "{out}");
    let out = with_config(&["add", "Book", "the", "room", "+team", "--owner", "Carla"]);
    assert!(
        out.contains("owner:carla") && out.contains("Note: Carla is not one of the configured people"),
        "{out}"
    );
    with_config(&["add", "Write", "the", "agenda", "+team", "--owner", "ana"]);
    with_config(&["add", "Anyone's", "job", "+team"]);
    let mine = with_config(&["tasks", "+team", "--mine"]);
    let texts: Vec<&str> = mine.lines().map(|l| l.split_once("  ").unwrap().1).collect();
    assert_eq!(
        texts,
        [
            "2026-11-23 Write the agenda +team owner:ana",
            "2026-11-23 Anyone's job +team"
        ],
        "{mine}"
    );
    let bens = with_config(&["tasks", "+team", "--owner", "Ben"]);
    assert_eq!(bens.lines().count(), 1, "{bens}");

    std::fs::write(&config, "[[people]]\nname = \"Ana\"\ntimezone = \"Mars/Base\"\n").unwrap();
    let error = stderr(&myorg(
        dir.path(),
        &[
            "--config",
            config.to_str().unwrap(),
            "--store",
            "s",
            "tasks",
            "--mine",
        ],
        &[],
    ));
    assert!(error.contains("Mars/Base"), "{error}");
}
