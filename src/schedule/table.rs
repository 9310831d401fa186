//! The job table: each job's cron expression (the defaults below, or `[scheduler.jobs]`)
//! read in the scheduler's timezone, and the briefings and the weekly review once per
//! person, in that person's timezone and at their own time when they set one
//! (`morning`, `evening`, `review`).
//! What is due between two ticks, and which briefings were missed while the assistant
//! was down, are decided here from the table and two instants.

use super::due::{Cron, due};
use crate::config::{Config, DEFAULT_JOBS};
use crate::jobs::{Job, Recipients};
use crate::reminders::Reminders;
use anyhow::{Context, bail};
use chrono::{DateTime, NaiveTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;

/// Each job's default schedule, in the order of [`Job::ALL`]: the configuration's
/// table of them ([`DEFAULT_JOBS`], by name); `""` (unscheduled) for a job it does
/// not name.
pub fn default_jobs() -> [(Job, &'static str); 8] {
    Job::ALL.map(|job| {
        let cron = DEFAULT_JOBS
            .iter()
            .find(|(name, _)| *name == job.name())
            .map_or("", |(_, cron)| *cron);
        (job, cron)
    })
}

/// One line of the table: a job, when, in which timezone, for whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub job: Job,
    pub cron: Cron,
    pub zone: Tz,
    /// One person for a briefing (at their time, in their timezone); everyone else.
    pub recipients: Recipients,
}

impl Entry {
    /// A briefing or the weekly review: one person's, at their own time.
    fn is_briefing(&self) -> bool {
        matches!(
            self.job,
            Job::MorningBriefing | Job::EveningSummary | Job::WeeklyReview
        )
    }
}

/// A run the schedule asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub job: Job,
    pub recipients: Recipients,
    /// The minute the schedule named.
    pub at: DateTime<Utc>,
    /// A briefing missed while the assistant was down, sent on start.
    pub late: bool,
}

/// The in-process schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub entries: Vec<Entry>,
    /// How long after its time a missed briefing is still sent on start.
    pub catch_up: TimeDelta,
}

impl Schedule {
    /// The table `[scheduler]` and the people describe: an unknown job name, an
    /// expression that does not parse and a person's time that is not `HH:MM` are
    /// errors naming the setting.
    pub fn from_config(config: &Config) -> anyhow::Result<Schedule> {
        let settings = &config.scheduler;
        let zone = match &settings.timezone {
            Some(name) => name.parse::<Tz>().map_err(|_| {
                anyhow::anyhow!(
                    "scheduler.timezone {name:?} is not a timezone; use an IANA name such as Europe/Madrid"
                )
            })?,
            None => config.store_timezone()?,
        };
        for name in settings.jobs.keys() {
            if Job::named(name).is_none() {
                let known: Vec<&str> = Job::ALL.iter().map(|job| job.name()).collect();
                bail!(
                    "scheduler.jobs names {name:?}, which is no job; the jobs: {}",
                    known.join(", ")
                );
            }
        }
        let people = people_times(config)?;
        let mut entries = Vec::new();
        for job in Job::ALL {
            let text = match settings.jobs.get(job.name()) {
                Some(text) => text.as_str(),
                None => default_jobs()
                    .iter()
                    .find(|(default, _)| *default == job)
                    .map_or("", |(_, cron)| *cron),
            };
            if text.trim().is_empty() {
                continue;
            }
            let cron = Cron::parse(text).with_context(|| format!("in scheduler.jobs.{job}"))?;
            match job {
                Job::MorningBriefing | Job::EveningSummary | Job::WeeklyReview => {
                    for person in &people {
                        let own = match job {
                            Job::MorningBriefing => &person.morning,
                            Job::EveningSummary => &person.evening,
                            _ => &person.review,
                        };
                        let cron = match own {
                            Some(time) => at_time(&cron, *time)?,
                            None => cron.clone(),
                        };
                        entries.push(Entry {
                            job,
                            cron,
                            zone: person.zone,
                            recipients: Recipients::Only(person.handle.clone()),
                        });
                    }
                }
                _ => entries.push(Entry {
                    job,
                    cron,
                    zone,
                    recipients: Recipients::Everyone,
                }),
            }
        }
        Ok(Schedule {
            entries,
            // A catch-up never reaches the day before, so a day is the most it can be.
            catch_up: TimeDelta::minutes(settings.catch_up_minutes.min(24 * 60) as i64),
        })
    }

