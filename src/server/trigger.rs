//! `myorg trigger JOB`: what a CronJob container runs to start a job in the running
//! assistant, through its `POST /trigger/JOB`.

use crate::config::Config;
use anyhow::{Context, bail};

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
    // The error above is cleared of secrets where it is printed; this is printed here.
    print!("{}", config.secrets().redact(&body));
    Ok(())
}
