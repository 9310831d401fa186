//! `myorg run` keeps its store in sync with the remote by itself (`[store]`
//! `sync_every_secs`, `first_retry_secs`, `push_window_ms`), through the real binary
//! and a local bare remote: a change another clone pushed is pulled; a change whose
//! push failed is pushed once the remote is back, with no new change to carry it; a
//! change that no longer applies after the remote moved is told to the person who
//! asked, by Discord; and SIGTERM in the middle still exits 0 and pushes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

mod support;
use serde_json::json;
use support::bot::{ANA, CONFIG, WAIT};
use support::run::{Running, count, remote_todo};
use support::{myorg, stderr};

/// Longer than any retry here waits: only a change that never lands reaches it.
const LANDS_WITHIN: Duration = Duration::from_secs(40);

/// A bare repository in `dir` for the store's remote, and its URL.
fn bare_remote(dir: &Path) -> (PathBuf, String) {
    let remote = dir.join("remote.git");
    git2::Repository::init_bare(&remote).unwrap();
    let url = remote.to_str().unwrap().to_string();
    (remote, url)
}

/// The team of the bot tests with `store` added to their `[store]` table.
fn team_with(store: &str) -> String {
    CONFIG.replacen("[store]\n", &format!("[store]\n{store}\n"), 1)
}

/// Waits until `done` holds, failing the test with `what` after [`LANDS_WITHIN`].
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < LANDS_WITHIN {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never happened within {LANDS_WITHIN:?}: {what}");
}

