//! The fake's state: the guild as set up, the gateway session, what the bot
//! registered and sent, the interactions in flight and every violation seen.
//!
//! One `std::sync::Mutex` guards it: every access is short and none is held across an
//! await, so a blocking lock is simpler than tokio's. A `watch` channel counts changes
//! and wakes the tests waiting for something to happen.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

use super::objects::{self, EPHEMERAL, EVERYONE_PERMISSIONS, SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS};
use super::{FakeUser, Scope, SeenMessage, Setup};

/// Gateway intents the fake honours when delivering messages.
pub const GUILD_MESSAGES: u64 = 1 << 9;
pub const DIRECT_MESSAGES: u64 = 1 << 12;
pub const MESSAGE_CONTENT: u64 = 1 << 15;

/// How long the bot has to acknowledge an interaction.
pub const ACKNOWLEDGE_WITHIN: Duration = Duration::from_secs(3);
/// The heartbeat interval Discord asks for.
pub const DISCORD_HEARTBEAT_INTERVAL: Duration = Duration::from_millis(41_250);
/// How long an interaction token (follow-ups, edits) stays valid.
pub const TOKEN_VALID_FOR: Duration = Duration::from_secs(15 * 60);
/// How long a message's nonce is remembered for `enforce_nonce` ("the past few
/// minutes", Discord says; the fake keeps the shorter end of that).
pub const NONCE_REMEMBERED_FOR: Duration = Duration::from_secs(2 * 60);

pub struct Shared {
    world: Mutex<World>,
    changes: watch::Sender<u64>,
}

impl Shared {
    pub fn new(world: World) -> Shared {
        Shared {
            world: Mutex::new(world),
            changes: watch::Sender::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `change` on the world, then wakes every waiter.
    pub fn update<R>(&self, change: impl FnOnce(&mut World) -> R) -> R {
        let result = change(&mut self.lock());
        self.changes.send_modify(|n| *n += 1);
        result
    }

    pub fn read<R>(&self, look: impl FnOnce(&World) -> R) -> R {
        look(&self.lock())
    }

    /// Waits until `check` finds something, for at most `timeout`; on timeout the error
    /// says what was awaited and, from `state`, what there is instead.
    pub async fn wait_for<R>(
        &self,
        timeout: Duration,
        what: &str,
        mut check: impl FnMut(&World) -> Result<R, String>,
    ) -> anyhow::Result<R> {
        let mut changes = self.changes.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let last = match self.read(&mut check) {
                Ok(found) => return Ok(found),
                Err(state) => state,
            };
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                anyhow::bail!("timed out after {timeout:?} waiting for {what}: {last}");
            }
        }
    }
}

pub struct World {
    pub setup: Setup,
    /// `ws://127.0.0.1:PORT/gw`.
    pub gateway_url: String,
    next_id: u64,
    /// How far the fake's clock is ahead of the real one (see `FakeDiscord::advance`).
    pub clock_offset: Duration,
    pub violations: Vec<String>,
    pub gateway: Gateway,
    pub commands: Registered,
    /// Every message: the users', the bot's, the interaction responses.
    pub messages: BTreeMap<u64, StoredMessage>,
    /// The messages the bot posted with `POST /channels/{c}/messages`, in order.
    pub channel_posts: Vec<u64>,
    /// user → their DM channel with the bot.
    pub dm_channels: BTreeMap<u64, u64>,
    /// The DM channels the bot knows of: opened by it, or written to by the user.
    pub dm_known: BTreeSet<u64>,
    pub typing: BTreeMap<u64, usize>,
    /// (message, emoji) the bot reacted with.
    pub reactions: Vec<(u64, String)>,
    pub interactions: BTreeMap<u64, InteractionRecord>,
    /// The nonces of the messages created, newest last.
    pub nonces: Vec<SentNonce>,
    /// The rate limits tests set (see `FakeDiscord::rate_limit_next`).
    pub rate_limits: Vec<RateLimit>,
    /// Every REST request, in order, as answered.
    pub attempts: Vec<Attempt>,
    /// The guild owner: nobody in the setup, so that no test user bypasses permissions.
    pub owner_id: u64,
    /// The files the bot attached to its requests, in order.
    pub uploads: Vec<Upload>,
}

