//! Sending from background work: the schedule's briefings and reminders go to a
//! person's direct messages when their `[[people]]` entry has a Discord id, else to
//! the team channel (`discord.channel_id`) under their name. [`Sender`] is the
//! [`Deliver`] the jobs use when the bot runs.

use super::reply::pieces;
use crate::config::Config;
use crate::reminders::Deliver;
use anyhow::{Context as _, bail};
use myorg_domain::people::People;
use myorg_domain::reminders::Message;
use poise::serenity_prelude as serenity;
use std::sync::Arc;

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

    /// Posts `text` in `channel`, in pieces of at most 2000 characters, pinging only
    /// the users in `ping`.
    pub async fn to_channel(&self, channel: u64, text: &str, ping: &[u64]) -> anyhow::Result<()> {
        let channel = serenity::ChannelId::new(channel);
        for piece in pieces(text) {
            let mentions = serenity::CreateAllowedMentions::new()
                .users(ping.iter().map(|id| serenity::UserId::new(*id)));
            let message = serenity::CreateMessage::new()
                .content(piece)
                .allowed_mentions(mentions);
            channel
                .send_message(&self.http, message)
                .await
                .with_context(|| format!("posting in channel {channel}"))?;
        }
        Ok(())
    }

    /// Sends `text` to `user` as a direct message.
    pub async fn to_user(&self, user: u64, text: &str) -> anyhow::Result<()> {
        let channel = serenity::UserId::new(user)
            .create_dm_channel(&self.http)
            .await
            .with_context(|| format!("opening a direct message with {user}"))?;
        self.to_channel(channel.id.get(), text, &[]).await
    }

    /// Delivers `message` to its person: by direct message, else in the team channel.
    pub async fn send(&self, message: &Message) -> anyhow::Result<()> {
        let person = self.people.find(&message.to);
        if let Some(id) = person.and_then(|person| person.discord_id) {
            return self.to_user(id, &message.text).await;
        }
        let Some(channel) = self.channel else {
            bail!(
                "{} has no discord_id and no discord.channel_id is set: nowhere to send it",
                message.to
            );
        };
        let name = person.map_or(message.to.as_str(), |person| person.name.as_str());
        self.to_channel(channel, &format!("For {name}:\n{}", message.text), &[])
            .await
    }
}

impl Deliver for Sender {
    /// Blocks on the send: call it from a blocking thread (where jobs run), never
    /// from async code.
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        self.runtime.block_on(self.send(message))
    }
}
