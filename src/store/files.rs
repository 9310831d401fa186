//! Writing a store file atomically: a temporary file beside it, fsync, rename, fsync
//! of the directory. A crash leaves either the old or the new content, never half.

use anyhow::Context;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Replaces the file at `path` with `contents` atomically.
pub fn write_atomically(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("a store file has a parent directory")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // A new file gets the usual mode (0666 less the umask), a rewritten one keeps its own.
    let mut temp = tempfile::Builder::new()
        .prefix(".myorg-write-")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    if let Ok(existing) = std::fs::metadata(path) {
        temp.as_file()
            .set_permissions(existing.permissions())
            .with_context(|| format!("keeping the permissions of {}", path.display()))?;
    }
    temp.write_all(contents).context("writing the temporary file")?;
    temp.as_file()
        .sync_all()
        .context("flushing the temporary file to disk")?;
    temp.persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    // The rename itself is durable only once the directory is flushed.
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("flushing {}", dir.display()))?;
    Ok(())
}
