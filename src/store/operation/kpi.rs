//! The operation on kpi.txt: a reading appended, like a log entry (the file's line
//! ending, a final newline always; other lines keep every byte). The line must read
//! as a reading, so what a replay writes is what was checked.

use super::{Change, KPI, OperationError, Snapshot, subject};
use myorg_domain::notes;
use myorg_parsers::{KpiLine, LineItem};

pub(super) fn add_reading(snapshot: &dyn Snapshot, line: &str) -> Result<Change, OperationError> {
    if line.contains(['\n', '\r']) {
        return Err(OperationError::Invalid("a reading is one line".to_string()));
    }
    let reading = match KpiLine::parse(line) {
        KpiLine::Reading(reading) => reading,
        KpiLine::Unreadable { problem, .. } => return Err(OperationError::Invalid(problem.to_string())),
        KpiLine::Blank | KpiLine::Comment(_) => {
            return Err(OperationError::Invalid(format!(
                "{line:?} is not a reading (expected `YYYY-MM-DD key:value …`)"
            )));
        }
    };
    let file = snapshot.read(KPI).map_err(OperationError::Io)?;
    Ok(Change {
        files: vec![(KPI.to_string(), Some(notes::append_line(file, &reading.render())))],
        summary: subject("Figures", &reading.render()),
        todo: None,
        retargeted: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{OneText as File, Operation};
    use super::*;

    #[test]
    fn a_reading_is_appended_and_anything_else_refused() {
        let op = Operation::AddReading {
            line: "2026-11-23 mrr:1200 users:53".into(),
        };
        let change = op.apply(&File("# figures\r\n2026-11-21 mrr:1100")).unwrap();
        assert_eq!(
            change.files,
            vec![(
                KPI.to_string(),
                Some(b"# figures\r\n2026-11-21 mrr:1100\r\n2026-11-23 mrr:1200 users:53\r\n".to_vec())
            )]
        );
        assert_eq!(change.summary, "Figures: 2026-11-23 mrr:1200 users:53");
        for line in [
            "",
            "# comment",
            "mrr:1",
            "2026-11-23",
            "2026-11-23 MRR:1",
            "2026-11-23 mrr:1\n2026-11-24 mrr:2",
        ] {
            let refused = Operation::AddReading { line: line.into() }.apply(&File(""));
            assert!(
                matches!(refused, Err(OperationError::Invalid(_))),
                "{line:?}: {refused:?}"
            );
        }
        let json = serde_json::to_string(&op).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"add_reading","line":"2026-11-23 mrr:1200 users:53"}"#
        );
        assert_eq!(serde_json::from_str::<Operation>(&json).unwrap(), op);
    }
}
