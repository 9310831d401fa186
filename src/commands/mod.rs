//! One module per `myorg` command.

pub mod agenda;
pub mod agent;
mod background_watch;
pub mod briefing;
pub mod calendar;
pub mod chat;
pub mod context;
pub mod goals;
pub mod kpi;
pub mod mcp;
pub mod memory;
pub mod notes;
pub mod parse;
pub mod projects;
mod read;
pub mod remind;
pub mod review;
pub mod settings;
pub mod store;
pub mod suggest;
pub mod tasks;
pub mod tools;
pub mod tools_doc;
pub mod usage;
pub mod waiting;
pub mod web;
