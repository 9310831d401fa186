//! `/mcp` of `myorg run` through the real binary on 127.0.0.1: an rmcp
//! streamable-HTTP client with `MYORG_MCP_TOKEN` lists the tools and adds a task
//! committed as the `[user]` via mcp; no token or a wrong one is a 401 that changes
//! nothing (also on a live session); with no token configured every request is
//! refused and the start says so once; `myorg mcp token NAME` makes a person's own
//! token (kept hashed, mode 0600, the previous one replaced) whose changes, resources
//! and prompts are theirs,
//! and refuses someone who is not in `[[people]]`, changing nothing. No token reaches
//! the log. A client that hangs up mid-call leaves each change made once or not at
//! all, and a deletion waiting for its confirmation not made. The median time of a
//! tools/call over HTTP is printed, not asserted.

use myorg_assistant::agent::tools::Registry;
use rmcp::model::{CallToolRequestParams, CallToolResult, GetPromptRequestParams, ReadResourceRequestParams};
use rmcp::service::RunningService;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

mod support;
use support::run::{Running, client, count};

const USER_TOKEN: &str = "user-mcp-token-5ecret";

const PEOPLE: &str = r#"
[user]
name = "Ana García"
email = "ana@example.com"

[[people]]
name = "Ana García"
email = "ana@example.com"

[[people]]
name = "Luis Pérez"
email = "luis@example.com"
"#;

/// A sample store `s` in `dir` and a configuration with two people; the
/// configuration's path.
fn store_with_people(dir: &Path) -> PathBuf {
    support::stdout(&support::myorg(dir, &["init", "--sample", "s"], &[]));
    let config = dir.join("myorg.toml");
    std::fs::write(&config, PEOPLE).unwrap();
    config
}

/// `myorg run` on a free port with `env` besides the fixed clock, the external
/// schedule and debug logs.
fn start(dir: &Path, env: &[(&str, &str)]) -> Running {
    let mut all = vec![
        ("MYORG_NOW", "2026-11-23T08:00:00"),
        ("MYORG_SCHEDULER_MODE", "external"),
        ("MYORG_LOG", "debug"),
    ];
    all.extend_from_slice(env);
    let config = dir.join("myorg.toml");
    Running::start(dir, &["--config", config.to_str().unwrap(), "--store", "s"], &all)
}

/// An rmcp client of `url`/mcp sending `token`.
async fn connect(url: &str, token: &str) -> RunningService<RoleClient, ()> {
    ().serve(transport(url, token))
        .await
        .expect("the MCP session starts")
}

/// The streamable-HTTP transport to `url`/mcp sending `token`.
fn transport(url: &str, token: &str) -> StreamableHttpClientTransport<reqwest::Client> {
    StreamableHttpClientTransport::with_client(
        client(),
        StreamableHttpClientTransportConfig::with_uri(format!("{url}/mcp")).auth_header(token),
    )
}

async fn call(client: &RunningService<RoleClient, ()>, tool: &str, arguments: Value) -> CallToolResult {
    let Value::Object(arguments) = arguments else {
        panic!("arguments are an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(arguments))
        .await
        .unwrap()
}

fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|block| block.as_text().map(|text| text.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The newest commit of the store: its id, author `NAME <EMAIL>` and message.
fn last_commit(store: &Path) -> (String, String, String) {
    let repository = git2::Repository::open(store).unwrap();
    let head = repository.head().unwrap().peel_to_commit().unwrap();
    let author = head.author();
    (
        head.id().to_string(),
        format!(
            "{} <{}>",
            author.name().unwrap_or_default(),
            author.email().unwrap_or_default()
        ),
        head.message().unwrap_or_default().to_string(),
    )
}

fn todo(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("s/todo.txt")).unwrap()
}

/// `myorg mcp token NAME` for the store of `dir`.
fn issue(dir: &Path, name: &str) -> std::process::Output {
    let config = dir.join("myorg.toml");
    support::myorg(
        dir,
        &[
            "--config",
            config.to_str().unwrap(),
            "--store",
            "s",
            "mcp",
            "token",
            name,
        ],
        &[],
    )
}

/// A person's new token, from standard output.
fn token_for(dir: &Path, name: &str) -> String {
    support::stdout(&issue(dir, name)).trim().to_string()
}

/// An `initialize` POSTed to `/mcp` with `token` (none: no header); the status, the
/// session id and the body.
async fn initialize(url: &str, token: Option<&str>) -> (u16, Option<String>, String) {
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "raw", "version": "1"}}});
    post(url, token, None, &request).await
}

