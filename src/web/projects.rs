//! `/projects`: the projects grouped by status and the goals, each with its
//! progress bar, owner, due date and goal; `/projects/{slug}`: one project (or goal)
//! with its open tasks and log, changing its status, logging an update or a link.

use super::auth::{Posted, Session, from_htmx};
use super::respond::{changed, html, refused, run};
use super::tasks::Row;
use super::{Layout, Web};
use crate::app::{self, projects};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use myorg_parsers::ProjectStatus;
use serde::Deserialize;
use std::sync::Arc;

/// A project or goal as listed.
pub struct Item {
    pub slug: String,
    pub title: String,
    pub status: String,
    pub percent: usize,
    pub progress: String,
    pub details: String,
}

impl Item {
    fn new(summary: &projects::Summary) -> Item {
        Item {
            slug: summary.slug.clone(),
            title: summary.title(),
            status: summary.status.to_string(),
            percent: summary.progress.percent().unwrap_or(0),
            progress: summary.progress_said(),
            details: summary.details(),
        }
    }
}

/// A group of projects of one status.
pub struct Group {
    pub status: String,
    pub items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "web/projects.html")]
struct ListPage {
    layout: Layout,
    groups: Vec<Group>,
    goals: Vec<Item>,
    done_left_out: usize,
    error: String,
}

#[derive(Template)]
#[template(path = "web/projects.html", block = "lists")]
struct ListPart {
    groups: Vec<Group>,
    goals: Vec<Item>,
    done_left_out: usize,
    error: String,
}

/// `GET /projects`.
pub async fn list(State(web): State<Arc<Web>>, session: Session, headers: HeaderMap) -> Response {
    let read = run(&web, &session, |ctx| {
        let look = ctx.look();
        let listed = projects::list(&look, &projects::Listing::default())?;
        let goals = projects::list(
            &look,
            &projects::Listing {
                goals: true,
                ..projects::Listing::default()
            },
        )?;
        Ok::<_, app::Error>((listed, goals))
    })
    .await;
    let (groups, goals, done_left_out, error) = match read {
        Ok((listed, goals)) => (
            listed
                .by_status()
                .into_iter()
                .map(|(status, group)| Group {
                    status: status.to_string(),
                    items: group.into_iter().map(Item::new).collect(),
                })
                .collect(),
            goals.shown.iter().map(Item::new).collect(),
            listed.done_left_out,
            String::new(),
        ),
        Err(error) => (Vec::new(), Vec::new(), 0, error.to_string()),
    };
    if from_htmx(&headers) {
        return html(&ListPart {
            groups,
            goals,
            done_left_out,
            error,
        });
    }
    html(&ListPage {
        layout: Layout::new("Projects", "/projects", &session),
        groups,
        goals,
        done_left_out,
        error,
    })
}

/// A log entry as shown, its links as links.
pub struct Logged {
    pub when: String,
    pub name: String,
    /// The text in pieces: `(text, is_a_link)`.
    pub pieces: Vec<(String, bool)>,
}

/// `text` cut into plain words and web links.
pub fn pieces(text: &str) -> Vec<(String, bool)> {
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for (n, word) in text.split(' ').enumerate() {
        let link = (word.starts_with("https://") || word.starts_with("http://")) && word.len() > 8;
        let spaced = if n == 0 { String::new() } else { " ".to_string() };
        if link {
            if !spaced.is_empty() {
                push_text(&mut pieces, &spaced);
            }
            pieces.push((word.to_string(), true));
        } else {
            push_text(&mut pieces, &format!("{spaced}{word}"));
        }
    }
    pieces
}

fn push_text(pieces: &mut Vec<(String, bool)>, text: &str) {
    match pieces.last_mut() {
        Some((last, false)) => last.push_str(text),
        _ => pieces.push((text.to_string(), false)),
    }
}

