//! [`Client`]: sends a chat-completions request, streamed or not, and retries what
//! is worth retrying within the request's deadline.
//!
//! Every wait (the connection, the answer, each streamed chunk, the pause between
//! attempts) ends at the earliest of the per-call timeout, the overall deadline and
//! the caller's [`CancellationToken`]. A streamed answer is retried only if nothing
//! of it had arrived, so text already passed on is never repeated.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::error::snippet;
use super::retry::server_delay;
use super::sse::{Events, Joiner, Step};
use super::{ChatRequest, ChatResponse, LlmError, Provider, RetryPolicy, wire};
use crate::redact::Secrets;

/// An HTTP client for OpenAI-compatible servers; cheap to share (`&Client`) across
/// tasks, since it holds one connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    /// The pool, or why it could not be built (reported by each call rather than
    /// by a panic).
    http: Result<reqwest::Client, String>,
    policy: RetryPolicy,
    /// Taken out of every error, with the key of the provider asked.
    secrets: Secrets,
}

/// A failed attempt and whether another may follow.
struct Failure {
    error: LlmError,
    /// What the server asked us to wait, if it said.
    wait: Option<Duration>,
    /// False once a streamed answer has begun.
    may_retry: bool,
}

impl From<LlmError> for Failure {
    fn from(error: LlmError) -> Failure {
        Failure {
            may_retry: error.is_retryable(),
            error,
            wait: None,
        }
    }
}

/// Where streamed text goes, if streaming.
type OnText<'a> = Option<&'a mut (dyn FnMut(&str) + Send)>;

impl Client {
    /// A client with `policy`. Should the TLS setup fail, every call returns
    /// [`LlmError::Transport`] saying why; [`Client::try_new`] reports it at once.
    pub fn new(policy: RetryPolicy) -> Client {
        // rustls takes its cryptography from a process-wide provider; reqwest is
        // built without one (see ARCHITECTURE.md), so install ring unless the
        // program already chose one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(concat!("myorg-assistant/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(policy.per_call_timeout)
            .build()
            .map_err(|e| format!("the HTTP client could not be set up: {}", chain(&e)));
        Client {
            http,
            policy,
            secrets: Secrets::default(),
        }
    }

    /// The client, taking `secrets` out of the errors it returns (it always takes
    /// out the key of the provider it asked).
    pub fn with_secrets(mut self, secrets: Secrets) -> Client {
        self.secrets = secrets;
        self
    }

    /// Like [`Client::new`], failing if the HTTP client cannot be set up.
    pub fn try_new(policy: RetryPolicy) -> Result<Client, LlmError> {
        let client = Client::new(policy);
        match &client.http {
            Ok(_) => Ok(client),
            Err(why) => Err(LlmError::Transport(why.clone())),
        }
    }

    /// The retry policy in use.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Asks for a whole completion (no streaming).
    pub async fn chat(
        &self,
        provider: &Provider,
        request: &ChatRequest,
        deadline: Instant,
        cancel: &CancellationToken,
    ) -> Result<ChatResponse, LlmError> {
        self.run(provider, request, deadline, cancel, None).await
    }

    /// Asks for a streamed completion (`stream_options.include_usage`), passing each
    /// piece of text to `on_text` as it arrives and returning the joined message.
    /// A server that answers with plain JSON instead is read as such.
    pub async fn chat_stream(
        &self,
        provider: &Provider,
        request: &ChatRequest,
        deadline: Instant,
        cancel: &CancellationToken,
        on_text: &mut (dyn FnMut(&str) + Send),
    ) -> Result<ChatResponse, LlmError> {
        self.run(provider, request, deadline, cancel, Some(on_text)).await
    }

    /// The attempts; an error says nothing of the secrets.
    async fn run(
        &self,
        provider: &Provider,
        request: &ChatRequest,
        deadline: Instant,
        cancel: &CancellationToken,
        on_text: OnText<'_>,
    ) -> Result<ChatResponse, LlmError> {
        let answer = self.attempts(provider, request, deadline, cancel, on_text).await;
        answer.map_err(|error| {
            let key = provider.api_key.iter().map(|key| key.0.clone());
            error.redacted(&self.secrets.clone().with(&Secrets::new(key)))
        })
    }

