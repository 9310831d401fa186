//! Store-relative paths that cannot escape the store: no absolute paths, no `..`, not
//! inside `.git`, no symlink leading outside, and a size limit for writes. Each
//! refusal says exactly why; nothing is touched.

use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The largest file the assistant writes (1 MiB).
pub const MAX_WRITE_BYTES: usize = 1 << 20;

/// Why a path or a write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    Empty,
    Absolute(String),
    ParentDirectory(String),
    GitDirectory(String),
    /// A symlink on the way leads outside the store.
    OutsideStore(String),
    /// A NUL byte, which no file name can hold.
    Nul(String),
    TooLarge {
        path: String,
        bytes: usize,
    },
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Empty => write!(f, "no file name given"),
            PathError::Absolute(p) => write!(
                f,
                "{p:?} is an absolute path; use a path inside the store, like notes/idea.md"
            ),
            PathError::ParentDirectory(p) => write!(
                f,
                "{p:?} goes up with ..; only files inside the store can be used"
            ),
            PathError::GitDirectory(p) => write!(f, "{p:?} is inside .git, which only git itself may touch"),
            PathError::OutsideStore(p) => write!(f, "{p:?} leads outside the store through a symbolic link"),
            PathError::Nul(p) => write!(f, "{p:?} holds a NUL character, which no file name can"),
            PathError::TooLarge { path, bytes } => write!(
                f,
                "{path:?} would be {bytes} bytes; the assistant writes files of at most {} bytes",
                MAX_WRITE_BYTES
            ),
        }
    }
}

impl std::error::Error for PathError {}

/// The absolute path of store-relative `relative` under `root`, if it is allowed.
pub fn resolve(root: &Path, relative: &str) -> Result<PathBuf, PathError> {
    let shown = relative.to_string();
    let clean = lexical(relative)?;
    let full = root.join(&clean);
    // The deepest part that exists decides where symlinks lead.
    let real_root = root
        .canonicalize()
        .map_err(|_| PathError::OutsideStore(shown.clone()))?;
    let mut existing = full.as_path();
    while !existing.exists() && existing.symlink_metadata().is_err() {
        existing = existing.parent().unwrap_or(root);
    }
    match existing.canonicalize() {
        Ok(real) if real.starts_with(&real_root) && !real.starts_with(real_root.join(".git")) => Ok(full),
        Ok(_) | Err(_) => Err(PathError::OutsideStore(shown)),
    }
}

/// `relative` without `.` parts, if its words alone allow it (no file system look:
/// [`resolve`] also follows symbolic links).
pub fn lexical(relative: &str) -> Result<PathBuf, PathError> {
    let shown = relative.to_string();
    if relative.trim().is_empty() {
        return Err(PathError::Empty);
    }
    if relative.contains('\0') {
        return Err(PathError::Nul(shown));
    }
    let path = Path::new(relative);
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) if part == ".git" => return Err(PathError::GitDirectory(shown)),
            Component::Normal(part) => clean.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(PathError::ParentDirectory(shown)),
            Component::RootDir | Component::Prefix(_) => return Err(PathError::Absolute(shown)),
        }
    }
    if clean.as_os_str().is_empty() {
        return Err(PathError::Empty);
    }
    Ok(clean)
}

/// Checks a write's size.
pub fn check_size(relative: &str, bytes: usize) -> Result<(), PathError> {
    if bytes > MAX_WRITE_BYTES {
        return Err(PathError::TooLarge {
            path: relative.to_string(),
            bytes,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_out_of_the_store_is_refused() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path().join("store");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("notes")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("escape")).unwrap();
        std::os::unix::fs::symlink(root.join("notes"), root.join("inside")).unwrap();
        std::os::unix::fs::symlink(root.join(".git"), root.join("gitlink")).unwrap();

        assert_eq!(resolve(&root, "todo.txt").unwrap(), root.join("todo.txt"));
        assert_eq!(
            resolve(&root, "./notes/new/idea.md").unwrap(),
            root.join("notes/new/idea.md")
        );
        assert!(
            resolve(&root, "inside/idea.md").is_ok(),
            "a link that stays inside is fine"
        );
        assert_eq!(resolve(&root, ""), Err(PathError::Empty));
        assert_eq!(resolve(&root, "."), Err(PathError::Empty));
        assert!(matches!(resolve(&root, "a\0b"), Err(PathError::Nul(_))));
        assert!(matches!(
            resolve(&root, "/etc/passwd"),
            Err(PathError::Absolute(_))
        ));
        assert!(matches!(
            resolve(&root, "../outside/x"),
            Err(PathError::ParentDirectory(_))
        ));
        assert!(matches!(
            resolve(&root, "notes/../../x"),
            Err(PathError::ParentDirectory(_))
        ));
        assert!(matches!(
            resolve(&root, ".git/config"),
            Err(PathError::GitDirectory(_))
        ));
        assert!(matches!(
            resolve(&root, "notes/.git/x"),
            Err(PathError::GitDirectory(_))
        ));
        assert!(matches!(
            resolve(&root, "escape/secret.txt"),
            Err(PathError::OutsideStore(_))
        ));
        assert!(matches!(
            resolve(&root, "gitlink/config"),
            Err(PathError::OutsideStore(_))
        ));
        let message = resolve(&root, "../x").unwrap_err().to_string();
        assert!(message.contains("only files inside the store"), "{message}");
    }

    #[test]
    fn oversized_writes_are_refused() {
        assert!(check_size("a.md", MAX_WRITE_BYTES).is_ok());
        let err = check_size("a.md", MAX_WRITE_BYTES + 1).unwrap_err();
        assert!(err.to_string().contains("at most 1048576 bytes"));
    }
}
