//! The answers the dashboard's actions give, the same for every page.
//!
//! - With htmx: a short message put next to the form
//!   (each form's `hx-target`), and on success a `store-changed` event, on which the page's lists refresh.
//! - Without JavaScript: after a change, back to the page it came from (`back`, a
//!   path of this site); on an error, a page that says it and changes nothing.

use super::auth::{Session, from_htmx};
use super::{Layout, Web};
use crate::app::{self, Ctx};
use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::sync::Arc;

/// A rendered page or part, or a plain 500 when a template fails.
pub fn html(template: &impl Template) -> Response {
    match template.render() {
        Ok(text) => Html(text).into_response(),
        Err(error) => {
            tracing::warn!(%error, "a page could not be rendered");
            (StatusCode::INTERNAL_SERVER_ERROR, "This page could not be drawn.").into_response()
        }
    }
}

/// Runs `work` as the person logged in, now, on the blocking pool.
pub async fn run<T: Send + 'static>(
    web: &Arc<Web>,
    session: &Session,
    work: impl FnOnce(&Ctx) -> app::Result<T> + Send + 'static,
) -> app::Result<T> {
    let caller = web.caller(session);
    match web.app.run(&caller, web.app.now(), work).await {
        Ok(result) => result,
        Err(error) => Err(app::Error::Failed(anyhow::anyhow!(
            "the request stopped: {error}"
        ))),
    }
}

/// A change was made: `message` next to the form, or back to `back`.
pub fn changed(headers: &HeaderMap, message: &str, back: &str) -> Response {
    if from_htmx(headers) {
        let mut response = note(message, "ok");
        response
            .headers_mut()
            .insert("hx-trigger", HeaderValue::from_static("store-changed"));
        return response;
    }
    Redirect::to(local(back)).into_response()
}

/// Nothing was changed because of `error`: said next to the form, or on a page.
pub fn refused(headers: &HeaderMap, session: &Session, error: &app::Error, back: &str) -> Response {
    if from_htmx(headers) {
        return note(&error.to_string(), "error");
    }
    let page = Refused {
        layout: Layout::new("Nothing changed", "", session),
        message: error.to_string(),
        back: local(back).to_string(),
    };
    (status(error), html(&page)).into_response()
}

/// The HTTP status of `error`.
pub fn status(error: &app::Error) -> StatusCode {
    match error {
        app::Error::Invalid(_) => StatusCode::BAD_REQUEST,
        app::Error::NotFound(_) => StatusCode::NOT_FOUND,
        app::Error::NoLongerApplies(_) => StatusCode::CONFLICT,
        app::Error::Refused(_) => StatusCode::FORBIDDEN,
        app::Error::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A message for the form that asked: each form's `hx-target` is the `.msg` after
/// it (outside it, so that a question with forms of its own can go there too).
fn note(message: &str, class: &'static str) -> Response {
    html(&Note { message, class })
}

/// Where a form of `section`'s pages sends the person back without JavaScript:
/// `given` when it is one of them (or one of the `also` pages), else `section`.
pub fn back_within(given: &str, section: &str, also: &[&str]) -> String {
    if given.starts_with(section) || also.contains(&given) {
        given.to_string()
    } else {
        section.to_string()
    }
}

/// `back` when it is a path of this site, else `/`.
pub fn local(back: &str) -> &str {
    if back.starts_with('/') && !back.starts_with("//") && !back.starts_with("/\\") {
        back
    } else {
        "/"
    }
}

#[derive(Template)]
#[template(path = "web/note.html")]
struct Note<'a> {
    message: &'a str,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "web/refused.html")]
struct Refused {
    layout: Layout,
    message: String,
    back: String,
}
