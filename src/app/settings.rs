//! Each person's own settings, kept in the store as `.myorg/settings.toml`: one
//! table per person (`[people.ana]`), and the team's directives (`[team.directives]`).
//! They override the configuration for that person; [`settled`] is the configuration
//! with them applied, read afresh by whatever needs it now (the jobs, the schedule,
//! the model's directives), so a change needs no restart.
//!
//! The file is committed like any change and may be edited by hand: [`set`] edits it
//! in place (comments, order and spacing kept) and writes it only over the content it
//! read. A file that cannot be read (bad TOML, an unknown key, an impossible value)
//! is an error naming the problem; [`settled`] then keeps the configuration alone and
//! says why.

use super::{Ctx, Error, Files, Look, Result};
use crate::config::{Config, Directive, PersonConfig};
use crate::reminders::{kinds_named, quiet_hours};
use crate::store::PushReport;
use crate::store::operation::Operation;
use crate::store::operation::content_hash;
use myorg_domain::context::WorkHours;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where the settings are, in the store.
pub const FILE: &str = ".myorg/settings.toml";

/// What a new settings file starts with.
const HEADER: &str = "# Each person's own settings (`myorg settings`, /settings); they override myorg.toml\n\
                      # for that person. One table per person, by handle: [people.ana].\n";

/// The settings a person may set, with what each means.
pub const KEYS: [(&str, &str); 10] = [
    ("morning", "morning briefing time, HH:MM"),
    ("evening", "evening summary time, HH:MM"),
    ("review", "weekly review time, HH:MM"),
    ("quiet_hours", "no reminders between, HH:MM-HH:MM (\"\" for none)"),
    (
        "max_per_day",
        "single reminders a day at most; more are folded into one",
    ),
    (
        "reminders",
        "the kinds to get: deadline, overdue, event, waiting, escalation",
    ),
    ("deliver", "dm (direct messages) or team (the team channel)"),
    ("timezone", "an IANA timezone, like Europe/Madrid"),
    ("context", "the context when nothing else says, like @home"),
    ("work_hours", "work days and hours, like Mon-Fri 09:00-17:00"),
];

/// One person's table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Own {
    pub morning: Option<String>,
    pub evening: Option<String>,
    pub review: Option<String>,
    pub quiet_hours: Option<String>,
    pub max_per_day: Option<usize>,
    pub reminders: Option<Vec<String>>,
    pub deliver: Option<String>,
    pub timezone: Option<String>,
    pub context: Option<String>,
    pub work_hours: Option<String>,
}

/// The team's table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    #[serde(default)]
    pub directives: BTreeMap<String, Directive>,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub people: BTreeMap<String, Own>,
    #[serde(default)]
    pub team: Team,
}

