//! `/calendar`: a month as a grid (`?month=2026-11`) or a week as a list
//! (`?week=2026-11-23`), today marked, each day's events from calendar.txt and the
//! open tasks due then, each week's goal; a field adds an event as typed
//! (`tomorrow 14:30-15 dentist`).

use super::auth::{Posted, Session, from_htmx};
use super::respond::{back_within, changed, html, refused, run};
use super::tasks::Row;
use super::{Layout, Web};
use crate::app::{self, calendar};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Deserialize;
use std::sync::Arc;

/// What the page is asked: a month, or a week by one of its days.
#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    month: Option<String>,
    #[serde(default)]
    week: Option<String>,
}

/// One day as drawn.
pub struct Cell {
    pub date: NaiveDate,
    pub label: String,
    pub today: bool,
    /// Outside the month drawn.
    pub outside: bool,
    /// `14:30–15:00 Dentist`, in time order.
    pub events: Vec<String>,
    pub due: Vec<Row>,
}

/// A week: its goal and its days.
pub struct Week {
    pub goal: String,
    pub monday: NaiveDate,
    pub days: Vec<Cell>,
}

/// What the page shows.
pub struct Shown {
    pub title: String,
    /// `month` or `week`.
    pub view: &'static str,
    pub weeks: Vec<Week>,
    /// This view's own address.
    pub here: String,
    pub previous: String,
    pub next: String,
    /// The other view of the same time.
    pub other: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "web/calendar.html")]
struct Page {
    layout: Layout,
    shown: Shown,
}

#[derive(Template)]
#[template(path = "web/calendar.html", block = "days")]
struct Part {
    shown: Shown,
}

/// `GET /calendar`: the month (or week) asked for, this month by default.
pub async fn page(
    State(web): State<Arc<Web>>,
    session: Session,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let today = web.app.now().date();
    let (view, first, days, error) = match span(&asked, today) {
        Ok((view, first, days)) => (view, first, days, String::new()),
        Err(error) => {
            let (view, first, days) = month(today);
            (view, first, days, error)
        }
    };
    let read = run(&web, &session, move |ctx| {
        calendar::days_from(&ctx.look(), first, days)
    })
    .await;
    let (agenda, error) = match read {
        Ok(agenda) => (agenda.days, error),
        Err(failed) => (Vec::new(), failed.to_string()),
    };
    let shown = shown(view, first, agenda, today, error);
    if from_htmx(&headers) {
        return html(&Part { shown });
    }
    html(&Page {
        layout: Layout::new("Calendar", "/calendar", &session),
        shown,
    })
}

/// The view, its first day and its number of days, as asked.
fn span(asked: &Asked, today: NaiveDate) -> Result<(&'static str, NaiveDate, u32), String> {
    if let Some(week) = asked.week.as_deref().filter(|w| !w.is_empty()) {
        let day = NaiveDate::parse_from_str(week, "%Y-%m-%d")
            .map_err(|_| format!("{week:?} is not a day (YYYY-MM-DD); this month is shown"))?;
        let monday = day - Days::new(day.weekday().num_days_from_monday().into());
        return Ok(("week", monday, 7));
    }
    let first = match asked.month.as_deref().filter(|m| !m.is_empty()) {
        Some(month) => NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .map_err(|_| format!("{month:?} is not a month (YYYY-MM); this month is shown"))?,
        None => today.with_day(1).unwrap_or(today),
    };
    Ok(month(first))
}

/// The weeks (Monday to Sunday) that hold the month of `day`.
fn month(day: NaiveDate) -> (&'static str, NaiveDate, u32) {
    let first = day.with_day(1).unwrap_or(day);
    let start = first - Days::new(first.weekday().num_days_from_monday().into());
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first);
    let end = last + Days::new((6 - last.weekday().num_days_from_monday()).into());
    let days = (end - start).num_days() + 1;
    ("month", start, u32::try_from(days).unwrap_or(42))
}

fn shown(
    view: &'static str,
    first: NaiveDate,
    agenda: Vec<calendar::Day>,
    today: NaiveDate,
    error: String,
) -> Shown {
    // The month drawn is the one of the grid's middle day.
    let middle = first + Days::new(14);
    let mut weeks: Vec<Week> = Vec::new();
    for day in agenda {
        let cell = Cell {
            label: if view == "week" {
                day.date.format("%A %-d %B").to_string()
            } else {
                day.date.day().to_string()
            },
            today: day.date == today,
            outside: view == "month" && day.date.month() != middle.month(),
            events: day.events.iter().map(event_text).collect(),
            due: day
                .due
                .iter()
                .map(|due| Row::new(&due.reference, &due.line, &due.task, today))
                .collect(),
            date: day.date,
        };
        match weeks.last_mut() {
            Some(week) if week.days.len() < 7 => week.days.push(cell),
            _ => weeks.push(Week {
                goal: day.week_goal.clone().unwrap_or_default(),
                monday: day.date,
                days: vec![cell],
            }),
        }
    }
    let (title, here, previous, next, other) = if view == "week" {
        let sunday = first + Days::new(6);
        (
            format!("Week of {}", first.format("%-d %B %Y")),
            format!("/calendar?week={first}"),
            format!("/calendar?week={}", first - Days::new(7)),
            format!("/calendar?week={}", first + Days::new(7)),
            format!("/calendar?month={}", sunday.format("%Y-%m")),
        )
    } else {
        let this = middle.with_day(1).unwrap_or(middle);
        let before = this.checked_sub_months(Months::new(1)).unwrap_or(this);
        let after = this.checked_add_months(Months::new(1)).unwrap_or(this);
        let week_of = if today.month() == this.month() && today.year() == this.year() {
            today
        } else {
            this
        };
        (
            this.format("%B %Y").to_string(),
            format!("/calendar?month={}", this.format("%Y-%m")),
            format!("/calendar?month={}", before.format("%Y-%m")),
            format!("/calendar?month={}", after.format("%Y-%m")),
            format!("/calendar?week={week_of}"),
        )
    };
    Shown {
        title,
        view,
        weeks,
        here,
        previous,
        next,
        other,
        error,
    }
}

fn event_text(event: &myorg_domain::calendar::DatedEvent) -> String {
    match (event.start, event.end) {
        (Some(start), Some(end)) => format!("{start}–{end} {}", event.text),
        (Some(start), None) => format!("{start} {}", event.text),
        _ => event.text.clone(),
    }
}

/// The "New event" form.
#[derive(Debug, Deserialize)]
pub struct New {
    #[serde(default)]
    text: String,
    #[serde(default)]
    back: String,
}

/// `POST /calendar`: an event as typed: `WHEN [TIME] TEXT`.
pub async fn add(State(web): State<Arc<Web>>, headers: HeaderMap, posted: Posted<New>) -> Response {
    let Posted { session, form } = posted;
    let back = back_within(&form.back, "/calendar", &[]);
    let words: Vec<String> = form.text.split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        let error = app::Error::Invalid("say when and what, as in: tomorrow 14:30-15 dentist".to_string());
        return refused(&headers, &session, &error, &back);
    }
    let event = calendar::Event::Words(words);
    match run(&web, &session, move |ctx| calendar::add_event(ctx, &event)).await {
        Ok(added) => changed(&headers, &added.said(), &back),
        Err(error) => refused(&headers, &session, &error, &back),
    }
}
