//! The project and note commands through the real binary on a temporary store made
//! from the bundled template, at a fixed time (2026-11-23 08:00, a Monday) and as
//! `ana`: `projects` with progress checked against counts taken from the fixture
//! files, `project SLUG` in text and JSON, `project new` with duplicate refusal,
//! status changes that leave every other byte alone, updates, links and notes in
//! log.txt and working-memory.txt, and bad input that changes nothing.

use std::collections::{BTreeMap, HashMap};
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

fn file(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("s").join(name)).unwrap()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/store")
            .join(name),
    )
    .unwrap()
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

fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The slug (first `+word`) of a projects.txt or goals.txt line.
fn slug_of(line: &str) -> Option<&str> {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix('+').filter(|s| !s.is_empty()))
}

/// Done and total of the task lines (todo.txt and done.txt, `h:1` left out) that
/// carry any of `names` as a `+word`, each line once: the documented progress,
/// counted here straight from the text.
fn expected_progress(names: &[&str]) -> (u64, u64) {
    let (todo, done) = (fixture("todo.txt"), fixture("done.txt"));
    let lines = todo
        .lines()
        .map(|l| (l, l.starts_with("x ")))
        .chain(done.lines().map(|l| (l, true)));
    let (mut finished, mut total) = (0, 0);
    for (line, is_done) in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.contains(&"h:1") {
            continue;
        }
        if names
            .iter()
            .any(|name| words.contains(&format!("+{name}").as_str()))
        {
            total += 1;
            finished += u64::from(is_done);
        }
    }
    (finished, total)
}

/// The status a fixture line counts as: `x` is done, else `status:`, else active.
fn expected_status(line: &str) -> &str {
    if line.starts_with("x ") {
        return "done";
    }
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("status:"))
        .unwrap_or("active")
}

/// A commit subject: at most 72 characters, an ellipsis when cut.
fn commit_subject(text: &str) -> String {
    if text.chars().count() > 72 {
        text.chars().take(71).collect::<String>() + "…"
    } else {
        text.to_string()
    }
}

#[test]
fn projects_and_goals_show_progress_counted_over_todo_and_done_txt() {
    let dir = TempDir::new().unwrap();
    let listed = json_lines(&run(dir.path(), &["projects", "--all", "--json"]));
    let projects_txt = fixture("projects.txt");
    assert_eq!(listed.len(), projects_txt.lines().count());
    let mut counted = 0;
    for (line, entry) in projects_txt.lines().zip(&listed) {
        let slug = slug_of(line).unwrap();
        let (done, total) = expected_progress(&[slug]);
        assert_eq!(entry["slug"], slug);
        assert_eq!(entry["raw"], line);
        assert_eq!(entry["status"], expected_status(line), "{slug}");
        assert_eq!(
            (
                entry["progress"]["done"].as_u64(),
                entry["progress"]["total"].as_u64()
            ),
            (Some(done), Some(total)),
            "{slug}"
        );
        counted += total;
    }
    assert!(counted > 30, "the fixture has tasks to count: {counted}");
    // The sample store's figures, as a person would read them.
    let website = &listed[0];
    assert_eq!(
        website["progress"],
        serde_json::json!({"done": 4, "total": 9, "percent": 44})
    );
    let podcast = listed.iter().find(|e| e["slug"] == "podcast").unwrap();
    assert_eq!(
        podcast["progress"],
        serde_json::json!({"done": 0, "total": 0, "percent": null})
    );

    // Goals: their own +slug and their projects' tasks.
    let goal_of: Vec<(&str, &str)> = projects_txt
        .lines()
        .filter_map(|l| {
            Some((
                slug_of(l)?,
                l.split_whitespace().find_map(|w| w.strip_prefix("goal:"))?,
            ))
        })
        .collect();
    let goals_txt = fixture("goals.txt");
    let goals = json_lines(&run(dir.path(), &["projects", "--goals", "--all", "--json"]));
    assert_eq!(goals.len(), goals_txt.lines().count());
    for (line, entry) in goals_txt.lines().zip(&goals) {
        let goal = slug_of(line).unwrap();
        let mut names: Vec<&str> = goal_of
            .iter()
            .filter(|(_, g)| *g == goal)
            .map(|(p, _)| *p)
            .collect();
        let members = serde_json::json!(names.clone());
        names.push(goal);
        let (done, total) = expected_progress(&names);
        assert_eq!(entry["kind"], "goal");
        assert_eq!(entry["projects"], members, "{goal}");
        assert_eq!(entry["status"], expected_status(line), "{goal}");
        assert_eq!(
            (
                entry["progress"]["done"].as_u64(),
                entry["progress"]["total"].as_u64()
            ),
            (Some(done), Some(total)),
            "{goal}"
        );
    }

    // Text: grouped by status, done left out unless asked for.
    let out = run(dir.path(), &["projects"]);
    let headers: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(
        headers,
        [
            "Active (5)",
            "Blocked (1)",
            "Planning (1)",
            "Someday (1)",
            "And 1 done: myorg projects --status done"
        ],
        "{out}"
    );
    assert!(
        out.contains(
            "  +website     4/9 done 44%    Relaunch the team website  (ana, due 2026-12-15, goal +ship-v2)"
        ),
        "{out}"
    );
    assert!(out.contains("+podcast     no tasks "), "{out}");
    let done = run(dir.path(), &["projects", "--status", "done"]);
    assert_eq!(done.lines().next(), Some("Done (1)"), "{done}");
    assert!(done.contains("+old-blog") && !done.contains("+website"), "{done}");
    let blocked = json_lines(&run(dir.path(), &["projects", "--status", "blocked", "--json"]));
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0]["slug"], "kitchen");
    let goals_text = run(dir.path(), &["projects", "--goals"]);
    assert!(
        goals_text.contains("+grow-team") && goals_text.contains("projects +hiring +onboarding"),
        "{goals_text}"
    );
    assert!(
        goals_text.contains("And 1 done: myorg projects --goals --status done"),
        "{goals_text}"
    );
}

