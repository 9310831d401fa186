//! The calendar: add an event, the events of a range of days, today and the agenda
//! (each day's events with the open tasks due, and the overdue ones). What to show is
//! decided in the domain crate ([`myorg_domain::calendar`]); here the files are read,
//! the event written as the person asking, and the results are typed, with the text a
//! person reads of them (`myorg today` prints it, Discord's `/today` shows it) in
//! `calendar/text.rs`.

mod text;

use super::{Ctx, Error, Look, Result, tasks::with_notes};
use crate::store::operation::{CALENDAR, TODO};
use crate::store::{Operation, PushReport};
use chrono::{Datelike, NaiveDate};
use myorg_domain::calendar::{self, DatedEvent, EventError, NewEvent, TaskLine};
use myorg_domain::reference::References;
use myorg_domain::when::parse_when;
use myorg_parsers::calendar::header::{iso_week, weekday_name};
use myorg_parsers::{CalendarFile, Task, TodoFile};

pub use text::event_line;

/// The most days an agenda covers.
pub const AGENDA_MOST_DAYS: u32 = 366;

impl From<EventError> for Error {
    fn from(error: EventError) -> Error {
        Error::Invalid(error.to_string())
    }
}

/// An event to add.
#[derive(Debug, Clone)]
pub enum Event {
    /// `WHEN [TIME] TEXT` as the words of a command line (a first word of several
    /// words, quoted, that names a day is the whole day).
    Words(Vec<String>),
    /// Each part on its own: a day in words, a time (`HH:MM` or `HH:MM-HH:MM`; none
    /// for all day), and the text.
    Parts {
        date: String,
        time: Option<String>,
        text: String,
    },
}

/// An event written.
#[derive(Debug, Clone)]
pub struct EventAdded {
    /// The commit's subject: `Add event: 2026-11-27 14-15:30 Dentist`.
    pub summary: String,
    pub event: NewEvent,
    /// Its day's line as calendar.txt now holds it.
    pub day: Option<String>,
    /// For the person: a day in the past.
    pub notes: Vec<String>,
    pub push: PushReport,
}

impl EventAdded {
    /// What happened: the commit's subject and a `Note: …` line for each note.
    pub fn said(&self) -> String {
        with_notes(self.summary.clone(), &self.notes)
    }
}

/// Adds an event to its day in calendar.txt (the day line made when missing).
pub fn add_event(ctx: &Ctx, event: &Event) -> Result<EventAdded> {
    let today = ctx.now.date();
    let event = match event {
        Event::Words(words) => calendar::parse_event_words(words, today)?,
        Event::Parts { date, time, text } => {
            let date =
                parse_when(date, today).map_err(|error| Error::Invalid(format!("in date: {error}")))?;
            calendar::event_at(date, time.as_deref(), text)?
        }
    };
    let applied = ctx.store.apply(Operation::add_event(&event), &ctx.actor)?;
    // The event is written: its day is shown when it can be read back, never an error.
    let day = ctx.store.read(CALENDAR).ok().and_then(|bytes| {
        let written = CalendarFile::parse(bytes);
        let index = written.day_index(event.date())?;
        written.text(index).map(|line| line.into_owned())
    });
    let notes = if event.date() < today {
        vec![format!("{} is in the past", event.date())]
    } else {
        Vec::new()
    };
    Ok(EventAdded {
        summary: applied.summary,
        event,
        day,
        notes,
        push: applied.push,
    })
}

/// The days to list events of, as asked: a first and a last day in words, by default
/// the 7 days from today (from the first day when only it is given).
#[derive(Debug, Clone)]
pub struct Range {
    pub from: Option<String>,
    pub to: Option<String>,
    /// What the asker calls the two ends when one is wrong (`--from` and `--to` on
    /// the command line).
    pub names: (&'static str, &'static str),
    /// Whether one listing covers at most a year (what the model may ask for).
    pub at_most_a_year: bool,
}

impl Range {
    /// From `from` to `to`, called `from` and `to`, as long as asked.
    pub fn new(from: Option<String>, to: Option<String>) -> Range {
        Range {
            from,
            to,
            names: ("from", "to"),
            at_most_a_year: false,
        }
    }
}

/// The events of a range of days.
#[derive(Debug, Clone)]
pub struct Events {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// By day, then the untimed ones, then by start time.
    pub events: Vec<DatedEvent>,
}

