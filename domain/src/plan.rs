//! The quarter plan: initiatives are the projects and goals of a quarter, in the
//! plan's words (planning, in-progress, blocked, completed), with their updates and
//! linked pull requests from log.txt.
//!
//! **Which quarter.** A goal is in the quarter its `quarter:` names. A project is in
//! the quarter of its `due:` date, or, without one, in its goal's quarter.
//!
//! **Statuses.** planning → `planning`, in-progress → `active`, blocked → `blocked`,
//! completed → `done`; a project put aside (`someday`) keeps that word.
//!
//! **Updates and pull requests** are log.txt entries tagged `+SLUG` (a goal's are
//! also those of its projects). An entry links a pull request when it starts with
//! `PR` (`PR merged: Title https://…`, as [`pr_words`] writes it) or names a link to
//! one (`…/pull/42`, `…/merge_requests/7`); each address counts once, with its
//! newest mention.

use crate::projects::{self, Entry, Files, Kind};
use chrono::{Datelike, NaiveDate};
use myorg_parsers::log::{LogEntry, LogFile, LogLine};
use myorg_parsers::{ProjectStatus, Quarter};
use std::collections::HashMap;
use std::fmt;

/// An initiative's status in the plan's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    Planning,
    InProgress,
    Blocked,
    Completed,
}

impl PlanStatus {
    /// The status written in projects.txt.
    pub fn status(self) -> ProjectStatus {
        match self {
            PlanStatus::Planning => ProjectStatus::Planning,
            PlanStatus::InProgress => ProjectStatus::Active,
            PlanStatus::Blocked => ProjectStatus::Blocked,
            PlanStatus::Completed => ProjectStatus::Done,
        }
    }
}

/// A project's status in the plan's words (`someday` stays `someday`).
pub fn status_word(status: ProjectStatus) -> &'static str {
    match status {
        ProjectStatus::Planning => "planning",
        ProjectStatus::Active => "in-progress",
        ProjectStatus::Blocked => "blocked",
        ProjectStatus::Someday => "someday",
        ProjectStatus::Done => "completed",
    }
}

/// A pull request's state, as a link says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrState {
    Open,
    Draft,
    Merged,
    Closed,
}

impl PrState {
    pub const ALL: [PrState; 4] = [PrState::Open, PrState::Draft, PrState::Merged, PrState::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            PrState::Open => "open",
            PrState::Draft => "draft",
            PrState::Merged => "merged",
            PrState::Closed => "closed",
        }
    }
}

/// Why a plan request cannot be done; the text is what a person reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// Not `YYYYQn`, `current`, `next` or `previous`.
    BadQuarter(String),
    /// A tag that is not one word (`+frontend`, `@q4`, `frontend`).
    BadTag(String),
    /// A pull request's address that is not an `https://` (or `http://`) link.
    NotAnAddress(String),
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::BadQuarter(text) => write!(
                f,
                "\"{text}\" is not a quarter: use YYYYQ1 to YYYYQ4 (like 2026Q4), current, next or previous"
            ),
            PlanError::BadTag(text) => {
                write!(f, "\"{text}\" is not a tag: use one word, like +frontend or @q4")
            }
            PlanError::NotAnAddress(text) => write!(
                f,
                "\"{text}\" is not a pull request's address: expected a link like \
                 https://github.com/OWNER/REPO/pull/42"
            ),
        }
    }
}

impl std::error::Error for PlanError {}

/// The quarter `date` is in.
pub fn quarter_of(date: NaiveDate) -> Quarter {
    Quarter {
        year: date.year(),
        quarter: date.month0() / 3 + 1,
    }
}

/// The first and last day of `quarter` (`None` past chrono's years).
pub fn days_of(quarter: Quarter) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(quarter.year, (quarter.quarter - 1) * 3 + 1, 1)?;
    let next = shifted(quarter, 1);
    let last = NaiveDate::from_ymd_opt(next.year, (next.quarter - 1) * 3 + 1, 1)?.pred_opt()?;
    Some((first, last))
}

/// `quarter` moved by `by` quarters.
fn shifted(quarter: Quarter, by: i32) -> Quarter {
    let index = quarter.year * 4 + quarter.quarter as i32 - 1 + by;
    Quarter {
        year: index.div_euclid(4),
        // 0 to 3, plus one.
        quarter: index.rem_euclid(4) as u32 + 1,
    }
}

/// The quarter `text` names on `today`: `2026Q4` (any case), `current`, `next` or
/// `previous`; none is the current one.
pub fn quarter(text: Option<&str>, today: NaiveDate) -> Result<Quarter, PlanError> {
    let current = quarter_of(today);
    let Some(text) = text.map(str::trim).filter(|text| !text.is_empty()) else {
        return Ok(current);
    };
    match text.to_ascii_lowercase().as_str() {
        "current" | "this" => Ok(current),
        "next" => Ok(shifted(current, 1)),
        "previous" | "last" => Ok(shifted(current, -1)),
        _ => {
            Quarter::parse(&text.to_ascii_uppercase()).ok_or_else(|| PlanError::BadQuarter(text.to_string()))
        }
    }
}

