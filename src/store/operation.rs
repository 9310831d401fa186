//! Replayable operations: an intent and its target, not a text diff. The same
//! operation applied to a newer version of the files (after the remote moved) does
//! the same thing there, or says plainly that it no longer applies.

use chrono::NaiveDate;
use myorg_domain::calendar::{self, NewEvent};
use myorg_parsers::{CalendarFile, Task, TodoFile, TodoLine};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The store path of todo.txt.
pub const TODO: &str = "todo.txt";
/// The store path of done.txt, where completed tasks are archived.
pub const DONE: &str = "done.txt";
/// The store path of projects.txt.
pub const PROJECTS: &str = "projects.txt";
/// The store path of goals.txt.
pub const GOALS: &str = "goals.txt";
/// The store path of log.txt.
pub const LOG: &str = "log.txt";
/// The store path of working-memory.txt.
pub const MEMORY: &str = "working-memory.txt";
/// The store path of calendar.txt.
pub const CALENDAR: &str = "calendar.txt";
/// The store path of kpi.txt, the dated figures.
pub const KPI: &str = "kpi.txt";
/// The files the assistant keeps line by line, each changed only through its own
/// operations (a task added, an event placed at its day, a note dated): never
/// appended to or written as raw text by [`Operation::AppendFile`].
pub const MANAGED: [&str; 8] = [TODO, DONE, CALENDAR, PROJECTS, GOALS, LOG, MEMORY, KPI];

pub mod bulk;
mod files;
mod kpi;
mod memory;
mod projects;
pub use files::{content_hash, managed};
pub use projects::ProjectList;

/// New contents for store files: path and whole content (`None`: delete the file).
pub type FileChanges = Vec<(String, Option<Vec<u8>>)>;

/// The state an operation is applied to: the latest files, and what git knows.
pub trait Snapshot {
    /// A store file (a missing file reads as empty).
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>>;
    /// todo.txt, parsed. A store may hand out a cached copy instead of reading it.
    fn todo(&self) -> Result<TodoFile, OperationError> {
        match self.cached_todo() {
            Some(todo) => Ok(todo),
            None => self.read(TODO).map(TodoFile::parse).map_err(OperationError::Io),
        }
    }
    /// todo.txt parsed already, when a store keeps a copy of what the file holds
    /// (taken: the caller edits it); `None` when it would have to be read.
    fn cached_todo(&self) -> Option<TodoFile> {
        None
    }
    /// calendar.txt, parsed.
    fn calendar(&self) -> Result<CalendarFile, OperationError> {
        self.read(CALENDAR)
            .map(CalendarFile::parse)
            .map_err(OperationError::Io)
    }
    /// The files `commit` changed, as they are once that commit is reverted on top of
    /// the current state (`None`: deleted). Fails when later changes conflict.
    fn revert(&self, commit: &str) -> Result<FileChanges, OperationError>;
    /// The commit that recorded operation `id`, if it is in the current history.
    fn commit_of(&self, operation_id: &str) -> Option<String>;
    /// Whether store path `path` may be written. By default its words alone decide
    /// (no absolute path, no `..`, nothing in `.git`); a store also looks at links.
    fn allowed(&self, path: &str) -> Result<(), OperationError> {
        super::paths::lexical(path)
            .map(|_| ())
            .map_err(|error| OperationError::Invalid(error.to_string()))
    }
}

