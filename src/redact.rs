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

    /// These and, where they differ, each value as a JSON string and a
    /// debug-printed string write it (quotes, backslashes and control characters
    /// escaped): what a JSON log line or a `?field` shows.
    pub fn with_escaped_forms(self) -> Secrets {
        let escaped: Vec<String> = self
            .values
            .iter()
            .flat_map(|value| {
                let json = serde_json::to_string(value).unwrap_or_default();
                let json = json
                    .strip_prefix('"')
                    .and_then(|inner| inner.strip_suffix('"'))
                    .unwrap_or_default()
                    .to_string();
                [json, value.escape_debug().to_string()]
            })
            .collect();
        Secrets::new(self.values.into_iter().chain(escaped))
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
    fn escaped_forms_are_replaced_too() {
        let secrets = Secrets::new(["to\"k\\en\u{1}".to_string()]).with_escaped_forms();
        let json = serde_json::json!({"message": "sent to\"k\\en\u{1}"}).to_string();
        assert_eq!(secrets.redact(&json), r#"{"message":"sent [redacted]"}"#);
        let debug = format!("{:?}", "sent to\"k\\en\u{1}");
        assert_eq!(secrets.redact(&debug), r#""sent [redacted]""#);
        assert_eq!(secrets.redact("sent to\"k\\en\u{1}"), "sent [redacted]");
    }

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
