//! A small client for OpenAI-compatible chat completions (OpenAI, LiteLLM, Ollama's
//! `/v1`, vLLM): messages, tools, streaming and non-streaming, on reqwest + serde.
//!
//! This is an edge module: it does I/O and knows nothing of tasks or the store. It
//! reads what servers send leniently (each difference is pinned by a test in
//! `tests/llm_client.rs`): `arguments` as a string,
//! an object or `""`, missing tool-call ids, missing usage, `finish_reason` that does
//! not say `tool_calls`, error bodies with or without an envelope.
//!
//! - [`wire`] — the request body and the lenient reading of a response.
//! - [`sse`] — server-sent events, and joining streamed chunks into one message.
//! - [`retry`] — [`RetryPolicy`], backoff and the `retry-after` headers.
//! - [`error`] — [`LlmError`] and the reading of error bodies.
//! - [`client`] — [`Client`]: attempts, timeouts, the deadline and cancellation.

pub mod client;
pub mod error;
pub mod retry;
pub mod sse;
pub mod wire;

pub use client::Client;
pub use error::LlmError;
pub use retry::RetryPolicy;

use serde::{Deserialize, Serialize};

use crate::config::Secret;

/// One OpenAI-compatible server and the model to ask there.
#[derive(Clone, Debug)]
pub struct Provider {
    /// A name for messages and usage records (`litellm`, `ollama`…).
    pub name: String,
    /// The server's address, with or without a trailing `/v1` or `/`:
    /// `http://localhost:11434` and `https://api.openai.com/v1/` both work.
    pub base_url: String,
    /// Sent as `Authorization: Bearer …` when set; never logged.
    pub api_key: Option<Secret>,
    /// The model (or LiteLLM alias) to ask for.
    pub model: String,
}

impl Provider {
    /// The chat-completions endpoint: `{base}/v1/chat/completions`, keeping a `/v1`
    /// the base already ends with (a base that already names the endpoint is kept).
    pub fn endpoint(&self) -> String {
        let base = self.base_url.trim().trim_end_matches('/');
        if base.ends_with("/chat/completions") {
            base.to_string()
        } else if base.ends_with("/v1") {
            format!("{base}/chat/completions")
        } else {
            format!("{base}/v1/chat/completions")
        }
    }
}

/// Who speaks in a [`Message`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
    Tool,
}

/// One message of a conversation, in the wire shape: it serializes to what the
/// server expects and an assistant message read from a response can be sent back
/// unchanged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    /// `null` on the wire for an assistant message that only calls tools.
    #[serde(default)]
    pub content: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "wire::deserialize_tool_calls"
    )]
    pub tool_calls: Vec<ToolCall>,
    /// The call a `tool` message answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
}

impl Message {
    fn new(role: Role, content: impl Into<String>) -> Message {
        Message {
            role,
            content: Some(content.into()),
            tool_calls: Vec::new(),
            tool_call_id: None,
        }
    }

    /// The system prompt.
    pub fn system(content: impl Into<String>) -> Message {
        Message::new(Role::System, content)
    }

    /// What a person said.
    pub fn user(content: impl Into<String>) -> Message {
        Message::new(Role::User, content)
    }

    /// An assistant turn with text only.
    pub fn assistant(content: impl Into<String>) -> Message {
        Message::new(Role::Assistant, content)
    }

    /// The result of the tool call `id`.
    pub fn tool_result(id: impl Into<String>, content: impl Into<String>) -> Message {
        Message {
            tool_call_id: Some(id.into()),
            ..Message::new(Role::Tool, content)
        }
    }
}

/// A tool call the model asked for.
///
/// Read leniently (see [`wire::tool_call_from_value`]); serialized back to the wire
/// shape `{"id", "type": "function", "function": {"name", "arguments": "<JSON>"}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCall {
    /// The server's id, or one made up here when it sent none (`call_…`). Opaque.
    pub id: String,
    pub name: String,
    /// The arguments as JSON: a JSON string from the server is parsed, an object is
    /// taken as is, `""` is `{}`. A string that is not JSON stays a
    /// [`serde_json::Value::String`] holding the raw text, so the caller can say the
    /// arguments were invalid (it is sent back as that raw text).
    pub arguments: serde_json::Value,
}

/// What to ask: the conversation, the tools and a few sampling options.
#[derive(Clone, Debug, Default)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    /// OpenAI tool definitions, each `{"type": "function", "function": {...}}`.
    pub tools: Vec<serde_json::Value>,
    /// `"auto"`, `"none"`, `"required"` or `{"type": "function", ...}`; sent only
    /// when there are tools.
    pub tool_choice: Option<serde_json::Value>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
}

/// Token counts of one completion; every field is 0 when the server did not say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub total_tokens: u64,
    /// `prompt_tokens_details.cached_tokens`.
    pub cached_tokens: u64,
    /// `completion_tokens_details.reasoning_tokens`.
    pub reasoning_tokens: u64,
}

/// The answer to a [`ChatRequest`].
#[derive(Clone, Debug, PartialEq)]
pub struct ChatResponse {
    /// The assistant's message (role [`Role::Assistant`]), ready to be sent back.
    pub message: Message,
    pub usage: Usage,
    /// The model as the server names it (LiteLLM gives its alias or the fallback).
    pub model: String,
    /// The header `x-litellm-response-cost`, in dollars.
    pub cost: Option<f64>,
    /// As the server said it; not to be trusted to tell whether tools were called
    /// (look at `message.tool_calls`).
    pub finish_reason: Option<String>,
    /// The HTTP attempts made, retries included.
    pub calls: u32,
}
