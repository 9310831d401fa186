//! The reminder ledger: which reminder keys were sent to whom and when, in
//! `STATE/reminders.jsonl` (outside git history), so a reminder is sent once even
//! across restarts. One JSON object per line, appended and fsynced after each
//! message is delivered; a line that cannot be read (a torn write) is skipped.
//! Entries older than 60 days are dropped when the file passes 1 MiB.
//!
//! An open ledger holds `STATE/reminders.lock`, an exclusive lock across processes,
//! from reading the file until it is dropped (after the sends are recorded): `myorg
//! remind` and `myorg run` on the same store never both plan from the same ledger.

use crate::store::exclusive_lock;
use anyhow::Context;
use chrono::{DateTime, TimeDelta, Utc};
use myorg_domain::reminders::{Message, SentAt, SentLog};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

const COMPACT_ABOVE_BYTES: u64 = 1 << 20;
const KEEP_DAYS: i64 = 60;
/// How long to wait for another process sending reminders (a run sends a few
/// messages; Discord may be slow).
const LOCK_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Serialize, Deserialize)]
struct Entry {
    to: String,
    key: String,
    at: DateTime<Utc>,
    #[serde(default)]
    folded: bool,
}

/// The ledger file and what it holds, locked while open.
pub struct Ledger {
    path: PathBuf,
    sent: SentLog,
    /// `reminders.lock`, held until the ledger is dropped.
    _lock: File,
}

impl Ledger {
    /// Takes the lock (waiting while another process holds it), then reads
    /// `dir/reminders.jsonl` (missing: empty), compacting it when large.
    pub fn open(dir: &Path, now: DateTime<Utc>) -> anyhow::Result<Ledger> {
        let on_wait = || tracing::warn!("another process is sending reminders; waiting");
        Ledger::open_waiting(dir, now, LOCK_TIMEOUT, &on_wait)
    }

