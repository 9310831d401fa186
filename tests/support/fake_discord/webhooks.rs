//! Answers to interactions: the callback (`POST /interactions/{id}/{token}/callback`),
//! follow-ups (`POST /webhooks/{app}/{token}`) and reading, editing and deleting the
//! response and the follow-ups (`/webhooks/{app}/{token}/messages/{id|@original}`).
//!
//! Every message and edit is checked for pings (`rest::check_no_pings`). Discord's
//! rules, each refused and recorded when broken: the first callback within
//! 3 s (else 10062), one callback per interaction (40060), a callback type that fits
//! the interaction, no follow-up or edit before the acknowledgement (10015), a token
//! valid for 15 minutes (50027).

use axum::response::Response;
use serde_json::{Value, json};
use serenity::model::channel::Message;

use super::limits::{self, Problem, Problems};
use super::objects::{EPHEMERAL, LOADING, checked};
use super::rest::{
    Call, check_edit, check_no_pings, empty_message, id, invalid_body, json, no_content, refuse,
    refuse_because, unhandled,
};
use super::state::{ACKNOWLEDGE_WITHIN, TOKEN_VALID_FOR, World, is_ephemeral};

/// Callback types that fit each interaction type (2 command, 3 component, 4
/// autocomplete, 5 modal submit: a modal cannot open another).
fn fitting_callbacks(kind: u64) -> &'static [u64] {
    match kind {
        2 => &[4, 5, 9],
        3 => &[4, 5, 6, 7, 9],
        4 => &[8],
        5 => &[4, 5, 6, 7],
        _ => &[],
    }
}

pub fn callback(world: &mut World, call: &Call, interaction: &str, token: &str) -> Response {
    let found = id(interaction)
        .and_then(|i| world.interactions.get(&i))
        .filter(|r| r.token == token);
    let Some(record) = found else {
        return refuse(world, call, 404, 10062, "Unknown interaction");
    };
    let (interaction, kind, source) = (record.id, record.kind, record.source_message);
    if record.callback.is_some() {
        return refuse(
            world,
            call,
            400,
            40060,
            "Interaction has already been acknowledged.",
        );
    }
    let waited = world.now().duration_since(record.created);
    if waited > ACKNOWLEDGE_WITHIN {
        let why = format!("first acknowledged after {:.1} s", waited.as_secs_f64());
        return refuse_because(world, call, 404, 10062, "Unknown interaction", &why);
    }
    let response_type = call.body["type"].as_u64().unwrap_or(0);
    if !fitting_callbacks(kind).contains(&response_type) {
        let problems = Problems(vec![Problem {
            path: "type".into(),
            code: "INTERACTION_RESPONSE_TYPE_INVALID",
            message: format!("Callback type {response_type} does not answer an interaction of type {kind}"),
        }]);
        return invalid_body(world, call, &problems);
    }
    let data = call
        .body
        .get("data")
        .filter(|d| !d.is_null())
        .cloned()
        .unwrap_or(json!({}));
    let mut problems = Problems::default();
    match response_type {
        4 | 7 => limits::message(&mut problems, &data),
        8 => limits::autocomplete(&mut problems, &data),
        9 => limits::modal(&mut problems, &data),
        _ => {}
    }
    let problems = problems.under("data");
    if !problems.is_empty() {
        return invalid_body(world, call, &problems);
    }
    if matches!(response_type, 4 | 7) {
        check_no_pings(world, call, &data);
    }
    match response_type {
        4 => {
            if limits::is_empty_message(&data) {
                return empty_message(world, call);
            }
            let message = respond(world, interaction, &data, 0);
            let record = world.interaction_mut(interaction);
            record.original = Some(message);
            record.answer = Some(message);
        }
        5 => {
            let flags = data["flags"].as_u64().unwrap_or(0) & EPHEMERAL;
            let message = respond(world, interaction, &json!({}), LOADING | flags);
            let record = world.interaction_mut(interaction);
            record.original = Some(message);
            record.loading = true;
        }
        6 | 7 => {
            let Some(source) = source.filter(|m| world.messages.contains_key(m)) else {
                return refuse(world, call, 404, 10008, "Unknown Message");
            };
            if response_type == 7 {
                let current = world.messages[&source].raw.clone();
                if let Some(refusal) = check_edit(world, call, &current, &data) {
                    return refusal;
                }
                world.edit(source, &data);
            }
            let record = world.interaction_mut(interaction);
            record.original = Some(source);
            if response_type == 7 {
                record.answer = Some(source);
            }
        }
        8 => {
            let choices = data["choices"].as_array().cloned().unwrap_or_default();
            world.interaction_mut(interaction).choices = Some(choices);
        }
        9 => world.interaction_mut(interaction).modal = Some(data.clone()),
        _ => {}
    }
    world.interaction_mut(interaction).callback = Some(response_type);
    no_content()
}

