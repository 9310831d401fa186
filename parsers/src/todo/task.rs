//! The todo.txt line grammar: done marker, completion and creation dates, priority,
//! and a description made of words, `+projects`, `@contexts` and `key:value` tags.
//!
//! Read strictly: `x` + one space marks a done task; a valid date right after is the
//! completion date and a second one right after that the creation date; an open task
//! may start with `(A) ` at column 0 and then a creation date. A date field is a real
//! `YYYY-MM-DD` followed by a space or the end of the line; anything else stays in the
//! description.

use super::Priority;
use crate::date::{date_field, skip_date_field};
use crate::text::Text;
use crate::tokens::{self, TokenKind};
use chrono::NaiveDate;
use smallvec::SmallVec;
use std::fmt::{self, Write as _};
use std::sync::Arc;

/// One task line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    done: bool,
    completed: Option<NaiveDate>,
    created: Option<NaiveDate>,
    priority: Option<Priority>,
    description: Text,
    /// Most tasks have a few tokens: kept inline, so reading a task allocates once.
    marks: SmallVec<[Mark; 4]>,
}

/// Where a project, context or tag token sits in the description. Its kind follows
/// from its first byte (`+`, `@`, else a tag), so a mark is just two offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    start: u32,
    end: u32,
}

impl Mark {
    fn token(self, description: &str) -> &str {
        &description[self.start as usize..self.end as usize]
    }
}

/// An edit that would not survive being written and read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidEdit {
    /// A tag key must be non-empty, without spaces or colons, and not start with `+` or `@`.
    Key(String),
    /// A tag value must be non-empty, without spaces or colons, and not start with `//`.
    Value(String),
    /// A project or context name must be non-empty and without spaces.
    Name(String),
}

impl fmt::Display for InvalidEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidEdit::Key(key) => write!(
                f,
                "{key:?} cannot be a tag name: use letters without spaces or colons"
            ),
            InvalidEdit::Value(value) => {
                write!(
                    f,
                    "{value:?} cannot be a tag value: it must be one word without colons"
                )
            }
            InvalidEdit::Name(name) => {
                write!(f, "{name:?} cannot be a project or context name: use one word")
            }
        }
    }
}

impl std::error::Error for InvalidEdit {}

/// `(A) ` at the very start of the line: the rest and the priority.
fn priority_field(input: &str) -> Option<(&str, Priority)> {
    match input.as_bytes() {
        // Four ASCII bytes: 4 is a character boundary.
        [b'(', letter, b')', b' ', ..] => Some((&input[4..], Priority::new(char::from(*letter))?)),
        _ => None,
    }
}

/// Runs an optional prefix field: the rest and the value, or the input unchanged.
fn optional<'a, T>(field: fn(&'a str) -> Option<(&'a str, T)>, input: &'a str) -> (&'a str, Option<T>) {
    match field(input) {
        Some((rest, value)) => (rest, Some(value)),
        None => (input, None),
    }
}

/// The prefix fields of a line and the description after them.
struct Fields<'a> {
    done: bool,
    completed: Option<NaiveDate>,
    created: Option<NaiveDate>,
    priority: Option<Priority>,
    description: &'a str,
}

impl<'a> Fields<'a> {
    fn of(line: &'a str) -> Fields<'a> {
        if let Some(rest) = line.strip_prefix("x ") {
            let (rest, completed) = optional(date_field, rest);
            let (rest, created) = match completed {
                Some(_) => optional(date_field, rest),
                None => (rest, None),
            };
            return Fields {
                done: true,
                completed,
                created,
                priority: None,
                description: tokens::trim(rest),
            };
        }
        let (rest, priority) = optional(priority_field, line);
        let (rest, created) = optional(date_field, rest);
        Fields {
            done: false,
            completed: None,
            created,
            priority,
            description: tokens::trim(rest),
        }
    }
}

impl Task {
    /// Reads one line (without its line ending). Never fails.
    pub fn parse(line: &str) -> Task {
        Task::read(line, |description| Text::Owned(description.to_string()))
    }

    /// Reads the line `source[start..end]`, keeping its description as a reference to
    /// `source` rather than a copy.
    pub(crate) fn parse_shared(source: &Arc<str>, start: usize, end: usize) -> Task {
        Task::read(&source[start..end], |description| {
            // `description` is a slice of `source`: its offset is the pointer distance.
            let offset = description.as_ptr() as usize - source.as_ptr() as usize;
            Text::shared(source, offset, offset + description.len())
        })
    }

    fn read(line: &str, text: impl FnOnce(&str) -> Text) -> Task {
        let fields = Fields::of(line);
        Task::from_parts(
            fields.done,
            fields.completed,
            fields.created,
            fields.priority,
            text(fields.description),
        )
    }

