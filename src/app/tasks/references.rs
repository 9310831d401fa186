//! The references of every line of todo.txt, kept between commands in the state
//! directory (`references.cache`) under the key of the file's content: listing a few
//! tasks of a long file then needs the codes of its other lines read back, not
//! worked out again line by line.
//!
//! The cache also records the file's size, time and inode when it was written (its
//! [`Stamp`]): a search reads that first, to know before reading todo.txt whether
//! the codes are likely kept or must be worked out on the way.
//!
//! The cache is only ever a shortcut: a missing, damaged or stale file (another
//! content's key) is worked out again and replaced, and a cache that cannot be
//! written is left alone. A wrong cache could only make a shown reference longer or
//! shorter than needed; what a reference finds is always read from the file itself.

use super::scan::Key;
use myorg_domain::reference::References;
use std::io::Read;
use std::path::Path;

/// The cache's file name in the state directory.
const FILE: &str = "references.cache";
/// The first bytes of the file: its name and format version.
const MAGIC: &[u8; 8] = b"MYORGRF2";
/// The magic, the key, the stamp and the number of codes.
const HEADER: usize = 64;

/// The size, modification time and inode of todo.txt: what tells, without reading
/// it, that it is most likely the content the cache was kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamp([u64; 4]);

impl Stamp {
    pub fn of(metadata: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp([
            metadata.size(),
            metadata.mtime() as u64,
            metadata.mtime_nsec() as u64,
            metadata.ino(),
        ])
    }
}

/// The key and stamp the cache in `dir` was kept under, read from its header alone.
pub fn kept_for(dir: &Path) -> Option<(Key, Stamp)> {
    let mut header = [0; HEADER];
    std::fs::File::open(dir.join(FILE))
        .ok()?
        .read_exact(&mut header)
        .ok()?;
    Some(parse_header(&header)?.0)
}

/// The cached references and the key they were kept under, when the file is whole.
pub fn read(dir: &Path) -> Option<(Key, References)> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    let ((key, _), count) = parse_header(bytes.get(..HEADER)?)?;
    if bytes.len() != HEADER.checked_add(count.checked_mul(8)?)? {
        return None;
    }
    let codes = bytes[HEADER..]
        .chunks_exact(8)
        .map(|code| u64::from_le_bytes(code.try_into().unwrap_or_default()))
        .collect();
    Some((key, References::from_codes(codes)?))
}

/// The key, the stamp and the number of codes a header holds.
fn parse_header(header: &[u8]) -> Option<((Key, Stamp), usize)> {
    let number = |at: usize| Some(u64::from_le_bytes(header.get(at..at + 8)?.try_into().ok()?));
    if header.get(..8)? != MAGIC {
        return None;
    }
    let key = Key {
        len: number(8)?,
        hash: number(16)?,
    };
    let stamp = Stamp([number(24)?, number(32)?, number(40)?, number(48)?]);
    Some(((key, stamp), usize::try_from(number(56)?).ok()?))
}

/// Replaces the cache with these codes, atomically (a reader sees the old file or
/// the new one, whole).
pub fn keep(dir: &Path, key: Key, stamp: Stamp, codes: &[u64]) {
    if let Err(error) = write(dir, key, stamp, codes) {
        tracing::debug!(dir = %dir.display(), %error, "the references of todo.txt were not kept");
    }
}

fn write(dir: &Path, key: Key, stamp: Stamp, codes: &[u64]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut bytes = Vec::with_capacity(HEADER + codes.len() * 8);
    bytes.extend_from_slice(MAGIC);
    let numbers = [key.len, key.hash]
        .into_iter()
        .chain(stamp.0)
        .chain([codes.len() as u64]);
    for number in numbers.chain(codes.iter().copied()) {
        bytes.extend_from_slice(&number.to_le_bytes());
    }
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(&bytes)?;
    file.persist(dir.join(FILE)).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: Key = Key { len: 30, hash: 7 };
    const STAMP: Stamp = Stamp([30, 1_700_000_000, 5, 42]);

    #[test]
    fn codes_are_read_back_with_their_key_and_the_header_alone_tells_key_and_stamp() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(kept_for(dir.path()), None);
        assert!(read(dir.path()).is_none());
        let references = References::of_text("(A) Call Ana\nBuy milk\nBuy milk\n");
        keep(dir.path(), KEY, STAMP, references.codes());
        assert_eq!(kept_for(dir.path()), Some((KEY, STAMP)));
        let (key, read_back) = read(dir.path()).unwrap();
        assert_eq!((key, read_back.codes()), (KEY, references.codes()));
        assert_eq!(
            std::fs::read(dir.path().join(FILE)).unwrap().len(),
            HEADER + 3 * 8
        );

        // Kept again for another content: replaced.
        let other = Key { len: 12, hash: 8 };
        keep(dir.path(), other, Stamp::default(), &references.codes()[..1]);
        assert_eq!(kept_for(dir.path()), Some((other, Stamp::default())));
        assert_eq!(read(dir.path()).unwrap().1.codes().len(), 1);
    }

    #[test]
    fn a_damaged_cache_reads_as_none_and_an_unwritable_one_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        keep(
            dir.path(),
            KEY,
            STAMP,
            References::of_text("(A) Call Ana\nBuy milk\n").codes(),
        );
        let path = dir.path().join(FILE);
        let whole = std::fs::read(&path).unwrap();
        let mut unsorted = whole.clone();
        let (a, b) = unsorted[HEADER..].split_at_mut(8);
        a.swap_with_slice(&mut b[..8]);
        let mut older = whole.clone();
        older[..8].copy_from_slice(b"MYORGRF1");
        for damaged in [
            whole[..whole.len() - 1].to_vec(),
            [&whole[..], &[0][..]].concat(),
            unsorted,
            older.clone(),
            whole[..HEADER - 1].to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&path, &damaged).unwrap();
            assert!(read(dir.path()).is_none(), "{} bytes", damaged.len());
        }
        std::fs::write(&path, &older).unwrap();
        assert_eq!(kept_for(dir.path()), None, "an older format");
        // A state directory that cannot be made (a file is in the way) is no error.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "").unwrap();
        keep(&blocked, KEY, STAMP, &[1, 2]);
        assert!(read(&blocked).is_none());
    }
}
