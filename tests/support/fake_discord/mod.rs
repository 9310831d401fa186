//! A fake Discord on 127.0.0.1 for running the real bot against: the REST API under
//! `/api/v10` and a websocket gateway at `/gw`, enough for serenity and poise to start,
//! register commands, receive messages and interactions, and answer them.
//!
//! ```ignore
//! let discord = FakeDiscord::start(Setup::default()).await;
//! // start `myorg run` with MYORG_DISCORD_API_BASE=discord.base_url(), then:
//! discord.wait_ready(Duration::from_secs(10)).await?;
//! let asked = discord.slash(501, 4000, "task add", &[("text", json!("buy milk"))]).await?;
//! let reply = asked.reply(Duration::from_secs(5)).await?;
//! assert!(reply.text().contains("buy milk"));
//! assert_eq!(discord.violations(), Vec::<String>::new());
//! ```
//!
//! Everything the bot sends is checked against Discord's documented limits
//! (`limits.rs`) and rules for interactions (`webhooks.rs`); a breach is answered the
//! way Discord answers it (400 / 50035 with an `errors` map, 40060, 10062…) and
//! recorded in [`FakeDiscord::violations`]. A test can make routes hit a rate limit
//! ([`FakeDiscord::rate_limit_next`]); every REST request is kept with its time and
//! status ([`FakeDiscord::attempts`]). Everything the fake sends is first read
//! back with serenity's own types (`objects.rs`); a payload serenity cannot read is a
//! bug in the fake and panics.
//!
//! Files: `state.rs` (what the fake knows), `objects.rs` (Discord objects as JSON),
//! `gateway.rs` (the websocket), `rest.rs` (the REST routes), `webhooks.rs`
//! (interaction callbacks, follow-ups and their edits), `invoke.rs` (interactions a
//! test dispatches), `limits.rs` (Discord's limits).

mod gateway;
mod invoke;
mod limits;
mod objects;
mod rest;
mod state;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::any;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

pub use state::{Attempt, GatewayClose, Upload};
use state::{Outgoing, RateLimit, Shared, World, id_of, is_ephemeral};

/// A person in the fake guild.
#[derive(Clone, Debug)]
pub struct FakeUser {
    pub id: u64,
    pub name: String,
    /// Role ids (besides `@everyone`).
    pub roles: Vec<u64>,
}

impl FakeUser {
    pub fn new(id: u64, name: &str, roles: &[u64]) -> FakeUser {
        FakeUser {
            id,
            name: name.to_string(),
            roles: roles.to_vec(),
        }
    }
}

/// The world the bot connects to: one guild with text channels, roles and users.
#[derive(Clone, Debug)]
pub struct Setup {
    pub bot_id: u64,
    pub application_id: u64,
    pub guild_id: u64,
    /// Text channels of the guild, named `channel-{id}`.
    pub channels: Vec<u64>,
    /// Roles of the guild besides `@everyone` (whose id is the guild's).
    pub roles: Vec<(u64, String)>,
    pub users: Vec<FakeUser>,
    /// The bot's token: IDENTIFY with another is closed with 4004 (Authentication
    /// failed), a REST call with another answered 401.
    pub token: String,
    /// Every message and edit the bot sends must carry `allowed_mentions` that ping
    /// nobody (no `parse` kinds, no `roles`, no `users` but those the content names
    /// as `<@ID>`, no `replied_user: true`), as the assistant promises; a breach is
    /// recorded (Discord takes the message). Off for a bot that may ping.
    pub no_pings: bool,
}

impl Default for Setup {
    /// Bot 1000 with token "fake-bot-token", application 2000, guild 3000, channels
    /// 4000 and 4001, role 600 "team", users 501 "ana" (team), 502 "ben" and 503
    /// "mallory"; pings are breaches.
    fn default() -> Setup {
        Setup {
            bot_id: 1000,
            application_id: 2000,
            guild_id: 3000,
            channels: vec![4000, 4001],
            roles: vec![(600, "team".to_string())],
            users: vec![
                FakeUser::new(501, "ana", &[600]),
                FakeUser::new(502, "ben", &[]),
                FakeUser::new(503, "mallory", &[]),
            ],
            token: "fake-bot-token".to_string(),
            no_pings: true,
        }
    }
}

/// Where application commands were registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Guild(u64),
    Global,
}

/// Gateway connections opened, sessions started (IDENTIFY), resumed (RESUME) and
/// heartbeats received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GatewayCounts {
    /// Websocket connections opened, identified or not.
    pub connections: u64,
    pub identifies: u64,
    pub resumes: usize,
    pub heartbeats: usize,
}

