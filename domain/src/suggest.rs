//! What to do next: a short ranked list of open tasks for a person, each with a
//! one-line reason.
//!
//! A task can be suggested when it is open, visible (no future `t:`, no `h:1`), not a
//! waiting-for item, not blocked (a task with `id:N` waits for every open task with
//! `p:N`), and the person's own or unassigned. Asked for a context, tasks with other
//! contexts only are left out (tasks with no context fit anywhere); asked for a number
//! of minutes, tasks whose `estimate:` (`30m`, `2h`, `1h30m`, `1d` = 8h) is longer are
//! left out; asked for low energy, tasks marked `energy:high` are left out.
//!
//! The score starts from the urgency of [`crate::search::urgency`] (due dates,
//! priority, age) and adds: 3 for the context asked for; 1 for a task that fits the
//! time asked for; 1.5 when the task's project serves a goal that is not done; 1 when
//! the project is active, and minus 2 when it is blocked or someday; 1 for a task that
//! unblocks another (it has `p:`); with high energy, 1 for `energy:high`, with low
//! energy, 1 for `energy:low`. When no energy is asked for and it is late in the
//! person's day ([`Request::late`]: past their work hours, or the evening of a day
//! off), 1.5 for `energy:low` ("late in the day") and minus 2 for `energy:high`.
//! A goal that serves a section of telos.md ([`Request::telos`]) adds 0.5 to its 1.5
//! ("serves telos SECTION"). Equal scores keep the file's order.

use crate::search::urgency;
use chrono::NaiveDate;
use myorg_parsers::projects::ProjectStatus;
use myorg_parsers::{ProjectsFile, Task, TodoFile};
use std::collections::{BTreeMap, HashSet};

/// What a task gets for its project's goal serving a telos.md section, on top of
/// [`GOAL`].
pub const TELOS: f64 = 0.5;

/// What a task gets for its project serving an open goal.
pub const GOAL: f64 = 1.5;

/// What an `energy:low` task gets late in the day; an `energy:high` one loses
/// [`LATE_HIGH`].
pub const LATE_LOW: f64 = 1.5;

/// What an `energy:high` task loses late in the day.
pub const LATE_HIGH: f64 = 2.0;

/// How much energy the person has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Energy {
    Low,
    High,
}

impl Energy {
    /// `low` or `high` (also `l`, `h`, `tired`, `fresh`).
    pub fn parse(text: &str) -> Option<Energy> {
        match text.trim().to_lowercase().as_str() {
            "low" | "l" | "tired" => Some(Energy::Low),
            "high" | "h" | "fresh" => Some(Energy::High),
            _ => None,
        }
    }
}

/// What the person asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The person's `owner:` handle: their tasks and unassigned ones. `None`: all.
    pub owner: Option<String>,
    /// Where they are (without `@`).
    pub context: Option<String>,
    /// How many minutes they have.
    pub minutes: Option<u32>,
    pub energy: Option<Energy>,
    /// At most this many suggestions (0: the default, 5).
    pub limit: usize,
    /// It is late in the person's day (past their work hours, or the evening of a day
    /// off): without an energy asked for, low-energy tasks come first.
    pub late: bool,
    /// The goals that serve a section of telos.md: goal slug → the section's heading.
    pub telos: BTreeMap<String, String>,
}

/// One suggested task.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion<'a> {
    /// The 0-based line index in todo.txt.
    pub index: usize,
    pub task: &'a Task,
    pub score: f64,
    /// Why, in a few words.
    pub reason: String,
}

/// The ids (`id:N`) of tasks that still wait for an open task with `p:N`.
pub fn blocked_ids(todo: &TodoFile) -> HashSet<&str> {
    todo.tasks()
        .filter(|(_, task)| !task.is_done())
        .flat_map(|(_, task)| task.parents())
        .collect()
}

/// Whether `task` waits for an open task (see [`blocked_ids`]).
pub fn is_blocked(task: &Task, blocked: &HashSet<&str>) -> bool {
    task.id().is_some_and(|id| blocked.contains(id))
}

