//! One module per `myorg` command.

pub mod calendar;
pub mod parse;
pub mod remind;
pub mod store;
pub mod tasks;
pub mod waiting;
