//! The web dashboard in process: a router over a sample store in a temporary folder
//! (Ana, at 2026-11-23 08:00 in Europe/Madrid, `WEB_PASSWORD` set), with a language
//! model or none, and requests sent with tower's `oneshot` (no socket), each with the
//! cookie given. [`super::dashboard::Dashboard`] is the same, logged in.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use myorg_assistant::agent::conversation::Agent;
use myorg_assistant::app::App;
use myorg_assistant::clock::Clock;
use myorg_assistant::config::{Config, Secret};
use myorg_assistant::store::{Store, StoreSettings};
use myorg_assistant::web::{Web, router};
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;
use tower::ServiceExt;

/// The password of the sites made here.
pub const PASSWORD: &str = "correct horse battery";

/// A dashboard over a sample store, at 2026-11-23 08:00 in Madrid.
pub struct Site {
    pub web: Arc<Web>,
    pub root: PathBuf,
    _dir: TempDir,
}

/// An answer: its status, headers and body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// A header's value, or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }

    /// The session cookie it sets (`myorg_session=…`), or "".
    pub fn cookie(&self) -> String {
        self.header("set-cookie")
            .split(';')
            .next()
            .unwrap_or("")
            .to_string()
    }

    /// The first CSRF token of a form on the page.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let at = self.body.find(marker).expect("the page has a form") + marker.len();
        self.body[at..].split('"').next().unwrap_or("").to_string()
    }
}

/// A site with `WEB_PASSWORD` set and no language model; `change` may change the
/// configuration first.
pub async fn site(change: impl FnOnce(&mut Config)) -> Site {
    Site::start(None, change).await
}

impl Site {
    /// A site with a language model at `llm` (an OpenAI-compatible server's URL) or
    /// none; `change` may change the configuration first.
    pub async fn start(llm: Option<&str>, change: impl FnOnce(&mut Config)) -> Site {
        let dir = TempDir::new().unwrap();
        let root = dir.path().join("store");
        let opened = root.clone();
        let store = tokio::task::spawn_blocking(move || Store::open(StoreSettings::local(opened)))
            .await
            .unwrap()
            .unwrap();
        let mut config = Config::default();
        config.store.timezone = Some("Europe/Madrid".into());
        config.user.name = Some("Ana García".into());
        config.user.email = Some("ana@example.com".into());
        config.web.password = Some(Secret(PASSWORD.into()));
        if let Some(url) = llm {
            config.llm.endpoint = Some(url.to_string());
            config.llm.model = Some(super::fake_llm::MODEL.into());
            config.llm.api_key = Some(Secret(super::fake_llm::KEY.into()));
        }
        change(&mut config);
        let now = chrono::NaiveDateTime::parse_from_str("2026-11-23T08:00", "%Y-%m-%dT%H:%M").unwrap();
        let clock = Clock::new(Some(now), chrono_tz::Europe::Madrid);
        let app = Arc::new(App::new(Arc::new(config), Arc::new(store), clock).unwrap());
        let agent = Agent::new(Arc::clone(&app)).unwrap().map(Arc::new);
        let web = Arc::new(Web::new(app, agent).unwrap());
        Site { web, root, _dir: dir }
    }

    fn router(&self) -> Router {
        router(Arc::clone(&self.web))
    }

    /// `GET path` with `cookie` (may be empty); `htmx` as htmx sends it.
    pub async fn get(&self, path: &str, cookie: &str, htmx: bool) -> Answer {
        let mut request = Request::get(path).header(header::HOST, "127.0.0.1:8080");
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        if htmx {
            request = request.header("hx-request", "true");
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// `POST path` with the form `fields`, `cookie`; `htmx` as htmx sends it.
    pub async fn post(&self, path: &str, cookie: &str, fields: &[(&str, &str)], htmx: bool) -> Answer {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut request = Request::post(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        if htmx {
            request = request.header("hx-request", "true");
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Sends `request` as it is.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// Logs in with the password and gives the session cookie and its CSRF token.
    pub async fn login(&self) -> (String, String) {
        let answer = self.post("/login", "", &[("password", PASSWORD)], false).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let cookie = answer.cookie();
        let page = self.get("/tasks", &cookie, false).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        (cookie, page.csrf())
    }

    /// A file of the store.
    pub fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.root.join(name)).unwrap_or_default()
    }

    /// The last commit's message.
    pub fn last_commit(&self) -> String {
        let output = std::process::Command::new("git")
            .args(["log", "-1", "--format=%an%n%B"])
            .current_dir(&self.root)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The number of commits.
    pub fn commits(&self) -> usize {
        super::dashboard::commits(&self.root)
    }
}
