//! Telling other people: `tell_team` (a post in the team channel), `message_person`
//! (a direct message to someone of the team) and `escalate_task` (a stuck task raised
//! with the team, mentioning its owner alone). Each queues its message through
//! [`crate::app::outbox`] for the running bot. By the team's directives they wait for
//! the person's yes unless set to `auto` (actions `post`, `dm`, `escalate`).

use super::{Effect, Outcome, Tool, ToolContext, tool};
use crate::app::outbox;
use myorg_domain::reminders::TEAM;
use schemars::JsonSchema;
use serde::Deserialize;

pub(super) fn tools() -> Vec<Tool> {
    vec![
        tool(
            "tell_team",
            "Post a message in the team channel, in the asker's name.",
            Effect::Changes,
            tell_team,
        ),
        tool(
            "message_person",
            "Send a direct message to someone of the team, in the asker's name.",
            Effect::Changes,
            message_person,
        ),
        tool(
            "escalate_task",
            "Raise a stuck task with the team: a post naming its owner and due date.",
            Effect::Changes,
            escalate_task,
        ),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TellTeam {
    /// The message.
    text: String,
}

fn tell_team(ctx: &ToolContext, args: TellTeam) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(outbox::queue(ctx, TEAM, &args.text, None)?.said()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MessagePerson {
    /// Their name or handle.
    person: String,
    /// The message.
    text: String,
}

fn message_person(ctx: &ToolContext, args: MessagePerson) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(
        outbox::queue(ctx, &args.person, &args.text, None)?.said(),
    ))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EscalateTask {
    /// The task's reference, line number or words.
    task: String,
    /// Why it is raised, in a few words.
    why: Option<String>,
}

fn escalate_task(ctx: &ToolContext, args: EscalateTask) -> anyhow::Result<Outcome> {
    Ok(Outcome::Done(
        outbox::raise(ctx, &args.task, args.why.as_deref())?.said(),
    ))
}
