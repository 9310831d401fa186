//! Splitting a line into tokens and recognising `+project`, `@context` and `key:value`.
//!
//! Tokens are separated by space, TAB and CR, and nothing else: a no-break space is
//! part of a token. Names are kept verbatim.

/// Whether `byte` separates tokens.
pub(crate) fn is_separator(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r')
}

/// `text` without separators at either end.
pub(crate) fn trim(text: &str) -> &str {
    text.trim_matches(|c| c == ' ' || c == '\t' || c == '\r')
}

/// Whether `text` holds nothing but separators.
pub(crate) fn is_blank(text: &str) -> bool {
    text.bytes().all(is_separator)
}

/// The tokens of `text` with their byte offsets.
pub(crate) fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() && is_separator(bytes[pos]) {
            pos += 1;
        }
        if pos == bytes.len() {
            return None;
        }
        let start = pos;
        while pos < bytes.len() && !is_separator(bytes[pos]) {
            pos += 1;
        }
        // Separators are ASCII, so both ends are on character boundaries.
        Some((start, &text[start..pos]))
    })
}

/// What a token means in the todo.txt grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// `+name`: the name starts after the sigil.
    Project,
    /// `@name`.
    Context,
    /// `key:value`, with the colon at this byte offset in the token.
    Tag { colon: usize },
}

/// Classifies one token; `None` for plain words.
///
/// A tag has exactly one colon, a non-empty key and value, does not start with a
/// sigil, and its value does not start with `//` (so URLs are not tags).
pub(crate) fn classify(token: &str) -> Option<TokenKind> {
    let bytes = token.as_bytes();
    let first_colon = memchr::memchr(b':', bytes);
    let more_colons = first_colon.is_some_and(|c| memchr::memchr(b':', &bytes[c + 1..]).is_some());
    kind(bytes, first_colon, more_colons)
}

/// The kind of a token, given where its first colon is and whether it has another.
fn kind(token: &[u8], first_colon: Option<usize>, more_colons: bool) -> Option<TokenKind> {
    match token.first()? {
        b'+' if token.len() > 1 => Some(TokenKind::Project),
        b'@' if token.len() > 1 => Some(TokenKind::Context),
        b'+' | b'@' => None,
        _ => {
            let colon = first_colon?;
            let value = &token[colon + 1..];
            let is_tag = colon > 0 && !value.is_empty() && !more_colons && !value.starts_with(b"//");
            is_tag.then_some(TokenKind::Tag { colon })
        }
    }
}

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const LOW_SEVEN: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of every byte of `word` that equals `byte` (exact: no false positives).
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    !(((x & LOW_SEVEN).wrapping_add(LOW_SEVEN)) | x | LOW_SEVEN)
}

/// Calls `found(start, end, kind)` for every project, context and tag token of
/// `text`. This is the hot loop of reading a todo.txt, so it looks at 8 bytes at a
/// time: token starts, token ends and colons come out as bit masks and only those
/// positions are visited.
pub(crate) fn scan(text: &str, mut found: impl FnMut(usize, usize, TokenKind)) {
    let bytes = text.as_bytes();
    let mut emit = |start: usize, end: usize, first_colon: Option<usize>, more_colons: bool| {
        if let Some(kind) = kind(&bytes[start..end], first_colon, more_colons) {
            found(start, end, kind);
        }
    };
    let (mut token_start, mut first_colon, mut more_colons) = (0, None, false);
    // Whether the byte before the current chunk is a separator (the start of the text
    // counts as one).
    let mut after_separator = true;
    for (index, chunk) in bytes.chunks(8).enumerate() {
        let base = index * 8;
        // Padding with spaces ends a token that runs to the end of the text.
        let mut padded = [b' '; 8];
        padded[..chunk.len()].copy_from_slice(chunk);
        let word = u64::from_le_bytes(padded);
        let separators = bytes_equal(word, b' ') | bytes_equal(word, b'\t') | bytes_equal(word, b'\r');
        let others = !separators & HIGH_BITS;
        let carry = if after_separator { 0x80 } else { 0 };
        let starts = others & ((separators << 8) | carry);
        let ends = separators & ((others << 8) | (0x80 ^ carry));
        let colons = bytes_equal(word, b':');
        let mut events = starts | ends | colons;
        while events != 0 {
            let bit = events & events.wrapping_neg();
            let position = base + (bit.trailing_zeros() / 8) as usize;
            if starts & bit != 0 {
                (token_start, first_colon, more_colons) = (position, None, false);
            }
            if colons & bit != 0 {
                more_colons |= first_colon.is_some();
                first_colon = first_colon.or(Some(position - token_start));
            }
            if ends & bit != 0 {
                emit(token_start, position, first_colon, more_colons);
            }
            events &= events - 1;
        }
        after_separator = separators >> 63 != 0;
    }
    if !after_separator {
        emit(token_start, bytes.len(), first_colon, more_colons);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_space_tab_and_cr_only() {
        let found: Vec<_> = tokens(" a\tb\rc\u{a0}d  ").collect();
        assert_eq!(found, vec![(1, "a"), (3, "b"), (5, "c\u{a0}d")]);
    }

    #[test]
    fn classifies_like_the_spec() {
        use TokenKind::*;
        let cases = [
            ("+proj", Some(Project)),
            ("+", None),
            ("++", Some(Project)),
            ("C++", None),
            ("@home", Some(Context)),
            ("@", None),
            ("me@example.com", None),
            ("due:2026-01-01", Some(Tag { colon: 3 })),
            ("a:b:c", None),
            (":b", None),
            ("a:", None),
            ("http://example.com", None),
            ("x:/y", Some(Tag { colon: 1 })),
            ("+a:b", Some(Project)),
            ("word", None),
        ];
        for (token, expected) in cases {
            assert_eq!(classify(token), expected, "{token:?}");
            let mut scanned = Vec::new();
            scan(&format!(" {token}\t"), |start, end, kind| {
                scanned.push((start, end, kind))
            });
            let expected_scan: Vec<_> = expected
                .map(|kind| (1, 1 + token.len(), kind))
                .into_iter()
                .collect();
            assert_eq!(scanned, expected_scan, "{token:?}");
        }
    }

    proptest::proptest! {
        /// `scan` finds exactly what splitting and classifying token by token finds.
        #[test]
        fn scan_agrees_with_token_by_token_classification(text in "[ \t\r:+@a-z\u{e9}\u{a0}/]{0,40}") {
            let mut scanned = Vec::new();
            scan(&text, |start, end, kind| scanned.push((start, end, kind)));
            let expected: Vec<_> = tokens(&text)
                .filter_map(|(start, token)| classify(token).map(|kind| (start, start + token.len(), kind)))
                .collect();
            proptest::prop_assert_eq!(scanned, expected);
        }
    }
}
