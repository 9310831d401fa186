//! Searching the text of a todo.txt without building a document, whole
//! ([`search_text`]) or a piece of whole lines at a time ([`matching`], for a file
//! read piece by piece). Only the lines that can match are parsed: the lines holding
//! the first `+project` or `@context` asked for, or else the longest word asked for.

use super::{Filter, urgency};
use chrono::NaiveDate;
use myorg_parsers::Task;
use myorg_parsers::todo::{is_blank_line, piece_lines};

/// A task found in the text, parsed on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a> {
    /// The 0-based line index.
    pub index: usize,
    /// The line as written, without its ending.
    pub line: &'a str,
    pub task: Task,
    pub urgency: f64,
}

/// [`super::search`] over the text of a todo.txt: the same tasks in the same order as
/// a search of the parsed file, for a large file in a fraction of the time.
pub fn search_text<'a>(text: &'a str, filter: &Filter, today: NaiveDate) -> Vec<Hit<'a>> {
    let (mut found, _) = matching(text.strip_prefix('\u{feff}').unwrap_or(text), 0, filter, today);
    most_urgent_first(&mut found, |hit| (hit.urgency, hit.index));
    found
}

/// The tasks `filter` keeps on `today` among `piece`: whole lines of a todo.txt
/// (without the file's byte-order mark), the first of them line `first` of the
/// file; in the file's order. And how many lines the piece has.
pub fn matching<'a>(
    piece: &'a str,
    first: usize,
    filter: &Filter,
    today: NaiveDate,
) -> (Vec<Hit<'a>>, usize) {
    let mut found = Vec::new();
    let lines = matching_each(piece, first, filter, today, |index, line, task, urgency| {
        found.push(Hit {
            index,
            line,
            task,
            urgency,
        });
    });
    (found, lines)
}

/// [`matching`], each task kept given to `keep` as it is found (its line index in
/// the file, its line, the task and its urgency) rather than collected: a caller
/// that needs only some of it keeps no more. Returns how many lines the piece has.
pub fn matching_each<'a>(
    piece: &'a str,
    first: usize,
    filter: &Filter,
    today: NaiveDate,
    mut keep: impl FnMut(usize, &'a str, Task, f64),
) -> usize {
    let mut each = |index: usize, line: &'a str| {
        if is_blank_line(line) {
            return;
        }
        let task = Task::parse(line);
        if filter.matches(&task, line, today) {
            let urgency = urgency(&task, today);
            keep(first + index, line, task, urgency);
        }
    };
    let needle = filter
        .projects
        .first()
        .map(|project| format!("+{project}"))
        .or_else(|| filter.contexts.first().map(|context| format!("@{context}")));
    if let Some(needle) = needle {
        lines_containing(piece, piece.as_bytes(), needle.as_bytes(), each)
    } else if let Some((lowered, word)) = word_prefilter(piece, filter) {
        lines_containing(piece, &lowered, word.as_bytes(), each)
    } else {
        piece_lines(piece).fold(0, |_, (index, line)| {
            each(index, line);
            index + 1
        })
    }
}

/// Sorts found tasks most urgent first, equal scores in the file's order, by their
/// `(urgency, line index)`. Their keys are sorted, then each task is moved into its
/// place once: a found task is large to move at every step of a sort.
pub fn most_urgent_first<T>(found: &mut [T], key: impl Fn(&T) -> (f64, usize)) {
    let mut order: Vec<(f64, usize, usize)> = found
        .iter()
        .enumerate()
        .map(|(at, item)| {
            let (urgency, index) = key(item);
            (urgency, index, at)
        })
        .collect();
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // What goes to each place comes from `from[place]`; a cycle of such moves is
    // followed from each place not yet filled.
    let mut from: Vec<usize> = order.into_iter().map(|(_, _, at)| at).collect();
    for start in 0..found.len() {
        let mut place = start;
        while from[place] != start {
            let next = from[place];
            found.swap(place, next);
            from[place] = place;
            place = next;
        }
        from[place] = place;
    }
}

/// Characters outside ASCII whose lowercase has an ASCII letter in it (the Kelvin
/// sign's is `k`, the dotted capital I's is `i` and a combining dot).
pub(super) const LOWERCASE_TO_ASCII: [char; 2] = ['\u{130}', '\u{212A}'];

/// For a search by words alone: `text` with its ASCII letters lowercased (the same
/// length, the same lines) and the longest word of the filter, when that word is
/// ASCII. A line whose lowercase holds that word holds it in this copy too, since
/// lowercasing any other character gives no ASCII letter, except for the few in
/// [`LOWERCASE_TO_ASCII`]: a text with one of those is read line by line.
fn word_prefilter(text: &str, filter: &Filter) -> Option<(Vec<u8>, String)> {
    let word = filter
        .words
        .iter()
        .filter(|word| !word.is_empty() && word.is_ascii())
        .max_by_key(|word| word.len())?;
    let mut buffer = [0; 4];
    if LOWERCASE_TO_ASCII
        .iter()
        .any(|c| memchr::memmem::find(text.as_bytes(), c.encode_utf8(&mut buffer).as_bytes()).is_some())
    {
        return None;
    }
    Some((text.as_bytes().to_ascii_lowercase(), word.clone()))
}

/// Gives `each` the lines of `text` (split as [`piece_lines`] splits them) where
/// `haystack`, `text` or a copy with the same lines, contains `needle`: each once, in
/// order, numbered from 0. Returns how many lines `text` has.
fn lines_containing<'a>(
    text: &'a str,
    haystack: &[u8],
    needle: &[u8],
    mut each: impl FnMut(usize, &'a str),
) -> usize {
    let bytes = haystack;
    // Lines before `counted` have been numbered; `index` is the number of the line
    // starting at `counted`.
    let (mut counted, mut index) = (0, 0);
    let mut next_line = 0;
    for at in memchr::memmem::find_iter(bytes, needle) {
        if at < next_line {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |newline| newline + 1);
        let (end, after) = match memchr::memchr(b'\n', &bytes[at..]) {
            Some(offset) => {
                let newline = at + offset;
                let end = if newline > start && bytes[newline - 1] == b'\r' {
                    newline - 1
                } else {
                    newline
                };
                (end, newline + 1)
            }
            None => (bytes.len(), bytes.len()),
        };
        index += memchr::memchr_iter(b'\n', &bytes[counted..start]).count();
        counted = start;
        // Newlines and CRs are ASCII: these are character boundaries.
        if let Some(line) = text.get(start..end.max(start)) {
            each(index, line);
        }
        next_line = after;
    }
    let unended = !bytes.is_empty() && bytes.last() != Some(&b'\n');
    index + memchr::memchr_iter(b'\n', &bytes[counted..]).count() + usize::from(unended)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_urgent_come_first_and_ties_keep_the_order_of_their_lines() {
        for size in [0, 1, 2, 3, 10, 97, 1000] {
            // Scores with many ties, lines in a shuffled order.
            let mut found: Vec<(f64, usize, String)> = (0..size)
                .map(|n| {
                    (
                        (n * 7 % 5) as f64 / 2.0,
                        (n * 31) % size.max(1),
                        format!("line {n}"),
                    )
                })
                .collect();
            let mut expected = found.clone();
            expected.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            most_urgent_first(&mut found, |item| (item.0, item.1));
            assert_eq!(found, expected, "{size} found");
        }
    }
}
