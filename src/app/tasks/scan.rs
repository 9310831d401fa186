//! Searching todo.txt as it is read. Two threads each read half of the file, a piece
//! of whole lines at a time into one small buffer, and keep the tasks the filter
//! keeps: a long file is never held whole, so it costs little more memory than a
//! short one, and no copy of it is made. A task kept is its line (copied into one
//! text per half), its index and its urgency: the parsed task is dropped once
//! filtered and scored, and parsed again only for the tasks a caller shows
//! ([`Found`]), so a search that keeps many tasks moves and holds little. Each
//! thread sorts its own half's tasks, and the two are merged.
//!
//! Each half is hashed as it is read, giving the content's [`Key`] under which the
//! references of its tasks are kept between commands; when they are not kept for
//! it, each thread works out the code of each of its lines' tasks on the way.

use chrono::NaiveDate;
use myorg_domain::reference;
use myorg_domain::search::{self, Filter};
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;

/// The size of a piece read at once: small enough that its buffer, and the copy a
/// search by words makes of it, come back from the heap for the next piece instead
/// of being mapped anew.
const PIECE: usize = 64 * 1024;
/// Up to this size a file is read by one thread.
const SPLIT_ABOVE: u64 = 256 * 1024;

/// What is read: a file, or bytes already in memory.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    File(&'a std::fs::File),
    Bytes(&'a [u8]),
}

impl Source<'_> {
    fn len(&self) -> io::Result<u64> {
        match self {
            Source::File(file) => Ok(file.metadata()?.len()),
            Source::Bytes(bytes) => Ok(bytes.len() as u64),
        }
    }

    /// Reads into `buffer` from `offset`: how many bytes, 0 at the end.
    fn read_at(&self, buffer: &mut [u8], offset: u64) -> io::Result<usize> {
        match self {
            Source::File(file) => loop {
                match file.read_at(buffer, offset) {
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                    read => return read,
                }
            },
            Source::Bytes(bytes) => {
                let rest = usize::try_from(offset)
                    .ok()
                    .and_then(|offset| bytes.get(offset..))
                    .unwrap_or_default();
                let read = rest.len().min(buffer.len());
                buffer[..read].copy_from_slice(&rest[..read]);
                Ok(read)
            }
        }
    }
}

/// What identifies a content: its length and a hash of its halves (a content is
/// always cut in the same place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub len: u64,
    pub hash: u64,
}

/// A task the search keeps: where its line is, its index and its urgency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    pub urgency: f64,
    /// The 0-based line index.
    pub index: usize,
    /// Whether the line is in the second half's text.
    late: bool,
    /// Where the line is in its half's text.
    start: usize,
    end: usize,
}

/// A search of the whole source.
#[derive(Debug)]
pub struct Scanned {
    /// The tasks kept, most urgent first (equal urgencies in the file's order).
    pub found: Vec<Found>,
    /// The line index of each task kept, in the file's order.
    pub kept_lines: Vec<usize>,
    /// The lines kept, of each half.
    texts: [String; 2],
    pub key: Key,
    /// The code of each line's task (`None` for a blank line), when asked for.
    pub codes: Option<Vec<Option<u64>>>,
}

impl Scanned {
    /// The line of a task kept, as written, without its ending.
    pub fn line(&self, found: &Found) -> &str {
        self.texts[usize::from(found.late)]
            .get(found.start..found.end)
            .unwrap_or_default()
    }
}

/// Searches `source` for the tasks `filter` keeps on `today`, working out the codes
/// of all its tasks too when `codes`. `None` when the source is not UTF-8 (to be
/// read whole, losslessly).
pub fn scan(source: Source, filter: &Filter, today: NaiveDate, codes: bool) -> io::Result<Option<Scanned>> {
    let len = source.len()?;
    let middle = middle(source, len)?;
    let read_half = |range: Range<u64>| half(source, range, filter, today, codes);
    let (early, late) = std::thread::scope(|scope| {
        let late = (middle < len).then(|| scope.spawn(|| read_half(middle..len)));
        let early = read_half(0..middle);
        let late = match late {
            // A thread that panicked: its half is read again here.
            Some(thread) => thread.join().unwrap_or_else(|_| read_half(middle..len)),
            None => Ok(Some(Half::default())),
        };
        (early, late)
    });
    let (Some(early), Some(late)) = (early?, late?) else {
        return Ok(None);
    };
    // Each half is sorted on its own thread; here they are merged.
    let late_found = late.found.iter().map(|kept| Found {
        index: kept.index + early.lines,
        late: true,
        ..*kept
    });
    let found = merged(&early.found, late_found);
    let kept_lines = early
        .kept_lines
        .iter()
        .copied()
        .chain(late.kept_lines.iter().map(|index| index + early.lines))
        .collect();
    let mut hashed = [0; 32];
    for (at, number) in [middle, early.bytes, early.hash, late.hash]
        .into_iter()
        .enumerate()
    {
        hashed[at * 8..at * 8 + 8].copy_from_slice(&number.to_le_bytes());
    }
    Ok(Some(Scanned {
        found,
        kept_lines,
        texts: [early.text, late.text],
        key: Key {
            len: early.bytes + late.bytes,
            hash: xxhash_rust::xxh3::xxh3_64(&hashed),
        },
        codes: codes.then(|| [early.codes, late.codes].concat()),
    }))
}

