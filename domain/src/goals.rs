//! Goals: which quarters a listing asks for, which section of telos.md a goal
//! serves, and what moved each goal in a week against the week before.
//!
//! **Quarters.** What [`crate::plan::quarter`] reads (`2026Q4`, `current`, `next`,
//! `previous`), or `all`.
//!
//! **Telos.** A goal serves the section of telos.md its `telos:SECTION` tag names:
//! SECTION is matched against the headings' slugs ([`heading_slug`]: `## Current
//! focus (Q4 2026)` is `current-focus-q4-2026`), case aside, else against the first
//! heading whose slug starts with it and a `-` (`telos:current-focus`), so a heading
//! that gains a date keeps its goals. A tag that names no heading is said as such.
//! Without the tag, a goal serves the section under whose heading telos.md first names
//! it: its slug as a word (`+ship-v2`, `ship-v2`) or its title, case aside. A section
//! runs from its heading to the next heading of any level; headings inside fenced code
//! blocks are not headings, and text before the first heading is in no section.
//!
//! **Movement.** A task belongs to a goal as it does for its progress
//! ([`crate::projects::Counting`]): tagged with the goal's own `+slug`, or with a
//! project whose `goal:` names it (a task hidden with `h:1` is no work). A week's
//! movement is the goal's tasks completed in it, by the completion date of the `x
//! DATE` lines of todo.txt and done.txt; a completed task without a date is in no
//! week and is counted apart. The goals reported are the open ones (active, planning,
//! blocked), in file order. A goal that moved nothing in the week and in the week
//! before has stalled: "no movement for 2 weeks".

use crate::plan::{self, PlanError};
use crate::projects::{self, Counting, Entry, Files, Kind};
use chrono::{Datelike, Days, NaiveDate};
use myorg_parsers::{Project, ProjectStatus, Quarter, Task};
use std::fmt;

/// What a stalled goal is flagged with.
pub const STALLED: &str = "no movement for 2 weeks";

/// Which goals a listing shows, by quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quarters {
    /// Every goal, whatever its quarter (or none).
    All,
    /// The goals whose `quarter:` is this one.
    One(Quarter),
}

/// Why a goals request cannot be done; the text is what a person reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoalError {
    /// Not `YYYYQn`, `current`, `next`, `previous` or `all`.
    BadQuarter(String),
}

impl fmt::Display for GoalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GoalError::BadQuarter(text) => write!(
                f,
                "\"{text}\" is not a quarter: use YYYYQ1 to YYYYQ4 (like 2026Q4), current, next, \
                 previous or all"
            ),
        }
    }
}

impl std::error::Error for GoalError {}

/// The quarters `text` names on `today`; none is the current one.
pub fn quarters(text: Option<&str>, today: NaiveDate) -> Result<Quarters, GoalError> {
    if text.is_some_and(|text| text.trim().eq_ignore_ascii_case("all")) {
        return Ok(Quarters::All);
    }
    match plan::quarter(text, today) {
        Ok(quarter) => Ok(Quarters::One(quarter)),
        Err(PlanError::BadQuarter(text)) => Err(GoalError::BadQuarter(text)),
        Err(other) => Err(GoalError::BadQuarter(other.to_string())),
    }
}

impl Quarters {
    /// Whether `goal` is one of these quarters'.
    pub fn holds(self, goal: &Project) -> bool {
        match self {
            Quarters::All => true,
            Quarters::One(quarter) => goal.quarter() == Some(quarter),
        }
    }
}

/// A heading of telos.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading<'a> {
    /// Its words, as written (without the `#`s).
    pub text: &'a str,
    /// 1 (`#`) to 6.
    pub level: usize,
    /// What `telos:` names it by ([`heading_slug`]).
    pub slug: String,
    /// Its 0-based line.
    pub line: usize,
}

/// `text` as a slug: lowercase letters and digits, every other run of characters one
/// `-`, none at either end (`Current focus (Q4 2026)` → `current-focus-q4-2026`).
pub fn heading_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// telos.md read for its sections.
#[derive(Debug, Clone)]
pub struct Telos<'a> {
    lines: Vec<&'a str>,
    headings: Vec<Heading<'a>>,
}

/// How a goal came to serve a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serves<'t, 'a> {
    /// Its `telos:` tag names the section.
    Tagged(&'t Heading<'a>),
    /// telos.md names the goal under the section's heading.
    Named(&'t Heading<'a>),
    /// Its `telos:` tag (this value) names no heading.
    Unknown(&'t str),
}

