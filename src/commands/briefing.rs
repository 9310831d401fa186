//! `myorg briefing morning|evening|weekly [--date WHEN] [--for NAME]`: a briefing
//! built from the store's files, printed as Markdown (or `--json`); `--polish` has the
//! LLM reword it, keeping every item (else the briefing is shown as built).

use super::read::working_tree_file;
use crate::agent::prompt;
use crate::config::Config;
use chrono::{NaiveDate, NaiveDateTime};
use myorg_domain::briefing::{self, Briefing, Files, Kind, Settings, Whom};
use myorg_domain::fields::when;
use myorg_parsers::{CalendarFile, ProjectsFile, TodoFile};

/// The store files a briefing reads, parsed.
pub struct Loaded {
    pub todo: TodoFile,
    pub done: TodoFile,
    pub calendar: CalendarFile,
    pub projects: ProjectsFile,
    pub goals: ProjectsFile,
    /// `skills/weekly-review.md`, when the store has one.
    pub guide: Option<String>,
}

impl Loaded {
    pub fn read(config: &Config) -> anyhow::Result<Loaded> {
        Loaded::read_with(|path| working_tree_file(config, path))
    }

    /// The files as `read` gives them (a missing file: empty).
    pub fn read_with(read: impl Fn(&str) -> anyhow::Result<Vec<u8>>) -> anyhow::Result<Loaded> {
        let guide = read("skills/weekly-review.md")?;
        Ok(Loaded {
            todo: TodoFile::parse(read("todo.txt")?),
            done: TodoFile::parse(read("done.txt")?),
            calendar: CalendarFile::parse(read("calendar.txt")?),
            projects: ProjectsFile::parse(read("projects.txt")?),
            goals: ProjectsFile::parse(read("goals.txt")?),
            guide: (!guide.is_empty()).then(|| String::from_utf8_lossy(&guide).into_owned()),
        })
    }

    pub fn files(&self) -> Files<'_> {
        Files {
            todo: &self.todo,
            done: &self.done,
            calendar: &self.calendar,
            projects: &self.projects,
            goals: &self.goals,
        }
    }

    /// The briefing of `kind` for `whom` on `date`.
    pub fn briefing(&self, kind: Kind, whom: &Whom, date: NaiveDate, settings: &Settings) -> Briefing {
        match kind {
            Kind::Morning => briefing::morning(self.files(), whom, date, settings),
            Kind::Evening => briefing::evening(self.files(), whom, date),
            Kind::Weekly => briefing::weekly(self.files(), whom, date, self.guide.as_deref(), settings),
        }
    }
}

/// The briefing settings of the configuration.
pub fn settings(config: &Config) -> Settings {
    Settings {
        stale_after_days: config.waiting.stale_after_days.into(),
        ..Settings::default()
    }
}

/// Whose briefing: `--for NAME` (a person or handle), `--everyone`, or the person at
/// the terminal; with unassigned tasks unless `mine_only`.
pub fn whom(config: &Config, person: Option<&str>, everyone: bool, mine_only: bool) -> anyhow::Result<Whom> {
    let handle = match (everyone, person) {
        (true, _) => None,
        (false, Some(name)) => Some(config.people()?.owner_handle(name)),
        (false, None) => Some(config.me()?.handle),
    };
    Ok(Whom {
        handle,
        unassigned_too: !mine_only,
    })
}

/// `myorg briefing KIND`.
pub fn run(
    config: &Config,
    now: NaiveDateTime,
    kind: Kind,
    date: Option<&str>,
    whom: &Whom,
    json: bool,
    polish: bool,
) -> anyhow::Result<()> {
    let date = match date {
        Some(words) => when(words, now.date())?,
        None => now.date(),
    };
    let loaded = Loaded::read(config)?;
    let briefing = loaded.briefing(kind, whom, date, &settings(config));
    if json {
        println!("{}", serde_json::to_string_pretty(&to_json(&briefing))?);
        return Ok(());
    }
    let text = briefing::render(&briefing);
    if !polish {
        print!("{text}");
        return Ok(());
    }
    match reworded(config, now, kind, &text) {
        Ok(polished) => println!("{polished}"),
        Err(why) => {
            print!("{text}");
            eprintln!("Not reworded: {why}.");
        }
    }
    Ok(())
}

/// `text` reworded by the LLM with the briefing's prompt, or why not.
fn reworded(config: &Config, now: NaiveDateTime, kind: Kind, text: &str) -> Result<String, String> {
    let Some(terminal) = super::agent::start(config).map_err(|error| format!("{error:#}"))? else {
        return Err("no LLM is configured".to_string());
    };
    let (name, built_in) = match kind {
        Kind::Weekly => ("weekly-review.md", prompt::WEEKLY_REVIEW),
        Kind::Morning | Kind::Evening => ("briefing.md", prompt::BRIEFING),
    };
    let instructions = prompt::named(config.llm.prompts_dir.as_deref(), name, built_in)
        .map_err(|error| format!("{error:#}"))?;
    let cancel = tokio_util::sync::CancellationToken::new();
    terminal.runtime.block_on(
        terminal
            .agent
            .polish(&terminal.asker, &instructions, text, now, &cancel),
    )
}

fn to_json(briefing: &Briefing) -> serde_json::Value {
    serde_json::json!({
        "kind": match briefing.kind {
            Kind::Morning => "morning",
            Kind::Evening => "evening",
            Kind::Weekly => "weekly",
        },
        "date": briefing.date.to_string(),
        "for": briefing.handle,
        "subtitle": briefing.subtitle,
        "sections": briefing.sections.iter().map(|section| serde_json::json!({
            "title": section.title,
            "items": section.items.iter().map(|item| serde_json::json!({
                "ref": item.reference,
                "text": item.text,
                "note": item.note,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
