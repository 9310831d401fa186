//! The LLM agent: free-form chat turned into tool calls over the store, with
//! provider routing, a daily budget, a usage ledger and per-person memory.
//!
//! - `tools`: the registry of tools the model may call (names, descriptions,
//!   argument schemas, handlers) and the application of confirmed changes.

pub mod confirm;
pub mod memory;
pub mod prompt;
pub mod route;
pub mod tools;
pub mod usage;
