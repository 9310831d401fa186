//! Where a store comes from, the first time a path is opened: an existing store, a
//! clone of the remote's, a new store (the sample files or empty ones), or a folder of
//! the person's own files, adopted as they are. What a folder holds is never replaced:
//! when that would be the only way on, opening stops and says what to do.

use super::git::Git;
use super::operation::{CALENDAR, DONE, GOALS, LOG, MEMORY, PROJECTS, TODO};
use super::{StoreSettings, files, template};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// The files every store has (an empty one is created where missing).
pub const STORE_FILES: [&str; 7] = [TODO, DONE, CALENDAR, PROJECTS, GOALS, LOG, MEMORY];

/// What a new store starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NewStore {
    /// The bundled sample store, for trying the assistant out.
    #[default]
    Sample,
    /// The store's files, empty: a real store.
    Empty,
}

/// What opening may do with the store's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Start {
    /// Whatever is there: a store is opened, a folder of files adopted (never over a
    /// remote's history), a missing or empty folder made a new store.
    #[default]
    Open,
    /// `myorg init`: a new store; the folder must be missing or empty.
    New,
    /// `myorg init --adopt`: the folder's files, on top of the remote's store when it
    /// has one (conflicting files saved beside).
    Adopt,
}

/// What opening found at the store's path and made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A store that was already there.
    Existing,
    /// A clone of the remote's store.
    Cloned,
    /// A new store of this kind.
    New(NewStore),
    /// A folder that was not a repository, now committed as it was: how many files
    /// it held, the store files created empty, and (adopted over a remote's store)
    /// the folder's versions saved beside the remote's.
    Adopted {
        files: usize,
        created: Vec<String>,
        saved_beside: Vec<String>,
    },
}

const ADOPTED: &str = "Start keeping these files in git";
const MISSING_FILES: &str = "Add the store's missing files, empty";

/// Opens or creates the repository at `settings.root` as `settings.start` allows.
pub fn open_or_create(settings: &StoreSettings) -> anyhow::Result<(Git, Origin)> {
    let root = &settings.root;
    let found = inspect(root)?;
    match (settings.start, found) {
        (Start::Open, Found::Repository) => open_existing(settings),
        (Start::New | Start::Adopt, Found::Repository) => bail!(
            "{} is already a git repository; open it as a store with `myorg --store {0} status`",
            root.display()
        ),
        (Start::Open | Start::New, Found::Missing | Found::Empty) => {
            with_cleanup(root, found, || new_store(settings))
        }
        (Start::Adopt, Found::Missing | Found::Empty) => bail!(
            "{} holds no files to adopt; `myorg init --empty {0}` starts a new store there",
            root.display()
        ),
        (Start::New, Found::Files) => bail!(
            "{} already holds files; `myorg init --adopt {0}` keeps them in git as they are",
            root.display()
        ),
        (Start::Open | Start::Adopt, Found::Files) => with_cleanup(root, found, || adopt(settings)),
    }
}

/// What is at the store's path before anything is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Missing,
    Empty,
    /// A folder with files in it, not a repository.
    Files,
    Repository,
}

fn inspect(root: &Path) -> anyhow::Result<Found> {
    let meta = match std::fs::metadata(root) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(err) => {
            return Err(err).with_context(|| {
                format!(
                    "cannot read the store folder {}; nothing was changed",
                    root.display()
                )
            });
        }
    };
    if !meta.is_dir() {
        bail!(
            "{} is a file, not a folder for the store; nothing was changed",
            root.display()
        );
    }
    if root.join(".git").exists() {
        return Ok(Found::Repository);
    }
    Ok(if holds_files(root)? {
        Found::Files
    } else {
        Found::Empty
    })
}

/// Whether a file is anywhere under `dir`: a folder of empty folders (a fresh volume's
/// `lost+found`) holds nothing to keep.
fn holds_files(dir: &Path) -> anyhow::Result<bool> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}; nothing was changed", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}; nothing was changed", dir.display()))?;
        let kind = entry.file_type()?;
        if !kind.is_dir() || holds_files(&entry.path())? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A repository is opened only when it is a store: one that tracks files and none of
