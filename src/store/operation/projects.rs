//! The operations on projects.txt, goals.txt and log.txt: a new project or goal, a
//! status change, an edit (status, tags, words), and appended log lines.
//!
//! Each names its target by slug (not by line), so on a newer file it finds the
//! project wherever it moved, and says plainly when it is gone or already so. A new
//! line is appended with the file's line ending and always ends with one (a final
//! newline is added first when the file lacks it); other lines keep every byte.

use super::{Change, GOALS, LOG, OperationError, PROJECTS, Snapshot, subject};
use chrono::NaiveDate;
use myorg_domain::notes;
use myorg_domain::projects::{self as domain, Files, Kind, ProjectEdit, ProjectError};
use myorg_parsers::log::LogLine;
use myorg_parsers::{LineItem, Project, ProjectLine, ProjectStatus, ProjectsFile, Task, TodoFile};
use serde::{Deserialize, Serialize};

/// projects.txt or goals.txt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectList {
    Projects,
    Goals,
}

impl ProjectList {
    /// The store path of the file.
    pub fn path(self) -> &'static str {
        match self {
            ProjectList::Projects => PROJECTS,
            ProjectList::Goals => GOALS,
        }
    }

    /// What its lines are, for the domain.
    pub fn kind(self) -> Kind {
        match self {
            ProjectList::Projects => Kind::Project,
            ProjectList::Goals => Kind::Goal,
        }
    }

    /// The list that holds lines of `kind`.
    pub fn of(kind: Kind) -> ProjectList {
        match kind {
            Kind::Project => ProjectList::Projects,
            Kind::Goal => ProjectList::Goals,
        }
    }
}

fn read_projects(snapshot: &dyn Snapshot, path: &str) -> Result<ProjectsFile, OperationError> {
    snapshot
        .read(path)
        .map(ProjectsFile::parse)
        .map_err(OperationError::Io)
}

fn one_line(line: &str, what: &str) -> Result<(), OperationError> {
    if line.contains(['\n', '\r']) || line.trim().is_empty() {
        return Err(OperationError::Invalid(format!(
            "{what} needs some text, on one line"
        )));
    }
    Ok(())
}

fn capitalized(kind: Kind) -> &'static str {
    match kind {
        Kind::Project => "Project",
        Kind::Goal => "Goal",
    }
}

pub(super) fn add(snapshot: &dyn Snapshot, list: ProjectList, line: &str) -> Result<Change, OperationError> {
    one_line(line, "a project")?;
    let project = Project {
        task: Task::parse(line),
    };
    let slug = project.slug().unwrap_or_default().to_string();
    domain::check_slug(&slug).map_err(|error| OperationError::Invalid(error.to_string()))?;
    if domain::title(&project).is_empty() {
        return Err(OperationError::Invalid(ProjectError::NoText.to_string()));
    }
    let projects = read_projects(snapshot, PROJECTS)?;
    let goals = read_projects(snapshot, GOALS)?;
    let (todo, done) = (TodoFile::new(), TodoFile::new());
    let files = Files {
        projects: &projects,
        goals: &goals,
        todo: &todo,
        done: &done,
    };
    // Someone may have added the same slug meanwhile.
    files
        .ensure_new(&slug)
        .map_err(|error| OperationError::NoLongerApplies(error.to_string()))?;
    let summary = subject(
        &format!("Add {} {slug}", list.kind().noun()),
        &domain::title(&project),
    );
    // Appended like a log line: the file's line ending, a final newline always.
    let file = snapshot.read(list.path()).map_err(OperationError::Io)?;
    let content = notes::append_line(file, &project.task.render());
    Ok(Change {
        files: vec![(list.path().to_string(), Some(content))],
        summary,
        todo: None,
        retargeted: None,
    })
}

