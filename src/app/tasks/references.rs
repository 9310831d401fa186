//! The references of every line of todo.txt, kept between commands in the state
//! directory (`references.cache`) under a hash of the file's content: listing a few
//! tasks of a long file then needs the codes of its other lines read back, not
//! worked out again line by line.
//!
//! The cache is only ever a shortcut: a missing, damaged or stale file (another
//! content's hash) is worked out again and replaced, and a cache that cannot be
//! written is left alone. A wrong cache could only make a shown reference longer or
//! shorter than needed; what a reference finds is always read from the file itself.

use myorg_domain::reference::References;
use std::path::Path;

/// The cache's file name in the state directory.
const FILE: &str = "references.cache";
/// The first bytes of the file: its name and format version.
const MAGIC: &[u8; 8] = b"MYORGRF1";
/// The magic, the content's length and hash, and the number of codes.
const HEADER: usize = 32;

/// The references of the todo.txt `text`, from the cache in `dir` when it holds this
/// content's, else worked out and kept there.
pub fn of_text(dir: &Path, text: &str) -> References {
    let key = (text.len() as u64, xxhash_rust::xxh3::xxh3_64(text.as_bytes()));
    if let Some(references) = read(&dir.join(FILE), key) {
        return references;
    }
    let references = References::of_text(text);
    if let Err(error) = write(dir, key, references.codes()) {
        tracing::debug!(dir = %dir.display(), %error, "the references of todo.txt were not kept");
    }
    references
}

/// The cached references, when the file is whole and of this content.
fn read(path: &Path, key: (u64, u64)) -> Option<References> {
    let bytes = std::fs::read(path).ok()?;
    let number = |at: usize| Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?));
    if bytes.get(..8)? != MAGIC || (number(8)?, number(16)?) != key {
        return None;
    }
    let count = usize::try_from(number(24)?).ok()?;
    if bytes.len() != HEADER.checked_add(count.checked_mul(8)?)? {
        return None;
    }
    let codes = bytes[HEADER..]
        .chunks_exact(8)
        .map(|code| u64::from_le_bytes(code.try_into().unwrap_or_default()))
        .collect();
    References::from_codes(codes)
}

/// Replaces the cache with these codes, atomically (a reader sees the old file or
/// the new one, whole).
fn write(dir: &Path, key: (u64, u64), codes: &[u64]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut bytes = Vec::with_capacity(HEADER + codes.len() * 8);
    bytes.extend_from_slice(MAGIC);
    for number in [key.0, key.1, codes.len() as u64] {
        bytes.extend_from_slice(&number.to_le_bytes());
    }
    for code in codes {
        bytes.extend_from_slice(&code.to_le_bytes());
    }
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(&bytes)?;
    file.persist(dir.join(FILE)).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use myorg_parsers::Task;

    fn shown(references: &References, line: &str) -> String {
        references.shown(&Task::parse(line))
    }

    #[test]
    fn the_codes_are_kept_for_the_same_content_and_worked_out_again_for_another() {
        let dir = tempfile::tempdir().unwrap();
        let text: String = (0..300).map(|n| format!("Chore {n} +home\n")).collect();
        let first = of_text(dir.path(), &text);
        assert_eq!(first.codes(), References::of_text(&text).codes());
        let kept = std::fs::read(dir.path().join(FILE)).unwrap();
        assert_eq!(kept.len(), HEADER + 300 * 8);

        // The kept codes are what a second look uses: made different here on purpose
        // (every code but one dropped), they show in the references.
        let key = (text.len() as u64, xxhash_rust::xxh3::xxh3_64(text.as_bytes()));
        let lone = References::of_text("Chore 7 +home\n");
        write(dir.path(), key, lone.codes()).unwrap();
        let read_back = of_text(dir.path(), &text);
        assert_eq!(read_back.codes(), lone.codes());
        assert_eq!(shown(&read_back, "Chore 7 +home").len(), 4);

        // Another content is worked out again, and kept in place of the old.
        let changed = format!("{text}Chore 300 +home\n");
        let again = of_text(dir.path(), &changed);
        assert_eq!(again.codes(), References::of_text(&changed).codes());
        assert_eq!(
            std::fs::read(dir.path().join(FILE)).unwrap().len(),
            HEADER + 301 * 8
        );
    }

    #[test]
    fn a_damaged_cache_is_worked_out_again_and_an_unwritable_one_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let text = "(A) Call Ana\nBuy milk\n";
        let expected = References::of_text(text);
        of_text(dir.path(), text);
        let path = dir.path().join(FILE);
        let whole = std::fs::read(&path).unwrap();
        let mut unsorted = whole.clone();
        let (a, b) = unsorted[HEADER..].split_at_mut(8);
        a.swap_with_slice(&mut b[..8]);
        for damaged in [
            whole[..whole.len() - 1].to_vec(),
            [&whole[..], &[0][..]].concat(),
            unsorted,
            b"MYORGRF0".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&path, &damaged).unwrap();
            assert_eq!(of_text(dir.path(), text).codes(), expected.codes());
            assert_eq!(std::fs::read(&path).unwrap(), whole, "rewritten whole");
        }
        // A state directory that cannot be made (a file is in the way) is no error.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "").unwrap();
        assert_eq!(of_text(&blocked, text).codes(), expected.codes());
    }
}
