//! Picking tasks in a `/tasks` list: each page carries a select menu of its tasks
//! (`tk:USER:pick`, several at once), a Done button (`tk:USER:done`) and a Due…
//! button (`tk:USER:due`, a form asking the date) acting on what was picked, all in
//! one commit through [`crate::app::tasks::done_many`] and
//! [`crate::app::tasks::edit_many`] (more than three ask for the person's yes with
//! the usual Confirm/Cancel buttons). USER is the
//! Discord id of the person who ran `/tasks`: only they can pick or press; anyone
//! else is told so, privately. What was picked is kept by the list's message until
//! Done, for [`PICKS_LIVE`].

use super::access::Who;
use super::answer::{confirm_row, private, respond};
use super::reply::no_pings;
use super::retry::patiently;
use super::text;
use super::{Data, Error};
use crate::app::tasks::{self, CONFIRM_OVER, Several};
use myorg_domain::fields::Fields;
use poise::serenity_prelude as serenity;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a pick waits for its button.
pub const PICKS_LIVE: Duration = Duration::from_secs(15 * 60);
/// The most picks kept at once; the oldest go first.
const PICKS_KEPT: usize = 256;
/// The most options a select menu has.
pub const MOST_OPTIONS: usize = 25;

/// What each person picked, by the list's message.
#[derive(Default)]
pub struct Picks {
    picked: Mutex<HashMap<u64, (Vec<String>, Instant)>>,
}

impl Picks {
    fn keep(&self, message: u64, references: Vec<String>) {
        let now = Instant::now();
        let mut picked = self.picked.lock().unwrap_or_else(|p| p.into_inner());
        picked.retain(|_, (_, made)| now.saturating_duration_since(*made) < PICKS_LIVE);
        if picked.len() >= PICKS_KEPT {
            picked.clear();
        }
        picked.insert(message, (references, now));
    }

    fn has(&self, message: u64) -> bool {
        let picked = self.picked.lock().unwrap_or_else(|p| p.into_inner());
        picked
            .get(&message)
            .is_some_and(|(references, made)| !references.is_empty() && made.elapsed() < PICKS_LIVE)
    }

    fn take(&self, message: u64) -> Vec<String> {
        let mut picked = self.picked.lock().unwrap_or_else(|p| p.into_inner());
        match picked.remove(&message) {
            Some((references, made)) if made.elapsed() < PICKS_LIVE => references,
            _ => Vec::new(),
        }
    }
}

/// The rows under a page of tasks (lines `REF text`) that `user` may pick from: the
/// select menu of the page's tasks and the Done button; none when the page has no task.
pub fn rows(user: u64, page: &str) -> Vec<serenity::CreateActionRow> {
    let options: Vec<serenity::CreateSelectMenuOption> = page
        .lines()
        .filter_map(|line| {
            let (reference, task) = line.split_once(' ')?;
            let is_reference =
                (2..=8).contains(&reference.len()) && reference.bytes().all(|b| b.is_ascii_lowercase());
            is_reference.then(|| {
                serenity::CreateSelectMenuOption::new(
                    text::clip(&format!("{reference} {task}"), 100),
                    reference,
                )
            })
        })
        .take(MOST_OPTIONS)
        .collect();
    if options.is_empty() {
        return Vec::new();
    }
    let most = options.len() as u8;
    let menu = serenity::CreateSelectMenu::new(
        format!("tk:{user}:pick"),
        serenity::CreateSelectMenuKind::String { options },
    )
    .placeholder("Pick tasks")
    .min_values(1)
    .max_values(most);
    let done = serenity::CreateButton::new(format!("tk:{user}:done"))
        .label("Done")
        .style(serenity::ButtonStyle::Success);
    let due = serenity::CreateButton::new(format!("tk:{user}:due"))
        .label("Due…")
        .style(serenity::ButtonStyle::Secondary);
    vec![
        serenity::CreateActionRow::SelectMenu(menu),
        serenity::CreateActionRow::Buttons(vec![done, due]),
    ]
}

/// A pick or a press on a list of tasks; `rest` is `USER:pick` or `USER:done`.
pub async fn on_click(
    ctx: &serenity::Context,
    data: &Data,
    click: &serenity::ComponentInteraction,
    rest: &str,
) -> Result<(), Error> {
    let (owner, action) = rest.split_once(':').unwrap_or((rest, ""));
    if owner.parse::<u64>().ok() != Some(click.user.id.get()) {
        return private(
            ctx,
            click,
            "Only the person who listed these tasks can pick from them.",
        )
        .await;
    }
    match action {
        "pick" => {
            let references = match &click.data.kind {
                serenity::ComponentInteractionDataKind::StringSelect { values } => values.clone(),
                _ => Vec::new(),
            };
            data.picks.keep(click.message.id.get(), references);
            respond(ctx, click, serenity::CreateInteractionResponse::Acknowledge).await
        }
        "done" => done(ctx, data, click).await,
        "due" => {
            if !data.picks.has(click.message.id.get()) {
                return private(ctx, click, PICK_FIRST).await;
            }
            let input = serenity::CreateInputText::new(serenity::InputTextStyle::Short, "Due", WHEN)
                .placeholder("fri, tomorrow, in 2 weeks, 2026-12-01, or none")
                .max_length(40)
                .required(true);
            let form = serenity::CreateModal::new(format!("tk:{owner}:due"), "Due date of the picked tasks")
                .components(vec![serenity::CreateActionRow::InputText(input)]);
            respond(ctx, click, serenity::CreateInteractionResponse::Modal(form)).await
        }
        _ => private(ctx, click, "That button is not one of mine any more.").await,
    }
}

