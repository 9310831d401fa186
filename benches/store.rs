//! Latency of one store operation on realistic stores: a 10k-line todo.txt, 10k
//! commits of history, and 100 to 50k note files (`MYORG_BENCH_SIZES=100,1000`),
//! beside a local bare remote. Medians of a `myorg add` process as it comes (in a
//! store of 5,000 files or more its first write starts a watcher in the background,
//! which the next ones ask) and unwatched (`watch_from_files = 0`), with their peak
//! resident memory; of the shell pipelines it replaces (`printf >> todo.txt` or,
//! when installed, `todo.sh add`, then `git commit -qam`; and their peak memory),
//! and in process of write + commit; then the same with the
//! store watched (`Store::watch`, as `myorg run` and `myorg watch` do), and in
//! process, watched, of write + commit + push.
//!
//! `cargo bench --bench store` (builds the release binary first, unless
//! `MYORG_BENCH_BINARY` names one). With `MYORG_BENCH_ONLY=DIR` it times only the
//! in-process case, on a store made once in DIR (of `MYORG_BENCH_FILES` files,
//! 10k by default) and reused, without a remote or
//! with one (`MYORG_BENCH_PUSH=1`), watched with `MYORG_BENCH_WATCH=1`: for
//! profiling.

use myorg_assistant::store::{Actor, Operation, Store, StoreSettings, Watching};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 40;

