//! Goals: a quarter's goals (or every goal) with their status, progress, projects and
//! the telos.md section each serves; and the weekly goal report, what moved each open
//! goal in a calendar week (Monday to Sunday) against the week before, the stalled
//! ones flagged. Which quarters, which section and what moved a goal are
//! `myorg_domain::goals`'s; progress is counted as for the projects
//! (`myorg_domain::projects`). The results are data (`--json`, the tools' structured
//! results) with the text a person reads.
//!
//! Completed tasks without a completion date are in no week: the report counts them
//! apart (`undated`) rather than guessing a day.

use super::documents::TELOS;
use super::loaded::{Loaded, Need};
use super::{Error, Look, Result};
use chrono::NaiveDate;
use myorg_domain::fields;
use myorg_domain::goals::{self as domain, GoalError, Quarters, Serves, Telos, Week};
use myorg_domain::projects::{self, Entry, Kind};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;

impl From<GoalError> for Error {
    fn from(error: GoalError) -> Error {
        Error::Invalid(error.to_string())
    }
}

/// How many of the tasks are done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// Whole percent done; null without tasks.
    pub percent: Option<usize>,
}

impl From<projects::Progress> for Progress {
    fn from(progress: projects::Progress) -> Progress {
        Progress {
            done: progress.done,
            total: progress.total,
            percent: progress.percent(),
        }
    }
}

impl Progress {
    /// `4/10 done 40%`, or `no tasks`.
    pub fn said(&self) -> String {
        match self.percent {
            Some(percent) => format!("{}/{} done {percent}%", self.done, self.total),
            None => "no tasks".to_string(),
        }
    }
}

/// A project serving a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GoalProject {
    pub slug: String,
    pub title: String,
    /// planning, active, blocked, someday or done.
    pub status: String,
    pub progress: Progress,
}

/// The telos.md section a goal serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct TelosSection {
    /// Its heading as telos.md writes it; null when the goal's `telos:` names no heading.
    pub heading: Option<String>,
    /// The heading's slug, what `telos:` names it by.
    pub slug: Option<String>,
    /// `tag` (the goal's `telos:` names it), `named` (telos.md names the goal under
    /// it) or `unknown` (the goal's `telos:` names no heading).
    pub by: String,
    /// The goal's `telos:` value, when it has one.
    pub tag: Option<String>,
}

impl TelosSection {
    /// How a goal serves its section; `tag` its `telos:` value.
    fn of(serves: Serves<'_, '_>, tag: Option<&str>) -> TelosSection {
        let (heading, by) = match serves {
            Serves::Tagged(heading) => (Some(heading), "tag"),
            Serves::Named(heading) => (Some(heading), "named"),
            Serves::Unknown(_) => (None, "unknown"),
        };
        TelosSection {
            heading: heading.map(|heading| heading.text.to_string()),
            slug: heading.map(|heading| heading.slug.clone()),
            by: by.to_string(),
            tag: tag.map(str::to_string),
        }
    }

    /// `Current focus (Q4 2026)`, or that the tag names no heading.
    pub fn said(&self) -> String {
        match (&self.heading, &self.tag) {
            (Some(heading), _) => heading.clone(),
            (None, Some(tag)) => format!("telos:{tag} names no heading of {TELOS}"),
            (None, None) => "none".to_string(),
        }
    }
}

/// A goal with its projects and the telos.md section it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Goal {
    pub slug: String,
    pub title: String,
    /// planning, active, blocked, someday or done.
    pub status: String,
    /// Its `quarter:`, like 2026Q4.
    pub quarter: Option<String>,
    /// Over its own tasks and its projects'.
    pub progress: Progress,
    /// The projects whose `goal:` names it, in file order.
    pub projects: Vec<GoalProject>,
    /// The telos.md section it serves; null when none.
    pub telos: Option<TelosSection>,
}

/// The goals of a quarter, or every goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Goals {
    /// The quarter, like 2026Q4; null: every quarter.
    pub quarter: Option<String>,
    /// In goals.txt's order.
    pub goals: Vec<Goal>,
}

impl Goals {
    /// A header, then each goal: its line, the telos.md section it serves, its
    /// projects.
    pub fn said(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out);
        out.trim_end().to_string()
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        match (&self.quarter, self.goals.len()) {
            (Some(quarter), 0) => {
                return writeln!(
                    out,
                    "No goals in {quarter}: no goal of goals.txt has quarter:{quarter}."
                );
            }
            (None, 0) => return writeln!(out, "No goals: goals.txt has none."),
            (Some(quarter), count) => writeln!(out, "Goals of {quarter} ({count}):")?,
            (None, count) => writeln!(out, "Goals, every quarter ({count}):")?,
        }
        for goal in &self.goals {
            let quarter = match (&self.quarter, &goal.quarter) {
                (None, Some(quarter)) => format!(", {quarter}"),
                _ => String::new(),
            };
            writeln!(
                out,
                "+{} {}{quarter}, {}: {}",
                goal.slug,
                goal.status,
                goal.progress.said(),
                goal.title
            )?;
            if let Some(telos) = &goal.telos {
                writeln!(out, "  telos: {}", telos.said())?;
            }
            for project in &goal.projects {
                writeln!(
                    out,
                    "  +{} {}, {}: {}",
                    project.slug,
                    project.status,
                    project.progress.said(),
                    project.title
                )?;
            }
        }
        Ok(())
    }
}

