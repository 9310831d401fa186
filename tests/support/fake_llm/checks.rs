//! What a real chat-completions server refuses before any model sees the request,
//! in the order OpenAI checks it: the URL (404), the key (401), the JSON body and
//! its parameters (400), the model (404 `model_not_found`). The conversation itself
//! is checked in `conversation.rs`. Each refusal carries OpenAI's error body, with
//! OpenAI's own wording where it has one.

use serde_json::{Value, json};

use super::conversation;

/// A request a real server would refuse, and how it says so.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
    /// The parameter at fault (`messages[3].role`), when one is.
    pub param: Option<String>,
    pub code: Option<&'static str>,
}

impl Refusal {
    /// A 400 `invalid_request_error` about `param`.
    pub fn invalid(param: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal {
            status: 400,
            message: message.into(),
            param: Some(param.into()),
            code: None,
        }
    }

    pub fn code(mut self, code: &'static str) -> Refusal {
        self.code = Some(code);
        self
    }

    /// OpenAI's error body.
    pub fn body(&self) -> Value {
        json!({"error": {
            "message": self.message,
            "type": "invalid_request_error",
            "param": self.param,
            "code": self.code,
        }})
    }
}

/// What the server serves: the model it knows, and the key it takes (`None`: it asks
/// for none, as Ollama or vLLM without `--api-key`, and ignores one sent).
#[derive(Clone, Debug)]
pub struct Serving {
    pub model: String,
    pub key: Option<String>,
}

/// The parameters of a chat-completions request a server knows; any other is refused.
const KNOWN: &[&str] = &[
    "model",
    "messages",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "stream",
    "stream_options",
    "n",
    "stop",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "response_format",
    "seed",
    "user",
    "metadata",
    "store",
    "reasoning_effort",
    "service_tier",
];

/// Checks one request as a real server would.
pub fn check(
    serving: &Serving,
    method: &str,
    path: &str,
    authorization: Option<&str>,
    raw: &[u8],
) -> Result<(), Refusal> {
    let route = path.split('?').next().unwrap_or(path);
    if method != "POST" || route != "/v1/chat/completions" {
        return Err(Refusal {
            status: 404,
            message: format!("Invalid URL ({method} {route})"),
            param: None,
            code: None,
        });
    }
    check_key(serving, authorization)?;
    let body: Value = serde_json::from_slice(raw).map_err(|_| Refusal {
        status: 400,
        message: "We could not parse the JSON body of your request. (HINT: This likely means you aren't \
                  using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was \
                  sent was not valid JSON.)"
            .into(),
        param: None,
        code: None,
    })?;
    let Some(body) = body.as_object() else {
        return Err(Refusal::invalid(
            "body",
            format!(
                "Invalid type for body: expected an object, but got {} instead.",
                kind(&body)
            ),
        ));
    };
    if let Some(unknown) = body.keys().find(|key| !KNOWN.contains(&key.as_str())) {
        return Err(Refusal::invalid(
            unknown.as_str(),
            format!("Unrecognized request argument supplied: {unknown}"),
        ));
    }
    check_model(serving, body.get("model"))?;
    conversation::check(body.get("messages"))?;
    let tools = check_tools(body.get("tools"))?;
    check_tool_choice(body.get("tool_choice"), &tools)?;
    check_options(body)
}

/// `Authorization: Bearer KEY`, answered as OpenAI answers a missing or wrong key.
fn check_key(serving: &Serving, authorization: Option<&str>) -> Result<(), Refusal> {
    let Some(key) = &serving.key else {
        return Ok(());
    };
    let sent = authorization.and_then(|value| value.strip_prefix("Bearer "));
    match sent {
        Some(sent) if sent == key => Ok(()),
        Some(sent) => Err(Refusal {
            status: 401,
            message: format!(
                "Incorrect API key provided: {}. You can find your API key at \
                 https://platform.openai.com/account/api-keys.",
                masked(sent)
            ),
            param: None,
            code: Some("invalid_api_key"),
        }),
        None => Err(Refusal {
            status: 401,
            message: "You didn't provide an API key. You need to provide your API key in an \
                      Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                .into(),
            param: None,
            code: None,
        }),
    }
}

/// A key as OpenAI echoes a wrong one: its ends only.
fn masked(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let (start, end) = (&chars[..3], &chars[chars.len() - 4..]);
    format!(
        "{}{}{}",
        start.iter().collect::<String>(),
        "*".repeat(chars.len() - 7),
        end.iter().collect::<String>()
    )
}

fn check_model(serving: &Serving, model: Option<&Value>) -> Result<(), Refusal> {
    match model {
        None | Some(Value::Null) => Err(Refusal {
            status: 400,
            message: "you must provide a model parameter".into(),
            param: None,
            code: None,
        }),
        Some(Value::String(model)) if *model == serving.model => Ok(()),
        Some(Value::String(model)) => Err(Refusal {
            status: 404,
            message: format!("The model `{model}` does not exist or you do not have access to it."),
            param: None,
            code: Some("model_not_found"),
        }),
        Some(other) => Err(Refusal::invalid(
            "model",
            format!(
                "Invalid type for 'model': expected a string, but got {} instead.",
                kind(other)
            ),
        )
        .code("invalid_type")),
    }
}

