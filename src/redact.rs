//! [`Secrets`]: the configured secrets, taken out of text that came from outside (an
//! LLM server's error body, a git or HTTP error, a model's answer) before it is
//! printed, logged or sent on. A server that echoes the key it was sent must not put
//! it on a screen or in a log.

use std::borrow::Cow;
use std::fmt;

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// A set of secret values. `Debug` shows how many, never what.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    /// Longest first, so a secret that holds a shorter one is replaced whole.
    values: Vec<String>,
}

impl Secrets {
    /// The values that are not blank (each also without surrounding whitespace).
    pub fn new(values: impl IntoIterator<Item = String>) -> Secrets {
        let mut all: Vec<String> = Vec::new();
        for value in values {
            let trimmed = value.trim();
            if trimmed.is_empty() {
                continue;
            }
            if trimmed.len() != value.len() {
                all.push(trimmed.to_string());
            }
            all.push(value);
        }
        all.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        all.dedup();
        Secrets { values: all }
    }

    /// Adds the values of `other`.
    pub fn with(self, other: &Secrets) -> Secrets {
        Secrets::new(self.values.into_iter().chain(other.values.iter().cloned()))
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every secret replaced by [`REDACTED`].
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for value in &self.values {
            if out.contains(value.as_str()) {
                out = Cow::Owned(out.replace(value.as_str(), REDACTED));
            }
        }
        out
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} values)", self.values.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_is_replaced_and_nothing_else() {
        let secrets = Secrets::new(["sk-abc".to_string(), "sk-abc-longer".into(), String::new()]);
        assert_eq!(
            secrets.redact("keys sk-abc-longer and sk-abc, twice: sk-abc"),
            "keys [redacted] and [redacted], twice: [redacted]"
        );
        assert!(matches!(secrets.redact("nothing here"), Cow::Borrowed(_)));
        assert_eq!(format!("{secrets:?}"), "Secrets(2 values)");
    }

    #[test]
    fn a_value_with_spaces_around_is_also_found_without_them() {
        let secrets = Secrets::new([" tok3n\n".to_string()]);
        assert_eq!(secrets.redact("token tok3n."), "token [redacted].");
        assert!(Secrets::new(["  ".to_string()]).is_empty());
    }
}