/// The settings in `files` (none when the file is missing), every value checked.
pub fn read(files: &dyn Files) -> Result<Settings> {
    let bytes = files.read(FILE)?;
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Result<Settings> {
    let text = std::str::from_utf8(bytes).map_err(|_| Error::Invalid(format!("{FILE} is not UTF-8 text")))?;
    let settings: Settings = toml_edit::de::from_str(text)
        .map_err(|error| Error::Invalid(format!("{FILE}: {}", error.to_string().trim())))?;
    for (handle, own) in &settings.people {
        check_own(own).map_err(|why| Error::Invalid(format!("{FILE}, [people.{handle}]: {why}")))?;
    }
    Ok(settings)
}

/// Every value of `own` as its key wants it.
fn check_own(own: &Own) -> std::result::Result<(), String> {
    let times = [
        ("morning", &own.morning),
        ("evening", &own.evening),
        ("review", &own.review),
    ];
    for (key, value) in times {
        if let Some(value) = value {
            check("time", key, value)?;
        }
    }
    let texts = [
        ("quiet_hours", &own.quiet_hours),
        ("deliver", &own.deliver),
        ("timezone", &own.timezone),
        ("context", &own.context),
        ("work_hours", &own.work_hours),
    ];
    for (key, value) in texts {
        if let Some(value) = value {
            check(key, key, value)?;
        }
    }
    if let Some(kinds) = &own.reminders {
        kinds_named(kinds).map_err(|error| format!("reminders: {error}"))?;
    }
    Ok(())
}

/// Whether `value` is a good `what` for `key`; why not.
fn check(what: &str, key: &str, value: &str) -> std::result::Result<(), String> {
    let value = value.trim();
    let ok = match what {
        "time" => chrono::NaiveTime::parse_from_str(value, "%H:%M")
            .map(drop)
            .map_err(|_| format!("{value:?} is not a time of day such as 07:30")),
        "quiet_hours" => quiet_hours(value).map(drop).map_err(|error| error.to_string()),
        "deliver" => match value {
            "dm" | "team" => Ok(()),
            _ => Err(format!("{value:?} is neither `dm` nor `team`")),
        },
        "timezone" => value
            .parse::<chrono_tz::Tz>()
            .map(drop)
            .map_err(|_| format!("{value:?} is not an IANA timezone such as Europe/Madrid")),
        "context" => {
            let word = value.strip_prefix('@').unwrap_or_default();
            if word.is_empty() || word.contains(|c: char| c.is_whitespace()) {
                Err(format!("{value:?} is not a context: @ and one word, like @home"))
            } else {
                Ok(())
            }
        }
        "work_hours" => WorkHours::parse(value)
            .map(drop)
            .map_err(|error| error.to_string()),
        _ => Ok(()),
    };
    ok.map_err(|why| format!("{key}: {why}"))
}

/// The configuration with the store's settings applied; the configuration alone,
/// and why, when the settings cannot be read.
pub fn settled(config: &Config, files: &dyn Files) -> (Config, Option<String>) {
    match read(files) {
        Ok(settings) => (apply(config, &settings), None),
        Err(error) => (config.clone(), Some(error.to_string())),
    }
}

/// [`settled`], logging a warning when the settings cannot be read.
pub fn settled_or_warn(config: &Config, files: &dyn Files) -> Config {
    let (config, problem) = settled(config, files);
    if let Some(problem) = problem {
        tracing::warn!(%problem, "the store's settings are left aside until fixed");
    }
    config
}

/// `config` with `settings` over it: each person's own values over their
/// `[[people]]` entry (the user's, when no people are configured), and each of the
/// team's directives, or the configuration's where it is stricter.
pub fn apply(config: &Config, settings: &Settings) -> Config {
    let mut settled = config.clone();
    let handles: Vec<String> = match config.people() {
        Ok(people) => people.iter().map(|person| person.handle.clone()).collect(),
        Err(_) => return settled,
    };
    for (handle, own) in &settings.people {
        let index = match handles.iter().position(|h| h.eq_ignore_ascii_case(handle)) {
            Some(index) => index,
            None if config.people.is_empty()
                && config.me().is_ok_and(|me| me.handle.eq_ignore_ascii_case(handle)) =>
            {
                let user = config.user();
                settled.people.push(PersonConfig {
                    name: user.name,
                    handle: Some(handle.clone()),
                    email: Some(user.email),
                    ..PersonConfig::default()
                });
                settled.people.len() - 1
            }
            None => {
                tracing::warn!(%handle, "the store's settings name no configured person");
                continue;
            }
        };
        let entry = &mut settled.people[index];
        let over = |mine: &mut Option<String>, theirs: &Option<String>| {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        };
        over(&mut entry.morning, &own.morning);
        over(&mut entry.evening, &own.evening);
        over(&mut entry.review, &own.review);
        over(&mut entry.quiet_hours, &own.quiet_hours);
        over(&mut entry.deliver, &own.deliver);
        over(&mut entry.timezone, &own.timezone);
        over(&mut entry.context, &own.context);
        over(&mut entry.work_hours, &own.work_hours);
        if own.max_per_day.is_some() {
            entry.max_per_day = own.max_per_day;
        }
        if own.reminders.is_some() {
            entry.reminders.clone_from(&own.reminders);
        }
    }
    for (key, directive) in &settings.team.directives {
        let strictest = match config.directives.get(key) {
            Some(configured) => (*configured).max(*directive),
            None => *directive,
        };
        settled.directives.insert(key.clone(), strictest);
    }
    settled
}

/// A person's settings as they stand: each key, its value, and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub handle: String,
    /// Key, value (empty: not set), source (`settings.toml`, `myorg.toml`, `default`).
    pub rows: Vec<(String, String, &'static str)>,
}

impl Shown {
    /// One line per key: `morning      07:30 (settings.toml)`.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("Settings of {}:", self.handle)];
        for (key, value, from) in &self.rows {
            let value = if value.is_empty() { "—" } else { value.as_str() };
            lines.push(format!("  {key:<12} {value} ({from})"));
        }
        lines
    }
}

