//! Conversation memory: the last turns per (channel, person), kept in
//! `STATE/memory/` so a conversation survives a restart, and resettable. Only what
//! the person said and the final answers are kept, not tool calls: enough context
//! for "and move it to Friday", few tokens.

use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub user: String,
    pub assistant: String,
}

/// The memory of one channel and person.
#[derive(Debug)]
pub struct Memory {
    path: PathBuf,
    keep: usize,
    pub turns: Vec<Turn>,
}

impl Memory {
    /// The memory of `person` in `channel` (read from disk; empty when new or
    /// unreadable), keeping at most `keep` turns.
    pub fn load(state_dir: &Path, channel: &str, person: &str, keep: usize) -> Memory {
        let path =
            state_dir
                .join("memory")
                .join(format!("{}--{}.json", file_part(channel), file_part(person)));
        let turns = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        let mut memory = Memory { path, keep, turns };
        memory.trim();
        memory
    }

    /// Adds an exchange and saves (atomically).
    pub fn remember(&mut self, user: &str, assistant: &str) -> anyhow::Result<()> {
        self.turns.push(Turn {
            user: user.to_string(),
            assistant: assistant.to_string(),
        });
        self.trim();
        self.save()
    }

    /// Forgets everything.
    pub fn reset(&mut self) -> anyhow::Result<()> {
        self.turns.clear();
        match std::fs::remove_file(&self.path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                Err(err).with_context(|| format!("removing {}", self.path.display()))
            }
            _ => Ok(()),
        }
    }

    fn trim(&mut self) {
        let extra = self.turns.len().saturating_sub(self.keep);
        self.turns.drain(..extra);
    }

    fn save(&self) -> anyhow::Result<()> {
        let dir = self.path.parent().context("a memory file has a directory")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(&mut file, &self.turns)?;
        file.persist(&self.path)
            .with_context(|| format!("writing {}", self.path.display()))?;
        Ok(())
    }
}

/// A name safe as part of a file name: letters, digits, `-` and `_`; anything else
/// as `_XX` hex, so different names never share a file.
fn file_part(name: &str) -> String {
    let mut out = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' {
            out.push(byte as char);
        } else {
            out.push_str(&format!("_{byte:02x}"));
        }
    }
    if out.is_empty() { "_".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_survives_a_restart_keeps_the_last_turns_and_resets() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut memory = Memory::load(dir.path(), "terminal", "ana", 2);
        for n in 0..3 {
            memory.remember(&format!("q{n}"), &format!("a{n}")).unwrap();
        }
        let again = Memory::load(dir.path(), "terminal", "ana", 2);
        assert_eq!(
            again.turns.iter().map(|t| t.user.as_str()).collect::<Vec<_>>(),
            ["q1", "q2"]
        );
        assert!(
            Memory::load(dir.path(), "terminal", "ben", 2).turns.is_empty(),
            "per person"
        );
        assert!(
            Memory::load(dir.path(), "123", "ana", 2).turns.is_empty(),
            "per channel"
        );
        let mut again = again;
        again.reset().unwrap();
        assert!(Memory::load(dir.path(), "terminal", "ana", 2).turns.is_empty());
    }

    #[test]
    fn names_never_escape_the_directory_or_collide() {
        assert_eq!(file_part("../etc"), "_2e_2e_2fetc");
        assert_ne!(file_part("a b"), file_part("a_b"));
        assert_eq!(file_part(""), "_");
    }
}
