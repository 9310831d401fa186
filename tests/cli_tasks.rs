//! The task commands through the real binary on a temporary store made from the
//! bundled template, at a fixed time (2026-11-23 08:00, a Monday): add with dates in
//! words, references that survive other edits, done with recurrence, edit, delete
//! with confirmation, archive, and `tasks` with filters and `--json`.

use std::path::Path;
use tempfile::TempDir;

mod support;
use support::{
    fail_in_store as fail, myorg, myorg_command, myorg_with_input, run_in_store as run, stderr, stdout,
};

fn todo(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("s/todo.txt")).unwrap()
}

/// The reference `myorg add` printed ("Added abcd: …").
fn added_ref(output: &str) -> String {
    output
        .strip_prefix("Added ")
        .and_then(|rest| rest.split(':').next())
        .unwrap()
        .to_string()
}

#[test]
fn add_reads_dates_in_words_and_options_and_says_when_a_date_is_past() {
    let dir = TempDir::new().unwrap();
    let out = run(
        dir.path(),
        &[
            "add",
            "Book",
            "flights",
            "--due",
            "fri",
            "-p",
            "b",
            "--project",
            "travel",
            "-c",
            "@laptop",
            "--owner",
            "ana",
            "-t",
            "in 2 days",
        ],
    );
    assert!(
        out.contains("(B) 2026-11-23 Book flights +travel @laptop due:2026-11-27 t:2026-11-25 owner:ana"),
        "{out}"
    );
    let out = run(dir.path(), &["add", "Pay", "rent", "due:eom"]);
    assert!(out.contains("Pay rent due:2026-11-30"), "{out}");
    let out = run(dir.path(), &["add", "Late", "thing", "--due", "2026-11-01"]);
    assert!(
        out.contains("Note: the due date 2026-11-01 is in the past"),
        "{out}"
    );

    let before = todo(dir.path());
    let error = fail(dir.path(), &["add", "Impossible", "--due", "the 31st"]);
    assert!(error.contains("31st") && error.contains("November"), "{error}");
    let error = fail(dir.path(), &["add", "Bad", "priority", "-p", "AA"]);
    assert!(error.contains("priority"), "{error}");
    let error = fail(dir.path(), &["add", "  "]);
    assert!(error.contains("text"), "{error}");
    assert_eq!(todo(dir.path()), before, "errors change nothing");
}

#[test]
fn a_reference_still_names_its_task_after_other_lines_change() {
    let dir = TempDir::new().unwrap();
    let reference = added_ref(&run(dir.path(), &["add", "Water", "the", "plants", "+home"]));
    run(dir.path(), &["add", "Something", "else"]);
    // A hand edit puts new lines above it.
    let text = todo(dir.path());
    std::fs::write(
        dir.path().join("s/todo.txt"),
        format!("First line by hand\n\n{text}"),
    )
    .unwrap();
    let out = run(dir.path(), &["done", &reference]);
    assert!(out.contains("Complete task: Water the plants"), "{out}");
    assert!(todo(dir.path()).contains("x 2026-11-23 2026-11-23 Water the plants +home"));
    let error = fail(dir.path(), &["done", &reference]);
    assert!(error.contains("completed or removed"), "{error}");
}

#[test]
fn completing_a_recurring_task_adds_the_next_one() {
    let dir = TempDir::new().unwrap();
    run(
        dir.path(),
        &[
            "add",
            "Water",
            "plants",
            "due:2026-11-23",
            "t:2026-11-21",
            "rec:+1w",
        ],
    );
    let out = run(dir.path(), &["done", "water plants"]);
    assert!(out.contains("again on 2026-11-30"), "{out}");
    let text = todo(dir.path());
    assert!(
        text.contains("x 2026-11-23 2026-11-23 Water plants due:2026-11-23 t:2026-11-21 rec:+1w"),
        "{text}"
    );
    assert!(
        text.contains("\n2026-11-23 Water plants due:2026-11-30 t:2026-11-28 rec:+1w\n"),
        "{text}"
    );
}

