//! `myorg calendar days`: the day headers of a date range, checked against the
//! published SHA-256 of every header from 1700-01-01 to 2400-01-01.

use sha2::{Digest, Sha256};

mod support;

fn myorg(args: &[&str]) -> std::process::Output {
    let dir = tempfile::TempDir::new().unwrap();
    support::myorg_command(dir.path(), args, &[])
        .output()
        .expect("myorg runs")
}

#[test]
fn headers_from_1700_to_2400_have_the_published_checksum() {
    let output = myorg(&["calendar", "days", "--from", "1700-01-01", "--to", "2400-01-01"]);
    assert!(output.status.success(), "{output:?}");
    let lines = output.stdout.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(lines, 255_670, "one line per day, both ends included");
    let hex: String = Sha256::digest(&output.stdout)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        hex,
        "343b12bae2b459f0bfe2f676f7350210fae9a19aa54f756cc0a4063098b29b37"
    );
}

#[test]
fn a_range_is_inclusive_and_crosses_iso_years() {
    let output = myorg(&["calendar", "days", "--from", "2026-12-31", "--to", "2027-01-04"]);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "2026-12-31 w53 Thu\n2027-01-01 w53 Fri\n2027-01-02 w53 Sat\n2027-01-03 w53 Sun\n2027-01-04 w01 Mon\n"
    );
}

#[test]
fn bad_ranges_are_clear_errors() {
    let backwards = myorg(&["calendar", "days", "--from", "2026-12-31", "--to", "2026-01-01"]);
    assert!(!backwards.status.success());
    assert!(backwards.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&backwards.stderr).contains("--from 2026-12-31 is after --to 2026-01-01")
    );

    let impossible = myorg(&["calendar", "days", "--from", "2026-02-30", "--to", "2026-03-01"]);
    assert!(!impossible.status.success());
    assert!(String::from_utf8_lossy(&impossible.stderr).contains("\"2026-02-30\" is not a date"));
}
