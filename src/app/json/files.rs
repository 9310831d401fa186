//! The store's files as JSON: the `list_files` and `read_file` tools' structured
//! results.

use crate::app::files::{Read, StoreFile};
use schemars::JsonSchema;
use serde::Serialize;

/// A file of the store and its size.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FileJson {
    /// Store-relative, like notes/idea.md.
    pub path: String,
    pub bytes: u64,
}

/// A piece of a file read.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FileReadJson {
    /// Store-relative, as asked for.
    pub path: String,
    /// The piece, read as UTF-8 (anything else replaced).
    pub text: String,
    /// The piece's first byte.
    pub start: usize,
    /// The byte after the piece.
    pub end: usize,
    /// The file's size in bytes.
    pub total: usize,
    /// Where to read on; none at the end of the file.
    pub next_offset: Option<usize>,
}

impl From<&StoreFile> for FileJson {
    fn from(file: &StoreFile) -> FileJson {
        FileJson {
            path: file.path.clone(),
            bytes: file.bytes,
        }
    }
}

impl From<&Read> for FileReadJson {
    fn from(read: &Read) -> FileReadJson {
        let piece = read.piece;
        FileReadJson {
            path: read.path.clone(),
            text: read.text.clone(),
            start: piece.start,
            end: piece.end,
            total: piece.total,
            next_offset: piece.is_cut().then_some(piece.end),
        }
    }
}
