//! Suggestions: what to do next, a short ranked list of open tasks (the asker's own and
//! unassigned ones, or everyone's), each with the reason it is there. What fits and
//! how it ranks is `myorg_domain::suggest`; here the files are read, whether it is
//! late in the asker's day (their work hours, on their clock) and which goals serve
//! telos.md are found out, and the result is named by reference.

use super::{Error, Look, Result};
use crate::store::operation::{GOALS, PROJECTS, TODO};
use myorg_domain::reference::References;
use myorg_domain::search::urgency;
use myorg_domain::suggest::{self as domain, Energy, Request};
use myorg_parsers::{ProjectsFile, Task, TodoFile};
use std::collections::BTreeMap;

/// What the person asks for.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    /// Where they are (`@home` or `home`).
    pub context: Option<String>,
    /// How many minutes they have.
    pub minutes: Option<u32>,
    pub energy: Option<Energy>,
    /// At most this many (default 5).
    pub limit: Option<usize>,
    /// Everyone's tasks, not only the asker's own and unassigned ones.
    pub everyone: bool,
}

/// The energy level `text` names (low or high).
pub fn energy(text: &str) -> Result<Energy> {
    Energy::parse(text)
        .ok_or_else(|| Error::Invalid(format!("{text:?} is not an energy level; say low or high")))
}

/// One suggested task.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Its reference, at its shortest unique length.
    pub reference: String,
    /// The 0-based line index in todo.txt.
    pub index: usize,
    /// The line as written.
    pub line: String,
    pub task: Task,
    /// How urgent it is (higher first), as a search ranks it.
    pub urgency: f64,
    /// Why it is suggested, in a few words.
    pub reason: String,
    /// Its rank's score (higher first).
    pub score: f64,
}

/// The suggestions, best first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suggestions(pub Vec<Suggestion>);

/// What is said when no open task fits.
pub const NOTHING: &str = "Nothing to suggest: no open task fits.";

impl Suggestions {
    /// One line each, `N. REF LINE — reason` (or that nothing fits): what the model
    /// and Discord show.
    pub fn said(&self) -> String {
        if self.0.is_empty() {
            return NOTHING.to_string();
        }
        self.0
            .iter()
            .enumerate()
            .map(|(rank, found)| {
                format!(
                    "{}. {} {} — {}",
                    rank + 1,
                    found.reference,
                    found.line,
                    found.reason
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Suggestions, and when no context was asked for, the one they were made for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suggested {
    /// `Context @computer (work hours); 45 minutes until standup`.
    pub situation: Option<String>,
    pub found: Suggestions,
}

impl Suggested {
    /// The situation's line, if any, above [`Suggestions::said`].
    pub fn said(&self) -> String {
        match &self.situation {
            Some(situation) => format!("{situation}\n{}", self.found.said()),
            None => self.found.said(),
        }
    }
}

/// What to do next, as `asked`; with no context asked for, in the asker's current
/// context ([`super::context::current`]) and, unless minutes are asked for, with the
/// minutes until their next event today as the time available.
pub fn suggest_here(look: &Look, asked: &Asked) -> Result<Suggested> {
    if asked.context.is_some() {
        return Ok(Suggested {
            situation: None,
            found: suggest(look, asked)?,
        });
    }
    let current = super::context::current(look)?;
    let next = super::context::next_event(look)?;
    let mut situation = format!("Context {} ({})", current.context, current.why);
    match &next {
        Some(next) => situation.push_str(&format!("; {}", next.said())),
        None => situation.push_str("; no more events today"),
    }
    let asked = Asked {
        context: Some(current.context),
        minutes: asked.minutes.or(next.map(|next| next.minutes)),
        ..asked.clone()
    };
    Ok(Suggested {
        situation: Some(situation),
        found: suggest(look, &asked)?,
    })
}

/// What to do next, as `asked`, from the files `look` reads.
pub fn suggest(look: &Look, asked: &Asked) -> Result<Suggestions> {
    let request = Request {
        owner: (!asked.everyone).then(|| look.handle.to_string()),
        context: asked
            .context
            .as_deref()
            .map(|c| c.trim().trim_start_matches('@').to_string())
            .filter(|c| !c.is_empty()),
        minutes: asked.minutes,
        energy: asked.energy,
        limit: asked.limit.unwrap_or(0),
        late: super::context::is_late(look.config, look.handle, look.now)?,
        telos: BTreeMap::new(),
    };
    let todo = TodoFile::parse(look.files.read(TODO)?);
    let projects = ProjectsFile::parse(look.files.read(PROJECTS)?);
    let goals = ProjectsFile::parse(look.files.read(GOALS)?);
    let request = Request {
        telos: super::telos::served(look.files, &goals)?,
        ..request
    };
    let today = look.now.date();
    let found = domain::suggest(&todo, Some(&projects), Some(&goals), &request, today);
    let references = References::of(&todo);
    Ok(Suggestions(
        found
            .into_iter()
            .map(|found| Suggestion {
                reference: references.shown(found.task),
                index: found.index,
                line: todo.text(found.index).unwrap_or_default().to_string(),
                task: found.task.clone(),
                urgency: urgency(found.task, today),
                reason: found.reason,
                score: found.score,
            })
            .collect(),
    ))
}
