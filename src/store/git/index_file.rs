//! Reading git's index file (`.git/index`, versions 2 and 3) without libgit2, for
//! the checks made before every write: libgit2 loads the whole index into a map and
//! checks its SHA-1 with its slow collision-detecting hash, several milliseconds for
//! a store of ten thousand files; here the file is read once, its checksum verified
//! with the CPU's SHA instructions, and its entries read in place.
//!
//! Anything this reader does not know (version 4's compressed paths, a required
//! extension such as a split index, a damaged file) reads as "no index": the caller
//! then does what it did before, through libgit2.

use sha1::{Digest, Sha1};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The fixed part of an entry: ten 32-bit stat fields, the object id, the flags.
const FIXED: usize = 62;
const HEADER: usize = 12;
const CHECKSUM: usize = 20;

/// The flags that mean an entry is not a plain file of the working tree: a
/// sparse checkout's `skip-worktree` and `git add -N`'s intent-to-add.
const SKIP_WORKTREE: u16 = 0x4000;
const INTENT_TO_ADD: u16 = 0x2000;

/// An index file, read whole.
pub struct IndexFile {
    bytes: Vec<u8>,
    /// Where each entry starts, in the file's (sorted) order.
    starts: Vec<usize>,
    /// When the file was last written, seconds and nanoseconds.
    pub mtime: (i64, i64),
}

/// One entry of the index, borrowed from the file.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub ctime: (u32, u32),
    pub mtime: (u32, u32),
    pub ino: u32,
    pub mode: u32,
    pub size: u32,
    pub id: &'a [u8],
    /// 0 for a normal entry, 1 to 3 for the sides of a conflict.
    pub stage: u8,
    /// Skip-worktree or intent-to-add: the working tree is not compared for it.
    pub special: bool,
    pub path: &'a [u8],
}

