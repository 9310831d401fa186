//! Streamed completions: [`Events`] cuts server-sent events out of the bytes as they
//! arrive, [`Joiner`] joins the chunks into one assistant message.
//!
//! Tolerated: `data:` with or without a space, CRLF, comments and other fields,
//! events not separated by a blank line, a usage chunk with `choices: []` or
//! `[{"index": 0, "delta": {}}]`, no `finish_reason` at all, tool calls whole in one
//! chunk (Ollama) or in fragments joined by `index`, several calls sent with the
//! same index but different ids, a stream that ends without `[DONE]`.

use serde_json::Value;

use super::error::snippet;
use super::wire::{self, first_choice};
use super::{ChatResponse, LlmError, Message, Role, ToolCall, Usage};

/// An incremental reader of `text/event-stream` bytes.
#[derive(Debug, Default)]
pub struct Events {
    /// Bytes of an unfinished line.
    line: Vec<u8>,
    /// The `data` of the event being read.
    data: String,
    /// Whether `data` holds at least one line.
    has_data: bool,
}

impl Events {
    /// Feeds bytes; returns the data of every event they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut events = Vec::new();
        for &byte in bytes {
            if byte == b'\n' {
                let mut line = std::mem::take(&mut self.line);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                self.line_done(&String::from_utf8_lossy(&line), &mut events);
            } else {
                self.line.push(byte);
            }
        }
        events
    }

    /// The data left when the body ends (a last line without a newline, an event
    /// without its blank line).
    pub fn finish(&mut self) -> Vec<String> {
        let mut events = Vec::new();
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.line_done(&String::from_utf8_lossy(&line), &mut events);
        }
        self.dispatch(&mut events);
        events
    }

    fn line_done(&mut self, line: &str, events: &mut Vec<String>) {
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        let Some(data) = line.strip_prefix("data:") else {
            // `event:`, `id:`, `retry:` and `: comments` carry nothing needed here.
            return;
        };
        let data = data.strip_prefix(' ').unwrap_or(data);
        // A server that omits the blank line between events: a data line that is
        // complete on its own starts a new event.
        if self.has_data && is_complete(&self.data) {
            self.dispatch(events);
        }
        if self.has_data {
            self.data.push('\n');
        }
        self.data.push_str(data);
        self.has_data = true;
    }

    fn dispatch(&mut self, events: &mut Vec<String>) {
        if self.has_data {
            events.push(std::mem::take(&mut self.data));
            self.has_data = false;
        }
    }
}

/// Whether `data` is a whole event by itself: `[DONE]` or a JSON value.
fn is_complete(data: &str) -> bool {
    data.trim() == "[DONE]" || serde_json::from_str::<serde::de::IgnoredAny>(data).is_ok()
}

/// What an event meant to the stream.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Go on reading.
    More,
    /// `[DONE]`: the stream is complete.
    Done,
}

/// The chunks of a streamed completion, joined.
#[derive(Debug, Default)]
pub struct Joiner {
    text: String,
    saw_content: bool,
    calls: Vec<PartialCall>,
    /// The position in `calls` of the call each stream index last referred to.
    by_index: Vec<(u64, usize)>,
    usage: Option<Usage>,
    model: Option<String>,
    finish_reason: Option<String>,
    /// Whether any chunk was taken in (after which a retry would repeat text).
    started: bool,
}

#[derive(Debug, Default)]
struct PartialCall {
    id: String,
    name: String,
    arguments: String,
    /// Arguments sent as an object rather than a string.
    object: Option<Value>,
}

impl Joiner {
    /// Takes one event's data; text deltas go to `on_text`. An `error` object in
    /// the stream is returned as an error; a chunk that is not JSON is one too.
    pub fn event(&mut self, data: &str, on_text: &mut (dyn FnMut(&str) + Send)) -> Result<Step, LlmError> {
        let data = data.trim();
        if data == "[DONE]" {
            return Ok(Step::Done);
        }
        if data.is_empty() {
            return Ok(Step::More);
        }
        let chunk: Value = serde_json::from_str(data).map_err(|e| {
            LlmError::Decode(format!("a streamed chunk is not JSON ({e}): {}", snippet(data)))
        })?;
        if chunk.get("error").is_some_and(|e| !e.is_null()) {
            return Err(LlmError::from_error_object(200, &chunk));
        }
        self.started = true;
        if self.model.is_none() {
            self.model = wire::model(&chunk);
        }
        if let Some(usage) = chunk.get("usage").filter(|u| u.is_object()) {
            self.usage = Some(wire::read_usage(usage));
        }
        let Some(choice) = first_choice(&chunk) else {
            return Ok(Step::More);
        };
        if let Some(reason) = choice.get("finish_reason").and_then(wire::reason) {
            self.finish_reason = Some(reason);
        }
        // A whole message instead of a delta (some servers' last chunk).
        let Some(delta) = choice.get("delta").or_else(|| choice.get("message")) else {
            return Ok(Step::More);
        };
        if let Some(text) = delta.get("content").and_then(Value::as_str) {
            self.saw_content = true;
            if !text.is_empty() {
                self.text.push_str(text);
                on_text(text);
            }
        }
        if let Some(Value::Array(fragments)) = delta.get("tool_calls") {
            for (position, fragment) in fragments.iter().enumerate() {
                self.fragment(position, fragment);
            }
        }
        Ok(Step::More)
    }