/// A file attached to a multipart request (`files[N]`).
#[derive(Clone, Debug)]
pub struct Upload {
    /// `METHOD PATH` of the request.
    pub request: String,
    /// The part's name (`files[0]`).
    pub field: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A rate limit on the routes under a prefix: the next `left` requests hit it.
pub struct RateLimit {
    /// The path under `/api/v10/`, e.g. `channels/4000/messages`.
    pub prefix: String,
    pub left: usize,
    pub retry_after: Duration,
    /// Until when the routes stay limited after the last 429 (on the fake's clock).
    pub until: Option<Instant>,
}

/// One REST request and the status it was answered with.
#[derive(Clone, Debug)]
pub struct Attempt {
    /// On the fake's clock.
    pub at: Instant,
    pub method: String,
    pub path: String,
    pub status: u16,
}

/// A message created with a nonce.
pub struct SentNonce {
    pub channel: u64,
    pub author: u64,
    /// As sent: a string, or an integer's digits.
    pub nonce: String,
    pub message: u64,
    /// On the fake's clock.
    pub at: Instant,
}

pub struct Gateway {
    /// What HELLO asks for.
    pub heartbeat_interval: Duration,
    /// The connection dispatches go to.
    pub connection: Option<Connection>,
    pub connections_opened: u64,
    pub session_id: Option<String>,
    pub sessions: u64,
    /// The last sequence number sent in this session.
    pub seq: u64,
    /// The dispatches of this session, for replaying on RESUME.
    pub sent: Vec<(u64, String)>,
    /// `Bot <token>`, from IDENTIFY.
    pub token: Option<String>,
    pub intents: u64,
    /// READY and GUILD_CREATE sent.
    pub ready: bool,
    pub resumes: usize,
    pub heartbeats: usize,
    /// How the bot ended each connection it ended, in order.
    pub closes: Vec<GatewayClose>,
}

/// How the bot ended a gateway connection: with a close frame (its code and reason),
/// or by dropping it without one (`code` is `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayClose {
    pub code: Option<u16>,
    pub reason: String,
}

impl Default for Gateway {
    fn default() -> Gateway {
        Gateway {
            heartbeat_interval: DISCORD_HEARTBEAT_INTERVAL,
            connection: None,
            connections_opened: 0,
            session_id: None,
            sessions: 0,
            seq: 0,
            sent: Vec::new(),
            token: None,
            intents: 0,
            ready: false,
            resumes: 0,
            heartbeats: 0,
            closes: Vec::new(),
        }
    }
}

pub struct Connection {
    pub id: u64,
    pub frames: mpsc::UnboundedSender<Outgoing>,
}

pub enum Outgoing {
    Text(String),
    Close(u16, &'static str),
}

#[derive(Default)]
pub struct Registered {
    pub guild: Option<Vec<Value>>,
    pub global: Option<Vec<Value>>,
    pub last: Option<Scope>,
}

impl Registered {
    pub fn set(&self, scope: Scope) -> Option<&Vec<Value>> {
        match scope {
            Scope::Guild(_) => self.guild.as_ref(),
            Scope::Global => self.global.as_ref(),
        }
    }
}

pub struct StoredMessage {
    /// The message as the API returns it.
    pub raw: Value,
    /// The `allowed_mentions` the request that created it, or the last that edited
    /// it, carried, if any.
    pub allowed_mentions: Option<Value>,
}

/// One interaction dispatched to the bot, and how it was answered.
pub struct InteractionRecord {
    pub id: u64,
    pub token: String,
    /// 2 application command, 3 message component, 4 autocomplete, 5 modal submit.
    pub kind: u64,
    pub channel_id: u64,
    pub user: u64,
    /// On the fake's clock.
    pub created: Instant,
    /// The type of the accepted callback.
    pub callback: Option<u64>,
    /// The message `@original` stands for: the response, or the message a component is on.
    pub original: Option<u64>,
    pub followups: Vec<u64>,
    /// The message the user sees as the response, once there is one.
    pub answer: Option<u64>,
    /// A deferred response (type 5) not yet edited or followed up.
    pub loading: bool,
    /// For a component interaction, the message clicked.
    pub source_message: Option<u64>,
    /// The choices of an autocomplete answer.
    pub choices: Option<Vec<Value>>,
    /// The modal a callback of type 9 showed the user.
    pub modal: Option<Value>,
    /// The message type of its responses: 20 slash command, 23 context menu, 0 otherwise.
    pub message_type: u64,
}

impl World {
    pub fn new(setup: Setup, gateway_url: String) -> World {
        let highest = [setup.bot_id, setup.application_id, setup.guild_id]
            .into_iter()
            .chain(setup.channels.iter().copied())
            .chain(setup.roles.iter().map(|(id, _)| *id))
            .chain(setup.users.iter().map(|u| u.id))
            .max()
            .unwrap_or(0);
        let mut world = World {
            setup,
            gateway_url,
            // Above every id of the setup, so that no generated id collides with one.
            next_id: highest.max(1 << 40) + 1,
            clock_offset: Duration::ZERO,
            violations: Vec::new(),
            gateway: Gateway::default(),
            commands: Registered::default(),
            messages: BTreeMap::new(),
            channel_posts: Vec::new(),
            dm_channels: BTreeMap::new(),
            dm_known: BTreeSet::new(),
            typing: BTreeMap::new(),
            reactions: Vec::new(),
            interactions: BTreeMap::new(),
            nonces: Vec::new(),
            rate_limits: Vec::new(),
            attempts: Vec::new(),
            owner_id: 0,
            uploads: Vec::new(),
        };
        world.owner_id = world.new_id();
        world
    }

