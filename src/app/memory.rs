//! Working memory (working-memory.txt) as the assistant keeps it: a decision or a
//! fact the person asks to remember, and the line a significant action leaves in the
//! commit of that action (a project's or goal's status changed, a task done with a
//! summary, a weekly review finished). What each line says, and the rollover of old
//! lines to `notes/working-memory/YYYY-MM.md`, are `myorg_domain::memory`'s; how many
//! lines the file keeps is `[memory] max_lines`.

use super::{Ctx, Result};
use crate::store::operation::MEMORY;
use crate::store::{Operation, PushReport};
use chrono::Datelike;
use myorg_domain::{memory, notes};

/// How many lines working-memory.txt keeps (`[memory] max_lines`).
pub fn kept(ctx: &Ctx) -> usize {
    ctx.config.memory.max_lines.get()
}

/// `operation` and, in its commit, the working-memory line `text` by the person
/// asking, now (`YYYY-MM-DD HH:MM HANDLE: text`).
pub fn remembering(ctx: &Ctx, operation: Operation, text: &str) -> Result<Operation> {
    Ok(Operation::Remembered {
        operation: Box::new(operation),
        line: notes::entry_line(ctx.now, &ctx.handle, text)?,
        keep: Some(kept(ctx)),
    })
}

/// A line written to working memory.
#[derive(Debug, Clone)]
pub struct Remembered {
    pub line: String,
    pub push: PushReport,
}

impl Remembered {
    /// `Added to working-memory.txt: LINE`, as a note there says.
    pub fn said(&self) -> String {
        format!("Added to {MEMORY}: {}", self.line)
    }
}

/// Writes `text`, a decision or a fact to remember, to working memory by the person
/// asking, now: one commit, with the rollover when the file passes its limit.
pub fn remember(ctx: &Ctx, text: &str) -> Result<Remembered> {
    let line = notes::entry_line(ctx.now, &ctx.handle, text.trim())?;
    let applied = ctx.store.apply(
        Operation::AppendMemory {
            line: line.clone(),
            keep: Some(kept(ctx)),
        },
        &ctx.actor,
    )?;
    Ok(Remembered {
        line,
        push: applied.push,
    })
}

/// Tells working memory that this week's review is finished, with what came of it:
/// `weekly review 2026-W48 finished: SUMMARY`. The weekly review calls it when it
/// ends without a change of its own; one that ends with a change passes that change
/// and [`memory::review_finished`]'s text to [`remembering`] instead.
pub fn review_finished(ctx: &Ctx, summary: Option<&str>) -> Result<Remembered> {
    remember(ctx, &memory::review_finished(ctx.now.date().iso_week(), summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Error;
    use crate::app::sample::with_ctx;

    #[test]
    fn a_finished_review_and_a_decision_are_dated_lines_and_empty_words_change_nothing() {
        with_ctx(|ctx| {
            let before = ctx.store.read(MEMORY).unwrap();
            assert!(matches!(remember(ctx, " \n "), Err(Error::Invalid(_))));
            assert_eq!(ctx.store.read(MEMORY).unwrap(), before);
            let reviewed = review_finished(ctx, Some("inbox empty")).unwrap();
            assert_eq!(
                reviewed.said(),
                "Added to working-memory.txt: 2026-11-23 08:00 ana: weekly review 2026-W48 finished: inbox empty"
            );
            let memory = String::from_utf8(ctx.store.read(MEMORY).unwrap()).unwrap();
            assert!(memory.ends_with(&format!("{}\n", reviewed.line)), "{memory}");
        });
    }
}
