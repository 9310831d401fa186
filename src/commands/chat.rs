//! `myorg chat`: the terminal assistant. Without an LLM it understands the small
//! grammar of [`crate::app::chat`] (`add`, `done`, `today`, `agenda`, `tasks`,
//! `waiting`, `briefing`, `suggest`, `help`, `forget`, `quit`), over the same
//! operations as the other commands.
//!
//! Anything else goes to the LLM agent when one is configured (`LITELLM_*` or
//! `[llm]`), and otherwise gets a plain answer that free-form chat needs an LLM; the
//! grammar's commands never need one, so they answer instantly and for free. A change
//! the agent may only make with the person's word is asked on the terminal. `myorg
//! chat --once TEXT` answers one message (for scripts; a confirmation is read from
//! standard input); `myorg chat` reads one message a line until the end of input.

use super::agent::{TERMINAL, Terminal};
use super::read::working_tree;
use super::store::{ctx, look, open, print_push};
use crate::agent::conversation::Reply;
use crate::agent::memory::Memory;
use crate::app::chat::{self, Request, understand};
use crate::config::Config;
use chrono::NaiveDateTime;
use std::io::{BufRead, IsTerminal, Write};
use tokio_util::sync::CancellationToken;

/// A conversation in the terminal: the configuration, and the agent once a message
/// needs it (started on first use; `None` inside when no LLM is configured).
pub struct Session<'a> {
    config: &'a Config,
    agent: Option<Option<Terminal>>,
}

impl<'a> Session<'a> {
    pub fn new(config: &'a Config) -> Session<'a> {
        Session { config, agent: None }
    }

    fn llm(&mut self) -> anyhow::Result<Option<&Terminal>> {
        if self.agent.is_none() {
            self.agent = Some(super::agent::start(self.config)?);
        }
        Ok(self.agent.as_ref().and_then(Option::as_ref))
    }

    /// Answers one message on standard output; `Ok(false)` when the person is
    /// leaving. `confirm` asks the person a yes-or-no question.
    pub fn answer(
        &mut self,
        now: NaiveDateTime,
        message: &str,
        confirm: &mut dyn FnMut(&str) -> bool,
    ) -> anyhow::Result<bool> {
        let request = understand(message);
        let Request::FreeForm(text) = request else {
            return answer(self.config, now, message);
        };
        // What the model or its server said may quote a secret.
        let secrets = self.config.secrets();
        let Some(llm) = self.llm()? else {
            println!("{}", chat::NO_LLM);
            return Ok(true);
        };
        let cancel = CancellationToken::new();
        let clear = |text: &str| secrets.redact(text).into_owned();
        match llm
            .runtime
            .block_on(llm.agent.ask(&llm.asker, &text, now, &cancel))
        {
            Reply::Unavailable(why) => println!("{}", clear(&why)),
            Reply::Answer(answer) => {
                println!("{}", clear(&answer.text));
                for (id, preview) in &answer.to_confirm {
                    if confirm(&format!("Confirm: {}? [y/N] ", clear(preview))) {
                        match llm.runtime.block_on(llm.agent.confirm(&llm.asker, id, now)) {
                            Ok(done) => println!("{}", clear(&done)),
                            Err(why) => println!("Not done: {}", clear(&why)),
                        }
                    } else {
                        let _ = llm.agent.cancel(&llm.asker, id);
                        println!("Not done.");
                    }
                }
            }
        }
        Ok(true)
    }
}

/// Answers one message of the grammar on standard output; `Ok(false)` when the
/// person is leaving.
pub fn answer(config: &Config, now: NaiveDateTime, message: &str) -> anyhow::Result<bool> {
    let request = understand(message);
    let answer = match &request {
        Request::Quit => return Ok(false),
        Request::Forget => {
            let store = open(config)?;
            let handle = config.me()?.handle;
            Memory::load(store.state_dir(), TERMINAL, &handle, 0).reset()?;
            println!("Forgotten: the conversation starts afresh.");
            return Ok(true);
        }
        change if change.changes() => {
            let store = open(config)?;
            chat::answer(&ctx(config, &store, now)?, change)?
        }
        reading => {
            let files = working_tree(config)?;
            let handle = config.me()?.handle;
            chat::read(&look(config, files.as_ref(), &handle, now), reading)?
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(answer.text.as_bytes())?;
    out.flush()?;
    drop(out);
    if let Some(push) = &answer.push {
        print_push(push)?;
    }
    Ok(true)
}

/// `myorg chat --once TEXT`: a confirmation, if one is asked, is read from standard
/// input.
pub fn once(config: &Config, now: NaiveDateTime, message: &str) -> anyhow::Result<()> {
    let mut session = Session::new(config);
    let mut confirm = |question: &str| {
        print!("{question}");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).is_ok() && is_yes(&line)
    };
    session.answer(now, message, &mut confirm).map(|_| ())
}

fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

/// `myorg chat`: one message a line until the end of input or `quit`; `now` is asked
/// for each message. A message that fails says why and the conversation goes on.
pub fn repl(config: &Config, now: impl Fn() -> anyhow::Result<NaiveDateTime>) -> anyhow::Result<()> {
    let interactive = std::io::stdin().is_terminal();
    if interactive {
        println!("MyOrg Assistant. Say `help` for what I understand, `quit` to leave.");
    }
    let stdin = std::io::stdin();
    let lines = std::cell::RefCell::new(stdin.lock().lines());
    let mut session = Session::new(config);
    loop {
        if interactive {
            print!("> ");
            std::io::stdout().flush()?;
        }
        let Some(line) = lines.borrow_mut().next().transpose()? else {
            break;
        };
        let mut confirm = |question: &str| {
            print!("{question}");
            let _ = std::io::stdout().flush();
            matches!(lines.borrow_mut().next(), Some(Ok(answer)) if is_yes(&answer))
        };
        match now().and_then(|now| session.answer(now, &line, &mut confirm)) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => println!("Sorry: {}", config.secrets().redact(&format!("{error:#}"))),
        }
        std::io::stdout().flush()?;
    }
    Ok(())
}
