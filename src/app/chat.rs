//! The assistant's small grammar, the same in every front end that talks (`myorg
//! chat`, the dashboard's chat): a message understood as a [`Request`], and the
//! answer to it as text, through the other use cases. It needs no language model, so
//! it answers instantly and for free:
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
//! | `forget` | forgets the conversation (what the model remembers of it) |
//! | `quit`, `exit` | leaves the conversation |
//!
//! Anything else is free-form chat, for the model when there is one. `forget` and
//! `quit` belong to the conversation, not the store: the front end answers them.

use super::{Ctx, Error, Look, Result, briefing, calendar, status, suggest, tasks, waiting};
use crate::store::PushReport;
use chrono::{NaiveDateTime, Timelike};
use myorg_domain::briefing::Kind;

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

impl Request {
    /// Whether answering it changes the store (the others only read its files).
    pub fn changes(&self) -> bool {
        matches!(self, Request::Add(_) | Request::Done(_))
    }
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
        ("suggest", _) => suggest_request(&words),
        ("help" | "?", []) => Request::Help,
        ("forget", []) => Request::Forget,
        ("quit" | "exit" | "bye", []) => Request::Quit,
        _ => Request::FreeForm(message.to_string()),
    }
}

/// `suggest [@ctx] [N min]`.
fn suggest_request(words: &[&str]) -> Request {
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

/// The last line of [`HELP`]: only a conversation on a terminal is left.
const QUIT_LINE: &str = "\n  quit                  leave";

/// What `help` says where there is no conversation to leave (a page stays open).
pub fn help_without_quit() -> &'static str {
    HELP.strip_suffix(QUIT_LINE).unwrap_or(HELP)
}

/// What the terminal says to a message outside the grammar when no LLM is configured.
pub const NO_LLM: &str = "Free-form chat needs an LLM, and none is configured (set LITELLM_ENDPOINT and \
LITELLM_MODEL). Say `help` to see what I understand without one.";

/// What a page says to a message outside the grammar when no language model is
/// configured: that free chat needs one, and what works without it.
pub fn needs_a_model() -> String {
    format!(
        "Free-form chat needs a language model, and none is configured.\n{}",
        help_without_quit()
    )
}

/// An answer of the grammar.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// What is said, line by line, each line ending in a newline (empty: nothing).
    pub text: String,
    /// What became of a change's push, when the request changed the store.
    pub push: Option<PushReport>,
}

impl Answer {
    fn said(text: impl Into<String>) -> Answer {
        Answer {
            text: text.into(),
            push: None,
        }
    }

    /// `line` and a newline.
    fn line(line: impl AsRef<str>) -> Answer {
        Answer::said(format!("{}\n", line.as_ref()))
    }

    /// The text and the push's lines, as a person reads them.
    pub fn whole(&self) -> String {
        let mut whole = self.text.clone();
        for line in self.push.iter().flat_map(status::push_lines) {
            whole.push_str(&line);
            whole.push('\n');
        }
        whole
    }
}

/// The answer to `request` as `ctx`'s person: a change through the store, anything
/// else read from its files (see [`read`]).
pub fn answer(ctx: &Ctx, request: &Request) -> Result<Answer> {
    match request {
        Request::Add(text) => {
            let new = tasks::NewTask {
                text: text.clone(),
                ..tasks::NewTask::default()
            };
            let added = tasks::add(ctx, &new)?;
            Ok(Answer {
                text: format!("{}\n", added.said("Added")),
                push: Some(added.push),
            })
        }
        Request::Done(given) => {
            let completed = tasks::complete(ctx, given, None)?;
            Ok(Answer {
                text: format!("{}\n", completed.summary),
                push: Some(completed.push),
            })
        }
        reading => read(&ctx.look(), reading),
    }
}

