//! Notes: a line in log.txt, optionally about a project or goal (its `+slug`) or a
//! task (its words), or a line in working-memory.txt. The line's shape, and what
//! "about" adds to it, is `myorg_domain::notes`'s; the project or task must exist.

use super::{Ctx, Result};
use crate::store::operation::{LOG, MEMORY};
use crate::store::{Operation, PushReport};
use myorg_domain::notes::{self, NoteError};
use myorg_domain::reference::{self, Scope};

/// A note to write.
#[derive(Debug, Clone, Default)]
pub struct Note {
    pub text: String,
    /// A project or goal it is about: its slug, with or without `+`.
    pub project: Option<String>,
    /// A task it is about: its reference, line number or words.
    pub task: Option<String>,
    /// To working-memory.txt instead of log.txt.
    pub memory: bool,
}

/// A note written: the file and the line.
#[derive(Debug, Clone)]
pub struct Noted {
    /// `log.txt` or `working-memory.txt`.
    pub file: &'static str,
    pub line: String,
    pub push: PushReport,
}

impl Noted {
    /// `Added to FILE: LINE`.
    pub fn said(&self) -> String {
        format!("Added to {}: {}", self.file, self.line)
    }
}

/// Writes `note` by the person asking, now.
pub fn add(ctx: &Ctx, note: &Note) -> Result<Noted> {
    let mut text = note.text.trim().to_string();
    if text.is_empty() {
        return Err(NoteError::Empty.into());
    }
    if let Some(given) = note.task.as_deref() {
        let todo = super::tasks::todo(ctx.store)?;
        let index = reference::find(&todo, given, Scope::All)?;
        if let Some(task) = todo.get(index).and_then(|line| line.task()) {
            text = notes::about_task(&text, task)?;
        }
    }
    if let Some(given) = note.project.as_deref() {
        let slug = super::projects::existing_slug(ctx.store, given)?;
        text = notes::about_project(&text, &slug)?;
    }
    let line = notes::entry_line(ctx.now, &ctx.handle, &text)?;
    let (file, operation) = if note.memory {
        (
            MEMORY,
            Operation::AppendMemory {
                line: line.clone(),
                keep: Some(super::memory::kept(ctx)),
            },
        )
    } else {
        (LOG, Operation::AppendLog { line: line.clone() })
    };
    let applied = ctx.store.apply(operation, &ctx.actor)?;
    Ok(Noted {
        file,
        line,
        push: applied.push,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Error;
    use crate::app::sample::with_ctx;

    #[test]
    fn a_note_about_a_task_carries_its_words_and_an_unknown_one_is_not_found() {
        with_ctx(|ctx| {
            let log = ctx.store.read(LOG).unwrap();
            let unknown = Note {
                text: "Called".to_string(),
                task: Some("no such task words".to_string()),
                ..Note::default()
            };
            assert!(matches!(add(ctx, &unknown), Err(Error::NotFound(_))));
            let empty = Note {
                text: "  ".to_string(),
                memory: true,
                ..Note::default()
            };
            assert!(matches!(add(ctx, &empty), Err(Error::Invalid(why)) if why == "a note needs some text"));
            assert_eq!(ctx.store.read(LOG).unwrap(), log, "nothing written");

            let about = Note {
                text: "Asked for the form's logs".to_string(),
                task: Some("contact form".to_string()),
                ..Note::default()
            };
            let noted = add(ctx, &about).unwrap();
            assert_eq!(noted.file, "log.txt");
            assert!(
                noted.said().starts_with(
                    "Added to log.txt: 2026-11-23 08:00 ana: Asked for the form's logs — task: "
                ),
                "{}",
                noted.said()
            );
            assert!(noted.line.contains("+website"), "{}", noted.line);
        });
    }
}
