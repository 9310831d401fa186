//! `myorg kpi` and `myorg kpi add` through the real binary on a temporary store made
//! from the bundled template, at a fixed time (2026-11-23 08:00) and as `ana`: the
//! latest figures and their change in text and JSON, a reading added as one commit
//! authored by the person, bad figures and dates that change nothing, lines kpi.txt
//! cannot read told and kept byte for byte, a store without kpi.txt, and `myorg kpi
//! chart`: a PNG of the size asked for, decoded and not blank; a bad key, day, size or
//! output file a clear error with no file written.

use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

mod support;
use support::{myorg, stderr, stdout};

const ENV: [(&str, &str); 2] = [
    ("MYORG_USER_NAME", "ana"),
    ("MYORG_USER_EMAIL", "ana@example.com"),
];

fn with_store<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--store", "s"];
    all.extend_from_slice(args);
    all
}

/// The standard output of `myorg --store s ARGS`, which succeeds.
fn run(dir: &Path, args: &[&str]) -> String {
    stdout(&myorg(dir, &with_store(args), &ENV))
}

/// The standard error of `myorg --store s ARGS`, which fails.
fn fail(dir: &Path, args: &[&str]) -> String {
    stderr(&myorg(dir, &with_store(args), &ENV))
}

fn kpi_txt(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("s/kpi.txt")).unwrap_or_default()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir.join("s"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim_end().to_string()
}

fn commits(dir: &Path) -> usize {
    git(dir, &["rev-list", "--count", "HEAD"]).parse().unwrap()
}

#[test]
fn kpi_shows_the_latest_figures_with_their_change_since_the_reading_before() {
    let dir = TempDir::new().unwrap();
    assert_eq!(
        run(dir.path(), &["kpi"]),
        "mrr 1200 on 2026-11-21 (+100 (+9.1%) since 2026-10-31)\n\
         arr 14400 on 2026-11-21 (+1200 (+9.1%) since 2026-10-31)\n\
         users 53 on 2026-11-21 (+6 (+12.8%) since 2026-10-31)\n"
    );
    let json: Vec<serde_json::Value> = run(dir.path(), &["kpi", "--json"])
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(json.len(), 3);
    assert_eq!(
        json[0],
        serde_json::json!({
            "key": "mrr", "value": 1200.0, "date": "2026-11-21", "line": 5,
            "previous": {"value": 1100.0, "date": "2026-10-31"},
            "change": 100.0, "percent": 100.0 / 1100.0 * 100.0,
        })
    );
}

#[test]
fn kpi_add_writes_one_dated_line_in_one_commit_by_the_person() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["kpi"]);
    let before = kpi_txt(dir.path());
    let commits_before = commits(dir.path());
    let said = run(
        dir.path(),
        &[
            "kpi",
            "add",
            "mrr=1300",
            "arr=15600",
            "users=58.5",
            "--date",
            "yesterday",
        ],
    );
    assert_eq!(
        said,
        "Added to kpi.txt: 2026-11-22 mrr:1300 arr:15600 users:58.5\n"
    );
    let mut expected = before.clone();
    expected.extend_from_slice(b"2026-11-22 mrr:1300 arr:15600 users:58.5\n");
    assert_eq!(kpi_txt(dir.path()), expected);
    assert_eq!(commits(dir.path()), commits_before + 1);
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%an|%s"]),
        "ana|Figures: 2026-11-22 mrr:1300 arr:15600 users:58.5"
    );
    assert!(git(dir.path(), &["log", "-1", "--format=%b"]).contains("Requested-by: ana (cli)"));
    assert_eq!(
        run(dir.path(), &["kpi"]).lines().next(),
        Some("mrr 1300 on 2026-11-22 (+100 (+8.3%) since 2026-11-21)")
    );
    // Without --date, today.
    run(dir.path(), &["kpi", "add", "churn=-0.5"]);
    assert!(
        String::from_utf8(kpi_txt(dir.path()))
            .unwrap()
            .ends_with("\n2026-11-23 churn:-0.5\n")
    );
}

