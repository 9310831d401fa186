//! The in-process schedule of `myorg run` (`scheduler.mode = "in-process"`, the
//! default): the job table from the configuration ([`table`]), the pure decision of
//! what is due between two instants ([`due`]), the ticks that apply it ([`ticker`]),
//! and the [`Scheduler`] task that runs what is due through the same path as
//! `POST /trigger/JOB`. With `scheduler.mode = "external"` none of this runs: CronJobs
//! call the trigger instead, so no job runs twice.

pub mod due;
pub mod scheduler;
pub mod table;
pub mod ticker;

pub use scheduler::Scheduler;
pub use table::{Due, Entry, Schedule, default_jobs};
pub use ticker::{Reload, Ticker};
