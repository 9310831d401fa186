//! The git-backed store: every change one commit, nothing ever lost.
//!
//! One writer at a time (a mutex in the process, a lock file across processes)
//! applies [`Operation`]s to the latest files, writes them atomically, commits each as
//! its own commit authored by the person who asked, and pushes. When the remote moved,
//! it fetches, moves to the remote head and re-applies the pending operations there
//! (not a text merge), so both sides' edits survive; it never force-pushes. Pending
//! operations are journaled outside the git history, so a crash or an unreachable
//! remote loses nothing.
//!
//! Async front ends use [`SharedStore`], which runs every call on the blocking pool.
//!
//! - `git`: every git2 call. `journal`: pending operations. `lock`: the
//!   cross-process lock. `files`: atomic writes. `template`: the bundled store.

mod background;
mod create;
mod files;
mod git;
mod journal;
mod lock;
mod loose;
pub mod operation;
pub mod paths;
mod shared;
mod template;
mod unapplied;
mod watch;
mod watching;

pub use background::{BackgroundSync, SyncPolicy};
pub use create::{NewStore, Origin, STORE_FILES, Start};
pub use git::CommitInfo;
pub use git::{Identity, RemoteSettings, load_tls_roots, start_without_tls_roots};
pub use journal::Actor;
pub use lock::exclusive as exclusive_lock;
pub use operation::{FileChanges, Operation, OperationError, Snapshot};
pub use shared::SharedStore;
pub use unapplied::Unapplied;
pub use watching::Watching;

use anyhow::Context;
use git::{Git, PushOutcome, Replayed};
use journal::{Journal, Pending};
use lock::WriterLock;
use myorg_parsers::TodoFile;
use operation::TODO;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};
use unapplied::UnappliedList;

/// How to open a store.
#[derive(Debug, Clone)]
pub struct StoreSettings {
    /// The working tree: an existing clone, or where to create one.
    pub root: PathBuf,
    pub branch: String,
    /// `None`: a local repository only (made from the bundled template if missing).
    pub remote: Option<RemoteSettings>,
    /// Journal, lock and last push error; default `ROOT/.git/myorg`.
    pub state_dir: Option<PathBuf>,
    /// The committer of every commit (the author is the person who asked).
    pub assistant: Identity,
    /// How long to wait for another process that is writing.
    pub lock_timeout: Duration,
    /// Whose files these are: the author of the commit that adopts a folder of them.
    pub owner: Identity,
    /// What a missing or empty folder becomes.
    pub new_store: NewStore,
    /// What opening may do with the path (`myorg init` makes or adopts).
    pub start: Start,
    /// The store's timezone, for the time of the log entries the store writes itself.
    pub timezone: chrono_tz::Tz,
}

impl StoreSettings {
    /// Settings for a local store at `root` with the usual defaults.
    pub fn local(root: impl Into<PathBuf>) -> StoreSettings {
        StoreSettings {
            root: root.into(),
            branch: "main".to_string(),
            remote: None,
            state_dir: None,
            assistant: Identity {
                name: "MyOrg Assistant".to_string(),
                email: "assistant@myorg.invalid".to_string(),
            },
            lock_timeout: Duration::from_secs(30),
            owner: Identity {
                name: "me".to_string(),
                email: "me@localhost".to_string(),
            },
            new_store: NewStore::default(),
            start: Start::default(),
            timezone: chrono_tz::UTC,
        }
    }
}

impl StoreSettings {
    /// These settings with a remote that needs no credentials (a local path, `file://`,
    /// or ssh through an agent).
    pub fn with_remote(mut self, url: impl Into<String>) -> StoreSettings {
        self.remote = Some(RemoteSettings {
            url: url.into(),
            username: None,
            token: None,
            ssh_key: None,
        });
        self
    }
}

/// What happened to one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The commit subject.
    pub summary: String,
    pub commit: String,
    pub push: PushReport,
}

/// What the last push attempt did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PushReport {
    /// No remote is configured.
    pub local_only: bool,
    /// Everything committed is on the remote.
    pub pushed: bool,
    /// Why the push did not happen (the remote is unreachable…); the commits wait.
    pub error: Option<String>,
    /// Commits were made but not pushed yet: a background sync pushes them shortly
    /// (a batching window).
    pub deferred: bool,
    /// Pending operations that no longer applied on the remote's version.
    pub dropped: Vec<Dropped>,
    /// Files saved beside their conflicting version while replaying edits.
    pub saved_beside: Vec<String>,
    /// Operations applied to their task as another person reworded it meanwhile,
    /// one line each saying so.
    pub retargeted: Vec<String>,
    /// Changes not applied earlier (at an open, by another process) that nobody was
    /// told of yet.
    pub earlier: Vec<Unapplied>,
}

impl PushReport {
    /// Something did not go as asked: a change not applied, edits saved beside a
    /// file, now or earlier.
    pub fn went_wrong(&self) -> bool {
        !self.dropped.is_empty()
            || !self.saved_beside.is_empty()
            || self.earlier.iter().any(|earlier| !earlier.reworded)
    }
}

/// An operation that no longer applied when replayed on the remote's version: to be
/// told to whoever asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The commit subject ("Add task: …").
    pub summary: String,
    /// Why it no longer applies.
    pub why: String,
    pub requested_by: Actor,
}

/// The state of the store, for `myorg status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub root: PathBuf,
    pub branch: String,
    pub remote: Option<String>,
    pub head: Option<String>,
    /// Commits not yet on the remote.
    pub unpushed: usize,
    /// Operations journaled and not yet pushed.
    pub pending: usize,
    /// Files changed by hand and not committed yet.
    pub changed: Vec<String>,
    pub last_error: Option<String>,
    /// When the store last matched the remote (a fetch or a push that worked).
    pub last_sync: Option<SystemTime>,
    /// Changes not applied, until acknowledged.
    pub unapplied: Vec<Unapplied>,
    /// A watcher tells writes what changed (this process's, or another's).
    pub watched: bool,
}

