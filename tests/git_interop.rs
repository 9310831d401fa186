//! The store next to git itself: a person's `git push` to the same bare remote is
//! replayed on, never overwritten; a branch git has locked is left alone; objects
//! packed by `git gc` still reach the remote; a merge left with conflicts is settled
//! keeping both sides; a rebase in progress stops writes. No network.

use git2::Repository;
use myorg_assistant::store::{Actor, Operation, Store, StoreSettings};
use std::path::Path;
use std::process::Command;
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

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Ben", "-c", "user.email=ben@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A store with a bare remote, and the remote's path.
fn store_with_remote(dir: &TempDir) -> (Store, std::path::PathBuf) {
    let remote = dir.path().join("remote.git");
    Repository::init_bare(&remote).unwrap();
    let store = Store::open(StoreSettings::local(dir.path().join("a")).with_remote(remote.to_str().unwrap()))
        .unwrap();
    (store, remote)
}

fn remote_todo(remote: &Path) -> String {
    git(remote, &["show", "main:todo.txt"])
}

#[test]
fn a_push_by_git_meanwhile_is_kept_and_the_operation_replayed_on_it() {
    let dir = TempDir::new().unwrap();
    let (store, remote) = store_with_remote(&dir);
    let ben = dir.path().join("ben");
    git(
        dir.path(),
        &["clone", "-q", "-b", "main", remote.to_str().unwrap(), "ben"],
    );
    let todo = std::fs::read_to_string(ben.join("todo.txt")).unwrap();
    std::fs::write(ben.join("todo.txt"), format!("{todo}2026-11-22 Pushed by git\n")).unwrap();
    git(&ben, &["commit", "-qam", "Ben's edit"]);
    git(&ben, &["push", "-q", "origin", "main"]);
    let bens_head = git(&remote, &["rev-parse", "main"]);

    let applied = store
        .apply(add("2026-11-22 Pushed by the store"), &ana())
        .unwrap();
    assert!(applied.push.pushed, "{:?}", applied.push);
    let text = remote_todo(&remote);
    assert_eq!(text.matches("Pushed by git").count(), 1, "{text}");
    assert_eq!(text.matches("Pushed by the store").count(), 1, "{text}");
    git(
        &remote,
        &["merge-base", "--is-ancestor", bens_head.trim(), "main"],
    );
    git(&remote, &["fsck", "--strict", "--no-progress"]);
}

#[test]
fn a_branch_locked_by_another_push_is_left_alone_and_pushed_later() {
    let dir = TempDir::new().unwrap();
    let (store, remote) = store_with_remote(&dir);
    let before = git(&remote, &["rev-parse", "main"]);
    let lock = remote.join("refs/heads/main.lock");
    std::fs::write(&lock, &before).unwrap();

    let applied = store.apply(add("2026-11-22 While locked"), &ana()).unwrap();
    assert!(!applied.push.pushed);
    let error = applied.push.error.unwrap();
    assert!(error.contains("locked"), "{error}");
    assert_eq!(
        git(&remote, &["rev-parse", "main"]),
        before,
        "the branch did not move"
    );
    assert_eq!(store.status().unwrap().unpushed, 1);

    std::fs::remove_file(&lock).unwrap();
    let report = store.sync().unwrap();
    assert!(report.pushed, "{report:?}");
    assert_eq!(remote_todo(&remote).matches("While locked").count(), 1);
}

#[test]
fn commits_packed_while_the_remote_was_away_still_reach_it() {
    let dir = TempDir::new().unwrap();
    let (store, remote) = store_with_remote(&dir);
    let away = dir.path().join("away.git");
    std::fs::rename(&remote, &away).unwrap();
    store.apply(add("2026-11-22 Offline one"), &ana()).unwrap();
    store.apply(add("2026-11-22 Offline two"), &ana()).unwrap();
    let local = dir.path().join("a");
    git(&local, &["gc", "-q"]);
    let loose = git(&local, &["count-objects"]);
    assert!(loose.starts_with("0 objects"), "everything is packed: {loose}");

    std::fs::rename(&away, &remote).unwrap();
    let report = store.sync().unwrap();
    assert!(report.pushed, "{report:?}");
    let text = remote_todo(&remote);
    assert!(
        text.contains("Offline one") && text.contains("Offline two"),
        "{text}"
    );
    git(&remote, &["fsck", "--strict", "--no-progress"]);
}

#[test]
fn a_merge_left_with_conflicts_is_settled_keeping_both_sides() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    let store = Store::open(StoreSettings::local(&root)).unwrap();
    let todo = std::fs::read_to_string(root.join("todo.txt")).unwrap();
    let first = todo.lines().next().unwrap().to_string();
    git(&root, &["checkout", "-q", "-b", "other"]);
    std::fs::write(
        root.join("todo.txt"),
        todo.replacen(&first, "(A) Their version", 1),
    )
    .unwrap();
    std::fs::write(root.join("notes.md"), "merged cleanly from the other side\n").unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "Theirs"]);
    git(&root, &["checkout", "-q", "main"]);
    std::fs::write(root.join("todo.txt"), todo.replacen(&first, "(A) Our version", 1)).unwrap();
    git(&root, &["commit", "-qam", "Ours"]);
    let merge = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["merge", "other"])
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge conflicts");

    let applied = store.apply(add("2026-11-22 After the merge"), &ana()).unwrap();
    assert_eq!(applied.push.saved_beside.len(), 1, "{:?}", applied.push);
    let beside = std::fs::read_to_string(root.join(&applied.push.saved_beside[0])).unwrap();
    assert!(
        beside.contains("<<<<<<<")
            && beside.contains("(A) Their version")
            && beside.contains("(A) Our version"),
        "{beside}"
    );
    let text = std::fs::read_to_string(root.join("todo.txt")).unwrap();
    assert!(
        text.contains("(A) Our version") && !text.contains("<<<<<<<"),
        "{text}"
    );
    assert!(text.ends_with("2026-11-22 After the merge\n"), "{text}");
    assert!(
        root.join("notes.md").exists(),
        "the clean side of the merge is kept"
    );
    assert!(!root.join(".git/MERGE_HEAD").exists());
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn a_rebase_in_progress_is_the_persons_to_finish() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    let store = Store::open(StoreSettings::local(&root)).unwrap();
    std::fs::create_dir_all(root.join(".git/rebase-merge")).unwrap();
    let head = git(&root, &["rev-parse", "HEAD"]);
    std::fs::write(root.join(".git/rebase-merge/head-name"), "refs/heads/main\n").unwrap();
    std::fs::write(root.join(".git/rebase-merge/onto"), &head).unwrap();
    let before = std::fs::read(root.join("todo.txt")).unwrap();
    let error = store
        .apply(add("2026-11-22 During a rebase"), &ana())
        .unwrap_err();
    assert!(format!("{error:#}").contains("rebase"), "{error:#}");
    assert_eq!(std::fs::read(root.join("todo.txt")).unwrap(), before);
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), head);
}

#[test]
fn a_store_with_another_branch_checked_out_says_so_instead_of_writing_there() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("store");
    drop(Store::open(StoreSettings::local(&root)).unwrap());
    git(&root, &["checkout", "-q", "-b", "experiment"]);
    let error = Store::open(StoreSettings::local(&root)).err().unwrap();
    let message = format!("{error:#}");
    assert!(
        message.contains("experiment") && message.contains("\"main\""),
        "{message}"
    );
    git(&root, &["checkout", "-q", "--detach"]);
    let error = Store::open(StoreSettings::local(&root)).err().unwrap();
    assert!(format!("{error:#}").contains("detached"), "{error:#}");
}
