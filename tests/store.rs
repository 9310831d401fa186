//! The git-backed store against temporary directories and local bare remotes: one
//! commit per operation, hand edits first, replay when the remote moved, nothing lost
//! when the remote is down or the process crashed. No network.

use chrono::NaiveDate;
use git2::Repository;
use myorg_assistant::store::{Actor, Operation, Store, StoreSettings};
use std::path::Path;
use tempfile::TempDir;

fn ana() -> Actor {
    Actor {
        name: "Ana".into(),
        email: "ana@example.com".into(),
        via: "cli".into(),
    }
}

fn add(line: &str) -> Operation {
    Operation::AddTask { line: line.into() }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn bare_remote(dir: &TempDir) -> String {
    let path = dir.path().join("remote.git");
    Repository::init_bare(&path).unwrap();
    path.to_str().unwrap().to_string()
}

fn settings(root: &Path, remote: Option<&str>) -> StoreSettings {
    match remote {
        Some(url) => StoreSettings::local(root).with_remote(url),
        None => StoreSettings::local(root),
    }
}

fn todo(store: &Store) -> String {
    String::from_utf8(store.read("todo.txt").unwrap()).unwrap()
}

/// Commit subjects of `branch` in `repo_path`, newest first.
fn subjects(repo_path: &str, reference: &str) -> Vec<String> {
    let repo = Repository::open(repo_path).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push(repo.refname_to_id(reference).unwrap()).unwrap();
    walk.map(|oid| {
        repo.find_commit(oid.unwrap())
            .unwrap()
            .summary()
            .unwrap()
            .unwrap()
            .to_string()
    })
    .collect()
}

fn remote_file(remote: &str, path: &str) -> String {
    let repo = Repository::open(remote).unwrap();
    let tree = repo
        .find_reference("refs/heads/main")
        .unwrap()
        .peel_to_tree()
        .unwrap();
    let blob = repo
        .find_blob(tree.get_path(Path::new(path)).unwrap().id())
        .unwrap();
    String::from_utf8(blob.content().to_vec()).unwrap()
}

#[test]
fn a_fresh_local_store_comes_from_the_template_and_each_operation_is_one_commit() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    let store = Store::open(settings(&root, None)).unwrap();
    assert!(
        todo(&store).contains("+q4-report"),
        "the bundled template is there"
    );
    let applied = store.apply(add("2026-11-22 Call Mum +family"), &ana()).unwrap();
    assert_eq!(applied.summary, "Add task: Call Mum +family");
    assert!(applied.push.local_only);
    assert!(todo(&store).ends_with("2026-11-22 Call Mum +family\n"));

    let repo = Repository::open(&root).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.author().name().unwrap(), "Ana");
    assert_eq!(head.author().email().unwrap(), "ana@example.com");
    assert_eq!(head.committer().name().unwrap(), "MyOrg Assistant");
    let message = head.message().unwrap();
    assert!(
        message.contains("\n\nRequested-by: Ana (cli)\nOperation-Id: "),
        "{message}"
    );
    assert_eq!(head.parent_count(), 1);
    assert_eq!(
        head.parent(0).unwrap().summary().unwrap().unwrap(),
        "Create the store from the template"
    );
    assert!(store.status().unwrap().changed.is_empty());
}

#[test]
fn an_operation_that_does_not_apply_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let store = Store::open(settings(&dir.path().join("store"), None)).unwrap();
    let before = store.status().unwrap().head;
    let err = store
        .apply(
            Operation::CompleteTask {
                line: "no such task".into(),
                on: today(),
            },
            &ana(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("no longer in todo.txt"), "{err}");
    let err = store.apply(add("   "), &ana()).unwrap_err();
    assert!(err.to_string().contains("needs some text"), "{err}");
    assert_eq!(store.status().unwrap().head, before);
    assert_eq!(store.status().unwrap().pending, 0);
}

