//! A [`Deliver`] that keeps each message with the moment it was sent, as people and
//! the team channel would receive them: for the simulations of reminders over days.

use chrono::{DateTime, Utc};
use myorg_assistant::reminders::Deliver;
use myorg_domain::reminders::Message;

/// The messages delivered so far, each at the clock's `now`.
#[derive(Default)]
pub struct Inbox {
    pub received: Vec<(DateTime<Utc>, Message)>,
    /// The simulated clock; set before each run.
    pub now: Option<DateTime<Utc>>,
}

impl Deliver for Inbox {
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        self.received.push((self.now.unwrap(), message.clone()));
        Ok(())
    }
}
