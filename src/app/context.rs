//! A person's context (`@phone`, `@computer`…): the one they set, until it expires,
//! else the one [`myorg_domain::context::infer_context`] reads from the calendar and
//! their work hours. A set context is kept per handle in `STATE/context.json`,
//! rewritten atomically, with the instant it stops holding. [`first_of_day`] is the
//! context a day starts in, what the briefings suggest for.

use super::{Ctx, Error, Files, Look, Result};
use crate::config::{Config, DEFAULT_JOBS};
use crate::store::operation::CALENDAR;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
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
    let (zones, now) = when(look.config, look.handle, look.now)?;
    if let Some(set) = set_at(look.config, look.files, look.handle, zones, now) {
        return Ok(set);
    }
    let calendar = CalendarFile::parse(look.files.read(CALENDAR)?);
    inferred(look.config, look.handle, zones, now, &calendar)
}

/// The context `handle` starts `date` (a day of theirs) in: the one they set if it
/// still holds then, else the one inferred at [`domain::day_start`], from their
/// morning briefing's time and their work hours.
pub fn first_of_day(
    config: &Config,
    files: &dyn Files,
    handle: &str,
    date: NaiveDate,
    calendar: &CalendarFile,
) -> Result<Current> {
    let zones = zones(config, handle)?;
    let hours = config.work_hours_of(handle)?;
    let start = domain::day_start(zones.person, date, morning_time(config, handle)?, &hours);
    if let Some(set) = set_at(config, files, handle, zones, start) {
        return Ok(set);
    }
    inferred(config, handle, zones, start, calendar)
}

/// The context `handle` set, if it holds at `now`.
fn set_at(
    config: &Config,
    files: &dyn Files,
    handle: &str,
    zones: Zones,
    now: DateTime<Utc>,
) -> Option<Current> {
    let set = kept(&state_dir(config, files)).remove(handle)?;
    (set.until > now).then(|| Current {
        why: until(zones.person, now, set.until),
        context: set.context,
        set_until: Some(set.until),
    })
}

/// The context of `handle` at `now`, inferred from `calendar` and their work hours.
fn inferred(
    config: &Config,
    handle: &str,
    zones: Zones,
    now: DateTime<Utc>,
    calendar: &CalendarFile,
) -> Result<Current> {
    let mut settings = config.contexts()?;
    settings.rules.work_hours = config.work_hours_of(handle)?;
    if let Some(own) = own_context(config, handle) {
        settings.rules.off_work = own;
    }
    let inferred = domain::infer_context(zones, now, calendar, &settings.rules);
    Ok(Current {
        context: inferred.context,
        why: inferred.why,
        set_until: None,
    })
}

/// The context `handle` set as theirs when nothing else says (`context`).
fn own_context(config: &Config, handle: &str) -> Option<String> {
    let people = config.people().ok()?;
    people
        .iter()
        .zip(&config.people)
        .find(|(person, _)| person.handle.eq_ignore_ascii_case(handle))
        .and_then(|(_, entry)| entry.context.clone())
}

/// The time of `handle`'s morning briefing in their timezone: their own `morning`,
/// else the `morning-briefing` schedule's when it names one minute of one hour, else
/// 08:00.
fn morning_time(config: &Config, handle: &str) -> Result<NaiveTime> {
    let people = config.people()?;
    let own = people
        .iter()
        .zip(&config.people)
        .find(|(person, _)| person.handle.eq_ignore_ascii_case(handle))
        .and_then(|(_, entry)| entry.morning.as_deref())
        .and_then(|time| NaiveTime::parse_from_str(time.trim(), "%H:%M").ok());
    let scheduled = || {
        let default = DEFAULT_JOBS.iter().find(|(job, _)| *job == "morning-briefing");
        let cron = config
            .scheduler
            .jobs
            .get("morning-briefing")
            .map(String::as_str)
            .or(default.map(|(_, cron)| *cron))?;
        let mut fields = cron.split_whitespace();
        let minute: u32 = fields.next()?.parse().ok()?;
        let hour: u32 = fields.next()?.parse().ok()?;
        NaiveTime::from_hms_opt(hour, minute, 0)
    };
    Ok(own
        .or_else(scheduled)
        .unwrap_or(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)))
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

/// Whether `now` (store-local) is late in `handle`'s day: past the end of their work
/// hours, or the evening of a day off, on their own clock.
pub fn is_late(config: &Config, handle: &str, now: chrono::NaiveDateTime) -> Result<bool> {
    let (zones, instant) = when(config, handle, now)?;
    let local = instant.with_timezone(&zones.person).naive_local();
    Ok(config.work_hours_of(handle)?.is_late(local))
}

/// The zones of `handle` (theirs, else the store's) and `now` (store-local) as an instant.
fn when(config: &Config, handle: &str, now: chrono::NaiveDateTime) -> Result<(Zones, DateTime<Utc>)> {
    let zones = zones(config, handle)?;
    Ok((zones, domain::instant(zones.store, now)))
}

/// The store's zone and `handle`'s (theirs, else the store's).
fn zones(config: &Config, handle: &str) -> Result<Zones> {
    let store = config.store_timezone()?;
    let person = config
        .people()?
        .find(handle)
        .and_then(|person| person.timezone.as_deref())
        .and_then(|zone| zone.parse::<Tz>().ok())
        .unwrap_or(store);
    Ok(Zones { store, person })
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
