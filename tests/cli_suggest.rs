//! `myorg suggest` through the real binary on the bundled template at 2026-11-23
//! 08:00: the person's own and unassigned tasks, blocked, waiting and hidden ones
//! left out, narrowed by context (the person's own when none is given) and minutes,
//! each with its reason.

use tempfile::TempDir;

mod support;
use support::{myorg, stderr, stdout};

const ANA: [(&str, &str); 1] = [("MYORG_USER_NAME", "ana")];

fn suggest(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["--store", "s", "suggest"];
    all.extend_from_slice(args);
    stdout(&myorg(dir, &all, &ANA))
}

#[test]
fn suggestions_are_ranked_with_reasons_and_respect_what_is_asked() {
    let dir = TempDir::new().unwrap();
    let out = suggest(dir.path(), &["--context", "@computer"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 10, "five suggestions of two lines: {out}");
    assert!(
        lines[0].starts_with("1. ") && lines[0].contains("Fix broken contact form"),
        "{out}"
    );
    assert_eq!(lines[1].trim(), "overdue by 3 days, priority A, @computer");
    // Without a context: the person's, said first (Monday 08:00, before work hours).
    let own = suggest(dir.path(), &[]);
    assert!(
        own.starts_with("Context @home (outside work hours); 90 minutes until standup\n1. "),
        "{own}"
    );
    // Never: someone else's task, a blocked one (id:1 waits for p:1), a waiting-for
    // item, a task hidden until later.
    for absent in ["owner:ben", "owner:carla", "id:1", "@waiting", "t:2026-11-26"] {
        assert!(!out.contains(absent), "{absent} in {out}");
    }

    let json = suggest(
        dir.path(),
        &["--context", "@home", "--minutes", "30", "--limit", "20", "--json"],
    );
    let items: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!items.is_empty());
    for item in &items {
        let raw = item["raw"].as_str().unwrap();
        assert!(raw.contains("@home") || !raw.contains(" @"), "{raw}");
        assert!(
            !raw.contains("estimate:2h") && !raw.contains("estimate:3h"),
            "{raw}"
        );
    }
    assert!(
        items
            .iter()
            .any(|i| i["raw"].as_str().unwrap().contains("estimate:30m"))
    );
    let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    let everyone = suggest(dir.path(), &["--all", "--context", "@computer", "--limit", "50"]);
    assert!(everyone.contains("owner:ben"));
    let error = stderr(&myorg(
        dir.path(),
        &["--store", "s", "suggest", "--energy", "medium"],
        &ANA,
    ));
    assert!(error.contains("low or high"), "{error}");
}

/// The suggestions for @desk at `now`, one `TEXT — REASON` a task.
fn at_desk(dir: &std::path::Path, now: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--store", "s", "suggest", "--context", "@desk"];
    args.extend_from_slice(extra);
    let out = stdout(&myorg(dir, &args, &[ANA[0], ("MYORG_NOW", now)]));
    out.lines()
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|pair| {
            let text = pair[0].split("2026-11-23 ").nth(1).unwrap_or(pair[0]);
            format!("{text} — {}", pair.get(1).map_or("", |reason| reason.trim()))
        })
        .collect()
}

#[test]
fn late_in_the_day_low_energy_tasks_come_first_and_high_energy_ones_last() {
    let dir = TempDir::new().unwrap();
    for task in [
        "(A) Rewrite the import script @desk energy:high",
        "(A) File the warranty cards @desk",
        "(A) Sort the receipts @desk energy:low",
    ] {
        stdout(&myorg(
            dir.path(),
            &["--store", "s", "add", task],
            &[ANA[0], ("MYORG_NOW", "2026-11-23T08:00")],
        ));
    }
    let daytime = [
        "Rewrite the import script @desk energy:high — priority A, @desk",
        "File the warranty cards @desk — priority A, @desk",
        "Sort the receipts @desk energy:low — priority A, @desk",
    ];
    let evening = [
        "Sort the receipts @desk energy:low — priority A, @desk, late in the day",
        "File the warranty cards @desk — priority A, @desk",
        "Rewrite the import script @desk energy:high — priority A, @desk",
    ];
    // Monday, work hours Mon-Fri 09:00-18:00: before and after them.
    assert_eq!(at_desk(dir.path(), "2026-11-23T08:00", &[]), daytime);
    assert_eq!(at_desk(dir.path(), "2026-11-23T17:59", &[]), daytime);
    assert_eq!(at_desk(dir.path(), "2026-11-23T19:00", &[]), evening);
    // Saturday, a day off: the evening starts at 18:00.
    assert_eq!(at_desk(dir.path(), "2026-11-28T17:00", &[]), daytime);
    assert_eq!(at_desk(dir.path(), "2026-11-28T18:30", &[]), evening);
    // An energy asked for says more than the hour.
    let fresh = at_desk(dir.path(), "2026-11-23T19:00", &["--energy", "high"]);
    assert_eq!(fresh[0], daytime[0], "{fresh:?}");
    assert!(
        !fresh.iter().any(|line| line.contains("late in the day")),
        "{fresh:?}"
    );
}

#[test]
fn a_task_whose_goal_serves_telos_says_its_section() {
    let dir = TempDir::new().unwrap();
    let out = suggest(dir.path(), &["--context", "@computer"]);
    // telos.md names +grow-team under "Current focus (Q4 2026)"; +hiring serves it.
    assert!(
        out.contains(
            "Update job post with salary range +hiring @computer due:2026-12-01\n   \
             @computer, moves goal grow-team, serves telos Current focus (Q4 2026)\n"
        ),
        "{out}"
    );
}
