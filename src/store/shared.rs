//! The store for async front ends (the bot, the scheduler, the HTTP endpoint): a
//! cheap, cloneable handle whose every call runs on tokio's blocking pool, because git2
//! and the file writes block.

use super::{Actor, Applied, CommitInfo, Operation, PushReport, Status, Store, StoreSettings};
use anyhow::Context;
use std::sync::Arc;
use std::time::Duration;

/// A shared handle to one [`Store`]; clones share the same single writer.
#[derive(Clone)]
pub struct SharedStore {
    pub(super) store: Arc<Store>,
}

impl From<Arc<Store>> for SharedStore {
    /// A handle to a store already open, shared with callers that use it directly.
    fn from(store: Arc<Store>) -> SharedStore {
        SharedStore { store }
    }
}

impl SharedStore {
    /// Opens the store (clone, template, crash recovery) off the async threads.
    pub async fn open(settings: StoreSettings) -> anyhow::Result<SharedStore> {
        let store = blocking(move || Store::open(settings)).await?;
        Ok(SharedStore {
            store: Arc::new(store),
        })
    }

    /// See [`Store::apply`].
    pub async fn apply(&self, operation: Operation, actor: Actor) -> anyhow::Result<Applied> {
        let store = Arc::clone(&self.store);
        blocking(move || store.apply(operation, &actor)).await
    }

    /// See [`Store::undo`].
    pub async fn undo(&self, commit: Option<String>, force: bool, actor: Actor) -> anyhow::Result<Applied> {
        let store = Arc::clone(&self.store);
        blocking(move || store.undo(commit.as_deref(), force, &actor)).await
    }

    /// See [`Store::push_pending`].
    pub async fn push_pending(&self) -> anyhow::Result<PushReport> {
        let store = Arc::clone(&self.store);
        blocking(move || store.push_pending()).await
    }

    /// See [`Store::sync_if_stale`]: the pull before answering.
    pub async fn sync_if_stale(&self, max_age: Duration) -> anyhow::Result<Option<PushReport>> {
        let store = Arc::clone(&self.store);
        blocking(move || store.sync_if_stale(max_age)).await
    }

    /// See [`Store::sync`].
    pub async fn sync(&self) -> anyhow::Result<PushReport> {
        let store = Arc::clone(&self.store);
        blocking(move || store.sync()).await
    }

    /// See [`Store::status`].
    pub async fn status(&self) -> anyhow::Result<Status> {
        let store = Arc::clone(&self.store);
        blocking(move || store.status()).await
    }

    /// See [`Store::unpushed_commits`].
    pub async fn unpushed_commits(&self) -> Option<usize> {
        let store = Arc::clone(&self.store);
        blocking(move || Ok(store.unpushed_commits()))
            .await
            .ok()
            .flatten()
    }

    /// See [`Store::read`].
    pub async fn read(&self, path: String) -> anyhow::Result<Vec<u8>> {
        let store = Arc::clone(&self.store);
        blocking(move || store.read(&path)).await
    }

    /// See [`Store::history`].
    pub async fn history(
        &self,
        paths: Vec<String>,
        text: Option<String>,
        limit: usize,
    ) -> anyhow::Result<Vec<CommitInfo>> {
        let store = Arc::clone(&self.store);
        blocking(move || {
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            store.history(&paths, text.as_deref(), limit)
        })
        .await
    }
}

/// Runs `work` on the blocking pool; a panic inside comes back as an error.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .context("a store task panicked")?
}
