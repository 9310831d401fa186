//! A file as a list of lines that keep their raw bytes, so writing it back is exact.
//!
//! Lines are split on LF only; a CR right before the LF belongs to the line ending
//! (CRLF), any other CR is part of the line. A UTF-8 byte-order mark at the start is
//! kept aside and written back. Lines that were not replaced are written from the
//! original bytes, in runs, so an unmodified document serializes at memory-copy speed.
//! A replaced line whose bytes were not valid UTF-8 keeps them where the edit did not
//! reach (`unreadable.rs`).

use crate::diagnostic::Diagnostic;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

mod unreadable;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Lf,
    CrLf,
    /// The last line of a file with no final newline.
    None,
}

impl Ending {
    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            Ending::Lf => b"\n",
            Ending::CrLf => b"\r\n",
            Ending::None => b"",
        }
    }
}

/// One line of a format: read from text, written in canonical form.
pub trait LineItem: Sized {
    /// Reads one line, given without its line ending. Never fails: a line that does
    /// not fit the grammar becomes an item that says so.
    fn parse(text: &str) -> Self;

    /// Reads the line `source[start..end]` (character boundaries) of a valid UTF-8
    /// file. An item may keep a cheap reference to `source` instead of a copy.
    fn parse_shared(source: &Arc<str>, start: usize, end: usize) -> Self {
        Self::parse(&source[start..end])
    }

    /// The line in canonical form, without a line ending.
    fn render(&self) -> String;

    /// Problems with this line taken alone.
    fn problems(&self, _out: &mut Vec<String>) {}

    /// Problems that involve several lines (order, duplicates).
    fn document_problems(_doc: &Document<Self>, _out: &mut Vec<Diagnostic>) {}
}

