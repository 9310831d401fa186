//! The weekly review, walked one step at a time: which steps a checklist makes, what a
//! person may answer at each step, and the words of those answers.
//!
//! Each item of the checklist (`skills/weekly-review.md`, or the built-in one) is one
//! step; its words say what kind of step it is ([`Kind::of`]): the inbox tasks, the
//! active projects without a next action, the waiting-for items to chase, the overdue
//! tasks, the goals, or a plain item to read and tick. The review always starts by
//! archiving the done tasks and ends with a closing note, whether or not the checklist
//! names them ([`steps`]).
//!
//! An answer ([`Answer`]) is what the buttons send and what a person types
//! ([`Answer::parse`]): the same words on the terminal and for the model.

use std::fmt;

/// What a step of the review does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Move the done tasks to done.txt.
    Archive,
    /// Give each inbox task (no project, context or date) a project or a context.
    Inbox,
    /// Give each active project without a next action one, or a new status.
    Projects,
    /// Chase each waiting-for item past its follow-up.
    Waiting,
    /// A new date for each overdue task, or done, or dropped.
    Overdue,
    /// What moved each goal this week.
    Goals,
    /// A checklist item to read and tick.
    Checklist,
    /// A closing note to log.txt; the review is finished.
    Closing,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 8] = [
        Kind::Archive,
        Kind::Inbox,
        Kind::Projects,
        Kind::Waiting,
        Kind::Overdue,
        Kind::Goals,
        Kind::Checklist,
        Kind::Closing,
    ];

    /// Its name, as kept with a review in progress.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Archive => "archive",
            Kind::Inbox => "inbox",
            Kind::Projects => "projects",
            Kind::Waiting => "waiting",
            Kind::Overdue => "overdue",
            Kind::Goals => "goals",
            Kind::Checklist => "checklist",
            Kind::Closing => "closing",
        }
    }

    /// The kind called `name`.
    pub fn named(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The kind of step a checklist item's words describe.
    pub fn of(item: &str) -> Kind {
        let words = item.to_lowercase();
        let has = |word: &str| words.contains(word);
        if has("archive") {
            Kind::Archive
        } else if has("inbox") && (has("task") || has("project") || has("context")) {
            Kind::Inbox
        } else if has("next action") {
            Kind::Projects
        } else if has("waiting") || has("chase") {
            Kind::Waiting
        } else if has("overdue") || has("reschedule") {
            Kind::Overdue
        } else if has("calendar") {
            Kind::Checklist
        } else if has("goal") {
            Kind::Goals
        } else if has("project") {
            Kind::Projects
        } else if has("closing") || has("reflect on") || has("journal") || has("summary") {
            Kind::Closing
        } else {
            Kind::Checklist
        }
    }

    /// Whether the step goes through a list of items, one at a time.
    pub fn has_items(self) -> bool {
        matches!(self, Kind::Inbox | Kind::Projects | Kind::Waiting | Kind::Overdue)
    }

    /// What a person may answer at this step, with an item (`true`) or without.
    pub fn choices(self, with_item: bool) -> Vec<Choice> {
        let next = Choice::plain("next", "Next step");
        if self.has_items() && !with_item {
            return vec![next];
        }
        let skip = Choice::plain("skip", "Skip");
        match self {
            Kind::Archive => vec![Choice::plain("archive", "Archive"), next],
            Kind::Inbox => vec![
                Choice::asking("assign", "Give a project or context", "+project @context"),
                skip,
                next,
            ],
            Kind::Projects => vec![
                Choice::asking("add", "Add a next action", "the next action's words"),
                Choice::asking("status", "Set its status", "active, someday, blocked, done"),
                skip,
                next,
            ],
            Kind::Waiting => vec![
                Choice::plain("chase", "Chase"),
                Choice::plain("received", "Received"),
                Choice::asking("followup", "New follow-up", "fri, in 3 days, 2026-12-10"),
                skip,
                next,
            ],
            Kind::Overdue => vec![
                Choice::asking("due", "New date", "fri, next week, 2026-12-10"),
                Choice::plain("done", "Done"),
                Choice::plain("drop", "Drop"),
                skip,
                next,
            ],
            Kind::Goals | Kind::Checklist => vec![next],
            Kind::Closing => vec![
                Choice::asking("note", "Closing note", "how the week went"),
                Choice::plain("finish", "Finish"),
            ],
        }
    }
}

