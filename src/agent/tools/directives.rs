//! The team's directives (`[directives]`): what the model may do with each tool on its
//! own. `auto` leaves a tool as it is (a change on the model's word, a destructive one
//! confirmed by the person); `confirm` holds a change for the person's confirmation
//! however the model insists; `never` refuses the tool to the model, whoever asks, and
//! says so. A key is a tool's name, or an action naming several: `add`, `complete`,
//! `edit`, `delete`, `overwrite`, `undo`, `post` (the team channel), `dm` (someone
//! else), `escalate`; the last three are `confirm` unless set. A tool's own key wins
//! over its action's. `bulk` is an action of its own: several tasks completed or
//! edited in one call (`refs` of `complete_task`, `update_task`); `auto` (the
//! default) holds more than three for the person, `confirm` any, `never` refuses
//! them ([`bulk`]).
//! The person's own commands (the terminal, Discord's slash commands, the web's forms)
//! do not go through the tools, so the directives never stop them.

use super::{Effect, Registry};
use crate::config::{Config, Directive};

/// The actions a directive may name, and their tools.
pub const ACTIONS: [(&str, &[&str]); 10] = [
    ("add", &["add_task", "add_event", "add_waiting", "add_note"]),
    ("complete", &["complete_task", "waiting_received"]),
    ("edit", &["update_task", "update_project", "waiting_followup"]),
    ("delete", &["delete_task"]),
    ("overwrite", &["write_file"]),
    ("undo", &["undo_change"]),
    ("post", &["tell_team"]),
    ("dm", &["message_person"]),
    ("escalate", &["escalate_task"]),
    // Not a tool's directive: how a call naming several tasks is held ([`bulk`]).
    ("bulk", &[]),
];

/// The actions that wait for the person's yes unless the team says otherwise: saying
/// something to other people in the person's name.
pub const CONFIRMED_BY_DEFAULT: [&str; 3] = ["post", "dm", "escalate"];

/// The team's directive for bulk changes (several tasks in one call of
/// `complete_task` or `update_task`); `auto` unless set.
pub fn bulk(config: &Config) -> Directive {
    config.directives.get("bulk").copied().unwrap_or(Directive::Auto)
}

impl Registry {
    /// The directive of `tool` in `config`: its own, else its action's, else the
    /// action's default (`confirm` for `post`, `dm` and `escalate`), else `auto`.
    pub fn directive(&self, config: &Config, tool: &str) -> Directive {
        if let Some(own) = config.directives.get(tool) {
            return *own;
        }
        let actions = || ACTIONS.iter().filter(|(_, tools)| tools.contains(&tool));
        actions()
            .find_map(|(action, _)| config.directives.get(*action).copied())
            .or_else(|| {
                actions()
                    .any(|(action, _)| CONFIRMED_BY_DEFAULT.contains(action))
                    .then_some(Directive::Confirm)
            })
            .unwrap_or(Directive::Auto)
    }

    /// An error naming each key of `[directives]` that is neither a tool nor an action.
    pub fn check_directives(&self, config: &Config) -> anyhow::Result<()> {
        let names = self.names();
        let unknown: Vec<&str> = config
            .directives
            .keys()
            .map(String::as_str)
            .filter(|key| !names.contains(key) && !ACTIONS.iter().any(|(action, _)| action == key))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let actions: Vec<&str> = ACTIONS.iter().map(|(action, _)| *action).collect();
        anyhow::bail!(
            "directives names {}, neither a tool nor an action; the actions: {}; the tools: `myorg tools`",
            unknown.join(", "),
            actions.join(", ")
        )
    }

    /// Each tool that changes something, with what the model may do with it:
    /// `add_task: auto`, `delete_task: confirm (always)`, `write_file: never`.
    pub fn directive_lines(&self, config: &Config) -> Vec<String> {
        self.names()
            .into_iter()
            .filter(|name| {
                self.effect(name) != Some(Effect::Reads) || self.directive(config, name) == Directive::Never
            })
            .map(|name| {
                let directive = self.directive(config, name);
                let said = match (directive, self.effect(name)) {
                    (Directive::Never, _) => "never",
                    (_, Some(Effect::Confirmed)) | (Directive::Confirm, _) => "confirm",
                    _ => "auto",
                };
                format!("{name}: {said}")
            })
            .chain(std::iter::once(format!(
                "bulk (several tasks in one call): {}",
                match bulk(config) {
                    Directive::Auto => "auto (more than three wait for the person)",
                    Directive::Confirm => "confirm",
                    Directive::Never => "never",
                }
            )))
            .collect()
    }

    /// What the system prompt says of the directives that differ from the tools' own
    /// ways; empty when none do.
    pub fn directives_said(&self, config: &Config) -> String {
        let mut never = Vec::new();
        let mut confirm = Vec::new();
        for name in self.names() {
            match self.directive(config, name) {
                Directive::Never => never.push(name),
                Directive::Confirm if self.effect(name) == Some(Effect::Changes) => confirm.push(name),
                _ => {}
            }
        }
        let mut said = Vec::new();
        if !never.is_empty() {
            said.push(format!(
                "The team's directives forbid you these tools, whoever asks: {}. Say so, and that the person can do it themselves.",
                never.join(", ")
            ));
        }
        if !confirm.is_empty() {
            said.push(format!(
                "These wait for the person's confirmation by the team's directives: {}.",
                confirm.join(", ")
            ));
        }
        match bulk(config) {
            Directive::Never => said.push(
                "The team's directives forbid you changing several tasks in one call (refs): one task a call."
                    .to_string(),
            ),
            Directive::Confirm => said.push(
                "Changing several tasks in one call (refs) waits for the person's confirmation by the team's directives."
                    .to_string(),
            ),
            Directive::Auto => {}
        }
        said.join("\n")
    }
}