    /// Whether anything was received, after which the request is not repeated.
    pub fn started(&self) -> bool {
        self.started
    }

    /// Adds one tool-call fragment to the call its `index` names (else its place in
    /// the chunk's list).
    fn fragment(&mut self, position: usize, fragment: &Value) {
        if !fragment.is_object() {
            return;
        }
        let index = fragment
            .get("index")
            .and_then(Value::as_u64)
            .unwrap_or(position as u64);
        let function = fragment.get("function").filter(|f| f.is_object());
        let id = fragment
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty());
        let name = function
            .and_then(|f| f.get("name"))
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty());
        let known = self
            .by_index
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, slot)| *slot);
        // A new id at a known index is a new call (servers that number every
        // chunk's calls from 0).
        let slot = match known {
            Some(slot) if id.is_none_or(|id| self.calls[slot].id.is_empty() || self.calls[slot].id == id) => {
                slot
            }
            _ => {
                self.calls.push(PartialCall::default());
                let slot = self.calls.len() - 1;
                self.by_index.retain(|(i, _)| *i != index);
                self.by_index.push((index, slot));
                slot
            }
        };
        let call = &mut self.calls[slot];
        if let Some(id) = id {
            call.id = id.to_string();
        }
        if let Some(name) = name
            && call.name.is_empty()
        {
            call.name = name.to_string();
        }
        match function.and_then(|f| f.get("arguments")) {
            Some(Value::String(piece)) => call.arguments.push_str(piece),
            Some(object @ Value::Object(_)) => call.object = Some(object.clone()),
            _ => {}
        }
    }

    /// The joined response.
    pub fn finish(self) -> ChatResponse {
        let tool_calls: Vec<ToolCall> = self
            .calls
            .into_iter()
            .map(|call| ToolCall {
                id: if call.id.is_empty() {
                    wire::new_call_id()
                } else {
                    call.id
                },
                name: call.name,
                arguments: match call.object {
                    Some(object) if call.arguments.trim().is_empty() => object,
                    _ => wire::parse_arguments(&call.arguments),
                },
            })
            .collect();
        let content =
            (self.saw_content && (!self.text.is_empty() || tool_calls.is_empty())).then_some(self.text);
        ChatResponse {
            message: Message {
                role: Role::Assistant,
                content,
                tool_calls,
                tool_call_id: None,
            },
            usage: self.usage.unwrap_or_default(),
            model: self.model.unwrap_or_default(),
            cost: None,
            finish_reason: self.finish_reason,
            calls: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_cut_at_blank_lines_whatever_the_chunking() {
        let body = b"data: {\"a\":1}\r\n\r\n: comment\nevent: x\ndata:{\"b\":2}\n\ndata: [DONE]\n\n";
        for size in [1, 2, 5, body.len()] {
            let mut events = Events::default();
            let mut got = Vec::new();
            for piece in body.chunks(size) {
                got.extend(events.push(piece));
            }
            got.extend(events.finish());
            assert_eq!(got, ["{\"a\":1}", "{\"b\":2}", "[DONE]"], "chunks of {size}");
        }
    }

    #[test]
    fn data_lines_without_blank_lines_between_are_separate_events() {
        let mut events = Events::default();
        let mut got = events.push(b"data: {\"a\":1}\ndata: {\"b\":2}\ndata: [DONE]");
        got.extend(events.finish());
        assert_eq!(got, ["{\"a\":1}", "{\"b\":2}", "[DONE]"]);
    }

    #[test]
    fn a_json_value_over_several_data_lines_is_one_event() {
        let mut events = Events::default();
        let got = events.push(b"data: {\"a\":\ndata: 1}\n\n");
        assert_eq!(got, ["{\"a\":\n1}"]);
    }

    #[test]
    fn calls_that_reuse_an_index_with_new_ids_stay_apart() {
        let mut joiner = Joiner::default();
        let mut ignore = |_: &str| {};
        for chunk in [
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"f","arguments":"{}"}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"b","function":{"name":"g","arguments":{"x":1}}}]}}]}"#,
        ] {
            assert_eq!(joiner.event(chunk, &mut ignore), Ok(Step::More));
        }
        let response = joiner.finish();
        let names: Vec<_> = response
            .message
            .tool_calls
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["f", "g"]);
        assert_eq!(
            response.message.tool_calls[1].arguments,
            serde_json::json!({"x": 1})
        );
        assert_eq!(response.message.content, None);
    }

    #[test]
    fn a_chunk_that_is_not_json_is_a_decode_error() {
        let mut joiner = Joiner::default();
        let result = joiner.event("{oops", &mut |_| {});
        assert!(matches!(result, Err(LlmError::Decode(_))));
    }
}
