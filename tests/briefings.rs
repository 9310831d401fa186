//! Briefing snapshots: `myorg briefing morning|evening|weekly` on the bundled sample
//! store at fixed dates — a weekday, a weekend day, and the two days summer time
//! switches in Europe/Madrid — compared with `fixtures/briefings/KIND-DATE.md`.
//! `UPDATE_SNAPSHOTS=1 cargo test --test briefings` rewrites them (review the diff).

use std::path::Path;
use tempfile::TempDir;

mod support;
use support::{myorg, stdout};

const DATES: [&str; 4] = ["2026-11-23", "2026-11-28", "2026-03-29", "2026-10-25"];
const KINDS: [&str; 3] = ["morning", "evening", "weekly"];

fn briefing(dir: &Path, kind: &str, date: &str, extra: &[&str]) -> String {
    let mut args = vec!["--store", "s", "briefing", kind, "--date", date];
    args.extend_from_slice(extra);
    stdout(&myorg(
        dir,
        &args,
        &[("MYORG_USER_NAME", "ana"), ("TIMEZONE", "Europe/Madrid")],
    ))
}

#[test]
fn briefings_match_their_snapshots() {
    let dir = TempDir::new().unwrap();
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/briefings");
    let update = support::updating("UPDATE_SNAPSHOTS");
    let mut differ = Vec::new();
    for date in DATES {
        for kind in KINDS {
            let got = briefing(dir.path(), kind, date, &[]);
            let path = snapshots.join(format!("{kind}-{date}.md"));
            if update {
                std::fs::create_dir_all(&snapshots).unwrap();
                std::fs::write(&path, &got).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if got != expected {
                differ.push(format!("{}:\n{got}", path.display()));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "briefings differ from their snapshots:\n{}",
        differ.join("\n")
    );
}

#[test]
fn a_briefing_is_stable_and_each_task_carries_its_reference() {
    let dir = TempDir::new().unwrap();
    let first = briefing(dir.path(), "morning", "2026-11-23", &[]);
    assert_eq!(briefing(dir.path(), "morning", "2026-11-23", &[]), first);
    let tasks = stdout(&myorg(
        dir.path(),
        &["--store", "s", "tasks", "--json", "--hidden"],
        &[("MYORG_NOW", "2026-11-23T08:00:00")],
    ));
    let references: Vec<String> = tasks
        .lines()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()["ref"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut section = "";
    for line in first.lines() {
        if line.starts_with("**") {
            section = line;
        }
        let Some(item) = line.strip_prefix("• ") else {
            continue;
        };
        if ["**Overdue**", "**Due this week**", "**Waiting for, to chase**"].contains(&section) {
            let reference = item.strip_prefix('`').and_then(|r| r.split('`').next()).unwrap();
            assert!(references.iter().any(|r| r == reference), "{reference} in {line}");
        }
    }
}

#[test]
fn a_person_sees_their_own_and_unassigned_tasks() {
    let dir = TempDir::new().unwrap();
    let ben = briefing(dir.path(), "morning", "2026-11-23", &["--for", "ben"]);
    assert!(
        ben.starts_with("**Good morning** — Mon 23 Nov 2026 (ben)"),
        "{ben}"
    );
    assert!(ben.contains("Pull sales numbers"), "ben's own task: {ben}");
    assert!(!ben.contains("owner:carla"), "{ben}");
    let own = briefing(dir.path(), "morning", "2026-11-23", &["--for", "ben", "--own"]);
    assert!(
        own.contains("Pull sales numbers") && !own.contains("Call Mum"),
        "{own}"
    );
    let everyone = briefing(dir.path(), "morning", "2026-11-23", &["--everyone"]);
    assert!(everyone.contains("owner:carla"), "{everyone}");
    let json = briefing(dir.path(), "evening", "2026-11-23", &["--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["kind"], "evening");
    assert_eq!(value["sections"][0]["title"], "Still open for today");
}
