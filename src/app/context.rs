//! A person's context (`@phone`, `@computer`…): the one they set, until it expires,
//! else the one [`myorg_domain::context::infer_context`] reads from the calendar and
//! their work hours. A set context is kept per handle in `STATE/context.json`,
//! rewritten atomically, with the instant it stops holding.

use super::{Ctx, Error, Files, Look, Result};
use crate::config::Config;
use crate::store::operation::CALENDAR;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use myorg_domain::context::{self as domain, Next, Zones};
use myorg_parsers::CalendarFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file in the state directory.
const FILE: &str = "context.json";

/// A person's context now, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub context: String,
    /// `"call with the bank" 10:00–10:30`, `work hours`, `set until 16:00`.
    pub why: String,
    /// When the context they set stops holding; `None`: inferred.
    pub set_until: Option<DateTime<Utc>>,
}

impl Current {
    /// `@phone — "call with the bank" 10:00–10:30`.
    pub fn said(&self) -> String {
        format!("{} — {}", self.context, self.why)
    }
}

/// A context a person set, as kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Set {
    context: String,
    until: DateTime<Utc>,
}

/// The asker's context at `look.now`.
pub fn current(look: &Look) -> Result<Current> {
    let mut settings = look.config.contexts()?;
    settings.rules.work_hours = look.config.work_hours_of(look.handle)?;
    let (zones, now) = when(look.config, look.handle, look.now)?;
    if let Some(set) = kept(&state_dir(look.config, look.files)).remove(look.handle)
        && set.until > now
    {
        return Ok(Current {
            why: until(zones.person, now, set.until),
            context: set.context,
            set_until: Some(set.until),
        });
    }
    let calendar = CalendarFile::parse(look.files.read(CALENDAR)?);
    let inferred = domain::infer_context(zones, now, &calendar, &settings.rules);
    Ok(Current {
        context: inferred.context,
        why: inferred.why,
        set_until: None,
    })
}

/// The asker's next event today (in the store's day), if any.
pub fn next_event(look: &Look) -> Result<Option<Next>> {
    let (zones, now) = when(look.config, look.handle, look.now)?;
    let calendar = CalendarFile::parse(look.files.read(CALENDAR)?);
    Ok(domain::next_event(zones.store, now, &calendar))
}

/// Sets the asker's context to `context` (one of the configured ones, `@` optional)
/// until it expires. An unknown one is [`Error::Invalid`] naming the known ones, and
/// nothing changes.
pub fn set(ctx: &Ctx, context: &str) -> Result<Current> {
    let settings = ctx.config.contexts()?;
    let Some(known) = domain::known_context(context, &settings.known) else {
        return Err(Error::Invalid(format!(
            "{:?} is not one of the team's contexts; say one of {}, or auto",
            context.trim(),
            settings.known.join(", ")
        )));
    };
    let (zones, now) = when(ctx.config, &ctx.handle, ctx.now)?;
    let until = settings.expiry.from(zones.person, now);
    let dir = state_dir(ctx.config, ctx.store);
    let mut all = kept(&dir);
    all.retain(|_, set| set.until > now);
    all.insert(
        ctx.handle.clone(),
        Set {
            context: known.to_string(),
            until,
        },
    );
    save(&dir, &all)?;
    current(&ctx.look())
}

/// Forgets the asker's set context: it is inferred again.
pub fn auto(ctx: &Ctx) -> Result<Current> {
    let dir = state_dir(ctx.config, ctx.store);
    let mut all = kept(&dir);
    if all.remove(&ctx.handle).is_some() {
        save(&dir, &all)?;
    }
    current(&ctx.look())
}

/// The zones of `handle` (theirs, else the store's) and `now` (store-local) as an instant.
fn when(config: &Config, handle: &str, now: chrono::NaiveDateTime) -> Result<(Zones, DateTime<Utc>)> {
    let store = config.store_timezone()?;
    let person = config
        .people()?
        .find(handle)
        .and_then(|person| person.timezone.as_deref())
        .and_then(|zone| zone.parse::<Tz>().ok())
        .unwrap_or(store);
    Ok((Zones { store, person }, domain::instant(store, now)))
}

/// `set until 16:00` the same day in the person's zone, `set until the end of the
/// day` at their midnight, else with the date.
fn until(zone: Tz, now: DateTime<Utc>, until: DateTime<Utc>) -> String {
    let (today, then) = (now.with_timezone(&zone), until.with_timezone(&zone));
    if then.date_naive() == today.date_naive() {
        format!("set until {}", then.format("%H:%M"))
    } else if then.date_naive() == today.date_naive() + Duration::days(1)
        && then.format("%H:%M").to_string() == "00:00"
    {
        "set until the end of the day".to_string()
    } else {
        format!("set until {}", then.format("%Y-%m-%d %H:%M"))
    }
}

fn state_dir(config: &Config, files: &dyn Files) -> PathBuf {
    files.state_dir().unwrap_or_else(|| config.state_dir())
}

/// The set contexts by handle; a missing or unreadable file holds none.
fn kept(dir: &Path) -> BTreeMap<String, Set> {
    let Ok(bytes) = std::fs::read(dir.join(FILE)) else {
        return BTreeMap::new();
    };
    serde_json::from_slice(&bytes).unwrap_or_else(|error| {
        tracing::warn!(path = %dir.join(FILE).display(), %error, "the set contexts are unreadable; none is set");
        BTreeMap::new()
    })
}

fn save(dir: &Path, all: &BTreeMap<String, Set>) -> Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let write = || -> anyhow::Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        file.write_all(&serde_json::to_vec_pretty(all)?)?;
        file.as_file().sync_all()?;
        file.persist(dir.join(FILE))?;
        Ok(())
    };
    write().with_context(|| format!("saving {}", dir.join(FILE).display()))?;
    Ok(())
}