#[test]
fn hand_edits_are_committed_before_the_operation() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    let store = Store::open(settings(&root, None)).unwrap();
    let edited = format!("{}typed on my phone\r\n", todo(&store));
    std::fs::write(root.join("todo.txt"), &edited).unwrap();
    std::fs::write(root.join("notes.md"), "new file\n").unwrap();
    store
        .apply(add("2026-11-22 After the hand edit"), &ana())
        .unwrap();
    let subjects = subjects(root.to_str().unwrap(), "HEAD");
    assert_eq!(subjects[0], "Add task: After the hand edit");
    assert_eq!(subjects[1], "Save edits made outside the assistant");
    let text = todo(&store);
    assert!(text.starts_with(&edited), "the hand edit is kept byte for byte");
    // The new line takes the file's usual ending (LF), not the hand-edited line's CRLF.
    assert!(
        text.ends_with("typed on my phone\r\n2026-11-22 After the hand edit\n"),
        "{text:?}"
    );
    assert!(root.join("notes.md").exists());
}

#[test]
fn a_hand_edit_right_after_a_write_is_seen_by_the_next_operation() {
    // The store keeps todo.txt parsed between operations; an edit of the same size,
    // made within the same timestamp tick as the store's own write, must still count.
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    let store = Store::open(settings(&root, None)).unwrap();
    for round in 0..20 {
        store
            .apply(add(&format!("2026-11-22 Written {round}")), &ana())
            .unwrap();
        let current = todo(&store);
        let edited = current.replacen(&format!("Written {round}"), &format!("Changed {round}"), 1);
        assert_eq!(edited.len(), current.len());
        std::fs::write(root.join("todo.txt"), &edited).unwrap();
        store
            .apply(add(&format!("2026-11-22 After {round}")), &ana())
            .unwrap();
        let text = todo(&store);
        assert!(
            text.contains(&format!("Changed {round}\n")),
            "round {round}: {text}"
        );
        assert!(!text.contains(&format!("Written {round}\n")), "round {round}");
    }
}

#[test]
fn rewriting_a_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    let store = Store::open(settings(&root, None)).unwrap();
    let mode = |path: &str| std::fs::metadata(root.join(path)).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode("todo.txt") & 0o644,
        0o644,
        "a new store's files are readable"
    );
    std::fs::set_permissions(root.join("todo.txt"), std::fs::Permissions::from_mode(0o640)).unwrap();
    store.apply(add("2026-11-22 Keep my mode"), &ana()).unwrap();
    assert_eq!(mode("todo.txt"), 0o640);
}

#[test]
fn when_the_remote_moved_the_operation_is_replayed_on_its_head() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let a = Store::open(settings(&dir.path().join("a"), Some(&remote))).unwrap();
    assert!(
        a.status().unwrap().unpushed == 0,
        "the template commit was pushed"
    );
    let b = Store::open(settings(&dir.path().join("b"), Some(&remote))).unwrap();
    assert_eq!(todo(&a), todo(&b), "b is a clone of what a pushed");

    let first_head = Repository::open(&remote)
        .unwrap()
        .refname_to_id("refs/heads/main")
        .unwrap();
    assert!(b.apply(add("2026-11-22 From b"), &ana()).unwrap().push.pushed);
    let applied = a.apply(add("2026-11-22 From a"), &ana()).unwrap();
    assert!(applied.push.pushed, "{:?}", applied.push);
    assert!(applied.push.dropped.is_empty());

    let text = remote_file(&remote, "todo.txt");
    assert_eq!(text.matches("From b").count(), 1);
    assert_eq!(text.matches("From a").count(), 1);
    assert!(
        text.find("From b") < text.find("From a"),
        "a's task is added on top of b's"
    );
    let repo = Repository::open(&remote).unwrap();
    let head = repo.refname_to_id("refs/heads/main").unwrap();
    assert!(
        repo.graph_descendant_of(head, first_head).unwrap(),
        "history only moves forward"
    );
    assert_eq!(a.status().unwrap().unpushed, 0);
    assert_eq!(a.status().unwrap().pending, 0);
}

