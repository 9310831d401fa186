//! Who is logged in to the dashboard, and the rules around it.
//!
//! - A session is a signed cookie (`myorg_session`, HMAC-SHA256 with
//!   `WEB_SECRET_KEY`, or a random key per start): the person's handle, an id and an
//!   expiry. `HttpOnly`, `SameSite=Lax`, `Secure` behind https; logging out revokes
//!   its id for the rest of its life.
//! - Every form carries the session's CSRF token (derived from its id), and a
//!   request whose `Origin` is another site is refused.
//! - Passwords: `WEB_PASSWORD` logs in as `[user]`; a person's own password (see
//!   `app::passwords`) as that person. With none configured at all, a one-time login
//!   link is printed at start. Wrong passwords slow the next tries down.

use super::Web;
use crate::app::passwords;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hmac::{Hmac, KeyInit, Mac};
use myorg_domain::people::Person;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use subtle::ConstantTimeEq;

/// The session cookie's name.
pub const COOKIE: &str = "myorg_session";

/// Wrong passwords allowed before the next tries must wait.
const FREE_TRIES: u32 = 5;
/// The longest wait between tries.
const LONGEST_WAIT: Duration = Duration::from_secs(300);
/// The most accounts whose wrong passwords are counted at once.
const MOST_ACCOUNTS: usize = 1000;
/// The count of everyone's wrong passwords.
const ANYONE: &str = "\u{0}anyone";

/// The keys, the revoked sessions, the one-time link and the count of wrong
/// passwords.
pub struct Auth {
    key: Vec<u8>,
    session_life: Duration,
    revoked: Mutex<HashMap<String, u64>>,
    one_time: Mutex<Option<String>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// A logged-in person, from a valid session cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub person: Person,
    pub id: String,
    /// The token every form of this session carries.
    pub csrf: String,
    expires: u64,
}

impl Auth {
    /// Sessions signed with `secret` (else a random key), lasting `session_life`.
    pub fn new(secret: Option<&str>, session_life: Duration) -> anyhow::Result<Auth> {
        let key = match secret.filter(|s| !s.is_empty()) {
            Some(secret) => Sha256::digest(secret.as_bytes()).to_vec(),
            None => random_bytes(32)
                .ok_or_else(|| anyhow::anyhow!("no random key for the dashboard's sessions could be made"))?,
        };
        Ok(Auth {
            key,
            session_life,
            revoked: Mutex::default(),
            one_time: Mutex::default(),
            failures: Mutex::default(),
        })
    }

    /// A new one-time login token (replacing any unused one).
    pub fn one_time_token(&self) -> Option<String> {
        let token = hex(&random_bytes(24)?);
        *lock(&self.one_time) = Some(token.clone());
        Some(token)
    }

    /// Whether `given` is the one-time token; it is spent when it is.
    pub fn spend_one_time(&self, given: &str) -> bool {
        let mut held = lock(&self.one_time);
        let matches = held
            .as_deref()
            .is_some_and(|token| bool::from(token.as_bytes().ct_eq(given.as_bytes())));
        if matches {
            *held = None;
        }
        matches
    }

    /// A new session cookie's value for `handle`.
    pub fn issue(&self, handle: &str) -> Option<String> {
        let expires = unix_now() + self.session_life.as_secs();
        let payload = format!("{handle}\n{}\n{expires}", hex(&random_bytes(16)?));
        let mac = self.mac(payload.as_bytes());
        Some(format!("{}.{}", hex(payload.as_bytes()), hex(&mac)))
    }

    /// The handle, id and expiry of a valid, unrevoked, unexpired cookie value.
    fn verify(&self, value: &str) -> Option<(String, String, u64)> {
        let (payload, mac) = value.split_once('.')?;
        let payload = unhex(payload)?;
        let mac = unhex(mac)?;
        let expected = self.mac(&payload);
        if expected.len() != 32 || !bool::from(expected.as_slice().ct_eq(&mac)) {
            return None;
        }
        let payload = String::from_utf8(payload).ok()?;
        let mut parts = payload.split('\n');
        let (handle, id, expires) = (parts.next()?, parts.next()?, parts.next()?.parse().ok()?);
        if expires <= unix_now() || lock(&self.revoked).contains_key(id) {
            return None;
        }
        Some((handle.to_string(), id.to_string(), expires))
    }

    /// Ends the session `id` (it expires at `expires`).
    pub fn revoke(&self, session: &Session) {
        let now = unix_now();
        let mut revoked = lock(&self.revoked);
        revoked.retain(|_, expires| *expires > now);
        revoked.insert(session.id.clone(), session.expires);
    }