/// Tags as words for a project line: `+frontend` and `@q4` as given, a bare word as
/// `+word`.
pub fn tag_words(tags: &[String]) -> Result<Vec<String>, PlanError> {
    tags.iter()
        .map(|tag| {
            let tag = tag.trim();
            let name = tag.strip_prefix(['+', '@']).unwrap_or(tag);
            let one_word = !name.is_empty()
                && !name.starts_with(['+', '@'])
                && !name.chars().any(|c| c.is_whitespace() || c.is_control());
            match (one_word, tag.starts_with(['+', '@'])) {
                (false, _) => Err(PlanError::BadTag(tag.to_string())),
                (true, true) => Ok(tag.to_string()),
                (true, false) => Ok(format!("+{tag}")),
            }
        })
        .collect()
}

/// The words a pull request's log entry starts with: `PR merged: Title`, `PR: Title`,
/// `PR merged`, or `PR`.
pub fn pr_words(title: &str, state: Option<PrState>) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    match (state, title.is_empty()) {
        (Some(state), false) => format!("PR {}: {title}", state.as_str()),
        (Some(state), true) => format!("PR {}", state.as_str()),
        (None, false) => format!("PR: {title}"),
        (None, true) => "PR".to_string(),
    }
}

/// The address of a pull request, checked: one word, `https://` or `http://` and
/// something after it.
pub fn pr_url(url: &str) -> Result<&str, PlanError> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or_default();
    if rest.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(PlanError::NotAnAddress(url.to_string()));
    }
    Ok(url)
}

/// A pull request linked to an initiative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest<'a> {
    pub url: &'a str,
    /// The state its newest mention says, when it says one (`PR merged: …`).
    pub state: Option<PrState>,
    /// Its newest mention.
    pub entry: &'a LogEntry,
}

/// One initiative of a quarter.
#[derive(Debug, Clone)]
pub struct Initiative<'a> {
    pub entry: Entry<'a>,
    /// Its newest log entry.
    pub last_update: Option<&'a LogEntry>,
    /// Its pull requests, by their newest mention, oldest first.
    pub pull_requests: Vec<PullRequest<'a>>,
}

impl Initiative<'_> {
    /// Its status in the plan's words.
    pub fn status(&self) -> &'static str {
        status_word(self.entry.status)
    }
}

/// The goals, then the projects, of `quarter`, in file order.
pub fn initiatives<'a>(files: &Files<'a>, log: &'a LogFile, quarter: Quarter) -> Vec<Initiative<'a>> {
    let goals = files.list(Kind::Goal);
    let goal_quarter: HashMap<&str, Option<Quarter>> = goals
        .iter()
        .map(|goal| (goal.slug, goal.project.quarter()))
        .collect();
    let in_quarter = |entry: &Entry<'_>| match entry.kind {
        Kind::Goal => entry.project.quarter() == Some(quarter),
        Kind::Project => match entry.project.due() {
            Some(due) => quarter_of(due) == quarter,
            None => {
                entry
                    .project
                    .goal()
                    .and_then(|goal| goal_quarter.get(goal).copied().flatten())
                    == Some(quarter)
            }
        },
    };
    let about = entries_by_slug(log);
    goals
        .into_iter()
        .chain(files.list(Kind::Project))
        .filter(in_quarter)
        .map(|entry| {
            let mut entries: Vec<(usize, &'a LogEntry)> = std::iter::once(entry.slug)
                .chain(entry.projects.iter().copied())
                .flat_map(|slug| about.get(slug).into_iter().flatten().copied())
                .collect();
            entries.sort_by_key(|(index, entry)| (entry.date, entry.time, *index));
            entries.dedup_by_key(|(index, _)| *index);
            Initiative {
                last_update: entries.last().map(|(_, entry)| *entry),
                pull_requests: pull_requests(entries.iter().map(|(_, entry)| *entry)),
                entry,
            }
        })
        .collect()
}

/// The pull requests the log entries naming `+slug` link, each once by its newest
/// mention (in date order), oldest first: what a project's page lists.
pub fn pull_requests_about<'a>(log: &'a LogFile, slug: &str) -> Vec<PullRequest<'a>> {
    let mut entries: Vec<(usize, &LogEntry)> = entries_by_slug(log).remove(slug).unwrap_or_default();
    entries.sort_by_key(|(index, entry)| (entry.date, entry.time, *index));
    pull_requests(entries.into_iter().map(|(_, entry)| entry))
}

