//! The file tools: `list_files`, `read_file`, `append_file` and `write_file`*, only
//! inside the store: every path goes through [`paths::resolve`] (no absolute path,
//! no `..`, nothing in `.git`, no link leading out) and writes through its size
//! limit; the operations check both again when applied. `append_file` refuses the
//! files the assistant keeps line by line ([`MANAGED`]: todo.txt, calendar.txt…),
//! naming the tool that changes each, so raw text never lands in them.

use super::{Effect, Outcome, Pending, Tool, ToolContext, limited, tool};
use crate::store::Operation;
use crate::store::operation::{
    CALENDAR, DONE, GOALS, LOG, MANAGED, MEMORY, PROJECTS, TODO, content_hash, managed,
};
use crate::store::paths::{self, check_size};
use anyhow::{Context, bail};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The most `read_file` returns at once.
pub const READ_LIMIT: usize = 8000;
/// The most files `list_files` names.
const FILES_SHOWN: usize = 200;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        tool(
            "list_files",
            "The store's files with their sizes.",
            Effect::Reads,
            list_files,
        ),
        tool(
            "read_file",
            "Read a store file (at most 8000 bytes at a time).",
            Effect::Reads,
            read_file,
        ),
        tool(
            "append_file",
            "Append lines to a store file; not todo.txt and the others kept by their own tools.",
            Effect::Changes,
            append_file,
        ),
        tool(
            "write_file",
            "Replace a store file's whole content (the person confirms first).",
            Effect::Confirmed,
            write_file,
        ),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListFiles {
    /// A folder inside the store; default all.
    dir: Option<String>,
}

fn list_files(ctx: &ToolContext, args: ListFiles) -> anyhow::Result<Outcome> {
    let root = ctx.store.root();
    let start = match args.dir.as_deref().filter(|dir| !dir.trim().is_empty()) {
        Some(dir) => paths::resolve(root, dir)?,
        None => root.to_path_buf(),
    };
    if !start.is_dir() {
        bail!("{} is not a folder of the store", args.dir.unwrap_or_default());
    }
    let mut found = Vec::new();
    walk(root, &start, &mut found)?;
    found.sort();
    let lines = found
        .into_iter()
        .map(|(path, bytes)| format!("{path} {bytes}B"))
        .collect();
    Ok(Outcome::Done(limited(lines, FILES_SHOWN, "No files.")))
}

/// The files under `dir` (not `.git`, not links, not half-written temporary files),
/// store-relative, with their sizes.
fn walk(root: &Path, dir: &Path, found: &mut Vec<(String, u64)>) -> anyhow::Result<()> {
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
            found.push((relative.to_string_lossy().into_owned(), entry.metadata()?.len()));
        }
    }
    Ok(())
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ReadFile {
    /// Store-relative, like notes/idea.md.
    path: String,
    /// Byte to start at; default 0.
    offset: Option<u64>,
}

