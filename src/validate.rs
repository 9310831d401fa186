//! The whole configuration checked, before any command touches the store: the
//! values the configuration reads itself ([`Config::validate`]), then the reminders
//! and the schedule built from it and dropped, since building them is where their
//! settings (quiet hours, recipients, job names, cron expressions, the people's
//! briefing times) are checked. It sits above the configuration, the reminders and
//! the schedule so that the configuration imports neither.

use crate::config::Config;
use crate::reminders::Reminders;
use crate::schedule::Schedule;
use std::path::Path;

/// Reads the configuration (`file`, else `MYORG_CONFIG`, then the environment) and
/// checks all of it; an error names the file and the setting.
pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
    Config::load_with(file, parts)
}

/// Builds what the parts above the configuration make of it, so that a bad
/// setting of theirs is refused now, with the same words as `myorg run` would.
pub fn parts(config: &Config) -> anyhow::Result<()> {
    Reminders::from_config(config)?;
    Schedule::from_config(config)?;
    Ok(())
}
