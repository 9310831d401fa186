//! `myorg run` through the real binary on 127.0.0.1, its clock started with
//! `MYORG_NOW`: health, readiness (503 while the store cannot be read), metrics, job
//! triggers with their token (and `myorg trigger`, what a CronJob runs; 500 with the
//! error when the job fails), and a graceful stop on SIGTERM or SIGINT (what is not
//! pushed is pushed, a request in flight is answered, exit 0).

use std::fs::File;
use std::path::Path;
use tempfile::TempDir;

mod support;
use support::myorg_command;
use support::run::{Running, client, count, ended_stopped, remote_todo};

const TOKEN: &str = "t0ken-for-tests";

/// Starts `myorg run` on a free port with the schedule left to triggers, as in
/// Kubernetes, its clock starting at 2026-11-23 08:00, with `env`.
fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Running {
    let mut all = vec![
        ("MYORG_TRIGGER_TOKEN", TOKEN),
        ("MYORG_USER_NAME", "ana"),
        ("MYORG_SCHEDULER_MODE", "external"),
        ("MYORG_NOW", "2026-11-23T08:00:00"),
    ];
    all.extend_from_slice(env);
    let mut store = args.to_vec();
    store.extend(["--store", "s"]);
    Running::start(dir, &store, &all)
}

/// `POST URL/trigger/JOB` with the token.
async fn trigger(url: &str, job: &str) -> (u16, serde_json::Value) {
    let response = client()
        .post(format!("{url}/trigger/{job}"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}"));
    (status, body)
}

/// A bare repository in `dir` for the store's remote, and its URL.
fn bare_remote(dir: &Path) -> (std::path::PathBuf, String) {
    let remote = dir.join("remote.git");
    git2::Repository::init_bare(&remote).unwrap();
    let url = remote.to_str().unwrap().to_string();
    (remote, url)
}

/// A line added to the store's todo.txt by hand (which the next sync commits).
fn edit_by_hand(dir: &Path, line: &str) {
    let todo = dir.join("s/todo.txt");
    let mut text = std::fs::read_to_string(&todo).unwrap();
    text.push_str(line);
    text.push('\n');
    std::fs::write(&todo, text).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_triggers_and_a_graceful_stop() {
    let dir = TempDir::new().unwrap();
    let running = start(dir.path(), &[], &[]);
    let url = running.url.clone();
    let http = client();
    let get = |path: &str| http.get(format!("{url}{path}")).send();
    let health = get("/healthz").await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok\n");
    assert_eq!(get("/readyz").await.unwrap().status(), 200);

    let trigger = |job: &str, token: Option<&str>| {
        let request = http.post(format!("{url}/trigger/{job}"));
        match token {
            Some(token) => request.bearer_auth(token).send(),
            None => request.send(),
        }
    };
    assert_eq!(trigger("git-sync", None).await.unwrap().status(), 401);
    assert_eq!(trigger("git-sync", Some("wrong")).await.unwrap().status(), 401);
    let unknown = trigger("make-coffee", Some(TOKEN)).await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("deadline-checker"));
    let sync = trigger("git-sync", Some(TOKEN)).await.unwrap();
    assert_eq!(sync.status(), 200);
    let body: serde_json::Value = serde_json::from_str(&sync.text().await.unwrap()).unwrap();
    assert_eq!(body["job"], "git-sync");
    let briefing = trigger("morning-briefing", Some(TOKEN)).await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&briefing.text().await.unwrap()).unwrap();
    assert_eq!(
        body["result"]["sent"], 1,
        "one briefing, to the one person: {body}"
    );
    let retried = trigger("morning-briefing", Some(TOKEN)).await.unwrap();
    let retried: serde_json::Value = serde_json::from_str(&retried.text().await.unwrap()).unwrap();
    assert_eq!(
        retried["result"]["sent"], 0,
        "a retried trigger sends no second briefing: {retried}"
    );

    // What a CronJob container runs.
    let (dir2, url2) = (dir.path().to_path_buf(), url.clone());
    let output = tokio::task::spawn_blocking(move || {
        myorg_command(
            &dir2,
            &["trigger", "deadline-checker", "--url", &url2],
            &[("MYORG_TRIGGER_TOKEN", TOKEN)],
        )
        .output()
        .unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["job"], "deadline-checker");
    assert!(answer["result"]["sent"].is_u64(), "{answer}");
    // Twice: the ledger keeps anything from being sent again.
    let again = trigger("deadline-checker", Some(TOKEN)).await.unwrap();
    let again: serde_json::Value = serde_json::from_str(&again.text().await.unwrap()).unwrap();
    assert_eq!(again["result"]["sent"], 0, "{again}");

    let metrics = get("/metrics").await.unwrap().text().await.unwrap();
    assert!(
        metrics.contains("myorg_job_runs_total{job=\"deadline-checker\"} 2"),
        "{metrics}"
    );
    assert!(metrics.contains("myorg_unpushed_commits 0"), "{metrics}");

    // It watches the store's folders: a command beside it asks what changed, and the
    // hand edit it was told of is saved first.
    let socket = dir.path().join("s/.git/myorg/watch.sock");
    assert!(socket.exists());
    edit_by_hand(dir.path(), "2026-11-23 Written by hand beside the server");
    let dir3 = dir.path().to_path_buf();
    let output = tokio::task::spawn_blocking(move || {
        myorg_command(
            &dir3,
            &["--store", "s", "add", "Added beside the server"],
            &[
                ("MYORG_LOG", "myorg_assistant::store=debug"),
                ("MYORG_NOW", "2026-11-23T08:00:00"),
            ],
        )
        .output()
        .unwrap()
    })
    .await
    .unwrap();
    let logged = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{logged}");
    assert!(
        logged.contains("where the watcher saw changes") || logged.contains("in every file watched=true"),
        "{logged}"
    );
    let repo = git2::Repository::open(dir.path().join("s")).unwrap();
    let saved = repo.revparse_single("HEAD~1").unwrap().peel_to_commit().unwrap();
    assert_eq!(
        saved.summary().unwrap(),
        Some("Save edits made outside the assistant")
    );

    // SIGTERM: it stops serving and exits 0 (a hang is caught by `HANG`).
    running.terminate();
    let (status, lines) = running.wait();
    assert!(status.success(), "{lines:#?}");
    assert_eq!(count(&lines, "watching the store's folders"), 1, "{lines:#?}");
    assert!(!socket.exists());
    assert_eq!(count(&lines, "headless: no DISCORD_BOT_TOKEN"), 1, "{lines:#?}");
    assert_eq!(count(&lines, "scheduler.mode is external"), 1, "{lines:#?}");
    assert!(ended_stopped(&lines), "{lines:#?}");
}

/// `/readyz` reads the store's `.git`: while it cannot be read the assistant is not
/// ready (503, saying why), and it is ready again once it can.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_answers_503_while_the_store_cannot_be_read() {
    let dir = TempDir::new().unwrap();
    let running = start(dir.path(), &[], &[]);
    let ready = || client().get(format!("{}/readyz", running.url)).send();
    assert_eq!(ready().await.unwrap().status(), 200);

    let (git, away) = (dir.path().join("s/.git"), dir.path().join("s/git-away"));
    std::fs::rename(&git, &away).unwrap();
    let answer = ready().await.unwrap();
    assert_eq!(answer.status(), 503);
    assert_eq!(answer.text().await.unwrap(), "the store cannot be read\n");

    std::fs::rename(&away, &git).unwrap();
    let answer = ready().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), "ready\n");
    let (status, lines) = running.stop();
    assert!(status.success(), "{lines:#?}");
}