/// the store's is something else (a project, dotfiles), which is left alone.
fn open_existing(settings: &StoreSettings) -> anyhow::Result<(Git, Origin)> {
    let git = Git::open(&settings.root, &settings.branch, settings.remote.clone())?;
    let (tracked, has_store_files) = git.tracks(&STORE_FILES)?;
    if tracked > 0 && !has_store_files {
        bail!(
            "{} is a git repository of something else: it tracks {tracked} files and none of \
             {}; nothing was changed. Point --store at your store's folder, or at a new one \
             (`myorg init --empty DIR`)",
            settings.root.display(),
            STORE_FILES.join(", ")
        );
    }
    git.ensure_branch()?;
    git.ensure_remote()?;
    Ok((git, Origin::Existing))
}

/// A missing or empty folder: a clone of the remote's store, or a new one.
fn new_store(settings: &StoreSettings) -> anyhow::Result<(Git, Origin)> {
    let git = Git::init(&settings.root, &settings.branch, settings.remote.clone())?;
    if git.has_remote() {
        git.fetch()?;
        if let Some(upstream) = git.upstream()? {
            git.reset_hard(upstream)?;
            return Ok((git, Origin::Cloned));
        }
    }
    let message = match settings.new_store {
        NewStore::Sample => {
            template::write_to(&settings.root).context("writing the bundled sample store")?;
            "Create the store from the template"
        }
        NewStore::Empty => {
            create_missing(&settings.root)?;
            "Start an empty store"
        }
    };
    let assistant = &settings.assistant;
    git.commit_all(message, assistant, assistant)?;
    Ok((git, Origin::New(settings.new_store)))
}

/// A folder of files that is not a repository: every file committed as it is, by
/// the person, then the store's missing files created empty. With a remote that has
/// history, only on `myorg init --adopt`.
fn adopt(settings: &StoreSettings) -> anyhow::Result<(Git, Origin)> {
    let root = &settings.root;
    let git = Git::init(root, &settings.branch, settings.remote.clone())?;
    let mut saved_beside = Vec::new();
    if git.has_remote() {
        git.fetch().with_context(|| {
            format!(
                "{} holds files but is not a git repository, and the remote could not be \
                 reached to see whether it already holds a store; nothing was changed",
                root.display()
            )
        })?;
        if let Some(upstream) = git.upstream()? {
            if settings.start != Start::Adopt {
                bail!(
                    "{} holds files but is not a git repository, and the remote already holds a \
                     store; nothing was changed. Either clone the remote elsewhere (--store \
                     ANOTHER_DIR), or run `myorg init --adopt {0}` to commit these files on top \
                     of the remote's (a file both have with different content keeps the \
                     remote's version, yours saved beside it as FILE.conflict-ID)",
                    root.display()
                );
            }
            saved_beside = git.adopt_onto(upstream)?;
        }
    }
    let files = git.changed_paths()?.len();
    if files > 0 {
        git.commit_all(ADOPTED, &settings.owner, &settings.assistant)?;
    }
    let created = create_missing(root)?;
    if !created.is_empty() {
        git.commit_all(MISSING_FILES, &settings.assistant, &settings.assistant)?;
    }
    Ok((
        git,
        Origin::Adopted {
            files,
            created,
            saved_beside,
        },
    ))
}

/// Creates, empty, the store files missing under `root`; their names.
fn create_missing(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut created = Vec::new();
    for name in STORE_FILES {
        let path = root.join(name);
        if std::fs::symlink_metadata(&path).is_err() {
            files::write_atomically(&path, b"")?;
            created.push(name.to_string());
        }
    }
    Ok(created)
}

/// Runs `create`; when it fails, removes what it made (the repository, and the folder
/// when it was missing), so a failed first open leaves the path as it found it.
fn with_cleanup(
    root: &Path,
    found: Found,
    create: impl FnOnce() -> anyhow::Result<(Git, Origin)>,
) -> anyhow::Result<(Git, Origin)> {
    let entries = |root: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(root)
            .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
            .unwrap_or_default()
    };
    let before = entries(root);
    let result = create();
    if result.is_err() {
        let made: Vec<PathBuf> = match found {
            Found::Missing => vec![root.to_path_buf()],
            // It held no file: whatever is new in it was made here.
            Found::Empty => entries(root)
                .into_iter()
                .filter(|path| !before.contains(path))
                .collect(),
            Found::Files | Found::Repository => vec![root.join(".git")],
        };
        for path in made {
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            if let Err(err) = removed {
                tracing::warn!(
                    path = %path.display(),
                    error = %err,
                    "could not remove what a failed store creation made"
                );
            }
        }
    }
    result
}
