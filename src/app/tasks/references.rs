//! The reference shown for every line of todo.txt, kept between commands in the
//! state directory (`references.cache`) under the key of the file's content: each
//! task's code and how many letters tell it apart from the file's other tasks.
//! Listing tasks of a long file then reads their lines' references back, instead of
//! working out every line's code and comparing them all.
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
use myorg_domain::reference;
use std::io::Read;
use std::path::Path;

/// The cache's file name in the state directory.
const FILE: &str = "references.cache";
/// The first bytes of the file: its name and format version.
const MAGIC: &[u8; 8] = b"MYORGRF3";
/// The magic, the key, the stamp and the number of lines.
const HEADER: usize = 64;
/// Where the number of letters sits in a line's packed reference (a code takes 36 bits).
const LENGTH_AT: u32 = 56;

/// The reference shown for each line of a todo.txt: its task's code and how many
/// letters it is shown at, packed in one number (0 for a blank line). Listing a
/// task then takes its line's number, not a search among the file's codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown(Lines);

/// Which lines a [`Shown`] knows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lines {
    /// Every line, by its number.
    Every(Vec<u64>),
    /// Only these lines (in order), each with its packed reference.
    Some(Vec<usize>, Vec<u64>),
}

impl Shown {
    /// From the code of each line's task ([`reference::line_code`]; `None` for a
    /// blank line).
    pub fn of(codes: &[Option<u64>]) -> Shown {
        let tasks: Vec<u64> = codes.iter().flatten().copied().collect();
        let mut lengths = reference::shown_lengths(&tasks).into_iter();
        Shown(Lines::Every(
            codes
                .iter()
                .map(|code| match code {
                    Some(code) => code | u64::from(lengths.next().unwrap_or_default()) << LENGTH_AT,
                    None => 0,
                })
                .collect(),
        ))
    }

    /// The reference shown for the task on line `index`; `None` for a blank line, a
    /// line past the file's end or one not read.
    pub fn get(&self, index: usize) -> Option<String> {
        let packed = match &self.0 {
            Lines::Every(packed) => *packed.get(index)?,
            Lines::Some(lines, packed) => *packed.get(lines.binary_search(&index).ok()?)?,
        };
        let length = usize::try_from(packed >> LENGTH_AT).ok()?;
        (length != 0).then(|| reference::letters_of(packed & ((1 << LENGTH_AT) - 1), length))
    }

    /// Every line's packed reference, when it knows every line.
    fn every(&self) -> Option<&[u64]> {
        match &self.0 {
            Lines::Every(packed) => Some(packed),
            Lines::Some(..) => None,
        }
    }
}

/// Whether a packed reference is a blank line's or a code shown at 4 to 8 letters.
fn is_sound(packed: u64) -> bool {
    packed == 0 || (reference::SHOWN..=reference::FULL).contains(&((packed >> LENGTH_AT) as usize))
}

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

/// A cache found in the state directory, its header read: what it was kept under.
/// The references themselves are read from the same open file by [`Kept::read`].
pub struct Kept {
    pub key: Key,
    pub stamp: Stamp,
    lines: usize,
    file: std::fs::File,
}

/// The cache in `dir`, its header read, when it has a header of this format.
pub fn kept(dir: &Path) -> Option<Kept> {
    let mut file = std::fs::File::open(dir.join(FILE)).ok()?;
    let mut header = [0; HEADER];
    file.read_exact(&mut header).ok()?;
    let ((key, stamp), lines) = parse_header(&header)?;
    Some(Kept {
        key,
        stamp,
        lines,
        file,
    })
}

/// How many references are read at a time when only some lines are wanted.
const WINDOW: usize = 8 * 1024;

impl Kept {
    /// The kept references of the lines `wanted` (in order, each once), when the
    /// file is as long as its header says and each of those is sound. Only the parts
    /// of the file that hold them are read, a window at a time into one buffer; when
    /// most lines are wanted, the whole table is read.
    pub fn read_lines(self, wanted: &[usize]) -> Option<Shown> {
        let size = self.lines.checked_mul(8)?;
        if self.file.metadata().ok()?.len() != HEADER.checked_add(size)? as u64 {
            return None;
        }
        if wanted.len().saturating_mul(2) > self.lines {
            return self.read();
        }
        use std::os::unix::fs::FileExt;
        let mut window = vec![0; WINDOW * 8];
        let mut packed = Vec::with_capacity(wanted.len());
        let mut lines = wanted.iter().copied().peekable();
        while let Some(&first) = lines.peek() {
            if first >= self.lines {
                return None;
            }
            let count = WINDOW.min(self.lines - first);
            let bytes = &mut window[..count * 8];
            self.file.read_exact_at(bytes, (HEADER + first * 8) as u64).ok()?;
            while let Some(line) = lines.next_if(|&line| line < first + count) {
                let at = (line - first) * 8;
                let one = u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?);
                if !is_sound(one) {
                    return None;
                }
                packed.push(one);
            }
        }
        Some(Shown(Lines::Some(wanted.to_vec(), packed)))
    }

    /// The kept references of every line, when the rest of the file is whole.
    fn read(mut self) -> Option<Shown> {
        let size = self.lines.checked_mul(8)?;
        // One byte more than the references, to see a file longer than its header says.
        let mut bytes = Vec::with_capacity(size.checked_add(1)?);
        (&mut self.file)
            .take(size as u64 + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        if bytes.len() != size {
            return None;
        }
        let packed: Vec<u64> = bytes
            .chunks_exact(8)
            .map(|packed| u64::from_le_bytes(packed.try_into().unwrap_or_default()))
            .collect();
        packed
            .iter()
            .all(|&one| is_sound(one))
            .then_some(Shown(Lines::Every(packed)))
    }
}

