//! The quarter plan: initiatives (projects and goals) made and changed in the plan's
//! words, a quarter's initiatives with status, owner, progress, last update and linked
//! pull requests, and a pull request linked. Which initiatives a quarter holds, the
//! statuses and what counts as a pull request are `myorg_domain::plan`'s; an
//! initiative is a line of projects.txt or goals.txt (`super::projects`), and updates
//! and links are log.txt entries tagged `+SLUG` (`super::projects::change`). Every
//! change is one store operation, authored by the person asking.

use super::loaded::{Loaded, Need};
use super::projects::{self, Added, Change, Changed, New, Update};
use super::{Ctx, Error, Look, Result};
use crate::store::operation::{LOG, ProjectList};
use crate::store::{Operation, PushReport};
use chrono::NaiveDate;
use myorg_domain::fields;
use myorg_domain::plan::{self as domain, PlanError, PlanStatus, PrState};
use myorg_domain::projects::{Kind, Progress, ProjectEdit, ProjectError};
use myorg_parsers::Quarter;
use myorg_parsers::log::{LogEntry, LogFile};
use std::fmt::Write as _;

impl From<PlanError> for Error {
    fn from(error: PlanError) -> Error {
        Error::Invalid(error.to_string())
    }
}

/// A new initiative: a project in projects.txt.
#[derive(Debug, Clone, Default)]
pub struct NewInitiative {
    pub slug: String,
    /// What it is, in words.
    pub title: String,
    /// Default: in-progress.
    pub status: Option<PlanStatus>,
    /// A person's name or handle.
    pub owner: Option<String>,
    /// Its target date (`due:`), a date or words.
    pub target_date: Option<String>,
    /// `+tag`, `@tag`, or a bare word (as `+word`).
    pub tags: Vec<String>,
    /// The goal it serves (`goal:`).
    pub goal: Option<String>,
}

/// Adds `new` to projects.txt (checked as `myorg project new` checks a project).
pub fn create(ctx: &Ctx, new: &NewInitiative) -> Result<Added> {
    let mut text = new.title.trim().to_string();
    if text.is_empty() {
        return Err(ProjectError::NoText.into());
    }
    for word in domain::tag_words(&new.tags)? {
        text.push(' ');
        text.push_str(&word);
    }
    projects::add(
        ctx,
        &New {
            slug: new.slug.clone(),
            text,
            status: new.status.map(PlanStatus::status),
            owner: new.owner.clone(),
            due: new.target_date.clone(),
            goal: new.goal.clone(),
            ..New::default()
        },
    )
}

/// A change of an initiative (a project or goal).
#[derive(Debug, Clone, Default)]
pub struct InitiativeChange {
    /// Its slug, with or without `+`.
    pub slug: String,
    pub status: Option<PlanStatus>,
    /// A person's name or handle.
    pub owner: Option<String>,
    /// A date or words.
    pub target_date: Option<String>,
    /// Tags to add.
    pub tags: Vec<String>,
}

/// An initiative changed: what was set and its line now.
#[derive(Debug, Clone)]
pub struct Updated {
    /// `Project web: status:active owner:ben`.
    pub summary: String,
    pub line: String,
    pub push: PushReport,
}

impl Updated {
    /// The summary, then the line.
    pub fn said(&self) -> String {
        format!("{}\nNow: {}", self.summary, self.line)
    }
}

