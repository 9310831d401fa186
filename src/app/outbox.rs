//! Messages the assistant was asked to send to other people: a post in the team
//! channel, a direct message to someone, a stuck task raised with the team. A use
//! case only queues them, in `STATE/outbox.jsonl` (outside git history), since it may
//! run where no bot is (a tool call from MCP); `myorg run` [`drain`]s the queue every
//! few seconds through its `Deliver` (Discord, or the log when headless). A message
//! that fails stays queued and is tried again; one delivered is gone from the file.
//! The file is rewritten whole under `STATE/outbox.lock`, so two drains never send a
//! message twice.

use super::{Ctx, Error, Result};
use crate::reminders::Deliver;
use crate::store::exclusive_lock;
use anyhow::Context as _;
use chrono::NaiveDateTime;
use myorg_domain::reminders::{Message, TEAM};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;

const FILE: &str = "outbox.jsonl";
const LOCK: &str = "outbox.lock";
/// The longest message taken: Discord splits longer ones, but a message this long is
/// no longer a message.
pub const MAX_CHARS: usize = 4000;

/// One queued message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    /// Unique, so Discord's nonce tells one message from another with the same text.
    pub id: String,
    /// A handle, or [`TEAM`].
    pub to: String,
    pub text: String,
    /// The person a team message is about, who alone may be mentioned.
    #[serde(default)]
    pub about: Option<String>,
    /// Who asked for it.
    pub by: String,
    pub at: NaiveDateTime,
}

impl Queued {
    /// What the person who asked is told.
    pub fn said(&self) -> String {
        let whom = if self.to == TEAM {
            "the team channel".to_string()
        } else {
            self.to.clone()
        };
        format!("Sent to {whom}: {}", self.text)
    }
}

/// Queues `text` for `to` (a person's name or handle, or [`TEAM`]), as `ctx`'s person;
/// `about` names the one person a team message may mention.
pub fn queue(ctx: &Ctx, to: &str, text: &str, about: Option<&str>) -> Result<Queued> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::Invalid("there is nothing to send".to_string()));
    }
    if text.chars().count() > MAX_CHARS {
        return Err(Error::Invalid(format!(
            "the message is {} characters; at most {MAX_CHARS} are sent",
            text.chars().count()
        )));
    }
    let to = if to == TEAM {
        TEAM.to_string()
    } else {
        let people = ctx.config.people()?;
        match people.find(to) {
            Some(person) => person.handle.clone(),
            // With no team configured, the one person there is.
            None if people.is_empty() && ctx.config.me()?.is_called(to) => ctx.handle.clone(),
            None => {
                let known: Vec<&str> = people.iter().map(|person| person.handle.as_str()).collect();
                return Err(Error::NotFound(format!(
                    "no one called {to:?} to send it to; the people: {}",
                    known.join(", ")
                )));
            }
        }
    };
    let who = ctx
        .config
        .people()
        .ok()
        .and_then(|people| people.find(&ctx.handle).map(|person| person.name.clone()))
        .unwrap_or_else(|| ctx.actor.name.clone());
    let queued = Queued {
        id: uuid::Uuid::new_v4().simple().to_string(),
        to,
        text: format!("From {who}: {text}"),
        about: about.map(str::to_string),
        by: ctx.handle.clone(),
        at: ctx.now,
    };
    let dir = ctx.store.state_dir();
    let _lock = lock(dir)?;
    let mut all = read(dir)?;
    all.push(queued.clone());
    write(dir, &all)?;
    Ok(queued)
}

/// Raises the open task `given` names with the team: a post in the team channel
/// saying whose it is and since when it is due, mentioning its owner alone.
pub fn raise(ctx: &Ctx, given: &str, why: Option<&str>) -> Result<Queued> {
    let todo = super::tasks::todo(ctx.store)?;
    let (index, _) = super::tasks::named(&todo, given, myorg_domain::reference::Scope::Open)?;
    let task = todo
        .get(index)
        .and_then(|line| line.task())
        .ok_or_else(|| Error::NotFound(format!("no open task {given:?}")))?;
    let owner = task.owner().map(str::to_string);
    let short = myorg_domain::reference::short(task);
    let mut text = match (&owner, task.due()) {
        (Some(owner), Some(due)) => format!("stuck, {owner}'s: {} (due {due}) [{short}]", task.description()),
        (Some(owner), None) => format!("stuck, {owner}'s: {} [{short}]", task.description()),
        (None, Some(due)) => format!("stuck, no one's: {} (due {due}) [{short}]", task.description()),
        (None, None) => format!("stuck, no one's: {} [{short}]", task.description()),
    };
    if let Some(why) = why.map(str::trim).filter(|why| !why.is_empty()) {
        text.push_str(&format!(" — {why}"));
    }
    queue(ctx, TEAM, &text, owner.as_deref())
}