#[test]
fn edit_changes_only_what_is_asked_and_none_clears() {
    let dir = TempDir::new().unwrap();
    let reference = added_ref(&run(
        dir.path(),
        &["add", "Call", "Bob", "--due", "tomorrow", "-p", "C"],
    ));
    let out = run(dir.path(), &["edit", &reference, "-p", "A", "--owner", "ben"]);
    assert!(
        out.contains("(A) 2026-11-23 Call Bob due:2026-11-24 owner:ben"),
        "{out}"
    );
    let out = run(
        dir.path(),
        &[
            "edit",
            "call bob",
            "--due",
            "none",
            "--text",
            "Call Bob about the roof",
        ],
    );
    assert!(out.contains("(A) 2026-11-23 Call Bob about the roof"), "{out}");
    assert!(
        !todo(dir.path()).contains("Call Bob due:"),
        "{}",
        todo(dir.path())
    );
    let error = fail(dir.path(), &["edit", "call bob about the roof", "-p", "A"]);
    assert!(error.contains("nothing to change"), "{error}");
}

#[test]
fn delete_asks_first_and_archive_moves_done_tasks() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["add", "Throw", "away", "old", "boxes"]);
    let kept = myorg_with_input(dir.path(), &["--store", "s", "delete", "old boxes"], &[], "n\n");
    assert!(stdout(&kept).contains("Nothing deleted"));
    assert!(todo(dir.path()).contains("Throw away old boxes"));
    let gone = myorg_with_input(dir.path(), &["--store", "s", "delete", "old boxes"], &[], "y\n");
    assert!(stdout(&gone).contains("Delete task: Throw away old boxes"));
    assert!(!todo(dir.path()).contains("Throw away old boxes"));

    run(dir.path(), &["add", "Finish", "this"]);
    run(dir.path(), &["done", "finish this"]);
    let done_before = todo(dir.path()).lines().filter(|l| l.starts_with("x ")).count();
    assert!(done_before >= 1);
    let out = run(dir.path(), &["archive"]);
    assert!(out.contains(&format!("Archive {done_before} done task")), "{out}");
    assert!(!todo(dir.path()).lines().any(|l| l.starts_with("x ")));
    let archive = std::fs::read_to_string(dir.path().join("s/done.txt")).unwrap();
    assert!(
        archive.contains("x 2026-11-23 2026-11-23 Finish this"),
        "{archive}"
    );
    let error = fail(dir.path(), &["archive"]);
    assert!(error.contains("no done tasks"), "{error}");
}

/// `delete --yes` deletes without asking: with nothing on standard input (which
/// answers "no" to a question), the task is gone in one commit.
#[test]
fn delete_yes_deletes_without_asking() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["add", "Throw", "away", "old", "boxes"]);
    let asked = myorg_with_input(dir.path(), &["--store", "s", "delete", "old boxes"], &[], "");
    assert_eq!(
        stdout(&asked),
        "Delete \"2026-11-23 Throw away old boxes\"? [y/N] Nothing deleted.\n",
        "asked, and no answer is a no"
    );
    let gone = myorg_with_input(
        dir.path(),
        &["--store", "s", "delete", "--yes", "old boxes"],
        &[],
        "",
    );
    assert_eq!(
        stdout(&gone),
        "Delete task: Throw away old boxes\n",
        "deleted without a question"
    );
    assert!(!todo(dir.path()).contains("Throw away old boxes"));
    let history = run(dir.path(), &["history", "todo.txt"]);
    assert!(
        history
            .lines()
            .next()
            .is_some_and(|l| l.ends_with(": Delete task: Throw away old boxes")),
        "{history}"
    );
}

/// `--due-after` keeps the tasks due on or after a day (not those without a due
/// date), `--done` adds the done tasks, `--limit N` keeps the first N.
#[test]
fn tasks_due_after_done_and_limit() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["add", "Alpha", "+proj", "--due", "in 5 days"]);
    run(dir.path(), &["add", "Beta", "+proj", "--due", "yesterday"]);
    run(dir.path(), &["add", "Gamma", "+proj", "-p", "A"]);
    run(dir.path(), &["add", "Epsilon", "+proj", "--due", "wed"]);
    run(dir.path(), &["add", "Zeta", "+proj"]);
    run(dir.path(), &["done", "zeta"]);
    let texts = |args: &[&str]| -> Vec<String> {
        run(dir.path(), args)
            .lines()
            .map(|l| l.split_once("  ").map_or(l, |(_, text)| text).to_string())
            .collect()
    };
    let open = [
        "2026-11-23 Beta +proj due:2026-11-22",
        "2026-11-23 Epsilon +proj due:2026-11-25",
        "2026-11-23 Alpha +proj due:2026-11-28",
        "(A) 2026-11-23 Gamma +proj",
    ];
    assert_eq!(texts(&["tasks", "+proj"]), open);
    // Wednesday is 2026-11-25: Epsilon is due that day, Alpha after.
    assert_eq!(
        texts(&["tasks", "+proj", "--due-after", "wed"]),
        [open[1], open[2]]
    );
    assert_eq!(texts(&["tasks", "+proj", "--due-after", "2026-11-26"]), [open[2]]);
    let with_done = texts(&["tasks", "+proj", "--done"]);
    assert_eq!(with_done.len(), 5, "{with_done:#?}");
    assert!(
        with_done.contains(&"x 2026-11-23 2026-11-23 Zeta +proj".to_string()),
        "{with_done:#?}"
    );
    for line in open {
        assert!(with_done.contains(&line.to_string()), "{with_done:#?}");
    }
    assert_eq!(texts(&["tasks", "+proj", "--limit", "2"]), [open[0], open[1]]);
    assert_eq!(texts(&["tasks", "+proj", "--limit", "9"]), open);
}