/// A store opened for reading and writing.
pub struct Store {
    settings: StoreSettings,
    state_dir: PathBuf,
    journal: Journal,
    unapplied: UnappliedList,
    /// The single writer within this process; git2 repositories are not `Sync`.
    git: Mutex<Git>,
    todo_cache: TodoCache,
    /// Operations are committed but not pushed: a background sync pushes them.
    defer_pushes: AtomicBool,
    /// A background sync tells people what went wrong: an operation keeps what its
    /// own push could not apply for that sync to tell, rather than for its caller.
    background_tells: AtomicBool,
    /// Woken when an operation leaves work for a background sync: a push deferred
    /// or failed, or changes not applied to tell of.
    push_due: tokio::sync::Notify,
    /// When the store last matched the remote; kept in `STATE/last-sync` by `sync`.
    last_sync: Mutex<Option<SystemTime>>,
    /// What opening found at the path and made of it.
    origin: Origin,
    /// The commits not on the remote when last counted (`None`: not yet), for a
    /// reader that must not wait while an operation holds the repository.
    unpushed: Mutex<Option<usize>>,
    on_wait: Box<dyn Fn() + Send + Sync>,
    /// Told the number of tracked files each time a write looked at all of them
    /// because nobody watches the store ([`Store::on_unwatched_look`]).
    on_unwatched_look: Option<Box<dyn Fn(usize) + Send + Sync>>,
    /// This process's watcher of the working tree, once [`Store::watch`] started it.
    watcher: Mutex<Option<std::sync::Arc<watch::Watcher>>>,
    /// The epoch this session's look for hand edits asked at, and the index it found
    /// (`watching`).
    watch_asked: Mutex<Option<(watch::Since, Option<git::IndexIdentity>)>>,
}

/// todo.txt as last written by this process, parsed, with the blob id of its content.
/// A hit needs the index to hold the same blob while the working tree is clean, so a
/// hand edit, another process's commit, a pull or an undo all miss.
type TodoCache = Mutex<Option<(git2::Oid, TodoFile)>>;

const HAND_EDITS: &str = "Save edits made outside the assistant";
const MAX_PUSH_ROUNDS: usize = 8;

impl Store {
    /// Opens the store at `settings.root`: an existing repository, or a clone of the
    /// remote, or (no remote) a new repository made from the bundled template. Then
    /// finishes whatever a crash interrupted and pushes what is pending.
    pub fn open(settings: StoreSettings) -> anyhow::Result<Store> {
        Store::open_with(settings, Box::new(|| {}))
    }

    /// Like [`Store::open`]; `on_wait` is called when another process holds the lock.
    pub fn open_with(settings: StoreSettings, on_wait: Box<dyn Fn() + Send + Sync>) -> anyhow::Result<Store> {
        let (git, origin) = create::open_or_create(&settings)?;
        let state_dir = settings
            .state_dir
            .clone()
            .unwrap_or_else(|| git.git_dir().join("myorg"));
        std::fs::create_dir_all(&state_dir).with_context(|| format!("creating {}", state_dir.display()))?;
        exclude_temporary_files(git.git_dir())?;
        git.bound_reflogs(REFLOG_KEPT)?;
        let store = Store {
            journal: Journal::new(&state_dir),
            unapplied: UnappliedList::new(&state_dir),
            state_dir: state_dir.clone(),
            settings,
            git: Mutex::new(git),
            todo_cache: Mutex::new(None),
            defer_pushes: AtomicBool::new(false),
            background_tells: AtomicBool::new(false),
            push_due: tokio::sync::Notify::new(),
            last_sync: Mutex::new(read_last_sync(&state_dir)),
            origin,
            unpushed: Mutex::new(None),
            on_wait,
            on_unwatched_look: None,
            watcher: Mutex::new(None),
            watch_asked: Mutex::new(None),
        };
        store.recover()?;
        Ok(store)
    }

    /// Calls `told` with the number of tracked files each time a write looks at
    /// every one of them for hand edits because no watcher answers: a front end may
    /// then start one, so that the next writes look only at what changed.
    pub fn on_unwatched_look(&mut self, told: Box<dyn Fn(usize) + Send + Sync>) {
        self.on_unwatched_look = Some(told);
    }

    pub fn root(&self) -> &Path {
        &self.settings.root
    }