/// `estimate:` in minutes: `30m`, `2h`, `1h30m`, `1d` (a working day, 8 hours), or
/// a bare number of minutes.
pub fn estimate_minutes(task: &Task) -> Option<u32> {
    let text = task.tag("estimate")?.to_lowercase();
    if let Ok(minutes) = text.parse::<u32>() {
        return Some(minutes);
    }
    let mut total: u32 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let value: u32 = number.parse().ok()?;
        number.clear();
        let unit = match c {
            'm' => 1,
            'h' => 60,
            'd' => 8 * 60,
            _ => return None,
        };
        total = total.checked_add(value.checked_mul(unit)?)?;
    }
    number.is_empty().then_some(total)
}

/// The suggestions for `request` on `today`, best first. `projects` and `goals` are
/// projects.txt and goals.txt when the store has them.
pub fn suggest<'a>(
    todo: &'a TodoFile,
    projects: Option<&ProjectsFile>,
    goals: Option<&ProjectsFile>,
    request: &Request,
    today: NaiveDate,
) -> Vec<Suggestion<'a>> {
    let blocked = blocked_ids(todo);
    let limit = if request.limit == 0 { 5 } else { request.limit };
    let mut found: Vec<Suggestion<'a>> = todo
        .tasks()
        .filter(|(_, task)| candidate(task, request, &blocked, today))
        .map(|(index, task)| {
            let (score, reason) = score(task, projects, goals, request, today);
            Suggestion {
                index,
                task,
                score,
                reason,
            }
        })
        .collect();
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    found.truncate(limit);
    found
}

fn candidate(task: &Task, request: &Request, blocked: &HashSet<&str>, today: NaiveDate) -> bool {
    if task.is_done() || task.is_hidden() || task.is_waiting() || is_blocked(task, blocked) {
        return false;
    }
    if task.threshold().is_some_and(|t| t > today) {
        return false;
    }
    if let Some(owner) = &request.owner
        && task.owner().is_some_and(|name| !name.eq_ignore_ascii_case(owner))
    {
        return false;
    }
    if let Some(context) = &request.context
        && task.contexts().next().is_some()
        && !task.has_context(context)
    {
        return false;
    }
    if let (Some(minutes), Some(estimate)) = (request.minutes, estimate_minutes(task))
        && estimate > minutes
    {
        return false;
    }
    !(request.energy == Some(Energy::Low) && task.tag("energy") == Some("high"))
}

fn score(
    task: &Task,
    projects: Option<&ProjectsFile>,
    goals: Option<&ProjectsFile>,
    request: &Request,
    today: NaiveDate,
) -> (f64, String) {
    let mut score = urgency(task, today);
    let mut reasons: Vec<String> = Vec::new();
    match task.due().map(|due| (due - today).num_days()) {
        Some(days) if days < 0 => reasons.push(format!("overdue by {}", plural(-days, "day"))),
        Some(0) => reasons.push("due today".to_string()),
        Some(1) => reasons.push("due tomorrow".to_string()),
        Some(days) if days <= 7 => reasons.push(format!("due in {days} days")),
        _ => {}
    }
    if let Some(priority) = task.priority().filter(|p| p.letter() <= 'B') {
        reasons.push(format!("priority {}", priority.letter()));
    }
    if let Some(context) = &request.context
        && task.has_context(context)
    {
        score += 3.0;
        reasons.push(format!("@{context}"));
    }
    if let (Some(minutes), Some(estimate)) = (request.minutes, estimate_minutes(task)) {
        score += 1.0;
        reasons.push(format!("about {} of your {minutes}", duration(estimate)));
    }
    if task.parents().next().is_some() {
        score += 1.0;
        reasons.push("unblocks another task".to_string());
    }
    match (request.energy, task.tag("energy")) {
        (Some(Energy::High), Some("high")) | (Some(Energy::Low), Some("low")) => score += 1.0,
        (None, Some("low")) if request.late => {
            score += LATE_LOW;
            reasons.push("late in the day".to_string());
        }
        (None, Some("high")) if request.late => score -= LATE_HIGH,
        _ => {}
    }
    let project = task.projects().find_map(|slug| {
        projects
            .and_then(|file| file.find(slug))
            .map(|(_, project)| project)
    });
    if let Some(project) = project {
        match project.status() {
            Some(ProjectStatus::Active) => score += 1.0,
            Some(ProjectStatus::Blocked | ProjectStatus::Someday) => score -= 2.0,
            _ => {}
        }
        let goal = project.goal().filter(|slug| {
            goals
                .and_then(|file| file.find(slug))
                .is_none_or(|(_, goal)| goal.status() != Some(ProjectStatus::Done))
        });
        if let Some(goal) = goal {
            score += GOAL;
            reasons.push(format!("moves goal {goal}"));
            if let Some(section) = request.telos.get(goal) {
                score += TELOS;
                reasons.push(format!("serves telos {section}"));
            }
        }
    }
    if reasons.is_empty() {
        reasons.push(match task.created() {
            Some(created) if (today - created).num_days() >= 14 => {
                format!("open for {}", plural((today - created).num_days(), "day"))
            }
            _ => "nothing more urgent".to_string(),
        });
    }
    reasons.truncate(3);
    (score, reasons.join(", "))
}