async fn post(
    url: &str,
    token: Option<&str>,
    session: Option<&str>,
    body: &Value,
) -> (u16, Option<String>, String) {
    let mut request = client()
        .post(format!("{url}/mcp"))
        .header("Accept", "application/json, text/event-stream")
        .header("Content-Type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(session) = session {
        request = request
            .header("Mcp-Session-Id", session)
            .header("MCP-Protocol-Version", "2025-06-18");
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let session = response
        .headers()
        .get("mcp-session-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    // An answer on an event stream stays open: its first event is enough here.
    let body = match tokio::time::timeout(std::time::Duration::from_secs(5), response.text()).await {
        Ok(text) => text.unwrap_or_default(),
        Err(_) => String::new(),
    };
    (status, session, body)
}

/// A session opened with `token` (initialize, then initialized), telling the server
/// whether this client can `confirm` through elicitation; its id.
async fn open_session(url: &str, token: &str, confirm: bool) -> String {
    let capabilities = if confirm {
        json!({"elicitation": {}})
    } else {
        json!({})
    };
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": capabilities,
        "clientInfo": {"name": "raw", "version": "1"}}});
    let (status, session, body) = post(url, Some(token), None, &request).await;
    assert_eq!(status, 200, "{body}");
    let session = session.expect("a session id");
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let (status, _, body) = post(url, Some(token), Some(&session), &initialized).await;
    assert_eq!(status, 202, "{body}");
    session
}

