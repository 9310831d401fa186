//! The background sync of a long-running store, with real (short) intervals: pushes
//! batched within a window, retries while the remote is away, a periodic pull, and the
//! pull before answering when the last sync is stale.

use git2::Repository;
use myorg_assistant::store::{Actor, Operation, SharedStore, StoreSettings, SyncPolicy};
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;

fn ana() -> Actor {
    Actor {
        name: "Ana".into(),
        email: "ana@example.com".into(),
        via: "discord".into(),
    }
}

fn add(line: &str) -> Operation {
    Operation::AddTask { line: line.into() }
}

async fn open(root: &Path, remote: &Path) -> SharedStore {
    SharedStore::open(StoreSettings::local(root).with_remote(remote.to_str().unwrap()))
        .await
        .unwrap()
}

fn bare_remote(dir: &TempDir) -> std::path::PathBuf {
    let remote = dir.path().join("remote.git");
    Repository::init_bare(&remote).unwrap();
    remote
}

/// The remote's todo.txt.
fn remote_todo(remote: &Path) -> String {
    let repo = Repository::open_bare(remote).unwrap();
    let tree = repo
        .revparse_single("main^{tree}")
        .unwrap()
        .peel_to_tree()
        .unwrap();
    let blob = repo.find_blob(tree.get_name("todo.txt").unwrap().id()).unwrap();
    String::from_utf8(blob.content().to_vec()).unwrap()
}

/// Waits (up to 10 s) until `done` holds.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
}

fn policy(every_ms: u64, window_ms: u64, first_retry_ms: u64) -> SyncPolicy {
    SyncPolicy {
        every: Duration::from_millis(every_ms),
        push_window: Duration::from_millis(window_ms),
        first_retry: Duration::from_millis(first_retry_ms),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_within_the_window_are_pushed_together() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let store = open(&dir.path().join("a"), &remote).await;
    let before = Repository::open_bare(&remote)
        .unwrap()
        .refname_to_id("refs/heads/main")
        .unwrap();
    let _sync = store.keep_in_sync(policy(60_000, 400, 100));
    for n in 0..3 {
        let applied = store
            .apply(add(&format!("2026-11-22 Batched {n}")), ana())
            .await
            .unwrap();
        assert!(
            applied.push.deferred && !applied.push.pushed,
            "{:?}",
            applied.push
        );
    }
    assert!(
        !remote_todo(&remote).contains("Batched"),
        "nothing pushed within the window"
    );
    assert_eq!(store.status().await.unwrap().unpushed, 3);
    eventually("the batch is pushed", || {
        (0..3).all(|n| remote_todo(&remote).contains(&format!("Batched {n}\n")))
    })
    .await;
    // One push moved the branch by the three commits at once.
    let repo = Repository::open_bare(&remote).unwrap();
    let head = repo.refname_to_id("refs/heads/main").unwrap();
    let head_parent = repo.find_commit(head).unwrap().parent_id(0).unwrap();
    assert_ne!(head_parent, before);
    assert_eq!(store.status().await.unwrap().pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_the_remote_is_away_pushes_are_retried_until_it_is_back() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let store = open(&dir.path().join("a"), &remote).await;
    let mut sync = store.keep_in_sync(policy(60_000, 0, 50));
    let away = dir.path().join("away.git");
    std::fs::rename(&remote, &away).unwrap();
    let applied = store
        .apply(add("2026-11-22 Written while away"), ana())
        .await
        .unwrap();
    assert!(applied.push.error.is_some());
    let report = tokio::time::timeout(Duration::from_secs(10), sync.reports.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(report.error.is_some(), "the failed retry is reported: {report:?}");
    std::fs::rename(&away, &remote).unwrap();
    // No write and no explicit sync: the retries alone push it.
    eventually("the retry pushes", || {
        remote_todo(&remote).contains("Written while away")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_pushed_elsewhere_arrive_by_the_periodic_pull() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let a = open(&dir.path().join("a"), &remote).await;
    let b = open(&dir.path().join("b"), &remote).await;
    let _sync = a.keep_in_sync(policy(100, 0, 50));
    b.apply(add("2026-11-22 From the other clone"), ana())
        .await
        .unwrap();
    let a_root = dir.path().join("a");
    eventually("a pulls b's change", || {
        std::fs::read_to_string(a_root.join("todo.txt"))
            .unwrap()
            .contains("From the other clone")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_store_pulls_before_answering_and_a_fresh_one_does_not() {
    let dir = TempDir::new().unwrap();
    let remote = bare_remote(&dir);
    let a = open(&dir.path().join("a"), &remote).await;
    let b = open(&dir.path().join("b"), &remote).await;
    b.apply(add("2026-11-22 Pushed by b"), ana()).await.unwrap();
    let read_a = || async { String::from_utf8(a.read("todo.txt".into()).await.unwrap()).unwrap() };

    assert!(
        a.sync_if_stale(Duration::from_secs(3600))
            .await
            .unwrap()
            .is_none(),
        "a synced on open"
    );
    assert!(!read_a().await.contains("Pushed by b"));
    let report = a.sync_if_stale(Duration::ZERO).await.unwrap();
    assert!(report.is_some_and(|r| r.error.is_none()));
    assert!(read_a().await.contains("Pushed by b"));
    let last_sync = a.status().await.unwrap().last_sync.unwrap();
    assert!(last_sync.elapsed().unwrap() < Duration::from_secs(60));
}
