//! The weekly review, walked one step at a time with the person: the same review on
//! Discord (buttons and modals), the terminal (`myorg review`, prompts), for the model
//! (a tool) and started by the `weekly-review` job.
//!
//! [`open`] resumes the asker's review of this week, or starts it; each [`Screen`] is
//! one step and, at a step with a list (inbox tasks, projects without a next action,
//! waiting-for items to chase, overdue tasks), one item of it. [`answer`] does what the
//! person answered, through the use case a command would run, and gives the next
//! screen. The items come fresh from the store at every screen (the weekly briefing's
//! sections), so what was done elsewhere meanwhile is never shown again; the review's
//! place is kept in the state directory ([`state`]). An answer names the screen it
//! answers by its token: one for a screen that has passed (an old message's button, a
//! second tap, last week's review) changes nothing and says where the review is now.
//!
//! The steps and the words of the answers are `myorg_domain::review`'s.

pub mod state;

use super::loaded::{Loaded, Need};
use super::{Ctx, Error, Result, memory, projects, tasks, waiting};
use crate::store::Operation;
use crate::store::operation::TODO;
use chrono::Datelike;
use myorg_domain::briefing::{self, Item, Kind as BriefingKind, Whom, titles};
use myorg_domain::fields::Fields;
use myorg_domain::review::{self, Answer, Choice, Kind};
use myorg_parsers::ProjectStatus;
use state::State;
use std::sync::Mutex;

/// One review's answers at a time in this process: an answer reads the kept place,
/// acts, and keeps the new place.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// One step of the review as the person sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    /// Whose review it is (a handle).
    pub handle: String,
    /// `2026-W49`.
    pub week: String,
    /// The step, from 1.
    pub number: usize,
    pub of: usize,
    pub title: String,
    pub kind: Kind,
    /// The item of the list this step goes through, when one is left.
    pub item: Option<Item>,
    /// How many items of the list are left, this one included.
    pub left: usize,
    /// What the step shows besides its item: the tasks to archive, the goals' week,
    /// what the review has done.
    pub lines: Vec<String>,
    pub choices: Vec<Choice>,
    /// Names this screen; an answer carries it.
    pub token: String,
    pub finished: bool,
}

impl Screen {
    /// The heading: `Step 3 of 9: Give every active project a next action`.
    pub fn heading(&self) -> String {
        if self.finished {
            format!("Weekly review {}: finished", self.week)
        } else {
            format!("Step {} of {}: {}", self.number, self.of, self.title)
        }
    }

    /// What the screen says under its heading: the item (and how many are left) and
    /// the step's lines.
    pub fn body(&self) -> String {
        let mut out = Vec::new();
        if let Some(item) = &self.item {
            let reference = item
                .reference
                .as_ref()
                .map(|reference| format!("[{reference}] "))
                .unwrap_or_default();
            let note = item
                .note
                .as_ref()
                .map(|note| format!(" ({note})"))
                .unwrap_or_default();
            out.push(format!("{reference}{}{note}", item.text));
            if self.left > 1 {
                out.push(format!("{} more after this one.", self.left - 1));
            }
        } else if self.kind.has_items() && !self.finished {
            out.push("Nothing here this week.".to_string());
        }
        out.extend(self.lines.iter().cloned());
        out.join("\n")
    }

    /// The whole screen as text: the heading, the body and the answers.
    pub fn said(&self) -> String {
        let mut out = self.heading();
        let body = self.body();
        if !body.is_empty() {
            out.push_str("\n\n");
            out.push_str(&body);
        }
        if !self.choices.is_empty() {
            out.push_str("\n\nAnswer: ");
            out.push_str(&self.answers());
        }
        out
    }

    /// The answers, as a person types them: `archive, next`.
    pub fn answers(&self) -> String {
        self.choices
            .iter()
            .map(|choice| match choice.asks {
                Some(asks) => format!("{} <{asks}>", choice.word),
                None => choice.word.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether `answer` is one of this screen's.
    pub fn takes(&self, answer: &Answer) -> bool {
        self.choices.iter().any(|choice| choice.word == answer.word())
    }
}

/// What an answer did, and the screen after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// What was done, for the person.
    pub did: String,
    /// The answer asks the person to confirm (a drop): nothing was done yet.
    pub confirm: bool,
    pub screen: Screen,
}

/// The asker's review of this week where they left it, or started at its first step.
pub fn open(ctx: &Ctx) -> Result<Screen> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let state = current_state(ctx)?;
    screen(ctx, &state)
}

/// The asker's review of this week started again at its first step.
pub fn restart(ctx: &Ctx) -> Result<Screen> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let state = fresh(ctx)?;
    state::save(&state_dir(ctx), &ctx.handle, &state)?;
    screen(ctx, &state)
}

