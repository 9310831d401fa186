//! `GET /version`: a short fingerprint of the store as it is now (the size and time
//! of each file at its top and of the repository's log of commits). Open pages ask
//! every few seconds; when it changes (a change from another front end, a pull, a
//! hand edit), they refresh their lists. A few stats, no reading.

use super::Web;
use super::auth::Session;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

/// `GET /version`: the fingerprint, as text.
pub async fn version(State(web): State<Arc<Web>>, _session: Session) -> impl IntoResponse {
    let root = web.app.store.root().to_path_buf();
    let fingerprint = tokio::task::spawn_blocking(move || fingerprint(&root))
        .await
        .unwrap_or_default();
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{fingerprint:016x}"),
    )
}

/// The fingerprint of the store at `root`.
pub fn fingerprint(root: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    let mut seen = |path: &Path| {
        if let Ok(metadata) = std::fs::metadata(path) {
            path.hash(&mut hasher);
            metadata.len().hash(&mut hasher);
            metadata.modified().ok().hash(&mut hasher);
        }
    };
    if let Ok(entries) = std::fs::read_dir(root) {
        let mut paths: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
        paths.sort();
        paths.iter().for_each(|path| seen(path));
    }
    seen(&root.join(".git/logs/HEAD"));
    seen(&root.join(".git/HEAD"));
    hasher.finish()
}
