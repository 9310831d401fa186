//! `myorg remind [--dry-run] [--at DATETIME]`: the reminders due now (or at a given
//! time), printed on the terminal. Without `--dry-run` they count as sent: the ledger
//! records them, so they are not printed again.

use super::store::open;
use crate::config::Config;
use crate::reminders::ledger::Ledger;
use crate::reminders::{Deliver, Reminders};
use anyhow::Context;
use chrono::{DateTime, NaiveDateTime, Utc};
use myorg_domain::reminders::Message;

/// Prints each message as it is delivered.
struct Terminal;

impl Deliver for Terminal {
    fn deliver(&mut self, message: &Message) -> anyhow::Result<()> {
        println!("To {}: {}", message.to, message.text);
        Ok(())
    }
}

/// `myorg remind`; `at` is a wall-clock time in the store's timezone.
pub fn run(config: &Config, at: NaiveDateTime, dry_run: bool) -> anyhow::Result<()> {
    let reminders = Reminders::from_config(config)?;
    let now = instant(at, reminders.store_timezone)?;
    let store = open(config)?;
    let mut ledger = Ledger::open(store.state_dir(), now)?;
    let (count, held) = if dry_run {
        let plan = reminders.plan(store.root(), &ledger, now)?;
        for message in &plan.messages {
            println!("Would send to {}: {}", message.to, message.text);
        }
        (plan.messages.len(), plan.held.len())
    } else {
        let outcome = reminders.send_due(store.root(), &mut ledger, now, &mut Terminal)?;
        (outcome.sent.len(), outcome.held)
    };
    if count == 0 {
        println!("Nothing to remind of at {at}.");
    }
    if held > 0 {
        println!("{held} held back by quiet hours, for later.");
    }
    Ok(())
}

/// The instant a wall-clock time names in `zone`: the earlier one when the clock
/// went back, the first valid minute after a gap when it went forward.
pub fn instant(at: NaiveDateTime, zone: chrono_tz::Tz) -> anyhow::Result<DateTime<Utc>> {
    myorg_domain::reminders::instant(zone, at).with_context(|| format!("{at} is not a time in {zone}"))
}
