//! The async handle: 20 tokio tasks writing at once through clones of one
//! `SharedStore` while another clone pushes to the same remote.

use git2::Repository;
use myorg_assistant::store::{Actor, Operation, SharedStore, StoreSettings};
use tempfile::TempDir;

fn person(name: &str) -> Actor {
    Actor {
        name: name.into(),
        email: format!("{name}@example.com"),
        via: "discord".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_tasks_write_at_once_and_every_change_lands_once() {
    let dir = TempDir::new().unwrap();
    let remote = dir.path().join("remote.git");
    Repository::init_bare(&remote).unwrap();
    let url = remote.to_str().unwrap().to_string();
    let a = SharedStore::open(StoreSettings::local(dir.path().join("a")).with_remote(&url))
        .await
        .unwrap();
    let b = SharedStore::open(StoreSettings::local(dir.path().join("b")).with_remote(&url))
        .await
        .unwrap();

    let mut tasks = Vec::new();
    for t in 0..20 {
        let a = a.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..5 {
                let line = format!("2026-11-22 Task {t}.{i}");
                a.apply(Operation::AddTask { line }, person("ana")).await.unwrap();
            }
        }));
    }
    let external = tokio::spawn({
        let b = b.clone();
        async move {
            for n in 0..10 {
                let line = format!("2026-11-22 External {n}");
                b.apply(Operation::AddTask { line }, person("ben")).await.unwrap();
            }
        }
    });
    for task in tasks {
        task.await.unwrap();
    }
    external.await.unwrap();

    // B's last write may still be waiting to be pushed (its push lost a race with
    // A's): B's sync pushes it, so A syncs once more to see it.
    a.sync().await.unwrap();
    b.sync().await.unwrap();
    a.sync().await.unwrap();
    let b_todo = String::from_utf8(b.read("todo.txt".into()).await.unwrap()).unwrap();
    let a_todo = String::from_utf8(a.read("todo.txt".into()).await.unwrap()).unwrap();
    assert_eq!(a_todo, b_todo, "both clones agree after syncing");
    for t in 0..20 {
        for i in 0..5 {
            assert_eq!(
                a_todo.matches(&format!("Task {t}.{i}\n")).count(),
                1,
                "Task {t}.{i}"
            );
        }
    }
    for n in 0..10 {
        assert_eq!(
            a_todo.matches(&format!("External {n}\n")).count(),
            1,
            "External {n}"
        );
    }
    let status = a.status().await.unwrap();
    assert_eq!((status.unpushed, status.pending), (0, 0));
    let history = a
        .history(vec!["todo.txt".into()], Some("Task 7.3".into()), 10)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].subject, "Add task: Task 7.3");
}
