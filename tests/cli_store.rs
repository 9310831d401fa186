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
