//! Asking the person before a destructive change: the preview goes to them through
//! MCP elicitation ("… — confirm? yes/no", one yes/no field), and only an explicit
//! yes applies it. A no, a decline, a cancel, no answer within the confirmation's
//! minutes, or a client that cannot ask: nothing changes, and the result says why.

use crate::agent::tools::CONFIRM_MINUTES;
use crate::app::confirm::Pending;
use rmcp::service::ElicitationError;
use rmcp::{Peer, RoleServer};
use serde::Deserialize;
use std::time::Duration;

/// The one field the person fills in.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct Confirmation {
    /// Yes applies the change; no leaves everything as it is.
    confirm: bool,
}

rmcp::elicit_safe!(Confirmation);

/// What the person said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Answer {
    /// Apply it.
    Yes,
    /// They said no, declined or dismissed the question.
    No,
    /// They could not be asked (the client does not support it, or no answer came).
    CannotAsk(String),
}

impl Answer {
    /// Why nothing was changed, for the result (`Yes` changes).
    pub(super) fn said(&self, preview: &str) -> String {
        match self {
            Answer::Yes => String::new(),
            Answer::No => format!("Not done: you did not confirm ({preview}); nothing was changed."),
            Answer::CannotAsk(why) => format!(
                "Not done: this change needs the person's confirmation and {why}; nothing was \
                 changed ({preview}). It can be made from the terminal (`myorg`) or Discord."
            ),
        }
    }
}

/// Asks the person on the other side of `peer` whether to make `pending`'s change.
pub(super) async fn ask(peer: &Peer<RoleServer>, pending: &Pending) -> Answer {
    let question = format!("{} — confirm? yes/no", pending.preview);
    let within = Duration::from_secs(CONFIRM_MINUTES as u64 * 60);
    match peer
        .elicit_with_timeout::<Confirmation>(question, Some(within))
        .await
    {
        Ok(Some(Confirmation { confirm: true })) => Answer::Yes,
        Ok(_) | Err(ElicitationError::UserDeclined | ElicitationError::UserCancelled) => Answer::No,
        Err(ElicitationError::CapabilityNotSupported) => {
            Answer::CannotAsk("this client cannot ask (no elicitation)".to_string())
        }
        Err(error) => {
            tracing::warn!(%error, "asking for a confirmation failed");
            Answer::CannotAsk("asking for it did not work".to_string())
        }
    }
}