#[test]
fn project_shows_its_line_progress_open_tasks_and_recent_log() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["project", "website"]);
    let (done, total) = expected_progress(&["website"]);
    assert!(
        out.starts_with("+website: Relaunch the team website\nStatus: active\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "Progress: {done}/{total} done ({}%)",
            done * 100 / total
        )),
        "{out}"
    );
    assert!(out.contains(&format!(
        "Line 1 of projects.txt: {}",
        fixture("projects.txt").lines().next().unwrap()
    )));
    let tasks: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "Open tasks, most urgent first:")
        .skip(1)
        .take_while(|l| l.starts_with("  ") && !l.starts_with("  and "))
        .collect();
    assert_eq!(tasks.len(), 5, "{out}");
    assert!(
        tasks[0].ends_with(
            "(A) 2026-11-16 Fix broken contact form on staging +website @computer due:2026-11-20 estimate:2h"
        ),
        "overdue first: {out}"
    );
    assert!(tasks[4].contains("@waiting"), "waiting last: {out}");
    assert!(out.contains("  and 1 hidden until later or with h:1"), "{out}");
    let log_txt = fixture("log.txt");
    let log: Vec<&str> = log_txt.lines().filter(|l| l.contains("+website")).collect();
    let shown_log: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "Recent log:")
        .skip(1)
        .map(str::trim_start)
        .collect();
    assert_eq!(shown_log, log[log.len() - 5..], "{out}");

    // The reference shown works with the task commands.
    let reference = tasks[0].split_whitespace().next().unwrap();
    assert!(run(dir.path(), &["done", reference]).contains("Fix broken contact form"));

    let json: serde_json::Value =
        serde_json::from_str(&run(dir.path(), &["project", "+website", "--json"])).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "kind", "slug", "line", "raw", "status", "title", "owner", "due", "goal", "quarter", "area",
            "progress", "projects", "tasks", "hidden", "members", "log"
        ]
    );
    assert_eq!(json["progress"]["done"], done + 1, "the task just completed");
    assert_eq!(json["tasks"].as_array().unwrap().len(), 4);
    assert_eq!(json["tasks"][0]["ref"].as_str().map(str::len), Some(4));
    assert_eq!(json["hidden"], 1);
    assert_eq!(json["log"].as_array().unwrap().len(), 5);
    assert_eq!(
        json["log"][4],
        serde_json::json!({"date": "2026-11-20", "time": "16:05", "name": "ana",
            "text": "Merged the navigation PR https://github.com/example/site/pull/42 +website"})
    );

    // A goal lists its projects; its tasks are theirs.
    let goal = run(dir.path(), &["project", "grow-team"]);
    assert!(goal.contains("Line 2 of goals.txt: +grow-team"), "{goal}");
    assert!(goal.contains("Projects:\n  +hiring  active, "), "{goal}");
    assert!(goal.contains("  +onboarding  active, "), "{goal}");
    assert!(goal.contains("Send feedback to first-round candidates"), "{goal}");
    assert!(goal.contains("Prepare first-week plan for Dani"), "{goal}");
    let json: serde_json::Value =
        serde_json::from_str(&run(dir.path(), &["project", "grow-team", "--json"])).unwrap();
    assert_eq!(json["kind"], "goal");
    assert_eq!(json["members"].as_array().unwrap().len(), 2);
    assert_eq!(json["members"][0]["slug"], "hiring");

    let empty = run(dir.path(), &["project", "podcast"]);
    assert!(empty.contains("Progress: no tasks\n"), "{empty}");
    assert!(empty.contains("No open tasks."), "{empty}");
}

