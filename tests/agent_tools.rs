//! The agent's tools through `Registry::call` on a temporary store made from the
//! bundled template, at a fixed time (2026-11-23 08:00, a Monday): every tool's
//! effect in the files and the git log (commits authored by the person who asked),
//! destructive tools that change nothing until confirmed and then exactly what they
//! previewed, stale confirmations, paths outside the store; and `myorg tools`.

use chrono::{NaiveDate, NaiveDateTime};
use myorg_assistant::agent::tools::{Outcome, Pending, Registry, ToolContext};
use myorg_assistant::config::Config;
use myorg_assistant::store::{Actor, Store, StoreSettings};
use serde_json::{Value, json};
use tempfile::TempDir;

mod support;

/// A store from the template, the registry, and a context for Ana.
struct Fixture {
    _dir: TempDir,
    store: Store,
    config: Config,
    registry: Registry,
}

fn fixture() -> Fixture {
    let dir = TempDir::new().unwrap();
    let store = Store::open(StoreSettings::local(dir.path().join("store"))).unwrap();
    Fixture {
        _dir: dir,
        store,
        config: Config::default(),
        registry: Registry::new(),
    }
}

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

impl Fixture {
    fn ctx(&self) -> ToolContext<'_> {
        self.ctx_of("Ana", "ana")
    }

    fn ctx_of(&self, name: &str, handle: &str) -> ToolContext<'_> {
        ToolContext {
            config: &self.config,
            store: &self.store,
            actor: Actor {
                name: name.into(),
                email: format!("{handle}@example.com"),
                via: "chat".into(),
            },
            handle: handle.into(),
            now: now(),
        }
    }

    fn call(&self, name: &str, arguments: Value) -> Outcome {
        self.registry.call(&self.ctx(), name, &arguments)
    }

    /// The result of a call that worked.
    fn done(&self, name: &str, arguments: Value) -> String {
        match self.call(name, arguments.clone()) {
            Outcome::Done(text) => text,
            other => panic!("{name} {arguments}: {other:?}"),
        }
    }

    /// The message of a call that failed.
    fn failed(&self, name: &str, arguments: Value) -> String {
        match self.call(name, arguments.clone()) {
            Outcome::Failed(text) => text,
            other => panic!("{name} {arguments}: expected a failure, got {other:?}"),
        }
    }

    fn pending(&self, name: &str, arguments: Value) -> Pending {
        match self.call(name, arguments.clone()) {
            Outcome::NeedsConfirmation(pending) => pending,
            other => panic!("{name} {arguments}: expected a confirmation request, got {other:?}"),
        }
    }

    fn confirm(&self, pending: &Pending) -> Outcome {
        self.registry.confirm(&self.ctx(), pending)
    }

    fn file(&self, path: &str) -> String {
        String::from_utf8(self.store.read(path).unwrap()).unwrap()
    }

    /// The newest commit: author and subject.
    fn last_commit(&self) -> (String, String) {
        let newest = self.store.history(&[], None, 1).unwrap().remove(0);
        (newest.author, newest.subject)
    }

    fn commits(&self) -> usize {
        self.store.history(&[], None, 10_000).unwrap().len()
    }
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[test]
fn add_task_writes_the_line_the_cli_would_and_answers_with_its_reference() {
    let f = fixture();
    let added = f.done(
        "add_task",
        json!({"text": "Book the Lisbon hotel", "priority": "b", "due": "fri", "project": "travel", "context": "@computer", "owner": "Ben"}),
    );
    let line = "(B) 2026-11-23 Book the Lisbon hotel +travel @computer due:2026-11-27 owner:ben";
    assert_eq!(last_line(&f.file("todo.txt")), line);
    let reference = added
        .strip_prefix("Added ")
        .and_then(|rest| rest.strip_suffix(&format!(": {line}")))
        .unwrap_or_else(|| panic!("{added}"));
    assert_eq!(reference.len(), 4, "{added}");
    let (author, subject) = f.last_commit();
    assert_eq!(author, "Ana");
    assert!(
        subject.starts_with("Add task: Book the Lisbon hotel +travel"),
        "{subject}"
    );
    // The reference finds it, as the CLI shows it.
    let found = f.done("search_tasks", json!({"query": "+travel"}));
    assert_eq!(found, format!("{reference} {line}"));
    // A past date is said; a bad one changes nothing.
    let past = f.done("add_task", json!({"text": "Old thing", "due": "2026-11-01"}));
    assert!(
        past.ends_with("\nNote: the due date 2026-11-01 is in the past"),
        "{past}"
    );
    let before = f.commits();
    let bad = f.failed("add_task", json!({"text": "x", "due": "the 31st of feb"}));
    assert!(!bad.is_empty());
    let bad = f.failed("add_task", json!({"text": "x", "priority": "AA"}));
    assert!(bad.contains("not a priority"), "{bad}");
    assert_eq!(f.commits(), before);
}

#[test]
fn search_tasks_lists_the_most_urgent_first_with_a_count_of_the_rest() {
    let f = fixture();
    let found = f.done("search_tasks", json!({"query": "+website", "limit": 2}));
    let lines: Vec<&str> = found.lines().collect();
    assert_eq!(lines.len(), 3, "{found}");
    assert!(
        lines[0].ends_with(
            "(A) 2026-11-16 Fix broken contact form on staging +website @computer due:2026-11-20 estimate:2h"
        ),
        "{found}"
    );
    assert_eq!(lines[2], "… and 3 more");
    let mine = f.done("search_tasks", json!({"owner": "ben"}));
    assert!(mine.lines().all(|line| line.contains("owner:ben")), "{mine}");
    assert_eq!(mine.lines().count(), 4, "{mine}");
    let overdue = f.done("search_tasks", json!({"overdue": true, "query": "+hiring"}));
    assert!(
        overdue.contains("Send feedback to first-round candidates"),
        "{overdue}"
    );
    assert_eq!(
        f.done("search_tasks", json!({"query": "nothing-like-this"})),
        "No tasks match."
    );
}

#[test]
fn complete_and_update_a_task_by_reference_or_words() {
    let f = fixture();
    let done = f.done("complete_task", json!({"task": "tulip bulbs"}));
    let line = "x 2026-11-23 2026-11-01 Plant tulip bulbs before the frost +garden @home due:2026-11-29";
    assert_eq!(done, format!("Done: {line}"));
    assert!(f.file("todo.txt").contains(&format!("\n{line}\n")));
    assert_eq!(f.last_commit().0, "Ana");
    let recurring = f.done("complete_task", json!({"task": "Take out recycling"}));
    let next = "2026-11-23 Take out recycling @home rec:1w due:2026-11-30";
    assert_eq!(last_line(&f.file("todo.txt")), next);
    let (first, second) = recurring.split_once('\n').unwrap();
    assert_eq!(
        first,
        "Done: x 2026-11-23 2026-11-17 Take out recycling @home rec:1w due:2026-11-24"
    );
    assert!(
        second.starts_with("Next ") && second.ends_with(&format!(": {next}")),
        "{recurring}"
    );
    // The reference given for the next one finds it.
    let found = f.done("search_tasks", json!({"query": "recycling"}));
    assert_eq!(found, format!("{} {next}", &second[5..9]));

    let updated = f.done(
        "update_task",
        json!({"task": "Measure the space", "due": "tomorrow", "priority": "A"}),
    );
    let line =
        "(A) 2026-11-11 Measure the space for the dishwasher +kitchen @home estimate:30m due:2026-11-24";
    assert!(
        updated.starts_with("Now ") && updated.ends_with(&format!(": {line}")),
        "{updated}"
    );
    assert!(f.file("todo.txt").contains(&format!("\n{line}\n")));
    let reference = &updated[4..8];
    let again = f.done("update_task", json!({"task": reference, "due": "none"}));
    assert!(again.ends_with("+kitchen @home estimate:30m"), "{again}");

    let ambiguous = f.failed("complete_task", json!({"task": "Dani"}));
    assert!(ambiguous.contains("say which one"), "{ambiguous}");
    let already = f.failed("complete_task", json!({"task": "Order new kitchen tap"}));
    assert!(already.contains("no open task"), "{already}");
    let nothing = f.failed(
        "update_task",
        json!({"task": "Measure the space", "context": "home"}),
    );
    assert!(nothing.contains("nothing to change"), "{nothing}");
}

#[test]
fn complete_task_with_a_summary_writes_no_note_when_the_completion_fails() {
    let f = fixture();
    let log = f.file("log.txt");
    let commits = f.commits();
    for (task, why) in [
        ("the unicorn stable", "no open task"),
        ("Dani", "say which one"),
        ("Order new kitchen tap", "no open task"),
    ] {
        let refused = f.failed("complete_task", json!({"task": task, "summary": "It went well"}));
        assert!(refused.contains(why), "{task}: {refused}");
    }
    assert_eq!(f.file("log.txt"), log);
    assert_eq!(f.commits(), commits);

    // Done, then noted: the note about the task follows its completion.
    let done = f.done(
        "complete_task",
        json!({"task": "tulip bulbs", "summary": "All forty in"}),
    );
    let note = "2026-11-23 08:00 ana: All forty in — task: Plant tulip bulbs before the frost +garden @home";
    assert!(
        done.starts_with("Done: x 2026-11-23 2026-11-01 Plant tulip bulbs")
            && done.ends_with(&format!("\nAdded to log.txt: {note}")),
        "{done}"
    );
    assert_eq!(last_line(&f.file("log.txt")), note);
    let subjects: Vec<String> = f
        .store
        .history(&[], None, 2)
        .unwrap()
        .into_iter()
        .map(|commit| commit.subject)
        .collect();
    assert!(
        subjects[0].starts_with("Note: All forty in") && subjects[1].starts_with("Complete task"),
        "{subjects:?}"
    );
}

