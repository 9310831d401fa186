//! `myorg settings [--for NAME] [KEY VALUE]`: a person's own settings, shown (each
//! with where it comes from) or one of them set, through [`crate::app::settings`].

use super::store::{ctx, look, open, print_push};
use crate::app::settings;
use crate::config::Config;
use chrono::NaiveDateTime;
use std::io::Write;

/// Shows the settings of `whom` (or the user's), or sets `key` to `value`.
pub fn run(
    config: &Config,
    now: NaiveDateTime,
    whom: Option<&str>,
    key: Option<&str>,
    value: Option<&str>,
) -> anyhow::Result<()> {
    match (key, value) {
        (Some(key), Some(value)) => {
            let store = open(config)?;
            let changed = settings::set(&ctx(config, &store, now)?, whom, key, value)?;
            println!("{}", changed.said());
            print_push(&changed.push)
        }
        (Some(key), None) => anyhow::bail!(
            "give {key} a value (or `default`): myorg settings {key} VALUE; the settings:\n{}",
            keys()
        ),
        _ => {
            let files = super::read::working_tree(config)?;
            let handle = config.me()?.handle;
            let shown = settings::show(&look(config, files.as_ref(), &handle, now), whom)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in shown.lines() {
                writeln!(out, "{line}")?;
            }
            out.flush()?;
            Ok(())
        }
    }
}

/// One line per setting, with what it means.
fn keys() -> String {
    settings::KEYS
        .iter()
        .map(|(key, means)| format!("  {key:<12} {means}"))
        .collect::<Vec<_>>()
        .join("\n")
}
