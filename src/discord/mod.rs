//! The Discord front end of `myorg run`, on poise and serenity: slash commands (the
//! use cases of [`crate::app`], with the person's typed options as their requests),
//! a message context-menu command, free chat with the agent, confirmation
//! and page buttons, the weekly review's buttons and forms, and a [`Sender`] for the schedule's briefings and reminders.
//!
//! Every request first passes the allowlists ([`access`]); the person behind a
//! Discord user comes from `[[people]]` (`discord_id`), which gives the commits their
//! author. Nothing the bot sends pings anyone: every message and edit carries empty
//! allowed mentions (`reply::no_pings`); a briefing or reminder posted in the team
//! channel for a person names them in plain text.
//!
//! `discord.api_base` points REST and the gateway at another base URL (a fake
//! Discord in tests) and turns the client's rate limiter off.

pub mod access;
mod answer;
mod buttons;
mod chat;
mod commands;
mod complete;
mod picks;
mod reply;
mod retry;
mod review;
mod send;
mod span;
pub mod text;

use crate::agent::conversation::Agent;
use crate::agent::tools::Registry;
use crate::app::{App, Caller};
use crate::metrics::Metrics;
use crate::store::Actor;
use access::{Access, Who};
use anyhow::Context as _;
use chrono::NaiveDateTime;
use poise::serenity_prelude as serenity;
pub use send::Sender;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// What a command returns on failure.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// The context of a command.
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// What every command and event handler shares.
pub struct Data {
    /// The application: configuration, store, people, clock, confirmations.
    pub app: Arc<App>,
    pub registry: Arc<Registry>,
    pub agent: Option<Arc<Agent>>,
    pub access: Access,
    /// The channels whose every message goes to the agent.
    pub chat_channels: std::collections::HashSet<u64>,
    /// Pages of long lists, for their buttons.
    pub pages: buttons::Pages,
    /// The tasks picked in lists of tasks, for their buttons.
    pub picks: picks::Picks,
    /// The bot's own user id, once connected.
    pub bot_id: std::sync::OnceLock<u64>,
    /// Cancels the agent's work on shutdown.
    pub cancel: CancellationToken,
    /// Counts the commands run.
    pub metrics: Arc<Metrics>,
    /// Refused people in chat channels, not to answer each of their messages.
    pub refused: chat::Refused,
}

impl Data {
    /// The current time, store-local.
    pub fn now(&self) -> NaiveDateTime {
        self.app.now()
    }

    /// The person behind a Discord user, asking in `channel`: the configured person
    /// with that Discord id, else one named after the Discord account.
    pub fn asker(&self, user: &serenity::User, channel: u64) -> Caller {
        let (name, handle, email) = match self.app.people.by_discord_id(user.id.get()) {
            Some(person) => (
                person.name.clone(),
                person.handle.clone(),
                person
                    .email
                    .clone()
                    .unwrap_or_else(|| format!("{}@users.discord.invalid", person.handle)),
            ),
            None => {
                let handle: String = user
                    .name
                    .chars()
                    .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                    .collect::<String>()
                    .to_lowercase();
                let handle = if handle.is_empty() {
                    format!("user{}", user.id.get())
                } else {
                    handle
                };
                let name = user.global_name.clone().unwrap_or_else(|| user.name.clone());
                (name, handle.clone(), format!("{handle}@users.discord.invalid"))
            }
        };
        Caller {
            handle,
            actor: Actor {
                name,
                email,
                via: "discord".to_string(),
            },
            channel: format!("discord-{channel}"),
        }
    }
}

/// The running bot.
pub struct Bot {
    shard_manager: Arc<serenity::ShardManager>,
    client: tokio::task::JoinHandle<()>,
    sender: Sender,
    connected: Arc<AtomicBool>,
    cancel: CancellationToken,
}

impl Bot {
    /// Sends briefings and reminders from background work.
    pub fn sender(&self) -> Sender {
        self.sender.clone()
    }

    /// Tells whether the gateway is connected (for `/readyz`).
    pub fn readiness(&self) -> Readiness {
        Readiness {
            set_up: Arc::clone(&self.connected),
            shard_manager: Arc::clone(&self.shard_manager),
        }
    }

    /// Closes the gateway; the client stops within `wait`.
    pub async fn shutdown(self, wait: Duration) {
        self.cancel.cancel();
        self.shard_manager.shutdown_all().await;
        let _ = tokio::time::timeout(wait, self.client).await;
    }
}

