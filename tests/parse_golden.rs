//! Golden tests for `myorg parse`: each `fixtures/parsers/<format>/NAME.txt` is parsed
//! by the real binary; its standard output must equal `NAME.jsonl` and its standard
//! error (the diagnostics) `NAME.diagnostics`. Every fixture must also round-trip
//! byte for byte through the parsers.
//!
//! To regenerate the expectations after a deliberate change, run with
//! `UPDATE_GOLDEN=1` and review the diff before committing.

use myorg_parsers::{CalendarFile, KpiFile, ProjectsFile, TodoFile};
use std::path::{Path, PathBuf};

mod support;

fn fixtures(format: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/parsers")
        .join(format);
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no fixtures in {}", dir.display());
    inputs
}

fn myorg(args: &[&str]) -> std::process::Output {
    let dir = tempfile::TempDir::new().unwrap();
    support::myorg_command(dir.path(), args, &[])
        .output()
        .expect("myorg runs")
}

/// Compares `actual` with the file at `expected_path`, or writes it when updating.
fn compare(expected_path: &Path, actual: &str, failures: &mut Vec<String>) {
    if support::updating("UPDATE_GOLDEN") {
        std::fs::write(expected_path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(expected_path).unwrap_or_default();
    if expected != actual {
        let first = expected.lines().zip(actual.lines()).position(|(e, a)| e != a);
        failures.push(format!(
            "{} differs (first differing line: {first:?})\n--- expected\n{expected}\n--- actual\n{actual}",
            expected_path.display()
        ));
    }
}

/// Runs `myorg parse FORMAT` on every fixture of FORMAT and checks both outputs.
fn check(format: &str) {
    let mut failures = Vec::new();
    for input in fixtures(format) {
        let output = myorg(&["parse", format, input.to_str().unwrap()]);
        assert!(output.status.success(), "{}: {output:?}", input.display());
        let stdout = String::from_utf8(output.stdout).expect("JSON is UTF-8");
        let stderr = String::from_utf8(output.stderr).expect("diagnostics are UTF-8");
        compare(&input.with_extension("jsonl"), &stdout, &mut failures);
        compare(&input.with_extension("diagnostics"), &stderr, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn todo_golden() {
    check("todo");
}

#[test]
fn projects_golden() {
    check("projects");
}

#[test]
fn calendar_golden() {
    check("calendar");
}

#[test]
fn kpi_golden() {
    check("kpi");
}

#[test]
fn every_fixture_round_trips_byte_for_byte() {
    for format in ["todo", "projects", "calendar", "kpi"] {
        for path in fixtures(format) {
            let input = std::fs::read(&path).unwrap();
            let written = match format {
                "todo" => TodoFile::parse(input.clone()).to_bytes(),
                "projects" => ProjectsFile::parse(input.clone()).to_bytes(),
                "kpi" => KpiFile::parse(input.clone()).to_bytes(),
                _ => CalendarFile::parse(input.clone()).to_bytes(),
            };
            assert!(written == input, "{} changed on round trip", path.display());
        }
    }
}

#[test]
fn parse_reads_standard_input_when_no_file_is_given() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut child = support::myorg_command(dir.path(), &["parse", "todo"], &[])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"(A) a +p\n\nb").unwrap();
    let output = child.wait_with_output().unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["priority"], "A");
    assert_eq!(lines[1]["kind"], "blank");
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[2]["text"], "b");
}

#[test]
fn a_very_long_line_is_one_task() {
    let dir = std::env::temp_dir().join(format!("myorg-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("todo.txt");
    let words: Vec<String> = (0..50_000).map(|i| format!("w{i} +p{} k{i}:v", i % 3)).collect();
    std::fs::write(&path, format!("(B) {}\nshort\n", words.join(" "))).unwrap();
    let output = myorg(&["parse", "todo", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["priority"], "B");
    assert_eq!(first["projects"], serde_json::json!(["p0", "p1", "p2"]));
    assert_eq!(first["tags"].as_object().unwrap().len(), 50_000);
    assert_eq!(stdout.lines().count(), 2);
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let output = myorg(&["parse", "todo", "/nonexistent/todo.txt"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("reading /nonexistent/todo.txt"), "{stderr}");
}

/// `UPDATE_GOLDEN=0` (or empty, or anything but `1`) checks the expectations; it
/// does not rewrite them.
#[test]
fn only_update_golden_1_rewrites_the_expectations() {
    use std::ffi::OsStr;
    assert!(support::asks_to_update(Some(OsStr::new("1"))));
    for value in ["0", "", "true", "yes", " 1", "01"] {
        assert!(!support::asks_to_update(Some(OsStr::new(value))), "{value:?}");
    }
    assert!(!support::asks_to_update(None));
}
