//! `myorg run` through the real binary on 127.0.0.1: health, readiness, metrics, job
//! triggers with their token (and `myorg trigger`, what a CronJob runs), and a
//! graceful stop on SIGTERM.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

mod support;
use support::myorg_command;

const TOKEN: &str = "t0ken-for-tests";

/// Starts `myorg run` on a free port with the schedule left to triggers, as in
/// Kubernetes; the child and its base URL.
fn start(dir: &std::path::Path) -> (Child, String) {
    let mut child = myorg_command(
        dir,
        &["--store", "s", "run"],
        &[
            ("MYORG_HTTP_ADDR", "127.0.0.1:0"),
            ("MYORG_TRIGGER_TOKEN", TOKEN),
            ("MYORG_USER_NAME", "ana"),
            ("MYORG_SCHEDULER_MODE", "external"),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let url = support::listening_on(&mut child);
    (child, url)
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_triggers_and_a_graceful_stop() {
    let dir = TempDir::new().unwrap();
    let (mut child, url) = start(dir.path());
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

    // SIGTERM: it stops serving and exits 0 in a bounded time.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "still running after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("myorg: headless")
            && stderr.contains("scheduler.mode is external")
            && stderr.ends_with("myorg: stopped\n"),
        "{stderr}"
    );
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
