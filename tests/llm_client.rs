//! The LLM client against the scripted fake server on 127.0.0.1: the documented
//! samples in `fixtures/llm-samples/`, every known difference between OpenAI,
//! LiteLLM, Ollama and vLLM, retries, timeouts, the deadline, cancellation, and the
//! request that goes out.

mod support;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use myorg_assistant::config::Secret;
use myorg_assistant::llm::{
    ChatRequest, ChatResponse, Client, LlmError, Message, Provider, RetryPolicy, Role, ToolCall, Usage,
};
use serde_json::{Value, json};
use support::fake_llm::{FakeLlm, Reply, completion};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

// ---------------------------------------------------------------------------
// Helpers

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/llm-samples")
}

/// A sample file's text. Every file of the directory must be read through this
/// (see `every_sample_is_used_by_a_test`).
fn sample(name: &str) -> String {
    std::fs::read_to_string(samples_dir().join(name)).expect("the sample exists")
}

fn sample_json(name: &str) -> Value {
    serde_json::from_str(&sample(name)).expect("the sample is JSON")
}

/// The fake server of [`provider`]'s model and key.
async fn server() -> FakeLlm {
    FakeLlm::serving(MODEL, Some(KEY)).await
}

const MODEL: &str = "fast";
const KEY: &str = "sk-test-123";

fn provider(fake: &FakeLlm) -> Provider {
    Provider {
        name: "fake".into(),
        base_url: fake.url(),
        api_key: Some(Secret(KEY.into())),
        model: MODEL.into(),
    }
}

/// Quick retries, no jitter.
fn policy() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        per_call_timeout: Duration::from_secs(5),
        jitter: false,
    }
}

fn in_secs(secs: u64) -> Instant {
    Instant::now() + Duration::from_secs(secs)
}

fn request() -> ChatRequest {
    ChatRequest {
        messages: vec![Message::system("You help."), Message::user("Hello")],
        ..ChatRequest::default()
    }
}

/// One non-streamed chat with the default test policy.
async fn chat(fake: &FakeLlm) -> Result<ChatResponse, LlmError> {
    Client::new(policy())
        .chat(
            &provider(fake),
            &request(),
            in_secs(10),
            &CancellationToken::new(),
        )
        .await
}

/// One streamed chat; also returns the pieces of text passed on.
async fn chat_stream(fake: &FakeLlm) -> (Result<ChatResponse, LlmError>, Vec<String>) {
    let mut pieces = Vec::new();
    let mut on_text = |text: &str| pieces.push(text.to_string());
    let result = Client::new(policy())
        .chat_stream(
            &provider(fake),
            &request(),
            in_secs(10),
            &CancellationToken::new(),
            &mut on_text,
        )
        .await;
    (result, pieces)
}

fn call(id: &str, name: &str, arguments: Value) -> ToolCall {
    ToolCall {
        id: id.into(),
        name: name.into(),
        arguments,
    }
}

fn status_of(error: &LlmError) -> u16 {
    match error {
        LlmError::Status { status, .. } => *status,
        other => panic!("expected a status error, got {other:?}"),
    }
}