#[derive(Debug, Clone)]
enum Raw {
    /// The line's bytes in the original source, without the ending.
    Source(Range<usize>),
    /// A line written by the program, in canonical form.
    Edited(String),
    /// A line written by the program in place of one that was not valid UTF-8: its
    /// canonical form, with the tokens the edit left unchanged in their old bytes.
    Kept(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Line<T> {
    raw: Raw,
    ending: Ending,
    item: T,
}

/// The bytes a document was read from.
#[derive(Debug, Clone)]
enum Source {
    /// Valid UTF-8, shared with the items that refer to it.
    Text(Arc<str>),
    /// Not valid UTF-8: each line is decoded on its own, lossily.
    Bytes(Vec<u8>),
}

impl Source {
    fn bytes(&self) -> &[u8] {
        match self {
            Source::Text(text) => text.as_bytes(),
            Source::Bytes(bytes) => bytes,
        }
    }
}

/// A parsed file: its lines, each with its raw text and its parsed item.
#[derive(Debug, Clone)]
pub struct Document<T> {
    source: Source,
    bom: bool,
    lines: Vec<Line<T>>,
}

impl<T> Default for Document<T> {
    fn default() -> Self {
        Document {
            source: Source::Bytes(Vec::new()),
            bom: false,
            lines: Vec::new(),
        }
    }
}

impl<T: LineItem> Document<T> {
    /// Parses a whole file. Never fails; see [`Document::diagnostics`].
    pub fn parse(source: impl Into<Vec<u8>>) -> Self {
        let source = match String::from_utf8(source.into()) {
            Ok(text) => Source::Text(Arc::from(text)),
            Err(invalid) => Source::Bytes(invalid.into_bytes()),
        };
        let bytes = source.bytes();
        let bom = bytes.starts_with(BOM);
        let mut start = if bom { BOM.len() } else { 0 };
        let mut lines = Vec::with_capacity(bytes.len() / 40 + 1);
        while start < bytes.len() {
            let (end, ending, next) = match memchr::memchr(b'\n', &bytes[start..]) {
                Some(offset) => {
                    let newline = start + offset;
                    if newline > start && bytes[newline - 1] == b'\r' {
                        (newline - 1, Ending::CrLf, newline + 1)
                    } else {
                        (newline, Ending::Lf, newline + 1)
                    }
                }
                None => (bytes.len(), Ending::None, bytes.len()),
            };
            let item = match &source {
                // Line boundaries (LF, CR, the BOM) are always character boundaries.
                Source::Text(text) => T::parse_shared(text, start, end),
                Source::Bytes(_) => T::parse(&String::from_utf8_lossy(&bytes[start..end])),
            };
            lines.push(Line {
                raw: Raw::Source(start..end),
                ending,
                item,
            });
            start = next;
        }
        Document { source, bom, lines }
    }

    /// Replaces the item at `index`; the line is rewritten in canonical form and keeps
    /// its line ending. Returns the old item, or `None` (and changes nothing) when
    /// `index` is out of range.
    ///
    /// When the old line's bytes are not valid UTF-8, each token of the new line that
    /// reads as an old token did (U+FFFD for what could not be read) is written as the
    /// old token's bytes, so the edit changes only what it was asked to change. A line
    /// of a valid UTF-8 file is written exactly as rendered, U+FFFD included.
    pub fn replace(&mut self, index: usize, item: T) -> Option<T> {
        let rendering = one_line(item.render());
        let old = self.raw(index)?;
        let raw = match (&self.source, std::str::from_utf8(old)) {
            (Source::Bytes(_), Err(_)) => {
                let kept = unreadable::with_old_bytes(old, &rendering);
                match String::from_utf8(kept) {
                    Ok(text) => Raw::Edited(text),
                    Err(invalid) => Raw::Kept(invalid.into_bytes()),
                }
            }
            _ => Raw::Edited(rendering),
        };
        let line = &mut self.lines[index];
        line.raw = raw;
        Some(std::mem::replace(&mut line.item, item))
    }

    /// Inserts a new line before `index` (an index past the end appends), in
    /// canonical form, with the document's usual line ending. A file without a final
    /// newline keeps having none.
    pub fn insert(&mut self, index: usize, item: T) {
        let index = index.min(self.lines.len());
        let usual = self.usual_ending();
        let mut ending = usual;
        if index == self.lines.len()
            && let Some(last) = self.lines.last_mut()
            && last.ending == Ending::None
        {
            last.ending = usual;
            ending = Ending::None;
        }
        let raw = Raw::Edited(one_line(item.render()));
        self.lines.insert(index, Line { raw, ending, item });
    }

    /// Appends a line; returns its index.
    pub fn push(&mut self, item: T) -> usize {
        self.insert(self.lines.len(), item);
        self.lines.len() - 1
    }

    /// The file `source` with `item` appended: the bytes that parsing it,
    /// [`Document::push`] and [`Document::to_bytes`] give, without parsing its lines
    /// (an append reads the file once). The new line has the file's usual ending, or
    /// none when the file had no final newline (its last line then gets one).
    pub fn appended(mut source: Vec<u8>, item: &T) -> Vec<u8> {
        let body = source.strip_prefix(BOM).unwrap_or(&source);
        let open_last = !body.is_empty() && !body.ends_with(b"\n");
        // Every `\n` ends one line; a `\r` before it makes it a CRLF ending.
        let newlines = memchr::memchr_iter(b'\n', body).count();
        let crlf = memchr::memmem::find_iter(body, b"\r\n").count();
        let usual = if crlf > newlines - crlf {
            Ending::CrLf
        } else {
            Ending::Lf
        };
        let rendering = one_line(item.render());
        source.reserve(rendering.len() + 2);
        if open_last {
            source.extend_from_slice(usual.as_bytes());
        }
        source.extend_from_slice(rendering.as_bytes());
        if !open_last {
            source.extend_from_slice(usual.as_bytes());
        }
        source
    }

    /// Removes the line at `index` and returns its item, or `None` when out of range.
    /// Removing the last line of a file without a final newline leaves the new last
    /// line without one.
    pub fn remove(&mut self, index: usize) -> Option<T> {
        if index >= self.lines.len() {
            return None;
        }
        let line = self.lines.remove(index);
        if line.ending == Ending::None
            && let Some(last) = self.lines.last_mut()
        {
            last.ending = Ending::None;
        }
        Some(line.item)
    }

    /// Every problem in the document, in line order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let mut messages = Vec::new();
        for (index, line) in self.lines.iter().enumerate() {
            if matches!(self.source, Source::Bytes(_))
                && std::str::from_utf8(self.raw(index).unwrap_or_default()).is_err()
            {
                messages.push(
                    "not valid UTF-8: unreadable bytes are shown as \u{FFFD} and kept as they are"
                        .to_string(),
                );
            }
            line.item.problems(&mut messages);
            found.extend(messages.drain(..).map(|message| Diagnostic {
                line: index + 1,
                message,
            }));
        }
        T::document_problems(self, &mut found);
        found.sort_by_key(|d| d.line);
        found
    }
}

impl<T> Document<T> {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The item at `index` (0-based; line number `index + 1`).
    pub fn get(&self, index: usize) -> Option<&T> {
        self.lines.get(index).map(|line| &line.item)
    }

