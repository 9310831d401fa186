//! The composition root: what `myorg run` builds and starts, and how it stops.
//!
//! `run` opens the store and keeps it in sync with its remote (`sync.rs`), serves the
//! HTTP endpoint (health, readiness, metrics, job triggers, and MCP on `/mcp`) and, with
//! `scheduler.mode = "in-process"` (the default), runs the jobs on their schedule,
//! until SIGTERM or SIGINT. Then it stops scheduling and syncing, lets the running
//! job, pull and requests finish (for [`STOP_WITHIN`] at most), pushes what is
//! waiting to be pushed (for [`PUSH_WITHIN`] at most) and exits 0. With a Discord
//! token it runs the bot too (and closes its gateway on the way out), and jobs
//! deliver through it; without one it is headless, says so in its log, and jobs
//! deliver to the log. `outbox.rs` sends the messages people asked for, the same way.
//! [`trigger`] is the client side of a trigger, for CronJobs; [`watch`] is `myorg
//! watch`, the store's folders watched for the commands run beside it.

mod outbox;
mod sync;
mod trigger;
pub mod watch;

pub use trigger::trigger;

use crate::agent::conversation::Agent;
use crate::app::App;
use crate::clock::Clock;
use crate::config::{Config, SchedulerMode};
use crate::discord;
use crate::http::{AppState, Gateway, router};
use crate::jobs::{MakeDeliver, Runner};
use crate::metrics::Metrics;
use crate::schedule::{Reload, Schedule, Scheduler, Ticker};
use anyhow::Context;
use chrono::NaiveDateTime;
use std::future::{Future, IntoFuture};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use sync::Syncing;
use tokio_util::sync::CancellationToken;

/// How long a stop waits for the running job and the requests in flight; with
/// [`PUSH_WITHIN`], inside Kubernetes' 30 seconds of grace.
pub const STOP_WITHIN: Duration = Duration::from_secs(20);
/// How long the bot may take to close its gateway connection.
const CLOSE_WAIT: Duration = Duration::from_secs(5);
/// How long a stop waits for the last push.
pub const PUSH_WITHIN: Duration = Duration::from_secs(8);

/// The schedule anew whenever the store's settings file changed (and at the first
/// tick, when it has any): the people's own briefing times, without a restart. A file
/// that cannot be read keeps the schedule as it was, with a warning.
fn reload(config: Arc<Config>, store: Arc<crate::store::Store>) -> Reload {
    let mut seen: Option<Vec<u8>> = Some(Vec::new());
    Box::new(move || {
        let bytes = match crate::app::Files::read(&*store, crate::app::settings::FILE) {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "the store's settings could not be read"
                );
                return None;
            }
        };
        if seen.as_deref() == Some(bytes.as_slice()) {
            return None;
        }
        seen = Some(bytes);
        let (settled, problem) = crate::app::settings::settled(&config, &*store);
        if let Some(problem) = problem {
            tracing::warn!(%problem, "the store's settings are left aside until fixed");
            return None;
        }
        match Schedule::from_config(&settled) {
            Ok(schedule) => {
                log_entries(&schedule, "rescheduled with the store's settings");
                Some(schedule)
            }
            Err(error) => {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "the store's settings make no schedule; the schedule is kept"
                );
                None
            }
        }
    })
}

/// `myorg run`; its clock starts at `now` (`--now`) when given.
pub fn run(config: &Config, now: Option<NaiveDateTime>) -> anyhow::Result<()> {
    crate::agent::tools::Registry::new().check_directives(config)?;
    let clock = Clock::new(now, config.store_timezone()?);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    // The signals are listened for before anything is served.
    let shutdown = {
        let _entered = runtime.enter();
        shutdown_signal()
    };
    let served = runtime.block_on(serve(config.clone(), clock, shutdown));
    // A job still running past the bounds above is left behind, not waited for.
    runtime.shutdown_timeout(Duration::from_millis(500));
    served
}

