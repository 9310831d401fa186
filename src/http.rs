//! The HTTP endpoint of `myorg run`, for Kubernetes: `GET /healthz` (alive),
//! `GET /readyz` (the store is open, and the Discord gateway connected when the bot
//! runs), `GET /metrics` (Prometheus text) and
//! `POST /trigger/{job}` (what the CronJobs call) with a bearer token compared in
//! constant time: 401 on a missing or wrong token (or none configured), 404 on an
//! unknown job, 500 with the error when the job fails, else the job's JSON result.

use crate::clock::Clock;
use crate::config::{Config, Secret};
use crate::jobs::{self, Job, Recipients};
use crate::metrics::JobLabel;
pub use crate::metrics::Metrics;
use crate::store::Store;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::Value;
use std::sync::{Arc, Mutex, PoisonError};
use subtle::ConstantTimeEq;
use tracing::Instrument;

/// What the handlers, the schedule and the other parts of `myorg run` share.
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    /// Where jobs send their messages.
    pub deliver: jobs::MakeDeliver,
    /// The time jobs run at.
    pub clock: Clock,
    /// Held while a job runs: jobs run one at a time, so two runs (a trigger and the
    /// schedule, or a retried trigger) never both read the ledger before either
    /// records what it sent.
    pub one_job_at_a_time: Mutex<()>,
    /// The Discord gateway, when the bot runs.
    pub gateway: Option<crate::discord::Readiness>,
}

impl AppState {
    /// The state of a headless assistant: fresh metrics, jobs delivering through
    /// `deliver`.
    pub fn new(config: Arc<Config>, store: Arc<Store>, deliver: jobs::MakeDeliver, clock: Clock) -> AppState {
        AppState {
            config,
            store,
            metrics: Arc::new(Metrics::default()),
            deliver,
            clock,
            one_job_at_a_time: Mutex::new(()),
            gateway: None,
        }
    }
}

/// Runs `job` for `recipients` on the blocking pool, after any job already running,
/// and counts it: what `POST /trigger/JOB` and the schedule both call. A job that
/// fails or panics comes back as the error, in words.
pub async fn run_job(state: &Arc<AppState>, job: Job, recipients: Recipients) -> Result<Value, String> {
    let run = uuid::Uuid::new_v4().simple().to_string();
    let span = tracing::info_span!(
        "job",
        job = %job,
        recipients = %recipients,
        run = run.get(..8).unwrap_or(&run),
    );
    let started = std::time::Instant::now();
    let ran = run_job_in(state, job, recipients).instrument(span.clone()).await;
    let _entered = span.enter();
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match &ran {
        Ok(_) => tracing::info!(elapsed_ms, "job done"),
        Err(error) => tracing::warn!(elapsed_ms, %error, "job failed"),
    }
    ran
}

/// [`run_job`] within its span.
async fn run_job_in(state: &Arc<AppState>, job: Job, recipients: Recipients) -> Result<Value, String> {
    let label = JobLabel { job: job.to_string() };
    let worker = Arc::clone(state);
    let running = label.clone();
    let span = tracing::Span::current();
    let ran = tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        tracing::info!("job started");
        let _turn = worker
            .one_job_at_a_time
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let gauge = worker.metrics.jobs_running.get_or_create(&running).clone();
        gauge.inc();
        // Down again however the job ends, panics included.
        let _running = Finally(move || {
            gauge.dec();
        });
        let mut deliver = Counting {
            inner: (worker.deliver)(),
            sent: 0,
        };
        let now = worker.clock.now();
        let result = jobs::run(job, &recipients, &worker.config, &worker.store, now, &mut deliver);
        worker.metrics.messages_sent.inc_by(deliver.sent);
        result
    })
    .await;
    state.metrics.job_runs.get_or_create(&label).inc();
    let failed = match ran {
        Ok(Ok(result)) => return Ok(result),
        Ok(Err(error)) => format!("{error:#}"),
        Err(error) => match error.try_into_panic() {
            Ok(panic) => format!(
                "the job panicked: {}",
                panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default()
            ),
            Err(error) => format!("the job stopped: {error}"),
        },
    };
    state.metrics.job_failures.get_or_create(&label).inc();
    // It is logged and answered to the trigger; a git or Discord error may quote a secret.
    Err(state.config.secrets().redact(&failed).into_owned())
}

/// Runs its closure when dropped.
struct Finally<F: FnMut()>(F);

impl<F: FnMut()> Drop for Finally<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/trigger/{job}", post(trigger))
        .layer(axum::middleware::from_fn(logged))
        .with_state(state)
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
        Some(gateway) if !gateway.connected().await => (
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
    match run_job(&state, job, Recipients::Everyone).await {
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

/// Counts what it delivers.
struct Counting {
    inner: Box<dyn crate::reminders::Deliver + Send>,
    sent: u64,
}

impl crate::reminders::Deliver for Counting {
    fn deliver(&mut self, message: &myorg_domain::reminders::Message) -> anyhow::Result<()> {
        self.inner.deliver(message)?;
        self.sent += 1;
        Ok(())
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