    /// The fake's clock: real time plus what tests advanced it by.
    pub fn now(&self) -> Instant {
        Instant::now() + self.clock_offset
    }

    pub fn new_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn violation(&mut self, text: String) {
        self.violations.push(text);
    }

    pub fn interaction_mut(&mut self, id: u64) -> &mut InteractionRecord {
        self.interactions.get_mut(&id).expect("a known interaction")
    }

    pub fn user(&self, id: u64) -> Option<&FakeUser> {
        self.setup.users.iter().find(|u| u.id == id)
    }

    /// The bot or a user of the setup, as a user object.
    pub fn user_json(&self, id: u64) -> Option<Value> {
        if id == self.setup.bot_id {
            return Some(objects::user(id, "myorg-bot", true));
        }
        self.user(id).map(|u| objects::user(u.id, &u.name, false))
    }

    pub fn roles_of(&self, id: u64) -> Vec<u64> {
        self.user(id).map(|u| u.roles.clone()).unwrap_or_default()
    }

    /// The bot or a user as a guild member; `with_user` adds the user object.
    pub fn member_json(&self, id: u64, with_user: bool, with_permissions: bool) -> Option<Value> {
        let user = self.user_json(id)?;
        let permissions = with_permissions.then_some(EVERYONE_PERMISSIONS);
        Some(objects::member(
            with_user.then_some(user),
            &self.roles_of(id),
            permissions,
        ))
    }

    pub fn is_guild_channel(&self, channel: u64) -> bool {
        self.setup.channels.contains(&channel)
    }

    /// The user's DM channel with the bot, made on first use.
    pub fn dm_channel(&mut self, user: u64) -> u64 {
        if let Some(channel) = self.dm_channels.get(&user) {
            return *channel;
        }
        let channel = self.new_id();
        self.dm_channels.insert(user, channel);
        channel
    }

    /// The user a DM channel is with.
    pub fn dm_recipient(&self, channel: u64) -> Option<u64> {
        self.dm_channels
            .iter()
            .find(|(_, c)| **c == channel)
            .map(|(user, _)| *user)
    }

    /// A channel the bot may use: a guild channel, or a DM channel it knows of.
    pub fn channel_json(&self, channel: u64) -> Option<Value> {
        if let Some(position) = self.setup.channels.iter().position(|c| *c == channel) {
            return Some(objects::guild_channel(channel, self.setup.guild_id, position));
        }
        let user = self.dm_recipient(channel)?;
        self.dm_known
            .contains(&channel)
            .then(|| objects::private_channel(channel, self.user_json(user).expect("a known user")))
    }

    /// `@everyone` (whose id is the guild's) or a role of the setup.
    pub fn role_json(&self, id: u64) -> Option<Value> {
        if id == self.setup.guild_id {
            return Some(objects::role(id, "@everyone", 0, EVERYONE_PERMISSIONS));
        }
        let position = self.setup.roles.iter().position(|(role, _)| *role == id)?;
        let name = &self.setup.roles[position].1;
        Some(objects::role(id, name, position as u64 + 1, 0))
    }

    /// The whole guild, as GUILD_CREATE sends it.
    pub fn guild_json(&self) -> Value {
        let setup = &self.setup;
        let roles: Vec<Value> = std::iter::once(setup.guild_id)
            .chain(setup.roles.iter().map(|(id, _)| *id))
            .filter_map(|id| self.role_json(id))
            .collect();
        let members: Vec<Value> = std::iter::once(setup.bot_id)
            .chain(setup.users.iter().map(|u| u.id))
            .filter_map(|id| self.member_json(id, true, false))
            .collect();
        let channels: Vec<Value> = setup
            .channels
            .iter()
            .enumerate()
            .map(|(position, id)| objects::guild_channel(*id, setup.guild_id, position))
            .collect();
        json!({
            "id": setup.guild_id.to_string(),
            "name": "MyOrg (fake)",
            "icon": null,
            "splash": null,
            "discovery_splash": null,
            "owner_id": self.owner_id.to_string(),
            "afk_channel_id": null,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": roles,
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": null,
            "system_channel_id": null,
            "system_channel_flags": 0,
            "rules_channel_id": null,
            "vanity_url_code": null,
            "description": null,
            "banner": null,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": null,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": false,
            "stickers": [],
            "joined_at": "2026-01-05T09:00:00.000Z",
            "large": false,
            "unavailable": false,
            "member_count": members.len(),
            "voice_states": [],
            "members": members,
            "channels": channels,
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        })
    }