/// POSTs `body` on `session` over a socket of its own, reads the answer until it
/// holds `until` (nothing: not at all), and hangs up: a client that goes away mid-call.
async fn hang_up(url: &str, token: &str, session: &str, body: &Value, until: &str) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = url.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    let body = body.to_string();
    let request = format!(
        "POST /mcp HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Mcp-Session-Id: {session}\r\nMCP-Protocol-Version: 2025-06-18\r\n\
         Accept: application/json, text/event-stream\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut seen = Vec::new();
    while !until.is_empty() && !String::from_utf8_lossy(&seen).contains(until) {
        let mut buffer = [0u8; 4096];
        let read = tokio::time::timeout(std::time::Duration::from_secs(30), socket.read(&mut buffer))
            .await
            .expect("the server answers")
            .unwrap();
        assert!(
            read > 0,
            "closed before {until:?}: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buffer[..read]);
    }
    drop(socket);
}

/// The commits of the store, newest first: their subjects.
fn subjects(store: &Path) -> Vec<String> {
    let repository = git2::Repository::open(store).unwrap();
    let mut walk = repository.revwalk().unwrap();
    walk.push_head().unwrap();
    walk.map(|id| {
        let commit = repository.find_commit(id.unwrap()).unwrap();
        let message = commit.message().unwrap_or_default();
        message.lines().next().unwrap_or_default().to_string()
    })
    .collect()
}

fn median(mut times: Vec<std::time::Duration>) -> std::time::Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_users_token_lists_the_tools_and_a_change_is_committed_as_the_user_via_mcp() {
    let dir = TempDir::new().unwrap();
    store_with_people(dir.path());
    let running = start(dir.path(), &[("MYORG_MCP_TOKEN", USER_TOKEN)]);
    let mcp = connect(&running.url, USER_TOKEN).await;

    let tools = mcp.list_all_tools().await.unwrap();
    let names: Vec<String> = tools.iter().map(|tool| tool.name.to_string()).collect();
    assert_eq!(names, Registry::new().names());

    let added = call(
        &mcp,
        "add_task",
        json!({"text": "Call the plumber +house", "due": "fri"}),
    )
    .await;
    assert_eq!(added.is_error, Some(false), "{}", text(&added));
    assert!(
        todo(dir.path()).contains("2026-11-23 Call the plumber +house due:2026-11-27"),
        "{}",
        todo(dir.path())
    );
    let (_, author, message) = last_commit(&dir.path().join("s"));
    assert_eq!(author, "Ana García <ana@example.com>");
    assert!(message.contains("Requested-by: Ana García (mcp)"), "{message}");

    let found = call(&mcp, "search_tasks", json!({"query": "plumber"})).await;
    assert!(text(&found).contains("Call the plumber"), "{}", text(&found));

    // Measured, not asserted: one tools/call over HTTP, end to end, a read and a change.
    let mut medians = Vec::new();
    for tool in ["search_tasks", "add_task"] {
        let mut times = Vec::new();
        for n in 0..15 {
            let arguments = match tool {
                "search_tasks" => json!({"query": "+website"}),
                _ => json!({"text": format!("Timed task {n}")}),
            };
            let started = std::time::Instant::now();
            let done = call(&mcp, tool, arguments).await;
            times.push(started.elapsed());
            assert_eq!(done.is_error, Some(false), "{}", text(&done));
        }
        medians.push(format!("{tool} {:?}", median(times)));
    }
    eprintln!("/mcp over HTTP, median of 15 tools/call: {}", medians.join(", "));

    mcp.cancel().await.unwrap();
    let (status, lines) = running.stop();
    assert!(status.success(), "{}", lines.join("\n"));
    assert_eq!(count(&lines, "no MCP token"), 0, "{}", lines.join("\n"));
    assert!(count(&lines, r#"path="/mcp""#) > 0, "{}", lines.join("\n"));
    assert_eq!(count(&lines, USER_TOKEN), 0, "{}", lines.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_or_a_wrong_one_is_refused_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    store_with_people(dir.path());
    let running = start(dir.path(), &[("MYORG_MCP_TOKEN", USER_TOKEN)]);
    let url = running.url.clone();
    for token in [None, Some("wrong"), Some(""), Some("user-mcp-token-5ecre")] {
        let (status, session, body) = initialize(&url, token).await;
        assert_eq!(status, 401, "{token:?}: {body}");
        assert!(session.is_none(), "{token:?}");
        assert!(body.contains("bearer token"), "{body}");
    }
    // A session opened with the token, then a change on it without the token.
    let (status, session, body) = initialize(&url, Some(USER_TOKEN)).await;
    assert_eq!(status, 200, "{body}");
    let session = session.expect("a session id");
    let before = (todo(dir.path()), last_commit(&dir.path().join("s")).0);
    let add = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "add_task", "arguments": {"text": "Not from Ana"}}});
    for token in [None, Some("wrong")] {
        let (status, _, body) = post(&url, token, Some(&session), &add).await;
        assert_eq!(status, 401, "{token:?}: {body}");
    }
    assert_eq!((todo(dir.path()), last_commit(&dir.path().join("s")).0), before);
    // The rmcp client with a wrong token cannot start a session.
    assert!(().serve(transport(&url, "wrong")).await.is_err());
    let (status, lines) = running.stop();
    assert!(status.success(), "{}", lines.join("\n"));
    assert_eq!(count(&lines, USER_TOKEN), 0, "{}", lines.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_token_configured_every_request_is_refused_and_the_start_says_so_once() {
    let dir = TempDir::new().unwrap();
    store_with_people(dir.path());
    let running = start(dir.path(), &[]);
    for token in [None, Some(""), Some("anything"), Some(USER_TOKEN)] {
        let (status, _, body) = initialize(&running.url, token).await;
        assert_eq!(status, 401, "{token:?}: {body}");
    }
    let (status, lines) = running.stop();
    assert!(status.success(), "{}", lines.join("\n"));
    assert_eq!(count(&lines, "no MCP token"), 1, "{}", lines.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persons_own_token_acts_as_them_until_a_new_one_replaces_it() {
    let dir = TempDir::new().unwrap();
    store_with_people(dir.path());
    let first = token_for(dir.path(), "luis");
    assert!(first.starts_with("myorg_mcp_"), "{first}");
    let kept = dir.path().join("s/.git/myorg/mcp-tokens.json");
    let hashes = std::fs::read_to_string(&kept).unwrap();
    assert!(!hashes.contains(&first), "only the hash is kept: {hashes}");
    {
        use sha2::Digest;
        let hash: String = sha2::Sha256::digest(first.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert!(hashes.contains(&hash), "{hashes}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Luis's token only: no MYORG_MCP_TOKEN, and no warning since someone has one.
    let running = start(dir.path(), &[]);
    let mcp = connect(&running.url, &first).await;
    let added = call(&mcp, "add_task", json!({"text": "Book the venue"})).await;
    assert_eq!(added.is_error, Some(false), "{}", text(&added));
    let (_, author, message) = last_commit(&dir.path().join("s"));
    assert_eq!(author, "Luis Pérez <luis@example.com>");
    assert!(message.contains("Requested-by: Luis Pérez (mcp)"), "{message}");
    // "Mine" is Luis's.
    call(
        &mcp,
        "add_task",
        json!({"text": "Send the slides", "owner": "luis"}),
    )
    .await;
    call(
        &mcp,
        "add_task",
        json!({"text": "Pay the caterer", "owner": "ana"}),
    )
    .await;
    let mine = call(&mcp, "search_tasks", json!({"owner": "me", "limit": 500})).await;
    assert!(text(&mine).contains("Send the slides"), "{}", text(&mine));
    assert!(!text(&mine).contains("Pay the caterer"), "{}", text(&mine));
    // Resources and prompts are read as Luis too.
    let read = mcp
        .read_resource(ReadResourceRequestParams::new("myorg://tasks?owner=me"))
        .await
        .unwrap();
    let listed = serde_json::to_string(&read.contents).unwrap();
    assert!(
        listed.contains("Send the slides") && !listed.contains("Pay the caterer"),
        "{listed}"
    );
    let morning = mcp
        .get_prompt(GetPromptRequestParams::new("morning-briefing"))
        .await
        .unwrap();
    let said = serde_json::to_string(&morning.messages).unwrap();
    assert!(said.contains("(luis)"), "{said}");
    mcp.cancel().await.unwrap();

    // A new token replaces the first, while the assistant runs.
    let second = token_for(dir.path(), "Luis Pérez");
    assert_ne!(first, second);
    assert_eq!(initialize(&running.url, Some(&first)).await.0, 401);
    assert_eq!(initialize(&running.url, Some(&second)).await.0, 200);

    let (status, lines) = running.stop();
    assert!(status.success(), "{}", lines.join("\n"));
    assert_eq!(count(&lines, "no MCP token"), 0, "{}", lines.join("\n"));
    for token in [&first, &second] {
        assert_eq!(count(&lines, token), 0, "{}", lines.join("\n"));
    }
}

#[test]
fn a_token_for_someone_not_in_people_is_an_error_that_changes_nothing() {
    let dir = TempDir::new().unwrap();
    store_with_people(dir.path());
    let kept = dir.path().join("s/.git/myorg/mcp-tokens.json");
    let refused = issue(dir.path(), "marta");
    let error = support::stderr(&refused);
    assert!(
        error.contains("no one in [[people]] is called \"marta\"; the people: ana, luis"),
        "{error}"
    );
    assert!(refused.stdout.is_empty());
    assert!(!kept.exists());

    token_for(dir.path(), "ana");
    let before = std::fs::read(&kept).unwrap();
    support::stderr(&issue(dir.path(), "marta"));
    assert_eq!(std::fs::read(&kept).unwrap(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_hangs_up_mid_call_leaves_each_change_made_once_or_not_at_all() {
    let dir = TempDir::new().unwrap();
    store_with_people(dir.path());
    let store = dir.path().join("s");
    let running = start(dir.path(), &[("MYORG_MCP_TOKEN", USER_TOKEN)]);
    let url = running.url.clone();
    let before = subjects(&store).len();

    // Hung up at once, after a moment, and after the answer began.
    let session = open_session(&url, USER_TOKEN, false).await;
    let mut asked = Vec::new();
    for (n, until) in ["", "", "HTTP/1.1 200", "HTTP/1.1 200", "data:"]
        .iter()
        .enumerate()
    {
        let task = format!("Hung up call {n}");
        let call = json!({"jsonrpc": "2.0", "id": 10 + n, "method": "tools/call",
            "params": {"name": "add_task", "arguments": {"text": task}}});
        hang_up(&url, USER_TOKEN, &session, &call, until).await;
        asked.push(task);
    }
    // A call after them is answered: nothing is left holding the store.
    let mcp = connect(&url, USER_TOKEN).await;
    let after = call(&mcp, "add_task", json!({"text": "After the hang-ups"})).await;
    assert_eq!(after.is_error, Some(false), "{}", text(&after));

    // Hung up while the person is asked to confirm a deletion: nothing is deleted.
    let confirming = open_session(&url, USER_TOKEN, true).await;
    let delete = json!({"jsonrpc": "2.0", "id": 50, "method": "tools/call",
        "params": {"name": "delete_task", "arguments": {"task": "backsplash"}}});
    hang_up(&url, USER_TOKEN, &confirming, &delete, "elicitation/create").await;
    let listed = call(&mcp, "search_tasks", json!({"query": "backsplash"})).await;
    assert!(
        text(&listed).contains("Choose tiles for the backsplash"),
        "{}",
        text(&listed)
    );
    mcp.cancel().await.unwrap();
    let (status, lines) = running.stop();
    assert!(status.success(), "{}", lines.join("\n"));

    let todo = todo(dir.path());
    let made: Vec<&String> = asked.iter().filter(|task| todo.contains(task.as_str())).collect();
    for task in &asked {
        assert!(todo.matches(task.as_str()).count() <= 1, "{task} twice:\n{todo}");
    }
    assert!(todo.contains("Choose tiles for the backsplash"), "{todo}");
    // One commit for each change made and for the one after, none for the others.
    let subjects = subjects(&store);
    assert_eq!(subjects.len(), before + made.len() + 1, "{subjects:#?}");
    assert!(
        subjects.iter().all(|subject| !subject.contains("Delete")),
        "{subjects:#?}"
    );
    let repository = git2::Repository::open(&store).unwrap();
    let changed = repository.statuses(None).unwrap().iter().count();
    assert_eq!(changed, 0, "the working tree is as committed");
    eprintln!("hung-up calls committed: {} of {}", made.len(), asked.len());
}
