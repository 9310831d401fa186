//! [`LlmError`], what can go wrong asking an LLM server, and the lenient reading of
//! the error bodies servers send: `{"error": {message, type, param, code}}`
//! (OpenAI, LiteLLM, vLLM since 0.10.1) or flat `{"object": "error", "message", ...}`
//! (older vLLM), with `code` a string or an integer and `type`/`param` possibly the
//! string `"None"`.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use crate::redact::Secrets;

/// Why a chat completion failed. The `Display` is a sentence a person can read.
#[derive(Clone, Debug, PartialEq)]
pub enum LlmError {
    /// The server answered with an error status (or an error object in a stream).
    Status {
        status: u16,
        /// The server's message, or the start of its body.
        message: String,
        /// Whether asking again may help (429 and 5xx, except `insufficient_quota`).
        retryable: bool,
    },
    /// One attempt took longer than the per-call timeout.
    Timeout,
    /// The overall deadline of the request passed.
    DeadlineExceeded,
    /// The caller cancelled the request.
    Cancelled,
    /// The connection failed (refused, reset, TLS…).
    Transport(String),
    /// The server's answer could not be read as a chat completion.
    Decode(String),
}

impl LlmError {
    /// Whether another attempt may succeed: retryable statuses, timeouts of one
    /// attempt and connection failures.
    pub fn is_retryable(&self) -> bool {
        match self {
            LlmError::Status { retryable, .. } => *retryable,
            LlmError::Timeout | LlmError::Transport(_) => true,
            LlmError::DeadlineExceeded | LlmError::Cancelled | LlmError::Decode(_) => false,
        }
    }

    /// The error for an HTTP error status and its body.
    pub fn from_status(status: u16, body: &[u8]) -> LlmError {
        let details = ErrorBody::parse(body);
        let message = match details.message {
            Some(message) => message,
            None if body.iter().all(u8::is_ascii_whitespace) => "(no message)".to_string(),
            None => snippet(&String::from_utf8_lossy(body)),
        };
        LlmError::Status {
            status,
            retryable: status_is_retryable(status) && !details.is_quota,
            message,
        }
    }

    /// The error for an error object received where a completion was expected (a
    /// 200 body or a streamed chunk with `"error"`); its own `code`, when it is an
    /// HTTP status, stands for the status.
    pub fn from_error_object(http_status: u16, value: &Value) -> LlmError {
        let details = ErrorBody::from_value(value);
        let status = details
            .code
            .as_deref()
            .and_then(|code| code.parse::<u16>().ok())
            .filter(|code| (400..600).contains(code))
            .unwrap_or(if http_status >= 400 { http_status } else { 500 });
        LlmError::Status {
            status,
            retryable: status_is_retryable(status) && !details.is_quota,
            message: details.message.unwrap_or_else(|| snippet(&value.to_string())),
        }
    }
}

impl LlmError {
    /// The error with `secrets` taken out of what the server or the connection said:
    /// a server may echo the key it was sent.
    pub fn redacted(self, secrets: &Secrets) -> LlmError {
        let clear = |text: String| match secrets.redact(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(cleared) => cleared,
        };
        match self {
            LlmError::Status {
                status,
                message,
                retryable,
            } => LlmError::Status {
                status,
                message: clear(message),
                retryable,
            },
            LlmError::Transport(why) => LlmError::Transport(clear(why)),
            LlmError::Decode(why) => LlmError::Decode(clear(why)),
            other @ (LlmError::Timeout | LlmError::DeadlineExceeded | LlmError::Cancelled) => other,
        }
    }
}

/// 429 and every 5xx.
fn status_is_retryable(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

impl fmt::Display for LlmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LlmError::Status { status, message, .. } => {
                write!(f, "the LLM server answered {status}: {message}")
            }
            LlmError::Timeout => f.write_str("the LLM server took too long to answer"),
            LlmError::DeadlineExceeded => {
                f.write_str("the LLM did not answer in the time allowed for this request")
            }
            LlmError::Cancelled => f.write_str("the request to the LLM was cancelled"),
            LlmError::Transport(why) => write!(f, "could not reach the LLM server: {why}"),
            LlmError::Decode(why) => write!(f, "could not read the LLM server's answer: {why}"),
        }
    }
}

