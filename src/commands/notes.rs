//! `myorg note`: a line in log.txt, optionally about a project (`+slug`) or a task
//! (its words), or with `--memory` a line in working-memory.txt. The line's shape is
//! documented in `myorg_domain::notes`.

use super::store::{actor, open, print_push};
use crate::config::Config;
use crate::store::operation::{LOG, MEMORY, TODO};
use crate::store::{Operation, Store};
use chrono::NaiveDateTime;
use myorg_domain::notes;
use myorg_domain::reference::Scope;
use myorg_parsers::TodoFile;

/// What a note is about, and where it goes.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// A project or goal slug.
    pub project: Option<String>,
    /// A task: its reference, line number or words.
    pub task: Option<String>,
    /// working-memory.txt instead of log.txt.
    pub memory: bool,
}

/// `myorg note TEXT [--project SLUG] [--task REF] [--memory]`.
pub fn note(config: &Config, now: NaiveDateTime, text: &str, about: &About) -> anyhow::Result<()> {
    let store = open(config)?;
    let (operation, line) = entry(&store, &config.me()?.handle, now, text, about)?;
    let file = match operation {
        Operation::AppendMemory { .. } => MEMORY,
        _ => LOG,
    };
    let applied = store.apply(operation, &actor(config))?;
    println!("Added to {file}: {line}");
    print_push(&applied.push)?;
    Ok(())
}

/// The operation that adds the note `text` by `handle` (about a task or project of
/// `store`, which must exist), and the line it writes.
pub fn entry(
    store: &Store,
    handle: &str,
    now: NaiveDateTime,
    text: &str,
    about: &About,
) -> anyhow::Result<(Operation, String)> {
    let mut text = text.trim().to_string();
    if text.is_empty() {
        return Err(notes::NoteError::Empty.into());
    }
    if let Some(given) = about.task.as_deref() {
        let todo = TodoFile::parse(store.read(TODO)?);
        let index = myorg_domain::reference::find(&todo, given, Scope::All)?;
        if let Some(task) = todo.get(index).and_then(|line| line.task()) {
            text = notes::about_task(&text, task)?;
        }
    }
    if let Some(slug) = about.project.as_deref() {
        let slug = super::projects::existing_slug(store, slug)?;
        text = notes::about_project(&text, &slug)?;
    }
    let line = notes::entry_line(now, handle, &text)?;
    let operation = if about.memory {
        Operation::AppendMemory { line: line.clone() }
    } else {
        Operation::AppendLog { line: line.clone() }
    };
    Ok((operation, line))
}
