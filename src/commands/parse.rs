//! `myorg parse todo|projects|calendar|kpi [FILE]`: one JSON object per input line, in
//! order, for checking the parsers from outside. Diagnostics go to standard error.

use anyhow::Context;
use myorg_parsers::calendar::{CalendarLine, Event};
use myorg_parsers::{CalendarFile, Diagnostic, KpiFile, KpiLine, ProjectsFile, Task, TodoFile};
use serde_json::{Map, Value, json};
use std::io::{Read, Write};
use std::path::Path;

/// The grammars `myorg parse` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ParseFormat {
    /// todo.txt or done.txt.
    Todo,
    /// projects.txt or goals.txt.
    Projects,
    /// calendar.txt.
    Calendar,
    /// kpi.txt.
    Kpi,
}

/// Reads `file` (or standard input) and prints its lines as JSON.
pub fn run(format: ParseFormat, file: Option<&Path>) -> anyhow::Result<()> {
    let input = match file {
        Some(path) if path != Path::new("-") => {
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))?
        }
        _ => {
            let mut buffer = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buffer)
                .context("reading standard input")?;
            buffer
        }
    };
    let (lines, diagnostics) = render(format, input);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in &lines {
        serde_json::to_writer(&mut out, line).context("writing to standard output")?;
        out.write_all(b"\n").context("writing to standard output")?;
    }
    out.flush().context("writing to standard output")?;
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
    Ok(())
}

/// The JSON object of every line, and the document's diagnostics.
pub fn render(format: ParseFormat, input: Vec<u8>) -> (Vec<Value>, Vec<Diagnostic>) {
    match format {
        ParseFormat::Todo => {
            let doc = TodoFile::parse(input);
            let lines = doc
                .items()
                .map(|(i, line)| task_json(i + 1, line.task()))
                .collect();
            (lines, doc.diagnostics())
        }
        ParseFormat::Projects => {
            let doc = ProjectsFile::parse(input);
            let lines = doc
                .items()
                .map(|(i, line)| task_json(i + 1, line.project().map(|p| &p.task)))
                .collect();
            (lines, doc.diagnostics())
        }
        ParseFormat::Calendar => {
            let doc = CalendarFile::parse(input);
            let lines = doc.items().map(|(i, line)| calendar_json(i + 1, line)).collect();
            (lines, doc.diagnostics())
        }
        ParseFormat::Kpi => {
            let doc = KpiFile::parse(input);
            let lines = doc
                .items()
                .map(|(i, line)| kpi_json(i + 1, line, &doc.text(i).unwrap_or_default()))
                .collect();
            (lines, doc.diagnostics())
        }
    }
}

/// `{"line", "kind", "done", "priority", "completed", "created", "projects",
/// "contexts", "tags", "text"}`; a blank line has `kind: "blank"` and empty fields.
fn task_json(line: usize, task: Option<&Task>) -> Value {
    let Some(task) = task else {
        return json!({
            "line": line, "kind": "blank", "done": false, "priority": null, "completed": null,
            "created": null, "projects": [], "contexts": [], "tags": {}, "text": "",
        });
    };
    let mut tags = Map::new();
    for (key, value) in task.tags() {
        match tags.get_mut(key) {
            None => {
                tags.insert(key.to_string(), Value::from(value));
            }
            Some(Value::Array(values)) => values.push(Value::from(value)),
            Some(first) => *first = Value::Array(vec![first.take(), Value::from(value)]),
        }
    }
    json!({
        "line": line,
        "kind": "task",
        "done": task.is_done(),
        "priority": task.priority().map(|p| p.to_string()),
        "completed": task.completed().map(|d| d.to_string()),
        "created": task.created().map(|d| d.to_string()),
        "projects": unique(task.projects()),
        "contexts": unique(task.contexts()),
        "tags": tags,
        "text": task.description(),
    })
}

/// Names in order of first appearance, without repeats.
fn unique<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = Vec::new();
    for name in names {
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen
}

/// `{"line", "kind", "date", "week", "weekday", "year", "month", "text", "events",
/// "valid", "errors"}`; fields that do not apply to the kind are null.
fn calendar_json(line: usize, item: &CalendarLine) -> Value {
    let mut errors = Vec::new();
    item.problems(&mut errors);
    let (kind, date, week, weekday, year, month, events) = match item {
        CalendarLine::Blank => ("blank", None, None, None, None, None, None),
        CalendarLine::Invalid(_) => ("invalid", None, None, None, None, None, None),
        CalendarLine::Day(day) => {
            let events = day.events().iter().map(event_json).collect::<Vec<_>>();
            let date = Some(day.date.to_string());
            (
                "day",
                date,
                Some(day.week),
                Some(day.weekday.as_str()),
                None,
                None,
                Some(events),
            )
        }
        CalendarLine::WeekGoal(goal) => (
            "week",
            Some(goal.date.to_string()),
            Some(goal.week),
            None,
            None,
            None,
            None,
        ),
        CalendarLine::Month(m) => ("month", None, None, None, Some(m.year), Some(m.month), None),
        CalendarLine::Year(y) => ("year", None, None, None, Some(y.year), None, None),
    };
    json!({
        "line": line,
        "kind": kind,
        "date": date,
        "week": week,
        "weekday": weekday,
        "year": year,
        "month": month,
        "text": item.text(),
        "events": events,
        "valid": errors.is_empty(),
        "errors": errors,
    })
}

fn event_json(event: &Event) -> Value {
    json!({
        "start": event.start.map(|t| t.to_string()),
        "end": event.end.map(|t| t.to_string()),
        "text": event.text,
    })
}

/// `{"line", "kind", "date", "figures", "text"}`: kind `reading` (its date, and its
/// figures by key, values as decimal text), `comment`, `blank` or `unreadable`; the
/// text as written.
fn kpi_json(line: usize, item: &KpiLine, text: &str) -> Value {
    let (kind, reading) = match item {
        KpiLine::Blank => ("blank", None),
        KpiLine::Comment(_) => ("comment", None),
        KpiLine::Reading(reading) => ("reading", Some(reading)),
        KpiLine::Unreadable { .. } => ("unreadable", None),
    };
    let figures: Map<String, Value> = reading
        .iter()
        .flat_map(|reading| reading.figures())
        .map(|figure| (figure.key().to_string(), Value::from(figure.value().to_string())))
        .collect();
    json!({
        "line": line,
        "kind": kind,
        "date": reading.map(|reading| reading.date().to_string()),
        "figures": figures,
        "text": text,
    })
}
