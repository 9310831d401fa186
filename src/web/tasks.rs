//! `/tasks`: the open tasks most urgent first, filtered as the person types (the
//! filter is in the URL), fifty to a page; a "New task" field taking a todo.txt line
//! with dates in words; Done, Edit in place and Delete (confirmed) on each task;
//! Archive.
//!
//! The filter's words: plain words, `+project`, `@context`, `(A)` or `(A)-(C)`,
//! `owner:NAME` (`owner:me`), `due<WHEN` and `due>WHEN` (or `before:` and
//! `after:`), `is:overdue`, `is:done`.

use super::auth::{Posted, Session, from_htmx};
use super::confirm::ask;
use super::respond::{back_within, changed, html, refused, run};
use super::{Layout, Web};
use crate::app::{self, tasks};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use myorg_domain::fields::Fields;
use myorg_parsers::{Task, TodoFile};
use serde::Deserialize;
use std::sync::Arc;

/// Tasks on one page.
pub const PAGE: usize = 50;

/// What the page is asked: the filter and the page.
#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<usize>,
}

/// One task as shown.
pub struct Row {
    pub reference: String,
    /// The line as written (what an edit starts from).
    pub line: String,
    pub priority: String,
    /// Its words, without the `+`, `@` and `key:value` parts shown beside them.
    pub words: String,
    pub due: String,
    /// The due date as `YYYY-MM-DD`, for the edit form.
    pub due_date: String,
    pub overdue: bool,
    pub projects: Vec<String>,
    pub contexts: Vec<String>,
    pub owner: String,
    pub done: bool,
}

impl Row {
    /// A task of todo.txt as shown, on `today`.
    pub fn new(reference: &str, line: &str, task: &Task, today: chrono::NaiveDate) -> Row {
        let tags: Vec<String> = task.tags().map(|(key, value)| format!("{key}:{value}")).collect();
        let words: Vec<&str> = task
            .description()
            .split_whitespace()
            .filter(|word| {
                !(word.len() > 1 && (word.starts_with('+') || word.starts_with('@')))
                    && !tags.iter().any(|tag| tag == word)
            })
            .collect();
        Row {
            reference: reference.to_string(),
            line: line.to_string(),
            priority: task.priority().map(|p| p.to_string()).unwrap_or_default(),
            words: words.join(" "),
            due: task
                .due()
                .map(|due| due.format("%a %d %b").to_string())
                .unwrap_or_default(),
            due_date: task.due().map(|due| due.to_string()).unwrap_or_default(),
            overdue: !task.is_done() && task.due().is_some_and(|due| due < today),
            projects: task.projects().map(str::to_string).collect(),
            contexts: task.contexts().map(str::to_string).collect(),
            owner: task.owner().unwrap_or_default().to_string(),
            done: task.is_done(),
        }
    }

    /// Its words with its projects and contexts, without dates and `key:value`s:
    /// a line as a person reads it.
    pub fn readable(line: &str, today: chrono::NaiveDate) -> String {
        let file = TodoFile::parse(line.as_bytes().to_vec());
        let Some(task) = file.get(0).and_then(|item| item.task()) else {
            return line.to_string();
        };
        let row = Row::new("", line, task, today);
        let tags = row
            .projects
            .iter()
            .map(|p| format!("+{p}"))
            .chain(row.contexts.iter().map(|c| format!("@{c}")));
        std::iter::once(row.label().to_string())
            .chain(tags)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// What a screen reader names it by: its words.
    pub fn label(&self) -> &str {
        if self.words.is_empty() {
            &self.line
        } else {
            &self.words
        }
    }
}

#[derive(Template)]
#[template(path = "web/tasks.html")]
struct Page {
    layout: Layout,
    list: List,
}

#[derive(Template)]
#[template(path = "web/tasks.html", block = "list")]
struct ListPart {
    layout: Layout,
    list: List,
}

/// The list and its paging.
pub struct List {
    q: String,
    rows: Vec<Row>,
    total: usize,
    page: usize,
    pages: usize,
    error: String,
}

impl List {
    /// The link to page `page` of the same filter.
    fn link(&self, page: usize) -> String {
        format!("/tasks?q={}&page={page}", super::auth::urlencode(&self.q))
    }

    /// The link to this page.
    pub fn here(&self) -> String {
        self.link(self.page)
    }

    /// The link to the page before.
    pub fn previous(&self) -> String {
        self.link(self.page.saturating_sub(1).max(1))
    }

    /// The link to the page after.
    pub fn next(&self) -> String {
        self.link((self.page + 1).min(self.pages))
    }

    /// The first task shown, counted from 1.
    pub fn first(&self) -> usize {
        if self.total == 0 {
            0
        } else {
            (self.page - 1) * PAGE + 1
        }
    }