impl<'a> Telos<'a> {
    /// The headings of `text` (ATX headings, `#` to `######`, outside fenced code).
    pub fn parse(text: &'a str) -> Telos<'a> {
        let lines: Vec<&'a str> = text.lines().collect();
        let mut headings = Vec::new();
        let mut fence: Option<&str> = None;
        for (line, raw) in lines.iter().enumerate() {
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let trimmed = raw.trim_start_matches(' ');
            if indent > 3 {
                continue;
            }
            if let Some(open) = fence {
                if trimmed.starts_with(open) {
                    fence = None;
                }
                continue;
            }
            if trimmed.starts_with("```") {
                fence = Some("```");
                continue;
            }
            if trimmed.starts_with("~~~") {
                fence = Some("~~~");
                continue;
            }
            if let Some((level, text)) = atx_heading(trimmed) {
                headings.push(Heading {
                    text,
                    level,
                    slug: heading_slug(text),
                    line,
                });
            }
        }
        Telos { lines, headings }
    }

    /// Its headings, in file order.
    pub fn headings(&self) -> &[Heading<'a>] {
        &self.headings
    }

    /// The words right under `heading`, up to the next heading of any level, trimmed.
    pub fn own_text(&self, heading: &Heading<'_>) -> String {
        let end = self
            .headings
            .iter()
            .find(|next| next.line > heading.line)
            .map_or(self.lines.len(), |next| next.line);
        let start = (heading.line + 1).min(end);
        self.lines[start..end].join("\n").trim().to_string()
    }

    /// `heading`'s section: it and the headings under it (of a deeper level), up to
    /// the next heading of its level or above; empty when `heading` is not one of
    /// these headings.
    pub fn section_headings(&self, heading: &Heading<'_>) -> &[Heading<'a>] {
        let Some(start) = self.headings.iter().position(|h| h.line == heading.line) else {
            return &[];
        };
        let end = self.headings[start + 1..]
            .iter()
            .position(|next| next.level <= heading.level)
            .map_or(self.headings.len(), |offset| start + 1 + offset);
        &self.headings[start..end]
    }

    /// The heading `section` names: the one whose slug is `section`'s, else the first
    /// whose slug starts with it and a `-`.
    pub fn section(&self, section: &str) -> Option<&Heading<'a>> {
        let wanted = heading_slug(section);
        if wanted.is_empty() {
            return None;
        }
        let prefix = format!("{wanted}-");
        self.headings
            .iter()
            .find(|heading| heading.slug == wanted)
            .or_else(|| {
                self.headings
                    .iter()
                    .find(|heading| heading.slug.starts_with(&prefix))
            })
    }

    /// The heading of the first section whose text names `slug` (as a word) or
    /// `title`, case aside.
    pub fn naming(&self, slug: &str, title: &str) -> Option<&Heading<'a>> {
        let needles: Vec<String> = [slug, title]
            .iter()
            .map(|needle| needle.trim().to_lowercase())
            .filter(|needle| !needle.is_empty())
            .collect();
        self.lines.iter().enumerate().find_map(|(at, line)| {
            let line = line.to_lowercase();
            if !needles.iter().any(|needle| names(&line, needle)) {
                return None;
            }
            self.headings.iter().rev().find(|heading| heading.line <= at)
        })
    }

    /// The section `goal` serves, and how; `None` when no tag names one and telos.md
    /// names the goal under no heading.
    pub fn served_by<'t>(&'t self, goal: &'t Project) -> Option<Serves<'t, 'a>> {
        if let Some(tag) = goal.task.tag("telos") {
            return Some(match self.section(tag) {
                Some(heading) => Serves::Tagged(heading),
                None => Serves::Unknown(tag),
            });
        }
        let slug = goal.slug()?;
        self.naming(slug, &projects::title(goal)).map(Serves::Named)
    }
}

/// `# Text ##` → (1, `Text`): an ATX heading, its level and words.
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let text = rest.trim();
    // A closing run of `#`s after a space is not part of the words.
    let without = text.trim_end_matches('#');
    let text = if without.is_empty() {
        without
    } else if without.ends_with([' ', '\t']) {
        without.trim_end()
    } else {
        text
    };
    Some((level, text))
}

