//! Briefings: the morning, evening and weekly briefing of a person (or everyone) for a
//! day, built by the domain from the store's files, read once. The terminal, the
//! model's tool, Discord and the jobs all build them here; rewording one with the
//! language model is the agent's, on top of what this gives.
//!
//! A person's morning briefing suggests for the context their day starts in, the
//! evening summary for tomorrow's ([`super::context::first_of_day`]); everyone's
//! briefing is no one's day and suggests nothing. [`team`] is the team digest.

use super::loaded::{Loaded, Need};
use super::{Files, Look, Result};
use crate::config::Config;
use chrono::NaiveDate;
use myorg_domain::briefing::{self, Briefing, DayContext, Kind, Settings, Whom};
use myorg_domain::digest::{self, Digest};
use myorg_domain::fields;

impl Loaded {
    /// The briefing of `kind` for `whom` on `date`, with `config`'s settings; `files`
    /// hold the contexts people set.
    pub fn briefing(
        &self,
        config: &Config,
        files: &dyn Files,
        kind: Kind,
        whom: &Whom,
        date: NaiveDate,
    ) -> Result<Briefing> {
        let settings = settings(config);
        let first = |day: NaiveDate| -> Result<Option<DayContext>> {
            let Some(handle) = &whom.handle else {
                return Ok(None);
            };
            let current = super::context::first_of_day(config, files, handle, day, &self.calendar)?;
            Ok(Some(DayContext {
                context: current.context,
                why: current.why,
            }))
        };
        Ok(match kind {
            Kind::Morning => {
                let first = first(date)?;
                briefing::morning(self.for_briefing(), whom, date, &settings, first.as_ref())
            }
            Kind::Evening => {
                let first = first(date.succ_opt().unwrap_or(date))?;
                briefing::evening(self.for_briefing(), whom, date, first.as_ref())
            }
            Kind::Weekly => {
                let (figures, _) = super::kpi::figures(files)?;
                let guide = self.guide.as_deref();
                briefing::weekly(self.for_briefing(), whom, date, guide, &settings, &figures)
            }
        })
    }
}

/// The briefing settings of the configuration.
fn settings(config: &Config) -> Settings {
    Settings {
        stale_after_days: config.waiting.stale_after_days.into(),
        ..Settings::default()
    }
}

/// Whose briefing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    /// The asker's.
    Mine,
    /// This person's (a name or a handle).
    Named(String),
    /// Everyone's tasks.
    Everyone,
}

/// A briefing asked for.
#[derive(Debug, Clone)]
pub struct Asked {
    pub kind: Kind,
    /// The day (a date or words); default today.
    pub date: Option<String>,
    pub whose: Whose,
    /// Only the person's own tasks, not the unassigned ones too.
    pub own_only: bool,
}

impl Asked {
    /// The asker's briefing of `kind` today, with the unassigned tasks.
    pub fn mine(kind: Kind) -> Asked {
        Asked {
            kind,
            date: None,
            whose: Whose::Mine,
            own_only: false,
        }
    }
}

/// The briefing `asked` names, from the files `look` reads.
pub fn briefing(look: &Look, asked: &Asked) -> Result<Briefing> {
    let date = match asked.date.as_deref() {
        Some(words) => fields::when(words, look.now.date())?,
        None => look.now.date(),
    };
    let handle = match &asked.whose {
        Whose::Mine => Some(look.handle.to_string()),
        Whose::Named(name) => Some(look.people()?.owner_handle(name)),
        Whose::Everyone => None,
    };
    let whom = Whom {
        handle,
        unassigned_too: !asked.own_only,
    };
    Loaded::read(look.files, Need::Briefing)?.briefing(look.config, look.files, asked.kind, &whom, date)
}

/// `briefing` as Markdown.
pub fn text(briefing: &Briefing) -> String {
    briefing::render(briefing)
}

/// The team digest on the day `date` names (default today): each person's week,
/// what is blocked or waited for, the projects that moved and did not, the latest
/// figures ([`myorg_domain::digest`]).
pub fn team(look: &Look, date: Option<&str>) -> Result<Digest> {
    let today = match date {
        Some(words) => fields::when(words, look.now.date())?,
        None => look.now.date(),
    };
    let loaded = Loaded::read(look.files, Need::Briefing)?;
    let people: Vec<(String, String)> = look
        .people()?
        .iter()
        .map(|person| (person.handle.clone(), person.name.clone()))
        .collect();
    let (figures, _) = super::kpi::figures(look.files)?;
    Ok(digest::team(loaded.for_briefing(), &people, today, &figures))
}