#[test]
fn an_operation_whose_task_changed_remotely_is_reported_not_forced() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let a = Store::open(settings(&dir.path().join("a"), Some(&remote))).unwrap();
    a.apply(add("2026-11-20 Pay rent"), &ana()).unwrap();
    let b = Store::open(settings(&dir.path().join("b"), Some(&remote))).unwrap();
    // b rewrites the line by hand, so that it is no longer clearly the same task, and
    // pushes it.
    let edited = todo(&b).replace(
        "2026-11-20 Pay rent",
        "2026-11-20 Transfer the December money to the landlord due:2026-11-30",
    );
    std::fs::write(b.root().join("todo.txt"), edited).unwrap();
    b.sync().unwrap();

    let applied = a
        .apply(
            Operation::CompleteTask {
                line: "2026-11-20 Pay rent".into(),
                on: today(),
            },
            &ana(),
        )
        .unwrap();
    assert!(applied.push.pushed);
    assert_eq!(applied.push.dropped.len(), 1, "{:?}", applied.push);
    assert!(applied.push.dropped[0].why.contains("no longer in todo.txt"));
    assert_eq!(applied.push.dropped[0].requested_by, ana());
    let text = remote_file(&remote, "todo.txt");
    assert!(
        text.contains("2026-11-20 Transfer the December money to the landlord due:2026-11-30"),
        "b's edit survives"
    );
    assert!(
        !text.contains("x 2026-11-22"),
        "a's completion was not forced onto the changed task"
    );
    // The intent is kept where a person finds it, and listed until acknowledged.
    let log = remote_file(&remote, "log.txt");
    assert!(
        log.contains("Ana: Not applied after a sync: Complete task: Pay rent. Why: the task"),
        "{log}"
    );
    let unapplied = a.status().unwrap().unapplied;
    assert_eq!(unapplied.len(), 1, "{unapplied:?}");
    assert!(unapplied[0].told, "the report above told it");
    assert_eq!(a.acknowledge().unwrap(), 1);
    assert!(a.status().unwrap().unapplied.is_empty());
}

#[test]
fn a_completion_follows_its_task_when_only_its_due_date_changed_remotely() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let a = Store::open(settings(&dir.path().join("a"), Some(&remote))).unwrap();
    a.apply(add("2026-11-20 Pay rent +home"), &ana()).unwrap();
    let b = Store::open(settings(&dir.path().join("b"), Some(&remote))).unwrap();
    let edited = todo(&b).replace(
        "2026-11-20 Pay rent +home",
        "2026-11-20 Pay the rent +home due:2026-11-30",
    );
    std::fs::write(b.root().join("todo.txt"), edited).unwrap();
    b.sync().unwrap();

    let applied = a
        .apply(
            Operation::CompleteTask {
                line: "2026-11-20 Pay rent +home".into(),
                on: today(),
            },
            &ana(),
        )
        .unwrap();
    assert!(
        applied.push.pushed && applied.push.dropped.is_empty(),
        "{:?}",
        applied.push
    );
    assert_eq!(applied.push.retargeted.len(), 1, "{:?}", applied.push);
    assert!(
        applied.push.retargeted[0].contains("2026-11-20 Pay the rent +home due:2026-11-30"),
        "{:?}",
        applied.push.retargeted
    );
    let text = remote_file(&remote, "todo.txt");
    assert!(
        text.contains("x 2026-11-22 2026-11-20 Pay the rent +home due:2026-11-30"),
        "{text}"
    );
}

#[test]
fn while_the_remote_is_down_commits_wait_and_are_pushed_when_it_is_back() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let a = Store::open(settings(&dir.path().join("a"), Some(&remote))).unwrap();
    let away = dir.path().join("away.git");
    std::fs::rename(&remote, &away).unwrap();

    let applied = a.apply(add("2026-11-22 Written offline"), &ana()).unwrap();
    assert!(!applied.push.pushed);
    assert!(applied.push.error.is_some());
    a.apply(add("2026-11-22 Also offline"), &ana()).unwrap();
    let status = a.status().unwrap();
    assert_eq!(status.unpushed, 2);
    assert_eq!(status.pending, 2);
    assert!(status.last_error.is_some());
    drop(a);

    // A restart while offline keeps everything.
    std::fs::rename(&away, &remote).unwrap();
    let a = Store::open(settings(&dir.path().join("a"), Some(&remote))).unwrap();
    let status = a.status().unwrap();
    assert_eq!(
        (status.unpushed, status.pending, status.last_error),
        (0, 0, None),
        "pushed on open"
    );
    let text = remote_file(&remote, "todo.txt");
    assert!(text.contains("Written offline") && text.contains("Also offline"));
}

