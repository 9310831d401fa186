//! The HTTP endpoint of `myorg run`, for Kubernetes: `GET /healthz` (alive),
//! `GET /readyz` (the store is open, and the Discord gateway connected when the bot
//! runs), `GET /metrics` (Prometheus text) and
//! `POST /trigger/{job}` (what the CronJobs call) with a bearer token compared in
//! constant time: 401 on a missing or wrong token (or none configured), 404 on an
//! unknown job, 500 with the error when the job fails, else the job's JSON result.
//! `POST /webhooks/github` takes GitHub's pull request events ([`crate::app::github`]):
//! the signature is checked on the raw body before anything reads it (401 when it is
//! bad or missing, or no secret is set), a body past 1 MiB is 413, a payload that is
//! not a pull request event 400, an event not followed 202, a delivery seen before
//! 200 with nothing done.
//! Routes of other front ends (`/mcp`) are mounted beside these, in the same log.

use crate::config::{Config, Secret};
use crate::jobs::{Job, Recipients, Runner};
use crate::metrics::Metrics;
use crate::store::Store;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use tracing::Instrument;

/// Whether the Discord gateway is connected, asked anew at each `/readyz`.
pub type Gateway = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = bool> + Send>> + Send + Sync>;

/// What the handlers share.
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    /// What `POST /trigger/JOB` runs jobs through, as the schedule does.
    pub jobs: Arc<Runner>,
    /// The Discord gateway, when the bot runs.
    pub gateway: Option<Gateway>,
    /// More routes served beside these (the MCP endpoint), with their own state.
    pub mounted: Router,
}

impl AppState {
    /// The state of the endpoint over `jobs` (and the configuration, store and
    /// metrics it holds), without a gateway.
    pub fn new(jobs: Arc<Runner>) -> AppState {
        AppState {
            config: Arc::clone(&jobs.config),
            store: Arc::clone(&jobs.store),
            metrics: Arc::clone(&jobs.metrics),
            jobs,
            gateway: None,
            mounted: Router::new(),
        }
    }
}

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    let mounted = state.mounted.clone();
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/trigger/{job}", post(trigger))
        .route(
            "/webhooks/github",
            post(github).layer(axum::extract::DefaultBodyLimit::max(GITHUB_BODY_LIMIT)),
        )
        .with_state(state)
        .merge(mounted)
        .layer(axum::middleware::from_fn(logged))
}

/// Each request in a span with its method and path (never its query or headers: a
/// token must not reach the log), then its status and latency, logged when
/// answered: at `debug` for a probe or a scrape that succeeded (Kubernetes and
/// Prometheus call them every few seconds), `warn` for a server error, else `info`.
async fn logged(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        path = request.uri().path(),
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let routine = matches!(request.uri().path(), "/healthz" | "/readyz" | "/metrics");
    let started = std::time::Instant::now();
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    span.record("status", status.as_u16());
    span.record("latency_ms", started.elapsed().as_millis() as u64);
    let _entered = span.enter();
    if status.is_server_error() {
        tracing::warn!("answered");
    } else if routine && status.is_success() {
        tracing::debug!("answered");
    } else {
        tracing::info!("answered");
    }
    response
}

async fn ready(State(state): State<Arc<AppState>>) -> (StatusCode, &'static str) {
    // The store was opened at start; ready while its repository can be read. Never
    // through the repository's mutex: a job may hold it while it waits for another
    // process's writer lock, and a busy store is still a ready one.
    let store = Arc::clone(&state.store);
    let readable = tokio::task::spawn_blocking(move || std::fs::read_dir(store.root().join(".git")).is_ok());
    if !matches!(readable.await, Ok(true)) {
        return (StatusCode::SERVICE_UNAVAILABLE, "the store cannot be read\n");
    }
    match &state.gateway {
        Some(connected) if !connected().await => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the Discord gateway is not connected\n",
        ),
        _ => (StatusCode::OK, "ready\n"),
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    // Never waits for the repository: a job may hold it while it waits for another
    // process's writer lock, and a scrape must still answer (with the last count).
    let store = Arc::clone(&state.store);
    if let Ok(Some(unpushed)) = tokio::task::spawn_blocking(move || store.unpushed_commits()).await {
        state.metrics.unpushed_commits.set(unpushed as i64);
    }
    if let Some(elapsed) = state.store.last_sync().and_then(|at| at.elapsed().ok()) {
        state.metrics.seconds_since_sync.set(elapsed.as_secs_f64());
    }
    match state.metrics.encode() {
        Ok(text) => Response::builder()
            .header(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )
            .body(Body::from(text))
            .unwrap_or_default(),
        Err(_) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the metrics could not be written\n",
        ),
    }
}