    /// The description of the task on `line` (what [`Task::description`] of
    /// `Task::parse(line)` gives), without building the task: for a fast look at
    /// every line of a large file.
    pub fn description_of(line: &str) -> &str {
        let rest = match line.strip_prefix("x ") {
            Some(rest) => match skip_date_field(rest) {
                Some(rest) => skip_date_field(rest).unwrap_or(rest),
                None => rest,
            },
            None => {
                let rest = priority_field(line).map_or(line, |(rest, _)| rest);
                skip_date_field(rest).unwrap_or(rest)
            }
        };
        tokens::trim(rest)
    }

    /// A new open task with this description (line breaks become spaces).
    pub fn new(description: &str) -> Task {
        Task::from_parts(false, None, None, None, Text::Owned(clean(description)))
    }

    fn from_parts(
        done: bool,
        completed: Option<NaiveDate>,
        created: Option<NaiveDate>,
        priority: Option<Priority>,
        description: Text,
    ) -> Task {
        let marks = marks(&description);
        Task {
            done,
            completed,
            created,
            priority,
            description,
            marks,
        }
    }

    /// The line in canonical form: `x COMPLETED CREATED text` or `(A) CREATED text`,
    /// single spaces between the fields.
    ///
    /// Reading the result gives back the same task. Where the description would be
    /// misread as a prefix field (an open task `x marks the spot`, or text starting with
    /// `(A) ` or a date), one more space keeps it in the description, as the spec reads
    /// fields only at their exact position. A done task's creation date is written only
    /// with its completion date (alone it would read as one).
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.description.len() + 26);
        let mut ends_with_date = false;
        if self.done {
            out.push_str("x ");
            if let Some(completed) = self.completed {
                let _ = write!(out, "{completed} ");
                ends_with_date = true;
                if let Some(created) = self.created {
                    let _ = write!(out, "{created} ");
                }
            }
        } else {
            if let Some(priority) = self.priority {
                let _ = write!(out, "({priority}) ");
            }
            if let Some(created) = self.created {
                let _ = write!(out, "{created} ");
                ends_with_date = true;
            }
        }
        if self.description_would_be_misread() {
            out.push(' ');
        }
        out.push_str(&self.description);
        if self.description.is_empty() && ends_with_date {
            // A date field may end the line; `x ` and `(A) ` may not.
            out.pop();
        }
        out
    }

    /// Whether the prefix parser, run where the description starts, would take its
    /// first word for a field.
    fn description_would_be_misread(&self) -> bool {
        let text = self.description();
        let starts_with_date = date_field(text).is_some();
        if self.done {
            let all_dates_written = self.completed.is_some() && self.created.is_some();
            return !all_dates_written && starts_with_date;
        }
        match (self.priority, self.created) {
            (_, Some(_)) => false,
            (Some(_), None) => starts_with_date,
            (None, None) => text.starts_with("x ") || priority_field(text).is_some() || starts_with_date,
        }
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    pub fn completed(&self) -> Option<NaiveDate> {
        self.completed
    }

    pub fn created(&self) -> Option<NaiveDate> {
        self.created
    }

    /// The `(A)` priority of an open task; a done task has none (see `pri:`).
    pub fn priority(&self) -> Option<Priority> {
        self.priority
    }

    /// Everything after the prefix fields, trimmed; tokens and inner spacing kept.
    pub fn description(&self) -> &str {
        &self.description
    }

    fn tokens_starting_with(&self, sigil: u8) -> impl Iterator<Item = &str> + '_ {
        self.marks
            .iter()
            .map(|mark| mark.token(&self.description))
            .filter(move |token| token.as_bytes()[0] == sigil)
    }

    /// Project names (without `+`), in order, repeats included.
    pub fn projects(&self) -> impl Iterator<Item = &str> + '_ {
        self.tokens_starting_with(b'+').map(|token| &token[1..])
    }

    /// Context names (without `@`), in order, repeats included.
    pub fn contexts(&self) -> impl Iterator<Item = &str> + '_ {
        self.tokens_starting_with(b'@').map(|token| &token[1..])
    }

    /// `key:value` tags in order, repeats included.
    pub fn tags(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.marks
            .iter()
            .map(|mark| mark.token(&self.description))
            .filter(|token| !token.starts_with(['+', '@']))
            .filter_map(|token| token.split_once(':'))
    }

    /// The first value of tag `key`.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags().find(|(k, _)| *k == key).map(|(_, value)| value)
    }

    /// Every value of tag `key`, in order.
    pub fn tag_values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.tags()
            .filter(move |(k, _)| *k == key)
            .map(|(_, value)| value)
    }

    pub fn has_project(&self, name: &str) -> bool {
        self.projects().any(|p| p == name)
    }

    pub fn has_context(&self, name: &str) -> bool {
        self.contexts().any(|c| c == name)
    }

    /// Marks the task done on `date`. An `(A)` priority is kept as `pri:A`.
    pub fn complete(&mut self, date: NaiveDate) {
        if self.done {
            return;
        }
        if let Some(priority) = self.priority.take() {
            self.replace_tag("pri", &priority.to_string());
        }
        self.done = true;
        self.completed = Some(date);
    }

    /// Makes a done task open again; a `pri:X` tag becomes its priority again.
    pub fn reopen(&mut self) {
        if !self.done {
            return;
        }
        self.done = false;
        self.completed = None;
        if let Some(priority) = self.tag("pri").and_then(Priority::from_text) {
            self.priority = Some(priority);
            self.remove_tag("pri");
        }
    }

    /// Sets or clears the priority. On a done task it is kept as `pri:X`.
    pub fn set_priority(&mut self, priority: Option<Priority>) {
        match (self.done, priority) {
            (false, _) => self.priority = priority,
            (true, Some(priority)) => self.replace_tag("pri", &priority.to_string()),
            (true, None) => {
                self.remove_tag("pri");
            }
        }
    }

    pub fn set_created(&mut self, created: Option<NaiveDate>) {
        self.created = created;
    }

    /// Replaces the description (line breaks become spaces; the prefix fields stay).
    pub fn set_description(&mut self, description: &str) {
        self.set_description_text(clean(description));
    }

    fn set_description_text(&mut self, description: String) {
        self.marks = marks(&description);
        self.description = Text::Owned(description);
    }

    /// Sets tag `key` to `value`: the first `key:` tag gets the new value and later
    /// ones are removed; with none, the tag is appended.
    pub fn set_tag(&mut self, key: &str, value: &str) -> Result<(), InvalidEdit> {
        let well_formed_key = !key.is_empty()
            && !key.starts_with(['+', '@'])
            && !key.contains(':')
            && !key.bytes().any(tokens::is_separator)
            && !key.contains('\n');
        if !well_formed_key {
            return Err(InvalidEdit::Key(key.to_string()));
        }
        if tokens::classify(&format!("{key}:{value}")) != Some(TokenKind::Tag { colon: key.len() })
            || value.bytes().any(|b| tokens::is_separator(b) || b == b'\n')
        {
            return Err(InvalidEdit::Value(value.to_string()));
        }
        self.replace_tag(key, value);
        Ok(())
    }

    /// `set_tag` for keys and values already known to be well formed.
    fn replace_tag(&mut self, key: &str, value: &str) {
        let mut out = String::with_capacity(self.description.len() + key.len() + value.len() + 2);
        let mut replaced = false;
        for (_, word) in tokens::tokens(&self.description) {
            if tag_key(word) == Some(key) {
                if !replaced {
                    push_word(&mut out, &format!("{key}:{value}"));
                    replaced = true;
                }
            } else {
                push_word(&mut out, word);
            }
        }
        if !replaced {
            push_word(&mut out, &format!("{key}:{value}"));
        }
        self.set_description_text(out);
    }

    /// Removes every `key:` tag; says whether there was one.
    pub fn remove_tag(&mut self, key: &str) -> bool {
        self.retain_words(|word| tag_key(word) != Some(key))
    }

    /// Adds `+name` unless the task already has it.
    pub fn add_project(&mut self, name: &str) -> Result<(), InvalidEdit> {
        self.add_marked('+', name)
    }

    /// Adds `@name` unless the task already has it.
    pub fn add_context(&mut self, name: &str) -> Result<(), InvalidEdit> {
        self.add_marked('@', name)
    }

    /// Removes every `+name`; says whether there was one.
    pub fn remove_project(&mut self, name: &str) -> bool {
        self.retain_words(|word| word.strip_prefix('+') != Some(name))
    }

    /// Removes every `@name`; says whether there was one.
    pub fn remove_context(&mut self, name: &str) -> bool {
        self.retain_words(|word| word.strip_prefix('@') != Some(name))
    }

    fn add_marked(&mut self, sigil: char, name: &str) -> Result<(), InvalidEdit> {
        if name.is_empty() || name.bytes().any(tokens::is_separator) || name.contains('\n') {
            return Err(InvalidEdit::Name(name.to_string()));
        }
        let present = if sigil == '+' {
            self.has_project(name)
        } else {
            self.has_context(name)
        };
        if !present {
            let mut description = self.description().to_string();
            push_word(&mut description, &format!("{sigil}{name}"));
            self.set_description_text(description);
        }
        Ok(())
    }

    /// Keeps only the words `keep` accepts, joined by single spaces; says whether any
    /// word was dropped (the description is left as it was when none was).
    fn retain_words(&mut self, keep: impl Fn(&str) -> bool) -> bool {
        let mut out = String::with_capacity(self.description.len());
        let mut dropped = false;
        for (_, word) in tokens::tokens(&self.description) {
            if keep(word) {
                push_word(&mut out, word);
            } else {
                dropped = true;
            }
        }
        if dropped {
            self.set_description_text(out);
        }
        dropped
    }
}