/// Sets the status, owner, target date and tags of `change.slug` in one commit;
/// everything is checked first, and a change that changes nothing is refused.
/// A new status is also written to working-memory.txt in that commit.
pub fn update(ctx: &Ctx, change: &InitiativeChange) -> Result<Updated> {
    if change.status.is_none()
        && change.owner.is_none()
        && change.target_date.is_none()
        && change.tags.is_empty()
    {
        return Err(Error::Invalid(
            "say what to change: a status, an owner, a target date or tags".to_string(),
        ));
    }
    let today = ctx.now.date();
    let mut set = Vec::new();
    if let Some(owner) = change.owner.as_deref() {
        set.push(("owner".to_string(), ctx.people()?.owner_handle(owner)));
    }
    if let Some(when) = change.target_date.as_deref() {
        set.push(("due".to_string(), fields::when(when, today)?.to_string()));
    }
    let edit = ProjectEdit {
        status: change.status.map(PlanStatus::status),
        set,
        add: domain::tag_words(&change.tags)?,
    };
    let loaded = Loaded::read(ctx.store, Need::Lists)?;
    let entry = loaded.for_projects().find(&change.slug)?;
    let line = myorg_domain::projects::edited(entry.project, &edit, today)?
        .task
        .render();
    let changed_status = edit.status.filter(|status| *status != entry.status);
    let mut operation = Operation::EditProject {
        list: ProjectList::of(entry.kind),
        slug: entry.slug.to_string(),
        status: edit.status.map(|status| status.as_str().to_string()),
        set: edit.set,
        add: edit.add,
        on: today,
    };
    // A new status is worth remembering, in the same commit.
    if let Some(status) = changed_status {
        let text = myorg_domain::memory::status_changed(entry.kind, entry.slug, status);
        operation = super::memory::remembering(ctx, operation, &text)?;
    }
    let applied = ctx.store.apply(operation, &ctx.actor)?;
    Ok(Updated {
        summary: applied.summary,
        line,
        push: applied.push,
    })
}

/// A pull request to link to an initiative.
#[derive(Debug, Clone, Default)]
pub struct PullRequestLink {
    /// The initiative's slug, with or without `+`.
    pub slug: String,
    pub url: String,
    pub title: String,
    pub state: Option<PrState>,
}

/// Logs `link` as a log.txt entry tagged `+SLUG`: `PR merged: Title URL +slug`.
pub fn link_pr(ctx: &Ctx, link: &PullRequestLink) -> Result<Changed> {
    let url = domain::pr_url(&link.url)?;
    projects::change(
        ctx,
        &Change {
            slug: link.slug.clone(),
            status: None,
            update: Some(Update::Link {
                url: url.to_string(),
                words: domain::pr_words(&link.title, link.state),
            }),
        },
    )
}

/// A pull request as the plan shows it.
#[derive(Debug, Clone)]
pub struct PullRequest {
    pub url: String,
    /// `merged`, `open`… when its newest mention says.
    pub state: Option<&'static str>,
    /// When it was last mentioned.
    pub date: NaiveDate,
}

/// One initiative of the plan.
#[derive(Debug, Clone)]
pub struct Initiative {
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    /// In the plan's words (`in-progress`, `completed`…).
    pub status: &'static str,
    pub owner: Option<String>,
    /// Its target date (`due:`).
    pub due: Option<NaiveDate>,
    /// For a project: its goal.
    pub goal: Option<String>,
    pub progress: Progress,
    pub last_update: Option<LogEntry>,
    pub pull_requests: Vec<PullRequest>,
}

impl Initiative {
    fn write(&self, out: &mut String) -> std::fmt::Result {
        let mut details = vec![self.status.to_string()];
        details.extend(self.owner.clone());
        details.extend(self.due.map(|due| format!("due {due}")));
        details.extend(self.goal.as_ref().map(|goal| format!("goal +{goal}")));
        details.push(match self.progress.percent() {
            Some(percent) => format!("{} {percent}%", self.progress),
            None => self.progress.to_string(),
        });
        writeln!(
            out,
            "+{} ({}) {}: {}",
            self.slug,
            self.kind.noun(),
            details.join(", "),
            self.title
        )?;
        match &self.last_update {
            Some(entry) => writeln!(out, "  last update {} {}: {}", entry.date, entry.name, entry.text)?,
            None => writeln!(out, "  no updates yet")?,
        }
        if !self.pull_requests.is_empty() {
            let prs: Vec<String> = self
                .pull_requests
                .iter()
                .map(|pr| match pr.state {
                    Some(state) => format!("{} ({state}, {})", pr.url, pr.date),
                    None => format!("{} ({})", pr.url, pr.date),
                })
                .collect();
            writeln!(out, "  PRs: {}", prs.join(", "))?;
        }
        Ok(())
    }
}

