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
    match bytes.first()? {
        b'+' if bytes.len() > 1 => Some(TokenKind::Project),
        b'@' if bytes.len() > 1 => Some(TokenKind::Context),
        b'+' | b'@' => None,
        _ => {
            let colon = memchr::memchr(b':', bytes)?;
            let value = &bytes[colon + 1..];
            let is_tag = colon > 0
                && !value.is_empty()
                && memchr::memchr(b':', value).is_none()
                && !value.starts_with(b"//");
            is_tag.then_some(TokenKind::Tag { colon })
        }
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
        }
    }
}