/// The commit that last changed `path`.
fn last_change_of(f: &Fixture, path: &str) -> String {
    f.store.history(&[path], None, 1).unwrap().remove(0).id
}

#[test]
fn remember_writes_a_dated_line_and_bad_arguments_change_nothing() {
    let f = fixture();
    let memory = f.file("working-memory.txt");
    let commits = f.commits();
    for (arguments, why) in [
        (json!({}), "text"),
        (json!({"text": "  "}), "a note needs some text"),
        (json!({"text": "x", "pin": true}), "pin"),
        (json!({"text": "a\u{7}b"}), "control character"),
    ] {
        let refused = f.failed("remember", arguments.clone());
        assert!(refused.contains(why), "{arguments}: {refused}");
    }
    assert_eq!(f.file("working-memory.txt"), memory);
    assert_eq!(f.commits(), commits);

    let said = f.done(
        "remember",
        json!({"text": "We ship on Tuesdays,\nnever on Fridays"}),
    );
    let line = "2026-11-23 08:00 ana: We ship on Tuesdays, never on Fridays";
    assert_eq!(said, format!("Added to working-memory.txt: {line}"));
    assert_eq!(f.file("working-memory.txt"), format!("{memory}{line}\n"));
    assert_eq!(
        f.last_commit(),
        (
            "Ana".to_string(),
            "Working memory: We ship on Tuesdays, never on Fridays".to_string()
        )
    );
    assert!(f.registry.changes("remember"));
}

#[test]
fn a_status_change_and_a_task_done_with_a_summary_are_remembered_in_their_commit() {
    let f = fixture();
    let memory = f.file("working-memory.txt");
    // Routine changes leave working memory alone.
    f.done("add_task", json!({"text": "Buy stamps"}));
    f.done("complete_task", json!({"task": "Buy stamps"}));
    f.done(
        "update_project",
        json!({"slug": "kitchen", "update": "Tiles chosen"}),
    );
    assert_eq!(f.file("working-memory.txt"), memory);

    f.done("update_project", json!({"slug": "kitchen", "status": "someday"}));
    assert_eq!(
        last_line(&f.file("working-memory.txt")),
        "2026-11-23 08:00 ana: project kitchen → someday"
    );
    assert_eq!(
        last_change_of(&f, "working-memory.txt"),
        last_change_of(&f, "projects.txt")
    );
    f.done(
        "update_project",
        json!({"slug": "finances-in-order", "status": "active"}),
    );
    assert_eq!(
        last_line(&f.file("working-memory.txt")),
        "2026-11-23 08:00 ana: goal finances-in-order → active"
    );

    let found = f.done("search_tasks", json!({"query": "tulip"}));
    let reference = &found[..4];
    f.done(
        "complete_task",
        json!({"task": "tulip bulbs", "summary": "All forty in"}),
    );
    assert_eq!(
        last_line(&f.file("working-memory.txt")),
        format!(
            "2026-11-23 08:00 ana: done {reference} \"Plant tulip bulbs before the frost +garden @home\": All forty in"
        )
    );
    assert_eq!(
        last_change_of(&f, "working-memory.txt"),
        last_change_of(&f, "todo.txt")
    );
    // The plan's status change is a project's status change too.
    f.done(
        "update_initiative",
        json!({"slug": "website", "status": "blocked"}),
    );
    assert_eq!(
        last_line(&f.file("working-memory.txt")),
        "2026-11-23 08:00 ana: project website → blocked"
    );
    assert_eq!(
        last_change_of(&f, "working-memory.txt"),
        last_change_of(&f, "projects.txt")
    );
    f.done("update_initiative", json!({"slug": "website", "owner": "ben"}));
    assert!(last_line(&f.file("working-memory.txt")).ends_with("project website → blocked"));
}

