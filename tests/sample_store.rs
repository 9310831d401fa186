//! The bundled sample store (`fixtures/store/`) becomes every fresh store's template,
//! so it must be clean: no diagnostics, exact round trips, consistent references.

use myorg_parsers::{CalendarFile, KpiFile, LogFile, ProjectsFile, TodoFile};
use std::collections::HashSet;
use std::path::Path;

fn read(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/store")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_store_file_parses_without_diagnostics_and_round_trips() {
    for name in ["todo.txt", "done.txt"] {
        let doc = TodoFile::parse(read(name));
        assert!(doc.diagnostics().is_empty(), "{name}: {:?}", doc.diagnostics());
        assert_eq!(doc.to_bytes(), read(name));
    }
    for name in ["projects.txt", "goals.txt"] {
        let doc = ProjectsFile::parse(read(name));
        assert!(doc.diagnostics().is_empty(), "{name}: {:?}", doc.diagnostics());
    }
    let calendar = CalendarFile::parse(read("calendar.txt"));
    assert!(calendar.diagnostics().is_empty(), "{:?}", calendar.diagnostics());
    let log = LogFile::parse(read("log.txt"));
    assert!(log.diagnostics().is_empty(), "{:?}", log.diagnostics());
    let kpi = KpiFile::parse(read("kpi.txt"));
    assert!(kpi.diagnostics().is_empty(), "{:?}", kpi.diagnostics());
    assert!(
        kpi.readings().count() > 1,
        "a figure needs two readings to change"
    );
}

#[test]
fn references_between_files_resolve() {
    let projects = ProjectsFile::parse(read("projects.txt"));
    let goals = ProjectsFile::parse(read("goals.txt"));
    let goal_slugs: HashSet<&str> = goals.projects().filter_map(|(_, g)| g.slug()).collect();
    for (_, project) in projects.projects() {
        if let Some(goal) = project.goal() {
            assert!(
                goal_slugs.contains(goal),
                "goal:{goal} of +{:?} is not in goals.txt",
                project.slug()
            );
        }
    }
    let project_slugs: HashSet<&str> = projects.projects().filter_map(|(_, p)| p.slug()).collect();
    let todo = TodoFile::parse(read("todo.txt"));
    for (index, task) in todo.tasks() {
        for name in task.projects() {
            assert!(
                project_slugs.contains(name),
                "todo.txt line {}: +{name} is not in projects.txt",
                index + 1
            );
        }
    }
}

#[test]
fn the_sample_uses_every_extension() {
    let todo = TodoFile::parse(read("todo.txt"));
    let tasks: Vec<_> = todo.tasks().map(|(_, t)| t).collect();
    assert!(tasks.len() >= 35, "about 40 tasks");
    assert!(tasks.iter().any(|t| t.due().is_some()));
    assert!(tasks.iter().any(|t| t.threshold().is_some()));
    assert!(tasks.iter().any(|t| t.recurrence().is_some_and(|r| r.strict)));
    assert!(
        tasks
            .iter()
            .any(|t| t.recurrence().is_some() && t.due().is_none() && t.threshold().is_some())
    );
    assert!(tasks.iter().any(|t| t.is_done() && t.kept_priority().is_some()));
    assert!(tasks.iter().any(|t| t.is_hidden()));
    assert!(tasks.iter().any(|t| t.id().is_some()));
    assert!(tasks.iter().any(|t| t.parents().next().is_some()));
    assert!(tasks.iter().any(|t| t.owner().is_some()));
    assert!(
        tasks
            .iter()
            .any(|t| t.is_waiting() && t.waiting_on().is_some() && t.followup().is_some())
    );
}
