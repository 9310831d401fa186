//! `/briefings/{morning|evening|weekly}`: the person's briefing as a page of
//! sections (`?date=` a day in words or as a date, default today), with links to the
//! other two kinds. Another kind is a page that is not there (404); a day that does
//! not exist is said next to the date field.

use super::auth::{Session, from_htmx, urlencode};
use super::respond::{html, run, status};
use super::{Layout, Web};
use crate::app::briefing::{self, Asked};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use myorg_domain::briefing::{Kind, Section};
use serde::Deserialize;
use std::sync::Arc;

/// The kinds, as the address and the page name them.
const KINDS: [(&str, &str, Kind); 3] = [
    ("morning", "Morning", Kind::Morning),
    ("evening", "Evening", Kind::Evening),
    ("weekly", "Weekly review", Kind::Weekly),
];

/// The path of the navigation entry every briefing is under.
const NAV: &str = "/briefings/morning";

/// What the page is asked: the day, in words or as a date.
#[derive(Debug, Default, Deserialize)]
pub struct Day {
    #[serde(default)]
    date: String,
}

/// A link to a kind of briefing.
pub struct Other {
    kind: &'static str,
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// The briefing as shown.
pub struct Shown {
    /// `morning`, `evening` or `weekly`.
    pub kind: &'static str,
    /// The day as it was asked (what the date field holds).
    pub date: String,
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
    pub kinds: Vec<Other>,
    pub error: String,
}

impl Shown {
    /// The address of this briefing.
    pub fn here(&self) -> String {
        address(self.kind, &self.date)
    }
}

/// The links to each kind, `current` marked.
fn others(current: &str) -> Vec<Other> {
    KINDS
        .iter()
        .map(|&(kind, label, _)| Other {
            kind,
            href: address(kind, ""),
            label,
            current: kind == current,
        })
        .collect()
}

fn address(kind: &str, date: &str) -> String {
    if date.is_empty() {
        format!("/briefings/{kind}")
    } else {
        format!("/briefings/{kind}?date={}", urlencode(date))
    }
}

#[derive(Template)]
#[template(path = "web/briefing.html")]
struct Page {
    layout: Layout,
    shown: Shown,
}

#[derive(Template)]
#[template(path = "web/briefing.html", block = "briefing")]
struct Part {
    shown: Shown,
}

/// `GET /briefings/{kind}`: the page, or with htmx only the briefing.
pub async fn page(
    State(web): State<Arc<Web>>,
    session: Session,
    headers: HeaderMap,
    Path(kind): Path<String>,
    Query(asked): Query<Day>,
) -> Response {
    let date = asked.date.trim().to_string();
    let Some(&(name, label, kind)) = KINDS.iter().find(|(name, ..)| *name == kind) else {
        let shown = Shown {
            kind: "",
            date: String::new(),
            title: "No such briefing".to_string(),
            subtitle: String::new(),
            sections: Vec::new(),
            kinds: others(""),
            error: "There is no such briefing: there are the morning, the evening and the weekly one."
                .to_string(),
        };
        let layout = Layout::new("No such briefing", NAV, &session);
        return (StatusCode::NOT_FOUND, html(&Page { layout, shown })).into_response();
    };
    let wanted = Asked {
        date: (!date.is_empty()).then(|| date.clone()),
        ..Asked::mine(kind)
    };
    let built = run(&web, &session, move |ctx| {
        briefing::briefing(&ctx.look(), &wanted)
    })
    .await;
    let kinds = others(name)
        .into_iter()
        .map(|other| Other {
            href: address(other.kind, &date),
            ..other
        })
        .collect();
    let (shown, code) = match built {
        Ok(briefing) => (
            Shown {
                kind: name,
                title: format!("{label}, {}", briefing.date.format("%A %-d %B %Y")),
                subtitle: briefing.subtitle.clone().unwrap_or_default(),
                sections: briefing.sections,
                date,
                kinds,
                error: String::new(),
            },
            StatusCode::OK,
        ),
        Err(error) => (
            Shown {
                kind: name,
                title: label.to_string(),
                subtitle: String::new(),
                sections: Vec::new(),
                date,
                kinds,
                error: error.to_string(),
            },
            status(&error),
        ),
    };
    if from_htmx(&headers) {
        // htmx swaps only a successful answer: the error is part of the briefing.
        return html(&Part { shown });
    }
    let title = shown.title.clone();
    (
        code,
        html(&Page {
            layout: Layout::new(title, NAV, &session),
            shown,
        }),
    )
        .into_response()
}
