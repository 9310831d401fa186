//! Briefings: the morning, evening and weekly briefing of a person (or everyone) for a
//! day, built by the domain from the store's files, read once. The terminal, the
//! model's tool, Discord and the jobs all build them here; rewording one with the
//! language model is the agent's, on top of what this gives.

use super::loaded::{Loaded, Need};
use super::{Look, Result};
use crate::config::Config;
use chrono::NaiveDate;
use myorg_domain::briefing::{self, Briefing, Kind, Settings, Whom};
use myorg_domain::fields;

impl Loaded {
    /// The briefing of `kind` for `whom` on `date`, with `config`'s settings.
    pub fn briefing(&self, config: &Config, kind: Kind, whom: &Whom, date: NaiveDate) -> Briefing {
        let settings = settings(config);
        match kind {
            Kind::Morning => briefing::morning(self.for_briefing(), whom, date, &settings),
            Kind::Evening => briefing::evening(self.for_briefing(), whom, date),
            Kind::Weekly => {
                briefing::weekly(self.for_briefing(), whom, date, self.guide.as_deref(), &settings)
            }
        }
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
    Ok(Loaded::read(look.files, Need::Briefing)?.briefing(look.config, asked.kind, &whom, date))
}

/// `briefing` as Markdown.
pub fn text(briefing: &Briefing) -> String {
    briefing::render(briefing)
}
