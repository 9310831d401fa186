//! Answers to a press of a message component (a button, a menu): privately to the
//! presser, or as the interaction's response, patiently through rate limits; and the
//! Confirm/Cancel row every change waiting for a person's yes carries. Shared by the
//! pages and confirmations ([`super::buttons`]) and the task menu ([`super::picks`]).

use super::Error;
use super::reply::no_pings;
use super::retry::patiently;
use super::text::{self, DESCRIPTION_LIMIT};
use poise::serenity_prelude as serenity;

/// The buttons to confirm or cancel the change `id`.
pub fn confirm_row(id: &str) -> serenity::CreateActionRow {
    serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(format!("yes:{id}"))
            .label("Confirm")
            .style(serenity::ButtonStyle::Danger),
        serenity::CreateButton::new(format!("no:{id}"))
            .label("Cancel")
            .style(serenity::ButtonStyle::Secondary),
    ])
}

/// An answer only the presser sees.
pub(crate) async fn private(
    ctx: &serenity::Context,
    click: &serenity::ComponentInteraction,
    message: &str,
) -> Result<(), Error> {
    let answer = serenity::CreateInteractionResponseMessage::new()
        .content(text::clip(message, DESCRIPTION_LIMIT.min(2000)))
        .ephemeral(true)
        .allowed_mentions(no_pings());
    respond(ctx, click, serenity::CreateInteractionResponse::Message(answer)).await
}

/// Answers the press with `response` (again after a rate limit).
pub(crate) async fn respond(
    ctx: &serenity::Context,
    click: &serenity::ComponentInteraction,
    response: serenity::CreateInteractionResponse,
) -> Result<(), Error> {
    patiently("answering a button", || {
        click.create_response(ctx, response.clone())
    })
    .await?;
    Ok(())
}
