//! Who a bearer token of the MCP endpoint (`/mcp` of `myorg run`) speaks for:
//! `MYORG_MCP_TOKEN` (`http.mcp_token`) for the configured `[user]`, or a `[[people]]`
//! person's own token.
//!
//! A person's token is made by [`issue`] from 32 random bytes and shown once; only its
//! SHA-256 (hex) is kept, in `STATE/mcp-tokens.json` (mode 0600, rewritten atomically),
//! one per handle, replacing the one before. [`holder`] compares the SHA-256 of the
//! token given with every kept one (and with the configured token's) in constant time,
//! so neither a token nor its length shows in how long a refusal takes.

use super::{Caller, Error, Result};
use crate::config::Config;
use crate::store::Actor;
use anyhow::Context as _;
use myorg_domain::people::Person;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use subtle::ConstantTimeEq;

/// The file in the state directory: handle → SHA-256 of the person's token, hex.
pub const FILE: &str = "mcp-tokens.json";

/// What every token starts with (so that secret scanners and people recognize one).
const PREFIX: &str = "myorg_mcp_";

/// A token made for a person: the only time it is seen.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The person's name and handle.
    pub name: String,
    pub handle: String,
    /// The token itself; only its hash is kept.
    pub token: String,
    /// Whether it replaced one the person had.
    pub replaced: bool,
}

/// Makes a new token for the configured person `given` names (a handle, full or first
/// name) and keeps its hash in `state_dir`, replacing their previous one. Someone who
/// is not a `[[people]]` entry is [`Error::NotFound`], and nothing changes.
pub fn issue(config: &Config, state_dir: &Path, given: &str) -> Result<Issued> {
    let people = config.people()?;
    let Some(person) = people.find(given) else {
        let known: Vec<&str> = people.iter().map(|p| p.handle.as_str()).collect();
        return Err(Error::NotFound(if known.is_empty() {
            format!(
                "there are no [[people]] in the configuration, so no one is called {:?}; \
                 MYORG_MCP_TOKEN acts as the [user]",
                given.trim()
            )
        } else {
            format!(
                "no one in [[people]] is called {:?}; the people: {}",
                given.trim(),
                known.join(", ")
            )
        }));
    };
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("no random bytes for a token: {error}"))?;
    let token = format!("{PREFIX}{}", hex(&bytes));
    let mut all = kept(state_dir);
    let replaced = all.insert(person.handle.clone(), hash(&token)).is_some();
    save(state_dir, &all)?;
    Ok(Issued {
        name: person.name.clone(),
        handle: person.handle.clone(),
        token,
        replaced,
    })
}

/// The person `token` speaks for, as a [`Caller`] reaching us through `via`: the
/// `[user]` for the configured token, the person for their own; `None` for an empty
/// or unknown token, or a person no longer in `[[people]]`.
pub fn holder(config: &Config, state_dir: &Path, token: &str, via: &str) -> Option<Caller> {
    if token.is_empty() {
        return None;
    }
    let given = hash(token);
    let mut found: Option<String> = None;
    for (handle, kept) in kept(state_dir) {
        if bool::from(given.as_bytes().ct_eq(kept.as_bytes())) {
            found = Some(handle);
        }
    }
    let configured = config
        .http
        .mcp_token
        .as_ref()
        .filter(|secret| !secret.0.is_empty())
        .is_some_and(|secret| bool::from(given.as_bytes().ct_eq(hash(&secret.0).as_bytes())));
    if configured {
        return as_user(config, via).ok();
    }
    let people = config.people().ok()?;
    let person = people.iter().find(|p| Some(&p.handle) == found.as_ref())?;
    Some(as_person(person, via))
}

/// Whether any token could pass: the configured one, or a person's kept one.
pub fn any(config: &Config, state_dir: &Path) -> bool {
    config
        .http
        .mcp_token
        .as_ref()
        .is_some_and(|secret| !secret.0.is_empty())
        || !kept(state_dir).is_empty()
}

/// The configured `[user]` reaching us through `via`: the commits' author is the
/// user's name and email, "me" is their handle.
pub fn as_user(config: &Config, via: &str) -> anyhow::Result<Caller> {
    let user = config.user();
    Ok(Caller {
        handle: config.me()?.handle,
        actor: Actor {
            name: user.name,
            email: user.email,
            via: via.to_string(),
        },
        channel: via.to_string(),
    })
}

/// A configured person reaching us through `via`.
fn as_person(person: &Person, via: &str) -> Caller {
    Caller {
        handle: person.handle.clone(),
        actor: Actor {
            name: person.name.clone(),
            email: person
                .email
                .clone()
                .unwrap_or_else(|| format!("{}@people.myorg.invalid", person.handle)),
            via: via.to_string(),
        },
        channel: via.to_string(),
    }
}

