//! Lossless parsers and serializers for the files of a MyOrg store.
//!
//! Every format is read line by line into a [`Document`], which keeps the raw bytes
//! of each line: serializing an unmodified document gives back its input byte for
//! byte, whatever the input was (CRLF, tabs, odd spacing, a byte-order mark, no final
//! newline, invalid UTF-8). A line that is replaced or inserted is written in the
//! canonical form of its format.
//!
//! Parsing never fails and never panics: a line that does not fit its grammar becomes
//! an item that says so, and [`Document::diagnostics`] lists every problem with its
//! line number.
//!
//! This crate is pure: no I/O, no clock, no async. Dates are [`chrono::NaiveDate`].
//!
//! ```
//! use myorg_parsers::{TodoFile, TodoLine};
//!
//! let text = "(A) 2026-11-01 Call Mum +family due:2026-11-25\r\nodd   spacing  kept\r\n";
//! let mut todo = TodoFile::parse(text);
//! assert_eq!(todo.to_bytes(), text.as_bytes());
//!
//! let TodoLine::Task(mut task) = todo.get(0).unwrap().clone() else { unreachable!() };
//! assert_eq!(task.due().unwrap().to_string(), "2026-11-25");
//! task.complete(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
//! todo.replace(0, TodoLine::Task(task));
//! assert_eq!(
//!     todo.to_bytes(),
//!     b"x 2026-11-22 2026-11-01 Call Mum +family due:2026-11-25 pri:A\r\nodd   spacing  kept\r\n"
//! );
//! ```

pub mod calendar;
pub mod date;
pub mod diagnostic;
pub mod document;
pub mod kpi;
pub mod log;
pub mod projects;
mod text;
pub mod todo;
mod tokens;

pub use calendar::{CalendarFile, CalendarLine};
pub use diagnostic::Diagnostic;
pub use document::{Document, Ending, LineItem};
pub use kpi::{KpiFile, KpiLine, Number, Reading};
pub use log::{LogEntry, LogFile, LogLine};
pub use projects::{Project, ProjectLine, ProjectStatus, ProjectsFile, Quarter};

pub use todo::{Priority, Recurrence, RecurrenceUnit, Task, TodoFile, TodoLine};
