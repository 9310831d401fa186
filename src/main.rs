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
    if name != "run" {
        return_large_buffers_when_freed();
    }
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

/// Buffers of 128 KiB and more (a file's content, the index) are mapped for themselves
/// and given back when freed. glibc would otherwise raise that threshold after the
/// first such buffer is freed and keep the next ones in its heap, where they stay
/// resident: about 1.5 MB more peak memory for a command on a large store. Not for
/// `myorg run`, which allocates often and lives long.
fn return_large_buffers_when_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: a plain tuning call, made before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
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