#[test]
fn tasks_lists_by_urgency_with_filters_and_json() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["add", "Alpha", "+proj", "--due", "in 5 days"]);
    run(dir.path(), &["add", "Beta", "+proj", "--due", "yesterday"]);
    run(dir.path(), &["add", "Gamma", "+proj", "@phone", "-p", "A"]);
    run(dir.path(), &["add", "Delta", "+proj", "-t", "next week"]);
    let out = run(dir.path(), &["tasks", "+proj"]);
    let texts: Vec<&str> = out.lines().map(|l| l.split_once("  ").unwrap().1).collect();
    assert_eq!(
        texts,
        [
            "2026-11-23 Beta +proj due:2026-11-22",
            "2026-11-23 Alpha +proj due:2026-11-28",
            "(A) 2026-11-23 Gamma +proj @phone",
        ],
        "{out}"
    );
    assert!(run(dir.path(), &["tasks", "+proj", "--hidden"]).contains("Delta"));
    assert_eq!(run(dir.path(), &["tasks", "+proj", "@phone"]).lines().count(), 1);
    assert_eq!(
        run(dir.path(), &["tasks", "+proj", "--overdue"]).lines().count(),
        1
    );
    assert_eq!(
        run(dir.path(), &["tasks", "+proj", "--due-before", "sat"])
            .lines()
            .count(),
        2
    );
    assert_eq!(run(dir.path(), &["tasks", "+nothing"]), "No tasks match.\n");

    let json = run(dir.path(), &["tasks", "+proj", "--json"]);
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["raw"], "2026-11-23 Beta +proj due:2026-11-22");
    assert_eq!(first["due"], "2026-11-22");
    assert_eq!(first["projects"], serde_json::json!(["proj"]));
    let line = first["line"].as_u64().unwrap() as usize;
    assert_eq!(
        todo(dir.path()).lines().nth(line - 1).unwrap(),
        "2026-11-23 Beta +proj due:2026-11-22"
    );
    let reference = first["ref"].as_str().unwrap();
    assert!(run(dir.path(), &["done", reference]).contains("Beta"));
}

/// Without `MYORG_NOW` the system clock is read in the store's timezone. Kiritimati
/// (UTC+14) and Pago Pago (UTC-11) are 25 hours apart, so at any instant their dates
/// differ: a task added in each gets its own creation date, the first one one or two
/// days after the second (whenever the test runs; a clock read in one zone for both
/// would give the same date). A zone that does not exist is an error that names it.
#[test]
fn the_clock_follows_the_store_timezone() {
    let dir = TempDir::new().unwrap();
    let created_in = |zone: &str| -> chrono::NaiveDate {
        let args = ["--store", "s", "add", "Water the plants"];
        let added = stdout(
            &myorg_command(dir.path(), &args, &[("TIMEZONE", zone)])
                .output()
                .unwrap(),
        );
        // "Added abcd: 2026-11-23 Water the plants"
        let line = added.split_once(": ").map(|(_, line)| line).unwrap_or_default();
        line.split(' ')
            .next()
            .and_then(|date| date.parse().ok())
            .unwrap_or_else(|| panic!("no creation date in {added:?}"))
    };
    let east = created_in("Pacific/Kiritimati");
    let west = created_in("Pacific/Pago_Pago");
    let ahead = (east - west).num_days();
    assert!(
        ahead == 1 || ahead == 2,
        "created {east} in Kiritimati and {west} in Pago Pago"
    );

    let output = myorg_command(
        dir.path(),
        &["--store", "s", "tasks"],
        &[("TIMEZONE", "Mars/Olympus")],
    )
    .output()
    .unwrap();
    let error = stderr(&output);
    assert!(error.contains("Mars/Olympus"), "{error}");
}

