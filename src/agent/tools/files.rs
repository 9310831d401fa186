//! The file tools: `list_files`, `read_file`, `append_file` and `write_file`*: their
//! arguments to the use cases of [`crate::app::files`], which keep every path inside
//! the store and every write within its size limit, and never append to a file kept
//! line by line.

use super::{Effect, Outcome, Tool, ToolContext, limited, tool};
use crate::app::files;
use schemars::JsonSchema;
use serde::Deserialize;

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
    let lines = files::list(ctx, args.dir.as_deref())?
        .iter()
        .map(files::StoreFile::said)
        .collect();
    Ok(Outcome::Done(limited(lines, FILES_SHOWN, "No files.")))
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
    let read = files::read(ctx, &args.path, args.offset.unwrap_or(0))?;
    Ok(Outcome::Done(read.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AppendFile {
    /// Store-relative, like notes/idea.md.
    path: String,
    text: String,
}

fn append_file(ctx: &ToolContext, args: AppendFile) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(files::append(ctx, &args.path, &args.text)?.summary))
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
    Ok(Outcome::NeedsConfirmation(files::write(
        ctx,
        &args.path,
        &args.content,
    )?))
}