    /// The users and roles `content` mentions (`<@id>`, `<@!id>`, `<@&id>`), among
    /// those the fake knows.
    pub fn mentions(&self, content: &str) -> (Vec<Value>, Vec<String>) {
        let mut users = Vec::new();
        let mut roles = Vec::new();
        for piece in content.split("<@").skip(1) {
            let Some((inside, _)) = piece.split_once('>') else {
                continue;
            };
            if let Some(role) = inside.strip_prefix('&') {
                if let Ok(id) = role.parse::<u64>()
                    && self.setup.roles.iter().any(|(r, _)| *r == id)
                    && !roles.contains(&id.to_string())
                {
                    roles.push(id.to_string());
                }
            } else if let Ok(id) = inside.trim_start_matches('!').parse::<u64>()
                && let Some(user) = self.user_json(id)
                && !users.contains(&user)
            {
                users.push(user);
            }
        }
        (users, roles)
    }

    /// A new message by `author` in `channel` from a message body (content, embeds,
    /// components, flags, message_reference).
    pub fn compose_message(&self, id: u64, channel: u64, author: u64, body: &Value) -> Value {
        let mut message = json!({
            "id": id.to_string(),
            "channel_id": channel.to_string(),
            "author": self.user_json(author).expect("a known author"),
            "content": "",
            "timestamp": objects::timestamp(),
            "edited_timestamp": null,
            "tts": false,
            "mention_everyone": false,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": false,
            "type": 0,
            "flags": 0,
        });
        if self.is_guild_channel(channel) {
            message["guild_id"] = json!(self.setup.guild_id.to_string());
        }
        apply_body(&mut message, body);
        if let Some(nonce) = body.get("nonce").filter(|n| !n.is_null()) {
            message["nonce"] = nonce.clone();
        }
        let flags = body.get("flags").and_then(Value::as_u64).unwrap_or(0);
        message["flags"] = json!(flags & (EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS));
        if let Some(reference) = body.get("message_reference").filter(|r| !r.is_null()) {
            message["message_reference"] = reference.clone();
            message["type"] = json!(19);
        }
        if author != self.setup.bot_id {
            let content = message["content"].as_str().unwrap_or("");
            message["mention_everyone"] = json!(content.contains("@everyone") || content.contains("@here"));
        }
        let (users, roles) = self.mentions(message["content"].as_str().unwrap_or(""));
        message["mentions"] = json!(users);
        message["mention_roles"] = json!(roles);
        message
    }

    /// The message `author` created in `channel` with `nonce` in the last
    /// [`NONCE_REMEMBERED_FOR`], as it is now, if it is still there.
    pub fn created_with_nonce(&self, channel: u64, author: u64, nonce: &str) -> Option<Value> {
        let now = self.now();
        self.nonces
            .iter()
            .rev()
            .take_while(|sent| now.saturating_duration_since(sent.at) < NONCE_REMEMBERED_FOR)
            .find(|sent| sent.channel == channel && sent.author == author && sent.nonce == nonce)
            .and_then(|sent| self.messages.get(&sent.message))
            .map(|stored| stored.raw.clone())
    }

    pub fn store(&mut self, raw: Value, allowed_mentions: Option<Value>) -> u64 {
        let id = id_of(&raw);
        self.messages.insert(
            id,
            StoredMessage {
                raw,
                allowed_mentions,
            },
        );
        id
    }

    pub fn seen(&self, id: u64) -> Option<SeenMessage> {
        self.messages.get(&id).map(SeenMessage::from_stored)
    }