    /// What is due at `now` when the last tick was at `since`, in table order.
    pub fn due(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> Vec<Due> {
        self.entries
            .iter()
            .filter_map(|entry| {
                due(&entry.cron, entry.zone, since, now).map(|at| Due {
                    job: entry.job,
                    recipients: entry.recipients.clone(),
                    at,
                    late: false,
                })
            })
            .collect()
    }

    /// The briefings whose time came within `catch_up` before `now` on the same local
    /// day (never the day before's): what to send on start, when the assistant was
    /// down at their time. The ledger keeps one sent before the stop from going twice.
    pub fn missed(&self, now: DateTime<Utc>) -> Vec<Due> {
        let Some(since) = now.checked_sub_signed(self.catch_up) else {
            return Vec::new();
        };
        self.entries
            .iter()
            .filter(|entry| entry.is_briefing())
            .filter_map(|entry| {
                let at = due(&entry.cron, entry.zone, since, now)?;
                let day = |t: DateTime<Utc>| t.with_timezone(&entry.zone).date_naive();
                (day(at) == day(now)).then(|| Due {
                    job: entry.job,
                    recipients: entry.recipients.clone(),
                    at,
                    late: true,
                })
            })
            .collect()
    }
}

/// A person's briefing settings.
struct PersonTimes {
    handle: String,
    zone: Tz,
    morning: Option<NaiveTime>,
    evening: Option<NaiveTime>,
    review: Option<NaiveTime>,
}

/// Everyone who gets briefings (the people, or the user when none are configured)
/// with their timezone and own times.
fn people_times(config: &Config) -> anyhow::Result<Vec<PersonTimes>> {
    let recipients = Reminders::from_config(config)?.recipients;
    let people = config.people()?;
    let mut out = Vec::with_capacity(recipients.len());
    for recipient in recipients {
        let entry = people
            .iter()
            .zip(&config.people)
            .find(|(person, _)| person.handle == recipient.handle)
            .map(|(_, entry)| entry);
        let time = |text: Option<&String>, key: &str| {
            text.map(|text| {
                NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
                    anyhow::anyhow!(
                        "the {key} time {text:?} of {} is not a time such as 07:30",
                        recipient.handle
                    )
                })
            })
            .transpose()
        };
        out.push(PersonTimes {
            morning: time(entry.and_then(|e| e.morning.as_ref()), "morning")?,
            evening: time(entry.and_then(|e| e.evening.as_ref()), "evening")?,
            review: time(entry.and_then(|e| e.review.as_ref()), "review")?,
            handle: recipient.handle,
            zone: recipient.timezone,
        });
    }
    Ok(out)
}

