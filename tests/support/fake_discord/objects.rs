//! Discord objects as JSON, in the shape the API sends them (ids as strings), and the
//! check that serenity can read each payload the fake sends. A payload serenity cannot
//! read is a bug in the fake, not in the bot, so the check panics with the serde error.

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use serenity::model::event::{
    Event, GatewayEvent, GuildCreateEvent, InteractionCreateEvent, MessageCreateEvent, MessageDeleteEvent,
    MessageUpdateEvent, ReadyEvent, ResumedEvent,
};

/// What `@everyone` may do in the fake guild, and so every member and the bot:
/// view channels, send messages, embed links, attach files, read history, add
/// reactions, use application commands.
pub const EVERYONE_PERMISSIONS: u64 =
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 6) | (1 << 31);

/// Message flag: only the invoking user sees the message.
pub const EPHEMERAL: u64 = 1 << 6;
/// Message flag: a deferred interaction response still "thinking".
pub const LOADING: u64 = 1 << 7;
/// Message flag: no link previews.
pub const SUPPRESS_EMBEDS: u64 = 1 << 2;
/// Message flag: no push notification.
pub const SUPPRESS_NOTIFICATIONS: u64 = 1 << 12;

/// The current time as Discord writes timestamps.
pub fn timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": if bot { Value::Null } else { json!(name) },
        "avatar": null,
        "bot": bot,
        "public_flags": 0,
    })
}

/// A guild member; `user` is left out where Discord leaves it out (a message's
/// `member`, an interaction's `resolved.members`).
pub fn member(user: Option<Value>, roles: &[u64], permissions: Option<u64>) -> Value {
    let mut member = json!({
        "nick": null,
        "avatar": null,
        "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": "2026-01-05T09:00:00.000Z",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    });
    if let Some(user) = user {
        member["user"] = user;
    }
    if let Some(permissions) = permissions {
        member["permissions"] = json!(permissions.to_string());
    }
    member
}

/// A role, with the `colors` object newer API versions send.
pub fn role(id: u64, name: &str, position: u64, permissions: u64) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": permissions.to_string(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    })
}

/// A text channel of the guild.
pub fn guild_channel(id: u64, guild_id: u64, position: usize) -> Value {
    json!({
        "id": id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": format!("channel-{id}"),
        "position": position,
        "permission_overwrites": [],
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "parent_id": null,
    })
}

/// A DM channel between the bot and `recipient`.
pub fn private_channel(id: u64, recipient: Value) -> Value {
    json!({
        "id": id.to_string(),
        "type": 1,
        "last_message_id": null,
        "recipients": [recipient],
    })
}

/// The application as `GET /oauth2/applications/@me` describes it.
pub fn application(application_id: u64, bot: Value) -> Value {
    json!({
        "id": application_id.to_string(),
        "name": "MyOrg Assistant (fake)",
        "icon": null,
        "description": "",
        "bot_public": false,
        "bot_require_code_grant": false,
        "owner": bot,
        "verify_key": "0".repeat(64),
        "team": null,
        "flags": 0,
        "role_connections_verification_url": null,
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "guild": null,
        "redirect_uris": [],
        "interactions_endpoint_url": null,
    })
}

/// `value`, after checking that serenity reads it as a `T`.
pub fn checked<T: DeserializeOwned>(what: &str, value: Value) -> Value {
    if let Err(error) = serde_json::from_value::<T>(value.clone()) {
        panic!("the fake Discord built a {what} serenity cannot read: {error}\n{value:#}");
    }
    value
}

/// Checks a gateway frame the way serenity's shard reads it. A dispatch serenity
/// cannot parse would silently become `Event::Unknown` and be dropped, so that is
/// refused too, with the serde error of the event's own type.
pub fn check_frame(frame: &Value) {
    let event = match serde_json::from_value::<GatewayEvent>(frame.clone()) {
        Ok(event) => event,
        Err(error) => {
            panic!("the fake Discord built a gateway frame serenity cannot read: {error}\n{frame:#}")
        }
    };
    if let GatewayEvent::Dispatch(_, Event::Unknown(unknown)) = event {
        let data = frame["d"].clone();
        let error = match unknown.kind.as_str() {
            "READY" => serde_json::from_value::<ReadyEvent>(data).err(),
            "RESUMED" => serde_json::from_value::<ResumedEvent>(data).err(),
            "GUILD_CREATE" => serde_json::from_value::<GuildCreateEvent>(data).err(),
            "MESSAGE_CREATE" => serde_json::from_value::<MessageCreateEvent>(data).err(),
            "MESSAGE_UPDATE" => serde_json::from_value::<MessageUpdateEvent>(data).err(),
            "MESSAGE_DELETE" => serde_json::from_value::<MessageDeleteEvent>(data).err(),
            "INTERACTION_CREATE" => serde_json::from_value::<InteractionCreateEvent>(data).err(),
            _ => None,
        };
        panic!(
            "serenity reads the fake Discord's {} dispatch as an unknown event: {}\n{frame:#}",
            unknown.kind,
            error.map_or_else(|| "no serde error".to_string(), |e| e.to_string()),
        );
    }
}