/// One thing a person may answer at a step: the word they type (and the button
/// sends), a label, and what to ask for when it takes words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub word: &'static str,
    pub label: &'static str,
    /// A hint of the words it takes; `None`: it takes none.
    pub asks: Option<&'static str>,
}

impl Choice {
    fn plain(word: &'static str, label: &'static str) -> Choice {
        Choice {
            word,
            label,
            asks: None,
        }
    }

    fn asking(word: &'static str, label: &'static str, asks: &'static str) -> Choice {
        Choice {
            word,
            label,
            asks: Some(asks),
        }
    }
}

/// One step: its kind and the checklist's words for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub kind: Kind,
    pub title: String,
}

/// The steps of a review of `checklist`: one per item, after an archive step and
/// before a closing step unless the checklist has its own. Only the first item that
/// reads as a closing note closes the review (it moves last); others are items to tick.
pub fn steps(checklist: &[String]) -> Vec<Step> {
    let mut closing = false;
    let mut steps: Vec<Step> = checklist
        .iter()
        .map(|title| {
            let mut kind = Kind::of(title);
            if kind == Kind::Closing {
                if closing {
                    kind = Kind::Checklist;
                }
                closing = true;
            }
            Step {
                kind,
                title: title.clone(),
            }
        })
        .collect();
    if !steps.iter().any(|step| step.kind == Kind::Archive) {
        steps.insert(
            0,
            Step {
                kind: Kind::Archive,
                title: "Archive the done tasks".to_string(),
            },
        );
    }
    if let Some(at) = steps.iter().position(|step| step.kind == Kind::Closing) {
        let closing = steps.remove(at);
        steps.push(closing);
    } else {
        steps.push(Step {
            kind: Kind::Closing,
            title: "Write a closing note".to_string(),
        });
    }
    steps
}

/// An answer to a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// On to the next step, leaving this step's other items as they are.
    Next,
    /// Leave this item as it is.
    Skip,
    Archive,
    /// Projects and contexts for an inbox task (`+website @computer`).
    Assign(String),
    /// A next action for the project.
    Add(String),
    /// A new status for the project.
    Status(String),
    /// A drafted nudge for the waiting-for item.
    Chase,
    Received,
    /// A new follow-up date, in words.
    Followup(String),
    /// A new due date, in words.
    Due(String),
    Done,
    /// Drop the task: `true` once the person confirmed it.
    Drop(bool),
    /// The closing note.
    Note(String),
    /// Finish without a note.
    Finish,
}

/// Why an answer's words are not an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnAnswer(pub String);

impl fmt::Display for NotAnAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotAnAnswer {}

