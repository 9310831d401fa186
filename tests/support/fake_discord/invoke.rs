//! What a test makes a user do: messages in a channel or a DM, and interactions
//! (slash commands, autocomplete, button clicks, message context menus) built the way
//! the Discord client builds them from the commands the bot registered: each option
//! typed from its definition, users, channels and roles in `resolved`.

use anyhow::{Context as _, anyhow, bail};
use serde_json::{Map, Value, json};

use super::SeenMessage;
use super::objects::{EVERYONE_PERMISSIONS, checked};
use super::state::{InteractionRecord, World};

/// A user's message in `channel` (a guild channel or their DM with the bot), sent to
/// the bot as MESSAGE_CREATE.
pub fn user_message(
    world: &mut World,
    user: u64,
    channel: u64,
    content: &str,
) -> anyhow::Result<SeenMessage> {
    if world.user(user).is_none() {
        bail!("user {user} is not in the setup");
    }
    let guild = world.is_guild_channel(channel);
    if !guild && world.dm_recipient(channel) != Some(user) {
        bail!("channel {channel} is neither a guild channel nor user {user}'s DM channel");
    }
    let id = world.new_id();
    let mut message = world.compose_message(id, channel, user, &json!({"content": content}));
    if guild {
        message["member"] = world.member_json(user, false, false).expect("a known user");
    }
    let message = checked::<serenity::model::channel::Message>("message", message);
    world.store(message.clone(), None);
    world.deliver(&message);
    Ok(world.seen(id).expect("just stored"))
}

/// A slash command, or with `focused` an autocomplete request on that option.
pub fn slash(
    world: &mut World,
    user: u64,
    channel: u64,
    command: &str,
    options: &[(&str, Value)],
    focused: Option<&str>,
) -> anyhow::Result<u64> {
    let guild = place(world, user, channel)?;
    let mut words = command.split_whitespace();
    let top = words.next().context("an empty command name")?;
    let definition = find_command(world, guild, 1, top)?;
    let mut chain = Vec::new();
    let mut level = &definition;
    for word in words {
        level = find_option(level, word)
            .filter(|o| matches!(kind_of(o), 1 | 2))
            .ok_or_else(|| anyhow!("/{top} has no subcommand {word}; it has: {}", option_names(level)))?;
        chain.push(level);
    }
    if children(level).iter().any(|o| matches!(kind_of(o), 1 | 2)) {
        bail!("/{command} needs a subcommand: {}", option_names(level));
    }
    let mut resolved = Map::new();
    let mut values = Vec::new();
    for (name, value) in options {
        let option = find_option(level, name)
            .ok_or_else(|| anyhow!("/{command} has no option {name}; it has: {}", option_names(level)))?;
        if focused == Some(*name) {
            values.push(focused_value(command, option, value)?);
        } else {
            values.push(
                typed(world, guild, option, value, &mut resolved)
                    .with_context(|| format!("/{command} {name}"))?,
            );
        }
    }
    if let Some(focused) = focused.filter(|f| !options.iter().any(|(name, _)| name == f)) {
        let option = find_option(level, focused).ok_or_else(|| {
            anyhow!(
                "/{command} has no option {focused}; it has: {}",
                option_names(level)
            )
        })?;
        values.push(focused_value(command, option, &json!(""))?);
    }
    if focused.is_none() {
        for option in children(level) {
            let name = option["name"].as_str().unwrap_or("");
            let required = option["required"].as_bool() == Some(true);
            if required && !options.iter().any(|(given, _)| *given == name) {
                bail!("/{command} needs its required option {name}");
            }
        }
    }
    let mut nested = Value::Array(values);
    for sub in chain.iter().rev() {
        nested = json!([{"name": sub["name"], "type": sub["type"], "options": nested}]);
    }
    let mut data = json!({
        "id": definition["id"],
        "name": top,
        "type": 1,
        "options": nested,
        "resolved": resolved,
    });
    if let Some(guild_id) = definition.get("guild_id").filter(|g| !g.is_null()) {
        data["guild_id"] = guild_id.clone();
    }
    let kind = if focused.is_some() { 4 } else { 2 };
    dispatch(world, kind, user, channel, data, 20, None)
}

/// A click on button `custom_id` of a message the bot sent.
pub fn click(world: &mut World, user: u64, message: u64, custom_id: &str) -> anyhow::Result<u64> {
    let stored = world
        .messages
        .get(&message)
        .with_context(|| format!("no message {message} (deleted?)"))?;
    let raw = stored.raw.clone();
    let seen = world.seen(message).expect("a stored message");
    if seen.author_id != world.setup.bot_id {
        bail!("message {message} is not the bot's");
    }
    let button = seen
        .components
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["type"] == json!(2) && c["custom_id"] == json!(custom_id))
        .ok_or_else(|| {
            anyhow!(
                "message {message} has no button {custom_id}; it has {:?}",
                seen.buttons()
            )
        })?;
    if button["disabled"].as_bool() == Some(true) {
        bail!("button {custom_id} of message {message} is disabled");
    }
    let data = json!({"custom_id": custom_id, "component_type": 2});
    dispatch(world, 3, user, seen.channel_id, data, 0, Some(raw))
}

