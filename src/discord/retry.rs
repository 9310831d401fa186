//! Sending again after a rate limit. Talking to discord.com, serenity's rate limiter
//! waits out a 429 itself (for its `Retry-After`) and sends again. With the limiter
//! off (`discord.api_base`), a 429 comes back as an error, and serenity 0.12 keeps
//! neither the `Retry-After` header nor the body's `retry_after`: the wait is not
//! known. Every message the bot sends or edits therefore goes through [`patiently`]:
//! a call refused with 429 is made again after a wait, at most [`RETRIES`] times, the
//! waits doubling from [`FIRST_WAIT`] (Discord's limits on sending messages reset
//! within seconds; a longer one is reported as the error it is).
//!
//! Sending again is safe: a 429 means Discord did nothing with the call, and the
//! scheduled messages carry a nonce besides.

use poise::serenity_prelude as serenity;
use std::future::Future;
use std::time::Duration;

/// How many times a call refused with 429 is made again.
pub const RETRIES: u32 = 3;
/// The wait before the first new attempt; each next one waits twice as long.
pub const FIRST_WAIT: Duration = Duration::from_secs(1);

/// Makes the call `send` makes, again after a wait while Discord answers 429; `what`
/// names it in the log.
pub async fn patiently<T, F, Fut>(what: &str, send: F) -> Result<T, serenity::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, serenity::Error>>,
{
    again_while(is_rate_limited, FIRST_WAIT, what, send).await
}

/// Whether Discord answered 429.
fn is_rate_limited(error: &serenity::Error) -> bool {
    matches!(
        error,
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response))
            if response.status_code.as_u16() == 429
    )
}

/// Calls `send` until it succeeds or fails otherwise than `limited` says, at most
/// [`RETRIES`] times more, waiting `first_wait`, then twice as long each time.
async fn again_while<T, E, F, Fut>(
    limited: impl Fn(&E) -> bool,
    first_wait: Duration,
    what: &str,
    mut send: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut wait = first_wait;
    for _ in 0..RETRIES {
        match send().await {
            Err(error) if limited(&error) => {
                tracing::warn!(
                    what,
                    wait_secs = wait.as_secs_f64(),
                    "discord: rate limited (429); sending again"
                );
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            done => return done,
        }
    }
    send().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A call answered with each status in turn (the last one from then on); the
    /// statuses it was answered with.
    async fn answered(statuses: &[u16]) -> (Result<(), u16>, Vec<u16>) {
        let seen = Mutex::new(Vec::new());
        let result = again_while(
            |status: &u16| *status == 429,
            Duration::from_millis(1),
            "a test",
            || {
                let mut seen = seen.lock().unwrap();
                let status = statuses[seen.len().min(statuses.len() - 1)];
                seen.push(status);
                async move { if status == 200 { Ok(()) } else { Err(status) } }
            },
        )
        .await;
        (result, seen.into_inner().unwrap())
    }

    #[tokio::test]
    async fn a_call_refused_with_429_is_made_again_until_it_goes_through() {
        assert_eq!(answered(&[429, 429, 200]).await, (Ok(()), vec![429, 429, 200]));
        assert_eq!(answered(&[200]).await, (Ok(()), vec![200]));
    }

    #[tokio::test]
    async fn other_errors_are_not_retried_and_429s_only_a_few_times() {
        assert_eq!(answered(&[403]).await, (Err(403), vec![403]));
        assert_eq!(answered(&[429, 500]).await, (Err(500), vec![429, 500]));
        let (result, seen) = answered(&[429]).await;
        assert_eq!(result, Err(429));
        assert_eq!(seen.len() as u32, RETRIES + 1);
    }
}
