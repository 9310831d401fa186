//! The tool registry: every tool the model may call, with its name, a short
//! description, a JSON Schema of its arguments generated from a Rust type, and a
//! handler that acts through the store as the person who asked.
//!
//! Arguments are untrusted: they are deserialized into the tool's argument type
//! (unknown fields refused), and every problem comes back as [`Outcome::Failed`]
//! with a plain message that goes to the model as the tool's result. Nothing here
//! panics on any input. Every reading tool also gives its use case's typed result as
//! JSON (the shapes of [`crate::app::json`], the ones `--json` prints), with its JSON
//! Schema ([`Registry::call_with_data`], [`Registry::output_schema`]), for MCP
//! clients; the text the model reads is made from the same result.
//!
//! Destructive tools (`delete_task`, `write_file`, `undo_change`) never change
//! anything on the model's word: they return [`Outcome::NeedsConfirmation`] with a
//! [`Pending`] holding the preview and the exact [`Operation`](crate::store::Operation) to apply. Only
//! [`Registry::confirm`], called by a front end when the same person says yes
//! within [`CONFIRM_MINUTES`], applies it; the operation re-checks its target then,
//! so a change made meanwhile makes it fail with "no longer applies".
//!
//! The other tools that change the store ([`Effect::Changes`]) act on the model's
//! word, one commit a call, but only a few times for one request of the person
//! (`llm.changes_per_request`): the agent holds back the calls beyond that, and
//! [`Registry::hold`] makes them one [`Pending`] listing them all
//! ([`PendingAction::Calls`]); confirmed, each runs as it was asked, in order.
//!
//! The handlers live by area: `tasks.rs` (tasks and waiting-for items),
//! `calendar.rs`, `projects.rs` (projects and notes), `plan.rs` (the quarter plan),
//! `goals.rs` (goals by quarter, the weekly goal report),
//! `kpi.rs` (figures), `files.rs`, `git.rs` and `briefing.rs` (briefings and
//! suggestions), `context.rs`, `memory.rs` (`remember`).

mod briefing;
mod calendar;
mod context;
mod directives;
mod files;
mod git;
mod goals;
mod kpi;
mod memory;
mod messages;
mod plan;
mod projects;
mod review;
mod tasks;

pub use crate::app::confirm::{CONFIRM_MINUTES, HELD_CHANGES, HeldCall, Pending, PendingAction};
use chrono::{NaiveDateTime, TimeDelta};
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What a tool does to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// It only reads.
    Reads,
    /// It changes the store on the model's word, one commit a call (a few calls for one
    /// request; the agent holds back the rest for the person).
    Changes,
    /// It changes nothing on the model's word: it previews the change for the person
    /// to confirm (destructive: `delete_task`, `write_file`, `undo_change`).
    Confirmed,
}

/// Who asks and where: what every handler acts with (the application layer's
/// request context).
pub type ToolContext<'a> = crate::app::Ctx<'a>;

/// What a tool call gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A compact result, for the model (and the person).
    Done(String),
    /// What went wrong, said plainly; goes back to the model as the tool's result.
    Failed(String),
    /// A destructive change, previewed: nothing changed yet.
    NeedsConfirmation(Pending),
}

/// `tool {arguments}`, cut to a line a person reads.
fn shown(call: &HeldCall) -> String {
    const MAX: usize = 200;
    let arguments = match &call.arguments {
        Value::String(text) => text.clone(),
        Value::Null => "{}".to_string(),
        other => other.to_string(),
    };
    let line = format!("{} {}", call.tool, arguments.replace(['\n', '\r'], " "));
    if line.chars().count() > MAX {
        line.chars().take(MAX - 1).collect::<String>() + "…"
    } else {
        line
    }
}

/// A call's outcome and, from a tool with structured results that did it, the result
/// as JSON.
type Handler = Box<dyn Fn(&ToolContext, Value) -> (Outcome, Option<Value>) + Send + Sync>;

/// One tool.
struct Tool {
    name: &'static str,
    description: &'static str,
    effect: Effect,
    parameters: Value,
    /// The JSON Schema of its structured result, when it gives one.
    output: Option<Value>,
    run: Handler,
}

