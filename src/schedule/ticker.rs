//! The schedule between ticks: at each tick, what is due since the tick before. The
//! first tick after a start also sends the briefings missed while the assistant was
//! down. A clock set back runs nothing until it passes the last tick again, so no
//! minute is run twice. A ticker made [`Ticker::reloading`] asks at each tick whether
//! the schedule changed (the people's own times, set in the store), and keeps
//! ticking from the same minute with the new one.

use super::table::{Due, Schedule};
use chrono::{DateTime, Utc};

/// Gives the schedule anew when it changed since it was last asked.
pub type Reload = Box<dyn FnMut() -> Option<Schedule> + Send>;

/// A [`Schedule`] and the time of its last tick.
pub struct Ticker {
    schedule: Schedule,
    last: Option<DateTime<Utc>>,
    reload: Option<Reload>,
}

impl std::fmt::Debug for Ticker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ticker")
            .field("schedule", &self.schedule)
            .field("last", &self.last)
            .finish_non_exhaustive()
    }
}

impl Ticker {
    pub fn new(schedule: Schedule) -> Ticker {
        Ticker {
            schedule,
            last: None,
            reload: None,
        }
    }

    /// A ticker that takes the schedule `reload` gives, when it gives one, before
    /// each tick.
    pub fn reloading(schedule: Schedule, reload: Reload) -> Ticker {
        Ticker {
            reload: Some(reload),
            ..Ticker::new(schedule)
        }
    }

    /// What to run at `now`, in table order.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Due> {
        if let Some(schedule) = self.reload.as_mut().and_then(|reload| reload()) {
            self.schedule = schedule;
        }
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
    fn a_reloaded_schedule_is_followed_from_the_next_tick() {
        let mut moved = Config::default();
        moved.store.timezone = Some("Europe/Madrid".into());
        moved.user.name = Some("Ana".into());
        moved
            .scheduler
            .jobs
            .insert("morning-briefing".into(), "30 9 * * *".into());
        let mut pending = Some(Schedule::from_config(&moved).unwrap());
        let mut ticker = ticker();
        ticker.reload = Some(Box::new(move || pending.take()));
        // 08:10 in Madrid: nothing missed any more, since the briefing is at 09:30 now.
        assert_eq!(ticker.tick(utc("2026-11-23T07:10:00Z")), []);
        ticker.tick(utc("2026-11-23T08:29:30Z"));
        assert_eq!(
            jobs(&ticker.tick(utc("2026-11-23T08:30:00Z"))),
            [Job::MorningBriefing, Job::EventReminders]
        );
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
