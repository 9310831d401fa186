//! The `myorg` binary: reads the command line and hands over to the library.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = myorg_assistant::cli::Cli::parse();
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

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
