//! The `messages` of a request, checked as a real server checks them: each message's
//! shape for its role, a system message only first (the chat templates vLLM and
//! Ollama apply refuse one elsewhere), and the tool calls of an assistant message each
//! answered by one `tool` message before anything else is said.

use serde_json::{Map, Value};

use super::checks::{Refusal, missing, wrong_type};

/// The tool calls of the last assistant message, while they are being answered.
struct Open {
    /// The assistant message's index.
    at: usize,
    ids: Vec<String>,
    answered: Vec<String>,
}

impl Open {
    /// Refused when a call is left without its answer, as OpenAI refuses it.
    fn close(self) -> Result<(), Refusal> {
        let unanswered: Vec<&str> = self
            .ids
            .iter()
            .filter(|id| !self.answered.contains(id))
            .map(String::as_str)
            .collect();
        if unanswered.is_empty() {
            return Ok(());
        }
        Err(Refusal::invalid(
            format!("messages[{}].role", self.at),
            format!(
                "An assistant message with 'tool_calls' must be followed by tool messages responding \
                 to each 'tool_call_id'. The following tool_call_ids did not have response messages: {}",
                unanswered.join(", ")
            ),
        ))
    }
}

/// `messages`: present, a non-empty array, each message valid where it stands.
pub fn check(messages: Option<&Value>) -> Result<(), Refusal> {
    let messages = match messages {
        None | Some(Value::Null) => return Err(missing("messages")),
        Some(Value::Array(messages)) if !messages.is_empty() => messages,
        Some(Value::Array(_)) => {
            return Err(Refusal::invalid(
                "messages",
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got \
                 an empty array instead.",
            )
            .code("empty_array"));
        }
        Some(other) => return Err(wrong_type("messages", "an array of objects", other)),
    };
    let mut open: Option<Open> = None;
    for (i, message) in messages.iter().enumerate() {
        let at = format!("messages[{i}]");
        let Some(message) = message.as_object() else {
            return Err(wrong_type(&at, "an object", message));
        };
        let role = match message.get("role") {
            Some(Value::String(role)) => role.as_str(),
            None => return Err(missing(&format!("{at}.role"))),
            Some(other) => return Err(wrong_type(&format!("{at}.role"), "a string", other)),
        };
        only_known_keys(&at, role, message)?;
        if role != "tool"
            && let Some(open) = open.take()
        {
            open.close()?;
        }
        match role {
            "system" | "developer" => {
                if i != 0 {
                    return Err(Refusal::invalid(
                        format!("{at}.role"),
                        "System message must be at the beginning.",
                    ));
                }
                text(&at, message.get("content"))?;
            }
            "user" => text(&at, message.get("content"))?,
            "assistant" => open = assistant(i, message)?,
            _ => {
                text(&at, message.get("content"))?;
                answer(&at, message.get("tool_call_id"), open.as_mut())?;
            }
        }
    }
    open.map_or(Ok(()), Open::close)
}

/// Refuses a role no server knows, and keys its role does not have.
fn only_known_keys(at: &str, role: &str, message: &Map<String, Value>) -> Result<(), Refusal> {
    let keys: &[&str] = match role {
        "system" | "developer" | "user" => &["role", "content", "name"],
        "assistant" => &["role", "content", "name", "tool_calls", "refusal", "audio"],
        "tool" => &["role", "content", "tool_call_id"],
        _ => {
            return Err(Refusal::invalid(
                format!("{at}.role"),
                format!(
                    "Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', \
                     'tool', and 'developer'."
                ),
            )
            .code("invalid_value"));
        }
    };
    match message.keys().find(|key| !keys.contains(&key.as_str())) {
        Some(key) => Err(Refusal::invalid(
            at,
            format!("Additional properties are not allowed ('{key}' was unexpected) - '{at}'"),
        )),
        None => Ok(()),
    }
}

/// The content of a system, user or tool message: text, or an array of parts.
fn text(at: &str, content: Option<&Value>) -> Result<(), Refusal> {
    let param = format!("{at}.content");
    match content {
        None => Err(missing(&param)),
        Some(Value::String(_)) => Ok(()),
        Some(Value::Array(parts)) if parts.iter().all(|p| p.get("type").is_some_and(Value::is_string)) => {
            Ok(())
        }
        Some(other) => Err(wrong_type(&param, "one of a string or array of objects", other)),
    }
}

