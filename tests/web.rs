//! The web dashboard's routes in process: logging in and out, sessions, CSRF and
//! origin checks, the Today and Tasks pages and their changes, confirmations, bad
//! input, text from the files shown as text, assets and the live version.

mod support;

use axum::http::StatusCode;
use myorg_assistant::app::passwords;
use support::web::{PASSWORD, site};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_without_a_session_sends_to_the_login_page() {
    let site = site(|_| {}).await;
    let answer = site.get("/tasks?q=%2Bwebsite", "", false).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(
        answer.header("location"),
        "/login?next=%2Ftasks%3Fq%3D%252Bwebsite"
    );
    let htmx = site.get("/tasks", "", true).await;
    assert_eq!(htmx.header("hx-redirect"), "/login?next=%2Ftasks");
    let forged = site.get("/", "myorg_session=00.00", false).await;
    assert_eq!(forged.status, StatusCode::SEE_OTHER);
    let login = site.get("/login", "", false).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.contains("type=\"password\""), "{}", login.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_logs_in_and_goes_where_the_person_was_going() {
    let site = site(|_| {}).await;
    let wrong = site
        .post("/login", "", &[("password", "nope"), ("next", "/tasks")], false)
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.body.contains("That password is not right."),
        "{}",
        wrong.body
    );
    assert!(wrong.cookie().is_empty());
    let right = site
        .post("/login", "", &[("password", PASSWORD), ("next", "/tasks")], false)
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.header("location"), "/tasks");
    let set = right.header("set-cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Max-Age="),
        "{set}"
    );
    assert!(!set.contains("Secure"), "{set}");
    let today = site.get("/", &right.cookie(), false).await;
    assert_eq!(today.status, StatusCode::OK);
    assert!(today.body.contains("Monday 23 November 2026"), "{}", today.body);
    assert!(today.body.contains("Log out Ana García"), "{}", today.body);
    // The briefing's own suggestions give way to the page's "Suggested next" card.
    assert!(
        today.body.contains("Suggested next") && !today.body.contains(">Suggested</h2>"),
        "{}",
        today.body
    );
    // Elsewhere than this site is never a place to go back to.
    let away = site
        .post(
            "/login",
            "",
            &[("password", PASSWORD), ("next", "//evil.example/")],
            false,
        )
        .await;
    assert_eq!(away.header("location"), "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_https_the_cookie_is_secure() {
    let site = site(|_| {}).await;
    let request = axum::http::Request::post("/login")
        .header("host", "myorg.example")
        .header("x-forwarded-proto", "https")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!(
            "password={}",
            PASSWORD.replace(' ', "+")
        )))
        .unwrap();
    let answer = site.send(request).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        answer.header("set-cookie").contains("; Secure"),
        "{}",
        answer.header("set-cookie")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persons_own_password_logs_them_in_as_themselves() {
    let site = site(|config| {
        config.people = vec![myorg_assistant::config::PersonConfig {
            name: "Ben Ortiz".into(),
            email: Some("ben@example.com".into()),
            ..Default::default()
        }];
    })
    .await;
    passwords::set(site.web.app.store.state_dir(), "ben", "bens own password").unwrap();
    let page = site.get("/login", "", false).await;
    assert!(
        page.body.contains("name=\"name\""),
        "the form asks for a name: {}",
        page.body
    );
    let shared = site
        .post("/login", "", &[("name", "Ben"), ("password", PASSWORD)], false)
        .await;
    assert_eq!(
        shared.status,
        StatusCode::UNAUTHORIZED,
        "the shared password is [user]'s only"
    );
    let own = site
        .post(
            "/login",
            "",
            &[("name", "Ben"), ("password", "bens own password")],
            false,
        )
        .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER);
    let cookie = own.cookie();
    let tasks = site.get("/tasks", &cookie, false).await;
    let csrf = tasks.csrf();
    let added = site
        .post(
            "/tasks",
            &cookie,
            &[("csrf", &csrf), ("text", "Order the bike parts")],
            true,
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let commit = site.last_commit();
    assert!(commit.starts_with("Ben Ortiz\n"), "{commit}");
    assert!(commit.contains("Requested-by: Ben Ortiz (web)"), "{commit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_slow_the_next_tries_down() {
    let site = site(|_| {}).await;
    for _ in 0..5 {
        let wrong = site.post("/login", "", &[("password", "guess")], false).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    let blocked = site.post("/login", "", &[("password", PASSWORD)], false).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        blocked.body.contains("Too many wrong passwords"),
        "{}",
        blocked.body
    );
    assert!(blocked.cookie().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_password_only_the_one_time_link_logs_in_once() {
    let site = site(|config| config.web.password = None).await;
    assert!(site.web.needs_link());
    let page = site.get("/login", "", false).await;
    assert!(page.body.contains("login link"), "{}", page.body);
    assert!(!page.body.contains("type=\"password\""));
    let nothing = site.post("/login", "", &[("password", "")], false).await;
    assert_eq!(nothing.status, StatusCode::UNAUTHORIZED);
    let token = site.web.auth.one_time_token().unwrap();
    let first = site.get(&format!("/login?token={token}"), "", false).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert!(!first.cookie().is_empty());
    assert_eq!(site.get("/", &first.cookie(), false).await.status, StatusCode::OK);
    let again = site.get(&format!("/login?token={token}"), "", false).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.cookie().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_out_ends_the_session_even_for_a_copy_of_its_cookie() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let out = site.post("/logout", &cookie, &[("csrf", &csrf)], false).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    let after = site.get("/", &cookie, false).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_without_its_token_or_from_another_site_changes_nothing() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let (todo, commits) = (site.file("todo.txt"), site.commits());
    let without = site
        .post("/tasks", &cookie, &[("text", "Forged task")], false)
        .await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    let wrong = site
        .post(
            "/tasks",
            &cookie,
            &[("csrf", "0123"), ("text", "Forged task")],
            false,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let request = axum::http::Request::post("/tasks")
        .header("host", "127.0.0.1:8080")
        .header("origin", "https://evil.example")
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!("csrf={csrf}&text=Forged")))
        .unwrap();
    assert_eq!(site.send(request).await.status, StatusCode::FORBIDDEN);
    let no_session = site
        .post("/tasks", "", &[("csrf", &csrf), ("text", "Forged task")], false)
        .await;
    assert_eq!(no_session.status, StatusCode::SEE_OTHER);
    assert_eq!(site.file("todo.txt"), todo);
    assert_eq!(site.commits(), commits);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_task_with_a_date_in_words_is_one_commit_by_the_person() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let commits = site.commits();
    let added = site
        .post(
            "/tasks",
            &cookie,
            &[("csrf", &csrf), ("text", "Call the plumber due:fri +home")],
            true,
        )
        .await;
    assert_eq!(added.status, StatusCode::OK);
    assert_eq!(added.header("hx-trigger"), "store-changed");
    assert!(added.body.contains("Added"), "{}", added.body);
    assert!(
        site.file("todo.txt")
            .contains("Call the plumber due:2026-11-27 +home"),
        "{}",
        site.file("todo.txt")
    );
    assert_eq!(site.commits(), commits + 1);
    let commit = site.last_commit();
    assert!(commit.contains("Requested-by: Ana García (web)"), "{commit}");
    // Without JavaScript: back to the list.
    let plain = site
        .post(
            "/tasks",
            &cookie,
            &[("csrf", &csrf), ("text", "Fix the gate")],
            false,
        )
        .await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER);
    assert_eq!(plain.header("location"), "/tasks");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_said_next_to_the_form_and_changes_nothing() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let (todo, commits) = (site.file("todo.txt"), site.commits());
    let empty = site
        .post("/tasks", &cookie, &[("csrf", &csrf), ("text", "   ")], true)
        .await;
    assert!(empty.body.contains("class=\"error\""), "{}", empty.body);
    assert!(empty.body.contains("a task needs some words"), "{}", empty.body);
    assert!(empty.header("hx-trigger").is_empty());
    let unknown = site
        .post("/tasks/zzzz/done", &cookie, &[("csrf", &csrf)], true)
        .await;
    assert!(unknown.body.contains("class=\"error\""), "{}", unknown.body);
    let plain = site
        .post("/tasks/zzzz/done", &cookie, &[("csrf", &csrf)], false)
        .await;
    assert_eq!(plain.status, StatusCode::NOT_FOUND);
    assert!(plain.body.contains("Nothing changed"), "{}", plain.body);
    let hit = first_task(&site, &cookie, "Call+Mum").await;
    let impossible = site
        .post(
            &format!("/tasks/{}/edit", hit.0),
            &cookie,
            &[("csrf", &csrf), ("seen", &hit.1), ("due", "2026-02-30")],
            true,
        )
        .await;
    assert!(impossible.body.contains("class=\"error\""), "{}", impossible.body);
    assert_eq!(site.file("todo.txt"), todo);
    assert_eq!(site.commits(), commits);
}

/// The reference and line of the first task the filter `q` finds.
async fn first_task(site: &support::web::Site, cookie: &str, q: &str) -> (String, String) {
    let page = site.get(&format!("/tasks?q={q}"), cookie, false).await;
    let marker = "data-ref=\"";
    let at = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("no task for {q}: {}", page.body))
        + marker.len();
    let reference = page.body[at..].split('"').next().unwrap().to_string();
    let todo = site.file("todo.txt");
    let edit = site.get(&format!("/tasks/{reference}/edit"), cookie, true).await;
    let marker = "name=\"seen\" value=\"";
    let at = edit.body.find(marker).unwrap() + marker.len();
    let seen = html_unescape(edit.body[at..].split('"').next().unwrap());
    assert!(todo.lines().any(|line| line == seen), "{seen} in {todo}");
    (reference, seen)
}

