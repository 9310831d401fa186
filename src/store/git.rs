//! Every git2 call of the store, and nothing else. These calls block: async callers run
//! them in `spawn_blocking`.

mod adopt;
mod clean;
mod index_file;
pub use index_file::Identity as IndexIdentity;
mod interrupted;
mod local_push;
mod token;

pub use index_file::IndexFile;
use token::{TokenTransport, token_transport};

use super::operation::FileChanges;
use anyhow::{Context, bail};
use git2::{
    BranchType, Cred, CredentialType, ErrorCode, FetchOptions, IndexAddOption, Oid, PushOptions,
    RemoteCallbacks, Repository, RepositoryInitOptions, ResetType, Signature, Sort, StatusOptions,
    build::CheckoutBuilder,
};
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where the store's repository is pushed to and fetched from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSettings {
    /// `https://…`, `ssh://…`, `git@host:path`, `file://…` or a local path.
    pub url: String,
    /// For https: the user name going with `token`.
    pub username: Option<String>,
    /// For https: a personal access token. Never logged.
    pub token: Option<String>,
    /// For ssh: the private key file.
    pub ssh_key: Option<PathBuf>,
}

/// A name and email for commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

/// A commit of files, and the blob of each file written.
pub type Committed = (Oid, Vec<(String, Oid)>);

/// How a push ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    Pushed,
    /// The remote moved: fetch and replay first. Never forced.
    Rejected,
}

/// One commit, for `myorg history`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    /// Seconds since the Unix epoch.
    pub time: i64,
    pub author: String,
    pub subject: String,
    /// Whether the assistant made it (its message has an `Operation-Id`), so that
    /// undoing it needs no forcing.
    pub by_assistant: bool,
}

/// Our turn to push to a local remote; the mark goes when the push is over.
struct PushTurn {
    _file: std::fs::File,
    mark: PathBuf,
    /// The remote repository's directory.
    remote: PathBuf,
}

impl Drop for PushTurn {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.mark);
    }
}

/// The result of replaying a commit that is not an operation (hand edits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replayed {
    Clean,
    /// These files conflicted; the remote's version was kept and the replayed version
    /// saved beside each one, at the given paths.
    SavedBeside(Vec<String>),
}

/// The store's repository.
pub struct Git {
    repo: Repository,
    branch: String,
    remote: Option<RemoteSettings>,
    /// The identity of the index file as this process last wrote it to commit (read
    /// right after each write).
    index_written: std::cell::Cell<Option<index_file::Identity>>,
}

const REMOTE: &str = "origin";

impl Git {
    /// Opens the repository at `root`: nothing checked or changed yet (see
    /// [`Git::ensure_branch`] and [`Git::ensure_remote`]).
    pub fn open(root: &Path, branch: &str, remote: Option<RemoteSettings>) -> anyhow::Result<Git> {
        let repo = Repository::open(root)
            .with_context(|| format!("opening the git repository at {}", root.display()))?;
        Ok(Git {
            repo,
            branch: branch.to_string(),
            remote,
            index_written: std::cell::Cell::new(None),
        })
    }

    /// The configured branch is the one checked out: commits go to HEAD, and pushes and
    /// pulls use the configured branch, so they must be the same.
    pub fn ensure_branch(&self) -> anyhow::Result<()> {
        let head = match self.repo.find_reference("HEAD") {
            Ok(head) => head,
            Err(err) => return Err(err).context("reading HEAD"),
        };
        let wanted = format!("refs/heads/{}", self.branch);
        match head.symbolic_target() {
            Ok(Some(target)) if target == wanted => Ok(()),
            Ok(Some(target)) => bail!(
                "the store at {} has {} checked out, but the configured branch is {:?}: check that \
                 branch out, or set GIT_BRANCH",
                self.root().display(),
                target.trim_start_matches("refs/heads/"),
                self.branch
            ),
            // A rebase or bisect in progress detaches HEAD: say which.
            _ if self.repo.state() != git2::RepositoryState::Clean => bail!(
                "the store's repository is in the middle of a {} (at {}); finish or abort it with git first",
                interrupted::describe(self.repo.state()),
                self.root().display()
            ),
            _ => bail!(
                "the store at {} has no branch checked out (a detached HEAD): check out {:?} first",
                self.root().display(),
                self.branch
            ),
        }
    }

