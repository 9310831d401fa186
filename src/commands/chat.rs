//! `myorg chat`: the terminal assistant. Without an LLM it understands a small
//! grammar over the same operations as the other commands:
//!
//! | you say | it does |
//! |---|---|
//! | `add TEXT` | adds a task (`due:fri`, `+project`, `@context`, `(A)` as in todo.txt) |
//! | `done REF` | completes a task (reference, line number or words) |
//! | `today` | today's events and tasks |
//! | `agenda [DAYS]` | the next days (default 7) |
//! | `tasks [+proj] [@ctx] [words]` | open tasks, most urgent first |
//! | `waiting` | waiting-for items, the ones to chase first |
//! | `briefing [morning\|evening\|weekly]` | a briefing (default: morning before 15:00, else evening) |
//! | `suggest [@ctx] [N min]` | what to do next |
//! | `help` | this list |
//! | `forget` | forgets the conversation (what the LLM remembers of it) |
//! | `quit`, `exit` | leaves the conversation |
//!
//! Anything else goes to the LLM agent when one is configured (`LITELLM_*` or
//! `[llm]`), and otherwise gets a plain answer that free-form chat needs an LLM; the
//! grammar's commands never need one, so they answer instantly and for free. A change
//! the agent may only make with the person's word is asked on the terminal. `myorg
//! chat --once TEXT` answers one message (for scripts; a confirmation is read from
//! standard input); `myorg chat` reads one message a line until the end of input.

use super::agent::{TERMINAL, Terminal};
use crate::agent::conversation::Reply;
use crate::agent::memory::Memory;
use crate::config::Config;
use chrono::{NaiveDateTime, Timelike};
use myorg_domain::briefing::Kind;
use std::io::{BufRead, IsTerminal, Write};
use tokio_util::sync::CancellationToken;

/// What a message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Add(String),
    Done(String),
    Today,
    Agenda(u32),
    Tasks(Vec<String>),
    Waiting,
    Briefing(Option<Kind>),
    Suggest {
        context: Option<String>,
        minutes: Option<u32>,
    },
    Help,
    /// Forget this conversation's memory.
    Forget,
    Quit,
    /// Nothing said.
    Empty,
    /// Not in the grammar: free-form chat.
    FreeForm(String),
    /// A command of the grammar used wrongly: what to say instead.
    Usage(&'static str),
}