fn plural(count: i64, unit: &str) -> String {
    if count == 1 {
        format!("1 {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const TODO: &str = "\
(A) 2026-11-17 Send report +q4 @email due:2026-11-27 id:1
(B) 2026-11-17 Pull numbers +q4 @computer owner:ben due:2026-11-24 p:1
(B) 2026-11-17 Draft narrative +q4 @computer due:2026-11-25 p:1 estimate:3h
2026-11-18 Figures from Marta +q4 @waiting who:marta
(C) 2026-11-11 Measure the dishwasher space +kitchen @home estimate:30m
2026-11-20 Plan the garden +garden t:2026-12-01
Call the plumber +kitchen @phone estimate:15m energy:low
2026-10-01 Sort old photos energy:high
x 2026-11-20 Done thing
Ana's task +website owner:ana due:2026-11-23
";

    const PROJECTS: &str = "\
+q4 Q4 report status:active
+kitchen Kitchen status:blocked goal:home
+website Website status:active goal:ship
";

    const GOALS: &str = "+home Home status:active\n+ship Ship v2 status:active\n";

    fn run(request: Request) -> Vec<(String, String)> {
        let todo = TodoFile::parse(TODO);
        let projects = ProjectsFile::parse(PROJECTS);
        let goals = ProjectsFile::parse(GOALS);
        suggest(&todo, Some(&projects), Some(&goals), &request, day("2026-11-23"))
            .into_iter()
            .map(|s| {
                let words = s.task.description().split(' ');
                let name: Vec<&str> = words
                    .take_while(|w| !w.starts_with(['+', '@']) && !w.contains(':'))
                    .collect();
                (name.join(" "), s.reason)
            })
            .collect()
    }

    fn names(request: Request) -> Vec<String> {
        run(request).into_iter().map(|(name, _)| name).collect()
    }

    #[test]
    fn blocked_waiting_hidden_and_others_tasks_are_never_suggested() {
        let all = names(Request {
            owner: Some("ben".into()),
            limit: 20,
            ..Request::default()
        });
        assert_eq!(
            all,
            [
                "Pull numbers",
                "Draft narrative",
                "Measure the dishwasher space",
                "Sort old photos",
                "Call the plumber",
            ]
        );
    }

    #[test]
    fn context_time_and_energy_narrow_and_favour() {
        let at_home = names(Request {
            owner: Some("ana".into()),
            context: Some("home".into()),
            limit: 20,
            ..Request::default()
        });
        assert_eq!(
            at_home,
            ["Ana's task", "Measure the dishwasher space", "Sort old photos"]
        );
        let quick = run(Request {
            owner: Some("ana".into()),
            minutes: Some(20),
            limit: 20,
            ..Request::default()
        });
        let quick_names: Vec<&str> = quick.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(quick_names, ["Ana's task", "Sort old photos", "Call the plumber"]);
        assert_eq!(quick[2].1, "about 15 min of your 20, moves goal home");
        let tired = names(Request {
            energy: Some(Energy::Low),
            limit: 20,
            ..Request::default()
        });
        assert!(!tired.contains(&"Sort old photos".to_string()));
    }

    #[test]
    fn reasons_say_why_in_a_few_words() {
        let all = run(Request {
            owner: Some("ana".into()),
            limit: 3,
            ..Request::default()
        });
        assert_eq!(
            all,
            [
                (
                    "Draft narrative".to_string(),
                    "due in 2 days, priority B, unblocks another task".to_string()
                ),
                ("Ana's task".to_string(), "due today, moves goal ship".to_string()),
                (
                    "Measure the dishwasher space".to_string(),
                    "moves goal home".to_string()
                ),
            ]
        );
    }

    #[test]
    fn estimates_in_every_documented_form() {
        let minutes = |tag: &str| estimate_minutes(&Task::parse(&format!("T estimate:{tag}")));
        assert_eq!(minutes("30m"), Some(30));
        assert_eq!(minutes("2h"), Some(120));
        assert_eq!(minutes("1h30m"), Some(90));
        assert_eq!(minutes("1d"), Some(480));
        assert_eq!(minutes("45"), Some(45));
        assert_eq!(minutes("2x"), None);
        assert_eq!(minutes("h"), None);
        assert_eq!(minutes("3h2"), None);
        assert_eq!(minutes("99999999999h"), None);
        assert_eq!(Energy::parse(" LOW "), Some(Energy::Low));
        assert_eq!(Energy::parse("medium"), None);
    }

    #[test]
    fn late_in_the_day_low_energy_comes_first_and_high_energy_last() {
        let morning = run(Request {
            owner: Some("ana".into()),
            limit: 20,
            ..Request::default()
        });
        let evening = run(Request {
            owner: Some("ana".into()),
            limit: 20,
            late: true,
            ..Request::default()
        });
        let names = |found: &[(String, String)]| -> Vec<String> {
            found.iter().map(|(name, _)| name.clone()).collect()
        };
        assert_eq!(names(&morning), MORNING_ORDER);
        assert_eq!(names(&evening), EVENING_ORDER);
        let plumber = evening
            .iter()
            .find(|(name, _)| name == "Call the plumber")
            .unwrap();
        assert_eq!(plumber.1, "late in the day, moves goal home");
        // An energy asked for says more than the hour.
        let fresh = names(&run(Request {
            owner: Some("ana".into()),
            limit: 20,
            late: true,
            energy: Some(Energy::High),
            ..Request::default()
        }));
        assert_ne!(fresh, EVENING_ORDER);
        assert!(
            !run(Request {
                owner: Some("ana".into()),
                limit: 20,
                energy: Some(Energy::High),
                late: true,
                ..Request::default()
            })
            .iter()
            .any(|(_, reason)| reason.contains("late in the day"))
        );
    }

    const MORNING_ORDER: [&str; 5] = [
        "Draft narrative",
        "Ana's task",
        "Measure the dishwasher space",
        "Sort old photos",
        "Call the plumber",
    ];
    const EVENING_ORDER: [&str; 5] = [
        "Draft narrative",
        "Ana's task",
        "Measure the dishwasher space",
        "Call the plumber",
        "Sort old photos",
    ];

    #[test]
    fn a_goal_serving_telos_weighs_a_little_more_and_says_its_section() {
        let telos: BTreeMap<String, String> = [("home".to_string(), "Current focus".to_string())].into();
        let without = run(Request {
            owner: Some("ana".into()),
            limit: 20,
            ..Request::default()
        });
        let with = run(Request {
            owner: Some("ana".into()),
            limit: 20,
            telos,
            ..Request::default()
        });
        let dishwasher = |found: &[(String, String)]| {
            found
                .iter()
                .find(|(name, _)| name == "Measure the dishwasher space")
                .unwrap()
                .1
                .clone()
        };
        assert_eq!(dishwasher(&without), "moves goal home");
        assert_eq!(dishwasher(&with), "moves goal home, serves telos Current focus");
        // Two tasks alike but for their goal: the one serving telos comes first.
        let todo = TodoFile::parse("Paint the fence +fence\nWrite the speech +speech\n");
        let projects = ProjectsFile::parse(
            "+fence Fence status:active goal:home\n+speech Speech status:active goal:ship\n",
        );
        let goals = ProjectsFile::parse(GOALS);
        let order = |telos: &[(&str, &str)]| -> Vec<String> {
            let request = Request {
                telos: telos
                    .iter()
                    .map(|(goal, section)| (goal.to_string(), section.to_string()))
                    .collect(),
                ..Request::default()
            };
            suggest(&todo, Some(&projects), Some(&goals), &request, day("2026-11-23"))
                .into_iter()
                .map(|found| found.reason)
                .collect()
        };
        assert_eq!(order(&[]), ["moves goal home", "moves goal ship"]);
        assert_eq!(
            order(&[("ship", "Mission")]),
            ["moves goal ship, serves telos Mission", "moves goal home"]
        );
    }
}
