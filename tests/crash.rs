//! A process applying operations is killed with SIGKILL at random moments, 50 times.
//! After each restart: `git fsck` is clean, every operation acknowledged before the
//! kill is in the store exactly once, nothing is applied twice, nothing is left
//! pending or half-written.
//!
//! The child is this test binary run again with `MYORG_CRASH_CHILD_STORE` set.

use git2::Repository;
use myorg_assistant::store::{Actor, Operation, Store, StoreSettings};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const TEST: &str = "killed_at_random_moments_the_store_loses_nothing_and_applies_nothing_twice";

fn settings(root: &Path, remote: &str) -> StoreSettings {
    StoreSettings::local(root).with_remote(remote)
}

/// The child: applies operations `first..` forever, printing `ack K` after each.
fn child(root: &str, remote: &str, first: usize) {
    let store = Store::open(settings(Path::new(root), remote)).unwrap();
    let actor = Actor {
        name: "Ana".into(),
        email: "ana@example.com".into(),
        via: "cli".into(),
    };
    for k in first.. {
        store
            .apply(
                Operation::AddTask {
                    line: format!("2026-11-22 Crash op {k}"),
                },
                &actor,
            )
            .unwrap();
        let mut out = std::io::stdout().lock();
        // Own line: libtest's "test … ... " header has no newline of its own.
        writeln!(out, "\nack {k}").unwrap();
        out.flush().unwrap();
    }
}

fn fsck(path: &Path) {
    let output = Command::new("git")
        .arg("-C")
        .arg(path)
        .args(["fsck", "--full", "--strict"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git fsck {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn killed_at_random_moments_the_store_loses_nothing_and_applies_nothing_twice() {
    if let Ok(root) = std::env::var("MYORG_CRASH_CHILD_STORE") {
        let remote = std::env::var("MYORG_CRASH_CHILD_REMOTE").unwrap();
        let first = std::env::var("MYORG_CRASH_CHILD_FIRST").unwrap().parse().unwrap();
        return child(&root, &remote, first);
    }
    let dir = tempfile::TempDir::new().unwrap();
    let remote = dir.path().join("remote.git");
    Repository::init_bare(&remote).unwrap();
    let remote = remote.to_str().unwrap().to_string();
    let root = dir.path().join("store");
    drop(Store::open(settings(&root, &remote)).unwrap());

    let mut acked = BTreeSet::new();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..50usize {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(20 + seed % 380);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
            .env("MYORG_CRASH_CHILD_STORE", &root)
            .env("MYORG_CRASH_CHILD_REMOTE", &remote)
            .env("MYORG_CRASH_CHILD_FIRST", (round * 1000).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap();
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        acked.extend(
            stdout
                .lines()
                .filter_map(|line| line.strip_prefix("ack ")?.parse::<usize>().ok()),
        );

        // Restart: recovery runs on open.
        let store = Store::open(settings(&root, &remote)).unwrap();
        let todo = String::from_utf8(store.read("todo.txt").unwrap()).unwrap();
        let mut seen = BTreeSet::new();
        for line in todo.lines() {
            if let Some(k) = line.strip_prefix("2026-11-22 Crash op ") {
                assert!(seen.insert(k.to_string()), "round {round}: op {k} applied twice");
            }
        }
        for k in &acked {
            assert!(
                seen.contains(&k.to_string()),
                "round {round}: acknowledged op {k} is missing"
            );
        }
        let status = store.status().unwrap();
        assert_eq!(
            (status.unpushed, status.pending),
            (0, 0),
            "round {round}: {status:?}"
        );
        assert!(status.changed.is_empty(), "round {round}: {status:?}");
        let leftovers: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".myorg-write-"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "round {round}: temporary files left: {leftovers:?}"
        );
        drop(store);
        fsck(&root);
    }
    fsck(Path::new(&remote));
    assert!(
        acked.len() > 50,
        "the children got work done between kills ({} ops)",
        acked.len()
    );
}