/// Serves (and keeps the schedule) until `shutdown` completes, then stops as the
/// module says.
pub async fn serve(
    config: Config,
    clock: Clock,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let schedule = Schedule::from_config(&config)?;
    let settings = config.store_settings();
    crate::logs::keep_out(&config.secrets());
    let on_wait = Box::new(|| tracing::warn!("another process is writing to the store; waiting"));
    let watch = config.store.watch;
    let (store, _watching) = tokio::task::spawn_blocking(move || {
        let store = crate::store::Store::open_with(settings, on_wait)?;
        let watching = watch.then(|| watch_store(&store)).flatten();
        anyhow::Ok((store, watching))
    })
    .await
    .context("opening the store")??;
    let store = Arc::new(store);
    let listener = tokio::net::TcpListener::bind(&config.http.listen)
        .await
        .with_context(|| format!("listening on {}", config.http.listen))?;
    let address = listener.local_addr()?;
    println!("myorg: listening on http://{address}");
    tracing::info!(address = %listener.local_addr()?, "listening");
    std::io::stdout().flush()?;
    if config.http.trigger_token.as_ref().is_none_or(|t| t.0.is_empty()) {
        tracing::warn!("MYORG_TRIGGER_TOKEN is not set: every trigger is refused");
    }
    if !crate::app::tokens::any(&config, store.state_dir()) {
        tracing::warn!(
            "no MCP token: MYORG_MCP_TOKEN is not set and no one has one (`myorg mcp token NAME`), so every /mcp request is refused"
        );
    }
    let config = Arc::new(config);
    let metrics = Arc::new(Metrics::default());
    let app = Arc::new(App::new(Arc::clone(&config), Arc::clone(&store), clock)?);
    let agent = Agent::new(Arc::clone(&app))?.map(|agent| Arc::new(agent.with_metrics(Arc::clone(&metrics))));
    if agent.is_none() {
        tracing::info!("no language model is configured: free-form chat is off, every command works");
    }
    let web = Arc::new(crate::web::Web::new(Arc::clone(&app), agent.clone())?);
    let bot = discord::start(Arc::clone(&app), agent, Arc::clone(&metrics)).await?;
    let deliver: MakeDeliver = match &bot {
        Some(bot) => {
            let sender = bot.sender();
            Arc::new(move || Box::new(sender.clone()))
        }
        None => {
            tracing::info!(
                "headless: no DISCORD_BOT_TOKEN; the HTTP endpoint serves /healthz, /readyz, /metrics, POST /trigger/JOB, /mcp, and messages go to the log"
            );
            crate::jobs::to_log()
        }
    };
    let mode = config.scheduler.mode;
    let own_times = config
        .people
        .iter()
        .any(|p| p.morning.is_some() || p.evening.is_some());
    let deliver_again = deliver.clone();
    let jobs = Arc::new(Runner::new(
        Arc::clone(&config),
        Arc::clone(&store),
        metrics,
        deliver,
        clock,
    ));
    let syncing = Syncing::start(Arc::clone(&jobs));
    let stopping = CancellationToken::new();
    let outbox = outbox::start(
        store.state_dir().to_path_buf(),
        deliver_again,
        stopping.child_token(),
    );
    let mut state = AppState::new(Arc::clone(&jobs));
    state.mounted = crate::mcp::router(app, stopping.child_token());
    state.gateway = bot.as_ref().map(|bot| {
        let readiness = bot.readiness();
        let connected: Gateway = Arc::new(move || {
            let readiness = readiness.clone();
            Box::pin(async move { readiness.connected().await })
        });
        connected
    });
    let state = Arc::new(state);
    dashboard_link(&web, &address);
    // Without TCP_NODELAY a streamed answer (MCP's event streams) written in small
    // pieces waits for the client's delayed acknowledgement, some 40 ms a call.
    let listener = axum::serve::ListenerExt::tap_io(listener, |connection| {
        if let Err(error) = connection.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY could not be set");
        }
    });
    let mut server = tokio::spawn(
        axum::serve(
            listener,
            router(Arc::clone(&state)).merge(crate::web::router(Arc::clone(&web))),
        )
        .with_graceful_shutdown(stopping.clone().cancelled_owned())
        .into_future(),
    );
    let scheduler = match mode {
        SchedulerMode::InProcess => {
            log_entries(&schedule, "scheduled");
            let ticker = Ticker::reloading(schedule, reload(Arc::clone(&config), Arc::clone(&store)));
            Some(Scheduler::start(Arc::clone(&jobs), ticker).await?)
        }
        SchedulerMode::External => {
            tracing::info!("scheduler.mode is external: jobs run only when POST /trigger/JOB is called");
            if own_times {
                tracing::warn!("the people's own briefing times are not used: each trigger sends everyone's");
            }
            None
        }
    };
    let ended_early = tokio::select! {
        _ = shutdown => None,
        ended = &mut server => Some(ended),
    };
    stopping.cancel();
    let stopped = tokio::time::timeout(STOP_WITHIN, async {
        // The sync stops before the last push below, which then has the store alone.
        tokio::join!(
            async {
                if let Some(scheduler) = scheduler {
                    scheduler.stop().await;
                }
            },
            async {
                if let Some(syncing) = syncing {
                    syncing.stop().await;
                }
            },
            async {
                let _ = outbox.await;
            },
        );
        match ended_early {
            Some(ended) => ended,
            None => server.await,
        }
    })
    .await;
    if let Some(bot) = bot {
        bot.shutdown(CLOSE_WAIT).await;
        tracing::info!("discord: disconnected");
    }
    let served = match stopped {
        Ok(Ok(served)) => served.context("serving HTTP"),
        Ok(Err(error)) => Err(error).context("serving HTTP"),
        Err(_) => {
            tracing::warn!(
                waited_secs = STOP_WITHIN.as_secs(),
                "stopping without waiting longer for the running job"
            );
            Ok(())
        }
    };
    let pushing = tokio::task::spawn_blocking(move || store.push_pending());
    match tokio::time::timeout(PUSH_WITHIN, pushing).await {
        Ok(Ok(Ok(report))) => {
            if let Some(error) = &report.error {
                tracing::warn!(
                    error = %error,
                    "stopping with commits not pushed yet; they are pushed on the next start"
                );
            }
            // Nobody is left to deliver to: the log, and `myorg status`, keep them.
            crate::jobs::tell_not_applied(&config, &report, &mut crate::jobs::ToLog);
        }
        Ok(Ok(Err(error))) => tracing::warn!(error = format!("{error:#}"), "stopping; the last push failed"),
        Ok(Err(error)) => tracing::warn!(%error, "stopping; the last push stopped"),
        Err(_) => tracing::warn!(
            waited_secs = PUSH_WITHIN.as_secs(),
            "stopping before the last push ended; what is not pushed is pushed on the next start"
        ),
    }
    tracing::info!("stopped");
    served
}