/// A tool whose arguments are an `A`, handled by `handler`.
fn tool<A: JsonSchema + DeserializeOwned + 'static>(
    name: &'static str,
    description: &'static str,
    effect: Effect,
    handler: fn(&ToolContext, A) -> anyhow::Result<Outcome>,
) -> Tool {
    Tool {
        name,
        description,
        effect,
        parameters: schema_of::<A>(),
        output: None,
        run: Box::new(
            move |ctx, arguments| match serde_json::from_value::<A>(arguments) {
                Ok(arguments) => (
                    handler(ctx, arguments).unwrap_or_else(|error| Outcome::Failed(format!("{error:#}"))),
                    None,
                ),
                Err(error) => (
                    Outcome::Failed(format!("invalid arguments for {name}: {error}")),
                    None,
                ),
            },
        ),
    }
}

/// What a reading tool with a structured result found: the text for the model, and
/// the same as data (an `R`) for a client that takes structured results.
struct Found<R> {
    said: String,
    data: R,
}

/// A reading tool whose arguments are an `A` and whose structured result is an `R`,
/// handled by `handler`.
fn reading_tool_with_data<A, R>(
    name: &'static str,
    description: &'static str,
    handler: fn(&ToolContext, A) -> anyhow::Result<Found<R>>,
) -> Tool
where
    A: JsonSchema + DeserializeOwned + 'static,
    R: JsonSchema + serde::Serialize + 'static,
{
    Tool {
        name,
        description,
        effect: Effect::Reads,
        parameters: schema_of::<A>(),
        output: Some(output_schema_of::<R>()),
        run: Box::new(move |ctx, arguments| {
            let found = serde_json::from_value::<A>(arguments)
                .map_err(|error| format!("invalid arguments for {name}: {error}"))
                .and_then(|arguments| handler(ctx, arguments).map_err(|error| format!("{error:#}")))
                .and_then(|found| {
                    let data = serde_json::to_value(&found.data).map_err(|error| error.to_string())?;
                    Ok((found.said, data))
                });
            match found {
                Ok((said, data)) => (Outcome::Done(said), Some(data)),
                Err(why) => (Outcome::Failed(why), None),
            }
        }),
    }
}

/// The JSON Schema of a structured result `R`, as it is (optional fields may be
/// null), without `$schema` and the root's title.
fn output_schema_of<R: JsonSchema>() -> Value {
    let mut settings = SchemaSettings::draft07();
    settings.inline_subschemas = true;
    settings.meta_schema = None;
    let mut schema = settings.into_generator().into_root_schema_for::<R>().to_value();
    if let Value::Object(map) = &mut schema {
        map.remove("title");
    }
    schema
}

/// The JSON Schema of `A`, lean: no `$schema`, titles, formats or null types.
fn schema_of<A: JsonSchema>() -> Value {
    let mut settings = SchemaSettings::draft07();
    settings.inline_subschemas = true;
    settings.meta_schema = None;
    let mut schema = settings.into_generator().into_root_schema_for::<A>().to_value();
    lean(&mut schema);
    if let Value::Object(map) = &mut schema {
        // The tool's description says what the root would.
        map.remove("description");
        // Some providers want `properties` even when there are none.
        map.entry("properties")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
    schema
}

/// Strips what a model does not need from a schema (recursively).
fn lean(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    for key in ["$schema", "title", "format"] {
        map.remove(key);
    }
    if map.get("default").is_some_and(Value::is_null) {
        map.remove("default");
    }
    // An optional field: `["string", "null"]` → `"string"`; `anyOf [X, null]` → X.
    if let Some(Value::Array(types)) = map.get_mut("type") {
        types.retain(|kind| kind != "null");
        if types.len() == 1 {
            let kind = types.remove(0);
            map.insert("type".to_string(), kind);
        }
    }
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        values.retain(|value| !value.is_null());
    }
    if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
        branches.retain(|branch| branch.get("type").is_none_or(|kind| kind != "null"));
        if branches.len() == 1 {
            let only = branches.remove(0);
            map.remove("anyOf");
            if let Value::Object(only) = only {
                for (key, value) in only {
                    map.entry(key).or_insert(value);
                }
            }
        }
    }
    for (key, value) in map.iter_mut() {
        match (key.as_str(), value) {
            // The keys of `properties` are field names, not schema words.
            ("properties", Value::Object(fields)) => fields.values_mut().for_each(lean),
            (_, Value::Array(items)) => items.iter_mut().for_each(lean),
            (_, value) => lean(value),
        }
    }
}

/// Every tool the model may call.
pub struct Registry {
    tools: Vec<Tool>,
}

impl Default for Registry {
    fn default() -> Registry {
        Registry::new()
    }
}