    /// The last task shown.
    pub fn last(&self) -> usize {
        (self.page * PAGE).min(self.total)
    }
}

/// The search the filter's words ask for.
pub fn query(q: &str) -> tasks::Query {
    let mut query = tasks::Query::default();
    for word in q.split_whitespace() {
        let lower = word.to_lowercase();
        if lower == "is:overdue" {
            query.overdue = true;
        } else if lower == "is:done" {
            query.done = true;
        } else if let Some(when) = lower
            .strip_prefix("due<")
            .or_else(|| lower.strip_prefix("before:"))
        {
            query.due_before = Some(when.trim_start_matches('=').to_string());
        } else if let Some(when) = lower
            .strip_prefix("due>")
            .or_else(|| lower.strip_prefix("after:"))
        {
            query.due_after = Some(when.trim_start_matches('=').to_string());
        } else if let Some(owner) = lower.strip_prefix("owner:") {
            query.owner = Some(tasks::Owner::from_given(owner));
        } else {
            query.words.push(word.to_string());
        }
    }
    query
}

/// `GET /tasks`: the page, or with htmx only its list.
pub async fn page(
    State(web): State<Arc<Web>>,
    session: Session,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let list = list(&web, &session, asked).await;
    let layout = Layout::new("Tasks", "/tasks", &session);
    if from_htmx(&headers) {
        return html(&ListPart { layout, list });
    }
    html(&Page { layout, list })
}

async fn list(web: &Arc<Web>, session: &Session, asked: Asked) -> List {
    let q = asked.q.trim().to_string();
    let wanted = query(&q);
    let page = asked.page.unwrap_or(1).max(1);
    let found = run(web, session, move |ctx| {
        let today = ctx.now.date();
        let look = ctx.look();
        let (hits, total) = tasks::search_some(&look, &wanted, (page - 1) * PAGE, PAGE)?;
        // A page past the end shows the last one.
        let pages = total.div_ceil(PAGE).max(1);
        if page > pages {
            let (hits, total) = tasks::search_some(&look, &wanted, (pages - 1) * PAGE, PAGE)?;
            return Ok((hits, total, pages, today));
        }
        Ok((hits, total, page, today))
    })
    .await;
    let (hits, total, page, today, error) = match found {
        Ok((hits, total, page, today)) => (hits, total, page, today, String::new()),
        Err(error) => (Vec::new(), 0, 1, web.app.now().date(), error.to_string()),
    };
    let pages = total.div_ceil(PAGE).max(1);
    let rows = hits
        .iter()
        .map(|hit| Row::new(&hit.reference, &hit.line, &hit.task, today))
        .collect();
    List {
        q,
        rows,
        total,
        page,
        pages,
        error,
    }
}

/// The "New task" form.
#[derive(Debug, Deserialize)]
pub struct New {
    #[serde(default)]
    text: String,
}

/// `POST /tasks`: the line as typed, dates in words included.
pub async fn add(State(web): State<Arc<Web>>, headers: HeaderMap, posted: Posted<New>) -> Response {
    let Posted { session, form } = posted;
    let text = form.text.trim().to_string();
    if text.is_empty() {
        let error = app::Error::Invalid("a task needs some words".to_string());
        return refused(&headers, &session, &error, "/tasks");
    }
    let new = tasks::NewTask {
        text,
        fields: Fields::default(),
    };
    match run(&web, &session, move |ctx| tasks::add(ctx, &new)).await {
        Ok(written) => changed(&headers, &written.said("Added"), "/tasks"),
        Err(error) => refused(&headers, &session, &error, "/tasks"),
    }
}

/// A form on one task: where to go back to without JavaScript.
#[derive(Debug, Deserialize)]
pub struct OnTask {
    #[serde(default)]
    back: String,
}

/// `POST /tasks/{reference}/done`.
pub async fn done(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Path(reference): Path<String>,
    posted: Posted<OnTask>,
) -> Response {
    let Posted { session, form } = posted;
    let back = back_within(&form.back, "/tasks", &["/"]);
    match run(&web, &session, move |ctx| tasks::complete(ctx, &reference, None)).await {
        Ok(completed) => changed(&headers, &completed.said(), &back),
        Err(error) => refused(&headers, &session, &error, &back),
    }
}

/// `POST /tasks/{reference}/delete`: asks first.
pub async fn delete(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Path(reference): Path<String>,
    posted: Posted<OnTask>,
) -> Response {
    let Posted { session, form } = posted;
    let back = back_within(&form.back, "/tasks", &["/"]);
    match run(&web, &session, move |ctx| tasks::delete(ctx, &reference)).await {
        Ok(pending) => ask(&web, &session, &headers, pending, "Delete this task?", &back),
        Err(error) => refused(&headers, &session, &error, &back),
    }
}

/// `POST /tasks/archive`: done tasks to done.txt.
pub async fn archive(State(web): State<Arc<Web>>, headers: HeaderMap, posted: Posted<OnTask>) -> Response {
    let Posted { session, .. } = posted;
    match run(&web, &session, tasks::archive).await {
        Ok((summary, _)) => changed(&headers, &summary, "/tasks"),
        Err(error) => refused(&headers, &session, &error, "/tasks"),
    }
}

#[derive(Template)]
#[template(path = "web/task_edit.html", block = "row")]
struct EditRow {
    layout: Layout,
    row: Row,
    back: String,
}

#[derive(Template)]
#[template(path = "web/task_edit.html")]
struct EditPage {
    layout: Layout,
    row: Row,
    back: String,
}

/// `GET /tasks/{reference}/edit`: the task as a form, in place of its row.
pub async fn edit_form(
    State(web): State<Arc<Web>>,
    session: Session,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Response {
    let found = run(&web, &session, move |ctx| {
        let todo = tasks::todo(ctx.store)?;
        let (index, line) = tasks::named(&todo, &reference, myorg_domain::reference::Scope::All)?;
        let task = todo
            .get(index)
            .and_then(|item| item.task())
            .cloned()
            .ok_or_else(|| app::Error::Invalid("that line is not a task".to_string()))?;
        let shown = myorg_domain::reference::References::of(&todo).shown(&task);
        Ok(Row::new(&shown, &line, &task, ctx.now.date()))
    })
    .await;
    let layout = Layout::new("Edit a task", "/tasks", &session);
    let back = "/tasks".to_string();
    match found {
        Ok(row) if from_htmx(&headers) => html(&EditRow { layout, row, back }),
        Ok(row) => html(&EditPage { layout, row, back }),
        Err(error) => refused(&headers, &session, &error, "/tasks"),
    }
}

/// The edit form: the line as the page showed it, and the new values.
#[derive(Debug, Deserialize)]
pub struct Edited {
    /// The line as it was when the form was drawn.
    seen: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    project: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    back: String,
}

/// `POST /tasks/{reference}/edit`: the task as it was seen, changed; if someone
/// changed it since, nothing changes and the page says so.
pub async fn edit(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Path(_reference): Path<String>,
    posted: Posted<Edited>,
) -> Response {
    let Posted { session, form } = posted;
    let back = back_within(&form.back, "/tasks", &["/"]);
    let seen_task = TodoFile::parse(form.seen.clone().into_bytes())
        .get(0)
        .and_then(|item| item.task())
        .cloned();
    // What the form shows of the task as it was seen: a field left as shown is left
    // alone; a field the task had and the form left empty is cleared.
    let shown = seen_task
        .as_ref()
        .map(|task| Row::new("", &form.seen, task, web.app.now().date()));
    let shown = |field: fn(&Row) -> String| shown.as_ref().map(field).unwrap_or_default();
    let field = |value: &str, was: String| {
        let value = value.trim();
        match (value.is_empty(), was.is_empty()) {
            _ if value == was => None,
            (true, false) => Some("none".to_string()),
            (true, true) => None,
            (false, _) => Some(value.to_string()),
        }
    };
    let fields = Fields {
        due: field(&form.due, shown(|row| row.due_date.clone())),
        threshold: None,
        priority: field(&form.priority, shown(|row| row.priority.clone())),
        project: field(
            &form.project,
            shown(|row| row.projects.first().cloned().unwrap_or_default()),
        )
        .filter(|project| project != "none"),
        context: field(
            &form.context,
            shown(|row| row.contexts.first().cloned().unwrap_or_default()),
        )
        .filter(|context| context != "none"),
        owner: field(&form.owner, shown(|row| row.owner.clone())),
    };
    let text = field(&form.text, shown(|row| row.words.clone())).filter(|text| text != "none");
    let seen = form.seen.clone();
    let result = run(&web, &session, move |ctx| {
        let seen_file = TodoFile::parse(seen.clone().into_bytes());
        let Some(task) = seen_file.get(0).and_then(|item| item.task()) else {
            return Err(app::Error::Invalid("that line is not a task".to_string()));
        };
        let built =
            myorg_domain::fields::edit(&ctx.people()?, ctx.now.date(), task, text.as_deref(), &fields)?;
        tasks::rewrite(ctx, seen, built.task, built.notes)
    })
    .await;
    match result {
        Ok(written) => changed(&headers, &written.said("Edited"), &back),
        Err(error) => refused(&headers, &session, &error, &back),
    }
}
