//! Answers within Discord's limits: text split into messages of at most 2000
//! characters on line boundaries, lists and briefings as embeds split at 4096
//! characters, errors ephemeral (only the person who asked sees them), and none
//! pinging anyone ([`no_pings`]).

use super::retry::patiently;
use super::text::{self, DESCRIPTION_LIMIT, EMBEDS_TOTAL_LIMIT, MESSAGE_LIMIT, TITLE_LIMIT};
use super::{Context, Data, Error};
use poise::CreateReply;
use poise::serenity_prelude as serenity;

/// The accent of the assistant's embeds.
pub const COLOUR: u32 = 0x2f6f9f;

/// The most messages one answer is sent as; the rest is cut with a note.
pub const MOST_MESSAGES: usize = 5;

/// An ephemeral error.
pub async fn error(ctx: Context<'_>, message: &str) -> Result<(), Error> {
    let message = text::clip(message.trim(), MESSAGE_LIMIT);
    drop_public_thinking(ctx).await;
    send(ctx, CreateReply::default().content(message).ephemeral(true)).await
}

/// After a public defer, the first follow-up replaces the "thinking…" message and
/// takes its visibility, whatever its own flags say: an error sent then would be
/// shown to everyone. So a response that is still a public "thinking…" message is
/// deleted first; the error then comes as a message of its own, seen by the person
/// who asked alone.
async fn drop_public_thinking(ctx: Context<'_>) {
    let poise::Context::Application(app) = ctx else {
        return;
    };
    if !app
        .has_sent_initial_response
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        return;
    }
    let http = &ctx.serenity_context().http;
    let Ok(original) = app.interaction.get_response(http).await else {
        return;
    };
    let flags = original.flags.unwrap_or_default();
    if flags.contains(serenity::MessageFlags::LOADING)
        && !flags.contains(serenity::MessageFlags::EPHEMERAL)
        && let Err(err) = app.interaction.delete_response(http).await
    {
        tracing::warn!(error = %err, "discord: could not remove a public \"thinking\" message before an error");
    }
}

/// Text as one or more messages.
pub async fn say(ctx: Context<'_>, answer: &str) -> Result<(), Error> {
    for piece in pieces(answer) {
        send(ctx, CreateReply::default().content(piece)).await?;
    }
    Ok(())
}

/// Sends `reply`, pinging nobody: the interaction's response, or a follow-up once
/// there is one (again after a rate limit). Every reply of a command goes through here.
pub async fn send(ctx: Context<'_>, reply: CreateReply) -> Result<(), Error> {
    let reply = reply.allowed_mentions(no_pings());
    patiently("replying", || ctx.send(reply.clone())).await?;
    Ok(())
}

/// Allowed mentions that ping nobody, not even the author of a message replied to.
/// Every message and edit the bot sends carries them explicitly: the client's default
/// does not reach every request (serenity leaves it off the edit of an interaction's
/// response, so the text a confirmation shows could ping the people it names).
pub fn no_pings() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new().replied_user(false)
}

/// `answer` in messages of at most 2000 characters, at most [`MOST_MESSAGES`] of
/// them (the last says how much was left out); "(nothing)" when it is blank.
pub fn pieces(answer: &str) -> Vec<String> {
    let mut pieces = text::split(answer, MESSAGE_LIMIT);
    if pieces.is_empty() {
        pieces.push("(nothing)".to_string());
    }
    if pieces.len() > MOST_MESSAGES {
        let left: usize = pieces[MOST_MESSAGES - 1..]
            .iter()
            .map(|p| p.lines().count())
            .sum();
        pieces.truncate(MOST_MESSAGES - 1);
        pieces.push(format!(
            "… and {left} more lines; ask for less, or use `myorg` on the store."
        ));
    }
    pieces
}

/// An embed with `title` and `body` (one description).
pub fn embed(title: &str, body: &str) -> serenity::CreateEmbed {
    serenity::CreateEmbed::new()
        .title(text::clip(title, TITLE_LIMIT))
        .description(text::clip(body, DESCRIPTION_LIMIT))
        .colour(COLOUR)
}

