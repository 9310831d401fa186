//! `myorg help`, `myorg --help` and `myorg help COMMAND` through the binary: the
//! overview ends with one example per command, each command's help with its own.

use tempfile::TempDir;

mod support;

#[test]
fn the_overview_gives_an_example_of_every_command() {
    let dir = TempDir::new().unwrap();
    let commands: Vec<String> = myorg_assistant::cli::command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    assert!(commands.len() > 30, "{commands:?}");
    for args in [&["help"][..], &["--help"], &["-h"]] {
        let help = support::stdout(&support::myorg(dir.path(), args, &[]));
        let (_, examples) = help
            .split_once("\nExamples (myorg help COMMAND for more):\n")
            .unwrap_or_else(|| panic!("{args:?}: no examples in\n{help}"));
        for command in &commands {
            assert!(
                examples.contains(&format!("  myorg {command} "))
                    || examples.contains(&format!("  myorg {command}\n")),
                "{args:?}: no example of {command} in\n{examples}"
            );
        }
    }
}

#[test]
fn a_commands_help_ends_with_its_examples() {
    let dir = TempDir::new().unwrap();
    let add = support::stdout(&support::myorg(dir.path(), &["help", "add"], &[]));
    assert!(
        add.ends_with("\nExample:\n  myorg add Call the plumber +kitchen @phone --due fri\n"),
        "{add}"
    );
    let nested = support::stdout(&support::myorg(
        dir.path(),
        &["waiting", "received", "--help"],
        &[],
    ));
    assert!(
        nested.ends_with("\nExample:\n  myorg waiting received Marketing figures\n"),
        "{nested}"
    );
    let two = support::stdout(&support::myorg(dir.path(), &["help", "context"], &[]));
    assert!(
        two.ends_with("\nExamples:\n  myorg context @phone\n  myorg context auto\n"),
        "{two}"
    );
}
