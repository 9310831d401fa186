//! Writing a blob straight into `.git/objects` as a loose object, the format git and
//! libgit2 read: `"blob LEN\0" + content`, named by its SHA-1, zlib-compressed.
//!
//! libgit2 writes blobs with a collision-detecting SHA-1 and zlib, which for a
//! 700 KB todo.txt costs about 10 ms on the target machine, the bulk of a commit.
//! Here the hash uses the CPU's SHA instructions and the compression zlib-rs at
//! level 1 (git's default for loose objects), about 2 ms together. The content is
//! always the assistant's own rendering of the user's files, never objects received
//! from elsewhere, which is where collision detection matters; fetched objects are
//! still read and checked by libgit2.

use anyhow::Context;
use flate2::{Compression, write::ZlibEncoder};
use sha1::{Digest, Sha1};
use std::io::Write;
use std::path::Path;

/// Writes `content` as a blob into the object directory `objects` (unless it is
/// already there) and returns its id, in hex.
pub fn write_blob(objects: &Path, content: &[u8]) -> anyhow::Result<String> {
    let header = format!("blob {}\0", content.len());
    let mut hasher = Sha1::new();
    hasher.update(header.as_bytes());
    hasher.update(content);
    let id: String = hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let dir = objects.join(&id[..2]);
    let path = dir.join(&id[2..]);
    if path.exists() {
        return Ok(id);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut temp = tempfile::Builder::new()
        .prefix("tmp_obj_")
        .tempfile_in(&dir)
        .with_context(|| format!("creating a temporary object in {}", dir.display()))?;
    let mut encoder = ZlibEncoder::new(std::io::BufWriter::new(temp.as_file_mut()), Compression::fast());
    encoder.write_all(header.as_bytes())?;
    encoder.write_all(content)?;
    encoder
        .finish()
        .and_then(|mut writer| writer.flush())
        .context("writing a git object")?;
    set_read_only(temp.as_file())?;
    // Another writer may have stored the same object meanwhile; either copy is right.
    temp.persist(&path)
        .map_err(|err| err.error)
        .with_context(|| format!("storing the git object {id}"))?;
    Ok(id)
}

fn set_read_only(file: &std::fs::File) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o444))
        .context("making a git object read-only")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_are_what_libgit2_would_write() {
        let dir = tempfile::TempDir::new().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        for content in [&b""[..], b"x", b"(A) Call Mum +family\n", &[0xff, 0, 10, 13][..]] {
            let id = write_blob(&repo.path().join("objects"), content).unwrap();
            assert_eq!(
                id,
                git2::Oid::hash_object(git2::ObjectType::Blob, content)
                    .unwrap()
                    .to_string()
            );
            let blob = repo.find_blob(git2::Oid::from_str(&id).unwrap()).unwrap();
            assert_eq!(blob.content(), content);
            // Writing it again is a no-op.
            assert_eq!(write_blob(&repo.path().join("objects"), content).unwrap(), id);
        }
        let big: Vec<u8> = (0..200_000u32).flat_map(|n| n.to_le_bytes()).collect();
        let id = write_blob(&repo.path().join("objects"), &big).unwrap();
        let blob = repo.find_blob(git2::Oid::from_str(&id).unwrap()).unwrap();
        assert_eq!(blob.content(), &big[..]);
    }
}