/// The key and stamp the cache in `dir` was kept under.
#[cfg(test)]
pub fn kept_for(dir: &Path) -> Option<(Key, Stamp)> {
    kept(dir).map(|kept| (kept.key, kept.stamp))
}

/// The cached references and the key they were kept under, when the file is whole.
#[cfg(test)]
fn read(dir: &Path) -> Option<(Key, Shown)> {
    let kept = kept(dir)?;
    let key = kept.key;
    Some((key, kept.read()?))
}

/// The key, the stamp and the number of lines a header holds.
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

/// Replaces the cache with these references, atomically (a reader sees the old file
/// or the new one, whole).
pub fn keep(dir: &Path, key: Key, stamp: Stamp, shown: &Shown) {
    // Only references of every line are a table to keep.
    let Some(every) = shown.every() else {
        return;
    };
    if let Err(error) = write(dir, key, stamp, every) {
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

    fn shown_of(text: &str) -> Shown {
        let codes: Vec<Option<u64>> = myorg_parsers::todo::lines(text)
            .map(|(_, line)| reference::line_code(line))
            .collect();
        Shown::of(&codes)
    }

    #[test]
    fn each_line_shows_its_reference_as_the_file_s_other_tasks_require() {
        let text = "(A) Call Ana\n\nBuy milk\nBuy milk\n";
        let shown = shown_of(text);
        let todo = myorg_parsers::TodoFile::parse(text);
        let references = myorg_domain::reference::References::of(&todo);
        for (index, task) in todo.tasks() {
            assert_eq!(shown.get(index), Some(references.shown(task)), "line {index}");
        }
        assert_eq!(shown.get(1), None, "a blank line");
        assert_eq!(shown.get(4), None, "past the end");
        assert_eq!(shown.get(2).unwrap().len(), 8, "the same task twice");
    }

    #[test]
    fn references_are_read_back_with_their_key_and_the_header_alone_tells_key_and_stamp() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(kept_for(dir.path()), None);
        assert!(read(dir.path()).is_none());
        let shown = shown_of("(A) Call Ana\nBuy milk\n\nBuy milk\n");
        keep(dir.path(), KEY, STAMP, &shown);
        assert_eq!(kept_for(dir.path()), Some((KEY, STAMP)));
        assert_eq!(read(dir.path()), Some((KEY, shown)));
        assert_eq!(
            std::fs::read(dir.path().join(FILE)).unwrap().len(),
            HEADER + 4 * 8
        );

        // Kept again for another content: replaced.
        let other = Key { len: 12, hash: 8 };
        let one = shown_of("Buy milk\n");
        keep(dir.path(), other, Stamp::default(), &one);
        assert_eq!(kept_for(dir.path()), Some((other, Stamp::default())));
        assert_eq!(read(dir.path()), Some((other, one)));
    }

    #[test]
    fn the_references_of_some_lines_are_read_from_the_windows_that_hold_them() {
        let dir = tempfile::tempdir().unwrap();
        // More lines than a window holds, blank ones among them.
        let text: String = (0..WINDOW * 2 + 100)
            .map(|n| {
                if n % 7 == 3 {
                    "\n".to_string()
                } else {
                    format!("Task {n}\n")
                }
            })
            .collect();
        let whole = shown_of(&text);
        keep(dir.path(), KEY, STAMP, &whole);
        let lines = WINDOW * 2 + 100;
        let wanted = [0, 3, 5, WINDOW - 1, WINDOW, WINDOW * 2 + 99];
        let some = kept(dir.path()).unwrap().read_lines(&wanted).unwrap();
        for line in 0..lines {
            let expected = wanted.contains(&line).then(|| whole.get(line)).flatten();
            assert_eq!(some.get(line), expected, "line {line}");
        }
        assert!(
            some.get(5).is_some() && some.get(3).is_none(),
            "a task and a blank line"
        );
        // Most lines wanted: the whole table is read.
        let most: Vec<usize> = (0..lines).step_by(2).chain([lines - 1]).collect();
        let read = kept(dir.path()).unwrap().read_lines(&most).unwrap();
        assert_eq!(read, whole);
        // Keeping references of some lines only keeps nothing.
        keep(dir.path(), Key { len: 1, hash: 1 }, STAMP, &some);
        assert_eq!(kept_for(dir.path()), Some((KEY, STAMP)));

        // A line past the end, a file of another length, a wanted line unsound.
        assert!(kept(dir.path()).unwrap().read_lines(&[lines]).is_none());
        let path = dir.path().join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 8]).unwrap();
        assert!(kept(dir.path()).unwrap().read_lines(&[0]).is_none());
        let mut unsound = bytes.clone();
        unsound[HEADER + 5 * 8 + 7] = 99;
        std::fs::write(&path, &unsound).unwrap();
        assert!(kept(dir.path()).unwrap().read_lines(&[5]).is_none());
        assert!(
            kept(dir.path()).unwrap().read_lines(&[6]).is_some(),
            "only wanted lines are checked"
        );
    }

    #[test]
    fn a_damaged_cache_reads_as_none_and_an_unwritable_one_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        keep(dir.path(), KEY, STAMP, &shown_of("(A) Call Ana\nBuy milk\n"));
        let path = dir.path().join(FILE);
        let whole = std::fs::read(&path).unwrap();
        let mut too_long = whole.clone();
        too_long[HEADER + 7] = 9;
        let mut older = whole.clone();
        older[..8].copy_from_slice(b"MYORGRF2");
        for damaged in [
            whole[..whole.len() - 1].to_vec(),
            [&whole[..], &[0][..]].concat(),
            too_long,
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
        keep(&blocked, KEY, STAMP, &shown_of("Buy milk\n"));
        assert!(read(&blocked).is_none());
    }
}
