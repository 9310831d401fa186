//! The HTTP endpoint of `myorg run`, for Kubernetes: `GET /healthz` (alive),
//! `GET /readyz` (the store is open, and the Discord gateway connected when the bot
//! runs), `GET /metrics` (Prometheus text) and
//! `POST /trigger/{job}` (what the CronJobs call) with a bearer token compared in
//! constant time: 401 on a missing or wrong token (or none configured), 404 on an
//! unknown job, 500 with the error when the job fails, else the job's JSON result.

use crate::config::{Config, Secret};
use crate::jobs::{self, Job};
use crate::store::Store;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use subtle::ConstantTimeEq;

/// The label of a job's metrics.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobLabel {
    pub job: String,
}

/// What `/metrics` reports.
pub struct Metrics {
    registry: Registry,
    pub job_runs: Family<JobLabel, Counter>,
    pub job_failures: Family<JobLabel, Counter>,
    pub messages_sent: Counter,
    pub unpushed_commits: Gauge,
    pub seconds_since_sync: Gauge<f64, AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("myorg");
        let job_runs = Family::<JobLabel, Counter>::default();
        let job_failures = Family::<JobLabel, Counter>::default();
        let messages_sent = Counter::default();
        let unpushed_commits = Gauge::default();
        let seconds_since_sync = Gauge::<f64, AtomicU64>::default();
        registry.register("job_runs", "Jobs run", job_runs.clone());
        registry.register("job_failures", "Jobs that failed", job_failures.clone());
        registry.register(
            "messages_sent",
            "Reminders and briefings delivered",
            messages_sent.clone(),
        );
        registry.register(
            "unpushed_commits",
            "Commits not on the remote yet",
            unpushed_commits.clone(),
        );
        registry.register(
            "seconds_since_last_sync",
            "Seconds since the last pull from the remote",
            seconds_since_sync.clone(),
        );
        Metrics {
            registry,
            job_runs,
            job_failures,
            messages_sent,
            unpushed_commits,
            seconds_since_sync,
        }
    }
}

/// What the handlers share.
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Arc<Store>,
    pub metrics: Metrics,
    /// Where jobs send their messages.
    pub deliver: jobs::MakeDeliver,
    /// The Discord gateway, when the bot runs.
    pub gateway: Option<crate::discord::Readiness>,
}

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/trigger/{job}", post(trigger))
        .with_state(state)
}

async fn ready(State(state): State<Arc<AppState>>) -> (StatusCode, &'static str) {
    let store = Arc::clone(&state.store);
    match tokio::task::spawn_blocking(move || store.status()).await {
        Ok(Ok(_)) => {}
        _ => return (StatusCode::SERVICE_UNAVAILABLE, "the store cannot be read\n"),
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
    let store = Arc::clone(&state.store);
    if let Ok(Ok(status)) = tokio::task::spawn_blocking(move || store.status()).await {
        state.metrics.unpushed_commits.set(status.unpushed as i64);
    }
    if let Some(elapsed) = state.store.last_sync().and_then(|at| at.elapsed().ok()) {
        state.metrics.seconds_since_sync.set(elapsed.as_secs_f64());
    }
    let mut text = String::new();
    match prometheus_client::encoding::text::encode(&mut text, &state.metrics.registry) {
        Ok(()) => Response::builder()
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
    let label = JobLabel { job: job.to_string() };
    state.metrics.job_runs.get_or_create(&label).inc();
    let worker = Arc::clone(&state);
    let ran = tokio::task::spawn_blocking(move || {
        let mut deliver = Counting {
            inner: (worker.deliver)(),
            sent: 0,
        };
        let result = jobs::run(
            job,
            &worker.config,
            &worker.store,
            chrono::Utc::now(),
            &mut deliver,
        );
        worker.metrics.messages_sent.inc_by(deliver.sent);
        result
    })
    .await;
    match ran {
        Ok(Ok(result)) => json(
            StatusCode::OK,
            &serde_json::json!({"job": job.name(), "result": result}),
        ),
        Ok(Err(error)) => {
            state.metrics.job_failures.get_or_create(&label).inc();
            json(
                StatusCode::INTERNAL_SERVER_ERROR,
                &serde_json::json!({"job": job.name(), "error": format!("{error:#}")}),
            )
        }
        Err(error) => {
            state.metrics.job_failures.get_or_create(&label).inc();
            json(
                StatusCode::INTERNAL_SERVER_ERROR,
                &serde_json::json!({"job": job.name(), "error": format!("the job stopped: {error}")}),
            )
        }
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