/// The SHA-256 of `token`, hex.
fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn file(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The kept hashes by handle; a missing file holds none, an unreadable one too (so
/// no person's token passes until it is written again).
fn kept(dir: &Path) -> BTreeMap<String, String> {
    let Ok(bytes) = std::fs::read(file(dir)) else {
        return BTreeMap::new();
    };
    serde_json::from_slice(&bytes).unwrap_or_else(|error| {
        tracing::warn!(path = %file(dir).display(), %error, "the MCP token hashes are unreadable; no person's token passes");
        BTreeMap::new()
    })
}

fn save(dir: &Path, all: &BTreeMap<String, String>) -> Result<()> {
    use std::io::Write;
    let write = || -> anyhow::Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        // A temporary file is made readable by its owner only (0600), and the rename
        // keeps that.
        let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temporary
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        temporary.write_all(&serde_json::to_vec_pretty(all)?)?;
        temporary.as_file().sync_all()?;
        temporary.persist(file(dir))?;
        Ok(())
    };
    write().with_context(|| format!("saving {}", file(dir).display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{PersonConfig, Secret};

    fn config() -> Config {
        let mut config = Config::default();
        config.user.name = Some("Ana García".into());
        config.user.email = Some("ana@example.com".into());
        config.http.mcp_token = Some(Secret("user-token".into()));
        config.people = vec![PersonConfig {
            name: "Luis Pérez".into(),
            email: Some("luis@example.com".into()),
            ..PersonConfig::default()
        }];
        config
    }

    #[test]
    fn a_persons_token_is_kept_hashed_and_speaks_for_them_until_replaced() {
        let dir = tempfile::TempDir::new().unwrap();
        let config = config();
        let first = issue(&config, dir.path(), "Luis").unwrap();
        assert_eq!((first.handle.as_str(), first.replaced), ("luis", false));
        assert!(first.token.starts_with(PREFIX) && first.token.len() == PREFIX.len() + 64);
        let kept = std::fs::read_to_string(file(dir.path())).unwrap();
        assert!(!kept.contains(&first.token), "{kept}");
        assert!(kept.contains(&hash(&first.token)), "{kept}");
        let caller = holder(&config, dir.path(), &first.token, "mcp").unwrap();
        assert_eq!(caller.handle, "luis");
        assert_eq!(caller.actor.name, "Luis Pérez");
        assert_eq!(caller.actor.email, "luis@example.com");
        assert_eq!(caller.actor.via, "mcp");

        let second = issue(&config, dir.path(), "luis").unwrap();
        assert!(second.replaced);
        assert!(holder(&config, dir.path(), &first.token, "mcp").is_none());
        assert!(holder(&config, dir.path(), &second.token, "mcp").is_some());
    }

    #[test]
    fn the_configured_token_is_the_user_and_nothing_else_passes() {
        let dir = tempfile::TempDir::new().unwrap();
        let config = config();
        let user = holder(&config, dir.path(), "user-token", "mcp").unwrap();
        assert_eq!(
            (user.actor.name.as_str(), user.handle.as_str()),
            ("Ana García", "ana")
        );
        for wrong in ["", "user-toke", "user-token ", "USER-TOKEN"] {
            assert!(holder(&config, dir.path(), wrong, "mcp").is_none(), "{wrong:?}");
        }
        let mut none = config.clone();
        none.http.mcp_token = Some(Secret(String::new()));
        assert!(!any(&none, dir.path()));
        assert!(holder(&none, dir.path(), "", "mcp").is_none());
        assert!(any(&config, dir.path()));
    }

    #[test]
    fn an_unknown_person_gets_no_token_and_nothing_is_written() {
        let dir = tempfile::TempDir::new().unwrap();
        let error = issue(&config(), dir.path(), "Marta").unwrap_err();
        assert!(matches!(error, Error::NotFound(_)), "{error}");
        assert!(error.to_string().contains("the people: luis"), "{error}");
        assert!(!file(dir.path()).exists());
    }

    #[test]
    fn a_person_removed_from_the_configuration_no_longer_passes() {
        let dir = tempfile::TempDir::new().unwrap();
        let issued = issue(&config(), dir.path(), "luis").unwrap();
        let mut without = config();
        without.people.clear();
        assert!(holder(&without, dir.path(), &issued.token, "mcp").is_none());
    }

    #[cfg(unix)]
    #[test]
    fn the_hashes_are_readable_by_their_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::TempDir::new().unwrap();
        issue(&config(), dir.path(), "luis").unwrap();
        let mode = std::fs::metadata(file(dir.path())).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
