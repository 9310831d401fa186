//! The briefings as MCP prompts: `morning-briefing`, `evening-summary` and
//! `weekly-review`, each one user message holding what to ask of the model and the
//! briefing as [`crate::app::briefing`] builds it (the same text as `myorg briefing`,
//! Discord and the jobs), for the asker or another person, today or another day.

use crate::app::briefing::{Asked, Whose};
use myorg_domain::briefing::Kind;
use rmcp::model::{GetPromptResult, JsonObject, Prompt, PromptArgument, PromptMessage, Role};

/// Each prompt: its name, the briefing, what it is, and what the message asks.
const PROMPTS: [(&str, Kind, &str, &str); 3] = [
    (
        "morning-briefing",
        Kind::Morning,
        "The morning briefing: today's events, what is overdue and due, the top \
         priorities, who to chase, goals and projects.",
        "Here is my morning briefing, from my todo.txt, calendar and projects. Help me \
         decide what to do first today and what can wait.",
    ),
    (
        "evening-summary",
        Kind::Evening,
        "The evening summary: what was done today, what is still open, and tomorrow.",
        "Here is my evening summary. Help me close the day: what moves to tomorrow, \
         and what is worth a note in log.txt.",
    ),
    (
        "weekly-review",
        Kind::Weekly,
        "The weekly review: the week's done tasks, stuck projects, waiting-for items \
         and goals, and the week ahead.",
        "Here is my weekly review. Walk me through it one part at a time: what got \
         done, what is stuck, and what matters most next week.",
    ),
];

/// Every prompt, with its two optional arguments.
pub(super) fn listed() -> Vec<Prompt> {
    PROMPTS
        .iter()
        .map(|(name, _, description, _)| {
            Prompt::new(
                *name,
                Some(*description),
                Some(vec![
                    PromptArgument::new("date")
                        .with_description("The day: a date or words (yesterday, fri); default today")
                        .with_required(false),
                    PromptArgument::new("person")
                        .with_description("Another person's briefing: a name or handle; default yours")
                        .with_required(false),
                ]),
            )
        })
        .collect()
}

/// The briefing the prompt `name` with `arguments` asks for, or why there is none.
pub(super) fn asked(name: &str, arguments: Option<JsonObject>) -> Result<Asked, String> {
    let Some((_, kind, _, _)) = PROMPTS.iter().find(|(known, ..)| *known == name) else {
        let known: Vec<&str> = PROMPTS.iter().map(|(name, ..)| *name).collect();
        return Err(format!(
            "there is no prompt {name:?}; the prompts are: {}",
            known.join(", ")
        ));
    };
    let mut asked = Asked::mine(*kind);
    for (key, value) in arguments.unwrap_or_default() {
        let value = match &value {
            serde_json::Value::String(text) => text.trim().to_string(),
            serde_json::Value::Null => continue,
            other => return Err(format!("{key} is text, not {other}")),
        };
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "date" => asked.date = Some(value),
            "person" => asked.whose = Whose::Named(value),
            other => return Err(format!("{name} takes date and person, not {other:?}")),
        }
    }
    Ok(asked)
}

/// The prompt `name` around `briefing` (Markdown).
pub(super) fn result(name: &str, briefing: &str) -> GetPromptResult {
    let (description, ask) = PROMPTS
        .iter()
        .find(|(known, ..)| *known == name)
        .map_or(("", ""), |(_, _, description, ask)| (*description, *ask));
    GetPromptResult::new(vec![PromptMessage::new_text(
        Role::User,
        format!("{ask}\n\n{briefing}"),
    )])
    .with_description(description)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn arguments(value: serde_json::Value) -> Option<JsonObject> {
        match value {
            serde_json::Value::Object(map) => Some(map),
            _ => None,
        }
    }

    #[test]
    fn a_prompt_names_its_briefing_and_its_arguments_are_read() {
        let asked = asked(
            "weekly-review",
            arguments(json!({"date": "fri", "person": "Luis"})),
        )
        .unwrap();
        assert_eq!(asked.kind, Kind::Weekly);
        assert_eq!(asked.date.as_deref(), Some("fri"));
        assert_eq!(asked.whose, Whose::Named("Luis".into()));
        let plain = asked_default("morning-briefing");
        assert_eq!((plain.kind, plain.whose), (Kind::Morning, Whose::Mine));
    }

    fn asked_default(name: &str) -> Asked {
        asked(name, arguments(json!({"date": "", "person": null}))).unwrap()
    }

    #[test]
    fn an_unknown_prompt_or_argument_says_what_there_is() {
        let error = asked("lunch", None).unwrap_err();
        assert!(
            error.contains("morning-briefing, evening-summary, weekly-review"),
            "{error}"
        );
        let error = asked("evening-summary", arguments(json!({"colour": "red"}))).unwrap_err();
        assert!(error.contains("takes date and person"), "{error}");
        let error = asked("evening-summary", arguments(json!({"date": 5}))).unwrap_err();
        assert!(error.contains("date is text"), "{error}");
    }
}
