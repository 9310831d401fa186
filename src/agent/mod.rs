//! The LLM agent: free-form chat turned into tool calls over the store, with
//! provider routing, a daily budget, a usage ledger and per-person memory.

pub mod confirm;
pub mod memory;
pub mod prompt;
pub mod route;
pub mod usage;