/// Delivers what is queued in `dir` through `deliver`; what fails stays for the next
/// time. How many were delivered.
pub fn drain(dir: &Path, deliver: &mut dyn Deliver) -> anyhow::Result<usize> {
    if !dir.join(FILE).exists() {
        return Ok(0);
    }
    let _lock = lock(dir)?;
    let all = read(dir)?;
    if all.is_empty() {
        return Ok(0);
    }
    let mut kept = Vec::new();
    let mut sent = 0;
    for queued in all {
        let message = Message {
            to: queued.to.clone(),
            text: queued.text.clone(),
            keys: vec![format!("outbox:{}", queued.id)],
            folded: false,
            about: queued.about.clone(),
        };
        match deliver.deliver(&message) {
            Ok(()) => sent += 1,
            Err(error) => {
                tracing::warn!(to = %queued.to, error = format!("{error:#}"), "a queued message was not delivered; it is tried again");
                kept.push(queued);
            }
        }
    }
    write(dir, &kept)?;
    Ok(sent)
}

fn lock(dir: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(dir).with_context(|| format!("making {}", dir.display()))?;
    exclusive_lock(
        &dir.join(LOCK),
        Duration::from_secs(30),
        &|| tracing::info!("waiting for the outbox"),
        "sending queued messages",
    )
}

/// The queue; a line that cannot be read (a torn write) is skipped.
fn read(dir: &Path) -> anyhow::Result<Vec<Queued>> {
    let path = dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error).with_context(|| format!("reading {}", path.display())),
    };
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect())
}

/// The queue rewritten whole, atomically (a new file renamed over the old, fsynced).
fn write(dir: &Path, all: &[Queued]) -> anyhow::Result<()> {
    let mut text = String::new();
    for queued in all {
        text.push_str(&serde_json::to_string(queued)?);
        text.push('\n');
    }
    let path = dir.join(FILE);
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::with_ctx;

    /// Fails the first `fail` deliveries, then keeps what it is given.
    struct Flaky {
        fail: usize,
        got: Vec<Message>,
    }

    impl Deliver for Flaky {
        fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
            if self.fail > 0 {
                self.fail -= 1;
                anyhow::bail!("Discord is down");
            }
            self.got.push(message.clone());
            Ok(())
        }
    }

    #[test]
    fn a_queued_message_goes_once_and_a_failed_one_waits() {
        with_ctx(|ctx| {
            let first = queue(ctx, TEAM, "The release is on Friday", None).unwrap();
            assert_eq!(
                first.said(),
                "Sent to the team channel: From Ana: The release is on Friday"
            );
            queue(ctx, TEAM, "  Standup moves to 10:00 ", Some("ana")).unwrap();
            assert!(queue(ctx, TEAM, "   ", None).is_err());
            assert!(queue(ctx, TEAM, &"x".repeat(MAX_CHARS + 1), None).is_err());
            assert!(matches!(queue(ctx, "zoe", "hi", None), Err(Error::NotFound(_))));
            let dir = ctx.store.state_dir();
            let mut flaky = Flaky {
                fail: 1,
                got: Vec::new(),
            };
            assert_eq!(drain(dir, &mut flaky).unwrap(), 1);
            assert_eq!(flaky.got[0].text, "From Ana: Standup moves to 10:00");
            assert_eq!(flaky.got[0].about.as_deref(), Some("ana"));
            assert_eq!(drain(dir, &mut flaky).unwrap(), 1);
            assert_eq!(flaky.got[1].text, "From Ana: The release is on Friday");
            assert_eq!(drain(dir, &mut flaky).unwrap(), 0);
            assert_eq!(flaky.got.len(), 2);
        });
    }
}
