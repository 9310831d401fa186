//! The weekly review on Discord ([`crate::app::review`]): each screen is a message
//! with one button per answer; an answer that takes words (a next action, a new
//! date, a closing note) opens a form (a modal) first. Each press or form updates the
//! message in place with what was done and the next screen; dropping a task asks
//! again on the message before anything is deleted.
//!
//! A button's id names whose review it is and the screen it answers
//! (`rv:HANDLE:TOKEN:WORD`): only that person may answer, and an answer to a screen
//! that has passed (an old message, a second tap) changes nothing and says where the
//! review is now, privately.

use super::access::Who;
use super::reply::{self, no_pings};
use super::retry::patiently;
use super::text;
use super::{Data, Error};
use crate::app::review::{self, Answered, Screen};
use myorg_domain::review::Answer;
use poise::serenity_prelude as serenity;
use std::time::Duration;

/// How long an answer may take before the press is acknowledged and the message
/// edited afterwards.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);

/// The text input of a review's form.
const WORDS: &str = "words";

/// The message that shows `screen`: what the last answer did (`did`) as its content,
/// the screen as an embed, its answers as buttons; with `confirm`, the buttons ask
/// whether to drop the task.
pub fn message(
    screen: &Screen,
    did: Option<&str>,
    confirm: bool,
) -> (
    Option<String>,
    serenity::CreateEmbed,
    Vec<serenity::CreateActionRow>,
) {
    let title = if screen.finished {
        format!("Weekly review {}: finished", screen.week)
    } else {
        format!(
            "Weekly review {} · step {} of {}",
            screen.week, screen.number, screen.of
        )
    };
    let body = if screen.finished {
        screen.body()
    } else {
        let body = screen.body();
        if body.is_empty() {
            format!("**{}**", screen.title)
        } else {
            format!("**{}**\n\n{body}", screen.title)
        }
    };
    let id = |word: &str| format!("rv:{}:{}:{word}", screen.handle, screen.token);
    let buttons: Vec<serenity::CreateButton> = if confirm {
        vec![
            serenity::CreateButton::new(id("drop!"))
                .label("Drop it")
                .style(serenity::ButtonStyle::Danger),
            serenity::CreateButton::new(id("keep"))
                .label("Keep it")
                .style(serenity::ButtonStyle::Secondary),
        ]
    } else {
        screen
            .choices
            .iter()
            .enumerate()
            .map(|(at, choice)| {
                let style = match choice.word {
                    "drop" => serenity::ButtonStyle::Danger,
                    "skip" | "next" => serenity::ButtonStyle::Secondary,
                    _ if at == 0 => serenity::ButtonStyle::Primary,
                    _ => serenity::ButtonStyle::Secondary,
                };
                serenity::CreateButton::new(id(choice.word))
                    .label(choice.label)
                    .style(style)
            })
            .collect()
    };
    let rows = buttons
        .chunks(5)
        .map(|row| serenity::CreateActionRow::Buttons(row.to_vec()))
        .collect();
    let content = did.map(|did| text::clip(did, 2000));
    (content, reply::embed(&title, &body), rows)
}

/// A press or a form of the review.
enum Pressed<'a> {
    Click(&'a serenity::ComponentInteraction),
    Form(&'a serenity::ModalInteraction),
}

impl Pressed<'_> {
    fn user(&self) -> &serenity::User {
        match self {
            Pressed::Click(click) => &click.user,
            Pressed::Form(form) => &form.user,
        }
    }

    fn channel(&self) -> u64 {
        match self {
            Pressed::Click(click) => click.channel_id.get(),
            Pressed::Form(form) => form.channel_id.get(),
        }
    }

    async fn respond(
        &self,
        ctx: &serenity::Context,
        response: serenity::CreateInteractionResponse,
    ) -> Result<(), Error> {
        patiently("answering a review's press", || async {
            match self {
                Pressed::Click(click) => click.create_response(ctx, response.clone()).await,
                Pressed::Form(form) => form.create_response(ctx, response.clone()).await,
            }
        })
        .await?;
        Ok(())
    }

    async fn edit(
        &self,
        ctx: &serenity::Context,
        edit: serenity::EditInteractionResponse,
    ) -> Result<(), Error> {
        patiently("showing the review's next step", || async {
            match self {
                Pressed::Click(click) => click.edit_response(ctx, edit.clone()).await,
                Pressed::Form(form) => form.edit_response(ctx, edit.clone()).await,
            }
        })
        .await?;
        Ok(())
    }

    async fn follow(&self, ctx: &serenity::Context, message: &str) -> Result<(), Error> {
        let followup = serenity::CreateInteractionResponseFollowup::new()
            .content(text::clip(message, 2000))
            .ephemeral(true)
            .allowed_mentions(no_pings());
        patiently("telling why a review's answer did nothing", || async {
            match self {
                Pressed::Click(click) => click.create_followup(ctx, followup.clone()).await,
                Pressed::Form(form) => form.create_followup(ctx, followup.clone()).await,
            }
        })
        .await?;
        Ok(())
    }
}