/// A change to the store, as the person meant it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Operation {
    /// Append this task line to todo.txt.
    AddTask { line: String },
    /// Mark done, on `on`, the open task whose line reads exactly `line`; a recurring
    /// task's next occurrence is added at the end.
    CompleteTask { line: String, on: NaiveDate },
    /// Replace the task whose line reads exactly `line` with `new_line`.
    UpdateTask { line: String, new_line: String },
    /// Remove the task whose line reads exactly `line`.
    DeleteTask { line: String },
    /// Move every done task from todo.txt to the end of done.txt.
    Archive,
    /// Add an event to calendar.txt on `date`, from `start` to `end` (`HH:MM`), at
    /// its place among the day's events; the day line is created when missing.
    AddEvent {
        date: NaiveDate,
        start: Option<String>,
        end: Option<String>,
        text: String,
    },
    /// Revert an earlier change: the commit of operation `operation_id` when it has one
    /// (its hash changes when it is replayed), else `commit`.
    Undo {
        commit: String,
        operation_id: Option<String>,
        subject: String,
    },
    /// Append this project (goal) line to projects.txt (goals.txt); its `+slug` must
    /// still be unused in both files.
    AddProject { list: ProjectList, line: String },
    /// Set the status of the project (goal) `slug` to `status` on `on`: done also
    /// marks the line `x on`, another status removes that mark.
    SetProjectStatus {
        list: ProjectList,
        slug: String,
        status: String,
        on: NaiveDate,
    },
    /// Change the project (goal) `slug` on `on`: its status (done also marks the line
    /// `x on`), `key:value` tags set, `+word`/`@word` added; the rest of its line stays.
    EditProject {
        list: ProjectList,
        slug: String,
        status: Option<String>,
        set: Vec<(String, String)>,
        add: Vec<String>,
        on: NaiveDate,
    },
    /// Append this entry (`YYYY-MM-DD HH:MM NAME: text`) to log.txt.
    AppendLog { line: String },
    /// Append this reading (`YYYY-MM-DD key:value …`) to kpi.txt.
    AddReading { line: String },
    /// Append this line to working-memory.txt; with `keep`, the file keeps its last
    /// `keep` lines and the older ones move to `notes/working-memory/YYYY-MM.md` by
    /// month (the line is then dated: `YYYY-MM-DD HH:MM NAME: text`).
    AppendMemory {
        line: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keep: Option<usize>,
    },
    /// Apply `operation` and, in the same commit, append `line` to working-memory.txt
    /// as [`Operation::AppendMemory`] does: a significant action and what working
    /// memory says of it. When the action no longer applies, neither does the line.
    Remembered {
        operation: Box<Operation>,
        line: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keep: Option<usize>,
    },
    /// Replace the whole content of the store file `path` (created when missing) with
    /// `content`, if the file still has the content whose [`content_hash`] is `base`.
    WriteFile {
        path: String,
        content: String,
        base: String,
    },
    /// Append `text` to the store file `path` (created when missing), on a line of its
    /// own, ending with a newline; never to one of the [`MANAGED`] files.
    AppendFile { path: String, text: String },
    /// Complete or edit several tasks ([`Operation::CompleteTask`],
    /// [`Operation::UpdateTask`]) as one change, each on todo.txt as the ones before
    /// left it: if one no longer applies, none does.
    Bulk { operations: Vec<Operation> },
}

/// Why an operation could not be applied; nothing was changed.
#[derive(Debug)]
pub enum OperationError {
    /// Its target is gone or changed (typically edited elsewhere meanwhile).
    NoLongerApplies(String),
    /// The request itself is not valid.
    Invalid(String),
    Io(std::io::Error),
}

impl fmt::Display for OperationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OperationError::NoLongerApplies(why) | OperationError::Invalid(why) => f.write_str(why),
            OperationError::Io(err) => write!(f, "reading the store: {err}"),
        }
    }
}

impl std::error::Error for OperationError {}

/// What applying an operation produced: new contents for some store files.
#[derive(Debug, Clone)]
pub struct Change {
    /// Store-relative paths and their new content.
    pub files: FileChanges,
    /// One line saying what changed, for the commit message.
    pub summary: String,
    /// The new todo.txt, parsed, when the operation rewrote it (for the store's cache).
    pub todo: Option<TodoFile>,
    /// The operation's task had been reworded meanwhile: the line it was applied to.
    pub retargeted: Option<String>,
}

impl Change {
    /// A change that rewrites todo.txt as `todo`.
    fn todo(todo: TodoFile, summary: String) -> Change {
        Change {
            files: vec![(TODO.to_string(), Some(todo.to_bytes()))],
            summary,
            todo: Some(todo),
            retargeted: None,
        }
    }

    fn retargeted(mut self, line: Option<String>) -> Change {
        self.retargeted = line;
        self
    }
}

