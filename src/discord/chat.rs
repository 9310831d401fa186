//! Free chat: a message in the team channel or a chat channel, a direct message, or a
//! message that mentions the bot goes to the agent, with a typing indicator while it
//! works. The answer is sent in messages of at most 2000 characters; a change the
//! agent may only make with the person's word comes with Confirm / Cancel buttons.
//! `forget` forgets the conversation. Without a language model (none configured, down,
//! over budget) the answer says so, and the slash commands keep working.

use super::access::Who;
use super::buttons;
use super::reply::{no_pings, pieces};
use super::retry::patiently;
use super::{Data, Error};
use crate::agent::conversation::Reply;
use crate::agent::memory::Memory;
use poise::serenity_prelude as serenity;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a refused person's messages in a chat channel go unanswered after a
/// refusal.
const REFUSE_AGAIN_AFTER: Duration = Duration::from_secs(10 * 60);

/// What free chat says when no model is configured.
const NO_MODEL: &str = "Free-form chat needs a language model, and none is configured. The slash commands all work: try `/help`.";

/// A message arrived.
pub async fn on_message(
    ctx: &serenity::Context,
    data: &Data,
    message: &serenity::Message,
) -> Result<(), Error> {
    if message.author.bot || message.webhook_id.is_some() {
        return Ok(());
    }
    let bot = data.bot_id.get().copied().unwrap_or_default();
    let channel = message.channel_id.get();
    let direct = message.guild_id.is_none();
    let mentioned = message.mentions.iter().any(|user| user.id.get() == bot);
    if !(direct || mentioned || data.chat_channels.contains(&channel)) {
        return Ok(());
    }
    let who = Who {
        user: message.author.id.get(),
        roles: message
            .member
            .as_ref()
            .map(|member| member.roles.iter().map(|role| role.get()).collect())
            .unwrap_or_default(),
        guild: message.guild_id.map(|guild| guild.get()),
        channel,
    };
    if let Err(refusal) = data.access.check(&who) {
        tracing::info!(user_name = %message.author.name, ?refusal, "discord: refused a message");
        // Asked directly, always answered; in a chat channel, once in a while, so
        // people talking among themselves are not answered message after message.
        if direct || mentioned || data.refused.first_in_a_while(who.user, Instant::now()) {
            return send(ctx, message, &refusal.to_string(), None).await;
        }
        return Ok(());
    }
    let content = without_mentions(&message.content, bot);
    let asker = data.asker(&message.author, channel);
    tracing::info!(
        user_name = %message.author.name,
        characters = content.chars().count(),
        "discord: chat"
    );
    if content.is_empty() {
        return send(ctx, message, "Yes? Write what you need, or try `/help`.", None).await;
    }
    if content.eq_ignore_ascii_case("forget") {
        let state = data.app.store.state_dir().to_path_buf();
        let (channel, handle) = (asker.channel.clone(), asker.handle.clone());
        let reset =
            tokio::task::spawn_blocking(move || Memory::load(&state, &channel, &handle, 0).reset()).await?;
        let answer = match reset {
            Ok(()) => "Forgotten: our conversation starts afresh.".to_string(),
            Err(error) => format!("I could not forget it: {error:#}"),
        };
        return send(ctx, message, &answer, None).await;
    }
    let Some(agent) = &data.agent else {
        return send(ctx, message, NO_MODEL, None).await;
    };
    let typing = message.channel_id.start_typing(&ctx.http);
    let reply = agent.ask(&asker, &content, data.now(), &data.cancel).await;
    typing.stop();
    match reply {
        Reply::Unavailable(why) => send(ctx, message, &why, None).await,
        Reply::Answer(answer) => {
            tracing::info!(
                model_calls = answer.model_calls,
                tool_calls = answer.tool_calls,
                "discord: answered"
            );
            send(ctx, message, &answer.text, None).await?;
            for (id, preview) in &answer.to_confirm {
                let ask = format!("Please confirm (within 5 minutes): {preview}");
                send(ctx, message, &ask, Some(buttons::confirm_row(id))).await?;
            }
            Ok(())
        }
    }
}

/// When each refused person was last told so in a chat channel.
#[derive(Default)]
pub struct Refused {
    last: Mutex<HashMap<u64, Instant>>,
}

impl Refused {
    /// Whether `user` was not refused within [`REFUSE_AGAIN_AFTER`] of `now` (and
    /// records that they are now).
    pub fn first_in_a_while(&self, user: u64, now: Instant) -> bool {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        last.retain(|_, at| now.saturating_duration_since(*at) < REFUSE_AGAIN_AFTER);
        if last.contains_key(&user) {
            return false;
        }
        last.insert(user, now);
        true
    }
}

/// `content` without mentions of the bot, trimmed.
fn without_mentions(content: &str, bot: u64) -> String {
    content
        .replace(&format!("<@{bot}>"), " ")
        .replace(&format!("<@!{bot}>"), " ")
        .trim()
        .to_string()
}

/// Answers `to` in its channel: `text` in pieces, the first one as a reply; `row`
/// under the last one.
async fn send(
    ctx: &serenity::Context,
    to: &serenity::Message,
    text: &str,
    row: Option<serenity::CreateActionRow>,
) -> Result<(), Error> {
    let pieces = pieces(text);
    let last = pieces.len() - 1;
    for (number, piece) in pieces.into_iter().enumerate() {
        let mut message = serenity::CreateMessage::new()
            .content(piece)
            .allowed_mentions(no_pings());
        if number == 0 {
            message = message.reference_message(to);
        }
        if number == last
            && let Some(row) = row.clone()
        {
            message = message.components(vec![row]);
        }
        patiently("answering a message", || {
            to.channel_id.send_message(&ctx.http, message.clone())
        })
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_person_in_a_channel_is_told_once_in_a_while() {
        let refused = Refused::default();
        let start = Instant::now();
        assert!(refused.first_in_a_while(7, start));
        assert!(!refused.first_in_a_while(7, start + Duration::from_secs(60)));
        assert!(refused.first_in_a_while(8, start + Duration::from_secs(60)));
        assert!(refused.first_in_a_while(7, start + REFUSE_AGAIN_AFTER));
    }

    #[test]
    fn mentions_of_the_bot_are_taken_out() {
        assert_eq!(without_mentions("<@1000> add milk", 1000), "add milk");
        assert_eq!(without_mentions("hey <@!1000>", 1000), "hey");
        assert_eq!(without_mentions("<@2000> hi", 1000), "<@2000> hi");
    }
}
