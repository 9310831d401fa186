//! The dashboard in process: a `Web` over a new sample store (Ana, at 2026-11-23
//! 08:00 in Europe/Madrid), its router driven request by request with tower's
//! `oneshot`, logged in with `WEB_PASSWORD`; the session cookie and the page's CSRF
//! token go along with every request after that.
//!
//! ```ignore
//! let dashboard = Dashboard::start(None).await;
//! let page = dashboard.get("/history").await;
//! let answer = dashboard.post_htmx("/tasks", &[("text", "Call Mum due:fri")]).await;
//! ```

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
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

/// The password the dashboard is started with.
pub const PASSWORD: &str = "correct horse battery staple";

/// A running dashboard and a logged-in browser of Ana's.
pub struct Dashboard {
    pub dir: TempDir,
    pub web: Arc<Web>,
    cookie: String,
    csrf: String,
}

/// An answer: its status, headers and body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    /// The header `name`, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

impl Dashboard {
    /// The dashboard over a new sample store, with a language model at `llm` (an
    /// OpenAI-compatible server's URL) or none, logged in.
    pub async fn start(llm: Option<&str>) -> Dashboard {
        Dashboard::start_with(llm, |_| {}).await
    }

    /// [`Dashboard::start`], with the configuration changed by `configure` first.
    pub async fn start_with(llm: Option<&str>, configure: impl FnOnce(&mut Config)) -> Dashboard {
        let dir = TempDir::new().unwrap();
        let root = dir.path().join("store");
        let store = tokio::task::spawn_blocking(move || Store::open(StoreSettings::local(root)))
            .await
            .unwrap()
            .unwrap();
        let mut config = Config::default();
        config.user.name = Some("Ana".into());
        config.user.email = Some("ana@example.com".into());
        config.store.timezone = Some("Europe/Madrid".into());
        config.web.password = Some(Secret(PASSWORD.into()));
        config.web.secret_key = Some(Secret("a key of more than thirty-two characters".into()));
        if let Some(url) = llm {
            config.llm.endpoint = Some(url.to_string());
            config.llm.model = Some(super::fake_llm::MODEL.into());
            config.llm.api_key = Some(Secret(super::fake_llm::KEY.into()));
        }
        configure(&mut config);
        let now = "2026-11-23T08:00:00".parse().unwrap();
        let clock = Clock::new(Some(now), config.store_timezone().unwrap());
        let app = Arc::new(App::new(Arc::new(config), Arc::new(store), clock).unwrap());
        let agent = Agent::new(Arc::clone(&app)).unwrap().map(Arc::new);
        let web = Arc::new(Web::new(app, agent).unwrap());
        let mut dashboard = Dashboard {
            dir,
            web,
            cookie: String::new(),
            csrf: String::new(),
        };
        dashboard.log_in().await;
        dashboard
    }

    /// Logs in with [`PASSWORD`] and keeps the session's cookie and CSRF token.
    async fn log_in(&mut self) {
        let body = serde_urlencoded::to_string([("password", PASSWORD), ("next", "/history")]).unwrap();
        let request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let answer = self.send(request).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let cookie = answer.header("set-cookie").expect("a session cookie");
        self.cookie = cookie.split(';').next().unwrap().to_string();
        let page = self.get("/history").await;
        self.csrf = csrf_of(&page.body).expect("the page holds the session's CSRF token");
    }

    /// The store's folder.
    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    /// The session's CSRF token.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// `GET path` as a browser without JavaScript.
    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.request("GET", path, false).body(Body::empty()).unwrap())
            .await
    }

    /// `GET path` as htmx asks for a part of a page.
    pub async fn get_htmx(&self, path: &str) -> Answer {
        self.send(self.request("GET", path, true).body(Body::empty()).unwrap())
            .await
    }

    /// `POST path` of `form` and the session's CSRF token, without JavaScript.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        self.post_as(path, form, false).await
    }

    /// `POST path` of `form` and the session's CSRF token, from htmx.
    pub async fn post_htmx(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        self.post_as(path, form, true).await
    }

    async fn post_as(&self, path: &str, form: &[(&str, &str)], htmx: bool) -> Answer {
        let mut fields = vec![("csrf", self.csrf.as_str())];
        fields.extend_from_slice(form);
        let body = serde_urlencoded::to_string(&fields).unwrap();
        let request = self
            .request("POST", path, htmx)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    fn request(&self, method: &str, path: &str, htmx: bool) -> axum::http::request::Builder {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::COOKIE, &self.cookie);
        if htmx {
            builder = builder.header("hx-request", "true");
        }
        builder
    }

    /// Sends `request` to the dashboard's router and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = router(Arc::clone(&self.web)).oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Answer {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }
}

/// The CSRF token a page's forms carry.
pub fn csrf_of(page: &str) -> Option<String> {
    let at = page.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let rest = &page[at..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The value of the first `attribute="…"` in `html` after `after` (HTML-escaped as
/// the page has it).
pub fn attribute_after(html: &str, after: &str, attribute: &str) -> Option<String> {
    let from = html.find(after)?;
    let needle = format!("{attribute}=\"");
    let at = html[from..].find(&needle)? + from + needle.len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The last commit of the store at `root`: its subject and whole message.
pub fn last_commit(root: &std::path::Path) -> (String, String) {
    let repository = git2::Repository::open(root).unwrap();
    let head = repository.head().unwrap().peel_to_commit().unwrap();
    (
        head.summary().ok().flatten().unwrap_or_default().to_string(),
        head.message().unwrap_or_default().to_string(),
    )
}

/// How many commits the store at `root` has.
pub fn commits(root: &std::path::Path) -> usize {
    let repository = git2::Repository::open(root).unwrap();
    let mut walk = repository.revwalk().unwrap();
    walk.push_head().unwrap();
    walk.count()
}

/// When the last commit of the store at `root` was made, in `zone`.
pub fn last_commit_at(root: &std::path::Path, zone: chrono_tz::Tz) -> chrono::NaiveDateTime {
    let repository = git2::Repository::open(root).unwrap();
    let head = repository.head().unwrap().peel_to_commit().unwrap();
    chrono::DateTime::from_timestamp(head.time().seconds(), 0)
        .unwrap()
        .with_timezone(&zone)
        .naive_local()
}
