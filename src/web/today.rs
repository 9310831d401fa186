//! `/`: today at a glance for the person logged in: the morning briefing's sections
//! (events, overdue, due today, top priorities, waiting-for to chase), the active
//! projects and goals with progress bars, what to do next, quick counts and the
//! recent changes.

use super::auth::{Session, from_htmx};
use super::respond::{html, run};
use super::tasks::Row;
use super::{Layout, Web};
use crate::app::{self, briefing, history, projects, suggest};
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use myorg_domain::briefing::{Kind, Section};
use std::sync::Arc;

/// A project or goal with its progress.
pub struct Bar {
    pub slug: String,
    pub title: String,
    pub percent: usize,
    pub said: String,
    pub goal: bool,
}

impl Bar {
    fn new(summary: &projects::Summary, goal: bool) -> Bar {
        Bar {
            slug: summary.slug.clone(),
            title: summary.title(),
            percent: summary.progress.percent().unwrap_or(0),
            said: summary.progress_said(),
            goal,
        }
    }
}

/// Everything on the page.
pub struct Glance {
    pub date: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
    pub bars: Vec<Bar>,
    pub situation: String,
    pub suggested: Vec<suggest::Suggestion>,
    pub changes: Vec<history::Change>,
    pub error: String,
}

impl Glance {
    /// The sections' counts, for the line at the top: `("Overdue", 2)`.
    pub fn counts(&self) -> Vec<(&str, usize)> {
        self.sections
            .iter()
            .map(|section| (section.title.as_str(), section.items.len()))
            .collect()
    }
}

#[derive(Template)]
#[template(path = "web/today.html")]
struct Page {
    layout: Layout,
    glance: Glance,
}

#[derive(Template)]
#[template(path = "web/today.html", block = "glance")]
struct Part {
    glance: Glance,
}

/// `GET /`: the page, or with htmx only what changes.
pub async fn page(State(web): State<Arc<Web>>, session: Session, headers: HeaderMap) -> Response {
    let glance = glance(&web, &session).await;
    if from_htmx(&headers) {
        return html(&Part { glance });
    }
    html(&Page {
        layout: Layout::new("Today", "/", &session),
        glance,
    })
}

async fn glance(web: &Arc<Web>, session: &Session) -> Glance {
    let read = run(web, session, |ctx| {
        let look = ctx.look();
        let morning = briefing::briefing(&look, &briefing::Asked::mine(Kind::Morning))?;
        let listed = projects::list(&look, &projects::Listing::default())?;
        let goals = projects::list(
            &look,
            &projects::Listing {
                goals: true,
                ..projects::Listing::default()
            },
        )?;
        let suggested = suggest::suggest_here(
            &look,
            &suggest::Asked {
                limit: Some(3),
                ..suggest::Asked::default()
            },
        )?;
        let changes = history::history(ctx, &history::Of::Everything, 8)?;
        Ok::<_, app::Error>((morning, listed, goals, suggested, changes))
    })
    .await;
    match read {
        Ok((morning, listed, goals, suggested, changes)) => {
            let active =
                |summary: &&projects::Summary| summary.status == myorg_parsers::ProjectStatus::Active;
            let bars = goals
                .shown
                .iter()
                .filter(active)
                .map(|summary| Bar::new(summary, true))
                .chain(
                    listed
                        .shown
                        .iter()
                        .filter(active)
                        .map(|summary| Bar::new(summary, false)),
                )
                .collect();
            let today = morning.date;
            let sections = morning
                .sections
                .into_iter()
                // The bars and the "Suggested next" card show these their own way.
                .filter(|section| !["Goals and projects", "Suggested"].contains(&section.title.as_str()))
                .map(|mut section| {
                    // Tasks read as words; events and other lines as written.
                    for item in section.items.iter_mut().filter(|item| item.reference.is_some()) {
                        item.text = Row::readable(&item.text, today);
                    }
                    section
                })
                .collect();
            let mut suggested = suggested;
            for suggestion in &mut suggested.found.0 {
                suggestion.line = Row::readable(&suggestion.line, today);
            }
            Glance {
                date: morning.date.format("%A %-d %B %Y").to_string(),
                subtitle: morning.subtitle.clone().unwrap_or_default(),
                sections,
                bars,
                situation: suggested.situation.unwrap_or_default(),
                suggested: suggested.found.0,
                changes,
                error: String::new(),
            }
        }
        Err(error) => Glance {
            date: web.app.now().date().format("%A %-d %B %Y").to_string(),
            subtitle: String::new(),
            sections: Vec::new(),
            bars: Vec::new(),
            situation: String::new(),
            suggested: Vec::new(),
            changes: Vec::new(),
            error: error.to_string(),
        },
    }
}
