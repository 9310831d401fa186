//! Sending from background work: the schedule's briefings and reminders go to a
//! person's direct messages when their `[[people]]` entry has a Discord id, else to
//! the team channel (`discord.channel_id`) under their name. [`Sender`] is the
//! [`Deliver`] the jobs use when the bot runs.
//!
//! The ledger records a message after Discord took it, so a crash in between sends
//! it again. Each piece therefore carries a nonce made from what the message settles
//! (its person and ledger keys) with `enforce_nonce`: Discord returns the earlier
//! message for a repeat within a few minutes instead of posting it twice.

use super::reply::{no_pings, pieces};
use super::retry::patiently;
use crate::config::Config;
use crate::reminders::Deliver;
use anyhow::{Context as _, bail};
use myorg_domain::people::People;
use myorg_domain::reminders::Message;
use poise::serenity_prelude as serenity;
use sha1::{Digest, Sha1};
use std::fmt::Write as _;
use std::sync::Arc;

/// The longest nonce Discord takes.
const NONCE_LENGTH: usize = 25;

/// Posts messages through the bot's REST client.
#[derive(Clone)]
pub struct Sender {
    http: Arc<serenity::Http>,
    people: People,
    channel: Option<u64>,
    runtime: tokio::runtime::Handle,
}

impl Sender {
    /// A sender for the bot's `http` client, on the current runtime.
    pub fn new(http: Arc<serenity::Http>, config: &Config) -> anyhow::Result<Sender> {
        let channel = config
            .discord
            .channel_id
            .as_deref()
            .filter(|id| !id.trim().is_empty())
            .map(|id| {
                id.trim()
                    .parse::<u64>()
                    .context("discord.channel_id is not a Discord id")
            })
            .transpose()?;
        Ok(Sender {
            http,
            people: config.people()?,
            channel,
            runtime: tokio::runtime::Handle::current(),
        })
    }

    /// Posts `text` in `channel`, in pieces of at most 2000 characters, pinging
    /// nobody. With an `identity`, each piece carries a nonce made from it, so posting
    /// the same again within minutes posts nothing new.
    pub async fn to_channel(&self, channel: u64, text: &str, identity: Option<&str>) -> anyhow::Result<()> {
        self.post(channel, text, identity, None).await
    }

    /// Posts as [`Sender::to_channel`], pinging `mention` (a user id) alone, when given.
    async fn post(
        &self,
        channel: u64,
        text: &str,
        identity: Option<&str>,
        mention: Option<u64>,
    ) -> anyhow::Result<()> {
        let channel = serenity::ChannelId::new(channel);
        for (index, piece) in pieces(text).into_iter().enumerate() {
            let pings = match mention {
                Some(user) => no_pings().users([serenity::UserId::new(user)]),
                None => no_pings(),
            };
            let mut message = serenity::CreateMessage::new()
                .content(piece)
                .allowed_mentions(pings);
            if let Some(identity) = identity {
                message = message
                    .nonce(serenity::Nonce::String(nonce(identity, index)))
                    .enforce_nonce(true);
            }
            let what = format!("posting in channel {channel}");
            patiently(&what, || channel.send_message(&self.http, message.clone()))
                .await
                .context(what)?;
        }
        Ok(())
    }

    /// Sends `text` to `user` as a direct message (with an `identity`, as
    /// [`Sender::to_channel`]).
    pub async fn to_user(&self, user: u64, text: &str, identity: Option<&str>) -> anyhow::Result<()> {
        let what = format!("opening a direct message with {user}");
        let channel = patiently(&what, || {
            serenity::UserId::new(user).create_dm_channel(&self.http)
        })
        .await
        .context(what)?;
        self.to_channel(channel.id.get(), text, identity).await
    }

    /// Delivers `message` to its person: by direct message, else in the team channel;
    /// a message to the team ([`crate::jobs::TEAM`]) in the team channel, mentioning
    /// the person it is about (their Discord id) and no one else.
    pub async fn send(&self, message: &Message) -> anyhow::Result<()> {
        let identity = identity(message);
        if message.to == crate::jobs::TEAM {
            let Some(channel) = self.channel else {
                bail!("no discord.channel_id is set: nowhere to post the team's message");
            };
            // The person a team message names is the one it may ping: never a role or
            // everyone, whatever the text says.
            let about = message
                .about
                .as_deref()
                .and_then(|handle| self.people.find(handle));
            return match about.and_then(|person| person.discord_id) {
                Some(id) => {
                    let text = format!("<@{id}> {}", message.text);
                    self.post(channel, &text, Some(&identity), Some(id)).await
                }
                None => self.post(channel, &message.text, Some(&identity), None).await,
            };
        }
        let person = self.people.find(&message.to);
        if let Some(id) = person.and_then(|person| person.discord_id) {
            return self.to_user(id, &message.text, Some(&identity)).await;
        }
        let Some(channel) = self.channel else {
            bail!(
                "{} has no discord_id and no discord.channel_id is set: nowhere to send it",
                message.to
            );
        };
        let name = person.map_or(message.to.as_str(), |person| person.name.as_str());
        let text = format!("For {name}:\n{}", message.text);
        self.to_channel(channel, &text, Some(&identity)).await
    }
}

/// What a message settles, the same each time it is sent: its person and its keys.
fn identity(message: &Message) -> String {
    let mut identity = message.to.clone();
    for key in &message.keys {
        identity.push('\n');
        identity.push_str(key);
    }
    identity
}

/// The nonce of piece `index` of the message `identity` names: the first 25 hex
/// digits of a SHA-1 of both, as long a nonce as Discord takes.
fn nonce(identity: &str, index: usize) -> String {
    let digest = Sha1::digest(format!("{identity}\n{index}").as_bytes());
    let mut hex = String::with_capacity(2 * digest.len());
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex.truncate(NONCE_LENGTH);
    hex
}

impl Deliver for Sender {
    /// Blocks on the send: call it from a blocking thread (where jobs run), never
    /// from async code.
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        self.runtime.block_on(self.send(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(to: &str, keys: &[&str]) -> Message {
        Message {
            to: to.into(),
            text: "due today: Renew the passport [abcd]".into(),
            keys: keys.iter().map(|key| key.to_string()).collect(),
            folded: false,
            about: None,
        }
    }

    #[test]
    fn a_nonce_is_the_same_for_the_same_message_and_fits_discord() {
        let once = message("ana", &["due:abcdef:2026-11-23:0"]);
        let first = nonce(&identity(&once), 0);
        assert_eq!(first.len(), 25);
        assert!(first.bytes().all(|b| b.is_ascii_hexdigit()), "{first}");
        let resent = Message {
            text: "reworded".into(),
            ..once.clone()
        };
        assert_eq!(
            nonce(&identity(&resent), 0),
            first,
            "the keys name it, not the text"
        );
        for other in [
            nonce(&identity(&once), 1),
            nonce(&identity(&message("ben", &["due:abcdef:2026-11-23:0"])), 0),
            nonce(&identity(&message("ana", &["due:abcdef:2026-11-23:1"])), 0),
            nonce(&identity(&message("ana", &["due:abcdef:2026-11-23:0", "x"])), 0),
        ] {
            assert_ne!(other, first);
        }
    }
}