    /// Items in order, with their 0-based index.
    pub fn items(&self) -> impl ExactSizeIterator<Item = (usize, &T)> + '_ {
        self.lines
            .iter()
            .enumerate()
            .map(|(index, line)| (index, &line.item))
    }

    /// The bytes of the line at `index`, without its ending.
    pub fn raw(&self, index: usize) -> Option<&[u8]> {
        self.lines.get(index).map(|line| self.raw_of(line))
    }

    fn raw_of<'a>(&'a self, line: &'a Line<T>) -> &'a [u8] {
        match &line.raw {
            Raw::Source(range) => &self.source.bytes()[range.clone()],
            Raw::Edited(text) => text.as_bytes(),
            Raw::Kept(bytes) => bytes,
        }
    }

    /// The text of the line at `index`; invalid UTF-8 shows as U+FFFD.
    pub fn text(&self, index: usize) -> Option<Cow<'_, str>> {
        self.raw(index).map(String::from_utf8_lossy)
    }

    /// How the line at `index` ends.
    pub fn ending(&self, index: usize) -> Option<Ending> {
        self.lines.get(index).map(|line| line.ending)
    }

    /// The line ending most lines use (LF when tied or empty).
    pub fn usual_ending(&self) -> Ending {
        let crlf = self.lines.iter().filter(|l| l.ending == Ending::CrLf).count();
        let lf = self.lines.iter().filter(|l| l.ending == Ending::Lf).count();
        if crlf > lf { Ending::CrLf } else { Ending::Lf }
    }

    /// The whole file as bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.source.bytes().len() + 64);
        self.write_into(&mut out);
        out
    }

    /// Appends the whole file to `out`. Unchanged lines are copied from the source in
    /// contiguous runs.
    pub fn write_into(&self, out: &mut Vec<u8>) {
        if self.bom {
            out.extend_from_slice(BOM);
        }
        let source = self.source.bytes();
        let mut run: Option<Range<usize>> = None;
        for line in &self.lines {
            match &line.raw {
                Raw::Source(range) => {
                    let end = range.end + line.ending.as_bytes().len();
                    let ending_in_source = source.get(range.end..end) == Some(line.ending.as_bytes());
                    match &mut run {
                        Some(current) if current.end == range.start && ending_in_source => current.end = end,
                        _ => {
                            if let Some(done) = run.take() {
                                out.extend_from_slice(&source[done]);
                            }
                            if ending_in_source {
                                run = Some(range.start..end);
                            } else {
                                out.extend_from_slice(&source[range.clone()]);
                                out.extend_from_slice(line.ending.as_bytes());
                            }
                        }
                    }
                }
                Raw::Edited(_) | Raw::Kept(_) => {
                    if let Some(done) = run.take() {
                        out.extend_from_slice(&source[done]);
                    }
                    out.extend_from_slice(self.raw_of(line));
                    out.extend_from_slice(line.ending.as_bytes());
                }
            }
        }
        if let Some(done) = run {
            out.extend_from_slice(&source[done]);
        }
    }
}

