//! End-to-end time of `myorg tasks +work` on a realistic 100k-line todo.txt: the
//! median of 20 process runs (output discarded), of `--json`, of searches by a word
//! (`invoice`, found nowhere; `plumber`, in a sixth of the lines), and of `+work`
//! run just after each change of the file (its tasks' references then worked out
//! again); beside it `grep -c`, and the same listing by the todo.txt tools installed
//! on this machine (`todo.sh`/`todo-txt`, `ttdl`, `topydo`), five runs each.
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

/// The median time of `myorg tasks ARGS` over [`RUNS`] runs, and the lines it printed;
/// with `changed`, todo.txt gets one more line before each run, so that no
/// reference kept from the run before can be used.
fn median_run(binary: &Path, root: &Path, args: &[&str], changed: bool) -> (Duration, usize) {
    let mut lines = 0;
    let mut samples: Vec<Duration> = (0..RUNS)
        .map(|run| {
            if changed {
                use std::io::Write;
                let mut todo = std::fs::OpenOptions::new()
                    .append(true)
                    .open(root.join("todo.txt"))
                    .unwrap();
                writeln!(todo, "Added {run} +home").unwrap();
            }
            let started = Instant::now();
            let output = Command::new(binary)
                .args(["--store", root.to_str().unwrap(), "tasks"])
                .args(args)
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
    for (args, changed, what) in [
        (&["+work"][..], false, "myorg tasks +work:        "),
        (&["+work", "--json"], false, "myorg tasks +work --json: "),
        (&["invoice"], false, "myorg tasks invoice:      "),
        (&["plumber"], false, "myorg tasks plumber:      "),
        (&["+work"], true, "+work, todo.txt changed:  "),
    ] {
        let (median, lines) = median_run(&binary, &root, args, changed);
        println!(
            "{what} median {:>6.1} ms ({lines} lines)",
            median.as_secs_f64() * 1e3
        );
    }
    grep(&root);
    peers(dir.path(), &root);
}

/// `grep -c +work todo.txt`: reading the file and nothing else, for scale.
fn grep(root: &Path) {
    let mut samples: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new("grep")
                .args(["-c", "+work", "todo.txt"])
                .current_dir(root)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            started.elapsed()
        })
        .collect();
    samples.sort();
    println!(
        "grep -c +work:             median {:>6.1} ms",
        samples[RUNS / 2].as_secs_f64() * 1e3
    );
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