impl Registry {
    /// All the tools.
    pub fn new() -> Registry {
        let mut tools = Vec::new();
        tools.extend(tasks::tools());
        tools.extend(calendar::tools());
        tools.extend(projects::tools());
        tools.extend(memory::tools());
        tools.extend(plan::tools());
        tools.extend(goals::tools());
        tools.extend(kpi::tools());
        tools.extend(files::tools());
        tools.extend(git::tools());
        tools.extend(briefing::tools());
        tools.extend(context::tools());
        tools.extend(review::tools());
        tools.extend(messages::tools());
        Registry { tools }
    }

    fn find(&self, name: &str) -> Option<&Tool> {
        self.tools.iter().find(|tool| tool.name == name)
    }

    /// The tool names, in the registry's order.
    pub fn names(&self) -> Vec<&'static str> {
        self.tools.iter().map(|tool| tool.name).collect()
    }

    /// The tools as OpenAI-style definitions:
    /// `{"type":"function","function":{"name","description","parameters"}}`.
    pub fn definitions(&self) -> Vec<Value> {
        self.tools
            .iter()
            .map(|tool| {
                serde_json::json!({
                    "type": "function",
                    "function": {
                        "name": tool.name,
                        "description": tool.description,
                        "parameters": tool.parameters,
                    }
                })
            })
            .collect()
    }

    /// The JSON Schema of the structured result of the tool `name`, when it gives one
    /// (every reading tool).
    pub fn output_schema(&self, name: &str) -> Option<&Value> {
        self.find(name).and_then(|tool| tool.output.as_ref())
    }

    /// What the tool `name` does to the store (`None`: there is no such tool).
    pub fn effect(&self, name: &str) -> Option<Effect> {
        self.find(name).map(|tool| tool.effect)
    }

    /// Whether `name` needs a person's confirmation before it changes anything.
    pub fn is_destructive(&self, name: &str) -> bool {
        self.effect(name) == Some(Effect::Confirmed)
    }

    /// Whether `name` changes the store on the model's word.
    pub fn changes(&self, name: &str) -> bool {
        self.effect(name) == Some(Effect::Changes)
    }

    /// One confirmation for `calls`, the changes one request of `handle` asked for
    /// beyond the `allowed` ones the model made on its own word; it expires
    /// [`CONFIRM_MINUTES`] after `now`.
    pub fn hold(&self, handle: &str, now: NaiveDateTime, allowed: usize, calls: Vec<HeldCall>) -> Pending {
        let count = calls.len();
        let head = format!(
            "{count} more change{} from one request (the assistant makes at most {allowed} without your word):",
            if count == 1 { "" } else { "s" }
        );
        held(handle, now, head, calls)
    }
}

/// A change held for `handle`'s word: `head`, then each call, then the question.
fn held(handle: &str, now: NaiveDateTime, head: String, calls: Vec<HeldCall>) -> Pending {
    let count = calls.len();
    let mut preview = head;
    for call in &calls {
        preview.push_str("\n- ");
        preview.push_str(&shown(call));
    }
    // The question a front end asks ends with it ("? [y/N]", buttons).
    preview.push_str(&match count {
        1 => "\nMake this change".to_string(),
        _ => format!("\nMake these {count} changes"),
    });
    Pending {
        id: uuid::Uuid::new_v4().to_string(),
        tool: HELD_CHANGES.to_string(),
        preview,
        action: PendingAction::Calls { calls },
        handle: handle.to_string(),
        expires: now + TimeDelta::minutes(CONFIRM_MINUTES),
    }
}

impl Registry {
    /// Calls tool `name` with `arguments` (a JSON object; `null` is taken as `{}`,
    /// and a string holding a JSON object is read as that object).
    pub fn call(&self, ctx: &ToolContext, name: &str, arguments: &Value) -> Outcome {
        self.call_with_data(ctx, name, arguments).0
    }

    /// Calls tool `name` as [`Registry::call`] does; a tool with a structured result
    /// ([`Registry::output_schema`]) that did it gives that result too.
    pub fn call_with_data(
        &self,
        ctx: &ToolContext,
        name: &str,
        arguments: &Value,
    ) -> (Outcome, Option<Value>) {
        self.dispatch(ctx, name, arguments, false)
    }

