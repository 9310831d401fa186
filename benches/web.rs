//! The dashboard's speed, weight and memory.
//!
//! - Server time to render Today on the sample store, and the first page of Tasks on
//!   a 100k-line todo.txt: medians of in-process requests (tower's `oneshot`, no
//!   socket), as the person logged in.
//! - A page's weight: its HTML, the stylesheet and the scripts, gzip-compressed as
//!   served.
//! - Memory: the resident size of a real `myorg run` (release) before and after 1000
//!   page loads over HTTP.
//!
//! `cargo bench --bench web` (builds the release binary first).

#[path = "support/todo.rs"]
mod todo;

use axum::body::Body;
use axum::http::{Request, header};
use flate2::Compression;
use flate2::write::GzEncoder;
use myorg_assistant::app::App;
use myorg_assistant::clock::Clock;
use myorg_assistant::config::{Config, Secret};
use myorg_assistant::store::{Store, StoreSettings};
use myorg_assistant::web::{Web, router};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const RUNS: usize = 50;
const PASSWORD: &str = "a password for the bench";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sample = tempfile::tempdir().unwrap();
        let web = site(&sample.path().join("store")).await;
        let cookie = login(&web).await;
        let today = median(&web, "/", &cookie).await;
        println!("Today on the sample store: median {today:.2?} of {RUNS}");
        let (html, _) = get(&web, "/", &cookie).await;
        weight("Today", &html);
        let (tasks_html, _) = get(&web, "/tasks", &cookie).await;
        weight("Tasks (sample)", &tasks_html);

        let big = tempfile::tempdir().unwrap();
        let root = big.path().join("store");
        let _ = site(&root).await;
        std::fs::write(root.join("todo.txt"), todo::realistic_todo()).unwrap();
        let web = site(&root).await;
        let cookie = login(&web).await;
        let first = median(&web, "/tasks", &cookie).await;
        println!(
            "Tasks, first page of {} lines: median {first:.2?} of {RUNS}",
            todo::LINES
        );
        let filtered = median(&web, "/tasks?q=%2Bwork", &cookie).await;
        println!("Tasks +work, first page: median {filtered:.2?} of {RUNS}");
    });
    memory();
}

async fn site(root: &Path) -> Arc<Web> {
    let opened = root.to_path_buf();
    let store = tokio::task::spawn_blocking(move || Store::open(StoreSettings::local(opened)))
        .await
        .unwrap()
        .unwrap();
    let mut config = Config::default();
    config.store.timezone = Some("Europe/Madrid".into());
    config.web.password = Some(Secret(PASSWORD.into()));
    let now = chrono::NaiveDateTime::parse_from_str("2026-11-23T08:00", "%Y-%m-%dT%H:%M").unwrap();
    let clock = Clock::new(Some(now), chrono_tz::Europe::Madrid);
    let app = App::new(Arc::new(config), Arc::new(store), clock).unwrap();
    Arc::new(Web::new(Arc::new(app), None).unwrap())
}

async fn login(web: &Arc<Web>) -> String {
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("password={}", PASSWORD.replace(' ', "+"))))
        .unwrap();
    let response = router(Arc::clone(web)).oneshot(request).await.unwrap();
    let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_string()
}

async fn get(web: &Arc<Web>, path: &str, cookie: &str) -> (String, Duration) {
    let request = Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let started = Instant::now();
    let response = router(Arc::clone(web)).oneshot(request).await.unwrap();
    assert!(response.status().is_success(), "{path}: {}", response.status());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let took = started.elapsed();
    (String::from_utf8_lossy(&bytes).into_owned(), took)
}

async fn median(web: &Arc<Web>, path: &str, cookie: &str) -> Duration {
    let _ = get(web, path, cookie).await;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        times.push(get(web, path, cookie).await.1);
    }
    times.sort();
    times[RUNS / 2]
}

fn gzipped(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

fn weight(page: &str, html: &str) {
    let assets = &*myorg_assistant::web::assets::ASSETS;
    let html_gz = gzipped(html.as_bytes());
    let assets_gz: usize = [&assets.htmx, &assets.style, &assets.script]
        .iter()
        .map(|asset| asset.gzipped.len())
        .sum();
    println!(
        "{page}: HTML {:.1} KB ({:.1} KB compressed) + CSS and JS {:.1} KB compressed = {:.1} KB",
        html.len() as f64 / 1024.0,
        html_gz as f64 / 1024.0,
        assets_gz as f64 / 1024.0,
        (html_gz + assets_gz) as f64 / 1024.0
    );
}

/// Resident memory of a real `myorg run` before and after 1000 page loads.
fn memory() {
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--bin", "myorg"])
        .status()
        .unwrap();
    assert!(status.success());
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/myorg");
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(binary)
        .args(["run"])
        .env_clear()
        .env("HOME", dir.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("MYORG_HTTP_ADDR", "127.0.0.1:0")
        .env("WEB_PASSWORD", PASSWORD)
        .env("MYORG_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut first).unwrap();
    let address = first
        .trim()
        .trim_start_matches("myorg: listening on http://")
        .to_string();
    // Keep reading what it prints, so that its writes never fail.
    std::thread::spawn(move || for _ in out.lines() {});
    let body = format!("password={}", PASSWORD.replace(' ', "+"));
    let login = http(&address, "POST", "/login", "", &body);
    let cookie = login
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .and_then(|value| value.split(';').next())
        .unwrap()
        .to_string();
    let pages = ["/", "/tasks", "/calendar", "/projects", "/projects/website"];
    for page in pages {
        http(&address, "GET", page, &cookie, "");
    }
    let before = rss(child.id());
    for n in 0..1000 {
        let answer = http(&address, "GET", pages[n % pages.len()], &cookie, "");
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "{}",
            answer.lines().next().unwrap_or("")
        );
    }
    let after = rss(child.id());
    println!(
        "myorg run: {:.1} MiB resident before, {:.1} MiB after 1000 page loads ({:+.1} MiB)",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        (after as f64 - before as f64) / 1024.0
    );
    stop(&mut child);
}

fn stop(child: &mut std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn http(address: &str, method: &str, path: &str, cookie: &str, body: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// Resident set size in KiB.
fn rss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap()
}
