//! Working memory that keeps itself, through the real binary on a temporary store
//! made from the bundled template, at a fixed time (2026-11-23 08:00) and as `ana`:
//! a project's status change writes its dated line to working-memory.txt in the
//! commit that changes projects.txt, routine adds and completions write nothing,
//! `myorg remember` writes a decision, and past `[memory] max_lines` the oldest lines
//! move to `notes/working-memory/YYYY-MM.md` in the same commit, none lost.

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

/// `run` with the configuration `toml` (written to `dir/myorg.toml`) at `now`.
fn run_configured(dir: &Path, toml: &str, now: &str, args: &[&str]) -> std::process::Output {
    let config = dir.join("myorg.toml");
    std::fs::write(&config, toml).unwrap();
    let mut all = vec!["--store", "s", "--config", config.to_str().unwrap()];
    all.extend_from_slice(args);
    let mut env = ENV.to_vec();
    env.push(("MYORG_NOW", now));
    myorg(dir, &all, &env)
}

fn file(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("s").join(name)).unwrap_or_default()
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

/// The files the newest commit changed, one a line.
fn changed_by_head(dir: &Path) -> String {
    git(dir, &["show", "--name-only", "--format=", "HEAD"])
}

#[test]
fn a_status_change_is_remembered_in_its_commit_and_routine_changes_are_not() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["projects"]);
    let memory = file(dir.path(), "working-memory.txt");

    run(dir.path(), &["add", "Buy stamps"]);
    assert_eq!(changed_by_head(dir.path()), "todo.txt");
    run(dir.path(), &["done", "Buy stamps"]);
    assert_eq!(changed_by_head(dir.path()), "todo.txt");
    run(dir.path(), &["project", "website", "update", "Copy approved"]);
    assert_eq!(changed_by_head(dir.path()), "log.txt");
    assert_eq!(file(dir.path(), "working-memory.txt"), memory);

    let out = run(dir.path(), &["project", "website", "status", "done"]);
    assert_eq!(out, "Project website: status active → done\n");
    assert_eq!(
        file(dir.path(), "working-memory.txt"),
        format!("{memory}2026-11-23 08:00 ana: project website → done\n")
    );
    assert_eq!(changed_by_head(dir.path()), "projects.txt\nworking-memory.txt");
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%s|%an"]),
        "Project website: status active → done|ana"
    );
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");

    // Undone, the line goes with the status.
    run(dir.path(), &["undo"]);
    assert_eq!(file(dir.path(), "working-memory.txt"), memory);
}

#[test]
fn remember_writes_a_dated_line_and_empty_words_change_nothing() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["projects"]);
    let memory = file(dir.path(), "working-memory.txt");
    let head = git(dir.path(), &["rev-parse", "HEAD"]);
    let refused = myorg(dir.path(), &["--store", "s", "remember", " "], &ENV);
    assert!(!refused.status.success());
    assert_eq!(stderr(&refused), "myorg: a note needs some text\n");
    assert_eq!(git(dir.path(), &["rev-parse", "HEAD"]), head);

    let out = run(
        dir.path(),
        &["remember", "Invoices", "go", "out", "on", "the", "1st"],
    );
    let line = "2026-11-23 08:00 ana: Invoices go out on the 1st";
    assert_eq!(out, format!("Added to working-memory.txt: {line}\n"));
    assert_eq!(
        file(dir.path(), "working-memory.txt"),
        format!("{memory}{line}\n")
    );
    assert_eq!(changed_by_head(dir.path()), "working-memory.txt");
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%s|%an"]),
        "Working memory: Invoices go out on the 1st|ana"
    );
}

/// The lines of a month's file, its heading left out.
fn archived_lines(dir: &Path, month: &str) -> Vec<String> {
    let text = file(dir, &format!("notes/working-memory/{month}.md"));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# Working memory, November 2026"), "{text}");
    lines.map(String::from).collect()
}

#[test]
fn past_its_limit_the_oldest_lines_move_to_the_month_s_file_in_the_same_commit() {
    let dir = TempDir::new().unwrap();
    let config = "[memory]\nmax_lines = 5\n";
    run(dir.path(), &["projects"]);
    let fixture: Vec<String> = file(dir.path(), "working-memory.txt")
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(fixture.len(), 10, "the sample's ten lines, none dated");

    // Eleven lines: the six oldest move. They have no date of their own, so they go
    // with the first dated line, the new one.
    let out = run_configured(
        dir.path(),
        config,
        "2026-11-23T08:00:00",
        &["project", "kitchen", "status", "done"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let line = "2026-11-23 08:00 ana: project kitchen → done";
    let kept: Vec<String> = fixture[6..].iter().cloned().chain([line.to_string()]).collect();
    assert_eq!(file(dir.path(), "working-memory.txt"), kept.join("\n") + "\n");
    assert_eq!(archived_lines(dir.path(), "2026-11"), fixture[..6]);
    assert_eq!(
        changed_by_head(dir.path()),
        "notes/working-memory/2026-11.md\nprojects.txt\nworking-memory.txt"
    );
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");

    // A month later, the month's file is there already: appended to, one heading.
    let out = run_configured(
        dir.path(),
        config,
        "2026-12-02T09:30:00",
        &["remember", "Ben", "owns", "the", "laptops"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        changed_by_head(dir.path()),
        "notes/working-memory/2026-11.md\nworking-memory.txt"
    );
    let archived = archived_lines(dir.path(), "2026-11");
    assert_eq!(archived, fixture[..7]);
    let memory = file(dir.path(), "working-memory.txt");
    assert_eq!(
        memory,
        format!(
            "{}\n{line}\n2026-12-02 09:30 ana: Ben owns the laptops\n",
            fixture[7..].join("\n")
        )
    );
    // Nothing lost: every line written is in one file or the other, once.
    assert_eq!(archived.len() + memory.lines().count(), fixture.len() + 2);
}

#[test]
fn a_limit_of_zero_lines_is_refused_before_anything_changes() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["projects"]);
    let head = git(dir.path(), &["rev-parse", "HEAD"]);
    let out = run_configured(
        dir.path(),
        "[memory]\nmax_lines = 0\n",
        "2026-11-23T08:00:00",
        &["remember", "x"],
    );
    assert!(!out.status.success());
    let error = stderr(&out);
    assert!(
        error.contains("max_lines") && error.contains("nonzero"),
        "{error}"
    );
    assert_eq!(git(dir.path(), &["rev-parse", "HEAD"]), head);
}
