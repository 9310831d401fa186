//! `myorg review [--restart]`: the weekly review on the terminal, one step at a time
//! ([`crate::app::review`]): each screen is printed with its answers, a line typed is
//! the answer (`q`, or the end of the input, leaves it where it is for next time), and
//! dropping a task is asked again before anything is deleted.

use super::store::{ctx, open};
use crate::app::review::{self, Screen};
use crate::app::{Ctx, Error};
use crate::config::Config;
use chrono::NaiveDateTime;
use myorg_domain::review::Answer;
use std::io::{BufRead, Write};

/// `myorg review`: resumes this week's review where it was left (`--restart`: from its
/// first step) and walks it with the person.
pub fn run(config: &Config, now: NaiveDateTime, restart: bool) -> anyhow::Result<()> {
    let store = open(config)?;
    let ctx = ctx(config, &store, now)?;
    let mut screen = if restart {
        review::restart(&ctx)?
    } else {
        review::open(&ctx)?
    };
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout();
    loop {
        writeln!(out, "{}\n", screen.said())?;
        if screen.finished {
            return Ok(());
        }
        let Some(words) = ask(&mut out, &mut lines, "> ")? else {
            return leave(&screen);
        };
        if matches!(words.to_lowercase().as_str(), "q" | "quit" | "leave") {
            return leave(&screen);
        }
        screen = match step(&ctx, &screen, &words, &mut out, &mut lines)? {
            Some(next) => next,
            None => review::open(&ctx)?,
        };
    }
}

/// Does the answer `words` to `screen` and says what it did: the next screen, or
/// `None` when nothing was done (said why).
fn step(
    ctx: &Ctx,
    screen: &Screen,
    words: &str,
    out: &mut impl Write,
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
) -> anyhow::Result<Option<Screen>> {
    let answer = match review::parse(screen, words) {
        Ok(answer) => answer,
        Err(error) => {
            writeln!(out, "{error}\n")?;
            return Ok(Some(screen.clone()));
        }
    };
    let mut answered = match review::answer(ctx, Some(&screen.token), &answer) {
        Ok(answered) => answered,
        Err(error) => return said_why(out, &error),
    };
    writeln!(out, "{}", answered.did)?;
    if answered.confirm {
        let sure = ask(out, lines, "Drop it? [y/N] ")?
            .is_some_and(|yes| matches!(yes.to_lowercase().as_str(), "y" | "yes"));
        if !sure {
            writeln!(out, "Kept.\n")?;
            return Ok(Some(answered.screen));
        }
        answered = match review::answer(ctx, Some(&screen.token), &Answer::Drop(true)) {
            Ok(answered) => answered,
            Err(error) => return said_why(out, &error),
        };
        writeln!(out, "{}", answered.did)?;
    }
    writeln!(out)?;
    Ok(Some(answered.screen))
}

fn said_why(out: &mut impl Write, error: &Error) -> anyhow::Result<Option<Screen>> {
    writeln!(out, "Not done: {error}\n")?;
    Ok(None)
}

/// Asks `question`; the line typed, or `None` at the end of the input.
fn ask(
    out: &mut impl Write,
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    question: &str,
) -> anyhow::Result<Option<String>> {
    write!(out, "{question}")?;
    out.flush()?;
    let line = lines.next().transpose()?;
    if let Some(line) = &line {
        // Scripted input is not echoed by a terminal: show it, so the transcript reads.
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(line.map(|line| line.trim().to_string()))
}

fn leave(screen: &Screen) -> anyhow::Result<()> {
    println!(
        "\nLeft at step {} of {}; `myorg review` comes back to it.",
        screen.number, screen.of
    );
    Ok(())
}