impl Operation {
    /// Applies the operation to `snapshot`.
    pub fn apply(&self, snapshot: &dyn Snapshot) -> Result<Change, OperationError> {
        self.check_new_text()?;
        match self {
            Operation::AddTask { line } => {
                let task = Task::parse(line);
                if task.description().is_empty() || line.contains(['\n', '\r']) {
                    return Err(OperationError::Invalid(
                        "a task needs some text, on one line".to_string(),
                    ));
                }
                let summary = subject("Add task", task.description());
                let Some(mut todo) = snapshot.cached_todo() else {
                    // Appended to the file's bytes: a new line needs none of the others parsed.
                    let bytes = snapshot.read(TODO).map_err(OperationError::Io)?;
                    return Ok(Change {
                        files: vec![(
                            TODO.to_string(),
                            Some(TodoFile::appended(bytes, &TodoLine::Task(task))),
                        )],
                        summary,
                        todo: None,
                        retargeted: None,
                    });
                };
                todo.push(TodoLine::Task(task));
                Ok(Change::todo(todo, summary))
            }
            Operation::CompleteTask { line, on } => {
                let mut todo = snapshot.todo()?;
                let (index, task, reworded) = find_open(&todo, line)?;
                // A recurring task's next occurrence reads as the task reworded: when
                // the task itself is done already, completing it again would complete
                // the next one.
                if reworded.is_some() && done_already(snapshot, &todo, line)? {
                    return Err(OperationError::NoLongerApplies(format!(
                        "the task \"{line}\" is already done (completed meanwhile)"
                    )));
                }
                let next = myorg_domain::recurrence::next_occurrence(&task, *on);
                let summary = match next
                    .as_ref()
                    .and_then(|next| next.due().or_else(|| next.threshold()))
                {
                    Some(date) => subject(&format!("Complete task, again on {date}"), task.description()),
                    None => subject("Complete task", task.description()),
                };
                let mut done = task;
                done.complete(*on);
                todo.replace(index, TodoLine::Task(done));
                if let Some(next) = next {
                    todo.push(TodoLine::Task(next));
                }
                Ok(Change::todo(todo, summary).retargeted(reworded))
            }
            Operation::UpdateTask { line, new_line } => {
                let task = Task::parse(new_line);
                if task.description().is_empty() || new_line.contains(['\n', '\r']) {
                    return Err(OperationError::Invalid(
                        "a task needs some text, on one line".to_string(),
                    ));
                }
                let mut todo = snapshot.todo()?;
                let (index, target, reworded) = find_any(&todo, line)?;
                let task = match &reworded {
                    None => task,
                    Some(_) => myorg_domain::reworded::carry_edit(&Task::parse(line), &task, &target)
                        .ok_or_else(|| {
                            OperationError::NoLongerApplies(format!(
                                "the task \"{line}\" was reworded meanwhile (now \"{}\"), and this edit changes its words too",
                                target.render()
                            ))
                        })?,
                };
                // The edit is there already (made twice, or by someone else meanwhile).
                if reworded.is_some() && task.render() == target.render() {
                    return Err(OperationError::NoLongerApplies(format!(
                        "the task \"{line}\" already reads \"{}\" (edited meanwhile)",
                        target.render()
                    )));
                }
                let summary = subject("Edit task", task.description());
                todo.replace(index, TodoLine::Task(task));
                Ok(Change::todo(todo, summary).retargeted(reworded))
            }
            Operation::DeleteTask { line } => {
                // Only the very line the person saw and confirmed is deleted: a task
                // changed meanwhile, even a little, is not what they agreed to lose.
                let mut todo = snapshot.todo()?;
                let (index, task) = find_exact(&todo, line)?;
                todo.remove(index);
                Ok(Change::todo(todo, subject("Delete task", task.description())))
            }
            Operation::Archive => {
                let mut todo = snapshot.todo()?;
                let done_lines: Vec<usize> = todo
                    .tasks()
                    .filter(|(_, task)| task.is_done())
                    .map(|(index, _)| index)
                    .collect();
                if done_lines.is_empty() {
                    return Err(OperationError::NoLongerApplies(
                        "there are no done tasks to archive".to_string(),
                    ));
                }
                // The lines move as they are written, byte for byte.
                let mut archive = snapshot.read(DONE).map_err(OperationError::Io)?;
                let ending = TodoFile::parse(archive.as_slice()).usual_ending().as_bytes();
                if !archive.is_empty() && !archive.ends_with(b"\n") {
                    archive.extend_from_slice(ending);
                }
                for &index in &done_lines {
                    archive.extend_from_slice(todo.raw(index).unwrap_or_default());
                    archive.extend_from_slice(ending);
                }
                for &index in done_lines.iter().rev() {
                    todo.remove(index);
                }
                let count = done_lines.len();
                let summary = format!("Archive {count} done task{}", if count == 1 { "" } else { "s" });
                let mut change = Change::todo(todo, summary);
                change.files.push((DONE.to_string(), Some(archive)));
                Ok(change)
            }
            Operation::AddEvent {
                date,
                start,
                end,
                text,
            } => {
                let time = |value: &Option<String>| {
                    value
                        .as_deref()
                        .map(|text| {
                            calendar::clock(text).ok_or_else(|| {
                                OperationError::Invalid(
                                    calendar::EventError::BadTime(text.to_string()).to_string(),
                                )
                            })
                        })
                        .transpose()
                };
                let event = NewEvent::new(*date, time(start)?, time(end)?, text)
                    .map_err(|error| OperationError::Invalid(error.to_string()))?;
                let mut file = snapshot.calendar()?;
                calendar::add_event(&mut file, &event);
                Ok(Change {
                    files: vec![(CALENDAR.to_string(), Some(file.to_bytes()))],
                    summary: subject("Add event", &event.to_string()),
                    todo: None,
                    retargeted: None,
                })
            }
            Operation::Undo {
                commit,
                operation_id,
                subject: what,
            } => {
                let target = match operation_id {
                    Some(id) => snapshot.commit_of(id).ok_or_else(|| {
                        OperationError::NoLongerApplies(format!(
                            "\"{what}\" is no longer in the history to undo"
                        ))
                    })?,
                    None => commit.clone(),
                };
                Ok(Change {
                    files: snapshot.revert(&target)?,
                    summary: subject("Undo", what),
                    todo: None,
                    retargeted: None,
                })
            }
            Operation::AddProject { list, line } => projects::add(snapshot, *list, line),
            Operation::SetProjectStatus {
                list,
                slug,
                status,
                on,
            } => projects::set_status(snapshot, *list, slug, status, *on),
            Operation::EditProject {
                list,
                slug,
                status,
                set,
                add,
                on,
            } => projects::edit(snapshot, *list, slug, status.as_deref(), set, add, *on),
            Operation::AppendLog { line } => projects::append_log(snapshot, line),
            Operation::AddReading { line } => kpi::add_reading(snapshot, line),
            Operation::AppendMemory { line, keep } => memory::append(snapshot, line, *keep),
            Operation::Remembered {
                operation,
                line,
                keep,
            } => memory::remembered(snapshot, operation, line, *keep),
            Operation::WriteFile { path, content, base } => files::write(snapshot, path, content, base),
            Operation::AppendFile { path, text } => files::append(snapshot, path, text),
            Operation::Bulk { operations } => bulk::apply(snapshot, operations),
        }
    }
}

