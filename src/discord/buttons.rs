//! Buttons: pages of long lists (`page:ID:N`), and the confirmation of a destructive
//! change (`yes:ID` / `no:ID`, asked for with a slash command or by the agent in chat:
//! both wait in the application's one store of confirmations). Only the person who
//! asked can confirm or cancel; anyone else is told so, privately, and the change
//! keeps waiting. A list of tasks also carries a select menu and a Done button
//! (`tk:…`, [`super::picks`]).

use super::access::Who;
pub use super::answer::confirm_row;
use super::answer::{private, respond};
use super::reply::{self, no_pings};
use super::retry::patiently;
use super::text;
use super::{Data, Error};
use crate::agent::tools::{Outcome, Pending};
use poise::serenity_prelude as serenity;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a list's pages can be turned.
const PAGES_LIVE: Duration = Duration::from_secs(15 * 60);
/// The most lists kept for their buttons; the oldest go first.
const PAGES_KEPT: usize = 64;
/// Lines on a page.
pub const PER_PAGE: usize = 15;
/// The most pages a list has; longer lists end with how many more there are.
pub const MOST_PAGES: usize = 20;

struct Paged {
    title: String,
    pages: Arc<Vec<String>>,
    /// The Discord user who may pick tasks from the pages, for a list of tasks.
    picker: Option<u64>,
    made: Instant,
}

/// Lists whose pages can be turned, by id.
#[derive(Default)]
pub struct Pages {
    lists: Mutex<HashMap<String, Paged>>,
}

impl Pages {
    /// Keeps `pages` for their buttons (and, with a `picker`, the menu to pick tasks
    /// from them); returns their id.
    pub fn keep(&self, title: &str, pages: Vec<String>, picker: Option<u64>) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let now = Instant::now();
        let mut lists = self.lists.lock().unwrap_or_else(|p| p.into_inner());
        lists.retain(|_, list| now.saturating_duration_since(list.made) < PAGES_LIVE);
        while lists.len() >= PAGES_KEPT {
            let Some(oldest) = lists
                .iter()
                .min_by_key(|(_, list)| list.made)
                .map(|(id, _)| id.clone())
            else {
                break;
            };
            lists.remove(&oldest);
        }
        lists.insert(
            id.clone(),
            Paged {
                title: title.to_string(),
                pages: Arc::new(pages),
                picker,
                made: now,
            },
        );
        id
    }

    fn get(&self, id: &str) -> Option<(String, Arc<Vec<String>>, Option<u64>)> {
        let lists = self.lists.lock().unwrap_or_else(|p| p.into_inner());
        lists
            .get(id)
            .filter(|list| list.made.elapsed() < PAGES_LIVE)
            .map(|list| (list.title.clone(), Arc::clone(&list.pages), list.picker))
    }
}

/// Page `number` (0-based) of a list: its embed, and the buttons to turn pages; with
/// a `picker`, the menu to pick the page's tasks and act on them.
pub fn page(
    id: &str,
    title: &str,
    pages: &[String],
    number: usize,
    picker: Option<u64>,
) -> (serenity::CreateEmbed, Vec<serenity::CreateActionRow>) {
    let number = number.min(pages.len().saturating_sub(1));
    let body = pages.get(number).map(String::as_str).unwrap_or("(nothing)");
    let mut embed = reply::embed(title, body);
    let mut rows = picker
        .map(|user| super::picks::rows(user, body))
        .unwrap_or_default();
    if pages.len() <= 1 {
        return (embed, rows);
    }
    embed = embed.footer(serenity::CreateEmbedFooter::new(format!(
        "Page {} of {}",
        number + 1,
        pages.len()
    )));
    let previous = serenity::CreateButton::new(format!("page:{id}:{}", number.saturating_sub(1)))
        .label("◀ Previous")
        .style(serenity::ButtonStyle::Secondary)
        .disabled(number == 0);
    let next = serenity::CreateButton::new(format!("page:{id}:{}", number + 1))
        .label("Next ▶")
        .style(serenity::ButtonStyle::Secondary)
        .disabled(number + 1 >= pages.len());
    rows.push(serenity::CreateActionRow::Buttons(vec![previous, next]));
    (embed, rows)
}