/// The tools' definitions; their names.
fn check_tools(tools: Option<&Value>) -> Result<Vec<String>, Refusal> {
    let tools = match tools {
        None => return Ok(Vec::new()),
        Some(Value::Array(tools)) if !tools.is_empty() => tools,
        Some(Value::Array(_)) => {
            return Err(Refusal::invalid(
                "tools",
                "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an \
                 empty array instead.",
            )
            .code("empty_array"));
        }
        Some(other) => return Err(wrong_type("tools", "an array", other)),
    };
    let mut names = Vec::new();
    for (i, tool) in tools.iter().enumerate() {
        let at = format!("tools[{i}]");
        if tool.get("type") != Some(&json!("function")) {
            return Err(Refusal::invalid(
                format!("{at}.type"),
                format!("Invalid value for '{at}.type': expected 'function'."),
            ));
        }
        let Some(function) = tool.get("function").filter(|f| f.is_object()) else {
            return Err(missing(&format!("{at}.function")));
        };
        let name = match function.get("name") {
            Some(Value::String(name)) => name,
            Some(other) => return Err(wrong_type(&format!("{at}.function.name"), "a string", other)),
            None => return Err(missing(&format!("{at}.function.name"))),
        };
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if name.is_empty() || name.len() > 64 || !name.chars().all(allowed) {
            return Err(Refusal::invalid(
                format!("{at}.function.name"),
                format!(
                    "Invalid '{at}.function.name': string does not match pattern. Expected a string \
                     that matches the pattern '^[a-zA-Z0-9_-]{{1,64}}$'."
                ),
            )
            .code("invalid_value"));
        }
        if names.contains(name) {
            return Err(Refusal::invalid("tools", "tools: Tool names must be unique."));
        }
        if let Some(parameters) = function.get("parameters")
            && parameters.get("type") != Some(&json!("object"))
        {
            return Err(Refusal::invalid(
                format!("{at}.function.parameters"),
                format!(
                    "Invalid schema for function '{name}': schema must be a JSON Schema of \
                     'type: \"object\"', got 'type: \"{}\"'.",
                    parameters.get("type").and_then(Value::as_str).unwrap_or("None")
                ),
            )
            .code("invalid_function_parameters"));
        }
        names.push(name.clone());
    }
    Ok(names)
}

fn check_tool_choice(choice: Option<&Value>, tools: &[String]) -> Result<(), Refusal> {
    let Some(choice) = choice else { return Ok(()) };
    if tools.is_empty() {
        return Err(Refusal::invalid(
            "tool_choice",
            "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        ));
    }
    let valid = match choice {
        Value::String(mode) => ["none", "auto", "required"].contains(&mode.as_str()),
        Value::Object(_) => {
            choice.get("type") == Some(&json!("function"))
                && choice
                    .pointer("/function/name")
                    .and_then(Value::as_str)
                    .is_some_and(|name| tools.iter().any(|tool| tool == name))
        }
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(Refusal::invalid(
            "tool_choice",
            format!("Invalid value for 'tool_choice': {choice}."),
        ))
    }
}

/// `stream`, `stream_options`, `temperature`, `max_tokens`.
fn check_options(body: &serde_json::Map<String, Value>) -> Result<(), Refusal> {
    let stream = match body.get("stream") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(stream)) => *stream,
        Some(other) => return Err(wrong_type("stream", "a boolean", other)),
    };
    if body.get("stream_options").is_some_and(|o| !o.is_null()) && !stream {
        return Err(Refusal::invalid(
            "stream_options",
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        ));
    }
    if let Some(temperature) = body.get("temperature").filter(|t| !t.is_null()) {
        match temperature.as_f64() {
            Some(t) if (0.0..=2.0).contains(&t) => {}
            Some(t) => {
                return Err(Refusal::invalid(
                    "temperature",
                    format!("Invalid 'temperature': expected a value between 0 and 2, but got {t} instead."),
                ));
            }
            None => return Err(wrong_type("temperature", "a number", temperature)),
        }
    }
    if let Some(max) = body.get("max_tokens").filter(|m| !m.is_null())
        && max.as_u64().is_none_or(|m| m == 0)
    {
        return Err(Refusal::invalid(
            "max_tokens",
            format!("Invalid 'max_tokens': expected an integer of at least 1, but got {max} instead."),
        ));
    }
    Ok(())
}

/// "Missing required parameter: 'PARAM'."
pub fn missing(param: &str) -> Refusal {
    Refusal::invalid(param, format!("Missing required parameter: '{param}'."))
        .code("missing_required_parameter")
}

/// "Invalid type for 'PARAM': expected EXPECTED, but got KIND instead."
pub fn wrong_type(param: &str, expected: &str, got: &Value) -> Refusal {
    Refusal::invalid(
        param,
        format!(
            "Invalid type for '{param}': expected {expected}, but got {} instead.",
            kind(got)
        ),
    )
    .code("invalid_type")
}

/// A JSON value's kind, as OpenAI's errors name it.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
