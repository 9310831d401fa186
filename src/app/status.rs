//! The store's state and its sync with the remote: `status` (branch, remote, what is
//! not pushed yet, edits by hand, the changes not applied, times in the store's
//! timezone) and `sync` (pull and push now), each a typed result with the text every
//! front end shows; and what a push did, one line each, which every change reports.

use super::{Ctx, Result};
use crate::store::{PushReport, Unapplied};
use chrono::NaiveDateTime;
use std::path::PathBuf;

/// The state of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub root: PathBuf,
    pub branch: String,
    /// The remote's address, without secrets; `None`: a local store.
    pub remote: Option<String>,
    pub head: Option<String>,
    /// Commits not yet on the remote.
    pub unpushed: usize,
    /// Operations journaled and not yet pushed.
    pub pending: usize,
    /// Files changed by hand and not committed yet.
    pub changed: Vec<String>,
    pub last_error: Option<String>,
    /// When the store last matched the remote, in the store's timezone.
    pub last_sync: Option<NaiveDateTime>,
    /// Changes not applied, until acknowledged, oldest first.
    pub unapplied: Vec<NotApplied>,
    /// A watcher tells each write which files changed.
    pub watched: bool,
}

/// A change not applied, and when (in the store's timezone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotApplied {
    pub at: Option<NaiveDateTime>,
    pub change: Unapplied,
}

fn shown(at: Option<NaiveDateTime>) -> String {
    at.map(|at| at.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

impl Status {
    /// One line each (`store: …`, `branch: …`): what the terminal shows.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![
            format!("store: {}", self.root.display()),
            format!("branch: {}", self.branch),
            format!(
                "remote: {}",
                self.remote.as_deref().unwrap_or("none (a local store)")
            ),
            format!(
                "head: {}",
                self.head.as_deref().map_or("none", |h| &h[..h.len().min(12)])
            ),
            format!("unpushed commits: {}", self.unpushed),
            format!("pending operations: {}", self.pending),
            format!(
                "watcher: {}",
                if self.watched {
                    "on (each write looks only at the files that changed)"
                } else {
                    "none (each write looks at every file; `myorg watch` starts one)"
                }
            ),
        ];
        if !self.changed.is_empty() {
            lines.push(format!(
                "changed by hand, not yet committed: {}",
                self.changed.join(", ")
            ));
        }
        if let Some(error) = &self.last_error {
            lines.push(format!("last push error: {error}"));
        }
        if self.remote.is_some() {
            let last_sync = match self.last_sync {
                Some(at) => shown(Some(at)),
                None => "never".to_string(),
            };
            lines.push(format!("last sync: {last_sync}"));
        }
        if !self.unapplied.is_empty() {
            let count = self.unapplied.len();
            lines.push(format!("{count} change{} not applied:", plural(count)));
            for item in &self.unapplied {
                lines.push(format!("  {} {}", shown(item.at), item.change));
            }
        }
        lines
    }

    /// In one line, parts separated by `; `: what the model and Discord show.
    pub fn said(&self) -> String {
        let mut parts = vec![format!("branch {}", self.branch)];
        match &self.remote {
            Some(remote) => parts.push(format!("remote {remote}, {} unpushed", self.unpushed)),
            None => parts.push("local store, no remote".to_string()),
        }
        if let Some(head) = &self.head {
            parts.push(format!("head {}", super::history::short(head)));
        }
        if self.pending > 0 {
            parts.push(format!("{} operations not pushed yet", self.pending));
        }
        if !self.changed.is_empty() {
            parts.push(format!(
                "edited by hand, not committed: {}",
                self.changed.join(", ")
            ));
        }
        if let Some(error) = &self.last_error {
            parts.push(format!("last push error: {}", error.trim()));
        }
        if self.last_sync.is_some() {
            parts.push(format!("last sync {}", shown(self.last_sync)));
        }
        let count = self.unapplied.len();
        if count > 0 {
            let items: Vec<String> = self
                .unapplied
                .iter()
                .map(|item| item.change.to_string())
                .collect();
            parts.push(format!(
                "{count} change{} not applied: {}",
                plural(count),
                items.join(" | ")
            ));
        }
        parts.join("; ")
    }
}

