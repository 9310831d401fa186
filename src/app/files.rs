//! Files inside the store: list them, read one in pieces, append to one, and write
//! one whole (confirmed first). Every path goes through `store::paths::resolve` (no
//! absolute path, no `..`, nothing in `.git`, no link leading out) and every write
//! through its size limit; the operations check both again when applied. Appending
//! refuses the files the assistant keeps line by line ([`MANAGED`]: todo.txt,
//! calendar.txt…), naming what changes each, so raw text never lands in them.
//!
//! These take a [`Ctx`] even to read: they walk the store's folder itself, which a
//! [`super::Files`] does not show.

use super::confirm::Pending;
use super::{Ctx, Error, Result};
use crate::store::operation::{
    CALENDAR, DONE, GOALS, KPI, LOG, MANAGED, MEMORY, PROJECTS, TODO, content_hash, managed,
};
use crate::store::paths::{self, check_size};
use crate::store::{Operation, PushReport};
use anyhow::Context as _;
use myorg_domain::files::{self as domain, Piece};
use std::path::{Path, PathBuf};

/// The most [`read`] returns at once, in bytes.
pub const READ_LIMIT: usize = 8000;

/// A file of the store and its size.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoreFile {
    /// Store-relative.
    pub path: String,
    pub bytes: u64,
}

impl StoreFile {
    /// `PATH SIZEB`.
    pub fn said(&self) -> String {
        format!("{} {}B", self.path, self.bytes)
    }
}

/// The files under the store folder `dir` (all when `None` or blank), by path: not
/// `.git`, not links, not half-written temporary files.
pub fn list(ctx: &Ctx, dir: Option<&str>) -> Result<Vec<StoreFile>> {
    let root = ctx.store.root();
    let dir = dir.filter(|dir| !dir.trim().is_empty());
    let start = match dir {
        Some(dir) => paths::resolve(root, dir)?,
        None => root.to_path_buf(),
    };
    if !start.is_dir() {
        return Err(Error::NotFound(format!(
            "{} is not a folder of the store",
            dir.unwrap_or_default()
        )));
    }
    let mut found = Vec::new();
    walk(root, &start, &mut found)?;
    found.sort();
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<StoreFile>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == ".git" || name.starts_with(".myorg-write-") {
            continue;
        }
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            walk(root, &path, found)?;
        } else if kind.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            found.push(StoreFile {
                path: relative.to_string_lossy().into_owned(),
                bytes: entry.metadata()?.len(),
            });
        }
    }
    Ok(())
}

/// A piece of a file read.
#[derive(Debug, Clone)]
pub struct Read {
    /// As asked for.
    pub path: String,
    /// The piece's bytes, read as UTF-8 (anything else replaced).
    pub text: String,
    pub piece: Piece,
}

impl Read {
    /// The text, and where it was cut or that it is the end; `PATH is empty.` for an
    /// empty file.
    pub fn said(&self) -> String {
        let Piece { start, end, total } = self.piece;
        if total == 0 {
            return format!("{} is empty.", self.path);
        }
        let mut said = self.text.clone();
        if self.piece.is_cut() {
            said.push_str(&format!(
                "\n[cut: bytes {start}-{end} of {total}; read on with offset {end}]"
            ));
        } else if start > 0 {
            said.push_str(&format!("\n[bytes {start}-{end} of {total}: the end]"));
        }
        said
    }
}

/// At most [`READ_LIMIT`] bytes of the file `path` from byte `offset`, never cutting
/// a character in two.
pub fn read(ctx: &Ctx, path: &str, offset: u64) -> Result<Read> {
    let full = paths::resolve(ctx.store.root(), path)?;
    if !full.is_file() {
        return Err(Error::NotFound(format!("{path} is not a file of the store")));
    }
    let bytes = std::fs::read(&full).with_context(|| format!("reading {path}"))?;
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let piece = domain::piece(&bytes, start, READ_LIMIT)
        .ok_or_else(|| Error::Invalid(format!("{path} has only {} bytes", bytes.len())))?;
    Ok(Read {
        path: path.to_string(),
        text: String::from_utf8_lossy(&bytes[piece.start..piece.end]).into_owned(),
        piece,
    })
}

/// A change committed: its subject.
#[derive(Debug, Clone)]
pub struct Appended {
    pub summary: String,
    pub push: PushReport,
}

/// Appends `text` as lines at the end of the file `path` (made when missing); never
/// to a file kept line by line.
pub fn append(ctx: &Ctx, path: &str, text: &str) -> Result<Appended> {
    let root = ctx.store.root();
    let full = paths::resolve(root, path)?;
    settings_are_their_own(path)?;
    if let Some(file) = kept_line_by_line(root, path, &full) {
        return Err(Error::Invalid(format!(
            "append_file does not write to {file}, which is kept line by line; use {} instead (nothing was changed)",
            changed_by(file)
        )));
    }
    if full.is_dir() {
        return Err(Error::Invalid(format!("{path} is a folder")));
    }
    let current = full.metadata().map_or(0, |meta| meta.len());
    check_size(
        path,
        usize::try_from(current)
            .unwrap_or(usize::MAX)
            .saturating_add(text.len() + 2),
    )?;
    let applied = ctx.store.apply(
        Operation::AppendFile {
            path: path.to_string(),
            text: text.to_string(),
        },
        &ctx.actor,
    )?;
    Ok(Appended {
        summary: applied.summary,
        push: applied.push,
    })
}