/// The gateway intents: guilds, their messages and direct messages, with content.
fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::DIRECT_MESSAGES
        | serenity::GatewayIntents::MESSAGE_CONTENT
}

/// Starts the bot when a token is configured (`None` otherwise): connects in the
/// background and registers the commands once the gateway is ready.
pub async fn start(
    app: Arc<App>,
    agent: Option<Arc<Agent>>,
    metrics: Arc<Metrics>,
) -> anyhow::Result<Option<Bot>> {
    let config = Arc::clone(&app.config);
    let Some(token) = config.discord.token.clone().filter(|t| !t.0.trim().is_empty()) else {
        return Ok(None);
    };
    let access = Access::from_config(&config.discord)?;
    if access.allows_nobody() {
        tracing::warn!(
            "no Discord user or role is allowed (discord.allowed_users, discord.allowed_roles, MYORG_DISCORD_ALLOWED_USERS): the bot will refuse everyone"
        );
    } else {
        tracing::info!(allowed = %access.describe(), "discord: access");
    }
    let guild = config
        .discord
        .guild_id
        .as_deref()
        .map(|id| {
            id.trim()
                .parse::<u64>()
                .context("discord.guild_id is not a Discord id")
        })
        .transpose()?;
    let chat_channels = config
        .discord
        .channel_id
        .iter()
        .chain(&config.discord.chat_channels)
        .filter(|id| !id.trim().is_empty())
        .map(|id| {
            id.trim()
                .parse::<u64>()
                .with_context(|| format!("discord: the channel {id:?} is not a Discord id"))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut builder = serenity::HttpBuilder::new(token.0.trim()).default_allowed_mentions(reply::no_pings());
    if let Some(base) = config.discord.api_base.as_deref().filter(|b| !b.is_empty()) {
        tracing::info!(%base, "discord: using another API base (rate limiter off)");
        builder = builder
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let http = builder.build();
    let connected = Arc::new(AtomicBool::new(false));
    let cancel = CancellationToken::new();
    let data = Data {
        app,
        registry: Arc::new(Registry::new()),
        agent,
        access,
        chat_channels,
        pages: buttons::Pages::default(),
        picks: picks::Picks::default(),
        bot_id: std::sync::OnceLock::new(),
        cancel: cancel.clone(),
        metrics,
        refused: chat::Refused::default(),
    };
    let ready = Arc::clone(&connected);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            command_check: Some(|ctx| Box::pin(check(ctx))),
            on_error: |error| Box::pin(reply::on_error(error)),
            pre_command: |ctx| Box::pin(log_command(ctx)),
            event_handler: |ctx, event, framework, data| Box::pin(on_event(ctx, event, framework, data)),
            allowed_mentions: Some(reply::no_pings()),
            initialize_owners: false,
            prefix_options: poise::PrefixFrameworkOptions {
                prefix: None,
                mention_as_prefix: false,
                ..Default::default()
            },
            ..Default::default()
        })
        .setup(move |ctx, about, framework| {
            Box::pin(async move {
                let _ = data.bot_id.set(about.user.id.get());
                let commands = &framework.options().commands;
                match guild {
                    Some(guild) => {
                        poise::builtins::register_in_guild(ctx, commands, serenity::GuildId::new(guild))
                            .await?;
                        tracing::info!(
                            commands = commands.len(),
                            guild,
                            "discord: commands registered in the guild"
                        );
                    }
                    None => {
                        poise::builtins::register_globally(ctx, commands).await?;
                        tracing::info!(commands = commands.len(), "discord: commands registered globally");
                    }
                }
                ready.store(true, Ordering::SeqCst);
                tracing::info!(user = %about.user.name, "discord: connected");
                Ok(data)
            })
        })
        .build();
    let framework = span::Traced {
        inner: framework,
        people: config.people()?,
    };
    let mut client = serenity::ClientBuilder::new_with_http(http, intents())
        .framework(framework)
        .await
        .context("starting the Discord client")?;
    let sender = Sender::new(Arc::clone(&client.http), &config)?;
    let shard_manager = Arc::clone(&client.shard_manager);
    let task = tokio::spawn(async move {
        if let Err(error) = client.start().await {
            tracing::error!(error = %why_stopped(&error), "discord: the client stopped");
        }
    });
    Ok(Some(Bot {
        shard_manager,
        client: task,
        sender,
        connected,
        cancel,
    }))
}

/// What the client stopping with `error` means for the person running the assistant.
/// Discord closes the gateway for good on a refused token or intents; the rest of the
/// assistant keeps running, not ready.
fn why_stopped(error: &serenity::Error) -> String {
    const NOT_READY: &str =
        "the bot is not connected and /readyz answers 503 until the assistant is restarted";
    match error {
        serenity::Error::Gateway(serenity::GatewayError::InvalidAuthentication) => format!(
            "Discord refused the bot token (discord.token, DISCORD_BOT_TOKEN): authentication failed; {NOT_READY} with a valid token"
        ),
        serenity::Error::Gateway(
            serenity::GatewayError::InvalidGatewayIntents | serenity::GatewayError::DisallowedGatewayIntents,
        ) => format!(
            "Discord refused the gateway intents: enable the Message Content intent of the bot in the Discord developer portal; {NOT_READY}"
        ),
        other => other.to_string(),
    }
}

/// Where a command comes from.
fn who_of(ctx: Context<'_>) -> Who {
    let roles = match ctx {
        poise::Context::Application(app) => app
            .interaction
            .member
            .as_ref()
            .map(|member| member.roles.iter().map(|role| role.get()).collect())
            .unwrap_or_default(),
        poise::Context::Prefix(prefix) => prefix
            .msg
            .member
            .as_ref()
            .map(|member| member.roles.iter().map(|role| role.get()).collect())
            .unwrap_or_default(),
    };
    Who {
        user: ctx.author().id.get(),
        roles,
        guild: ctx.guild_id().map(|guild| guild.get()),
        channel: ctx.channel_id().get(),
    }
}

/// The allowlists, before every command and autocomplete: a refused person gets a
/// polite ephemeral answer (autocomplete: no choices) and nothing runs.
async fn check(ctx: Context<'_>) -> Result<bool, Error> {
    let who = who_of(ctx);
    match ctx.data().access.check(&who) {
        Ok(()) => Ok(true),
        Err(refusal) => {
            tracing::info!(user_name = %ctx.author().name, ?refusal, "discord: refused");
            match ctx {
                // Nothing to choose from.
                poise::Context::Application(app)
                    if app.interaction_type == poise::CommandInteractionType::Autocomplete =>
                {
                    let none = serenity::CreateInteractionResponse::Autocomplete(
                        serenity::CreateAutocompleteResponse::new(),
                    );
                    app.interaction.create_response(ctx.http(), none).await?;
                }
                _ => reply::error(ctx, &refusal.to_string()).await?,
            }
            Ok(false)
        }
    }
}

/// Logs who runs which command (in the interaction's span; the options as typed,
/// a person's words, only at `debug`), and counts it.
async fn log_command(ctx: Context<'_>) {
    ctx.data().metrics.command(&ctx.command().qualified_name);
    tracing::info!(user_name = %ctx.author().name, "discord: command");
    tracing::debug!(invocation = %text::clip(&ctx.invocation_string(), 300), "discord: command as typed");
}

/// Events other than commands: the gateway's state, messages, buttons.
async fn on_event(
    ctx: &serenity::Context,
    event: &serenity::FullEvent,
    _framework: poise::FrameworkContext<'_, Data, Error>,
    data: &Data,
) -> Result<(), Error> {
    match event {
        serenity::FullEvent::Message { new_message } => chat::on_message(ctx, data, new_message).await,
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(click),
        } => buttons::on_click(ctx, data, click).await,
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Modal(form),
        } if form.data.custom_id.starts_with("tk:") => picks::on_form(ctx, data, form).await,
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Modal(form),
        } => review::on_form(ctx, data, form).await,
        _ => Ok(()),
    }
}

/// Whether the bot is connected: its commands are registered and every shard's
/// gateway connection is up.
#[derive(Clone)]
pub struct Readiness {
    set_up: Arc<AtomicBool>,
    shard_manager: Arc<serenity::ShardManager>,
}

impl Readiness {
    pub async fn connected(&self) -> bool {
        if !self.set_up.load(Ordering::SeqCst) {
            return false;
        }
        let runners = self.shard_manager.runners.lock().await;
        !runners.is_empty()
            && runners
                .values()
                .all(|runner| runner.stage == serenity::ConnectionStage::Connected)
    }
}
