//! An example for every command: `myorg help COMMAND` (and `myorg COMMAND --help`)
//! ends with its examples, `myorg help` and `myorg --help` with the first one of each
//! command. A command without an example fails the test below.

use clap::Command;

/// The examples of each command, by its path (`add`, `waiting add`), in the order
/// `myorg help` lists them.
pub const EXAMPLES: &[(&str, &[&str])] = &[
    ("parse", &["myorg parse todo todo.txt"]),
    (
        "calendar",
        &["myorg calendar days --from 2026-11-23 --to 2026-11-29"],
    ),
    (
        "calendar days",
        &["myorg calendar days --from 2026-11-23 --to 2026-11-29"],
    ),
    (
        "event",
        &[
            "myorg event tomorrow 14:30-15 dentist",
            "myorg event fri lunch with Marta",
        ],
    ),
    ("events", &["myorg events --from mon --to fri"]),
    ("today", &["myorg today"]),
    ("agenda", &["myorg agenda --days 3"]),
    ("add", &["myorg add Call the plumber +kitchen @phone --due fri"]),
    ("done", &["myorg done plumber", "myorg done kmbt 12 pqrs"]),
    (
        "edit",
        &[
            "myorg edit plumber --due \"next tue\" --priority A",
            "myorg edit kmbt 12 pqrs --owner ben --due fri",
        ],
    ),
    ("delete", &["myorg delete plumber"]),
    (
        "tasks",
        &["myorg tasks +kitchen --overdue", "myorg tasks --mine --limit 10"],
    ),
    ("archive", &["myorg archive"]),
    ("run", &["myorg run"]),
    ("web", &["myorg web passwd ana"]),
    ("web passwd", &["myorg web passwd ana"]),
    ("mcp", &["myorg mcp"]),
    ("mcp token", &["myorg mcp token ben"]),
    ("trigger", &["myorg trigger morning-briefing"]),
    ("chat", &["myorg chat --once \"what is due this week?\""]),
    (
        "briefing",
        &[
            "myorg briefing morning",
            "myorg briefing evening --for ben",
            "myorg briefing team",
        ],
    ),
    (
        "suggest",
        &[
            "myorg suggest -c @phone --minutes 30",
            "myorg suggest --energy low",
        ],
    ),
    ("context", &["myorg context @phone", "myorg context auto"]),
    ("usage", &["myorg usage --days 30"]),
    ("tools", &["myorg tools --markdown > docs/tools.md"]),
    ("remind", &["myorg remind --dry-run"]),
    ("waiting", &["myorg waiting --stale"]),
    (
        "waiting add",
        &["myorg waiting add marta Marketing figures +q4-report --followup fri"],
    ),
    ("waiting received", &["myorg waiting received Marketing figures"]),
    (
        "waiting followup",
        &["myorg waiting followup Marketing \"next mon\""],
    ),
    (
        "init",
        &["myorg init --sample ~/myorg-try", "myorg init --adopt ~/notes"],
    ),
    ("undo", &["myorg undo"]),
    ("history", &["myorg history todo.txt --limit 5"]),
    ("status", &["myorg status"]),
    ("sync", &["myorg sync"]),
    ("watch", &["myorg watch", "myorg watch --idle 3600"]),
    (
        "projects",
        &["myorg projects --status active", "myorg projects --goals"],
    ),
    ("goals", &["myorg goals --quarter 2026Q4"]),
    ("goals report", &["myorg goals report --week \"last mon\""]),
    (
        "project",
        &[
            "myorg project kitchen",
            "myorg project new garden Get the garden ready --goal home-refresh",
        ],
    ),
    ("project status", &["myorg project kitchen status active"]),
    ("project update", &["myorg project kitchen update Tiles chosen"]),
    (
        "project link",
        &["myorg project kitchen link https://example.com/quote The quote"],
    ),
    (
        "project new",
        &[
            "myorg project new garden Get the garden ready --goal home-refresh",
            "myorg project new calm-q1 A calmer first quarter --as-goal --quarter 2027Q1",
        ],
    ),
    ("kpi", &["myorg kpi"]),
    ("kpi add", &["myorg kpi add mrr=1300 users=55"]),
    (
        "kpi chart",
        &["myorg kpi chart mrr --since \"3 months ago\" --out mrr.png"],
    ),
    ("note", &["myorg note --project kitchen Ruiz called back"]),
    ("remember", &["myorg remember We ship v2 on 15 December"]),
    ("review", &["myorg review", "myorg review --restart"]),
    ("directives", &["myorg directives"]),
    (
        "settings",
        &[
            "myorg settings",
            "myorg settings morning 07:30",
            "myorg settings --for ben quiet_hours 23:00-08:00",
            "myorg settings reminders deadline,event",
            "myorg settings deliver default",
        ],
    ),
];

