//! `myorg review` through the real binary with scripted input, on a temporary store
//! made from the bundled template, as `ana` on Monday 2026-11-23 08:00: a first session
//! archives and leaves, a second process comes back to the same step, and the review
//! is walked to its end (a drop asked again and refused, then confirmed; a closing note
//! to log.txt with the working-memory line in the same commit). Words that are no
//! answer change nothing.

use std::path::Path;
use tempfile::TempDir;

mod support;
use support::{myorg, myorg_with_input, stdout};

const ENV: [(&str, &str); 2] = [
    ("MYORG_USER_NAME", "ana"),
    ("MYORG_USER_EMAIL", "ana@example.com"),
];

fn review(dir: &Path, input: &str) -> String {
    let output = myorg_with_input(dir, &["--store", "s", "review"], &ENV, input);
    stdout(&output)
}

fn file(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("s").join(name)).unwrap_or_default()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir.join("s"))
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap().trim_end().to_string()
}

fn setup() -> TempDir {
    let dir = TempDir::new().unwrap();
    stdout(&myorg(dir.path(), &["--store", "s", "tasks"], &ENV));
    dir
}

#[test]
fn the_review_is_left_and_taken_up_again_by_another_process_then_finished() {
    let dir = setup();
    let first = review(dir.path(), "next\nnext\nnext\ndance\narchive\nq\n");
    assert!(first.starts_with("Step 1 of 19: Empty the inbox"), "{first}");
    assert!(
        first.contains("> dance\n\"dance\" is not an answer here; say one of: archive, next\n"),
        "{first}"
    );
    assert!(first.contains("4 done tasks to move to done.txt."), "{first}");
    assert!(
        first.ends_with("Left at step 5 of 19; `myorg review` comes back to it.\n"),
        "{first}"
    );
    assert!(
        !file(dir.path(), "todo.txt")
            .lines()
            .any(|line| line.starts_with("x "))
    );

    // A new process, with nothing typed: the same step, left again.
    let again = review(dir.path(), "");
    assert!(
        again.starts_with("Step 5 of 19: Review the calendar for the past week"),
        "{again}"
    );
    assert!(
        again.ends_with("Left at step 5 of 19; `myorg review` comes back to it.\n"),
        "{again}"
    );

    let commits = git(dir.path(), &["rev-list", "--count", "HEAD"]);
    let rest = [
        "next",                                           // 5: the past week's calendar
        "next",                                           // 6: the next two weeks
        "due fri",                                        // 7: overdue jyfb
        "skip",                                           //    bwtz left as it is
        "drop",                                           //    rvhm: asked again,
        "n",                                              //    and kept
        "drop",                                           //    asked again,
        "y",                                              //    and dropped: the list is done
        "next",                                           // 8
        "chase",                                          // 9: waiting-for nvat
        "next",                                           //    the others left
        "next",                                           // 10
        "next",                                           // 11
        "next",                                           // 12: goals
        "next",                                           // 13
        "next",                                           // 14
        "next",                                           // 15
        "next",                                           // 16
        "next",                                           // 17
        "next",                                           // 18
        "note The kitchen is late; the site is on track", // 19: the summary of the week
    ]
    .join("\n");
    let walked = review(dir.path(), &format!("{rest}\n"));
    assert!(walked.contains("Drop \"Call Mum about Sunday lunch @phone due:2026-11-22\" from todo.txt? Nothing is deleted until you confirm.\nDrop it? [y/N] n\nKept."), "{walked}");
    assert!(walked.contains("A nudge to send:\n> Hi ruiz, a friendly nudge about \"Countertop quote\": is there any news? Thanks!"), "{walked}");
    assert!(walked.contains("Weekly review 2026-W48: finished"), "{walked}");
    let todo = file(dir.path(), "todo.txt");
    assert!(!todo.contains("Call Mum about Sunday lunch"), "{todo}");
    assert!(
        todo.contains("Fix broken contact form on staging +website @computer due:2026-11-27"),
        "{todo}"
    );
    assert!(
        todo.contains("Water the balcony plants @home rec:2d due:2026-11-22"),
        "skipped: {todo}"
    );
    assert!(file(dir.path(), "log.txt").ends_with(
        "2026-11-23 08:00 ana: Weekly review 2026-W48: The kitchen is late; the site is on track\n"
    ));
    assert!(
        file(dir.path(), "working-memory.txt").ends_with(
            "2026-11-23 08:00 ana: weekly review 2026-W48 finished: 4 done tasks archived, 1 nudge drafted, 1 task dropped, 1 task rescheduled\n"
        ),
        "{}",
        file(dir.path(), "working-memory.txt")
    );
    let changed = git(dir.path(), &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(changed, "log.txt\nworking-memory.txt");
    let made: u32 = git(dir.path(), &["rev-list", "--count", "HEAD"]).parse().unwrap();
    assert_eq!(
        made,
        commits.parse::<u32>().unwrap() + 3,
        "due, drop, and the closing: one commit each"
    );

    // Finished: shown as such, and nothing to answer.
    let after = review(dir.path(), "next\n");
    assert!(after.starts_with("Weekly review 2026-W48: finished"), "{after}");
}