/// `body` as embeds titled `title` (the later ones "title (2)"…), grouped into
/// messages that respect the per-message limits.
pub fn embed_messages(title: &str, body: &str) -> Vec<Vec<serenity::CreateEmbed>> {
    let parts = text::split(body, DESCRIPTION_LIMIT);
    let parts = if parts.is_empty() {
        vec!["(nothing)".to_string()]
    } else {
        parts
    };
    let mut messages: Vec<Vec<serenity::CreateEmbed>> = Vec::new();
    let mut current = Vec::new();
    let mut size = 0;
    for (number, part) in parts.iter().enumerate() {
        let title = if number == 0 {
            text::clip(title, TITLE_LIMIT)
        } else {
            text::clip(&format!("{title} ({})", number + 1), TITLE_LIMIT)
        };
        let chars = title.chars().count() + part.chars().count();
        if !current.is_empty() && (size + chars > EMBEDS_TOTAL_LIMIT || current.len() == 10) {
            messages.push(std::mem::take(&mut current));
            size = 0;
        }
        current.push(embed(&title, part));
        size += chars;
    }
    messages.push(current);
    messages.truncate(MOST_MESSAGES);
    messages
}

/// `body` as embeds.
pub async fn embeds(ctx: Context<'_>, title: &str, body: &str) -> Result<(), Error> {
    for group in embed_messages(title, body) {
        let reply = CreateReply {
            embeds: group,
            ..Default::default()
        };
        send(ctx, reply).await?;
    }
    Ok(())
}

/// What the person sees when a command fails.
pub async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            // An error may quote what a server said, and a server may echo a secret.
            let error = ctx
                .data()
                .app
                .config
                .secrets()
                .redact(&error.to_string())
                .into_owned();
            tracing::warn!(%error, "discord: the command failed");
            let _ = self::error(ctx, &format!("Sorry, that did not work: {error}")).await;
        }
        poise::FrameworkError::ArgumentParse {
            error, input, ctx, ..
        } => {
            let what = input.map(|input| format!(" ({input:?})")).unwrap_or_default();
            let _ = self::error(ctx, &format!("That option is not valid{what}: {error}")).await;
        }
        poise::FrameworkError::CommandPanic { ctx, payload, .. } => {
            tracing::error!(
                panic = payload.unwrap_or_default(),
                "discord: the command panicked"
            );
            let _ = self::error(
                ctx,
                "Sorry, something went wrong inside the assistant; nothing was changed by this command.",
            )
            .await;
        }
        // The check has answered already.
        poise::FrameworkError::CommandCheckFailed { .. } => {}
        poise::FrameworkError::EventHandler { error, event, .. } => {
            tracing::warn!(event = event.snake_case_name(), %error, "discord: handling an event failed");
        }
        other => {
            if let Err(error) = poise::builtins::on_error(other).await {
                tracing::warn!(%error, "discord: answering an error failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_answer_becomes_at_most_five_messages_of_at_most_2000_characters() {
        let answer: String = (0..2000).map(|n| format!("line {n}\n")).collect();
        let got = pieces(&answer);
        assert_eq!(got.len(), MOST_MESSAGES);
        assert!(got.iter().all(|p| p.chars().count() <= MESSAGE_LIMIT));
        assert!(got.last().unwrap().contains("more lines"));
        assert_eq!(pieces("  "), vec!["(nothing)"]);
    }

    #[test]
    fn embeds_respect_the_per_message_total() {
        let body: String = (0..600)
            .map(|n| format!("task number {n} with some words\n"))
            .collect();
        let messages = embed_messages("Tasks", &body);
        for group in &messages {
            let total: usize = group
                .iter()
                .map(|embed| {
                    let value = serde_json::to_value(embed).unwrap();
                    let title = value["title"].as_str().unwrap_or("").chars().count();
                    let description = value["description"].as_str().unwrap_or("").chars().count();
                    assert!(description <= DESCRIPTION_LIMIT);
                    title + description
                })
                .sum();
            assert!(total <= EMBEDS_TOTAL_LIMIT, "{total}");
        }
        assert!(messages.len() > 1);
    }
}