/// Whether `line` holds `needle` with no letter, digit, `-` or `_` right before or
/// after it (both lowercase).
fn names(line: &str, needle: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    line.match_indices(needle).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + needle.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// Seven days, `first` to `last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Week {
    /// The calendar week (Monday to Sunday) `date` is in.
    pub fn of(date: NaiveDate) -> Week {
        let monday = date
            .checked_sub_days(Days::new(date.weekday().num_days_from_monday().into()))
            .unwrap_or(date);
        Week::from(monday)
    }

    /// The seven days that end on `date`.
    pub fn ending(date: NaiveDate) -> Week {
        Week::from(date.checked_sub_days(Days::new(6)).unwrap_or(date))
    }

    /// The seven days from `first` (shorter at the end of the calendar).
    fn from(first: NaiveDate) -> Week {
        Week {
            first,
            last: first.checked_add_days(Days::new(6)).unwrap_or(NaiveDate::MAX),
        }
    }

    /// The seven days before.
    pub fn before(self) -> Week {
        Week::ending(self.first.pred_opt().unwrap_or(self.first))
    }

    /// Whether `date` is one of its days.
    pub fn contains(self, date: NaiveDate) -> bool {
        (self.first..=self.last).contains(&date)
    }
}

/// What moved a goal in a week and the week before.
#[derive(Debug, Clone)]
pub struct Movement<'a> {
    pub goal: Entry<'a>,
    /// Its tasks completed in the week, by day (file order within a day).
    pub this_week: Vec<(NaiveDate, &'a Task)>,
    /// Its tasks completed in the week before, by day.
    pub last_week: Vec<(NaiveDate, &'a Task)>,
    /// Its completed tasks without a completion date: in no week.
    pub undated: usize,
}

impl Movement<'_> {
    /// Nothing moved it in either week.
    pub fn stalled(&self) -> bool {
        self.this_week.is_empty() && self.last_week.is_empty()
    }

    /// `2 done this week, 1 last week`, `nothing this week, 3 last week`, or
    /// [`STALLED`].
    pub fn summary(&self) -> String {
        if self.stalled() {
            return STALLED.to_string();
        }
        let count = |n: usize| match n {
            0 => "nothing".to_string(),
            n => format!("{n} done"),
        };
        let last = match self.last_week.len() {
            0 => "none".to_string(),
            n => n.to_string(),
        };
        format!("{} this week, {last} last week", count(self.this_week.len()))
    }
}