/// A triggered job that fails answers 500 with the job and its error, and counts as
/// a failure in the metrics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trigger_whose_job_fails_answers_500_with_the_error() {
    let dir = TempDir::new().unwrap();
    let (remote, url) = bare_remote(dir.path());
    let running = start(dir.path(), &[], &[("GIT_REPO_URL", url.as_str())]);
    // The remote gone: the sync cannot reach it.
    std::fs::rename(&remote, dir.path().join("moved.git")).unwrap();
    let (status, body) = trigger(&running.url, "git-sync").await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["job"], "git-sync", "{body}");
    let error = body["error"].as_str().unwrap_or_default();
    assert!(error.starts_with("the sync did not reach the remote: "), "{body}");
    assert!(body.get("result").is_none(), "{body}");
    running
        .wait_for_metric("myorg_job_failures_total{job=\"git-sync\"} 1")
        .await;
    let (status, lines) = running.stop();
    assert!(status.success(), "{lines:#?}");
}

/// SIGINT (Ctrl-C) stops it as SIGTERM does: the commits not pushed yet are pushed,
/// and it exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_stops_like_sigterm_pushing_what_is_pending() {
    let dir = TempDir::new().unwrap();
    let (remote, url) = bare_remote(dir.path());
    let running = start(dir.path(), &[], &[("GIT_REPO_URL", url.as_str())]);
    // A hand edit committed by a sync while the remote is away: one commit waits.
    let moved = dir.path().join("moved.git");
    std::fs::rename(&remote, &moved).unwrap();
    edit_by_hand(dir.path(), "Edited by hand while the remote was away");
    let (status, body) = trigger(&running.url, "git-sync").await;
    assert_eq!(status, 500, "{body}");
    running.wait_for_metric("myorg_unpushed_commits 1").await;
    std::fs::rename(&moved, &remote).unwrap();
    assert!(!remote_todo(&remote).contains("Edited by hand"));

    running.signal(libc::SIGINT);
    let (status, lines) = running.wait();
    assert!(status.success(), "{status}: {lines:#?}");
    assert!(ended_stopped(&lines), "{lines:#?}");
    assert!(
        remote_todo(&remote).contains("Edited by hand while the remote was away\n"),
        "pushed on the way out"
    );
}

