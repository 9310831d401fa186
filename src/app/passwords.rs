//! People's own web passwords: an Argon2id hash per handle in the state directory
//! (`web-passwords`, one `HANDLE HASH` line each, readable by the owner only). Set
//! with `myorg web passwd NAME`; checked when someone logs in to the dashboard. The
//! passwords themselves are never stored or logged.

use super::{Error, Result};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::path::{Path, PathBuf};

/// The file of hashes in `state_dir`.
pub fn file(state_dir: &Path) -> PathBuf {
    state_dir.join("web-passwords")
}

/// The shortest password accepted.
pub const SHORTEST: usize = 8;

/// The handles that have a password of their own.
pub fn handles(state_dir: &Path) -> Vec<String> {
    read(state_dir).into_iter().map(|(handle, _)| handle).collect()
}

/// Sets `handle`'s password (replacing the one before).
pub fn set(state_dir: &Path, handle: &str, password: &str) -> Result<()> {
    if password.chars().count() < SHORTEST {
        return Err(Error::Invalid(format!(
            "a password needs at least {SHORTEST} characters"
        )));
    }
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|error| Error::Failed(anyhow::anyhow!("the password could not be hashed: {error}")))?
        .to_string();
    let mut entries: Vec<(String, String)> = read(state_dir)
        .into_iter()
        .filter(|(known, _)| !known.eq_ignore_ascii_case(handle))
        .collect();
    entries.push((handle.to_string(), hash));
    let text: String = entries
        .iter()
        .map(|(handle, hash)| format!("{handle} {hash}\n"))
        .collect();
    write_private(&file(state_dir), text.as_bytes())
        .map_err(|error| Error::Failed(anyhow::anyhow!("the password could not be saved: {error}")))
}

/// Whether `password` is `handle`'s own.
pub fn check(state_dir: &Path, handle: &str, password: &str) -> bool {
    read(state_dir)
        .iter()
        .filter(|(known, _)| known.eq_ignore_ascii_case(handle))
        .any(|(_, hash)| {
            PasswordHash::new(hash).is_ok_and(|hash| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &hash)
                    .is_ok()
            })
        })
}

fn read(state_dir: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(file(state_dir))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().split_once(' '))
        .map(|(handle, hash)| (handle.to_string(), hash.trim().to_string()))
        .collect()
}

/// Writes `bytes` to `path` through a temporary file, readable by the owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_set_is_checked_and_replaced() {
        let state = tempfile::tempdir().unwrap();
        assert!(!check(state.path(), "ana", "correct horse"));
        set(state.path(), "ana", "correct horse").unwrap();
        assert!(check(state.path(), "ana", "correct horse"));
        assert!(check(state.path(), "Ana", "correct horse"));
        assert!(!check(state.path(), "ana", "wrong horse"));
        assert!(!check(state.path(), "ben", "correct horse"));
        set(state.path(), "ana", "battery staple").unwrap();
        assert!(!check(state.path(), "ana", "correct horse"));
        assert!(check(state.path(), "ana", "battery staple"));
        assert_eq!(handles(state.path()), vec!["ana"]);
        let text = std::fs::read_to_string(file(state.path())).unwrap();
        assert!(!text.contains("battery"), "{text}");
        assert!(text.starts_with("ana $argon2id$"), "{text}");
    }

    #[test]
    fn a_short_password_is_refused_and_changes_nothing() {
        let state = tempfile::tempdir().unwrap();
        let error = set(state.path(), "ana", "short").unwrap_err();
        assert!(error.to_string().contains("at least 8"), "{error}");
        assert!(!file(state.path()).exists());
    }
}
