//! A scripted OpenAI-compatible server on 127.0.0.1, for tests that need an LLM.
//!
//! ```ignore
//! let fake = FakeLlm::start().await; // serves MODEL, takes the key KEY
//! fake.push(Reply::answer("Done."));
//! fake.push(Reply::json(429, json!({"error": {"message": "slow down"}})).header("retry-after", "1"));
//! // point a provider at fake.url(), with MODEL and KEY, then:
//! let request = &fake.requests()[0];
//! assert_eq!(request.path, "/v1/chat/completions");
//! fake.assert_all_used();
//! ```
//!
//! Every request, whatever its method or path, is recorded (method, path, headers,
//! body), then checked as a real server checks it (`checks.rs`, `conversation.rs`):
//! the URL, `Authorization: Bearer KEY` (401 with OpenAI's body otherwise), the body
//! and its parameters, the model (404 `model_not_found`), and the conversation (a
//! system message only first, every tool call answered by one `tool` message before
//! anything else is said). A request a real server would refuse is refused the same
//! way, uses no scripted reply, and is recorded in [`FakeLlm::violations`]. Any other
//! is answered with the next scripted [`Reply`], in order.
//!
//! A request that comes when the script is used up is answered as LiteLLM's proxy
//! answers a key whose budget is spent: 400 `budget_exceeded`. A 4xx, so no client
//! retries it (a 5xx would be retried, and the extra calls would pass for retries),
//! and it is a violation too: a test scripts every call it expects.
//! [`FakeLlm::assert_all_used`], at the end of a test, checks that every reply was
//! played and nothing was refused.

mod checks;
mod conversation;

pub use checks::Serving;

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

/// The running server; it stops when dropped.
pub struct FakeLlm {
    address: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    task: JoinHandle<()>,
}

/// The model [`FakeLlm::start`] serves.
pub const MODEL: &str = "fake-model";
/// The key [`FakeLlm::start`] takes.
pub const KEY: &str = "sk-test";

struct Shared {
    /// What a request must ask for; `None`: nothing is checked.
    serving: Option<Serving>,
    script: VecDeque<Reply>,
    received: Vec<Received>,
    violations: Vec<String>,
}

/// A request the server received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// The path and query, e.g. `/v1/chat/completions`.
    pub path: String,
    /// Header names in lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body as JSON (`Value::Null` when it is not JSON).
    pub body: Value,
    /// The body as text.
    pub raw: String,
}

impl Received {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// One scripted answer: a status, headers, a body, and optionally a delay before
/// answering and gaps between streamed events.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: ReplyBody,
    delay: Duration,
}

#[derive(Clone, Debug)]
enum ReplyBody {
    Json(Value),
    Text { content_type: String, text: String },
    Events { data: Vec<String>, gap: Duration },
}

impl Reply {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: ReplyBody::Json(body),
            delay: Duration::ZERO,
        }
    }

    /// `status` with a body sent as it is (a recorded `.sse` file, HTML, garbage).
    pub fn text(status: u16, content_type: &str, text: impl Into<String>) -> Reply {
        Reply {
            body: ReplyBody::Text {
                content_type: content_type.to_string(),
                text: text.into(),
            },
            ..Reply::json(status, Value::Null)
        }
    }

    /// 200 `text/event-stream`, one `data: …` event per item, exactly as given
    /// (add `"[DONE]"` yourself where the stream should end with it).
    pub fn sse<S: Into<String>>(data: impl IntoIterator<Item = S>) -> Reply {
        Reply {
            body: ReplyBody::Events {
                data: data.into_iter().map(Into::into).collect(),
                gap: Duration::ZERO,
            },
            ..Reply::json(200, Value::Null)
        }
    }

    /// 200 `text/event-stream` of these chunks, then `[DONE]`.
    pub fn sse_chunks(chunks: &[Value]) -> Reply {
        let mut data: Vec<String> = chunks.iter().map(Value::to_string).collect();
        data.push("[DONE]".to_string());
        Reply::sse(data)
    }

    /// A 200 completion whose message is `content`.
    pub fn answer(content: &str) -> Reply {
        Reply::json(200, completion(json!({"role": "assistant", "content": content})))
    }

    /// A 200 completion calling tools, each `(id, name, arguments)`; the arguments
    /// are sent as a JSON string, as OpenAI does.
    pub fn tool_calls(calls: &[(&str, &str, Value)]) -> Reply {
        let calls: Vec<Value> = calls
            .iter()
            .map(|(id, name, arguments)| {
                json!({"id": id, "type": "function",
                       "function": {"name": name, "arguments": arguments.to_string()}})
            })
            .collect();
        let message = json!({"role": "assistant", "content": null, "tool_calls": calls});
        let mut body = completion(message);
        body["choices"][0]["finish_reason"] = json!("tool_calls");
        Reply::json(200, body)
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Waits this long before answering (the request is recorded at once).
    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// Waits this long before each streamed event after the first.
    pub fn gap(mut self, gap: Duration) -> Reply {
        if let ReplyBody::Events { gap: g, .. } = &mut self.body {
            *g = gap;
        }
        self
    }
}