/// The words `text` as an answer to the asker's current screen ([`Answer::parse`]).
pub fn parse(screen: &Screen, text: &str) -> Result<Answer> {
    Answer::parse(screen.kind, screen.item.is_some(), text).map_err(|error| Error::Invalid(error.to_string()))
}

/// Does `answer` to the screen named `token` (`None`: whatever screen is current) of
/// the asker's review, and gives the next screen. An answer to a screen that has
/// passed, or that the screen does not take, changes nothing.
pub fn answer(ctx: &Ctx, token: Option<&str>, answer: &Answer) -> Result<Answered> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let mut state = current_state(ctx)?;
    let shown = screen(ctx, &state)?;
    if let Some(token) = token.filter(|token| *token != shown.token) {
        tracing::debug!(%token, "review: an answer to a screen that has passed");
        return Err(Error::NoLongerApplies(format!(
            "that step of the review has passed; it is now at {}",
            where_now(&shown)
        )));
    }
    if !shown.takes(answer) {
        return Err(Error::Invalid(format!(
            "{:?} is not an answer at {}; say one of: {}",
            answer.word(),
            where_now(&shown),
            shown.answers()
        )));
    }
    let item = shown.item.clone();
    let key = item.as_ref().map(key_of);
    let reference = || -> Result<String> {
        item.as_ref()
            .and_then(|item| item.reference.clone())
            .ok_or_else(|| Error::Invalid("this step has no task to act on".to_string()))
    };
    let did = match answer {
        Answer::Next => {
            state.advance();
            "On to the next step.".to_string()
        }
        Answer::Skip => {
            state.skipped.extend(key);
            "Left as it is.".to_string()
        }
        Answer::Archive => {
            let todo = tasks::todo(ctx.store)?;
            let archived = todo.tasks().filter(|(_, task)| task.is_done()).count();
            let (summary, _) = tasks::archive(ctx)?;
            // Counted by the tasks moved, not by the answer.
            if archived > 0 {
                *state.did.entry("archive".to_string()).or_default() += archived;
            }
            state.advance();
            summary
        }
        Answer::Assign(words) => {
            let fields = assigned(words)?;
            tasks::edit(ctx, &reference()?, None, &fields)?.said("Now")
        }
        Answer::Add(words) => {
            let slug = slug_of(item.as_ref())?;
            let new = tasks::NewTask {
                text: words.clone(),
                fields: Fields {
                    project: Some(slug),
                    ..Fields::default()
                },
            };
            tasks::add(ctx, &new)?.said("Added")
        }
        Answer::Status(words) => {
            let status = ProjectStatus::parse(words.trim()).ok_or_else(|| {
                Error::Invalid(format!(
                    "{:?} is not a status; say planning, active, blocked, someday or done",
                    words.trim()
                ))
            })?;
            let change = projects::Change {
                slug: slug_of(item.as_ref())?,
                status: Some(status),
                update: None,
            };
            projects::change(ctx, &change)?.said()
        }
        Answer::Chase => {
            let item = item
                .as_ref()
                .ok_or_else(|| Error::Invalid("nothing to chase".to_string()))?;
            state.skipped.extend(key);
            format!("A nudge to send:\n> {}", nudge(item))
        }
        Answer::Received => waiting::received(ctx, &reference()?)?.summary,
        Answer::Followup(when) => waiting::reschedule(ctx, &reference()?, when)?.said("Now"),
        Answer::Due(when) => {
            let fields = Fields {
                due: Some(when.clone()),
                ..Fields::default()
            };
            tasks::edit(ctx, &reference()?, None, &fields)?.said("Now")
        }
        Answer::Done => tasks::complete(ctx, &reference()?, None)?.said(),
        Answer::Drop(false) => {
            let text = item.as_ref().map_or("", |item| item.text.as_str());
            return Ok(Answered {
                did: format!("Drop \"{text}\" from {TODO}? Nothing is deleted until you confirm."),
                confirm: true,
                screen: shown,
            });
        }
        Answer::Drop(true) => {
            let todo = tasks::todo(ctx.store)?;
            let (_, line) = tasks::named(&todo, &reference()?, myorg_domain::reference::Scope::All)?;
            tasks::delete_confirmed(ctx, &line)?.0
        }
        Answer::Note(text) => {
            let done = finish(ctx, &state, Some(text))?;
            state.finished = true;
            done
        }
        Answer::Finish => {
            let done = finish(ctx, &state, None)?;
            state.finished = true;
            done
        }
    };
    if counts(answer) {
        state.count(answer.word());
    }
    let mut next = screen(ctx, &state)?;
    // A list this answer emptied: on to the next step.
    let same_step = next.number == shown.number && !state.finished;
    if same_step && next.kind.has_items() && next.item.is_none() && shown.item.is_some() {
        state.advance();
        next = screen(ctx, &state)?;
    }
    state::save(&state_dir(ctx), &ctx.handle, &state)?;
    Ok(Answered {
        did,
        confirm: false,
        screen: next,
    })
}

