//! The application layer: every use case of the assistant, the same for every front
//! end (the terminal, Discord, the model's tools, the jobs, and the web and MCP to
//! come). A use case takes a typed request and gives a typed result or an [`Error`]
//! a person can read; front ends only turn their input into the request and the
//! result into their output.
//!
//! What a use case decides is pure and lives in the domain crate; here it reads the
//! files, applies [`Operation`](crate::store::Operation)s through the store as the
//! person who asked, and says what happened.
//!
//! - [`Ctx`]: one request: the configuration, the store, who asks, and when.
//! - [`Look`]: what a reading use case needs (any [`Files`]: the store, or the working
//!   tree read without the writer lock).
//! - [`App`]: what a long-running front end shares: the configuration, the store,
//!   the people, the clock and the one store of pending [`confirm::Confirmations`].
//! - Use cases by area: [`tasks`], [`waiting`], [`calendar`], [`projects`], [`plan`]
//!   (the quarter plan), [`goals`] (a quarter's goals, the weekly goal report),
//!   [`kpi`] (figures; [`chart`] draws one as PNG), [`notes`], [`memory`] (working memory), [`review`] (the weekly
//!   review, step by step), [`files`],
//!   [`passwords`], [`github`] (pull requests linked to projects and tasks), [`briefing`], [`suggest`], [`context`], [`history`], [`status`],
//!   [`usage`], [`telos`] (telos.md by its sections), [`settings`] (each person's own, in the store), [`outbox`] (messages to others, queued for the bot);
//!   [`chat`], the small grammar of the conversations that need no model;
//!   [`documents`]: the store's files as a person reads them, in pages; [`tokens`]: who a
//!   bearer token of the MCP endpoint speaks for; [`task_json`]: a task as JSON;
//!   [`json`]: the other results as JSON, one shape per thing.

pub mod briefing;
pub mod calendar;
pub mod chart;
pub mod chat;
pub mod confirm;
pub mod context;
pub mod documents;
mod error;
pub mod files;
pub mod github;
pub mod goals;
pub mod history;
pub mod json;
pub mod kpi;
pub mod loaded;
pub mod memory;
pub mod notes;
pub mod outbox;
pub mod passwords;
pub mod plan;
pub mod projects;
pub mod review;
#[cfg(test)]
pub(crate) mod sample;
pub mod settings;
pub mod status;
pub mod suggest;
pub mod task_json;
pub mod tasks;
pub mod telos;
pub mod tokens;
pub mod usage;
pub mod waiting;

pub use error::{Error, Result};

use crate::clock::Clock;
use crate::config::Config;
use crate::store::{Actor, Store};
use chrono::NaiveDateTime;
use confirm::{Confirmations, Pending};
use myorg_domain::people::People;
use std::path::PathBuf;
use std::sync::Arc;

/// Who is asking, and where.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Their `owner:` handle: "my tasks", a note's author, who may confirm.
    pub handle: String,
    /// The commit author and how they reach us (`cli`, `discord`…).
    pub actor: Actor,
    /// The conversation: a Discord channel id, `terminal`…
    pub channel: String,
}

/// Where a reading use case reads the store's files from.
pub trait Files {
    /// The file at `path` in the store (empty when missing).
    fn read(&self, path: &str) -> anyhow::Result<Vec<u8>>;

    /// The store's state directory, when these files know it (`None`: the
    /// configuration's, [`Config::state_dir`]).
    fn state_dir(&self) -> Option<PathBuf> {
        None
    }

    /// Where the file at `path` is on disk, when these files are a folder's: a large
    /// file is then read piece by piece. `None`: read it with [`Files::read`].
    fn on_disk(&self, _path: &str) -> Option<PathBuf> {
        None
    }
}

impl Files for Store {
    fn read(&self, path: &str) -> anyhow::Result<Vec<u8>> {
        Store::read(self, path)
    }

