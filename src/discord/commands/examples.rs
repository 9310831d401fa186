//! An example for every slash command, as `/help` shows them: the command with
//! typical options (`/add text:Call the plumber due:fri`). A command without one
//! fails the test below.

/// The example of each slash command, by its name (`project show` for a
/// subcommand).
const EXAMPLES: &[(&str, &str)] = &[
    ("add", "/add text:Call the plumber +kitchen due:fri"),
    ("done", "/done task:plumber summary:Booked for Wednesday"),
    ("tasks", "/tasks query:+kitchen overdue:true"),
    ("today", "/today"),
    ("agenda", "/agenda days:3"),
    ("event", "/event date:tomorrow time:14:30-15:00 text:Dentist"),
    ("waiting", "/waiting stale:true"),
    ("projects", "/projects status:active"),
    ("project", "/project show slug:kitchen"),
    ("project show", "/project show slug:kitchen"),
    ("project status", "/project status slug:kitchen status:active"),
    ("project update", "/project update slug:kitchen text:Tiles chosen"),
    (
        "project link",
        "/project link slug:kitchen url:https://example.com/quote text:The quote",
    ),
    ("note", "/note text:Ruiz called back project:kitchen"),
    ("briefing", "/briefing kind:evening"),
    ("review", "/review (or restart:true to begin again)"),
    ("suggest", "/suggest context:@phone minutes:30"),
    ("context", "/context context:@phone"),
    ("undo", "/undo"),
    ("history", "/history file:todo.txt limit:5"),
    ("sync", "/sync"),
    ("status", "/status"),
    ("usage", "/usage days:30"),
    ("help", "/help"),
    ("goals", "/goals quarter:2026Q4"),
    ("remember", "/remember text:We ship v2 on 15 December"),
    ("settings", "/settings key:morning value:07:30"),
    ("kpi", "/kpi key:mrr since:3 months ago"),
];

/// The example of the slash command `name` (`project show` for a subcommand).
pub(super) fn example(name: &str) -> Option<&'static str> {
    EXAMPLES
        .iter()
        .find(|(named, _)| *named == name)
        .map(|(_, example)| *example)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slash_command_and_subcommand_has_an_example_and_every_example_a_command() {
        let mut names = Vec::new();
        for command in super::super::all() {
            if command.slash_action.is_none() && command.subcommands.is_empty() {
                continue;
            }
            for sub in &command.subcommands {
                names.push(format!("{} {}", command.name, sub.name));
            }
            names.push(command.name.clone());
        }
        assert!(names.len() > 20, "{names:?}");
        for name in &names {
            let example = example(name).unwrap_or_else(|| panic!("/{name} has no example in EXAMPLES"));
            assert!(
                example.starts_with(&format!("/{name}")) || name == "project",
                "{name}: {example}"
            );
        }
        for (name, _) in EXAMPLES {
            assert!(names.contains(&name.to_string()), "/{name} is no slash command");
        }
    }
}