/// The order of a listing: the most urgent first, equal urgencies in the file's order.
fn more_urgent(a: &Found, b: &Found) -> std::cmp::Ordering {
    b.urgency.total_cmp(&a.urgency).then(a.index.cmp(&b.index))
}

/// Two runs of tasks, each in [`more_urgent`] order, merged into one.
fn merged(early: &[Found], late: impl ExactSizeIterator<Item = Found>) -> Vec<Found> {
    let mut all = Vec::with_capacity(early.len() + late.len());
    let mut early = early.iter().copied().peekable();
    let mut late = late.peekable();
    loop {
        let next = match (early.peek(), late.peek()) {
            (Some(a), Some(b)) if more_urgent(b, a).is_lt() => late.next(),
            (Some(_), _) => early.next(),
            (None, _) => late.next(),
        };
        match next {
            Some(kept) => all.push(kept),
            None => return all,
        }
    }
}

/// Where the second half starts: just after the first newline from the middle on,
/// or the end for a small file or one with no newline in the [`SPLIT_ABOVE`] bytes
/// after its middle (a line that long is read by one thread).
fn middle(source: Source, len: u64) -> io::Result<u64> {
    if len <= SPLIT_ABOVE {
        return Ok(len);
    }
    let mut window = [0; 4096];
    let mut at = len / 2;
    while at < len && at - len / 2 < SPLIT_ABOVE {
        let read = source.read_at(&mut window, at)?;
        if read == 0 {
            break;
        }
        if let Some(newline) = memchr::memchr(b'\n', &window[..read]) {
            return Ok(at + newline as u64 + 1);
        }
        at += read as u64;
    }
    Ok(len)
}

/// What one half of a file holds.
#[derive(Debug, Default)]
struct Half {
    /// Numbered from the half's first line, most urgent first.
    found: Vec<Found>,
    /// Their line indices, in the file's order.
    kept_lines: Vec<usize>,
    /// The lines of the tasks kept, one after the other.
    text: String,
    lines: usize,
    bytes: u64,
    hash: u64,
    codes: Vec<Option<u64>>,
}

/// Searches the bytes of `range` (starting a line), piece by piece. `None` when a
/// piece is not UTF-8.
fn half(
    source: Source,
    range: Range<u64>,
    filter: &Filter,
    today: NaiveDate,
    codes: bool,
) -> io::Result<Option<Half>> {
    let mut buffer = vec![0; PIECE];
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut half = Half::default();
    let (mut filled, mut offset) = (0, range.start);
    loop {
        if filled == buffer.len() {
            // A line longer than the buffer.
            buffer.resize(buffer.len() * 2, 0);
        }
        let left = usize::try_from(range.end.saturating_sub(offset)).unwrap_or(usize::MAX);
        let want = left.min(buffer.len() - filled);
        let read = match want {
            0 => 0,
            _ => source.read_at(&mut buffer[filled..filled + want], offset)?,
        };
        offset += read as u64;
        filled += read;
        // The end of the range, or of a file that became shorter meanwhile.
        let ended = read == 0;
        let cut = match memchr::memrchr(b'\n', &buffer[..filled]) {
            _ if ended => filled,
            Some(newline) => newline + 1,
            None => continue,
        };
        if cut > 0 {
            let piece = &buffer[..cut];
            hasher.update(piece);
            let Ok(text) = std::str::from_utf8(piece) else {
                return Ok(None);
            };
            // Only a file's first piece starts with its byte-order mark.
            let text = match half.bytes == 0 && range.start == 0 {
                true => text.strip_prefix('\u{feff}').unwrap_or(text),
                false => text,
            };
            let (kept, lines) = (&mut half.found, &mut half.text);
            let counted =
                search::matching_each(text, half.lines, filter, today, |index, line, _, urgency| {
                    let start = lines.len();
                    lines.push_str(line);
                    kept.push(Found {
                        urgency,
                        index,
                        late: false,
                        start,
                        end: lines.len(),
                    });
                });
            if codes {
                let each = myorg_parsers::todo::piece_lines(text);
                half.codes
                    .extend(each.map(|(_, line)| reference::line_code(line)));
            }
            half.lines += counted;
            half.bytes += cut as u64;
            buffer.copy_within(cut..filled, 0);
            filled -= cut;
        }
        if ended {
            break;
        }
    }
    half.hash = hasher.digest();
    half.kept_lines = half.found.iter().map(|kept| kept.index).collect();
    half.found.sort_unstable_by(more_urgent);
    Ok(Some(half))
}

