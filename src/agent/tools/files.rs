//! The file tools: `list_files`, `read_file`, `append_file` and `write_file`*: their
//! arguments to the use cases of [`crate::app::files`], which keep every path inside
//! the store and every write within its size limit, and never append to a file kept
//! line by line. The reading ones also give their result as data ([`FileJson`],
//! [`FileReadJson`]).

use super::{Effect, Found, Outcome, Tool, ToolContext, limited, reading_tool_with_data, tool};
use crate::app::files;
use crate::app::json::{FileJson, FileReadJson};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The most files `list_files` names.
const FILES_SHOWN: usize = 200;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        reading_tool_with_data("list_files", "The store's files with their sizes.", list_files),
        reading_tool_with_data(
            "read_file",
            "Read a store file (at most 8000 bytes at a time).",
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

/// The files found, by path: the first ones shown, and how many there are.
#[derive(Serialize, JsonSchema)]
struct FilesFound {
    files: Vec<FileJson>,
    /// How many files the folder holds, shown or not.
    total: usize,
}

fn list_files(ctx: &ToolContext, args: ListFiles) -> anyhow::Result<Found<FilesFound>> {
    let found = files::list(ctx, args.dir.as_deref())?;
    let lines = found.iter().map(files::StoreFile::said).collect();
    Ok(Found {
        said: limited(lines, FILES_SHOWN, "No files."),
        data: FilesFound {
            files: found.iter().take(FILES_SHOWN).map(FileJson::from).collect(),
            total: found.len(),
        },
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ReadFile {
    /// Store-relative, like notes/idea.md.
    path: String,
    /// Byte to start at; default 0.
    offset: Option<u64>,
}

fn read_file(ctx: &ToolContext, args: ReadFile) -> anyhow::Result<Found<FileReadJson>> {
    let read = files::read(ctx, &args.path, args.offset.unwrap_or(0))?;
    Ok(Found {
        said: read.said(),
        data: FileReadJson::from(&read),
    })
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
