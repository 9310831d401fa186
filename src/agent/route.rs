//! Which provider answers: the providers as configured, a tier for each request, and
//! the order in which to try them.
//!
//! A request goes to the **fast** tier when it is short and simple, to the **strong**
//! tier when it is long or asks for several things or for thinking (plan, review,
//! why…). The providers of the chosen tier are tried first, in the configured order,
//! then the others: a provider that fails hands over to the next. After a failure of
//! the fast tier, or invalid tool arguments from it, the request escalates to the
//! strong tier. One provider (the plain `LITELLM_*` settings) serves both tiers.

use crate::config::{Config, Secret};
use crate::llm::Provider;
use anyhow::bail;

/// A tier of providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Fast,
    Strong,
}

impl Tier {
    pub fn parse(text: &str) -> Option<Tier> {
        match text.trim().to_lowercase().as_str() {
            "fast" => Some(Tier::Fast),
            "strong" => Some(Tier::Strong),
            _ => None,
        }
    }
}

/// A configured provider with its tier and prices.
#[derive(Debug, Clone)]
pub struct Configured {
    pub provider: Provider,
    /// `None`: serves both tiers.
    pub tier: Option<Tier>,
    /// Per million tokens.
    pub input_price: f64,
    pub output_price: f64,
}

impl Configured {
    /// What `prompt` and `completion` tokens cost at this provider's prices.
    pub fn cost(&self, prompt: u64, completion: u64) -> f64 {
        (prompt as f64 * self.input_price + completion as f64 * self.output_price) / 1e6
    }
}

/// The providers of the configuration; empty when no LLM is configured. A provider
/// whose key variable is named but unset is an error that says which.
pub fn providers(config: &Config) -> anyhow::Result<Vec<Configured>> {
    let llm = &config.llm;
    let mut out = Vec::new();
    for entry in &llm.providers {
        let tier = match Tier::parse(&entry.tier) {
            Some(tier) => tier,
            None => bail!(
                "the tier {:?} of provider {} is neither fast nor strong",
                entry.tier,
                entry.name
            ),
        };
        let api_key = match &entry.api_key_env {
            Some(var) => match std::env::var(var).ok().filter(|v| !v.is_empty()) {
                Some(key) => Some(Secret(key)),
                None => bail!(
                    "provider {} needs its key in the environment variable {var}, which is not set",
                    entry.name
                ),
            },
            None => None,
        };
        out.push(Configured {
            provider: Provider {
                name: entry.name.clone(),
                base_url: entry.base_url.clone(),
                api_key,
                model: entry.model.clone(),
            },
            tier: Some(tier),
            input_price: entry.input_price,
            output_price: entry.output_price,
        });
    }
    if out.is_empty()
        && let Some(endpoint) = llm.endpoint.as_deref().filter(|e| !e.trim().is_empty())
    {
        let Some(model) = llm.model.clone().filter(|m| !m.trim().is_empty()) else {
            bail!("LITELLM_ENDPOINT is set but LITELLM_MODEL is not: say which model to use");
        };
        out.push(Configured {
            provider: Provider {
                name: "litellm".to_string(),
                base_url: endpoint.trim().to_string(),
                api_key: llm.api_key.clone(),
                model,
            },
            tier: None,
            input_price: 0.0,
            output_price: 0.0,
        });
    }
    Ok(out)
}

/// Words that ask for thinking rather than one action.
const THINKING: [&str; 12] = [
    "plan",
    "review",
    "why",
    "organize",
    "organise",
    "reorganize",
    "prioritize",
    "prioritise",
    "compare",
    "summarize",
    "summarise",
    "explain",
];

/// The tier a message needs.
pub fn tier_for(message: &str) -> Tier {
    let lower = message.to_lowercase();
    let words = lower.split_whitespace().count();
    let requests = lower.matches(" and then ").count()
        + lower.matches(" then ").count()
        + lower.matches(';').count()
        + lower.matches('\n').count()
        + lower.matches('?').count().saturating_sub(1);
    let thinking = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| THINKING.contains(&word));
    if words > 40 || requests >= 2 || thinking {
        Tier::Strong
    } else {
        Tier::Fast
    }
}

/// The order in which to try `providers` for a request of `tier`: those of the tier
/// (or of both) in configured order, then the rest in configured order.
pub fn order(providers: &[Configured], tier: Tier) -> Vec<usize> {
    let serves = |p: &Configured| p.tier.is_none_or(|t| t == tier);
    let first = (0..providers.len()).filter(|&i| serves(&providers[i]));
    let then = (0..providers.len()).filter(|&i| !serves(&providers[i]));
    first.chain(then).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configured(name: &str, tier: Option<Tier>) -> Configured {
        Configured {
            provider: Provider {
                name: name.into(),
                base_url: "http://127.0.0.1:1".into(),
                api_key: None,
                model: "m".into(),
            },
            tier,
            input_price: 1.0,
            output_price: 4.0,
        }
    }

    #[test]
    fn short_simple_requests_are_fast_and_thinking_is_strong() {
        for message in [
            "add milk to the shopping list",
            "what's due today?",
            "done kmbt",
            "call mum fri",
        ] {
            assert_eq!(tier_for(message), Tier::Fast, "{message}");
        }
        for message in [
            "plan my week around the Q4 report",
            "Why is the kitchen project blocked?",
            "add the dentist on friday, then move the standup and then tell Ben",
            &"word ".repeat(41),
        ] {
            assert_eq!(tier_for(message), Tier::Strong, "{message}");
        }
    }

    #[test]
    fn the_tier_comes_first_then_the_fallback_chain() {
        let providers = [
            configured("a-strong", Some(Tier::Strong)),
            configured("b-fast", Some(Tier::Fast)),
            configured("c-fast", Some(Tier::Fast)),
            configured("d-both", None),
        ];
        assert_eq!(order(&providers, Tier::Fast), [1, 2, 3, 0]);
        assert_eq!(order(&providers, Tier::Strong), [0, 3, 1, 2]);
        assert_eq!(providers[0].cost(1_000_000, 500_000), 3.0);
    }

    #[test]
    fn providers_come_from_the_plain_settings_or_the_list() {
        let mut config = Config::default();
        assert!(providers(&config).unwrap().is_empty(), "no LLM configured");
        config.llm.endpoint = Some("http://litellm:4000".into());
        assert!(
            providers(&config)
                .unwrap_err()
                .to_string()
                .contains("LITELLM_MODEL")
        );
        config.llm.model = Some("gpt-4o-mini".into());
        let single = providers(&config).unwrap();
        assert_eq!(single.len(), 1);
        assert_eq!(single[0].tier, None, "one provider serves both tiers");
        config.llm.providers.push(crate::config::ProviderConfig {
            name: "x".into(),
            base_url: "http://127.0.0.1:1".into(),
            model: "m".into(),
            tier: "medium".into(),
            ..Default::default()
        });
        assert!(providers(&config).unwrap_err().to_string().contains("medium"));
        config.llm.providers[0].tier = "strong".into();
        config.llm.providers[0].api_key_env = Some("MYORG_TEST_SURELY_UNSET_KEY".into());
        assert!(
            providers(&config)
                .unwrap_err()
                .to_string()
                .contains("MYORG_TEST_SURELY_UNSET_KEY")
        );
    }
}