/// The open goals (active, planning, blocked) of `files`, in file order, each with
/// its tasks completed in `week` and in the week before.
pub fn movement<'a>(files: &Files<'a>, week: Week) -> Vec<Movement<'a>> {
    let last = week.before();
    let mut moved: Vec<Movement<'a>> = files
        .list(Kind::Goal)
        .into_iter()
        .filter(|goal| !matches!(goal.status, ProjectStatus::Done | ProjectStatus::Someday))
        .map(|goal| Movement {
            goal,
            this_week: Vec::new(),
            last_week: Vec::new(),
            undated: 0,
        })
        .collect();
    let counting = Counting::new(files, Kind::Goal);
    let mut names = Vec::new();
    let tasks = files
        .todo
        .tasks()
        .filter(|(_, task)| task.is_done())
        .chain(files.done.tasks())
        .map(|(_, task)| task);
    for task in tasks {
        counting.slugs(task, &mut names);
        for name in &names {
            let Some(goal) = moved.iter_mut().find(|m| m.goal.slug == *name) else {
                continue;
            };
            match task.completed() {
                Some(on) if week.contains(on) => goal.this_week.push((on, task)),
                Some(on) if last.contains(on) => goal.last_week.push((on, task)),
                Some(_) => {}
                None => goal.undated += 1,
            }
        }
    }
    for goal in &mut moved {
        goal.this_week.sort_by_key(|(on, _)| *on);
        goal.last_week.sort_by_key(|(on, _)| *on);
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use myorg_parsers::{ProjectsFile, TodoFile};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const TELOS: &str = "\
Intro text naming +loose before any heading.

# Telos

## Mission

Build calm things.

## Current focus (Q4 2026)

1. Ship the v2 website (`+ship-v2`).
2. Hire: see +grow-team.

```
## Not a heading +fenced
```

## Health ##

- Yoga twice a week; run a half marathon.
### Sub-part
Home in order, really.
";

    fn goal(line: &str) -> Project {
        Project {
            task: Task::parse(line),
        }
    }

    #[test]
    fn headings_are_read_outside_fenced_code_with_their_slugs() {
        let telos = Telos::parse(TELOS);
        let read: Vec<(usize, &str, &str)> = telos
            .headings()
            .iter()
            .map(|h| (h.level, h.text, h.slug.as_str()))
            .collect();
        assert_eq!(
            read,
            [
                (1, "Telos", "telos"),
                (2, "Mission", "mission"),
                (2, "Current focus (Q4 2026)", "current-focus-q4-2026"),
                (2, "Health", "health"),
                (3, "Sub-part", "sub-part"),
            ]
        );
        assert_eq!(heading_slug("  Ça va — très_bien!  "), "ça-va-très-bien");
        assert_eq!(atx_heading("#hashtag"), None);
        assert_eq!(atx_heading("####### seven"), None);
        assert_eq!(atx_heading("# C#"), Some((1, "C#")));
        assert_eq!(atx_heading("#"), Some((1, "")));
    }

    #[test]
    fn a_telos_tag_names_a_section_by_slug_or_its_start() {
        let telos = Telos::parse(TELOS);
        let table = [
            ("+a A telos:mission", Some("Mission")),
            ("+a A telos:MISSION", Some("Mission")),
            ("+a A telos:Current_Focus", Some("Current focus (Q4 2026)")),
            (
                "+a A telos:current-focus-q4-2026",
                Some("Current focus (Q4 2026)"),
            ),
            ("+a A telos:sub-part", Some("Sub-part")),
        ];
        for (line, expected) in table {
            let project = goal(line);
            match telos.served_by(&project) {
                Some(Serves::Tagged(heading)) => assert_eq!(Some(heading.text), expected, "{line}"),
                other => panic!("{line}: {other:?}"),
            }
        }
        // A tag wins over a mention; one that names nothing is said as such.
        let unknown = goal("+ship-v2 Ship it telos:wealth");
        assert_eq!(telos.served_by(&unknown), Some(Serves::Unknown("wealth")));
        assert_eq!(telos.section("curr"), None, "only whole words of a slug");
        assert_eq!(telos.section("-"), None);
    }

    #[test]
    fn without_a_tag_the_heading_above_the_first_mention_is_served() {
        let telos = Telos::parse(TELOS);
        let table = [
            (
                "+ship-v2 Ship the v2 website and product pages",
                Some("Current focus (Q4 2026)"),
            ),
            ("+grow-team Hire and onboard", Some("Current focus (Q4 2026)")),
            // The title, case aside, as words.
            ("+fit Run a Half Marathon", Some("Health")),
            ("+home Home in order", Some("Sub-part")),
            // A heading names what it heads.
            ("+health Stay well", Some("Health")),
            // Named in fenced code: the section the code is in.
            ("+fenced In code", Some("Current focus (Q4 2026)")),
            // Part of a longer word or slug, or only before any heading: none.
            ("+yog Yog", None),
            ("+ship-v Shi", None),
            ("+loose Loose ends", None),
        ];
        for (line, expected) in table {
            let project = goal(line);
            let served = match telos.served_by(&project) {
                Some(Serves::Named(heading)) => Some(heading.text),
                None => None,
                other => panic!("{line}: {other:?}"),
            };
            assert_eq!(served, expected, "{line}");
        }
        assert_eq!(Telos::parse("").served_by(&goal("+a A")), None);
    }

    #[test]
    fn quarters_are_the_plans_or_all() {
        let today = day("2026-11-23");
        assert_eq!(
            quarters(None, today),
            Ok(Quarters::One(Quarter::parse("2026Q4").unwrap()))
        );
        assert_eq!(quarters(Some(" ALL "), today), Ok(Quarters::All));
        assert_eq!(
            quarters(Some("previous"), today),
            Ok(Quarters::One(Quarter::parse("2026Q3").unwrap()))
        );
        let error = quarters(Some("2026Q5"), today).unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"2026Q5\" is not a quarter: use YYYYQ1 to YYYYQ4 (like 2026Q4), current, next, previous or all"
        );
        let q4 = Quarters::One(Quarter::parse("2026Q4").unwrap());
        assert!(q4.holds(&goal("+a A quarter:2026Q4")));
        assert!(!q4.holds(&goal("+a A quarter:2026Q3")));
        assert!(!q4.holds(&goal("+a A")));
        assert!(Quarters::All.holds(&goal("+a A")));
    }

    #[test]
    fn weeks_run_monday_to_sunday_or_end_on_a_day() {
        let week = Week::of(day("2026-11-26"));
        assert_eq!((week.first, week.last), (day("2026-11-23"), day("2026-11-29")));
        assert_eq!(Week::of(day("2026-11-23")), week);
        assert_eq!(Week::of(day("2026-11-29")), week);
        let before = week.before();
        assert_eq!(
            (before.first, before.last),
            (day("2026-11-16"), day("2026-11-22"))
        );
        let rolling = Week::ending(day("2026-11-25"));
        assert_eq!(
            (rolling.first, rolling.last),
            (day("2026-11-19"), day("2026-11-25"))
        );
        // Across the year's end and at the ends of the calendar, no panic.
        let new_year = Week::of(day("2027-01-01"));
        assert_eq!(
            (new_year.first, new_year.last),
            (day("2026-12-28"), day("2027-01-03"))
        );
        let _ = Week::of(NaiveDate::MIN).before();
        let _ = Week::of(NaiveDate::MAX);
        assert!(week.contains(day("2026-11-29")) && !week.contains(day("2026-11-30")));
    }

    const PROJECTS: &str = "\
+web Website status:active goal:ship
+ads Ads status:active goal:ship
+tiles Tiles status:active goal:home
";
    const GOALS: &str = "\
+ship Ship v2 status:active quarter:2026Q4
+home Home in order status:planning quarter:2026Q4
+rest Rest status:blocked
+old Old status:done
+later Later status:someday
";
    const TODO: &str = "\
x 2026-11-24 Form +web
x 2026-11-25 Shared +web +ads
x 2026-11-23 Own task +ship
x 2026-11-26 Hidden +web h:1
x Undated +web
Open +web
x 2026-11-24 Old work +old
";
    const DONE: &str = "\
x 2026-11-17 Copy +ads
x 2026-11-16 Measure +tiles
x 2026-11-15 Too early +tiles
Archived without a mark +tiles
x 2026-11-30 Next week +web
";

    #[test]
    fn a_goal_moves_by_its_own_and_its_projects_completed_tasks_each_once() {
        let files = (
            ProjectsFile::parse(PROJECTS),
            ProjectsFile::parse(GOALS),
            TodoFile::parse(TODO),
            TodoFile::parse(DONE),
        );
        let files = Files {
            projects: &files.0,
            goals: &files.1,
            todo: &files.2,
            done: &files.3,
        };
        let moved = movement(&files, Week::of(day("2026-11-27")));
        let said: Vec<(&str, Vec<&str>, usize, usize, bool)> = moved
            .iter()
            .map(|m| {
                (
                    m.goal.slug,
                    m.this_week.iter().map(|(_, t)| t.description()).collect(),
                    m.last_week.len(),
                    m.undated,
                    m.stalled(),
                )
            })
            .collect();
        assert_eq!(
            said,
            [
                (
                    "ship",
                    vec!["Own task +ship", "Form +web", "Shared +web +ads"],
                    1,
                    1,
                    false
                ),
                ("home", vec![], 1, 1, false),
                ("rest", vec![], 0, 0, true),
            ]
        );
        assert_eq!(moved[0].summary(), "3 done this week, 1 last week");
        assert_eq!(moved[1].summary(), "nothing this week, 1 last week");
        assert_eq!(moved[2].summary(), STALLED);
        let week_after = movement(&files, Week::of(day("2026-11-30")));
        assert_eq!(week_after[0].summary(), "1 done this week, 3 last week");
        assert_eq!(week_after[1].summary(), STALLED);
        let seven_days = movement(&files, Week::ending(day("2026-11-23")));
        assert_eq!(seven_days[0].summary(), "2 done this week, none last week");
    }

    #[test]
    fn a_sections_own_text_stops_at_any_heading_and_its_headings_at_one_as_high() {
        let telos = Telos::parse(TELOS);
        let focus = telos.section("current-focus").unwrap();
        assert_eq!(
            telos.own_text(focus),
            "1. Ship the v2 website (`+ship-v2`).\n2. Hire: see +grow-team.\n\n```\n## Not a heading +fenced\n```"
        );
        let health = telos.section("health").unwrap();
        let under: Vec<&str> = telos.section_headings(health).iter().map(|h| h.text).collect();
        assert_eq!(under, ["Health", "Sub-part"]);
        let top = telos.section("telos").unwrap();
        assert_eq!(telos.section_headings(top).len(), telos.headings().len());
        assert_eq!(telos.own_text(top), "");
    }
}
