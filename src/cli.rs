//! The command line: argument types (clap) and dispatch to the commands.

use crate::commands;
use crate::config::Config;
use chrono::{NaiveDate, NaiveDateTime};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// MyOrg Assistant: your todo.txt, calendar.txt and projects.txt, kept in git.
#[derive(Debug, Parser)]
#[command(name = "myorg", version, about)]
pub struct Cli {
    /// The store's working tree (overrides MYORG_REPO_PATH and the config file).
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// The configuration file (default: MYORG_CONFIG, else none).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Pretend it is this time, `YYYY-MM-DDTHH:MM[:SS]` (for tests and replays).
    #[arg(long, global = true, env = "MYORG_NOW", value_parser = crate::clock::parse, hide_env_values = true)]
    pub now: Option<NaiveDateTime>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse a store file and print one JSON object per input line.
    Parse {
        /// Which grammar to read the file with.
        format: ParseFormat,
        /// The file to read; standard input when absent or `-`.
        file: Option<PathBuf>,
    },
    /// calendar.txt helpers.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Add a task, created today; `(A) text +project @context` work as in todo.txt.
    Add {
        /// The task.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Mark a task done.
    Done {
        /// A line number of todo.txt, or words of one open task.
        #[arg(required = true, num_args = 1..)]
        task: Vec<String>,
    },
    /// Undo a change with a new commit that reverts it (default: the newest change
    /// the assistant made).
    Undo {
        /// The commit to undo (a hash or a prefix of one).
        commit: Option<String>,
        /// Undo it even if the assistant did not make it (a hand edit).
        #[arg(long)]
        force: bool,
    },
    /// The changes to the store, newest first: all, or those touching a file or a task.
    History {
        /// A store file (like calendar.txt), or a task: a line number of todo.txt or
        /// some of its words.
        target: Vec<String>,
        /// How many commits to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Show the store: where it is, what is not pushed yet, the last sync error.
    Status,
    /// Pull the remote's changes, replay local ones on top, push.
    Sync,
}

/// The grammars `myorg parse` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// todo.txt or done.txt.
    Todo,
    /// projects.txt or goals.txt.
    Projects,
    /// calendar.txt.
    Calendar,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print the header (`YYYY-MM-DD wWW Aaa`) of every day in a range, inclusive.
    Days {
        /// First day, YYYY-MM-DD.
        #[arg(long, value_parser = date_arg)]
        from: NaiveDate,
        /// Last day, YYYY-MM-DD.
        #[arg(long, value_parser = date_arg)]
        to: NaiveDate,
    },
}

fn date_arg(text: &str) -> Result<NaiveDate, String> {
    myorg_parsers::date::parse_date(text)
        .ok_or_else(|| format!("{text:?} is not a date (expected YYYY-MM-DD)"))
}

/// Runs one command to completion.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let now = crate::clock::now(cli.now);
    let config = || -> anyhow::Result<Config> {
        let mut config = Config::load(cli.config.as_deref())?;
        if let Some(store) = &cli.store {
            config.store.path = Some(store.clone());
        }
        Ok(config)
    };
    match &cli.command {
        Command::Parse { format, file } => commands::parse::run(*format, file.as_deref()),
        Command::Calendar(CalendarCommand::Days { from, to }) => commands::calendar::days(*from, *to),
        Command::Add { text } => commands::store::add(&config()?, now, &text.join(" ")),
        Command::Done { task } => commands::store::done(&config()?, now, &task.join(" ")),
        Command::Undo { commit, force } => commands::store::undo(&config()?, commit.as_deref(), *force),
        Command::History { target, limit } => commands::store::history(&config()?, &target.join(" "), *limit),
        Command::Status => commands::store::status(&config()?),
        Command::Sync => commands::store::sync(&config()?),
    }
}