/// The examples of the command at `path`.
pub fn of(path: &str) -> Option<&'static [&'static str]> {
    EXAMPLES
        .iter()
        .find(|(named, _)| *named == path)
        .map(|(_, examples)| *examples)
}

/// `command` with its examples: each subcommand's at its end, the first of each
/// top-level command at the end of the whole help.
pub fn with_examples(command: Command) -> Command {
    let mut overview = String::from("Examples (myorg help COMMAND for more):");
    for sub in command.get_subcommands() {
        if let Some(first) = of(sub.get_name()).and_then(|examples| examples.first()) {
            overview.push_str("\n  ");
            overview.push_str(first);
        }
    }
    add_to_subcommands(command, "").after_help(overview)
}

fn add_to_subcommands(command: Command, parent: &str) -> Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    names.into_iter().fold(command, |command, name| {
        let path = if parent.is_empty() {
            name.clone()
        } else {
            format!("{parent} {name}")
        };
        command.mut_subcommand(&name, |sub| {
            let sub = add_to_subcommands(sub, &path);
            match of(&path) {
                Some(examples) => {
                    let label = if examples.len() == 1 {
                        "Example"
                    } else {
                        "Examples"
                    };
                    sub.after_help(format!("{label}:\n  {}", examples.join("\n  ")))
                }
                None => sub,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subcommand's path, nested ones included (not clap's own `help`).
    fn paths(command: &Command, parent: &str, found: &mut Vec<String>) {
        for sub in command.get_subcommands() {
            let path = if parent.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{parent} {}", sub.get_name())
            };
            paths(sub, &path, found);
            found.push(path);
        }
    }

    #[test]
    fn every_command_has_an_example_that_runs_it_and_every_example_a_command() {
        let command = super::super::command();
        let mut found = Vec::new();
        paths(&command, "", &mut found);
        assert!(found.len() > 40, "{found:?}");
        for path in &found {
            let examples = of(path).unwrap_or_else(|| panic!("`myorg {path}` has no example in EXAMPLES"));
            assert!(!examples.is_empty(), "{path}");
            for example in examples {
                let words: Vec<&str> = example.split_whitespace().collect();
                assert!(
                    words.join(" ").starts_with(&format!("myorg {path}")) || path.starts_with("project "),
                    "{path}: {example}"
                );
            }
            // The example parses as the command line it shows (shell quotes aside).
            let first = examples[0].split(" > ").next().unwrap_or_default();
            let args = shell_words(first);
            if let Err(error) = super::super::command().try_get_matches_from(&args) {
                panic!("{path}: {first:?} does not parse: {error}");
            }
        }
        for (path, _) in EXAMPLES {
            assert!(found.contains(&path.to_string()), "{path} is no command");
        }
        let help = command
            .get_after_help()
            .map(|help| help.to_string())
            .unwrap_or_default();
        for sub in command.get_subcommands() {
            assert!(help.contains(&format!("\n  myorg {}", sub.get_name())), "{help}");
        }
    }

    /// `text` split into words, `"…"` one word.
    fn shell_words(text: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut quoted = false;
        for c in text.chars() {
            match c {
                '"' => quoted = !quoted,
                ' ' if !quoted => {
                    if !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                }
                _ => word.push(c),
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        words
    }
}