impl IndexFile {
    /// Reads the index at `path`. `None` when there is none, or when it is in a form
    /// this reader leaves to libgit2.
    pub fn read(path: &Path) -> std::io::Result<Option<IndexFile>> {
        let mut file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(err),
        };
        let meta = file.metadata()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes)?;
        Ok(IndexFile::parse(bytes, (meta.mtime(), meta.mtime_nsec())))
    }

    /// The index in `bytes`, written at `mtime`; `None` when it is not one this reader
    /// knows, or damaged.
    fn parse(bytes: Vec<u8>, mtime: (i64, i64)) -> Option<IndexFile> {
        if bytes.len() < HEADER + CHECKSUM || &bytes[..4] != b"DIRC" {
            return None;
        }
        let version = be32(&bytes, 4);
        if version != 2 && version != 3 {
            return None;
        }
        let count = be32(&bytes, 8) as usize;
        let body = bytes.len() - CHECKSUM;
        let checksum = &bytes[body..];
        // `index.skipHash` leaves the checksum zero.
        if checksum.iter().any(|&byte| byte != 0) && Sha1::digest(&bytes[..body]).as_slice() != checksum {
            return None;
        }
        let mut starts = Vec::with_capacity(count.min(body / FIXED));
        let mut at = HEADER;
        for _ in 0..count {
            if at + FIXED > body {
                return None;
            }
            starts.push(at);
            let flags = be16(&bytes, at + 60);
            let name = at + FIXED + if flags & 0x4000 != 0 { 2 } else { 0 };
            let length = bytes.get(name..body)?.iter().position(|&byte| byte == 0)?;
            // Entries are padded with NULs to a multiple of eight bytes.
            at += (name - at + length + 8) & !7;
        }
        // Extensions: a signature starting with a capital letter is an optional cache
        // and may be ignored; any other (a split index, a sparse index) is required.
        while at < body {
            let signature = bytes.get(at..at + 4)?;
            let size = be32(bytes.get(at..at + 8)?, 4) as usize;
            if !signature[0].is_ascii_uppercase() {
                return None;
            }
            at = at.checked_add(8 + size)?;
        }
        (at == body).then_some(IndexFile { bytes, starts, mtime })
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The `n`th entry, in the index's order (by path, then stage).
    pub fn entry(&self, n: usize) -> Entry<'_> {
        let at = self.starts[n];
        let bytes = &self.bytes;
        let flags = be16(bytes, at + 60);
        let (name, special) = if flags & 0x4000 != 0 {
            let extended = be16(bytes, at + 62);
            (at + FIXED + 2, extended & (SKIP_WORKTREE | INTENT_TO_ADD) != 0)
        } else {
            (at + FIXED, false)
        };
        let length = bytes[name..].iter().position(|&byte| byte == 0).unwrap_or(0);
        Entry {
            ctime: (be32(bytes, at), be32(bytes, at + 4)),
            mtime: (be32(bytes, at + 8), be32(bytes, at + 12)),
            ino: be32(bytes, at + 20),
            mode: be32(bytes, at + 24),
            size: be32(bytes, at + 36),
            id: &bytes[at + 40..at + 60],
            stage: ((flags >> 12) & 0b11) as u8,
            special,
            path: &bytes[name..name + length],
        }
    }

    /// Whether `path` has an entry (at any stage).
    pub fn contains(&self, path: &[u8]) -> bool {
        self.find(path).is_some()
    }

    /// An entry of `path` (the first stage it has).
    pub fn find(&self, path: &[u8]) -> Option<Entry<'_>> {
        let first = self.partition(|entry_path| entry_path < path);
        (first < self.len())
            .then(|| self.entry(first))
            .filter(|entry| entry.path == path)
    }

    /// The first entry for which `before` is false (entries are sorted by path).
    fn partition(&self, before: impl Fn(&[u8]) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.entry(middle).path) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// Whether some entry is a side of a conflict (a merge left unfinished).
    pub fn has_conflicts(&self) -> bool {
        (0..self.len()).any(|n| self.entry(n).stage != 0)
    }
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn be16(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index as git writes it, for these files, through the `git` program.
    fn written_by_git(files: &[(&str, &str)], extra: &[&[&str]]) -> Option<IndexFile> {
        let dir = tempfile::TempDir::new().unwrap();
        let git = |args: &[&str]| {
            let status = std::process::Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(args)
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        };
        git(&["init", "-q"]);
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        git(&["add", "-A"]);
        for args in extra {
            git(args);
        }
        IndexFile::read(&dir.path().join(".git/index")).unwrap()
    }

    #[test]
    fn reads_every_entry_git_wrote_in_order() {
        let files = [
            ("todo.txt", "(A) Call\n"),
            ("notes/a.md", "# A\n"),
            ("notes/a/b.md", "# B\n"),
            ("a-name-longer-than-eight-bytes/x", ""),
        ];
        let index = written_by_git(&files, &[]).unwrap();
        let paths: Vec<&[u8]> = (0..index.len()).map(|n| index.entry(n).path).collect();
        assert_eq!(
            paths,
            [
                &b"a-name-longer-than-eight-bytes/x"[..],
                b"notes/a.md",
                b"notes/a/b.md",
                b"todo.txt"
            ]
        );
        let todo = index.entry(3);
        assert_eq!(
            (todo.size, todo.mode, todo.stage, todo.special),
            (9, 0o100644, 0, false)
        );
        assert!(index.contains(b"notes/a/b.md") && !index.contains(b"notes/a"));
        assert!(!index.has_conflicts());
        // Version 3 (an intent-to-add entry needs its extended flags).
        let index = written_by_git(
            &files,
            &[&["rm", "-q", "--cached", "todo.txt"], &["add", "-N", "todo.txt"]],
        )
        .unwrap();
        let todo = (0..index.len())
            .map(|n| index.entry(n))
            .find(|e| e.path == b"todo.txt")
            .unwrap();
        assert!(todo.special);
        assert_eq!(index.entry(1).path, b"notes/a.md");
    }

    #[test]
    fn what_it_does_not_know_or_a_damaged_file_reads_as_no_index() {
        let files = [("todo.txt", "(A) Call\n")];
        assert!(written_by_git(&files, &[&["update-index", "--index-version", "4"]]).is_none());
        assert!(written_by_git(&files, &[&["update-index", "--split-index"]]).is_none());
        let index = written_by_git(&files, &[]).unwrap();
        let mut damaged = index.bytes.clone();
        damaged[HEADER + 40] ^= 1;
        assert!(IndexFile::parse(damaged, (0, 0)).is_none());
        let mut short = index.bytes.clone();
        short.truncate(short.len() - 30);
        assert!(IndexFile::parse(short, (0, 0)).is_none());
        assert!(IndexFile::parse(b"DIRC".to_vec(), (0, 0)).is_none());
    }
}
