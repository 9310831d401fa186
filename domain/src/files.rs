//! A store file's content as the assistant speaks of it, pure: the piece of a file
//! read at once (never cutting a UTF-8 character in two), a page of a list or of a
//! file's lines, and the preview of a write (sizes, and lines added and removed). Which paths may be read or written is the
//! store's to say; this only looks at bytes.

use std::collections::HashMap;

/// Bytes `start..end` of a file of `total` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub total: usize,
}

impl Piece {
    /// Whether the file goes on after this piece.
    pub fn is_cut(&self) -> bool {
        self.end < self.total
    }
}

/// The piece of `bytes` from `start`, at most `limit` bytes long and ending before a
/// UTF-8 character it would cut in two (unless that character is the piece's
/// first); `None` when `start` is past the end.
pub fn piece(bytes: &[u8], start: usize, limit: usize) -> Option<Piece> {
    let total = bytes.len();
    if start > total {
        return None;
    }
    let mut end = start.saturating_add(limit).min(total);
    if end < total
        && let Err(error) = std::str::from_utf8(&bytes[start..end])
        && error.error_len().is_none()
        && error.valid_up_to() > 0
    {
        end = start + error.valid_up_to();
    }
    Some(Piece { start, end, total })
}

/// Page `number` (from 1) of a list of `total` items in pages of `per_page`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub number: usize,
    /// How many pages there are: at least 1 (an empty list has one empty page).
    pub pages: usize,
    /// The items on it, 0-based.
    pub items: std::ops::Range<usize>,
    pub total: usize,
}

impl Page {
    /// Page `number` of `total` items, `per_page` a page (at least 1); `None` for a
    /// page 0 or past the last.
    pub fn of(total: usize, number: usize, per_page: usize) -> Option<Page> {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        if number == 0 || number > pages {
            return None;
        }
        let start = (number - 1) * per_page;
        Some(Page {
            number,
            pages,
            items: start..(start + per_page).min(total),
            total,
        })
    }

    /// Whether there is more than one page.
    pub fn is_paged(&self) -> bool {
        self.pages > 1
    }
}

/// Page `number` of the lines of `bytes` (a last line without its line break counts),
/// `per_page` lines a page, and the bytes it covers, line breaks included; `None` for
/// a page 0 or past the last.
pub fn lines_page(bytes: &[u8], number: usize, per_page: usize) -> Option<(Page, std::ops::Range<usize>)> {
    let breaks: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'\n')
        .map(|(at, _)| at)
        .collect();
    let unended = bytes.last().is_some_and(|byte| *byte != b'\n');
    let total = breaks.len() + usize::from(unended);
    let page = Page::of(total, number, per_page)?;
    // Line `i` starts after break `i - 1` and ends after break `i` (or at the end).
    let start_of = |line: usize| if line == 0 { 0 } else { breaks[line - 1] + 1 };
    let start = start_of(page.items.start);
    let end = if page.items.end == total {
        bytes.len()
    } else {
        start_of(page.items.end)
    };
    Some((page, start..end))
}

/// Lines of `new` not in `old` and lines of `old` not in `new`, counted as
/// multisets (a moved line counts as neither).
pub fn line_changes(old: &str, new: &str) -> (usize, usize) {
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for line in old.lines() {
        *counts.entry(line).or_default() -= 1;
    }
    for line in new.lines() {
        *counts.entry(line).or_default() += 1;
    }
    let added = counts
        .values()
        .filter(|&&n| n > 0)
        .map(|&n| n.unsigned_abs())
        .sum::<u64>();
    let removed = counts
        .values()
        .filter(|&&n| n < 0)
        .map(|&n| n.unsigned_abs())
        .sum::<u64>();
    (
        usize::try_from(added).unwrap_or(usize::MAX),
        usize::try_from(removed).unwrap_or(usize::MAX),
    )
}

/// What writing `new` to `path` does, for the person to confirm: `Overwrite PATH: A →
/// B bytes, +N −M lines` over the `old` content, or `Create PATH: B bytes, N lines`
/// when there is none.
pub fn write_preview(path: &str, old: Option<&[u8]>, new: &str) -> String {
    match old {
        Some(old) => {
            let (added, removed) = line_changes(&String::from_utf8_lossy(old), new);
            format!(
                "Overwrite {path}: {} → {} bytes, +{added} −{removed} lines",
                old.len(),
                new.len()
            )
        }
        None => format!(
            "Create {path}: {} bytes, {} lines",
            new.len(),
            new.lines().count()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_paged_and_a_page_past_the_end_is_none() {
        assert_eq!(
            Page::of(5, 2, 2),
            Some(Page {
                number: 2,
                pages: 3,
                items: 2..4,
                total: 5
            })
        );
        assert_eq!(Page::of(5, 3, 2).unwrap().items, 4..5);
        assert_eq!(Page::of(5, 4, 2), None);
        assert_eq!(Page::of(5, 0, 2), None);
        let empty = Page::of(0, 1, 10).unwrap();
        assert_eq!(
            (empty.pages, empty.items.clone(), empty.is_paged()),
            (1, 0..0, false)
        );
        assert_eq!(Page::of(3, 1, 0).unwrap().pages, 3, "at least one a page");
    }

    #[test]
    fn a_files_lines_are_paged_with_their_line_breaks() {
        let text = b"a\nbb\nccc\nd";
        let page = |number| lines_page(text, number, 2).map(|(page, bytes)| (page.items, &text[bytes]));
        assert_eq!(page(1), Some((0..2, &b"a\nbb\n"[..])));
        assert_eq!(page(2), Some((2..4, &b"ccc\nd"[..])));
        assert_eq!(page(3), None);
        assert_eq!(lines_page(b"a\nb\n", 1, 5).unwrap().0.total, 2);
        assert_eq!(lines_page(b"", 1, 5).unwrap(), (Page::of(0, 1, 5).unwrap(), 0..0));
        assert_eq!(lines_page(b"\n\n", 2, 1).unwrap().1, 1..2);
    }

    #[test]
    fn line_changes_count_lines_added_and_removed() {
        assert_eq!(line_changes("a\nb\nc\n", "a\nc\nd\ne\n"), (2, 1));
        assert_eq!(line_changes("", "x\n"), (1, 0));
        assert_eq!(line_changes("a\nb", "b\na"), (0, 0));
    }

    #[test]
    fn a_piece_never_cuts_a_character_in_two() {
        let text = format!("{}é and more", "a".repeat(7));
        // é is bytes 7 and 8: a piece of 8 stops before it.
        assert_eq!(
            piece(text.as_bytes(), 0, 8),
            Some(Piece {
                start: 0,
                end: 7,
                total: 18
            })
        );
        assert_eq!(piece(text.as_bytes(), 7, 8).map(|p| p.end), Some(15));
        assert_eq!(piece(text.as_bytes(), 18, 8).map(|p| p.is_cut()), Some(false));
        assert_eq!(piece(text.as_bytes(), 19, 8), None);
        // Bytes that are no UTF-8 at all are cut where the limit says.
        assert_eq!(piece(&[0xff; 10], 0, 4).map(|p| p.end), Some(4));
    }

    #[test]
    fn a_preview_says_what_a_write_does() {
        assert_eq!(
            write_preview("notes/a.md", Some(b"a\nb\n"), "a\nc\nd\n"),
            "Overwrite notes/a.md: 4 → 6 bytes, +2 −1 lines"
        );
        assert_eq!(
            write_preview("notes/new.md", None, "a\nb\n"),
            "Create notes/new.md: 4 bytes, 2 lines"
        );
    }
}