fn read_file(ctx: &ToolContext, args: ReadFile) -> anyhow::Result<Outcome> {
    let full = paths::resolve(ctx.store.root(), &args.path)?;
    if !full.is_file() {
        bail!("{} is not a file of the store", args.path);
    }
    let bytes = std::fs::read(&full).with_context(|| format!("reading {}", args.path))?;
    let total = bytes.len();
    let start = usize::try_from(args.offset.unwrap_or(0)).unwrap_or(usize::MAX);
    if start > total {
        bail!("{} has only {total} bytes", args.path);
    }
    if total == 0 {
        return Ok(Outcome::Done(format!("{} is empty.", args.path)));
    }
    // At most READ_LIMIT bytes, not cutting a UTF-8 character in two.
    let mut end = start.saturating_add(READ_LIMIT).min(total);
    if end < total
        && let Err(error) = std::str::from_utf8(&bytes[start..end])
        && error.error_len().is_none()
    {
        end = start + error.valid_up_to();
    }
    let mut result = String::from_utf8_lossy(&bytes[start..end]).into_owned();
    if end < total {
        result.push_str(&format!(
            "\n[cut: bytes {start}-{end} of {total}; read on with offset {end}]"
        ));
    } else if start > 0 {
        result.push_str(&format!("\n[bytes {start}-{end} of {total}: the end]"));
    }
    Ok(Outcome::Done(result))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AppendFile {
    /// Store-relative, like notes/idea.md.
    path: String,
    text: String,
}

fn append_file(ctx: &ToolContext, args: AppendFile) -> anyhow::Result<Outcome> {
    let full = paths::resolve(ctx.store.root(), &args.path)?;
    if let Some(file) = kept_line_by_line(ctx.store.root(), &args.path, &full) {
        bail!(
            "append_file does not write to {file}, which is kept line by line; use {} instead (nothing was changed)",
            tools_for(file)
        );
    }
    if full.is_dir() {
        bail!("{} is a folder", args.path);
    }
    let current = full.metadata().map_or(0, |meta| meta.len());
    check_size(
        &args.path,
        usize::try_from(current)
            .unwrap_or(usize::MAX)
            .saturating_add(args.text.len() + 2),
    )?;
    let applied = ctx.store.apply(
        Operation::AppendFile {
            path: args.path,
            text: args.text,
        },
        &ctx.actor,
    )?;
    Ok(Outcome::Done(applied.summary))
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

/// The tools that change `file`, one of [`MANAGED`].
fn tools_for(file: &str) -> &'static str {
    match file {
        TODO => "add_task (or add_waiting, update_task, complete_task)",
        DONE => "complete_task (done tasks are archived there)",
        CALENDAR => "add_event",
        PROJECTS | GOALS => "update_project",
        LOG => "add_note",
        MEMORY => "add_note with memory: true",
        _ => "the tool made for it",
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WriteFile {
    /// Store-relative, like notes/idea.md.
    path: String,
    /// The whole new content.
    content: String,
}

fn write_file(ctx: &ToolContext, args: WriteFile) -> anyhow::Result<Outcome> {
    let full = paths::resolve(ctx.store.root(), &args.path)?;
    check_size(&args.path, args.content.len())?;
    if full.is_dir() {
        bail!("{} is a folder", args.path);
    }
    let exists = full.is_file();
    let current = if exists {
        std::fs::read(&full).with_context(|| format!("reading {}", args.path))?
    } else {
        Vec::new()
    };
    if current == args.content.as_bytes() {
        bail!("{} already has that content", args.path);
    }
    let new_lines = args.content.lines().count();
    let preview = if exists {
        let (added, removed) = line_changes(&String::from_utf8_lossy(&current), &args.content);
        format!(
            "Overwrite {}: {} → {} bytes, +{added} −{removed} lines",
            args.path,
            current.len(),
            args.content.len()
        )
    } else {
        format!(
            "Create {}: {} bytes, {new_lines} lines",
            args.path,
            args.content.len()
        )
    };
    let operation = Operation::WriteFile {
        path: args.path,
        content: args.content,
        base: content_hash(&current),
    };
    Ok(Outcome::NeedsConfirmation(Pending::new(
        ctx,
        "write_file",
        preview,
        operation,
    )))
}

/// Lines of `new` not in `old` and lines of `old` not in `new`, counted as
/// multisets (a moved line counts as neither).
fn line_changes(old: &str, new: &str) -> (usize, usize) {
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for line in old.lines() {
        *counts.entry(line).or_default() -= 1;
    }
    for line in new.lines() {
        *counts.entry(line).or_default() += 1;
    }
    let added = counts.values().filter(|&&n| n > 0).map(|&n| n as usize).sum();
    let removed = counts.values().filter(|&&n| n < 0).map(|&n| (-n) as usize).sum();
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_changes_count_lines_added_and_removed() {
        assert_eq!(line_changes("a\nb\nc\n", "a\nc\nd\ne\n"), (2, 1));
        assert_eq!(line_changes("", "x\n"), (1, 0));
        assert_eq!(line_changes("a\nb", "b\na"), (0, 0));
    }
}