/// A request being answered when SIGTERM comes is answered before the process exits:
/// here a trigger whose job waits for the reminder ledger's lock, held by the test
/// until the endpoint has stopped taking new connections (the stop's own push does
/// not wait for that lock, so only the wait for requests in flight holds the exit).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_at_sigterm_is_answered_before_the_exit() {
    let dir = TempDir::new().unwrap();
    let mut running = start(dir.path(), &[], &[]);
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join("s/.git/myorg/reminders.lock"))
        .unwrap();
    lock.lock().unwrap();
    let url = running.url.clone();
    let in_flight = tokio::spawn(async move { trigger(&url, "deadline-checker").await });
    running.wait_for("another process is sending reminders; waiting");

    running.terminate();
    running.wait_until_refused().await;
    assert!(running.is_running(), "the request in flight holds the stop");
    assert!(!in_flight.is_finished());
    drop(lock);
    let (status, body) = in_flight.await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["job"], "deadline-checker", "{body}");
    assert!(body["result"]["sent"].is_u64(), "{body}");
    let (status, lines) = running.wait();
    assert!(status.success(), "{lines:#?}");
    assert_eq!(count(&lines, "without waiting"), 0, "{lines:#?}");
    assert!(ended_stopped(&lines), "{lines:#?}");
}

#[test]
fn trigger_without_a_token_or_a_server_says_why() {
    let dir = TempDir::new().unwrap();
    let output = myorg_command(dir.path(), &["trigger", "git-sync"], &[])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("MYORG_TRIGGER_TOKEN"));
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let output = myorg_command(
        dir.path(),
        &["trigger", "git-sync", "--url", &closed],
        &[("MYORG_TRIGGER_TOKEN", TOKEN)],
    )
    .output()
    .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("reaching"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trigger_answer_that_echoes_the_token_is_printed_without_it() {
    use support::fake_llm::{FakeLlm, Reply};
    let dir = TempDir::new().unwrap();
    let server = FakeLlm::unchecked().await;
    server.push(Reply::text(
        401,
        "text/plain",
        format!("token {TOKEN} is not the one"),
    ));
    server.push(Reply::text(
        200,
        "text/plain",
        format!("ran, with token {TOKEN}\n"),
    ));
    let (path, url) = (dir.path().to_path_buf(), server.url());
    let output = tokio::task::spawn_blocking(move || {
        [0, 1].map(|_| {
            myorg_command(
                &path,
                &["trigger", "git-sync", "--url", &url],
                &[("MYORG_TRIGGER_TOKEN", TOKEN)],
            )
            .output()
            .unwrap()
        })
    })
    .await
    .unwrap();
    let [refused, ran] = output;
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert_eq!(
        error,
        "myorg: the assistant answered 401 Unauthorized: token [redacted] is not the one\n"
    );
    assert!(ran.status.success());
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        "ran, with token [redacted]\n"
    );
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    server.assert_all_used();
}