/// A completion whose message is `message`, without usage.
fn bare_completion(message: Value, finish_reason: Value) -> Value {
    json!({"model": "fast", "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}]})
}

// ---------------------------------------------------------------------------
// The documented samples

#[test]
fn every_sample_is_used_by_a_test() {
    let source = include_str!("llm_client.rs");
    let sources_md = sample("SOURCES.md");
    let mut names: Vec<String> = std::fs::read_dir(samples_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "SOURCES.md")
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no samples in {}", samples_dir().display());
    for name in names {
        let used = source.matches(&format!("sample(\"{name}\")")).count()
            + source.matches(&format!("sample_json(\"{name}\")")).count();
        assert!(used > 0, "{name} is not read by any test");
        assert!(
            sources_md.contains(&name),
            "SOURCES.md does not say where {name} is from"
        );
    }
}

#[tokio::test]
async fn openai_doc_tool_call_response_is_read() {
    let fake = server().await;
    fake.push(Reply::json(
        200,
        sample_json("openai_doc_tool_call_response.json"),
    ));
    let response = chat(&fake).await.unwrap();
    assert_eq!(
        response.message,
        Message {
            role: Role::Assistant,
            content: None,
            tool_calls: vec![call(
                "call_abc123",
                "get_current_weather",
                json!({"location": "Boston, MA"})
            )],
            tool_call_id: None,
        }
    );
    assert_eq!(response.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(response.model, "gpt-4o-mini");
    assert_eq!(
        response.usage,
        Usage {
            prompt_tokens: 82,
            completion_tokens: 17,
            total_tokens: 99,
            cached_tokens: 0,
            reasoning_tokens: 0,
        }
    );
    assert_eq!(response.calls, 1);
    assert_eq!(response.cost, None);
    fake.assert_all_used();
}

#[tokio::test]
async fn openai_doc_usage_details_are_read() {
    let fake = server().await;
    let sample = sample_json("openai_doc_chat_completion_object_usage_details.json");
    fake.push(Reply::json(200, sample.clone()));
    let mut with_details = sample;
    with_details["usage"]["prompt_tokens_details"]["cached_tokens"] = json!(1024);
    with_details["usage"]["completion_tokens_details"]["reasoning_tokens"] = json!(7);
    fake.push(Reply::json(200, with_details));

    let response = chat(&fake).await.unwrap();
    assert!(
        response
            .message
            .content
            .as_deref()
            .unwrap()
            .starts_with("The image shows a wooden boardwalk")
    );
    assert!(response.message.tool_calls.is_empty());
    assert_eq!(response.finish_reason.as_deref(), Some("stop"));
    assert_eq!(
        response.usage,
        Usage {
            prompt_tokens: 1117,
            completion_tokens: 46,
            total_tokens: 1163,
            cached_tokens: 0,
            reasoning_tokens: 0,
        }
    );
    let response = chat(&fake).await.unwrap();
    assert_eq!(response.usage.cached_tokens, 1024);
    assert_eq!(response.usage.reasoning_tokens, 7);
    fake.assert_all_used();
}

#[tokio::test]
async fn openai_live_parallel_tool_calls_are_read() {
    let fake = server().await;
    fake.push(Reply::json(
        200,
        sample_json("openai_live_parallel_tool_calls_response.json"),
    ));
    let response = chat(&fake).await.unwrap();
    assert_eq!(
        response.message.tool_calls,
        [
            call(
                "call_fdNz3vOBKYgOIpMdWotB9MjY",
                "GetWeatherArgs",
                json!({"city": "Edinburgh", "country": "GB", "units": "c"})
            ),
            call(
                "call_h1DWI1POMJLb0KwIyQHWXD4p",
                "get_stock_price",
                json!({"ticker": "AAPL", "exchange": "NASDAQ"})
            ),
        ]
    );
    assert_eq!(response.usage.total_tokens, 209);
    assert_eq!(response.model, "gpt-4o-2024-08-06");
    fake.assert_all_used();
}

/// What the recorded stream holds once joined.
fn check_recorded_stream(response: &ChatResponse) {
    assert_eq!(
        response.message.tool_calls,
        [
            call(
                "call_JMW1whyEaYG438VE1OIflxA2",
                "GetWeatherArgs",
                json!({"city": "Edinburgh", "country": "GB", "units": "c"})
            ),
            call(
                "call_DNYTawLBoN8fj3KN6qU9N1Ou",
                "get_stock_price",
                json!({"ticker": "AAPL", "exchange": "NASDAQ"})
            ),
        ]
    );
    assert_eq!(response.message.role, Role::Assistant);
    assert_eq!(response.message.content, None);
    assert_eq!(response.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(response.model, "gpt-4o-2024-08-06");
    assert_eq!(
        response.usage,
        Usage {
            prompt_tokens: 149,
            completion_tokens: 60,
            total_tokens: 209,
            ..Usage::default()
        }
    );
}

#[tokio::test]
async fn openai_live_stream_of_parallel_tool_calls_is_joined_by_index() {
    let recorded = sample("openai_live_stream_parallel_tool_calls.sse");
    let fake = server().await;
    // As recorded, in one piece…
    fake.push(Reply::text(200, "text/event-stream", recorded.clone()));
    // …and event by event, each in its own write.
    let data: Vec<&str> = recorded
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .collect();
    assert_eq!(data.last(), Some(&"[DONE]"));
    fake.push(Reply::sse(data).gap(Duration::from_millis(1)));

    for _ in 0..2 {
        let (response, pieces) = chat_stream(&fake).await;
        check_recorded_stream(&response.unwrap());
        assert!(pieces.is_empty(), "{pieces:?}");
    }
    fake.assert_all_used();
}

#[tokio::test]
async fn ollama_native_tool_call_is_read() {
    let native = sample_json("ollama_doc_native_api_chat_tool_call_response.json");
    let fake = server().await;
    // The native /api/chat body as it is…
    fake.push(Reply::json(200, native.clone()));
    // …and its tool call inside an OpenAI envelope, as Ollama's /v1 carries an
    // object for arguments and no id.
    fake.push(Reply::json(
        200,
        bare_completion(native["message"].clone(), json!("stop")),
    ));

    let response = chat(&fake).await.unwrap();
    let [only] = response.message.tool_calls.as_slice() else {
        panic!("one tool call: {:?}", response.message.tool_calls);
    };
    assert!(only.id.starts_with("call_") && only.id.len() > 10, "{}", only.id);
    assert_eq!(only.name, "get_current_weather");
    assert_eq!(
        only.arguments,
        json!({"format": "celsius", "location": "Paris, FR"})
    );
    assert_eq!(response.model, "llama3.2");
    assert_eq!(response.finish_reason.as_deref(), Some("stop"));
    assert_eq!(
        (
            response.usage.prompt_tokens,
            response.usage.completion_tokens,
            response.usage.total_tokens
        ),
        (122, 33, 155)
    );

    let wrapped = chat(&fake).await.unwrap();
    assert_eq!(wrapped.message.tool_calls.len(), 1);
    assert_eq!(wrapped.message.tool_calls[0].arguments, only.arguments);
    assert_eq!(wrapped.usage, Usage::default());
    fake.assert_all_used();
}

#[tokio::test]
async fn vllm_legacy_error_body_is_read() {
    let fake = server().await;
    fake.push(Reply::json(
        400,
        sample_json("vllm_error_400_legacy_pre_0.10.1.json"),
    ));
    let error = chat(&fake).await.unwrap_err();
    assert_eq!(
        error,
        LlmError::Status {
            status: 400,
            message: "This model's maximum context length is 2048 tokens. However, you requested 2723 tokens (1699 in the messages, 1024 in the completion). Please reduce the length of the messages or completion.".into(),
            retryable: false,
        }
    );
    assert_eq!(fake.requests().len(), 1);
    fake.assert_all_used();
}

#[tokio::test]
async fn vllm_current_error_body_is_read() {
    let fake = server().await;
    fake.push(Reply::json(
        400,
        sample_json("vllm_error_400_current_0.10.1_plus.json"),
    ));
    let error = chat(&fake).await.unwrap_err();
    assert!(!error.is_retryable());
    assert!(
        error
            .to_string()
            .starts_with("the LLM server answered 400: This model's maximum context length is 32768 tokens."),
        "{error}"
    );
    assert_eq!(fake.requests().len(), 1);
    fake.assert_all_used();
}

#[tokio::test]
async fn litellm_429_without_deployments_is_read_and_retried() {
    let body = sample_json("litellm_doc_error_429_no_deployments.json");
    let fake = server().await;
    for _ in 0..3 {
        fake.push(Reply::json(429, body.clone()));
    }
    let error = chat(&fake).await.unwrap_err();
    assert_eq!(
        error,
        LlmError::Status {
            status: 429,
            message: "No deployments available for selected model, Try again in 60 seconds. ...".into(),
            retryable: true,
        }
    );
    assert_eq!(fake.requests().len(), 3, "three attempts");

    fake.push(Reply::json(429, body));
    fake.push(Reply::answer("there"));
    let response = chat(&fake).await.unwrap();
    assert_eq!(response.calls, 2);
    assert_eq!(response.message.content.as_deref(), Some("there"));
    fake.assert_all_used();
}

// ---------------------------------------------------------------------------
// Streaming

#[tokio::test]
async fn ollama_stream_sends_each_tool_call_whole() {
    let fake = server().await;
    let chunk = |delta: Value, finish: Value| {
        json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "qwen3:8b",
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
    };
    fake.push(Reply::sse_chunks(&[
        chunk(json!({"role": "assistant", "content": ""}), Value::Null),
        chunk(
            json!({"role": "assistant", "content": "", "tool_calls": [
                {"id": "call_a1", "index": 0, "type": "function",
                 "function": {"name": "add_task", "arguments": "{\"text\":\"buy milk\"}"}}]}),
            Value::Null,
        ),
        // Ollama numbers the calls of each chunk from 0.
        chunk(
            json!({"role": "assistant", "content": "", "tool_calls": [
                {"id": "call_b2", "index": 0, "type": "function",
                 "function": {"name": "list_tasks", "arguments": "{}"}}]}),
            Value::Null,
        ),
        chunk(json!({"role": "assistant", "content": ""}), json!("tool_calls")),
        json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "qwen3:8b",
               "choices": [], "usage": {"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52}}),
    ]));
    let (response, pieces) = chat_stream(&fake).await;
    let response = response.unwrap();
    assert_eq!(
        response.message.tool_calls,
        [
            call("call_a1", "add_task", json!({"text": "buy milk"})),
            call("call_b2", "list_tasks", json!({})),
        ]
    );
    assert_eq!(response.message.content, None);
    assert!(pieces.is_empty());
    assert_eq!(response.usage.total_tokens, 52);
    assert_eq!(response.model, "qwen3:8b");
    fake.assert_all_used();
}

#[tokio::test]
async fn litellm_stream_without_finish_reason_and_with_an_empty_delta_usage_chunk() {
    let fake = server().await;
    let chunk = |content: &str| {
        json!({"id": "x", "model": "my-alias", "object": "chat.completion.chunk",
               "choices": [{"index": 0, "delta": {"content": content}}]})
    };
    // No finish_reason anywhere, the usage chunk with an empty delta, and the body
    // simply ends: no [DONE].
    fake.push(
        Reply::sse([
            chunk("Hel").to_string(),
            chunk("lo").to_string(),
            chunk("").to_string(),
            json!({"id": "x", "model": "my-alias", "object": "chat.completion.chunk",
                   "choices": [{"index": 0, "delta": {}}],
                   "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}})
            .to_string(),
        ])
        .header("x-litellm-response-cost", "0.00042"),
    );
    let (response, pieces) = chat_stream(&fake).await;
    let response = response.unwrap();
    assert_eq!(pieces, ["Hel", "lo"]);
    assert_eq!(response.message.content.as_deref(), Some("Hello"));
    assert!(response.message.tool_calls.is_empty());
    assert_eq!(response.finish_reason, None);
    assert_eq!(response.model, "my-alias");
    assert_eq!(response.usage.total_tokens, 11);
    assert_eq!(response.cost, Some(0.00042));
    fake.assert_all_used();
}

#[tokio::test]
async fn text_deltas_reach_on_text_one_by_one() {
    let fake = server().await;
    let words = ["You ", "have ", "three ", "tasks ", "today."];
    let mut chunks: Vec<Value> = words
        .iter()
        .map(|word| json!({"choices": [{"index": 0, "delta": {"content": word}, "finish_reason": null}]}))
        .collect();
    chunks.push(json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}));
    fake.push(Reply::sse_chunks(&chunks).gap(Duration::from_millis(20)));

    // Each piece arrives while the request is still going: on_text sees them in
    // order, and a shared log shows nothing was held back to the end.
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    let mut on_text = move |text: &str| seen.lock().unwrap().push(text.to_string());
    let response = Client::new(policy())
        .chat_stream(
            &provider(&fake),
            &request(),
            in_secs(10),
            &CancellationToken::new(),
            &mut on_text,
        )
        .await
        .unwrap();
    assert_eq!(*log.lock().unwrap(), words);
    assert_eq!(
        response.message.content.as_deref(),
        Some("You have three tasks today.")
    );
    assert_eq!(response.finish_reason.as_deref(), Some("stop"));
    assert_eq!(response.usage, Usage::default(), "no usage chunk: zeros");
    fake.assert_all_used();
}

#[tokio::test]
async fn a_server_that_ignores_stream_is_read_as_json() {
    let fake = server().await;
    fake.push(Reply::answer("Plain answer."));
    let (response, pieces) = chat_stream(&fake).await;
    assert_eq!(
        response.unwrap().message.content.as_deref(),
        Some("Plain answer.")
    );
    assert_eq!(pieces, ["Plain answer."]);
    fake.assert_all_used();
}

#[tokio::test]
async fn an_error_before_the_stream_begins_is_retried_but_not_after() {
    let fake = server().await;
    let error = json!({"error": {"message": "upstream overloaded", "type": "None", "code": "503"}});
    fake.push(Reply::sse([error.to_string()]));
    fake.push(Reply::sse_chunks(&[
        json!({"choices": [{"index": 0, "delta": {"content": "Hi"}}]}),
    ]));
    let (response, pieces) = chat_stream(&fake).await;
    assert_eq!(response.unwrap().calls, 2);
    assert_eq!(pieces, ["Hi"]);
    fake.assert_all_used();

    let fake = server().await;
    fake.push(Reply::sse([
        json!({"choices": [{"index": 0, "delta": {"content": "Hal"}}]}).to_string(),
        error.to_string(),
    ]));
    let (response, pieces) = chat_stream(&fake).await;
    let error = response.unwrap_err();
    assert_eq!(status_of(&error), 503);
    assert!(error.to_string().contains("upstream overloaded"), "{error}");
    assert_eq!(pieces, ["Hal"], "the text is not sent twice");
    assert_eq!(fake.requests().len(), 1);
    fake.assert_all_used();
}

#[tokio::test]
async fn a_streamed_chunk_that_is_not_json_is_a_decode_error() {
    let fake = server().await;
    fake.push(Reply::sse(["<html>oops</html>"]));
    let (response, _) = chat_stream(&fake).await;
    assert!(matches!(response, Err(LlmError::Decode(_))), "{response:?}");
    assert_eq!(fake.requests().len(), 1);
    fake.assert_all_used();
}

#[tokio::test]
async fn a_stream_with_no_chunk_is_an_error() {
    let fake = server().await;
    fake.push(Reply::sse(["[DONE]"]));
    fake.push(Reply::text(200, "text/event-stream", ""));
    for _ in 0..2 {
        let (response, _) = chat_stream(&fake).await;
        assert_eq!(
            response,
            Err(LlmError::Decode(
                "the stream ended before any chunk arrived".into()
            ))
        );
    }
    fake.assert_all_used();
}

#[tokio::test]
async fn a_stalled_stream_times_out_without_a_retry() {
    let fake = server().await;
    fake.push(
        Reply::sse([
            json!({"choices": [{"index": 0, "delta": {"content": "Thinking"}}]}).to_string(),
            "[DONE]".to_string(),
        ])
        .gap(Duration::from_secs(3)),
    );
    let client = Client::new(RetryPolicy {
        per_call_timeout: Duration::from_millis(300),
        ..policy()
    });
    let mut pieces = Vec::new();
    let result = client
        .chat_stream(
            &provider(&fake),
            &request(),
            in_secs(10),
            &CancellationToken::new(),
            &mut |text: &str| pieces.push(text.to_string()),
        )
        .await;
    assert_eq!(result, Err(LlmError::Timeout));
    assert_eq!(pieces, ["Thinking"]);
    assert_eq!(fake.requests().len(), 1);
    fake.assert_all_used();
}

// ---------------------------------------------------------------------------
// The differences between servers, non-streamed

#[tokio::test]
async fn arguments_may_be_a_string_an_object_empty_or_not_json() {
    let fake = server().await;
    let message = json!({"role": "assistant", "content": null, "tool_calls": [
        {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{\"x\": 1}"}},
        {"id": "b", "type": "function", "function": {"name": "f", "arguments": {"x": 2}}},
        {"id": "c", "type": "function", "function": {"name": "f", "arguments": ""}},
        {"id": "d", "type": "function", "function": {"name": "f", "arguments": "{\"x\": "}},
        {"id": "e", "type": "function", "function": {"name": "f"}},
    ]});
    fake.push(Reply::json(200, completion(message)));
    let response = chat(&fake).await.unwrap();
    let arguments: Vec<&Value> = response
        .message
        .tool_calls
        .iter()
        .map(|call| &call.arguments)
        .collect();
    assert_eq!(
        arguments,
        [
            &json!({"x": 1}),
            &json!({"x": 2}),
            &json!({}),
            &json!("{\"x\": "),
            &json!({})
        ]
    );
    fake.assert_all_used();
}

#[tokio::test]
async fn a_missing_tool_call_id_is_made_up_and_unique() {
    let fake = server().await;
    let message = json!({"role": "assistant", "tool_calls": [
        {"type": "function", "function": {"name": "f", "arguments": "{}"}},
        {"id": "", "type": "function", "function": {"name": "g", "arguments": "{}"}},
        {"id": "opaque id/with:odd chars", "type": "function", "function": {"name": "h", "arguments": "{}"}},
    ]});
    fake.push(Reply::json(200, bare_completion(message, json!("tool_calls"))));
    let response = chat(&fake).await.unwrap();
    let ids: Vec<&str> = response
        .message
        .tool_calls
        .iter()
        .map(|call| call.id.as_str())
        .collect();
    assert!(ids[0].starts_with("call_") && ids[1].starts_with("call_"));
    assert_ne!(ids[0], ids[1]);
    assert_eq!(ids[2], "opaque id/with:odd chars");
    fake.assert_all_used();
}

#[tokio::test]
async fn missing_usage_counts_are_zero() {
    let fake = server().await;
    let answer = |usage: Option<Value>| {
        let mut body = bare_completion(json!({"role": "assistant", "content": "ok"}), json!("stop"));
        if let Some(usage) = usage {
            body["usage"] = usage;
        }
        Reply::json(200, body)
    };
    fake.push(answer(None));
    fake.push(answer(Some(json!({"completion_tokens": 4}))));
    fake.push(answer(Some(Value::Null)));
    assert_eq!(chat(&fake).await.unwrap().usage, Usage::default());
    assert_eq!(
        chat(&fake).await.unwrap().usage,
        Usage {
            completion_tokens: 4,
            ..Usage::default()
        }
    );
    assert_eq!(chat(&fake).await.unwrap().usage, Usage::default());
    fake.assert_all_used();
}

#[tokio::test]
async fn tool_calls_count_whatever_the_finish_reason() {
    let fake = server().await;
    let message = json!({"role": "assistant", "content": "", "tool_calls": [
        {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}}]});
    for reason in [json!("stop"), json!(""), json!("eos_token"), Value::Null] {
        fake.push(Reply::json(200, bare_completion(message.clone(), reason)));
    }
    let mut body = bare_completion(message, Value::Null);
    body["choices"][0]
        .as_object_mut()
        .unwrap()
        .remove("finish_reason");
    fake.push(Reply::json(200, body));

    let mut reasons = Vec::new();
    for _ in 0..5 {
        let response = chat(&fake).await.unwrap();
        assert_eq!(response.message.tool_calls.len(), 1);
        reasons.push(response.finish_reason);
    }
    assert_eq!(
        reasons,
        [Some("stop".into()), None, Some("eos_token".into()), None, None]
    );
    fake.assert_all_used();
}

#[tokio::test]
async fn an_empty_or_null_tool_calls_array_is_no_call() {
    let fake = server().await;
    for calls in [json!([]), Value::Null] {
        let message = json!({"role": "assistant", "content": "Nothing to do.", "tool_calls": calls});
        fake.push(Reply::json(200, bare_completion(message, json!("tool_calls"))));
    }
    for _ in 0..2 {
        let response = chat(&fake).await.unwrap();
        assert!(response.message.tool_calls.is_empty());
        assert_eq!(response.message.content.as_deref(), Some("Nothing to do."));
        // Sent back, it has no tool_calls key at all.
        let wire = serde_json::to_value(&response.message).unwrap();
        assert_eq!(wire.get("tool_calls"), None);
    }
    fake.assert_all_used();
}

#[tokio::test]
async fn the_model_is_the_one_the_server_names() {
    let fake = server().await;
    let mut body = completion(json!({"role": "assistant", "content": "hi"}));
    body["model"] = json!("openai/gpt-4o-mini-fallback");
    fake.push(Reply::json(200, body));
    let response = chat(&fake).await.unwrap();
    assert_eq!(response.model, "openai/gpt-4o-mini-fallback");
    assert_eq!(fake.requests()[0].body["model"], "fast");
    fake.assert_all_used();
}

#[tokio::test]
async fn the_litellm_cost_header_is_read() {
    let fake = server().await;
    fake.push(Reply::answer("a").header("x-litellm-response-cost", "0.000135"));
    fake.push(Reply::answer("b").header("x-litellm-response-cost", "not a number"));
    fake.push(Reply::answer("c"));
    assert_eq!(chat(&fake).await.unwrap().cost, Some(0.000135));
    assert_eq!(chat(&fake).await.unwrap().cost, None);
    assert_eq!(chat(&fake).await.unwrap().cost, None);
    fake.assert_all_used();
}

#[tokio::test]
async fn the_assistant_message_goes_back_unchanged_with_the_tool_results() {
    let fake = server().await;
    fake.push(Reply::json(
        200,
        sample_json("openai_doc_tool_call_response.json"),
    ));
    fake.push(Reply::answer("It is sunny in Boston."));
    let client = Client::new(policy());
    let provider = provider(&fake);
    let mut request = request();
    let first = client
        .chat(&provider, &request, in_secs(10), &CancellationToken::new())
        .await
        .unwrap();
    let id = first.message.tool_calls[0].id.clone();
    request.messages.push(first.message);
    request
        .messages
        .push(Message::tool_result(id, "{\"sky\": \"clear\"}"));
    client
        .chat(&provider, &request, in_secs(10), &CancellationToken::new())
        .await
        .unwrap();

    let sent = &fake.requests()[1].body["messages"];
    let original = &sample_json("openai_doc_tool_call_response.json")["choices"][0]["message"];
    assert_eq!(sent[2]["role"], "assistant");
    assert_eq!(sent[2]["content"], Value::Null);
    assert_eq!(sent[2]["tool_calls"][0]["id"], original["tool_calls"][0]["id"]);
    assert_eq!(sent[2]["tool_calls"][0]["type"], "function");
    assert_eq!(
        sent[2]["tool_calls"][0]["function"]["name"],
        "get_current_weather"
    );
    let arguments = sent[2]["tool_calls"][0]["function"]["arguments"]
        .as_str()
        .expect("arguments go back as a JSON string");
    assert_eq!(
        serde_json::from_str::<Value>(arguments).unwrap(),
        json!({"location": "Boston, MA"})
    );
    assert_eq!(
        sent[3],
        json!({"role": "tool", "content": "{\"sky\": \"clear\"}", "tool_call_id": "call_abc123"})
    );
    fake.assert_all_used();
}

#[tokio::test]
async fn a_200_that_is_not_a_completion_is_an_error_not_a_panic() {
    let fake = server().await;
    fake.push(Reply::text(200, "text/html", "<html>proxy login</html>"));
    fake.push(Reply::json(200, json!({"choices": []})));
    fake.push(Reply::json(
        200,
        json!({"error": {"message": "No connected db.", "code": 400}}),
    ));
    fake.push(Reply::json(200, json!("just a string")));
    let first = chat(&fake).await.unwrap_err();
    assert!(matches!(first, LlmError::Decode(_)), "{first:?}");
    assert!(first.to_string().contains("<html>proxy login</html>"), "{first}");
    assert!(matches!(chat(&fake).await, Err(LlmError::Decode(_))));
    let third = chat(&fake).await.unwrap_err();
    assert_eq!(status_of(&third), 400);
    assert!(!third.is_retryable());
    assert!(matches!(chat(&fake).await, Err(LlmError::Decode(_))));
    assert_eq!(fake.requests().len(), 4, "none was retried");
    fake.assert_all_used();
}

#[tokio::test]
async fn error_bodies_of_every_shape_give_a_readable_message() {
    let fake = server().await;
    fake.push(Reply::json(401, json!({"error": {"message": "Invalid API key", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}})));
    fake.push(Reply::json(
        404,
        json!({"error": "model \"llama9\" not found, try pulling it first"}),
    ));
    fake.push(Reply::text(400, "text/plain", "Bad Request"));
    fake.push(Reply::json(400, json!({"detail": "No connected db."})));
    // LiteLLM without a database, for a wrong key: 400, not 401.
    fake.push(Reply::json(
        400,
        json!({"error": {"message": "Authentication Error, No connected db.",
        "type": "auth_error", "param": "None", "code": "400"}}),
    ));
    let messages = [
        "the LLM server answered 401: Invalid API key",
        "the LLM server answered 404: model \"llama9\" not found, try pulling it first",
        "the LLM server answered 400: Bad Request",
        "the LLM server answered 400: {\"detail\":\"No connected db.\"}",
        "the LLM server answered 400: Authentication Error, No connected db.",
    ];
    for expected in messages {
        let error = chat(&fake).await.unwrap_err();
        assert_eq!(error.to_string(), expected);
        assert!(!error.is_retryable());
    }
    assert_eq!(fake.requests().len(), messages.len(), "none was retried");
    fake.assert_all_used();
}

// ---------------------------------------------------------------------------
// Retries, timeouts, the deadline and cancellation

#[tokio::test]
async fn retry_after_is_honoured() {
    let fake = server().await;
    fake.push(
        Reply::json(
            429,
            json!({"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}}),
        )
        .header("retry-after", "1"),
    );
    fake.push(Reply::answer("ok"));
    let started = Instant::now();
    let response = chat(&fake).await.unwrap();
    assert_eq!(response.calls, 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    fake.assert_all_used();
}

#[tokio::test]
async fn litellm_provider_retry_after_is_honoured() {
    let fake = server().await;
    fake.push(
        Reply::json(429, sample_json("litellm_doc_error_429_no_deployments.json"))
            .header("llm_provider-retry-after", "0.6"),
    );
    fake.push(Reply::answer("ok"));
    let started = Instant::now();
    let response = chat(&fake).await.unwrap();
    assert_eq!(response.calls, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
    fake.assert_all_used();
}

#[tokio::test]
async fn server_errors_are_retried() {
    let fake = server().await;
    fake.push(Reply::json(
        503,
        json!({"error": {"message": "Service Unavailable"}}),
    ));
    fake.push(Reply::text(502, "text/html", "<html>Bad Gateway</html>"));
    fake.push(Reply::answer("ok"));
    let response = chat(&fake).await.unwrap();
    assert_eq!(response.calls, 3);
    assert_eq!(fake.requests().len(), 3);
    fake.assert_all_used();
}

#[tokio::test]
async fn attempts_stop_at_the_policy_limit() {
    let fake = server().await;
    for _ in 0..3 {
        fake.push(Reply::json(500, json!({"error": {"message": "boom"}})));
    }
    let error = chat(&fake).await.unwrap_err();
    assert_eq!(status_of(&error), 500);
    assert!(error.is_retryable());
    assert_eq!(fake.requests().len(), 3);
    fake.assert_all_used();
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    for status in [400, 401, 403] {
        let fake = server().await;
        fake.push(
            Reply::json(status, json!({"error": {"message": "no", "code": status}}))
                .header("retry-after", "0"),
        );
        let error = chat(&fake).await.unwrap_err();
        assert_eq!(status_of(&error), status);
        assert!(!error.is_retryable());
        assert_eq!(fake.requests().len(), 1, "{status} was retried");
        fake.assert_all_used();
    }
}

#[tokio::test]
async fn insufficient_quota_is_never_retried() {
    let fake = server().await;
    fake.push(Reply::json(
        429,
        json!({"error": {"message": "You exceeded your current quota, please check your plan and billing details.",
                         "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}),
    ));
    let error = chat(&fake).await.unwrap_err();
    assert_eq!(status_of(&error), 429);
    assert!(!error.is_retryable());
    assert_eq!(fake.requests().len(), 1);
    fake.assert_all_used();
}

#[tokio::test]
async fn no_retry_waits_past_the_deadline() {
    let fake = server().await;
    fake.push(Reply::json(503, json!({"error": {"message": "busy"}})).header("retry-after", "5"));
    let started = Instant::now();
    let error = Client::new(policy())
        .chat(
            &provider(&fake),
            &request(),
            Instant::now() + Duration::from_millis(800),
            &CancellationToken::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), 503, "the server's error, not a wait");
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(fake.requests().len(), 1);
    fake.assert_all_used();
}

#[tokio::test]
async fn backoff_retries_stop_at_the_deadline() {
    let fake = server().await;
    for _ in 0..20 {
        fake.push(Reply::json(500, json!({"error": {"message": "boom"}})));
    }
    let client = Client::new(RetryPolicy {
        attempts: 20,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(100),
        ..policy()
    });
    let error = client
        .chat(
            &provider(&fake),
            &request(),
            Instant::now() + Duration::from_millis(450),
            &CancellationToken::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), 500);
    let calls = fake.requests().len();
    assert!((2..=5).contains(&calls), "{calls} calls");
    // How many of the replies are used depends on the time each attempt took.
    assert_eq!(fake.remaining(), 20 - calls);
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_call_longer_than_the_timeout_is_cut_and_retried() {
    let fake = server().await;
    fake.push(Reply::answer("too late").delay(Duration::from_secs(2)));
    fake.push(Reply::answer("in time"));
    let client = Client::new(RetryPolicy {
        per_call_timeout: Duration::from_millis(300),
        ..policy()
    });
    let response = client
        .chat(
            &provider(&fake),
            &request(),
            in_secs(10),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(response.message.content.as_deref(), Some("in time"));
    assert_eq!(response.calls, 2);
    fake.assert_all_used();

    let fake = server().await;
    fake.push(Reply::answer("too late").delay(Duration::from_secs(2)));
    let client = Client::new(RetryPolicy {
        attempts: 1,
        per_call_timeout: Duration::from_millis(300),
        ..policy()
    });
    let error = client
        .chat(
            &provider(&fake),
            &request(),
            in_secs(10),
            &CancellationToken::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(error, LlmError::Timeout);
    assert!(error.is_retryable());
    fake.assert_all_used();
}

#[tokio::test]
async fn the_deadline_cuts_a_slow_call() {
    let fake = server().await;
    fake.push(Reply::answer("too late").delay(Duration::from_secs(3)));
    let started = Instant::now();
    let error = Client::new(policy())
        .chat(
            &provider(&fake),
            &request(),
            Instant::now() + Duration::from_millis(300),
            &CancellationToken::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(error, LlmError::DeadlineExceeded);
    assert!(!error.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(fake.requests().len(), 1);
    fake.assert_all_used();
}

/// Cancels `token` after `after`.
fn cancel_after(token: &CancellationToken, after: Duration) {
    let token = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(after).await;
        token.cancel();
    });
}

#[tokio::test]
async fn cancelling_while_waiting_to_retry_returns_at_once() {
    let fake = server().await;
    fake.push(Reply::json(429, json!({"error": {"message": "later"}})).header("retry-after", "20"));
    let cancel = CancellationToken::new();
    cancel_after(&cancel, Duration::from_millis(200));
    let started = Instant::now();
    let result = Client::new(policy())
        .chat(&provider(&fake), &request(), in_secs(60), &cancel)
        .await;
    assert_eq!(result, Err(LlmError::Cancelled));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(fake.requests().len(), 1);
    fake.assert_all_used();
}

#[tokio::test]
async fn cancelling_a_slow_call_returns_at_once() {
    let fake = server().await;
    fake.push(Reply::answer("too late").delay(Duration::from_secs(20)));
    let cancel = CancellationToken::new();
    cancel_after(&cancel, Duration::from_millis(200));
    let started = Instant::now();
    let result = Client::new(policy())
        .chat(&provider(&fake), &request(), in_secs(60), &cancel)
        .await;
    assert_eq!(result, Err(LlmError::Cancelled));
    assert!(started.elapsed() < Duration::from_secs(5));
    fake.assert_all_used();
}

#[tokio::test]
async fn cancelling_in_the_middle_of_a_stream_returns_at_once() {
    let fake = server().await;
    fake.push(
        Reply::sse([
            json!({"choices": [{"index": 0, "delta": {"content": "Once"}}]}).to_string(),
            json!({"choices": [{"index": 0, "delta": {"content": " upon"}}]}).to_string(),
        ])
        .gap(Duration::from_secs(20)),
    );
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    let mut pieces = Vec::new();
    let started = Instant::now();
    let result = Client::new(policy())
        .chat_stream(
            &provider(&fake),
            &request(),
            in_secs(60),
            &cancel,
            &mut |text: &str| {
                pieces.push(text.to_string());
                token.cancel();
            },
        )
        .await;
    assert_eq!(result, Err(LlmError::Cancelled));
    assert_eq!(pieces, ["Once"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    fake.assert_all_used();
}

#[tokio::test]
async fn a_cancelled_request_makes_no_call() {
    let fake = server().await;
    let cancel = CancellationToken::new();
    cancel.cancel();
    let result = Client::new(policy())
        .chat(&provider(&fake), &request(), in_secs(10), &cancel)
        .await;
    assert_eq!(result, Err(LlmError::Cancelled));
    assert!(fake.requests().is_empty());
    fake.assert_all_used();
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_and_retried() {
    // A port that was free a moment ago, with nothing listening now.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let provider = Provider {
        name: "down".into(),
        base_url: format!("http://{address}"),
        api_key: None,
        model: "m".into(),
    };
    let error = Client::new(policy())
        .chat(&provider, &request(), in_secs(10), &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(matches!(error, LlmError::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
    assert!(
        error.to_string().starts_with("could not reach the LLM server: "),
        "{error}"
    );
}

// ---------------------------------------------------------------------------
// The request that goes out

#[tokio::test]
async fn the_request_body_carries_messages_tools_and_options() {
    let fake = server().await;
    fake.push(Reply::answer("ok"));
    let tool = json!({"type": "function", "function": {"name": "add_task",
        "description": "Add a task", "parameters": {"type": "object",
        "properties": {"text": {"type": "string"}}, "required": ["text"]}}});
    let request = ChatRequest {
        messages: vec![
            Message::system("You help."),
            Message::user("Add milk"),
            Message::assistant("Which list?"),
        ],
        tools: vec![tool.clone()],
        tool_choice: Some(json!("auto")),
        temperature: Some(0.25),
        max_tokens: Some(512),
    };
    Client::new(policy())
        .chat(&provider(&fake), &request, in_secs(10), &CancellationToken::new())
        .await
        .unwrap();
    let [sent] = fake.requests().try_into().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(
        sent.body,
        json!({
            "model": "fast",
            "messages": [
                {"role": "system", "content": "You help."},
                {"role": "user", "content": "Add milk"},
                {"role": "assistant", "content": "Which list?"},
            ],
            "tools": [tool],
            "tool_choice": "auto",
            "temperature": 0.25,
            "max_tokens": 512,
        })
    );
    fake.assert_all_used();
}

#[tokio::test]
async fn without_tools_no_tools_or_tool_choice_are_sent() {
    let fake = server().await;
    fake.push(Reply::answer("ok"));
    let request = ChatRequest {
        tool_choice: Some(json!("required")),
        ..request()
    };
    Client::new(policy())
        .chat(&provider(&fake), &request, in_secs(10), &CancellationToken::new())
        .await
        .unwrap();
    let body = &fake.requests()[0].body;
    assert_eq!(body.get("tools"), None);
    assert_eq!(body.get("tool_choice"), None);
    assert_eq!(body.get("stream"), None);
    assert_eq!(body.get("temperature"), None);
    fake.assert_all_used();
}

#[tokio::test]
async fn a_streamed_request_asks_for_usage() {
    let fake = server().await;
    fake.push(Reply::sse_chunks(&[
        json!({"choices": [{"index": 0, "delta": {"content": "ok"}}]}),
    ]));
    let (response, _) = chat_stream(&fake).await;
    response.unwrap();
    let sent = &fake.requests()[0];
    assert_eq!(sent.body["stream"], json!(true));
    assert_eq!(sent.body["stream_options"], json!({"include_usage": true}));
    assert_eq!(sent.header("accept"), Some("text/event-stream"));
    fake.assert_all_used();
}

#[tokio::test]
async fn the_api_key_is_sent_only_when_set() {
    // A server that asks for no key (Ollama, vLLM without --api-key) takes them all.
    let fake = FakeLlm::serving(MODEL, None).await;
    for _ in 0..3 {
        fake.push(Reply::answer("ok"));
    }
    let client = Client::new(policy());
    for key in [Some("sk-test-123"), None, Some("")] {
        let provider = Provider {
            api_key: key.map(|k| Secret(k.into())),
            ..provider(&fake)
        };
        client
            .chat(&provider, &request(), in_secs(10), &CancellationToken::new())
            .await
            .unwrap();
    }
    let auth: Vec<Option<String>> = fake
        .requests()
        .iter()
        .map(|r| r.header("authorization").map(str::to_string))
        .collect();
    assert_eq!(auth, [Some("Bearer sk-test-123".to_string()), None, None]);
    assert!(!format!("{:?}", provider(&fake)).contains("sk-test-123"));
    fake.assert_all_used();
}

#[tokio::test]
async fn the_v1_path_is_added_or_kept() {
    let fake = server().await;
    let bases = [
        fake.url(),
        format!("{}/", fake.url()),
        format!("{}/v1", fake.url()),
        format!("{}/v1/", fake.url()),
        format!("{}/v1/chat/completions", fake.url()),
    ];
    let client = Client::new(policy());
    for base in &bases {
        fake.push(Reply::answer("ok"));
        let provider = Provider {
            base_url: base.clone(),
            ..provider(&fake)
        };
        client
            .chat(&provider, &request(), in_secs(10), &CancellationToken::new())
            .await
            .unwrap();
    }
    let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, vec!["/v1/chat/completions"; bases.len()]);

    let proxied = Provider {
        base_url: "https://llm.example.org/litellm/".into(),
        ..provider(&fake)
    };
    assert_eq!(
        proxied.endpoint(),
        "https://llm.example.org/litellm/v1/chat/completions"
    );
    fake.assert_all_used();
}

#[tokio::test]
async fn a_request_can_run_on_a_spawned_task() {
    let fake = server().await;
    fake.push(Reply::answer("from a task"));
    fake.push(Reply::answer("streamed from a task"));
    let client = Client::new(policy());
    let provider = provider(&fake);
    // tokio::spawn needs both futures to be Send.
    let task = tokio::spawn(async move {
        let cancel = CancellationToken::new();
        let whole = client.chat(&provider, &request(), in_secs(10), &cancel).await;
        let mut pieces = Vec::new();
        let streamed = client
            .chat_stream(&provider, &request(), in_secs(10), &cancel, &mut |text: &str| {
                pieces.push(text.to_string())
            })
            .await;
        (whole, streamed, pieces)
    });
    let (whole, streamed, pieces) = task.await.unwrap();
    assert_eq!(whole.unwrap().message.content.as_deref(), Some("from a task"));
    assert_eq!(
        streamed.unwrap().message.content.as_deref(),
        Some("streamed from a task")
    );
    assert_eq!(pieces, ["streamed from a task"]);
    fake.assert_all_used();
}

// ---------------------------------------------------------------------------
// The fake server refuses what a real one refuses, and nothing is retried

/// One chat of `messages` with `provider`; the error.
async fn refused(provider: &Provider, messages: Vec<Message>) -> LlmError {
    let request = ChatRequest {
        messages,
        ..ChatRequest::default()
    };
    Client::new(policy())
        .chat(provider, &request, in_secs(10), &CancellationToken::new())
        .await
        .unwrap_err()
}

/// An assistant message calling `ids`.
fn calling(ids: &[&str]) -> Message {
    Message {
        role: Role::Assistant,
        content: None,
        tool_calls: ids.iter().map(|id| call(id, "f", json!({}))).collect(),
        tool_call_id: None,
    }
}

#[tokio::test]
async fn a_request_past_the_script_is_refused_without_a_retry() {
    let fake = server().await;
    let error = chat(&fake).await.unwrap_err();
    assert_eq!(status_of(&error), 400);
    assert!(!error.is_retryable());
    assert!(
        error.to_string().contains("no reply scripted for request 1"),
        "{error}"
    );
    assert_eq!(fake.requests().len(), 1, "not retried");
    assert_eq!(fake.violations().len(), 1, "{:?}", fake.violations());
}

#[tokio::test]
async fn a_missing_or_wrong_key_is_refused_as_openai_refuses_it() {
    let fake = server().await;
    let without = Provider {
        api_key: None,
        ..provider(&fake)
    };
    let error = refused(&without, request().messages).await;
    assert_eq!(status_of(&error), 401);
    assert!(
        error
            .to_string()
            .starts_with("the LLM server answered 401: You didn't provide an API key."),
        "{error}"
    );
    let wrong = Provider {
        api_key: Some(Secret("sk-wrong-456789".into())),
        ..provider(&fake)
    };
    let error = refused(&wrong, request().messages).await;
    assert_eq!(
        error.to_string(),
        "the LLM server answered 401: Incorrect API key provided: sk-********6789. \
         You can find your API key at https://platform.openai.com/account/api-keys."
    );
    assert_eq!(fake.requests().len(), 2, "neither was retried");
    assert_eq!(fake.violations().len(), 2, "{:?}", fake.violations());
}

#[tokio::test]
async fn a_model_the_server_does_not_serve_is_refused_with_404() {
    let fake = server().await;
    let other = Provider {
        model: "gpt-9".into(),
        ..provider(&fake)
    };
    let error = refused(&other, request().messages).await;
    assert_eq!(
        error.to_string(),
        "the LLM server answered 404: The model `gpt-9` does not exist or you do not have access to it."
    );
    assert!(!error.is_retryable());
    assert_eq!(fake.violations().len(), 1, "{:?}", fake.violations());
}

#[tokio::test]
async fn a_conversation_out_of_order_is_refused_with_400() {
    let fake = server().await;
    let (system, user) = (Message::system("You help."), Message::user("Hello"));
    let answer = |id: &str| Message::tool_result(id, "ok");
    let cases: Vec<(Vec<Message>, &str)> = vec![
        (
            vec![user.clone(), system.clone()],
            "System message must be at the beginning.",
        ),
        (
            vec![system.clone(), user.clone(), answer("a")],
            "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'",
        ),
        (
            vec![user.clone(), calling(&["a"]), answer("b")],
            "'tool_call_id' of 'b' not found in 'tool_calls' of previous message",
        ),
        (
            vec![user.clone(), calling(&["a"]), answer("a"), answer("a")],
            "'tool_call_id' of 'a' was already answered",
        ),
        (
            vec![user.clone(), calling(&["a", "b"]), answer("a"), user.clone()],
            "The following tool_call_ids did not have response messages: b",
        ),
        (
            vec![user.clone(), calling(&["a"]), Message::assistant("Done.")],
            "The following tool_call_ids did not have response messages: a",
        ),
        (
            vec![user.clone(), calling(&["a", "b"])],
            "The following tool_call_ids did not have response messages: a, b",
        ),
        (
            vec![
                user.clone(),
                calling(&["a"]),
                answer("a"),
                user.clone(),
                answer("a"),
            ],
            "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'",
        ),
        (
            vec![user.clone(), calling(&[])],
            "Invalid value for 'content': expected a string, got null.",
        ),
        (Vec::new(), "Invalid 'messages': empty array."),
    ];
    for (messages, expected) in &cases {
        let error = refused(&provider(&fake), messages.clone()).await;
        assert_eq!(status_of(&error), 400, "{error}");
        assert!(error.to_string().contains(expected), "{error}");
    }
    assert_eq!(fake.requests().len(), cases.len(), "none was retried");
    assert_eq!(fake.violations().len(), cases.len(), "{:#?}", fake.violations());

    // In order, the same messages pass.
    let fake = server().await;
    fake.push(Reply::answer("ok"));
    let request = ChatRequest {
        messages: vec![
            system,
            user.clone(),
            calling(&["a", "b"]),
            answer("b"),
            answer("a"),
            Message::assistant("Both done."),
            user,
        ],
        ..ChatRequest::default()
    };
    Client::new(policy())
        .chat(&provider(&fake), &request, in_secs(10), &CancellationToken::new())
        .await
        .unwrap();
    fake.assert_all_used();
}