/// `step 3 of 9 (Give every …)`, or `the end: it is finished`.
fn where_now(screen: &Screen) -> String {
    if screen.finished {
        "its end: this week's review is finished".to_string()
    } else {
        format!("step {} of {} ({})", screen.number, screen.of, screen.title)
    }
}

/// Whether an answer did something worth counting in the closing line.
fn counts(answer: &Answer) -> bool {
    !matches!(
        answer,
        Answer::Next | Answer::Skip | Answer::Archive | Answer::Note(_) | Answer::Finish
    )
}

/// The kept review of this week, or a new one (last week's has expired).
fn current_state(ctx: &Ctx) -> Result<State> {
    let week = week_of(ctx);
    match state::load(&state_dir(ctx), &ctx.handle) {
        Some(kept) if kept.week == week => Ok(kept),
        _ => {
            let state = fresh(ctx)?;
            state::save(&state_dir(ctx), &ctx.handle, &state)?;
            Ok(state)
        }
    }
}

/// A review of this week at its first step, with the store's checklist.
fn fresh(ctx: &Ctx) -> Result<State> {
    let loaded = Loaded::read(ctx.store, Need::Briefing)?;
    let checklist = loaded
        .guide
        .as_deref()
        .map(briefing::checklist)
        .filter(|steps| !steps.is_empty())
        .unwrap_or_else(|| {
            briefing::DEFAULT_CHECKLIST
                .iter()
                .map(|item| item.to_string())
                .collect()
        });
    Ok(State::new(&week_of(ctx), review::steps(&checklist)))
}