pub(super) fn set_status(
    snapshot: &dyn Snapshot,
    list: ProjectList,
    slug: &str,
    status: &str,
    on: NaiveDate,
) -> Result<Change, OperationError> {
    let status = ProjectStatus::parse(status).ok_or_else(|| {
        OperationError::Invalid(format!(
            "{status:?} is not a status (expected planning, active, blocked, someday or done)"
        ))
    })?;
    let kind = list.kind();
    let mut file = read_projects(snapshot, list.path())?;
    let (index, project) = file.find(slug).ok_or_else(|| {
        OperationError::NoLongerApplies(format!(
            "the {} +{slug} is no longer in {} (renamed or removed meanwhile)",
            kind.noun(),
            list.path()
        ))
    })?;
    let before = domain::status_of(project);
    let changed = domain::with_status(project, status, on).map_err(|error| match error {
        ProjectError::SameStatus { .. } => OperationError::NoLongerApplies(error.to_string()),
        other => OperationError::Invalid(other.to_string()),
    })?;
    file.replace(index, ProjectLine::Project(changed));
    Ok(Change {
        files: vec![(list.path().to_string(), Some(file.to_bytes()))],
        summary: format!("{} {slug}: status {before} → {status}", capitalized(kind)),
        todo: None,
        retargeted: None,
    })
}

pub(super) fn edit(
    snapshot: &dyn Snapshot,
    list: ProjectList,
    slug: &str,
    status: Option<&str>,
    set: &[(String, String)],
    add: &[String],
    on: NaiveDate,
) -> Result<Change, OperationError> {
    let status = status
        .map(|status| {
            ProjectStatus::parse(status).ok_or_else(|| {
                OperationError::Invalid(format!(
                    "{status:?} is not a status (expected planning, active, blocked, someday or done)"
                ))
            })
        })
        .transpose()?;
    let kind = list.kind();
    let mut file = read_projects(snapshot, list.path())?;
    let (index, project) = file.find(slug).ok_or_else(|| {
        OperationError::NoLongerApplies(format!(
            "the {} +{slug} is no longer in {} (renamed or removed meanwhile)",
            kind.noun(),
            list.path()
        ))
    })?;
    let edit = ProjectEdit {
        status,
        set: set.to_vec(),
        add: add.to_vec(),
    };
    let changed = domain::edited(project, &edit, on).map_err(|error| match error {
        ProjectError::Unchanged(_) => OperationError::NoLongerApplies(error.to_string()),
        other => OperationError::Invalid(other.to_string()),
    })?;
    let words: Vec<String> = status
        .iter()
        .map(|status| format!("status:{status}"))
        .chain(set.iter().map(|(key, value)| format!("{key}:{value}")))
        .chain(add.iter().cloned())
        .collect();
    file.replace(index, ProjectLine::Project(changed));
    Ok(Change {
        files: vec![(list.path().to_string(), Some(file.to_bytes()))],
        summary: subject(&format!("{} {slug}", capitalized(kind)), &words.join(" ")),
        todo: None,
        retargeted: None,
    })
}

