//! `POST /webhooks/github` of the real `myorg run` on 127.0.0.1, with deliveries
//! shaped as GitHub sends them (a pull request opened as a draft, ready for review,
//! closed with and without a merge; a push to ignore), signed with the webhook's
//! secret: a pull request naming `+website` or a `website/…` branch is logged for the
//! project, a task it names gets a `pr:` tag, and the merge completes the task it
//! closes, each one commit by `github (webhook)`. A bad or missing signature, a replayed
//! delivery, a body that is no pull request event and a body too large change nothing.

use hmac::{KeyInit, Mac};
use serde_json::{Value, json};
use std::path::Path;
use tempfile::TempDir;

mod support;
use support::run::{Running, client};

const SECRET: &str = "webhook-s3cret";

fn start(dir: &Path) -> Running {
    Running::start(
        dir,
        &["--store", "s"],
        &[
            ("MYORG_USER_NAME", "ana"),
            ("MYORG_SCHEDULER_MODE", "external"),
            ("MYORG_NOW", "2026-11-23T08:00:00"),
            ("GITHUB_WEBHOOK_SECRET", SECRET),
        ],
    )
}

fn sign(body: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!(
        "sha256={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// A `pull_request` delivery's body, in the shape GitHub sends (the fields read, and
/// some others around them).
fn pull_request(
    action: &str,
    number: u64,
    title: &str,
    body: &str,
    branch: &str,
    draft: bool,
    merged: bool,
) -> Value {
    let url = format!("https://github.com/acme/site/pull/{number}");
    json!({
        "action": action,
        "number": number,
        "pull_request": {
            "url": format!("https://api.github.com/repos/acme/site/pulls/{number}"),
            "id": 1_000_000 + number,
            "html_url": url,
            "number": number,
            "state": if action == "closed" { "closed" } else { "open" },
            "locked": false,
            "title": title,
            "user": {"login": "ana-g", "id": 501, "type": "User"},
            "body": body,
            "created_at": "2026-11-23T07:00:00Z",
            "draft": draft,
            "merged": merged,
            "merged_at": if merged { json!("2026-11-23T07:55:00Z") } else { Value::Null },
            "head": {"label": format!("acme:{branch}"), "ref": branch, "sha": "0f1e2d3c"},
            "base": {"label": "acme:main", "ref": "main", "sha": "4b5a6978"},
        },
        "repository": {"id": 42, "name": "site", "full_name": "acme/site", "private": true},
        "sender": {"login": "ana-g", "id": 501, "type": "User"},
    })
}

async fn post(
    url: &str,
    event: &str,
    delivery: &str,
    body: &[u8],
    signature: Option<String>,
) -> (u16, String) {
    let mut request = client()
        .post(format!("{url}/webhooks/github"))
        .header("content-type", "application/json")
        .header("x-github-event", event)
        .header("x-github-delivery", delivery)
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("x-hub-signature-256", signature);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn deliver(url: &str, event: &str, delivery: &str, body: &Value) -> (u16, String) {
    let bytes = serde_json::to_vec(body).unwrap();
    post(url, event, delivery, &bytes, Some(sign(&bytes))).await
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

fn file(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("s").join(name)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_requests_are_linked_to_projects_and_tasks_and_bad_deliveries_change_nothing() {
    let dir = TempDir::new().unwrap();
    let running = start(dir.path());
    let url = running.url.clone();
    let head = || git(dir.path(), &["rev-parse", "HEAD"]);
    let before = head();

    let opened = pull_request(
        "opened",
        12,
        "Fix the contact form myorg:jyfb",
        "Emoji in messages broke the encoding.\r\n\r\nFixes jyfb",
        "website/contact-form",
        false,
        false,
    );
    let bytes = serde_json::to_vec(&opened).unwrap();
    // Refused before anything is read: no signature, a wrong one, one for other bytes.
    for signature in [None, Some("sha256=00".to_string()), Some(sign(b"{}"))] {
        let (status, text) = post(&url, "pull_request", "d-1", &bytes, signature).await;
        assert_eq!(status, 401, "{text}");
    }
    assert_eq!(head(), before, "nothing written");

    let (status, text) = deliver(&url, "pull_request", "d-1", &opened).await;
    assert_eq!(status, 200, "{text}");
    let done: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(done["status"], "done", "{text}");
    let log = file(dir.path(), "log.txt");
    assert!(
        log.ends_with("github: PR open: acme/site#12 Fix the contact form myorg:jyfb https://github.com/acme/site/pull/12 +website\n"),
        "{log}"
    );
    let todo = file(dir.path(), "todo.txt");
    assert!(
        todo.contains(
            "Fix broken contact form on staging +website @computer due:2026-11-20 estimate:2h pr:acme/site#12"
        ),
        "{todo}"
    );
    assert!(git(dir.path(), &["log", "-1", "--format=%B"]).contains("Requested-by: github (webhook)"));
    let after_open = head();

    // The same delivery again: nothing.
    let (status, text) = deliver(&url, "pull_request", "d-1", &opened).await;
    assert_eq!((status, text.contains("already handled")), (200, true), "{text}");
    assert_eq!(head(), after_open);

    // A draft for the kitchen, then ready for review, then closed without a merge.
    let draft = pull_request(
        "opened",
        13,
        "Countertop plan",
        "For +kitchen.",
        "plans",
        true,
        false,
    );
    assert_eq!(deliver(&url, "pull_request", "d-2", &draft).await.0, 200);
    let ready = pull_request(
        "ready_for_review",
        13,
        "Countertop plan",
        "For +kitchen.",
        "plans",
        false,
        false,
    );
    assert_eq!(deliver(&url, "pull_request", "d-3", &ready).await.0, 200);
    let closed = pull_request(
        "closed",
        13,
        "Countertop plan",
        "For +kitchen.",
        "plans",
        false,
        false,
    );
    assert_eq!(deliver(&url, "pull_request", "d-4", &closed).await.0, 200);
    let log = file(dir.path(), "log.txt");
    for state in [
        "PR draft: acme/site#13",
        "PR open: acme/site#13",
        "PR closed: acme/site#13",
    ] {
        assert!(log.contains(state), "{state}: {log}");
    }

    // Merged: logged, and the task it fixes is done.
    let merged = pull_request(
        "closed",
        12,
        "Fix the contact form myorg:jyfb",
        "Emoji in messages broke the encoding.\r\n\r\nFixes jyfb",
        "website/contact-form",
        false,
        true,
    );
    let (status, text) = deliver(&url, "pull_request", "d-5", &merged).await;
    assert_eq!(status, 200, "{text}");
    assert!(file(dir.path(), "log.txt").contains("PR merged: acme/site#12"));
    let todo = file(dir.path(), "todo.txt");
    let fixed = todo
        .lines()
        .find(|line| line.contains("Fix broken contact form"))
        .unwrap();
    assert!(
        fixed.starts_with("x 2026-11-23 2026-11-16 Fix broken contact form on staging")
            && fixed.contains("pr:acme/site#12"),
        "{todo}"
    );

    // The project's page lists its pull requests by their last state.
    let page = support::stdout(&support::myorg(
        dir.path(),
        &["--store", "s", "project", "website"],
        &[("MYORG_NOW", "2026-11-23T08:00:00")],
    ));
    assert!(page.contains("Pull requests:\n"), "{page}");
    assert!(
        page.contains("\n  https://github.com/acme/site/pull/12  merged, 2026-11-23\n"),
        "{page}"
    );

    // Nothing else changes anything.
    let settled = head();
    let push = json!({"ref": "refs/heads/main", "repository": {"full_name": "acme/site"}, "commits": []});
    let (status, text) = deliver(&url, "push", "d-6", &push).await;
    assert_eq!((status, text.contains("ignored")), (202, true), "{text}");
    let labeled = pull_request("labeled", 12, "Fix", "", "website/x", false, false);
    assert_eq!(deliver(&url, "pull_request", "d-7", &labeled).await.0, 202);
    let (status, text) = post(
        &url,
        "pull_request",
        "d-8",
        b"{not json",
        Some(sign(b"{not json")),
    )
    .await;
    assert_eq!(status, 400, "{text}");
    assert!(
        text.starts_with("the payload is not a pull request event"),
        "{text}"
    );
    let huge = vec![b' '; 2 * 1024 * 1024];
    let (status, _) = post(&url, "pull_request", "d-9", &huge, Some(sign(&huge))).await;
    assert_eq!(status, 413);
    assert_eq!(head(), settled, "nothing written");
    drop(running);
}
