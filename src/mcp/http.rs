//! `/mcp` on `myorg run`'s HTTP listener: the same [`Server`] over rmcp's streamable
//! HTTP transport (sessions kept in memory, so that a destructive tool can ask the
//! person through elicitation mid-call).
//!
//! Every request needs `Authorization: Bearer TOKEN`, checked before rmcp sees it:
//! [`tokens::holder`] says whom the token speaks for (`MYORG_MCP_TOKEN`: the `[user]`;
//! a person's own: that person), and that [`Caller`] goes with the request, so each
//! request acts as its token's person. No token or a wrong one: 401 and nothing else
//! happens. rmcp's `Host` allowlist (against DNS rebinding of a server without
//! authentication on a person's machine) is off: the endpoint sits behind a
//! Kubernetes Service or a proxy whose host name is not known here, and a rebound
//! page cannot send the bearer token.

use super::{Server, VIA};
use crate::app::{App, Caller, tokens};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The path served.
pub const PATH: &str = "/mcp";

/// The `/mcp` route over `app`; its sessions and open streams end when `stopping` is
/// cancelled.
pub fn router(app: Arc<App>, stopping: CancellationToken) -> Router {
    let server = Server::for_each_request(Arc::clone(&app));
    let config = StreamableHttpServerConfig::default()
        .disable_allowed_hosts()
        .with_cancellation_token(stopping);
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    Router::new()
        .route_service(PATH, service)
        .layer(axum::middleware::from_fn_with_state(app, authorize))
}

/// Lets a request through with the [`Caller`] its bearer token speaks for, or answers
/// 401.
async fn authorize(State(app): State<Arc<App>>, mut request: Request, next: Next) -> Response {
    let token = bearer(request.headers()).to_string();
    let found =
        tokio::task::spawn_blocking(move || tokens::holder(&app.config, app.store.state_dir(), &token, VIA))
            .await;
    match found {
        Ok(Some(caller)) => {
            request.extensions_mut().insert::<Caller>(caller);
            next.run(request).await
        }
        Ok(None) => refused(),
        Err(error) => {
            tracing::error!(%error, "checking an MCP token stopped");
            refused()
        }
    }
}

/// The token of `Authorization: Bearer TOKEN` (empty when there is none).
fn bearer(headers: &HeaderMap) -> &str {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("")
}

fn refused() -> Response {
    let body = serde_json::json!({
        "error": "unauthorized",
        "message": "a valid bearer token is needed: Authorization: Bearer TOKEN",
    });
    Response::builder()
        .status(StatusCode::UNAUTHORIZED)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::WWW_AUTHENTICATE, "Bearer")
        .body(Body::from(format!("{body}\n")))
        .unwrap_or_default()
}