#[test]
fn new_projects_and_goals_are_appended_and_a_taken_slug_is_refused() {
    let dir = TempDir::new().unwrap();
    let out = run(
        dir.path(),
        &[
            "project",
            "new",
            "garage",
            "Clear",
            "the",
            "garage",
            "--due",
            "end of month",
            "--goal",
            "home-refresh",
            "--owner",
            "ana",
            "--area",
            "home",
            "--status",
            "planning",
        ],
    );
    let line =
        "+garage Clear the garage status:planning owner:ana area:home due:2026-11-30 goal:home-refresh";
    assert_eq!(out, format!("Added project to projects.txt: {line}\n"));
    assert_eq!(
        file(dir.path(), "projects.txt"),
        format!("{}{line}\n", fixture("projects.txt"))
    );
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%s|%an"]),
        "Add project garage: Clear the garage|ana"
    );
    assert!(run(dir.path(), &["projects", "--status", "planning"]).contains("+garage"));

    let out = run(
        dir.path(),
        &[
            "project",
            "new",
            "fit",
            "Run a half marathon",
            "--as-goal",
            "--quarter",
            "2027q1",
        ],
    );
    assert!(
        out.contains("Added goal to goals.txt: +fit Run a half marathon status:active quarter:2027Q1"),
        "{out}"
    );
    assert!(
        file(dir.path(), "goals.txt").ends_with("+fit Run a half marathon status:active quarter:2027Q1\n")
    );

    // An owner given by name is written as the person's handle.
    let config = dir.path().join("myorg.toml");
    std::fs::write(&config, "[[people]]\nname = \"Ben Okafor\"\nhandle = \"ben\"\n").unwrap();
    let out = run(
        dir.path(),
        &[
            "--config",
            config.to_str().unwrap(),
            "project",
            "new",
            "shed",
            "Fix",
            "the",
            "shed",
            "--owner",
            "Ben Okafor",
        ],
    );
    assert!(
        out.contains(": +shed Fix the shed status:active owner:ben\n"),
        "{out}"
    );

    let (projects, goals) = (file(dir.path(), "projects.txt"), file(dir.path(), "goals.txt"));
    let head = git(dir.path(), &["rev-parse", "HEAD"]);
    let refused = [
        (
            vec!["website", "Again"],
            "+website already exists: it is the project on line 1 of projects.txt",
        ),
        (
            vec!["+ship-v2", "Again"],
            "+ship-v2 already exists: it is the goal on line 1 of goals.txt",
        ),
        (
            vec!["garage", "Again"],
            "+garage already exists: it is the project on line 10",
        ),
        (vec!["bad slug", "Text"], "\"bad slug\" is not a project name"),
        (vec!["ok", "Text", "--due", "the 31st"], "November has no 31st"),
        (
            vec!["ok", "Text", "--goal", "nogoal"],
            "there is no goal +nogoal in goals.txt",
        ),
        (vec!["ok", "status:active"], "a project needs a few words"),
    ];
    for (args, message) in refused {
        let mut all = vec!["project", "new"];
        all.extend(args.iter().copied());
        let error = fail(dir.path(), &all);
        assert!(error.contains(message), "{args:?}: {error}");
    }
    let error = fail(
        dir.path(),
        &["project", "new", "ok", "Text", "--quarter", "2027Q1"],
    );
    assert!(error.contains("--as-goal"), "{error}");
    assert_eq!(file(dir.path(), "projects.txt"), projects);
    assert_eq!(file(dir.path(), "goals.txt"), goals);
    assert_eq!(git(dir.path(), &["rev-parse", "HEAD"]), head, "no commit");
}

