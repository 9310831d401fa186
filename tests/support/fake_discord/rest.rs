//! The REST API under `/api/v10`: the routes a serenity/poise bot calls (gateway
//! discovery, the current user and application, command registration, channel
//! messages (a repeated nonce with `enforce_nonce` answered with the earlier message),
//! typing, reactions, DMs, guild lookups). Interaction callbacks and webhook
//! routes are in `webhooks.rs`. Any other route is answered 404 and recorded as
//! `unhandled METHOD PATH`. Before any route, the rate limits a test set: a request
//! that hits one is answered 429 as Discord answers it. Every request is kept with its
//! time and status.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use serenity::model::prelude as model;
use sha1::{Digest, Sha1};

use super::limits::{self, Problems};
use super::objects::{self, checked};
use super::state::{Attempt, SentNonce, Shared, Upload, World};
use super::{Scope, webhooks};

/// A request, read.
pub struct Call {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    /// The JSON body (null when empty); for a multipart body, its `payload_json` with
    /// the files as `attachments`.
    pub body: Value,
    /// A body was sent that is not JSON.
    pub malformed: bool,
    /// The files of a multipart body: (part name, file name, bytes).
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl Call {
    /// `METHOD PATH`, as violations name the request.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

pub async fn answer(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header("content-type").unwrap_or_default();
    let mut files = Vec::new();
    let body = if bytes.is_empty() {
        Some(Value::Null)
    } else if content_type.starts_with("multipart/form-data") {
        multipart(&content_type, &bytes, &mut files)
    } else {
        serde_json::from_slice(&bytes).ok()
    };
    let call = Call {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        authorization: header("authorization"),
        malformed: body.is_none(),
        body: body.unwrap_or(Value::Null),
        files,
    };
    shared.update(|world| {
        for (field, filename, bytes) in &call.files {
            world.uploads.push(Upload {
                request: call.line(),
                field: field.clone(),
                filename: filename.clone(),
                bytes: bytes.clone(),
            });
        }
        let response = rate_limited(world, &call).unwrap_or_else(|| route(world, &call));
        let attempt = Attempt {
            at: world.now(),
            method: call.method.clone(),
            path: call.path.clone(),
            status: response.status().as_u16(),
        };
        world.attempts.push(attempt);
        response
    })
}

/// A 429 for a request that hits a rate limit a test set: the next ones counted, and
/// any sent before the `retry_after` of the last 429 has passed (recorded: a client
/// must wait that long).
fn rate_limited(world: &mut World, call: &Call) -> Option<Response> {
    let path = call.path.strip_prefix("/api/v10/")?;
    let now = world.now();
    let limit = world
        .rate_limits
        .iter_mut()
        .find(|limit| path.starts_with(&limit.prefix))?;
    if let Some(until) = limit.until.filter(|until| now < *until) {
        let early = until - now;
        let prefix = limit.prefix.clone();
        world.violation(format!(
            "{}: sent {:.3} s before the retry_after of the 429 on {prefix} had passed",
            call.line(),
            early.as_secs_f64()
        ));
        return Some(too_many_requests(&prefix, early));
    }
    if limit.left == 0 {
        return None;
    }
    limit.left -= 1;
    limit.until = Some(now + limit.retry_after);
    Some(too_many_requests(&limit.prefix, limit.retry_after))
}

/// Discord's answer over a rate limit: 429, the wait in the body (`retry_after`,
/// seconds with a fraction) and in the headers (`Retry-After` in whole seconds,
/// rounded up; the bucket's `X-RateLimit-*`).
fn too_many_requests(prefix: &str, retry_after: Duration) -> Response {
    let seconds = retry_after.as_secs_f64();
    let mut response = json(
        429,
        json!({"message": "You are being rate limited.", "retry_after": seconds, "global": false}),
    );
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        + retry_after;
    let bucket: String = Sha1::digest(prefix.as_bytes())
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let headers = [
        ("retry-after", format!("{}", seconds.ceil() as u64)),
        ("x-ratelimit-limit", "5".to_string()),
        ("x-ratelimit-remaining", "0".to_string()),
        ("x-ratelimit-reset", format!("{:.3}", reset.as_secs_f64())),
        ("x-ratelimit-reset-after", format!("{seconds:.3}")),
        ("x-ratelimit-bucket", bucket),
        ("x-ratelimit-scope", "user".to_string()),
    ];
    for (name, value) in headers {
        response
            .headers_mut()
            .insert(name, value.parse().expect("a header value"));
    }
    response
}

fn route(world: &mut World, call: &Call) -> Response {
    let Some(rest) = call.path.strip_prefix("/api/v10/") else {
        return unhandled(world, call);
    };
    let segments: Vec<&str> = rest.split('/').collect();
    // Interaction callbacks and webhooks are authorised by their token, gateway
    // discovery by nothing, the rest by the bot's token.
    let open = matches!(segments[0], "interactions" | "webhooks") || segments == ["gateway"];
    if !open && let Some(refusal) = authenticate(world, call) {
        return refusal;
    }
    if call.malformed {
        return refuse(world, call, 400, 50109, "The request body contains invalid JSON.");
    }
    let setup = &world.setup;
    match (call.method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => json(200, json!({"url": world.gateway_url})),
        ("GET", ["gateway", "bot"]) => json(
            200,
            json!({
                "url": world.gateway_url,
                "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            }),
        ),
        ("GET", ["oauth2", "applications", "@me"]) => {
            let bot = world.user_json(setup.bot_id).expect("the bot");
            let application = objects::application(setup.application_id, bot);
            json(
                200,
                checked::<model::CurrentApplicationInfo>("application", application),
            )
        }
        ("GET", ["users", "@me"]) => {
            let mut bot = world.user_json(setup.bot_id).expect("the bot");
            bot["verified"] = json!(true);
            bot["mfa_enabled"] = json!(false);
            json(200, checked::<model::CurrentUser>("current user", bot))
        }
        ("GET", ["users", user]) => match id(user).and_then(|u| world.user_json(u)) {
            Some(user) => json(200, checked::<model::User>("user", user)),
            None => refuse(world, call, 404, 10013, "Unknown User"),
        },
        ("POST", ["users", "@me", "channels"]) => open_dm(world, call),
        ("GET", ["channels", channel]) => match id(channel).and_then(|c| world.channel_json(c)) {
            Some(channel) => json(200, checked::<model::Channel>("channel", channel)),
            None => refuse(world, call, 404, 10003, "Unknown Channel"),
        },
        ("POST", ["channels", channel, "messages"]) => post_message(world, call, channel),
        (_, ["channels", channel, "messages", message]) => channel_message(world, call, channel, message),
        ("POST", ["channels", channel, "typing"]) => {
            match id(channel).filter(|c| world.channel_json(*c).is_some()) {
                Some(channel) => {
                    *world.typing.entry(channel).or_default() += 1;
                    no_content()
                }
                None => refuse(world, call, 404, 10003, "Unknown Channel"),
            }
        }
        ("PUT", ["channels", c, "messages", m, "reactions", emoji, "@me"]) => react(world, call, c, m, emoji),
        ("GET", ["guilds", guild]) if id(guild) == Some(setup.guild_id) => {
            json(200, checked::<model::PartialGuild>("guild", world.guild_json()))
        }
        ("GET", ["guilds", guild, "members", user]) if id(guild) == Some(setup.guild_id) => {
            match id(user).and_then(|u| world.member_json(u, true, false)) {
                Some(member) => json(200, checked::<model::Member>("member", member)),
                None => refuse(world, call, 404, 10007, "Unknown Member"),
            }
        }
        ("GET", ["guilds", guild, "roles"]) if id(guild) == Some(setup.guild_id) => json(
            200,
            checked::<Vec<model::Role>>("roles", world.guild_json()["roles"].clone()),
        ),
        ("GET", ["guilds", guild, "channels"]) if id(guild) == Some(setup.guild_id) => json(
            200,
            checked::<Vec<model::GuildChannel>>("channels", world.guild_json()["channels"].clone()),
        ),
        (_, ["applications", app, "commands"]) => commands(world, call, app, None),
        (_, ["applications", app, "guilds", guild, "commands"]) => commands(world, call, app, Some(guild)),
        ("POST", ["interactions", interaction, token, "callback"]) => {
            webhooks::callback(world, call, interaction, token)
        }
        ("POST", ["webhooks", app, token]) => webhooks::follow_up(world, call, app, token),
        (_, ["webhooks", app, token, "messages", message]) => {
            webhooks::message(world, call, app, token, message)
        }
        _ => unhandled(world, call),
    }
}

pub fn id(text: &str) -> Option<u64> {
    text.parse().ok()
}

pub fn json(status: u16, body: Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = StatusCode::from_u16(status).expect("a valid status");
    response.headers_mut().insert(
        "content-type",
        "application/json".parse().expect("a header value"),
    );
    response
}

pub fn no_content() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// Refuses a call as Discord does (`{"code", "message"}`) and records the violation.
pub fn refuse(world: &mut World, call: &Call, status: u16, code: u64, message: &str) -> Response {
    world.violation(format!("{}: {code} {message}", call.line()));
    json(status, json!({"code": code, "message": message}))
}

/// Like [`refuse`], with the reason Discord does not give added to the violation.
pub fn refuse_because(
    world: &mut World,
    call: &Call,
    status: u16,
    code: u64,
    message: &str,
    because: &str,
) -> Response {
    world.violation(format!("{}: {code} {message} ({because})", call.line()));
    json(status, json!({"code": code, "message": message}))
}

/// Refuses a body that breaks Discord's limits: 400, code 50035, the `errors` map.
pub fn invalid_body(world: &mut World, call: &Call, problems: &Problems) -> Response {
    for line in problems.lines() {
        world.violation(format!("{}: {line}", call.line()));
    }
    json(
        400,
        json!({"code": 50035, "message": "Invalid Form Body", "errors": problems.errors()}),
    )
}

/// With [`super::Setup::no_pings`], records a message or edit the bot sends whose
/// `allowed_mentions` could ping someone other than the users its content names by
/// id, or that has none (Discord takes it).
pub fn check_no_pings(world: &mut World, call: &Call, body: &Value) {
    if !world.setup.no_pings {
        return;
    }
    let Some(allowed) = body.get("allowed_mentions").filter(|a| !a.is_null()) else {
        let why = "no allowed_mentions: every mention in it pings";
        return world.violation(format!("{}: {why}", call.line()));
    };
    let listed = |key: &str| {
        allowed
            .get(key)
            .and_then(Value::as_array)
            .filter(|list| !list.is_empty())
            .map(|list| Value::Array(list.clone()))
    };
    for key in ["parse", "users", "roles"] {
        let Some(list) = listed(key) else { continue };
        // A user the message names by id (`<@ID>` in its content) may be pinged on
        // purpose: the one person a team message is about. No one else, never a role
        // or everyone.
        let content = body["content"].as_str().unwrap_or_default();
        let named = key == "users"
            && list.as_array().is_some_and(|users| {
                users.iter().all(|user| {
                    user.as_str()
                        .is_some_and(|id| content.contains(&format!("<@{id}>")))
                })
            });
        if !named {
            world.violation(format!("{}: allowed_mentions.{key} {list} may ping", call.line()));
        }
    }
    if allowed["replied_user"] == json!(true) {
        let why = "allowed_mentions.replied_user true pings the author replied to";
        world.violation(format!("{}: {why}", call.line()));
    }
}

/// Refuses a message with nothing to show.
pub fn empty_message(world: &mut World, call: &Call) -> Response {
    refuse(world, call, 400, 50006, "Cannot send an empty message")
}

pub fn unhandled(world: &mut World, call: &Call) -> Response {
    world.violation(format!("unhandled {}", call.line()));
    json(404, json!({"code": 0, "message": "404: Not Found"}))
}

/// The bot's token after `Bot `.
fn authenticate(world: &mut World, call: &Call) -> Option<Response> {
    let given = call.authorization.as_deref().unwrap_or("");
    let expected = &world.setup.token;
    let valid = !expected.is_empty() && given.strip_prefix("Bot ") == Some(expected.as_str());
    (!valid).then(|| refuse(world, call, 401, 0, "401: Unauthorized"))
}

fn open_dm(world: &mut World, call: &Call) -> Response {
    let recipient = call.body["recipient_id"]
        .as_u64()
        .or_else(|| call.body["recipient_id"].as_str().and_then(id))
        .filter(|user| world.user(*user).is_some());
    let Some(user) = recipient else {
        return refuse(world, call, 400, 50033, "Invalid Recipients");
    };
    let channel = world.dm_channel(user);
    world.dm_known.insert(channel);
    let channel = world.channel_json(channel).expect("a known DM channel");
    json(200, checked::<model::PrivateChannel>("private channel", channel))
}

/// Checks a message body the bot creates: limits, then emptiness. Returns the
/// refusal, if refused.
fn check_new_message(world: &mut World, call: &Call) -> Option<Response> {
    let mut problems = Problems::default();
    limits::message(&mut problems, &call.body);
    limits::nonce(&mut problems, &call.body);
    if let Some(reference) = call.body.get("message_reference").filter(|r| !r.is_null()) {
        let target = reference["message_id"]
            .as_str()
            .and_then(id)
            .or(reference["message_id"].as_u64());
        let exists = target.is_some_and(|m| world.messages.contains_key(&m));
        if !exists && reference["fail_if_not_exists"] != json!(false) {
            problems.0.push(limits::Problem {
                path: "message_reference".into(),
                code: "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                message: "Unknown message".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Some(invalid_body(world, call, &problems));
    }
    limits::is_empty_message(&call.body).then(|| empty_message(world, call))
}

fn post_message(world: &mut World, call: &Call, channel: &str) -> Response {
    let Some(channel) = id(channel).filter(|c| world.channel_json(*c).is_some()) else {
        return refuse(world, call, 404, 10003, "Unknown Channel");
    };
    if let Some(refusal) = check_new_message(world, call) {
        return refusal;
    }
    check_no_pings(world, call, &call.body);
    let bot = world.setup.bot_id;
    let nonce = match &call.body["nonce"] {
        Value::String(nonce) => Some(nonce.clone()),
        Value::Number(nonce) => Some(nonce.to_string()),
        _ => None,
    };
    // A repeat within minutes of a message with the same nonce: Discord answers with
    // the earlier message and creates none.
    if call.body["enforce_nonce"] == json!(true)
        && let Some(earlier) = nonce
            .as_deref()
            .and_then(|nonce| world.created_with_nonce(channel, bot, nonce))
    {
        return json(200, checked::<model::Message>("message", earlier));
    }
    let id = world.new_id();
    if let Some(nonce) = nonce {
        let at = world.now();
        world.nonces.push(SentNonce {
            channel,
            author: bot,
            nonce,
            message: id,
            at,
        });
    }
    let mut body = call.body.clone();
    // A channel message cannot be ephemeral; Discord drops the flag.
    if let Some(flags) = body["flags"].as_u64() {
        body["flags"] = json!(flags & !objects::EPHEMERAL);
    }
    let message = world.compose_message(id, channel, world.setup.bot_id, &body);
    let message = checked::<model::Message>("message", message);
    world.store(message.clone(), call.body.get("allowed_mentions").cloned());
    world.channel_posts.push(id);
    world.deliver(&message);
    json(200, message)
}

fn channel_message(world: &mut World, call: &Call, channel: &str, message: &str) -> Response {
    let found = id(message)
        .and_then(|m| world.seen(m))
        .filter(|m| Some(m.channel_id) == id(channel) && !m.ephemeral);
    let Some(message) = found else {
        return refuse(world, call, 404, 10008, "Unknown Message");
    };
    let own = message.author_id == world.setup.bot_id;
    match call.method.as_str() {
        "GET" => json(200, message.raw),
        "PATCH" if !own => refuse(
            world,
            call,
            403,
            50005,
            "Cannot edit a message authored by another user",
        ),
        "PATCH" => match check_edit(world, call, &message.raw, &call.body) {
            Some(refusal) => refusal,
            None => {
                check_no_pings(world, call, &call.body);
                let edited = world.edit(message.id, &call.body);
                json(200, checked::<model::Message>("message", edited))
            }
        },
        // The bot has no MANAGE_MESSAGES in the fake guild.
        "DELETE" if !own && !is_dm(world, message.channel_id) => {
            refuse(world, call, 403, 50013, "Missing Permissions")
        }
        "DELETE" => {
            world.delete(message.id);
            no_content()
        }
        _ => unhandled(world, call),
    }
}

/// The bot adds a reaction to a message it can see.
fn react(world: &mut World, call: &Call, channel: &str, message: &str, emoji: &str) -> Response {
    let known = id(message)
        .and_then(|m| world.seen(m))
        .filter(|m| Some(m.channel_id) == id(channel) && !m.ephemeral);
    match known {
        Some(message) => {
            world.reactions.push((message.id, emoji.to_string()));
            no_content()
        }
        None => refuse(world, call, 404, 10008, "Unknown Message"),
    }
}

fn is_dm(world: &World, channel: u64) -> bool {
    world.dm_recipient(channel).is_some()
}

/// Checks an edit: the fields sent against the limits, then the message as it would
/// be after the edit for emptiness. Returns the refusal, if refused.
pub fn check_edit(world: &mut World, call: &Call, current: &Value, body: &Value) -> Option<Response> {
    let mut problems = Problems::default();
    limits::message(&mut problems, body);
    if !problems.is_empty() {
        return Some(invalid_body(world, call, &problems));
    }
    let mut merged = current.clone();
    for key in ["content", "embeds", "components", "attachments"] {
        if let Some(value) = body.get(key) {
            merged[key] = value.clone();
        }
    }
    limits::is_empty_message(&merged).then(|| empty_message(world, call))
}

/// `GET`, `PUT` (replace the set) and `POST` (add or replace one) of the global or
/// guild command set.
fn commands(world: &mut World, call: &Call, app: &str, guild: Option<&str>) -> Response {
    if id(app) != Some(world.setup.application_id) {
        return refuse(world, call, 404, 10002, "Unknown Application");
    }
    let scope = match guild.map(id) {
        None => Scope::Global,
        Some(Some(guild)) if guild == world.setup.guild_id => Scope::Guild(guild),
        Some(_) => return refuse(world, call, 404, 10004, "Unknown Guild"),
    };
    let current = world.commands.set(scope).cloned().unwrap_or_default();
    match call.method.as_str() {
        "GET" => json(200, Value::Array(current)),
        "PUT" => {
            let mut problems = Problems::default();
            limits::command_set(&mut problems, &call.body);
            if !problems.is_empty() {
                return invalid_body(world, call, &problems);
            }
            let body = call.body.as_array().cloned().unwrap_or_default();
            let registered: Vec<Value> = body
                .iter()
                .map(|command| registered(world, scope, &current, command))
                .collect();
            let registered = checked::<Vec<model::Command>>("command list", Value::Array(registered));
            store_commands(world, scope, registered.as_array().cloned().unwrap_or_default());
            json(200, registered)
        }
        "POST" => {
            let mut problems = Problems::default();
            limits::command(&mut problems, &call.body, "");
            if !problems.is_empty() {
                return invalid_body(world, call, &problems);
            }
            let command =
                checked::<model::Command>("command", registered(world, scope, &current, &call.body));
            let mut set = current;
            set.retain(|c| !(c["name"] == command["name"] && c["type"] == command["type"]));
            set.push(command.clone());
            store_commands(world, scope, set);
            json(201, command)
        }
        _ => unhandled(world, call),
    }
}

fn store_commands(world: &mut World, scope: Scope, set: Vec<Value>) {
    match scope {
        Scope::Guild(_) => world.commands.guild = Some(set),
        Scope::Global => world.commands.global = Some(set),
    }
    world.commands.last = Some(scope);
}

/// A command as Discord answers its registration: the definition plus `id` (kept
/// across re-registrations of the same name and type), `application_id`, `version`
/// and defaults.
fn registered(world: &mut World, scope: Scope, current: &[Value], command: &Value) -> Value {
    let mut command = command.clone();
    let kind = command["type"].as_u64().unwrap_or(1);
    command["type"] = json!(kind);
    let same = current
        .iter()
        .find(|c| c["name"] == command["name"] && c["type"] == json!(kind));
    let command_id = match same {
        Some(existing) => existing["id"].clone(),
        None => json!(world.new_id().to_string()),
    };
    command["id"] = command_id;
    command["application_id"] = json!(world.setup.application_id.to_string());
    command["version"] = json!(world.new_id().to_string());
    command["guild_id"] = match scope {
        Scope::Guild(guild) => json!(guild.to_string()),
        Scope::Global => Value::Null,
    };
    for (key, default) in [
        ("description", json!("")),
        ("options", json!([])),
        ("default_member_permissions", Value::Null),
        ("nsfw", json!(false)),
    ] {
        if command.get(key).is_none_or(Value::is_null) {
            command[key] = default;
        }
    }
    command
}

/// A `multipart/form-data` body: the `payload_json` part, with one attachment per
/// file part; the files' parts (name, file name, bytes) are added to `kept`.
fn multipart(content_type: &str, bytes: &[u8], kept: &mut Vec<(String, String, Vec<u8>)>) -> Option<Value> {
    let boundary = content_type.split("boundary=").nth(1)?.trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut payload = json!({});
    let mut files = Vec::new();
    for part in split(bytes, delimiter.as_bytes()).into_iter().skip(1) {
        let Some(end) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..end]);
        // The part's names are in its Content-Disposition header line.
        let head = head
            .lines()
            .find(|line| line.to_ascii_lowercase().starts_with("content-disposition"))
            .unwrap_or_default()
            .to_string();
        let content = part[end + 4..].strip_suffix(b"\r\n").unwrap_or(&part[end + 4..]);
        let field = |key: &str| {
            head.split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix(&format!("{key}=")))
                .map(|v| v.trim_matches('"').to_string())
        };
        match (field("name").as_deref(), field("filename")) {
            (Some("payload_json"), _) => payload = serde_json::from_slice(content).ok()?,
            (name, Some(filename)) => {
                files.push((filename.clone(), content.len()));
                kept.push((name.unwrap_or_default().to_string(), filename, content.to_vec()));
            }
            _ => {}
        }
    }
    let attachments: Vec<Value> = files
        .into_iter()
        .enumerate()
        .map(|(i, (filename, size))| {
            json!({
                "id": (i + 1).to_string(),
                "filename": filename,
                "size": size,
                "url": format!("https://cdn.discordapp.com/attachments/fake/{filename}"),
                "proxy_url": format!("https://media.discordapp.net/attachments/fake/{filename}"),
            })
        })
        .collect();
    if !attachments.is_empty() {
        // An interaction callback carries the message in `data`.
        match payload.get_mut("data").filter(|data| data.is_object()) {
            Some(data) => data["attachments"] = json!(attachments),
            None => payload["attachments"] = json!(attachments),
        }
    }
    Some(payload)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(mut bytes: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    while let Some(at) = find(bytes, delimiter) {
        parts.push(&bytes[..at]);
        bytes = &bytes[at + delimiter.len()..];
    }
    parts.push(bytes);
    parts
}