/// A rendered line can never split into two: line breaks become spaces.
fn one_line(text: String) -> String {
    if text.contains(['\n', '\r']) {
        text.replace(['\n', '\r'], " ")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The simplest item: the trimmed text.
    #[derive(Debug, Clone, PartialEq)]
    struct Plain(String);

    impl LineItem for Plain {
        fn parse(text: &str) -> Self {
            Plain(text.trim().to_string())
        }
        fn render(&self) -> String {
            self.0.clone()
        }
    }

    fn round_trip(input: &[u8]) {
        let doc = Document::<Plain>::parse(input.to_vec());
        assert_eq!(doc.to_bytes(), input, "{:?}", String::from_utf8_lossy(input));
    }

    #[test]
    fn unmodified_documents_are_written_back_byte_for_byte() {
        for input in [
            &b""[..],
            b"\n",
            b"\n\n",
            b"a",
            b"a\n",
            b"a\r\nb\r\n",
            b"a\r\nb\nc",
            b"\r",
            b"a\r\r\n",
            b"\xEF\xBB\xBFa\n",
            b"\xEF\xBB\xBF",
            b"bad \xff\xfe utf8\n\xc3",
            b"  spaced  \t\n",
        ] {
            round_trip(input);
        }
    }

    #[test]
    fn lines_split_on_lf_with_crlf_as_an_ending() {
        let doc = Document::<Plain>::parse(b"a\r\nb\rc\nd".to_vec());
        assert_eq!(doc.len(), 3);
        assert_eq!(doc.raw(1), Some(&b"b\rc"[..]));
        assert_eq!(doc.ending(0), Some(Ending::CrLf));
        assert_eq!(doc.ending(2), Some(Ending::None));
    }

    #[test]
    fn replacing_a_line_touches_no_other_byte() {
        let mut doc = Document::<Plain>::parse(b"one \r\ntwo\r\n  three".to_vec());
        let old = doc.replace(1, Plain("2".into()));
        assert_eq!(old, Some(Plain("two".into())));
        assert_eq!(doc.to_bytes(), b"one \r\n2\r\n  three");
        assert_eq!(doc.replace(9, Plain("x".into())), None);
    }

    #[test]
    fn inserting_at_the_end_keeps_the_missing_final_newline() {
        let mut doc = Document::<Plain>::parse(b"a\r\nb".to_vec());
        doc.push(Plain("c".into()));
        assert_eq!(doc.to_bytes(), b"a\r\nb\r\nc");
        let mut doc = Document::<Plain>::parse(b"a\n".to_vec());
        doc.push(Plain("b".into()));
        doc.insert(0, Plain("z".into()));
        assert_eq!(doc.to_bytes(), b"z\na\nb\n");
    }

    #[test]
    fn removing_keeps_the_other_lines_exact() {
        let mut doc = Document::<Plain>::parse(b"a\n b \nc".to_vec());
        assert_eq!(doc.remove(2), Some(Plain("c".into())));
        assert_eq!(doc.to_bytes(), b"a\n b ");
        assert_eq!(doc.remove(5), None);
        assert_eq!(doc.remove(0), Some(Plain("a".into())));
        assert_eq!(doc.to_bytes(), b" b ");
    }

    #[test]
    fn a_rendered_line_never_becomes_two() {
        let mut doc = Document::<Plain>::parse(b"a\nb\n".to_vec());
        doc.replace(0, Plain("x\ny\rz".into()));
        assert_eq!(doc.to_bytes(), b"x y z\nb\n");
    }

    #[test]
    fn replacing_a_line_keeps_its_bytes_that_are_not_utf8() {
        let mut doc = Document::<Plain>::parse(b"ok\nbad \xff\xfe\xc3 bytes\r\nlast \xe9".to_vec());
        let edited = format!("{} due:2026-12-01", doc.text(1).unwrap());
        doc.replace(1, Plain(edited));
        assert_eq!(
            doc.to_bytes(),
            b"ok\nbad \xff\xfe\xc3 bytes due:2026-12-01\r\nlast \xe9"
        );
        // Still reported, and replacing it again keeps them still.
        assert_eq!(
            doc.diagnostics().iter().map(|d| d.line).collect::<Vec<_>>(),
            [2, 3]
        );
        let edited = format!("x {}", doc.text(1).unwrap());
        doc.replace(1, Plain(edited));
        assert_eq!(doc.raw(1), Some(&b"x bad \xff\xfe\xc3 bytes due:2026-12-01"[..]));
        // Once no unreadable token is left, the line is plain text.
        doc.replace(2, Plain("last word".into()));
        assert_eq!(doc.raw(2), Some(&b"last word"[..]));
        assert_eq!(doc.diagnostics().len(), 1);
    }

    #[test]
    fn a_replacement_character_typed_in_a_utf8_file_is_written_as_typed() {
        let mut doc = Document::<Plain>::parse("a \u{FFFD} b\nc".as_bytes().to_vec());
        doc.replace(0, Plain("a \u{FFFD} b c".into()));
        assert_eq!(doc.to_bytes(), "a \u{FFFD} b c\nc".as_bytes());
        // In a file that is not UTF-8, a line that is valid keeps what was typed too.
        let mut doc = Document::<Plain>::parse(b"a \xef\xbf\xbd b\nc \xff".to_vec());
        doc.replace(0, Plain("a \u{FFFD} b c".into()));
        assert_eq!(doc.to_bytes(), b"a \xef\xbf\xbd b c\nc \xff");
    }

    #[test]
    fn invalid_utf8_is_reported_not_lost() {
        let doc = Document::<Plain>::parse(b"ok\nbad\xff\n".to_vec());
        let diagnostics = doc.diagnostics();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].line, 2);
        assert_eq!(doc.text(1).unwrap(), "bad\u{FFFD}");
    }
}
