//! The dashboard in a real headless Chromium against a real `myorg run`: logging
//! in, Today, adding a task with a date in words, completing, editing and deleting
//! one (with its confirmation), filtering, an impossible date, HTML in a task, the
//! calendar, a project's status, a phone-wide screen without sideways scrolling,
//! and dark mode (the system's, and the toggle, remembered). Screenshots of every
//! page, desktop and phone, light and dark, go to `target/screenshots/`.

#[path = "support/browser.rs"]
mod browser;
mod support;

use browser::Browser;
use support::run::Running;
use tempfile::TempDir;

const PASSWORD: &str = "a long shared password";

/// The pages screenshot at every size and theme.
const PAGES: [(&str, &str); 8] = [
    ("today", "/"),
    ("tasks", "/tasks"),
    ("calendar", "/calendar"),
    ("projects", "/projects"),
    ("project", "/projects/website"),
    ("chat", "/chat"),
    ("briefing", "/briefings/morning"),
    ("history", "/history"),
];

fn start(dir: &TempDir) -> Running {
    Running::start(
        dir.path(),
        &["--now", "2026-11-23T08:00:00"],
        &[
            ("WEB_PASSWORD", PASSWORD),
            ("TIMEZONE", "Europe/Madrid"),
            ("MYORG_USER_NAME", "Ana García"),
            ("MYORG_USER_EMAIL", "ana@example.com"),
        ],
    )
}

async fn log_in(browser: &Browser, url: &str) {
    browser.client.goto(&format!("{url}/tasks")).await.unwrap();
    browser
        .until("the login page", "location.pathname === '/login'")
        .await;
    browser.fill("#password", PASSWORD).await;
    browser.click("form button[type=submit]").await;
    browser
        .until(
            "the tasks page after logging in",
            "location.pathname === '/tasks'",
        )
        .await;
}

