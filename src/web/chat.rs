//! `/chat`: the assistant, as in Discord. A message of the grammar of
//! [`app::chat`](crate::app::chat) (`add Call Mum due:fri`, `today`, `done REF`,
//! `tasks +home`…) is answered at once, without a model, through the same use cases
//! as the terminal's; a change is a commit of the person logged in. Anything else
//! goes to the language model's agent when there is one, and otherwise gets a plain
//! answer that free chat needs one, with what works without.
//!
//! An answer of the agent runs on its own task: the page shows it as it comes through
//! `GET /chat/stream/{id}` (server-sent events: each tool call as it has run, then
//! the answer, with its confirmations as Yes/No buttons posting to `/confirm/{id}`).
//! Without JavaScript the post waits for the answer and the page is drawn again.
//! The conversation shown is kept in memory per session: its last
//! [`MESSAGES_KEPT`] messages, for at most [`CONVERSATIONS_KEPT`] sessions. What the
//! model remembers is its own (`agent::memory`); `forget` clears both.

use super::auth::{Posted, Session, from_htmx};
use super::respond::{html, run};
use super::{Layout, Web};
use crate::agent::conversation::{Progress, Reply, ToolUse};
use crate::agent::memory::Memory;
use crate::app::chat::{self, Request, understand};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// The messages of one conversation kept (the oldest go first).
pub const MESSAGES_KEPT: usize = 40;
/// The conversations kept (the one left longest ago goes first).
pub const CONVERSATIONS_KEPT: usize = 64;
/// The lines of one answer shown; a longer one (every task of a large todo.txt)
/// ends with how many more there are.
pub const LINES_SHOWN: usize = 100;
/// The characters of a tool's name shown (the model names it).
const TOOL_NAME_SHOWN: usize = 60;

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Person,
    Assistant,
}

/// One message of a conversation.
#[derive(Debug, Clone)]
pub struct Said {
    pub id: String,
    pub by: By,
    pub text: String,
    /// Text in columns (the grammar's lists), shown in a fixed-width font.
    pub columns: bool,
    /// An error: the request did nothing.
    pub error: bool,
    /// The tool calls behind an answer of the agent.
    pub tools: Vec<ToolUse>,
    /// The changes waiting for the person's word: their confirmation's id and preview.
    pub confirm: Vec<(String, String)>,
    /// The agent is still answering.
    pub working: bool,
    /// While it is: the model's words so far.
    pub draft: String,
}

impl Said {
    fn new(by: By, text: impl Into<String>) -> Said {
        Said {
            id: uuid::Uuid::new_v4().simple().to_string(),
            by,
            text: text.into(),
            columns: false,
            error: false,
            tools: Vec::new(),
            confirm: Vec::new(),
            working: false,
            draft: String::new(),
        }
    }

    /// Whether the person said it.
    pub fn by_person(&self) -> bool {
        self.by == By::Person
    }

    /// A tool's name as shown.
    pub fn tool_name(tool: &ToolUse) -> String {
        tool.tool.chars().take(TOOL_NAME_SHOWN).collect()
    }
}

struct Conversation {
    messages: VecDeque<Said>,
    touched: Instant,
}

/// The conversations of the chat page, by session id, and a signal that one of them
/// changed (for the streams).
pub struct Conversations {
    held: Mutex<HashMap<String, Conversation>>,
    changed: watch::Sender<u64>,
    /// Stops the answers still running: cancelled when the dashboard goes.
    stop: CancellationToken,
}

impl Default for Conversations {
    fn default() -> Self {
        Conversations {
            held: Mutex::default(),
            changed: watch::Sender::new(0),
            stop: CancellationToken::new(),
        }
    }
}