    /// The CSRF token of the session `id`.
    fn csrf(&self, id: &str) -> String {
        let mac = self.mac(format!("csrf\n{id}").as_bytes());
        hex(mac.get(..16).unwrap_or(&mac))
    }

    fn mac(&self, bytes: &[u8]) -> Vec<u8> {
        // HMAC takes a key of any length; the error cannot happen.
        match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) {
            Ok(mut mac) => {
                mac.update(bytes);
                mac.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }

    /// How long `account` must still wait before another try, after wrong passwords
    /// for it, or after very many for anyone.
    pub fn wait_for(&self, account: &str) -> Option<Duration> {
        let failures = lock(&self.failures);
        let wait = |key: &str, free: u32| {
            let (count, last) = failures.get(key)?;
            if *count < free {
                return None;
            }
            let wait = Duration::from_secs(1 << (count - free).min(8)).min(LONGEST_WAIT);
            wait.checked_sub(last.elapsed())
        };
        wait(account, FREE_TRIES).max(wait(ANYONE, FREE_TRIES * 10))
    }

    /// Counts a wrong password for `account`.
    pub fn failed(&self, account: &str) {
        let mut failures = lock(&self.failures);
        // Names made up by the thousand must not fill the memory: the old ones go,
        // and when that is not enough, new names are counted only as anyone's.
        if failures.len() >= MOST_ACCOUNTS {
            failures.retain(|_, (_, last)| last.elapsed() < LONGEST_WAIT);
        }
        for key in [account, ANYONE] {
            if failures.len() >= MOST_ACCOUNTS && !failures.contains_key(key) && key != ANYONE {
                continue;
            }
            let entry = failures.entry(key.to_string()).or_insert((0, Instant::now()));
            entry.0 = entry.0.saturating_add(1);
            entry.1 = Instant::now();
        }
    }

    /// Forgets the wrong passwords of `account` (not anyone's).
    pub fn succeeded(&self, account: &str) {
        lock(&self.failures).remove(account);
    }
}

/// The `Set-Cookie` value of a session cookie (`value` empty: one that ends it).
pub fn cookie(value: &str, max_age: Duration, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age.as_secs()
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("myorg_session=; Max-Age=0"))
}

/// Whether the request came over https (directly or through a proxy that says so).
pub fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

/// The value of the cookie `name` in the request's headers.
fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Whether a request was made by htmx (and so wants a piece of a page).
pub fn from_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

/// Where a person without a session goes: the login page, then back to `path`.
pub fn to_login(headers: &HeaderMap, path: &str) -> Response {
    let next = if path.starts_with('/') && !path.starts_with("//") && path != "/login" {
        format!("/login?next={}", urlencode(path))
    } else {
        "/login".to_string()
    };
    if from_htmx(headers) {
        // htmx follows a redirect itself and would put the login page inside the
        // page; this header sends the whole window there instead.
        let mut response = (StatusCode::OK, "").into_response();
        if let Ok(value) = HeaderValue::from_str(&next) {
            response.headers_mut().insert("hx-redirect", value);
        }
        return response;
    }
    Redirect::to(&next).into_response()
}

impl FromRequestParts<Arc<Web>> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, web: &Arc<Web>) -> Result<Self, Self::Rejection> {
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
        let found = cookie_value(&parts.headers, COOKIE).and_then(|value| web.auth.verify(value));
        let Some((handle, id, expires)) = found else {
            return Err(to_login(&parts.headers, &path));
        };
        let Some(person) = web.app.people.find(&handle).cloned().or_else(|| {
            let me = web.app.config.me().ok()?;
            me.handle.eq_ignore_ascii_case(&handle).then_some(me)
        }) else {
            return Err(to_login(&parts.headers, &path));
        };
        Ok(Session {
            csrf: web.auth.csrf(&id),
            person,
            id,
            expires,
        })
    }
}

/// A form posted by a logged-in person, with the session's CSRF token, from this
/// site.
pub struct Posted<T> {
    pub session: Session,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<Arc<Web>> for Posted<T> {
    type Rejection = Response;

    async fn from_request(request: Request, web: &Arc<Web>) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let session = Session::from_request_parts(&mut parts, web).await?;
        if !same_origin(&parts.headers) {
            return Err(refused("This form came from another site; nothing was changed."));
        }
        let bytes = axum::body::to_bytes(body, 1 << 20)
            .await
            .map_err(|_| refused("The form was too large; nothing was changed."))?;
        #[derive(serde::Deserialize)]
        struct Token {
            #[serde(default)]
            csrf: String,
        }
        let token: Token = serde_urlencoded::from_bytes(&bytes).unwrap_or(Token { csrf: String::new() });
        let header_token = parts
            .headers
            .get("x-csrf-token")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        let given = if token.csrf.is_empty() {
            header_token
        } else {
            token.csrf.as_str()
        };
        if !bool::from(given.as_bytes().ct_eq(session.csrf.as_bytes())) {
            return Err(refused(
                "This form is out of date (its session ended); reload the page. Nothing was changed.",
            ));
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|error| {
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("The form could not be read: {error}"),
            )
                .into_response()
        })?;
        Ok(Posted { session, form })
    }
}