    /// Like [`Ledger::open`], waiting up to `timeout`, calling `on_wait` if it waits.
    fn open_waiting(
        dir: &Path,
        now: DateTime<Utc>,
        timeout: Duration,
        on_wait: &dyn Fn(),
    ) -> anyhow::Result<Ledger> {
        let lock = exclusive_lock(&dir.join("reminders.lock"), timeout, on_wait, "sending reminders")?;
        let path = dir.join("reminders.jsonl");
        let mut sent = SentLog::default();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
        };
        for line in text.lines() {
            if let Ok(entry) = serde_json::from_str::<Entry>(line) {
                sent.record(
                    &entry.to,
                    &entry.key,
                    SentAt {
                        at: entry.at,
                        folded: entry.folded,
                    },
                );
            }
        }
        let mut ledger = Ledger {
            path,
            sent,
            _lock: lock,
        };
        if text.len() as u64 > COMPACT_ABOVE_BYTES {
            ledger.compact(now)?;
        }
        Ok(ledger)
    }

    pub fn sent(&self) -> &SentLog {
        &self.sent
    }

    /// Records that `message` was delivered at `at`.
    pub fn record(&mut self, message: &Message, at: DateTime<Utc>) -> anyhow::Result<()> {
        let mut lines = String::new();
        for key in &message.keys {
            let entry = Entry {
                to: message.to.clone(),
                key: key.clone(),
                at,
                folded: message.folded,
            };
            lines.push_str(&serde_json::to_string(&entry)?);
            lines.push('\n');
            self.sent.record(
                &message.to,
                key,
                SentAt {
                    at,
                    folded: message.folded,
                },
            );
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .with_context(|| format!("opening {}", self.path.display()))?;
        file.write_all(lines.as_bytes())?;
        file.sync_data()?;
        Ok(())
    }

    /// Rewrites the file without entries older than [`KEEP_DAYS`].
    fn compact(&mut self, now: DateTime<Utc>) -> anyhow::Result<()> {
        self.sent.forget_before(now - TimeDelta::days(KEEP_DAYS));
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        for (to, key, sent) in self.sent.entries() {
            let entry = Entry {
                to: to.to_string(),
                key: key.to_string(),
                at: sent.at,
                folded: sent.folded,
            };
            writeln!(file, "{}", serde_json::to_string(&entry)?)?;
        }
        file.as_file().sync_data()?;
        file.persist(&self.path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use myorg_domain::reminders::Sent;

    #[test]
    fn entries_survive_a_reopen_and_torn_lines_are_skipped() {
        let dir = tempfile::TempDir::new().unwrap();
        let now: DateTime<Utc> = "2026-11-23T09:00:00Z".parse().unwrap();
        let mut ledger = Ledger::open(dir.path(), now).unwrap();
        let message = Message {
            to: "ana".into(),
            text: "due today".into(),
            keys: vec!["due:x:2026-11-23:0".into()],
            folded: false,
            about: None,
        };
        ledger.record(&message, now).unwrap();
        // A write cut short by a crash.
        let path = dir.path().join("reminders.jsonl");
        let mut file = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"to\":\"ana\",\"ke").unwrap();
        drop(ledger);
        let reopened = Ledger::open(dir.path(), now).unwrap();
        assert!(reopened.sent().was_sent("ana", "due:x:2026-11-23:0"));
        assert_eq!(reopened.sent().len(), 1);
    }

    #[test]
    fn a_second_open_waits_for_the_first_and_reads_what_it_recorded() {
        let dir = tempfile::TempDir::new().unwrap();
        let now: DateTime<Utc> = "2026-11-23T09:00:00Z".parse().unwrap();
        let mut first = Ledger::open(dir.path(), now).unwrap();
        let (waits, waiting) = std::sync::mpsc::channel();
        let (opens, opened) = std::sync::mpsc::channel();
        let path = dir.path().to_path_buf();
        let second = std::thread::spawn(move || {
            let on_wait = move || waits.send(()).unwrap();
            let ledger = Ledger::open_waiting(&path, now, Duration::from_secs(60), &on_wait).unwrap();
            opens.send(()).unwrap();
            ledger.sent().was_sent("ana", "due:x:2026-11-23:0")
        });
        waiting.recv().expect("the second found the ledger locked");
        assert!(opened.try_recv().is_err(), "it waits while the first is open");
        let message = Message {
            to: "ana".into(),
            text: "due today".into(),
            keys: vec!["due:x:2026-11-23:0".into()],
            folded: false,
            about: None,
        };
        first.record(&message, now).unwrap();
        let error = Ledger::open_waiting(dir.path(), now, Duration::ZERO, &|| {})
            .err()
            .expect("still locked");
        assert!(
            format!("{error:#}").contains("another process is still sending reminders"),
            "{error:#}"
        );
        drop(first);
        assert!(second.join().unwrap(), "it reads what the first recorded");
    }

    #[test]
    fn a_large_ledger_forgets_old_entries() {
        let dir = tempfile::TempDir::new().unwrap();
        let old: DateTime<Utc> = "2026-01-01T09:00:00Z".parse().unwrap();
        let now: DateTime<Utc> = "2026-11-23T09:00:00Z".parse().unwrap();
        let mut ledger = Ledger::open(dir.path(), old).unwrap();
        let keys: Vec<String> = (0..20_000).map(|n| format!("due:{n:08}:2026-01-01:0")).collect();
        let message = Message {
            to: "ana".into(),
            text: String::new(),
            keys,
            folded: true,
            about: None,
        };
        ledger.record(&message, old).unwrap();
        let recent = Message {
            to: "ana".into(),
            text: String::new(),
            keys: vec!["recent".into()],
            folded: false,
            about: None,
        };
        ledger.record(&recent, now).unwrap();
        let path = dir.path().join("reminders.jsonl");
        assert!(std::fs::metadata(&path).unwrap().len() > COMPACT_ABOVE_BYTES);
        drop(ledger);
        let compacted = Ledger::open(dir.path(), now).unwrap();
        assert_eq!(compacted.sent().len(), 1);
        assert!(std::fs::metadata(&path).unwrap().len() < 200);
        drop(compacted);
        assert!(
            Ledger::open(dir.path(), now)
                .unwrap()
                .sent()
                .was_sent("ana", "recent")
        );
    }
}