/// `operation` with the working-memory line `text`, the file kept to `keep` lines.
fn remembered(operation: Operation, text: &str, keep: usize) -> Operation {
    Operation::Remembered {
        operation: Box::new(operation),
        line: format!("2026-11-22 10:05 ana: {text}"),
        keep: Some(keep),
    }
}

fn website_status(status: &str) -> Operation {
    Operation::SetProjectStatus {
        list: myorg_assistant::store::operation::ProjectList::Projects,
        slug: "website".into(),
        status: status.into(),
        on: today(),
    }
}

#[test]
fn a_remembered_action_is_replayed_with_its_line_or_dropped_with_it() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let a = Store::open(settings(&dir.path().join("a"), Some(&remote))).unwrap();
    let b = Store::open(settings(&dir.path().join("b"), Some(&remote))).unwrap();
    let memory = remote_file(&remote, "working-memory.txt");
    let lines = memory.lines().count();

    // b remembers something first; a's status change, made on the older head, is
    // replayed on b's: both lines, in one commit with the status, the file kept to
    // its limit there.
    let decided = Operation::AppendMemory {
        line: "2026-11-22 10:00 ben: Launch on a Tuesday".into(),
        keep: None,
    };
    assert!(b.apply(decided, &ana()).unwrap().push.pushed);
    let applied = a
        .apply(
            remembered(website_status("done"), "project website → done", lines),
            &ana(),
        )
        .unwrap();
    assert!(
        applied.push.pushed && applied.push.dropped.is_empty(),
        "{:?}",
        applied.push
    );
    let now = remote_file(&remote, "working-memory.txt");
    let kept: Vec<&str> = now.lines().collect();
    assert_eq!(kept.len(), lines);
    assert_eq!(
        kept[lines - 2..],
        [
            "2026-11-22 10:00 ben: Launch on a Tuesday",
            "2026-11-22 10:05 ana: project website → done"
        ]
    );
    let moved = remote_file(&remote, "notes/working-memory/2026-11.md");
    let first_two: Vec<&str> = memory.lines().take(2).collect();
    assert_eq!(
        moved,
        format!("# Working memory, November 2026\n{}\n", first_two.join("\n"))
    );
    assert!(remote_file(&remote, "projects.txt").contains("+website"));
    let repo = Repository::open(&remote).unwrap();
    let head = repo
        .find_reference("refs/heads/main")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    let before = head.parent(0).unwrap().tree().unwrap();
    let diff = repo
        .diff_tree_to_tree(Some(&before), Some(&head.tree().unwrap()), None)
        .unwrap();
    let paths: Vec<String> = diff
        .deltas()
        .map(|delta| delta.new_file().path().unwrap().display().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "notes/working-memory/2026-11.md",
            "projects.txt",
            "working-memory.txt"
        ]
    );

    // b blocks the project meanwhile, and a's "blocked" no longer applies there: its
    // line does not stay behind alone.
    b.sync().unwrap();
    assert!(b.apply(website_status("blocked"), &ana()).unwrap().push.pushed);
    let applied = a
        .apply(
            remembered(website_status("blocked"), "project website → blocked", lines),
            &ana(),
        )
        .unwrap();
    assert_eq!(applied.push.dropped.len(), 1, "{:?}", applied.push);
    assert_eq!(remote_file(&remote, "working-memory.txt"), now);
}