/// The events of the days `range` names.
pub fn events(look: &Look, range: &Range) -> Result<Events> {
    let (from, to) = calendar::days_between(range.from.as_deref(), range.to.as_deref(), look.now.date())
        .map_err(|error| Error::Invalid(error.said(range.names.0, range.names.1)))?;
    if range.at_most_a_year && (to - from).num_days() > 366 {
        return Err(Error::Invalid("at most a year of events at a time".to_string()));
    }
    let file = CalendarFile::parse(look.files.read(CALENDAR)?);
    Ok(Events {
        from,
        to,
        events: calendar::events_between(&file, from, to),
    })
}

/// An open task due (or overdue): its reference at its shortest unique length, its
/// 0-based line index and its line as written.
#[derive(Debug, Clone)]
pub struct DueTask {
    pub reference: String,
    pub index: usize,
    pub line: String,
    pub task: Task,
}

/// One day: its events and the open tasks due then, with the goal of its week.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    pub week_goal: Option<String>,
    /// In time order, untimed first.
    pub events: Vec<DatedEvent>,
    /// Most urgent first.
    pub due: Vec<DueTask>,
}

impl Day {
    /// `Mon`.
    pub fn weekday(&self) -> &'static str {
        weekday_name(self.date.weekday())
    }

    /// Neither events nor tasks due.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.due.is_empty()
    }
}

/// Today: the asker's context now, its events, the tasks due and overdue, and the
/// notes of its week, month and year.
#[derive(Debug, Clone)]
pub struct Today {
    pub context: super::context::Current,
    pub day: Day,
    pub month_note: Option<String>,
    pub year_note: Option<String>,
    /// Open, visible tasks past their due date, most urgent first.
    pub overdue: Vec<DueTask>,
}

impl Today {
    /// The ISO week number.
    pub fn week(&self) -> u32 {
        iso_week(self.day.date)
    }
}

/// The coming days, every one (empty ones too).
#[derive(Debug, Clone)]
pub struct Agenda {
    pub days: Vec<Day>,
}

