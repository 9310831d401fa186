//! Latency of one store operation on a realistic store: a 10k-line todo.txt, 10k
//! commits of history, a local bare remote. Medians of write + commit, and of write +
//! commit + push, in process and as a `myorg add` process; peak resident memory.
//!
//! `cargo bench --bench store` (builds the release binary first). With
//! `MYORG_BENCH_ONLY=DIR` it times only the in-process case, on a store made once in
//! DIR and reused, without a remote or with one (`MYORG_BENCH_PUSH=1`): for profiling.

use git2::{Repository, Signature};
use myorg_assistant::store::{Actor, Operation, Store, StoreSettings};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 40;

/// A repository with a 10k-line todo.txt and `commits` commits touching log.txt.
fn make_store(root: &Path, commits: usize) {
    let mut options = git2::RepositoryInitOptions::new();
    options.initial_head("main");
    let repo = Repository::init_opts(root, &options).unwrap();
    let me = Signature::now("Ana", "ana@example.com").unwrap();
    let todo: String = (0..10_000)
        .map(|i| {
            format!(
                "(B) 2026-01-{:02} Task number {i} +project{} @context due:2026-12-{:02}\n",
                1 + i % 28,
                i % 40,
                1 + i % 28
            )
        })
        .collect();
    std::fs::write(root.join("todo.txt"), &todo).unwrap();
    let mut parent: Option<git2::Oid> = None;
    let todo_blob = repo.blob(todo.as_bytes()).unwrap();
    for n in 0..commits {
        let log = format!("2026-01-01 10:00 ana: entry {n}\n");
        let log_blob = repo.blob(log.as_bytes()).unwrap();
        let mut tree = repo.treebuilder(None).unwrap();
        tree.insert("todo.txt", todo_blob, 0o100644).unwrap();
        tree.insert("log.txt", log_blob, 0o100644).unwrap();
        let tree = repo.find_tree(tree.write().unwrap()).unwrap();
        let parents: Vec<git2::Commit<'_>> = parent.iter().map(|p| repo.find_commit(*p).unwrap()).collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        parent = Some(
            repo.commit(Some("HEAD"), &me, &me, &format!("Change {n}"), &tree, &parents)
                .unwrap(),
        );
    }
    std::fs::write(
        root.join("log.txt"),
        format!("2026-01-01 10:00 ana: entry {}\n", commits - 1),
    )
    .unwrap();
    let mut index = repo.index().unwrap();
    index
        .read_tree(&repo.head().unwrap().peel_to_tree().unwrap())
        .unwrap();
    index.write().unwrap();
    // Like a checkout: give the index the files' stat data, or every status re-hashes
    // them.
    let refreshed = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--short"])
        .output()
        .unwrap();
    assert!(refreshed.status.success());
}

fn settings(root: &Path, remote: Option<&Path>) -> StoreSettings {
    match remote {
        Some(url) => StoreSettings::local(root).with_remote(url.to_str().unwrap()),
        None => StoreSettings::local(root),
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn in_process(root: &Path, remote: Option<&Path>) -> Duration {
    let store = Store::open(settings(root, remote)).unwrap();
    let actor = Actor {
        name: "Ana".into(),
        email: "ana@example.com".into(),
        via: "cli".into(),
    };
    let samples = (0..RUNS)
        .map(|i| {
            let started = Instant::now();
            let applied = store
                .apply(
                    Operation::AddTask {
                        line: format!("2026-11-22 Bench task {i}"),
                    },
                    &actor,
                )
                .unwrap();
            let took = started.elapsed();
            assert!(
                applied.push.local_only || applied.push.pushed,
                "{:?}",
                applied.push
            );
            took
        })
        .collect();
    median(samples)
}

/// Median latency of `myorg add` processes, and the largest peak resident memory of
/// one of them, in MiB.
fn as_process(binary: &Path, root: &Path, remote: Option<&Path>) -> (Duration, f64) {
    let mut peak_rss_mib: f64 = 0.0;
    let samples = (0..RUNS / 2)
        .map(|i| {
            let mut command = Command::new(binary);
            command.args([
                "--store",
                root.to_str().unwrap(),
                "add",
                &format!("Process bench task {i}"),
            ]);
            command.env_remove("GIT_REPO_URL").env_remove("MYORG_CONFIG");
            if let Some(remote) = remote {
                command.env("GIT_REPO_URL", remote);
            }
            command.stdout(Stdio::null()).stderr(Stdio::piped());
            let started = Instant::now();
            #[expect(
                clippy::zombie_processes,
                reason = "reaped by wait4, which gives its peak memory"
            )]
            let mut child = command.spawn().unwrap();
            let mut stderr = String::new();
            child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
            let (status, rss) = wait_with_rusage(&child);
            let took = started.elapsed();
            assert!(status == 0, "{stderr}");
            peak_rss_mib = peak_rss_mib.max(rss);
            took
        })
        .collect();
    (median(samples), peak_rss_mib)
}

/// Waits for `child`; its raw wait status and peak resident memory in MiB.
fn wait_with_rusage(child: &std::process::Child) -> (i32, f64) {
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child, not waited for yet; status and usage are ours.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    (status, usage.ru_maxrss as f64 / 1024.0)
}

fn self_peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--bin", "myorg"])
        .status()
        .unwrap();
    assert!(status.success());
    let binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/myorg");
    let dir = tempfile::TempDir::new().unwrap();

    let started = Instant::now();
    if let Some(kept) = std::env::var_os("MYORG_BENCH_ONLY") {
        // Profiling: the store (and its remote) are made once in the given directory
        // and reused; `MYORG_BENCH_PUSH=1` times the case with a push.
        let kept = PathBuf::from(kept);
        let local = kept.join("local");
        let remote = kept.join("remote.git");
        if !local.exists() {
            make_store(&local, 10_000);
            git2::build::RepoBuilder::new()
                .bare(true)
                .clone(local.to_str().unwrap(), &remote)
                .unwrap();
        }
        let pushing = std::env::var_os("MYORG_BENCH_PUSH").is_some();
        let took = in_process(&local, pushing.then_some(remote.as_path()));
        println!(
            "in process, write + commit{}: median {:.2} ms",
            if pushing { " + push" } else { "" },
            took.as_secs_f64() * 1e3
        );
        return;
    }
    let local = dir.path().join("local");
    make_store(&local, 10_000);
    let with_remote = dir.path().join("with-remote");
    let remote = dir.path().join("remote.git");
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(local.to_str().unwrap(), &remote)
        .unwrap();
    println!(
        "setup: 10k-line todo.txt, 10k commits, in {:.1}s",
        started.elapsed().as_secs_f64()
    );

    let write_commit = in_process(&local, None);
    println!(
        "in process, write + commit:          median {:>7.2} ms",
        write_commit.as_secs_f64() * 1e3
    );
    let store_rss = self_peak_rss_mib();
    let push = in_process(&with_remote, Some(&remote));
    println!(
        "in process, write + commit + push:   median {:>7.2} ms",
        push.as_secs_f64() * 1e3
    );
    let (process, process_rss) = as_process(&binary, &local, None);
    println!(
        "myorg add, write + commit:           median {:>7.2} ms",
        process.as_secs_f64() * 1e3
    );
    let (process_push, process_push_rss) = as_process(&binary, &with_remote, Some(&remote));
    println!(
        "myorg add, write + commit + push:    median {:>7.2} ms",
        process_push.as_secs_f64() * 1e3
    );
    println!(
        "peak RSS: bench process (setup included) {store_rss:.1} MiB; a myorg add process {:.1} MiB",
        process_rss.max(process_push_rss)
    );
}
