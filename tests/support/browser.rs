//! A real headless Chromium, driven over WebDriver (chromedriver) with fantoccini:
//! Debian's `chromium` and `chromium-driver` (`.ci/run` installs them), started with
//! a fresh profile and without reaching the network, screenshots written under
//! `target/screenshots/`.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// How long a page may take to show what a test waits for.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A chromedriver and one browser session.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
}

fn found(name: &str, candidates: &[&str]) -> PathBuf {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
        .unwrap_or_else(|| {
            panic!(
                "{name} is missing: the browser tests need Debian's chromium and chromium-driver \
                 (apt-get install chromium chromium-driver; .ci/run installs them)"
            )
        })
}

impl Browser {
    /// A new browser, `dark` following a dark system theme.
    pub async fn start(dark: bool) -> Browser {
        let chromium = found("Chromium", &["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
        let chromedriver = found("chromedriver", &["/usr/bin/chromedriver"]);
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = TempDir::new().unwrap();
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if dark {
            args.push("--force-dark-mode".into());
            args.push("--blink-settings=preferredColorScheme=0".into());
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": chromium, "args": args }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a browser session");
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Runs `script` in the page and gives its value.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Waits until `script` (an expression) is true in the page.
    pub async fn until(&self, what: &str, script: &str) {
        let started = Instant::now();
        loop {
            let value = self
                .client
                .execute(&format!("return !!({script});"), vec![])
                .await;
            if matches!(value, Ok(Value::Bool(true))) {
                return;
            }
            if started.elapsed() > PATIENCE {
                let html = self.eval("return document.querySelector('main') ? document.querySelector('main').innerHTML : ''").await;
                let html = html.as_str().unwrap_or("");
                panic!("waited in vain for {what} ({script}); the page holds:\n{html}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The visible text of the page.
    pub async fn text(&self) -> String {
        self.eval("return document.body.innerText")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Types `text` into the field `css` (after emptying it).
    pub async fn fill(&self, css: &str, text: &str) {
        for attempt in 1.. {
            let field = self.client.find(Locator::Css(css)).await.unwrap();
            let typed = match field.clear().await {
                Ok(()) => field.send_keys(text).await,
                Err(error) => Err(error),
            };
            if !self.found_stale(&typed, attempt).await {
                return typed.unwrap();
            }
        }
    }

    /// Clicks the element `css`.
    pub async fn click(&self, css: &str) {
        for attempt in 1.. {
            let clicked = self
                .client
                .find(Locator::Css(css))
                .await
                .unwrap_or_else(|_| panic!("no {css} on the page"))
                .click()
                .await;
            if !self.found_stale(&clicked, attempt).await {
                return clicked.unwrap();
            }
        }
    }

    /// Whether `result` is an element found in a page that the browser replaced
    /// just then (the previous page, while a link or a form loads the next): then the
    /// caller finds it again, after a moment, up to five times.
    async fn found_stale(&self, result: &Result<(), fantoccini::error::CmdError>, attempt: u32) -> bool {
        let stale = matches!(result, Err(error) if error.is_stale_element_reference());
        if stale && attempt < 5 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            return true;
        }
        false
    }

    /// Makes the page's viewport `width` × `height` CSS pixels.
    pub async fn viewport(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.unwrap();
        let inner = self.eval("return window.innerWidth").await.as_u64().unwrap_or(0) as i64;
        let extra = i64::from(width) - inner;
        if extra != 0 {
            let outer = (i64::from(width) + extra).max(100) as u32;
            self.client.set_window_size(outer, height).await.unwrap();
        }
    }

    /// Saves a screenshot as `target/screenshots/NAME.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(format!("{name}.png"));
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