/// The running fake; it stops when dropped.
pub struct FakeDiscord {
    address: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl FakeDiscord {
    /// Starts the fake on a free port of 127.0.0.1.
    pub async fn start(setup: Setup) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1");
        let address = listener.local_addr().expect("the port");
        let world = World::new(setup, format!("ws://{address}/gw"));
        let shared = Arc::new(Shared::new(world));
        let app = Router::new()
            .route("/gw", any(gateway::upgrade))
            .fallback(rest::answer)
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeDiscord {
            address,
            shared,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`: what serenity's `HttpBuilder::proxy` (and so
    /// `MYORG_DISCORD_API_BASE`) takes.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Waits until the bot has identified, READY and GUILD_CREATE were sent, and it
    /// registered its commands.
    pub async fn wait_ready(&self, timeout: Duration) -> anyhow::Result<()> {
        self.shared
            .wait_for(
                timeout,
                "the bot to connect and register its commands",
                |world| match (&world.gateway.token, world.gateway.ready, world.commands.last) {
                    (None, _, _) => Err("no IDENTIFY received (did the bot fetch GET /gateway?)".into()),
                    (Some(_), false, _) => Err("identified, READY not sent yet".into()),
                    (Some(_), true, None) => Err("READY sent, no commands registered".into()),
                    (Some(_), true, Some(_)) => Ok(()),
                },
            )
            .await
    }

    /// The command set registered last, as the fake answered it (with ids).
    pub fn commands(&self) -> Vec<Value> {
        self.shared.read(|world| {
            world
                .commands
                .last
                .and_then(|scope| world.commands.set(scope).cloned())
                .unwrap_or_default()
        })
    }

    /// Where the last command set was registered.
    pub fn commands_scope(&self) -> Option<Scope> {
        self.shared.read(|world| world.commands.last)
    }

    /// `user` runs slash command `command` in `channel` (a guild channel or the user's
    /// DM channel). `command` may name a subcommand: `"project status"`. Each option's
    /// type comes from the registered definition; an unknown command or option, a
    /// value of the wrong type or outside the choices, or a missing required option is
    /// an error, as the Discord client would not send it.
    pub async fn slash(
        &self,
        user: u64,
        channel: u64,
        command: &str,
        options: &[(&str, Value)],
    ) -> anyhow::Result<Interaction> {
        let id = self
            .shared
            .update(|world| invoke::slash(world, user, channel, command, options, None))?;
        Ok(self.interaction(id))
    }

    /// `user` types in option `focused` of `command` (its partial value is among
    /// `options`, or empty): an autocomplete interaction. Returns the choices the bot
    /// answered with (callback type 8).
    pub async fn autocomplete(
        &self,
        user: u64,
        channel: u64,
        command: &str,
        options: &[(&str, Value)],
        focused: &str,
        timeout: Duration,
    ) -> anyhow::Result<Vec<Value>> {
        let id = self
            .shared
            .update(|world| invoke::slash(world, user, channel, command, options, Some(focused)))?;
        let answer = self
            .shared
            .wait_for(timeout, "the autocomplete answer", |world| {
                let record = &world.interactions[&id];
                match (record.callback, &record.choices) {
                    (Some(8), Some(choices)) => Ok(Ok(choices.clone())),
                    (Some(other), _) => Ok(Err(other)),
                    (None, _) => Err("no callback yet".into()),
                }
            })
            .await?;
        answer.map_err(|other| anyhow::anyhow!("the bot answered an autocomplete with callback type {other}"))
    }

    /// `user` clicks the button `custom_id` on a message the bot sent (as it is now,
    /// after any edits).
    pub async fn click(
        &self,
        user: u64,
        message: &SeenMessage,
        custom_id: &str,
    ) -> anyhow::Result<Interaction> {
        let id = self
            .shared
            .update(|world| invoke::click(world, user, message.id, custom_id))?;
        Ok(self.interaction(id))
    }

    /// `user` picks `values` in the select menu `custom_id` on a message the bot sent.
    pub async fn select(
        &self,
        user: u64,
        message: &SeenMessage,
        custom_id: &str,
        values: &[&str],
    ) -> anyhow::Result<Interaction> {
        let id = self
            .shared
            .update(|world| invoke::select(world, user, message.id, custom_id, values))?;
        Ok(self.interaction(id))
    }

    /// `user` presses the button `custom_id` on `message` even when the message no
    /// longer shows it, or shows it disabled: a client with a stale view, or a second
    /// tap before the first was answered. Unlike [`FakeDiscord::click`], only the
    /// message must still exist.
    pub async fn click_raw(
        &self,
        user: u64,
        message: &SeenMessage,
        custom_id: &str,
    ) -> anyhow::Result<Interaction> {
        let id = self
            .shared
            .update(|world| invoke::click_raw(world, user, message.id, custom_id))?;
        Ok(self.interaction(id))
    }

    /// `user` submits the modal that `shown` (an interaction the bot answered with a
    /// modal) showed, with `values` in its text inputs by custom id.
    pub async fn submit_modal(
        &self,
        user: u64,
        shown: &Interaction,
        values: &[(&str, &str)],
    ) -> anyhow::Result<Interaction> {
        let id = self
            .shared
            .update(|world| invoke::submit_modal(world, user, shown.id, values))?;
        Ok(self.interaction(id))
    }

    /// `user` runs the message context-menu command `command` on `target`.
    pub async fn context_menu(
        &self,
        user: u64,
        command: &str,
        target: &SeenMessage,
    ) -> anyhow::Result<Interaction> {
        let id = self
            .shared
            .update(|world| invoke::context_menu(world, user, command, target.id))?;
        Ok(self.interaction(id))
    }

    /// `user` writes `content` in a guild channel. `<@BOT_ID>` in it mentions the bot.
    pub async fn say(&self, user: u64, channel: u64, content: &str) -> SeenMessage {
        self.shared
            .update(|world| invoke::user_message(world, user, channel, content))
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// `user` writes `content` to the bot in their DM channel.
    pub async fn dm(&self, user: u64, content: &str) -> SeenMessage {
        self.shared
            .update(|world| {
                let channel = world.dm_channel(user);
                world.dm_known.insert(channel);
                invoke::user_message(world, user, channel, content)
            })
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// The messages the bot posted in `channel` with `POST /channels/{c}/messages`
    /// (as they are now), once there are at least `n`.
    pub async fn wait_channel_messages(
        &self,
        channel: u64,
        n: usize,
        timeout: Duration,
    ) -> anyhow::Result<Vec<SeenMessage>> {
        let what = format!("{n} bot message(s) in channel {channel}");
        self.shared
            .wait_for(timeout, &what, |world| posted_in(world, channel, n))
            .await
    }

    /// The messages the bot sent `user` in their DM channel, once there are at least `n`.
    pub async fn wait_dms(&self, user: u64, n: usize, timeout: Duration) -> anyhow::Result<Vec<SeenMessage>> {
        let channel = self.dm_channel_of(user);
        let what = format!("{n} DM(s) from the bot to user {user}");
        self.shared
            .wait_for(timeout, &what, |world| posted_in(world, channel, n))
            .await
    }

    /// How many times the bot triggered the typing indicator in `channel`.
    pub fn typing(&self, channel: u64) -> usize {
        self.shared
            .read(|world| world.typing.get(&channel).copied().unwrap_or(0))
    }

    /// The reactions the bot added to a message, as the emoji in the route
    /// (URL-encoded, e.g. `%E2%9C%85`).
    pub fn reactions(&self, message: u64) -> Vec<String> {
        self.shared.read(|world| {
            world
                .reactions
                .iter()
                .filter(|(m, _)| *m == message)
                .map(|(_, emoji)| emoji.clone())
                .collect()
        })
    }

    /// The files the bot attached to its requests so far, in order.
    pub fn uploads(&self) -> Vec<Upload> {
        self.shared.read(|world| world.uploads.clone())
    }

    /// Every rule the bot broke so far, one line each, in order.
    pub fn violations(&self) -> Vec<String> {
        self.shared.read(|world| world.violations.clone())
    }

    /// The user's DM channel with the bot.
    pub fn dm_channel_of(&self, user: u64) -> u64 {
        self.shared.update(|world| world.dm_channel(user))
    }

    /// Moves the fake's clock forward, for the deadlines of interactions (3 s to
    /// acknowledge, 15 min of token validity) without waiting for them.
    pub fn advance(&self, by: Duration) {
        self.shared.update(|world| world.clock_offset += by);
    }

    /// Closes the gateway connection as Discord does before a resume (close code 4000).
    /// Dispatches until the bot reconnects are kept and replayed on its RESUME.
    pub fn disconnect(&self) {
        self.shared.update(|world| {
            if let Some(connection) = world.gateway.connection.take() {
                let _ = connection.frames.send(Outgoing::Close(4000, "Unknown error"));
            }
        });
    }

    /// The heartbeat interval HELLO asks for from the next connection on (Discord's,
    /// about 41 s, by default). A short one lets a test see heartbeats and their ACKs;
    /// serenity restarts its session when an ACK is late, so a loaded machine can
    /// make a very short interval flaky.
    pub fn heartbeat_every(&self, interval: Duration) {
        self.shared
            .update(|world| world.gateway.heartbeat_interval = interval);
    }

    /// The next `n` REST requests whose path under `/api/v10/` starts with
    /// `route_prefix` (e.g. `channels/4000/messages`, `webhooks/`) hit a rate limit:
    /// answered 429 as Discord does (`{"message", "retry_after", "global": false}`,
    /// `Retry-After` and the `X-RateLimit-*` headers). After each 429 the routes stay
    /// limited for `retry_after`: a request sooner is refused the same way and
    /// recorded as a violation.
    pub fn rate_limit_next(&self, route_prefix: &str, n: usize, retry_after: Duration) {
        self.shared.update(|world| {
            world.rate_limits.push(RateLimit {
                prefix: route_prefix.to_string(),
                left: n,
                retry_after,
                until: None,
            });
        });
    }

    /// The REST requests so far whose path under `/api/v10/` starts with
    /// `route_prefix`, in order, with the status each was answered with.
    pub fn attempts(&self, route_prefix: &str) -> Vec<Attempt> {
        let prefix = format!("/api/v10/{route_prefix}");
        self.shared.read(|world| {
            world
                .attempts
                .iter()
                .filter(|attempt| attempt.path.starts_with(&prefix))
                .cloned()
                .collect()
        })
    }

    /// How the bot ended the gateway connections it ended, in order: a clean
    /// shutdown's close frame (1000) apart from a connection dropped without one.
    pub fn gateway_closes(&self) -> Vec<GatewayClose> {
        self.shared.read(|world| world.gateway.closes.clone())
    }

    /// [`FakeDiscord::gateway_closes`], once there are at least `n`.
    pub async fn wait_gateway_closes(
        &self,
        n: usize,
        timeout: Duration,
    ) -> anyhow::Result<Vec<GatewayClose>> {
        let what = format!("the bot to end {n} gateway connection(s)");
        self.shared
            .wait_for(timeout, &what, |world| {
                let closes = &world.gateway.closes;
                if closes.len() >= n {
                    Ok(closes.clone())
                } else {
                    Err(format!("{closes:?} so far"))
                }
            })
            .await
    }

    /// What the bot did on the gateway so far.
    pub fn gateway_counts(&self) -> GatewayCounts {
        self.shared.read(|world| GatewayCounts {
            connections: world.gateway.connections_opened,
            identifies: world.gateway.sessions,
            resumes: world.gateway.resumes,
            heartbeats: world.gateway.heartbeats,
        })
    }

    fn interaction(&self, id: u64) -> Interaction {
        let token = self.shared.read(|world| world.interactions[&id].token.clone());
        Interaction {
            id,
            token,
            shared: Arc::clone(&self.shared),
        }
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn posted_in(world: &World, channel: u64, n: usize) -> Result<Vec<SeenMessage>, String> {
    let found: Vec<SeenMessage> = world
        .channel_posts
        .iter()
        .filter_map(|id| world.seen(*id))
        .filter(|message| message.channel_id == channel)
        .collect();
    if found.len() >= n {
        Ok(found)
    } else {
        Err(format!(
            "{} so far; the bot posted {} message(s) in all",
            found.len(),
            world.channel_posts.len()
        ))
    }
}

/// One interaction dispatched to the bot.
pub struct Interaction {
    pub id: u64,
    /// Its token, as the bot uses it in callback and webhook routes.
    pub token: String,
    shared: Arc<Shared>,
}

impl Interaction {
    /// What the user sees as the response, as it is now: for callback type 4 its
    /// message; for 5 (deferred) the first edit of `@original` or the first follow-up;
    /// for 7 the updated message; for 6 the message after its next edit.
    pub async fn reply(&self, timeout: Duration) -> anyhow::Result<SeenMessage> {
        let answer = self
            .shared
            .wait_for(timeout, "the interaction's response", |world| {
                let record = &world.interactions[&self.id];
                match (record.callback, record.answer) {
                    (Some(8 | 9), _) => Ok(Err(format!(
                        "the bot answered with callback type {}, not a message",
                        record.callback.unwrap_or_default()
                    ))),
                    (_, Some(id)) => match world.seen(id) {
                        Some(message) => Ok(Ok(message)),
                        None => Ok(Err("the response was deleted".to_string())),
                    },
                    (None, _) => Err("no callback yet".into()),
                    (Some(kind), None) => Err(format!("callback type {kind}, no message yet")),
                }
            })
            .await?;
        answer.map_err(anyhow::Error::msg)
    }

    /// The response and the follow-ups, in order and as they are now, once there are
    /// at least `n`.
    pub async fn messages(&self, n: usize, timeout: Duration) -> anyhow::Result<Vec<SeenMessage>> {
        let what = format!("{n} message(s) answering the interaction");
        self.shared
            .wait_for(timeout, &what, |world| {
                let record = &world.interactions[&self.id];
                let original = record.original.filter(|id| record.answer == Some(*id));
                let found: Vec<SeenMessage> = original
                    .into_iter()
                    .chain(record.followups.iter().copied())
                    .filter_map(|id| world.seen(id))
                    .collect();
                if found.len() >= n {
                    Ok(found)
                } else {
                    Err(format!("{} so far (callback {:?})", found.len(), record.callback))
                }
            })
            .await
    }

    /// The modal the bot showed in answer, once it has: its `data` (custom id, title,
    /// rows of text inputs).
    pub async fn modal(&self, timeout: Duration) -> anyhow::Result<Value> {
        self.shared
            .wait_for(timeout, "a modal", |world| {
                let record = &world.interactions[&self.id];
                match (&record.modal, record.callback) {
                    (Some(modal), _) => Ok(modal.clone()),
                    (None, Some(other)) => Err(format!("the bot answered with callback type {other}")),
                    (None, None) => Err("no callback yet".to_string()),
                }
            })
            .await
    }

    /// The type of the callback the bot answered with, if it did.
    pub fn callback_type(&self) -> Option<u64> {
        self.shared.read(|world| world.interactions[&self.id].callback)
    }
}

/// A message as the fake stores it, for asserts.
#[derive(Clone, Debug)]
pub struct SeenMessage {
    pub id: u64,
    pub channel_id: u64,
    pub author_id: u64,
    pub content: String,
    pub embeds: Vec<Value>,
    pub components: Vec<Value>,
    pub ephemeral: bool,
    /// What the request that created it, or the last one that edited it, set, if
    /// anything.
    pub allowed_mentions: Option<Value>,
    /// The message object as the API returns it.
    pub raw: Value,
}

impl SeenMessage {
    fn from_stored(stored: &state::StoredMessage) -> SeenMessage {
        let raw = &stored.raw;
        let id_at = |value: &Value| value.as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
        let list = |key: &str| raw[key].as_array().cloned().unwrap_or_default();
        SeenMessage {
            id: id_of(raw),
            channel_id: id_at(&raw["channel_id"]),
            author_id: id_at(&raw["author"]["id"]),
            content: raw["content"].as_str().unwrap_or("").to_string(),
            embeds: list("embeds"),
            components: list("components"),
            ephemeral: is_ephemeral(raw),
            allowed_mentions: stored.allowed_mentions.clone(),
            raw: raw.clone(),
        }
    }

    /// Everything a person reads, one piece a line: the content, then each embed's
    /// author, title, description, fields (`name: value`) and footer.
    pub fn text(&self) -> String {
        let text_at = |value: &Value| value.as_str().unwrap_or("").to_string();
        let mut pieces = vec![self.content.clone()];
        for embed in &self.embeds {
            pieces.push(text_at(&embed["author"]["name"]));
            pieces.push(text_at(&embed["title"]));
            pieces.push(text_at(&embed["description"]));
            for field in embed["fields"].as_array().into_iter().flatten() {
                pieces.push(format!(
                    "{}: {}",
                    text_at(&field["name"]),
                    text_at(&field["value"])
                ));
            }
            pieces.push(text_at(&embed["footer"]["text"]));
        }
        pieces.retain(|p| !p.is_empty());
        pieces.join("\n")
    }

    /// The buttons, row by row: `(custom_id, label)`; a link button gives its URL in
    /// place of a custom id.
    pub fn buttons(&self) -> Vec<(String, String)> {
        self.components
            .iter()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .filter(|component| component["type"] == json!(2))
            .map(|button| {
                let id = button["custom_id"]
                    .as_str()
                    .or(button["url"].as_str())
                    .unwrap_or("");
                let label = button["label"].as_str().unwrap_or("");
                (id.to_string(), label.to_string())
            })
            .collect()
    }
}
