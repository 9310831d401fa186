//! todo.txt: tasks read strictly by the spec, plus the extensions the assistant uses.
//!
//! - `task`: the line grammar (done marker, dates, priority, tokens) and edits.
//! - `extensions`: typed accessors for `due:`, `t:`, `rec:`, `pri:`, `h:`,
//!   `id:`/`p:`, `owner:` and waiting-for items, and the diagnostics for them.

mod extensions;
mod priority;
mod recurrence;
mod task;

pub use priority::Priority;
pub use recurrence::{Recurrence, RecurrenceUnit};
pub use task::{InvalidEdit, Task};

use crate::document::{Document, LineItem};
use crate::tokens;
use std::sync::Arc;

/// A todo.txt (or done.txt) file.
pub type TodoFile = Document<TodoLine>;

/// The lines of a todo.txt text as [`Document::parse`] splits them: on LF, a CR before
/// it belonging to the line ending, a leading byte-order mark set aside. Each comes
/// with its 0-based index, the same as the document's. For reading a large file
/// without building a document.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    piece_lines(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The lines of `piece`, whole lines of a todo.txt read piece by piece, split and
/// numbered (from 0) as [`lines`] splits a whole file's; nothing is set aside at
/// its start, since only a file's first piece can start with a byte-order mark.
pub fn piece_lines(piece: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut rest = (!piece.is_empty()).then_some(piece);
    std::iter::from_fn(move || {
        let current = rest?;
        Some(match memchr::memchr(b'\n', current.as_bytes()) {
            Some(newline) => {
                rest = Some(&current[newline + 1..]).filter(|next| !next.is_empty());
                let line = &current[..newline];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => {
                rest = None;
                current
            }
        })
    })
    .enumerate()
}

/// Whether a line is blank: no task (see [`TodoLine::Blank`]).
pub fn is_blank_line(line: &str) -> bool {
    tokens::is_blank(line)
}

/// One line of todo.txt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TodoLine {
    /// Empty, or only spaces, tabs and CRs: not a task, kept as it is.
    Blank,
    Task(Task),
}

impl TodoLine {
    pub fn task(&self) -> Option<&Task> {
        match self {
            TodoLine::Task(task) => Some(task),
            TodoLine::Blank => None,
        }
    }
}

impl LineItem for TodoLine {
    fn parse(text: &str) -> Self {
        if tokens::is_blank(text) {
            TodoLine::Blank
        } else {
            TodoLine::Task(Task::parse(text))
        }
    }

    fn parse_shared(source: &Arc<str>, start: usize, end: usize) -> Self {
        if tokens::is_blank(&source[start..end]) {
            TodoLine::Blank
        } else {
            TodoLine::Task(Task::parse_shared(source, start, end))
        }
    }

    fn render(&self) -> String {
        match self {
            TodoLine::Blank => String::new(),
            TodoLine::Task(task) => task.render(),
        }
    }

    fn problems(&self, out: &mut Vec<String>) {
        if let TodoLine::Task(task) = self {
            task.problems(out);
        }
    }
}

impl TodoFile {
    /// The tasks with their 0-based line index.
    pub fn tasks(&self) -> impl Iterator<Item = (usize, &Task)> + '_ {
        self.items()
            .filter_map(|(index, line)| line.task().map(|task| (index, task)))
    }
}