/// The settings of `whom` (a name or handle; `None`: the asker).
pub fn show(look: &Look, whom: Option<&str>) -> Result<Shown> {
    let handle = whose(look.config, whom, look.handle)?;
    let settings = read(look.files)?;
    let own = settings.people.get(&handle).cloned().unwrap_or_default();
    let entry = look
        .config
        .people()
        .ok()
        .and_then(|people| {
            people
                .iter()
                .zip(&look.config.people)
                .find(|(person, _)| person.handle.eq_ignore_ascii_case(&handle))
                .map(|(_, entry)| entry.clone())
        })
        .unwrap_or_default();
    let ours = [
        (own.morning.clone(), entry.morning.clone()),
        (own.evening.clone(), entry.evening.clone()),
        (own.review.clone(), entry.review.clone()),
        (own.quiet_hours.clone(), entry.quiet_hours.clone()),
        (
            own.max_per_day.map(|n| n.to_string()),
            entry.max_per_day.map(|n| n.to_string()),
        ),
        (
            own.reminders.as_ref().map(|kinds| kinds.join(", ")),
            entry.reminders.as_ref().map(|kinds| kinds.join(", ")),
        ),
        (own.deliver.clone(), entry.deliver.clone()),
        (own.timezone.clone(), entry.timezone.clone()),
        (own.context.clone(), entry.context.clone()),
        (own.work_hours.clone(), entry.work_hours.clone()),
    ];
    let rows = KEYS
        .iter()
        .zip(ours)
        .map(|((key, _), (own, configured))| match (own, configured) {
            (Some(value), _) => (key.to_string(), value, "settings.toml"),
            (None, Some(value)) => (key.to_string(), value, "myorg.toml"),
            (None, None) => (key.to_string(), default_of(look.config, key), "default"),
        })
        .collect();
    Ok(Shown { handle, rows })
}

/// What a key is when no one set it.
fn default_of(config: &Config, key: &str) -> String {
    match key {
        "quiet_hours" => config.reminders.quiet_hours.clone(),
        "max_per_day" => config.reminders.max_per_day.to_string(),
        "reminders" => "deadline, overdue, event, waiting, escalation".to_string(),
        "deliver" => "dm".to_string(),
        "timezone" => config.store.timezone.clone().unwrap_or_default(),
        "context" => config.contexts.off_work.clone(),
        "work_hours" => config.contexts.work_hours.clone(),
        _ => String::new(),
    }
}

/// The handle `whom` names among the people (or the asker's, `mine`).
fn whose(config: &Config, whom: Option<&str>, mine: &str) -> Result<String> {
    let Some(whom) = whom.map(str::trim).filter(|w| !w.is_empty()) else {
        return Ok(mine.to_string());
    };
    let people = config.people()?;
    if let Some(person) = people.find(whom) {
        return Ok(person.handle.clone());
    }
    if people.is_empty() && config.me()?.is_called(whom) {
        return Ok(mine.to_string());
    }
    let known: Vec<&str> = people.iter().map(|person| person.handle.as_str()).collect();
    Err(Error::NotFound(format!(
        "no one called {whom:?}; the people: {}",
        if known.is_empty() {
            mine.to_string()
        } else {
            known.join(", ")
        }
    )))
}

/// What [`set`] did.
#[derive(Debug)]
pub struct Changed {
    pub handle: String,
    pub key: String,
    /// The new value; `None`: back to the default.
    pub value: Option<String>,
    pub push: PushReport,
}

impl Changed {
    pub fn said(&self) -> String {
        match &self.value {
            Some(value) => format!("{}'s {} is now {value}.", self.handle, self.key),
            None => format!("{}'s {} is back to the default.", self.handle, self.key),
        }
    }
}