#[test]
fn bad_figures_and_dates_are_clear_errors_that_change_nothing() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["kpi"]);
    let before = kpi_txt(dir.path());
    let commits_before = commits(dir.path());
    let table: [(&[&str], &str); 8] = [
        (&["MRR=1200"], "\"MRR\" is not a key: use lowercase letters"),
        (&["mrr=12k"], "\"12k\" is not a number"),
        (&["mrr=1,200"], "\"1,200\" is not a number"),
        (
            &["mrr"],
            "\"mrr\" is not a figure: write KEY=VALUE, like mrr=1200",
        ),
        (&["mrr=1", "mrr=2"], "mrr is given twice in one reading"),
        (&["=5"], "\"\" is not a key"),
        (&["mrr=1", "--date", "2026-02-30"], "2026-02-30"),
        (
            &["mrr=1", "--date", "tomorrow"],
            "2026-11-24 is after today (2026-11-23)",
        ),
    ];
    for (figures, why) in table {
        let mut args = vec!["kpi", "add"];
        args.extend_from_slice(figures);
        let error = fail(dir.path(), &args);
        assert!(
            error.starts_with("myorg: ") && error.contains(why),
            "{figures:?}: {error}"
        );
    }
    let usage = fail(dir.path(), &["kpi", "add"]);
    assert!(usage.contains("KEY=VALUE"), "{usage}");
    assert_eq!(kpi_txt(dir.path()), before);
    assert_eq!(commits(dir.path()), commits_before);
}

#[test]
fn lines_kpi_txt_cannot_read_are_told_and_kept_byte_for_byte() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["kpi"]);
    let hand = b"# by hand\r\n2026-11-01 users:50\r\nusers went up a lot\r\n2026-11-02 users:12k\r\n2026-11-22 users:54";
    std::fs::write(dir.path().join("s/kpi.txt"), hand).unwrap();
    let output = myorg(dir.path(), &with_store(&["kpi"]), &ENV);
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "users 54 on 2026-11-22 (+4 (+8.0%) since 2026-11-01)\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "kpi.txt line 3: not a reading: expected a date (YYYY-MM-DD) first, found \"users\" \
         (the line is kept, not read)\n\
         kpi.txt line 4: \"12k\" is not a number: use digits, with an optional - and decimal \
         point (like 1200, -3.5 or 0.25) (the line is kept, not read)\n"
    );
    run(dir.path(), &["kpi", "add", "users=55"]);
    let mut expected = hand.to_vec();
    expected.extend_from_slice(b"\r\n2026-11-23 users:55\r\n");
    assert_eq!(kpi_txt(dir.path()), expected);
    // The hand edit was saved as its own commit first.
    assert_eq!(
        git(dir.path(), &["log", "-2", "--format=%s"]),
        "Figures: 2026-11-23 users:55\nSave edits made outside the assistant"
    );
}

#[test]
fn a_store_without_kpi_txt_has_no_figures_until_the_first_reading() {
    let dir = TempDir::new().unwrap();
    stdout(&myorg(dir.path(), &["init", "--empty", "s"], &ENV));
    assert_eq!(
        run(dir.path(), &["kpi"]),
        "No figures yet: myorg kpi add KEY=VALUE… adds a reading to kpi.txt.\n"
    );
    assert_eq!(run(dir.path(), &["kpi", "--json"]), "");
    run(dir.path(), &["kpi", "add", "users=1"]);
    assert_eq!(kpi_txt(dir.path()), b"2026-11-23 users:1\n");
    assert_eq!(
        run(dir.path(), &["kpi"]),
        "users 1 on 2026-11-23 (first reading)\n"
    );
}

