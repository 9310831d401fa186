//! The terminal assistant through the real binary, without an LLM: `myorg chat
//! --once` for each form of the grammar (what it reads, byte for byte what the
//! command of the same purpose prints), and a conversation on standard input that
//! goes on after an error and ends with `quit`.

use std::path::Path;
use tempfile::TempDir;

mod support;
use support::{myorg, myorg_with_input, stdout};

const ENV: [(&str, &str); 2] = [("MYORG_USER_NAME", "ana"), ("TIMEZONE", "Europe/Madrid")];

fn once(dir: &Path, message: &str) -> String {
    stdout(&myorg(dir, &["--store", "s", "chat", "--once", message], &ENV))
}

#[test]
fn each_form_of_the_grammar_answers_through_the_same_operations() {
    let dir = TempDir::new().unwrap();
    let added = once(dir.path(), "add Buy stamps due:tomorrow +errands");
    assert!(
        added.contains("2026-11-23 Buy stamps due:2026-11-24 +errands"),
        "{added}"
    );
    let tasks = once(dir.path(), "tasks +errands");
    assert!(tasks.contains("Buy stamps"), "{tasks}");
    let done = once(dir.path(), "done buy stamps");
    assert!(done.starts_with("Complete task: Buy stamps"), "{done}");
    assert!(once(dir.path(), "today").contains("standup"));
    assert!(once(dir.path(), "agenda 2").contains("second interview"));
    assert!(once(dir.path(), "waiting").starts_with("To chase:"));
    assert!(once(dir.path(), "briefing").starts_with("**Good morning**"));
    assert!(once(dir.path(), "briefing evening").starts_with("**Evening summary**"));
    assert!(once(dir.path(), "suggest @home 30 min").starts_with("1. "));
    assert!(once(dir.path(), "help").contains("add TEXT"));
    assert_eq!(
        once(dir.path(), "what should I do about the roof?"),
        format!("{}\n", myorg_assistant::app::chat::NO_LLM)
    );
    assert!(once(dir.path(), "agenda many").starts_with("Say: agenda [DAYS]"));
}

#[test]
fn what_the_grammar_reads_is_what_the_commands_print() {
    let dir = TempDir::new().unwrap();
    let command = |args: &[&str]| {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        stdout(&myorg(dir.path(), &all, &ENV))
    };
    once(dir.path(), "add Buy stamps due:tomorrow +errands");
    for (message, args) in [
        ("today", &["today"][..]),
        ("agenda 3", &["agenda", "--days", "3"]),
        ("tasks +errands", &["tasks", "+errands"]),
        ("tasks", &["tasks"]),
        ("waiting", &["waiting"]),
        ("briefing", &["briefing", "morning"]),
        ("briefing weekly", &["briefing", "weekly"]),
        (
            "suggest @home 30 min",
            &["suggest", "--context", "home", "--minutes", "30"],
        ),
        ("suggest", &["suggest"]),
    ] {
        let said = once(dir.path(), message);
        assert!(!said.is_empty(), "{message}");
        assert_eq!(said, command(args), "{message}");
    }
}

#[test]
fn a_conversation_goes_on_after_an_error_and_ends_with_quit() {
    let dir = TempDir::new().unwrap();
    let input =
        "add Water the ferns\n\ndone no such task at all\ndone water the ferns\nquit\nadd Never added\n";
    let output = myorg_with_input(dir.path(), &["--store", "s", "chat"], &ENV, input);
    let out = stdout(&output);
    assert!(out.contains("Water the ferns"), "{out}");
    assert!(
        out.contains("Sorry: no open task has the reference or the words"),
        "{out}"
    );
    assert!(out.contains("Complete task: Water the ferns"), "{out}");
    let todo = std::fs::read_to_string(dir.path().join("s/todo.txt")).unwrap();
    assert!(!todo.contains("Never added"), "nothing after quit");
}
