//! Writing back an edited line whose original bytes are not valid UTF-8.
//!
//! Such a line is read lossily (each unreadable byte shows as U+FFFD), so its
//! canonical rendering has lost those bytes. The rendering is written with every token
//! that is unchanged from the old line as the old token's own bytes: only the tokens
//! the edit touched are new. Which old token a new one stands for is decided by the
//! longest common subsequence of the two lines' tokens, so a token that appears twice
//! keeps each occurrence's own bytes, in order, and a token the edit removed does not
//! shift its bytes onto a later one. A whole new text is treated alike: U+FFFD is how
//! a person was shown the unreadable bytes, so a word they kept as shown keeps them.
//! Lines that were valid UTF-8 never come here (a U+FFFD typed there is text).

use crate::tokens::{is_separator, tokens};
use std::borrow::Cow;

/// Above this many token pairs (old × new), tokens are matched greedily in order
/// instead of by the longest common subsequence, which needs a table of that size.
const MAX_TABLE: usize = 1 << 20;

/// `rendering` with each token that reads the same as a token of `old` (matched in
/// order) written as the bytes of that token in `old`. Separators are the rendering's.
pub(super) fn with_old_bytes(old: &[u8], rendering: &str) -> Vec<u8> {
    let old_tokens: Vec<&[u8]> = byte_tokens(old).collect();
    // Separators are ASCII, never part of a multi-byte sequence, so a token decodes
    // on its own exactly as it does within the line.
    let old_text: Vec<Cow<'_, str>> = old_tokens.iter().map(|t| String::from_utf8_lossy(t)).collect();
    let new_tokens: Vec<(usize, &str)> = tokens(rendering).collect();
    let new_text: Vec<&str> = new_tokens.iter().map(|&(_, token)| token).collect();
    let matched = common_tokens(&old_text, &new_text);

    let mut out = Vec::with_capacity(old.len().max(rendering.len()) + 16);
    let mut written = 0;
    for (&(start, token), old_index) in new_tokens.iter().zip(matched) {
        out.extend_from_slice(&rendering.as_bytes()[written..start]);
        match old_index {
            Some(index) => out.extend_from_slice(old_tokens[index]),
            None => out.extend_from_slice(token.as_bytes()),
        }
        written = start + token.len();
    }
    out.extend_from_slice(&rendering.as_bytes()[written..]);
    out
}

/// For each of `new`, the index of the token of `old` it is matched with, if any:
/// equal tokens, strictly increasing indexes, as many as possible.
fn common_tokens<A: AsRef<str>, B: AsRef<str>>(old: &[A], new: &[B]) -> Vec<Option<usize>> {
    let same = |i: usize, j: usize| old[i].as_ref() == new[j].as_ref();
    let mut matched = vec![None; new.len()];
    // Most edits change a field in the middle or add one at either end: match the
    // common start and end directly, and only what lies between by the table.
    let mut prefix = 0;
    while prefix < old.len() && prefix < new.len() && same(prefix, prefix) {
        matched[prefix] = Some(prefix);
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < old.len() - prefix
        && suffix < new.len() - prefix
        && same(old.len() - 1 - suffix, new.len() - 1 - suffix)
    {
        matched[new.len() - 1 - suffix] = Some(old.len() - 1 - suffix);
        suffix += 1;
    }
    let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
    let (rows, columns) = (old_end - prefix, new_end - prefix);
    if rows == 0 || columns == 0 {
        return matched;
    }
    if rows.saturating_mul(columns) > MAX_TABLE {
        let mut next_old = prefix;
        for (j, slot) in matched.iter_mut().enumerate().take(new_end).skip(prefix) {
            if let Some(i) = (next_old..old_end).find(|&i| same(i, j)) {
                *slot = Some(i);
                next_old = i + 1;
            }
        }
        return matched;
    }
    // longest[i][j]: the longest common subsequence of old[prefix + i..old_end] and
    // new[prefix + j..new_end].
    let width = columns + 1;
    let mut longest = vec![0u32; (rows + 1) * width];
    for i in (0..rows).rev() {
        for j in (0..columns).rev() {
            longest[i * width + j] = if same(prefix + i, prefix + j) {
                longest[(i + 1) * width + j + 1] + 1
            } else {
                longest[(i + 1) * width + j].max(longest[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < rows && j < columns {
        if same(prefix + i, prefix + j) {
            matched[prefix + j] = Some(prefix + i);
            i += 1;
            j += 1;
        } else if longest[(i + 1) * width + j] >= longest[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    matched
}

/// The tokens of a line's bytes (split on space, TAB and CR, as the grammar does).
fn byte_tokens(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&byte| is_separator(byte))
        .filter(|token| !token.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(old: &[u8], rendering: &str, expected: &[u8]) {
        assert_eq!(
            with_old_bytes(old, rendering),
            expected,
            "{:?} -> {rendering:?}",
            String::from_utf8_lossy(old)
        );
    }

    #[test]
    fn an_added_field_keeps_the_unreadable_bytes() {
        check(
            b"Invalid \xff\xfe\xc3 bytes task +bin",
            "Invalid \u{FFFD}\u{FFFD}\u{FFFD} bytes task +bin due:2026-12-01",
            b"Invalid \xff\xfe\xc3 bytes task +bin due:2026-12-01",
        );
        check(
            b"(A) call \xe9mile",
            "x 2026-11-22 call \u{FFFD}mile",
            b"x 2026-11-22 call \xe9mile",
        );
    }

    #[test]
    fn a_repeated_token_keeps_each_occurrence_in_order() {
        check(
            b"a \xff b \xfe c",
            "a \u{FFFD} b \u{FFFD} c d",
            b"a \xff b \xfe c d",
        );
        // The first one removed: the one left is the second, not the first moved.
        check(b"a \xff b \xfe c", "a b \u{FFFD} c", b"a b \xfe c");
        check(b"a \xff b \xfe c", "a \u{FFFD} b c", b"a \xff b c");
    }

    #[test]
    fn a_changed_token_is_written_as_rendered() {
        check(
            b"buy \xffmilk due:2026-01-01",
            "buy \u{FFFD}milk due:2026-12-01",
            b"buy \xffmilk due:2026-12-01",
        );
        check(b"x\xff y", "z y", b"z y");
        check(b"one \xff", "new text", b"new text");
    }

    #[test]
    fn separators_are_the_renderings() {
        check(b"a\t\xff  b", "a \u{FFFD} b c", b"a \xff b c");
    }

    #[test]
    fn long_lines_are_matched_in_order() {
        // Changed at both ends, too long for the table: matched greedily.
        let old: Vec<u8> = (0..1500)
            .flat_map(|i| [format!("w{i} ").as_bytes(), &b"\xff "[..]].concat())
            .collect();
        let old = &old[..old.len() - 1];
        let rendering = format!("x {} y", String::from_utf8_lossy(old));
        assert_eq!(
            with_old_bytes(old, &rendering),
            [&b"x "[..], old, &b" y"[..]].concat()
        );
    }
}
