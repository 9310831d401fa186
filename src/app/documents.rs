//! The store's documents, as a person reads them (MCP's resources): which files they
//! are, the ones that exist (todo.txt, calendar.txt, projects.txt, goals.txt, log.txt,
//! working-memory.txt, telos.md and the notes, `notes/*.md`), and a page of one's
//! lines, [`PAGE_LINES`] a page, so that a long file reaches a reader in parts.
//! Nothing here writes.

use super::files::{self, StoreFile};
use super::{Ctx, Error, Result};
use crate::store::operation::{CALENDAR, GOALS, LOG, MEMORY, PROJECTS, TODO};
use crate::store::paths;
use anyhow::Context as _;
use myorg_domain::files::{Page, lines_page};

/// What the person is working towards, read by the agent too.
pub const TELOS: &str = "telos.md";

/// The folder of notes; the notes are its `.md` files.
pub const NOTES: &str = "notes";

/// The documents that are one file each, in the order they are listed.
pub const FILES: [&str; 7] = [TODO, CALENDAR, PROJECTS, GOALS, LOG, MEMORY, TELOS];

/// Lines a page holds.
pub const PAGE_LINES: usize = 200;

/// Whether store path `path` names a document.
pub fn is_document(path: &str) -> bool {
    FILES.contains(&path)
        || path
            .strip_prefix(NOTES)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|name| name.ends_with(".md") && !name.is_empty())
}

/// The documents that exist, with their sizes: the files of [`FILES`] in that order,
/// then the notes by path.
pub fn list(ctx: &Ctx) -> Result<Vec<StoreFile>> {
    let root = ctx.store.root();
    let mut found = Vec::new();
    for path in FILES {
        let full = paths::resolve(root, path)?;
        if let Ok(meta) = full.metadata()
            && meta.is_file()
        {
            found.push(StoreFile {
                path: path.to_string(),
                bytes: meta.len(),
            });
        }
    }
    if root.join(NOTES).is_dir() {
        found.extend(
            files::list(ctx, Some(NOTES))?
                .into_iter()
                .filter(|file| is_document(&file.path)),
        );
    }
    Ok(found)
}

/// A page of a document.
#[derive(Debug, Clone)]
pub struct Read {
    pub path: String,
    /// Its lines, read as UTF-8 (anything else replaced), line breaks included.
    pub text: String,
    /// Which page of how many, and which lines (0-based) of how many.
    pub page: Page,
}

/// Page `number` (from 1) of the document `path`. A path that is not a document or a
/// file not there is [`Error::NotFound`]; a page past the last is [`Error::Invalid`].
pub fn read(ctx: &Ctx, path: &str, number: usize) -> Result<Read> {
    if !is_document(path) {
        return Err(Error::NotFound(format!(
            "{path} is not one of the store's documents ({}, {NOTES}/*.md)",
            FILES.join(", ")
        )));
    }
    let full = paths::resolve(ctx.store.root(), path)?;
    if !full.is_file() {
        return Err(Error::NotFound(format!("{path} is not in the store")));
    }
    let bytes = std::fs::read(&full).with_context(|| format!("reading {path}"))?;
    let Some((page, range)) = lines_page(&bytes, number, PAGE_LINES) else {
        let pages = lines_page(&bytes, 1, PAGE_LINES).map_or(1, |(page, _)| page.pages);
        return Err(Error::Invalid(format!(
            "{path} has {pages} page{} of {PAGE_LINES} lines; there is no page {number}",
            if pages == 1 { "" } else { "s" }
        )));
    };
    Ok(Read {
        path: path.to_string(),
        text: String::from_utf8_lossy(&bytes[range]).into_owned(),
        page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::with_ctx;

    #[test]
    fn documents_are_the_persons_files_and_notes() {
        for (path, is) in [
            ("todo.txt", true),
            ("telos.md", true),
            ("notes/2026-11-20-plan.md", true),
            ("notes/deep/plan.md", true),
            ("done.txt", false),
            ("notes/plan.txt", false),
            ("notes/", false),
            ("notesx/plan.md", false),
            (".git/config", false),
        ] {
            assert_eq!(is_document(path), is, "{path}");
        }
    }

    #[test]
    fn the_documents_that_exist_are_listed_and_read_in_pages() {
        with_ctx(|ctx| {
            let root = ctx.store.root();
            std::fs::create_dir_all(root.join("notes")).unwrap();
            std::fs::write(root.join("notes/plan.md"), "# Plan\n").unwrap();
            std::fs::write(root.join("notes/scratch.txt"), "x\n").unwrap();
            let long: String = (1..=450).map(|n| format!("line {n}\n")).collect();
            std::fs::write(root.join("log.txt"), &long).unwrap();
            let listed: Vec<String> = list(ctx).unwrap().into_iter().map(|f| f.path).collect();
            assert!(listed.contains(&"todo.txt".to_string()), "{listed:?}");
            assert!(listed.contains(&"notes/plan.md".to_string()), "{listed:?}");
            assert!(
                !listed
                    .iter()
                    .any(|p| p.ends_with("scratch.txt") || p == "done.txt")
            );

            let third = read(ctx, "log.txt", 3).unwrap();
            assert_eq!((third.page.number, third.page.pages), (3, 3));
            assert!(third.text.starts_with("line 401\n") && third.text.ends_with("line 450\n"));
            let error = read(ctx, "log.txt", 4).unwrap_err().to_string();
            assert!(error.contains("has 3 pages of 200 lines"), "{error}");
            assert!(matches!(read(ctx, "done.txt", 1), Err(Error::NotFound(_))));
            assert!(matches!(read(ctx, "notes/none.md", 1), Err(Error::NotFound(_))));
            assert!(read(ctx, "notes/../../etc/passwd.md", 1).is_err());
        });
    }
}