    /// The attempts, with waits between them.
    async fn attempts(
        &self,
        provider: &Provider,
        request: &ChatRequest,
        deadline: Instant,
        cancel: &CancellationToken,
        mut on_text: OnText<'_>,
    ) -> Result<ChatResponse, LlmError> {
        let http = self
            .http
            .as_ref()
            .map_err(|why| LlmError::Transport(why.clone()))?;
        let body = wire::request_body(&provider.model, request, on_text.is_some());
        let body = serde_json::to_vec(&body)
            .map_err(|e| LlmError::Decode(format!("the request could not be encoded: {e}")))?;
        let attempts = self.policy.attempts.max(1);
        let mut calls = 0;
        loop {
            if cancel.is_cancelled() {
                return Err(LlmError::Cancelled);
            }
            if Instant::now() >= deadline {
                return Err(LlmError::DeadlineExceeded);
            }
            calls += 1;
            let attempt = Attempt {
                http,
                provider,
                body: &body,
                per_call_timeout: self.policy.per_call_timeout,
                deadline,
                cancel,
            };
            let on_text = on_text
                .as_mut()
                .map(|f| &mut **f as &mut (dyn FnMut(&str) + Send));
            let failure = match attempt.run(on_text).await {
                Ok(mut response) => {
                    response.calls = calls;
                    return Ok(response);
                }
                Err(failure) => failure,
            };
            if !failure.may_retry || calls >= attempts {
                return Err(failure.error);
            }
            let wait = failure.wait.unwrap_or_else(|| self.policy.backoff(calls));
            if Instant::now()
                .checked_add(wait)
                .is_none_or(|resume| resume >= deadline)
            {
                // Waiting would use up the deadline: the server's answer says more
                // than "out of time" would.
                return Err(failure.error);
            }
            tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(LlmError::Cancelled),
                () = tokio::time::sleep(wait) => {}
            }
        }
    }
}

/// One HTTP attempt.
struct Attempt<'a> {
    http: &'a reqwest::Client,
    provider: &'a Provider,
    body: &'a [u8],
    per_call_timeout: Duration,
    deadline: Instant,
    cancel: &'a CancellationToken,
}