#[derive(Template)]
#[template(path = "web/project.html")]
struct OnePage {
    layout: Layout,
    item: Item,
    goal: bool,
    open: Vec<Row>,
    hidden: usize,
    members: Vec<Item>,
    log: Vec<Logged>,
    statuses: Vec<(&'static str, bool)>,
}

#[derive(Template)]
#[template(path = "web/project.html", block = "details")]
struct OnePart {
    layout: Layout,
    item: Item,
    goal: bool,
    open: Vec<Row>,
    hidden: usize,
    members: Vec<Item>,
    log: Vec<Logged>,
}

/// `GET /projects/{slug}`.
pub async fn show(
    State(web): State<Arc<Web>>,
    session: Session,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    let asked = slug.clone();
    let read = run(&web, &session, move |ctx| {
        projects::show(&ctx.look(), &asked).map(|shown| (shown, ctx.now.date()))
    })
    .await;
    let (shown, today) = match read {
        Ok(found) => found,
        Err(error) => {
            let layout = Layout::new("Projects", "/projects", &session);
            let page = NotFound {
                layout,
                message: error.to_string(),
                back: "/projects".to_string(),
            };
            return (super::respond::status(&error), html(&page)).into_response();
        }
    };
    let item = Item::new(&shown.entry);
    let goal = shown.entry.kind == myorg_domain::projects::Kind::Goal;
    let open = shown
        .open
        .iter()
        .map(|hit| Row::new(&hit.reference, &hit.line, &hit.task, today))
        .collect();
    let members = shown.members.iter().map(Item::new).collect();
    let log = shown
        .log
        .iter()
        .rev()
        .map(|entry| Logged {
            when: format!("{} {}", entry.date, entry.time.format("%H:%M")),
            name: entry.name.clone(),
            pieces: pieces(&entry.text),
        })
        .collect();
    let layout = Layout::new(item.title.clone(), "/projects", &session);
    if from_htmx(&headers) {
        return html(&OnePart {
            layout,
            item,
            goal,
            open,
            hidden: shown.hidden,
            members,
            log,
        });
    }
    let statuses = ProjectStatus::ALL
        .iter()
        .map(|status| (status.as_str(), *status == shown.entry.status))
        .collect();
    html(&OnePage {
        layout,
        item,
        goal,
        open,
        hidden: shown.hidden,
        members,
        log,
        statuses,
    })
}

#[derive(Template)]
#[template(path = "web/refused.html")]
struct NotFound {
    layout: Layout,
    message: String,
    back: String,
}

/// A change of a project: a status, an update, or a link with words.
#[derive(Debug, Deserialize)]
pub struct Changing {
    #[serde(default)]
    status: String,
    #[serde(default)]
    update: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    words: String,
}

/// `POST /projects/{slug}`: a new status, an update or a link, logged.
pub async fn change(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    posted: Posted<Changing>,
) -> Response {
    let Posted { session, form } = posted;
    let back = format!("/projects/{}", super::auth::urlencode(&slug));
    let status = match form.status.trim() {
        "" => None,
        given => match ProjectStatus::parse(given) {
            Some(status) => Some(status),
            None => {
                let known: Vec<&str> = ProjectStatus::ALL.iter().map(|s| s.as_str()).collect();
                let error = app::Error::Invalid(format!(
                    "{given:?} is not a status; say one of {}",
                    known.join(", ")
                ));
                return refused(&headers, &session, &error, &back);
            }
        },
    };
    let update = match (form.update.trim(), form.url.trim()) {
        ("", "") => None,
        (text, "") => Some(projects::Update::Text(text.to_string())),
        (_, url) => Some(projects::Update::Link {
            url: url.to_string(),
            words: form.words.trim().to_string(),
        }),
    };
    let change = projects::Change { slug, status, update };
    match run(&web, &session, move |ctx| projects::change(ctx, &change)).await {
        Ok(done) => changed(&headers, &done.said(), &back),
        Err(error) => refused(&headers, &session, &error, &back),
    }
}