    /// What opening found at the store's path and made of it (a new sample store, a
    /// folder adopted…), for front ends to tell the person.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Where the journal, the locks and other state outside git history live.
    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }

    /// Reads a store file as it is in the working tree (empty when missing).
    pub fn read(&self, path: &str) -> anyhow::Result<Vec<u8>> {
        read_file(self.root(), path)
    }

    /// Applies one operation as one commit, then pushes. An operation that does not
    /// apply changes nothing and says why.
    pub fn apply(&self, operation: Operation, actor: &Actor) -> anyhow::Result<Applied> {
        let span = operation_span(operation.kind(), actor);
        let _entered = span.enter();
        logged(&span, || {
            let (git, _lock) = self.writer()?;
            let saved = self.save_hand_edits(&git)?;
            let mut applied = self.run(&git, operation, actor, saved)?;
            self.after_operation(&mut applied.push)?;
            self.settle_watch(&git);
            Ok(applied)
        })
    }

    /// Undoes a commit (by default the newest change the assistant made) with a new
    /// commit that reverts it. A commit the assistant did not make on request (a hand
    /// edit) is refused unless `force`.
    pub fn undo(&self, commit: Option<&str>, force: bool, actor: &Actor) -> anyhow::Result<Applied> {
        let span = operation_span("undo", actor);
        let _entered = span.enter();
        logged(&span, || {
            let (git, _lock) = self.writer()?;
            let saved = self.save_hand_edits(&git)?;
            let operation = undo_operation(&git, commit, force)?;
            let mut applied = self.run(&git, operation, actor, saved)?;
            self.after_operation(&mut applied.push)?;
            self.settle_watch(&git);
            Ok(applied)
        })
    }

    /// The operation [`Store::undo`] would apply, without applying it: the commit
    /// resolved now, so a confirmation can apply exactly that undo later.
    pub fn undo_operation(&self, commit: Option<&str>, force: bool) -> anyhow::Result<Operation> {
        undo_operation(&*self.repository()?, commit, force)
    }

    /// Commits that changed `paths` (every commit when empty), newest first; with
    /// `text`, only those that added or removed a line containing it.
    pub fn history(
        &self,
        paths: &[&str],
        text: Option<&str>,
        limit: usize,
    ) -> anyhow::Result<Vec<CommitInfo>> {
        let git = self.repository()?;
        git.history(paths, text, limit)
    }

    /// Applies, journals, commits and pushes one operation; the caller holds the writer
    /// and saved hand edits first (`saved_beside`: files it set aside doing so).
    fn run(
        &self,
        git: &Git,
        operation: Operation,
        actor: &Actor,
        saved_beside: Vec<String>,
    ) -> anyhow::Result<Applied> {
        let change = operation.apply(&self.work_tree(git))?;
        let summary = change.summary.clone();
        let retargeted = change.retargeted.clone();
        let pending = Pending {
            id: uuid::Uuid::new_v4().to_string(),
            actor: actor.clone(),
            operation,
        };
        self.journal.append(&pending)?;
        let commit = match self.commit_change(git, &pending, change) {
            Ok(commit) => commit,
            Err(err) => {
                // Nothing half-done stays behind to be committed later as a hand edit,
                // or replayed (and failing again) on every open.
                self.restore_from_head(git)?;
                let others: Vec<Pending> = self
                    .journal
                    .load()?
                    .into_iter()
                    .filter(|entry| entry.id != pending.id)
                    .collect();
                self.journal.replace(&others)?;
                return Err(err.context("the change could not be committed, so nothing was changed"));
            }
        };
        let mut push = if git.has_remote() && self.defer_pushes.load(Ordering::SeqCst) {
            PushReport {
                deferred: true,
                ..PushReport::default()
            }
        } else {
            self.push(git)?
        };
        push.saved_beside.splice(0..0, saved_beside);
        if let Some(line) = retargeted {
            push.retargeted.insert(
                0,
                format!(
                    "The task had been reworded meanwhile; this was applied to it as it reads now: {line}"
                ),
            );
        }
        Ok(Applied {
            summary,
            commit: commit.to_string(),
            push,
        })
    }

    /// Fetches, brings the remote's changes in (replaying local ones on top), pushes.
    pub fn sync(&self) -> anyhow::Result<PushReport> {
        let (git, _lock) = self.writer()?;
        let mut report = self.sync_locked(&git)?;
        self.tell(&mut report)?;
        self.settle_watch(&git);
        Ok(report)
    }

    fn sync_locked(&self, git: &Git) -> anyhow::Result<PushReport> {
        let saved_beside = self.save_hand_edits(git)?;
        if !git.has_remote() {
            return Ok(PushReport {
                local_only: true,
                saved_beside,
                ..PushReport::default()
            });
        }
        if let Err(err) = git.fetch() {
            let error = format!("{err:#}");
            self.record_error(Some(&error))?;
            return Ok(PushReport {
                error: Some(error),
                saved_beside,
                ..PushReport::default()
            });
        }
        self.mark_synced(true);
        let mut report = PushReport {
            saved_beside,
            ..PushReport::default()
        };
        if let (Some(head), Some(upstream)) = (git.head()?, git.upstream()?)
            && !git.is_ancestor(upstream, head)?
        {
            self.replay(git, &mut report)?;
        }
        let pushed = self.push(git)?;
        report.pushed = pushed.pushed;
        report.error = pushed.error;
        report.dropped.extend(pushed.dropped);
        report.saved_beside.extend(pushed.saved_beside);
        report.retargeted.extend(pushed.retargeted);
        Ok(report)
    }

    /// Where the store stands.
    pub fn status(&self) -> anyhow::Result<Status> {
        let git = self.repository()?;
        Ok(Status {
            root: self.settings.root.clone(),
            branch: self.settings.branch.clone(),
            remote: self.settings.remote.as_ref().map(|r| redact(&r.url)),
            head: git.head()?.map(|oid| oid.to_string()),
            unpushed: self.count_unpushed(&git)?,
            pending: self.journal.load()?.len(),
            changed: git.changed_paths()?,
            last_error: std::fs::read_to_string(self.state_dir.join("last-push-error")).ok(),
            last_sync: self.last_sync(),
            unapplied: self.unapplied.not_applied(),
            watched: self.watched(),
        })
    }

    /// Syncs (see [`Store::sync`]) when the last sync is older than `max_age` or
    /// unknown: the pull before answering. `None` when it was recent enough, or
    /// there is no remote.
    pub fn sync_if_stale(&self, max_age: Duration) -> anyhow::Result<Option<PushReport>> {
        if self.settings.remote.is_none() {
            return Ok(None);
        }
        let fresh = self
            .last_sync()
            .and_then(|when| when.elapsed().ok())
            .is_some_and(|age| age <= max_age);
        if fresh { Ok(None) } else { self.sync().map(Some) }
    }

    /// Pushes what is committed and not pushed yet (replaying on the remote's head if
    /// it moved).
    pub fn push_pending(&self) -> anyhow::Result<PushReport> {
        let (git, _lock) = self.writer()?;
        // A rejected push replays on the remote's head: hand edits must be in a
        // commit by then, or moving to that head would lose them.
        let saved_beside = self.save_hand_edits(&git)?;
        let mut report = self.push(&git)?;
        report.saved_beside.splice(0..0, saved_beside);
        self.tell(&mut report)?;
        self.settle_watch(&git);
        Ok(report)
    }

    /// Marks everything kept as told: the person has just seen `status`.
    pub fn mark_told(&self) -> anyhow::Result<()> {
        self.unapplied.take_untold().map(|_| ())
    }

    /// Forgets the changes not applied that `status` lists: the person has seen them.
    /// How many there were.
    pub fn acknowledge(&self) -> anyhow::Result<usize> {
        self.unapplied.acknowledge()
    }

    /// After an operation: tells its caller what went wrong (see [`Store::tell`]), or,
    /// with a background sync running, keeps it untold for that sync, which tells
    /// people whatever front end made the change; wakes that sync when the operation
    /// left it work.
    fn after_operation(&self, report: &mut PushReport) -> anyhow::Result<()> {
        let background = self.background_tells.load(Ordering::SeqCst);
        let to_tell = !report.dropped.is_empty() || !report.saved_beside.is_empty();
        if background {
            let untold = PushReport {
                dropped: report.dropped.clone(),
                saved_beside: report.saved_beside.clone(),
                ..PushReport::default()
            };
            self.keep_unapplied(&untold, false)?;
        } else {
            self.tell(report)?;
        }
        if report.deferred || report.error.is_some() || (background && to_tell) {
            self.push_due.notify_one();
        }
        Ok(())
    }

    /// Keeps what went wrong in `report` until acknowledged, as told now, and adds to
    /// it what went wrong earlier that nobody was told of.
    fn tell(&self, report: &mut PushReport) -> anyhow::Result<()> {
        report.earlier = self.unapplied.take_untold()?;
        self.keep_unapplied(report, true)
    }

    /// Keeps `report`'s changes not applied and files saved beside, for `status` and
    /// for whoever opens the store next (`told`: the caller shows them now).
    fn keep_unapplied(&self, report: &PushReport, told: bool) -> anyhow::Result<()> {
        let nothing = report.dropped.is_empty() && report.saved_beside.is_empty();
        if nothing && (told || report.retargeted.is_empty()) {
            return Ok(());
        }
        let at = unapplied::now();
        let dropped = report.dropped.iter().map(|dropped| Unapplied {
            summary: dropped.summary.clone(),
            why: dropped.why.clone(),
            requested_by: Some(dropped.requested_by.clone()),
            at,
            told,
            reworded: false,
        });
        let beside = report.saved_beside.iter().map(|path| Unapplied {
            summary: format!("Conflicting edits of {}", beside_original(path)),
            why: format!("the other version was saved beside it as {path}"),
            requested_by: None,
            at,
            told,
            reworded: false,
        });
        // A change carried over to a reworded task is kept only until it is told.
        let untold_retargeted = if told { &[][..] } else { &report.retargeted[..] };
        let reworded = untold_retargeted.iter().map(|line| Unapplied {
            summary: line.clone(),
            why: String::new(),
            requested_by: None,
            at,
            told,
            reworded: true,
        });
        self.unapplied.add(dropped.chain(beside).chain(reworded))
    }

    /// From now on operations are committed without pushing; [`Store::push_pending`]
    /// pushes them, batched (a background sync does).
    pub fn defer_pushes(&self, defer: bool) {
        self.defer_pushes.store(defer, Ordering::SeqCst);
    }

    /// The commits not on the remote yet, without waiting for the repository: counted
    /// now when no operation holds it, else as last counted (an operation waiting for
    /// another process's writer lock holds it up to `lock_timeout`). `None` before
    /// the first count. What `/metrics` reads, so it answers while a job waits.
    pub fn unpushed_commits(&self) -> Option<usize> {
        let counted = match self.git.try_lock() {
            Ok(git) => self.count_unpushed(&git).ok(),
            Err(_) => None,
        };
        counted.or_else(|| self.unpushed.lock().ok().and_then(|last| *last))
    }

    /// Counts the commits not on the remote (none without a remote), and keeps the
    /// count for [`Store::unpushed_commits`].
    fn count_unpushed(&self, git: &Git) -> anyhow::Result<usize> {
        let count = if git.has_remote() {
            git.local_commits()?.len()
        } else {
            0
        };
        if let Ok(mut last) = self.unpushed.lock() {
            *last = Some(count);
        }
        Ok(count)
    }

    /// When the store last matched the remote (a fetch or a push that worked).
    pub fn last_sync(&self) -> Option<SystemTime> {
        self.last_sync.lock().ok().and_then(|when| *when)
    }

    /// Records that the store matches the remote now; kept across restarts when
    /// `persist` (a best effort: it only decides when to pull next).
    fn mark_synced(&self, persist: bool) {
        let now = SystemTime::now();
        if let Ok(mut last) = self.last_sync.lock() {
            *last = Some(now);
        }
        if persist && let Ok(since_epoch) = now.duration_since(SystemTime::UNIX_EPOCH) {
            let _ = std::fs::write(
                self.state_dir.join("last-sync"),
                since_epoch.as_secs().to_string(),
            );
        }
    }

    /// The repository, for this process alone.
    fn repository(&self) -> anyhow::Result<std::sync::MutexGuard<'_, Git>> {
        self.git
            .lock()
            .map_err(|_| anyhow::anyhow!("a store operation panicked; restart to recover"))
    }

    /// The in-process writer and the cross-process lock, in that order. When the
    /// previous writer died mid-write, its leftovers are cleaned first.
    fn writer(&self) -> anyhow::Result<(std::sync::MutexGuard<'_, Git>, WriterLock)> {
        let git = self.repository()?;
        let lock = WriterLock::acquire(
            &self.state_dir.join("writer.lock"),
            self.settings.lock_timeout,
            &*self.on_wait,
        )?;
        self.forget_watch_asked();
        if lock.previous_crashed {
            self.clean_after_crash(&git)?;
        }
        Ok((git, lock))
    }

    /// Removes what a writer killed mid-write left: git's lock files (it held the
    /// writer lock, so they were its own) and our temporary files.
    fn clean_after_crash(&self, git: &Git) -> anyhow::Result<()> {
        for stale in lock::git_lock_files(git.git_dir()) {
            std::fs::remove_file(&stale)
                .or_else(ignore_missing)
                .with_context(|| format!("removing {}", stale.display()))?;
        }
        remove_temporary_files(self.root())
    }

    /// Commits hand edits found in the working tree, before anything else; an
    /// interrupted merge is settled first. The files saved beside conflicted ones.
    fn save_hand_edits(&self, git: &Git) -> anyhow::Result<Vec<String>> {
        // Asked before looking: what changes after the question is in the next answer.
        let mut watched = self.watched_changes(git);
        let index = git.index_file();
        // The index read must be the one the answer is about: another process's git
        // command may have rewritten it since.
        if let Some((answer, found)) = &mut watched
            && *found != git.index_identity()
        {
            answer.changes = watch::Changes::Everything;
            *found = None;
        }
        let saved = git.settle_interrupted_merge(index.as_ref())?;
        // The full status reads every folder and stats each file twice; most of the
        // time a quicker look proves nothing was touched: at the paths a watcher saw
        // change, or else at every file.
        if saved.is_empty()
            && let Some(index) = &index
            && match watched.as_ref().map(|(answer, _)| &answer.changes) {
                Some(watch::Changes::Paths(paths)) => {
                    tracing::debug!(
                        paths = paths.len(),
                        "looking for hand edits where the watcher saw changes"
                    );
                    git.surely_clean_at(index, paths)?
                }
                _ => {
                    tracing::debug!(
                        watched = watched.is_some(),
                        "looking for hand edits in every file"
                    );
                    if watched.is_none()
                        && let Some(told) = &self.on_unwatched_look
                    {
                        told(index.len());
                    }
                    git.surely_clean(index, &self.state_dir.join("folders.cache"))?
                }
            }
        {
            if let Some((answer, index)) = watched {
                self.keep_watch_asked(answer.next, index);
            }
            return Ok(saved);
        }
        if !git.changed_paths()?.is_empty() {
            let assistant = &self.settings.assistant;
            let message = if saved.is_empty() {
                HAND_EDITS.to_string()
            } else {
                format!(
                    "{HAND_EDITS}\n\nAn unfinished merge had conflicts: our side was kept and each file as it was left (both sides) saved beside it: {}\n",
                    saved.join(", ")
                )
            };
            git.commit_all(&message, assistant, assistant)?;
        }
        if let Some((answer, index)) = watched {
            self.keep_watch_asked(answer.next, index);
        }
        Ok(saved)
    }

    /// Writes and commits what an operation produced; the working tree must be clean.
    fn commit_change(
        &self,
        git: &Git,
        pending: &Pending,
        change: operation::Change,
    ) -> anyhow::Result<git2::Oid> {
        // The blobs are hashed and compressed while the files are written and flushed,
        // on another thread: the flushes wait for the disk, the blobs use the CPU. An
        // object written early is harmless: nothing refers to it until the commit.
        let objects = git.objects_dir();
        let ids = std::thread::scope(|scope| -> anyhow::Result<Vec<Option<String>>> {
            let blobs = scope.spawn(|| write_blobs(&objects, &change.files));
            let written = self.write_files(&change.files);
            let ids = blobs
                .join()
                .map_err(|_| anyhow::anyhow!("writing the git objects failed"))?;
            written?;
            ids
        })?;
        let ids = ids
            .iter()
            .map(|id| id.as_deref().map(git2::Oid::from_str).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        let actor = &pending.actor;
        // Text from the files or a person goes into the message escaped: a NUL or
        // another control character there would make the commit impossible.
        let message = format!(
            "{}\n\nRequested-by: {} ({})\nOperation-Id: {}\n",
            safe_text(&change.summary),
            safe_text(&actor.name),
            safe_text(&actor.via),
            pending.id
        );
        let author = Identity {
            name: safe_name(&actor.name),
            email: safe_name(&actor.email),
        };
        let (commit, blobs) =
            git.commit_files(&change.files, &ids, &message, &author, &self.settings.assistant)?;
        let todo_id = blobs.iter().find(|(path, _)| path == TODO).map(|(_, id)| *id);
        if let (Some(todo), Some(id)) = (change.todo, todo_id)
            && let Ok(mut cache) = self.todo_cache.lock()
        {
            *cache = Some((id, todo));
        }
        Ok(commit)
    }

    /// Writes the files of a change to the working tree, each atomically (`None`: deleted).
    fn write_files(&self, changes: &operation::FileChanges) -> anyhow::Result<()> {
        for (path, contents) in changes {
            let full = self.root().join(path);
            match contents {
                Some(contents) => files::write_atomically(&full, contents)?,
                None => std::fs::remove_file(&full).or_else(ignore_missing)?,
            }
        }
        Ok(())
    }

    /// The working tree for operations, with the cache. Only right when the tree is
    /// clean (hand edits saved), which every caller ensures first.
    fn work_tree<'a>(&'a self, git: &'a Git) -> WorkTree<'a> {
        WorkTree {
            root: self.root(),
            git,
            cache: Some(&self.todo_cache),
        }
    }

    /// Pushes; when the remote moved, fetches and replays, up to a few rounds. An
    /// unreachable remote is not an error: the commits wait and the reason is kept.
    fn push(&self, git: &Git) -> anyhow::Result<PushReport> {
        let mut report = PushReport::default();
        if !git.has_remote() {
            report.local_only = true;
            self.journal.settle()?;
            return Ok(report);
        }
        for _ in 0..MAX_PUSH_ROUNDS {
            let outcome = git.push().and_then(|outcome| {
                if outcome == PushOutcome::Rejected {
                    git.fetch()?;
                }
                Ok(outcome)
            });
            match outcome {
                Ok(PushOutcome::Pushed) => {
                    self.journal.settle()?;
                    self.record_error(None)?;
                    self.mark_synced(true);
                    report.pushed = true;
                    return Ok(report);
                }
                Ok(PushOutcome::Rejected) => self.replay(git, &mut report)?,
                Err(err) => {
                    let error = format!("{err:#}");
                    self.record_error(Some(&error))?;
                    report.error = Some(error);
                    return Ok(report);
                }
            }
        }
        let error = "the remote kept moving; will try again".to_string();
        self.record_error(Some(&error))?;
        report.error = Some(error);
        Ok(report)
    }

    /// Moves to the remote head and re-applies there, in order, every local commit:
    /// operations by their intent, other commits (hand edits) as changes.
    fn replay(&self, git: &Git, report: &mut PushReport) -> anyhow::Result<()> {
        // Pending operations, and pushed ones the remote may have lost: by id, read once.
        let known: std::collections::HashMap<String, Pending> = self
            .journal
            .known()?
            .into_iter()
            .map(|entry| (entry.id.clone(), entry))
            .collect();
        let local = git.local_commits()?;
        let upstream = git
            .upstream()?
            .context("the remote branch is missing after a fetch")?;
        let mut messages = Vec::with_capacity(local.len());
        for commit in &local {
            messages.push(git.message(*commit)?);
        }
        git.reset_hard(upstream)?;
        let mut kept = Vec::new();
        let dropped_before = report.dropped.len();
        for (commit, message) in local.iter().zip(&messages) {
            match operation_id(message).and_then(|id| known.get(id)) {
                Some(entry) => match self.replay_operation(git, entry) {
                    Ok(retargeted) => {
                        kept.push(entry.clone());
                        if let Some(line) = retargeted {
                            report.retargeted.push(format!(
                                "{}: the task had been reworded meanwhile; applied to it as it reads now: {line}",
                                first_line(message)
                            ));
                        }
                    }
                    Err(why) => report.dropped.push(Dropped {
                        summary: first_line(message),
                        why,
                        requested_by: entry.actor.clone(),
                    }),
                },
                None => {
                    if let Replayed::SavedBeside(paths) =
                        git.replay_commit(*commit, &self.settings.assistant)?
                    {
                        report.saved_beside.extend(paths);
                    }
                }
            }
        }
        for dropped in &report.dropped[dropped_before..] {
            if let Some(entry) = self.keep_intent(git, dropped) {
                kept.push(entry);
            }
        }
        self.journal.replace(&kept)
    }

    /// Applies and commits one journaled operation again; on failure nothing of it
    /// stays in the working tree, and the reason is returned. `Ok` holds the line
    /// its task has now when it was reworded meanwhile.
    fn replay_operation(&self, git: &Git, entry: &Pending) -> Result<Option<String>, String> {
        let change = entry
            .operation
            .apply(&self.work_tree(git))
            .map_err(|why| why.to_string())?;
        let retargeted = change.retargeted.clone();
        match self.commit_change(git, entry, change) {
            Ok(_) => Ok(retargeted),
            Err(err) => {
                if let Err(restore) = self.restore_from_head(git) {
                    tracing::error!(
                        error = format!("{restore:#}"),
                        "could not restore the working tree after a failed commit"
                    );
                }
                Err(format!("it could not be committed: {err:#}"))
            }
        }
    }

    /// Keeps a change that could not be applied where a person finds it: a log.txt
    /// entry in the name of whoever asked, committed like any note. The journal entry
    /// of that note, or `None` when even that could not be made.
    fn keep_intent(&self, git: &Git, dropped: &Dropped) -> Option<Pending> {
        let now = chrono::Utc::now()
            .with_timezone(&self.settings.timezone)
            .naive_local();
        let text = format!(
            "Not applied after a sync: {}. Why: {}",
            dropped.summary, dropped.why
        );
        let line = myorg_domain::notes::entry_line(now, &dropped.requested_by.name, &safe_text(&text))
            .or_else(|_| {
                myorg_domain::notes::entry_line(now, &self.settings.assistant.name, &safe_text(&text))
            })
            .ok()?;
        let entry = Pending {
            id: uuid::Uuid::new_v4().to_string(),
            actor: Actor {
                via: "sync".to_string(),
                ..dropped.requested_by.clone()
            },
            operation: Operation::AppendLog { line },
        };
        match self.replay_operation(git, &entry) {
            Ok(_) => Some(entry),
            Err(why) => {
                tracing::error!(error = %why, "could not keep a change not applied in log.txt");
                None
            }
        }
    }

    /// Puts every file changed in the working tree back as HEAD has it: what an
    /// operation wrote and could not commit. (The tree was clean before it wrote.)
    fn restore_from_head(&self, git: &Git) -> anyhow::Result<()> {
        for path in git.changed_paths()? {
            let current = self.root().join(&path);
            match git.read_at_head(&path)? {
                Some(content) => files::write_atomically(&current, &content)?,
                None => std::fs::remove_file(&current).or_else(ignore_missing)?,
            }
        }
        if let Ok(mut cache) = self.todo_cache.lock() {
            *cache = None;
        }
        Ok(())
    }

    /// Finishes what a crash interrupted: an operation journaled but not committed is
    /// applied again (after setting aside any half-written file), hand edits are
    /// saved, and everything pending is pushed.
    fn recover(&self) -> anyhow::Result<()> {
        let (git, _lock) = self.writer()?;
        let mut interrupted = PushReport::default();
        let pending = self.journal.load()?;
        let recovering = !pending.is_empty();
        if !pending.is_empty() {
            // Look in the recent history, not only at unpushed commits: a crash may have
            // come after the push and before the journal was cleared.
            let committed: std::collections::HashSet<String> = git
                .recent_messages(HISTORY_SEARCH_LIMIT)?
                .iter()
                .filter_map(|message| operation_id(message).map(str::to_string))
                .collect();
            let mut unpushed = std::collections::HashSet::new();
            for commit in git.local_commits()? {
                if let Some(id) = operation_id(&git.message(commit)?) {
                    unpushed.insert(id.to_string());
                }
            }
            let mut kept = Vec::new();
            for entry in pending {
                if unpushed.contains(&entry.id) {
                    kept.push(entry);
                    continue;
                }
                if committed.contains(&entry.id) {
                    // Already on the remote: done.
                    continue;
                }
                self.set_aside_uncommitted_writes(&git)?;
                // No cache: the tree was just repaired by hand, not through the index.
                let outcome = entry
                    .operation
                    .apply(&WorkTree {
                        root: self.root(),
                        git: &git,
                        cache: None,
                    })
                    .map_err(|why| why.to_string())
                    .and_then(|change| match self.commit_change(&git, &entry, change) {
                        Ok(_) => Ok(()),
                        Err(err) => Err(format!("it could not be committed: {err:#}")),
                    });
                match outcome {
                    Ok(()) => kept.push(entry),
                    // Set aside with a report: it must never block the store.
                    Err(why) => {
                        self.restore_from_head(&git)?;
                        tracing::warn!(error = %why, "an interrupted change could not be finished");
                        interrupted.dropped.push(Dropped {
                            summary: entry.operation.intent(),
                            why,
                            requested_by: entry.actor.clone(),
                        });
                    }
                }
            }
            self.journal.replace(&kept)?;
        }
        let unpushed = git.has_remote() && !git.local_commits()?.is_empty();
        // Before a push, which may replay on the remote's head, hand edits are saved;
        // otherwise the next operation or sync saves them (each looks first), so
        // opening the store does not look at the whole working tree twice.
        if recovering || unpushed {
            self.save_hand_edits(&git)?;
        }
        // Local only: nothing to push, and `push` clears the journal.
        if !git.has_remote() || unpushed {
            let pushed = self.push(&git)?;
            interrupted.dropped.extend(pushed.dropped);
            interrupted.saved_beside.extend(pushed.saved_beside);
            interrupted.retargeted.extend(pushed.retargeted);
        }
        // Nobody sees this report: kept for the next one who opens the store.
        self.keep_unapplied(&interrupted, false)?;
        self.settle_watch(&git);
        Ok(())
    }

    /// A crash between writing a file and committing it leaves the operation's own
    /// write in the working tree. It is copied to the state directory and the file
    /// restored from HEAD, so the operation is not applied twice.
    fn set_aside_uncommitted_writes(&self, git: &Git) -> anyhow::Result<()> {
        let recovered = self.state_dir.join("recovered");
        for path in git.changed_paths()? {
            if let Ok(content) = std::fs::read(self.root().join(&path)) {
                let aside = recovered.join(format!("{}-{}", uuid::Uuid::new_v4(), path.replace('/', "_")));
                files::write_atomically(&aside, &content)?;
            }
        }
        bound_recovered(&recovered);
        self.restore_from_head(git)
    }

    fn record_error(&self, error: Option<&str>) -> anyhow::Result<()> {
        let path = self.state_dir.join("last-push-error");
        match error {
            Some(error) => files::write_atomically(&path, error.as_bytes()),
            None => std::fs::remove_file(&path)
                .or_else(ignore_missing)
                .context("clearing the last push error"),
        }
    }
}