/// The key of a `key:value` token.
fn tag_key(word: &str) -> Option<&str> {
    match tokens::classify(word) {
        Some(TokenKind::Tag { colon }) => Some(&word[..colon]),
        _ => None,
    }
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// A description as it will be stored: one line, trimmed.
fn clean(description: &str) -> String {
    tokens::trim(&description.replace(['\n', '\r'], " ")).to_string()
}

/// The project, context and tag tokens of a description. A description longer than
/// 4 GiB (which no real line is) is read as plain words.
fn marks(description: &str) -> SmallVec<[Mark; 4]> {
    let mut marks = SmallVec::new();
    if u32::try_from(description.len()).is_ok() {
        // Offsets fit in u32 because the whole description does.
        tokens::scan(description, |start, end, _| {
            marks.push(Mark {
                start: start as u32,
                end: end as u32,
            })
        });
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        crate::date::parse_date(text).unwrap()
    }

    #[test]
    fn completing_keeps_the_priority_as_a_tag_and_reopening_restores_it() {
        let mut task = Task::parse("(B) 2026-11-01 call mum +family");
        task.complete(day("2026-11-22"));
        assert_eq!(task.render(), "x 2026-11-22 2026-11-01 call mum +family pri:B");
        assert_eq!(task.priority(), None);
        task.reopen();
        assert_eq!(task.render(), "(B) 2026-11-01 call mum +family");
    }

    #[test]
    fn set_tag_replaces_the_first_and_drops_repeats() {
        let mut task = Task::parse("a due:2026-01-01 b due:2026-02-02 c");
        task.set_tag("due", "2026-03-03").unwrap();
        assert_eq!(task.description(), "a due:2026-03-03 b c");
        task.set_tag("owner", "ben").unwrap();
        assert_eq!(task.tag("owner"), Some("ben"));
        assert!(task.set_tag("owner", "a b").is_err());
        assert!(task.set_tag("ow:ner", "ben").is_err());
        assert!(task.set_tag("url", "//x").is_err());
        assert!(task.set_tag("", "x").is_err());
        assert!(task.remove_tag("owner"));
        assert!(!task.remove_tag("owner"));
        assert_eq!(task.description(), "a due:2026-03-03 b c");
    }

    #[test]
    fn projects_and_contexts_are_added_once_and_removed() {
        let mut task = Task::new("write report");
        task.add_project("q4").unwrap();
        task.add_project("q4").unwrap();
        task.add_context("office").unwrap();
        assert_eq!(task.description(), "write report +q4 @office");
        assert!(task.add_context("two words").is_err());
        assert!(task.remove_project("q4"));
        assert_eq!(task.description(), "write report @office");
    }

    #[test]
    fn rendering_never_turns_text_into_a_field() {
        for line in [
            " x marks the spot",
            " (A) not a priority",
            " 2026-11-01 not a creation date",
            "(A)  2026-11-01 not a creation date",
            "x 2026-11-22  2026-11-01 not a creation date",
            "x  2026-11-22 not a completion date",
            "(A) ",
            "x ",
            "x 2026-11-22",
        ] {
            let task = Task::parse(line);
            assert_eq!(
                Task::parse(&task.render()),
                task,
                "{line:?} rendered as {:?}",
                task.render()
            );
        }
        assert_eq!(Task::new("x marks the spot").render(), " x marks the spot");
        assert_eq!(Task::parse("x 2026-11-22 ").render(), "x 2026-11-22");
    }

    #[test]
    fn new_tasks_are_one_line() {
        let task = Task::new("  first\nsecond\r\n");
        assert_eq!(task.description(), "first second");
    }

    #[test]
    fn priority_on_a_done_task_goes_to_pri() {
        let mut task = Task::parse("x 2026-11-22 done thing");
        task.set_priority(Priority::new('C'));
        assert_eq!(task.render(), "x 2026-11-22 done thing pri:C");
        task.set_priority(None);
        assert_eq!(task.render(), "x 2026-11-22 done thing");
    }
}