impl Answer {
    /// The answer `text` gives at a step of `kind`: its first word is one of the
    /// step's choices (or its first letter where that is unique), the rest are the
    /// words it takes; `drop yes` confirms a drop. At an inbox task, `+project` or
    /// `@context` words alone assign them.
    pub fn parse(kind: Kind, with_item: bool, text: &str) -> Result<Answer, NotAnAnswer> {
        let text = text.trim();
        let (first, rest) = text
            .split_once(char::is_whitespace)
            .map_or((text, ""), |(first, rest)| (first, rest.trim()));
        let choices = kind.choices(with_item);
        let known = || {
            choices
                .iter()
                .map(|choice| match choice.asks {
                    Some(asks) => format!("{} ({asks})", choice.word),
                    None => choice.word.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if kind == Kind::Inbox && with_item && (first.starts_with('+') || first.starts_with('@')) {
            return Ok(Answer::Assign(text.to_string()));
        }
        let first = first.to_lowercase();
        let word = choices
            .iter()
            .find(|choice| choice.word == first)
            .or_else(|| {
                let mut by_letter = choices
                    .iter()
                    .filter(|choice| first.len() == 1 && choice.word.starts_with(&first));
                match (by_letter.next(), by_letter.next()) {
                    (Some(only), None) => Some(only),
                    _ => None,
                }
            })
            .map(|choice| (choice.word, choice.asks.is_some()));
        let Some((word, takes_words)) = word else {
            return Err(NotAnAnswer(if text.is_empty() {
                format!("say one of: {}", known())
            } else {
                format!("{text:?} is not an answer here; say one of: {}", known())
            }));
        };
        if takes_words && rest.is_empty() {
            return Err(NotAnAnswer(format!("{word} needs some words after it")));
        }
        Answer::from_word(word, rest).ok_or_else(|| NotAnAnswer(format!("{word:?} is not an answer")))
    }

    /// The answer `word` names with the `words` after it (none for a word that takes
    /// none; `yes` after `drop` confirms it): what a button or a form sends.
    pub fn from_word(word: &str, words: &str) -> Option<Answer> {
        let text = words.trim().to_string();
        Some(match word {
            "next" => Answer::Next,
            "skip" => Answer::Skip,
            "archive" => Answer::Archive,
            "assign" => Answer::Assign(text),
            "add" => Answer::Add(text),
            "status" => Answer::Status(text),
            "chase" => Answer::Chase,
            "received" => Answer::Received,
            "followup" => Answer::Followup(text),
            "due" => Answer::Due(text),
            "done" => Answer::Done,
            "drop" => Answer::Drop(matches!(text.to_lowercase().as_str(), "yes" | "y" | "confirm")),
            "note" => Answer::Note(text),
            "finish" => Answer::Finish,
            _ => return None,
        })
    }

    /// The choice `word` names, at whichever step offers it: its label and what it asks.
    pub fn choice(word: &str) -> Option<Choice> {
        Kind::ALL
            .into_iter()
            .flat_map(|kind| kind.choices(true))
            .find(|choice| choice.word == word)
    }

    /// The answer's word, as [`Answer::parse`] reads it back (without its words).
    pub fn word(&self) -> &'static str {
        match self {
            Answer::Next => "next",
            Answer::Skip => "skip",
            Answer::Archive => "archive",
            Answer::Assign(_) => "assign",
            Answer::Add(_) => "add",
            Answer::Status(_) => "status",
            Answer::Chase => "chase",
            Answer::Received => "received",
            Answer::Followup(_) => "followup",
            Answer::Due(_) => "due",
            Answer::Done => "done",
            Answer::Drop(_) => "drop",
            Answer::Note(_) => "note",
            Answer::Finish => "finish",
        }
    }
}

/// A short token naming one screen of a review: the week, the step and the item. An
/// answer carries the token of the screen it answers, so an answer to a screen that
/// has passed (an old message's button, a second tap) is told apart.
pub fn token(week: &str, step: usize, item: Option<&str>) -> String {
    // FNV-1a, 64 bits: stable across builds and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("{week}\u{1f}{step}\u{1f}{}", item.unwrap_or("")).bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // A finishing mix, so that every byte moves every digit.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    format!("{:010x}", hash >> 24)
}

/// A drafted nudge for a waiting-for item: the words to send `who` about `what`.
pub fn nudge(who: Option<&str>, what: &str, since: Option<&str>) -> String {
    let greeting = who.map_or("Hi".to_string(), |who| format!("Hi {who}"));
    let since = since.map(|since| format!(" (since {since})")).unwrap_or_default();
    format!("{greeting}, a friendly nudge about \"{what}\"{since}: is there any news? Thanks!")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Vec<String> {
        crate::briefing::DEFAULT_CHECKLIST
            .iter()
            .map(|item| item.to_string())
            .collect()
    }

    #[test]
    fn the_built_in_checklist_makes_a_step_of_each_kind_in_order() {
        let kinds: Vec<Kind> = steps(&builtin()).iter().map(|step| step.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Archive,
                Kind::Checklist,
                Kind::Inbox,
                Kind::Projects,
                Kind::Waiting,
                Kind::Overdue,
                Kind::Goals,
                Kind::Checklist,
                Kind::Closing
            ]
        );
    }

    #[test]
    fn a_guide_with_its_own_archive_and_note_keeps_them_where_they_are_closing_last() {
        let guide = ["Write a closing note", "Archive what is done", "Call mum"]
            .map(String::from)
            .to_vec();
        let made: Vec<(Kind, String)> = steps(&guide)
            .into_iter()
            .map(|step| (step.kind, step.title))
            .collect();
        assert_eq!(
            made,
            [
                (Kind::Archive, "Archive what is done".to_string()),
                (Kind::Checklist, "Call mum".to_string()),
                (Kind::Closing, "Write a closing note".to_string())
            ]
        );
    }

    #[test]
    fn answers_are_read_from_words_letters_and_tags() {
        let read = |kind, text| Answer::parse(kind, true, text);
        assert_eq!(
            read(Kind::Inbox, "+website @computer"),
            Ok(Answer::Assign("+website @computer".into()))
        );
        assert_eq!(
            read(Kind::Inbox, "assign @home"),
            Ok(Answer::Assign("@home".into()))
        );
        assert_eq!(read(Kind::Inbox, "S"), Ok(Answer::Skip));
        assert_eq!(
            read(Kind::Projects, "add Write the brief"),
            Ok(Answer::Add("Write the brief".into()))
        );
        assert_eq!(read(Kind::Overdue, "drop"), Ok(Answer::Drop(false)));
        assert_eq!(read(Kind::Overdue, "drop yes"), Ok(Answer::Drop(true)));
        assert_eq!(
            read(Kind::Overdue, "due next friday"),
            Ok(Answer::Due("next friday".into()))
        );
        assert_eq!(
            read(Kind::Closing, "note A calm week"),
            Ok(Answer::Note("A calm week".into()))
        );
        assert_eq!(
            read(Kind::Waiting, "f").unwrap_err().0,
            "followup needs some words after it"
        );
        let wrong = read(Kind::Goals, "archive").unwrap_err().to_string();
        assert_eq!(wrong, "\"archive\" is not an answer here; say one of: next");
        // Two choices start with `d` at an overdue task: the letter alone is not enough.
        assert!(read(Kind::Overdue, "d").is_err());
        assert_eq!(
            Answer::parse(Kind::Inbox, false, "skip").unwrap_err().0,
            "\"skip\" is not an answer here; say one of: next"
        );
    }

    #[test]
    fn the_words_of_an_item_say_its_kind() {
        let kind = |text: &str| Kind::of(text);
        assert_eq!(
            kind("Check progress on the quarterly goals: are the projects behind each goal moving?"),
            Kind::Goals
        );
        assert_eq!(
            kind("Set a goal for the coming week as a week line in `calendar.txt`."),
            Kind::Checklist
        );
        assert_eq!(
            kind("Review every active project: does each one have a next action?"),
            Kind::Projects
        );
        assert_eq!(
            kind("Archive completed tasks from `todo.txt` to `done.txt`."),
            Kind::Archive
        );
        assert_eq!(kind("Review waiting-for items (`@waiting`)"), Kind::Waiting);
        assert_eq!(kind("Write down any new ideas"), Kind::Checklist);
        assert_eq!(
            kind("Go through meeting notes in `notes/` from this week"),
            Kind::Checklist
        );
        assert_eq!(kind("Reflect on the week in a closing note"), Kind::Closing);
        assert_eq!(
            kind("Write a short summary of the week in `log.txt`."),
            Kind::Closing
        );
        assert_eq!(
            kind("Re-read `telos.md`: does next week's plan reflect the current focus?"),
            Kind::Checklist
        );
    }

    #[test]
    fn a_second_closing_item_is_an_item_to_tick_and_kinds_keep_their_names() {
        let guide = ["Write a closing note", "Reflect on the notes"]
            .map(String::from)
            .to_vec();
        let kinds: Vec<Kind> = steps(&guide).iter().map(|step| step.kind).collect();
        assert_eq!(kinds, [Kind::Archive, Kind::Checklist, Kind::Closing]);
        for kind in Kind::ALL {
            assert_eq!(Kind::named(kind.name()), Some(kind));
        }
        assert_eq!(Kind::named("nope"), None);
    }

    #[test]
    fn a_token_names_the_week_the_step_and_the_item() {
        let one = token("2026-W49", 2, Some("kmbt"));
        assert_eq!(one.len(), 10);
        assert_eq!(one, token("2026-W49", 2, Some("kmbt")));
        assert_ne!(one, token("2026-W49", 3, Some("kmbt")));
        assert_ne!(one, token("2026-W50", 2, Some("kmbt")));
        assert_ne!(one, token("2026-W49", 2, None));
    }

    #[test]
    fn a_nudge_names_who_and_what() {
        assert_eq!(
            nudge(Some("Ben"), "the signed contract", Some("2026-11-20")),
            "Hi Ben, a friendly nudge about \"the signed contract\" (since 2026-11-20): is there any news? Thanks!"
        );
    }
}