/// Says where the dashboard is; with no password configured at all, prints a
/// one-time login link (standard output, never the log). Standard output may be
/// closed by whoever started us: nothing here may stop the start.
fn dashboard_link(web: &crate::web::Web, address: &std::net::SocketAddr) {
    let shown = if address.ip().is_unspecified() {
        std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), address.port())
    } else {
        *address
    };
    let base = format!("http://{shown}");
    let mut out = std::io::stdout();
    let _ = if web.needs_link() {
        match web.auth.one_time_token() {
            Some(token) => writeln!(
                out,
                "myorg: no dashboard password is set; log in once with {base}/login?token={token}"
            ),
            None => {
                tracing::warn!("no one-time login link could be made: set WEB_PASSWORD");
                Ok(())
            }
        }
    } else {
        writeln!(out, "myorg: the dashboard is at {base}/")
    };
    let _ = out.flush();
}

/// Logs each entry of `schedule`: its job, recipients, times and zone.
fn log_entries(schedule: &Schedule, message: &'static str) {
    for entry in &schedule.entries {
        tracing::info!(
            job = %entry.job,
            recipients = %entry.recipients,
            cron = entry.cron.text(),
            zone = %entry.zone,
            "{message}"
        );
    }
}

/// Watches the store's folders; without a watcher (inotify refused, another process
/// watching already) every write looks at the whole store, as it would anyway.
fn watch_store(store: &crate::store::Store) -> Option<crate::store::Watching> {
    match store.watch() {
        Ok(watching) => {
            tracing::info!("watching the store's folders: each write looks only at what changed");
            Some(watching)
        }
        Err(err) => {
            tracing::info!(error = %format!("{err:#}"), "the store's folders are not watched: each write looks at every file");
            None
        }
    }
}

/// SIGTERM or SIGINT, listened for from this call on (within the runtime): a signal
/// that comes while the server is still starting then stops it as any other, rather
/// than ending the process at once, as a signal nobody listens for does.
fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (terminate, interrupt) {
                (Ok(mut terminate), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = terminate.recv() => {}
                        _ = interrupt.recv() => {}
                    }
                }
                (Ok(mut one), Err(_)) | (Err(_), Ok(mut one)) => {
                    one.recv().await;
                }
                (Err(_), Err(_)) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