#[test]
fn a_status_change_rewrites_one_line_and_commits_it() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["project", "kitchen", "status", "done"]);
    assert_eq!(out, "Project kitchen: status blocked → done\n");
    let before = fixture("projects.txt");
    let after = file(dir.path(), "projects.txt");
    let (old, new): (Vec<&str>, Vec<&str>) = (
        before.split_inclusive('\n').collect(),
        after.split_inclusive('\n').collect(),
    );
    assert_eq!(old.len(), new.len());
    let kitchen = old.iter().position(|l| l.starts_with("+kitchen")).unwrap();
    for (index, (a, b)) in old.iter().zip(&new).enumerate() {
        if index != kitchen {
            assert_eq!(a, b, "line {} is untouched", index + 1);
        }
    }
    assert_eq!(
        new[kitchen],
        "x 2026-11-23 +kitchen Kitchen renovation, waiting on the countertop quote status:done owner:ana due:2027-01-31 goal:home-refresh area:home\n"
    );
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%s|%an"]),
        "Project kitchen: status blocked → done|ana"
    );
    assert!(git(dir.path(), &["log", "-1", "--format=%b"]).contains("Requested-by: ana (cli)"));
    // Working memory remembers it, in the same commit (tests/cli_memory.rs).
    assert_eq!(
        git(dir.path(), &["diff", "HEAD~1", "--name-only"]),
        "projects.txt\nworking-memory.txt"
    );
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");

    // Back to active: the done mark goes, the rest stays.
    let out = run(dir.path(), &["project", "+kitchen", "status", "active"]);
    assert_eq!(out, "Project kitchen: status done → active\n");
    let line = file(dir.path(), "projects.txt")
        .lines()
        .nth(kitchen)
        .unwrap()
        .to_string();
    assert_eq!(
        line,
        "+kitchen Kitchen renovation, waiting on the countertop quote status:active owner:ana due:2027-01-31 goal:home-refresh area:home"
    );
    // A goal's status is in goals.txt.
    let out = run(dir.path(), &["project", "finances-in-order", "status", "active"]);
    assert_eq!(out, "Goal finances-in-order: status planning → active\n");
    assert!(file(dir.path(), "goals.txt").contains("+finances-in-order Close the year with taxes and paperwork done status:active quarter:2026Q4 area:personal\n"));
}

