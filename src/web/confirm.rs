//! Yes or no to a destructive change (delete a task, undo a commit, what the
//! assistant held back in chat): the change waits in the app's one store of
//! confirmations, for the person who asked only, once, for five minutes. `ask` shows
//! the question next to the button that asked; `POST /confirm/{id}` applies exactly
//! the previewed change through the tool registry, as Discord's buttons do (a single
//! operation, or the held calls run in order), `POST /cancel/{id}` drops it.

use super::auth::{Posted, Session, from_htmx};
use super::respond::{changed, html, local, refused, run};
use super::{Layout, Web};
use crate::agent::tools::Outcome;
use crate::app::{self, confirm::Pending};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Instant;

#[derive(Template)]
#[template(path = "web/confirm.html", block = "question")]
struct Question {
    layout: Layout,
    id: String,
    question: String,
    preview: String,
    back: String,
}

#[derive(Template)]
#[template(path = "web/confirm.html")]
struct Page {
    layout: Layout,
    id: String,
    question: String,
    preview: String,
    back: String,
}

/// Asks `session`'s person to confirm `pending` (`question`: "Delete this task?").
pub fn ask(
    web: &Web,
    session: &Session,
    headers: &HeaderMap,
    pending: Pending,
    question: &str,
    back: &str,
) -> Response {
    let preview = pending.preview.clone();
    let id = web
        .app
        .confirmations
        .request(&session.person.handle, pending, Instant::now());
    let layout = Layout::new("Confirm", "", session);
    let back = local(back).to_string();
    let question = question.to_string();
    if from_htmx(headers) {
        return html(&Question {
            layout,
            id,
            question,
            preview,
            back,
        });
    }
    html(&Page {
        layout,
        id,
        question,
        preview,
        back,
    })
}

/// A confirmation's form: where to go back to without JavaScript.
#[derive(Debug, Deserialize)]
pub struct Back {
    #[serde(default)]
    back: String,
}

/// `POST /confirm/{id}`: the change applied, if it still may be.
pub async fn yes(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    posted: Posted<Back>,
) -> Response {
    let Posted { session, form } = posted;
    let taken = web
        .app
        .confirmations
        .take(&id, &session.person.handle, Instant::now());
    web.chats.settled(&session.id, &id);
    let pending = match taken {
        Ok(pending) => pending,
        Err(why) => {
            return refused(
                &headers,
                &session,
                &app::Error::Refused(format!("{why}; nothing was changed")),
                &form.back,
            );
        }
    };
    let registry = Arc::clone(&web.registry);
    let outcome = run(&web, &session, move |ctx| Ok(registry.confirm(ctx, &pending))).await;
    let error = match outcome {
        Ok(Outcome::Done(said)) => return changed(&headers, &said, &form.back),
        // The person's own confirmation was checked when it was taken: what fails now
        // is the change, which no longer applies to the store as it is.
        Ok(Outcome::Failed(why)) => app::Error::NoLongerApplies(why),
        Ok(Outcome::NeedsConfirmation(_)) => {
            app::Error::Refused("the change asked for another confirmation; nothing was changed".to_string())
        }
        Err(error) => error,
    };
    refused(&headers, &session, &error, &form.back)
}

/// `POST /cancel/{id}`: the change dropped.
pub async fn no(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    posted: Posted<Back>,
) -> Response {
    let Posted { session, form } = posted;
    // Already gone (used, expired) is as good as cancelled.
    let _ = web.app.confirmations.cancel(&id, &session.person.handle);
    web.chats.settled(&session.id, &id);
    changed(&headers, "Cancelled: nothing was changed.", &form.back)
}
