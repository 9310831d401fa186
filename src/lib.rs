//! MyOrg Assistant: a personal and team assistant over a git-backed plain-text store.
//!
//! The binary `myorg` is a thin shell over this library: [`cli`] defines the command
//! line and dispatches to [`commands`], one module per command.

pub mod agent;
pub mod app;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod discord;
pub mod http;
pub mod jobs;
pub mod llm;
pub mod logs;
pub mod mcp;
pub mod metrics;
pub mod redact;
pub mod reminders;
pub mod schedule;
pub mod server;
pub mod store;
pub mod validate;
pub mod web;