#[test]
fn delete_task_changes_nothing_until_its_person_confirms_and_then_exactly_that_line() {
    let f = fixture();
    let before = f.file("todo.txt");
    let commits = f.commits();
    let pending = f.pending("delete_task", json!({"task": "Call Mum about Sunday lunch"}));
    assert_eq!(pending.tool, "delete_task");
    assert_eq!(
        pending.preview,
        "Delete line 42 of todo.txt: 2026-11-20 Call Mum about Sunday lunch @phone due:2026-11-22"
    );
    assert_eq!(
        before.lines().nth(41),
        Some("2026-11-20 Call Mum about Sunday lunch @phone due:2026-11-22")
    );
    assert_eq!(f.file("todo.txt"), before);
    assert_eq!(f.commits(), commits);

    // Someone else cannot confirm it; nor can a forged copy do something else.
    let bob = f.registry.confirm(&f.ctx_of("Bob", "bob"), &pending);
    assert!(
        matches!(&bob, Outcome::Failed(why) if why.contains("only ana")),
        "{bob:?}"
    );
    let mut later = f.ctx();
    later.now = now() + chrono::TimeDelta::minutes(6);
    let expired = f.registry.confirm(&later, &pending);
    assert!(
        matches!(&expired, Outcome::Failed(why) if why.contains("expired")),
        "{expired:?}"
    );
    assert_eq!(f.file("todo.txt"), before);

    // The pending change survives a round trip (a button's state) and applies.
    let pending: Pending = serde_json::from_str(&serde_json::to_string(&pending).unwrap()).unwrap();
    let done = f.confirm(&pending);
    assert_eq!(
        done,
        Outcome::Done("Done: Delete task: Call Mum about Sunday lunch @phone due:2026-11-22".into())
    );
    let expected: String = before
        .lines()
        .filter(|line| !line.contains("Call Mum about Sunday lunch"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(f.file("todo.txt"), expected);
    assert_eq!(f.commits(), commits + 1);
    assert_eq!(f.last_commit().0, "Ana");
    // Confirming twice does nothing more.
    let twice = f.confirm(&pending);
    assert!(
        matches!(&twice, Outcome::Failed(why) if why.contains("no longer applies")),
        "{twice:?}"
    );
    assert_eq!(f.commits(), commits + 1);
}

#[test]
fn a_confirmation_made_stale_by_an_edit_meanwhile_no_longer_applies() {
    let f = fixture();
    let pending = f.pending("delete_task", json!({"task": "Buy birthday present"}));
    f.done(
        "update_task",
        json!({"task": "Buy birthday present", "due": "2026-11-27"}),
    );
    let edited = f.file("todo.txt");
    let stale = f.confirm(&pending);
    assert!(
        matches!(&stale, Outcome::Failed(why) if why.contains("no longer applies") && why.contains("nothing was changed")),
        "{stale:?}"
    );
    assert_eq!(f.file("todo.txt"), edited);

    // A file edited (here by hand) after a write was previewed is not overwritten.
    let write = f.pending(
        "write_file",
        json!({"path": "notes/plan.md", "content": "# Plan\n"}),
    );
    std::fs::write(f.store.root().join("notes/plan.md"), "mine\n").unwrap();
    let stale = f.confirm(&write);
    assert!(
        matches!(&stale, Outcome::Failed(why) if why.contains("changed since")),
        "{stale:?}"
    );
    assert_eq!(f.file("notes/plan.md"), "mine\n");
}

#[test]
fn write_file_previews_the_change_and_applies_exactly_that_content() {
    let f = fixture();
    let old = f.file("telos.md");
    let content = format!(
        "{}\nOne more line\n",
        old.lines().skip(1).collect::<Vec<_>>().join("\n")
    );
    let pending = f.pending("write_file", json!({"path": "telos.md", "content": content}));
    assert_eq!(
        pending.preview,
        format!(
            "Overwrite telos.md: {} → {} bytes, +1 −1 lines",
            old.len(),
            content.len()
        )
    );
    assert_eq!(f.file("telos.md"), old);
    assert!(matches!(f.confirm(&pending), Outcome::Done(text) if text == "Done: Write: telos.md"));
    assert_eq!(f.file("telos.md"), content);
    assert_eq!(
        f.last_commit(),
        ("Ana".to_string(), "Write: telos.md".to_string())
    );

    let new = f.pending(
        "write_file",
        json!({"path": "notes/new/idea.md", "content": "a\nb\n"}),
    );
    assert_eq!(new.preview, "Create notes/new/idea.md: 4 bytes, 2 lines");
    assert!(!f.store.root().join("notes/new").exists());
    assert!(matches!(f.confirm(&new), Outcome::Done(_)));
    assert_eq!(f.file("notes/new/idea.md"), "a\nb\n");
    let same = f.failed(
        "write_file",
        json!({"path": "notes/new/idea.md", "content": "a\nb\n"}),
    );
    assert!(same.contains("already has that content"), "{same}");
}

#[test]
fn files_tools_stay_inside_the_store() {
    let f = fixture();
    let commits = f.commits();
    let cases = [
        ("../x", "goes up with .."),
        ("notes/../../x", "goes up with .."),
        ("/etc/passwd", "absolute path"),
        (".git/config", "inside .git"),
        ("notes/.git/x", "inside .git"),
        ("", "no file name"),
    ];
    for (path, why) in cases {
        for (tool, arguments) in [
            ("read_file", json!({"path": path})),
            ("append_file", json!({"path": path, "text": "x"})),
            ("write_file", json!({"path": path, "content": "x"})),
            ("git_log", json!({"path": path})),
        ] {
            if path.is_empty() && tool == "git_log" {
                continue;
            }
            let message = f.failed(tool, arguments);
            assert!(message.contains(why), "{tool} {path:?}: {message}");
        }
    }
    let listed = f.failed("list_files", json!({"dir": "../"}));
    assert!(listed.contains("goes up"), "{listed}");
    // A link inside the store that leads out is refused too.
    std::os::unix::fs::symlink("/etc", f.store.root().join("etc")).unwrap();
    let linked = f.failed("read_file", json!({"path": "etc/passwd"}));
    assert!(linked.contains("symbolic link"), "{linked}");
    let big = "x".repeat(myorg_assistant::store::paths::MAX_WRITE_BYTES + 1);
    let oversize = f.failed("write_file", json!({"path": "big.txt", "content": big}));
    assert!(oversize.contains("at most 1048576 bytes"), "{oversize}");
    let oversize = f.failed("append_file", json!({"path": "big.txt", "text": big}));
    assert!(oversize.contains("at most 1048576 bytes"), "{oversize}");
    std::fs::remove_file(f.store.root().join("etc")).unwrap();
    assert_eq!(f.commits(), commits);
}

#[test]
fn list_read_and_append_files() {
    let f = fixture();
    let listed = f.done("list_files", json!({}));
    for path in [
        "todo.txt",
        "notes/meeting-2026-11-18.md",
        "skills/weekly-review.md",
    ] {
        assert!(
            listed.lines().any(|line| line.starts_with(&format!("{path} "))),
            "{listed}"
        );
    }
    assert!(!listed.contains(".git"), "{listed}");
    assert_eq!(
        f.done("list_files", json!({"dir": "skills"})),
        format!(
            "skills/weekly-review.md {}B",
            f.file("skills/weekly-review.md").len()
        )
    );

    assert_eq!(
        f.done("read_file", json!({"path": "goals.txt"})),
        f.file("goals.txt")
    );
    // A long file comes in pieces, each cut where said.
    let long: String = (0..2000).map(|n| format!("line {n:05}\n")).collect();
    std::fs::write(f.store.root().join("notes/long.md"), &long).unwrap();
    let first = f.done("read_file", json!({"path": "notes/long.md"}));
    assert_eq!(
        first,
        format!(
            "{}\n[cut: bytes 0-8000 of 22000; read on with offset 8000]",
            &long[..8000]
        )
    );
    let last = f.done("read_file", json!({"path": "notes/long.md", "offset": 16000}));
    assert_eq!(
        last,
        format!("{}\n[bytes 16000-22000 of 22000: the end]", &long[16000..])
    );
    // A character is never cut in two: é is two bytes, the 8000th byte is its first.
    let accented = format!("{}é and more", "a".repeat(7999));
    std::fs::write(f.store.root().join("notes/accent.md"), &accented).unwrap();
    let cut = f.done("read_file", json!({"path": "notes/accent.md"}));
    assert_eq!(
        cut,
        format!(
            "{}\n[cut: bytes 0-7999 of 8010; read on with offset 7999]",
            "a".repeat(7999)
        )
    );
    let beyond = f.failed("read_file", json!({"path": "notes/long.md", "offset": 99999}));
    assert!(beyond.contains("only 22000 bytes"), "{beyond}");
    let missing = f.failed("read_file", json!({"path": "notes/none.md"}));
    assert!(missing.contains("not a file"), "{missing}");

    let appended = f.done(
        "append_file",
        json!({"path": "notes/meeting-2026-11-18.md", "text": "Ask Ruiz about the sink"}),
    );
    assert_eq!(appended, "Append to: notes/meeting-2026-11-18.md");
    assert!(
        f.file("notes/meeting-2026-11-18.md")
            .ends_with("\nAsk Ruiz about the sink\n")
    );
    assert_eq!(f.last_commit().0, "Ana");
}

#[test]
fn append_file_does_not_write_raw_lines_into_files_kept_line_by_line() {
    let f = fixture();
    // A folder link back to the store's top reaches the same files by another name.
    std::os::unix::fs::symlink(".", f.store.root().join("lists")).unwrap();
    let files = [
        ("todo.txt", "add_task"),
        ("./todo.txt", "add_task"),
        ("TODO.TXT", "add_task"),
        ("lists/todo.txt", "add_task"),
        ("done.txt", "complete_task"),
        ("calendar.txt", "add_event"),
        ("projects.txt", "update_project"),
        ("goals.txt", "update_project"),
        ("log.txt", "add_note"),
        ("lists/log.txt", "add_note"),
        ("working-memory.txt", "remember"),
        ("kpi.txt", "update_arr_data"),
    ];
    let before: Vec<(String, Vec<u8>)> = [
        "todo.txt",
        "done.txt",
        "calendar.txt",
        "projects.txt",
        "goals.txt",
        "log.txt",
        "working-memory.txt",
        "kpi.txt",
    ]
    .into_iter()
    .map(|file| (file.to_string(), f.store.read(file).unwrap()))
    .collect();
    let commits = f.commits();
    for (path, tool) in files {
        let refused = f.failed(
            "append_file",
            json!({"path": path, "text": "(A) Wire the money today +urgent"}),
        );
        assert!(
            refused.contains(&format!("use {tool}")) && refused.contains("nothing was changed"),
            "{path}: {refused}"
        );
    }
    for (file, content) in before {
        assert_eq!(f.store.read(&file).unwrap(), content, "{file}");
    }
    assert_eq!(f.commits(), commits);
    std::fs::remove_file(f.store.root().join("lists")).unwrap();
}

#[test]
fn events_are_added_at_their_day_and_listed() {
    let f = fixture();
    let added = f.done(
        "add_event",
        json!({"date": "fri", "time": "14:00-15:30", "text": "Dentist"}),
    );
    assert!(added.contains("Dentist"), "{added}");
    let day = f
        .file("calendar.txt")
        .lines()
        .find(|line| line.starts_with("2026-11-27 "))
        .unwrap()
        .to_string();
    assert!(day.contains("14-15:30 Dentist"), "{day}");
    assert_eq!(f.last_commit().0, "Ana");
    let listed = f.done("list_events", json!({"from": "fri", "to": "fri"}));
    assert!(
        listed
            .lines()
            .any(|line| line == "Fri 2026-11-27 14:00-15:30 Dentist"),
        "{listed}"
    );
    let week = f.done("list_events", json!({}));
    assert!(
        week.lines()
            .all(|line| line.contains("2026-11-2") || line.contains("2026-11-3")),
        "{week}"
    );
    let bad = f.failed(
        "add_event",
        json!({"date": "fri", "time": "noon", "text": "Lunch"}),
    );
    assert!(bad.contains("not a time"), "{bad}");
    let bad = f.failed("list_events", json!({"from": "fri", "to": "2026-11-20"}));
    assert!(bad.contains("is after"), "{bad}");
}

#[test]
fn projects_are_listed_updated_and_noted() {
    let f = fixture();
    let listed = f.done("list_projects", json!({}));
    assert!(
        listed.lines().any(|line| line.starts_with("+q4-report active ")),
        "{listed}"
    );
    let goals = f.done("list_projects", json!({"goals": true}));
    assert!(goals.lines().all(|line| line.starts_with('+')), "{goals}");

    let updated = f.done(
        "update_project",
        json!({"slug": "kitchen", "status": "someday", "update": "Waiting on the countertop quote"}),
    );
    assert!(
        updated.contains("status") && updated.contains("blocked → someday"),
        "{updated}"
    );
    assert!(
        f.file("projects.txt")
            .lines()
            .any(|line| line.contains("+kitchen") && line.contains("status:someday"))
    );
    assert_eq!(
        last_line(&f.file("log.txt")),
        "2026-11-23 08:00 ana: Waiting on the countertop quote +kitchen"
    );
    let unknown = f.failed("update_project", json!({"slug": "nope", "update": "x"}));
    assert!(unknown.contains("nope"), "{unknown}");
    let empty = f.failed("update_project", json!({"slug": "kitchen"}));
    assert!(empty.contains("say a status or an update"), "{empty}");

    let noted = f.done(
        "add_note",
        json!({"text": "Ruiz called back", "project": "kitchen"}),
    );
    assert_eq!(
        noted,
        "Added to log.txt: 2026-11-23 08:00 ana: Ruiz called back +kitchen"
    );
    let memory = f.done("add_note", json!({"text": "Dani starts Monday", "memory": true}));
    assert_eq!(
        memory,
        "Added to working-memory.txt: 2026-11-23 08:00 ana: Dani starts Monday"
    );
    assert!(
        f.file("working-memory.txt")
            .ends_with("2026-11-23 08:00 ana: Dani starts Monday\n")
    );
    assert_eq!(f.last_commit().0, "Ana");
}

#[test]
fn the_quarter_plan_is_made_changed_and_read_through_its_tools() {
    let f = fixture();
    let plan = f.done("get_quarter_plan", json!({}));
    let lines: Vec<&str> = plan.lines().collect();
    assert_eq!(
        lines[0],
        "Quarter 2026Q4 (2026-10-01 to 2026-12-31): 4 goals, 5 projects"
    );
    let website = lines
        .iter()
        .position(|line| line.starts_with("+website "))
        .unwrap();
    assert!(
        lines[website].starts_with("+website (project) in-progress, ana, due 2026-12-15, goal +ship-v2, ")
            && lines[website].ends_with(": Relaunch the team website"),
        "{plan}"
    );
    assert_eq!(
        lines[website + 1],
        "  last update 2026-11-20 ana: Merged the navigation PR https://github.com/example/site/pull/42 +website"
    );
    assert_eq!(
        lines[website + 2],
        "  PRs: https://github.com/example/site/pull/38 (2026-11-16), https://github.com/example/site/pull/42 (2026-11-20)"
    );
    // Due next year: in the next quarter's plan, not this one's.
    assert!(!plan.contains("\n+kitchen "), "{plan}");
    let next = f.done("get_quarter_plan", json!({"quarter": "next"}));
    assert!(
        next.starts_with("Quarter 2027Q1 (2027-01-01 to 2027-03-31): 0 goals, 2 projects"),
        "{next}"
    );
    assert!(
        next.contains("\n+kitchen (project) blocked, ana, due 2027-01-31"),
        "{next}"
    );

    let commits = f.commits();
    let created = f.done(
        "create_initiative",
        json!({"slug": "pricing", "title": "New pricing page", "status": "planning", "owner": "ben",
               "target_date": "2026-12-20", "tags": ["+frontend", "@q4", "growth"], "goal": "ship-v2"}),
    );
    let line = "+pricing New pricing page +frontend @q4 +growth status:planning owner:ben due:2026-12-20 goal:ship-v2";
    assert_eq!(created, format!("Added project to projects.txt: {line}"));
    assert_eq!(last_line(&f.file("projects.txt")), line);

    let updated = f.done(
        "update_initiative",
        json!({"slug": "pricing", "status": "in-progress", "owner": "carla", "tags": ["@web"]}),
    );
    let line = "+pricing New pricing page +frontend @q4 +growth status:active owner:carla due:2026-12-20 goal:ship-v2 @web";
    assert_eq!(
        updated,
        format!("Project pricing: status:active owner:carla @web\nNow: {line}")
    );
    assert_eq!(last_line(&f.file("projects.txt")), line);
    let goal = f.done(
        "update_initiative",
        json!({"slug": "finances-in-order", "status": "blocked"}),
    );
    assert!(
        goal.starts_with("Goal finances-in-order: status:blocked\n"),
        "{goal}"
    );
    assert!(
        f.file("goals.txt")
            .contains("+finances-in-order Close the year with taxes and paperwork done status:blocked ")
    );

    let noted = f.done("add_update", json!({"slug": "pricing", "text": "Copy reviewed"}));
    assert_eq!(noted, "Logged: 2026-11-23 08:00 ana: Copy reviewed +pricing");
    let linked = f.done(
        "link_pr",
        json!({"slug": "pricing", "url": "https://github.com/example/site/pull/51", "title": "Pricing page", "state": "merged"}),
    );
    let entry =
        "2026-11-23 08:00 ana: PR merged: Pricing page https://github.com/example/site/pull/51 +pricing";
    assert_eq!(linked, format!("Logged: {entry}"));
    assert_eq!(last_line(&f.file("log.txt")), entry);
    let done = f.done(
        "update_initiative",
        json!({"slug": "pricing", "status": "completed"}),
    );
    assert!(
        done.contains("\nNow: x 2026-11-23 +pricing New pricing page"),
        "{done}"
    );
    // One commit a change, each by the person who asked.
    assert_eq!(f.commits(), commits + 6);
    assert_eq!(f.last_commit().0, "Ana");

    let plan = f.done("get_quarter_plan", json!({"quarter": "2026q4"}));
    assert!(
        plan.starts_with("Quarter 2026Q4 (2026-10-01 to 2026-12-31): 4 goals, 6 projects\n"),
        "{plan}"
    );
    assert!(
        plan.contains(
            "\n+pricing (project) completed, carla, due 2026-12-20, goal +ship-v2, no tasks: \
             New pricing page +frontend @q4 +growth @web\n  last update 2026-11-23 ana: PR merged: \
             Pricing page https://github.com/example/site/pull/51 +pricing\n  PRs: \
             https://github.com/example/site/pull/51 (merged, 2026-11-23)"
        ),
        "{plan}"
    );
    assert!(plan.contains("\n+finances-in-order (goal) blocked, "), "{plan}");
}

#[test]
fn the_quarter_plan_tools_refuse_bad_input_and_change_nothing() {
    let f = fixture();
    let files = ["projects.txt", "goals.txt", "log.txt"].map(|file| f.file(file));
    let commits = f.commits();
    let table = [
        (
            "create_initiative",
            json!({"slug": "website", "title": "Again"}),
            "+website already exists",
        ),
        (
            "create_initiative",
            json!({"slug": "x y", "title": "Text"}),
            "is not a project name",
        ),
        (
            "create_initiative",
            json!({"slug": "new", "title": "  "}),
            "a few words",
        ),
        (
            "create_initiative",
            json!({"slug": "new", "title": "Text", "goal": "nope"}),
            "no goal +nope",
        ),
        (
            "create_initiative",
            json!({"slug": "new", "title": "Text", "tags": ["two words"]}),
            "is not a tag",
        ),
        (
            "create_initiative",
            json!({"slug": "new", "title": "Text", "target_date": "2026-02-30"}),
            "2026-02-30",
        ),
        (
            "create_initiative",
            json!({"slug": "new", "title": "Text", "status": "done"}),
            "invalid arguments",
        ),
        (
            "update_initiative",
            json!({"slug": "nope", "status": "blocked"}),
            "there is no project or goal +nope",
        ),
        (
            "update_initiative",
            json!({"slug": "website"}),
            "say what to change",
        ),
        (
            "update_initiative",
            json!({"slug": "website", "status": "in-progress", "owner": "ana"}),
            "already says that",
        ),
        (
            "update_initiative",
            json!({"slug": "website", "owner": "two words"}),
            "two words",
        ),
        (
            "add_update",
            json!({"slug": "website", "text": " "}),
            "a note needs some text",
        ),
        ("add_update", json!({"slug": "nope", "text": "x"}), "+nope"),
        (
            "link_pr",
            json!({"slug": "website", "url": "github.com/x/y/pull/1"}),
            "is not a pull request's address",
        ),
        (
            "link_pr",
            json!({"slug": "website", "url": "https://x/pull/1", "state": "gone"}),
            "invalid arguments",
        ),
        (
            "get_quarter_plan",
            json!({"quarter": "2026Q5"}),
            "\"2026Q5\" is not a quarter",
        ),
    ];
    for (tool, arguments, why) in table {
        let failed = f.failed(tool, arguments.clone());
        assert!(failed.contains(why), "{tool} {arguments}: {failed}");
    }
    assert_eq!(
        ["projects.txt", "goals.txt", "log.txt"].map(|file| f.file(file)),
        files
    );
    assert_eq!(f.commits(), commits);
}

#[test]
fn goals_and_the_weekly_goal_report_are_read_through_their_tools_as_text_and_data() {
    let f = fixture();
    let goals = f.done("get_goals", json!({}));
    assert!(
        goals.starts_with("Goals of 2026Q4 (4):\n+ship-v2 active, "),
        "{goals}"
    );
    assert!(
        goals.contains("\n  telos: Current focus (Q4 2026)\n  +website active, "),
        "{goals}"
    );
    assert_eq!(f.done("get_goals", json!({"quarter": "current"})), goals);
    let (outcome, data) = f
        .registry
        .call_with_data(&f.ctx(), "get_goals", &json!({"quarter": "all"}));
    assert!(
        matches!(&outcome, Outcome::Done(text) if text.starts_with("Goals, every quarter (5):")),
        "{outcome:?}"
    );
    let data = data.unwrap();
    assert_eq!(data["quarter"], Value::Null);
    assert_eq!(data["goals"][4]["slug"], "old-site-retired");
    assert_eq!(data["goals"][4]["status"], "done");
    assert_eq!(data["goals"][0]["telos"]["by"], "named");
    assert_eq!(data["goals"][1]["projects"][0]["slug"], "hiring");
    let schema = f.registry.output_schema("get_goals").unwrap();
    assert_eq!(schema["type"], "object");
    assert!(schema["properties"]["goals"].is_object(), "{schema}");

    let report = f.done("goal_report", json!({}));
    assert!(
        report.starts_with("Goals, week 2026-11-23 to 2026-11-29 (last week 2026-11-16 to 2026-11-22):\n"),
        "{report}"
    );
    assert!(
        report.ends_with(
            "\n+finances-in-order Close the year with taxes and paperwork done: no movement for 2 weeks"
        ),
        "{report}"
    );
    // A task completed through its tool moves its goal this week.
    f.done(
        "complete_task",
        json!({"task": "Prepare first-week plan for Dani"}),
    );
    let (outcome, data) = f
        .registry
        .call_with_data(&f.ctx(), "goal_report", &json!({"week": "today"}));
    assert!(
        matches!(&outcome, Outcome::Done(text) if text.contains("\n+grow-team Hire and onboard a backend engineer: 1 done this week, 4 last week\n")),
        "{outcome:?}"
    );
    let data = data.unwrap();
    assert_eq!(data["week"]["first"], "2026-11-23");
    assert_eq!(data["goals"][1]["done_this_week"][0]["date"], "2026-11-23");
    assert_eq!(data["goals"][3]["stalled"], true);
    assert_eq!(f.registry.output_schema("goal_report").unwrap()["type"], "object");
    let last_week = f.done("goal_report", json!({"week": "2026-11-18"}));
    assert!(
        last_week
            .contains("\n+ship-v2 Ship the v2 website and product pages: 2 done this week, none last week\n"),
        "{last_week}"
    );
}

#[test]
fn the_goal_tools_refuse_bad_input_and_change_nothing() {
    let f = fixture();
    let commits = f.commits();
    let goals = f.file("goals.txt");
    let table = [
        (
            "get_goals",
            json!({"quarter": "2026Q5"}),
            "\"2026Q5\" is not a quarter: use YYYYQ1 to YYYYQ4 (like 2026Q4), current, next, previous or all",
        ),
        (
            "get_goals",
            json!({"quarter": 4}),
            "invalid arguments for get_goals",
        ),
        (
            "get_goals",
            json!({"year": "2026"}),
            "invalid arguments for get_goals",
        ),
        (
            "goal_report",
            json!({"week": "notadate"}),
            "\"notadate\" is not a date",
        ),
        ("goal_report", json!({"week": "2026-02-30"}), "2026-02-30"),
        (
            "goal_report",
            json!({"weeks": 2}),
            "invalid arguments for goal_report",
        ),
    ];
    for (tool, arguments, why) in table {
        let (outcome, data) = f.registry.call_with_data(&f.ctx(), tool, &arguments);
        match outcome {
            Outcome::Failed(failed) => assert!(failed.contains(why), "{tool} {arguments}: {failed}"),
            other => panic!("{tool} {arguments}: {other:?}"),
        }
        assert_eq!(data, None, "{tool} {arguments}");
    }
    assert_eq!(f.file("goals.txt"), goals);
    assert_eq!(f.commits(), commits);
}

#[test]
fn figures_are_read_and_added_through_their_tools() {
    let f = fixture();
    assert_eq!(
        f.done("get_arr_data", json!({})),
        "mrr 1200 on 2026-11-21 (+100 (+9.1%) since 2026-10-31)\n\
         arr 14400 on 2026-11-21 (+1200 (+9.1%) since 2026-10-31)\n\
         users 53 on 2026-11-21 (+6 (+12.8%) since 2026-10-31)"
    );
    assert_eq!(
        f.done("get_kpi", json!({"key": "mrr"})),
        "mrr: 2026-08-31 820, 2026-09-30 940, 2026-10-31 1100, 2026-11-21 1200"
    );
    assert_eq!(
        f.done("get_kpi", json!({"since": "2026-10-01"})),
        "mrr: 2026-10-31 1100, 2026-11-21 1200\n\
         arr: 2026-10-31 13200, 2026-11-21 14400\n\
         users: 2026-10-31 47, 2026-11-21 53"
    );
    assert_eq!(f.done("get_kpi", json!({"since": "today"})), "No readings.");

    let commits = f.commits();
    let added = f.done(
        "update_arr_data",
        json!({"figures": {"mrr": 1300, "arr": "15600", "users": 58.5}, "date": "yesterday"}),
    );
    assert_eq!(
        added,
        "Added to kpi.txt: 2026-11-22 mrr:1300 arr:15600 users:58.5"
    );
    assert_eq!(
        last_line(&f.file("kpi.txt")),
        "2026-11-22 mrr:1300 arr:15600 users:58.5"
    );
    assert_eq!(f.commits(), commits + 1);
    assert_eq!(
        f.last_commit(),
        (
            "Ana".to_string(),
            "Figures: 2026-11-22 mrr:1300 arr:15600 users:58.5".to_string()
        )
    );
    assert!(
        f.done("get_arr_data", json!({}))
            .starts_with("mrr 1300 on 2026-11-22 (+100 (+8.3%) since 2026-11-21)\n"),
    );

    let kpi = f.file("kpi.txt");
    let table = [
        (json!({"figures": {}}), "no figures: give at least one"),
        (json!({"figures": {"MRR": 1}}), "\"MRR\" is not a key"),
        (json!({"figures": {"mrr": "12k"}}), "\"12k\" is not a number"),
        (
            json!({"figures": {"mrr": true}}),
            "the figure mrr must be a number",
        ),
        (json!({"figures": {"mrr": 1e300}}), "has too many digits"),
        (
            json!({"figures": {"mrr": 1}, "date": "tomorrow"}),
            "is after today",
        ),
        (
            json!({"figures": "mrr=1"}),
            "invalid arguments for update_arr_data",
        ),
    ];
    for (arguments, why) in table {
        let failed = f.failed("update_arr_data", arguments.clone());
        assert!(failed.contains(why), "{arguments}: {failed}");
    }
    let unknown = f.failed("get_kpi", json!({"key": "nope"}));
    assert_eq!(
        unknown,
        "there are no figures for nope; kpi.txt has mrr, arr, users"
    );
    let bad_day = f.failed("get_kpi", json!({"since": "someday"}));
    assert!(bad_day.contains("someday"), "{bad_day}");
    assert_eq!(f.file("kpi.txt"), kpi);
    assert_eq!(f.commits(), commits + 1);
    assert!(f.registry.changes("update_arr_data") && !f.registry.changes("get_kpi"));
}

#[test]
fn waiting_for_items_are_listed_and_added() {
    let f = fixture();
    let listed = f.done("list_waiting", json!({}));
    assert!(
        listed
            .lines()
            .next()
            .is_some_and(|line| line.contains("ruiz: Countertop quote")),
        "{listed}"
    );
    let marta = f.done("list_waiting", json!({"who": "marta"}));
    assert_eq!(marta.lines().count(), 1, "{marta}");
    assert!(marta.contains("marta: Marketing spend figures"), "{marta}");

    let added = f.done(
        "add_waiting",
        json!({"who": "Bob", "what": "the spare keys", "followup": "fri"}),
    );
    let line = last_line(&f.file("todo.txt")).to_string();
    assert!(
        added.starts_with("Waiting ") && added.ends_with(&format!(": {line}")),
        "{added}"
    );
    assert!(
        line.contains("@waiting") && line.contains("who:bob") && line.contains("followup:2026-11-27"),
        "{line}"
    );
    assert_eq!(f.last_commit().0, "Ana");
}

#[test]
fn git_status_log_and_a_confirmed_undo() {
    let f = fixture();
    let status = f.done("git_status", json!({}));
    assert!(
        status.starts_with("branch main; local store, no remote; head "),
        "{status}"
    );

    f.done("add_task", json!({"text": "Try the undo"}));
    let log = f.done("git_log", json!({"limit": 1}));
    assert!(log.ends_with(" Ana: Add task: Try the undo"), "{log}");
    let todo_log = f.done("git_log", json!({"path": "todo.txt"}));
    assert!(todo_log.lines().count() >= 2, "{todo_log}");

    let before = f.file("todo.txt");
    let commits = f.commits();
    let pending = f.pending("undo_change", json!({}));
    let head = &log[..8];
    assert_eq!(
        pending.preview,
        format!("Undo commit {head}: Add task: Try the undo")
    );
    assert_eq!(f.file("todo.txt"), before);
    assert_eq!(f.commits(), commits);
    assert!(
        matches!(f.confirm(&pending), Outcome::Done(text) if text == "Done: Undo: Add task: Try the undo")
    );
    assert!(!f.file("todo.txt").contains("Try the undo"));
    assert_eq!(
        f.last_commit(),
        ("Ana".to_string(), "Undo: Add task: Try the undo".to_string())
    );
    let twice = f.confirm(&pending);
    assert!(
        matches!(&twice, Outcome::Failed(why) if why.contains("no longer applies")),
        "{twice:?}"
    );

    // The template's first commit was not made on request: not undone by the model.
    let first = f.store.history(&[], None, 10_000).unwrap().pop().unwrap();
    let refused = f.failed("undo_change", json!({"commit": first.id}));
    assert!(refused.contains("was not made by the assistant"), "{refused}");
    let unknown = f.failed("undo_change", json!({"commit": "0123456789"}));
    assert!(unknown.contains("no commit"), "{unknown}");
}

#[test]
fn briefings_and_suggestions_are_for_the_person_who_asks() {
    let f = fixture();
    let morning = f.done("get_briefing", json!({}));
    assert!(
        morning.starts_with("**Good morning** — Mon 23 Nov 2026 (ana)"),
        "{morning}"
    );
    assert!(morning.contains("Fix broken contact form"), "{morning}");
    // Ben's own tasks are not Ana's.
    assert!(!morning.contains("Pull sales numbers"), "{morning}");
    let weekly = f.done("get_briefing", json!({"kind": "weekly", "date": "2026-11-23"}));
    assert!(weekly.starts_with("**Weekly review**"), "{weekly}");

    let suggested = f.done("suggest_tasks", json!({"context": "@home", "limit": 2}));
    let lines: Vec<&str> = suggested.lines().collect();
    assert_eq!(lines.len(), 2, "{suggested}");
    assert!(
        lines[0].starts_with("1. ") && lines[0].contains("@home") && lines[0].contains(" — "),
        "{suggested}"
    );
    let none = f.done("suggest_tasks", json!({"context": "moon"}));
    assert_eq!(none, "Nothing to suggest: no open task fits.");
}

#[test]
fn the_context_is_read_set_refused_and_inferred_again_for_the_person_who_asks() {
    let f = fixture();
    // Monday 08:00, before work hours.
    assert_eq!(f.done("get_context", json!({})), "@home — outside work hours");
    let own = f.done("suggest_tasks", json!({"limit": 2}));
    assert!(
        own.starts_with("Context @home (outside work hours); 90 minutes until standup\n1. "),
        "{own}"
    );
    assert_eq!(
        f.done("set_context", json!({"context": "phone"})),
        "@phone — set until the end of the day"
    );
    assert_eq!(
        f.done("get_context", json!({})),
        "@phone — set until the end of the day"
    );
    let ben = f
        .registry
        .call(&f.ctx_of("Ben", "ben"), "get_context", &json!({}));
    assert_eq!(ben, Outcome::Done("@home — outside work hours".into()));

    let refused = f.failed("set_context", json!({"context": "@moon"}));
    assert!(
        refused.contains("\"@moon\" is not one of the team's contexts")
            && refused.contains("@phone, @errands, @computer, @home, or auto"),
        "{refused}"
    );
    assert_eq!(
        f.done("get_context", json!({})),
        "@phone — set until the end of the day"
    );
    assert!(f.failed("set_context", json!({})).contains("context"));

    assert_eq!(
        f.done("set_context", json!({"context": "auto"})),
        "@home — outside work hours"
    );
    assert!(f.registry.changes("set_context") && !f.registry.changes("get_context"));
}

#[test]
fn the_weekly_review_is_walked_by_the_model_in_the_words_a_person_types() {
    let f = fixture();
    let first = f.done("weekly_review", json!({}));
    assert!(first.starts_with("Step 1 of 19: Empty the inbox"), "{first}");
    f.done("weekly_review", json!({"answer": "next"}));
    f.done("weekly_review", json!({"answer": "next"}));
    let archive = f.done("weekly_review", json!({"answer": "next"}));
    assert!(
        archive.contains("Step 4 of 19: Archive completed tasks") && archive.contains("4 done tasks"),
        "{archive}"
    );
    let archived = f.done("weekly_review", json!({"answer": "archive"}));
    assert!(archived.contains("Step 5 of 19"), "{archived}");
    let wrong = f.failed("weekly_review", json!({"answer": "archive"}));
    assert!(
        wrong.contains("\"archive\" is not an answer here; say one of: next"),
        "{wrong}"
    );
    f.done("weekly_review", json!({"answer": "next"}));
    let overdue = f.done("weekly_review", json!({"answer": "next"}));
    assert!(overdue.contains("[jyfb] Fix broken contact form"), "{overdue}");
    let refused = f.failed("weekly_review", json!({"answer": "drop"}));
    assert!(refused.contains("use delete_task"), "{refused}");
    let moved = f.done("weekly_review", json!({"answer": "due fri"}));
    assert!(
        moved.contains("due:2026-11-27") && moved.contains("[bwtz]"),
        "{moved}"
    );
    let again = f.done("weekly_review", json!({"restart": true}));
    assert!(again.starts_with("Step 1 of 19"), "{again}");
    assert!(f.registry.changes("weekly_review"));
}

#[test]
fn archive_tasks_moves_the_done_tasks_to_done_txt() {
    let f = fixture();
    let done_before = f
        .file("todo.txt")
        .lines()
        .filter(|line| line.starts_with("x "))
        .count();
    assert_eq!(done_before, 4);
    let archived = f.done("archive_tasks", json!({}));
    assert_eq!(archived, "Archive 4 done tasks");
    assert!(!f.file("todo.txt").lines().any(|line| line.starts_with("x ")));
    assert!(
        f.file("done.txt")
            .contains("x 2026-11-19 2026-11-11 Order new kitchen tap +kitchen @computer\n")
    );
    assert_eq!(f.last_commit(), ("Ana".to_string(), archived));
    let before = (f.file("todo.txt"), f.file("done.txt"), f.commits());
    let again = f.failed("archive_tasks", json!({}));
    assert_eq!(again, "there are no done tasks to archive");
    let unknown = f.failed("archive_tasks", json!({"all": true}));
    assert!(unknown.contains("unknown field `all`"), "{unknown}");
    assert_eq!((f.file("todo.txt"), f.file("done.txt"), f.commits()), before);
}

#[test]
fn waiting_for_items_are_received_and_their_followup_moved() {
    let f = fixture();
    let moved = f.done(
        "waiting_followup",
        json!({"item": "Marketing spend", "when": "fri"}),
    );
    let line = f
        .file("todo.txt")
        .lines()
        .find(|line| line.contains("Marketing spend"))
        .unwrap()
        .to_string();
    assert!(line.ends_with("followup:2026-11-27"), "{line}");
    assert!(
        moved.starts_with("Now ") && moved.ends_with(&format!(": {line}")),
        "{moved}"
    );
    let cleared = f.done(
        "waiting_followup",
        json!({"item": "Marketing spend", "when": "none"}),
    );
    assert!(!cleared.contains("followup:"), "{cleared}");

    let received = f.done("waiting_received", json!({"item": "Countertop quote"}));
    assert!(received.contains("Countertop quote"), "{received}");
    assert!(
        f.file("todo.txt")
            .lines()
            .any(|line| line.starts_with("x 2026-11-23 ") && line.contains("Countertop quote")),
        "{}",
        f.file("todo.txt")
    );
    assert_eq!(f.last_commit().0, "Ana");

    // Not a waiting-for item, a bad date, an unknown item: nothing changes.
    let before = (f.file("todo.txt"), f.commits());
    let not_waiting = f.failed("waiting_received", json!({"item": "contact form"}));
    assert!(not_waiting.contains("is not a waiting-for item"), "{not_waiting}");
    let done_already = f.failed("waiting_received", json!({"item": "Countertop quote"}));
    assert!(done_already.contains("Countertop quote"), "{done_already}");
    let bad_day = f.failed(
        "waiting_followup",
        json!({"item": "Footer design", "when": "the 31st of february"}),
    );
    assert!(!bad_day.is_empty());
    let missing = f.failed("waiting_followup", json!({"item": "Footer design"}));
    assert!(missing.contains("missing field `when`"), "{missing}");
    assert_eq!((f.file("todo.txt"), f.commits()), before);
}

#[test]
fn sync_on_a_local_store_says_there_is_no_remote() {
    let f = fixture();
    assert_eq!(
        f.done("sync", json!({})),
        "A local store: there is no remote to sync with."
    );
    assert!(
        f.failed("sync", json!({"force": true}))
            .contains("unknown field `force`")
    );
}

#[test]
fn a_project_is_shown_made_and_linked_and_a_goal_made() {
    let f = fixture();
    let (Outcome::Done(shown), Some(data)) =
        f.registry
            .call_with_data(&f.ctx(), "show_project", &json!({"slug": "+kitchen"}))
    else {
        panic!("show_project answers with data");
    };
    assert!(
        shown.starts_with("+kitchen: Kitchen renovation, waiting on the countertop quote\nStatus: blocked\n"),
        "{shown}"
    );
    assert!(shown.contains("Open tasks, most urgent first:"), "{shown}");
    assert_eq!(
        (&data["slug"], &data["kind"]),
        (&json!("kitchen"), &json!("project"))
    );
    for task in data["tasks"].as_array().unwrap() {
        assert!(task["raw"].as_str().unwrap().contains("+kitchen"), "{task}");
    }
    let unknown = f.failed("show_project", json!({"slug": "moon-base"}));
    assert!(unknown.contains("moon-base"), "{unknown}");

    let created = f.done(
        "create_project",
        json!({"slug": "balcony", "text": "Plan the balcony", "owner": "Ana", "due": "dec 31", "goal": "home-refresh", "area": "home"}),
    );
    let line = last_line(&f.file("projects.txt")).to_string();
    assert_eq!(created, format!("Added project to projects.txt: {line}"));
    assert!(
        line.starts_with("+balcony Plan the balcony ")
            && line.contains("owner:ana")
            && line.contains("due:2026-12-31")
            && line.contains("goal:home-refresh"),
        "{line}"
    );
    assert_eq!(f.last_commit().0, "Ana");

    let goal = f.done(
        "create_goal",
        json!({"slug": "calm-q1", "text": "A calmer first quarter telos:mission", "quarter": "2027Q1"}),
    );
    let goal_line = last_line(&f.file("goals.txt")).to_string();
    assert_eq!(goal, format!("Added goal to goals.txt: {goal_line}"));
    assert!(
        goal_line.contains("quarter:2027Q1") && goal_line.contains("telos:mission"),
        "{goal_line}"
    );

    let linked = f.done(
        "project_link",
        json!({"slug": "balcony", "url": "https://example.com/plan", "text": "The plan:"}),
    );
    assert_eq!(
        linked,
        "Logged: 2026-11-23 08:00 ana: The plan: https://example.com/plan +balcony"
    );
    assert_eq!(
        last_line(&f.file("log.txt")),
        "2026-11-23 08:00 ana: The plan: https://example.com/plan +balcony"
    );

    // A slug taken, a link that is not one, a goal that does not exist: nothing changes.
    let before = (
        f.file("projects.txt"),
        f.file("goals.txt"),
        f.file("log.txt"),
        f.commits(),
    );
    let taken = f.failed("create_project", json!({"slug": "kitchen", "text": "Again"}));
    assert!(taken.contains("kitchen"), "{taken}");
    let taken_goal = f.failed("create_goal", json!({"slug": "ship-v2", "text": "Again"}));
    assert!(taken_goal.contains("ship-v2"), "{taken_goal}");
    let not_a_link = f.failed("project_link", json!({"slug": "balcony", "url": "not a link"}));
    assert!(not_a_link.contains("not a link"), "{not_a_link}");
    let no_goal = f.failed(
        "create_project",
        json!({"slug": "moon", "text": "Go to the moon", "goal": "nope"}),
    );
    assert!(no_goal.contains("nope"), "{no_goal}");
    let bad_status = f.failed("create_goal", json!({"slug": "x", "text": "y", "status": "busy"}));
    assert!(bad_status.contains("unknown variant `busy`"), "{bad_status}");
    assert_eq!(
        (
            f.file("projects.txt"),
            f.file("goals.txt"),
            f.file("log.txt"),
            f.commits()
        ),
        before
    );
}

#[test]
fn telos_is_read_by_its_sections_with_the_goals_serving_each() {
    let f = fixture();
    let (Outcome::Done(all), Some(data)) = f.registry.call_with_data(&f.ctx(), "get_telos", &json!({}))
    else {
        panic!("get_telos answers with data");
    };
    let headings: Vec<&str> = data["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|section| section["heading"].as_str().unwrap())
        .collect();
    assert_eq!(
        headings,
        [
            "Telos",
            "Mission",
            "Values",
            "Current focus (Q4 2026)",
            "Not now",
            "Questions I keep asking"
        ]
    );
    assert_eq!(data["section"], Value::Null);
    assert!(
        all.starts_with("# Telos\n\n## Mission\nBuild calm, useful things"),
        "{all}"
    );
    let focus = f.done("get_telos", json!({"section": "current focus"}));
    assert_eq!(
        focus.lines().take(2).collect::<Vec<_>>(),
        [
            "## Current focus (Q4 2026)",
            "Goals serving it: +ship-v2 +grow-team +home-refresh +finances-in-order"
        ]
    );
    assert!(!focus.contains("Not now"), "{focus}");
    let unknown = f.failed("get_telos", json!({"section": "hobbies"}));
    assert_eq!(
        unknown,
        "telos.md has no section \"hobbies\"; its sections: telos, mission, values, \
         current-focus-q4-2026, not-now, questions-i-keep-asking"
    );
}

#[test]
fn the_agenda_gives_each_days_events_and_tasks_due() {
    let f = fixture();
    let (Outcome::Done(said), Some(data)) =
        f.registry
            .call_with_data(&f.ctx(), "get_agenda", &json!({"days": 3}))
    else {
        panic!("get_agenda answers with data");
    };
    let days = data["days"].as_array().unwrap();
    let dates: Vec<&str> = days.iter().map(|day| day["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-11-23", "2026-11-24", "2026-11-25"]);
    assert_eq!(days[0]["weekday"], "Mon");
    assert!(
        days[0]["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|event| event["text"] == "dentist"),
        "{data}"
    );
    for day in days {
        for task in day["due"].as_array().unwrap() {
            let raw = task["raw"].as_str().unwrap();
            assert!(
                raw.contains(&format!("due:{}", day["date"].as_str().unwrap())),
                "{task}"
            );
            assert!(said.contains(task["text"].as_str().unwrap()), "{said}");
        }
    }
    assert!(said.contains("dentist"), "{said}");
    let today = f.done("get_agenda", json!({"days": 1}));
    assert!(
        today.contains("\nMon 2026-11-23\n") && !today.contains("Tue 2026-11-24"),
        "{today}"
    );
    assert!(said.contains("\nTue 2026-11-24\n"), "{said}");
    let too_many = f.failed("get_agenda", json!({"days": 100000}));
    assert!(too_many.contains("100000"), "{too_many}");
}

#[test]
fn myorg_tools_lists_the_49_tools_with_their_schemas() {
    let dir = TempDir::new().unwrap();
    let out = support::stdout(&support::myorg(dir.path(), &["--store", "s", "tools"], &[]));
    let tools: Vec<&str> = out
        .lines()
        .filter(|line| !line.starts_with(' ') && line.contains(": "))
        .collect();
    assert_eq!(tools.len(), 49, "{out}");
    assert!(
        tools.contains(&"delete_task*: Delete a task (the person confirms first)."),
        "{out}"
    );
    assert!(out.contains("  {\"type\":\"object\""), "{out}");
    let estimate = out.lines().last().unwrap();
    assert!(
        estimate.starts_with("49 tools, about ")
            && estimate.contains(" tokens of definitions; the system prompt about ")
            && estimate.ends_with(" in all before the conversation)"),
        "{out}"
    );

    let json = support::myorg(dir.path(), &["--store", "s", "tools", "--json"], &[]);
    let definitions: Vec<Value> = serde_json::from_str(&support::stdout(&json)).unwrap();
    assert_eq!(definitions.len(), 49);
    assert_eq!(definitions, Registry::new().definitions());
    assert!(String::from_utf8_lossy(&json.stderr).starts_with("49 tools, about "));
}

/// `docs/tools.md` is `myorg tools --markdown`: regenerate it when a tool changes.
#[test]
fn docs_tools_md_is_what_myorg_tools_markdown_prints() {
    let dir = TempDir::new().unwrap();
    let page = support::stdout(&support::myorg(dir.path(), &["tools", "--markdown"], &[]));
    for name in Registry::new().names() {
        assert!(
            page.contains(&format!("\n## `{name}`\n")),
            "{name} missing:\n{page}"
        );
    }
    assert!(page.contains("| `text` | string | yes | The task; may hold +project @context key:value. |"));
    assert!(page.contains("## `delete_task`\n\n*asks first.* Delete a task"));
    let written = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/tools.md")).unwrap();
    assert!(
        written == page,
        "docs/tools.md is out of date: run `cargo run -q -- tools --markdown > docs/tools.md`"
    );
}

#[test]
fn odd_arguments_to_every_tool_give_an_answer_never_a_panic() {
    let f = fixture();
    let long = "word ".repeat(5000);
    let strings = [
        "",
        " ",
        "\n",
        "a\nb",
        "0",
        "-1",
        "99999",
        "..",
        "../..",
        ".",
        "/",
        "\u{0}",
        "é",
        "none",
        "+",
        "@",
        "x 2026-11-23",
        "(A)",
        "due:",
        "24:00",
        "2026-02-30",
        &long,
    ];
    let definitions = f.registry.definitions();
    let mut answers = 0;
    for definition in &definitions {
        let function = &definition["function"];
        let name = function["name"].as_str().unwrap();
        let properties = function["parameters"]["properties"].as_object().unwrap();
        for text in strings {
            for big in [false, true] {
                let arguments: serde_json::Map<String, Value> = properties
                    .iter()
                    .map(|(field, schema)| {
                        let value = match (schema["type"].as_str(), schema.get("enum")) {
                            (_, Some(values)) => values[0].clone(),
                            (Some("integer"), _) if big => json!(u64::MAX),
                            (Some("integer"), _) => json!(0),
                            (Some("boolean"), _) => json!(big),
                            _ => json!(text),
                        };
                        (field.clone(), value)
                    })
                    .collect();
                let outcome = f.registry.call(&f.ctx(), name, &Value::Object(arguments));
                match outcome {
                    Outcome::Done(text) | Outcome::Failed(text) => assert!(!text.is_empty(), "{name}"),
                    Outcome::NeedsConfirmation(pending) => {
                        let held = f.registry.directive(&f.config, name)
                            == myorg_assistant::config::Directive::Confirm;
                        assert!(f.registry.is_destructive(name) || held, "{name}");
                        assert!(!pending.preview.is_empty());
                    }
                }
                answers += 1;
            }
        }
    }
    assert_eq!(answers, definitions.len() * strings.len() * 2);
}

#[test]
fn a_change_the_directives_hold_runs_on_the_persons_yes_and_a_forbidden_one_never() {
    let mut f = fixture();
    f.config
        .directives
        .insert("add".to_string(), myorg_assistant::config::Directive::Confirm);
    f.config.directives.insert(
        "undo_change".to_string(),
        myorg_assistant::config::Directive::Never,
    );
    let Outcome::NeedsConfirmation(pending) = f.call("add_task", json!({"text": "Book the flights"})) else {
        panic!("add_task is held by the directives");
    };
    assert!(
        pending
            .preview
            .starts_with("By the team's directives, this waits for your word:"),
        "{}",
        pending.preview
    );
    assert!(!f.file("todo.txt").contains("Book the flights"));
    let Outcome::Done(done) = f.registry.confirm(&f.ctx(), &pending) else {
        panic!("the person's yes runs it");
    };
    assert!(done.contains("Book the flights"), "{done}");
    assert!(f.file("todo.txt").contains("Book the flights"));
    let refused = f.failed("undo_change", json!({}));
    assert!(
        refused.starts_with("the team's directives never let the assistant use undo_change"),
        "{refused}"
    );
    assert_eq!(
        f.registry.directive(&f.config, "complete_task"),
        myorg_assistant::config::Directive::Auto
    );
    let mut wrong = Config::default();
    wrong
        .directives
        .insert("fly".to_string(), myorg_assistant::config::Directive::Never);
    assert!(
        f.registry
            .check_directives(&wrong)
            .unwrap_err()
            .to_string()
            .starts_with("directives names fly")
    );
}

#[test]
fn the_teams_directives_in_the_store_hold_from_the_next_call_and_the_model_cannot_rewrite_them() {
    let f = fixture();
    let settings = f.store.root().join(".myorg/settings.toml");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, "[team.directives]\ndelete = \"never\"\n").unwrap();
    let refused = f.failed("delete_task", json!({"task": "1"}));
    assert!(
        refused.starts_with("the team's directives never let the assistant use delete_task"),
        "{refused}"
    );
    // Nor can the model lift the directive by writing the file.
    for (tool, arguments) in [
        (
            "write_file",
            json!({"path": ".myorg/settings.toml", "content": "[team.directives]\n"}),
        ),
        (
            "append_file",
            json!({"path": "./.myorg/Settings.toml", "text": "delete = \"auto\""}),
        ),
    ] {
        let refused = f.failed(tool, arguments);
        assert!(
            refused.contains("change with `myorg settings` or /settings"),
            "{tool}: {refused}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&settings).unwrap(),
        "[team.directives]\ndelete = \"never\"\n"
    );
}

#[test]
fn messages_to_others_wait_for_a_yes_unless_the_team_says_auto_and_go_out_once_drained() {
    let mut f = fixture();
    // By default, saying something to others in the person's name waits for them.
    let pending = f.pending("tell_team", json!({"text": "Standup moves to 10:00"}));
    assert!(pending.preview.contains("tell_team"), "{}", pending.preview);
    let outbox = f.store.state_dir().join("outbox.jsonl");
    assert!(!outbox.exists());
    let Outcome::Done(done) = f.registry.confirm(&f.ctx(), &pending) else {
        panic!("the person's yes sends it");
    };
    assert_eq!(done, "Sent to the team channel: From Ana: Standup moves to 10:00");
    // The team lets the model post on its own, and forbids escalations.
    f.config
        .directives
        .insert("post".to_string(), myorg_assistant::config::Directive::Auto);
    f.config
        .directives
        .insert("escalate".to_string(), myorg_assistant::config::Directive::Never);
    let done = f.done("tell_team", json!({"text": "Lunch is on me"}));
    assert!(done.ends_with("From Ana: Lunch is on me"), "{done}");
    let refused = f.failed("escalate_task", json!({"task": "1"}));
    assert!(
        refused.starts_with("the team's directives never let the assistant use escalate_task"),
        "{refused}"
    );
    // Someone unknown, or nothing to say: nothing is queued.
    f.config
        .directives
        .insert("dm".to_string(), myorg_assistant::config::Directive::Auto);
    let unknown = f.failed("message_person", json!({"person": "zoe", "text": "hi"}));
    assert!(unknown.starts_with("no one called \"zoe\""), "{unknown}");
    assert!(!f.failed("tell_team", json!({"text": "  "})).is_empty());

    /// Keeps what it is given.
    #[derive(Default)]
    struct Kept(Vec<myorg_domain::reminders::Message>);
    impl myorg_assistant::reminders::Deliver for Kept {
        fn deliver(&mut self, message: &myorg_domain::reminders::Message) -> anyhow::Result<()> {
            self.0.push(message.clone());
            Ok(())
        }
    }
    let mut kept = Kept::default();
    assert_eq!(
        myorg_assistant::app::outbox::drain(f.store.state_dir(), &mut kept).unwrap(),
        2
    );
    assert_eq!(
        myorg_assistant::app::outbox::drain(f.store.state_dir(), &mut kept).unwrap(),
        0
    );
    let said: Vec<(&str, &str)> = kept.0.iter().map(|m| (m.to.as_str(), m.text.as_str())).collect();
    assert_eq!(
        said,
        [
            ("@team", "From Ana: Standup moves to 10:00"),
            ("@team", "From Ana: Lunch is on me")
        ]
    );
}

#[test]
fn several_tasks_complete_or_change_in_one_commit_and_more_than_three_wait_for_the_person() {
    let mut f = fixture();
    let line = |n: usize| f.file("todo.txt").lines().nth(n - 1).unwrap().to_string();
    let (commits, todo) = (f.commits(), f.file("todo.txt"));
    // One unknown or done task: nothing changes, the error names it.
    let unknown = f.failed("complete_task", json!({"refs": ["1", "zzzz"]}));
    assert!(
        unknown.contains("no task has the reference \"zzzz\""),
        "{unknown}"
    );
    let ambiguous = f.failed("update_task", json!({"refs": ["1", "Dani"], "owner": "ben"}));
    assert!(ambiguous.contains("say which one"), "{ambiguous}");
    let both = f.failed("complete_task", json!({"task": "1", "refs": ["3"]}));
    assert!(both.contains("not both"), "{both}");
    let text = f.failed("update_task", json!({"refs": ["1", "3"], "text": "New words"}));
    assert!(text.contains("new text is for one task"), "{text}");
    assert_eq!((f.commits(), f.file("todo.txt")), (commits, todo));

    let edited = f.done("update_task", json!({"refs": ["1", "3"], "owner": "ben"}));
    assert!(edited.starts_with("Edit 2 tasks: "), "{edited}");
    assert!(line(1).ends_with("owner:ben") && line(3).ends_with("owner:ben"));
    let completed = f.done("complete_task", json!({"refs": ["1", "3"]}));
    assert!(completed.starts_with("Complete 2 tasks: "), "{completed}");
    assert!(line(1).starts_with("x 2026-11-23 ") && line(3).starts_with("x 2026-11-23 "));
    assert_eq!(f.commits(), commits + 2);

    // Four at once wait for the person's yes.
    let Outcome::NeedsConfirmation(pending) =
        f.call("complete_task", json!({"refs": ["5", "12", "14", "17"]}))
    else {
        panic!("four tasks at once are held");
    };
    assert!(
        pending.preview.starts_with("Complete 4 tasks at once:"),
        "{}",
        pending.preview
    );
    assert_eq!(f.commits(), commits + 2);
    let Outcome::Done(said) = f.registry.confirm(&f.ctx(), &pending) else {
        panic!("the person's yes applies it");
    };
    assert!(said.contains("Complete 4 tasks"), "{said}");
    assert_eq!(f.commits(), commits + 3);
    for n in [5, 12, 14, 17] {
        assert!(line(n).starts_with("x 2026-11-23 "), "{}", line(n));
    }

    // The team's bulk directive: confirm holds two, never refuses them, one task is as ever.
    f.config
        .directives
        .insert("bulk".to_string(), myorg_assistant::config::Directive::Confirm);
    assert!(matches!(
        f.call("update_task", json!({"refs": ["2", "6"], "owner": "ana"})),
        Outcome::NeedsConfirmation(_)
    ));
    f.config
        .directives
        .insert("bulk".to_string(), myorg_assistant::config::Directive::Never);
    let refused = f.failed("update_task", json!({"refs": ["2", "6"], "owner": "ana"}));
    assert!(
        refused.contains("never let the assistant change several tasks"),
        "{refused}"
    );
    f.done("update_task", json!({"refs": ["2"], "owner": "ana"}));
    assert!(f.registry.check_directives(&f.config).is_ok());
    assert_eq!(f.commits(), commits + 4);
}