/// Reflog entries kept for HEAD and the branch (trimmed on open past twice this).
const REFLOG_KEPT: usize = 1000;

/// How far back `undo` and replays look for an operation's commit.
const HISTORY_SEARCH_LIMIT: usize = 10_000;

/// The working tree and its repository, as operations see them.
struct WorkTree<'a> {
    root: &'a Path,
    git: &'a Git,
    cache: Option<&'a TodoCache>,
}

impl Snapshot for WorkTree<'_> {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        read_file(self.root, path).map_err(std::io::Error::other)
    }

    /// The cached copy when it is of the content the index holds (taken: the
    /// operation edits it, and the commit puts the result back).
    fn cached_todo(&self) -> Option<TodoFile> {
        // The index is read only when there is a parsed copy to check.
        let cache = self.cache?;
        let mut cached = cache.lock().ok()?;
        let (cached_id, _) = cached.as_ref()?;
        if self.git.index_id(TODO).ok().flatten() != Some(*cached_id) {
            return None;
        }
        cached.take().map(|(_, todo)| todo)
    }

    fn revert(&self, commit: &str) -> Result<FileChanges, OperationError> {
        match self.git.revert_files(commit) {
            Ok(Ok(files)) if files.is_empty() => Err(OperationError::NoLongerApplies(
                "that change is already undone".to_string(),
            )),
            Ok(Ok(files)) => Ok(files),
            Ok(Err(why)) => Err(OperationError::NoLongerApplies(why)),
            Err(err) => Err(OperationError::Io(std::io::Error::other(format!("{err:#}")))),
        }
    }

    /// Also no symbolic link on the way leads outside the store.
    fn allowed(&self, path: &str) -> Result<(), OperationError> {
        paths::resolve(self.root, path)
            .map(|_| ())
            .map_err(|error| OperationError::Invalid(error.to_string()))
    }

    fn commit_of(&self, id: &str) -> Option<String> {
        let found = self
            .git
            .find_commit(HISTORY_SEARCH_LIMIT, |message| operation_id(message) == Some(id));
        found.ok().flatten().map(|oid| oid.to_string())
    }
}