    fn state_dir(&self) -> Option<PathBuf> {
        Some(Store::state_dir(self).to_path_buf())
    }

    fn on_disk(&self, path: &str) -> Option<PathBuf> {
        Some(self.root().join(path))
    }
}

/// A store's working tree read as it is, without the writer lock: what a command that
/// only looks reads, since a read changes nothing and need not wait for a writer.
pub struct WorkingTree(pub PathBuf);

impl Files for WorkingTree {
    fn read(&self, path: &str) -> anyhow::Result<Vec<u8>> {
        use anyhow::Context;
        let file = self.0.join(path);
        match std::fs::read(&file) {
            Ok(bytes) => Ok(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(error) => Err(error).with_context(|| format!("reading {}", file.display())),
        }
    }

    fn on_disk(&self, path: &str) -> Option<PathBuf> {
        Some(self.0.join(path))
    }
}

/// What a reading use case needs: the configuration, the files, who asks, and now.
pub struct Look<'a> {
    pub config: &'a Config,
    pub files: &'a dyn Files,
    /// The asker's handle ("me").
    pub handle: &'a str,
    /// The current time in the store's timezone.
    pub now: NaiveDateTime,
}

impl Look<'_> {
    /// The configured people.
    pub fn people(&self) -> Result<People> {
        Ok(self.config.people()?)
    }
}

/// One request: who asks and when, over the configuration and the store.
pub struct Ctx<'a> {
    pub config: &'a Config,
    pub store: &'a Store,
    /// Who asked, with `via` (`chat`, `discord`…); commits are authored by them.
    pub actor: Actor,
    /// The person's `owner:` handle: "my tasks", notes' author, who may confirm.
    pub handle: String,
    /// The current time in the store's timezone.
    pub now: NaiveDateTime,
}

impl Ctx<'_> {
    /// The same request, only reading.
    pub fn look(&self) -> Look<'_> {
        Look {
            config: self.config,
            files: self.store,
            handle: &self.handle,
            now: self.now,
        }
    }

    /// The configured people.
    pub fn people(&self) -> Result<People> {
        Ok(self.config.people()?)
    }
}

/// What a long-running front end (Discord, the agent, the web, MCP) shares.
pub struct App {
    pub config: Arc<Config>,
    pub store: Arc<Store>,
    pub people: People,
    /// The store's timezone: every `now` is read in it.
    pub zone: chrono_tz::Tz,
    pub clock: Clock,
    /// Changes waiting for the person who asked to confirm them: one store for every
    /// front end.
    pub confirmations: Confirmations<Pending>,
}

impl App {
    /// The application over `config` and `store`, at the time of `clock`.
    pub fn new(config: Arc<Config>, store: Arc<Store>, clock: Clock) -> anyhow::Result<App> {
        Ok(App {
            people: config.people()?,
            zone: config.store_timezone()?,
            config,
            store,
            clock,
            confirmations: Confirmations::default(),
        })
    }

    /// The current time, store-local.
    pub fn now(&self) -> NaiveDateTime {
        crate::clock::local_at(self.clock.now(), self.zone)
    }

    /// Runs `work` as `caller` at `now` on the blocking pool (use cases block on git
    /// and files), with the configuration the store's settings make of it now.
    pub fn run<T: Send + 'static>(
        self: &Arc<Self>,
        caller: &Caller,
        now: NaiveDateTime,
        work: impl FnOnce(&Ctx) -> T + Send + 'static,
    ) -> tokio::task::JoinHandle<T> {
        let app = Arc::clone(self);
        let caller = caller.clone();
        // The caller's span (an interaction, an agent's turn) goes along.
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            // The people's own settings as they are now, so a change holds at once.
            let config = settings::settled_or_warn(&app.config, &*app.store);
            let ctx = Ctx {
                config: &config,
                store: &app.store,
                actor: caller.actor,
                handle: caller.handle,
                now,
            };
            work(&ctx)
        })
    }
}