impl Operation {
    /// Refuses new text holding a NUL or another control character (TAB and line
    /// breaks aside: each operation says itself where a line break is wrong): a
    /// plain-text file should not hold them, and they are invisible to the person.
    /// Text an operation only carries over from an existing line (an edit of its due
    /// date) may keep the ones that line has.
    fn check_new_text(&self) -> Result<(), OperationError> {
        let words;
        let (new, old) = match self {
            Operation::AddTask { line }
            | Operation::AddProject { line, .. }
            | Operation::AppendLog { line }
            | Operation::AddReading { line }
            | Operation::AppendMemory { line, .. } => (line, ""),
            Operation::Remembered { operation, line, .. } => {
                operation.check_new_text()?;
                (line, "")
            }
            Operation::Bulk { operations } => {
                return operations.iter().try_for_each(Operation::check_new_text);
            }
            Operation::UpdateTask { line, new_line } => (new_line, line.as_str()),
            Operation::AddEvent { text, .. } | Operation::AppendFile { text, .. } => (text, ""),
            Operation::WriteFile { content, .. } => (content, ""),
            Operation::EditProject { set, add, .. } => {
                words = set
                    .iter()
                    .flat_map(|(key, value)| [key, value])
                    .chain(add)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" ");
                (&words, "")
            }
            Operation::CompleteTask { .. }
            | Operation::DeleteTask { .. }
            | Operation::Archive
            | Operation::Undo { .. }
            | Operation::SetProjectStatus { .. } => return Ok(()),
        };
        let refused = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
        let count = |text: &str, c: char| text.chars().filter(|&d| d == c).count();
        match new.chars().find(|&c| refused(c) && count(new, c) > count(old, c)) {
            Some(c) => Err(OperationError::Invalid(format!(
                "the text holds an invisible control character (U+{:04X}), which a plain-text \
                 file must not get; nothing was changed",
                c as u32
            ))),
            None => Ok(()),
        }
    }

    /// Its kind, as the journal names it (`add_task`, `undo`…): what a log says of it,
    /// since the rest may hold a person's words.
    pub fn kind(&self) -> &'static str {
        match self {
            Operation::AddTask { .. } => "add_task",
            Operation::CompleteTask { .. } => "complete_task",
            Operation::UpdateTask { .. } => "update_task",
            Operation::DeleteTask { .. } => "delete_task",
            Operation::Archive => "archive",
            Operation::AddEvent { .. } => "add_event",
            Operation::Undo { .. } => "undo",
            Operation::AddProject { .. } => "add_project",
            Operation::SetProjectStatus { .. } => "set_project_status",
            Operation::EditProject { .. } => "edit_project",
            Operation::AppendLog { .. } => "append_log",
            Operation::AddReading { .. } => "add_reading",
            Operation::AppendMemory { .. } => "append_memory",
            Operation::Remembered { .. } => "remembered",
            Operation::WriteFile { .. } => "write_file",
            Operation::AppendFile { .. } => "append_file",
            Operation::Bulk { .. } => "bulk",
        }
    }

    /// What the operation was meant to do, in a line a person reads (for a change
    /// that could not be applied, when there is no commit to name it).
    pub fn intent(&self) -> String {
        match self {
            Operation::AddTask { line } => format!("Add task: {line}"),
            Operation::CompleteTask { line, on } => format!("Complete task on {on}: {line}"),
            Operation::UpdateTask { line, new_line } => format!("Edit task: {line} → {new_line}"),
            Operation::DeleteTask { line } => format!("Delete task: {line}"),
            Operation::Archive => "Archive the done tasks".to_string(),
            Operation::AddEvent {
                date,
                start,
                end,
                text,
            } => {
                let time = match (start, end) {
                    (Some(start), Some(end)) => format!(" {start}-{end}"),
                    (Some(start), None) => format!(" {start}"),
                    _ => String::new(),
                };
                format!("Add event: {date}{time} {text}")
            }
            Operation::Undo { subject, .. } => format!("Undo: {subject}"),
            Operation::AddProject { list, line } => format!("Add to {}: {line}", list.path()),
            Operation::SetProjectStatus { slug, status, .. } => format!("Set +{slug} to {status}"),
            Operation::EditProject {
                slug,
                status,
                set,
                add,
                ..
            } => {
                let words: Vec<String> = status
                    .iter()
                    .map(|status| format!("status:{status}"))
                    .chain(set.iter().map(|(key, value)| format!("{key}:{value}")))
                    .chain(add.iter().cloned())
                    .collect();
                format!("Edit +{slug}: {}", words.join(" "))
            }
            Operation::AppendLog { line } => format!("Note: {line}"),
            Operation::AddReading { line } => format!("Figures: {line}"),
            Operation::AppendMemory { line, .. } => format!("Working memory: {line}"),
            Operation::Remembered { operation, .. } => operation.intent(),
            Operation::WriteFile { path, .. } => format!("Write {path}"),
            Operation::AppendFile { path, text } => format!("Append to {path}: {text}"),
            Operation::Bulk { operations } => {
                let each: Vec<String> = operations.iter().map(Operation::intent).collect();
                format!("{} tasks at once: {}", operations.len(), each.join("; "))
            }
        }
    }

    /// The operation that adds `event` to calendar.txt.
    pub fn add_event(event: &NewEvent) -> Operation {
        Operation::AddEvent {
            date: event.date(),
            start: event.start().map(|time| time.to_string()),
            end: event.end().map(|time| time.to_string()),
            text: event.text().to_string(),
        }
    }
}

