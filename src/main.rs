//! The `myorg` binary: reads the command line, sets up the logs and hands over to
//! the library.

use clap::FromArgMatches;
use myorg_assistant::cli::Cli;
use myorg_assistant::logs;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut matches = myorg_assistant::cli::command().get_matches();
    // Before the matches are taken apart into `Cli`.
    let name = command_name(&matches);
    let cli = Cli::from_arg_matches_mut(&mut matches)
        .unwrap_or_else(|err| err.format(&mut myorg_assistant::cli::command()).exit());
    logs::init(logs::Defaults::for_command(&name));
    // `myorg run` is made of units of work with spans of their own.
    let _command = (name != "run").then(|| tracing::info_span!("cli", command = %name).entered());
    if !cli.command.only_reads() {
        // SAFETY: before anything else the command does; no other thread exists yet.
        unsafe { myorg_assistant::store::start_without_tls_roots() };
    }
    let config = cli.config.clone();
    match myorg_assistant::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`myorg parse todo | head`) is not an error for the user.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // An error may quote what a server said, and a server may echo a secret.
            let secrets = myorg_assistant::config::Config::secrets_for_errors(config.as_deref());
            eprintln!("myorg: {}", secrets.redact(&format!("{err:#}")));
            ExitCode::FAILURE
        }
    }
}

/// The subcommand as typed, nested ones included (`add`, `calendar days`).
fn command_name(matches: &clap::ArgMatches) -> String {
    let mut names = Vec::new();
    let mut current = matches;
    while let Some((name, sub)) = current.subcommand() {
        names.push(name);
        current = sub;
    }
    names.join(" ")
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