    /// Calls tool `name` within the team's directives: one the model may never use is
    /// refused, a change that must be confirmed is held for the person unless
    /// `confirmed` (the person's yes to a held change).
    fn dispatch(
        &self,
        ctx: &ToolContext,
        name: &str,
        arguments: &Value,
        confirmed: bool,
    ) -> (Outcome, Option<Value>) {
        let Some(tool) = self.find(name) else {
            return (
                Outcome::Failed(format!(
                    "there is no tool {name:?}; the tools are: {}",
                    self.names().join(", ")
                )),
                None,
            );
        };
        let arguments = match arguments {
            Value::Null => Value::Object(serde_json::Map::new()),
            Value::String(text) => match serde_json::from_str::<Value>(text) {
                Ok(value @ Value::Object(_)) => value,
                _ => {
                    return (
                        Outcome::Failed(format!("invalid arguments for {name}: expected a JSON object")),
                        None,
                    );
                }
            },
            Value::Object(_) => arguments.clone(),
            _ => {
                return (
                    Outcome::Failed(format!("invalid arguments for {name}: expected a JSON object")),
                    None,
                );
            }
        };
        // The team's directives as they are now, the store's settings included.
        let settled = crate::app::settings::settled_or_warn(ctx.config, ctx.store);
        match self.directive(&settled, name) {
            crate::config::Directive::Never => {
                tracing::info!(tool = name, "a tool the directives forbid");
                return (
                    Outcome::Failed(format!(
                        "the team's directives never let the assistant use {name}, whoever asks; {} can do it themselves",
                        ctx.handle
                    )),
                    None,
                );
            }
            crate::config::Directive::Confirm if tool.effect == Effect::Changes && !confirmed => {
                let call = HeldCall {
                    tool: name.to_string(),
                    arguments,
                };
                let head = "By the team's directives, this waits for your word:".to_string();
                return (
                    Outcome::NeedsConfirmation(held(&ctx.handle, ctx.now, head, vec![call])),
                    None,
                );
            }
            _ => {}
        }
        (tool.run)(ctx, arguments)
    }

    /// Applies exactly the change of `pending`, if `ctx`'s person is the one who
    /// asked, it has not expired, and its target is still as previewed.
    pub fn confirm(&self, ctx: &ToolContext, pending: &Pending) -> Outcome {
        let held = pending.tool == HELD_CHANGES;
        // A bulk change is held by the app's rule, whichever tool asked for it.
        let bulk = pending.tool == crate::app::tasks::BULK;
        if !held && !bulk && !self.is_destructive(&pending.tool) {
            return Outcome::Failed(format!("{} needs no confirmation", pending.tool));
        }
        match (&pending.action, held) {
            (PendingAction::Calls { calls }, true) => {
                if let Err(error) = pending.check(ctx) {
                    return Outcome::Failed(error.to_string());
                }
                self.run_held(ctx, calls)
            }
            _ => match crate::app::confirm::apply(ctx, pending) {
                Ok(summary) => Outcome::Done(format!("Done: {summary}")),
                Err(error) => Outcome::Failed(error.to_string()),
            },
        }
    }

    /// Runs the held calls in order, each as the model asked it (one commit each); a
    /// call that fails does not stop the others. Only tools that change the store on
    /// the model's word are held, so any other tool means a forged confirmation and
    /// nothing runs.
    fn run_held(&self, ctx: &ToolContext, calls: &[HeldCall]) -> Outcome {
        if let Some(call) = calls.iter().find(|call| !self.changes(&call.tool)) {
            return Outcome::Failed(format!(
                "{} is not a change that is held back for confirmation; nothing was changed",
                call.tool
            ));
        }
        let mut lines = Vec::with_capacity(calls.len());
        let mut done = 0;
        for call in calls {
            match self.dispatch(ctx, &call.tool, &call.arguments, true).0 {
                Outcome::Done(text) => {
                    done += 1;
                    lines.push(text);
                }
                Outcome::Failed(why) => lines.push(format!("Not done ({}): {why}", shown(call))),
                Outcome::NeedsConfirmation(_) => lines.push(format!(
                    "Not done ({}): it asked for another confirmation",
                    shown(call)
                )),
            }
        }
        if done == 0 {
            Outcome::Failed(lines.join("\n"))
        } else {
            Outcome::Done(lines.join("\n"))
        }
    }
}

/// Up to `limit` lines, then how many more there are.
fn limited(lines: Vec<String>, limit: usize, empty: &str) -> String {
    if lines.is_empty() {
        return empty.to_string();
    }
    let total = lines.len();
    let mut shown: Vec<String> = lines.into_iter().take(limit).collect();
    if total > shown.len() {
        shown.push(format!("… and {} more", total - shown.len()));
    }
    shown.join("\n")
}

#[cfg(test)]
mod tests;
