//! End-to-end time of `myorg tasks +work` on a realistic 100k-line todo.txt: the
//! median of 20 process runs (output discarded), and of `--json`; beside it, the
//! same listing by the todo.txt tools installed on this machine (`todo.sh`/`todo-txt`,
//! `ttdl`, `topydo`), five runs each, when they are.
//!
//! `cargo bench --bench tasks` (builds the release binary first).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/todo.rs"]
mod todo;
use todo::{LINES, realistic_todo};

const RUNS: usize = 20;

fn store(dir: &Path) -> PathBuf {
    let root = dir.join("store");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("todo.txt"), realistic_todo()).unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &["commit", "-qm", "Bench store"],
    ] {
        let status = Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(["-c", "user.name=Bench", "-c", "user.email=bench@example.com"])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success());
    }
    root
}

fn median_run(binary: &Path, root: &Path, extra: &[&str]) -> (Duration, usize) {
    let mut lines = 0;
    let mut samples: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let output = Command::new(binary)
                .args(["--store", root.to_str().unwrap(), "tasks", "+work"])
                .args(extra)
                .env("MYORG_NOW", "2026-11-22T08:00:00")
                .env_remove("MYORG_CONFIG")
                .stderr(Stdio::inherit())
                .output()
                .unwrap();
            let took = started.elapsed();
            assert!(output.status.success());
            lines = output.stdout.iter().filter(|&&b| b == b'\n').count();
            took
        })
        .collect();
    samples.sort();
    (samples[RUNS / 2], lines)
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
    let root = store(dir.path());
    let size = std::fs::metadata(root.join("todo.txt")).unwrap().len();
    println!("todo.txt: {LINES} lines, {:.1} MB", size as f64 / 1e6);
    let (plain, lines) = median_run(&binary, &root, &[]);
    println!(
        "myorg tasks +work:         median {:>6.1} ms ({lines} tasks listed)",
        plain.as_secs_f64() * 1e3
    );
    let (json, _) = median_run(&binary, &root, &["--json"]);
    println!(
        "myorg tasks +work --json:  median {:>6.1} ms",
        json.as_secs_f64() * 1e3
    );
    peers(dir.path(), &root);
}

/// The same listing by other todo.txt tools, where installed.
fn peers(dir: &Path, root: &Path) {
    let config = dir.join("todo.cfg");
    std::fs::write(
        &config,
        format!(
            "export TODO_DIR={0}\nexport TODO_FILE={0}/todo.txt\nexport DONE_FILE={0}/done.txt\nexport REPORT_FILE={0}/report.txt\n",
            root.display()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let todo = root.join("todo.txt");
    let todo = todo.to_str().unwrap();
    let candidates: [(&str, Vec<&str>); 4] = [
        ("todo.sh", vec!["-d", config, "-p", "ls", "+work"]),
        ("todo-txt", vec!["-d", config, "-p", "ls", "+work"]),
        ("ttdl", vec!["--local", "list", "+work"]),
        ("topydo", vec!["-t", todo, "ls", "+work"]),
    ];
    for (program, args) in candidates {
        let mut samples = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let Ok(status) = Command::new(program)
                .args(&args)
                .current_dir(root)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
            else {
                break;
            };
            if !status.success() {
                println!("{program} ls +work:  fails on this file");
                samples.clear();
                break;
            }
            samples.push(started.elapsed());
        }
        if let Some(median) = {
            samples.sort();
            samples.get(samples.len() / 2)
        } {
            println!(
                "{program} ls +work:  median {:>6.1} ms",
                median.as_secs_f64() * 1e3
            );
        }
    }
}