fn store_file(dir: &TempDir, name: &str) -> String {
    let root = dir.path().join("home/.local/share/myorg/store");
    std::fs::read_to_string(root.join(name)).unwrap_or_else(|_| panic!("{name} in {}", root.display()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_uses_the_dashboard_in_a_browser() {
    let dir = TempDir::new().unwrap();
    let running = start(&dir);
    let url = running.url.clone();
    let browser = Browser::start(false).await;
    log_in(&browser, &url).await;

    // Today.
    browser.client.goto(&url).await.unwrap();
    browser
        .until(
            "today's date",
            "document.querySelector('h1').innerText.includes('November 2026')",
        )
        .await;
    let today = browser.text().await;
    assert!(
        today.contains("Overdue") && today.contains("Recent activity"),
        "{today}"
    );

    // A task with a date in words, added without a page load.
    browser.client.goto(&format!("{url}/tasks")).await.unwrap();
    browser.eval("window.stayed = true; return 1").await;
    browser
        .fill("#new-task", "Water the ficus due:tomorrow +home")
        .await;
    browser.click("form.new button[type=submit]").await;
    browser
        .until(
            "the new task in the list",
            "document.querySelector('#task-list').innerText.includes('Water the ficus')",
        )
        .await;
    assert_eq!(
        browser.eval("return window.stayed === true").await,
        true,
        "no full page load"
    );
    assert!(store_file(&dir, "todo.txt").contains("Water the ficus due:2026-11-24 +home"));
    browser
        .until(
            "the field emptied",
            "document.querySelector('#new-task').value === ''",
        )
        .await;

    // Filter as you type; the filter is in the address.
    browser.fill("#filter", "+home").await;
    browser
        .until("the filtered list", "location.search.includes('q=%2Bhome')")
        .await;
    browser
        .until(
            "only +home tasks",
            "!document.querySelector('#task-list').innerText.includes('Send Q4 report')",
        )
        .await;

    // Done.
    browser.click("button[aria-label='Done: Water the ficus']").await;
    browser
        .until(
            "the task done",
            "!document.querySelector(\"button[aria-label='Done: Water the ficus']\")",
        )
        .await;
    assert!(
        store_file(&dir, "todo.txt")
            .lines()
            .any(|l| l.starts_with("x 2026-11-23") && l.contains("Water the ficus"))
    );

    // Edit in place, and an impossible date refused.
    browser.fill("#filter", "Call Mum").await;
    browser
        .until(
            "Call Mum",
            "document.querySelector(\"a[aria-label^='Edit: Call Mum']\")",
        )
        .await;
    browser.click("a[aria-label^='Edit: Call Mum']").await;
    browser
        .until("the edit form", "document.querySelector('form.edit')")
        .await;
    browser.fill("form.edit input[name=due]", "2026-02-30").await;
    browser.click("form.edit button[type=submit]").await;
    browser
        .until(
            "the error next to the form",
            "document.querySelector('form.edit').nextElementSibling.querySelector('.error')",
        )
        .await;
    assert!(!store_file(&dir, "todo.txt").contains("2026-02-30"));
    browser.fill("form.edit input[name=due]", "2026-12-24").await;
    browser.click("form.edit button[type=submit]").await;
    browser
        .until(
            "the edited task",
            "document.querySelector('#task-list').innerText.includes('due Thu 24 Dec')",
        )
        .await;
    assert!(
        store_file(&dir, "todo.txt")
            .lines()
            .any(|l| l.contains("Call Mum") && l.contains("due:2026-12-24"))
    );

    // Delete, confirmed.
    browser.click("button[aria-label^='Delete: Call Mum']").await;
    browser
        .until("the question", "document.querySelector('.confirm')")
        .await;
    assert!(
        store_file(&dir, "todo.txt").contains("Call Mum"),
        "nothing before yes"
    );
    browser.click(".confirm button.danger").await;
    browser
        .until(
            "the task gone",
            "!document.querySelector('#task-list').innerText.includes('Call Mum')",
        )
        .await;
    assert!(!store_file(&dir, "todo.txt").contains("Call Mum"));

    // HTML in a task is shown, never run.
    browser.client.goto(&format!("{url}/tasks")).await.unwrap();
    browser
        .fill(
            "#new-task",
            "Read <img src=x onerror=window.pwned=1> about <b>bold</b>",
        )
        .await;
    browser.click("form.new button[type=submit]").await;
    browser
        .until(
            "the task with markup",
            "document.querySelector('#task-list').innerText.includes('<img src=x')",
        )
        .await;
    assert_eq!(
        browser
            .eval("return window.pwned === undefined && !document.querySelector('#task-list b')")
            .await,
        true
    );

    // The calendar, and an event added as typed.
    browser.client.goto(&format!("{url}/calendar")).await.unwrap();
    browser
        .until("today marked", "document.querySelector('[aria-current=date]')")
        .await;
    browser.fill("#new-event", "tomorrow 14:30-15 dentist").await;
    browser.click("form.new button[type=submit]").await;
    browser
        .until(
            "the event",
            "document.querySelector('#calendar').innerText.includes('dentist')",
        )
        .await;
    assert!(store_file(&dir, "calendar.txt").contains("dentist"));

    // A project's status.
    browser
        .client
        .goto(&format!("{url}/projects/website"))
        .await
        .unwrap();
    browser
        .until("the project", "document.querySelector('#status')")
        .await;
    browser
        .eval("document.querySelector('#status').value = 'blocked'; return 1")
        .await;
    browser.click("#status ~ button").await;
    browser
        .until(
            "the new status",
            "document.querySelector('#project .tag').innerText === 'blocked'",
        )
        .await;
    assert!(
        store_file(&dir, "projects.txt")
            .lines()
            .any(|l| l.contains("+website") && l.contains("blocked"))
    );

    // Screenshots, light, desktop and phone; no sideways scrolling on a phone.
    for (name, path) in PAGES {
        browser.client.goto(&format!("{url}{path}")).await.unwrap();
        browser
            .until("the page", "document.readyState === 'complete'")
            .await;
        browser.screenshot(&format!("{name}-desktop-light")).await;
    }
    browser.viewport(375, 812).await;
    for (name, path) in PAGES {
        browser.client.goto(&format!("{url}{path}")).await.unwrap();
        browser
            .until("the page", "document.readyState === 'complete'")
            .await;
        let fits = browser
            .eval("return document.documentElement.scrollWidth <= window.innerWidth")
            .await;
        browser.screenshot(&format!("{name}-phone-light")).await;
        assert_eq!(fits, true, "{path} scrolls sideways on a phone");
    }

    // The toggle turns dark mode on, and it is remembered.
    browser.viewport(1280, 900).await;
    browser.client.goto(&url).await.unwrap();
    browser
        .until("the toggle", "document.querySelector('#theme')")
        .await;
    browser.click("#theme").await;
    browser.client.goto(&format!("{url}/tasks")).await.unwrap();
    browser
        .until(
            "dark, remembered",
            "document.documentElement.dataset.theme === 'dark'",
        )
        .await;
    browser.close().await;
    drop(running);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dark_mode_follows_the_system() {
    let dir = TempDir::new().unwrap();
    let running = start(&dir);
    let url = running.url.clone();
    let browser = Browser::start(true).await;
    log_in(&browser, &url).await;
    assert_eq!(
        browser
            .eval("return matchMedia('(prefers-color-scheme: dark)').matches")
            .await,
        true
    );
    let background = browser
        .eval("return getComputedStyle(document.body).backgroundColor")
        .await;
    assert_eq!(background, "rgb(22, 22, 21)", "the dark background");
    for (name, path) in PAGES {
        browser.client.goto(&format!("{url}{path}")).await.unwrap();
        browser
            .until("the page", "document.readyState === 'complete'")
            .await;
        browser.screenshot(&format!("{name}-desktop-dark")).await;
    }
    browser.viewport(375, 812).await;
    for (name, path) in PAGES {
        browser.client.goto(&format!("{url}{path}")).await.unwrap();
        browser
            .until("the page", "document.readyState === 'complete'")
            .await;
        browser.screenshot(&format!("{name}-phone-dark")).await;
    }
    browser.close().await;
    drop(running);
}