#[test]
fn an_operation_journaled_but_not_committed_before_a_crash_is_applied_once() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    let store = Store::open(settings(&root, None)).unwrap();
    let before = todo(&store);
    drop(store);
    // The crash happened after the journal entry and the file write, before the commit.
    let line = r#"{"id":"crash-1","actor":{"name":"Ana","email":"ana@example.com","via":"cli"},"operation":{"kind":"add_task","line":"2026-11-22 Survives the crash"}}"#;
    std::fs::write(root.join(".git/myorg/journal.jsonl"), format!("{line}\n{{\"torn")).unwrap();
    std::fs::write(
        root.join("todo.txt"),
        format!("{before}2026-11-22 Survives the crash\n"),
    )
    .unwrap();

    let store = Store::open(settings(&root, None)).unwrap();
    let text = todo(&store);
    assert_eq!(text.matches("Survives the crash").count(), 1, "{text}");
    let subjects = subjects(root.to_str().unwrap(), "HEAD");
    assert_eq!(subjects[0], "Add task: Survives the crash");
    assert_ne!(
        subjects[1], "Save edits made outside the assistant",
        "the half-done write was not taken for a hand edit"
    );
    assert!(store.status().unwrap().changed.is_empty());
    assert_eq!(store.status().unwrap().pending, 0);
}

#[test]
fn conflicting_hand_edits_are_saved_beside_the_remote_version() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let a = Store::open(settings(&dir.path().join("a"), Some(&remote))).unwrap();
    let b = Store::open(settings(&dir.path().join("b"), Some(&remote))).unwrap();
    let original = todo(&a);
    let first = original.lines().next().unwrap().to_string();
    std::fs::write(
        b.root().join("todo.txt"),
        original.replacen(&first, "edited on b", 1),
    )
    .unwrap();
    b.sync().unwrap();
    std::fs::write(
        a.root().join("todo.txt"),
        original.replacen(&first, "edited on a", 1),
    )
    .unwrap();

    let applied = a.apply(add("2026-11-22 After the conflict"), &ana()).unwrap();
    assert!(applied.push.pushed, "{:?}", applied.push);
    assert_eq!(applied.push.saved_beside.len(), 1, "{:?}", applied.push);
    let beside = &applied.push.saved_beside[0];
    assert!(beside.starts_with("todo.txt.conflict-"));
    let text = remote_file(&remote, "todo.txt");
    assert!(text.starts_with("edited on b\n"), "the remote's version is kept");
    assert!(
        text.contains("After the conflict"),
        "the operation is replayed on top"
    );
    assert!(
        remote_file(&remote, beside).starts_with("edited on a\n"),
        "a's version is saved, not lost"
    );
}

#[test]
fn undo_reverts_the_newest_change_and_an_undo_can_itself_be_undone() {
    let dir = TempDir::new().unwrap();
    let store = Store::open(settings(&dir.path().join("store"), None)).unwrap();
    store.apply(add("2026-11-22 First"), &ana()).unwrap();
    store.apply(add("2026-11-22 Second"), &ana()).unwrap();
    let undone = store.undo(None, false, &ana()).unwrap();
    assert_eq!(undone.summary, "Undo: Add task: Second");
    assert!(todo(&store).contains("First") && !todo(&store).contains("Second"));
    let redone = store.undo(None, false, &ana()).unwrap();
    assert_eq!(redone.summary, "Undo: Undo: Add task: Second");
    assert!(todo(&store).ends_with("2026-11-22 First\n2026-11-22 Second\n"));
}

