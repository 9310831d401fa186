//! `myorg waiting`: waiting-for items (what others owe you) — list them with the
//! stale ones first, add one, reschedule its follow-up, mark it received: the command
//! line to the use cases of [`crate::app::waiting`], and their results printed.

use super::store::{ctx, look, open, print_push};
use crate::app::json::WaitingJson;
use crate::app::waiting::{self, NewItem, Query};
use crate::config::Config;
use chrono::NaiveDateTime;
use std::io::Write;

/// What `myorg waiting` lists.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub who: Option<String>,
    pub stale: bool,
    pub done: bool,
    pub json: bool,
}

/// `myorg waiting [--who NAME] [--stale] [--done] [--json]`.
pub fn list(config: &Config, now: NaiveDateTime, listing: &Listing) -> anyhow::Result<()> {
    let files = super::read::working_tree(config)?;
    let handle = config.me()?.handle;
    let query = Query {
        who: listing.who.clone(),
        stale: listing.stale,
        done: listing.done,
    };
    let found = waiting::list(&look(config, files.as_ref(), &handle, now), &query)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if listing.json {
        for item in &found.items {
            serde_json::to_writer(&mut out, &WaitingJson::from(item))?;
            writeln!(out)?;
        }
    } else {
        out.write_all(found.said().as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// `myorg waiting add WHO WHAT… [--followup WHEN]`.
pub fn add(
    config: &Config,
    now: NaiveDateTime,
    who: &str,
    what: &str,
    followup: Option<&str>,
) -> anyhow::Result<()> {
    let store = open(config)?;
    let new = NewItem {
        who: who.to_string(),
        what: what.to_string(),
        followup: followup.map(str::to_string),
    };
    let added = waiting::add(&ctx(config, &store, now)?, &new)?;
    println!("{}", added.said("Waiting"));
    print_push(&added.push)
}

/// `myorg waiting received REF`: the item is done.
pub fn received(config: &Config, now: NaiveDateTime, given: &str) -> anyhow::Result<()> {
    let store = open(config)?;
    let received = waiting::received(&ctx(config, &store, now)?, given)?;
    println!("{}", received.summary);
    print_push(&received.push)
}

/// `myorg waiting followup REF WHEN` (`none` removes the date).
pub fn reschedule(config: &Config, now: NaiveDateTime, given: &str, words: &str) -> anyhow::Result<()> {
    let store = open(config)?;
    let moved = waiting::reschedule(&ctx(config, &store, now)?, given, words)?;
    println!("Now: {}", moved.line);
    print_push(&moved.push)
}
