//! Where a person's messages go: their direct messages, or the team channel for the
//! people whose `deliver` setting says `team`. [`InTeamChannel`] wraps the job's
//! [`Deliver`] and turns their messages into team messages under their name, which
//! mention them alone; the ledger still records each under the person.

use crate::reminders::Deliver;
use myorg_domain::people::People;
use myorg_domain::reminders::{Message, TEAM};

/// Delivers the messages of `handles` to the team channel, the others as they are.
pub struct InTeamChannel<'a> {
    pub inner: &'a mut dyn Deliver,
    pub handles: Vec<String>,
    pub people: People,
}

impl Deliver for InTeamChannel<'_> {
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        if !self.handles.iter().any(|h| h.eq_ignore_ascii_case(&message.to)) {
            return self.inner.deliver(message);
        }
        let name = self
            .people
            .find(&message.to)
            .map_or(message.to.as_str(), |person| person.name.as_str());
        let routed = Message {
            to: TEAM.to_string(),
            text: format!("For {name}:\n{}", message.text),
            keys: message.keys.clone(),
            folded: message.folded,
            about: Some(message.to.clone()),
        };
        self.inner.deliver(&routed)
    }
}
