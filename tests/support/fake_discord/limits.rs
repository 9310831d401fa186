//! Discord's documented limits on what a bot sends: message bodies (content, embeds,
//! components, allowed mentions), application commands, autocomplete choices and
//! modals. Each check adds a [`Problem`] at the dotted path of the offending field;
//! [`Problems::errors`] turns them into the `errors` map of a 400 / 50035 answer, the
//! shape serenity reads into `DiscordJsonError::errors`.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value, json};

/// One field that breaks a rule.
#[derive(Clone, Debug)]
pub struct Problem {
    /// Dotted, as Discord reports it: `embeds.0.fields.3.value`.
    pub path: String,
    /// Discord's error code for it, e.g. `BASE_TYPE_MAX_LENGTH`.
    pub code: &'static str,
    pub message: String,
}

/// The problems found in one request body.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn add(&mut self, path: &str, code: &'static str, message: impl Into<String>) {
        self.0.push(Problem {
            path: path.to_string(),
            code,
            message: message.into(),
        });
    }

    /// The nested `errors` object: `{"content": {"_errors": [{"code", "message"}]}}`.
    pub fn errors(&self) -> Value {
        let mut root = Map::new();
        for problem in &self.0 {
            let mut node = &mut root;
            for segment in problem.path.split('.').filter(|s| !s.is_empty()) {
                node = node
                    .entry(segment)
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("error paths only hold objects");
            }
            let list = node.entry("_errors").or_insert_with(|| json!([]));
            list.as_array_mut()
                .expect("_errors is a list")
                .push(json!({"code": problem.code, "message": problem.message}));
        }
        Value::Object(root)
    }

    /// The same problems, found in a body nested under `prefix` (`data` of a callback).
    pub fn under(self, prefix: &str) -> Problems {
        let nest = |problem: Problem| Problem {
            path: join(prefix, &problem.path),
            ..problem
        };
        Problems(self.0.into_iter().map(nest).collect())
    }

    /// One line per problem: `path: message`.
    pub fn lines(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    }
}

/// `a.b` from a parent path and a key (no leading dot at the root).
fn join(parent: &str, key: impl std::fmt::Display) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// A string field of `min..=max` characters, if present (absent or null is allowed).
fn text(problems: &mut Problems, object: &Value, parent: &str, key: &str, min: usize, max: usize) {
    let path = join(parent, key);
    match object.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => length(problems, &path, chars(s), min, max),
        Some(other) => problems.add(
            &path,
            "BASE_TYPE_STRING",
            format!("Could not interpret \"{other}\" as string."),
        ),
    }
}

/// A string field that must be there, of `min..=max` characters.
fn required_text(problems: &mut Problems, object: &Value, parent: &str, key: &str, min: usize, max: usize) {
    match object.get(key) {
        None | Some(Value::Null) => {
            problems.add(&join(parent, key), "BASE_TYPE_REQUIRED", "This field is required")
        }
        Some(_) => text(problems, object, parent, key, min, max),
    }
}

fn length(problems: &mut Problems, path: &str, len: usize, min: usize, max: usize) {
    if len > max && min == 0 {
        problems.add(
            path,
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {max} or fewer in length."),
        );
    } else if len < min || len > max {
        problems.add(
            path,
            "BASE_TYPE_BAD_LENGTH",
            format!("Must be between {min} and {max} in length."),
        );
    }
}

/// A list field of at most `max` items, if present.
fn list<'a>(problems: &mut Problems, object: &'a Value, parent: &str, key: &str, max: usize) -> &'a [Value] {
    let path = join(parent, key);
    match object.get(key) {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => {
            length(problems, &path, items.len(), 0, max);
            items
        }
        Some(_) => {
            problems.add(&path, "BASE_TYPE_ARRAY", "Must be an array.");
            &[]
        }
    }
}