/// `user` picks `values` in the string select menu `custom_id` of a message the bot
/// sent (component type 3 with `values`, as Discord sends it): each value must be one
/// of the menu's options, and their count within its `min_values`/`max_values`.
pub fn select(
    world: &mut World,
    user: u64,
    message: u64,
    custom_id: &str,
    values: &[&str],
) -> anyhow::Result<u64> {
    let raw = world
        .messages
        .get(&message)
        .with_context(|| format!("no message {message} (deleted?)"))?
        .raw
        .clone();
    let seen = world.seen(message).expect("a stored message");
    if seen.author_id != world.setup.bot_id {
        bail!("message {message} is not the bot's");
    }
    let menu = seen
        .components
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["type"] == json!(3) && c["custom_id"] == json!(custom_id))
        .ok_or_else(|| anyhow!("message {message} has no string select {custom_id}"))?;
    let options: Vec<String> = menu["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|option| option["value"].as_str().map(str::to_string))
        .collect();
    if let Some(value) = values.iter().find(|value| !options.iter().any(|o| o == *value)) {
        bail!("{value:?} is not an option of {custom_id}: {options:?}");
    }
    let (least, most) = (
        menu["min_values"].as_u64().unwrap_or(1) as usize,
        menu["max_values"].as_u64().unwrap_or(1) as usize,
    );
    if values.len() < least || values.len() > most {
        bail!("{custom_id} takes {least} to {most} values, not {}", values.len());
    }
    let data = json!({"custom_id": custom_id, "component_type": 3, "values": values});
    dispatch(world, 3, user, seen.channel_id, data, 0, Some(raw))
}

/// A press on button `custom_id` of a message the bot sent, whether or not the message
/// still shows that button enabled: what a client with a stale view of the message
/// sends, or a second tap before the first was answered. The message must still exist
/// (Discord puts it, as it is now, in the interaction).
pub fn click_raw(world: &mut World, user: u64, message: u64, custom_id: &str) -> anyhow::Result<u64> {
    let raw = world
        .messages
        .get(&message)
        .with_context(|| format!("no message {message} (deleted?)"))?
        .raw
        .clone();
    let seen = world.seen(message).expect("a stored message");
    if seen.author_id != world.setup.bot_id {
        bail!("message {message} is not the bot's");
    }
    let data = json!({"custom_id": custom_id, "component_type": 2});
    dispatch(world, 3, user, seen.channel_id, data, 0, Some(raw))
}

