//! The agent counts its tool calls and model usage in the shared metrics of
//! `myorg run` (`/metrics`), against the scripted OpenAI-compatible server on
//! 127.0.0.1: one real tool, one a model made up, and each call's tokens.

use myorg_assistant::agent::conversation::{Agent, Reply as Answer};
use myorg_assistant::app::{App, Caller};
use myorg_assistant::clock::Clock;
use myorg_assistant::config::{Config, Secret};
use myorg_assistant::metrics::Metrics;
use myorg_assistant::store::{Actor, Store, StoreSettings};
use serde_json::json;
use std::sync::Arc;
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;

mod support;
use support::fake_llm::{FakeLlm, KEY, MODEL, Reply};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tool_calls_tokens_and_cost_are_counted() {
    let dir = TempDir::new().unwrap();
    let fake = FakeLlm::start().await;
    fake.push(Reply::tool_calls(&[
        ("call_1", "add_task", json!({"text": "Buy stamps +errands"})),
        ("call_2", "make_coffee", json!({"strength": "strong"})),
    ]));
    fake.push(Reply::answer("Added: buy stamps.").header("x-litellm-response-cost", "0.125"));

    let root = dir.path().join("store");
    let store = tokio::task::spawn_blocking(move || Store::open(StoreSettings::local(root)))
        .await
        .unwrap()
        .unwrap();
    let mut config = Config::default();
    config.store.timezone = Some("Europe/Madrid".into());
    config.llm.endpoint = Some(fake.url());
    config.llm.model = Some(MODEL.into());
    config.llm.api_key = Some(Secret(KEY.into()));
    let metrics = Arc::new(Metrics::default());
    let app = App::new(Arc::new(config), Arc::new(store), Clock::system()).unwrap();
    let agent = Agent::new(Arc::new(app))
        .unwrap()
        .unwrap()
        .with_metrics(Arc::clone(&metrics));
    let asker = Caller {
        handle: "ana".into(),
        actor: Actor {
            name: "Ana".into(),
            email: "ana@example.com".into(),
            via: "test".into(),
        },
        channel: "test".into(),
    };
    let now = "2026-11-23T08:00:00".parse().unwrap();
    let reply = agent
        .ask(&asker, "buy stamps", now, &CancellationToken::new())
        .await;
    assert!(matches!(reply, Answer::Answer(_)), "{reply:?}");

    let text = metrics.encode().unwrap();
    for line in [
        "myorg_tool_calls_total{tool=\"add_task\"} 1",
        "myorg_tool_calls_total{tool=\"unknown\"} 1",
        // Two calls of 10 prompt and 5 completion tokens.
        "myorg_llm_tokens_total 30",
        "myorg_llm_cost_total 0.125",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in:\n{text}");
    }
    fake.assert_all_used();
}