/// A task found for an operation: its index, the task, and (when it was reworded
/// meanwhile) the line it has now.
type Found = (usize, Task, Option<String>);

/// The open task whose line reads exactly `line`, or that task reworded.
fn find_open(todo: &TodoFile, line: &str) -> Result<Found, OperationError> {
    find(todo, line, false)
}

/// The task (open or done) whose line reads exactly `line`, or that task reworded.
fn find_any(todo: &TodoFile, line: &str) -> Result<Found, OperationError> {
    find(todo, line, true)
}

fn find(todo: &TodoFile, line: &str, done_too: bool) -> Result<Found, OperationError> {
    let exact = todo.tasks().find(|(index, task)| {
        (done_too || !task.is_done()) && todo.text(*index).is_some_and(|text| text == line)
    });
    if let Some((index, task)) = exact {
        return Ok((index, task.clone(), None));
    }
    match myorg_domain::reworded::find(todo, &Task::parse(line), done_too) {
        Some((index, task)) => {
            let now = todo.text(index).map(|text| text.into_owned()).unwrap_or_default();
            Ok((index, task, Some(now)))
        }
        None => Err(gone(line)),
    }
}

/// Whether the task of `line` is done in todo.txt or done.txt: a done task with its
/// words (spacing aside) and creation date.
fn done_already(snapshot: &dyn Snapshot, todo: &TodoFile, line: &str) -> Result<bool, OperationError> {
    let original = Task::parse(line);
    let words = myorg_domain::reference::reference(&original);
    let is_it = |task: &Task| {
        task.is_done()
            && task.created() == original.created()
            && myorg_domain::reference::reference(task) == words
    };
    if todo.tasks().any(|(_, task)| is_it(task)) {
        return Ok(true);
    }
    let done = TodoFile::parse(snapshot.read(DONE).map_err(OperationError::Io)?);
    Ok(done.tasks().any(|(_, task)| is_it(task)))
}

