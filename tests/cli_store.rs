//! `myorg add`, `done`, `status`, `sync` through the real binary, with the clock and
//! the configuration given the documented ways (`MYORG_NOW`, env names, a TOML file).

use git2::Repository;
use std::path::Path;
use std::process::Stdio;
use tempfile::TempDir;

mod support;
use support::{myorg, myorg_command, stderr, stdout};

#[test]
fn add_and_done_commit_as_the_person_at_the_given_time() {
    let dir = TempDir::new().unwrap();
    let who = [
        ("MYORG_USER_NAME", "Ana García"),
        ("MYORG_USER_EMAIL", "ana@example.com"),
    ];
    let added = stdout(&myorg(
        dir.path(),
        &["--store", "s", "add", "(B)", "Call", "the", "plumber", "+kitchen"],
        &who,
    ));
    assert!(
        added.ends_with(": (B) 2026-11-23 Call the plumber +kitchen\n"),
        "{added}"
    );
    let done = stdout(&myorg(dir.path(), &["--store", "s", "done", "plumber"], &who));
    assert_eq!(done, "Complete task: Call the plumber +kitchen\n");

    let todo = std::fs::read_to_string(dir.path().join("s/todo.txt")).unwrap();
    assert!(
        todo.ends_with("x 2026-11-23 2026-11-23 Call the plumber +kitchen pri:B\n"),
        "{todo}"
    );
    let repo = Repository::open(dir.path().join("s")).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.author().name().unwrap(), "Ana García");
    assert!(head.message().unwrap().contains("Requested-by: Ana García (cli)"));
}

#[test]
fn unclear_references_are_specific_errors_that_change_nothing() {
    let dir = TempDir::new().unwrap();
    stdout(&myorg(dir.path(), &["--store", "s", "status"], &[]));
    let before = std::fs::read(dir.path().join("s/todo.txt")).unwrap();
    assert!(
        stderr(&myorg(dir.path(), &["--store", "s", "done", "999"], &[]))
            .contains("todo.txt has no line 999")
    );
    assert!(
        stderr(&myorg(dir.path(), &["--store", "s", "done", "kitchen"], &[]))
            .contains("open tasks contain \"kitchen\"")
    );
    assert!(
        stderr(&myorg(dir.path(), &["--store", "s", "done", "zzz"], &[]))
            .contains("no open task has the reference or the words \"zzz\"")
    );
    assert!(
        stderr(&myorg(dir.path(), &["--store", "s", "add", "  "], &[])).contains("a task needs some text")
    );
    assert_eq!(std::fs::read(dir.path().join("s/todo.txt")).unwrap(), before);
}

#[test]
fn the_configuration_file_rejects_unknown_keys_and_env_beats_it() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "[store]\npath = \"s\"\ncolour = \"blue\"\n",
    )
    .unwrap();
    let error = stderr(&myorg(dir.path(), &["--config", "bad.toml", "status"], &[]));
    assert!(error.contains("colour"), "{error}");

    std::fs::write(dir.path().join("good.toml"), "[store]\npath = \"from-file\"\n").unwrap();
    let status = stdout(&myorg(dir.path(), &["--config", "good.toml", "status"], &[]));
    assert!(status.contains("store: from-file"), "{status}");
    let status = stdout(&myorg(
        dir.path(),
        &["status"],
        &[("MYORG_CONFIG", "good.toml"), ("MYORG_REPO_PATH", "from-env")],
    ));
    assert!(status.contains("store: from-env"), "{status}");
}

