//! What the assistant does with a store: pure operations over parsed documents, with
//! today's date (in the store's timezone) passed in. No I/O, no clock, no async; the
//! store and the front ends call in here.
//!
//! - [`when`]: the date language ("tomorrow", "fri", "in 2 weeks", "dec 5").
//! - [`fields`]: a task built or edited from fields (dates in words, owners by name).
//! - [`calendar`]: adding events to calendar.txt, events of a range, today and the agenda.
//! - [`context`]: where a person is (`@phone`, `@computer`…) inferred from the calendar and the hours.
//! - [`recurrence`]: the next task when a recurring one is completed.
//! - [`reference`](mod@reference): short, stable task references.
//! - [`reworded`]: the same task after someone reworded it, and carrying an edit over.
//! - [`search`]: filters and the urgency order.
//! - [`waiting`]: waiting-for items and when they go stale.
//! - [`people`]: the team, and who `owner:` names.
//! - [`suggest`]: what to do next, and why.
//! - [`reminders`]: what to remind whom of, once, outside quiet hours.
//! - [`projects`]: projects and goals by status, progress, new lines, status changes.
//! - [`notes`]: log.txt and working-memory.txt lines (notes, updates, links).
//! - [`memory`]: what significant actions leave in working-memory.txt, and its rollover
//!   to `notes/working-memory/YYYY-MM.md`.
//! - [`kpi`]: figures from kpi.txt: series, the latest values and their change.
//! - [`goals`]: quarters of goals, the telos.md section a goal serves, what moved goals in a week.
//! - [`github`]: the state, projects and tasks a GitHub pull request event names.
//! - [`plan`]: the quarter plan: initiatives of a quarter, their updates and pull requests.
//! - [`files`]: a store file read in pieces, and the preview of a write.
//! - [`digest`]: the team digest: each person's week, what is blocked, the projects and figures.
//! - [`briefing`]: the morning briefing, the evening summary and the weekly review.
//! - [`review`]: the weekly review walked step by step: its steps and the answers to them.

pub mod briefing;
pub mod calendar;
pub mod context;
pub mod digest;
pub mod escalation;
pub mod fields;
pub mod files;
pub mod github;
pub mod goals;
pub mod kpi;
pub mod memory;
pub mod notes;
pub mod people;
pub mod plan;
pub mod projects;
pub mod recurrence;
pub mod reference;
pub mod reminders;
pub mod review;
pub mod reworded;
pub mod search;
pub mod suggest;
pub mod waiting;
pub mod when;