#[test]
fn undo_refuses_a_hand_edit_unless_forced_and_a_conflicting_undo_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    let store = Store::open(settings(&root, None)).unwrap();
    // At the top, far from where tasks are appended (adjacent changes would conflict).
    std::fs::write(root.join("todo.txt"), format!("by hand\n{}", todo(&store))).unwrap();
    store.apply(add("2026-11-22 Pay rent"), &ana()).unwrap();
    let hand = Repository::open(&root)
        .unwrap()
        .head()
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .parent_id(0)
        .unwrap();
    let hand = hand.to_string();
    let refused = store
        .undo(Some(&hand[..10]), false, &ana())
        .unwrap_err()
        .to_string();
    assert!(refused.contains("was not made by the assistant"), "{refused}");

    // Completing the task changed the line the add introduced: undoing the add conflicts.
    let add_commit = store.status().unwrap().head.unwrap();
    store
        .apply(
            Operation::CompleteTask {
                line: "2026-11-22 Pay rent".into(),
                on: today(),
            },
            &ana(),
        )
        .unwrap();
    let before = store.status().unwrap().head;
    let conflict = store
        .undo(Some(&add_commit), false, &ana())
        .unwrap_err()
        .to_string();
    assert!(conflict.contains("cannot be undone cleanly"), "{conflict}");
    assert_eq!(store.status().unwrap().head, before, "nothing was changed");
    assert!(
        store
            .undo(Some("no-such-commit"), false, &ana())
            .unwrap_err()
            .to_string()
            .contains("there is no commit")
    );

    store.undo(Some(&hand), true, &ana()).unwrap();
    assert!(!todo(&store).contains("by hand"), "forced undo of the hand edit");
    assert!(todo(&store).contains("x 2026-11-22 2026-11-22 Pay rent"));
}

#[test]
fn history_finds_the_changes_of_a_file_or_of_one_task() {
    let dir = TempDir::new().unwrap();
    let store = Store::open(settings(&dir.path().join("store"), None)).unwrap();
    store.apply(add("2026-11-22 Water the plants"), &ana()).unwrap();
    store.apply(add("2026-11-22 Something else"), &ana()).unwrap();
    store
        .apply(
            Operation::CompleteTask {
                line: "2026-11-22 Water the plants".into(),
                on: today(),
            },
            &ana(),
        )
        .unwrap();

    let task: Vec<String> = store
        .history(&["todo.txt", "done.txt"], Some("Water the plants"), 10)
        .unwrap()
        .into_iter()
        .map(|c| c.subject)
        .collect();
    assert_eq!(
        task,
        ["Complete task: Water the plants", "Add task: Water the plants"]
    );
    let calendar = store.history(&["calendar.txt"], None, 10).unwrap();
    assert_eq!(calendar.len(), 1);
    assert_eq!(calendar[0].subject, "Create the store from the template");
    assert_eq!(store.history(&[], None, 2).unwrap().len(), 2, "the limit holds");
}

/// A crash after the push and before the journal was cleared must not apply the
/// operation a second time on restart.
#[test]
fn a_journal_entry_already_pushed_is_not_applied_again() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let root = dir.path().join("a");
    let store = Store::open(settings(&root, Some(&remote))).unwrap();
    store
        .apply(add("2026-11-22 Pushed just before the crash"), &ana())
        .unwrap();
    drop(store);
    let repo = Repository::open(&root).unwrap();
    let message = repo
        .head()
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .message()
        .unwrap()
        .to_string();
    let id = message
        .lines()
        .find_map(|l| l.strip_prefix("Operation-Id: "))
        .unwrap();
    let entry = format!(
        r#"{{"id":"{id}","actor":{{"name":"Ana","email":"ana@example.com","via":"cli"}},"operation":{{"kind":"add_task","line":"2026-11-22 Pushed just before the crash"}}}}"#
    );
    std::fs::write(root.join(".git/myorg/journal.jsonl"), format!("{entry}\n")).unwrap();

    let store = Store::open(settings(&root, Some(&remote))).unwrap();
    assert_eq!(todo(&store).matches("Pushed just before the crash").count(), 1);
    assert_eq!(
        remote_file(&remote, "todo.txt")
            .matches("Pushed just before the crash")
            .count(),
        1
    );
    assert_eq!(store.status().unwrap().pending, 0);
}

