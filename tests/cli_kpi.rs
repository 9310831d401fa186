//! `myorg kpi` and `myorg kpi add` through the real binary on a temporary store made
//! from the bundled template, at a fixed time (2026-11-23 08:00) and as `ana`: the
//! latest figures and their change in text and JSON, a reading added as one commit
//! authored by the person, bad figures and dates that change nothing, lines kpi.txt
//! cannot read told and kept byte for byte, and a store without kpi.txt.

use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

mod support;
use support::{myorg, stderr, stdout};

const ENV: [(&str, &str); 2] = [
    ("MYORG_USER_NAME", "ana"),
    ("MYORG_USER_EMAIL", "ana@example.com"),
];

fn with_store<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--store", "s"];
    all.extend_from_slice(args);
    all
}

/// The standard output of `myorg --store s ARGS`, which succeeds.
fn run(dir: &Path, args: &[&str]) -> String {
    stdout(&myorg(dir, &with_store(args), &ENV))
}

/// The standard error of `myorg --store s ARGS`, which fails.
fn fail(dir: &Path, args: &[&str]) -> String {
    stderr(&myorg(dir, &with_store(args), &ENV))
}

fn kpi_txt(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("s/kpi.txt")).unwrap_or_default()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir.join("s"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim_end().to_string()
}

fn commits(dir: &Path) -> usize {
    git(dir, &["rev-list", "--count", "HEAD"]).parse().unwrap()
}

#[test]
fn kpi_shows_the_latest_figures_with_their_change_since_the_reading_before() {
    let dir = TempDir::new().unwrap();
    assert_eq!(
        run(dir.path(), &["kpi"]),
        "mrr 1200 on 2026-11-21 (+100 (+9.1%) since 2026-10-31)\n\
         arr 14400 on 2026-11-21 (+1200 (+9.1%) since 2026-10-31)\n\
         users 53 on 2026-11-21 (+6 (+12.8%) since 2026-10-31)\n"
    );
    let json: Vec<serde_json::Value> = run(dir.path(), &["kpi", "--json"])
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(json.len(), 3);
    assert_eq!(
        json[0],
        serde_json::json!({
            "key": "mrr", "value": 1200.0, "date": "2026-11-21", "line": 5,
            "previous": {"value": 1100.0, "date": "2026-10-31"},
            "change": 100.0, "percent": 100.0 / 1100.0 * 100.0,
        })
    );
}

#[test]
fn kpi_add_writes_one_dated_line_in_one_commit_by_the_person() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["kpi"]);
    let before = kpi_txt(dir.path());
    let commits_before = commits(dir.path());
    let said = run(
        dir.path(),
        &[
            "kpi",
            "add",
            "mrr=1300",
            "arr=15600",
            "users=58.5",
            "--date",
            "yesterday",
        ],
    );
    assert_eq!(
        said,
        "Added to kpi.txt: 2026-11-22 mrr:1300 arr:15600 users:58.5\n"
    );
    let mut expected = before.clone();
    expected.extend_from_slice(b"2026-11-22 mrr:1300 arr:15600 users:58.5\n");
    assert_eq!(kpi_txt(dir.path()), expected);
    assert_eq!(commits(dir.path()), commits_before + 1);
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%an|%s"]),
        "ana|Figures: 2026-11-22 mrr:1300 arr:15600 users:58.5"
    );
    assert!(git(dir.path(), &["log", "-1", "--format=%b"]).contains("Requested-by: ana (cli)"));
    assert_eq!(
        run(dir.path(), &["kpi"]).lines().next(),
        Some("mrr 1300 on 2026-11-22 (+100 (+8.3%) since 2026-11-21)")
    );
    // Without --date, today.
    run(dir.path(), &["kpi", "add", "churn=-0.5"]);
    assert!(
        String::from_utf8(kpi_txt(dir.path()))
            .unwrap()
            .ends_with("\n2026-11-23 churn:-0.5\n")
    );
}

#[test]
fn bad_figures_and_dates_are_clear_errors_that_change_nothing() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["kpi"]);
    let before = kpi_txt(dir.path());
    let commits_before = commits(dir.path());
    let table: [(&[&str], &str); 8] = [
        (&["MRR=1200"], "\"MRR\" is not a key: use lowercase letters"),
        (&["mrr=12k"], "\"12k\" is not a number"),
        (&["mrr=1,200"], "\"1,200\" is not a number"),
        (
            &["mrr"],
            "\"mrr\" is not a figure: write KEY=VALUE, like mrr=1200",
        ),
        (&["mrr=1", "mrr=2"], "mrr is given twice in one reading"),
        (&["=5"], "\"\" is not a key"),
        (&["mrr=1", "--date", "2026-02-30"], "2026-02-30"),
        (
            &["mrr=1", "--date", "tomorrow"],
            "2026-11-24 is after today (2026-11-23)",
        ),
    ];
    for (figures, why) in table {
        let mut args = vec!["kpi", "add"];
        args.extend_from_slice(figures);
        let error = fail(dir.path(), &args);
        assert!(
            error.starts_with("myorg: ") && error.contains(why),
            "{figures:?}: {error}"
        );
    }
    let usage = fail(dir.path(), &["kpi", "add"]);
    assert!(usage.contains("KEY=VALUE"), "{usage}");
    assert_eq!(kpi_txt(dir.path()), before);
    assert_eq!(commits(dir.path()), commits_before);
}

#[test]
fn lines_kpi_txt_cannot_read_are_told_and_kept_byte_for_byte() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["kpi"]);
    let hand = b"# by hand\r\n2026-11-01 users:50\r\nusers went up a lot\r\n2026-11-02 users:12k\r\n2026-11-22 users:54";
    std::fs::write(dir.path().join("s/kpi.txt"), hand).unwrap();
    let output = myorg(dir.path(), &with_store(&["kpi"]), &ENV);
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "users 54 on 2026-11-22 (+4 (+8.0%) since 2026-11-01)\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "kpi.txt line 3: not a reading: expected a date (YYYY-MM-DD) first, found \"users\" \
         (the line is kept, not read)\n\
         kpi.txt line 4: \"12k\" is not a number: use digits, with an optional - and decimal \
         point (like 1200, -3.5 or 0.25) (the line is kept, not read)\n"
    );
    run(dir.path(), &["kpi", "add", "users=55"]);
    let mut expected = hand.to_vec();
    expected.extend_from_slice(b"\r\n2026-11-23 users:55\r\n");
    assert_eq!(kpi_txt(dir.path()), expected);
    // The hand edit was saved as its own commit first.
    assert_eq!(
        git(dir.path(), &["log", "-2", "--format=%s"]),
        "Figures: 2026-11-23 users:55\nSave edits made outside the assistant"
    );
}

#[test]
fn a_store_without_kpi_txt_has_no_figures_until_the_first_reading() {
    let dir = TempDir::new().unwrap();
    stdout(&myorg(dir.path(), &["init", "--empty", "s"], &ENV));
    assert_eq!(
        run(dir.path(), &["kpi"]),
        "No figures yet: myorg kpi add KEY=VALUE… adds a reading to kpi.txt.\n"
    );
    assert_eq!(run(dir.path(), &["kpi", "--json"]), "");
    run(dir.path(), &["kpi", "add", "users=1"]);
    assert_eq!(kpi_txt(dir.path()), b"2026-11-23 users:1\n");
    assert_eq!(
        run(dir.path(), &["kpi"]),
        "users 1 on 2026-11-23 (first reading)\n"
    );
}