/// "end of week" on the last day chrono has (whose week is cut short) was a panic
/// in the date language; it is the error of any date too far away, and nothing is
/// written.
#[test]
fn end_of_week_on_the_calendars_last_day_is_an_error_not_a_panic() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["status"]);
    let before = todo(dir.path());
    let last_day = ["--now", "+262142-12-31T08:00"];
    for when in ["end of week", "eow", "next week"] {
        let mut args = vec!["--store", "s"];
        args.extend(last_day);
        args.extend(["add", "Renew", "the", "passport", "--due", when]);
        let output = myorg_command(dir.path(), &args, &[]).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!("myorg: \"{when}\" is too far away to be a date\n")
        );
    }
    assert_eq!(todo(dir.path()), before);
}

#[test]
fn a_reference_completes_the_right_task_after_another_clone_pushed_edits_around_it() {
    let dir = TempDir::new().unwrap();
    let remote = dir.path().join("remote.git");
    git2::Repository::init_bare(&remote).unwrap();
    let url = remote.to_str().unwrap().to_string();
    let env = [("GIT_REPO_URL", url.as_str())];
    let in_clone = |clone: &str, args: &[&str]| {
        let mut all = vec!["--store", clone];
        all.extend_from_slice(args);
        stdout(&myorg(dir.path(), &all, &env))
    };
    let reference = added_ref(&in_clone("a", &["add", "Renew", "the", "passport", "+admin"]));
    // Another clone, meanwhile: a task with the same words above it, and a line
    // removed below; pushed first.
    in_clone("b", &["status"]);
    let other = std::fs::read_to_string(dir.path().join("b/todo.txt")).unwrap();
    let mut lines: Vec<&str> = other.lines().collect();
    lines.insert(0, "Renew the passport photos +admin");
    lines.remove(5);
    std::fs::write(dir.path().join("b/todo.txt"), lines.join("\n") + "\n").unwrap();
    in_clone("b", &["sync"]);

    // The first clone has not pulled; its reference still names its task, which is
    // completed on top of the other clone's version.
    let out = in_clone("a", &["done", &reference]);
    assert!(out.contains("Complete task: Renew the passport +admin"), "{out}");
    in_clone("b", &["sync"]);
    let merged = std::fs::read_to_string(dir.path().join("b/todo.txt")).unwrap();
    assert!(
        merged.starts_with("Renew the passport photos +admin\n"),
        "{merged}"
    );
    assert!(
        merged.contains("\nx 2026-11-23 2026-11-23 Renew the passport +admin\n"),
        "{merged}"
    );
    assert!(
        !merged.contains(lines_removed(&other)),
        "the other clone's removal stays"
    );
}

/// Two clones of one remote (`a` and `b`), and `myorg --store CLONE ARGS` in them.
fn two_clones(dir: &Path) -> impl Fn(&str, &[&str]) -> std::process::Output + '_ {
    let remote = dir.join("remote.git");
    git2::Repository::init_bare(&remote).unwrap();
    let url = remote.to_str().unwrap().to_string();
    move |clone: &str, args: &[&str]| {
        let mut all = vec!["--store", clone];
        all.extend_from_slice(args);
        myorg(dir, &all, &[("GIT_REPO_URL", url.as_str())])
    }
}