/// A new message answering `interaction` (the response or a follow-up) in its
/// channel, with `extra_flags` on top of those in `body`. Returns its id.
fn respond(world: &mut World, interaction: u64, body: &Value, extra_flags: u64) -> u64 {
    let record = &world.interactions[&interaction];
    let (channel, message_type) = (record.channel_id, record.message_type);
    let id = world.new_id();
    let mut message = world.compose_message(id, channel, world.setup.bot_id, body);
    let flags = message["flags"].as_u64().unwrap_or(0) | extra_flags;
    let app = world.setup.application_id.to_string();
    message["flags"] = json!(flags);
    message["type"] = json!(message_type);
    message["webhook_id"] = json!(app);
    message["application_id"] = json!(app);
    let message = checked::<Message>("message", message);
    world.store(message.clone(), body.get("allowed_mentions").cloned());
    if !is_ephemeral(&message) {
        world.deliver(&message);
    }
    id
}

/// The interaction a webhook token belongs to, if the bot may use it now; else the
/// refusal (boxed: a response is large next to an id).
fn by_token(world: &mut World, call: &Call, app: &str, token: &str) -> Result<u64, Box<Response>> {
    let found = world
        .interactions
        .values()
        .find(|r| r.token == token && r.kind != 4)
        .filter(|_| id(app) == Some(world.setup.application_id));
    let Some(record) = found else {
        return Err(Box::new(refuse(world, call, 404, 10015, "Unknown Webhook")));
    };
    let (interaction, acknowledged) = (record.id, record.callback.is_some());
    if world.now().duration_since(record.created) > TOKEN_VALID_FOR {
        return Err(Box::new(refuse(world, call, 401, 50027, "Invalid Webhook Token")));
    }
    if !acknowledged {
        let why = "the interaction was not acknowledged yet";
        let refusal = refuse_because(world, call, 404, 10015, "Unknown Webhook", why);
        return Err(Box::new(refusal));
    }
    Ok(interaction)
}

pub fn follow_up(world: &mut World, call: &Call, app: &str, token: &str) -> Response {
    let interaction = match by_token(world, call, app, token) {
        Ok(interaction) => interaction,
        Err(refusal) => return *refusal,
    };
    let mut problems = Problems::default();
    limits::message(&mut problems, &call.body);
    if !problems.is_empty() {
        return invalid_body(world, call, &problems);
    }
    if limits::is_empty_message(&call.body) {
        return empty_message(world, call);
    }
    check_no_pings(world, call, &call.body);
    let record = &world.interactions[&interaction];
    // The first follow-up after a deferred response replaces the "thinking" message.
    if let Some(original) = record.original.filter(|_| record.loading) {
        let edited = world.edit(original, &call.body);
        let record = world.interaction_mut(interaction);
        record.loading = false;
        record.answer = Some(original);
        return json(200, checked::<Message>("message", edited));
    }
    let message = respond(world, interaction, &call.body, 0);
    let record = world.interaction_mut(interaction);
    record.followups.push(message);
    json(200, world.messages[&message].raw.clone())
}

pub fn message(world: &mut World, call: &Call, app: &str, token: &str, message: &str) -> Response {
    let interaction = match by_token(world, call, app, token) {
        Ok(interaction) => interaction,
        Err(refusal) => return *refusal,
    };
    let record = &world.interactions[&interaction];
    let target = if message == "@original" {
        record.original
    } else {
        id(message).filter(|m| record.original == Some(*m) || record.followups.contains(m))
    };
    let Some(target) = target.filter(|m| world.messages.contains_key(m)) else {
        return refuse(world, call, 404, 10008, "Unknown Message");
    };
    match call.method.as_str() {
        "GET" => json(200, world.messages[&target].raw.clone()),
        "PATCH" => {
            let current = world.messages[&target].raw.clone();
            if let Some(refusal) = check_edit(world, call, &current, &call.body) {
                return refusal;
            }
            check_no_pings(world, call, &call.body);
            let edited = world.edit(target, &call.body);
            let record = world.interaction_mut(interaction);
            if record.loading && record.original == Some(target) {
                record.loading = false;
                record.answer = Some(target);
            }
            json(200, checked::<Message>("message", edited))
        }
        "DELETE" => {
            world.delete(target);
            no_content()
        }
        _ => unhandled(world, call),
    }
}
