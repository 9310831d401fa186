//! telos.md read by its sections: each heading with the words right under it and the
//! goals of goals.txt that serve it (a goal's `telos:SECTION`, or telos.md naming the
//! goal under the heading, as [`super::goals`] links them), or one section with the
//! sections under it. Which heading a name means and what a section holds are
//! `myorg_domain::goals::Telos`'s. Nothing here writes.

use super::documents::TELOS;
use super::loaded::{Loaded, Need};
use super::{Error, Look, Result};
use myorg_domain::goals::{Heading, Serves, Telos};
use myorg_domain::projects::Kind;
use myorg_parsers::ProjectsFile;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One section of telos.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Section {
    /// Its heading as written, without the `#`s.
    pub heading: String,
    /// What `telos:` names it by.
    pub slug: String,
    /// 1 (`#`) to 6.
    pub level: usize,
    /// The words right under the heading, up to the next one.
    pub text: String,
    /// The slugs of the goals that serve it, in goals.txt's order.
    pub goals: Vec<String>,
}

/// The sections read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct TelosRead {
    /// The section asked for, as its slug; null: the whole file.
    pub section: Option<String>,
    /// In file order.
    pub sections: Vec<Section>,
}

impl TelosRead {
    /// Each section: its heading (`#`s as its level), the goals serving it, its words.
    pub fn said(&self) -> String {
        if self.sections.is_empty() {
            return format!("{TELOS} has no sections yet.");
        }
        let mut out = String::new();
        for section in &self.sections {
            // Writing to a String cannot fail.
            let _ = writeln!(out, "{} {}", "#".repeat(section.level), section.heading);
            if !section.goals.is_empty() {
                let goals: Vec<String> = section.goals.iter().map(|goal| format!("+{goal}")).collect();
                let _ = writeln!(out, "Goals serving it: {}", goals.join(" "));
            }
            if !section.text.is_empty() {
                let _ = writeln!(out, "{}", section.text);
            }
            out.push('\n');
        }
        out.trim_end().to_string()
    }
}

/// telos.md's sections, or the one `section` names (its heading's words or slug, or
/// the start of its slug) with those under it; a name no heading has is an error
/// listing the sections.
pub fn telos(look: &Look, section: Option<&str>) -> Result<TelosRead> {
    let text = String::from_utf8_lossy(&look.files.read(TELOS)?).into_owned();
    let telos = Telos::parse(&text);
    let loaded = Loaded::read(look.files, Need::Lists)?;
    let goals = loaded.for_projects().list(Kind::Goal);
    let serving = |heading: &Heading<'_>| -> Vec<String> {
        goals
            .iter()
            .filter(|goal| match telos.served_by(goal.project) {
                Some(Serves::Tagged(served) | Serves::Named(served)) => served.line == heading.line,
                _ => false,
            })
            .map(|goal| goal.slug.to_string())
            .collect()
    };
    let wanted = section.map(str::trim).filter(|given| !given.is_empty());
    let headings = match wanted {
        None => telos.headings(),
        Some(given) => match telos.section(given) {
            Some(heading) => telos.section_headings(heading),
            None => {
                let known: Vec<&str> = telos.headings().iter().map(|h| h.slug.as_str()).collect();
                return Err(Error::NotFound(if known.is_empty() {
                    format!("{TELOS} has no section {given:?}: it has no headings")
                } else {
                    format!(
                        "{TELOS} has no section {given:?}; its sections: {}",
                        known.join(", ")
                    )
                }));
            }
        },
    };
    Ok(TelosRead {
        section: wanted
            .and_then(|given| telos.section(given))
            .map(|h| h.slug.clone()),
        sections: headings
            .iter()
            .map(|heading| Section {
                heading: heading.text.to_string(),
                slug: heading.slug.clone(),
                level: heading.level,
                text: telos.own_text(heading),
                goals: serving(heading),
            })
            .collect(),
    })
}

/// The goals of `goals` (goals.txt) that serve a section of telos.md, read from
/// `files`: goal slug → the section's heading.
pub fn served(files: &dyn super::Files, goals: &ProjectsFile) -> Result<BTreeMap<String, String>> {
    let text = String::from_utf8_lossy(&files.read(TELOS)?).into_owned();
    let telos = Telos::parse(&text);
    Ok(goals
        .projects()
        .filter_map(|(_, goal)| match telos.served_by(goal)? {
            Serves::Tagged(heading) | Serves::Named(heading) => {
                Some((goal.slug()?.to_string(), heading.text.to_string()))
            }
            Serves::Unknown(_) => None,
        })
        .collect())
}