/// A button was pressed.
pub async fn on_click(
    ctx: &serenity::Context,
    data: &Data,
    click: &serenity::ComponentInteraction,
) -> Result<(), Error> {
    let who = Who {
        user: click.user.id.get(),
        roles: click
            .member
            .as_ref()
            .map(|member| member.roles.iter().map(|role| role.get()).collect())
            .unwrap_or_default(),
        guild: click.guild_id.map(|guild| guild.get()),
        channel: click.channel_id.get(),
    };
    if let Err(refusal) = data.access.check(&who) {
        tracing::info!(user_name = %click.user.name, ?refusal, "discord: refused a click");
        return private(ctx, click, &refusal.to_string()).await;
    }
    let custom_id = click.data.custom_id.as_str();
    let (kind, rest) = custom_id.split_once(':').unwrap_or((custom_id, ""));
    tracing::info!(user_name = %click.user.name, "discord: button");
    match kind {
        "page" => turn_page(ctx, data, click, rest).await,
        "yes" => confirm(ctx, data, click, rest).await,
        "no" => cancel(ctx, data, click, rest).await,
        "rv" => super::review::on_click(ctx, data, click, rest).await,
        "tk" => super::picks::on_click(ctx, data, click, rest).await,
        _ => private(ctx, click, "That button is not one of mine any more.").await,
    }
}

async fn turn_page(
    ctx: &serenity::Context,
    data: &Data,
    click: &serenity::ComponentInteraction,
    rest: &str,
) -> Result<(), Error> {
    let (id, number) = rest.rsplit_once(':').unwrap_or((rest, "0"));
    let number: usize = number.parse().unwrap_or(0);
    let Some((title, pages, picker)) = data.pages.get(id) else {
        return private(
            ctx,
            click,
            "This list is too old to turn its pages; ask for it again.",
        )
        .await;
    };
    let (embed, components) = page(id, &title, &pages, number, picker);
    let update = serenity::CreateInteractionResponseMessage::new()
        .embed(embed)
        .components(components)
        .allowed_mentions(no_pings());
    respond(
        ctx,
        click,
        serenity::CreateInteractionResponse::UpdateMessage(update),
    )
    .await
}

async fn confirm(
    ctx: &serenity::Context,
    data: &Data,
    click: &serenity::ComponentInteraction,
    id: &str,
) -> Result<(), Error> {
    let asker = data.asker(&click.user, click.channel_id.get());
    // Refusals first, before anything is acknowledged: they are private. Taken now:
    // a second press (a double tap, a stale client) finds it gone and is refused.
    let applied = {
        let pending: Pending = match data.app.confirmations.take(id, &asker.handle, Instant::now()) {
            Ok(pending) => pending,
            Err(refused) => return private(ctx, click, &text::capitalised(&refused.to_string())).await,
        };
        // The tool registry applies it: a held change runs the tools it holds.
        let registry = Arc::clone(&data.registry);
        let work = data.app.run(&asker, data.now(), move |context| {
            match registry.confirm(context, &pending) {
                Outcome::Done(text) => Ok(text),
                Outcome::Failed(why) => Err(why),
                Outcome::NeedsConfirmation(_) => Err("the change asked for another confirmation".to_string()),
            }
        });
        tokio::task::spawn(async move {
            work.await
                .unwrap_or_else(|error| Err(format!("the change stopped: {error}")))
        })
    };
    respond(ctx, click, serenity::CreateInteractionResponse::Acknowledge).await?;
    let result = applied
        .await
        .unwrap_or_else(|error| Err(format!("the change stopped: {error}")));
    let line = match &result {
        Ok(done) => format!("✅ {done}"),
        Err(why) => format!("Not done: {why}"),
    };
    tracing::info!(done = result.is_ok(), "discord: a change confirmed");
    let shown = text::clip(&format!("{}\n\n{line}", click.message.content), 2000);
    // The change's text may name people (`<@id>`): this edit, like every message,
    // pings nobody.
    let edit = serenity::EditInteractionResponse::new()
        .content(shown)
        .components(Vec::new())
        .allowed_mentions(no_pings());
    patiently("showing a confirmed change", || {
        click.edit_response(ctx, edit.clone())
    })
    .await?;
    Ok(())
}

async fn cancel(
    ctx: &serenity::Context,
    data: &Data,
    click: &serenity::ComponentInteraction,
    id: &str,
) -> Result<(), Error> {
    let asker = data.asker(&click.user, click.channel_id.get());
    let cancelled = data
        .app
        .confirmations
        .cancel(id, &asker.handle)
        .map_err(|refused| refused.to_string());
    if let Err(why) = cancelled {
        return private(ctx, click, &text::capitalised(&why)).await;
    }
    let shown = text::clip(
        &format!("{}\n\nCancelled: nothing was changed.", click.message.content),
        2000,
    );
    let update = serenity::CreateInteractionResponseMessage::new()
        .content(shown)
        .components(Vec::new())
        .allowed_mentions(no_pings());
    respond(
        ctx,
        click,
        serenity::CreateInteractionResponse::UpdateMessage(update),
    )
    .await
}