/// The asker's context, today's events, goal and tasks.
pub fn today(look: &Look) -> Result<Today> {
    let (calendar_file, todo) = read(look)?;
    let references = References::of(&todo);
    let today = calendar::today(&calendar_file, &todo, look.now.date());
    let due = |tasks: &[TaskLine<'_>]| due_tasks(&todo, &references, tasks);
    Ok(Today {
        context: super::context::current(look)?,
        day: Day {
            date: today.day.date,
            week_goal: today.week_goal,
            events: today.day.events,
            due: due(&today.day.due),
        },
        month_note: today.month_note,
        year_note: today.year_note,
        overdue: due(&today.overdue),
    })
}

/// The `days` days from today (at most [`AGENDA_MOST_DAYS`]): each with its events and
/// the open tasks due then.
pub fn agenda(look: &Look, days: u32) -> Result<Agenda> {
    days_from(look, look.now.date(), days)
}

/// The `days` days from `first` (at most [`AGENDA_MOST_DAYS`]): each with its events,
/// the open tasks due then and its week's goal (a month's grid, a week's view).
pub fn days_from(look: &Look, first: NaiveDate, days: u32) -> Result<Agenda> {
    if days > AGENDA_MOST_DAYS {
        return Err(Error::Invalid(format!(
            "at most {AGENDA_MOST_DAYS} days at a time, not {days}"
        )));
    }
    let (calendar_file, todo) = read(look)?;
    let references = References::of(&todo);
    let days = calendar::agenda(&calendar_file, &todo, first, days)
        .into_iter()
        .map(|day| Day {
            date: day.date,
            week_goal: calendar::week_goal(&calendar_file, day.date).map(str::to_string),
            due: due_tasks(&todo, &references, &day.due),
            events: day.events,
        })
        .collect();
    Ok(Agenda { days })
}

fn read(look: &Look) -> Result<(CalendarFile, TodoFile)> {
    Ok((
        CalendarFile::parse(look.files.read(CALENDAR)?),
        TodoFile::parse(look.files.read(TODO)?),
    ))
}

fn due_tasks(todo: &TodoFile, references: &References, tasks: &[TaskLine<'_>]) -> Vec<DueTask> {
    tasks
        .iter()
        .map(|TaskLine { index, task }| DueTask {
            reference: references.shown(task),
            index: *index,
            line: todo.text(*index).unwrap_or_default().to_string(),
            task: (*task).clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Files;
    use crate::config::Config;

    /// calendar.txt and todo.txt as given.
    struct Given(&'static str, &'static str);

    impl Files for Given {
        fn read(&self, path: &str) -> anyhow::Result<Vec<u8>> {
            Ok(match path {
                CALENDAR => self.0,
                TODO => self.1,
                _ => "",
            }
            .as_bytes()
            .to_vec())
        }
    }

    fn look<'a>(config: &'a Config, files: &'a Given, now: &str) -> Look<'a> {
        Look {
            config,
            files,
            handle: "ana",
            now: format!("{now}T08:00:00").parse().unwrap(),
        }
    }

    #[test]
    fn today_brings_the_days_events_goal_and_tasks_with_their_references() {
        let config = Config::default();
        let files = Given(
            "2026-11  Month\n2026-11-23 w48  Ship it\n2026-11-23 w48 Mon  14 dentist\n",
            "Pay rent due:2026-11-23\nOld bill due:2026-11-20\nx 2026-11-22 Done due:2026-11-23\n",
        );
        let today = today(&look(&config, &files, "2026-11-23")).unwrap();
        assert_eq!(today.week(), 48);
        assert_eq!(today.day.week_goal.as_deref(), Some("Ship it"));
        assert_eq!(today.month_note.as_deref(), Some("Month"));
        assert_eq!(today.day.events.len(), 1);
        let lines = |tasks: &[DueTask]| {
            tasks
                .iter()
                .map(|t| (t.index, t.line.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            lines(&today.day.due),
            [(0, "Pay rent due:2026-11-23".to_string())]
        );
        assert_eq!(
            lines(&today.overdue),
            [(1, "Old bill due:2026-11-20".to_string())]
        );
        let rent = &today.day.due[0];
        assert_eq!(rent.reference, myorg_domain::reference::short(&rent.task));
        assert!(
            today
                .said()
                .contains(&format!("Due today\n  {}  Pay rent", rent.reference))
        );
    }

    #[test]
    fn the_agenda_has_every_day_with_its_weeks_goal_and_refuses_too_many() {
        let config = Config::default();
        let files = Given(
            "2026-11-23 w48  Ship it\n2026-11-30 w49  Rest\n2026-11-30 w49 Mon  9 standup\n",
            "Call Ben due:2026-11-29\n",
        );
        let look = look(&config, &files, "2026-11-28");
        let agenda = agenda(&look, 3).unwrap();
        let days: Vec<(String, Option<&str>, usize, usize)> = agenda
            .days
            .iter()
            .map(|day| {
                (
                    day.date.to_string(),
                    day.week_goal.as_deref(),
                    day.events.len(),
                    day.due.len(),
                )
            })
            .collect();
        assert_eq!(
            days,
            [
                ("2026-11-28".to_string(), Some("Ship it"), 0, 0),
                ("2026-11-29".to_string(), Some("Ship it"), 0, 1),
                ("2026-11-30".to_string(), Some("Rest"), 1, 0),
            ]
        );
        let error = super::agenda(&look, AGENDA_MOST_DAYS + 1).unwrap_err();
        assert!(matches!(error, Error::Invalid(_)), "{error}");
        assert_eq!(
            super::agenda(&look, 0).unwrap().said(),
            "Nothing on the calendar.\n"
        );
    }

    #[test]
    fn events_of_a_range_name_its_ends_as_the_asker_does() {
        let config = Config::default();
        let files = Given("2026-11-27 w48 Fri  14-15:30 Dentist\n", "");
        let look = look(&config, &files, "2026-11-23");
        let week = events(&look, &Range::new(None, None)).unwrap();
        assert_eq!(
            (week.from.to_string(), week.to.to_string()),
            ("2026-11-23".into(), "2026-11-29".into())
        );
        assert_eq!(week.compact_lines(), ["Fri 2026-11-27 14:00-15:30 Dentist"]);
        let reversed = Range::new(Some("dec 5".into()), Some("dec 2".into()));
        let said = |range: &Range| events(&look, range).unwrap_err().to_string();
        assert_eq!(said(&reversed), "from 2026-12-05 is after to 2026-12-02");
        let named = Range {
            names: ("--from", "--to"),
            ..reversed
        };
        assert_eq!(said(&named), "--from 2026-12-05 is after --to 2026-12-02");
        let long = Range::new(None, Some("2027-11-25".into()));
        assert_eq!(events(&look, &long).unwrap().from.to_string(), "2026-11-23");
        let limited = |to: &str| Range {
            at_most_a_year: true,
            ..Range::new(None, Some(to.into()))
        };
        assert!(events(&look, &limited("2027-11-24")).is_ok());
        assert_eq!(said(&limited("2027-11-25")), "at most a year of events at a time");
    }
}