/// Sets `key` of `whom` (`None`: the asker) to `value`, or back to the default when
/// `value` is `default`: one commit of `.myorg/settings.toml`, edited in place.
pub fn set(ctx: &Ctx, whom: Option<&str>, key: &str, value: &str) -> Result<Changed> {
    let handle = whose(ctx.config, whom, &ctx.handle)?;
    let key = key.trim().to_ascii_lowercase().replace('-', "_");
    if !KEYS.iter().any(|(name, _)| *name == key) {
        let known: Vec<&str> = KEYS.iter().map(|(name, _)| *name).collect();
        return Err(Error::Invalid(format!(
            "there is no setting {key:?}; the settings: {}",
            known.join(", ")
        )));
    }
    let value = value.trim();
    let new = if value.eq_ignore_ascii_case("default") {
        None
    } else {
        Some(value_of(&key, value)?)
    };
    let current = ctx.store.read(FILE)?;
    parse(&current).map_err(|error| Error::Invalid(format!("{error}; fix it by hand first")))?;
    let text = if current.is_empty() {
        // The person's table after the header, so the header stays first.
        format!("{HEADER}\n[people.{}]\n", toml_edit::Key::new(handle.as_str()))
    } else {
        String::from_utf8_lossy(&current).into_owned()
    };
    let mut document: toml_edit::DocumentMut = text
        .parse()
        .map_err(|error: toml_edit::TomlError| Error::Invalid(format!("{FILE}: {error}")))?;
    let people = document
        .entry("people")
        .or_insert_with(|| {
            let mut table = toml_edit::Table::new();
            table.set_implicit(true);
            toml_edit::Item::Table(table)
        })
        .as_table_mut()
        .ok_or_else(|| Error::Invalid(format!("{FILE}: `people` is not a table")))?;
    let own = people
        .entry(&handle)
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()))
        .as_table_mut()
        .ok_or_else(|| Error::Invalid(format!("{FILE}: `people.{handle}` is not a table")))?;
    let said = match &new {
        Some(value) => {
            let said = match value {
                toml_edit::Value::Array(kinds) => kinds
                    .iter()
                    .filter_map(|kind| kind.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                toml_edit::Value::String(text) => text.value().clone(),
                other => other.to_string().trim().to_string(),
            };
            if own
                .get(&key)
                .and_then(|item| item.as_value())
                .map(|v| v.to_string().trim().to_string())
                == Some(value.to_string().trim().to_string())
            {
                return Err(Error::Invalid(format!("{handle}'s {key} is already {said}")));
            }
            own.insert(&key, toml_edit::value(value.clone()));
            Some(said)
        }
        None => {
            if own.remove(&key).is_none() {
                return Err(Error::Invalid(format!(
                    "{handle}'s {key} is not set; it is the default already"
                )));
            }
            None
        }
    };
    let content = document.to_string();
    parse(content.as_bytes())?;
    let applied = ctx.store.apply(
        Operation::WriteFile {
            path: FILE.to_string(),
            content,
            base: content_hash(&current),
        },
        &ctx.actor,
    )?;
    Ok(Changed {
        handle,
        key,
        value: said,
        push: applied.push,
    })
}

/// `value` as the TOML value of `key`, checked.
fn value_of(key: &str, value: &str) -> Result<toml_edit::Value> {
    let invalid = |why: String| Error::Invalid(why);
    match key {
        "max_per_day" => {
            let count: i64 = value
                .parse()
                .ok()
                .filter(|n| (0..=1000).contains(n))
                .ok_or_else(|| invalid(format!("max_per_day: {value:?} is not a number from 0 to 1000")))?;
            Ok(toml_edit::Value::from(count))
        }
        "reminders" => {
            let words: Vec<String> = value
                .split([',', ' '])
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_lowercase)
                .collect();
            kinds_named(&words).map_err(|error| invalid(format!("reminders: {error}")))?;
            Ok(toml_edit::Value::Array(
                words.iter().map(String::as_str).collect(),
            ))
        }
        "morning" | "evening" | "review" => {
            check("time", key, value).map_err(invalid)?;
            Ok(toml_edit::Value::from(value))
        }
        _ => {
            check(key, key, value).map_err(invalid)?;
            Ok(toml_edit::Value::from(value))
        }
    }
}

#[cfg(test)]
mod tests;