/// `user` submits the modal the bot showed in answer to `shown` (an interaction it
/// answered with callback type 9), with `values` typed into its text inputs by their
/// custom ids. Every input must be one of the modal's, and a required one must be
/// filled; the submit carries the message of the component that opened it.
pub fn submit_modal(
    world: &mut World,
    user: u64,
    shown: u64,
    values: &[(&str, &str)],
) -> anyhow::Result<u64> {
    let record = world
        .interactions
        .get(&shown)
        .with_context(|| format!("no interaction {shown}"))?;
    if record.user != user {
        bail!(
            "interaction {shown} showed its modal to user {}, not {user}",
            record.user
        );
    }
    let modal = record.modal.clone().with_context(|| {
        format!(
            "interaction {shown} showed no modal (callback {:?})",
            record.callback
        )
    })?;
    let (channel, source) = (record.channel_id, record.source_message);
    let inputs: Vec<Value> = modal["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect();
    for (id, _) in values {
        if !inputs.iter().any(|input| input["custom_id"] == json!(id)) {
            bail!("the modal has no input {id:?}");
        }
    }
    let mut rows = Vec::new();
    for input in &inputs {
        let id = input["custom_id"].as_str().unwrap_or("");
        let value = values
            .iter()
            .find(|(given, _)| *given == id)
            .map(|(_, value)| *value);
        if value.is_none_or(str::is_empty) && input["required"].as_bool() != Some(false) {
            bail!("the modal's input {id:?} is required");
        }
        rows.push(json!({"type": 1, "components": [
            {"type": 4, "custom_id": id, "value": value.unwrap_or("")}
        ]}));
    }
    let data = json!({"custom_id": modal["custom_id"], "components": rows});
    let message = source
        .and_then(|id| world.messages.get(&id))
        .map(|stored| stored.raw.clone());
    dispatch(world, 5, user, channel, data, 0, message)
}

/// The message context-menu command `command` on message `target`.
pub fn context_menu(world: &mut World, user: u64, command: &str, target: u64) -> anyhow::Result<u64> {
    let raw = world
        .messages
        .get(&target)
        .with_context(|| format!("no message {target} (deleted?)"))?
        .raw
        .clone();
    let channel = world.seen(target).expect("a stored message").channel_id;
    let guild = place(world, user, channel)?;
    let definition = find_command(world, guild, 3, command)?;
    let mut data = json!({
        "id": definition["id"],
        "name": command,
        "type": 3,
        "target_id": target.to_string(),
        "resolved": {"messages": {target.to_string(): raw}},
    });
    if let Some(guild_id) = definition.get("guild_id").filter(|g| !g.is_null()) {
        data["guild_id"] = guild_id.clone();
    }
    dispatch(world, 2, user, channel, data, 23, None)
}

/// Whether `channel` is in the guild (true) or `user`'s DM with the bot (false).
fn place(world: &World, user: u64, channel: u64) -> anyhow::Result<bool> {
    if !world.gateway.ready {
        bail!("the bot is not connected: no READY sent yet");
    }
    if world.user(user).is_none() {
        bail!("user {user} is not in the setup");
    }
    if world.is_guild_channel(channel) {
        Ok(true)
    } else if world.dm_channels.get(&user) == Some(&channel) {
        Ok(false)
    } else {
        bail!("channel {channel} is neither a guild channel nor user {user}'s DM channel")
    }
}

/// The registered command of type `kind` called `name` that a user can run here: a
/// guild command in the guild, else a global one allowed in this context.
fn find_command(world: &World, guild: bool, kind: u64, name: &str) -> anyhow::Result<Value> {
    let guild_set = world.commands.guild.iter().flatten().filter(|_| guild);
    let global_set = world.commands.global.iter().flatten();
    let found = guild_set
        .chain(global_set)
        .find(|c| kind_of(c) == kind && c["name"] == json!(name));
    let Some(command) = found else {
        let known: Vec<&str> = world
            .commands
            .guild
            .iter()
            .chain(world.commands.global.iter())
            .flatten()
            .filter(|c| kind_of(c) == kind)
            .filter_map(|c| c["name"].as_str())
            .collect();
        let where_ = if guild { "in the guild" } else { "in DMs" };
        bail!("no command {name:?} of type {kind} usable {where_}; registered: {known:?}");
    };
    let context = if guild { 0 } else { 1 };
    if let Some(contexts) = command["contexts"].as_array()
        && !contexts.contains(&json!(context))
    {
        bail!("command {name:?} is registered for contexts {contexts:?}, not {context}");
    }
    if !guild && command["dm_permission"] == json!(false) {
        bail!("command {name:?} is registered with dm_permission false");
    }
    Ok(command.clone())
}

fn kind_of(value: &Value) -> u64 {
    value["type"].as_u64().unwrap_or(1)
}

fn children(level: &Value) -> Vec<Value> {
    level["options"].as_array().cloned().unwrap_or_default()
}

fn find_option<'a>(level: &'a Value, name: &str) -> Option<&'a Value> {
    level["options"]
        .as_array()?
        .iter()
        .find(|o| o["name"] == json!(name))
}

