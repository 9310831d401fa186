//! The system prompt: `prompts/system.md` (built in, or from `llm.prompts_dir`) with
//! the person, the date, the time and the timezone filled in, and a small context
//! within a budget: the start of `telos.md` and the tail of `working-memory.txt`.

use chrono::{Datelike, NaiveDateTime};
use std::path::Path;

/// The built-in system prompt.
pub const SYSTEM: &str = include_str!("../../prompts/system.md");
/// The built-in prompt that rewords a briefing.
pub const BRIEFING: &str = include_str!("../../prompts/briefing.md");
/// The built-in prompt that rewords the weekly review.
pub const WEEKLY_REVIEW: &str = include_str!("../../prompts/weekly-review.md");

/// Characters of context at most (about a quarter as many tokens).
pub const CONTEXT_BUDGET: usize = 1200;

/// What the prompt is filled with.
pub struct Facts<'a> {
    pub person: &'a str,
    pub now: NaiveDateTime,
    pub timezone: &'a str,
    /// The person's context now and why (`@home — outside work hours`).
    pub whereabouts: &'a str,
    /// `telos.md` of the store (may be empty).
    pub telos: &'a str,
    /// `working-memory.txt` of the store (may be empty).
    pub memory: &'a str,
}

/// The system prompt template: `dir/system.md` when that file exists, else the
/// built-in one.
pub fn template(dir: Option<&Path>) -> anyhow::Result<String> {
    named(dir, "system.md", SYSTEM)
}

/// The prompt `name` (`briefing.md`, `weekly-review.md`…): `dir/NAME` when that file
/// exists, else `built_in`.
pub fn named(dir: Option<&Path>, name: &str, built_in: &str) -> anyhow::Result<String> {
    if let Some(path) = dir.map(|dir| dir.join(name))
        && path.is_file()
    {
        return std::fs::read_to_string(&path)
            .map_err(|err| anyhow::anyhow!("reading {}: {err}", path.display()));
    }
    Ok(built_in.to_string())
}

/// Whether `polished` kept every task reference (the words in backticks) of
/// `original`: a rewording that lost one is not used.
pub fn keeps_references(original: &str, polished: &str) -> bool {
    original
        .split('`')
        .skip(1)
        .step_by(2)
        .all(|reference| polished.contains(&format!("`{reference}`")))
}

/// `template` with the facts filled in.
pub fn system(template: &str, facts: &Facts) -> String {
    let weekday = myorg_parsers::calendar::header::weekday_name(facts.now.weekday());
    template
        .replace("{{person}}", facts.person)
        .replace("{{weekday}}", weekday)
        .replace("{{date}}", &facts.now.date().to_string())
        .replace("{{time}}", &facts.now.format("%H:%M").to_string())
        .replace("{{timezone}}", facts.timezone)
        .replace("{{where}}", facts.whereabouts)
        .replace("{{context}}", &context(facts.telos, facts.memory))
}

/// The context block: up to half the budget of `telos.md` (its first lines, headings
/// and blank lines left out), the rest for the last lines of `working-memory.txt`.
pub fn context(telos: &str, memory: &str) -> String {
    let half = CONTEXT_BUDGET / 2;
    let mut mission = String::new();
    for line in telos
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if mission.len() + line.len() + 1 > half {
            break;
        }
        mission.push_str(line);
        mission.push('\n');
    }
    let room = CONTEXT_BUDGET - mission.len();
    let mut recent: Vec<&str> = Vec::new();
    let mut used = 0;
    for line in memory.lines().rev().map(str::trim).filter(|l| !l.is_empty()) {
        if used + line.len() + 1 > room {
            break;
        }
        used += line.len() + 1;
        recent.push(line);
    }
    recent.reverse();
    let mut out = String::new();
    if !mission.is_empty() {
        out.push_str("\nFrom telos.md (their mission and focus):\n");
        out.push_str(&mission);
    }
    if !recent.is_empty() {
        out.push_str("\nThe end of working-memory.txt:\n");
        out.push_str(&recent.join("\n"));
        out.push('\n');
    }
    out
}

/// A rough token count (about four characters a token), for budgets and reports.
pub fn estimate_tokens(text: &str) -> usize {
    text.chars().count().div_ceil(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(telos: &'a str, memory: &'a str) -> Facts<'a> {
        Facts {
            person: "ana",
            now: "2026-11-23T08:05:00".parse().unwrap(),
            timezone: "Europe/Madrid",
            whereabouts: "@home — outside work hours",
            telos,
            memory,
        }
    }

    #[test]
    fn the_prompt_carries_the_person_the_time_and_a_budgeted_context() {
        let telos = include_str!("../../fixtures/store/telos.md");
        let memory = include_str!("../../fixtures/store/working-memory.txt");
        let prompt = system(SYSTEM, &facts(telos, memory));
        assert!(prompt.contains("You are MyOrg, ana's assistant"));
        assert!(prompt.contains("It is Mon 2026-11-23, 08:05 (Europe/Madrid)."));
        assert!(prompt.contains("Their context now: @home — outside work hours."));
        assert!(prompt.contains("Build calm, useful things"));
        assert!(
            prompt.contains("Idea for the podcast"),
            "the newest working-memory line"
        );
        assert!(!prompt.contains("{{"), "every placeholder filled");
        let block = context(&telos.repeat(20), &memory.repeat(20));
        assert!(block.len() <= CONTEXT_BUDGET + 100, "{}", block.len());
        assert_eq!(context("", ""), "");
    }

    #[test]
    fn a_prompts_directory_replaces_the_built_in_prompt() {
        let dir = tempfile::TempDir::new().unwrap();
        assert_eq!(template(Some(dir.path())).unwrap(), SYSTEM);
        std::fs::write(dir.path().join("system.md"), "Hi {{person}}").unwrap();
        assert_eq!(template(Some(dir.path())).unwrap(), "Hi {{person}}");
        assert_eq!(system("Hi {{person}}", &facts("", "")), "Hi ana");
        assert_eq!(estimate_tokens("abcdefgh"), 2);
    }

    #[test]
    fn a_rewording_must_keep_every_reference() {
        let original = "**Overdue**\n• `kmbt` Call Mum\n• `xyzw` Pay rent\n";
        assert!(keeps_references(
            original,
            "Two things: `xyzw` rent and `kmbt` Mum."
        ));
        assert!(!keeps_references(original, "Call Mum (`kmbt`) soon."));
        assert!(keeps_references("Nothing to report.", "All clear!"));
    }
}