/// A review's button was pressed (`rest`: `HANDLE:TOKEN:WORD`).
pub async fn on_click(
    ctx: &serenity::Context,
    data: &Data,
    click: &serenity::ComponentInteraction,
    rest: &str,
) -> Result<(), Error> {
    let pressed = Pressed::Click(click);
    let Some((handle, token, word)) = parts(rest) else {
        return private(ctx, &pressed, "That button is not one of mine any more.").await;
    };
    if let Some(refusal) = not_theirs(data, &pressed, handle) {
        return private(ctx, &pressed, &refusal).await;
    }
    let answer = match word {
        "drop!" => Some(Answer::Drop(true)),
        "keep" => None,
        word => match Answer::choice(word) {
            // An answer that takes words: the form asks for them.
            Some(choice) if choice.asks.is_some() => {
                let input = serenity::CreateInputText::new(
                    serenity::InputTextStyle::Paragraph,
                    text::clip(choice.label, 45),
                    WORDS,
                )
                .placeholder(text::clip(choice.asks.unwrap_or_default(), 100))
                .max_length(1000)
                .required(true);
                let form = serenity::CreateModal::new(
                    format!("rv:{handle}:{token}:{word}"),
                    text::clip(choice.label, 45),
                )
                .components(vec![serenity::CreateActionRow::InputText(input)]);
                return pressed
                    .respond(ctx, serenity::CreateInteractionResponse::Modal(form))
                    .await;
            }
            Some(_) => Answer::from_word(word, ""),
            None => return private(ctx, &pressed, "That button is not one of mine any more.").await,
        },
    };
    answer_with(ctx, data, &pressed, token, answer).await
}

/// A review's form was sent (its id: `rv:HANDLE:TOKEN:WORD`).
pub async fn on_form(
    ctx: &serenity::Context,
    data: &Data,
    form: &serenity::ModalInteraction,
) -> Result<(), Error> {
    let pressed = Pressed::Form(form);
    let who = Who {
        user: form.user.id.get(),
        roles: form
            .member
            .as_ref()
            .map(|member| member.roles.iter().map(|role| role.get()).collect())
            .unwrap_or_default(),
        guild: form.guild_id.map(|guild| guild.get()),
        channel: form.channel_id.get(),
    };
    if let Err(refusal) = data.access.check(&who) {
        tracing::info!(user_name = %form.user.name, ?refusal, "discord: refused a form");
        return private(ctx, &pressed, &refusal.to_string()).await;
    }
    tracing::info!(user_name = %form.user.name, "discord: form");
    let parsed = form.data.custom_id.strip_prefix("rv:").and_then(parts);
    let Some((handle, token, word)) = parsed else {
        return private(ctx, &pressed, "That form is not one of mine any more.").await;
    };
    if let Some(refusal) = not_theirs(data, &pressed, handle) {
        return private(ctx, &pressed, &refusal).await;
    }
    let words: String = form
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|component| match component {
            serenity::ActionRowComponent::InputText(input) if input.custom_id == WORDS => input.value.clone(),
            _ => None,
        })
        .unwrap_or_default();
    let Some(answer) = Answer::from_word(word, &words) else {
        return private(ctx, &pressed, "That form is not one of mine any more.").await;
    };
    answer_with(ctx, data, &pressed, token, Some(answer)).await
}

/// `HANDLE:TOKEN:WORD`.
fn parts(rest: &str) -> Option<(&str, &str, &str)> {
    let mut parts = rest.splitn(3, ':');
    Some((parts.next()?, parts.next()?, parts.next()?))
}

/// Why the presser may not answer `handle`'s review, if they may not.
fn not_theirs(data: &Data, pressed: &Pressed<'_>, handle: &str) -> Option<String> {
    let asker = data.asker(pressed.user(), pressed.channel());
    (!asker.handle.eq_ignore_ascii_case(handle))
        .then(|| format!("This is {handle}'s weekly review; /review starts yours. Nothing was changed."))
}

/// Does `answer` (`None`: shows the current screen again) to the screen `token` of
/// the presser's review, and shows what it did and the next screen on the message.
async fn answer_with(
    ctx: &serenity::Context,
    data: &Data,
    pressed: &Pressed<'_>,
    token: &str,
    answer: Option<Answer>,
) -> Result<(), Error> {
    let asker = data.asker(pressed.user(), pressed.channel());
    let token = token.to_string();
    let mut work = data.app.run(&asker, data.now(), move |app| match answer {
        Some(answer) => review::answer(app, Some(&token), &answer),
        None => review::open(app).map(|screen| Answered {
            did: "Kept.".to_string(),
            confirm: false,
            screen,
        }),
    });
    let done = match tokio::time::timeout(ANSWER_WITHIN, &mut work).await {
        Ok(done) => done?,
        Err(_) => {
            pressed
                .respond(ctx, serenity::CreateInteractionResponse::Acknowledge)
                .await?;
            return match work.await? {
                Ok(answered) => {
                    let (content, embed, rows) =
                        message(&answered.screen, Some(&answered.did), answered.confirm);
                    let edit = serenity::EditInteractionResponse::new()
                        .content(content.unwrap_or_default())
                        .embed(embed)
                        .components(rows)
                        .allowed_mentions(no_pings());
                    pressed.edit(ctx, edit).await
                }
                Err(error) => pressed.follow(ctx, &format!("Not done: {error}")).await,
            };
        }
    };
    match done {
        Ok(answered) => {
            tracing::info!(confirm = answered.confirm, "discord: a review's answer");
            let (content, embed, rows) = message(&answered.screen, Some(&answered.did), answered.confirm);
            let update = serenity::CreateInteractionResponseMessage::new()
                .content(content.unwrap_or_default())
                .embed(embed)
                .components(rows)
                .allowed_mentions(no_pings());
            pressed
                .respond(ctx, serenity::CreateInteractionResponse::UpdateMessage(update))
                .await
        }
        Err(error) => {
            tracing::info!("discord: a review's answer refused");
            private(ctx, pressed, &format!("Not done: {error}")).await
        }
    }
}

/// An answer only the presser sees.
async fn private(ctx: &serenity::Context, pressed: &Pressed<'_>, message: &str) -> Result<(), Error> {
    let answer = serenity::CreateInteractionResponseMessage::new()
        .content(text::clip(message, 2000))
        .ephemeral(true)
        .allowed_mentions(no_pings());
    pressed
        .respond(ctx, serenity::CreateInteractionResponse::Message(answer))
        .await
}