/// Found by the concurrency test: a remote that loses a pushed commit (a ref updated
/// without compare-and-swap) made the next replay cherry-pick the lost operation,
/// which conflicted with the other side's append and landed in a conflict file.
#[test]
fn an_operation_the_remote_lost_after_its_push_is_replayed_by_intent() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let a = Store::open(settings(&dir.path().join("a"), Some(&remote))).unwrap();
    let b = Store::open(settings(&dir.path().join("b"), Some(&remote))).unwrap();
    let bare = Repository::open(&remote).unwrap();
    let before = bare.refname_to_id("refs/heads/main").unwrap();
    assert!(
        a.apply(add("2026-11-22 Lost by the remote"), &ana())
            .unwrap()
            .push
            .pushed
    );
    bare.reference("refs/heads/main", before, true, "the remote loses a commit")
        .unwrap();
    assert!(b.apply(add("2026-11-22 From b"), &ana()).unwrap().push.pushed);

    let applied = a.apply(add("2026-11-22 Next from a"), &ana()).unwrap();
    assert!(applied.push.pushed, "{:?}", applied.push);
    assert!(
        applied.push.saved_beside.is_empty(),
        "no conflict file: {:?}",
        applied.push
    );
    let text = remote_file(&remote, "todo.txt");
    for line in ["Lost by the remote", "From b", "Next from a"] {
        assert_eq!(text.matches(line).count(), 1, "{line}: {text}");
    }
}

#[test]
fn a_long_reflog_is_bounded_when_the_store_opens() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    drop(Store::open(settings(&root, None)).unwrap());
    let log = root.join(".git/logs/HEAD");
    let last = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    std::fs::write(&log, format!("{last}\n").repeat(2500)).unwrap();
    let store = Store::open(settings(&root, None)).unwrap();
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1000);
    store.apply(add("2026-11-22 Still works"), &ana()).unwrap();
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1001);
}

/// Every file of the store's working tree (`.git` aside) with its bytes.
fn working_tree(root: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Applying an operation that names what it changes a second time (a retry, a
/// second delivery, a replay) changes nothing: it no longer applies, and no commit
/// is made. (Adding a task, a log entry or a line to a file is meant to add again.)
#[test]
fn applying_the_same_operation_twice_changes_the_store_once() {
    use myorg_assistant::store::operation::{ProjectList, content_hash};
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("s");
    let store = Store::open(settings(&root, None)).unwrap();
    for line in [
        "Renew the passport +admin",
        "2026-11-20 Call the bank due:2026-11-25",
        "Water the plants rec:1w due:2026-11-22",
        "2026-11-22 Stretch rec:1d",
        "x 2026-11-21 Old chore",
    ] {
        store.apply(add(line), &ana()).unwrap();
    }
    let added = store.apply(add("Added by mistake"), &ana()).unwrap();
    let telos = std::fs::read(root.join("telos.md")).unwrap();
    let operations = [
        // First: later changes to todo.txt's last lines would keep it from reverting.
        store.undo_operation(Some(&added.commit), false).unwrap(),
        Operation::CompleteTask {
            line: "Water the plants rec:1w due:2026-11-22".into(),
            on: today(),
        },
        Operation::CompleteTask {
            line: "2026-11-22 Stretch rec:1d".into(),
            on: today(),
        },
        Operation::UpdateTask {
            line: "2026-11-20 Call the bank due:2026-11-25".into(),
            new_line: "2026-11-20 Call the bank due:2026-11-30".into(),
        },
        Operation::DeleteTask {
            line: "Renew the passport +admin".into(),
        },
        Operation::Archive,
        Operation::SetProjectStatus {
            list: ProjectList::Projects,
            slug: "kitchen".into(),
            status: "done".into(),
            on: today(),
        },
        Operation::AddProject {
            list: ProjectList::Projects,
            line: "Garden shed +shed status:planning".into(),
        },
        Operation::WriteFile {
            path: "telos.md".into(),
            content: "# Telos\n\nRewritten.\n".into(),
            base: content_hash(&telos),
        },
    ];
    for operation in operations {
        store
            .apply(operation.clone(), &ana())
            .unwrap_or_else(|error| panic!("{operation:?} the first time: {error:#}"));
        let files = working_tree(&root);
        let head = Repository::open(&root).unwrap().head().unwrap().target();
        let again = store.apply(operation.clone(), &ana());
        assert!(again.is_err(), "{operation:?} applied twice: {again:?}");
        assert_eq!(working_tree(&root), files, "{operation:?} changed files twice");
        let head_now = Repository::open(&root).unwrap().head().unwrap().target();
        assert_eq!(head_now, head, "{operation:?} committed twice");
    }
}