fn html_unescape(text: &str) -> String {
    text.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn done_and_edit_change_the_task_and_a_stale_edit_changes_nothing() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let (reference, seen) = first_task(&site, &cookie, "Call+Mum").await;
    let edited = site
        .post(
            &format!("/tasks/{reference}/edit"),
            &cookie,
            &[
                ("csrf", &csrf),
                ("seen", &seen),
                ("due", "2026-12-24"),
                ("priority", "A"),
            ],
            true,
        )
        .await;
    assert!(edited.body.contains("Edited"), "{}", edited.body);
    let todo = site.file("todo.txt");
    let line = todo
        .lines()
        .find(|line| line.contains("Call Mum"))
        .unwrap()
        .to_string();
    assert!(
        line.starts_with("(A) ") && line.contains("due:2026-12-24"),
        "{line}"
    );
    // Someone rewords it meanwhile; the page, drawn before, rewords it too: the
    // store says the edit no longer applies, and nothing changes.
    let reworded = todo.replace(&line, &line.replace("Call Mum", "Ring Mum"));
    std::fs::write(site.root.join("todo.txt"), &reworded).unwrap();
    let (_, seen_now) = first_task(&site, &cookie, "Ring+Mum").await;
    let todo = site.file("todo.txt");
    let commits = site.commits();
    let stale = site
        .post(
            &format!("/tasks/{reference}/edit"),
            &cookie,
            &[
                ("csrf", &csrf),
                ("seen", &line),
                ("text", "Phone Mum about lunch"),
            ],
            false,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("reworded meanwhile"), "{}", stale.body);
    // At most the hand edit was saved, as before any change.
    assert!(site.commits() <= commits + 1);
    assert!(
        !site.last_commit().contains("Phone Mum"),
        "{}",
        site.last_commit()
    );
    assert_eq!(site.file("todo.txt"), todo);
    assert!(todo.lines().any(|l| l == seen_now));
    let (reference, _) = first_task(&site, &cookie, "Ring+Mum").await;
    let done = site
        .post(
            &format!("/tasks/{reference}/done"),
            &cookie,
            &[("csrf", &csrf)],
            true,
        )
        .await;
    assert!(done.body.contains("Done:"), "{}", done.body);
    assert!(
        site.file("todo.txt")
            .lines()
            .any(|l| l.starts_with("x ") && l.contains("Ring Mum"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_waits_for_yes_and_is_applied_once() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let (reference, seen) = first_task(&site, &cookie, "Call+Mum").await;
    let commits = site.commits();
    let asked = site
        .post(
            &format!("/tasks/{reference}/delete"),
            &cookie,
            &[("csrf", &csrf)],
            true,
        )
        .await;
    assert!(asked.body.contains("Delete this task?"), "{}", asked.body);
    assert_eq!(site.commits(), commits, "nothing changes before yes");
    let marker = "action=\"/confirm/";
    let at = asked.body.find(marker).unwrap() + marker.len();
    let id = asked.body[at..].split('"').next().unwrap().to_string();
    let yes = site
        .post(&format!("/confirm/{id}"), &cookie, &[("csrf", &csrf)], true)
        .await;
    assert!(yes.body.contains("Done:"), "{}", yes.body);
    assert!(!site.file("todo.txt").lines().any(|line| line == seen));
    assert_eq!(site.commits(), commits + 1);
    let again = site
        .post(&format!("/confirm/{id}"), &cookie, &[("csrf", &csrf)], true)
        .await;
    assert!(again.body.contains("class=\"error\""), "{}", again.body);
    assert_eq!(site.commits(), commits + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_from_the_files_is_shown_as_text() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let hostile = "Look at <script>alert(1)</script> and <img src=x onerror=alert(2)>";
    let added = site
        .post("/tasks", &cookie, &[("csrf", &csrf), ("text", hostile)], true)
        .await;
    assert!(added.body.contains("&#60;script&#62;"), "{}", added.body);
    for page in ["/tasks?q=alert", "/"] {
        let body = site.get(page, &cookie, false).await.body;
        assert!(
            !body.contains("<script>alert") && !body.contains("<img src=x"),
            "{page}: {body}"
        );
    }
    let tasks = site.get("/tasks?q=alert", &cookie, false).await;
    assert!(
        tasks.body.contains("&#60;img src=x onerror=alert(2)&#62;"),
        "{}",
        tasks.body
    );
    let csp = tasks.header("content-security-policy");
    assert!(csp.contains("script-src 'self'"), "{csp}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_filter_is_in_the_address_and_htmx_gets_only_the_list() {
    let site = site(|_| {}).await;
    let (cookie, _) = site.login().await;
    let page = site.get("/tasks?q=%2Bwebsite", &cookie, false).await;
    assert!(page.body.contains("<html"), "a whole page");
    assert!(page.body.contains("+website"));
    assert!(!page.body.contains("Water the balcony"), "{}", page.body);
    let part = site.get("/tasks?q=%2Bwebsite", &cookie, true).await;
    assert!(!part.body.contains("<html"), "{}", part.body);
    assert!(part.body.contains("id=\"task-list\""));
    let overdue = site.get("/tasks?q=is%3Aoverdue", &cookie, true).await;
    assert!(overdue.body.contains("overdue, due"), "{}", overdue.body);
    let bad = site.get("/tasks?q=due%3Cblursday", &cookie, true).await;
    assert!(bad.body.contains("class=\"error\""), "{}", bad.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_list_comes_in_pages() {
    let site = site(|_| {}).await;
    let lines: String = (1..=120)
        .map(|n| format!("Numbered chore {n} +chores\n"))
        .collect();
    let mut todo = site.file("todo.txt");
    todo.push_str(&lines);
    std::fs::write(site.root.join("todo.txt"), todo).unwrap();
    let (cookie, _) = site.login().await;
    let first = site.get("/tasks?q=%2Bchores", &cookie, false).await;
    assert!(first.body.contains("1–50 of 120"), "{}", first.body);
    assert!(first.body.contains("Page 1 of 3"));
    let third = site.get("/tasks?q=%2Bchores&page=3", &cookie, true).await;
    assert!(third.body.contains("101–120 of 120"), "{}", third.body);
    let beyond = site.get("/tasks?q=%2Bchores&page=99", &cookie, true).await;
    assert!(beyond.body.contains("Page 3 of 3"), "{}", beyond.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_are_cached_and_compressed_and_the_version_follows_the_store() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let page = site.get("/", &cookie, false).await;
    let marker = "src=\"/static/htmx-";
    let at = page.body.find(marker).unwrap() + "src=\"".len();
    let path = page.body[at..].split('"').next().unwrap().to_string();
    let request = axum::http::Request::get(&path)
        .header("accept-encoding", "gzip, br")
        .body(axum::body::Body::empty())
        .unwrap();
    let asset = site.send(request).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.header("content-encoding"), "gzip");
    assert!(asset.header("cache-control").contains("immutable"));
    assert_eq!(
        site.get("/static/htmx-00000000.js", "", false).await.status,
        StatusCode::NOT_FOUND
    );
    let before = site.get("/version", &cookie, false).await.body;
    assert_eq!(site.get("/version", &cookie, false).await.body, before);
    site.post(
        "/tasks",
        &cookie,
        &[("csrf", &csrf), ("text", "Something new")],
        true,
    )
    .await;
    assert_ne!(site.get("/version", &cookie, false).await.body, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calendar_shows_a_month_or_a_week_and_adds_an_event_as_typed() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let month = site.get("/calendar", &cookie, false).await;
    assert!(month.body.contains("November 2026"), "{}", month.body);
    assert!(month.body.contains("aria-current=\"date\""));
    assert!(month.body.contains("standup"), "{}", month.body);
    let week = site.get("/calendar?week=2026-11-25", &cookie, true).await;
    assert!(week.body.contains("Week of 23 November 2026"), "{}", week.body);
    assert!(!week.body.contains("<html"));
    let bad = site.get("/calendar?month=2026-13", &cookie, false).await;
    assert!(bad.body.contains("is not a month"), "{}", bad.body);
    let commits = site.commits();
    let added = site
        .post(
            "/calendar",
            &cookie,
            &[("csrf", &csrf), ("text", "tomorrow 14:30-15 dentist")],
            true,
        )
        .await;
    assert_eq!(added.header("hx-trigger"), "store-changed", "{}", added.body);
    assert!(site.file("calendar.txt").contains("dentist"));
    assert_eq!(site.commits(), commits + 1);
    assert!(site.last_commit().contains("Requested-by: Ana García (web)"));
    let impossible = site
        .post(
            "/calendar",
            &cookie,
            &[("csrf", &csrf), ("text", "2026-02-30 10:00 nothing")],
            true,
        )
        .await;
    assert!(impossible.body.contains("class=\"error\""), "{}", impossible.body);
    let empty = site
        .post("/calendar", &cookie, &[("csrf", &csrf), ("text", " ")], true)
        .await;
    assert!(empty.body.contains("say when and what"), "{}", empty.body);
    assert_eq!(site.commits(), commits + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projects_are_listed_shown_and_changed() {
    let site = site(|_| {}).await;
    let (cookie, csrf) = site.login().await;
    let list = site.get("/projects", &cookie, false).await;
    assert!(list.body.contains("Relaunch the team website"), "{}", list.body);
    assert!(list.body.contains("<progress"), "{}", list.body);
    assert!(list.body.contains("Goals"));
    let one = site.get("/projects/website", &cookie, false).await;
    assert!(
        one.body.contains("Open tasks") && one.body.contains("Log"),
        "{}",
        one.body
    );
    assert!(
        one.body
            .contains("href=\"https://github.com/example/site/pull/42\""),
        "links in the log are links"
    );
    let missing = site.get("/projects/nosuch", &cookie, false).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let commits = site.commits();
    let blocked = site
        .post(
            "/projects/website",
            &cookie,
            &[("csrf", &csrf), ("status", "blocked")],
            true,
        )
        .await;
    assert_eq!(blocked.header("hx-trigger"), "store-changed", "{}", blocked.body);
    assert!(
        site.file("projects.txt")
            .lines()
            .any(|l| l.contains("+website") && l.contains("blocked"))
    );
    let same = site
        .post(
            "/projects/website",
            &cookie,
            &[("csrf", &csrf), ("status", "blocked")],
            true,
        )
        .await;
    assert!(same.body.contains("class=\"error\""), "{}", same.body);
    let unknown = site
        .post(
            "/projects/website",
            &cookie,
            &[("csrf", &csrf), ("status", "stuck")],
            true,
        )
        .await;
    assert!(unknown.body.contains("is not a status"), "{}", unknown.body);
    let update = site
        .post(
            "/projects/website",
            &cookie,
            &[("csrf", &csrf), ("update", "Waiting on the designer")],
            true,
        )
        .await;
    assert!(update.body.contains("Logged"), "{}", update.body);
    let link = site
        .post(
            "/projects/website",
            &cookie,
            &[
                ("csrf", &csrf),
                ("url", "https://example.org/pr/7"),
                ("words", "Pricing PR"),
            ],
            true,
        )
        .await;
    assert!(link.body.contains("https://example.org/pr/7"), "{}", link.body);
    let log = site.file("log.txt");
    assert!(
        log.contains("Waiting on the designer") && log.contains("https://example.org/pr/7"),
        "{log}"
    );
    assert_eq!(site.commits(), commits + 3);
}

#[test]
fn web_passwd_sets_a_persons_password_and_refuses_strangers() {
    let dir = tempfile::TempDir::new().unwrap();
    let config = dir.path().join("myorg.toml");
    std::fs::write(&config, "[[people]]\nname = \"Ben Ortiz\"\n").unwrap();
    let config = config.to_str().unwrap();
    let set = support::myorg_with_input(
        dir.path(),
        &["--config", config, "web", "passwd", "Ben"],
        &[],
        "a good long password\n",
    );
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    assert!(String::from_utf8_lossy(&set.stdout).contains("The dashboard password of Ben Ortiz is set."));
    let short = support::myorg_with_input(
        dir.path(),
        &["--config", config, "web", "passwd", "ben"],
        &[],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8"));
    let stranger = support::myorg_with_input(
        dir.path(),
        &["--config", config, "web", "passwd", "zoe"],
        &[],
        "a good long password\n",
    );
    assert!(!stranger.status.success());
    assert!(
        String::from_utf8_lossy(&stranger.stderr).contains("nobody is called \"zoe\""),
        "{}",
        String::from_utf8_lossy(&stranger.stderr)
    );
    let state = dir.path().join("home/.local/share/myorg/store/.git/myorg");
    let stored = walk_for(&dir.path().join("home"), "web-passwords");
    let text = std::fs::read_to_string(stored.unwrap_or(state)).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("ben $argon2id$") && !text.contains("good long"),
        "{text}"
    );
}

fn walk_for(dir: &std::path::Path, name: &str) -> Option<std::path::PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
        if path.is_dir()
            && let Some(found) = walk_for(&path, name)
        {
            return Some(found);
        }
    }
    None
}

#[test]
fn web_host_and_web_port_choose_the_address_and_a_page_needs_a_session() {
    let dir = tempfile::TempDir::new().unwrap();
    let running = support::run::Running::start(
        dir.path(),
        &[],
        &[
            // An address nothing can listen on: WEB_HOST and WEB_PORT win over it.
            ("MYORG_HTTP_ADDR", "127.0.0.1:1"),
            ("WEB_HOST", "127.0.0.1"),
            ("WEB_PORT", "0"),
            ("WEB_PASSWORD", PASSWORD),
        ],
    );
    assert!(
        running.url.starts_with("http://127.0.0.1:") && !running.url.ends_with(":1"),
        "{}",
        running.url
    );
    let address = running.url.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    use std::io::{Read, Write};
    write!(
        stream,
        "GET /tasks HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    assert!(
        answer.to_lowercase().contains("location: /login?next=%2ftasks"),
        "{answer}"
    );
}