#[cfg(test)]
mod tests {
    use super::*;
    use myorg_domain::search::search_text;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    /// A file of more than two halves' worth, with a byte-order mark, CRLF endings,
    /// blank lines, lines longer than a piece and no newline at its end.
    fn large() -> String {
        let long = format!("Read the {} +work\n", "very ".repeat(PIECE / 4));
        let mut text = String::from("\u{feff}(A) First +work\r\n");
        let mut n = 0;
        while text.len() as u64 <= 3 * SPLIT_ABOVE {
            text.push_str(&format!(
                "2026-10-{:02} Task {n} +work @office due:2026-11-{:02}\n",
                n % 28 + 1,
                n % 30 + 1
            ));
            text.push_str(&format!(
                "(B) Call {n} @phone\r\n\n  \nx 2026-11-20 Done {n} +work\n"
            ));
            if n % 500 == 0 {
                text.push_str(&long);
            }
            n += 1;
        }
        text + "Last +work owner:ana"
    }

    #[test]
    fn a_file_read_in_pieces_by_two_threads_gives_what_a_search_of_its_whole_text_gives() {
        let text = large();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("todo.txt");
        std::fs::write(&path, &text).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        assert!(middle(Source::File(&file), text.len() as u64).unwrap() < text.len() as u64);
        let mut keys = Vec::new();
        for query in [
            "+work",
            "@phone",
            "",
            "call 7",
            "very",
            "+work owner:ana",
            "+nothing",
        ] {
            let filter = Filter::from_query(query.split(' '));
            let expected: Vec<(usize, &str, f64)> = search_text(&text, &filter, today())
                .iter()
                .map(|hit| (hit.index, hit.line, hit.urgency))
                .collect();
            for source in [Source::File(&file), Source::Bytes(text.as_bytes())] {
                let scanned = scan(source, &filter, today(), true).unwrap().unwrap();
                let got: Vec<(usize, &str, f64)> = scanned
                    .found
                    .iter()
                    .map(|found| (found.index, scanned.line(found), found.urgency))
                    .collect();
                assert!(
                    got == expected,
                    "{query:?}: {} against {}",
                    got.len(),
                    expected.len()
                );
                let mut in_order: Vec<usize> = got.iter().map(|(index, _, _)| *index).collect();
                in_order.sort_unstable();
                assert!(
                    scanned.kept_lines == in_order,
                    "{query:?}: the lines kept, in order"
                );
                let codes: Vec<Option<u64>> = myorg_parsers::todo::lines(&text)
                    .map(|(_, line)| reference::line_code(line))
                    .collect();
                assert!(
                    scanned.codes.unwrap() == codes,
                    "{query:?}: the codes of every line"
                );
                keys.push(scanned.key);
            }
            let without = scan(Source::File(&file), &filter, today(), false)
                .unwrap()
                .unwrap();
            assert_eq!(without.codes, None);
            keys.push(without.key);
        }
        // The same content always has the same key, another content another.
        assert!(keys.iter().all(|key| *key == keys[0]));
        assert_eq!(keys[0].len, text.len() as u64);
        let mut changed = text.clone().into_bytes();
        changed[text.len() / 4] ^= 1;
        let other = scan(Source::Bytes(&changed), &Filter::default(), today(), false);
        assert_ne!(other.unwrap().unwrap().key, keys[0]);
    }

    #[test]
    fn a_small_file_is_read_by_one_thread_and_bytes_that_are_not_utf8_are_refused() {
        let filter = Filter::from_query(["+work"]);
        // Read by one thread (no second half), and the lines found.
        let read = |bytes: &[u8]| {
            let one_thread = middle(Source::Bytes(bytes), bytes.len() as u64).unwrap() == bytes.len() as u64;
            let scanned = scan(Source::Bytes(bytes), &filter, today(), true)
                .unwrap()
                .unwrap();
            (
                one_thread,
                scanned
                    .found
                    .iter()
                    .map(|found| scanned.line(found).to_string())
                    .collect::<Vec<_>>(),
            )
        };
        let small = b"(A) Plan +work\nTidy +work\r\nx 2026-11-20 Done +work";
        assert_eq!(
            read(small),
            (true, vec!["(A) Plan +work".to_string(), "Tidy +work".to_string()])
        );
        // A newline far after the middle: one thread reads all.
        let one_long_line = format!(
            "Plan +work {}\nTidy +work\n",
            "x".repeat(3 * SPLIT_ABOVE as usize)
        );
        let (one_thread, lines) = read(one_long_line.as_bytes());
        assert!(one_thread);
        assert_eq!(lines.len(), 2);
        let empty = scan(Source::Bytes(b""), &filter, today(), true).unwrap().unwrap();
        assert!(empty.found.is_empty() && empty.codes == Some(Vec::new()));

        // An invalid byte early, late, or in a long line, of a small or a large file.
        let text = large();
        for at in [5, text.len() / 2 + 100, text.len() - 3] {
            let mut bytes = text.clone().into_bytes();
            bytes[at] = 0xff;
            assert!(
                scan(Source::Bytes(&bytes), &filter, today(), true)
                    .unwrap()
                    .is_none(),
                "at {at}"
            );
        }
        assert!(
            scan(Source::Bytes(b"Caf\xe9 +work\n"), &filter, today(), false)
                .unwrap()
                .is_none()
        );
    }
}
