//! One module per `myorg` command.

pub mod calendar;
pub mod parse;
pub mod store;
pub mod tasks;
pub mod waiting;