#[test]
fn concurrent_add_processes_each_land_exactly_once_on_the_remote() {
    let dir = TempDir::new().unwrap();
    let remote = dir.path().join("remote.git");
    Repository::init_bare(&remote).unwrap();
    let url = remote.to_str().unwrap().to_string();
    let env = [("GIT_REPO_URL", url.as_str())];
    let status = stdout(&myorg(dir.path(), &["--store", "s", "status"], &env));
    assert!(status.contains(&format!("remote: {url}")), "{status}");

    // All four started before any is waited for.
    let children: Vec<_> = (0..4)
        .map(|i| {
            myorg_command(
                dir.path(),
                &["--store", "s", "add", &format!("Parallel task {i}")],
                &[
                    ("MYORG_NOW", "2026-11-23T08:00:00"),
                    ("GIT_REPO_URL", url.as_str()),
                ],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for child in children {
        stdout(&child.wait_with_output().unwrap());
    }
    let repo = Repository::open(&remote).unwrap();
    let tree = repo
        .find_reference("refs/heads/main")
        .unwrap()
        .peel_to_tree()
        .unwrap();
    let todo = repo
        .find_blob(tree.get_path(Path::new("todo.txt")).unwrap().id())
        .unwrap();
    let todo = String::from_utf8(todo.content().to_vec()).unwrap();
    for i in 0..4 {
        assert_eq!(todo.matches(&format!("Parallel task {i}")).count(), 1, "{todo}");
    }
    let status = stdout(&myorg(dir.path(), &["--store", "s", "status"], &env));
    assert!(
        status.contains("unpushed commits: 0") && status.contains("pending operations: 0"),
        "{status}"
    );
}

#[test]
fn undo_and_history_from_the_terminal() {
    let dir = TempDir::new().unwrap();
    stdout(&myorg(
        dir.path(),
        &["--store", "s", "add", "Call the plumber"],
        &[],
    ));
    stdout(&myorg(dir.path(), &["--store", "s", "done", "plumber"], &[]));
    let history = stdout(&myorg(dir.path(), &["--store", "s", "history", "plumber"], &[]));
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 2, "{history}");
    assert!(lines[0].ends_with("Complete task: Call the plumber"), "{history}");
    assert!(lines[1].ends_with("Add task: Call the plumber"), "{history}");
    let file = stdout(&myorg(
        dir.path(),
        &["--store", "s", "history", "calendar.txt"],
        &[],
    ));
    assert!(
        file.trim_end().ends_with("Create the store from the template"),
        "{file}"
    );

    assert_eq!(
        stdout(&myorg(dir.path(), &["--store", "s", "undo"], &[])),
        "Undo: Complete task: Call the plumber\n"
    );
    let todo = std::fs::read_to_string(dir.path().join("s/todo.txt")).unwrap();
    assert!(
        todo.ends_with("2026-11-23 Call the plumber\n"),
        "open again: {todo}"
    );
}

/// `myorg history` prints each change's time in the store's timezone, as `/history`
/// and the model's `git_log` do, not in the machine's (`TZ`).
#[test]
fn history_times_are_in_the_stores_timezone_not_the_machines() {
    let dir = TempDir::new().unwrap();
    let zones = [("TIMEZONE", "Asia/Tokyo"), ("TZ", "America/New_York")];
    stdout(&myorg(
        dir.path(),
        &["--store", "s", "add", "Call the plumber"],
        &zones,
    ));
    let history = stdout(&myorg(dir.path(), &["--store", "s", "history"], &zones));
    let repo = Repository::open(dir.path().join("s")).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let at = chrono::DateTime::from_timestamp(head.time().seconds(), 0).unwrap();
    let shown = |zone: chrono_tz::Tz| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string();
    let newest = history.lines().next().unwrap_or_default();
    assert!(
        newest.starts_with(&format!(
            "{} {} ",
            &head.id().to_string()[..8],
            shown(chrono_tz::Asia::Tokyo)
        )),
        "{newest}"
    );
    assert!(newest.ends_with(": Add task: Call the plumber"), "{newest}");
    assert!(!newest.contains(&shown(chrono_tz::America::New_York)), "{newest}");
}

/// `undo COMMIT` reverts that commit, not the newest; a commit the assistant did not
/// make (a hand edit) is refused, changing nothing, unless `--force`.
#[test]
fn undo_of_a_given_commit_and_of_a_hand_edit_with_force() {
    let dir = TempDir::new().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        stdout(&myorg(dir.path(), &all, &[]))
    };
    let read = |file: &str| std::fs::read_to_string(dir.path().join("s").join(file)).unwrap();
    run(&["add", "First task"]);
    // The newest change, in another file.
    run(&["event", "tomorrow", "10", "Dentist"]);
    // "abcdef12 2026-11-23 08:00 NAME: Add task: First task", newest first.
    let commit_of = |subject: &str| -> String {
        let history = run(&["history"]);
        let line = history
            .lines()
            .find(|line| line.ends_with(subject))
            .unwrap_or_else(|| panic!("no {subject:?} in\n{history}"));
        line.split(' ').next().unwrap().to_string()
    };
    let first = commit_of(": Add task: First task");
    assert_eq!(run(&["undo", &first]), "Undo: Add task: First task\n");
    assert!(!read("todo.txt").contains("First task"));
    assert!(
        read("calendar.txt").contains("Dentist"),
        "the newest change stays"
    );

    // A hand edit, committed as such before the next change.
    let memory = read("working-memory.txt") + "Written by hand\n";
    std::fs::write(dir.path().join("s/working-memory.txt"), memory).unwrap();
    run(&["add", "Second task"]);
    let hand = commit_of(": Save edits made outside the assistant");
    let head = || {
        git2::Repository::open(dir.path().join("s"))
            .unwrap()
            .head()
            .unwrap()
            .target()
    };
    let before = head();
    let refused = stderr(&myorg(dir.path(), &["--store", "s", "undo", &hand], &[]));
    assert!(
        refused.contains("was not made by the assistant; undo it anyway with --force"),
        "{refused}"
    );
    assert_eq!(head(), before, "nothing changed");
    assert!(read("working-memory.txt").contains("Written by hand"));
    let forced = run(&["undo", &hand, "--force"]);
    assert_eq!(
        forced, "Undo: Save edits made outside the assistant\n",
        "{forced}"
    );
    assert!(!read("working-memory.txt").contains("Written by hand"));
    assert!(read("todo.txt").contains("Second task"));
}

/// An empty `XDG_DATA_HOME` counts as unset: the store goes under `~/.local/share`,
/// not to a path relative to wherever the command runs.
#[test]
fn the_default_store_is_under_home_even_with_an_empty_xdg_data_home() {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    let env = [("HOME", home.to_str().unwrap()), ("XDG_DATA_HOME", "")];
    let status = stdout(&myorg(dir.path(), &["status"], &env));
    let expected = home.join(".local/share/myorg/store");
    assert!(
        status.contains(&format!("store: {}", expected.display())),
        "{status}"
    );
    assert!(expected.join("todo.txt").is_file());
}

#[test]
fn myorg_watch_tells_the_other_commands_what_changed() {
    use std::io::BufRead;
    let dir = TempDir::new().unwrap();
    let store = dir.path().join("s");
    let state = store.join(".git/myorg");
    stdout(&myorg(dir.path(), &["--store", "s", "add", "First"], &[]));
    let mut watching = myorg_command(dir.path(), &["--store", "s", "watch"], &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    std::io::BufReader::new(watching.stdout.take().unwrap())
        .read_line(&mut said)
        .unwrap();
    assert!(said.starts_with("myorg: watching "), "{said}");
    let refused = myorg(dir.path(), &["--store", "s", "watch"], &[]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("another process already watches this store"),
        "{}",
        stderr(&refused)
    );

    // The first write after the watcher started looks at every file, the next ones
    // only where it saw changes.
    let looks = [("MYORG_LOG", "myorg_assistant::store=debug")];
    let logged = |output: std::process::Output| {
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    let second = logged(myorg(dir.path(), &["--store", "s", "add", "Second"], &looks));
    assert!(
        second.contains("looking for hand edits in every file watched=true"),
        "{second}"
    );
    std::fs::create_dir_all(store.join("notes")).unwrap();
    std::fs::write(store.join("notes/idea.md"), "# An idea\n").unwrap();
    std::fs::write(store.join("done.txt"), "x 2026-11-20 Edited by hand\n").unwrap();
    stdout(&myorg(dir.path(), &["--store", "s", "add", "Third"], &[]));
    let fourth = logged(myorg(dir.path(), &["--store", "s", "add", "Fourth"], &looks));
    assert!(
        fourth.contains("looking for hand edits where the watcher saw changes"),
        "{fourth}"
    );
    let repo = Repository::open(&store).unwrap();
    let saved = repo.revparse_single("HEAD~2").unwrap().peel_to_commit().unwrap();
    assert_eq!(
        saved.summary().unwrap(),
        Some("Save edits made outside the assistant")
    );
    let saved_files: Vec<String> = {
        let parent = saved.parent(0).unwrap().tree().unwrap();
        let diff = repo
            .diff_tree_to_tree(Some(&parent), Some(&saved.tree().unwrap()), None)
            .unwrap();
        diff.deltas()
            .map(|d| d.new_file().path().unwrap().to_string_lossy().to_string())
            .collect()
    };
    assert_eq!(saved_files, ["done.txt", "notes/idea.md"]);

    // Stopped, it takes its socket away; the commands look for themselves again.
    unsafe { libc::kill(watching.id() as i32, libc::SIGTERM) };
    assert!(watching.wait().unwrap().success());
    assert!(!state.join("watch.sock").exists());
    std::fs::write(store.join("notes/idea.md"), "# An idea, grown\n").unwrap();
    stdout(&myorg(dir.path(), &["--store", "s", "add", "Fifth"], &[]));
    let saved = repo.revparse_single("HEAD~1").unwrap().peel_to_commit().unwrap();
    assert_eq!(
        saved.summary().unwrap(),
        Some("Save edits made outside the assistant")
    );
}

/// Waits up to twenty seconds for `done`.
fn eventually(what: &str, done: impl Fn() -> bool) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !done() {
        assert!(std::time::Instant::now() < until, "still not: {what}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Whether process `pid` has ended (gone, or a zombie nobody reaped yet).
fn ended(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z'))
    })
}

/// The process id the log line of a background watcher's start names.
fn started_pid(logged: &str) -> Option<String> {
    let line = logged
        .lines()
        .find(|line| line.contains("started watching the store in the background"))?;
    let pid = line.split("pid=").nth(1)?;
    Some(pid.chars().take_while(char::is_ascii_digit).collect())
}

#[test]
fn a_write_that_looks_at_every_file_of_a_large_store_starts_a_watcher_that_ends_when_idle() {
    let dir = TempDir::new().unwrap();
    let store = dir.path().join("s");
    let state = store.join(".git/myorg");
    let logs = [("MYORG_LOG", "myorg_assistant=debug")];
    let logged = |args: &[&str]| {
        let output = myorg(dir.path(), args, &logs);
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    // The sample store has a dozen files: under the default 5,000 nothing starts.
    let first = logged(&["--store", "s", "add", "First"]);
    assert!(started_pid(&first).is_none(), "{first}");
    assert!(!state.join("watch.started").exists());
    // Nor with watching turned off.
    std::fs::write(
        dir.path().join("off.toml"),
        "[store]\nwatch = false\nwatch_from_files = 1\n",
    )
    .unwrap();
    let off = logged(&["--config", "off.toml", "--store", "s", "add", "Off"]);
    assert!(started_pid(&off).is_none(), "{off}");
    assert!(!state.join("watch.started").exists());

    std::fs::write(
        dir.path().join("c.toml"),
        "[store]\nwatch_from_files = 3\nwatch_idle_secs = 5\n",
    )
    .unwrap();
    let with = |args: &[&str]| {
        let mut all = vec!["--config", "c.toml", "--store", "s"];
        all.extend_from_slice(args);
        logged(&all)
    };
    let second = with(&["add", "Second"]);
    let pid = started_pid(&second).unwrap_or_else(|| panic!("{second}"));
    eventually("the watcher answers", || state.join("watch.sock").exists());
    let status = stdout(&myorg(dir.path(), &["--store", "s", "status"], &[]));
    assert!(status.contains("watcher: on"), "{status}");
    // Its first question gets "everything"; from then on, only what changed.
    let third = with(&["add", "Third"]);
    assert!(
        third.contains("looking for hand edits in every file watched=true"),
        "{third}"
    );
    std::fs::write(store.join("done.txt"), "x 2026-11-20 Edited by hand\n").unwrap();
    let fourth = with(&["add", "Fourth"]);
    assert!(
        fourth.contains("looking for hand edits where the watcher saw changes"),
        "{fourth}"
    );
    assert!(started_pid(&third).is_none() && started_pid(&fourth).is_none());
    let repo = Repository::open(&store).unwrap();
    let saved = repo.revparse_single("HEAD~1").unwrap().peel_to_commit().unwrap();
    assert_eq!(
        saved.summary().unwrap(),
        Some("Save edits made outside the assistant")
    );

    // Five seconds without a write: it ends and takes its socket away.
    eventually("the idle watcher ends", || ended(&pid));
    assert!(!state.join("watch.sock").exists());
    let said = std::fs::read_to_string(state.join("watch.log")).unwrap();
    assert!(
        said.contains("stopped watching") && said.contains("no write asked for 5 s"),
        "{said}"
    );
    // A start that was lately is not made again at once (a watcher that cannot
    // start is not tried on every write).
    let fifth = with(&["add", "Fifth"]);
    assert!(
        fifth.contains("looking for hand edits in every file watched=false"),
        "{fifth}"
    );
    assert!(started_pid(&fifth).is_none(), "{fifth}");
}

#[test]
fn a_background_watcher_ends_when_its_store_or_its_socket_is_gone() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("c.toml"), "[store]\nwatch_from_files = 1\n").unwrap();
    let logs = [("MYORG_LOG", "myorg_assistant=info")];
    let start = |store: &str| {
        let output = myorg(
            dir.path(),
            &["--config", "c.toml", "--store", store, "add", "First"],
            &logs,
        );
        assert!(output.status.success(), "{output:?}");
        let logged = String::from_utf8(output.stderr).unwrap();
        let pid = started_pid(&logged).unwrap_or_else(|| panic!("{logged}"));
        let socket = dir.path().join(store).join(".git/myorg/watch.sock");
        eventually("the watcher answers", || socket.exists());
        (pid, socket)
    };
    let (gone, _) = start("gone");
    std::fs::remove_dir_all(dir.path().join("gone")).unwrap();
    eventually("the watcher of a removed store ends", || ended(&gone));

    let (unreachable, socket) = start("kept");
    std::fs::remove_file(&socket).unwrap();
    eventually("the watcher whose socket was removed ends", || {
        ended(&unreachable)
    });
    let said = std::fs::read_to_string(dir.path().join("kept/.git/myorg/watch.log")).unwrap();
    assert!(said.contains("its socket was removed"), "{said}");
}
