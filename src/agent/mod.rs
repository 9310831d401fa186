//! The LLM agent: free-form chat turned into tool calls over the store, with
//! provider routing, a daily budget, a usage ledger and per-person memory.
//!
//! - `conversation`: the loop — [`conversation::Agent::ask`] answers one message.
//! - `tools`: the registry of tools the model may call (names, descriptions,
//!   argument schemas, handlers) and the application of confirmed changes.
//! - `route`: providers, tiers and the fallback order; `memory`: the last turns per
//!   channel and person; `prompt`: the system prompt; `confirm`: changes waiting for
//!   a person's confirmation. The usage ledger and the daily budget are
//!   [`crate::app::usage`]'s.

pub mod conversation;
pub mod memory;
pub mod prompt;
pub mod route;
pub mod tools;