    /// Makes a new, empty repository at `root` (the directory created as needed) with
    /// `branch` as its unborn HEAD and the remote configured. Nothing in the directory
    /// is touched.
    pub fn init(root: &Path, branch: &str, remote: Option<RemoteSettings>) -> anyhow::Result<Git> {
        std::fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
        let mut options = RepositoryInitOptions::new();
        options.initial_head(branch);
        let repo = Repository::init_opts(root, &options)
            .with_context(|| format!("creating a git repository at {}", root.display()))?;
        let git = Git {
            repo,
            branch: branch.to_string(),
            remote,
            index_written: std::cell::Cell::new(None),
        };
        git.ensure_remote()?;
        Ok(git)
    }

    /// Whether HEAD's commit tracks any file (how many, when it tracks none of
    /// `names`; at least one otherwise), and any of `names`.
    pub fn tracks(&self, names: &[&str]) -> anyhow::Result<(usize, bool)> {
        let Some(head) = self.head()? else {
            return Ok((0, false));
        };
        let tree = self.repo.find_commit(head)?.tree()?;
        // Every tree is read only to tell how many files a repository of something
        // else holds.
        if names.iter().any(|name| tree.get_path(Path::new(name)).is_ok()) {
            return Ok((tree.len().max(1), true));
        }
        let mut count = 0;
        tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                count += 1;
            }
            git2::TreeWalkResult::Ok
        })?;
        Ok((count, false))
    }

    pub fn ensure_remote(&self) -> anyhow::Result<()> {
        let Some(settings) = &self.remote else {
            return Ok(());
        };
        if settings.check_token()? == TokenTransport::Loopback {
            tracing::warn!(
                remote = %token::without_credentials(&settings.url),
                "GIT_TOKEN is sent unencrypted (plain http, to this machine only)"
            );
        }
        match self.repo.find_remote(REMOTE) {
            Ok(existing) if existing.url().ok() == Some(settings.url.as_str()) => Ok(()),
            Ok(_) => Ok(self.repo.remote_set_url(REMOTE, &settings.url)?),
            Err(_) => {
                self.repo
                    .remote(REMOTE, &settings.url)
                    .context("adding the remote")?;
                Ok(())
            }
        }
    }

    pub fn root(&self) -> &Path {
        self.repo.workdir().unwrap_or_else(|| self.repo.path())
    }

    /// The `.git` directory.
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    pub fn has_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// Paths changed in the working tree (modified, new, deleted), ignoring what git
    /// ignores.
    pub fn changed_paths(&self) -> anyhow::Result<Vec<String>> {
        let mut options = StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false);
        let statuses = self
            .repo
            .statuses(Some(&mut options))
            .context("reading the working tree status")?;
        Ok(statuses
            .iter()
            .filter_map(|entry| entry.path().ok().map(str::to_string))
            .collect())
    }

    /// Commits everything in the working tree (additions, changes, deletions).
    pub fn commit_all(&self, message: &str, author: &Identity, committer: &Identity) -> anyhow::Result<Oid> {
        let mut index = self.repo.index()?;
        // Another process may have committed since: start from the index on disk.
        index.read(false)?;
        index.add_all(["*"], IndexAddOption::DEFAULT, None)?;
        index.update_all(["*"], None)?;
        // The tree first, so the index keeps its trees (see `commit_files`).
        let tree = self.repo.find_tree(index.write_tree()?)?;
        index.write()?;
        self.index_written.set(self.index_identity());
        self.commit_tree(&tree, message, author, committer)
    }

    /// The objects directory, where [`super::loose::write_blob`] writes.
    pub fn objects_dir(&self) -> PathBuf {
        self.git_dir().join("objects")
    }

    /// Commits exactly `files`, just written to the working tree with these contents
    /// (`None`: deleted), whose blobs are written already: `ids` holds each file's
    /// ([`super::loose::write_blob`], `None` for a deletion). Faster than
    /// [`Git::commit_all`]: nothing else in the working tree is looked at. The commit,
    /// and the blob of each file written.
    pub fn commit_files(
        &self,
        files: &FileChanges,
        ids: &[Option<Oid>],
        message: &str,
        author: &Identity,
        committer: &Identity,
    ) -> anyhow::Result<Committed> {
        if let Some(committed) = self.commit_files_quickly(files, ids, message, author, committer)? {
            return Ok(committed);
        }
        let mut index = self.repo.index()?;
        index.read(false)?;
        let mut blobs = Vec::with_capacity(files.len());
        for (at, (path, contents)) in files.iter().enumerate() {
            match contents {
                Some(_) => {
                    let id = blob_id(ids, at, path)?;
                    blobs.push((path.clone(), id));
                    let full = self.root().join(path);
                    let meta = std::fs::symlink_metadata(&full)
                        .with_context(|| format!("reading the metadata of {}", full.display()))?;
                    let mode = match index.get_path(Path::new(path), 0) {
                        Some(entry) if entry.mode == 0o100755 => 0o100755,
                        _ => 0o100644,
                    };
                    index.add(&index_entry(path, id, mode, &meta))?;
                }
                None => {
                    if index.get_path(Path::new(path), 0).is_some() {
                        index.remove_path(Path::new(path))?;
                    }
                }
            }
        }
        // The tree first: the index then keeps the trees it made (its cache-tree
        // extension), so the next commit builds only the trees that changed.
        let tree = self.repo.find_tree(index.write_tree()?)?;
        index.write()?;
        self.index_written.set(self.index_identity());
        Ok((self.commit_tree(&tree, message, author, committer)?, blobs))
    }

    /// [`Git::commit_files`] without libgit2's index, when the index holds HEAD's tree
    /// (its cache-tree says so) and the files are only added or changed: the trees
    /// on the way to each file made from HEAD's, the index written with the new
    /// entries. `None` when that cannot be done, having changed nothing.
    fn commit_files_quickly(
        &self,
        files: &FileChanges,
        ids: &[Option<Oid>],
        message: &str,
        author: &Identity,
        committer: &Identity,
    ) -> anyhow::Result<Option<Committed>> {
        let Some(index) = self.index_file() else {
            return Ok(None);
        };
        let Some(head) = self.head()? else { return Ok(None) };
        let head_tree = self.repo.find_commit(head)?.tree()?;
        if files.iter().any(|(_, contents)| contents.is_none())
            || index.cached_root().as_ref().map(|id| id.as_slice()) != Some(head_tree.id().as_bytes())
        {
            return Ok(None);
        }
        let mut blobs = Vec::with_capacity(files.len());
        let mut metas = Vec::with_capacity(files.len());
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (at, (path, contents)) in files.iter().enumerate() {
            if contents.is_none() {
                continue;
            }
            let id = blob_id(ids, at, path)?;
            let full = self.root().join(path);
            let meta = std::fs::symlink_metadata(&full)
                .with_context(|| format!("reading the metadata of {}", full.display()))?;
            let executable = index
                .find(path.as_bytes())
                .is_some_and(|entry| entry.mode == 0o100755);
            let mode = if executable {
                git2::FileMode::BlobExecutable
            } else {
                git2::FileMode::Blob
            };
            update.upsert(path, id, mode);
            blobs.push((path.clone(), id));
            metas.push((u32::from(mode), meta));
        }
        let tree = self
            .repo
            .find_tree(update.create_updated(&self.repo, &head_tree)?)?;
        let written: Vec<index_file::Written<'_>> = blobs
            .iter()
            .zip(&metas)
            .filter_map(|((path, id), (mode, meta))| {
                Some(index_file::Written {
                    path,
                    id: id.as_bytes().try_into().ok()?,
                    mode: *mode,
                    meta,
                })
            })
            .collect();
        let tree_of = |folder: &str| -> Option<[u8; 20]> {
            let id = if folder.is_empty() {
                tree.id()
            } else {
                tree.get_path(Path::new(folder)).ok()?.id()
            };
            id.as_bytes().try_into().ok()
        };
        if written.len() != blobs.len() {
            return Ok(None);
        }
        let Some(bytes) = index.updated(&written, tree_of) else {
            return Ok(None);
        };
        self.write_index(&bytes)?;
        Ok(Some((
            self.commit_tree(&tree, message, author, committer)?,
            blobs,
        )))
    }

    /// Replaces the index file with `bytes` under git's lock (`index.lock`, which a
    /// git command running meanwhile would hold: then this fails, as libgit2 would).
    fn write_index(&self, bytes: &[u8]) -> anyhow::Result<()> {
        use std::io::Write;
        let path = self.git_dir().join("index");
        let lock = self.git_dir().join("index.lock");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
            .with_context(|| format!("locking the index ({})", lock.display()))?;
        let written = file.write_all(bytes).and_then(|()| std::fs::rename(&lock, &path));
        if let Err(err) = written {
            let _ = std::fs::remove_file(&lock);
            return Err(err).context("writing the index");
        }
        self.index_written.set(index_file::identity(&path));
        Ok(())
    }

    /// The identity of the index file now (`None`: there is none).
    pub fn index_identity(&self) -> Option<index_file::Identity> {
        index_file::identity(&self.git_dir().join("index"))
    }

    /// Takes the index file as verified while it keeps `identity` (see
    /// [`index_file::trust`]).
    pub fn trust_index(&self, identity: index_file::Identity) {
        index_file::trust(&self.git_dir().join("index"), identity);
    }

    /// The identity of the index as this process last wrote it to commit.
    pub fn index_written(&self) -> Option<index_file::Identity> {
        self.index_written.get()
    }

    /// The index file, read without libgit2; `None` when there is none or it is in a
    /// form left to libgit2 (see `index_file.rs`).
    /// Read again for each use rather than kept: a copy kept through an operation
    /// would add its size to the process's peak memory.
    pub fn index_file(&self) -> Option<IndexFile> {
        IndexFile::read(&self.git_dir().join("index")).ok().flatten()
    }

    /// The blob the index records for `path`, if it is tracked.
    pub fn index_id(&self, path: &str) -> anyhow::Result<Option<Oid>> {
        if let Some(index) = self.index_file() {
            return match index.find(path.as_bytes()) {
                Some(entry) if entry.stage == 0 => Ok(Some(Oid::from_bytes(entry.id)?)),
                _ => Ok(None),
            };
        }
        let mut index = self.repo.index()?;
        index.read(false)?;
        Ok(index.get_path(Path::new(path), 0).map(|entry| entry.id))
    }

    fn commit_tree(
        &self,
        tree: &git2::Tree<'_>,
        message: &str,
        author: &Identity,
        committer: &Identity,
    ) -> anyhow::Result<Oid> {
        let author = Signature::now(&author.name, &author.email)?;
        let committer = Signature::now(&committer.name, &committer.email)?;
        let parent = match self.head()? {
            Some(oid) => Some(self.repo.find_commit(oid)?),
            None => None,
        };
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        Ok(self
            .repo
            .commit(Some("HEAD"), &author, &committer, message, tree, &parents)?)
    }

    /// The commit HEAD points to (`None` in an empty repository).
    pub fn head(&self) -> anyhow::Result<Option<Oid>> {
        match self.repo.head() {
            Ok(head) => Ok(head.target()),
            Err(err) if matches!(err.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(err) => Err(err).context("reading HEAD"),
        }
    }

    /// The last known commit of the remote branch.
    pub fn upstream(&self) -> anyhow::Result<Option<Oid>> {
        match self
            .repo
            .find_branch(&format!("{REMOTE}/{}", self.branch), BranchType::Remote)
        {
            Ok(branch) => Ok(branch.get().target()),
            Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
            Err(err) => Err(err).context("reading the remote branch"),
        }
    }

    /// Commits on HEAD that the remote branch does not have, oldest first.
    pub fn local_commits(&self) -> anyhow::Result<Vec<Oid>> {
        let Some(head) = self.head()? else {
            return Ok(Vec::new());
        };
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(head)?;
        if let Some(upstream) = self.upstream()? {
            walk.hide(upstream)?;
        }
        Ok(walk.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn message(&self, commit: Oid) -> anyhow::Result<String> {
        Ok(self
            .repo
            .find_commit(commit)?
            .message()
            .unwrap_or_default()
            .to_string())
    }

    /// Whether `ancestor` is reachable from `descendant` (or equal).
    pub fn is_ancestor(&self, ancestor: Oid, descendant: Oid) -> anyhow::Result<bool> {
        Ok(ancestor == descendant || self.repo.graph_descendant_of(descendant, ancestor)?)
    }

    /// Moves HEAD, the index and the working tree to `commit`.
    pub fn reset_hard(&self, commit: Oid) -> anyhow::Result<()> {
        let object = self.repo.find_object(commit, None)?;
        self.repo
            .reset(&object, ResetType::Hard, Some(CheckoutBuilder::new().force()))?;
        Ok(())
    }

    /// The content of `path` in HEAD, if it is there.
    pub fn read_at_head(&self, path: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let Some(head) = self.head()? else { return Ok(None) };
        let tree = self.repo.find_commit(head)?.tree()?;
        match tree.get_path(Path::new(path)) {
            Ok(entry) => Ok(Some(self.repo.find_blob(entry.id())?.content().to_vec())),
            Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// Applies `commit`'s changes on top of HEAD as a new commit with its author and
    /// message. Conflicting files keep HEAD's version; the replayed version of each is
    /// written beside it as `PATH.conflict-SHORTID` and committed too.
    pub fn replay_commit(&self, commit: Oid, committer: &Identity) -> anyhow::Result<Replayed> {
        let picked = self.repo.find_commit(commit)?;
        let head = self
            .repo
            .find_commit(self.head()?.context("replaying onto an empty branch")?)?;
        let mut index = self.repo.cherrypick_commit(&picked, &head, 0, None)?;
        let author = Identity {
            name: picked.author().name().unwrap_or("unknown").to_string(),
            email: picked.author().email().unwrap_or("unknown").to_string(),
        };
        let message = picked.message().unwrap_or("Replayed change").to_string();
        if !index.has_conflicts() {
            let tree = self.repo.find_tree(index.write_tree_to(&self.repo)?)?;
            self.commit_tree(&tree, &message, &author, committer)?;
            self.repo.checkout_head(Some(CheckoutBuilder::new().force()))?;
            return Ok(Replayed::Clean);
        }
        let short = &commit.to_string()[..8];
        let mut saved = Vec::new();
        for conflict in index.conflicts()? {
            let conflict = conflict?;
            let Some(theirs) = conflict.their else { continue };
            let path = String::from_utf8_lossy(&theirs.path).to_string();
            let beside = format!("{path}.conflict-{short}");
            let content = self.repo.find_blob(theirs.id)?.content().to_vec();
            super::files::write_atomically(&self.root().join(&beside), &content)?;
            saved.push(beside);
        }
        let note = format!(
            "{}\n\nThis change conflicted with the remote; the remote's version was kept and this one saved beside it: {}",
            message.trim_end(),
            saved.join(", ")
        );
        self.commit_all(&note, &author, committer)?;
        Ok(Replayed::SavedBeside(saved))
    }

    /// The messages of the last `limit` commits on HEAD, newest first.
    pub fn recent_messages(&self, limit: usize) -> anyhow::Result<Vec<String>> {
        let Some(head) = self.head()? else {
            return Ok(Vec::new());
        };
        let mut walk = self.repo.revwalk()?;
        walk.push(head)?;
        walk.take(limit).map(|oid| self.message(oid?)).collect()
    }

    /// Keeps the reflogs of HEAD and the branch to their newest `keep` entries once
    /// they pass twice that: libgit2 copies a whole reflog on every update, so an
    /// unbounded one makes every commit of a long-lived store slower.
    pub fn bound_reflogs(&self, keep: usize) -> anyhow::Result<()> {
        for name in ["HEAD".to_string(), format!("refs/heads/{}", self.branch)] {
            // A reflog line is over 100 bytes: a file smaller than this cannot hold
            // too many, and need not be read at all (it is, on every open).
            let file = self.git_dir().join("logs").join(&name);
            if std::fs::metadata(&file).map_or(true, |meta| meta.len() < (keep * 2 * 100) as u64) {
                continue;
            }
            let mut reflog = self.repo.reflog(&name)?;
            if reflog.len() <= keep * 2 {
                continue;
            }
            // Entry 0 is the newest; drop from the oldest end.
            while reflog.len() > keep {
                reflog.remove(reflog.len() - 1, false)?;
            }
            reflog.write()?;
        }
        Ok(())
    }

    /// The commit a revision names (a full or short hash, `HEAD~2`…).
    pub fn resolve(&self, revision: &str) -> anyhow::Result<Oid> {
        Ok(self.repo.revparse_single(revision)?.peel_to_commit()?.id())
    }

    /// The newest commit on HEAD whose message satisfies `wanted`, among the last
    /// `limit` commits.
    pub fn find_commit(&self, limit: usize, wanted: impl Fn(&str) -> bool) -> anyhow::Result<Option<Oid>> {
        let Some(head) = self.head()? else { return Ok(None) };
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL)?;
        walk.push(head)?;
        for oid in walk.take(limit) {
            let oid = oid?;
            if wanted(&self.message(oid)?) {
                return Ok(Some(oid));
            }
        }
        Ok(None)
    }

    /// The files `commit` changed, as they are once it is reverted on top of HEAD
    /// (`None`: deleted); `Err` with the reason when it cannot be reverted cleanly.
    pub fn revert_files(&self, commit: &str) -> anyhow::Result<Result<FileChanges, String>> {
        let Ok(oid) = self.resolve(commit) else {
            return Ok(Err(format!("there is no commit {commit} in the store")));
        };
        let target = self.repo.find_commit(oid)?;
        if target.parent_count() != 1 {
            return Ok(Err(
                "the store's first commit (and merges) cannot be undone".to_string()
            ));
        }
        let head = self
            .repo
            .find_commit(self.head()?.context("undoing in an empty repository")?)?;
        let mut index = self.repo.revert_commit(&target, &head, 0, None)?;
        if index.has_conflicts() {
            return Ok(Err(format!(
                "later changes touched the same lines, so {} cannot be undone cleanly; nothing was changed",
                &oid.to_string()[..8]
            )));
        }
        let reverted = self.repo.find_tree(index.write_tree_to(&self.repo)?)?;
        let diff = self
            .repo
            .diff_tree_to_tree(Some(&head.tree()?), Some(&reverted), None)?;
        let mut files = Vec::new();
        for delta in diff.deltas() {
            let Some(path) = delta.new_file().path().or_else(|| delta.old_file().path()) else {
                continue;
            };
            let path = path.to_string_lossy().to_string();
            if delta.status() == git2::Delta::Deleted {
                files.push((path, None));
            } else {
                files.push((
                    path,
                    Some(self.repo.find_blob(delta.new_file().id())?.content().to_vec()),
                ));
            }
        }
        Ok(Ok(files))
    }

    /// Commits on HEAD, newest first, that changed one of `paths` (all commits when
    /// empty) and, with `text`, added or removed a line containing it.
    pub fn history(
        &self,
        paths: &[&str],
        text: Option<&str>,
        limit: usize,
    ) -> anyhow::Result<Vec<CommitInfo>> {
        let Some(head) = self.head()? else {
            return Ok(Vec::new());
        };
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        walk.push(head)?;
        let mut found = Vec::new();
        for oid in walk {
            let commit = self.repo.find_commit(oid?)?;
            if !paths.is_empty() {
                let parent_tree = match commit.parents().next() {
                    Some(parent) => Some(parent.tree()?),
                    None => None,
                };
                let mut options = git2::DiffOptions::new();
                for path in paths {
                    options.pathspec(path);
                }
                let diff = self.repo.diff_tree_to_tree(
                    parent_tree.as_ref(),
                    Some(&commit.tree()?),
                    Some(&mut options),
                )?;
                if diff.deltas().len() == 0 {
                    continue;
                }
                if let Some(text) = text {
                    let hit = Cell::new(false);
                    diff.foreach(
                        &mut |_, _| true,
                        None,
                        None,
                        Some(&mut |_, _, line| {
                            if matches!(line.origin(), '+' | '-')
                                && String::from_utf8_lossy(line.content()).contains(text)
                            {
                                hit.set(true);
                            }
                            true
                        }),
                    )?;
                    if !hit.get() {
                        continue;
                    }
                }
            }
            found.push(CommitInfo {
                id: commit.id().to_string(),
                time: commit.time().seconds(),
                author: commit.author().name().unwrap_or("unknown").to_string(),
                subject: commit.summary().ok().flatten().unwrap_or_default().to_string(),
                by_assistant: super::operation_id(commit.message().unwrap_or_default()).is_some(),
            });
            if found.len() >= limit {
                break;
            }
        }
        Ok(found)
    }

    /// Fetches the branch from the remote into `origin/BRANCH`.
    pub fn fetch(&self) -> anyhow::Result<()> {
        let mut remote = self.repo.find_remote(REMOTE).context("no remote configured")?;
        let attempts = Cell::new(0);
        let mut options = FetchOptions::new();
        options.remote_callbacks(self.callbacks(&attempts));
        let refspec = format!("+refs/heads/{0}:refs/remotes/{REMOTE}/{0}", self.branch);
        remote
            .fetch(&[refspec], Some(&mut options), None)
            .context("fetching from the remote")?;
        Ok(())
    }

    /// Pushes the branch; never forced. A remote that moved is `Rejected`.
    pub fn push(&self) -> anyhow::Result<PushOutcome> {
        // libgit2 pushes to a local path by checking fast-forward first and updating the
        // ref after, without compare-and-swap: our writers take turns on such remotes.
        let turn = self.local_push_lock()?;
        if let (Some(turn), Some(head)) = (&turn, self.head()?) {
            match local_push::push(&self.repo, &turn.remote, &self.branch, head)? {
                local_push::Direct::Pushed => {
                    self.record_pushed()?;
                    return Ok(PushOutcome::Pushed);
                }
                local_push::Direct::Rejected => return Ok(PushOutcome::Rejected),
                local_push::Direct::NotBare => {}
            }
        }
        let mut remote = self.repo.find_remote(REMOTE).context("no remote configured")?;
        let attempts = Cell::new(0);
        let refused = RefCell::new(None::<String>);
        let mut callbacks = self.callbacks(&attempts);
        callbacks.push_update_reference(|_, status| {
            if let Some(status) = status {
                *refused.borrow_mut() = Some(status.to_string());
            }
            Ok(())
        });
        let mut options = PushOptions::new();
        options.remote_callbacks(callbacks);
        let refspec = format!("refs/heads/{0}:refs/heads/{0}", self.branch);
        match remote.push(&[refspec], Some(&mut options)) {
            Ok(()) if refused.borrow().is_none() => {}
            Ok(()) => return Ok(PushOutcome::Rejected),
            Err(err) if err.code() == ErrorCode::NotFastForward || err.message().contains("fast-forward") => {
                return Ok(PushOutcome::Rejected);
            }
            Err(err) => return Err(err).context("pushing to the remote"),
        }
        drop(options);
        self.record_pushed()?;
        Ok(PushOutcome::Pushed)
    }

    /// Records that the remote branch now has our head.
    fn record_pushed(&self) -> anyhow::Result<()> {
        if let Some(head) = self.head()? {
            let name = format!("refs/remotes/{REMOTE}/{}", self.branch);
            self.repo.reference(&name, head, true, "push")?;
        }
        Ok(())
    }

    /// An exclusive lock inside a remote that is a local repository (`file://` or a
    /// path), held while pushing; `None` for network remotes.
    fn local_push_lock(&self) -> anyhow::Result<Option<PushTurn>> {
        let Some(settings) = &self.remote else {
            return Ok(None);
        };
        let path = match settings.url.strip_prefix("file://") {
            Some(path) => PathBuf::from(path),
            None if !settings.url.contains("://") => PathBuf::from(&settings.url),
            None => return Ok(None),
        };
        if !path.is_dir() {
            return Ok(None);
        }
        let lock = path.join("myorg-push.lock");
        let file = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .with_context(|| format!("opening {}", lock.display()))?;
        file.lock()
            .with_context(|| format!("locking {}", lock.display()))?;
        // As with the writer lock: a mark left behind means a push died mid-update, and
        // the ref lock it left in the remote is stale.
        let mark = path.join("myorg-pushing");
        if mark.exists() {
            for stale in super::lock::git_lock_files(&path) {
                let _ = std::fs::remove_file(stale);
            }
        }
        std::fs::write(&mark, std::process::id().to_string())
            .with_context(|| format!("writing {}", mark.display()))?;
        Ok(Some(PushTurn {
            _file: file,
            mark,
            remote: path,
        }))
    }

    /// Credentials from the settings, each kind tried once (libgit2 asks again after
    /// a refusal, which would otherwise loop).
    /// The callbacks of every connection to the remote (and where https gets its roots).
    fn callbacks<'a>(&'a self, attempts: &'a Cell<u32>) -> RemoteCallbacks<'a> {
        if self
            .remote
            .as_ref()
            .is_some_and(|remote| remote.url.starts_with("https://"))
        {
            // A failure shows as a certificate error on the connection itself.
            let _ = load_tls_roots();
        }
        let mut callbacks = RemoteCallbacks::new();
        callbacks.credentials(move |url, username_from_url, allowed| {
            attempts.set(attempts.get() + 1);
            if attempts.get() > 3 {
                return Err(git2::Error::from_str(
                    "the remote refused the configured credentials",
                ));
            }
            let Some(settings) = &self.remote else {
                return Err(git2::Error::from_str("no credentials configured"));
            };
            if allowed.contains(CredentialType::USER_PASS_PLAINTEXT)
                && let Some(token) = &settings.token
            {
                // The URL asked for, which a redirect may have changed since the
                // remote was checked.
                if token_transport(url) == TokenTransport::InClear {
                    return Err(git2::Error::from_str(&format!(
                        "GIT_TOKEN is not sent unencrypted to {}",
                        token::without_credentials(url)
                    )));
                }
                let user = settings
                    .username
                    .as_deref()
                    .or(username_from_url)
                    .unwrap_or("git");
                return Cred::userpass_plaintext(user, token);
            }
            if allowed.contains(CredentialType::SSH_KEY) {
                let user = username_from_url
                    .or(settings.username.as_deref())
                    .unwrap_or("git");
                return match &settings.ssh_key {
                    Some(key) => Cred::ssh_key(user, None, key, None),
                    None => Cred::ssh_key_from_agent(user),
                };
            }
            if allowed.contains(CredentialType::USERNAME) {
                return Cred::username(settings.username.as_deref().unwrap_or("git"));
            }
            Cred::default()
        });
        callbacks
    }
}

/// The blob written for the `at`th file of a change.
fn blob_id(ids: &[Option<Oid>], at: usize, path: &str) -> anyhow::Result<Oid> {
    ids.get(at)
        .copied()
        .flatten()
        .with_context(|| format!("the blob of {path} was not written"))
}

/// An index entry for a file just written, with its stat data so that the next status
/// does not hash it again.
fn index_entry(path: &str, id: Oid, mode: u32, meta: &std::fs::Metadata) -> git2::IndexEntry {
    use std::os::unix::fs::MetadataExt;
    // The index stores these fields truncated to 32 bits, as git does.
    let time = |seconds: i64, nanoseconds: i64| git2::IndexTime::new(seconds as i32, nanoseconds as u32);
    git2::IndexEntry {
        ctime: time(meta.ctime(), meta.ctime_nsec()),
        mtime: time(meta.mtime(), meta.mtime_nsec()),
        dev: meta.dev() as u32,
        ino: meta.ino() as u32,
        mode,
        uid: meta.uid(),
        gid: meta.gid(),
        file_size: meta.size() as u32,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// libgit2 was started by [`start_without_tls_roots`].
static TLS_ROOTS_DEFERRED: AtomicBool = AtomicBool::new(false);
static TLS_ROOTS: OnceLock<Option<PathBuf>> = OnceLock::new();

/// The most memory libgit2 keeps for objects it has read.
const OBJECT_CACHE_BYTES: isize = 4 * 1024 * 1024;

/// Starts libgit2 without reading the system's trusted TLS roots. libgit2 loads them
/// all when it starts (about 50 ms, most of a `myorg` command's time) although only
/// https remotes need them; they are then loaded before the first https connection.
///
/// # Safety
/// It changes the process environment for a moment: call it first thing in `main`,
/// before any other thread exists.
pub unsafe fn start_without_tls_roots() {
    const CERT_FILE: &str = "SSL_CERT_FILE";
    let previous = std::env::var_os(CERT_FILE);
    // An existing, empty file: libgit2's probe keeps it, and OpenSSL finds no root in it.
    // SAFETY: the caller guarantees no other thread reads the environment.
    unsafe { std::env::set_var(CERT_FILE, "/dev/null") };
    // Any git2 call starts libgit2; this one sets an option to its default.
    git2::opts::strict_object_creation(true);
    // libgit2 caches the objects it reads, up to 256 MiB by default; a long-running
    // assistant that commits all day needs few of them again.
    // SAFETY: libgit2 is started (above) and no other thread uses it yet.
    let _ = unsafe { git2::opts::set_cache_max_size(OBJECT_CACHE_BYTES) };
    // SAFETY: as above.
    unsafe {
        match previous {
            Some(value) => std::env::set_var(CERT_FILE, value),
            None => std::env::remove_var(CERT_FILE),
        }
    }
    TLS_ROOTS_DEFERRED.store(true, Ordering::SeqCst);
}

/// Loads the system's trusted roots into libgit2 if they were deferred, once; the file
/// or directory loaded (`None` when nothing was deferred or nothing found).
pub fn load_tls_roots() -> anyhow::Result<Option<PathBuf>> {
    if !TLS_ROOTS_DEFERRED.load(Ordering::SeqCst) {
        return Ok(None);
    }
    let mut failure = None;
    let loaded = TLS_ROOTS.get_or_init(|| {
        let probe = openssl_probe::probe();
        // SAFETY: runs once, before this process's first https connection (every one
        // comes through here and waits for it), so nothing uses the TLS context meanwhile.
        let result = unsafe {
            match (&probe.cert_file, &probe.cert_dir) {
                (Some(file), _) => git2::opts::set_ssl_cert_file(file).map(|()| Some(file.clone())),
                (None, Some(dir)) => git2::opts::set_ssl_cert_dir(dir).map(|()| Some(dir.clone())),
                (None, None) => Ok(None),
            }
        };
        result.unwrap_or_else(|err| {
            failure = Some(err);
            None
        })
    });
    match failure {
        Some(err) => Err(err).context("loading the trusted TLS roots"),
        None => Ok(loaded.clone()),
    }
}
