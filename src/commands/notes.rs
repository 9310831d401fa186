//! `myorg note`: a line in log.txt, optionally about a project (`+slug`) or a task
//! (its words), or with `--memory` a line in working-memory.txt, through
//! [`crate::app::notes`].

use super::store::{ctx, open, print_push};
use crate::app::notes::{self, Note};
use crate::config::Config;
use chrono::NaiveDateTime;

/// What a note is about, and where it goes.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// A project or goal slug.
    pub project: Option<String>,
    /// A task: its reference, line number or words.
    pub task: Option<String>,
    /// working-memory.txt instead of log.txt.
    pub memory: bool,
}

/// `myorg note TEXT [--project SLUG] [--task REF] [--memory]`.
pub fn note(config: &Config, now: NaiveDateTime, text: &str, about: &About) -> anyhow::Result<()> {
    let store = open(config)?;
    let note = Note {
        text: text.to_string(),
        project: about.project.clone(),
        task: about.task.clone(),
        memory: about.memory,
    };
    let noted = notes::add(&ctx(config, &store, now)?, &note)?;
    println!("{}", noted.said());
    print_push(&noted.push)
}
