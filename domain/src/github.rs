//! GitHub pull requests and the store: which state an event gives a pull request,
//! which projects and tasks it names, and which tasks it says it closes.
//!
//! A pull request names a project by `+slug` in its title or body, or by a branch whose
//! first part is the slug (`website/contact-form`); only slugs the store has count. It
//! names a task by `myorg:REF` anywhere, by `closes REF` (or `fixes`, `resolves`, with
//! or without `myorg:`), or by a part of its branch (`fix-kmbt`, `kmbt/form`); bare words
//! of the title are not read as references, since short references look like words.

use crate::plan::PrState;

/// What a pull request event says, as the webhook's payload has it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PullRequest {
    /// `opened`, `ready_for_review`, `closed`, `reopened`…
    pub action: String,
    /// `owner/name`.
    pub repository: String,
    pub number: u64,
    pub title: String,
    pub body: String,
    /// The head branch.
    pub branch: String,
    pub url: String,
    pub merged: bool,
    pub draft: bool,
}

impl PullRequest {
    /// The state this event leaves the pull request in; `None` for an action the
    /// store does not follow (labels, reviews, edits…).
    pub fn state(&self) -> Option<PrState> {
        match self.action.as_str() {
            "opened" | "reopened" if self.draft => Some(PrState::Draft),
            "opened" | "reopened" | "ready_for_review" => Some(PrState::Open),
            "converted_to_draft" => Some(PrState::Draft),
            "closed" if self.merged => Some(PrState::Merged),
            "closed" => Some(PrState::Closed),
            _ => None,
        }
    }

    /// `owner/name#12`: the value of a task's `pr:` tag.
    pub fn tag(&self) -> String {
        format!("{}#{}", self.repository, self.number)
    }

    /// The slugs among `known` it names, in the order it names them, once each.
    pub fn projects<'a>(&self, known: &[&'a str]) -> Vec<&'a str> {
        let mut found = Vec::new();
        let mut add = |word: &str| {
            if let Some(slug) = known.iter().find(|slug| slug.eq_ignore_ascii_case(word))
                && !found.contains(slug)
            {
                found.push(*slug);
            }
        };
        for word in words(&self.title).chain(words(&self.body)) {
            if let Some(slug) = word.strip_prefix('+') {
                add(slug.trim_end_matches(|c: char| !c.is_alphanumeric()));
            }
        }
        if let Some(first) = self
            .branch
            .split('/')
            .next()
            .filter(|_| self.branch.contains('/'))
        {
            add(first);
        }
        found
    }

    /// The task references it names (lower case, once each, without `myorg:`).
    pub fn tasks(&self) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let mut add = |reference: &str| {
            let reference = reference.to_lowercase();
            if is_reference(&reference) && !found.contains(&reference) {
                found.push(reference);
            }
        };
        for word in words(&self.title).chain(words(&self.body)) {
            if let Some(reference) = word.strip_prefix("myorg:") {
                add(reference);
            }
        }
        for reference in self.closes() {
            add(&reference);
        }
        for part in self.branch.split(['/', '-', '_']) {
            if part.len() >= 4 {
                add(part);
            }
        }
        found
    }

    /// The task references it says it closes: `closes REF`, `fixes REF`, `resolves REF`
    /// (any tense, `myorg:` optional).
    pub fn closes(&self) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for text in [&self.title, &self.body] {
            let words: Vec<&str> = words(text).collect();
            for pair in words.windows(2) {
                let verb = pair[0].to_lowercase();
                let closing = [
                    "close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved",
                ];
                if !closing.contains(&verb.trim_end_matches(':')) {
                    continue;
                }
                let reference = pair[1].strip_prefix("myorg:").unwrap_or(pair[1]).to_lowercase();
                if is_reference(&reference) && !found.contains(&reference) {
                    found.push(reference);
                }
            }
        }
        found
    }
}

/// The words of `text`, with the punctuation around them trimmed (a `+slug` and a
/// `myorg:ref` keep their marks).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().map(|word| {
        word.trim_matches(|c: char| !(c.is_alphanumeric() || c == '+' || c == ':' || c == '-' || c == '_'))
            .trim_end_matches(':')
    })
}

/// Whether `word` can be a task reference: 2 to 8 letters of the references' alphabet.
fn is_reference(word: &str) -> bool {
    (2..=8).contains(&word.len()) && word.bytes().all(|b| b"abcdefghjkmnpqrstvwxyz".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pr(title: &str, body: &str, branch: &str) -> PullRequest {
        PullRequest {
            action: "opened".into(),
            repository: "acme/site".into(),
            number: 12,
            title: title.into(),
            body: body.into(),
            branch: branch.into(),
            url: "https://github.com/acme/site/pull/12".into(),
            ..PullRequest::default()
        }
    }

    #[test]
    fn the_state_follows_the_action_and_merge() {
        let mut event = pr("t", "", "b");
        assert_eq!(event.state(), Some(PrState::Open));
        event.draft = true;
        assert_eq!(event.state(), Some(PrState::Draft));
        event.action = "ready_for_review".into();
        assert_eq!(event.state(), Some(PrState::Open));
        event.action = "closed".into();
        assert_eq!(event.state(), Some(PrState::Closed));
        event.merged = true;
        assert_eq!(event.state(), Some(PrState::Merged));
        event.action = "labeled".into();
        assert_eq!(event.state(), None);
        assert_eq!(event.tag(), "acme/site#12");
    }

    #[test]
    fn projects_are_named_by_tag_or_branch_and_only_known_ones_count() {
        let known = ["website", "kitchen"];
        assert_eq!(
            pr("Fix the form (+website).", "", "main").projects(&known),
            ["website"]
        );
        assert_eq!(
            pr("Fix", "Also +kitchen, +nothing", "website/form").projects(&known),
            ["kitchen", "website"]
        );
        assert!(pr("website words", "", "website").projects(&known).is_empty());
    }

    #[test]
    fn tasks_are_named_explicitly_and_closing_words_are_read() {
        let event = pr(
            "Contact form: fixes kmbt",
            "See myorg:ZXCV and closes: myorg:qwer.",
            "fix-bdtw",
        );
        assert_eq!(event.closes(), ["kmbt", "qwer"]);
        assert_eq!(event.tasks(), ["zxcv", "qwer", "kmbt", "bdtw"]);
        assert!(
            pr("Update the text", "that was wrong", "main").tasks().is_empty(),
            "bare words are no references"
        );
    }
}