/// `cron` at another time of day: its minute and hour replaced by `time`, its days
/// kept (a person's own briefing time on the job's days).
fn at_time(cron: &Cron, time: NaiveTime) -> anyhow::Result<Cron> {
    let fields = cron.fields();
    let days = fields.get(2..).map_or("* * *".to_string(), |days| days.join(" "));
    Cron::parse(&format!("{} {} {days}", time.minute(), time.hour()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PersonConfig;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn person(name: &str, zone: &str, morning: Option<&str>) -> PersonConfig {
        PersonConfig {
            name: name.into(),
            timezone: Some(zone.into()),
            morning: morning.map(Into::into),
            ..PersonConfig::default()
        }
    }

    fn config() -> Config {
        let mut config = Config::default();
        config.store.timezone = Some("Europe/Madrid".into());
        config.people = vec![
            person("Ana García", "Europe/Madrid", None),
            person("Ben Okafor", "America/New_York", Some("07:30")),
        ];
        config
    }

    #[test]
    fn every_default_schedule_parses_and_job_names_are_unique() {
        let defaults = default_jobs();
        for (job, cron) in defaults {
            // git-sync is off: `myorg run` keeps the store in sync by itself.
            if job == Job::GitSync {
                assert_eq!(cron, "", "git-sync is off by default");
                continue;
            }
            assert!(Cron::parse(cron).is_ok(), "{job}: {cron}");
        }
        let mut names: Vec<&str> = defaults.iter().map(|(job, _)| job.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), defaults.len());
        assert_eq!(names.len(), Job::ALL.len(), "every job has a default");
        for (name, _) in DEFAULT_JOBS {
            assert!(
                Job::named(name).is_some(),
                "the default table names {name}, no job"
            );
        }
        // And the default configuration states them.
        let schedule = Schedule::from_config(&Config::default()).unwrap();
        for job in Job::ALL {
            let scheduled = schedule.entries.iter().any(|e| e.job == job);
            assert_eq!(scheduled, job != Job::GitSync, "{job}");
        }
    }

    #[test]
    fn each_person_gets_their_briefing_at_their_own_local_time() {
        let schedule = Schedule::from_config(&config()).unwrap();
        let mornings: Vec<_> = schedule
            .entries
            .iter()
            .filter(|e| e.job == Job::MorningBriefing)
            .map(|e| (e.recipients.clone(), e.cron.text().to_string(), e.zone))
            .collect();
        assert_eq!(
            mornings,
            [
                (
                    Recipients::Only("ana".into()),
                    "0 8 * * *".into(),
                    chrono_tz::Europe::Madrid
                ),
                (
                    Recipients::Only("ben".into()),
                    "30 7 * * *".into(),
                    chrono_tz::America::New_York
                ),
            ]
        );
        // 08:00 in Madrid is 07:00 UTC; 07:30 in New York is 12:30 UTC.
        let due = schedule.due(utc("2026-11-23T06:59:50Z"), utc("2026-11-23T07:00:05Z"));
        let jobs: Vec<_> = due.iter().map(|d| (d.job, d.recipients.clone())).collect();
        assert_eq!(
            jobs,
            [
                (Job::MorningBriefing, Recipients::Only("ana".into())),
                (Job::DeadlineChecker, Recipients::Everyone),
                (Job::EventReminders, Recipients::Everyone),
            ]
        );
        let due = schedule.due(utc("2026-11-23T12:29:55Z"), utc("2026-11-23T12:30:00Z"));
        assert_eq!(due.len(), 2, "{due:?}");
        assert_eq!(due[0].recipients, Recipients::Only("ben".into()));
    }

    #[test]
    fn a_persons_time_keeps_the_jobs_days() {
        let mut config = config();
        config
            .scheduler
            .jobs
            .insert("morning-briefing".into(), "0 8 * * 1-5".into());
        let schedule = Schedule::from_config(&config).unwrap();
        let ben = schedule
            .entries
            .iter()
            .find(|e| e.recipients == Recipients::Only("ben".into()) && e.job == Job::MorningBriefing)
            .unwrap();
        assert_eq!(ben.cron.text(), "30 7 * * 1-5");
        let cron = Cron::parse("@weekly").unwrap();
        let at = at_time(&cron, NaiveTime::from_hms_opt(6, 5, 0).unwrap()).unwrap();
        assert_eq!(at.text(), "5 6 * * 0");
    }

    #[test]
    fn the_table_is_configured_by_job_name() {
        let mut config = config();
        config.scheduler.jobs.insert("git-sync".into(), String::new());
        config
            .scheduler
            .jobs
            .insert("deadline-checker".into(), "30 */2 * * *".into());
        config.scheduler.timezone = Some("Asia/Tokyo".into());
        let schedule = Schedule::from_config(&config).unwrap();
        assert!(!schedule.entries.iter().any(|e| e.job == Job::GitSync));
        let deadlines = schedule
            .entries
            .iter()
            .find(|e| e.job == Job::DeadlineChecker)
            .unwrap();
        assert_eq!(
            (deadlines.cron.text(), deadlines.zone),
            ("30 */2 * * *", chrono_tz::Asia::Tokyo)
        );

        let refused = |edit: &dyn Fn(&mut Config)| {
            let mut config = self::config();
            edit(&mut config);
            format!("{:#}", Schedule::from_config(&config).unwrap_err())
        };
        let message = refused(&|c| {
            c.scheduler.jobs.insert("make-coffee".into(), "0 8 * * *".into());
        });
        assert!(
            message.contains("make-coffee") && message.contains("git-sync"),
            "{message}"
        );
        let message = refused(&|c| {
            c.scheduler
                .jobs
                .insert("git-sync".into(), "every 15 minutes".into());
        });
        assert!(message.contains("scheduler.jobs.git-sync"), "{message}");
        let message = refused(&|c| c.people[0].morning = Some("8am".into()));
        assert!(message.contains("morning time \"8am\" of ana"), "{message}");
        let message = refused(&|c| c.scheduler.timezone = Some("Mars/Olympus".into()));
        assert!(message.contains("scheduler.timezone"), "{message}");
    }

    #[test]
    fn a_missed_briefing_is_caught_up_the_same_day_within_the_window() {
        let schedule = Schedule::from_config(&config()).unwrap();
        let missed = |now: &str| -> Vec<(Job, Recipients)> {
            schedule
                .missed(utc(now))
                .into_iter()
                .map(|d| {
                    assert!(d.late);
                    (d.job, d.recipients)
                })
                .collect()
        };
        // 10:30 in Madrid: Ana's 08:00 briefing was 2.5 hours ago.
        assert_eq!(
            missed("2026-11-23T09:30:00Z"),
            [(Job::MorningBriefing, Recipients::Only("ana".into()))]
        );
        // 11:30 in Madrid: past the three hours.
        assert_eq!(missed("2026-11-23T10:30:00Z"), []);
        // 00:30 in Madrid: yesterday's evening summary (20:00) is not sent today,
        // though it was less than three hours before with a longer window.
        let mut long = schedule.clone();
        long.catch_up = TimeDelta::hours(6);
        assert!(long.missed(utc("2026-11-23T23:30:00Z")).is_empty());
        // 21:00 in Madrid: the evening summary is.
        assert_eq!(
            missed("2026-11-23T20:00:00Z"),
            [(Job::EveningSummary, Recipients::Only("ana".into()))]
        );
        // Only briefings are caught up, and 0 turns it off.
        let mut none = schedule.clone();
        none.catch_up = TimeDelta::zero();
        assert_eq!(none.missed(utc("2026-11-23T09:30:00Z")), []);
    }

    #[test]
    fn without_people_the_user_gets_the_briefings_in_the_store_timezone() {
        let mut config = Config::default();
        config.store.timezone = Some("Europe/Madrid".into());
        config.user.name = Some("Ana".into());
        let schedule = Schedule::from_config(&config).unwrap();
        let mornings: Vec<_> = schedule
            .entries
            .iter()
            .filter(|e| e.job == Job::MorningBriefing)
            .map(|e| (e.recipients.clone(), e.zone))
            .collect();
        assert_eq!(
            mornings,
            [(Recipients::Only("ana".into()), chrono_tz::Europe::Madrid)]
        );
    }
}
