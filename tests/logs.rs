//! Logs through the real binary: a command at the terminal logs nothing by default
//! and what `MYORG_LOG` asks for when set (a bad value is said, never fatal);
//! `MYORG_LOG_FORMAT=json` gives one JSON object per line with the spans; and no
//! secret reaches a log line of `myorg run` at `trace`, in either format, through
//! Discord, the language model, a git push, triggers with the right and a wrong
//! token, and a request with an `Authorization` header.

use serde_json::{Value, json};
use std::path::Path;
use tempfile::TempDir;

mod support;
use support::bot::{ANA, CHANNEL, WAIT};
use support::fake_llm::{FakeLlm, MODEL, Reply};
use support::run::{Running, client};
use support::{myorg, stdout};

/// Every secret the configuration reads, each recognizable in any line.
const GIT_TOKEN: &str = "git-token-4f1e9b";
const LLM_KEY: &str = "litellm-key-77c2d0";
const PROVIDER_KEY: &str = "provider-key-3a8e51";
const TRIGGER_TOKEN: &str = "trigger-token-c0ffee";
/// The fake Discord's token (`Setup::default`): the bot must present it.
const DISCORD_TOKEN: &str = "fake-bot-token";
/// Sent as `Authorization` headers; not secrets the assistant knows, so only never
/// logging headers keeps them out.
const WRONG_TOKEN: &str = "wrong-token-5d9a17";
const BASIC: &str = "basic-credentials-e2b6c4";

/// `myorg --store s ARGS` in `dir` with `env`: (standard output, standard error).
fn command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut all = vec!["--store", "s"];
    all.extend_from_slice(args);
    let output = myorg(dir, &all, env);
    let error = String::from_utf8(output.stderr.clone()).unwrap();
    (stdout(&output), error)
}

#[test]
fn a_command_logs_nothing_by_default_and_what_myorg_log_asks_for() {
    let dir = TempDir::new().unwrap();
    command(dir.path(), &["init", "--empty", "s"], &[]);
    let (out, error) = command(dir.path(), &["add", "Buy milk"], &[]);
    assert!(out.starts_with("Added "), "{out}");
    assert_eq!(error, "", "no log line on a command's standard error by default");

    let (_, error) = command(dir.path(), &["add", "Buy bread"], &[("MYORG_LOG", "info")]);
    let line = error
        .lines()
        .find(|line| line.contains("store operation applied"))
        .unwrap_or_else(|| panic!("{error}"));
    assert!(line.contains(" INFO "), "{line}");
    assert!(
        line.contains("cli{command=add}:store{operation=\"add_task\" via=cli commit=\""),
        "{line}"
    );
    assert!(line.contains("push=\"local only\""), "{line}");
    assert!(
        !error.contains("Buy bread"),
        "a person's words are not logged: {error}"
    );

    // `RUST_LOG` when `MYORG_LOG` is unset, in JSON, with the command's span.
    let (_, error) = command(
        dir.path(),
        &["add", "Buy eggs"],
        &[("RUST_LOG", "myorg=info"), ("MYORG_LOG_FORMAT", "json")],
    );
    let lines = json_lines(&error);
    let applied = lines
        .iter()
        .find(|line| line["message"] == "store operation applied")
        .unwrap_or_else(|| panic!("{error}"));
    assert_eq!(applied["spans"][0], json!({"name": "cli", "command": "add"}));
    assert_eq!(applied["span"]["name"], "store");
    assert_eq!(applied["span"]["operation"], "add_task");
}

#[test]
fn a_bad_log_setting_is_said_and_the_command_runs() {
    let dir = TempDir::new().unwrap();
    command(dir.path(), &["init", "--empty", "s"], &[]);
    let (out, error) = command(
        dir.path(),
        &["add", "Call Marta"],
        &[("MYORG_LOG", "myorg=loud"), ("MYORG_LOG_FORMAT", "xml")],
    );
    assert!(out.starts_with("Added "), "{out}");
    assert!(
        error.contains("MYORG_LOG (or RUST_LOG) \"myorg=loud\" is not a log filter"),
        "{error}"
    );
    assert!(
        error.contains("MYORG_LOG_FORMAT \"xml\" is not a log format (text or json)"),
        "{error}"
    );
    // The defaults hold: warnings only, as text.
    assert_eq!(error.lines().count(), 2, "{error}");
    assert!(error.lines().all(|line| line.contains(" WARN ")), "{error}");
}