/// The width and height in a PNG's IHDR, after checking its signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// How many different colours a PNG's pixels have.
fn colours(bytes: &[u8]) -> usize {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let samples = info.color_type.samples();
    let mut seen: Vec<&[u8]> = pixels[..info.buffer_size()].chunks(samples).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

#[test]
fn kpi_chart_writes_a_png_of_the_size_asked_that_is_not_blank() {
    let dir = TempDir::new().unwrap();
    let said = run(dir.path(), &["kpi", "chart", "mrr", "--out", "mrr.png"]);
    assert_eq!(
        said,
        "mrr.png (800×400): Chart of mrr since 2026-08-31: 4 readings, from 820 to 1200.\n"
    );
    let png = std::fs::read(dir.path().join("mrr.png")).unwrap();
    assert_eq!(png_size(&png), (800, 400));
    assert!(colours(&png) > 2, "a blank chart");
    let said = run(
        dir.path(),
        &[
            "kpi",
            "chart",
            "users",
            "--since",
            "2026-10-01",
            "--out",
            "users.png",
            "--width",
            "640",
            "--height",
            "300",
        ],
    );
    assert_eq!(
        said,
        "users.png (640×300): Chart of users since 2026-10-01: 2 readings, from 47 to 53.\n"
    );
    let png = std::fs::read(dir.path().join("users.png")).unwrap();
    assert_eq!(png_size(&png), (640, 300));
    assert!(colours(&png) > 2, "a blank chart");
}

#[test]
fn kpi_chart_of_one_reading_draws_it_as_a_point_and_says_so() {
    let dir = TempDir::new().unwrap();
    stdout(&myorg(dir.path(), &["init", "--empty", "s"], &ENV));
    run(dir.path(), &["kpi", "add", "users=3"]);
    let said = run(dir.path(), &["kpi", "chart", "users", "--out", "one.png"]);
    assert_eq!(
        said,
        "one.png (800×400): Chart of users since 2026-11-23: one reading (3 on 2026-11-23), \
         drawn as a single point.\n"
    );
    let png = std::fs::read(dir.path().join("one.png")).unwrap();
    assert_eq!(png_size(&png), (800, 400));
    assert!(colours(&png) > 2, "a blank chart");
}

#[test]
fn kpi_chart_of_a_bad_key_day_size_or_file_writes_nothing() {
    let dir = TempDir::new().unwrap();
    run(dir.path(), &["kpi"]);
    std::fs::create_dir(dir.path().join("not-a-file.png")).unwrap();
    let table: [(&[&str], &str); 6] = [
        (
            &["xyz"],
            "there are no figures for xyz; kpi.txt has mrr, arr, users",
        ),
        (
            &["mrr", "--since", "2026-11-22"],
            "there are no figures for mrr since 2026-11-22: its latest reading is of 2026-11-21",
        ),
        (&["mrr", "--since", "2026-02-30"], "2026-02-30"),
        (
            &["mrr", "--width", "10"],
            "a chart of 10×400 pixels cannot be drawn",
        ),
        (&["mrr", "--height", "90000"], "the height 150–4000"),
        (
            &["mrr", "--out", "no/such/dir/x.png"],
            "cannot write no/such/dir/x.png",
        ),
    ];
    for (args, why) in table {
        let mut all = vec!["kpi", "chart"];
        all.extend_from_slice(args);
        if !args.contains(&"--out") {
            all.extend_from_slice(&["--out", "x.png"]);
        }
        let error = fail(dir.path(), &all);
        assert!(
            error.starts_with("myorg: ") && error.contains(why),
            "{args:?}: {error}"
        );
        assert!(!dir.path().join("x.png").exists(), "{args:?}");
    }
    let error = fail(dir.path(), &["kpi", "chart", "mrr", "--out", "not-a-file.png"]);
    assert!(error.contains("cannot write not-a-file.png"), "{error}");
    let usage = fail(dir.path(), &["kpi", "chart", "mrr"]);
    assert!(usage.contains("--out"), "{usage}");
    // A store without kpi.txt.
    stdout(&myorg(dir.path(), &["init", "--empty", "e"], &ENV));
    let error = stderr(&myorg(
        dir.path(),
        &["--store", "e", "kpi", "chart", "mrr", "--out", "x.png"],
        &ENV,
    ));
    assert!(
        error.contains("there are no figures for mrr, and kpi.txt has no readings yet"),
        "{error}"
    );
    assert!(!dir.path().join("x.png").exists());
}