/// The custom id of the due date's text input.
const WHEN: &str = "when";

/// What a press says before anything was picked.
const PICK_FIRST: &str = "Pick tasks in the menu first, then press a button.";

/// The Due… form was sent: the picked tasks of its list get that due date, in one
/// commit.
pub async fn on_form(
    ctx: &serenity::Context,
    data: &Data,
    form: &serenity::ModalInteraction,
) -> Result<(), Error> {
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
        return answer_form(ctx, form, &refusal.to_string(), true).await;
    }
    let owner = form
        .data
        .custom_id
        .strip_prefix("tk:")
        .and_then(|rest| rest.strip_suffix(":due"));
    if owner.and_then(|owner| owner.parse::<u64>().ok()) != Some(form.user.id.get()) {
        return answer_form(
            ctx,
            form,
            "Only the person who listed these tasks can change them.",
            true,
        )
        .await;
    }
    let when = form
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|component| match component {
            serenity::ActionRowComponent::InputText(input) if input.custom_id == WHEN => input.value.clone(),
            _ => None,
        })
        .unwrap_or_default();
    let message = form
        .message
        .as_ref()
        .map(|message| message.id.get())
        .unwrap_or_default();
    let references = data.picks.take(message);
    if references.is_empty() {
        return answer_form(ctx, form, PICK_FIRST, true).await;
    }
    let asker = data.asker(&form.user, form.channel_id.get());
    let fields = Fields {
        due: Some(when),
        ..Fields::default()
    };
    let done = data
        .app
        .run(&asker, data.now(), move |app| {
            tasks::edit_many(app, &references, None, &fields, CONFIRM_OVER)
        })
        .await;
    let said = match done {
        Ok(Ok(Several::One(written))) => written.said("Now"),
        Ok(Ok(Several::Changed(changed))) => changed.said(),
        Ok(Ok(Several::Confirm(pending))) => {
            let preview = pending.preview.clone();
            let id = data
                .app
                .confirmations
                .request(&asker.handle, pending, Instant::now());
            let answer = serenity::CreateInteractionResponseMessage::new()
                .content(text::clip(
                    &format!("Please confirm (within 5 minutes): {preview}"),
                    text::MESSAGE_LIMIT,
                ))
                .components(vec![confirm_row(&id)])
                .allowed_mentions(no_pings());
            return answer_modal(ctx, form, serenity::CreateInteractionResponse::Message(answer)).await;
        }
        Ok(Err(error)) => return answer_form(ctx, form, &error.to_string(), true).await,
        Err(error) => return answer_form(ctx, form, &format!("The change stopped: {error}"), true).await,
    };
    answer_form(ctx, form, &said, false).await
}

/// Answers a form with `message`, only for its sender when `private`.
async fn answer_form(
    ctx: &serenity::Context,
    form: &serenity::ModalInteraction,
    message: &str,
    private: bool,
) -> Result<(), Error> {
    let answer = serenity::CreateInteractionResponseMessage::new()
        .content(text::clip(message, text::MESSAGE_LIMIT))
        .ephemeral(private)
        .allowed_mentions(no_pings());
    answer_modal(ctx, form, serenity::CreateInteractionResponse::Message(answer)).await
}

/// Answers a form with `response` (again after a rate limit).
async fn answer_modal(
    ctx: &serenity::Context,
    form: &serenity::ModalInteraction,
    response: serenity::CreateInteractionResponse,
) -> Result<(), Error> {
    patiently("answering a form", || form.create_response(ctx, response.clone())).await?;
    Ok(())
}

/// Completes the tasks picked on the message of `click`, in one commit.
async fn done(
    ctx: &serenity::Context,
    data: &Data,
    click: &serenity::ComponentInteraction,
) -> Result<(), Error> {
    let references = data.picks.take(click.message.id.get());
    if references.is_empty() {
        return private(ctx, click, PICK_FIRST).await;
    }
    let asker = data.asker(&click.user, click.channel_id.get());
    let done = data
        .app
        .run(&asker, data.now(), move |app| {
            tasks::done_many(app, &references, None, CONFIRM_OVER)
        })
        .await;
    let done = match done {
        Ok(Ok(done)) => done,
        Ok(Err(error)) => return private(ctx, click, &error.to_string()).await,
        Err(error) => return private(ctx, click, &format!("The change stopped: {error}")).await,
    };
    let (said, components) = match done {
        Several::One(completed) => (completed.said(), Vec::new()),
        Several::Changed(changed) => (changed.said(), Vec::new()),
        Several::Confirm(pending) => {
            let preview = pending.preview.clone();
            let id = data
                .app
                .confirmations
                .request(&asker.handle, pending, Instant::now());
            (
                format!("Please confirm (within 5 minutes): {preview}"),
                vec![confirm_row(&id)],
            )
        }
    };
    let answer = serenity::CreateInteractionResponseMessage::new()
        .content(text::clip(&said, text::MESSAGE_LIMIT))
        .components(components)
        .allowed_mentions(no_pings());
    respond(ctx, click, serenity::CreateInteractionResponse::Message(answer)).await
}
