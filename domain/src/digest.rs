//! The team digest: the week that ended and the one that starts, for the whole team.
//! Per person, what they finished in the seven days before `today` and what is due in
//! the seven days from it (overdue included); what is blocked (a task waiting for an
//! open `p:` one, a project `status:blocked`) or waited for (`@waiting`); the active
//! projects that moved (a task of theirs done in the week) and those that did not;
//! and the latest figures of kpi.txt with their change.
//!
//! Deterministic: the same files and day give the same digest, people in the order
//! given, then owners nobody configured, then tasks of no one.

use crate::briefing::Files;
use crate::kpi::Figures;
use crate::projects;
use crate::reference::References;
use crate::suggest::{blocked_ids, is_blocked};
use crate::waiting::{WaitingFilter, waiting};
use chrono::{Days, NaiveDate};
use myorg_parsers::{ProjectStatus, Task};
use std::fmt::Write;

/// One person's week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Their name, or the handle nobody configured, or "No one".
    pub name: String,
    /// What they finished in the week before.
    pub done: Vec<String>,
    /// What is due in the week ahead (overdue first).
    pub due: Vec<String>,
}

/// The team's digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The first day of the week that ended, and the last.
    pub last_week: (NaiveDate, NaiveDate),
    /// The last day of the week ahead.
    pub until: NaiveDate,
    pub people: Vec<Person>,
    pub blocked: Vec<String>,
    pub waiting: Vec<String>,
    /// Active projects with what they finished: `+slug Title (3 done)`.
    pub moved: Vec<String>,
    /// Active projects nothing moved.
    pub still: Vec<String>,
    /// `mrr 1250, +50 (+4.2%)`.
    pub figures: Vec<String>,
}

/// The digest on `today` of `files`, for `people` (handle, name), with `figures`.
pub fn team(files: Files, people: &[(String, String)], today: NaiveDate, figures: &Figures) -> Digest {
    let from = today.checked_sub_days(Days::new(7)).unwrap_or(today);
    let yesterday = today.pred_opt().unwrap_or(today);
    let until = today.checked_add_days(Days::new(6)).unwrap_or(today);
    let references = References::of(files.todo);
    let shown = |task: &Task| format!("[{}] {}", references.shown(task), task.description());
    let finished = |task: &Task| {
        task.completed()
            .is_some_and(|day| from <= day && day <= yesterday)
    };
    let done: Vec<&Task> = [files.todo, files.done]
        .iter()
        .flat_map(|file| file.tasks().map(|(_, task)| task))
        .filter(|task| finished(task))
        .collect();
    let open: Vec<&Task> = files
        .todo
        .tasks()
        .map(|(_, task)| task)
        .filter(|task| !task.is_done())
        .collect();
    let mut owners: Vec<(Option<String>, String)> = people
        .iter()
        .map(|(handle, name)| (Some(handle.to_lowercase()), name.clone()))
        .collect();
    for task in done.iter().chain(&open) {
        if let Some(owner) = task.owner().map(str::to_lowercase)
            && !owners
                .iter()
                .any(|(handle, _)| handle.as_deref() == Some(owner.as_str()))
        {
            owners.push((Some(owner.clone()), owner));
        }
    }
    owners.push((None, "No one".to_string()));
    let owned_by = |task: &Task, handle: &Option<String>| match (task.owner(), handle) {
        (Some(owner), Some(handle)) => owner.eq_ignore_ascii_case(handle),
        (None, None) => true,
        _ => false,
    };
    let people = owners
        .iter()
        .map(|(handle, name)| {
            let mut due: Vec<&Task> = open
                .iter()
                .copied()
                .filter(|task| owned_by(task, handle) && task.due().is_some_and(|due| due <= until))
                .collect();
            due.sort_by_key(|task| task.due());
            Person {
                name: name.clone(),
                done: done
                    .iter()
                    .filter(|task| owned_by(task, handle))
                    .map(|task| task.description().to_string())
                    .collect(),
                due: due
                    .iter()
                    .map(|task| {
                        let day = task.due().unwrap_or(today);
                        let when = if day < today {
                            format!("overdue since {day}")
                        } else {
                            format!("due {day}")
                        };
                        format!("{} ({when})", shown(task))
                    })
                    .collect(),
            }
        })
        .filter(|person| !(person.done.is_empty() && person.due.is_empty()))
        .collect();
    let blocked_by = blocked_ids(files.todo);
    let mut blocked: Vec<String> = open
        .iter()
        .filter(|task| is_blocked(task, &blocked_by))
        .map(|task| shown(task))
        .collect();
    let mut moved = Vec::new();
    let mut still = Vec::new();
    for (_, project) in files.projects.projects() {
        let Some(slug) = project.slug() else { continue };
        let line = format!("+{slug} {}", projects::title(project));
        match projects::status_of(project) {
            ProjectStatus::Blocked => blocked.push(format!("{line} (project blocked)")),
            ProjectStatus::Active => {
                let count = done.iter().filter(|task| task.has_project(slug)).count();
                if count == 0 {
                    still.push(line);
                } else {
                    moved.push(format!("{line} ({count} done)"));
                }
            }
            _ => {}
        }
    }
    let waiting = waiting(files.todo, &WaitingFilter::default(), today, i64::MAX)
        .into_iter()
        .map(|item| match item.who {
            Some(who) => format!("{} (from {who})", shown(item.task)),
            None => shown(item.task),
        })
        .collect();
    let figures = figures
        .latest()
        .iter()
        .map(|latest| match latest.change() {
            Some(change) => format!("{} {}, {change}", latest.key, latest.point.value),
            None => format!("{} {}", latest.key, latest.point.value),
        })
        .collect();
    Digest {
        last_week: (from, yesterday),
        until,
        people,
        blocked,
        waiting,
        moved,
        still,
        figures,
    }
}

