//! The schedule between ticks: at each tick, what is due since the tick before. The
//! first tick after a start also sends the briefings missed while the assistant was
//! down. A clock set back runs nothing until it passes the last tick again, so no
//! minute is run twice.

use super::table::{Due, Schedule};
use chrono::{DateTime, Utc};

/// A [`Schedule`] and the time of its last tick.
#[derive(Debug, Clone)]
pub struct Ticker {
    schedule: Schedule,
    last: Option<DateTime<Utc>>,
}

impl Ticker {
    pub fn new(schedule: Schedule) -> Ticker {
        Ticker { schedule, last: None }
    }

    /// What to run at `now`, in table order.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Due> {
        let due = match self.last {
            None => self.schedule.missed(now),
            Some(last) => self.schedule.due(last, now),
        };
        if self.last.is_none_or(|last| now > last) {
            self.last = Some(now);
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::jobs::Job;
    use chrono::TimeDelta;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn ticker() -> Ticker {
        let mut config = Config::default();
        config.store.timezone = Some("Europe/Madrid".into());
        config.user.name = Some("Ana".into());
        Ticker::new(Schedule::from_config(&config).unwrap())
    }

    fn jobs(due: &[Due]) -> Vec<Job> {
        due.iter().map(|d| d.job).collect()
    }

    #[test]
    fn the_first_tick_catches_up_then_each_minute_runs_once() {
        let mut ticker = ticker();
        // Started at 09:10 in Madrid: the 08:00 briefing is sent late, nothing else.
        let start = utc("2026-11-23T08:10:00Z");
        let first = ticker.tick(start);
        assert_eq!(jobs(&first), [Job::MorningBriefing]);
        assert!(first[0].late);
        assert_eq!(ticker.tick(start + TimeDelta::seconds(5)), []);
        // 09:15: the event reminders.
        let at = utc("2026-11-23T08:15:00Z");
        let due = ticker.tick(at);
        assert_eq!(jobs(&due), [Job::EventReminders]);
        assert!(due.iter().all(|d| d.at == at && !d.late));
        assert_eq!(ticker.tick(at), []);
    }

    #[test]
    fn a_clock_set_back_runs_nothing_twice() {
        let mut ticker = ticker();
        ticker.tick(utc("2026-11-23T08:20:00Z"));
        assert_eq!(
            jobs(&ticker.tick(utc("2026-11-23T08:25:01Z"))),
            [Job::EventReminders]
        );
        // Set back ten minutes, then forward again.
        assert_eq!(ticker.tick(utc("2026-11-23T08:15:30Z")), []);
        assert_eq!(ticker.tick(utc("2026-11-23T08:25:30Z")), []);
        assert_eq!(
            jobs(&ticker.tick(utc("2026-11-23T08:30:00Z"))),
            [Job::EventReminders]
        );
    }
}
