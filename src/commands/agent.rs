//! The LLM agent in the terminal: started when a command first needs it, with its
//! own tokio runtime, and asking as the person at the terminal.

use crate::agent::conversation::Agent;
use crate::app::{App, Caller};
use crate::clock::Clock;
use crate::config::Config;
use crate::store::Actor;
use std::sync::Arc;

/// The conversation name of the terminal (its memory is kept under it).
pub const TERMINAL: &str = "terminal";

/// The agent with what runs it.
pub struct Terminal {
    pub runtime: tokio::runtime::Runtime,
    pub agent: Agent,
    pub asker: Caller,
}

/// The agent for the person at the terminal; `None` when no LLM is configured.
pub fn start(config: &Config) -> anyhow::Result<Option<Terminal>> {
    let store = Arc::new(super::store::open(config)?);
    let app = App::new(Arc::new(config.clone()), store, Clock::system())?;
    let Some(agent) = Agent::new(Arc::new(app))? else {
        return Ok(None);
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let me = config.me()?;
    let user = config.user();
    let asker = Caller {
        handle: me.handle,
        actor: Actor {
            name: user.name,
            email: user.email,
            via: "chat".to_string(),
        },
        channel: TERMINAL.to_string(),
    };
    Ok(Some(Terminal {
        runtime,
        agent,
        asker,
    }))
}