/// The answer to a request that only reads, from the files `look` reads (the
/// terminal reads the working tree without waiting for a writer). A change, and the
/// conversation's own `forget` and `quit`, are refused: [`answer`] makes changes,
/// the front end answers the others.
pub fn read(look: &Look, request: &Request) -> Result<Answer> {
    match request {
        Request::Add(_) | Request::Done(_) => Err(Error::Invalid(
            "this request changes the store; it is answered with the store, not a look at its files"
                .to_string(),
        )),
        Request::Forget | Request::Quit => Err(Error::Invalid(
            "`forget` and `quit` are the conversation's own; the store has nothing to say to them"
                .to_string(),
        )),
        Request::Empty => Ok(Answer::default()),
        Request::Today => Ok(Answer::said(calendar::today(look)?.said())),
        Request::Agenda(days) => Ok(Answer::said(calendar::agenda(look, *days)?.said())),
        Request::Tasks(words) => {
            let query = tasks::Query {
                words: words.clone(),
                ..tasks::Query::default()
            };
            let found = tasks::search(look, &query)?;
            if found.is_empty() {
                return Ok(Answer::line("No tasks match."));
            }
            Ok(Answer::said(
                found
                    .iter()
                    .map(|hit| format!("{}  {}\n", hit.reference, hit.line))
                    .collect::<String>(),
            ))
        }
        Request::Waiting => Ok(Answer::said(
            waiting::list(look, &waiting::Query::default())?.said(),
        )),
        Request::Briefing(kind) => {
            let asked = briefing::Asked::mine(kind.unwrap_or_else(|| usual_briefing(look.now)));
            Ok(Answer::said(briefing::text(&briefing::briefing(look, &asked)?)))
        }
        Request::Suggest { context, minutes } => {
            let asked = suggest::Asked {
                context: context.clone(),
                minutes: *minutes,
                ..suggest::Asked::default()
            };
            let suggested = suggest::suggest_here(look, &asked)?;
            let mut text = String::new();
            if let Some(situation) = &suggested.situation {
                text.push_str(&format!("{situation}\n"));
            }
            if suggested.found.0.is_empty() {
                text.push_str(&format!("{}\n", suggest::NOTHING));
            }
            for (rank, suggestion) in suggested.found.0.iter().enumerate() {
                text.push_str(&format!(
                    "{}. {}  {}\n   {}\n",
                    rank + 1,
                    suggestion.reference,
                    suggestion.line,
                    suggestion.reason
                ));
            }
            Ok(Answer::said(text))
        }
        Request::Help => Ok(Answer::line(HELP)),
        Request::FreeForm(_) => Ok(Answer::line(NO_LLM)),
        Request::Usage(usage) => Ok(Answer::line(format!("Say: {usage}"))),
    }
}

/// The briefing `briefing` without a kind means at `now`: the morning's before
/// 15:00, else the evening's.
pub fn usual_briefing(now: NaiveDateTime) -> Kind {
    if now.hour() < 15 {
        Kind::Morning
    } else {
        Kind::Evening
    }
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

    #[test]
    fn a_page_lists_everything_but_leaving() {
        let shown = help_without_quit();
        assert!(shown.len() < HELP.len(), "the quit line is found");
        assert!(shown.contains("forget") && !shown.contains("quit"));
        assert!(needs_a_model().contains("add TEXT"));
    }

    #[test]
    fn a_look_answers_without_changing_and_refuses_a_change() {
        crate::app::sample::with_ctx(|ctx| {
            let look = ctx.look();
            let asked = |message: &str| read(&look, &understand(message));
            assert!(matches!(asked("add Buy milk"), Err(Error::Invalid(_))));
            assert!(matches!(asked("forget"), Err(Error::Invalid(_))));
            assert_eq!(
                asked("tasks nothing-has-these-words").unwrap().text,
                "No tasks match.\n"
            );
            assert_eq!(asked("").unwrap().text, "");
            let added = answer(ctx, &understand("add Buy milk +errands")).unwrap();
            assert!(added.text.starts_with("Added ") && added.text.ends_with("Buy milk +errands\n"));
            assert!(asked("tasks +errands").unwrap().text.contains("Buy milk"));
        });
    }
}
