//! `GET /login` (the form, or a one-time link's token), `POST /login` and
//! `POST /logout`.

use super::auth::{self, Posted, Session, over_https, same_origin};
use super::respond::{html, local};
use super::{Layout, Web};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// What the login page is asked.
#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    next: String,
    #[serde(default)]
    token: String,
}

/// The login form as posted.
#[derive(Debug, Deserialize)]
pub struct Given {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "web/login.html")]
struct Page {
    layout: Layout,
    next: String,
    name: String,
    error: String,
    /// People have passwords of their own: the form asks for a name.
    team: bool,
    /// No password is configured: only the link printed at start logs in.
    link_only: bool,
}

/// `GET /login`: with the one-time token, a session as `[user]`; else the form.
pub async fn page(State(web): State<Arc<Web>>, headers: HeaderMap, Query(asked): Query<Asked>) -> Response {
    if !asked.token.is_empty() {
        if web.auth.spend_one_time(&asked.token) {
            return match web.app.config.me() {
                Ok(me) => logged_in(&web, &headers, &me.handle, &asked.next),
                Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{error:#}")).into_response(),
            };
        }
        return form(
            &web,
            &asked.next,
            "",
            "This login link was used already or is out of date.",
            StatusCode::UNAUTHORIZED,
        );
    }
    form(&web, &asked.next, "", "", StatusCode::OK)
}

fn form(web: &Web, next: &str, name: &str, error: &str, status: StatusCode) -> Response {
    let state = web.app.store.state_dir().to_path_buf();
    let page = Page {
        layout: Layout::anonymous("Log in"),
        next: local(next).to_string(),
        name: name.to_string(),
        error: error.to_string(),
        team: !crate::app::passwords::handles(&state).is_empty(),
        link_only: web.needs_link(),
    };
    (status, html(&page)).into_response()
}

/// `POST /login`: the password checked (slowly after wrong ones), then a session.
pub async fn submit(State(web): State<Arc<Web>>, headers: HeaderMap, Form(given): Form<Given>) -> Response {
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "This form came from another site.").into_response();
    }
    let account = given.name.trim().to_lowercase();
    if let Some(wait) = web.auth.wait_for(&account) {
        let message = format!(
            "Too many wrong passwords: try again in {} seconds.",
            wait.as_secs().max(1)
        );
        return form(
            &web,
            &given.next,
            &given.name,
            &message,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let checking = Arc::clone(&web);
    let (name, password) = (given.name.clone(), given.password.clone());
    let person = tokio::task::spawn_blocking(move || auth::check_password(&checking, &name, &password))
        .await
        .ok()
        .flatten();
    match person {
        Some(person) => {
            web.auth.succeeded(&account);
            tracing::info!(person = %person.handle, "logged in to the dashboard");
            logged_in(&web, &headers, &person.handle, &given.next)
        }
        None => {
            web.auth.failed(&account);
            tracing::info!("a wrong password for the dashboard");
            // Each wrong try costs its sender a moment too.
            tokio::time::sleep(Duration::from_millis(400)).await;
            form(
                &web,
                &given.next,
                &given.name,
                "That password is not right.",
                StatusCode::UNAUTHORIZED,
            )
        }
    }
}

fn logged_in(web: &Web, headers: &HeaderMap, handle: &str, next: &str) -> Response {
    let Some(value) = web.auth.issue(handle) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "No session could be made.").into_response();
    };
    let life = Duration::from_secs(u64::from(web.app.config.web.session_hours.max(1)) * 3600);
    let mut response = Redirect::to(local(next)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::cookie(&value, life, over_https(headers)),
    );
    response
}

/// The logout form (its CSRF token is all it holds).
#[derive(Debug, Deserialize)]
pub struct Nothing {}

/// `POST /logout`: the session revoked and its cookie cleared.
pub async fn logout(State(web): State<Arc<Web>>, headers: HeaderMap, posted: Posted<Nothing>) -> Response {
    let Posted { session, .. } = posted;
    end(&web, &session);
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::cookie("", Duration::ZERO, over_https(&headers)),
    );
    response
}

fn end(web: &Web, session: &Session) {
    web.auth.revoke(session);
    tracing::info!(person = %session.person.handle, "logged out of the dashboard");
}