/// What a command printed, standard output then error.
fn said(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// The subjects of the commits on the remote's main, newest first.
fn remote_subjects(dir: &Path) -> Vec<String> {
    let repo = git2::Repository::open_bare(dir.join("remote.git")).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_ref("refs/heads/main").unwrap();
    walk.map(|oid| {
        let commit = repo.find_commit(oid.unwrap()).unwrap();
        commit.summary().unwrap().unwrap_or_default().to_string()
    })
    .collect()
}

/// A recurring task completed in two clones: the second completion, replayed on the
/// first, took the task's next occurrence for the task reworded and completed it too
/// (a week skipped, and a third occurrence). It no longer applies: the task is done.
#[test]
fn a_recurring_task_completed_in_two_clones_is_completed_once() {
    let dir = TempDir::new().unwrap();
    let in_clone = two_clones(dir.path());
    stdout(&in_clone(
        "a",
        &["add", "Feed", "the", "fish", "rec:1w", "--due", "today"],
    ));
    stdout(&in_clone("b", &["status"]));
    stdout(&in_clone("a", &["done", "fish"]));
    // b has not pulled: its completion is replayed on top of a's.
    let second = in_clone("b", &["done", "fish"]);
    let said = said(&second);
    assert!(!second.status.success(), "{said}");
    assert!(said.contains("is already done"), "{said}");
    stdout(&in_clone("a", &["sync"]));
    let todo = std::fs::read_to_string(dir.path().join("a/todo.txt")).unwrap();
    let fish: Vec<&str> = todo.lines().filter(|l| l.contains("Feed the fish")).collect();
    assert_eq!(
        fish,
        [
            "x 2026-11-23 2026-11-23 Feed the fish rec:1w due:2026-11-23",
            "2026-11-23 Feed the fish rec:1w due:2026-11-30",
        ],
        "{todo}"
    );
}

/// The same edit made in two clones: the second, replayed on the first, found the
/// task "reworded" into what it would make it and committed nothing but a note that
/// it had been reworded. It no longer applies: the task already reads so.
#[test]
fn the_same_edit_made_in_two_clones_is_committed_once() {
    let dir = TempDir::new().unwrap();
    let in_clone = two_clones(dir.path());
    stdout(&in_clone("a", &["add", "Call", "the", "bank"]));
    stdout(&in_clone("b", &["status"]));
    stdout(&in_clone("a", &["edit", "bank", "--due", "fri"]));
    let second = in_clone("b", &["edit", "bank", "--due", "fri"]);
    let said = said(&second);
    assert!(!second.status.success(), "{said}");
    assert!(
        said.contains("already reads \"2026-11-23 Call the bank due:2026-11-27\""),
        "{said}"
    );
    let edits = remote_subjects(dir.path())
        .into_iter()
        .filter(|subject| subject.starts_with("Edit task"))
        .count();
    assert_eq!(edits, 1);
}

/// The line the other clone removed (the 5th of the file it read).
fn lines_removed(file: &str) -> &str {
    file.lines().nth(4).unwrap()
}

/// A file's bytes, escaped so that a difference reads well.
fn escaped(path: &Path) -> String {
    std::fs::read(path).unwrap().escape_ascii().to_string()
}

#[test]
fn edit_keeps_bytes_that_are_not_utf8() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["add", "Start", "the", "store"]);
    let path = dir.path().join("s/todo.txt");
    let line = |bytes: &[u8]| bytes.escape_ascii().to_string();
    std::fs::write(
        &path,
        b"First \xe9t\xe9 line\nInvalid \xff\xfe\xc3 bytes task +bin\r\n(B) Call \xff mom \xff again\n\xfe last, no newline",
    )
    .unwrap();

    run(dir.path(), &["edit", "bytes task", "--due", "2026-12-01"]);
    assert_eq!(
        escaped(&path),
        line(b"First \xe9t\xe9 line\nInvalid \xff\xfe\xc3 bytes task +bin due:2026-12-01\r\n(B) Call \xff mom \xff again\n\xfe last, no newline"),
    );
    run(dir.path(), &["done", "call"]);
    assert_eq!(
        escaped(&path),
        line(b"First \xe9t\xe9 line\nInvalid \xff\xfe\xc3 bytes task +bin due:2026-12-01\r\nx 2026-11-23 Call \xff mom \xff again pri:B\n\xfe last, no newline"),
    );
    // A new text (which replaces the tags too) keeps the unreadable words it still
    // has, as they are shown.
    run(
        dir.path(),
        &[
            "edit",
            "bytes task",
            "--text",
            "Fixed \u{FFFD}\u{FFFD}\u{FFFD} bytes +bin",
        ],
    );
    assert_eq!(
        escaped(&path),
        line(b"First \xe9t\xe9 line\nFixed \xff\xfe\xc3 bytes +bin\r\nx 2026-11-23 Call \xff mom \xff again pri:B\n\xfe last, no newline"),
    );
}

/// How many commits the store has.
fn commits(dir: &Path) -> usize {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir.join("s"))
        .args(["rev-list", "--count", "HEAD"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).trim().parse().unwrap()
}

