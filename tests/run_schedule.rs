//! `myorg run` with the in-process schedule, through the real binary, its clock
//! started with `MYORG_NOW`: a briefing missed while it was down comes on start, once
//! (a restart sends it no second time), a job runs at its time; SIGTERM while a job
//! runs lets the job finish, then the process pushes and exits 0; and `/metrics`
//! answers while a job waits for the store's writer lock.

use std::fs::File;
use std::path::Path;
use tempfile::TempDir;

mod support;
use support::run::{Running, count, ended_stopped, remote_todo};
use support::{myorg, stdout};

/// `myorg --config myorg.toml --store s run` in `dir`, its clock starting at `now`
/// (Madrid time), with `env`.
fn start(dir: &Path, now: &str, env: &[(&str, &str)]) -> Running {
    let mut all = vec![("MYORG_USER_NAME", "ana"), ("MYORG_NOW", now)];
    all.extend_from_slice(env);
    Running::start(dir, &["--config", "myorg.toml", "--store", "s"], &all)
}

fn write_config(dir: &Path, jobs: &str) {
    std::fs::write(
        dir.join("myorg.toml"),
        format!(
            "[store]\ntimezone = \"Europe/Madrid\"\n\n[[people]]\nname = \"Ana García\"\n\n\
             [scheduler]\ncatch_up_minutes = 180\n\n[scheduler.jobs]\n{jobs}"
        ),
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_briefing_comes_once_on_start_and_jobs_run_at_their_time() {
    let dir = TempDir::new().unwrap();
    write_config(
        dir.path(),
        "evening-summary = \"\"\ndeadline-checker = \"\"\nevent-reminders = \"\"\n\
         waiting-followup = \"\"\ngit-sync = \"*/5 * * * *\"\n",
    );
    // 09:59:52 in Madrid: the 08:00 briefing was missed; the sync is due at 10:00
    // (a few seconds on, time enough to start on a busy machine).
    let mut bot = start(dir.path(), "2026-11-23T09:59:52", &[]);
    bot.wait_for("message to=ana text=**Good morning** — Mon 23 Nov 2026");
    bot.wait_for_metric("myorg_job_runs_total{job=\"git-sync\"} 1")
        .await;
    bot.wait_for_metric("myorg_messages_sent_total 1").await;
    let (status, lines) = bot.stop();
    assert!(status.success(), "{lines:#?}");
    assert_eq!(count(&lines, "message to=ana "), 1, "{lines:#?}");
    assert_eq!(
        count(
            &lines,
            "was due while the assistant was stopped; running it now job=morning-briefing recipients=ana due_at=2026-11-23 07:00:00 UTC"
        ),
        1,
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l
            .ends_with("scheduled job=git-sync recipients=everyone cron=\"*/5 * * * *\" zone=Europe/Madrid")),
        "{lines:#?}"
    );
    assert!(ended_stopped(&lines), "{lines:#?}");

    // Started again at 10:30: the catch-up runs, and the ledger sends nothing twice.
    let bot = start(dir.path(), "2026-11-23T10:30:00", &[]);
    bot.wait_for_metric("myorg_job_runs_total{job=\"morning-briefing\"} 1")
        .await;
    let (status, lines) = bot.stop();
    assert!(status.success(), "{lines:#?}");
    assert_eq!(count(&lines, "message to=ana "), 0, "{lines:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_briefing_time_set_while_running_is_kept_without_a_restart() {
    let dir = TempDir::new().unwrap();
    write_config(
        dir.path(),
        "evening-summary = \"\"\ndeadline-checker = \"\"\nevent-reminders = \"\"\n\
         waiting-followup = \"\"\ngit-sync = \"\"\nteam-digest = \"\"\nweekly-review = \"\"\n",
    );
    // 06:59:40 in Madrid; the morning briefing is at 08:00 by the schedule.
    let mut bot = start(dir.path(), "2026-11-23T06:59:40", &[]);
    bot.wait_for("scheduled job=morning-briefing recipients=ana cron=\"0 8 * * *\"");
    // Ana moves it to 07:00 from the terminal while the assistant runs.
    let set = myorg(
        dir.path(),
        &[
            "--config",
            "myorg.toml",
            "--store",
            "s",
            "settings",
            "morning",
            "07:00",
        ],
        &[("MYORG_USER_NAME", "ana"), ("MYORG_NOW", "2026-11-23T06:59:45")],
    );
    assert!(set.status.success(), "{set:?}");
    assert_eq!(stdout(&set), "ana's morning is now 07:00.\n");
    bot.wait_for(
        "rescheduled with the store's settings job=morning-briefing recipients=ana cron=\"0 7 * * *\"",
    );
    bot.wait_for("message to=ana text=**Good morning** — Mon 23 Nov 2026");
    let (status, lines) = bot.stop();
    assert!(status.success(), "{lines:#?}");
    assert_eq!(count(&lines, "message to=ana "), 1, "{lines:#?}");
    assert_eq!(
        count(&lines, "was due while the assistant was stopped"),
        0,
        "{lines:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_running_job_finish_then_pushes_and_exits_0() {
    let dir = TempDir::new().unwrap();
    let remote = dir.path().join("remote.git");
    git2::Repository::init_bare(&remote).unwrap();
    write_config(
        dir.path(),
        "morning-briefing = \"\"\nevening-summary = \"\"\ndeadline-checker = \"\"\n\
         event-reminders = \"\"\nwaiting-followup = \"\"\ngit-sync = \"0 10 * * *\"\n",
    );
    let mut bot = start(
        dir.path(),
        "2026-11-23T09:59:52",
        &[("GIT_REPO_URL", remote.to_str().unwrap())],
    );
    // A hand edit the sync will commit and push, and the store's writer lock held
    // here, so that the sync at 10:00 waits for it.
    let todo = dir.path().join("s/todo.txt");
    let mut text = std::fs::read_to_string(&todo).unwrap();
    text.push_str("Edited by hand while the bot runs\n");
    std::fs::write(&todo, text).unwrap();
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join("s/.git/myorg/writer.lock"))
        .unwrap();
    lock.lock().unwrap();
    bot.wait_for("another process is writing to the store; waiting");

    bot.terminate();
    bot.wait_for(
        "stopping the schedule: waiting for the running job to finish job=git-sync recipients=everyone",
    );
    assert!(bot.is_running(), "the job holds the stop");
    drop(lock);
    let (status, lines) = bot.stop();
    assert!(status.success(), "{lines:#?}");
    assert!(ended_stopped(&lines), "{lines:#?}");
    assert_eq!(count(&lines, "without waiting"), 0, "{lines:#?}");
    assert_eq!(count(&lines, "failed"), 0, "{lines:#?}");
    // The sync finished: the hand edit is on the remote.
    let remote_todo = remote_todo(&remote);
    assert!(
        remote_todo.contains("Edited by hand while the bot runs"),
        "{remote_todo}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_answer_while_a_job_waits_for_the_writer_lock() {
    let dir = TempDir::new().unwrap();
    // The job waits for the lock as long as the test holds it: far longer than HANG.
    std::fs::write(
        dir.path().join("myorg.toml"),
        "[store]\ntimezone = \"Europe/Madrid\"\nlock_timeout_secs = 3600\n\n\
         [[people]]\nname = \"Ana García\"\n\n[scheduler.jobs]\nmorning-briefing = \"\"\n\
         evening-summary = \"\"\ndeadline-checker = \"\"\nevent-reminders = \"\"\n\
         waiting-followup = \"\"\ngit-sync = \"0 10 * * *\"\n",
    )
    .unwrap();
    let mut bot = start(dir.path(), "2026-11-23T09:59:52", &[]);
    bot.wait_for_metric("myorg_unpushed_commits 0").await;
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join("s/.git/myorg/writer.lock"))
        .unwrap();
    lock.lock().unwrap();
    bot.wait_for("another process is writing to the store; waiting");

    // The sync at 10:00 holds the store while it waits; a scrape answers all the same,
    // before the lock is released.
    let client = support::run::client();
    let scraped = client
        .get(format!("{}/metrics", bot.url))
        .send()
        .await
        .expect("/metrics answers while a job waits for the writer lock");
    assert_eq!(scraped.status(), 200);
    let text = scraped.text().await.unwrap();
    assert!(
        text.lines()
            .any(|l| l == "myorg_jobs_running{job=\"git-sync\"} 1"),
        "{text}"
    );
    assert!(text.lines().any(|l| l == "myorg_unpushed_commits 0"), "{text}");
    // A store busy with a job is still ready: readiness must not wait for it either.
    let ready = client
        .get(format!("{}/readyz", bot.url))
        .send()
        .await
        .expect("/readyz answers while a job waits for the writer lock");
    assert_eq!(ready.status(), 200);
    assert!(bot.is_running());

    drop(lock);
    bot.wait_for_metric("myorg_job_runs_total{job=\"git-sync\"} 1")
        .await;
    let (status, lines) = bot.stop();
    assert!(status.success(), "{lines:#?}");
    assert_eq!(count(&lines, "failed"), 0, "{lines:#?}");
}
