//! `myorg web passwd NAME`: sets a person's own password for the web dashboard
//! (asked twice on a terminal without echo, else one line of standard input),
//! stored as an Argon2id hash in the state directory ([`crate::app::passwords`]).

use super::store::open;
use crate::app::passwords;
use crate::config::Config;
use anyhow::{Context, bail};
use std::io::{BufRead, IsTerminal};

/// Sets the password of the person `name` names (a configured person, or `[user]`).
pub fn passwd(config: &Config, name: &str) -> anyhow::Result<()> {
    let person = match config.people()?.find(name).cloned() {
        Some(person) => person,
        None => {
            let me = config.me()?;
            if !(me.handle.eq_ignore_ascii_case(name.trim()) || me.name.eq_ignore_ascii_case(name.trim())) {
                let known: Vec<String> = config.people()?.iter().map(|p| p.handle.clone()).collect();
                bail!(
                    "nobody is called {name:?}; the people are: {}",
                    if known.is_empty() {
                        me.handle.clone()
                    } else {
                        known.join(", ")
                    }
                );
            }
            me
        }
    };
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("New password for {}: ", person.name))?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ; nothing was changed");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    let store = open(config)?;
    passwords::set(store.state_dir(), &person.handle, &password)?;
    println!("The dashboard password of {} is set.", person.name);
    Ok(())
}
