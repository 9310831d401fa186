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