impl Digest {
    /// The digest as Markdown that reads well in Discord and on a terminal.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let (from, to) = self.last_week;
        let _ = writeln!(out, "# Team digest\n_Done {from} to {to}; due to {}_", self.until);
        for person in &self.people {
            let _ = writeln!(out, "\n## {}", person.name);
            if !person.done.is_empty() {
                let _ = writeln!(out, "Done last week:");
                for line in &person.done {
                    let _ = writeln!(out, "- {line}");
                }
            }
            if !person.due.is_empty() {
                let _ = writeln!(out, "Due this week:");
                for line in &person.due {
                    let _ = writeln!(out, "- {line}");
                }
            }
        }
        let sections = [
            ("Blocked", &self.blocked),
            ("Waiting for", &self.waiting),
            ("Projects that moved", &self.moved),
            ("Projects that did not move", &self.still),
            ("Figures", &self.figures),
        ];
        for (title, lines) in sections {
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n## {title}");
            for line in lines {
                let _ = writeln!(out, "- {line}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use myorg_parsers::{CalendarFile, KpiFile, ProjectsFile, TodoFile};

    const TODO: &str = "\
x 2026-11-20 2026-11-10 Ship the form +website owner:ana
x 2026-11-12 2026-11-10 Too old to count +website owner:ana
(A) Send the report +report owner:ana due:2026-11-25 id:1
Pull the numbers +report owner:ben due:2026-11-20 p:1
Countertop quote +kitchen @waiting who:ruiz
Someone's errand due:2026-11-24
";
    const PROJECTS: &str = "\
+website Website status:active
+report Q4 report status:active
+kitchen Kitchen status:blocked
+garden Garden status:someday
";

    #[test]
    fn the_week_of_each_person_and_of_the_projects() {
        let todo = TodoFile::parse(TODO.as_bytes().to_vec());
        let done = TodoFile::parse(Vec::new());
        let calendar = CalendarFile::parse(Vec::new());
        let projects = ProjectsFile::parse(PROJECTS.as_bytes().to_vec());
        let goals = ProjectsFile::parse(Vec::new());
        let kpi = KpiFile::parse(b"2026-11-16 mrr:1200\n2026-11-22 mrr:1250\n".to_vec());
        let files = Files {
            todo: &todo,
            done: &done,
            calendar: &calendar,
            projects: &projects,
            goals: &goals,
        };
        let people = [("ana".to_string(), "Ana García".to_string())];
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let digest = team(files, &people, today, &Figures::of(&kpi));
        let rendered = digest.render();
        let references = References::of(&todo);
        let reference = |line: usize| references.shown(todo.get(line).unwrap().task().unwrap());
        let expected = format!(
            "\
# Team digest
_Done 2026-11-16 to 2026-11-22; due to 2026-11-29_

## Ana García
Done last week:
- Ship the form +website owner:ana
Due this week:
- [{}] Send the report +report owner:ana due:2026-11-25 id:1 (due 2026-11-25)

## ben
Due this week:
- [{}] Pull the numbers +report owner:ben due:2026-11-20 p:1 (overdue since 2026-11-20)

## No one
Due this week:
- [{}] Someone's errand due:2026-11-24 (due 2026-11-24)

## Blocked
- [{}] Send the report +report owner:ana due:2026-11-25 id:1
- +kitchen Kitchen (project blocked)

## Waiting for
- [{}] Countertop quote +kitchen @waiting who:ruiz (from ruiz)

## Projects that moved
- +website Website (1 done)

## Projects that did not move
- +report Q4 report

## Figures
- mrr 1250, +50 (+4.2%)
",
            reference(2),
            reference(3),
            reference(5),
            reference(2),
            reference(4)
        );
        assert_eq!(rendered, expected);
    }
}
