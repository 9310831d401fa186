//! Many writers, one remote: 200 operations from 20 threads and 4 `myorg add`
//! processes on one store, while another clone pushes 50 commits to the same file.
//! The remote ends with every operation's effect exactly once, and its history only
//! ever moved forward.

use git2::{Oid, Repository};
use myorg_assistant::store::{Actor, Operation, Store, StoreSettings};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tempfile::TempDir;

mod support;

fn settings(root: &Path, remote: &str) -> StoreSettings {
    let mut settings = StoreSettings::local(root).with_remote(remote);
    settings.lock_timeout = Duration::from_secs(120);
    settings
}

fn person(name: &str) -> Actor {
    Actor {
        name: name.into(),
        email: format!("{name}@example.com"),
        via: "cli".into(),
    }
}

fn add(line: String) -> Operation {
    Operation::AddTask { line }
}

#[test]
fn concurrent_writers_and_a_busy_remote_lose_nothing_and_duplicate_nothing() {
    let dir = TempDir::new().unwrap();
    let remote_path = dir.path().join("remote.git");
    Repository::init_bare(&remote_path).unwrap();
    let remote = remote_path.to_str().unwrap().to_string();
    let a_root = dir.path().join("a");
    let a = Store::open(settings(&a_root, &remote)).unwrap();
    let b = Store::open(settings(&dir.path().join("b"), &remote)).unwrap();
    let finished = AtomicBool::new(false);

    let heads = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let mut seen: Vec<Oid> = Vec::new();
            while !finished.load(Ordering::Relaxed) {
                if let Ok(head) =
                    Repository::open(&remote_path).and_then(|r| r.refname_to_id("refs/heads/main"))
                    && seen.last() != Some(&head)
                {
                    seen.push(head);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            seen
        });
        let external = scope.spawn(|| {
            for n in 0..50 {
                b.apply(add(format!("2026-11-22 External {n}")), &person("ben"))
                    .unwrap();
            }
        });
        let processes = scope.spawn(|| {
            let children: Vec<_> = (0..4)
                .map(|i| {
                    support::myorg_command(
                        dir.path(),
                        &[
                            "--store",
                            a_root.to_str().unwrap(),
                            "add",
                            &format!("Process task {i}"),
                        ],
                        &[
                            ("GIT_REPO_URL", remote.as_str()),
                            ("MYORG_NOW", "2026-11-22T10:00:00"),
                        ],
                    )
                    .spawn()
                    .unwrap()
                })
                .collect();
            for child in children {
                let output = child.wait_with_output().unwrap();
                assert!(output.status.success(), "{output:?}");
            }
        });
        let workers: Vec<_> = (0..20)
            .map(|t| {
                let a = &a;
                scope.spawn(move || {
                    for i in 0..10 {
                        a.apply(add(format!("2026-11-22 Thread {t} op {i}")), &person("ana"))
                            .unwrap();
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        external.join().unwrap();
        processes.join().unwrap();
        finished.store(true, Ordering::Relaxed);
        watcher.join().unwrap()
    });

    // Whatever a push lost to a race is pushed by the next sync.
    a.sync().unwrap();
    b.sync().unwrap();
    let repo = Repository::open(&remote_path).unwrap();
    let last = repo.refname_to_id("refs/heads/main").unwrap();
    let tree = repo.find_commit(last).unwrap().tree().unwrap();
    let blob = repo
        .find_blob(tree.get_path(Path::new("todo.txt")).unwrap().id())
        .unwrap();
    let todo = String::from_utf8(blob.content().to_vec()).unwrap();
    let count = |text: &str| todo.lines().filter(|line| line.ends_with(text)).count();
    for t in 0..20 {
        for i in 0..10 {
            assert_eq!(count(&format!(" Thread {t} op {i}")), 1, "Thread {t} op {i}");
        }
    }
    for n in 0..50 {
        assert_eq!(count(&format!(" External {n}")), 1, "External {n}");
    }
    for i in 0..4 {
        assert_eq!(count(&format!(" Process task {i}")), 1, "Process task {i}");
    }
    assert!(
        heads.len() > 10,
        "the watcher saw the remote move ({} heads)",
        heads.len()
    );
    for head in &heads {
        assert!(
            *head == last || repo.graph_descendant_of(last, *head).unwrap(),
            "{head} was overwritten"
        );
    }
    for store in [&a, &b] {
        let status = store.status().unwrap();
        assert_eq!((status.unpushed, status.pending), (0, 0), "{status:?}");
    }
}