fn option_names(level: &Value) -> String {
    let names: Vec<&str> = level["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["name"].as_str())
        .collect();
    format!("{names:?}")
}

/// The option being typed in: its partial input, always a string, marked focused.
fn focused_value(command: &str, option: &Value, partial: &Value) -> anyhow::Result<Value> {
    if option["autocomplete"].as_bool() != Some(true) {
        bail!("/{command} option {} does not autocomplete", option["name"]);
    }
    let partial = match partial {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Ok(json!({"name": option["name"], "type": option["type"], "value": partial, "focused": true}))
}

/// An option's value as the client sends it, checked against its definition; users,
/// channels and roles are added to `resolved`.
fn typed(
    world: &World,
    guild: bool,
    option: &Value,
    value: &Value,
    resolved: &mut Map<String, Value>,
) -> anyhow::Result<Value> {
    let kind = kind_of(option);
    let sent = match kind {
        3 => {
            let text = value.as_str().context("a string option takes a string")?;
            let length = text.chars().count() as u64;
            if option["min_length"].as_u64().is_some_and(|min| length < min)
                || option["max_length"].as_u64().is_some_and(|max| length > max)
            {
                bail!("{length} characters is outside the option's min_length/max_length");
            }
            value.clone()
        }
        4 | 10 => {
            let number = if kind == 4 {
                value.as_i64().context("an integer option takes an integer")? as f64
            } else {
                value.as_f64().context("a number option takes a number")?
            };
            if option["min_value"].as_f64().is_some_and(|min| number < min)
                || option["max_value"].as_f64().is_some_and(|max| number > max)
            {
                bail!("{number} is outside the option's min_value/max_value");
            }
            value.clone()
        }
        5 => json!(value.as_bool().context("a boolean option takes a boolean")?),
        6 => json!(resolve_user(world, guild, id_in(value)?, resolved)?.to_string()),
        7 => {
            let id = id_in(value)?;
            let channel = world
                .channel_json(id)
                .with_context(|| format!("no channel {id}"))?;
            let partial = json!({
                "id": channel["id"], "name": channel["name"], "type": channel["type"],
                "permissions": EVERYONE_PERMISSIONS.to_string(),
            });
            insert(resolved, "channels", id, partial);
            json!(id.to_string())
        }
        8 => json!(resolve_role(world, id_in(value)?, resolved)?.to_string()),
        9 => {
            let id = id_in(value)?;
            if world.user_json(id).is_some() {
                resolve_user(world, guild, id, resolved)?;
            } else {
                resolve_role(world, id, resolved)?;
            }
            json!(id.to_string())
        }
        other => bail!("options of type {other} are not supported by the fake"),
    };
    if let Some(choices) = option["choices"].as_array().filter(|c| !c.is_empty())
        && !choices.iter().any(|c| c["value"] == sent)
    {
        let values: Vec<&Value> = choices.iter().map(|c| &c["value"]).collect();
        bail!("{sent} is not among the option's choices {values:?}");
    }
    Ok(json!({"name": option["name"], "type": kind, "value": sent}))
}

/// An id given as a number or a numeric string.
fn id_in(value: &Value) -> anyhow::Result<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .with_context(|| format!("{value} is not an id"))
}

fn insert(resolved: &mut Map<String, Value>, kind: &str, id: u64, object: Value) {
    let table = resolved.entry(kind).or_insert_with(|| json!({}));
    table[id.to_string()] = object;
}

fn resolve_user(
    world: &World,
    guild: bool,
    id: u64,
    resolved: &mut Map<String, Value>,
) -> anyhow::Result<u64> {
    let user = world.user_json(id).with_context(|| format!("no user {id}"))?;
    insert(resolved, "users", id, user);
    if guild {
        let member = world.member_json(id, false, true).expect("a known user");
        insert(resolved, "members", id, member);
    }
    Ok(id)
}

fn resolve_role(world: &World, id: u64, resolved: &mut Map<String, Value>) -> anyhow::Result<u64> {
    let role = world.role_json(id).with_context(|| format!("no role {id}"))?;
    insert(resolved, "roles", id, role);
    Ok(id)
}

/// Records the interaction and sends it to the bot as INTERACTION_CREATE.
fn dispatch(
    world: &mut World,
    kind: u64,
    user: u64,
    channel: u64,
    data: Value,
    message_type: u64,
    message: Option<Value>,
) -> anyhow::Result<u64> {
    let guild = place(world, user, channel)?;
    let id = world.new_id();
    let token = format!("fake-interaction-token-{id}");
    let setup = &world.setup;
    let guild_id = setup.guild_id.to_string();
    let mut payload = json!({
        "id": id.to_string(),
        "application_id": setup.application_id.to_string(),
        "type": kind,
        "data": data,
        "channel_id": channel.to_string(),
        "token": token,
        "version": 1,
        "app_permissions": EVERYONE_PERMISSIONS.to_string(),
        "locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": guild_id},
        "context": if guild { 0 } else { 1 },
        "attachment_size_limit": 26_214_400,
    });
    if guild {
        let channel_json = world.channel_json(channel).expect("a guild channel");
        payload["guild_id"] = json!(guild_id);
        payload["guild"] = json!({"id": guild_id, "locale": "en-US", "features": []});
        payload["guild_locale"] = json!("en-US");
        payload["member"] = world.member_json(user, true, true).expect("a known user");
        payload["channel"] = json!({
            "id": channel_json["id"], "name": channel_json["name"], "type": 0,
            "guild_id": guild_id, "permissions": EVERYONE_PERMISSIONS.to_string(),
        });
    } else {
        world.dm_known.insert(channel);
        payload["user"] = world.user_json(user).expect("a known user");
        payload["channel"] = json!({"id": channel.to_string(), "type": 1, "name": null});
    }
    let source_message = message.as_ref().map(super::state::id_of);
    if let Some(message) = message {
        payload["message"] = message;
    }
    let payload = checked::<serenity::model::application::Interaction>("interaction", payload);
    let record = InteractionRecord {
        id,
        token,
        kind,
        channel_id: channel,
        user,
        created: world.now(),
        callback: None,
        original: None,
        followups: Vec::new(),
        answer: None,
        loading: false,
        source_message,
        choices: None,
        modal: None,
        message_type,
    };
    world.interactions.insert(id, record);
    world.dispatch("INTERACTION_CREATE", payload);
    Ok(id)
}