fn string_of<'a>(object: &'a Value, key: &str) -> &'a str {
    object.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The body of a message the bot creates or edits (a channel message, an interaction
/// response's `data`, a follow-up, a webhook edit). Emptiness is checked separately
/// ([`is_empty_message`]), since an edit may leave fields out.
pub fn message(problems: &mut Problems, body: &Value) {
    text(problems, body, "", "content", 0, 2000);
    let embeds = list(problems, body, "", "embeds", 10);
    let mut total = 0;
    for (i, embed) in embeds.iter().enumerate() {
        total += self::embed(problems, embed, &join("embeds", i));
    }
    if total > 6000 {
        problems.add(
            "embeds",
            "MAX_EMBED_SIZE_EXCEEDED",
            "Embed size exceeds maximum size of 6000",
        );
    }
    components(problems, body);
    allowed_mentions(problems, body);
}

/// A new message's `nonce`: an integer, or a string of at most 25 characters.
pub fn nonce(problems: &mut Problems, body: &Value) {
    match body.get("nonce") {
        None | Some(Value::Null) => {}
        Some(Value::Number(number)) if number.is_u64() || number.is_i64() => {}
        Some(_) => text(problems, body, "", "nonce", 0, 25),
    }
}

/// Checks one embed and returns the characters it counts towards the 6000 limit.
fn embed(problems: &mut Problems, embed: &Value, path: &str) -> usize {
    text(problems, embed, path, "title", 0, 256);
    text(problems, embed, path, "description", 0, 4096);
    if let Some(color) = embed.get("color").filter(|c| !c.is_null())
        && color.as_u64().is_none_or(|c| c > 0xFF_FFFF)
    {
        problems.add(
            &join(path, "color"),
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 16777215.",
        );
    }
    let mut total = chars(string_of(embed, "title")) + chars(string_of(embed, "description"));
    for (i, field) in list(problems, embed, path, "fields", 25).iter().enumerate() {
        let at = join(path, format!("fields.{i}"));
        required_text(problems, field, &at, "name", 1, 256);
        required_text(problems, field, &at, "value", 1, 1024);
        total += chars(string_of(field, "name")) + chars(string_of(field, "value"));
    }
    if let Some(footer) = embed.get("footer").filter(|f| !f.is_null()) {
        required_text(problems, footer, &join(path, "footer"), "text", 1, 2048);
        total += chars(string_of(footer, "text"));
    }
    if let Some(author) = embed.get("author").filter(|a| !a.is_null()) {
        required_text(problems, author, &join(path, "author"), "name", 1, 256);
        total += chars(string_of(author, "name"));
    }
    total
}

const BUTTON: u64 = 2;
const SELECTS: [u64; 5] = [3, 5, 6, 7, 8];

/// Action rows of buttons and select menus (the classic layout, not components v2).
fn components(problems: &mut Problems, body: &Value) {
    let mut custom_ids = HashSet::new();
    for (r, row) in list(problems, body, "", "components", 5).iter().enumerate() {
        let row_path = format!("components.{r}");
        if row.get("type").and_then(Value::as_u64) != Some(1) {
            problems.add(
                &join(&row_path, "type"),
                "BASE_TYPE_CHOICES",
                "Value must be one of {1}: top-level components are action rows.",
            );
            continue;
        }
        let children = list(problems, row, &row_path, "components", 5);
        if children.is_empty() {
            problems.add(
                &join(&row_path, "components"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 5 in length.",
            );
        }
        let kinds: Vec<u64> = children
            .iter()
            .map(|c| c.get("type").and_then(Value::as_u64).unwrap_or(0))
            .collect();
        if kinds.iter().any(|k| SELECTS.contains(k)) && children.len() > 1 {
            problems.add(
                &join(&row_path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            );
        }
        for (c, child) in children.iter().enumerate() {
            let path = join(&row_path, format!("components.{c}"));
            match kinds[c] {
                BUTTON => button(problems, child, &path),
                kind if SELECTS.contains(&kind) => select(problems, child, &path, kind),
                other => problems.add(
                    &join(&path, "type"),
                    "BASE_TYPE_CHOICES",
                    format!("Component type {other} is not allowed in a message's action row."),
                ),
            }
            if let Some(id) = child.get("custom_id").and_then(Value::as_str)
                && !custom_ids.insert(id.to_string())
            {
                problems.add(
                    &join(&path, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                );
            }
        }
    }
}

fn button(problems: &mut Problems, button: &Value, path: &str) {
    text(problems, button, path, "label", 0, 80);
    let style = button.get("style").and_then(Value::as_u64).unwrap_or(0);
    match style {
        1..=4 => required_text(problems, button, path, "custom_id", 1, 100),
        5 => {
            required_text(problems, button, path, "url", 1, 512);
            if button.get("custom_id").is_some_and(|c| !c.is_null()) {
                problems.add(
                    &join(path, "custom_id"),
                    "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                    "A link button cannot have a custom_id",
                );
            }
        }
        6 => required_text(problems, button, path, "sku_id", 1, 32),
        _ => problems.add(
            &join(path, "style"),
            "BASE_TYPE_CHOICES",
            "Value must be one of {1, 2, 3, 4, 5, 6}.",
        ),
    }
    let has_label = !string_of(button, "label").is_empty();
    let has_emoji = button.get("emoji").is_some_and(|e| !e.is_null());
    if style != 6 && !has_label && !has_emoji {
        problems.add(
            path,
            "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED",
            "A button needs a label or an emoji",
        );
    }
}

fn select(problems: &mut Problems, select: &Value, path: &str, kind: u64) {
    required_text(problems, select, path, "custom_id", 1, 100);
    text(problems, select, path, "placeholder", 0, 150);
    let options = list(problems, select, path, "options", 25);
    if kind == 3 && options.is_empty() {
        problems.add(
            &join(path, "options"),
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 25 in length.",
        );
    }
    for (i, option) in options.iter().enumerate() {
        let at = join(path, format!("options.{i}"));
        required_text(problems, option, &at, "label", 1, 100);
        required_text(problems, option, &at, "value", 1, 100);
        text(problems, option, &at, "description", 0, 100);
    }
    for key in ["min_values", "max_values"] {
        if let Some(n) = select.get(key).and_then(Value::as_u64)
            && (n > 25 || (key == "max_values" && n == 0))
        {
            problems.add(
                &join(path, key),
                "NUMBER_TYPE_MAX",
                "Must be between 1 and 25 (0 allowed for min_values).",
            );
        }
    }
}

fn allowed_mentions(problems: &mut Problems, body: &Value) {
    let Some(allowed) = body.get("allowed_mentions").filter(|a| !a.is_null()) else {
        return;
    };
    let parse: Vec<&str> = list(problems, allowed, "allowed_mentions", "parse", 3)
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for (i, kind) in parse.iter().enumerate() {
        if !["users", "roles", "everyone"].contains(kind) {
            problems.add(
                &format!("allowed_mentions.parse.{i}"),
                "BASE_TYPE_CHOICES",
                "Value must be one of ('roles', 'users', 'everyone').",
            );
        }
    }
    for key in ["users", "roles"] {
        let ids = list(problems, allowed, "allowed_mentions", key, 100);
        if !ids.is_empty() && parse.contains(&key) {
            problems.add(
                "allowed_mentions",
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                format!("parse:[\"{key}\"] and {key}: [ids...] are mutually exclusive."),
            );
        }
    }
}

/// Whether a message (after an edit, its merged state) has nothing to show.
pub fn is_empty_message(message: &Value) -> bool {
    let nonempty = |key: &str| {
        message
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    string_of(message, "content").trim().is_empty()
        && !nonempty("embeds")
        && !nonempty("components")
        && !nonempty("attachments")
        && !nonempty("sticker_ids")
        && message.get("poll").is_none_or(Value::is_null)
}

static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$").expect("a valid pattern"));

/// A slash-command or option name: the pattern, and lowercase where the letter has a
/// lowercase form.
fn name(problems: &mut Problems, object: &Value, parent: &str) {
    let path = join(parent, "name");
    let Some(name) = object.get("name").and_then(Value::as_str) else {
        problems.add(&path, "BASE_TYPE_REQUIRED", "This field is required");
        return;
    };
    if !NAME.is_match(name) {
        problems.add(
            &path,
            "APPLICATION_COMMAND_INVALID_NAME",
            format!("Command name \"{name}\" is invalid: it must match ^[-_'\\p{{L}}\\p{{N}}]{{1,32}}$"),
        );
    } else if name.to_lowercase() != name {
        problems.add(
            &path,
            "APPLICATION_COMMAND_INVALID_NAME",
            format!("Command name \"{name}\" must be lowercase"),
        );
    }
}

/// The characters a command counts towards Discord's 4000 limit.
fn command_size(command: &Value) -> usize {
    let mut total = chars(string_of(command, "name")) + chars(string_of(command, "description"));
    for option in command
        .get("options")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        total += command_size(option);
        for choice in option
            .get("choices")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            total += chars(string_of(choice, "name"));
            total += match choice.get("value") {
                Some(Value::String(s)) => chars(s),
                Some(other) => chars(&other.to_string()),
                None => 0,
            };
        }
    }
    total
}

/// A whole command set, as sent to `PUT .../commands`.
pub fn command_set(problems: &mut Problems, body: &Value) {
    let Some(commands) = body.as_array() else {
        problems.add("", "BASE_TYPE_ARRAY", "Must be an array.");
        return;
    };
    let mut seen = HashSet::new();
    let mut per_type = [0usize; 4];
    for (i, command) in commands.iter().enumerate() {
        let path = i.to_string();
        self::command(problems, command, &path);
        let kind = command.get("type").and_then(Value::as_u64).unwrap_or(1);
        if let Some(count) = per_type.get_mut(kind as usize) {
            *count += 1;
        }
        if !seen.insert((kind, string_of(command, "name").to_string())) {
            problems.add(
                &join(&path, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                format!(
                    "Application command names must be unique: {}",
                    string_of(command, "name")
                ),
            );
        }
    }
    for (kind, max) in [(1, 100), (2, 15), (3, 15)] {
        if per_type[kind] > max {
            problems.add(
                "",
                "APPLICATION_COMMANDS_TOO_MANY",
                format!(
                    "Too many commands of type {kind}: {} (at most {max})",
                    per_type[kind]
                ),
            );
        }
    }
}

/// One application command (slash command, user or message context menu).
pub fn command(problems: &mut Problems, command: &Value, path: &str) {
    match command.get("type").and_then(Value::as_u64).unwrap_or(1) {
        1 => {
            self::name(problems, command, path);
            required_text(problems, command, path, "description", 1, 100);
            options(problems, command, path, 0);
        }
        2 | 3 => {
            required_text(problems, command, path, "name", 1, 32);
            if !string_of(command, "description").is_empty() {
                problems.add(
                    &join(path, "description"),
                    "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                    "Context menu commands cannot have a description",
                );
            }
            if command
                .get("options")
                .and_then(Value::as_array)
                .is_some_and(|o| !o.is_empty())
            {
                problems.add(
                    &join(path, "options"),
                    "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                    "Context menu commands cannot have options",
                );
            }
        }
        other => problems.add(
            &join(path, "type"),
            "BASE_TYPE_CHOICES",
            format!("Value must be one of {{1, 2, 3}}, not {other}."),
        ),
    }
    if command_size(command) > 4000 {
        problems.add(
            path,
            "APPLICATION_COMMAND_TOO_LARGE",
            "Command exceeds maximum size (4000)",
        );
    }
}

/// The options under a command (`depth` 0), a subcommand group (1) or a subcommand.
fn options(problems: &mut Problems, parent: &Value, parent_path: &str, depth: usize) {
    let items = list(problems, parent, parent_path, "options", 25);
    let kinds: Vec<u64> = items
        .iter()
        .map(|o| o.get("type").and_then(Value::as_u64).unwrap_or(0))
        .collect();
    let subcommands = kinds.iter().filter(|k| **k <= 2).count();
    if subcommands != 0 && subcommands != kinds.len() {
        problems.add(
            &join(parent_path, "options"),
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Subcommands and subcommand groups cannot be mixed with other options",
        );
    }
    let mut names = HashSet::new();
    let mut optional_seen = false;
    for (i, option) in items.iter().enumerate() {
        let path = join(parent_path, format!("options.{i}"));
        let kind = kinds[i];
        self::name(problems, option, &path);
        required_text(problems, option, &path, "description", 1, 100);
        if !names.insert(string_of(option, "name").to_string()) {
            problems.add(
                &join(&path, "name"),
                "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            );
        }
        match kind {
            1 | 2 => {
                let allowed_here = (kind == 2 && depth == 0) || (kind == 1 && depth <= 1);
                if !allowed_here {
                    problems.add(
                        &join(&path, "type"),
                        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                        "Subcommands nest at most two levels: group, then subcommand",
                    );
                }
                if option.get("required").and_then(Value::as_bool) == Some(true) {
                    problems.add(
                        &join(&path, "required"),
                        "APPLICATION_COMMAND_OPTION_REQUIRED_INVALID",
                        "Subcommands cannot be required",
                    );
                }
                options(problems, option, &path, if kind == 2 { 1 } else { 2 });
            }
            3..=11 => value_option(problems, option, &path, kind),
            other => problems.add(
                &join(&path, "type"),
                "BASE_TYPE_CHOICES",
                format!("Value must be one of {{1..11}}, not {other}."),
            ),
        }
        if depth == 1 && kind > 2 {
            problems.add(
                &join(&path, "type"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "A subcommand group holds only subcommands",
            );
        }
        if kind > 2 {
            let required = option.get("required").and_then(Value::as_bool) == Some(true);
            if required && optional_seen {
                problems.add(
                    &join(&path, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                );
            }
            optional_seen |= !required;
        }
    }
}

/// A leaf option (string, integer, boolean, user, channel, role, mentionable, number,
/// attachment): its choices and autocomplete.
fn value_option(problems: &mut Problems, option: &Value, path: &str, kind: u64) {
    let choices = list(problems, option, path, "choices", 25);
    if !choices.is_empty() && ![3, 4, 10].contains(&kind) {
        problems.add(
            &join(path, "choices"),
            "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
            "Only string, integer and number options can have choices",
        );
    }
    let autocomplete = option.get("autocomplete").and_then(Value::as_bool) == Some(true);
    if autocomplete && !choices.is_empty() {
        problems.add(
            &join(path, "autocomplete"),
            "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES",
            "Autocomplete and choices cannot both be set",
        );
    }
    if autocomplete && ![3, 4, 10].contains(&kind) {
        problems.add(
            &join(path, "autocomplete"),
            "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
            "Only string, integer and number options can autocomplete",
        );
    }
    for (i, choice) in choices.iter().enumerate() {
        self::choice(problems, choice, &join(path, format!("choices.{i}")), kind);
    }
    for key in ["min_length", "max_length"] {
        if let Some(n) = option.get(key).filter(|v| !v.is_null())
            && n.as_u64().is_none_or(|n| n > 6000)
        {
            problems.add(&join(path, key), "NUMBER_TYPE_MAX", "Must be between 0 and 6000.");
        }
    }
}

/// A command option's choice (`kind` is the option's type) or an autocomplete result
/// (`kind` 0: any value type).
fn choice(problems: &mut Problems, choice: &Value, path: &str, kind: u64) {
    required_text(problems, choice, path, "name", 1, 100);
    let value_path = join(path, "value");
    match (kind, choice.get("value")) {
        (_, None | Some(Value::Null)) => {
            problems.add(&value_path, "BASE_TYPE_REQUIRED", "This field is required")
        }
        (0 | 3, Some(Value::String(s))) => length(problems, &value_path, chars(s), 0, 100),
        (0 | 10, Some(Value::Number(_))) => {}
        (4, Some(Value::Number(n))) if n.is_i64() => {}
        (_, Some(other)) => problems.add(
            &value_path,
            "BASE_TYPE_CHOICES",
            format!("Choice value {other} does not fit the option's type {kind}"),
        ),
    }
}

/// The `data` of an autocomplete answer (callback type 8).
pub fn autocomplete(problems: &mut Problems, data: &Value) {
    let choices = match data.get("choices") {
        Some(Value::Array(_)) => list(problems, data, "", "choices", 25),
        _ => {
            problems.add("choices", "BASE_TYPE_REQUIRED", "This field is required");
            &[]
        }
    };
    for (i, item) in choices.iter().enumerate() {
        choice(problems, item, &format!("choices.{i}"), 0);
    }
}

/// The `data` of a modal (callback type 9).
pub fn modal(problems: &mut Problems, data: &Value) {
    required_text(problems, data, "", "custom_id", 1, 100);
    required_text(problems, data, "", "title", 1, 45);
    let rows = list(problems, data, "", "components", 5);
    if rows.is_empty() {
        problems.add(
            "components",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 5 in length.",
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let row_path = format!("components.{r}");
        for (c, input) in list(problems, row, &row_path, "components", 1).iter().enumerate() {
            let path = join(&row_path, format!("components.{c}"));
            required_text(problems, input, &path, "custom_id", 1, 100);
            text(problems, input, &path, "label", 1, 45);
            text(problems, input, &path, "placeholder", 0, 100);
            text(problems, input, &path, "value", 0, 4000);
        }
    }
}
