//! `weekly_review`: the person's weekly review, one step at a time, as `myorg review`
//! and `/review` walk it ([`crate::app::review`]): without an answer, where it is;
//! with one, the answer to the current step in the words a person types (`archive`,
//! `due fri`, `+website @computer`, `note …`) and the next step. Dropping a task is
//! left to `delete_task`, which asks the person.

use super::{Effect, Outcome, Tool, ToolContext, tool};
use crate::app::review;
use myorg_domain::review::Answer;
use schemars::JsonSchema;
use serde::Deserialize;

pub(super) fn tools() -> Vec<Tool> {
    vec![tool(
        "weekly_review",
        "The weekly review step by step: no answer shows the step; an answer does it.",
        Effect::Changes,
        weekly_review,
    )]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WeeklyReview {
    /// The answer to the current step, as it lists them: archive, skip, next,
    /// "+project @context", "due fri", "note WORDS"…
    answer: Option<String>,
    /// Start this week's review again from its first step.
    restart: Option<bool>,
}

fn weekly_review(ctx: &ToolContext, args: WeeklyReview) -> anyhow::Result<Outcome> {
    if args.restart == Some(true) {
        return Ok(Outcome::Done(review::restart(ctx)?.said()));
    }
    let Some(words) = args.answer.filter(|words| !words.trim().is_empty()) else {
        return Ok(Outcome::Done(review::open(ctx)?.said()));
    };
    let screen = review::open(ctx)?;
    let answer = review::parse(&screen, &words)?;
    if matches!(answer, Answer::Drop(_)) {
        return Ok(Outcome::Failed(
            "dropping a task needs the person's confirmation: use delete_task with its reference".to_string(),
        ));
    }
    let answered = review::answer(ctx, Some(&screen.token), &answer)?;
    Ok(Outcome::Done(format!(
        "{}\n\n{}",
        answered.did,
        answered.screen.said()
    )))
}