/// The log entries naming each `+slug`, with their line index, in file order.
fn entries_by_slug(log: &LogFile) -> HashMap<&str, Vec<(usize, &LogEntry)>> {
    let mut about: HashMap<&str, Vec<(usize, &LogEntry)>> = HashMap::new();
    for (index, line) in log.items() {
        let LogLine::Entry(entry) = line else { continue };
        for slug in entry.projects() {
            let list = about.entry(slug).or_default();
            if list.last().is_none_or(|(last, _)| *last != index) {
                list.push((index, entry));
            }
        }
    }
    about
}

/// The pull requests `entries` (oldest first) link, each once, by its newest mention.
fn pull_requests<'a>(entries: impl Iterator<Item = &'a LogEntry>) -> Vec<PullRequest<'a>> {
    let mut found: Vec<PullRequest<'a>> = Vec::new();
    for entry in entries {
        let (marked, state) = pr_mark(&entry.text);
        for url in entry.text.split_whitespace().filter(|word| is_link(word)) {
            if !(marked || is_pull_request(url)) {
                continue;
            }
            found.retain(|pr| pr.url != url);
            found.push(PullRequest { url, state, entry });
        }
    }
    found
}

/// Whether the text starts as [`pr_words`] writes it, and the state it says.
fn pr_mark(text: &str) -> (bool, Option<PrState>) {
    let Some(rest) = text.strip_prefix("PR") else {
        return (false, None);
    };
    if rest.starts_with(':') {
        return (true, None);
    }
    let Some(rest) = rest.strip_prefix(' ') else {
        return (rest.is_empty(), None);
    };
    let word = rest.split_whitespace().next().unwrap_or_default();
    let state = PrState::ALL
        .into_iter()
        .find(|state| word.trim_end_matches(':') == state.as_str());
    (true, state)
}

fn is_link(word: &str) -> bool {
    word.starts_with("https://") || word.starts_with("http://")
}

/// `…/pull/42` (GitHub, Gitea), `…/merge_requests/7` (GitLab), `…/pull-requests/3`
/// (Bitbucket).
fn is_pull_request(url: &str) -> bool {
    let mut parts = url.split(['/', '#', '?']);
    while let Some(part) = parts.next() {
        if matches!(part, "pull" | "merge_requests" | "pull-requests") {
            return parts
                .next()
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        }
    }
    false
}

/// What the plan says of an initiative's title (its words without slug and tags).
pub fn title(initiative: &Initiative<'_>) -> String {
    projects::title(initiative.entry.project)
}

#[cfg(test)]
mod tests {
    use super::*;
    use myorg_parsers::{ProjectsFile, TodoFile};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const PROJECTS: &str = "\
+web Relaunch status:active owner:ana due:2026-12-15 goal:ship
+kitchen Kitchen status:blocked goal:home
+later Next year status:planning due:2027-02-01 goal:ship
+loose No date, no goal status:someday
x 2026-10-30 +old Retired status:done due:2026-10-30
";
    const GOALS: &str = "\
+ship Ship v2 status:active quarter:2026Q4
+home Home in order quarter:2026Q4
+past Earlier quarter:2026Q3
";
    const TODO: &str = "Fix form +web\nx 2026-11-20 Publish +web\nTiles +kitchen\n";
    const LOG: &str = "\
2026-11-01 09:00 ana: Kickoff +web
2026-11-16 10:15 ben: Footer ready https://github.com/example/site/pull/38 +web
2026-11-18 09:00 ana: Quotes in +kitchen
2026-11-20 16:05 ana: Merged the navigation PR https://github.com/example/site/pull/42 +web
2026-11-21 10:00 ana: PR merged: Footer https://github.com/example/site/pull/38 +web
2026-11-21 11:00 ana: PR: Design doc https://docs.example.com/d/1 +ship
2026-11-21 12:00 ana: See https://example.com/docs +web
";

