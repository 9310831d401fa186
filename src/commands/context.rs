//! `myorg context [CONTEXT|auto]`: the person's context and why, setting one, or going
//! back to inferring it ([`crate::app::context`]).

use super::store::{ctx, open};
use crate::app::context;
use crate::config::Config;
use chrono::NaiveDateTime;

/// `myorg context` with no word prints it; `auto` forgets the set one; another word sets it.
pub fn run(config: &Config, now: NaiveDateTime, word: Option<&str>) -> anyhow::Result<()> {
    let store = open(config)?;
    let ctx = ctx(config, &store, now)?;
    let current = match word.map(str::trim) {
        None => context::current(&ctx.look())?,
        Some(word) if word.eq_ignore_ascii_case("auto") => context::auto(&ctx)?,
        Some(word) => context::set(&ctx, word)?,
    };
    println!("{}", current.said());
    Ok(())
}
