//! `/history`: the store's last changes, newest first, thirty to a page: who made
//! each, when (in the store's timezone) and what; each with an Undo that asks first
//! (`POST /history/{commit}/undo`, confirmed through `/confirm/{id}`).

use super::auth::{Posted, Session, from_htmx};
use super::confirm::ask;
use super::respond::{back_within, html, refused, run};
use super::{Layout, Web};
use crate::app::history::{self, Change, Of};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;

/// Changes on one page.
pub const PAGE: usize = 30;

/// What the page is asked: which page.
#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    page: Option<usize>,
}

/// One change as shown.
pub struct Row {
    /// The commit's full id (what Undo names).
    pub id: String,
    pub short: String,
    /// When, in the store's timezone: `Mon 23 Nov 2026 08:05`.
    pub at: String,
    /// The same as `YYYY-MM-DDTHH:MM`, for `<time>`.
    pub machine: String,
    pub author: String,
    pub subject: String,
    /// Whether Undo is offered: the assistant's changes only (a hand edit is undone
    /// from the terminal, `myorg undo --force`).
    pub undoable: bool,
}

impl Row {
    fn new(change: &Change) -> Row {
        Row {
            id: change.id.clone(),
            short: history::short(&change.id).to_string(),
            at: change
                .at
                .map(|at| at.format("%a %-d %b %Y %H:%M").to_string())
                .unwrap_or_default(),
            machine: change
                .at
                .map(|at| at.format("%Y-%m-%dT%H:%M").to_string())
                .unwrap_or_default(),
            author: change.author.clone(),
            subject: change.subject.clone(),
            undoable: change.by_assistant,
        }
    }
}

/// The changes of one page.
pub struct List {
    rows: Vec<Row>,
    page: usize,
    /// Whether older changes follow.
    more: bool,
    error: String,
}

impl List {
    /// The link to this page.
    pub fn here(&self) -> String {
        format!("/history?page={}", self.page)
    }

    /// The link to the older changes.
    pub fn older(&self) -> String {
        format!("/history?page={}", self.page + 1)
    }

    /// The link to the newer changes.
    pub fn newer(&self) -> String {
        format!("/history?page={}", self.page.saturating_sub(1).max(1))
    }
}

#[derive(Template)]
#[template(path = "web/history.html")]
struct Page {
    layout: Layout,
    list: List,
}

#[derive(Template)]
#[template(path = "web/history.html", block = "list")]
struct ListPart {
    layout: Layout,
    list: List,
}

/// `GET /history`: the page, or with htmx only its list.
pub async fn page(
    State(web): State<Arc<Web>>,
    session: Session,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let page = asked.page.unwrap_or(1).max(1);
    // One more than the page shows says whether older changes follow.
    let wanted = page.saturating_mul(PAGE).saturating_add(1);
    let found = run(&web, &session, move |ctx| {
        history::history(ctx, &Of::Everything, wanted)
    })
    .await;
    let list = match found {
        Ok(changes) => {
            let skip = (page - 1).saturating_mul(PAGE);
            List {
                more: changes.len() > skip.saturating_add(PAGE),
                rows: changes.iter().skip(skip).take(PAGE).map(Row::new).collect(),
                page,
                error: String::new(),
            }
        }
        Err(error) => List {
            rows: Vec::new(),
            page,
            more: false,
            error: error.to_string(),
        },
    };
    let layout = Layout::new("History", "/history", &session);
    if from_htmx(&headers) {
        return html(&ListPart { layout, list });
    }
    html(&Page { layout, list })
}

/// An Undo form: where to go back to without JavaScript.
#[derive(Debug, Deserialize)]
pub struct OnChange {
    #[serde(default)]
    back: String,
}

/// `POST /history/{commit}/undo`: the undoing, previewed, asked first.
pub async fn undo(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Path(commit): Path<String>,
    posted: Posted<OnChange>,
) -> Response {
    let Posted { session, form } = posted;
    let back = back_within(&form.back, "/history", &[]);
    match run(&web, &session, move |ctx| history::undo(ctx, Some(&commit))).await {
        Ok(pending) => ask(&web, &session, &headers, pending, "Undo this change?", &back),
        Err(error) => refused(&headers, &session, &error, &back),
    }
}
