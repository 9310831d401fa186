//! Autocomplete for slash command options: open tasks (by reference, showing their
//! text), projects, contexts and people. Each returns at most 25 choices, with names
//! of at most 100 characters, as Discord requires; a choice never blocks typing
//! something else.

use super::Context;
use super::text::{self, CHOICE_LIMIT};
use crate::app::tasks::{self, Query};
use crate::store::operation::{PROJECTS, TODO};
use poise::serenity_prelude as serenity;
use std::collections::BTreeSet;

/// The most choices Discord shows.
const MOST: usize = 25;

/// Open tasks matching what is typed: "REF text" shown, the reference chosen.
pub async fn tasks(ctx: Context<'_>, partial: &str) -> Vec<serenity::AutocompleteChoice> {
    let data = ctx.data();
    let caller = data.asker(ctx.author(), ctx.channel_id().get());
    let query = Query {
        words: partial.split_whitespace().map(str::to_string).collect(),
        ..Query::default()
    };
    let found = data
        .app
        .run(&caller, data.now(), move |app| tasks::search(&app.look(), &query))
        .await;
    let Ok(Ok(found)) = found else {
        return Vec::new();
    };
    found
        .into_iter()
        .take(MOST)
        .map(|hit| {
            let shown = format!("{} {}", hit.reference, hit.line);
            serenity::AutocompleteChoice::new(text::clip(&shown, CHOICE_LIMIT), hit.reference)
        })
        .collect()
}

/// The `+project` and `@context` words of the store's tasks and projects that start
/// with `partial`, without their sign.
fn words(ctx: Context<'_>, sign: char, partial: &str) -> Vec<String> {
    let data = ctx.data();
    let partial = partial.trim().trim_start_matches(sign).to_lowercase();
    let mut found = BTreeSet::new();
    for path in [TODO, PROJECTS] {
        let Ok(bytes) = data.app.store.read(path) else {
            continue;
        };
        for word in String::from_utf8_lossy(&bytes).split_whitespace() {
            if let Some(name) = word.strip_prefix(sign)
                && !name.is_empty()
                && name.chars().count() <= CHOICE_LIMIT
                && name.to_lowercase().starts_with(&partial)
            {
                found.insert(name.to_string());
            }
        }
    }
    found.into_iter().take(MOST).collect()
}

/// Projects starting with what is typed.
pub async fn projects(ctx: Context<'_>, partial: &str) -> Vec<String> {
    words(ctx, '+', partial)
}

/// Contexts starting with what is typed.
pub async fn contexts(ctx: Context<'_>, partial: &str) -> Vec<String> {
    words(ctx, '@', partial)
        .into_iter()
        .map(|name| format!("@{name}"))
        .collect()
}

/// The team's configured contexts, and `auto`, starting with what is typed.
pub async fn team_contexts(ctx: Context<'_>, partial: &str) -> Vec<String> {
    let partial = partial.trim().trim_start_matches('@').to_lowercase();
    let known = ctx
        .data()
        .app
        .config
        .contexts()
        .map(|settings| settings.known)
        .unwrap_or_default();
    known
        .into_iter()
        .chain(["auto".to_string()])
        .filter(|name| name.trim_start_matches('@').to_lowercase().starts_with(&partial))
        .take(MOST)
        .collect()
}

/// People whose name or handle contains what is typed; "me" first.
pub async fn people(ctx: Context<'_>, partial: &str) -> Vec<serenity::AutocompleteChoice> {
    let partial = partial.trim().to_lowercase();
    let mut choices = Vec::new();
    if "me".starts_with(&partial) {
        choices.push(serenity::AutocompleteChoice::new("me", "me"));
    }
    for person in ctx.data().app.people.iter() {
        if person.name.to_lowercase().contains(&partial) || person.handle.to_lowercase().contains(&partial) {
            let shown = text::clip(&format!("{} ({})", person.name, person.handle), CHOICE_LIMIT);
            choices.push(serenity::AutocompleteChoice::new(shown, person.handle.clone()));
        }
    }
    choices.truncate(MOST);
    choices
}