impl Attempt<'_> {
    async fn run(&self, on_text: OnText<'_>) -> Result<ChatResponse, Failure> {
        let streaming = on_text.is_some();
        let call_deadline = self.call_deadline();
        let mut builder = self
            .http
            .post(self.provider.endpoint())
            .header(CONTENT_TYPE, "application/json")
            .header(
                ACCEPT,
                if streaming {
                    "text/event-stream"
                } else {
                    "application/json"
                },
            )
            .body(self.body.to_vec());
        if let Some(key) = self.provider.api_key.as_ref().filter(|k| !k.0.is_empty()) {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", key.0)).map_err(|_| {
                Failure::from(LlmError::Transport(format!(
                    "the API key of {} is not valid in an HTTP header",
                    self.provider.name
                )))
            })?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        let mut response = self
            .bounded(call_deadline, builder.send())
            .await?
            .map_err(|e| Failure::from(transport(&e)))?;
        let status = response.status();
        let cost = cost(response.headers());
        if !status.is_success() {
            let wait = server_delay(response.headers());
            // The body explains the error; without it the status alone must do.
            let body = match self.bounded(call_deadline, response.bytes()).await {
                Ok(Ok(bytes)) => bytes.to_vec(),
                Err(failure) if failure.error == LlmError::Cancelled => return Err(failure),
                Ok(Err(_)) | Err(_) => Vec::new(),
            };
            let error = LlmError::from_status(status.as_u16(), &body);
            return Err(Failure {
                may_retry: error.is_retryable(),
                error,
                wait,
            });
        }
        let mut answer = match on_text {
            Some(on_text) if is_event_stream(response.headers()) => {
                self.read_stream(&mut response, on_text).await?
            }
            on_text => {
                let bytes = self
                    .bounded(call_deadline, response.bytes())
                    .await?
                    .map_err(|e| Failure::from(transport(&e)))?;
                let answer = read_json(status, &bytes)?;
                if let (Some(on_text), Some(text)) = (on_text, &answer.message.content)
                    && !text.is_empty()
                {
                    on_text(text);
                }
                answer
            }
        };
        answer.cost = cost;
        Ok(answer)
    }

    /// Reads server-sent events until `[DONE]` or the end of the body; each chunk
    /// must come within the per-call timeout of the one before.
    async fn read_stream(
        &self,
        response: &mut reqwest::Response,
        on_text: &mut (dyn FnMut(&str) + Send),
    ) -> Result<ChatResponse, Failure> {
        let mut events = Events::default();
        let mut joiner = Joiner::default();
        loop {
            let next = self.bounded(self.call_deadline(), response.chunk()).await;
            let data = match next {
                Ok(Ok(Some(bytes))) => events.push(&bytes),
                Ok(Ok(None)) => {
                    for data in events.finish() {
                        if feed(&mut joiner, &data, on_text)? == Step::Done {
                            break;
                        }
                    }
                    return joined(joiner);
                }
                Ok(Err(e)) => return Err(started(&joiner, transport(&e))),
                Err(failure) => return Err(started(&joiner, failure.error)),
            };
            for data in data {
                if feed(&mut joiner, &data, on_text)? == Step::Done {
                    return joined(joiner);
                }
            }
        }
    }

    /// When the current wait must end: the per-call timeout or the deadline.
    fn call_deadline(&self) -> Instant {
        Instant::now()
            .checked_add(self.per_call_timeout)
            .map_or(self.deadline, |end| end.min(self.deadline))
    }

    /// Runs `future` until `until`, the deadline or cancellation.
    async fn bounded<T>(&self, until: Instant, future: impl Future<Output = T>) -> Result<T, Failure> {
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => Err(LlmError::Cancelled.into()),
            result = tokio::time::timeout_at(until, future) => result.map_err(|_| {
                if until >= self.deadline {
                    LlmError::DeadlineExceeded.into()
                } else {
                    LlmError::Timeout.into()
                }
            }),
        }
    }
}

/// Takes one event; an error after the stream has begun is not retried.
fn feed(joiner: &mut Joiner, data: &str, on_text: &mut (dyn FnMut(&str) + Send)) -> Result<Step, Failure> {
    let was_started = joiner.started();
    joiner.event(data, on_text).map_err(|error| Failure {
        may_retry: !was_started && error.is_retryable(),
        error,
        wait: None,
    })
}

/// The streamed answer, unless not one chunk came before the end.
fn joined(joiner: Joiner) -> Result<ChatResponse, Failure> {
    if !joiner.started() {
        return Err(LlmError::Decode("the stream ended before any chunk arrived".into()).into());
    }
    Ok(joiner.finish())
}

/// A failure in the middle of a stream: retried only if nothing had come yet.
fn started(joiner: &Joiner, error: LlmError) -> Failure {
    Failure {
        may_retry: !joiner.started() && error.is_retryable(),
        error,
        wait: None,
    }
}

/// A whole JSON completion.
fn read_json(status: StatusCode, bytes: &[u8]) -> Result<ChatResponse, Failure> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        Failure::from(LlmError::Decode(format!(
            "the answer is not JSON ({e}): {}",
            snippet(&String::from_utf8_lossy(bytes))
        )))
    })?;
    wire::read_completion(&value, status.as_u16()).map_err(Failure::from)
}

/// Whether the answer is server-sent events (else it is read as one JSON body).
fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_none_or(|value| !value.trim_start().starts_with("application/json"))
}

/// LiteLLM's `x-litellm-response-cost`, in dollars.
fn cost(headers: &HeaderMap) -> Option<f64> {
    headers
        .get("x-litellm-response-cost")?
        .to_str()
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|cost| cost.is_finite() && *cost >= 0.0)
}

/// A connection or body error, with its causes (reqwest's own message alone is
/// "error sending request").
fn transport(error: &reqwest::Error) -> LlmError {
    LlmError::Transport(chain(error))
}

fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