/// An assistant message: text, tool calls, or both; its calls, if any, to answer.
fn assistant(i: usize, message: &Map<String, Value>) -> Result<Option<Open>, Refusal> {
    let at = format!("messages[{i}]");
    let calls = match message.get("tool_calls") {
        None | Some(Value::Null) => None,
        Some(Value::Array(calls)) if !calls.is_empty() => Some(calls),
        Some(Value::Array(_)) => {
            return Err(Refusal::invalid(
                format!("{at}.tool_calls"),
                format!(
                    "Invalid '{at}.tool_calls': empty array. Expected an array with minimum length 1, \
                     but got an empty array instead."
                ),
            )
            .code("empty_array"));
        }
        Some(other) => return Err(wrong_type(&format!("{at}.tool_calls"), "an array", other)),
    };
    match message.get("content") {
        None | Some(Value::Null) if calls.is_none() => {
            return Err(Refusal::invalid(
                format!("{at}.content"),
                "Invalid value for 'content': expected a string, got null.",
            ));
        }
        None | Some(Value::Null | Value::String(_)) => {}
        Some(content) => text(&at, Some(content))?,
    }
    let Some(calls) = calls else { return Ok(None) };
    let mut ids = Vec::new();
    for (j, call) in calls.iter().enumerate() {
        let at = format!("{at}.tool_calls[{j}]");
        let field = |path: &str| call.pointer(path).filter(|v| !v.is_null());
        let id = match field("/id") {
            Some(Value::String(id)) if !id.is_empty() => id,
            None => return Err(missing(&format!("{at}.id"))),
            Some(other) => return Err(wrong_type(&format!("{at}.id"), "a non-empty string", other)),
        };
        if ids.contains(id) {
            return Err(Refusal::invalid(
                format!("{at}.id"),
                format!("Duplicate value for 'id' of '{id}' in '{at}'."),
            ));
        }
        if field("/type").and_then(Value::as_str) != Some("function") {
            return Err(Refusal::invalid(
                format!("{at}.type"),
                format!("Invalid value for '{at}.type': expected 'function'."),
            ));
        }
        for part in ["name", "arguments"] {
            let param = format!("{at}.function.{part}");
            match field(&format!("/function/{part}")) {
                Some(Value::String(_)) => {}
                None => return Err(missing(&param)),
                Some(other) => return Err(wrong_type(&param, "a string", other)),
            }
        }
        ids.push(id.clone());
    }
    Ok(Some(Open {
        at: i,
        ids,
        answered: Vec::new(),
    }))
}

/// A tool message: it answers one not yet answered call of the assistant message just
/// before it.
fn answer(at: &str, id: Option<&Value>, open: Option<&mut Open>) -> Result<(), Refusal> {
    let id = match id {
        Some(Value::String(id)) => id,
        None | Some(Value::Null) => {
            return Err(Refusal::invalid(
                format!("{at}.tool_call_id"),
                "Missing parameter 'tool_call_id': messages with role 'tool' must have a 'tool_call_id'.",
            )
            .code("missing_required_parameter"));
        }
        Some(other) => return Err(wrong_type(&format!("{at}.tool_call_id"), "a string", other)),
    };
    let Some(open) = open else {
        return Err(Refusal::invalid(
            format!("{at}.role"),
            "Invalid parameter: messages with role 'tool' must be a response to a preceeding message \
             with 'tool_calls'.",
        ));
    };
    if !open.ids.contains(id) {
        return Err(Refusal::invalid(
            format!("{at}.tool_call_id"),
            format!(
                "Invalid parameter: 'tool_call_id' of '{id}' not found in 'tool_calls' of previous message."
            ),
        ));
    }
    if open.answered.contains(id) {
        return Err(Refusal::invalid(
            format!("{at}.tool_call_id"),
            format!(
                "Invalid parameter: 'tool_call_id' of '{id}' was already answered by an earlier tool message."
            ),
        ));
    }
    open.answered.push(id.clone());
    Ok(())
}
