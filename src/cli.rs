//! The command line: argument types (clap) and dispatch to the commands.

use crate::commands;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// MyOrg Assistant: your todo.txt, calendar.txt and projects.txt, kept in git.
#[derive(Debug, Parser)]
#[command(name = "myorg", version, about)]
pub struct Cli {
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
    match cli.command {
        Command::Parse { format, file } => commands::parse::run(format, file.as_deref()),
        Command::Calendar(CalendarCommand::Days { from, to }) => commands::calendar::days(from, to),
    }
}
