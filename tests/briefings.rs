//! Briefing snapshots: `myorg briefing morning|evening|weekly` on the bundled sample
//! store at fixed dates — a weekday, a weekend day, and the two days summer time
//! switches in Europe/Madrid — compared with `fixtures/briefings/KIND-DATE.md`.
//! `UPDATE_SNAPSHOTS=1 cargo test --test briefings` rewrites them (review the diff).
//! Then what the briefings suggest: for the context the day starts in (work on a
//! workday, home on a Saturday, the one she set, the one her own morning time and
//! calendar give), and for no one in everyone's briefing.

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
    assert!(!everyone.contains("**Suggested**"), "no one's day: {everyone}");
    assert!(
        ben.contains("**Suggested**\nContext @computer (work hours)\n"),
        "{ben}"
    );
    let json = briefing(dir.path(), "evening", "2026-11-23", &["--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["kind"], "evening");
    assert_eq!(value["sections"][0]["title"], "Still open for today");
}

/// The lines of the section `title` of a rendered briefing, without its heading.
fn section<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
    text.split("\n\n")
        .find_map(|block| block.strip_prefix(&format!("**{title}**\n")))
        .map(|body| body.lines().collect())
        .unwrap_or_default()
}

#[test]
fn the_morning_suggests_work_on_a_workday_and_home_on_a_saturday() {
    let dir = TempDir::new().unwrap();
    // The briefing's 08:00 comes before work: Monday's first context is work.
    let monday = briefing(dir.path(), "morning", "2026-11-23", &[]);
    let suggested = section(&monday, "Suggested");
    assert_eq!(suggested.len(), 4, "{monday}");
    assert_eq!(suggested[0], "Context @computer (work hours)");
    for item in &suggested[1..] {
        assert!(item.starts_with("• `") && item.contains("@computer"), "{item}");
    }
    assert!(
        suggested[1].ends_with("Fix broken contact form on staging +website @computer due:2026-11-20 estimate:2h — overdue by 3 days, priority A, @computer"),
        "{monday}"
    );
    let saturday = briefing(dir.path(), "morning", "2026-11-28", &[]);
    let suggested = section(&saturday, "Suggested");
    assert_eq!(suggested.len(), 4, "{saturday}");
    assert_eq!(suggested[0], "Context @home (outside work hours)");
    for item in &suggested[1..] {
        assert!(item.contains("@home") && !item.contains("@computer"), "{item}");
    }
}

#[test]
fn the_evening_names_the_first_thing_for_tomorrows_context() {
    let dir = TempDir::new().unwrap();
    let monday = briefing(dir.path(), "evening", "2026-11-23", &[]);
    assert_eq!(
        section(&monday, "Tomorrow, first"),
        [
            "Context @computer (work hours)",
            "• `jyfb` Fix broken contact form on staging +website @computer due:2026-11-20 estimate:2h — overdue by 4 days, priority A, @computer"
        ],
        "{monday}"
    );
    // Friday evening: tomorrow is a Saturday at home.
    let friday = briefing(dir.path(), "evening", "2026-11-27", &[]);
    let first = section(&friday, "Tomorrow, first");
    assert_eq!(first.len(), 2, "{friday}");
    assert_eq!(first[0], "Context @home (outside work hours)");
    assert!(first[1].contains("@home"), "{friday}");
}

#[test]
fn a_context_she_set_is_her_days_first_until_it_expires() {
    let dir = TempDir::new().unwrap();
    let env = [
        ("MYORG_USER_NAME", "ana"),
        ("TIMEZONE", "Europe/Madrid"),
        ("MYORG_NOW", "2026-11-23T07:30:00"),
    ];
    let run = |args: &[&str]| {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        stdout(&myorg(dir.path(), &all, &env))
    };
    run(&["context", "@phone"]);
    let morning = run(&["briefing", "morning"]);
    let suggested = section(&morning, "Suggested");
    assert_eq!(
        suggested[0], "Context @phone (set until the end of the day)",
        "{morning}"
    );
    assert!(
        suggested[1]
            .ends_with("Call Mum about Sunday lunch @phone due:2026-11-22 — overdue by 1 day, @phone"),
        "{morning}"
    );
    // It ends with her day: tomorrow starts at work again.
    let evening = run(&["briefing", "evening"]);
    assert_eq!(
        section(&evening, "Tomorrow, first")[0],
        "Context @computer (work hours)",
        "{evening}"
    );
    let tomorrow = run(&["briefing", "morning", "--date", "tomorrow"]);
    assert_eq!(
        section(&tomorrow, "Suggested")[0],
        "Context @computer (work hours)",
        "{tomorrow}"
    );
}

#[test]
fn her_own_morning_time_and_calendar_give_the_days_first_context() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("myorg.toml"),
        r#"
[user]
name = "Ana"
email = "ana@example.com"

[[people]]
name = "Ana"
morning = "11:15"

[[contexts.rules]]
context = "@phone"
words = ["interview"]
"#,
    )
    .unwrap();
    // Tuesday at 11:15 the interview is on.
    let tuesday = stdout(&myorg(
        dir.path(),
        &[
            "--config",
            "myorg.toml",
            "--store",
            "s",
            "briefing",
            "morning",
            "--date",
            "2026-11-24",
        ],
        &[("TIMEZONE", "Europe/Madrid")],
    ));
    let suggested = section(&tuesday, "Suggested");
    assert_eq!(
        suggested[0], "Context @phone (\"second interview backend candidate\" 11:00–12:00)",
        "{tuesday}"
    );
    assert!(suggested[1].contains("@phone"), "{tuesday}");
}
