//! Text within Discord's limits: messages of at most 2000 characters split on line
//! boundaries, embed descriptions of at most 4096, and labels clipped with an
//! ellipsis. Limits count characters (Unicode scalar values), as Discord does.

/// The most characters a message's content may hold.
pub const MESSAGE_LIMIT: usize = 2000;
/// The most characters an embed's description may hold.
pub const DESCRIPTION_LIMIT: usize = 4096;
/// The most characters all the embeds of one message may hold together.
pub const EMBEDS_TOTAL_LIMIT: usize = 6000;
/// The most characters an embed's title may hold.
pub const TITLE_LIMIT: usize = 256;
/// The most characters an autocomplete choice's name may hold.
pub const CHOICE_LIMIT: usize = 100;

/// `text` in pieces of at most `limit` characters, cut after a line where possible,
/// else at a space, else anywhere; no piece is empty or only whitespace, and every
/// non-blank line of `text` is kept in order.
pub fn split(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(1);
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    for line in text.trim_end().lines() {
        let line_chars = line.chars().count();
        // The line joins the current piece (with its newline) if it fits.
        let needed = if current.is_empty() {
            line_chars
        } else {
            line_chars + 1
        };
        if current_chars + needed <= limit {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line);
            current_chars += needed;
            continue;
        }
        push_piece(&mut pieces, std::mem::take(&mut current));
        if line_chars <= limit {
            current.push_str(line);
            current_chars = line_chars;
            continue;
        }
        // A line longer than a piece: cut it at spaces where it can be.
        let mut rest = line;
        while rest.chars().count() > limit {
            let cut = cut_point(rest, limit);
            push_piece(&mut pieces, rest[..cut].trim_end().to_string());
            rest = rest[cut..].trim_start();
        }
        current.push_str(rest);
        current_chars = rest.chars().count();
    }
    push_piece(&mut pieces, current);
    pieces
}

fn push_piece(pieces: &mut Vec<String>, piece: String) {
    if !piece.trim().is_empty() {
        pieces.push(piece);
    }
}

/// The byte index to cut `text` at so the first part has at most `limit` characters:
/// after the last space within them, or at the limit itself.
fn cut_point(text: &str, limit: usize) -> usize {
    let end = text.char_indices().nth(limit).map_or(text.len(), |(at, _)| at);
    match text[..end].rfind(' ') {
        Some(space) if space > 0 => space + 1,
        _ => end,
    }
}

/// `text` of at most `limit` characters: cut, with `…` at the end, when longer.
pub fn clip(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut clipped: String = text.chars().take(limit.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

/// `text` with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Groups `lines` into pages of at most `per_page` lines and `limit` characters.
pub fn pages(lines: &[String], per_page: usize, limit: usize) -> Vec<String> {
    let mut pages = Vec::new();
    let mut page = String::new();
    let mut count = 0;
    for line in lines {
        let line = clip(line, limit);
        let fits = page.chars().count() + line.chars().count() < limit;
        if count == per_page.max(1) || (!page.is_empty() && !fits) {
            pages.push(std::mem::take(&mut page));
            count = 0;
        }
        if !page.is_empty() {
            page.push('\n');
        }
        page.push_str(&line);
        count += 1;
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> usize {
        text.chars().count()
    }

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split("hello\nworld", 2000), vec!["hello\nworld"]);
        assert!(split("", 2000).is_empty());
        assert!(split(" \n \n", 2000).is_empty());
    }

    #[test]
    fn long_text_is_cut_after_lines_and_keeps_every_line() {
        let lines: Vec<String> = (0..400).map(|n| format!("line {n}: some words here")).collect();
        let text = lines.join("\n");
        let pieces = split(&text, MESSAGE_LIMIT);
        assert!(pieces.len() > 1);
        for piece in &pieces {
            assert!(chars(piece) <= MESSAGE_LIMIT);
            assert!(!piece.starts_with('\n') && !piece.ends_with('\n'));
        }
        assert_eq!(pieces.join("\n"), text, "nothing lost, nothing cut mid-line");
    }

    #[test]
    fn a_line_longer_than_a_message_is_cut_at_spaces_or_anywhere() {
        let words = "word ".repeat(1000);
        let pieces = split(&words, 2000);
        assert!(pieces.iter().all(|p| chars(p) <= 2000 && !p.ends_with(' ')));
        assert_eq!(pieces.join(" ").split_whitespace().count(), 1000);

        let blob = "é".repeat(4500);
        let pieces = split(&blob, 2000);
        assert_eq!(
            pieces.iter().map(|p| chars(p)).collect::<Vec<_>>(),
            vec![2000, 2000, 500]
        );
    }

    #[test]
    fn clip_counts_characters_not_bytes() {
        assert_eq!(clip("short", 100), "short");
        let clipped = clip(&"ñ".repeat(150), 100);
        assert_eq!(chars(&clipped), 100);
        assert!(clipped.ends_with('…'));
    }

    #[test]
    fn pages_hold_at_most_so_many_lines_and_characters() {
        let lines: Vec<String> = (0..23).map(|n| format!("task {n}")).collect();
        let got = pages(&lines, 10, DESCRIPTION_LIMIT);
        assert_eq!(got.len(), 3);
        assert_eq!(got[2].lines().count(), 3);
        let long: Vec<String> = (0..5).map(|_| "x".repeat(1500)).collect();
        let got = pages(&long, 10, DESCRIPTION_LIMIT);
        assert!(got.iter().all(|page| chars(page) <= DESCRIPTION_LIMIT));
        assert_eq!(got.iter().map(|p| p.lines().count()).sum::<usize>(), 5);
    }
}
