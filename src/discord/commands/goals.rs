//! Goals and working memory: `/goals` (a quarter's goals with progress, projects and
//! the telos.md section each serves, or the weekly goal report) and `/remember` (a
//! decision or fact in working-memory.txt): the options to the use cases of
//! [`crate::app::goals`] and [`crate::app::memory`], their results as replies.

use super::{run, say, titled};
use crate::app::{goals, memory};
use crate::discord::{Context, Error};

/// A quarter's goals: progress, projects, the telos.md section each serves
#[poise::command(slash_command)]
pub(super) async fn goals(
    ctx: Context<'_>,
    #[description = "2026Q4, current (default), next, previous or all"]
    #[max_length = 20]
    quarter: Option<String>,
    #[description = "What moved each goal this week against last week"] report: Option<bool>,
) -> Result<(), Error> {
    if report.unwrap_or(false) {
        let done = run(ctx, "goal report", |app| goals::report(&app.look(), None)).await?;
        return titled(ctx, done, "Goal report", |report| report.said()).await;
    }
    let done = run(ctx, "goals", move |app| {
        goals::goals(&app.look(), quarter.as_deref())
    })
    .await?;
    titled(ctx, done, "Goals", |found| found.said()).await
}

/// Remember a decision or a fact in working memory
#[poise::command(slash_command)]
pub(super) async fn remember(
    ctx: Context<'_>,
    #[description = "The decision or fact, in a sentence"]
    #[max_length = 1000]
    text: String,
) -> Result<(), Error> {
    let done = run(ctx, "remember", move |app| memory::remember(app, &text)).await?;
    say(ctx, done, |remembered| remembered.said()).await
}
