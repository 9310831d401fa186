//! `myorg remember TEXT…`: a decision or a fact written to working-memory.txt as a
//! dated line, through [`crate::app::memory`].

use super::store::{ctx, open, print_push};
use crate::app::memory;
use crate::config::Config;
use chrono::NaiveDateTime;

/// `myorg remember TEXT…`.
pub fn remember(config: &Config, now: NaiveDateTime, text: &str) -> anyhow::Result<()> {
    let store = open(config)?;
    let remembered = memory::remember(&ctx(config, &store, now)?, text)?;
    println!("{}", remembered.said());
    print_push(&remembered.push)
}