/// The subject of the store's last commit.
fn last_subject(dir: &Path) -> String {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir.join("s"))
        .args(["log", "-1", "--format=%s"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[test]
fn done_with_several_references_or_lines_completes_them_in_one_commit() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["tasks"]);
    let before = commits(dir.path());
    let text = todo(dir.path());
    let rent = text.lines().nth(32).unwrap();
    assert!(rent.contains("Pay rent") && rent.contains("rec:+1m"), "{rent}");
    // A reference and two line numbers.
    let reference = run(dir.path(), &["tasks", "Send Q4 report"])
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let out = run(dir.path(), &["done", &reference, "3", "33"]);
    assert!(out.starts_with("Complete 3 tasks: Send Q4 report"), "{out}");
    assert!(out.contains("\nNext "), "{out}");
    assert_eq!(commits(dir.path()), before + 1);
    let after = todo(dir.path());
    for (n, words) in [
        (1, "Send Q4 report"),
        (3, "Draft the Q4 narrative"),
        (33, "Pay rent"),
    ] {
        let line = after.lines().nth(n - 1).unwrap();
        assert!(
            line.starts_with("x 2026-11-23 ") && line.contains(words),
            "{line}"
        );
    }
    assert!(
        after.contains("Pay rent @finance rec:+1m due:2027-01-01"),
        "{after}"
    );
    // The other reading: words of one task.
    let out = run(dir.path(), &["done", "contact", "form"]);
    assert!(out.contains("Complete task: Fix broken contact form"), "{out}");
    assert_eq!(commits(dir.path()), before + 2);
}

#[test]
fn a_bulk_change_with_one_unknown_or_done_task_changes_nothing_and_names_it() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["tasks"]);
    let (before, text) = (commits(dir.path()), todo(dir.path()));
    for (args, why) in [
        (&["done", "1", "zzzz"][..], "no task has the reference \"zzzz\""),
        (&["done", "1", "10"], "line 10 of todo.txt is already done"),
        (&["done", "1", "999"], "todo.txt has no line 999"),
        (
            &["edit", "1", "3", "nothing like this", "--due", "fri"],
            "\"nothing like this\"",
        ),
        (
            &["edit", "1", "3", "--text", "New words"],
            "new text is for one task, and 2 were named",
        ),
        (&["edit", "1", "3", "--due", "the 31st"], "31st"),
    ] {
        let error = fail(dir.path(), args);
        assert!(error.contains(why), "{args:?}: {error}");
    }
    assert_eq!(todo(dir.path()), text, "nothing changed");
    assert_eq!(commits(dir.path()), before);
}

#[test]
fn edit_of_several_tasks_sets_the_same_fields_in_one_commit() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["tasks"]);
    let before = commits(dir.path());
    let out = run(
        dir.path(),
        &[
            "edit",
            "1",
            "Update job post",
            "--due",
            "fri",
            "--owner",
            "ben",
            "--priority",
            "B",
        ],
    );
    assert!(out.starts_with("Edit 2 tasks: Send Q4 report"), "{out}");
    assert_eq!(commits(dir.path()), before + 1);
    assert_eq!(last_subject(dir.path()).split(':').next(), Some("Edit 2 tasks"));
    let text = todo(dir.path());
    for needle in ["Send Q4 report", "Update job post"] {
        let line = text.lines().find(|line| line.contains(needle)).unwrap();
        assert!(
            line.starts_with("(B) ") && line.contains("due:2026-11-27") && line.contains("owner:ben"),
            "{line}"
        );
    }
}

#[test]
fn more_than_three_tasks_at_once_need_yes_without_a_terminal() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["tasks"]);
    let (before, text) = (commits(dir.path()), todo(dir.path()));
    for args in [
        &["done", "1", "3", "5", "12"][..],
        &["edit", "1", "3", "5", "12", "--owner", "ben"],
    ] {
        let error = fail(dir.path(), args);
        assert!(
            error.contains("4 tasks at once:")
                && error.contains("More than 3 tasks at once need your yes")
                && error.contains("--yes"),
            "{args:?}: {error}"
        );
        // Even an answer on standard input is no terminal's yes.
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        let output = myorg_with_input(dir.path(), &all, &[], "y\n");
        assert!(!output.status.success(), "{args:?}");
    }
    assert_eq!(todo(dir.path()), text);
    assert_eq!(commits(dir.path()), before);
    let out = run(dir.path(), &["done", "1", "3", "5", "12", "--yes"]);
    assert!(out.starts_with("Complete 4 tasks: "), "{out}");
    assert_eq!(commits(dir.path()), before + 1);
    let done = todo(dir.path())
        .lines()
        .filter(|line| line.starts_with("x 2026-11-23 "))
        .count();
    assert_eq!(done, 4);
}
