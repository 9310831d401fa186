//! The JSON on the wire: the request body, and a lenient reading of a completion.
//!
//! Responses are read through [`serde_json::Value`] rather than strict structs, so
//! that a field of an unexpected type or a missing one degrades to a default instead
//! of failing the whole answer (the module [`super`] lists what servers do).

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};

use super::{ChatRequest, ChatResponse, LlmError, Message, Role, ToolCall, Usage};

/// The body of a chat-completions request for `model`.
pub fn request_body(model: &str, request: &ChatRequest, stream: bool) -> Value {
    let mut body = Map::new();
    body.insert("model".into(), json!(model));
    body.insert("messages".into(), json!(request.messages));
    if !request.tools.is_empty() {
        body.insert("tools".into(), Value::Array(request.tools.clone()));
        if let Some(choice) = &request.tool_choice {
            body.insert("tool_choice".into(), choice.clone());
        }
    }
    if let Some(temperature) = request.temperature {
        body.insert("temperature".into(), json!(temperature));
    }
    if let Some(max_tokens) = request.max_tokens {
        body.insert("max_tokens".into(), json!(max_tokens));
    }
    if stream {
        body.insert("stream".into(), json!(true));
        body.insert("stream_options".into(), json!({"include_usage": true}));
    }
    Value::Object(body)
}

/// Reads a non-streamed completion: the first choice's message, usage, model and
/// finish reason. Also takes Ollama's native shape (`message` at the top, counts in
/// `prompt_eval_count`/`eval_count`). An `error` object instead of choices is an
/// error.
pub fn read_completion(value: &Value, http_status: u16) -> Result<ChatResponse, LlmError> {
    let choice = first_choice(value);
    let message = choice
        .and_then(|choice| choice.get("message"))
        .or_else(|| value.get("message"))
        .filter(|message| message.is_object());
    let Some(message) = message else {
        if value.get("error").is_some_and(|e| !e.is_null()) {
            return Err(LlmError::from_error_object(http_status, value));
        }
        return Err(LlmError::Decode(format!(
            "no message in the answer: {}",
            super::error::snippet(&value.to_string())
        )));
    };
    let finish_reason = choice
        .and_then(|choice| choice.get("finish_reason"))
        .or_else(|| value.get("done_reason"))
        .and_then(reason);
    Ok(ChatResponse {
        message: Message {
            role: Role::Assistant,
            content: content(message.get("content")),
            tool_calls: tool_calls(message.get("tool_calls")),
            tool_call_id: None,
        },
        usage: value
            .get("usage")
            .filter(|usage| usage.is_object())
            .map(read_usage)
            .unwrap_or_else(|| ollama_usage(value)),
        model: model(value).unwrap_or_default(),
        cost: None,
        finish_reason,
        calls: 0,
    })
}

/// The choice with index 0 (or the first one).
pub(crate) fn first_choice(value: &Value) -> Option<&Value> {
    let choices = value.get("choices")?.as_array()?;
    choices
        .iter()
        .find(|choice| choice.get("index").and_then(Value::as_u64) == Some(0))
        .or_else(|| choices.first())
}

/// `model`, when a non-empty string.
pub(crate) fn model(value: &Value) -> Option<String> {
    value
        .get("model")
        .and_then(Value::as_str)
        .filter(|model| !model.is_empty())
        .map(str::to_string)
}

/// A finish reason worth keeping: a non-empty string.
pub(crate) fn reason(value: &Value) -> Option<String> {
    value
        .as_str()
        .filter(|reason| !reason.is_empty())
        .map(str::to_string)
}

/// Message content: a string, `null`, or an array of parts whose texts are joined.
fn content(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(|part| part.as_str().or_else(|| part.get("text")?.as_str()))
                .collect(),
        ),
        _ => None,
    }
}

/// Every tool call in `tool_calls`; `null`, a missing key or an empty array is none.
fn tool_calls(value: Option<&Value>) -> Vec<ToolCall> {
    match value {
        Some(Value::Array(calls)) => calls.iter().filter_map(tool_call_from_value).collect(),
        _ => Vec::new(),
    }
}

/// One tool call, from `{id, type, function: {name, arguments}}` or the same
/// without `function` around name and arguments. `None` when it is not an object.
pub fn tool_call_from_value(value: &Value) -> Option<ToolCall> {
    let object = value.as_object()?;
    let function = object.get("function").filter(|f| f.is_object()).unwrap_or(value);
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map_or_else(new_call_id, str::to_string);
    let name = function
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Some(ToolCall {
        id,
        name,
        arguments: arguments(function.get("arguments")),
    })
}

/// Arguments as JSON: a JSON string parsed, `""` or missing as `{}`, an object as
/// is, an unparsable string kept raw as a string.
pub fn arguments(value: Option<&Value>) -> Value {
    match value {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(Value::String(raw)) => parse_arguments(raw),
        Some(other) => other.clone(),
    }
}