/// Whether `headers` carry `Authorization: Bearer TOKEN` with the configured token.
pub fn authorized(headers: &HeaderMap, token: Option<&Secret>) -> bool {
    let Some(token) = token.filter(|t| !t.0.is_empty()) else {
        return false;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or("");
    given.as_bytes().ct_eq(token.0.as_bytes()).into()
}

async fn trigger(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&headers, state.config.http.trigger_token.as_ref()) {
        return plain(StatusCode::UNAUTHORIZED, "a valid bearer token is needed\n");
    }
    let Some(job) = Job::named(&name) else {
        let known: Vec<&str> = Job::ALL.iter().map(|job| job.name()).collect();
        return plain(
            StatusCode::NOT_FOUND,
            &format!("no job is called {name:?}; the jobs: {}\n", known.join(", ")),
        );
    };
    match state.jobs.run(job, Recipients::Everyone).await {
        Ok(result) => json(
            StatusCode::OK,
            &serde_json::json!({"job": job.name(), "result": result}),
        ),
        Err(error) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &serde_json::json!({"job": job.name(), "error": error}),
        ),
    }
}

/// The largest webhook body read.
const GITHUB_BODY_LIMIT: usize = 1024 * 1024;

async fn github(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let header_of = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let Some(secret) = &state.config.github.webhook_secret else {
        return plain(
            StatusCode::UNAUTHORIZED,
            "no webhook secret is set (GITHUB_WEBHOOK_SECRET)\n",
        );
    };
    if !crate::app::github::signed(secret.0.as_bytes(), &body, header_of("x-hub-signature-256")) {
        return plain(
            StatusCode::UNAUTHORIZED,
            "the signature (X-Hub-Signature-256) is missing or wrong\n",
        );
    }
    let event = header_of("x-github-event").unwrap_or_default().to_string();
    let delivery = header_of("x-github-delivery").unwrap_or_default().to_string();
    let (config, store) = (Arc::clone(&state.config), Arc::clone(&state.store));
    let now = state.jobs.clock.now();
    let handled = tokio::task::spawn_blocking(move || {
        let zone = config.store_timezone()?;
        let ctx = crate::app::Ctx {
            config: &config,
            store: &store,
            actor: crate::store::Actor {
                name: "github".to_string(),
                email: "github@webhook.invalid".to_string(),
                via: "webhook".to_string(),
            },
            handle: "github".to_string(),
            now: now.with_timezone(&zone).naive_local(),
        };
        crate::app::github::deliver(&ctx, &event, &delivery, &body)
    })
    .await;
    use crate::app::github::Handled;
    match handled {
        Ok(Ok(Handled::Done(changes))) => {
            tracing::info!(changes = changes.len(), "github: a delivery handled");
            json(
                StatusCode::OK,
                &serde_json::json!({"status": "done", "changes": changes}),
            )
        }
        Ok(Ok(Handled::Again)) => json(StatusCode::OK, &serde_json::json!({"status": "already handled"})),
        Ok(Ok(Handled::Ignored(why))) => json(
            StatusCode::ACCEPTED,
            &serde_json::json!({"status": "ignored", "why": why}),
        ),
        Ok(Err(crate::app::Error::Invalid(why))) => plain(StatusCode::BAD_REQUEST, &format!("{why}\n")),
        Ok(Err(error)) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &serde_json::json!({"error": error.to_string()}),
        ),
        Err(error) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &serde_json::json!({"error": error.to_string()}),
        ),
    }
}

fn plain(status: StatusCode, text: &str) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(text.to_string()))
        .unwrap_or_default()
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!("{value}\n")))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_configured_bearer_token_passes() {
        let token = Secret("s3cret".into());
        let mut headers = HeaderMap::new();
        assert!(!authorized(&headers, Some(&token)));
        headers.insert(header::AUTHORIZATION, "Bearer s3cret".parse().unwrap());
        assert!(authorized(&headers, Some(&token)));
        assert!(!authorized(&headers, None), "no token configured: nobody");
        assert!(!authorized(&headers, Some(&Secret(String::new()))));
        headers.insert(header::AUTHORIZATION, "Bearer s3cre".parse().unwrap());
        assert!(!authorized(&headers, Some(&token)));
        headers.insert(header::AUTHORIZATION, "s3cret".parse().unwrap());
        assert!(!authorized(&headers, Some(&token)));
    }
}