impl Conversations {
    /// What stops the answers still running.
    pub fn stopping(&self) -> CancellationToken {
        self.stop.clone()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Conversation>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The messages of `session`, oldest first.
    fn shown(&self, session: &str) -> Vec<Said> {
        self.lock()
            .get(session)
            .map(|conversation| conversation.messages.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Adds `said` to `session`'s conversation.
    fn add(&self, session: &str, said: Said) {
        let mut held = self.lock();
        if !held.contains_key(session) && held.len() >= CONVERSATIONS_KEPT {
            let oldest = held
                .iter()
                .min_by_key(|(_, conversation)| conversation.touched)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                held.remove(&oldest);
            }
        }
        let conversation = held.entry(session.to_string()).or_insert_with(|| Conversation {
            messages: VecDeque::new(),
            touched: Instant::now(),
        });
        conversation.touched = Instant::now();
        conversation.messages.push_back(said);
        while conversation.messages.len() > MESSAGES_KEPT {
            conversation.messages.pop_front();
        }
        drop(held);
        self.changed.send_modify(|version| *version += 1);
    }

    /// Changes the message `id` of `session`, if it is still kept.
    fn update(&self, session: &str, id: &str, change: impl FnOnce(&mut Said)) {
        let mut held = self.lock();
        let found = held
            .get_mut(session)
            .and_then(|conversation| conversation.messages.iter_mut().find(|said| said.id == id));
        if let Some(said) = found {
            change(said);
        }
        drop(held);
        self.changed.send_modify(|version| *version += 1);
    }

    /// The message `id` of `session`, if it is still kept.
    fn find(&self, session: &str, id: &str) -> Option<Said> {
        self.lock()
            .get(session)?
            .messages
            .iter()
            .find(|said| said.id == id)
            .cloned()
    }

    /// The confirmation `id` was answered (or can no longer be): its buttons go from
    /// `session`'s conversation.
    pub fn settled(&self, session: &str, id: &str) {
        let mut held = self.lock();
        if let Some(conversation) = held.get_mut(session) {
            for said in &mut conversation.messages {
                said.confirm.retain(|(waiting, _)| waiting != id);
            }
        }
    }

    /// Forgets `session`'s conversation.
    fn forget(&self, session: &str) {
        self.lock().remove(session);
        self.changed.send_modify(|version| *version += 1);
    }
}

#[derive(Template)]
#[template(path = "web/chat.html")]
struct Page {
    layout: Layout,
    messages: Vec<Said>,
}

#[derive(Template)]
#[template(path = "web/chat.html", block = "conversation")]
struct Part {
    layout: Layout,
    messages: Vec<Said>,
}

#[derive(Template)]
#[template(path = "web/chat_message.html")]
struct One {
    layout: Layout,
    said: Said,
}

/// `GET /chat`: the conversation and the field to write in; with htmx, only the
/// conversation.
pub async fn page(State(web): State<Arc<Web>>, session: Session, headers: HeaderMap) -> Response {
    conversation(&web, &session, &headers)
}

fn conversation(web: &Web, session: &Session, headers: &HeaderMap) -> Response {
    let layout = Layout::new("Chat", "/chat", session);
    let messages = web.chats.shown(&session.id);
    if from_htmx(headers) {
        return html(&Part { layout, messages });
    }
    html(&Page { layout, messages })
}

/// A message as posted.
#[derive(Debug, Deserialize)]
pub struct Message {
    #[serde(default)]
    text: String,
}

/// The longest message a person may send: the conversation is kept in memory.
pub const LONGEST_MESSAGE: usize = 4000;

/// `POST /chat`: the message, answered; with htmx the conversation comes back
/// (the agent's answer following as events), without it the page is drawn again.
pub async fn say(State(web): State<Arc<Web>>, headers: HeaderMap, posted: Posted<Message>) -> Response {
    let Posted { session, form } = posted;
    let text = form.text.trim().to_string();
    let request = understand(&text);
    if request == Request::Empty {
        return answered(&web, &session, &headers, false);
    }
    if text.chars().count() > LONGEST_MESSAGE {
        let cut: String = text.chars().take(LONGEST_MESSAGE).collect();
        web.chats.add(&session.id, Said::new(By::Person, cut));
        web.chats.add(
            &session.id,
            failed(format!(
                "a message holds at most {LONGEST_MESSAGE} characters; nothing was done"
            )),
        );
        return answered(&web, &session, &headers, false);
    }
    web.chats.add(&session.id, Said::new(By::Person, text));
    let chats = &web.chats;
    match request {
        Request::Empty => {}
        Request::Forget => {
            let state = web.app.store.state_dir().to_path_buf();
            let handle = session.person.handle.clone();
            let channel = web.caller(&session).channel;
            let reset =
                tokio::task::spawn_blocking(move || Memory::load(&state, &channel, &handle, 0).reset()).await;
            chats.forget(&session.id);
            let said = match reset {
                Ok(Ok(())) => Said::new(By::Assistant, "Forgotten: our conversation starts afresh."),
                Ok(Err(error)) => failed(format!("I could not forget it: {error:#}")),
                Err(error) => failed(format!("I could not forget it: {error}")),
            };
            chats.add(&session.id, said);
        }
        Request::Quit => chats.add(
            &session.id,
            Said::new(
                By::Assistant,
                "There is nothing to leave here: the conversation stays on this page. Say `forget` to start afresh.",
            ),
        ),
        Request::Help => chats.add(&session.id, columns(chat::help_without_quit())),
        Request::FreeForm(text) => match &web.agent {
            None => chats.add(&session.id, columns(&chat::needs_a_model())),
            Some(agent) => {
                let running = start(&web, Arc::clone(agent), &session, text);
                if !from_htmx(&headers) {
                    // Without JavaScript, the page is drawn once the answer is there.
                    let _ = running.await;
                }
            }
        },
        grammar => {
            let changes = grammar.changes();
            let asked = grammar.clone();
            let said = match run(&web, &session, move |ctx| chat::answer(ctx, &asked)).await {
                Ok(answer) => columns(&clip(&answer.whole())),
                Err(error) => failed(error.to_string()),
            };
            let worked = !said.error;
            chats.add(&session.id, said);
            return answered(&web, &session, &headers, changes && worked);
        }
    }
    answered(&web, &session, &headers, false)
}

/// The answer to a post: the conversation (with `store-changed` after a change), or
/// without JavaScript back to the page.
fn answered(web: &Web, session: &Session, headers: &HeaderMap, changed: bool) -> Response {
    if !from_htmx(headers) {
        return Redirect::to("/chat#said").into_response();
    }
    let mut response = conversation(web, session, headers);
    if changed {
        response
            .headers_mut()
            .insert("hx-trigger", HeaderValue::from_static("store-changed"));
    }
    response
}

/// An answer of the assistant in columns.
fn columns(text: &str) -> Said {
    Said {
        columns: true,
        ..Said::new(By::Assistant, text.trim_end())
    }
}

/// What went wrong, as the assistant's answer.
fn failed(why: String) -> Said {
    Said {
        error: true,
        ..Said::new(By::Assistant, format!("Sorry: {why}"))
    }
}

/// `text` cut to [`LINES_SHOWN`] lines, saying how many more there were.
fn clip(text: &str) -> String {
    let total = text.lines().count();
    if total <= LINES_SHOWN {
        return text.to_string();
    }
    let mut shown: String = text
        .lines()
        .take(LINES_SHOWN)
        .flat_map(|line| [line, "\n"])
        .collect();
    shown.push_str(&format!(
        "… and {} more lines (the Tasks page lists them all).",
        total - LINES_SHOWN
    ));
    shown
}

/// Starts the agent's answer to `text` as a message of its own, working; returns its
/// task (which ends within the agent's deadline, or when the dashboard goes).
fn start(
    web: &Arc<Web>,
    agent: Arc<crate::agent::conversation::Agent>,
    session: &Session,
    text: String,
) -> tokio::task::JoinHandle<()> {
    let said = Said {
        working: true,
        ..Said::new(By::Assistant, "")
    };
    let id = said.id.clone();
    web.chats.add(&session.id, said);
    let chats = Arc::clone(&web.chats);
    let caller = web.caller(session);
    let secrets = web.app.config.secrets();
    let now = web.app.now();
    let session = session.id.clone();
    tokio::spawn(async move {
        let cancel = chats.stopping();
        let told = |progress: Progress<'_>| match progress {
            Progress::Tool(used) => {
                let used = used.clone();
                chats.update(&session, &id, |said| said.tools.push(used));
            }
            Progress::Text(text) => chats.update(&session, &id, |said| said.draft.push_str(text)),
            Progress::Discard => chats.update(&session, &id, |said| said.draft.clear()),
        };
        let reply = agent.ask_telling(&caller, &text, now, &cancel, &told).await;
        let clear = |text: &str| secrets.redact(text).into_owned();
        chats.update(&session, &id, |said| {
            said.working = false;
            said.draft.clear();
            match reply {
                Reply::Unavailable(why) => {
                    said.text = clear(&why);
                    said.error = true;
                }
                Reply::Answer(answer) => {
                    said.text = clear(&answer.text);
                    said.tools = answer.tools;
                    said.confirm = answer
                        .to_confirm
                        .iter()
                        .map(|(id, preview)| (id.clone(), clear(preview)))
                        .collect();
                }
            }
        });
    })
}

/// `GET /chat/stream/{id}`: the agent's answer `id` as it comes: a `tool` event for
/// each tool call (`{"tool", "outcome"}`); the model's words so far (`draft`,
/// `{"text"}`: replaces what is shown, first and when they were dropped), then each
/// more as `text` (`{"text"}`: appended); then `done` with the answer drawn
/// (`{"html"}`); `gone` when the conversation no longer holds it.
pub async fn stream(State(web): State<Arc<Web>>, session: Session, Path(id): Path<String>) -> Response {
    struct Follow {
        web: Arc<Web>,
        session: Session,
        id: String,
        sent: usize,
        /// The model's words sent so far (secrets redacted), once the first are.
        drafted: Option<String>,
        over: bool,
        changed: watch::Receiver<u64>,
    }
    let changed = web.chats.changed.subscribe();
    let follow = Follow {
        web,
        session,
        id,
        sent: 0,
        drafted: None,
        over: false,
        changed,
    };
    let events = futures_util::stream::unfold(follow, |mut follow| async move {
        if follow.over {
            return None;
        }
        loop {
            follow.changed.borrow_and_update();
            let Some(said) = follow.web.chats.find(&follow.session.id, &follow.id) else {
                follow.over = true;
                let gone = event(
                    "gone",
                    serde_json::json!({"text": "This answer is no longer kept: reload the page."}),
                );
                return Some((gone, follow));
            };
            if let Some(used) = said.tools.get(follow.sent) {
                follow.sent += 1;
                let tool = event(
                    "tool",
                    serde_json::json!({"tool": Said::tool_name(used), "outcome": used.outcome}),
                );
                return Some((tool, follow));
            }
            if said.working {
                // Redacted whole, so that a secret cut in two chunks is still found.
                let words = follow.web.app.config.secrets().redact(&said.draft).into_owned();
                match &follow.drafted {
                    Some(sent) if words.starts_with(sent.as_str()) => {
                        if words.len() > sent.len() {
                            let more = event("text", serde_json::json!({"text": &words[sent.len()..]}));
                            follow.drafted = Some(words);
                            return Some((more, follow));
                        }
                    }
                    _ => {
                        let whole = event("draft", serde_json::json!({"text": &words}));
                        follow.drafted = Some(words);
                        return Some((whole, follow));
                    }
                }
            }
            if !said.working {
                follow.over = true;
                let one = One {
                    layout: Layout::new("Chat", "/chat", &follow.session),
                    said,
                };
                let drawn = one.render().unwrap_or_else(|error| {
                    tracing::warn!(%error, "a chat message could not be drawn");
                    "<li class=\"said assistant\">This answer could not be drawn: reload the page.</li>"
                        .to_string()
                });
                let done = event("done", serde_json::json!({"html": drawn}));
                return Some((done, follow));
            }
            if follow.changed.changed().await.is_err() {
                return None;
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}

/// The event `name` carrying `value` as JSON (one line: JSON escapes line breaks,
/// which an event's data may not hold).
fn event(name: &'static str, value: serde_json::Value) -> Result<Event, std::convert::Infallible> {
    Ok(Event::default().event(name).data(value.to_string()))
}
