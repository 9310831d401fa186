//! [`RetryPolicy`]: how many attempts, how long to wait between them, how long one
//! attempt may take; and the server's own word on when to come back
//! (`retry-after` in seconds or as an HTTP date, else LiteLLM's
//! `llm_provider-retry-after`).

use std::hash::BuildHasher;
use std::time::Duration;

use reqwest::header::HeaderMap;

/// When to try again.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (at least one is made).
    pub attempts: u32,
    /// The wait before the second attempt; it doubles for each further one.
    pub base_delay: Duration,
    /// The longest wait of our own choosing (a server's `retry-after` may be longer;
    /// the deadline still bounds it).
    pub max_delay: Duration,
    /// How long one attempt may take: the whole answer when not streaming; the
    /// headers and then each gap between chunks when streaming.
    pub per_call_timeout: Duration,
    /// Spread the waits randomly between half and all of the backoff, so that
    /// clients failing together do not come back together. Off for repeatable tests.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            per_call_timeout: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1 for the first), when the
    /// server did not say: exponential, capped at `max_delay`, with jitter.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        let delay = self.base_delay.saturating_mul(factor).min(self.max_delay);
        if !self.jitter {
            return delay;
        }
        // A random fraction from the standard library's randomly keyed hasher,
        // which is all the randomness jitter needs.
        let random = std::collections::hash_map::RandomState::new().hash_one(attempt);
        let fraction = 0.5 + (random % 1000) as f64 / 2000.0;
        delay.mul_f64(fraction)
    }
}

/// The wait a server asked for: `retry-after` (seconds, possibly fractional, or an
/// HTTP date), else `llm_provider-retry-after` (what LiteLLM passes on from the
/// upstream). `None` when neither is there or readable.
pub fn server_delay(headers: &HeaderMap) -> Option<Duration> {
    ["retry-after", "llm_provider-retry-after"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().and_then(parse_retry_after))
}

/// The longest wait taken from a server (a day): beyond it a value is nonsense,
/// and the deadline ends the request long before anyway.
const MAX_SERVER_DELAY: Duration = Duration::from_secs(86_400);

/// `"2"`, `"1.5"` or `"Wed, 21 Oct 2015 07:28:00 GMT"` (a date in the past is no
/// wait).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::try_from_secs_f64(seconds).ok())
            .flatten()
            .map(|wait| wait.min(MAX_SERVER_DELAY));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO).min(MAX_SERVER_DELAY))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            jitter: false,
            ..RetryPolicy::default()
        };
        let waits: Vec<_> = (1..=4).map(|n| policy.backoff(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 350, 350]);
        assert_eq!(policy.backoff(u32::MAX), Duration::from_millis(350));
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_backoff() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let wait = policy.backoff(1);
            assert!(wait >= Duration::from_millis(500) && wait <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0.25 "), Some(Duration::from_millis(250)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("NaN"), None);
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let wait = parse_retry_after(&later).unwrap();
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30));
    }

    #[test]
    fn retry_after_comes_before_the_litellm_header() {
        let mut headers = HeaderMap::new();
        headers.insert("llm_provider-retry-after", HeaderValue::from_static("3"));
        assert_eq!(server_delay(&headers), Some(Duration::from_secs(3)));
        headers.insert("retry-after", HeaderValue::from_static("1"));
        assert_eq!(server_delay(&headers), Some(Duration::from_secs(1)));
        headers.insert("retry-after", HeaderValue::from_static("garbage"));
        assert_eq!(server_delay(&headers), Some(Duration::from_secs(3)));
    }
}