/// The file kept line by line ([`MANAGED`]) that store path `relative`, resolved to
/// `full` under `root`, names: by its words, or by where links on the way lead.
fn kept_line_by_line(root: &Path, relative: &str, full: &Path) -> Option<&'static str> {
    if let Some(file) = managed(relative) {
        return Some(file);
    }
    let real = real_path(full)?;
    MANAGED
        .into_iter()
        .find(|file| real_path(&root.join(file)).is_some_and(|kept| kept == real))
}

/// `path` with its links followed; for a file not made yet, its folder's.
fn real_path(path: &Path) -> Option<PathBuf> {
    path.canonicalize()
        .ok()
        .or_else(|| Some(path.parent()?.canonicalize().ok()?.join(path.file_name()?)))
}

/// The people's settings, and the team's directives with them, change only through
/// [`super::settings::set`] (or by hand): never through a raw write, which would let
/// the model lift a directive.
fn settings_are_their_own(path: &str) -> Result<()> {
    let clean = paths::lexical(path)?;
    if clean
        .to_str()
        .is_some_and(|clean| clean.eq_ignore_ascii_case(super::settings::FILE))
    {
        return Err(Error::Refused(format!(
            "{} holds the people's settings and the team's directives; they change with `myorg settings` or /settings (nothing was changed)",
            super::settings::FILE
        )));
    }
    Ok(())
}

/// What changes `file`, one of [`MANAGED`]: the use cases, by the names of the
/// model's tools that run them.
fn changed_by(file: &str) -> &'static str {
    match file {
        TODO => "add_task (or add_waiting, update_task, complete_task)",
        DONE => "complete_task (done tasks are archived there)",
        CALENDAR => "add_event",
        PROJECTS | GOALS => "update_project",
        LOG => "add_note",
        MEMORY => "remember",
        KPI => "update_arr_data",
        _ => "the tool made for it",
    }
}

/// Replacing the whole content of the file `path` (or making it) with `content`, for
/// the person to confirm: nothing changes until [`super::confirm::apply`], and then
/// only over the content previewed.
pub fn write(ctx: &Ctx, path: &str, content: &str) -> Result<Pending> {
    let full = paths::resolve(ctx.store.root(), path)?;
    settings_are_their_own(path)?;
    check_size(path, content.len())?;
    if full.is_dir() {
        return Err(Error::Invalid(format!("{path} is a folder")));
    }
    let current = if full.is_file() {
        Some(std::fs::read(&full).with_context(|| format!("reading {path}"))?)
    } else {
        None
    };
    if current.as_deref().unwrap_or_default() == content.as_bytes() {
        return Err(Error::Invalid(format!("{path} already has that content")));
    }
    let preview = domain::write_preview(path, current.as_deref(), content);
    let operation = Operation::WriteFile {
        path: path.to_string(),
        content: content.to_string(),
        base: content_hash(current.as_deref().unwrap_or_default()),
    };
    Ok(Pending::new(ctx, "write_file", preview, operation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::with_ctx;

    #[test]
    fn a_path_out_of_the_store_is_invalid_and_a_missing_file_not_found() {
        with_ctx(|ctx| {
            let todo = ctx.store.read("todo.txt").unwrap();
            assert!(
                matches!(read(ctx, "../x", 0), Err(Error::Invalid(why)) if why.contains("goes up with .."))
            );
            assert!(matches!(write(ctx, ".git/config", "x"), Err(Error::Invalid(_))));
            assert!(matches!(append(ctx, "/etc/passwd", "x"), Err(Error::Invalid(_))));
            assert!(matches!(read(ctx, "notes/none.md", 0), Err(Error::NotFound(_))));
            assert!(matches!(list(ctx, Some("nowhere")), Err(Error::NotFound(_))));
            assert!(matches!(
                append(ctx, "todo.txt", "(A) raw"),
                Err(Error::Invalid(why)) if why.contains("use add_task")
            ));
            assert_eq!(ctx.store.read("todo.txt").unwrap(), todo);
        });
    }

    #[test]
    fn a_write_waits_for_its_confirmation_and_the_same_content_is_invalid() {
        with_ctx(|ctx| {
            let pending = write(ctx, "notes/new.md", "a\n").unwrap();
            assert_eq!(pending.preview, "Create notes/new.md: 2 bytes, 1 lines");
            assert!(!ctx.store.root().join("notes/new.md").exists());
            super::super::confirm::apply(ctx, &pending).unwrap();
            assert_eq!(read(ctx, "notes/new.md", 0).unwrap().said(), "a\n");
            assert!(matches!(
                write(ctx, "notes/new.md", "a\n"),
                Err(Error::Invalid(why)) if why == "notes/new.md already has that content"
            ));
        });
    }
}