impl std::error::Error for LlmError {}

/// The parts of an error body that matter here.
#[derive(Debug, Default, PartialEq)]
pub struct ErrorBody {
    pub message: Option<String>,
    /// `type`, unless missing or `"None"`.
    pub kind: Option<String>,
    /// `code` as text (`"429"`, `"400"`, `"insufficient_quota"`), unless missing or `"None"`.
    pub code: Option<String>,
    /// `insufficient_quota` in `code` or `type`: no retry will help.
    pub is_quota: bool,
}

impl ErrorBody {
    /// Reads a body that may not be JSON at all.
    pub fn parse(body: &[u8]) -> ErrorBody {
        serde_json::from_slice::<Value>(body)
            .map(|value| ErrorBody::from_value(&value))
            .unwrap_or_default()
    }

    /// Reads `{"error": {...}}`, `{"error": "text"}` or a flat error object.
    pub fn from_value(value: &Value) -> ErrorBody {
        let object = match value.get("error") {
            Some(inner @ Value::Object(_)) => inner,
            Some(Value::String(text)) => {
                return ErrorBody {
                    message: Some(text.clone()),
                    ..ErrorBody::default()
                };
            }
            _ => value,
        };
        let text = |key: &str| match object.get(key) {
            Some(Value::String(s)) if !s.is_empty() && s != "None" => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let message = match object.get("message") {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(other @ (Value::Object(_) | Value::Array(_))) => Some(snippet(&other.to_string())),
            _ => None,
        };
        let kind = text("type");
        let code = text("code");
        let is_quota = [&kind, &code]
            .iter()
            .any(|field| field.as_deref() == Some("insufficient_quota"));
        ErrorBody {
            message,
            kind,
            code,
            is_quota,
        }
    }
}

/// At most 300 characters of `text`, on one line.
pub(crate) fn snippet(text: &str) -> String {
    let text = text.trim();
    let mut out: String = text
        .chars()
        .take(300)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(300).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_that_is_not_json_is_shown_in_short() {
        let long = "x".repeat(1000);
        let LlmError::Status { message, .. } = LlmError::from_status(502, long.as_bytes()) else {
            panic!("a status error");
        };
        assert_eq!(message.chars().count(), 301);
        let error = LlmError::from_status(503, b"");
        assert_eq!(error.to_string(), "the LLM server answered 503: (no message)");
        assert!(error.is_retryable());
    }

    #[test]
    fn an_error_string_and_a_quota_type_are_read() {
        let body = br#"{"error": "model not found"}"#;
        assert_eq!(ErrorBody::parse(body).message.as_deref(), Some("model not found"));
        let quota = br#"{"error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "code": null}}"#;
        let error = LlmError::from_status(429, quota);
        assert!(!error.is_retryable());
    }

    #[test]
    fn a_key_the_server_echoes_is_redacted() {
        let secrets = Secrets::new(["sk-live-123".to_string()]);
        let body = br#"{"error": {"message": "Incorrect API key provided: sk-live-123"}}"#;
        let error = LlmError::from_status(401, body).redacted(&secrets);
        assert_eq!(
            error.to_string(),
            "the LLM server answered 401: Incorrect API key provided: [redacted]"
        );
        let error = LlmError::Decode("not JSON: sk-live-123".into()).redacted(&secrets);
        assert_eq!(error, LlmError::Decode("not JSON: [redacted]".into()));
    }

    #[test]
    fn an_error_object_in_a_stream_takes_its_status_from_its_code() {
        let value: Value = serde_json::from_str(r#"{"error": {"message": "busy", "code": "503"}}"#).unwrap();
        let error = LlmError::from_error_object(200, &value);
        assert_eq!(
            error,
            LlmError::Status {
                status: 503,
                message: "busy".into(),
                retryable: true
            }
        );
        let value: Value = serde_json::from_str(r#"{"error": {"message": "odd"}}"#).unwrap();
        assert!(matches!(
            LlmError::from_error_object(200, &value),
            LlmError::Status { status: 500, .. }
        ));
    }
}