/// `2026-W49`, the ISO week of today.
fn week_of(ctx: &Ctx) -> String {
    let week = ctx.now.date().iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

fn state_dir(ctx: &Ctx) -> std::path::PathBuf {
    ctx.store.state_dir().to_path_buf()
}

/// The screen of `state` now, from the store as it is.
fn screen(ctx: &Ctx, state: &State) -> Result<Screen> {
    let of = state.steps.len();
    let Some(step) = state.current() else {
        return Ok(Screen {
            handle: ctx.handle.clone(),
            week: state.week.clone(),
            number: of,
            of,
            title: "Finished".to_string(),
            kind: Kind::Closing,
            item: None,
            left: 0,
            lines: vec![format!("Done this week: {}.", summary(state))],
            choices: Vec::new(),
            token: review::token(&state.week, of, None),
            finished: true,
        });
    };
    let loaded = Loaded::read(ctx.store, Need::Briefing)?;
    let whom = Whom {
        handle: Some(ctx.handle.clone()),
        unassigned_too: true,
    };
    let weekly = loaded.briefing(ctx.config, ctx.store, BriefingKind::Weekly, &whom, ctx.now.date())?;
    let section = |title: &str| -> Vec<Item> {
        weekly
            .sections
            .iter()
            .find(|section| section.title == title)
            .map(|section| section.items.clone())
            .unwrap_or_default()
    };
    let mut lines = Vec::new();
    let items = match step.kind {
        Kind::Inbox => section(titles::INBOX),
        Kind::Projects => section(titles::PROJECTS),
        Kind::Waiting => section(titles::WAITING),
        Kind::Overdue => section(titles::OVERDUE),
        Kind::Archive => {
            let todo = tasks::todo(ctx.store)?;
            let done = todo.tasks().filter(|(_, task)| task.is_done()).count();
            lines.push(match done {
                0 => "No done tasks to archive.".to_string(),
                1 => "1 done task to move to done.txt.".to_string(),
                n => format!("{n} done tasks to move to done.txt."),
            });
            Vec::new()
        }
        Kind::Goals => {
            let goals = section(titles::GOALS);
            if goals.is_empty() {
                lines.push("No open goals.".to_string());
            }
            lines.extend(goals.iter().map(|goal| match &goal.note {
                Some(note) => format!("- {} ({note})", goal.text),
                None => format!("- {}", goal.text),
            }));
            Vec::new()
        }
        Kind::Checklist => Vec::new(),
        Kind::Closing => {
            lines.push(format!("Done this week: {}.", summary(state)));
            Vec::new()
        }
    };
    let left: Vec<Item> = items
        .into_iter()
        .filter(|item| !state.skipped.contains(&key_of(item)))
        .collect();
    let item = left.first().cloned();
    let mut choices = step.kind.choices(item.is_some());
    if step.kind == Kind::Archive && lines.first().is_some_and(|line| line.starts_with("No ")) {
        choices.retain(|choice| choice.word != "archive");
    }
    Ok(Screen {
        handle: ctx.handle.clone(),
        week: state.week.clone(),
        number: state.step + 1,
        of,
        title: step.title,
        kind: step.kind,
        token: review::token(&state.week, state.step, item.as_ref().map(key_of).as_deref()),
        left: left.len(),
        item,
        lines,
        choices,
        finished: false,
    })
}

/// What names an item across screens: a task's reference, else its words.
fn key_of(item: &Item) -> String {
    item.reference.clone().unwrap_or_else(|| item.text.clone())
}

/// The slug of a project item (`+website Website`).
fn slug_of(item: Option<&Item>) -> Result<String> {
    item.and_then(|item| item.text.split_whitespace().next())
        .and_then(|word| word.strip_prefix('+'))
        .map(str::to_string)
        .ok_or_else(|| Error::Invalid("this step has no project to act on".to_string()))
}

/// The fields `+project @context` words give an inbox task.
fn assigned(words: &str) -> Result<Fields> {
    let mut fields = Fields::default();
    for word in words.split_whitespace() {
        let slot = match word.chars().next() {
            Some('+') => &mut fields.project,
            Some('@') => &mut fields.context,
            _ => {
                return Err(Error::Invalid(format!(
                    "{word:?} is neither a +project nor an @context"
                )));
            }
        };
        if slot.is_some() {
            return Err(Error::Invalid(
                "give one +project and one @context at most".to_string(),
            ));
        }
        *slot = Some(word.to_string());
    }
    if fields.project.is_none() && fields.context.is_none() {
        return Err(Error::Invalid("give a +project or an @context".to_string()));
    }
    Ok(fields)
}

/// The drafted nudge for a waiting-for item: whom its note names, its plain words.
fn nudge(item: &Item) -> String {
    let who = item
        .note
        .as_deref()
        .and_then(|note| note.split(", ").next())
        .filter(|who| *who != "someone");
    let words: Vec<&str> = item
        .text
        .split_whitespace()
        .filter(|word| !word.starts_with('@') && !word.starts_with('+') && !word.contains(':'))
        .collect();
    review::nudge(who, &words.join(" "), None)
}

/// What the review did, counted: `1 archive, 2 done` as words a person reads.
fn summary(state: &State) -> String {
    let said: Vec<String> = state
        .did
        .iter()
        .map(|(word, count)| {
            let (one, many) = match word.as_str() {
                "archive" => ("done task archived", "done tasks archived"),
                "assign" => ("inbox task sorted", "inbox tasks sorted"),
                "add" => ("next action added", "next actions added"),
                "status" => ("project status set", "project statuses set"),
                "chase" => ("nudge drafted", "nudges drafted"),
                "received" => ("item received", "items received"),
                "followup" => ("follow-up moved", "follow-ups moved"),
                "due" => ("task rescheduled", "tasks rescheduled"),
                "done" => ("task done", "tasks done"),
                "drop" => ("task dropped", "tasks dropped"),
                other => (other, other),
            };
            format!("{count} {}", if *count == 1 { one } else { many })
        })
        .collect();
    if said.is_empty() {
        "nothing changed".to_string()
    } else {
        said.join(", ")
    }
}

/// Finishes the review: the closing note to log.txt (when there is one) and the
/// working-memory line `weekly review WEEK finished: …`, in one commit.
fn finish(ctx: &Ctx, state: &State, note: Option<&str>) -> Result<String> {
    let summary = summary(state);
    let Some(note) = note.map(str::trim).filter(|note| !note.is_empty()) else {
        return Ok(memory::review_finished(ctx, Some(&summary))?.said());
    };
    let log = myorg_domain::notes::entry_line(
        ctx.now,
        &ctx.handle,
        &format!("Weekly review {}: {note}", state.week),
    )?;
    let remembered = myorg_domain::memory::review_finished(ctx.now.date().iso_week(), Some(&summary));
    let operation = memory::remembering(ctx, Operation::AppendLog { line: log.clone() }, &remembered)?;
    ctx.store.apply(operation, &ctx.actor)?;
    Ok(format!(
        "Added to log.txt: {log}\nThe review is finished: {summary}."
    ))
}

#[cfg(test)]
mod tests;