    /// Applies an edit to a stored message (the caller has checked it): the fields
    /// given replace the old ones, a deferred response stops "thinking". Wakes a
    /// component interaction answered with type 6 that waits for this edit, and tells
    /// the bot with MESSAGE_UPDATE.
    pub fn edit(&mut self, id: u64, body: &Value) -> Value {
        let stored = &self.messages[&id];
        let mut raw = stored.raw.clone();
        apply_body(&mut raw, body);
        let old_flags = raw["flags"].as_u64().unwrap_or(0);
        let new_flags = body.get("flags").and_then(Value::as_u64).unwrap_or(old_flags);
        raw["flags"] = json!((old_flags & EPHEMERAL) | (new_flags & SUPPRESS_EMBEDS));
        raw["edited_timestamp"] = json!(objects::timestamp());
        let (users, roles) = self.mentions(raw["content"].as_str().unwrap_or(""));
        raw["mentions"] = json!(users);
        raw["mention_roles"] = json!(roles);
        // Each request's own: an edit without them pings whom its content names.
        let allowed_mentions = body.get("allowed_mentions").cloned();
        self.messages.insert(
            id,
            StoredMessage {
                raw: raw.clone(),
                allowed_mentions,
            },
        );
        for interaction in self.interactions.values_mut() {
            let waits = interaction.callback == Some(6) && interaction.answer.is_none();
            if waits && interaction.source_message == Some(id) {
                interaction.answer = Some(id);
            }
        }
        if !is_ephemeral(&raw) {
            self.dispatch("MESSAGE_UPDATE", raw.clone());
        }
        raw
    }

    /// Removes a message and tells the bot.
    pub fn delete(&mut self, id: u64) {
        let Some(stored) = self.messages.remove(&id) else {
            return;
        };
        self.channel_posts.retain(|m| *m != id);
        for interaction in self.interactions.values_mut() {
            interaction.followups.retain(|m| *m != id);
            if interaction.original == Some(id) {
                interaction.original = None;
            }
        }
        if !is_ephemeral(&stored.raw) {
            let mut deleted = json!({"id": stored.raw["id"], "channel_id": stored.raw["channel_id"]});
            if let Some(guild) = stored.raw.get("guild_id") {
                deleted["guild_id"] = guild.clone();
            }
            self.dispatch("MESSAGE_DELETE", deleted);
        }
    }

    /// Sends a dispatch (op 0) with the next sequence number to the bot, after checking
    /// serenity reads it. Without a connection it is kept for a RESUME to replay.
    pub fn dispatch(&mut self, event: &str, data: Value) {
        self.gateway.seq += 1;
        let seq = self.gateway.seq;
        let frame = json!({"op": 0, "t": event, "s": seq, "d": data});
        objects::check_frame(&frame);
        let text = frame.to_string();
        self.gateway.sent.push((seq, text.clone()));
        if let Some(connection) = &self.gateway.connection {
            let _ = connection.frames.send(Outgoing::Text(text));
        }
    }

    /// MESSAGE_CREATE for a message, as the bot's intents let it see it: not at all
    /// without GUILD_MESSAGES / DIRECT_MESSAGES, and without its content, embeds,
    /// attachments and components without MESSAGE_CONTENT (unless it is a DM, mentions
    /// the bot or is the bot's own).
    pub fn deliver(&mut self, message: &Value) {
        let intents = self.gateway.intents;
        let in_guild = message.get("guild_id").is_some();
        let needed = if in_guild { GUILD_MESSAGES } else { DIRECT_MESSAGES };
        if intents & needed == 0 {
            return;
        }
        let mut message = message.clone();
        let bot = self.setup.bot_id.to_string();
        let own = message["author"]["id"] == json!(bot);
        let mentioned = message["mentions"]
            .as_array()
            .is_some_and(|m| m.iter().any(|u| u["id"] == json!(bot)));
        if in_guild && !own && !mentioned && intents & MESSAGE_CONTENT == 0 {
            message["content"] = json!("");
            for key in ["embeds", "attachments", "components"] {
                message[key] = json!([]);
            }
        }
        self.dispatch("MESSAGE_CREATE", message);
    }
}

/// Copies the fields of a create or edit body onto a message.
fn apply_body(message: &mut Value, body: &Value) {
    for key in ["content", "embeds", "components", "attachments"] {
        if let Some(value) = body.get(key) {
            message[key] = if value.is_null() {
                default_of(key)
            } else {
                value.clone()
            };
        }
    }
    if let Some(embeds) = message["embeds"].as_array_mut() {
        for embed in embeds {
            if embed.get("type").is_none() {
                embed["type"] = json!("rich");
            }
        }
    }
}

fn default_of(key: &str) -> Value {
    if key == "content" { json!("") } else { json!([]) }
}

pub fn id_of(raw: &Value) -> u64 {
    raw["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a message id")
}

pub fn is_ephemeral(raw: &Value) -> bool {
    raw["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0
}