pub(super) fn append_log(snapshot: &dyn Snapshot, line: &str) -> Result<Change, OperationError> {
    one_line(line, "a log entry")?;
    let LogLine::Entry(entry) = LogLine::parse(line) else {
        return Err(OperationError::Invalid(format!(
            "{line:?} is not a log entry (expected `YYYY-MM-DD HH:MM NAME: text`)"
        )));
    };
    if entry.text.is_empty() {
        return Err(OperationError::Invalid(notes::NoteError::Empty.to_string()));
    }
    let log = snapshot.read(LOG).map_err(OperationError::Io)?;
    Ok(Change {
        files: vec![(LOG.to_string(), Some(notes::append_line(log, line)))],
        summary: subject("Note", &entry.text),
        todo: None,
        retargeted: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{FileChanges, MEMORY, Operation};
    use super::*;
    use std::collections::HashMap;

    /// Store files by path; a missing one reads as empty.
    struct Store(HashMap<&'static str, &'static str>);

    impl Snapshot for Store {
        fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
            Ok(self.0.get(path).copied().unwrap_or_default().as_bytes().to_vec())
        }
        fn revert(&self, _: &str) -> Result<FileChanges, OperationError> {
            Err(OperationError::NoLongerApplies("no history".into()))
        }
        fn commit_of(&self, _: &str) -> Option<String> {
            None
        }
    }

    const PROJECTS_TXT: &str =
        "+web Site  status:active owner:ana\r\n\r\n+kitchen Kitchen status:blocked odd:tag\r\n+tail Last one";
    const GOALS_TXT: &str = "+ship Ship v2 status:active quarter:2026Q4\n";

    fn store() -> Store {
        Store(HashMap::from([(PROJECTS, PROJECTS_TXT), (GOALS, GOALS_TXT)]))
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn apply(op: Operation) -> Result<(String, String, String), OperationError> {
        let change = op.apply(&store())?;
        let (path, content) = change.files.into_iter().next().unwrap();
        Ok((path, String::from_utf8(content.unwrap()).unwrap(), change.summary))
    }

    #[test]
    fn a_status_change_rewrites_only_its_line() {
        let (path, content, summary) = apply(Operation::SetProjectStatus {
            list: ProjectList::Projects,
            slug: "kitchen".into(),
            status: "done".into(),
            on: day("2026-11-23"),
        })
        .unwrap();
        assert_eq!(path, PROJECTS);
        assert_eq!(
            content,
            "+web Site  status:active owner:ana\r\n\r\nx 2026-11-23 +kitchen Kitchen status:done odd:tag\r\n+tail Last one"
        );
        assert_eq!(summary, "Project kitchen: status blocked → done");

        let (_, content, summary) = apply(Operation::SetProjectStatus {
            list: ProjectList::Goals,
            slug: "ship".into(),
            status: "someday".into(),
            on: day("2026-11-23"),
        })
        .unwrap();
        assert_eq!(content, "+ship Ship v2 status:someday quarter:2026Q4\n");
        assert_eq!(summary, "Goal ship: status active → someday");
    }

    #[test]
    fn a_status_change_that_no_longer_applies_says_why() {
        let cases = [
            ("gone", "done", "no longer in projects.txt"),
            ("web", "active", "already active"),
        ];
        for (slug, status, why) in cases {
            let error = apply(Operation::SetProjectStatus {
                list: ProjectList::Projects,
                slug: slug.into(),
                status: status.into(),
                on: day("2026-11-23"),
            })
            .unwrap_err();
            assert!(matches!(error, OperationError::NoLongerApplies(_)), "{error}");
            assert!(error.to_string().contains(why), "{error}");
        }
        let bad = apply(Operation::SetProjectStatus {
            list: ProjectList::Projects,
            slug: "web".into(),
            status: "busy".into(),
            on: day("2026-11-23"),
        });
        assert!(matches!(bad, Err(OperationError::Invalid(_))));
    }

    #[test]
    fn an_edit_rewrites_only_its_line_and_says_what_it_set() {
        let edit =
            |slug: &str, status: Option<&str>, set: &[(&str, &str)], add: &[&str]| Operation::EditProject {
                list: ProjectList::Projects,
                slug: slug.into(),
                status: status.map(String::from),
                set: set.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                add: add.iter().map(|w| w.to_string()).collect(),
                on: day("2026-11-23"),
            };
        let (path, content, summary) = apply(edit(
            "kitchen",
            Some("active"),
            &[("owner", "ben"), ("due", "2026-12-31")],
            &["+home", "@q4"],
        ))
        .unwrap();
        assert_eq!(path, PROJECTS);
        assert_eq!(
            content,
            "+web Site  status:active owner:ana\r\n\r\n+kitchen Kitchen status:active odd:tag owner:ben due:2026-12-31 +home @q4\r\n+tail Last one"
        );
        assert_eq!(
            summary,
            "Project kitchen: status:active owner:ben due:2026-12-31 +home @q4"
        );
        let same = apply(edit("web", Some("active"), &[("owner", "ana")], &[])).unwrap_err();
        assert!(matches!(same, OperationError::NoLongerApplies(_)), "{same}");
        let gone = apply(edit("gone", None, &[("owner", "ana")], &[])).unwrap_err();
        assert!(matches!(gone, OperationError::NoLongerApplies(_)), "{gone}");
        for bad in [
            edit("web", Some("busy"), &[], &[]),
            edit("web", None, &[("status", "done")], &[]),
            edit("web", None, &[("owner", "two words")], &[]),
            edit("web", None, &[], &["plain"]),
            edit("web", None, &[("owner", "a\u{7}b")], &[]),
        ] {
            assert!(
                matches!(apply(bad.clone()), Err(OperationError::Invalid(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn adding_a_project_appends_it_unless_the_slug_is_taken() {
        let (path, content, summary) = apply(Operation::AddProject {
            list: ProjectList::Projects,
            line: "+garage Clear the garage status:planning".into(),
        })
        .unwrap();
        assert_eq!(path, PROJECTS);
        assert_eq!(
            content,
            format!("{PROJECTS_TXT}\r\n+garage Clear the garage status:planning\r\n")
        );
        assert_eq!(summary, "Add project garage: Clear the garage");
        let (path, content, _) = apply(Operation::AddProject {
            list: ProjectList::Goals,
            line: "+fit Run status:active quarter:2027Q1".into(),
        })
        .unwrap();
        assert_eq!(path, GOALS);
        assert_eq!(
            content,
            format!("{GOALS_TXT}+fit Run status:active quarter:2027Q1\n")
        );

        for (line, no_longer) in [
            ("+ship Again", true),
            ("+web Again", true),
            ("no slug", false),
            ("+ok status:active", false),
            ("+two\nlines", false),
        ] {
            let error = apply(Operation::AddProject {
                list: ProjectList::Projects,
                line: line.into(),
            })
            .unwrap_err();
            assert_eq!(
                matches!(error, OperationError::NoLongerApplies(_)),
                no_longer,
                "{line}: {error}"
            );
        }
    }

    #[test]
    fn log_and_memory_lines_are_appended_with_a_final_newline() {
        let snapshot = Store(HashMap::from([(LOG, "a\r\nb"), (MEMORY, "free text")]));
        let change = Operation::AppendLog {
            line: "2026-11-23 08:00 ana: Quotes in +kitchen".into(),
        }
        .apply(&snapshot)
        .unwrap();
        assert_eq!(
            change.files,
            vec![(
                LOG.to_string(),
                Some(b"a\r\nb\r\n2026-11-23 08:00 ana: Quotes in +kitchen\r\n".to_vec())
            )]
        );
        assert_eq!(change.summary, "Note: Quotes in +kitchen");
        let change = Operation::AppendMemory {
            line: "2026-11-23 08:00 ana: Ruiz called back".into(),
            keep: None,
        }
        .apply(&snapshot)
        .unwrap();
        assert_eq!(
            change.files,
            vec![(
                MEMORY.to_string(),
                Some(b"free text\n2026-11-23 08:00 ana: Ruiz called back\n".to_vec())
            )]
        );
        assert_eq!(change.summary, "Working memory: Ruiz called back");
        for line in [
            "not an entry",
            "2026-11-23 08:00 ana:",
            "2026-11-23 08:00 ana: a\nb",
        ] {
            assert!(
                matches!(
                    Operation::AppendLog { line: line.into() }.apply(&snapshot),
                    Err(OperationError::Invalid(_))
                ),
                "{line}"
            );
        }
        assert!(matches!(
            Operation::AppendMemory {
                line: " ".into(),
                keep: None
            }
            .apply(&snapshot),
            Err(OperationError::Invalid(_))
        ));
    }

    #[test]
    fn the_new_operations_survive_the_journal() {
        let ops = [
            Operation::AddProject {
                list: ProjectList::Goals,
                line: "+fit Run".into(),
            },
            Operation::SetProjectStatus {
                list: ProjectList::Projects,
                slug: "web".into(),
                status: "done".into(),
                on: day("2026-11-23"),
            },
            Operation::EditProject {
                list: ProjectList::Goals,
                slug: "ship".into(),
                status: Some("blocked".into()),
                set: vec![("owner".into(), "ana".into())],
                add: vec!["+q4".into()],
                on: day("2026-11-23"),
            },
            Operation::AppendLog { line: "x".into() },
            Operation::AppendMemory {
                line: "y".into(),
                keep: None,
            },
        ];
        for op in ops {
            let json = serde_json::to_string(&op).unwrap();
            assert_eq!(serde_json::from_str::<Operation>(&json).unwrap(), op, "{json}");
        }
    }
}