/// The goals of the quarter `quarter` names (`2026Q4`, `current`, `next`, `previous`;
/// default the current one), or every goal with `all`.
pub fn goals(look: &Look, quarter: Option<&str>) -> Result<Goals> {
    let quarters = domain::quarters(quarter, look.now.date())?;
    let loaded = Loaded::read(look.files, Need::Progress)?;
    let telos_text = String::from_utf8_lossy(&look.files.read(TELOS)?).into_owned();
    let telos = Telos::parse(&telos_text);
    let files = loaded.for_projects();
    let projects: HashMap<&str, Entry<'_>> = files
        .list(Kind::Project)
        .into_iter()
        .map(|entry| (entry.slug, entry))
        .collect();
    let goals = files
        .list(Kind::Goal)
        .into_iter()
        .filter(|goal| quarters.holds(goal.project))
        .map(|goal| Goal {
            slug: goal.slug.to_string(),
            title: projects::title(goal.project),
            status: goal.status.to_string(),
            quarter: goal.project.quarter().map(|quarter| quarter.to_string()),
            progress: goal.progress.into(),
            projects: goal
                .projects
                .iter()
                .filter_map(|slug| projects.get(slug))
                .map(|project| GoalProject {
                    slug: project.slug.to_string(),
                    title: projects::title(project.project),
                    status: project.status.to_string(),
                    progress: project.progress.into(),
                })
                .collect(),
            telos: telos
                .served_by(goal.project)
                .map(|serves| TelosSection::of(serves, goal.project.task.tag("telos"))),
        })
        .collect();
    Ok(Goals {
        quarter: match quarters {
            Quarters::All => None,
            Quarters::One(quarter) => Some(quarter.to_string()),
        },
        goals,
    })
}

/// Seven days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Span {
    /// YYYY-MM-DD (a Monday).
    #[schemars(with = "String")]
    pub first: NaiveDate,
    /// YYYY-MM-DD (a Sunday).
    #[schemars(with = "String")]
    pub last: NaiveDate,
}

impl From<Week> for Span {
    fn from(week: Week) -> Span {
        Span {
            first: week.first,
            last: week.last,
        }
    }
}

/// A task completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DoneTask {
    /// YYYY-MM-DD.
    #[schemars(with = "String")]
    pub date: NaiveDate,
    /// Its words, as written.
    pub text: String,
}

/// What moved one goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct GoalWeek {
    pub slug: String,
    pub title: String,
    /// active, planning or blocked.
    pub status: String,
    /// Its tasks completed in the week, by day.
    pub done_this_week: Vec<DoneTask>,
    /// How many of its tasks were completed in the week before.
    pub done_last_week: usize,
    /// Its completed tasks without a completion date (in no week).
    pub undated: usize,
    /// Nothing moved it in either week.
    pub stalled: bool,
    /// `2 done this week, 1 last week`, or `no movement for 2 weeks`.
    pub summary: String,
}

/// The weekly goal report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Report {
    pub week: Span,
    pub last_week: Span,
    /// The open goals (active, planning, blocked), in goals.txt's order.
    pub goals: Vec<GoalWeek>,
}

impl Report {
    /// A header, then each goal with what moved it and the tasks done this week.
    pub fn said(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out);
        out.trim_end().to_string()
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "Goals, week {} to {} (last week {} to {}):",
            self.week.first, self.week.last, self.last_week.first, self.last_week.last
        )?;
        if self.goals.is_empty() {
            return writeln!(out, "No open goals in goals.txt.");
        }
        for goal in &self.goals {
            writeln!(out, "+{} {}: {}", goal.slug, goal.title, goal.summary)?;
            for task in &goal.done_this_week {
                writeln!(out, "  {} {}", task.date, task.text)?;
            }
            if goal.undated > 0 {
                writeln!(
                    out,
                    "  and {} done without a completion date, in no week",
                    goal.undated
                )?;
            }
        }
        Ok(())
    }
}

/// What moved each open goal in the calendar week (Monday to Sunday) of `week` (a
/// date or words; default today) against the week before.
pub fn report(look: &Look, week: Option<&str>) -> Result<Report> {
    let today = look.now.date();
    let day = match week {
        Some(words) => fields::when(words, today)?,
        None => today,
    };
    let week = Week::of(day);
    let loaded = Loaded::read(look.files, Need::Progress)?;
    let goals = domain::movement(&loaded.for_projects(), week)
        .iter()
        .map(|moved| GoalWeek {
            slug: moved.goal.slug.to_string(),
            title: projects::title(moved.goal.project),
            status: moved.goal.status.to_string(),
            done_this_week: moved
                .this_week
                .iter()
                .map(|(date, task)| DoneTask {
                    date: *date,
                    text: task.description().to_string(),
                })
                .collect(),
            done_last_week: moved.last_week.len(),
            undated: moved.undated,
            stalled: moved.stalled(),
            summary: moved.summary(),
        })
        .collect();
    Ok(Report {
        week: week.into(),
        last_week: week.before().into(),
        goals,
    })
}
