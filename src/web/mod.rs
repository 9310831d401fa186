//! The web dashboard of `myorg run`: Today, Tasks, Calendar, Projects, Chat, the
//! briefings and the history, in a browser, on the HTTP endpoint's address.
//!
//! Server-rendered HTML (askama templates under `templates/web/`, a block of a page
//! for the part htmx swaps), htmx and a few lines of script for the interactions,
//! embedded in the binary (`assets.rs`). A front end like the others: every page
//! reads typed results from `app`, every change goes through `app` as the person
//! logged in (`Requested-by: NAME (web)`). Every page works without JavaScript,
//! reloading where htmx swaps a part.
//!
//! - `auth.rs`: sessions, CSRF, passwords, the one-time link; `login.rs`: the
//!   login and logout pages.
//! - `respond.rs`: the answers every action gives (a message next to the form, the
//!   whole page without JavaScript, `store-changed` for the parts that refresh).
//! - `live.rs`: `GET /version`, which open pages poll to see the store change.
//! - One module per page: `today.rs`, `tasks.rs`, `calendar.rs`, `projects.rs`,
//!   `briefings.rs` (the morning, evening and weekly briefings), `history.rs` (the
//!   last changes, each with Undo), `chat.rs` (the assistant: the grammar of
//!   `app::chat`, the agent with a model, its progress as server-sent events),
//!   `confirm.rs` (Yes/No of a
//!   destructive change).

pub mod assets;
pub mod auth;
mod briefings;
mod calendar;
mod chat;
mod confirm;
mod history;
mod live;
mod login;
mod projects;
mod respond;
mod tasks;
mod today;

use crate::agent::conversation::Agent;
use crate::agent::tools::Registry;
use crate::app::{App, Caller};
use crate::store::Actor;
use auth::{Auth, Session};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::DropGuard;

/// What the pages share.
pub struct Web {
    pub app: Arc<App>,
    pub auth: Auth,
    /// The language model's agent, for the chat page, when one is configured.
    pub agent: Option<Arc<Agent>>,
    /// What confirms a change waiting in `app.confirmations` (as Discord's buttons do).
    registry: Arc<Registry>,
    /// The chat page's conversations, by session.
    chats: Arc<chat::Conversations>,
    /// Stops the assistant's answers still running when the dashboard goes.
    _stop: DropGuard,
}

impl Web {
    /// The dashboard over `app`, with sessions as the configuration says.
    pub fn new(app: Arc<App>, agent: Option<Arc<Agent>>) -> anyhow::Result<Web> {
        let config = &app.config.web;
        let auth = Auth::new(
            config.secret_key.as_ref().map(|s| s.0.as_str()),
            Duration::from_secs(u64::from(config.session_hours.max(1)) * 3600),
        )?;
        let chats = Arc::new(chat::Conversations::default());
        Ok(Web {
            app,
            auth,
            agent,
            registry: Arc::new(Registry::new()),
            _stop: chats.stopping().drop_guard(),
            chats,
        })
    }

    /// The person of `session`, as the app's caller.
    pub fn caller(&self, session: &Session) -> Caller {
        let person = &session.person;
        Caller {
            handle: person.handle.clone(),
            actor: Actor {
                name: person.name.clone(),
                email: person
                    .email
                    .clone()
                    .unwrap_or_else(|| format!("{}@localhost", person.handle)),
                via: "web".to_string(),
            },
            channel: "web".to_string(),
        }
    }

    /// Whether anyone can log in only through a one-time link (no password at all).
    pub fn needs_link(&self) -> bool {
        !auth::any_password(self)
    }
}

/// The dashboard's routes, to merge beside the HTTP endpoint's.
pub fn router(web: Arc<Web>) -> Router {
    Router::new()
        .route("/", get(today::page))
        .route("/login", get(login::page).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/static/{name}", get(assets::serve))
        .route("/version", get(live::version))
        .route("/tasks", get(tasks::page).post(tasks::add))
        .route("/tasks/archive", post(tasks::archive))
        .route("/tasks/{reference}/done", post(tasks::done))
        .route("/tasks/{reference}/edit", get(tasks::edit_form).post(tasks::edit))
        .route("/tasks/{reference}/delete", post(tasks::delete))
        .route("/calendar", get(calendar::page).post(calendar::add))
        .route("/projects", get(projects::list))
        .route("/projects/{slug}", get(projects::show).post(projects::change))
        .route("/briefings/{kind}", get(briefings::page))
        .route("/chat", get(chat::page).post(chat::say))
        .route("/chat/stream/{id}", get(chat::stream))
        .route("/history", get(history::page))
        .route("/history/{commit}/undo", post(history::undo))
        .route("/confirm/{id}", post(confirm::yes))
        .route("/cancel/{id}", post(confirm::no))
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(web)
}

/// Headers every dashboard answer carries: no framing, no sniffing, and a content
/// policy that runs only this site's own scripts (text from the files can never
/// become a script).
async fn secure_headers(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// What every page's frame needs: the title, the current page, the person, the
/// session's CSRF token and the assets' names.
pub struct Layout {
    pub title: String,
    /// The path of the navigation's current entry.
    pub current: &'static str,
    pub person: String,
    pub csrf: String,
    pub htmx: String,
    pub style: String,
    pub script: String,
}

impl Layout {
    /// The frame of a page titled `title` at `current`, for `session`.
    pub fn new(title: impl Into<String>, current: &'static str, session: &Session) -> Layout {
        Layout {
            title: title.into(),
            current,
            person: session.person.name.clone(),
            csrf: session.csrf.clone(),
            ..Layout::anonymous("")
        }
    }

    /// The frame of a page nobody is logged in to (the login page).
    pub fn anonymous(title: impl Into<String>) -> Layout {
        let assets = &*assets::ASSETS;
        Layout {
            title: title.into(),
            current: "",
            person: String::new(),
            csrf: String::new(),
            htmx: assets.htmx.name.clone(),
            style: assets.style.name.clone(),
            script: assets.script.name.clone(),
        }
    }

    /// The navigation: path, label, and whether it is the current page.
    pub fn nav(&self) -> Vec<(&'static str, &'static str, bool)> {
        [
            ("/", "Today"),
            ("/tasks", "Tasks"),
            ("/calendar", "Calendar"),
            ("/projects", "Projects"),
            ("/chat", "Chat"),
            ("/briefings/morning", "Briefings"),
            ("/history", "History"),
        ]
        .into_iter()
        .map(|(path, label)| (path, label, path == self.current))
        .collect()
    }
}
