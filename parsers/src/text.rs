//! A task's text: a range of the file it was read from (shared, no copy) or a string
//! of its own once edited.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Text that derefs to `str`. Reading a 100k-line file makes no per-line copies.
#[derive(Clone)]
pub(crate) enum Text {
    /// `source[start..end]`; both ends are character boundaries.
    Shared {
        source: Arc<str>,
        start: u32,
        end: u32,
    },
    Owned(String),
}

impl Text {
    /// A range of `source`, which must lie on character boundaries; falls back to a
    /// copy when the offsets do not fit in `u32`.
    pub(crate) fn shared(source: &Arc<str>, start: usize, end: usize) -> Text {
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(start), Ok(end)) => Text::Shared {
                source: Arc::clone(source),
                start,
                end,
            },
            _ => Text::Owned(source[start..end].to_string()),
        }
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Shared { source, start, end } => &source[*start as usize..*end as usize],
            Text::Owned(text) => text,
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Text {}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