/// A minimal completion object around `message`, with usage.
pub fn completion(message: Value) -> Value {
    json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_764_316_800,
        "model": "fake-model",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    })
}

impl FakeLlm {
    /// A server of [`MODEL`] that takes the key [`KEY`], on a free port of 127.0.0.1.
    pub async fn start() -> FakeLlm {
        FakeLlm::serving(MODEL, Some(KEY)).await
    }

    /// A server of `model` that takes `key` (`None`: it asks for no key, as Ollama or
    /// vLLM without `--api-key`, and ignores one sent).
    pub async fn serving(model: &str, key: Option<&str>) -> FakeLlm {
        FakeLlm::with(Some(Serving {
            model: model.to_string(),
            key: key.map(str::to_string),
        }))
        .await
    }

    /// A scripted HTTP server that checks nothing of the requests (for a client of
    /// another API than chat completions); a request past the script is still
    /// refused and a violation.
    pub async fn unchecked() -> FakeLlm {
        FakeLlm::with(None).await
    }

    async fn with(serving: Option<Serving>) -> FakeLlm {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1");
        let address = listener.local_addr().expect("the port");
        let shared = Arc::new(Mutex::new(Shared {
            serving,
            script: VecDeque::new(),
            received: Vec::new(),
            violations: Vec::new(),
        }));
        let app = Router::new().fallback(answer).with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeLlm {
            address,
            shared,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`, without `/v1`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Queues the answer to a coming request.
    pub fn push(&self, reply: Reply) {
        self.lock().script.push_back(reply);
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// Scripted replies not used yet.
    pub fn remaining(&self) -> usize {
        self.lock().script.len()
    }

    /// The requests refused, each as `request N: STATUS [PARAM] MESSAGE`: those a real
    /// server would refuse, and those past the script.
    pub fn violations(&self) -> Vec<String> {
        self.lock().violations.clone()
    }

    /// Panics unless every scripted reply was played and no request was refused: the
    /// end of a test that scripted its calls.
    pub fn assert_all_used(&self) {
        let shared = self.lock();
        assert!(
            shared.script.is_empty() && shared.violations.is_empty(),
            "the fake LLM has {} scripted repl{} left, and refused {:#?}",
            shared.script.len(),
            if shared.script.len() == 1 { "y" } else { "ies" },
            shared.violations
        );
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Records the request, then plays the next scripted reply.
async fn answer(State(shared): State<Arc<Mutex<Shared>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let raw = String::from_utf8_lossy(&bytes).into_owned();
    let received = Received {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_string(), |p| p.to_string()),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_string(), value)
            })
            .collect(),
        body: serde_json::from_str(&raw).unwrap_or(Value::Null),
        raw,
    };
    let reply = {
        let mut shared = shared.lock().unwrap_or_else(PoisonError::into_inner);
        let number = shared.received.len() + 1;
        let refusal = match &shared.serving {
            Some(serving) => checks::check(
                serving,
                &received.method,
                &received.path,
                received.header("authorization"),
                &bytes,
            )
            .err(),
            None => None,
        };
        let line = format!("{} {}", received.method, received.path);
        shared.received.push(received);
        match refusal {
            Some(refusal) => {
                let param = refusal.param.as_deref().map(|p| format!("[{p}] ")).unwrap_or_default();
                shared.violations.push(format!(
                    "request {number}: {} {param}{}",
                    refusal.status, refusal.message
                ));
                Reply::json(refusal.status, refusal.body())
            }
            None => shared.script.pop_front().unwrap_or_else(|| {
                let message = format!(
                    "the fake LLM server has no reply scripted for request {number} ({line}): its script is used up"
                );
                shared.violations.push(format!("request {number}: 400 {message}"));
                Reply::json(
                    400,
                    json!({"error": {"message": message, "type": "budget_exceeded", "param": null, "code": "400"}}),
                )
            }),
        }
    };
    tokio::time::sleep(reply.delay).await;
    play(reply)
}

fn play(reply: Reply) -> Response {
    let (content_type, body) = match reply.body {
        ReplyBody::Json(value) => ("application/json".to_string(), Body::from(value.to_string())),
        ReplyBody::Text { content_type, text } => (content_type, Body::from(text)),
        ReplyBody::Events { data, gap } => {
            let events: VecDeque<String> = data.into_iter().map(|d| format!("data: {d}\n\n")).collect();
            let stream =
                futures_util::stream::unfold((events, true), move |(mut events, first)| async move {
                    let event = events.pop_front()?;
                    if !first {
                        tokio::time::sleep(gap).await;
                    }
                    Some((Ok::<_, Infallible>(Bytes::from(event)), (events, false)))
                });
            ("text/event-stream".to_string(), Body::from_stream(stream))
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(reply.status).expect("a valid status");
    let headers = response.headers_mut();
    headers.insert(
        "content-type",
        HeaderValue::from_str(&content_type).expect("a valid content type"),
    );
    for (name, value) in reply.headers {
        headers.append(
            HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
            HeaderValue::from_str(&value).expect("a valid header value"),
        );
    }
    response
}