/// Reads a message.
pub fn understand(message: &str) -> Request {
    let message = message.trim();
    let (first, rest) = match message.split_once(char::is_whitespace) {
        Some((first, rest)) => (first, rest.trim()),
        None => (message, ""),
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    match (first.to_lowercase().as_str(), words.as_slice()) {
        ("", _) => Request::Empty,
        ("add", []) => Request::Usage("add TEXT, for example: add Call Mum due:fri +family"),
        ("add", _) => Request::Add(rest.to_string()),
        ("done", []) => Request::Usage("done REF: a task's reference, line number or words"),
        ("done", _) => Request::Done(rest.to_string()),
        ("today", []) => Request::Today,
        ("agenda", []) => Request::Agenda(7),
        ("agenda", [days]) => match days.parse() {
            Ok(days) if (1..=366).contains(&days) => Request::Agenda(days),
            _ => Request::Usage("agenda [DAYS], with DAYS from 1 to 366"),
        },
        ("tasks", _) => Request::Tasks(words.iter().map(|w| w.to_string()).collect()),
        ("waiting", []) => Request::Waiting,
        ("briefing", []) => Request::Briefing(None),
        ("briefing", [kind]) => match kind.to_lowercase().as_str() {
            "morning" => Request::Briefing(Some(Kind::Morning)),
            "evening" => Request::Briefing(Some(Kind::Evening)),
            "weekly" | "review" => Request::Briefing(Some(Kind::Weekly)),
            _ => Request::Usage("briefing [morning|evening|weekly]"),
        },
        ("suggest", _) => suggest(&words),
        ("help" | "?", []) => Request::Help,
        ("forget", []) => Request::Forget,
        ("quit" | "exit" | "bye", []) => Request::Quit,
        _ => Request::FreeForm(message.to_string()),
    }
}

/// `suggest [@ctx] [N min]`.
fn suggest(words: &[&str]) -> Request {
    let mut context = None;
    let mut minutes = None;
    let mut rest = words.iter().peekable();
    while let Some(word) = rest.next() {
        if let Some(name) = word.strip_prefix('@').filter(|n| !n.is_empty()) {
            context = Some(name.to_string());
        } else if let Ok(count) = word
            .strip_suffix("min")
            .or_else(|| word.strip_suffix('m'))
            .unwrap_or(word)
            .parse::<u32>()
        {
            minutes = Some(count);
            rest.next_if(|unit| matches!(**unit, "min" | "mins" | "minutes" | "m"));
        } else {
            return Request::Usage("suggest [@context] [N min], for example: suggest @home 30 min");
        }
    }
    Request::Suggest { context, minutes }
}

/// What `help` says.
pub const HELP: &str = "\
Without an LLM I understand:
  add TEXT              add a task (due:fri, +project, @context, (A) work as in todo.txt)
  done REF              complete a task (its reference, line number or words)
  today                 today's events and tasks
  agenda [DAYS]         the next days (default 7)
  tasks [+proj] [@ctx]  open tasks, most urgent first
  waiting               waiting-for items, the ones to chase first
  briefing [morning|evening|weekly]
  suggest [@ctx] [N min]  what to do next
  help                  this list
  forget                forget the conversation so far (with an LLM)
  quit                  leave";

/// What is said to a message outside the grammar.
pub const NO_LLM: &str = "Free-form chat needs an LLM, and none is configured (set LITELLM_ENDPOINT and \
LITELLM_MODEL). Say `help` to see what I understand without one.";

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
            println!("{NO_LLM}");
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
    match understand(message) {
        Request::Empty => {}
        Request::Add(text) => super::tasks::add(config, now, &text, &super::tasks::Fields::default())?,
        Request::Done(reference) => super::tasks::done(config, now, &reference)?,
        Request::Today => super::agenda::today(config, now, false)?,
        Request::Agenda(days) => super::agenda::agenda(config, now, days, false)?,
        Request::Tasks(query) => {
            let listing = super::tasks::Listing {
                query,
                ..super::tasks::Listing::default()
            };
            super::tasks::list(config, now, &listing)?
        }
        Request::Waiting => super::waiting::list(config, now, &super::waiting::Listing::default())?,
        Request::Briefing(kind) => {
            let kind = kind.unwrap_or(if now.hour() < 15 {
                Kind::Morning
            } else {
                Kind::Evening
            });
            let asked = crate::app::briefing::Asked::mine(kind);
            super::briefing::run(config, now, &asked, false, false)?
        }
        Request::Suggest { context, minutes } => {
            let asked = super::suggest::Asked {
                context,
                minutes,
                ..super::suggest::Asked::default()
            };
            super::suggest::run(config, now, &asked)?
        }
        Request::Help => println!("{HELP}"),
        Request::Forget => {
            let store = super::store::open(config)?;
            let handle = config.me()?.handle;
            Memory::load(store.state_dir(), TERMINAL, &handle, 0).reset()?;
            println!("Forgotten: the conversation starts afresh.");
        }
        Request::Quit => return Ok(false),
        Request::FreeForm(_) => println!("{NO_LLM}"),
        Request::Usage(usage) => println!("Say: {usage}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_reads_each_documented_form() {
        let cases: [(&str, Request); 17] = [
            (
                "add Call Mum due:fri +family",
                Request::Add("Call Mum due:fri +family".into()),
            ),
            ("  ADD   x  ", Request::Add("x".into())),
            ("done kmbt", Request::Done("kmbt".into())),
            ("today", Request::Today),
            ("agenda", Request::Agenda(7)),
            ("agenda 3", Request::Agenda(3)),
            (
                "tasks +work @office",
                Request::Tasks(vec!["+work".into(), "@office".into()]),
            ),
            ("waiting", Request::Waiting),
            ("briefing", Request::Briefing(None)),
            ("briefing Weekly", Request::Briefing(Some(Kind::Weekly))),
            (
                "suggest @home 30 min",
                Request::Suggest {
                    context: Some("home".into()),
                    minutes: Some(30),
                },
            ),
            (
                "suggest 15m",
                Request::Suggest {
                    context: None,
                    minutes: Some(15),
                },
            ),
            ("help", Request::Help),
            ("quit", Request::Quit),
            ("forget", Request::Forget),
            ("   ", Request::Empty),
            (
                "what should I do about the roof?",
                Request::FreeForm("what should I do about the roof?".into()),
            ),
        ];
        for (message, expected) in cases {
            assert_eq!(understand(message), expected, "{message:?}");
        }
    }

    #[test]
    fn commands_used_wrongly_say_how() {
        for message in [
            "add",
            "done",
            "agenda 0",
            "agenda many",
            "briefing lunch",
            "suggest now please",
        ] {
            assert!(matches!(understand(message), Request::Usage(_)), "{message:?}");
        }
        // "today" with more words is free-form: a question, not the command.
        assert!(matches!(understand("today is a good day"), Request::FreeForm(_)));
    }
}
