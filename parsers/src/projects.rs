//! projects.txt and goals.txt: one project (goal) per line, in the todo.txt line
//! grammar; the first `+slug` names it.
//!
//! `status:planning|active|blocked|someday|done` (a done line may use `x DATE`),
//! `owner:`, `due:`, `goal:SLUG` (project → goal), `quarter:2026Q4` (goals), `area:`.

use crate::diagnostic::Diagnostic;
use crate::document::{Document, LineItem};
use crate::todo::{Task, TodoLine};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A projects.txt or goals.txt file.
pub type ProjectsFile = Document<ProjectLine>;

/// One line of projects.txt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectLine {
    Blank,
    Project(Project),
}

/// A project (or goal) line. A line without a `+slug` is kept and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub task: Task,
}

/// Where a project stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectStatus {
    Planning,
    Active,
    Blocked,
    Someday,
    Done,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 5] = [
        ProjectStatus::Planning,
        ProjectStatus::Active,
        ProjectStatus::Blocked,
        ProjectStatus::Someday,
        ProjectStatus::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Planning => "planning",
            ProjectStatus::Active => "active",
            ProjectStatus::Blocked => "blocked",
            ProjectStatus::Someday => "someday",
            ProjectStatus::Done => "done",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

impl fmt::Display for ProjectStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar quarter such as `2026Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub quarter: u32,
}

impl Quarter {
    pub fn parse(text: &str) -> Option<Self> {
        let (year, quarter) = text.split_once('Q')?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let quarter = match quarter {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            "4" => 4,
            _ => return None,
        };
        Some(Quarter {
            year: year.parse().ok()?,
            quarter,
        })
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}Q{}", self.year, self.quarter)
    }
}

impl Project {
    /// The first `+token` of the line.
    pub fn slug(&self) -> Option<&str> {
        self.task.projects().next()
    }

    /// `status:`, or done when the line is marked `x`.
    pub fn status(&self) -> Option<ProjectStatus> {
        if self.task.is_done() {
            return Some(ProjectStatus::Done);
        }
        self.task.tag("status").and_then(ProjectStatus::parse)
    }

    pub fn owner(&self) -> Option<&str> {
        self.task.owner()
    }

    pub fn due(&self) -> Option<NaiveDate> {
        self.task.due()
    }

    /// `goal:` — the goal this project serves.
    pub fn goal(&self) -> Option<&str> {
        self.task.tag("goal")
    }

    /// `quarter:` — the quarter of a goal.
    pub fn quarter(&self) -> Option<Quarter> {
        self.task.tag("quarter").and_then(Quarter::parse)
    }

    pub fn area(&self) -> Option<&str> {
        self.task.tag("area")
    }
}

impl ProjectLine {
    pub fn project(&self) -> Option<&Project> {
        match self {
            ProjectLine::Project(project) => Some(project),
            ProjectLine::Blank => None,
        }
    }
}

impl From<TodoLine> for ProjectLine {
    fn from(line: TodoLine) -> Self {
        match line {
            TodoLine::Blank => ProjectLine::Blank,
            TodoLine::Task(task) => ProjectLine::Project(Project { task }),
        }
    }
}

impl LineItem for ProjectLine {
    fn parse(text: &str) -> Self {
        ProjectLine::from(<TodoLine as LineItem>::parse(text))
    }

    fn parse_shared(source: &Arc<str>, start: usize, end: usize) -> Self {
        ProjectLine::from(TodoLine::parse_shared(source, start, end))
    }

    fn render(&self) -> String {
        match self {
            ProjectLine::Blank => String::new(),
            ProjectLine::Project(project) => project.task.render(),
        }
    }

    fn problems(&self, out: &mut Vec<String>) {
        let ProjectLine::Project(project) = self else {
            return;
        };
        project.task.problems(out);
        if project.slug().is_none() {
            out.push("no +slug: the first +word of a line names the project".to_string());
        }
        if let Some(status) = project.task.tag("status") {
            match ProjectStatus::parse(status) {
                None => out.push(format!(
                    "status:{status} is not a status (expected planning, active, blocked, someday or done)"
                )),
                Some(status) if project.task.is_done() && status != ProjectStatus::Done => {
                    out.push(format!("marked done with x but status:{status}"))
                }
                Some(_) => {}
            }
        }
        if let Some(quarter) = project.task.tag("quarter")
            && Quarter::parse(quarter).is_none()
        {
            out.push(format!(
                "quarter:{quarter} is not a quarter (expected YYYYQ1 to YYYYQ4)"
            ));
        }
    }

    /// A slug defined twice.
    fn document_problems(doc: &Document<Self>, out: &mut Vec<Diagnostic>) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (index, project) in doc.items().filter_map(|(i, line)| line.project().map(|p| (i, p))) {
            let Some(slug) = project.slug() else { continue };
            if let Some(earlier) = first.insert(slug, index) {
                first.insert(slug, earlier);
                out.push(Diagnostic {
                    line: index + 1,
                    message: format!("+{slug} is already defined on line {}", earlier + 1),
                });
            }
        }
    }
}

impl ProjectsFile {
    /// The projects with their 0-based line index.
    pub fn projects(&self) -> impl Iterator<Item = (usize, &Project)> + '_ {
        self.items()
            .filter_map(|(index, line)| line.project().map(|p| (index, p)))
    }

    /// The project named `slug`.
    pub fn find(&self, slug: &str) -> Option<(usize, &Project)> {
        self.projects().find(|(_, project)| project.slug() == Some(slug))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_project_fields() {
        let doc = ProjectsFile::parse(
            "+website Relaunch status:active owner:ana due:2026-12-15 goal:ship-v2 area:work\nx 2026-10-30 +old-blog Retire\n+ship-v2 Ship quarter:2026Q4\n",
        );
        let (_, web) = doc.find("website").unwrap();
        assert_eq!(web.status(), Some(ProjectStatus::Active));
        assert_eq!(
            (web.owner(), web.goal(), web.area()),
            (Some("ana"), Some("ship-v2"), Some("work"))
        );
        assert_eq!(web.due(), crate::date::parse_date("2026-12-15"));
        assert_eq!(
            doc.find("old-blog").unwrap().1.status(),
            Some(ProjectStatus::Done)
        );
        assert_eq!(
            doc.find("ship-v2").unwrap().1.quarter(),
            Some(Quarter {
                year: 2026,
                quarter: 4
            })
        );
        assert!(doc.diagnostics().is_empty());
    }

    #[test]
    fn reports_lines_that_do_not_name_a_project() {
        let doc = ProjectsFile::parse(
            "no slug here\n+a status:busy quarter:2026Q5\n+a again\nx 2026-01-01 +b status:active\n",
        );
        let messages: Vec<String> = doc.diagnostics().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "line 1: no +slug: the first +word of a line names the project",
                "line 2: status:busy is not a status (expected planning, active, blocked, someday or done)",
                "line 2: quarter:2026Q5 is not a quarter (expected YYYYQ1 to YYYYQ4)",
                "line 3: +a is already defined on line 2",
                "line 4: marked done with x but status:active",
            ]
        );
        assert_eq!(doc.len(), 4);
    }
}
