//! The loop: one message of a person, answered by a model that acts through the tool
//! registry.
//!
//! Before the first call: the daily budget (past it, the answer is that free-form chat
//! is paused), the system prompt with a small context, the conversation's last turns.
//! Then up to `max_steps` model calls within one overall deadline (a request that
//! runs out of either is answered with the changes made so far): tool calls run in
//! parallel on blocking threads, each result (or error) goes back to the model;
//! destructive tools change nothing and leave a confirmation for the person, and so
//! do the changes past `llm.changes_per_request` in one request: held back, they wait
//! as one confirmation listing them all, and the model is told so. The
//! request goes to the tier its words need; a provider that fails hands over to the
//! next in the fallback order, and invalid tool arguments from the fast tier move the
//! rest of the request to the strong one. Every call is recorded in the usage ledger.
//! The answer lists the tool calls made and what became of each ([`ToolUse`]);
//! [`Agent::ask_telling`] also tells them one by one as they have run, and the
//! model's words as they come ([`Progress`]: it asks for a streamed answer).

use super::memory::Memory;
use super::prompt;
use super::route::{self, Configured, Tier};
use super::tools::{HeldCall, Outcome, Registry, ToolContext};
use crate::app::confirm::Refused;
use crate::app::usage::{Budget, Call, Ledger};
use crate::app::{App, Caller};
use crate::llm::{ChatRequest, ChatResponse, Client, LlmError, Message, RetryPolicy, ToolCall};
use crate::metrics::Metrics;
use crate::redact::Secrets;
use chrono::NaiveDateTime;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

/// At most this many changes of one request wait for the person's confirmation: past
/// them the model is told to have the request made again in smaller pieces, so the
/// list a person is asked to confirm stays one they can read.
pub const HELD_AT_MOST: usize = 25;

/// What becomes of one tool call of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Run,
    /// A change past the ones the model may make for this request: held back.
    Hold,
    /// A change past [`HELD_AT_MOST`] held back: refused.
    Refuse,
}

/// The changes of one request, across the model's steps: made on the model's word up
/// to `allowed`, held back for the person after that.
struct Changes {
    allowed: usize,
    made: usize,
    held: Vec<HeldCall>,
}

impl Changes {
    /// What becomes of `call`, the next call of the model in order.
    fn plan(&mut self, registry: &Registry, call: &ToolCall) -> Plan {
        if !registry.changes(&call.name) {
            Plan::Run
        } else if self.made < self.allowed {
            self.made += 1;
            Plan::Run
        } else if self.held.len() < HELD_AT_MOST {
            self.held.push(HeldCall {
                tool: call.name.clone(),
                arguments: call.arguments.clone(),
            });
            Plan::Hold
        } else {
            Plan::Refuse
        }
    }
}

/// The answer to a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Answer(Answer),
    /// No model could answer (none configured, all failing, budget spent): say this,
    /// and the deterministic commands still work.
    Unavailable(String),
}

/// What the model answered, and what it left for the person to confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub text: String,
    /// Changes waiting for the asker's confirmation: their id and the exact change.
    pub to_confirm: Vec<(String, String)>,
    pub model_calls: u32,
    pub tool_calls: u32,
    /// The tool calls, in the order they were made.
    pub tools: Vec<ToolUse>,
}

/// A tool call of the model, and what became of it: what a front end shows of the
/// work behind an answer (never the arguments: they hold a person's words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolUse {
    /// The tool, as the model named it.
    pub tool: String,
    /// `done`, `failed`, `needs confirmation`, `held back` or `refused`.
    pub outcome: &'static str,
}