/// Each line of `text`, parsed as one JSON object with a timestamp, a level, a
/// target and a message.
fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| {
            let value: Value =
                serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
            for key in ["timestamp", "level", "target", "message"] {
                assert!(value[key].is_string(), "no {key} in {line}");
            }
            value
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_per_line_with_the_spans() {
    let dir = TempDir::new().unwrap();
    let mut running = Running::start(
        dir.path(),
        &["--store", "s"],
        &[
            ("MYORG_TRIGGER_TOKEN", TRIGGER_TOKEN),
            ("MYORG_SCHEDULER_MODE", "external"),
            ("MYORG_NOW", "2026-11-23T08:00:00"),
            ("MYORG_LOG_FORMAT", "json"),
        ],
    );
    let response = client()
        .post(format!("{}/trigger/git-sync", running.url))
        .bearer_auth(TRIGGER_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    running.wait_for("\"message\":\"job done\"");
    running.terminate();
    let (status, lines) = running.wait();
    assert!(status.success(), "{lines:#?}");
    let lines = json_lines(&lines.join("\n"));

    let done = lines.iter().find(|line| line["message"] == "job done").unwrap();
    assert_eq!(done["level"], "INFO");
    assert_eq!(done["target"], "myorg_assistant::jobs::runner");
    assert!(done["elapsed_ms"].is_u64(), "{done}");
    let job = &done["span"];
    assert_eq!(
        (&job["name"], &job["job"], &job["recipients"]),
        (&json!("job"), &json!("git-sync"), &json!("everyone"))
    );
    assert_eq!(job["run"].as_str().map(str::len), Some(8), "{done}");
    let names: Vec<&Value> = done["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|span| &span["name"])
        .collect();
    assert_eq!(
        names,
        [&json!("request"), &json!("job")],
        "the job inside its request"
    );

    let answered = lines
        .iter()
        .find(|line| line["message"] == "answered" && line["span"]["path"] == "/trigger/git-sync")
        .unwrap_or_else(|| panic!("{lines:#?}"));
    let request = &answered["span"];
    assert_eq!(
        (&request["method"], &request["status"]),
        (&json!("POST"), &json!(200))
    );
    assert!(request["latency_ms"].is_u64(), "{answered}");

    assert_eq!(lines.last().unwrap()["message"], "stopped");
    let text = serde_json::to_string(&lines).unwrap();
    assert!(!text.contains(TRIGGER_TOKEN), "{text}");
}

/// The team of the Discord tests, with a provider whose key comes from its own
/// variable (the model the agent calls).
fn config_with_provider(llm: &str) -> String {
    format!(
        "{}\n[[llm.providers]]\nname = \"fake\"\nbase_url = \"{llm}\"\napi_key_env = \"MYORG_TEST_PROVIDER_KEY\"\nmodel = \"{MODEL}\"\n",
        support::bot::CONFIG
    )
}

/// Runs `myorg run` at `trace` in `format` with every secret set, through Discord
/// (a slash command, a chat that calls a tool), pushes, triggers and requests with
/// credentials, stops it, and returns everything it logged.
async fn everything_logged(format: &str) -> String {
    let llm = FakeLlm::serving(MODEL, Some(PROVIDER_KEY)).await;
    llm.push(Reply::tool_calls(&[(
        "call_1",
        "add_task",
        json!({"text": "Call the plumber"}),
    )]));
    llm.push(Reply::answer("Added: call the plumber."));
    let mut bot = support::bot::start_with(
        &config_with_provider(&llm.url()),
        &[
            ("MYORG_LOG", "trace"),
            ("MYORG_LOG_FORMAT", format),
            ("GIT_TOKEN", GIT_TOKEN),
            ("LITELLM_API_KEY", LLM_KEY),
            ("MYORG_TEST_PROVIDER_KEY", PROVIDER_KEY),
            ("MYORG_TRIGGER_TOKEN", TRIGGER_TOKEN),
            ("DISCORD_BOT_TOKEN", DISCORD_TOKEN),
        ],
    )
    .await;
    let added = bot
        .fake
        .slash(ANA, CHANNEL, "add", &[("text", json!("Water the ficus"))])
        .await
        .unwrap();
    added.reply(WAIT).await.unwrap();
    bot.fake
        .say(ANA, CHANNEL, "<@1000> remind me to call the plumber")
        .await;
    let answers = bot.fake.wait_channel_messages(CHANNEL, 1, WAIT).await.unwrap();
    assert!(
        answers[0].content.contains("Added: call the plumber"),
        "{answers:?}"
    );
    bot.remote_todo_until("both tasks are pushed", |todo| {
        todo.contains("Water the ficus") && todo.contains("Call the plumber")
    })
    .await;

    let http = client();
    for (token, status) in [(TRIGGER_TOKEN, 200), (WRONG_TOKEN, 401)] {
        let response = http
            .post(format!("{}/trigger/git-sync", bot.http))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status);
    }
    let metrics = http
        .get(format!("{}/metrics", bot.http))
        .basic_auth("ana", Some(BASIC))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    bot.stop().await;
    llm.assert_all_used();
    bot.assert_no_violation();
    let last = if format == "json" {
        "\"message\":\"stopped\""
    } else {
        ": stopped"
    };
    bot.stderr_until(last).await
}

/// Every secret, and the credentials of the requests, are absent from `logged`,
/// which did log the work (so the test would see them).
fn check_no_secret(logged: &str) {
    for secret in [
        GIT_TOKEN,
        LLM_KEY,
        PROVIDER_KEY,
        TRIGGER_TOKEN,
        DISCORD_TOKEN,
        WRONG_TOKEN,
        BASIC,
    ] {
        let found: Vec<&str> = logged.lines().filter(|line| line.contains(secret)).collect();
        assert!(found.is_empty(), "{secret} logged: {found:#?}");
    }
    for seen in [
        "tool call",
        "store operation applied",
        "job done",
        "discord: command",
        "agent answered",
    ] {
        assert!(logged.contains(seen), "{seen:?} not logged");
    }
    // At trace, the dependencies log too (serenity through tracing, reqwest and
    // tungstenite through log).
    assert!(logged.contains("serenity"), "no line of serenity");
    assert!(logged.lines().count() > 100, "{} lines", logged.lines().count());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_a_text_log_at_trace() {
    let logged = everything_logged("text").await;
    check_no_secret(&logged);
    assert!(
        logged.contains(
            "discord{kind=\"command\" command=add person=\"ana\" user=501 guild=3000 channel=4000}"
        ),
        "the interaction's span"
    );
    assert!(
        logged.contains("agent{person=ana via=discord"),
        "the agent's span"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_a_json_log_at_trace() {
    let logged = everything_logged("json").await;
    check_no_secret(&logged);
    let lines = json_lines(&logged);
    let turn = lines
        .iter()
        .find(|line| line["message"] == "agent answered")
        .unwrap();
    let agent = &turn["span"];
    assert_eq!(
        (&agent["person"], &agent["tier"]),
        (&json!("ana"), &json!("fast"))
    );
    assert_eq!((&agent["steps"], &agent["tokens"]), (&json!(2), &json!(30)));
    let tool = lines.iter().find(|line| line["message"] == "tool call").unwrap();
    assert_eq!(
        (&tool["tool"], &tool["outcome"]),
        (&json!("add_task"), &json!("done"))
    );
    assert!(tool["argument_bytes"].is_u64(), "{tool}");
    assert!(!tool.to_string().contains("plumber"), "no arguments: {tool}");
    let names: Vec<&Value> = tool["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|span| &span["name"])
        .collect();
    assert_eq!(names, [&json!("discord"), &json!("agent")]);
}