/// A repository with a 10k-line todo.txt, `files` notes under `notes/` (100 a
/// folder) and `commits` commits touching log.txt, made with `git fast-import` and
/// checked out, so the index has the files' stat data as after a clone.
fn make_store(root: &Path, files: usize, commits: usize) {
    use std::io::Write;
    std::fs::create_dir_all(root).unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    let mut import = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufWriter::new(import.stdin.take().unwrap());
    let data = |out: &mut std::io::BufWriter<_>, bytes: &[u8]| {
        writeln!(out, "data {}", bytes.len()).unwrap();
        out.write_all(bytes).unwrap();
        out.write_all(b"\n").unwrap();
    };
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
    out.write_all(b"blob\nmark :1\n").unwrap();
    data(&mut out, todo.as_bytes());
    for n in 0..files {
        write!(out, "blob\nmark :{}\n", 10 + n).unwrap();
        data(
            &mut out,
            format!("# Note {n}\n\nSome text about thing {n}.\n").as_bytes(),
        );
    }
    for c in 0..commits {
        write!(
            out,
            "commit refs/heads/main\ncommitter Ana <ana@example.com> {} +0000\n",
            1_700_000_000 + c
        )
        .unwrap();
        data(&mut out, format!("Change {c}").as_bytes());
        if c == 0 {
            out.write_all(b"M 100644 :1 todo.txt\n").unwrap();
            for n in 0..files {
                writeln!(out, "M 100644 :{} notes/{:03}/note-{n}.md", 10 + n, n / 100).unwrap();
            }
        }
        out.write_all(b"M 100644 inline log.txt\n").unwrap();
        data(&mut out, format!("2026-01-01 10:00 ana: entry {c}\n").as_bytes());
    }
    drop(out);
    assert!(import.wait().unwrap().success());
    git(&["checkout", "-q", "-f", "main"]);
    // Git's own writes below go as the bench's author.
    git(&["config", "user.name", "Ana"]);
    git(&["config", "user.email", "ana@example.com"]);
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

/// The store at `root`, watched (`Store::watch`, as `myorg run` does) when `watched`:
/// its writes, and those of `myorg add` processes meanwhile, then look only at what
/// changed.
fn open(root: &Path, remote: Option<&Path>, watched: bool) -> (Store, Option<Watching>) {
    let store = Store::open(settings(root, remote)).unwrap();
    let watching = watched.then(|| store.watch().unwrap());
    (store, watching)
}

fn in_process(store: &Store) -> Duration {
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
fn as_process(binary: &Path, root: &Path, config: Option<&Path>) -> (Duration, f64) {
    let mut peak_rss_mib: f64 = 0.0;
    let samples = (0..RUNS / 2)
        .map(|i| {
            let mut command = measuring(binary);
            if let Some(config) = config {
                command.arg("--config").arg(config);
            }
            command.args([
                "--store",
                root.to_str().unwrap(),
                "add",
                &format!("Process bench task {i}"),
            ]);
            command.env_remove("GIT_REPO_URL").env_remove("MYORG_CONFIG");
            let (took, rss) = measured(&mut command);
            peak_rss_mib = peak_rss_mib.max(rss);
            took
        })
        .collect();
    (median(samples), peak_rss_mib)
}

/// Stops the watcher a `myorg add` started in the background, if any: it ends on
/// its own once its socket is gone.
fn stop_background_watcher(root: &Path) {
    let socket = root.join(".git/myorg/watch.sock");
    if socket.exists() {
        std::fs::remove_file(&socket).unwrap();
        std::thread::sleep(Duration::from_millis(1_500));
    }
}

/// A command that runs `program` through this bench binary (`--measure`), which
/// times it and reads its peak memory. Linux counts in a child's peak the memory of
/// the process it was forked from (about 30 MiB for this bench once its stores are
/// made); forked from the small measuring process, the child's own peak shows.
fn measuring(program: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.arg("--measure").arg(program);
    command
}

/// Runs a [`measuring`] command: the time its program took and its peak memory in
/// MiB. Panics, with what the program printed on stderr, when it failed.
fn measured(command: &mut Command) -> (Duration, f64) {
    let output = command.stdin(Stdio::null()).output().unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<f64> = report.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    assert!(
        output.status.success() && numbers.len() == 3 && numbers[1] == 0.0,
        "{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (Duration::from_nanos(numbers[0] as u64), numbers[2])
}

/// `--measure PROGRAM ARGS…`: runs the program (its output discarded, its stderr
/// passed on) and prints the nanoseconds it took, its raw wait status and its peak
/// resident memory in MiB.
fn measure(program: &str, args: &[String]) {
    let started = Instant::now();
    #[expect(
        clippy::zombie_processes,
        reason = "reaped by wait4, which gives its peak memory"
    )]
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (status, rss) = wait_with_rusage(&child);
    println!("{} {status} {rss}", started.elapsed().as_nanos());
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

/// Median time of the shell pipeline a todo.txt user would write instead:
/// append a line, then `git commit -qam`; and the largest peak resident memory of
/// one of its processes (the shell's and those it waited for), in MiB.
fn shell_pipeline(root: &Path) -> (Duration, f64) {
    let mut peak_rss_mib: f64 = 0.0;
    let samples = (0..RUNS / 2)
        .map(|i| {
            let mut command = measuring(Path::new("sh"));
            command.arg("-c").arg(format!(
                "printf '%s\\n' \"2026-11-22 Shell task {i}\" >> todo.txt && git commit -qam \"Add task {i}\""
            ));
            command.current_dir(root);
            let (took, rss) = measured(&mut command);
            peak_rss_mib = peak_rss_mib.max(rss);
            took
        })
        .collect();
    (median(samples), peak_rss_mib)
}

/// todo.txt's own command line (`todo.sh`, Debian's `todo-txt`), when installed:
/// `MYORG_BENCH_TODO_SH`, else the first of those names on the `PATH`.
fn todo_sh() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MYORG_BENCH_TODO_SH") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| [dir.join("todo.sh"), dir.join("todo-txt")])
        .find(|candidate| candidate.is_file())
}

/// Median time of the pipeline the issue names, `todo.sh add … && git commit -qam`
/// (todo.sh dating the task, as `myorg add` does), and its largest peak memory.
fn todo_sh_pipeline(todo_sh: &Path, root: &Path) -> (Duration, f64) {
    let config = root.join(".git/todo.cfg");
    std::fs::write(
        &config,
        format!(
            "export TODO_DIR={root:?}\nexport TODO_FILE=\"$TODO_DIR/todo.txt\"\nexport DONE_FILE=\"$TODO_DIR/done.txt\"\nexport REPORT_FILE=\"$TODO_DIR/report.txt\"\n"
        ),
    )
    .unwrap();
    let run = |i: usize| {
        let mut command = measuring(Path::new("sh"));
        command.arg("-c").arg(format!(
            "{todo_sh:?} -d {config:?} -t add \"todo.sh task {i}\" && git commit -qam \"Add task {i}\""
        ));
        command.current_dir(root);
        measured(&mut command)
    };
    // The first makes done.txt and report.txt, committed apart.
    run(usize::MAX);
    let status = Command::new("sh")
        .arg("-c")
        .arg("git add -A && git commit -qm 'todo.sh files'")
        .current_dir(root)
        .status()
        .unwrap();
    assert!(status.success());
    let mut peak_rss_mib: f64 = 0.0;
    let samples = (0..RUNS / 2)
        .map(|i| {
            let (took, rss) = run(i);
            peak_rss_mib = peak_rss_mib.max(rss);
            took
        })
        .collect();
    (median(samples), peak_rss_mib)
}

fn ms(took: Duration) -> f64 {
    took.as_secs_f64() * 1e3
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, program, rest @ ..] = &args[..]
        && flag == "--measure"
    {
        measure(program, rest);
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    // `MYORG_BENCH_BINARY=PATH`: that binary, already built, instead of building one.
    let binary = match std::env::var_os("MYORG_BENCH_BINARY") {
        Some(binary) => PathBuf::from(binary),
        None => {
            let status = Command::new("cargo")
                .args(["build", "--release", "--quiet", "--bin", "myorg"])
                .status()
                .unwrap();
            assert!(status.success());
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/myorg")
        }
    };
    let dir = tempfile::TempDir::new().unwrap();
    let commits: usize = std::env::var("MYORG_BENCH_COMMITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);

    if let Some(kept) = std::env::var_os("MYORG_BENCH_ONLY") {
        // Profiling: the store (and its remote) are made once in the given directory
        // and reused; `MYORG_BENCH_PUSH=1` times the case with a push.
        let kept = PathBuf::from(kept);
        let local = kept.join("local");
        let remote = kept.join("remote.git");
        if !local.exists() {
            let files = std::env::var("MYORG_BENCH_FILES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(10_000);
            make_store(&local, files, commits);
            git2::build::RepoBuilder::new()
                .bare(true)
                .clone(local.to_str().unwrap(), &remote)
                .unwrap();
        }
        let pushing = std::env::var_os("MYORG_BENCH_PUSH").is_some_and(|value| !value.is_empty());
        let watched = std::env::var_os("MYORG_BENCH_WATCH").is_some_and(|value| !value.is_empty());
        let (store, _watching) = open(&local, pushing.then_some(remote.as_path()), watched);
        let took = in_process(&store);
        println!(
            "in process{}, write + commit{}: median {:.2} ms",
            if watched { ", watched" } else { "" },
            if pushing { " + push" } else { "" },
            ms(took)
        );
        return;
    }

    // By the number of files: the time of a write should not grow with it.
    let unwatched = dir.path().join("unwatched.toml");
    std::fs::write(&unwatched, "[store]\nwatch_from_files = 0\n").unwrap();
    let sizes: Vec<usize> = std::env::var("MYORG_BENCH_SIZES")
        .ok()
        .map(|sizes| sizes.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1_000, 10_000, 50_000]);
    let todo_sh = todo_sh();
    println!(
        "shell: printf >> todo.txt && git commit -qam; todo.sh: {}",
        match &todo_sh {
            Some(path) => format!("{} add && git commit -qam", path.display()),
            None => "not installed (MYORG_BENCH_TODO_SH=PATH)".to_string(),
        }
    );
    println!(
        "files   | myorg add | unwatched | watched  | peak RSS | shell     | todo.sh   | their peak RSS | in process | watched  | + push, watched"
    );
    for files in sizes {
        let started = Instant::now();
        let local = dir.path().join(format!("local-{files}"));
        make_store(&local, files, commits);
        let with_remote = dir.path().join(format!("with-remote-{files}"));
        let remote = dir.path().join(format!("remote-{files}.git"));
        git2::build::RepoBuilder::new()
            .bare(true)
            .clone(local.to_str().unwrap(), &remote)
            .unwrap();
        make_store(&with_remote, files, commits);
        let setup = started.elapsed();
        let (process, process_rss) = as_process(&binary, &local, Some(&unwatched));
        let (shell, shell_rss) = shell_pipeline(&local);
        let (todo_sh_time, todo_sh_rss) = match &todo_sh {
            Some(todo_sh) => todo_sh_pipeline(todo_sh, &local),
            None => (Duration::ZERO, 0.0),
        };
        let write_commit = in_process(&open(&local, None, false).0);
        // As it comes: a write that looked at every file of a large store started a
        // watcher in the background, which later writes ask.
        let (process_auto, auto_rss) = as_process(&binary, &local, None);
        stop_background_watcher(&local);
        let (watched, watching) = open(&local, None, true);
        let (process_watched, watched_rss) = as_process(&binary, &local, None);
        let write_commit_watched = in_process(&watched);
        drop((watched, watching));
        let (with_push, watching) = open(&with_remote, Some(&remote), true);
        let push = in_process(&with_push);
        drop((with_push, watching));
        println!(
            "{files:>7} | {:>6.1} ms | {:>6.1} ms | {:>5.1} ms | {:>4.1} MiB | {:>6.1} ms | {:>6.1} ms | {:>10.1} MiB | {:>7.2} ms | {:>5.2} ms | {:>6.2} ms   (setup {:.0} s)",
            ms(process_auto),
            ms(process),
            ms(process_watched),
            process_rss.max(watched_rss).max(auto_rss),
            ms(shell),
            ms(todo_sh_time),
            shell_rss.max(todo_sh_rss),
            ms(write_commit),
            ms(write_commit_watched),
            ms(push),
            setup.as_secs_f64()
        );
    }
    println!(
        "peak RSS of the bench process (setup included): {:.1} MiB",
        self_peak_rss_mib()
    );
}