#[test]
fn updates_links_and_notes_go_to_log_txt_and_working_memory() {
    let dir = TempDir::new().unwrap();
    let steps: [(&[&str], &str); 6] = [
        (
            &["project", "website", "update", "Pricing", "copy", "approved"],
            "Pricing copy approved +website",
        ),
        (
            &[
                "project",
                "website",
                "link",
                "https://github.com/example/site/pull/43",
                "Pricing",
                "page",
                "PR",
            ],
            "Pricing page PR https://github.com/example/site/pull/43 +website",
        ),
        (
            &["project", "q4-report", "link", "https://docs.example.com/q4"],
            "https://docs.example.com/q4 +q4-report",
        ),
        (
            &["note", "Ruiz", "called", "back", "--project", "+kitchen"],
            "Ruiz called back +kitchen",
        ),
        (
            &["note", "Sent", "the", "draft", "--task", "send q4 report"],
            "Sent the draft — task: Send Q4 report to leadership +q4-report @email",
        ),
        (&["note", "Inbox", "zero"], "Inbox zero"),
    ];
    let mut expected = fixture("log.txt");
    for (args, text) in steps {
        let line = format!("2026-11-23 08:00 ana: {text}");
        let out = run(dir.path(), args);
        assert!(out.contains(&line), "{args:?}: {out}");
        expected.push_str(&line);
        expected.push('\n');
        assert_eq!(file(dir.path(), "log.txt"), expected, "{args:?}");
        assert_eq!(
            git(dir.path(), &["log", "-1", "--format=%s"]),
            commit_subject(&format!("Note: {text}"))
        );
    }
    // The project page shows the new entries.
    let shown = run(dir.path(), &["project", "website"]);
    assert!(
        shown.contains(
            "  2026-11-23 08:00 ana: Pricing page PR https://github.com/example/site/pull/43 +website\n"
        ),
        "{shown}"
    );

    let out = run(
        dir.path(),
        &[
            "note",
            "Ask",
            "Vega",
            "for",
            "a",
            "quote",
            "--memory",
            "--project",
            "kitchen",
        ],
    );
    assert_eq!(
        out,
        "Added to working-memory.txt: 2026-11-23 08:00 ana: Ask Vega for a quote +kitchen\n"
    );
    assert_eq!(
        file(dir.path(), "working-memory.txt"),
        format!(
            "{}2026-11-23 08:00 ana: Ask Vega for a quote +kitchen\n",
            fixture("working-memory.txt")
        )
    );
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%s"]),
        "Working memory: Ask Vega for a quote +kitchen"
    );
    assert_eq!(
        file(dir.path(), "log.txt"),
        expected,
        "--memory leaves log.txt alone"
    );
}

#[test]
fn a_log_file_without_a_final_newline_or_with_crlf_keeps_its_style() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["projects"]);
    std::fs::write(
        dir.path().join("s/log.txt"),
        "2026-11-20 09:00 ben: one\r\n2026-11-21 09:00 ben: two",
    )
    .unwrap();
    run(dir.path(), &["note", "three"]);
    assert_eq!(
        file(dir.path(), "log.txt"),
        "2026-11-20 09:00 ben: one\r\n2026-11-21 09:00 ben: two\r\n2026-11-23 08:00 ana: three\r\n"
    );
}

#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["projects"]);
    let names = [
        "projects.txt",
        "goals.txt",
        "log.txt",
        "working-memory.txt",
        "todo.txt",
    ];
    let before: HashMap<&str, String> = names.iter().map(|n| (*n, file(dir.path(), n))).collect();
    let head = git(dir.path(), &["rev-parse", "HEAD"]);
    let cases: BTreeMap<&str, (Vec<&str>, &str)> = BTreeMap::from([
        (
            "show unknown",
            (
                vec!["project", "nope"],
                "there is no project or goal +nope; known: website, q4-report",
            ),
        ),
        (
            "status unknown",
            (
                vec!["project", "nope", "status", "done"],
                "there is no project or goal +nope",
            ),
        ),
        (
            "bad status",
            (
                vec!["project", "website", "status", "busy"],
                "invalid value 'busy'",
            ),
        ),
        (
            "same status",
            (
                vec!["project", "website", "status", "active"],
                "+website is already active",
            ),
        ),
        (
            "no slug",
            (vec!["project", "status", "done"], "say which project first"),
        ),
        (
            "empty update",
            (vec!["project", "website", "update", "  "], "needs some text"),
        ),
        (
            "unknown update",
            (
                vec!["project", "nope", "update", "hi"],
                "there is no project or goal +nope",
            ),
        ),
        (
            "bad link",
            (
                vec!["project", "website", "link", "example.com"],
                "\"example.com\" is not a link",
            ),
        ),
        ("empty note", (vec!["note", " "], "a note needs some text")),
        (
            "note unknown project",
            (
                vec!["note", "hi", "--project", "nope"],
                "there is no project or goal +nope",
            ),
        ),
        (
            "note unknown task",
            (
                vec!["note", "hi", "--task", "no such task words"],
                "no task has the reference or the words",
            ),
        ),
        (
            "empty memory",
            (vec!["note", "", "--memory"], "a note needs some text"),
        ),
    ]);
    for (name, (args, message)) in cases {
        let error = fail(dir.path(), &args);
        assert!(error.contains(message), "{name}: {error}");
    }
    for name in names {
        assert_eq!(file(dir.path(), name), before[name], "{name} unchanged");
    }
    assert_eq!(git(dir.path(), &["rev-parse", "HEAD"]), head, "no commit");
}
