//! The dashboard in process and logged in: a [`Site`] (see `support/web.rs`) whose
//! session cookie and CSRF token go along with every request.
//!
//! ```ignore
//! let dashboard = Dashboard::start(None).await;
//! let page = dashboard.get("/history").await;
//! let answer = dashboard.post_htmx("/tasks", &[("text", "Call Mum due:fri")]).await;
//! ```

use super::web::{Answer, Site};
use myorg_assistant::config::{Config, Secret};
use std::path::PathBuf;

/// A running dashboard and a logged-in browser of Ana's.
pub struct Dashboard {
    site: Site,
    cookie: String,
    csrf: String,
}

impl Dashboard {
    /// The dashboard over a new sample store, with a language model at `llm` (an
    /// OpenAI-compatible server's URL) or none, logged in.
    pub async fn start(llm: Option<&str>) -> Dashboard {
        Dashboard::start_with(llm, |_| {}).await
    }

    /// [`Dashboard::start`], with the configuration changed by `configure` first.
    pub async fn start_with(llm: Option<&str>, configure: impl FnOnce(&mut Config)) -> Dashboard {
        let site = Site::start(llm, |config| {
            config.user.name = Some("Ana".into());
            config.web.secret_key = Some(Secret("a key of more than thirty-two characters".into()));
            configure(config);
        })
        .await;
        let (cookie, csrf) = site.login().await;
        Dashboard { site, cookie, csrf }
    }

    /// The store's folder.
    pub fn store(&self) -> PathBuf {
        self.site.root.clone()
    }

    /// The session's CSRF token.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// `GET path` as a browser without JavaScript.
    pub async fn get(&self, path: &str) -> Answer {
        self.site.get(path, &self.cookie, false).await
    }

    /// `GET path` as htmx asks for a part of a page.
    pub async fn get_htmx(&self, path: &str) -> Answer {
        self.site.get(path, &self.cookie, true).await
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
        self.site.post(path, &self.cookie, &fields, htmx).await
    }
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