/// A quarter's initiatives.
#[derive(Debug, Clone)]
pub struct Plan {
    pub quarter: Quarter,
    /// Its first and last day.
    pub days: Option<(NaiveDate, NaiveDate)>,
    /// Goals first, then projects, in file order.
    pub initiatives: Vec<Initiative>,
}

impl Plan {
    /// A header line, then each initiative (its line, last update, pull requests).
    pub fn said(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out);
        out.trim_end().to_string()
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        let days = match self.days {
            Some((first, last)) => format!(" ({first} to {last})"),
            None => String::new(),
        };
        if self.initiatives.is_empty() {
            return writeln!(
                out,
                "No initiatives in {}{days}: no goal has quarter:{} and no project is due in it.",
                self.quarter, self.quarter
            );
        }
        let count = |kind: Kind| self.initiatives.iter().filter(|i| i.kind == kind).count();
        let plural = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
        writeln!(
            out,
            "Quarter {}{days}: {}, {}",
            self.quarter,
            plural(count(Kind::Goal), "goal"),
            plural(count(Kind::Project), "project")
        )?;
        for initiative in &self.initiatives {
            initiative.write(out)?;
        }
        Ok(())
    }
}

/// The initiatives of `quarter` (`2026Q4`, `current`, `next`, `previous`; default the
/// current one).
pub fn quarter_plan(look: &Look, quarter: Option<&str>) -> Result<Plan> {
    let quarter = domain::quarter(quarter, look.now.date())?;
    let loaded = Loaded::read(look.files, Need::Progress)?;
    let log = LogFile::parse(look.files.read(LOG)?);
    let initiatives = domain::initiatives(&loaded.for_projects(), &log, quarter)
        .iter()
        .map(|initiative| {
            let project = initiative.entry.project;
            Initiative {
                kind: initiative.entry.kind,
                slug: initiative.entry.slug.to_string(),
                title: domain::title(initiative),
                status: initiative.status(),
                owner: project.owner().map(str::to_string),
                due: project.due(),
                goal: project.goal().map(str::to_string),
                progress: initiative.entry.progress,
                last_update: initiative.last_update.cloned(),
                pull_requests: initiative
                    .pull_requests
                    .iter()
                    .map(|pr| PullRequest {
                        url: pr.url.to_string(),
                        state: pr.state.map(PrState::as_str),
                        date: pr.entry.date,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Plan {
        quarter,
        days: domain::days_of(quarter),
        initiatives,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::with_ctx;
    use crate::store::operation::PROJECTS;

    #[test]
    fn an_update_is_checked_whole_before_anything_changes() {
        with_ctx(|ctx| {
            let before = ctx.store.read(PROJECTS).unwrap();
            let change = |f: fn(&mut InitiativeChange)| {
                let mut change = InitiativeChange {
                    slug: "website".to_string(),
                    ..InitiativeChange::default()
                };
                f(&mut change);
                change
            };
            let bad = [
                (change(|_| {}), "say what to change"),
                (
                    change(|c| {
                        c.status = Some(PlanStatus::InProgress);
                        c.owner = Some("ana".into());
                    }),
                    "already says that",
                ),
                (
                    change(|c| {
                        c.owner = Some("ben".into());
                        c.target_date = Some("2026-02-30".into());
                    }),
                    "2026-02-30",
                ),
                (
                    change(|c| {
                        c.owner = Some("ben".into());
                        c.tags = vec!["two words".into()];
                    }),
                    "is not a tag",
                ),
            ];
            for (change, why) in bad {
                match update(ctx, &change) {
                    Err(Error::Invalid(message)) => assert!(message.contains(why), "{message}"),
                    other => panic!("{change:?}: {other:?}"),
                }
            }
            let unknown = InitiativeChange {
                slug: "nope".into(),
                owner: Some("ben".into()),
                ..InitiativeChange::default()
            };
            assert!(matches!(update(ctx, &unknown), Err(Error::NotFound(_))));
            assert_eq!(ctx.store.read(PROJECTS).unwrap(), before);
        });
    }
}
