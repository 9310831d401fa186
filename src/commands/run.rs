//! `myorg run`: the long-running assistant, and `myorg trigger JOB`, what a CronJob
//! container runs to start a job in it.
//!
//! Today `run` serves the HTTP endpoint (health, readiness, metrics, job triggers)
//! until SIGTERM or SIGINT, then pushes what is waiting to be pushed and exits 0; the
//! jobs run when triggered. It says so in its log, and that a configured Discord
//! token is not used by this version.

use crate::clock::Clock;
use crate::config::Config;
use crate::http::{AppState, router};
use anyhow::{Context, bail};
use chrono::NaiveDateTime;
use std::future::Future;
use std::io::Write;
use std::sync::Arc;

/// `myorg run`; its clock starts at `now` (`--now`) when given.
pub fn run(config: &Config, now: Option<NaiveDateTime>) -> anyhow::Result<()> {
    let clock = Clock::new(now, config.store_timezone()?);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(serve(config.clone(), clock, shutdown_signal()))
}

/// Serves until `shutdown` completes, then pushes pending commits.
pub async fn serve(
    config: Config,
    clock: Clock,
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
    eprintln!("myorg: headless: the HTTP endpoint only (/healthz, /readyz, /metrics, POST /trigger/JOB)");
    if config.http.trigger_token.as_ref().is_none_or(|t| t.0.is_empty()) {
        eprintln!("myorg: MYORG_TRIGGER_TOKEN is not set: every trigger is refused");
    }
    if std::env::var("DISCORD_BOT_TOKEN").is_ok_and(|t| !t.is_empty()) {
        eprintln!("myorg: DISCORD_BOT_TOKEN is set, but this version has no Discord front end yet");
    }
    let state = Arc::new(AppState::new(
        Arc::new(config),
        Arc::clone(&store),
        crate::jobs::to_log(),
        clock,
    ));
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")?;
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