    #[test]
    fn a_quarter_holds_its_goals_and_the_projects_due_in_it_or_of_its_goals() {
        let projects = ProjectsFile::parse(PROJECTS);
        let goals = ProjectsFile::parse(GOALS);
        let todo = TodoFile::parse(TODO);
        let done = TodoFile::new();
        let log = LogFile::parse(LOG);
        let files = Files {
            projects: &projects,
            goals: &goals,
            todo: &todo,
            done: &done,
        };
        let plan = initiatives(&files, &log, quarter(Some("2026q4"), day("2026-11-23")).unwrap());
        let said: Vec<(&str, &str)> = plan.iter().map(|i| (i.entry.slug, i.status())).collect();
        assert_eq!(
            said,
            [
                ("ship", "in-progress"),
                ("home", "in-progress"),
                ("web", "in-progress"),
                ("kitchen", "blocked"),
                ("old", "completed"),
            ]
        );
        let web = &plan[2];
        assert_eq!(web.entry.progress.to_string(), "1/2 done");
        assert_eq!(web.last_update.unwrap().text, "See https://example.com/docs +web");
        let prs: Vec<(&str, Option<PrState>, NaiveDate)> = web
            .pull_requests
            .iter()
            .map(|pr| (pr.url, pr.state, pr.entry.date))
            .collect();
        assert_eq!(
            prs,
            [
                ("https://github.com/example/site/pull/42", None, day("2026-11-20")),
                (
                    "https://github.com/example/site/pull/38",
                    Some(PrState::Merged),
                    day("2026-11-21")
                ),
            ]
        );
        // A goal's updates are its own and its projects'.
        let ship = &plan[0];
        assert_eq!(ship.pull_requests.len(), 3);
        assert_eq!(
            ship.last_update.unwrap().text,
            "See https://example.com/docs +web"
        );
        assert_eq!(title(&plan[3]), "Kitchen");

        let next = initiatives(&files, &log, quarter(Some("next"), day("2026-11-23")).unwrap());
        let slugs: Vec<&str> = next.iter().map(|i| i.entry.slug).collect();
        assert_eq!(slugs, ["later"]);
        let past = initiatives(
            &files,
            &log,
            quarter(Some("previous"), day("2026-11-23")).unwrap(),
        );
        let slugs: Vec<&str> = past.iter().map(|i| i.entry.slug).collect();
        assert_eq!(slugs, ["past"]);
    }

    #[test]
    fn quarters_are_named_in_words_or_as_written() {
        let today = day("2026-11-23");
        let table = [
            (None, "2026Q4"),
            (Some(""), "2026Q4"),
            (Some("current"), "2026Q4"),
            (Some("Next"), "2027Q1"),
            (Some("previous"), "2026Q3"),
            (Some("2025q1"), "2025Q1"),
        ];
        for (text, expected) in table {
            assert_eq!(quarter(text, today).unwrap().to_string(), expected, "{text:?}");
        }
        for bad in ["2026Q5", "Q4", "soon", "2026-Q4"] {
            assert!(
                matches!(quarter(Some(bad), today), Err(PlanError::BadQuarter(_))),
                "{bad}"
            );
        }
        assert_eq!(quarter_of(day("2026-01-01")).to_string(), "2026Q1");
        assert_eq!(quarter_of(day("2026-12-31")).to_string(), "2026Q4");
        let q4 = Quarter::parse("2026Q4").unwrap();
        assert_eq!(days_of(q4), Some((day("2026-10-01"), day("2026-12-31"))));
        let q1 = Quarter::parse("2024Q1").unwrap();
        assert_eq!(days_of(q1), Some((day("2024-01-01"), day("2024-03-31"))));
    }

    #[test]
    fn tags_are_single_words_with_a_sigil() {
        let tags = |words: &[&str]| tag_words(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        assert_eq!(
            tags(&["+frontend", "@q4", " backend "]).unwrap(),
            ["+frontend", "@q4", "+backend"]
        );
        for bad in ["", "+", "@", "two words", "++x", "a\tb"] {
            assert!(tags(&[bad]).is_err(), "{bad:?}");
        }
        assert_eq!(
            tags(&["two words"]).unwrap_err().to_string(),
            "\"two words\" is not a tag: use one word, like +frontend or @q4"
        );
    }

    #[test]
    fn pull_request_words_and_links() {
        assert_eq!(
            pr_words(" Footer  component ", Some(PrState::Merged)),
            "PR merged: Footer component"
        );
        assert_eq!(pr_words("", Some(PrState::Open)), "PR open");
        assert_eq!(pr_words("Footer", None), "PR: Footer");
        assert_eq!(pr_words(" ", None), "PR");
        for (text, expected) in [
            ("PR merged: x", (true, Some(PrState::Merged))),
            ("PR open https://x", (true, Some(PrState::Open))),
            ("PR: x", (true, None)),
            ("PR", (true, None)),
            ("PRs are fun", (false, None)),
            ("A PR", (false, None)),
        ] {
            assert_eq!(pr_mark(text), expected, "{text}");
        }
        assert_eq!(
            pr_url(" https://github.com/o/r/pull/42 "),
            Ok("https://github.com/o/r/pull/42")
        );
        for bad in ["github.com/o/r/pull/42", "https://", "https://a b", "ftp://x", ""] {
            assert!(matches!(pr_url(bad), Err(PlanError::NotAnAddress(_))), "{bad}");
        }
        assert!(is_pull_request("https://github.com/o/r/pull/42"));
        assert!(is_pull_request("https://github.com/o/r/pull/42#issuecomment-1"));
        assert!(is_pull_request("https://gitlab.com/o/r/-/merge_requests/7"));
        assert!(!is_pull_request("https://github.com/o/r/pulls"));
        assert!(!is_pull_request("https://github.com/o/r/pull/new"));
    }
}
