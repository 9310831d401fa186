//! Running the real `myorg` binary in tests: a clean environment (none of the
//! developer's store, remote or identity), the clock fixed with `MYORG_NOW`.

#![allow(dead_code)] // Each test binary uses its own part of this.

pub mod bot;
pub mod dashboard;
pub mod fake_discord;
pub mod fake_llm;
pub mod inbox;
pub mod run;
pub mod web;

use myorg_assistant::config::{ENV_KEYS, LIST_ENV_KEYS};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The environment variables a test must not inherit: every one the configuration
/// reads (`ENV_KEYS`, `LIST_ENV_KEYS`, `MYORG_CONFIG`, and `XDG_DATA_HOME`, `HOME` and
/// `USER` for the default store and person), the clock's `MYORG_NOW`, the logs'
/// `MYORG_LOG`, `RUST_LOG` and `MYORG_LOG_FORMAT` (standard error is compared), the
/// dashboard's `WEB_HOST` and `WEB_PORT`, and
/// where libgit2 finds a global git configuration. `HOME` is replaced, not only removed
/// (see [`myorg_command`]).
pub fn cleared() -> impl Iterator<Item = &'static str> {
    ENV_KEYS
        .iter()
        .chain(LIST_ENV_KEYS.iter())
        .map(|(var, _)| *var)
        .chain([
            "MYORG_CONFIG",
            "MYORG_NOW",
            "MYORG_LOG",
            "RUST_LOG",
            "MYORG_LOG_FORMAT",
            "WEB_HOST",
            "WEB_PORT",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
            "HOME",
            "USER",
        ])
}

/// `myorg ARGS` in `dir` at 2026-11-23 08:00, with `env` set.
pub fn myorg(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    myorg_with_input(dir, args, env, "")
}

/// `myorg ARGS` in `dir` as a command to start, in the clean environment (`HOME` is
/// `dir/home`), with `env` (the clock is not fixed: add `MYORG_NOW` to `env` for that).
pub fn myorg_command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_myorg"));
    command.current_dir(dir).args(args);
    for var in cleared() {
        command.env_remove(var);
    }
    // A home of the test's own (never created unless a command needs it): the default
    // store and git's global configuration are not the developer's.
    command.env("HOME", dir.join("home"));
    command.envs(env.iter().copied());
    command
}

/// Like [`myorg`], with `input` on standard input.
pub fn myorg_with_input(dir: &Path, args: &[&str], env: &[(&str, &str)], input: &str) -> Output {
    let mut command = myorg_command(dir, args, &[("MYORG_NOW", "2026-11-23T08:00:00")]);
    command.envs(env.iter().copied());
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("myorg runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // A command that does not read its input may have exited already.
        let _ = stdin.write_all(input.as_bytes());
    }
    child.wait_with_output().expect("myorg finishes")
}

/// The base URL `myorg run` prints first on its (piped) standard output, once it
/// listens: `http://127.0.0.1:PORT`.
pub fn listening_on(child: &mut std::process::Child) -> String {
    use std::io::BufRead;
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout is piped"))
        .read_line(&mut first)
        .expect("myorg run prints where it listens");
    first
        .trim()
        .strip_prefix("myorg: listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_string()
}

/// The standard output of a command that succeeded.
pub fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The standard error of a command that failed.
pub fn stderr(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "expected a failure: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// `myorg --store s ARGS` in `dir`: the standard output of a command that succeeded.
pub fn run_in_store(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--store", "s"];
    all.extend_from_slice(args);
    stdout(&myorg(dir, &all, &[]))
}

/// `myorg --store s ARGS` in `dir`: the standard error of a command that failed.
pub fn fail_in_store(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--store", "s"];
    all.extend_from_slice(args);
    stderr(&myorg(dir, &all, &[]))
}

/// Whether the environment variable `var` (`UPDATE_GOLDEN`, `UPDATE_SNAPSHOTS`) asks
/// a test to rewrite its expectations instead of checking them.
pub fn updating(var: &str) -> bool {
    asks_to_update(std::env::var_os(var).as_deref())
}

/// Only `1` asks: unset, empty, `0` or anything else checks.
pub fn asks_to_update(value: Option<&std::ffi::OsStr>) -> bool {
    value == Some(std::ffi::OsStr::new("1"))
}