/// The time kept by [`Store::mark_synced`].
/// Writes the blob of each file's new content into `objects`; its id in hex (`None`
/// for a deletion).
fn write_blobs(objects: &Path, changes: &operation::FileChanges) -> anyhow::Result<Vec<Option<String>>> {
    changes
        .iter()
        .map(|(_, contents)| {
            contents
                .as_ref()
                .map(|contents| loose::write_blob(objects, contents))
                .transpose()
        })
        .collect()
}

fn read_last_sync(state_dir: &Path) -> Option<SystemTime> {
    let seconds: u64 = std::fs::read_to_string(state_dir.join("last-sync"))
        .ok()?
        .trim()
        .parse()
        .ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

fn ignore_missing(err: std::io::Error) -> std::io::Result<()> {
    if err.kind() == std::io::ErrorKind::NotFound {
        Ok(())
    } else {
        Err(err)
    }
}

fn read_file(root: &Path, path: &str) -> anyhow::Result<Vec<u8>> {
    match std::fs::read(root.join(path)) {
        Ok(bytes) => Ok(bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(err) => Err(err).with_context(|| format!("reading {path}")),
    }
}

/// The undo of `commit` (by default the newest change the assistant made); a commit
/// the assistant did not make on request is refused unless `force`.
/// The span of one store operation: its kind and who asked through what; the commit
/// and the push's outcome are recorded by [`logged`].
fn operation_span(kind: &'static str, actor: &Actor) -> tracing::Span {
    tracing::info_span!(
        "store",
        operation = kind,
        via = %actor.via,
        commit = tracing::field::Empty,
        push = tracing::field::Empty,
    )
}

/// Runs `apply`, records its commit and push outcome on `span`, and logs the
/// outcome. A refusal's words may quote a person's task, so only its kind is logged
/// at `info`; the words at `debug`.
fn logged(span: &tracing::Span, apply: impl FnOnce() -> anyhow::Result<Applied>) -> anyhow::Result<Applied> {
    let result = apply();
    match &result {
        Ok(applied) => {
            let push = &applied.push;
            let outcome = if push.local_only {
                "local only"
            } else if push.pushed {
                "pushed"
            } else if push.deferred {
                "deferred"
            } else if push.error.is_some() {
                "failed"
            } else {
                "not pushed"
            };
            span.record("commit", applied.commit.get(..12).unwrap_or(&applied.commit));
            span.record("push", outcome);
            tracing::info!(
                dropped = push.dropped.len(),
                saved_beside = push.saved_beside.len(),
                "store operation applied"
            );
            if let Some(error) = &push.error {
                tracing::info!(%error, "the push failed; the commits wait for the next one");
            }
        }
        Err(error) => {
            tracing::info!("store operation not applied");
            tracing::debug!(error = format!("{error:#}"), "why it was not applied");
        }
    }
    result
}

fn undo_operation(git: &Git, commit: Option<&str>, force: bool) -> anyhow::Result<Operation> {
    let target = match commit {
        Some(revision) => git
            .resolve(revision)
            .map_err(|_| OperationError::Invalid(format!("there is no commit {revision:?} in the store")))?,
        None => git
            .find_commit(HISTORY_SEARCH_LIMIT, |message| operation_id(message).is_some())?
            .context("nothing to undo: the assistant has not changed anything yet")?,
    };
    let message = git.message(target)?;
    let operation_id = operation_id(&message).map(str::to_string);
    if operation_id.is_none() && !force {
        return Err(OperationError::Invalid(format!(
            "{} \"{}\" was not made by the assistant; undo it anyway with --force",
            &target.to_string()[..8],
            first_line(&message)
        ))
        .into());
    }
    let subject = first_line(&message);
    Ok(Operation::Undo {
        commit: target.to_string(),
        operation_id,
        subject,
    })
}

/// Text for a commit message: control characters escaped (`\u{0}`), so no input
/// can make a commit impossible; the files keep their bytes.
fn safe_text(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A name or email for a commit signature: no control characters or angle brackets
/// (which git refuses there); `unknown` when nothing is left.
fn safe_name(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !c.is_control() && *c != '<' && *c != '>')
        .collect();
    match kept.trim() {
        "" => "unknown".to_string(),
        kept => kept.to_string(),
    }
}

/// How many files and bytes `STATE/recovered/` keeps (the newest).
const RECOVERED_KEPT: usize = 20;
const RECOVERED_MAX_BYTES: u64 = 32 << 20;

/// Removes the oldest files in `dir` past [`RECOVERED_KEPT`] files or
/// [`RECOVERED_MAX_BYTES`] (the newest is always kept).
fn bound_recovered(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut found: Vec<(SystemTime, u64, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let meta = entry.metadata().ok()?;
            meta.is_file().then(|| {
                (
                    meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                    meta.len(),
                    entry.path(),
                )
            })
        })
        .collect();
    found.sort_by_key(|(modified, _, _)| std::cmp::Reverse(*modified));
    let mut total = 0;
    for (index, (_, size, path)) in found.into_iter().enumerate() {
        total += size;
        if index > 0 && (index >= RECOVERED_KEPT || total > RECOVERED_MAX_BYTES) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The file a conflict copy (`PATH.conflict-ID`) was saved beside.
fn beside_original(path: &str) -> &str {
    path.rsplit_once(".conflict-")
        .map_or(path, |(original, _)| original)
}

/// The `Operation-Id:` trailer of a commit message.
fn operation_id(message: &str) -> Option<&str> {
    message
        .lines()
        .find_map(|line| line.strip_prefix("Operation-Id: "))
        .map(str::trim)
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().to_string()
}

/// A URL without its password or token.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…@{}", &url[..scheme], &url[at + 1..]),
        _ => url.to_string(),
    }
}

/// Removes `.myorg-write-*` files (atomic writes a crash interrupted) under `dir`.
fn remove_temporary_files(dir: &Path) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == ".git" {
            continue;
        }
        if path.is_dir() {
            remove_temporary_files(&path)?;
        } else if name.to_string_lossy().starts_with(".myorg-write-") {
            std::fs::remove_file(&path).or_else(ignore_missing)?;
        }
    }
    Ok(())
}

/// Keeps a crash's leftover temporary files out of commits.
fn exclude_temporary_files(git_dir: &Path) -> anyhow::Result<()> {
    let path = git_dir.join("info").join("exclude");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if !current.lines().any(|line| line == ".myorg-write-*") {
        std::fs::create_dir_all(git_dir.join("info"))?;
        let mut updated = current;
        if !updated.is_empty() && !updated.ends_with('\n') {
            updated.push('\n');
        }
        updated.push_str(".myorg-write-*\n");
        files::write_atomically(&path, updated.as_bytes())?;
    }
    Ok(())
}