/// The task (open or done) whose line reads exactly `line`, and no other.
fn find_exact(todo: &TodoFile, line: &str) -> Result<(usize, Task), OperationError> {
    todo.tasks()
        .find(|(index, _)| todo.text(*index).is_some_and(|text| text == line))
        .map(|(index, task)| (index, task.clone()))
        .ok_or_else(|| gone(line))
}

fn gone(line: &str) -> OperationError {
    OperationError::NoLongerApplies(format!(
        "the task \"{line}\" is no longer in todo.txt as it was (changed, completed or removed meanwhile)"
    ))
}

/// `Verb: text`, cut to a readable commit subject.
fn subject(verb: &str, text: &str) -> String {
    const MAX: usize = 72;
    let mut subject = format!("{verb}: {text}");
    if subject.chars().count() > MAX {
        subject = subject.chars().take(MAX - 1).collect::<String>() + "…";
    }
    subject
}

/// A store for the operations' tests: every file reads as the same text, and there
/// is no history.
#[cfg(test)]
struct OneText(&'static str);

#[cfg(test)]
impl Snapshot for OneText {
    fn read(&self, _: &str) -> std::io::Result<Vec<u8>> {
        Ok(self.0.as_bytes().to_vec())
    }
    fn revert(&self, _: &str) -> Result<FileChanges, OperationError> {
        Err(OperationError::NoLongerApplies("no history".into()))
    }
    fn commit_of(&self, _: &str) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A todo.txt and a git history that knows one operation, `op-1`, at commit `abc`.
    struct Files(&'static str);

    impl Snapshot for Files {
        fn read(&self, _: &str) -> std::io::Result<Vec<u8>> {
            Ok(self.0.as_bytes().to_vec())
        }
        fn revert(&self, commit: &str) -> Result<FileChanges, OperationError> {
            match commit {
                "abc" => Ok(vec![(TODO.to_string(), Some(b"reverted\n".to_vec()))]),
                _ => Err(OperationError::NoLongerApplies(format!("no commit {commit}"))),
            }
        }
        fn commit_of(&self, operation_id: &str) -> Option<String> {
            (operation_id == "op-1").then(|| "abc".to_string())
        }
    }

    fn written(change: &Change) -> &[u8] {
        change.files[0].1.as_deref().unwrap()
    }

    #[test]
    fn adding_appends_one_line_and_keeps_the_rest() {
        let op = Operation::AddTask {
            line: "2026-11-22 Call Mum +family".into(),
        };
        let change = op.apply(&Files("(A) first\r\n  odd line")).unwrap();
        assert_eq!(
            written(&change),
            b"(A) first\r\n  odd line\r\n2026-11-22 Call Mum +family"
        );
        assert_eq!(change.summary, "Add task: Call Mum +family");
    }

    #[test]
    fn completing_targets_the_exact_line_or_says_it_no_longer_applies() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let op = Operation::CompleteTask {
            line: "(B) 2026-11-01 Pay rent".into(),
            on,
        };
        let change = op.apply(&Files("a\n(B) 2026-11-01 Pay rent\n")).unwrap();
        assert_eq!(written(&change), b"a\nx 2026-11-22 2026-11-01 Pay rent pri:B\n");
        let gone = op
            .apply(&Files("a\n(B) 2026-11-01 Pay rent +edited\n"))
            .unwrap_err();
        assert!(matches!(gone, OperationError::NoLongerApplies(_)), "{gone}");
    }

    #[test]
    fn update_delete_and_archive_target_exact_lines() {
        let file = "a\n(B) Pay rent\nx 2026-11-20 Old\r\nb\n";
        let update = Operation::UpdateTask {
            line: "(B) Pay rent".into(),
            new_line: "(A) Pay rent due:2026-11-30".into(),
        };
        let change = update.apply(&Files(file)).unwrap();
        assert_eq!(
            written(&change),
            b"a\n(A) Pay rent due:2026-11-30\nx 2026-11-20 Old\r\nb\n"
        );
        let two_lines = Operation::UpdateTask {
            line: "(B) Pay rent".into(),
            new_line: "one\ntwo".into(),
        };
        assert!(matches!(
            two_lines.apply(&Files(file)),
            Err(OperationError::Invalid(_))
        ));

        let delete = Operation::DeleteTask {
            line: "(B) Pay rent".into(),
        };
        assert_eq!(
            written(&delete.apply(&Files(file)).unwrap()),
            b"a\nx 2026-11-20 Old\r\nb\n"
        );
        let gone = Operation::DeleteTask {
            line: "(B) Pay rent +x".into(),
        };
        assert!(matches!(
            gone.apply(&Files(file)),
            Err(OperationError::NoLongerApplies(_))
        ));

        let archived = Operation::Archive.apply(&Files(file)).unwrap();
        assert_eq!(archived.summary, "Archive 1 done task");
        assert_eq!(written(&archived), b"a\n(B) Pay rent\nb\n");
        // done.txt reads as the same fake file here; the done line is appended to it.
        let (path, contents) = &archived.files[1];
        assert_eq!(path, DONE);
        assert!(contents.as_deref().unwrap().ends_with(b"b\nx 2026-11-20 Old\n"));
        assert!(matches!(
            Operation::Archive.apply(&Files("a\n")),
            Err(OperationError::NoLongerApplies(_))
        ));
    }

    #[test]
    fn completing_a_recurring_task_appends_the_next_one() {
        let op = Operation::CompleteTask {
            line: "2026-11-01 Water plants due:2026-11-22 rec:+1w".into(),
            on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        };
        let change = op
            .apply(&Files("2026-11-01 Water plants due:2026-11-22 rec:+1w\nother\n"))
            .unwrap();
        assert_eq!(
            written(&change),
            b"x 2026-11-23 2026-11-01 Water plants due:2026-11-22 rec:+1w\nother\n2026-11-23 Water plants due:2026-11-29 rec:+1w\n"
        );
        assert_eq!(
            change.summary,
            "Complete task, again on 2026-11-29: Water plants due:2026-11-22 rec:+1w"
        );
    }

    #[test]
    fn an_empty_task_is_refused() {
        let op = Operation::AddTask { line: "(A) ".into() };
        assert!(matches!(op.apply(&Files("")), Err(OperationError::Invalid(_))));
    }

    #[test]
    fn adding_an_event_replays_its_intent_on_a_newer_calendar() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let event = myorg_domain::calendar::parse_event_on(date, "14:30-15 dentist").unwrap();
        let op = Operation::add_event(&event);
        assert_eq!(
            op,
            Operation::AddEvent {
                date,
                start: Some("14:30".into()),
                end: Some("15:00".into()),
                text: "dentist".into()
            }
        );
        // As recorded, and on a calendar.txt that changed meanwhile (the day line
        // written by hand, with another event): the event lands at its time in both.
        let change = op
            .apply(&Files("2026-11-23 w48 Mon  9 x\r\n2026-11-25 w48 Wed\r\n"))
            .unwrap();
        assert_eq!(change.summary, "Add event: 2026-11-24 14:30-15 dentist");
        assert_eq!(change.files[0].0, CALENDAR);
        assert!(change.todo.is_none());
        assert_eq!(
            written(&change),
            b"2026-11-23 w48 Mon  9 x\r\n2026-11-24 w48 Tue  14:30-15 dentist\r\n2026-11-25 w48 Wed\r\n"
        );
        let newer = op
            .apply(&Files("2026-11-24 w48 Tue  11-12 interview 18:30-20 yoga\n"))
            .unwrap();
        assert_eq!(
            written(&newer),
            b"2026-11-24 w48 Tue  11-12 interview 14:30-15 dentist 18:30-20 yoga\n"
        );
        // The journal's form.
        let json = serde_json::to_string(&op).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"add_event","date":"2026-11-24","start":"14:30","end":"15:00","text":"dentist"}"#
        );
        assert_eq!(serde_json::from_str::<Operation>(&json).unwrap(), op);
    }

    #[test]
    fn each_kind_is_the_journal_s_name_of_it() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let line = || "x".to_string();
        let all = [
            Operation::AddTask { line: line() },
            Operation::CompleteTask { line: line(), on },
            Operation::UpdateTask {
                line: line(),
                new_line: line(),
            },
            Operation::DeleteTask { line: line() },
            Operation::Archive,
            Operation::AddEvent {
                date: on,
                start: None,
                end: None,
                text: line(),
            },
            Operation::Undo {
                commit: line(),
                operation_id: None,
                subject: line(),
            },
            Operation::AddProject {
                list: ProjectList::Goals,
                line: line(),
            },
            Operation::SetProjectStatus {
                list: ProjectList::Projects,
                slug: line(),
                status: line(),
                on,
            },
            Operation::EditProject {
                list: ProjectList::Projects,
                slug: line(),
                status: None,
                set: vec![(line(), line())],
                add: vec![line()],
                on,
            },
            Operation::AppendLog { line: line() },
            Operation::AddReading { line: line() },
            Operation::AppendMemory {
                line: line(),
                keep: Some(1),
            },
            Operation::Remembered {
                operation: Box::new(Operation::Archive),
                line: line(),
                keep: None,
            },
            Operation::WriteFile {
                path: line(),
                content: line(),
                base: line(),
            },
            Operation::AppendFile {
                path: line(),
                text: line(),
            },
            Operation::Bulk {
                operations: vec![Operation::CompleteTask { line: line(), on }],
            },
        ];
        for operation in all {
            let json = serde_json::to_value(&operation).unwrap();
            assert_eq!(json["kind"], operation.kind(), "{operation:?}");
        }
    }

    #[test]
    fn an_invalid_event_is_refused() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        for (start, end, text) in [
            (Some("25:00"), None, "x"),
            (Some("noon"), None, "x"),
            (Some("16:00"), Some("15:00"), "x"),
            (None, Some("15:00"), "x"),
            (None, None, " "),
            (Some("9:00"), None, "two\nlines"),
        ] {
            let op = Operation::AddEvent {
                date,
                start: start.map(String::from),
                end: end.map(String::from),
                text: text.into(),
            };
            assert!(
                matches!(op.apply(&Files("")), Err(OperationError::Invalid(_))),
                "{op:?}"
            );
        }
    }

    #[test]
    fn undo_follows_the_operation_to_its_current_commit() {
        let undo = Operation::Undo {
            commit: "old-hash".into(),
            operation_id: Some("op-1".into()),
            subject: "Add task: x".into(),
        };
        let change = undo.apply(&Files("")).unwrap();
        assert_eq!(change.summary, "Undo: Add task: x");
        assert_eq!(
            change.files,
            vec![(TODO.to_string(), Some(b"reverted\n".to_vec()))]
        );
        let gone = Operation::Undo {
            commit: "old-hash".into(),
            operation_id: Some("op-2".into()),
            subject: "y".into(),
        };
        assert!(matches!(
            gone.apply(&Files("")),
            Err(OperationError::NoLongerApplies(_))
        ));
    }
}
