//! projects.txt, log.txt and kpi.txt: any bytes parse without panicking and write back
//! unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myorg_parsers::{KpiFile, KpiLine, LineItem, LogFile, ProjectsFile};

fuzz_target!(|data: &[u8]| {
    let projects = ProjectsFile::parse(data.to_vec());
    assert_eq!(projects.to_bytes(), data);
    let _ = projects.diagnostics();
    for (_, project) in projects.projects() {
        let _ = (project.slug(), project.status(), project.quarter(), project.due());
    }
    let log = LogFile::parse(data.to_vec());
    assert_eq!(log.to_bytes(), data);
    let _ = log.diagnostics();
    let kpi = KpiFile::parse(data.to_vec());
    assert_eq!(kpi.to_bytes(), data);
    let _ = kpi.diagnostics();
    for (_, line) in kpi.items() {
        assert_eq!(&KpiLine::parse(&line.render()), line);
    }
});
