//! A task's priority, `(A)` to `(Z)`.

use std::fmt;

/// `A` (most important) to `Z`. Orders with `A` first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Priority(u8);

impl Priority {
    /// The priority for an uppercase ASCII letter.
    pub fn new(letter: char) -> Option<Self> {
        letter.is_ascii_uppercase().then_some(Priority(letter as u8))
    }

    /// Reads a one-letter string such as `"A"`.
    pub fn from_text(text: &str) -> Option<Self> {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(letter), None) => Self::new(letter),
            _ => None,
        }
    }

    pub fn letter(self) -> char {
        self.0 as char
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}