/// A streamed or received arguments string read as JSON.
pub fn parse_arguments(raw: &str) -> Value {
    if raw.trim().is_empty() {
        return Value::Object(Map::new());
    }
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

/// An id for a tool call the server sent without one.
pub fn new_call_id() -> String {
    format!("call_{}", uuid::Uuid::new_v4().simple())
}

/// Usage, each count 0 unless the server gave a number.
pub fn read_usage(value: &Value) -> Usage {
    let count = |value: Option<&Value>| -> u64 {
        match value {
            Some(Value::Number(n)) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
                .unwrap_or(0),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
            _ => 0,
        }
    };
    Usage {
        prompt_tokens: count(value.get("prompt_tokens")),
        completion_tokens: count(value.get("completion_tokens")),
        total_tokens: count(value.get("total_tokens")),
        cached_tokens: count(value.pointer("/prompt_tokens_details/cached_tokens")),
        reasoning_tokens: count(value.pointer("/completion_tokens_details/reasoning_tokens")),
    }
}

/// Ollama's native counts, when there is no `usage`.
fn ollama_usage(value: &Value) -> Usage {
    let prompt = value.get("prompt_eval_count").and_then(Value::as_u64);
    let completion = value.get("eval_count").and_then(Value::as_u64);
    Usage {
        prompt_tokens: prompt.unwrap_or(0),
        completion_tokens: completion.unwrap_or(0),
        total_tokens: prompt.unwrap_or(0) + completion.unwrap_or(0),
        ..Usage::default()
    }
}

impl Serialize for ToolCall {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let arguments = match &self.arguments {
            Value::String(raw) => raw.clone(),
            other => other.to_string(),
        };
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("type", "function")?;
        map.serialize_entry("function", &json!({"name": self.name, "arguments": arguments}))?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for ToolCall {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ToolCall, D::Error> {
        let value = Value::deserialize(deserializer)?;
        tool_call_from_value(&value).ok_or_else(|| serde::de::Error::custom("a tool call must be an object"))
    }
}

/// `tool_calls` of a message read back: `null` is none, entries that are not
/// objects are skipped.
pub(crate) fn deserialize_tool_calls<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<ToolCall>, D::Error> {
    let value = Option::<Value>::deserialize(deserializer)?;
    Ok(tool_calls(value.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_read_leniently() {
        assert_eq!(arguments(Some(&json!("{\"a\": 1}"))), json!({"a": 1}));
        assert_eq!(arguments(Some(&json!({"a": 1}))), json!({"a": 1}));
        assert_eq!(arguments(Some(&json!(""))), json!({}));
        assert_eq!(arguments(Some(&json!("  "))), json!({}));
        assert_eq!(arguments(None), json!({}));
        assert_eq!(arguments(Some(&json!("{\"a\": "))), json!("{\"a\": "));
    }

    #[test]
    fn a_tool_call_goes_back_in_the_wire_shape() {
        let call = ToolCall {
            id: "call_1".into(),
            name: "add_task".into(),
            arguments: json!({"text": "milk"}),
        };
        let wire = serde_json::to_value(&call).unwrap();
        assert_eq!(
            wire,
            json!({"id": "call_1", "type": "function",
                   "function": {"name": "add_task", "arguments": "{\"text\":\"milk\"}"}})
        );
        let back: ToolCall = serde_json::from_value(wire).unwrap();
        assert_eq!(back, call);
        let raw = ToolCall {
            arguments: json!("{oops"),
            ..call
        };
        assert_eq!(
            serde_json::to_value(&raw).unwrap()["function"]["arguments"],
            json!("{oops")
        );
    }

    #[test]
    fn a_message_round_trips_through_the_wire_shape() {
        let message = Message {
            role: Role::Assistant,
            content: None,
            tool_calls: vec![ToolCall {
                id: "c".into(),
                name: "n".into(),
                arguments: json!({}),
            }],
            tool_call_id: None,
        };
        let wire = serde_json::to_value(&message).unwrap();
        assert_eq!(wire["content"], Value::Null);
        assert_eq!(wire.get("tool_call_id"), None);
        assert_eq!(serde_json::from_value::<Message>(wire).unwrap(), message);
        let user = serde_json::to_value(Message::user("hi")).unwrap();
        assert_eq!(user, json!({"role": "user", "content": "hi"}));
        let tool = serde_json::to_value(Message::tool_result("c", "ok")).unwrap();
        assert_eq!(
            tool,
            json!({"role": "tool", "content": "ok", "tool_call_id": "c"})
        );
    }

    #[test]
    fn usage_counts_of_odd_types_are_zero_or_read() {
        let usage = read_usage(&json!({"prompt_tokens": "12", "completion_tokens": null,
                                        "total_tokens": 3.0, "prompt_tokens_details": null}));
        assert_eq!(
            usage,
            Usage {
                prompt_tokens: 12,
                total_tokens: 3,
                ..Usage::default()
            }
        );
    }

    #[test]
    fn content_parts_are_joined() {
        let value = json!({"choices": [{"message": {"content": [{"type": "text", "text": "a"}, "b"]}}]});
        let response = read_completion(&value, 200).unwrap();
        assert_eq!(response.message.content.as_deref(), Some("ab"));
    }

    #[test]
    fn an_answer_without_a_message_is_a_decode_error() {
        assert!(matches!(
            read_completion(&json!({"choices": []}), 200),
            Err(LlmError::Decode(_))
        ));
        assert!(matches!(
            read_completion(&json!([1, 2]), 200),
            Err(LlmError::Decode(_))
        ));
    }
}
