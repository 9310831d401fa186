//! Every command reads the whole configuration and refuses a bad one before it
//! touches the store: the same clear error from `add` and `remind` as from `myorg run`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

mod support;
use support::{myorg, run_in_store as run, stderr};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// `myorg --config FILE --store s ARGS` in `dir`, which must fail: its error.
fn fails_with_config(dir: &Path, config: &str, args: &[&str]) -> String {
    let file = dir.join("myorg.toml");
    std::fs::write(&file, config).unwrap();
    let mut all = vec!["--config", file.to_str().unwrap(), "--store", "s"];
    all.extend_from_slice(args);
    stderr(&myorg(dir, &all, &[]))
}

#[test]
fn every_command_validates_the_whole_configuration() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["add", "A", "task", "due:2026-11-23"]);
    let before = snapshot(&dir.path().join("s"));
    let bad = [
        (
            "[[people]]\nname = \"Ana García\"\ntimezone = \"Mars/Olympus\"\n",
            ["Ana García", "\"Mars/Olympus\"", "not an IANA name"],
        ),
        (
            "[[people]]\nname = \"Ana García\"\nmorning = \"25:00\"\n",
            ["ana", "morning time \"25:00\"", "not a time"],
        ),
        (
            "[scheduler.jobs]\nmorning-briefing = \"0 8 30 2 *\"\n",
            ["scheduler.jobs.morning-briefing", "\"0 8 30 2 *\"", "never comes"],
        ),
        (
            "[store]\nwatch_idle_secs = 0\n",
            ["[store] watch_idle_secs", "at least 1", "myorg.toml"],
        ),
    ];
    for (config, says) in bad {
        for args in [
            &["add", "Another", "task"][..],
            &["remind"],
            &["remind", "--dry-run"],
        ] {
            let error = fails_with_config(dir.path(), config, args);
            assert!(
                error.starts_with("myorg: in the configuration ("),
                "{args:?}: {error}"
            );
            for words in says {
                assert!(error.contains(words), "{args:?} should say {words:?}: {error}");
            }
            assert_eq!(error.lines().count(), 1, "{error}");
        }
    }
    assert!(
        before == snapshot(&dir.path().join("s")),
        "a refused command changes nothing"
    );
}

#[test]
fn a_git_token_is_never_sent_over_plain_http_to_another_machine() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["add", "A", "task"]);
    let before = snapshot(&dir.path().join("s"));
    let env = [
        (
            "GIT_REPO_URL",
            "http://you:s3cret-token@git.example.com/store.git",
        ),
        ("GIT_TOKEN", "s3cret-token"),
    ];
    for store in ["s", "new"] {
        let error = stderr(&myorg(dir.path(), &["--store", store, "add", "Another"], &env));
        assert!(
            error.contains(
                "GIT_TOKEN would be sent unencrypted to the remote http://git.example.com/store.git: \
                 use an https:// (or ssh) remote"
            ),
            "{error}"
        );
        assert!(!error.contains("s3cret-token"), "{error}");
    }
    assert!(
        before == snapshot(&dir.path().join("s")),
        "a refused command changes nothing"
    );
    assert!(!dir.path().join("new").exists());

    // To this machine it goes, with a warning.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}/store.git");
    let output = myorg(
        dir.path(),
        &["--store", "s", "add", "Another"],
        &[("GIT_REPO_URL", &url), ("GIT_TOKEN", "s3cret-token")],
    );
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("WARN")
            && error.contains("GIT_TOKEN is sent unencrypted")
            && error.contains(&format!("remote={url}")),
        "{error}"
    );
    assert!(!error.contains("s3cret-token"), "{error}");
}

/// The binary under test sees none of the developer's settings: every variable the
/// configuration reads (and the clock's) is removed from its environment, and its home
/// is the test's own, where the default store is made.
#[test]
fn tests_run_the_binary_without_the_developers_environment() {
    use myorg_assistant::config::{ENV_KEYS, LIST_ENV_KEYS};
    use std::ffi::OsStr;
    let dir = TempDir::new().unwrap();
    let mut command = support::myorg_command(dir.path(), &["status"], &[]);
    let envs: BTreeMap<&OsStr, Option<&OsStr>> = command.get_envs().collect();
    let read = ENV_KEYS
        .iter()
        .chain(LIST_ENV_KEYS.iter())
        .map(|(var, _)| *var)
        .chain([
            "MYORG_CONFIG",
            "MYORG_NOW",
            "MYORG_LOG",
            "RUST_LOG",
            "MYORG_LOG_FORMAT",
            "XDG_DATA_HOME",
            "USER",
        ]);
    for var in read {
        assert_eq!(envs.get(OsStr::new(var)), Some(&None), "{var} is inherited");
    }
    let home = dir.path().join("home");
    assert_eq!(envs.get(OsStr::new("HOME")), Some(&Some(home.as_os_str())));
    let status = support::stdout(&command.output().unwrap());
    let store = home.join(".local/share/myorg/store");
    assert!(
        status.contains(&format!("store: {}", store.display())),
        "{status}"
    );
}

#[test]
fn myorg_directives_prints_the_configurations_and_the_stores_with_the_stricter_holding() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("myorg.toml"),
        "[directives]\ndelete = \"confirm\"\nadd = \"never\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("s/.myorg")).unwrap();
    std::fs::write(
        dir.path().join("s/.myorg/settings.toml"),
        "[team.directives]\ndelete = \"never\"\nadd = \"auto\"\nbulk = \"confirm\"\n",
    )
    .unwrap();
    let out = support::myorg(
        dir.path(),
        &["--config", "myorg.toml", "--store", "s", "directives"],
        &[],
    );
    assert!(out.status.success(), "{out:?}");
    let printed = support::stdout(&out);
    for line in [
        "delete_task: never\n",
        "add_task: never\n",
        "tell_team: confirm\n",
        "complete_task: auto\n",
        "bulk (several tasks in one call): confirm\n",
    ] {
        assert!(printed.contains(line), "{line}{printed}");
    }
}