/// The remote's todo.txt, or "" while it is away or empty.
fn remote_todo_if_there(remote: &Path) -> String {
    if remote.join("refs/heads/main").exists() || remote.join("packed-refs").exists() {
        remote_todo(remote)
    } else {
        String::new()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_another_clone_pushed_is_pulled_every_sync_every_secs() {
    let dir = TempDir::new().unwrap();
    let (_remote, url) = bare_remote(dir.path());
    std::fs::write(
        dir.path().join("myorg.toml"),
        "[store]\nsync_every_secs = 1\nfirst_retry_secs = 1\n",
    )
    .unwrap();
    let env = [
        ("GIT_REPO_URL", url.as_str()),
        ("MYORG_CONFIG", "myorg.toml"),
        ("MYORG_USER_NAME", "ana"),
        ("MYORG_SCHEDULER_MODE", "external"),
    ];
    let mut running = Running::start(dir.path(), &["--store", "s"], &env);
    running.wait_for("sync: a pull at each interval");
    // Another clone of the same remote, by the CLI.
    let added = myorg(
        dir.path(),
        &["--store", "other", "add", "Pushed by the other clone"],
        &env,
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let todo = dir.path().join("s/todo.txt");
    eventually("the running store pulls the other clone's change", || {
        std::fs::read_to_string(&todo)
            .unwrap_or_default()
            .contains("Pushed by the other clone")
    })
    .await;
    let (status, lines) = running.stop();
    assert!(status.success(), "{status}: {lines:#?}");
    assert_eq!(count(&lines, "server: stopped"), 1, "{lines:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_that_failed_is_retried_until_the_remote_is_back_without_a_new_change() {
    // Pulls an hour apart: only the retries can push it within the test.
    let bot = support::bot::start_with(&team_with("sync_every_secs = 3600\nfirst_retry_secs = 1"), &[]).await;
    let away = bot.dir.path().join("away.git");
    std::fs::rename(&bot.remote, &away).unwrap();
    let added = bot
        .fake
        .slash(
            ANA,
            support::bot::CHANNEL,
            "add",
            &[("text", json!("Written while the remote was away"))],
        )
        .await
        .unwrap();
    let reply = added.reply(WAIT).await.unwrap();
    assert!(
        reply.text().contains("Written while the remote was away"),
        "{reply:?}"
    );
    bot.stderr_until("sync: the remote was not reached").await;
    std::fs::rename(&away, &bot.remote).unwrap();
    assert!(!bot.remote_todo().contains("Written while the remote was away"));
    // No command, no trigger: the retries alone push it.
    eventually("the retry pushes the change", || {
        remote_todo_if_there(&bot.remote).contains("Written while the remote was away")
    })
    .await;
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_that_no_longer_applies_after_a_retry_is_told_to_whoever_asked() {
    let bot = support::bot::start_with(&team_with("sync_every_secs = 3600\nfirst_retry_secs = 1"), &[]).await;
    let channel = support::bot::CHANNEL;
    let added = bot
        .fake
        .slash(ANA, channel, "add", &[("text", json!("Pay the plumber"))])
        .await
        .unwrap();
    added.reply(WAIT).await.unwrap();
    bot.remote_todo_until("the task is pushed", |todo| todo.contains("Pay the plumber"))
        .await;

    // Ana completes it while the remote is away; meanwhile someone deletes it there.
    let away = bot.dir.path().join("away.git");
    std::fs::rename(&bot.remote, &away).unwrap();
    let done = bot
        .fake
        .slash(ANA, channel, "done", &[("task", json!("plumber"))])
        .await
        .unwrap();
    done.reply(WAIT).await.unwrap();
    let elsewhere = [
        ("GIT_REPO_URL", away.to_str().unwrap()),
        ("MYORG_USER_NAME", "Ben Okafor"),
    ];
    let deleted = myorg(
        bot.dir.path(),
        &["--store", "elsewhere", "delete", "plumber", "--yes"],
        &elsewhere,
    );
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    std::fs::rename(&away, &bot.remote).unwrap();

    // The retry finds the remote moved, replays the completion there, where the task
    // is gone, and tells Ana by direct message.
    let dms = bot.fake.wait_dms(ANA, 1, LANDS_WITHIN).await.unwrap();
    let text = dms[0].text();
    assert!(text.contains("could not be applied"), "{text}");
    assert!(text.contains("Pay the plumber"), "{text}");
    assert!(
        !bot.remote_todo().contains("Pay the plumber"),
        "the deletion stands"
    );
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_its_own_push_could_not_apply_is_told_to_whoever_asked() {
    let bot = support::bot::start_with(&team_with("sync_every_secs = 3600"), &[]).await;
    let channel = support::bot::CHANNEL;
    let added = bot
        .fake
        .slash(ANA, channel, "add", &[("text", json!("Pay the plumber"))])
        .await
        .unwrap();
    added.reply(WAIT).await.unwrap();
    bot.remote_todo_until("the task is pushed", |todo| todo.contains("Pay the plumber"))
        .await;
    // Someone deletes it on the remote; the bot has not pulled since.
    let remote = bot.remote.to_str().unwrap();
    let elsewhere = [("GIT_REPO_URL", remote), ("MYORG_USER_NAME", "Ben Okafor")];
    let deleted = myorg(
        bot.dir.path(),
        &["--store", "elsewhere", "delete", "plumber", "--yes"],
        &elsewhere,
    );
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    // Ana's completion is pushed at once, rejected, replayed on the remote's
    // version, where the task is gone: the bot's sync tells her.
    let done = bot
        .fake
        .slash(ANA, channel, "done", &[("task", json!("plumber"))])
        .await
        .unwrap();
    done.reply(WAIT).await.unwrap();
    let dms = bot.fake.wait_dms(ANA, 1, LANDS_WITHIN).await.unwrap();
    let text = dms[0].text();
    assert!(text.contains("could not be applied"), "{text}");
    assert!(text.contains("Pay the plumber"), "{text}");
    bot.assert_no_violation();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_a_push_waits_in_its_window_exits_0_and_pushes() {
    // Operations wait a minute to be pushed together; the stop does not wait for it.
    let mut bot =
        support::bot::start_with(&team_with("sync_every_secs = 3600\npush_window_ms = 60000"), &[]).await;
    let added = bot
        .fake
        .slash(
            ANA,
            support::bot::CHANNEL,
            "add",
            &[("text", json!("Batched until the stop"))],
        )
        .await
        .unwrap();
    added.reply(WAIT).await.unwrap();
    assert!(
        !bot.remote_todo().contains("Batched until the stop"),
        "pushed later, with what comes within the window"
    );
    let asked = Instant::now();
    bot.stop().await;
    assert!(asked.elapsed() < Duration::from_secs(20), "{:?}", asked.elapsed());
    assert!(bot.remote_todo().contains("Batched until the stop"));
    let said = bot.stderr_until(": stopped").await;
    assert!(!said.contains("stopping without waiting"), "{said}");
    assert!(!said.contains("commits not pushed"), "{said}");
}