/// The state of the store, only looked at.
pub fn status(ctx: &Ctx) -> Result<Status> {
    let status = ctx.store.status()?;
    let zone = ctx.config.store_timezone()?;
    let local = |at: chrono::DateTime<chrono::Utc>| crate::clock::local_at(at, zone);
    Ok(Status {
        last_sync: status.last_sync.map(|at| local(at.into())),
        unapplied: status
            .unapplied
            .into_iter()
            .map(|change| NotApplied {
                at: i64::try_from(change.at)
                    .ok()
                    .and_then(|at| chrono::DateTime::from_timestamp(at, 0))
                    .map(local),
                change,
            })
            .collect(),
        root: status.root,
        branch: status.branch,
        remote: status.remote,
        head: status.head,
        unpushed: status.unpushed,
        pending: status.pending,
        changed: status.changed,
        last_error: status.last_error,
        watched: status.watched,
    })
}

/// The state of the store, shown to the person in full: the changes not applied it
/// lists count as told (no later change reports them again), and with `acknowledge`
/// they are forgotten (no later status lists them).
pub fn status_shown(ctx: &Ctx, acknowledge: bool) -> Result<Status> {
    let status = status(ctx)?;
    if !status.unapplied.is_empty() {
        ctx.store.mark_told()?;
        if acknowledge {
            ctx.store.acknowledge()?;
        }
    }
    Ok(status)
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced(pub PushReport);

impl Synced {
    /// One line each (none: already in sync).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = push_lines(&self.0);
        if self.0.local_only {
            lines.insert(0, "A local store: there is no remote to sync with.".to_string());
        }
        lines
    }

    /// The lines, or that the store is in sync.
    pub fn said(&self) -> String {
        let lines = self.lines();
        if lines.is_empty() {
            "In sync with the remote.".to_string()
        } else {
            lines.join("\n")
        }
    }
}

/// Pulls and pushes the store now.
pub fn sync(ctx: &Ctx) -> Result<Synced> {
    Ok(Synced(ctx.store.sync()?))
}

/// What a push did, one line each.
pub fn push_lines(report: &PushReport) -> Vec<String> {
    let mut lines = Vec::new();
    if report.pushed {
        lines.push("Pushed.".to_string());
    }
    if let Some(error) = &report.error {
        lines.push(format!("Not pushed yet (kept locally, will retry): {error}"));
    }
    for dropped in &report.dropped {
        lines.push(format!(
            "Not applied on the newer remote version: {}: {}",
            dropped.summary, dropped.why
        ));
    }
    for path in &report.saved_beside {
        lines.push(format!("Conflicting edits were saved beside the file as {path}"));
    }
    lines.extend(report.retargeted.iter().cloned());
    for earlier in &report.earlier {
        lines.push(if earlier.reworded {
            earlier.to_string()
        } else {
            format!("Not applied earlier: {earlier}")
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status() -> Status {
        Status {
            root: PathBuf::from("/s"),
            branch: "main".to_string(),
            remote: Some("git@example.com:s.git".to_string()),
            head: Some("0123456789abcdef0123".to_string()),
            unpushed: 2,
            pending: 1,
            changed: vec!["todo.txt".to_string()],
            last_error: None,
            last_sync: "2026-11-23T08:05:00".parse().ok(),
            unapplied: Vec::new(),
            watched: false,
        }
    }

    #[test]
    fn a_status_is_lines_for_the_terminal_and_one_line_for_the_model() {
        assert_eq!(
            status().lines(),
            [
                "store: /s",
                "branch: main",
                "remote: git@example.com:s.git",
                "head: 0123456789ab",
                "unpushed commits: 2",
                "pending operations: 1",
                "watcher: none (each write looks at every file; `myorg watch` starts one)",
                "changed by hand, not yet committed: todo.txt",
                "last sync: 2026-11-23 08:05",
            ]
        );
        assert_eq!(
            status().said(),
            "branch main; remote git@example.com:s.git, 2 unpushed; head 01234567; \
             1 operations not pushed yet; edited by hand, not committed: todo.txt; \
             last sync 2026-11-23 08:05"
        );
    }

    #[test]
    fn a_sync_says_what_it_did_or_that_all_is_in_sync() {
        assert_eq!(Synced(PushReport::default()).said(), "In sync with the remote.");
        let local = Synced(PushReport {
            local_only: true,
            ..PushReport::default()
        });
        assert_eq!(local.lines(), ["A local store: there is no remote to sync with."]);
        let failed = Synced(PushReport {
            pushed: false,
            error: Some("unreachable".to_string()),
            saved_beside: vec!["todo.conflict.txt".to_string()],
            ..PushReport::default()
        });
        assert_eq!(
            failed.said(),
            "Not pushed yet (kept locally, will retry): unreachable\n\
             Conflicting edits were saved beside the file as todo.conflict.txt"
        );
    }
}
