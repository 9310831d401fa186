//! `/context`: where you are (`@phone`, `@computer`…) and why, setting it, or `auto`
//! to infer it again, over [`crate::app::context`].

use super::{run, say};
use crate::app::context;
use crate::discord::complete::team_contexts;
use crate::discord::{Context, Error};

/// Your context and why; set one, or auto to infer it again
#[poise::command(slash_command, rename = "context")]
pub(super) async fn context_command(
    ctx: Context<'_>,
    #[description = "A context to set, like @phone, or auto"]
    #[autocomplete = "team_contexts"]
    context: Option<String>,
) -> Result<(), Error> {
    let done = run(ctx, "context", move |app| {
        match context.as_deref().map(str::trim) {
            None => context::current(&app.look()),
            Some(word) if word.eq_ignore_ascii_case("auto") => context::auto(app),
            Some(word) => context::set(app, word),
        }
    })
    .await?;
    say(ctx, done, |current| current.said()).await
}
