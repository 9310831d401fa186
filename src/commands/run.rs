//! `myorg run`: the long-running assistant, and `myorg trigger JOB`, what a CronJob
//! container runs to start a job in it.
//!
//! `run` serves the HTTP endpoint (health, readiness, metrics, job triggers) and,
//! with a Discord token, the bot, until SIGTERM or SIGINT; then it closes the
//! gateway, pushes what is waiting to be pushed and exits 0. Without a token it runs
//! headless and says so in its log. Jobs deliver through the bot when it runs, else
//! to the log.

use crate::agent::conversation::Agent;
use crate::config::Config;
use crate::discord::{self, Clock};
use crate::http::{AppState, Metrics, router};
use crate::jobs::MakeDeliver;
use anyhow::{Context, bail};
use chrono::NaiveDateTime;
use std::future::Future;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// `myorg run`; `fixed` stops the clock there (`--now`, for tests).
pub fn run(config: &Config, fixed: Option<NaiveDateTime>) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(serve(config.clone(), fixed, shutdown_signal()))
}

/// How long the bot may take to close its gateway connection.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// Serves until `shutdown` completes, then pushes pending commits.
pub async fn serve(
    config: Config,
    fixed: Option<NaiveDateTime>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let settings = config.store_settings();
    let store = tokio::task::spawn_blocking(move || crate::store::Store::open(settings))
        .await
        .context("opening the store")??;
    let store = Arc::new(store);
    let listener = tokio::net::TcpListener::bind(&config.http.listen)
        .await
        .with_context(|| format!("listening on {}", config.http.listen))?;
    println!("myorg: listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    if config.http.trigger_token.as_ref().is_none_or(|t| t.0.is_empty()) {
        eprintln!("myorg: MYORG_TRIGGER_TOKEN is not set: every trigger is refused");
    }
    let config = Arc::new(config);
    let timezone = config.timezone()?;
    let clock: Clock = Arc::new(move || crate::clock::now(fixed, timezone));
    let agent = Agent::new(Arc::clone(&config), Arc::clone(&store))?.map(Arc::new);
    if agent.is_none() {
        eprintln!("myorg: no language model is configured: free-form chat is off, every command works");
    }
    let bot = discord::start(Arc::clone(&config), Arc::clone(&store), agent, clock).await?;
    let deliver: MakeDeliver = match &bot {
        Some(bot) => {
            let sender = bot.sender();
            Arc::new(move || Box::new(sender.clone()))
        }
        None => {
            eprintln!(
                "myorg: headless: no DISCORD_BOT_TOKEN; the HTTP endpoint only (/healthz, /readyz, /metrics, POST /trigger/JOB), messages go to the log"
            );
            crate::jobs::to_log()
        }
    };
    let state = Arc::new(AppState {
        config,
        store: Arc::clone(&store),
        metrics: Metrics::default(),
        deliver,
        gateway: bot.as_ref().map(discord::Bot::readiness),
    });
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")?;
    if let Some(bot) = bot {
        bot.shutdown(CLOSE_WAIT).await;
        eprintln!("myorg: discord: disconnected");
    }
    let pushed = tokio::task::spawn_blocking(move || store.push_pending()).await?;
    match pushed {
        Ok(report) if report.error.is_some() => eprintln!(
            "myorg: stopping with commits not pushed yet ({}); they are pushed on the next start",
            report.error.unwrap_or_default()
        ),
        Ok(_) => {}
        Err(error) => eprintln!("myorg: stopping; the last push failed: {error:#}"),
    }
    eprintln!("myorg: stopped");
    Ok(())
}

/// SIGTERM or SIGINT.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => {
                let _ = interrupt.await;
                return;
            }
        };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// `myorg trigger JOB [--url URL]`: asks the running assistant at URL (default: the
/// configured `http.listen` on this machine) to run JOB, with the trigger token, and
/// prints its answer. Fails when the answer is not a success.
pub fn trigger(config: &Config, job: &str, url: Option<&str>) -> anyhow::Result<()> {
    let base = match url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let port = config.http.listen.rsplit(':').next().unwrap_or("8080");
            format!("http://127.0.0.1:{port}")
        }
    };
    let Some(token) = config.http.trigger_token.clone().filter(|t| !t.0.is_empty()) else {
        bail!("MYORG_TRIGGER_TOKEN is not set: the assistant refuses triggers without it");
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (status, body) = runtime.block_on(async {
        // rustls takes its cryptography from a process-wide provider (as the LLM
        // client does).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(300))
            .build()?;
        let response = client
            .post(format!("{base}/trigger/{job}"))
            .bearer_auth(&token.0)
            .send()
            .await
            .with_context(|| format!("reaching {base}"))?;
        let status = response.status();
        anyhow::Ok((status, response.text().await?))
    })?;
    if !status.is_success() {
        bail!("the assistant answered {status}: {}", body.trim());
    }
    print!("{body}");
    Ok(())
}