/// What [`Agent::ask_telling`] tells as the answer is being made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'a> {
    /// A tool call has run.
    Tool(&'a ToolUse),
    /// More of the model's words, as they arrive.
    Text(&'a str),
    /// The words told since the last tool call are void: the provider failed
    /// midway and the next one starts again.
    Discard,
}

/// The agent: providers, tools, and what it keeps between messages.
pub struct Agent {
    /// The configuration, the store and the one store of confirmations.
    app: Arc<App>,
    client: Client,
    providers: Vec<Configured>,
    registry: Arc<Registry>,
    timezone: String,
    /// Where tool calls and model usage are counted, in a long-running assistant.
    metrics: Option<Arc<Metrics>>,
    /// Taken out of what a model says before it is shown (its errors are cleared by
    /// the client).
    secrets: Secrets,
}

/// What the span of one turn records once it ends.
#[derive(Debug, Default)]
struct Tally {
    /// The tier the request ended on.
    tier: Option<Tier>,
    /// Model calls.
    steps: u32,
    /// Tokens, prompt and completion.
    tokens: u64,
}

/// The answer to a request the loop gave up on: why, and the changes it made before
/// (each in its tool's words), so the person knows where things stand.
fn unfinished(why: &str, done: &[String]) -> String {
    let mut text = format!("I could not finish: {why}.");
    if done.is_empty() {
        text.push_str(" Nothing was changed.");
    } else {
        text.push_str(" Done so far:");
        for change in done {
            text.push_str("\n- ");
            text.push_str(change);
        }
    }
    text
}

impl Agent {
    /// The agent of the configuration; `None` when no LLM is configured.
    pub fn new(app: Arc<App>) -> anyhow::Result<Option<Agent>> {
        let config = &app.config;
        let providers = route::providers(config)?;
        if providers.is_empty() {
            return Ok(None);
        }
        let policy = RetryPolicy {
            per_call_timeout: Duration::from_secs(config.llm.call_timeout_secs.max(1)),
            ..RetryPolicy::default()
        };
        let timezone = config.store_timezone()?.name().to_string();
        let secrets = config.secrets();
        Ok(Some(Agent {
            client: Client::new(policy).with_secrets(secrets.clone()),
            secrets,
            providers,
            registry: Arc::new(Registry::new()),
            app,
            timezone,
            metrics: None,
        }))
    }

    /// Counts its tool calls and model usage in `metrics` (the `/metrics` of
    /// `myorg run`).
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Agent {
        self.metrics = Some(metrics);
        self
    }

    /// Answers `message` from `asker` at `now` (store-local), in a span with the
    /// person, the tier the request ended on, the model calls (steps) and the tokens
    /// spent; each tool call is an event in it (the tool, the outcome's kind and the
    /// size of the arguments, never the arguments: they hold a person's words).
    pub async fn ask(
        &self,
        asker: &Caller,
        message: &str,
        now: NaiveDateTime,
        cancel: &CancellationToken,
    ) -> Reply {
        self.answer(asker, message, now, cancel, None).await
    }

    /// [`Agent::ask`], telling `told` of each tool call as soon as it has run and of
    /// the model's words as they arrive (a page shows them while the answer is still
    /// coming): the model is asked for a streamed answer whatever `llm.stream` says.
    pub async fn ask_telling(
        &self,
        asker: &Caller,
        message: &str,
        now: NaiveDateTime,
        cancel: &CancellationToken,
        told: &(dyn Fn(Progress<'_>) + Send + Sync),
    ) -> Reply {
        self.answer(asker, message, now, cancel, Some(told)).await
    }

    async fn answer(
        &self,
        asker: &Caller,
        message: &str,
        now: NaiveDateTime,
        cancel: &CancellationToken,
        told: Option<&(dyn Fn(Progress<'_>) + Send + Sync)>,
    ) -> Reply {
        let span = tracing::info_span!(
            "agent",
            person = %asker.handle,
            via = %asker.actor.via,
            tier = tracing::field::Empty,
            steps = tracing::field::Empty,
            tokens = tracing::field::Empty,
        );
        let mut tally = Tally::default();
        let reply = self
            .turn(asker, message, now, cancel, told, &mut tally)
            .instrument(span.clone())
            .await;
        if let Some(tier) = tally.tier {
            span.record(
                "tier",
                match tier {
                    Tier::Fast => "fast",
                    Tier::Strong => "strong",
                },
            );
        }
        span.record("steps", tally.steps);
        span.record("tokens", tally.tokens);
        let _entered = span.enter();
        match &reply {
            Reply::Answer(answer) => tracing::info!(
                tool_calls = answer.tool_calls,
                to_confirm = answer.to_confirm.len(),
                "agent answered"
            ),
            Reply::Unavailable(_) => tracing::info!("agent unavailable"),
        }
        reply
    }

    /// [`Agent::ask`] within its span; what the span records is counted in `tally`.
    async fn turn(
        &self,
        asker: &Caller,
        message: &str,
        now: NaiveDateTime,
        cancel: &CancellationToken,
        told: Option<&(dyn Fn(Progress<'_>) + Send + Sync)>,
        tally: &mut Tally,
    ) -> Reply {
        let ledger = Ledger::new(self.app.store.state_dir());
        if let Some(why) = self.over_budget(&ledger, now) {
            return Reply::Unavailable(format!(
                "Free-form chat is paused: {why}. The commands still work (say `help`)."
            ));
        }
        let llm = &self.app.config.llm;
        let mut memory = Memory::load(
            self.app.store.state_dir(),
            &asker.channel,
            &asker.handle,
            llm.memory_turns,
        );
        let mut messages = vec![Message::system(self.system_prompt(asker, now))];
        for turn in &memory.turns {
            messages.push(Message::user(turn.user.clone()));
            messages.push(Message::assistant(turn.assistant.clone()));
        }
        messages.push(Message::user(message));

        let deadline = tokio::time::Instant::now() + Duration::from_secs(llm.deadline_secs.max(1));
        let mut tier = route::tier_for(message);
        tally.tier = Some(tier);
        let mut answer = Answer {
            text: String::new(),
            to_confirm: Vec::new(),
            model_calls: 0,
            tool_calls: 0,
            tools: Vec::new(),
        };
        let definitions = self.registry.definitions();
        let mut changes = Changes {
            allowed: llm.changes_per_request,
            made: 0,
            held: Vec::new(),
        };
        // What the changes made said, for an answer that stops before the model's.
        let mut done: Vec<String> = Vec::new();
        // The answer's text; the changes held back are asked for after it, however it ends.
        answer.text = 'talk: {
            for _ in 0..llm.max_steps.max(1) {
                let request = ChatRequest {
                    messages: messages.clone(),
                    tools: definitions.clone(),
                    tool_choice: None,
                    temperature: Some(0.2),
                    max_tokens: None,
                };
                let (response, provider) = match self.call(&request, tier, deadline, cancel, told).await {
                    Ok(found) => found,
                    Err(error) if answer.model_calls == 0 => {
                        return Reply::Unavailable(format!(
                            "The language model is not answering ({error}). The commands still work (say `help`)."
                        ));
                    }
                    Err(error) => {
                        break 'talk unfinished(
                            &format!("the language model stopped answering ({error})"),
                            &done,
                        );
                    }
                };
                answer.model_calls += response.calls.max(1);
                tally.steps = answer.model_calls;
                tally.tokens += response.usage.prompt_tokens + response.usage.completion_tokens;
                self.record(&ledger, asker, now, &response, provider);
                let assistant = response.message;
                if assistant.tool_calls.is_empty() {
                    let said = assistant.content.unwrap_or_default();
                    let mut text = self.secrets.redact(said.trim()).into_owned();
                    if text.is_empty() {
                        text = "(no answer)".to_string();
                    }
                    // A memory that cannot be saved costs context, not the answer.
                    let _ = memory.remember(message, &text);
                    break 'talk text;
                }
                messages.push(assistant.clone());
                // In the calls' order: the changes past the allowed ones are held back.
                let plans: Vec<Plan> = assistant
                    .tool_calls
                    .iter()
                    .map(|call| changes.plan(&self.registry, call))
                    .collect();
                let outcomes = self.run_tools(asker, now, &assistant, &plans).await;
                for ((call, plan), outcome) in assistant.tool_calls.iter().zip(&plans).zip(outcomes) {
                    answer.tool_calls += 1;
                    let kind = match (plan, &outcome) {
                        (Plan::Hold, _) => "held back",
                        (Plan::Refuse, _) => "refused",
                        (Plan::Run, Some(Outcome::Done(_))) => "done",
                        (Plan::Run, Some(Outcome::Failed(_)) | None) => "failed",
                        (Plan::Run, Some(Outcome::NeedsConfirmation(_))) => "needs confirmation",
                    };
                    tracing::info!(
                        tool = %call.name,
                        outcome = kind,
                        argument_bytes = call.arguments.to_string().len(),
                        "tool call"
                    );
                    let used = ToolUse {
                        tool: call.name.clone(),
                        outcome: kind,
                    };
                    if let Some(told) = told {
                        told(Progress::Tool(&used));
                    }
                    answer.tools.push(used);
                    let (handle, allowed) = (&asker.handle, changes.allowed);
                    let content = match (plan, outcome) {
                        (Plan::Hold, _) => format!(
                            "Not done yet: one request makes at most {allowed} changes without {handle}'s word, \
                             so this one waits for {handle} to confirm it, listed with the others held back \
                             (they see one confirmation request for them all)"
                        ),
                        (Plan::Refuse, _) => format!(
                            "Not done: this request asked for more changes than {handle} can confirm at once; \
                             tell them to ask again in smaller pieces"
                        ),
                        (Plan::Run, Some(Outcome::Done(text))) => {
                            if self.registry.changes(&call.name) {
                                done.push(text.lines().next().unwrap_or_default().to_string());
                            }
                            text
                        }
                        (Plan::Run, Some(Outcome::Failed(error))) => {
                            if tier == Tier::Fast && error.contains("argument") {
                                tier = Tier::Strong;
                                tally.tier = Some(tier);
                            }
                            format!("Error: {error}")
                        }
                        (Plan::Run, Some(Outcome::NeedsConfirmation(pending))) => {
                            let preview = pending.preview.clone();
                            let id = self.app.confirmations.request(handle, pending, Instant::now());
                            answer.to_confirm.push((id, preview.clone()));
                            format!(
                                "Not done: {handle} must confirm this change first (they see a confirmation request): {preview}"
                            )
                        }
                        (Plan::Run, None) => "Error: the tool did not run".to_string(),
                    };
                    messages.push(Message::tool_result(call.id.clone(), content));
                }
            }
            let steps = llm.max_steps.max(1);
            let why = format!("I stopped after {steps} steps, the most one request may take");
            unfinished(&why, &done) + "\nAsk again for the rest, in smaller pieces."
        };
        if !changes.held.is_empty() {
            let pending = self
                .registry
                .hold(&asker.handle, now, changes.allowed, changes.held);
            let preview = pending.preview.clone();
            let id = self
                .app
                .confirmations
                .request(&asker.handle, pending, Instant::now());
            answer.to_confirm.push((id, preview));
        }
        Reply::Answer(answer)
    }

    /// Why no model may be asked today (the budget is spent, or the ledger unreadable).
    fn over_budget(&self, ledger: &Ledger, now: NaiveDateTime) -> Option<String> {
        let budget = Budget {
            tokens: self.app.config.llm.daily_tokens,
            cost: self.app.config.llm.daily_cost,
        };
        match ledger.day_totals(now.date()) {
            Ok(spent) => budget.exceeded(&spent),
            Err(error) => Some(format!("the usage ledger cannot be read ({error:#})")),
        }
    }

    /// `text` (a briefing built from the files) reworded by a model with the prompt
    /// `instructions`; an error when no model answers or the rewording lost a task
    /// reference, and then the caller shows `text` as it is.
    pub async fn polish(
        &self,
        asker: &Caller,
        instructions: &str,
        text: &str,
        now: NaiveDateTime,
        cancel: &CancellationToken,
    ) -> Result<String, String> {
        let ledger = Ledger::new(self.app.store.state_dir());
        if let Some(why) = self.over_budget(&ledger, now) {
            return Err(why);
        }
        let request = ChatRequest {
            messages: vec![
                Message::system(instructions.replace("{{person}}", &asker.handle)),
                Message::user(text),
            ],
            tools: Vec::new(),
            tool_choice: None,
            temperature: Some(0.3),
            max_tokens: None,
        };
        let deadline =
            tokio::time::Instant::now() + Duration::from_secs(self.app.config.llm.deadline_secs.max(1));
        let (response, provider) = self
            .call(&request, Tier::Fast, deadline, cancel, None)
            .await
            .map_err(|error| format!("the language model is not answering ({error})"))?;
        self.record(&ledger, asker, now, &response, provider);
        let said = response.message.content.unwrap_or_default();
        let polished = self.secrets.redact(said.trim()).into_owned();
        if polished.is_empty() || !prompt::keeps_references(text, &polished) {
            return Err("the reworded text lost some of the items".to_string());
        }
        Ok(polished)
    }

    /// Applies the change `id` when `asker` asked for it and it has not expired: taken
    /// from those waiting first, so a second attempt finds it gone and it is applied
    /// at most once.
    pub async fn confirm(&self, asker: &Caller, id: &str, now: NaiveDateTime) -> Result<String, String> {
        let pending = self
            .app
            .confirmations
            .take(id, &asker.handle, Instant::now())
            .map_err(|refused: Refused| refused.to_string())?;
        let outcome = self
            .with_tools(asker, now, move |registry, context| {
                registry.confirm(context, &pending)
            })
            .await
            .map_err(|error| format!("the change could not be applied: {error}"))?;
        match outcome {
            Outcome::Done(text) => Ok(text),
            Outcome::Failed(error) => Err(error),
            Outcome::NeedsConfirmation(_) => Err("the change asked for another confirmation".to_string()),
        }
    }

    /// Drops the change `id` (the person said no).
    pub fn cancel(&self, asker: &Caller, id: &str) -> Result<(), String> {
        self.app
            .confirmations
            .cancel(id, &asker.handle)
            .map_err(|refused| refused.to_string())
    }

    fn system_prompt(&self, asker: &Caller, now: NaiveDateTime) -> String {
        let read = |path: &str| {
            self.app
                .store
                .read(path)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default()
        };
        let template = prompt::template(self.app.config.llm.prompts_dir.as_deref())
            .unwrap_or_else(|_| prompt::SYSTEM.to_string());
        let look = crate::app::Look {
            config: &self.app.config,
            files: self.app.store.as_ref(),
            handle: &asker.handle,
            now,
        };
        let whereabouts =
            crate::app::context::current(&look).map_or_else(|_| "unknown".to_string(), |c| c.said());
        let settled = crate::app::settings::settled_or_warn(&self.app.config, &*self.app.store);
        let directives = self.registry.directives_said(&settled);
        let system = prompt::system(
            &template,
            &prompt::Facts {
                person: &asker.handle,
                now,
                timezone: &self.timezone,
                whereabouts: &whereabouts,
                telos: &read("telos.md"),
                memory: &read("working-memory.txt"),
            },
        );
        if directives.is_empty() {
            system
        } else {
            format!("{system}\n\n{directives}")
        }
    }

    /// One model call on the first provider of the fallback order that answers,
    /// streamed when `llm.stream` asks for it or `told` wants the words as they come.
    async fn call(
        &self,
        request: &ChatRequest,
        tier: Tier,
        deadline: tokio::time::Instant,
        cancel: &CancellationToken,
        told: Option<&(dyn Fn(Progress<'_>) + Send + Sync)>,
    ) -> Result<(ChatResponse, usize), LlmError> {
        let mut last = LlmError::Transport("no provider is configured".to_string());
        for index in route::order(&self.providers, tier) {
            let provider = &self.providers[index].provider;
            let mut said_some = false;
            let answered = if self.app.config.llm.stream || told.is_some() {
                let mut on_text = |text: &str| {
                    if let Some(told) = told {
                        said_some = true;
                        told(Progress::Text(text));
                    }
                };
                self.client
                    .chat_stream(provider, request, deadline, cancel, &mut on_text)
                    .await
            } else {
                self.client.chat(provider, request, deadline, cancel).await
            };
            if answered.is_err()
                && said_some
                && let Some(told) = told
            {
                told(Progress::Discard);
            }
            match answered {
                Ok(response) => return Ok((response, index)),
                Err(error @ (LlmError::Cancelled | LlmError::DeadlineExceeded)) => return Err(error),
                Err(error) => last = error,
            }
        }
        Err(last)
    }

    fn record(
        &self,
        ledger: &Ledger,
        asker: &Caller,
        now: NaiveDateTime,
        response: &ChatResponse,
        provider: usize,
    ) {
        let configured = &self.providers[provider];
        let usage = &response.usage;
        let call = Call {
            date: now.date(),
            person: asker.handle.clone(),
            provider: configured.provider.name.clone(),
            model: response.model.clone(),
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            cost: response
                .cost
                .unwrap_or_else(|| configured.cost(usage.prompt_tokens, usage.completion_tokens)),
        };
        if let Some(metrics) = &self.metrics {
            metrics.llm_usage(call.prompt_tokens + call.completion_tokens, call.cost);
        }
        // The answer matters more than its bookkeeping.
        let _ = ledger.record(&call);
    }

    /// Runs `work` with the registry and a tool context for `asker` on the blocking
    /// pool (tools block on git and files).
    fn with_tools(
        &self,
        asker: &Caller,
        now: NaiveDateTime,
        work: impl FnOnce(&Registry, &ToolContext) -> Outcome + Send + 'static,
    ) -> tokio::task::JoinHandle<Outcome> {
        let registry = Arc::clone(&self.registry);
        self.app.run(asker, now, move |context| work(&registry, context))
    }

    /// Runs the tool calls of `assistant` planned to run at once, each on a blocking
    /// thread; the outcomes in the calls' order (`None` for the ones not run).
    async fn run_tools(
        &self,
        asker: &Caller,
        now: NaiveDateTime,
        assistant: &Message,
        plans: &[Plan],
    ) -> Vec<Option<Outcome>> {
        let handles: Vec<_> = assistant
            .tool_calls
            .iter()
            .zip(plans)
            .map(|(call, plan)| {
                if let Some(metrics) = &self.metrics {
                    // Only names of real tools: a model's invented ones count as one.
                    let known = self.registry.names().contains(&call.name.as_str());
                    metrics.tool_call(if known { &call.name } else { "unknown" });
                }
                if *plan != Plan::Run {
                    return None;
                }
                let (name, arguments) = (call.name.clone(), call.arguments.clone());
                Some(self.with_tools(asker, now, move |registry, context| {
                    registry.call(context, &name, &arguments)
                }))
            })
            .collect();
        let mut outcomes = Vec::with_capacity(handles.len());
        for handle in handles {
            outcomes.push(match handle {
                Some(handle) => Some(
                    handle
                        .await
                        .unwrap_or_else(|error| Outcome::Failed(format!("the tool failed: {error}"))),
                ),
                None => None,
            });
        }
        outcomes
    }
}
