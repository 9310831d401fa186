//! Pushing to a bare repository on this machine, against git itself: a person's `git
//! push` meanwhile is replayed on, never overwritten; a branch git has locked is left
//! alone; objects that were packed locally still reach the remote. No network.

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