/// Whether the request's `Origin` (when it has one) is the site it was sent to.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

fn refused(message: &str) -> Response {
    (StatusCode::FORBIDDEN, message.to_string()).into_response()
}

/// Whether `password` logs in as the person `name` names (empty: `[user]` with
/// `WEB_PASSWORD`), and as whom.
pub fn check_password(web: &Web, name: &str, password: &str) -> Option<Person> {
    let me = web.app.config.me().ok()?;
    let single = web
        .app
        .config
        .web
        .password
        .as_ref()
        .map(|s| s.0.as_str())
        .filter(|s| !s.is_empty());
    let named = name.trim();
    let person = if named.is_empty() {
        me.clone()
    } else {
        web.app.people.find(named).cloned().or_else(|| {
            (me.name.eq_ignore_ascii_case(named) || me.handle.eq_ignore_ascii_case(named)).then(|| me.clone())
        })?
    };
    let state = web.app.store.state_dir().to_path_buf();
    if passwords::check(&state, &person.handle, password) {
        return Some(person);
    }
    let is_me = person.handle.eq_ignore_ascii_case(&me.handle);
    let single_matches = single.is_some_and(|single| {
        let (a, b) = (
            Sha256::digest(single.as_bytes()),
            Sha256::digest(password.as_bytes()),
        );
        bool::from(a.as_slice().ct_eq(b.as_slice()))
    });
    (is_me && single_matches).then_some(person)
}

/// Whether any password is configured: `WEB_PASSWORD` or someone's own.
pub fn any_password(web: &Web) -> bool {
    web.app
        .config
        .web
        .password
        .as_ref()
        .is_some_and(|s| !s.0.is_empty())
        || !passwords::handles(web.app.store.state_dir()).is_empty()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// `len` random bytes from the operating system, if it has them.
pub fn random_bytes(len: usize) -> Option<Vec<u8>> {
    let mut bytes = vec![0; len];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

/// `text` for a URL's query.
pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|encoded| encoded.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_valid_only_as_issued_and_until_revoked() {
        let auth = Auth::new(Some("a key of thirty-two characters!!"), Duration::from_secs(60)).unwrap();
        let value = auth.issue("ana").unwrap();
        let (handle, id, expires) = auth.verify(&value).unwrap();
        assert_eq!(handle, "ana");
        let mut tampered = value.clone().into_bytes();
        tampered[1] ^= 1;
        assert!(auth.verify(&String::from_utf8(tampered).unwrap()).is_none());
        let other = Auth::new(Some("another key of thirty-two chars!"), Duration::from_secs(60)).unwrap();
        assert!(other.verify(&value).is_none());
        let session = Session {
            person: Person {
                name: "Ana".into(),
                handle: "ana".into(),
                email: None,
                discord_id: None,
                timezone: None,
            },
            csrf: auth.csrf(&id),
            id,
            expires,
        };
        auth.revoke(&session);
        assert!(auth.verify(&value).is_none());
    }

    #[test]
    fn an_expired_cookie_is_refused() {
        let auth = Auth::new(None, Duration::from_secs(0)).unwrap();
        assert!(auth.verify(&auth.issue("ana").unwrap()).is_none());
    }

    #[test]
    fn the_one_time_token_works_once() {
        let auth = Auth::new(None, Duration::from_secs(60)).unwrap();
        let token = auth.one_time_token().unwrap();
        assert!(!auth.spend_one_time("wrong"));
        assert!(auth.spend_one_time(&token));
        assert!(!auth.spend_one_time(&token));
    }

    #[test]
    fn wrong_passwords_make_the_next_tries_wait() {
        let auth = Auth::new(None, Duration::from_secs(60)).unwrap();
        for _ in 0..FREE_TRIES {
            assert!(auth.wait_for("ana").is_none());
            auth.failed("ana");
        }
        assert!(auth.wait_for("ana").is_some());
        assert!(auth.wait_for("ben").is_none());
        auth.succeeded("ana");
        assert!(auth.wait_for("ana").is_none());
        for n in 0..FREE_TRIES * 10 {
            auth.failed(&format!("made-up-{n}"));
        }
        assert!(
            auth.wait_for("ben").is_some(),
            "very many wrong tries slow everyone down"
        );
    }

    #[test]
    fn another_sites_origin_is_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&headers));
    }
}
