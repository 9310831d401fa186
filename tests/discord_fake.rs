//! The fake Discord against the real clients: REST calls through a serenity `Http`
//! pointed at it, and a small poise bot over its gateway. What the fake accepts, it
//! must accept from serenity; what it refuses, it must refuse the way Discord does and
//! record.

mod support;

use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serde_json::{Value, json};
use support::fake_discord::{FakeDiscord, GatewayClose, Scope, Setup};
use tokio::sync::{Notify, mpsc};

/// The default setup's.
const TOKEN: &str = "fake-bot-token";
const WAIT: Duration = Duration::from_secs(10);
const ANA: u64 = 501;
const BEN: u64 = 502;
const GENERAL: u64 = 4000;

fn http(discord: &FakeDiscord) -> serenity::Http {
    serenity::HttpBuilder::new(TOKEN)
        .proxy(discord.base_url())
        .ratelimiter_disabled(true)
        .application_id(serenity::ApplicationId::new(Setup::default().application_id))
        .build()
}

/// The default world, for clients that do not promise never to ping (serenity's
/// `Http` as it comes, the small bot below).
fn setup() -> Setup {
    Setup {
        no_pings: false,
        ..Setup::default()
    }
}

/// Discord's error of a refused call: its code and the paths in its `errors` map.
fn refusal(error: serenity::Error) -> (isize, Vec<String>) {
    match error {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) => (
            response.error.code,
            response.error.errors.into_iter().map(|e| e.path).collect(),
        ),
        other => panic!("expected Discord to refuse the call, got {other:?}"),
    }
}

#[tokio::test]
async fn a_channel_message_is_seen_and_an_overlong_one_refused_with_50035() {
    let discord = FakeDiscord::start(setup()).await;
    let http = http(&discord);
    let channel = serenity::ChannelId::new(GENERAL);

    let sent = channel
        .say(&http, "hello")
        .await
        .expect("Discord takes the message");
    let seen = discord.wait_channel_messages(GENERAL, 1, WAIT).await.unwrap();
    assert_eq!(seen[0].id, sent.id.get());
    assert_eq!((seen[0].content.as_str(), seen[0].author_id), ("hello", 1000));

    let long = json!({"content": "x".repeat(2001)});
    let error = http.send_message(channel, vec![], &long).await.unwrap_err();
    assert_eq!(refusal(error), (50035, vec!["content".to_string()]));
    assert_eq!(
        discord.violations(),
        vec!["POST /api/v10/channels/4000/messages: content: Must be 2000 or fewer in length."]
    );
    assert_eq!(
        discord
            .wait_channel_messages(GENERAL, 1, WAIT)
            .await
            .unwrap()
            .len(),
        1
    );

    let mut sent = sent;
    sent.edit(&http, serenity::EditMessage::new().content("hello again"))
        .await
        .unwrap();
    let seen = discord.wait_channel_messages(GENERAL, 1, WAIT).await.unwrap();
    assert_eq!(seen[0].content, "hello again");
    assert!(seen[0].raw["edited_timestamp"].is_string());
}

#[tokio::test]
async fn a_repeated_nonce_with_enforce_nonce_returns_the_earlier_message_and_creates_none() {
    let discord = FakeDiscord::start(setup()).await;
    let http = http(&discord);
    let general = serenity::ChannelId::new(GENERAL);
    let once = |nonce: &str| {
        serenity::CreateMessage::new()
            .content("due today: Renew the passport")
            .nonce(serenity::Nonce::String(nonce.to_string()))
            .enforce_nonce(true)
    };

    let first = general.send_message(&http, once("due-x-0")).await.unwrap();
    assert!(
        matches!(&first.nonce, Some(serenity::Nonce::String(n)) if n == "due-x-0"),
        "{:?}",
        first.nonce
    );
    let repeat = general.send_message(&http, once("due-x-0")).await.unwrap();
    assert_eq!(repeat.id, first.id, "the earlier message is returned");
    // Another nonce, the same one unenforced, or in another channel: new messages.
    let other = general.send_message(&http, once("due-x-1")).await.unwrap();
    let unenforced = serenity::CreateMessage::new()
        .content("again")
        .nonce(serenity::Nonce::String("due-x-0".to_string()));
    let unenforced = general.send_message(&http, unenforced).await.unwrap();
    let elsewhere = serenity::ChannelId::new(4001)
        .send_message(&http, once("due-x-0"))
        .await
        .unwrap();
    let ids = [first.id, other.id, unenforced.id, elsewhere.id];
    assert!(
        ids.iter().enumerate().all(|(i, id)| !ids[..i].contains(id)),
        "{ids:?}"
    );
    let seen = discord.wait_channel_messages(GENERAL, 3, WAIT).await.unwrap();
    assert_eq!(seen.len(), 3, "{seen:?}");

    // Minutes later the nonce is forgotten.
    discord.advance(Duration::from_secs(3 * 60));
    let later = general.send_message(&http, once("due-x-0")).await.unwrap();
    assert!(!ids.contains(&later.id));

    let error = general
        .send_message(&http, once(&"n".repeat(26)))
        .await
        .unwrap_err();
    assert_eq!(refusal(error), (50035, vec!["nonce".to_string()]));
    general
        .send_message(&http, once(&"n".repeat(25)))
        .await
        .expect("25 characters are allowed");
    assert_eq!(
        discord.violations(),
        vec!["POST /api/v10/channels/4000/messages: nonce: Must be 25 or fewer in length."]
    );
}

#[tokio::test]
async fn the_current_user_and_application_are_the_bot() {
    let discord = FakeDiscord::start(setup()).await;
    let http = http(&discord);

    let me = http.get_current_user().await.unwrap();
    let application = http.get_current_application_info().await.unwrap();

    assert_eq!((me.id.get(), me.bot), (1000, true));
    assert_eq!(application.id.get(), 2000);
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn message_bodies_beyond_discords_limits_are_refused_at_the_offending_field() {
    let discord = FakeDiscord::start(setup()).await;
    let http = http(&discord);
    let button = |id: &str| json!({"type": 2, "style": 1, "custom_id": id, "label": "ok"});
    let row = |buttons: Vec<Value>| json!({"type": 1, "components": buttons});
    let field = json!({"name": "n", "value": "v"});
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "too many embeds",
            json!({"embeds": vec![json!({"title": "t"}); 11]}),
            "embeds",
        ),
        (
            "long title",
            json!({"embeds": [{"title": "t".repeat(257)}]}),
            "embeds.0.title",
        ),
        (
            "long description",
            json!({"embeds": [{"description": "d".repeat(4097)}]}),
            "embeds.0.description",
        ),
        (
            "too many fields",
            json!({"embeds": [{"fields": vec![field.clone(); 26]}]}),
            "embeds.0.fields",
        ),
        (
            "long field name",
            json!({"embeds": [{"fields": [{"name": "n".repeat(257), "value": "v"}]}]}),
            "embeds.0.fields.0.name",
        ),
        (
            "long field value",
            json!({"embeds": [{"fields": [{"name": "n", "value": "v".repeat(1025)}]}]}),
            "embeds.0.fields.0.value",
        ),
        (
            "empty field value",
            json!({"embeds": [{"fields": [{"name": "n", "value": ""}]}]}),
            "embeds.0.fields.0.value",
        ),
        (
            "long footer",
            json!({"embeds": [{"footer": {"text": "f".repeat(2049)}}]}),
            "embeds.0.footer.text",
        ),
        (
            "long author",
            json!({"embeds": [{"author": {"name": "a".repeat(257)}}]}),
            "embeds.0.author.name",
        ),
        (
            "over 6000 in all embeds",
            json!({"embeds": [{"description": "d".repeat(4000)}, {"description": "d".repeat(2001)}]}),
            "embeds",
        ),
        (
            "six rows",
            json!({"components": (0..6).map(|i| row(vec![button(&format!("b{i}"))])).collect::<Vec<_>>()}),
            "components",
        ),
        (
            "six buttons in a row",
            json!({"components": [row(["a", "b", "c", "d", "e", "f"].map(button).to_vec())]}),
            "components.0.components",
        ),
        (
            "long custom id",
            json!({"components": [row(vec![button(&"i".repeat(101))])]}),
            "components.0.components.0.custom_id",
        ),
        (
            "empty custom id",
            json!({"components": [row(vec![button("")])]}),
            "components.0.components.0.custom_id",
        ),
        (
            "long label",
            json!({"components": [row(vec![json!({"type": 2, "style": 1, "custom_id": "a", "label": "l".repeat(81)})])]}),
            "components.0.components.0.label",
        ),
        (
            "same custom id twice",
            json!({"components": [row(vec![button("a"), button("a")])]}),
            "components.0.components.1.custom_id",
        ),
        (
            "parse users and a user list",
            json!({"content": "hi", "allowed_mentions": {"parse": ["users"], "users": ["501"]}}),
            "allowed_mentions",
        ),
        (
            "reply to an unknown message",
            json!({"content": "hi", "message_reference": {"message_id": "42"}}),
            "message_reference",
        ),
    ];
    for (case, body, path) in &cases {
        let error = http
            .send_message(serenity::ChannelId::new(GENERAL), vec![], body)
            .await
            .expect_err(case);
        assert_eq!(refusal(error), (50035, vec![path.to_string()]), "{case}");
    }
    for body in [
        json!({"content": "  \n "}),
        json!({}),
        json!({"content": "", "embeds": []}),
    ] {
        let error = http
            .send_message(serenity::ChannelId::new(GENERAL), vec![], &body)
            .await
            .unwrap_err();
        assert_eq!(refusal(error).0, 50006, "{body}");
    }
    assert_eq!(discord.violations().len(), cases.len() + 3);
    assert_eq!(
        discord
            .wait_channel_messages(GENERAL, 0, WAIT)
            .await
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn a_dm_goes_through_a_private_channel() {
    let discord = FakeDiscord::start(setup()).await;
    let http = http(&discord);

    let channel = serenity::UserId::new(ANA).create_dm_channel(&http).await.unwrap();
    assert_eq!(channel.id.get(), discord.dm_channel_of(ANA));
    assert_eq!(channel.recipient.name, "ana");
    channel.say(&http, "your briefing").await.unwrap();
    channel.broadcast_typing(&http).await.unwrap();

    let dms = discord.wait_dms(ANA, 1, WAIT).await.unwrap();
    assert_eq!(dms[0].content, "your briefing");
    assert_eq!(discord.typing(channel.id.get()), 1);
    assert!(discord.wait_dms(BEN, 1, Duration::from_millis(50)).await.is_err());
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_message_to_a_dm_channel_the_bot_never_opened_is_refused() {
    let discord = FakeDiscord::start(setup()).await;
    let http = http(&discord);
    let channel = serenity::ChannelId::new(discord.dm_channel_of(BEN));

    let error = channel.say(&http, "psst").await.unwrap_err();

    assert_eq!(refusal(error).0, 10003);
    assert_eq!(discord.violations().len(), 1);
}

#[tokio::test]
async fn an_unhandled_route_is_answered_404_and_recorded() {
    let discord = FakeDiscord::start(setup()).await;
    let http = http(&discord);

    let error = http
        .get_guild_webhooks(serenity::GuildId::new(3000))
        .await
        .unwrap_err();

    assert_eq!(refusal(error).0, 0);
    assert_eq!(
        discord.violations(),
        vec!["unhandled GET /api/v10/guilds/3000/webhooks"]
    );
}

#[tokio::test]
async fn command_sets_beyond_discords_rules_are_refused() {
    let discord = FakeDiscord::start(setup()).await;
    let http = http(&discord);
    let guild = serenity::GuildId::new(3000);
    let option = |name: &str, required: bool| json!({"type": 3, "name": name, "description": "d", "required": required});
    let cases: Vec<(&str, Value, &str)> = vec![
        ("capitals", json!({"name": "Ping", "description": "d"}), "0.name"),
        (
            "a space",
            json!({"name": "two words", "description": "d"}),
            "0.name",
        ),
        (
            "33 characters",
            json!({"name": "p".repeat(33), "description": "d"}),
            "0.name",
        ),
        (
            "no description",
            json!({"name": "ping", "description": ""}),
            "0.description",
        ),
        (
            "long description",
            json!({"name": "ping", "description": "d".repeat(101)}),
            "0.description",
        ),
        (
            "a context menu with a description",
            json!({"type": 3, "name": "Count words", "description": "d"}),
            "0.description",
        ),
        (
            "required after optional",
            json!({"name": "ping", "description": "d", "options": [option("a", false), option("b", true)]}),
            "0.options.1.required",
        ),
        (
            "26 options",
            json!({"name": "ping", "description": "d",
                   "options": (0..26).map(|i| option(&format!("o{i}"), false)).collect::<Vec<_>>()}),
            "0.options",
        ),
        (
            "an uppercase option",
            json!({"name": "ping", "description": "d", "options": [option("Text", false)]}),
            "0.options.0.name",
        ),
        (
            "26 choices",
            json!({"name": "ping", "description": "d", "options": [{
                "type": 3, "name": "c", "description": "d",
                "choices": (0..26).map(|i| json!({"name": format!("c{i}"), "value": format!("{i}")})).collect::<Vec<_>>(),
            }]}),
            "0.options.0.choices",
        ),
    ];
    for (case, command, path) in &cases {
        let error = http
            .create_guild_commands(guild, &json!([command]))
            .await
            .expect_err(case);
        assert_eq!(refusal(error), (50035, vec![path.to_string()]), "{case}");
    }
    assert_eq!(discord.commands_scope(), None);

    let fine = json!([
        {"name": "ping", "description": "Answers pong", "options": [option("a", true), option("b", false)]},
        {"type": 3, "name": "Count words", "description": ""},
    ]);
    let commands = http.create_guild_commands(guild, &fine).await.unwrap();
    assert_eq!(commands.len(), 2);
    assert_eq!(discord.commands_scope(), Some(Scope::Guild(3000)));
    assert_eq!(discord.violations().len(), cases.len());
}

// A small poise bot: what the fake must serve for a real bot to work.

struct Data {
    /// Errors the framework reports, for the test to read.
    errors: mpsc::UnboundedSender<String>,
    /// `/slow` waits for this.
    release: Arc<Notify>,
}

type Error = Box<dyn std::error::Error + Send + Sync>;
type Context<'a> = poise::Context<'a, Data, Error>;

/// Answers only the person asking.
#[poise::command(slash_command)]
async fn ping(ctx: Context<'_>) -> Result<(), Error> {
    ctx.send(poise::CreateReply::default().content("pong").ephemeral(true))
        .await?;
    Ok(())
}

/// Says a text some times, for someone.
#[poise::command(slash_command)]
async fn repeat(
    ctx: Context<'_>,
    #[description = "What to say"] text: String,
    #[description = "How often"] times: Option<i64>,
    #[description = "For whom"] user: Option<serenity::User>,
) -> Result<(), Error> {
    let mut reply = vec![text; times.unwrap_or(1) as usize].join(" ");
    if let Some(user) = user {
        reply += &format!(" for {}", user.name);
    }
    ctx.say(reply).await?;
    Ok(())
}

/// Answers once the test lets it.
#[poise::command(slash_command)]
async fn slow(ctx: Context<'_>) -> Result<(), Error> {
    ctx.data().release.notified().await;
    ctx.say("finally").await?;
    Ok(())
}

/// Thinks, then answers twice.
#[poise::command(slash_command)]
async fn think(ctx: Context<'_>) -> Result<(), Error> {
    ctx.defer().await?;
    ctx.say("thought").await?;
    ctx.say("and more").await?;
    Ok(())
}

/// Offers two buttons.
#[poise::command(slash_command)]
async fn menu(ctx: Context<'_>) -> Result<(), Error> {
    let buttons = vec![
        serenity::CreateButton::new("done").label("Done"),
        serenity::CreateButton::new("later").label("Later"),
    ];
    let reply = poise::CreateReply::default()
        .content("Pick one")
        .components(vec![serenity::CreateActionRow::Buttons(buttons)]);
    ctx.send(reply).await?;
    Ok(())
}

/// Projects.
#[poise::command(slash_command, subcommands("status"))]
async fn project(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

async fn project_names(_ctx: Context<'_>, partial: &str) -> Vec<String> {
    ["alpha", "almond", "beta"]
        .into_iter()
        .filter(|name| name.starts_with(partial))
        .map(String::from)
        .collect()
}

/// A project's status.
#[poise::command(slash_command)]
async fn status(
    ctx: Context<'_>,
    #[description = "The project"]
    #[autocomplete = "project_names"]
    name: String,
) -> Result<(), Error> {
    ctx.say(format!("{name}: on track")).await?;
    Ok(())
}

#[poise::command(context_menu_command = "Count words")]
async fn count_words(ctx: Context<'_>, message: serenity::Message) -> Result<(), Error> {
    ctx.say(format!("{} words", message.content.split_whitespace().count()))
        .await?;
    Ok(())
}

/// Greets whoever mentions it, answers DMs in DMs, and answers the buttons: "done"
/// updates the message at once, "later" acknowledges first and edits it after.
async fn on_event(ctx: &serenity::Context, event: &serenity::FullEvent) -> Result<(), Error> {
    match event {
        serenity::FullEvent::Message { new_message } if !new_message.author.bot => {
            if new_message.guild_id.is_none() {
                new_message
                    .author
                    .direct_message(ctx, serenity::CreateMessage::new().content("got your DM"))
                    .await?;
            } else if new_message.mentions_me(ctx).await? {
                let greeting = format!("hi {}", new_message.author.name);
                new_message.channel_id.say(ctx, greeting).await?;
            }
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(click),
        } if click.data.custom_id == "done" => {
            let update = serenity::CreateInteractionResponseMessage::new()
                .content("Done!")
                .components(vec![]);
            click
                .create_response(ctx, serenity::CreateInteractionResponse::UpdateMessage(update))
                .await?;
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(click),
        } => {
            click
                .create_response(ctx, serenity::CreateInteractionResponse::Acknowledge)
                .await?;
            let edit = serenity::EditInteractionResponse::new().content("Later, then.");
            click.edit_response(ctx, edit).await?;
        }
        _ => {}
    }
    Ok(())
}

/// The bot's handle: its errors, the `/slow` release, its shards and the client task.
struct Bot {
    errors: mpsc::UnboundedReceiver<String>,
    release: Arc<Notify>,
    shard_manager: Arc<serenity::ShardManager>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Bot {
    async fn next_error(&mut self) -> String {
        tokio::time::timeout(WAIT, self.errors.recv())
            .await
            .expect("an error in time")
            .expect("the bot still runs")
    }
}

/// Starts the bot against the fake and waits until it is ready.
async fn start_bot(discord: &FakeDiscord) -> Bot {
    let (errors, errors_seen) = mpsc::unbounded_channel();
    let release = Arc::new(Notify::new());
    let data = Data {
        errors,
        release: Arc::clone(&release),
    };
    let options = poise::FrameworkOptions {
        commands: vec![
            ping(),
            repeat(),
            slow(),
            think(),
            menu(),
            project(),
            count_words(),
        ],
        event_handler: |ctx, event, _framework, _data| Box::pin(on_event(ctx, event)),
        on_error: |error| {
            Box::pin(async move {
                let text = match &error {
                    poise::FrameworkError::Command { error, .. } => error.to_string(),
                    poise::FrameworkError::EventHandler { error, .. } => error.to_string(),
                    other => format!("{other}"),
                };
                if let Some(data) = error.ctx().map(|ctx| ctx.data()) {
                    let _ = data.errors.send(text);
                } else if let poise::FrameworkError::EventHandler { framework, .. } = &error {
                    let _ = framework.user_data.errors.send(text);
                }
            })
        },
        ..Default::default()
    };
    let framework = poise::Framework::builder()
        .options(options)
        .initialize_owners(false)
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(
                    ctx,
                    &framework.options().commands,
                    serenity::GuildId::new(3000),
                )
                .await?;
                Ok(data)
            })
        })
        .build();
    let http = serenity::HttpBuilder::new(TOKEN)
        .proxy(discord.base_url())
        .ratelimiter_disabled(true)
        .build();
    let intents = serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::DIRECT_MESSAGES
        | serenity::GatewayIntents::MESSAGE_CONTENT;
    let mut client = serenity::ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await
        .expect("a client");
    let shard_manager = Arc::clone(&client.shard_manager);
    let task = tokio::spawn(async move {
        let _ = client.start().await;
    });
    discord.wait_ready(WAIT).await.expect("the bot starts");
    Bot {
        errors: errors_seen,
        release,
        shard_manager,
        task,
    }
}

#[tokio::test]
async fn a_poise_bot_registers_its_commands_and_answers_a_slash_command_ephemerally() {
    let discord = FakeDiscord::start(setup()).await;
    let mut bot = start_bot(&discord).await;

    assert_eq!(discord.commands_scope(), Some(Scope::Guild(3000)));
    let names: Vec<&str> = Vec::new();
    let commands = discord.commands();
    let names = commands.iter().fold(names, |mut names, c| {
        names.push(c["name"].as_str().unwrap());
        names
    });
    assert_eq!(
        names,
        [
            "ping",
            "repeat",
            "slow",
            "think",
            "menu",
            "project",
            "Count words"
        ]
    );

    let asked = discord.slash(ANA, GENERAL, "ping", &[]).await.unwrap();
    let reply = asked.reply(WAIT).await.unwrap();
    assert_eq!((reply.content.as_str(), reply.ephemeral), ("pong", true));
    assert_eq!(discord.violations(), Vec::<String>::new());

    let again = json!({"type": 4, "data": {"content": "pong again"}});
    let error = http(&discord)
        .create_interaction_response(
            serenity::InteractionId::new(asked.id),
            &asked.token,
            &again,
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(refusal(error).0, 40060);
    assert_eq!(discord.violations().len(), 1);
    assert!(
        discord.violations()[0].contains("40060"),
        "{:?}",
        discord.violations()
    );
    assert!(bot.errors.try_recv().is_err());
}

#[tokio::test]
async fn options_are_typed_from_the_registered_definition() {
    let discord = FakeDiscord::start(setup()).await;
    let _bot = start_bot(&discord).await;

    let options = [("text", json!("hey")), ("times", json!(2)), ("user", json!(BEN))];
    let asked = discord.slash(ANA, GENERAL, "repeat", &options).await.unwrap();
    assert_eq!(asked.reply(WAIT).await.unwrap().content, "hey hey for ben");

    let wrong_type = discord.slash(ANA, GENERAL, "repeat", &[("text", json!(3))]).await;
    let unknown_option = discord
        .slash(ANA, GENERAL, "repeat", &[("txt", json!("a"))])
        .await;
    let missing = discord
        .slash(ANA, GENERAL, "repeat", &[("times", json!(1))])
        .await;
    let unknown_command = discord.slash(ANA, GENERAL, "repeet", &[]).await;
    for attempt in [wrong_type, unknown_option, missing, unknown_command] {
        assert!(attempt.is_err());
    }
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_first_answer_after_three_seconds_is_refused_with_10062() {
    let discord = FakeDiscord::start(setup()).await;
    let mut bot = start_bot(&discord).await;

    let asked = discord.slash(ANA, GENERAL, "slow", &[]).await.unwrap();
    discord.advance(Duration::from_secs(4));
    bot.release.notify_one();

    assert!(bot.next_error().await.contains("Unknown interaction"));
    assert!(
        discord.violations()[0].contains("10062"),
        "{:?}",
        discord.violations()
    );
    assert!(asked.reply(Duration::from_millis(50)).await.is_err());
}

#[tokio::test]
async fn a_deferred_answer_is_the_first_follow_up_and_more_follow() {
    let discord = FakeDiscord::start(setup()).await;
    let _bot = start_bot(&discord).await;

    let asked = discord.slash(ANA, GENERAL, "think", &[]).await.unwrap();

    assert_eq!(asked.reply(WAIT).await.unwrap().content, "thought");
    let messages = asked.messages(2, WAIT).await.unwrap();
    let contents: Vec<&str> = messages.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(contents, ["thought", "and more"]);
    assert_eq!(asked.callback_type(), Some(5));
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_subcommand_autocompletes_and_runs() {
    let discord = FakeDiscord::start(setup()).await;
    let _bot = start_bot(&discord).await;

    let partial = [("name", json!("al"))];
    let choices = discord
        .autocomplete(ANA, GENERAL, "project status", &partial, "name", WAIT)
        .await
        .unwrap();
    let names: Vec<&Value> = choices.iter().map(|c| &c["name"]).collect();
    assert_eq!(names, [&json!("alpha"), &json!("almond")]);

    let asked = discord
        .slash(ANA, GENERAL, "project status", &[("name", json!("beta"))])
        .await
        .unwrap();
    assert_eq!(asked.reply(WAIT).await.unwrap().content, "beta: on track");
    assert!(discord.slash(ANA, GENERAL, "project", &[]).await.is_err());
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_click_updates_the_message_it_was_on() {
    let discord = FakeDiscord::start(setup()).await;
    let _bot = start_bot(&discord).await;
    let asked = discord.slash(BEN, GENERAL, "menu", &[]).await.unwrap();
    let menu = asked.reply(WAIT).await.unwrap();
    let buttons =
        [("done", "Done"), ("later", "Later")].map(|(id, label)| (id.to_string(), label.to_string()));
    assert_eq!(menu.buttons(), buttons);

    let clicked = discord.click(BEN, &menu, "done").await.unwrap();

    let updated = clicked.reply(WAIT).await.unwrap();
    assert_eq!((updated.id, updated.content.as_str()), (menu.id, "Done!"));
    assert!(updated.buttons().is_empty());
    assert_eq!(asked.reply(WAIT).await.unwrap().content, "Done!");
    assert!(
        discord.click(BEN, &menu, "done").await.is_err(),
        "the button is gone"
    );
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_deferred_update_shows_as_the_next_edit_of_the_message() {
    let discord = FakeDiscord::start(setup()).await;
    let _bot = start_bot(&discord).await;
    let menu = discord.slash(BEN, GENERAL, "menu", &[]).await.unwrap();
    let menu = menu.reply(WAIT).await.unwrap();

    let clicked = discord.click(BEN, &menu, "later").await.unwrap();

    let edited = clicked.reply(WAIT).await.unwrap();
    assert_eq!((edited.id, edited.content.as_str()), (menu.id, "Later, then."));
    assert_eq!(edited.buttons().len(), 2);
    assert_eq!(clicked.callback_type(), Some(6));
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_callback_type_that_does_not_fit_the_interaction_is_refused() {
    let discord = FakeDiscord::start(setup()).await;
    let bot = start_bot(&discord).await;
    let asked = discord.slash(ANA, GENERAL, "slow", &[]).await.unwrap();

    let choices = json!({"type": 8, "data": {"choices": []}});
    let error = http(&discord)
        .create_interaction_response(
            serenity::InteractionId::new(asked.id),
            &asked.token,
            &choices,
            vec![],
        )
        .await
        .unwrap_err();

    assert_eq!(refusal(error), (50035, vec!["type".to_string()]));
    bot.release.notify_one();
    assert_eq!(asked.reply(WAIT).await.unwrap().content, "finally");
    assert_eq!(discord.violations().len(), 1);
}

#[tokio::test]
async fn messages_mentions_dms_and_context_menus_reach_the_bot() {
    let discord = FakeDiscord::start(setup()).await;
    let _bot = start_bot(&discord).await;

    discord.say(BEN, GENERAL, "no one in particular").await;
    let said = discord.say(ANA, GENERAL, "hello <@1000> and welcome").await;
    let greeting = discord.wait_channel_messages(GENERAL, 1, WAIT).await.unwrap();
    assert_eq!(greeting[0].content, "hi ana");

    discord.dm(BEN, "are you there?").await;
    assert_eq!(
        discord.wait_dms(BEN, 1, WAIT).await.unwrap()[0].content,
        "got your DM"
    );

    let counted = discord.context_menu(BEN, "Count words", &said).await.unwrap();
    assert_eq!(counted.reply(WAIT).await.unwrap().content, "4 words");
    assert_eq!(
        discord
            .wait_channel_messages(GENERAL, 1, WAIT)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn after_a_dropped_connection_the_bot_resumes_and_gets_what_it_missed() {
    let discord = FakeDiscord::start(setup()).await;
    let _bot = start_bot(&discord).await;

    discord.disconnect();
    let asked = discord.slash(ANA, GENERAL, "ping", &[]).await.unwrap();

    assert_eq!(asked.reply(WAIT).await.unwrap().content, "pong");
    let counts = discord.gateway_counts();
    assert_eq!((counts.identifies, counts.resumes), (1, 1));
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn heartbeats_are_acknowledged_so_the_session_lasts() {
    let discord = FakeDiscord::start(setup()).await;
    discord.heartbeat_every(Duration::from_millis(250));
    let _bot = start_bot(&discord).await;

    let two_heartbeats = async {
        while discord.gateway_counts().heartbeats < 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(WAIT, two_heartbeats)
        .await
        .expect("two heartbeats");

    let counts = discord.gateway_counts();
    assert_eq!((counts.identifies, counts.resumes), (1, 0), "{counts:?}");
}

#[tokio::test]
async fn follow_ups_need_an_acknowledged_interaction_and_a_token_younger_than_15_minutes() {
    let discord = FakeDiscord::start(setup()).await;
    let bot = start_bot(&discord).await;
    let http = http(&discord);
    let follow_up = json!({"content": "more"});

    let asked = discord.slash(ANA, GENERAL, "slow", &[]).await.unwrap();
    let early = http
        .create_followup_message(&asked.token, &follow_up, vec![])
        .await
        .unwrap_err();
    assert_eq!(refusal(early).0, 10015);

    bot.release.notify_one();
    assert_eq!(asked.reply(WAIT).await.unwrap().content, "finally");
    let edit = json!({"content": "finally, edited"});
    http.edit_original_interaction_response(&asked.token, &edit, vec![])
        .await
        .unwrap();
    assert_eq!(asked.reply(WAIT).await.unwrap().content, "finally, edited");

    discord.advance(Duration::from_secs(15 * 60 + 1));
    let late = http
        .create_followup_message(&asked.token, &follow_up, vec![])
        .await
        .unwrap_err();
    assert_eq!(refusal(late).0, 50027);
    assert_eq!(asked.messages(1, WAIT).await.unwrap().len(), 1);
    assert_eq!(discord.violations().len(), 2, "{:?}", discord.violations());
}

#[tokio::test]
async fn a_rate_limited_route_answers_429_as_discord_does_until_retry_after_has_passed() {
    let discord = FakeDiscord::start(setup()).await;
    let route = format!("channels/{GENERAL}/messages");
    discord.rate_limit_next(&route, 1, Duration::from_millis(1500));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let post = |content: &str| {
        client
            .post(format!("{}/api/v10/{route}", discord.base_url()))
            .header("authorization", format!("Bot {TOKEN}"))
            .header("content-type", "application/json")
            .body(json!({"content": content}).to_string())
            .send()
    };

    let limited = post("hello").await.unwrap();
    assert_eq!(limited.status(), 429);
    let header = |name: &str| {
        limited
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_string())
    };
    assert_eq!(header("retry-after").as_deref(), Some("2"), "whole seconds, up");
    assert_eq!(header("x-ratelimit-remaining").as_deref(), Some("0"));
    assert_eq!(header("x-ratelimit-reset-after").as_deref(), Some("1.500"));
    assert_eq!(header("x-ratelimit-scope").as_deref(), Some("user"));
    assert!(header("x-ratelimit-limit").is_some() && header("x-ratelimit-bucket").is_some());
    assert!(header("x-ratelimit-reset").is_some());
    let body: Value = serde_json::from_str(&limited.text().await.unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"message": "You are being rate limited.", "retry_after": 1.5, "global": false})
    );
    // Serenity with its rate limiter off: an error, the wait lost with the body.
    let elsewhere = http(&discord)
        .send_message(
            serenity::ChannelId::new(4001),
            vec![],
            &json!({"content": "elsewhere"}),
        )
        .await;
    assert!(elsewhere.is_ok(), "another route is not limited");
    discord.rate_limit_next("channels/4001/", 1, Duration::from_secs(1));
    let error = serenity::ChannelId::new(4001)
        .say(&http(&discord), "again")
        .await
        .unwrap_err();
    match error {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) => {
            assert_eq!((response.status_code.as_u16(), response.error.code), (429, -1));
        }
        other => panic!("{other:?}"),
    }
    assert!(discord.violations().is_empty(), "{:?}", discord.violations());

    // Sooner than retry_after: refused again, and recorded.
    assert_eq!(post("too soon").await.unwrap().status(), 429);
    let violations = discord.violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(violations[0].contains("before the retry_after"), "{violations:?}");

    discord.advance(Duration::from_millis(1500));
    assert_eq!(post("at last").await.unwrap().status(), 200);
    let seen = discord.wait_channel_messages(GENERAL, 1, WAIT).await.unwrap();
    let contents: Vec<&str> = seen.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(contents, ["at last"]);
    let statuses: Vec<u16> = discord.attempts(&route).iter().map(|a| a.status).collect();
    assert_eq!(statuses, [429, 429, 200]);
}

#[tokio::test]
async fn the_close_frame_of_a_clean_shutdown_is_kept() {
    let discord = FakeDiscord::start(setup()).await;
    let bot = start_bot(&discord).await;
    assert_eq!(discord.gateway_closes(), []);

    bot.shard_manager.shutdown_all().await;

    let closes = discord.wait_gateway_closes(1, WAIT).await.unwrap();
    let clean = GatewayClose {
        code: Some(1000),
        reason: String::new(),
    };
    assert_eq!(closes, [clean]);
    assert_eq!(discord.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_token_that_is_not_the_bots_is_refused_at_identify_with_4004_and_by_rest_with_401() {
    let discord = FakeDiscord::start(setup()).await;
    let wrong = serenity::HttpBuilder::new("not-the-bots-token")
        .proxy(discord.base_url())
        .ratelimiter_disabled(true)
        .build();
    // Gateway discovery needs no token, as on Discord.
    let gateway = wrong.get_gateway().await.unwrap();
    assert!(gateway.url.starts_with("ws://127.0.0.1:"), "{}", gateway.url);
    match wrong.get_current_user().await.unwrap_err() {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) => {
            assert_eq!(response.status_code.as_u16(), 401);
        }
        other => panic!("{other:?}"),
    }

    let mut client = serenity::ClientBuilder::new_with_http(wrong, serenity::GatewayIntents::GUILDS)
        .await
        .expect("a client");
    let stopped = tokio::time::timeout(WAIT, client.start())
        .await
        .expect("the client stops");
    assert!(
        matches!(
            stopped,
            Err(serenity::Error::Gateway(
                serenity::GatewayError::InvalidAuthentication
            ))
        ),
        "{stopped:?}"
    );
    let counts = discord.gateway_counts();
    assert_eq!((counts.connections, counts.identifies), (1, 0), "{counts:?}");
    let violations = discord.violations();
    assert!(
        violations.contains(&"gateway: IDENTIFY with a token that is not the bot's".to_string()),
        "{violations:?}"
    );
    assert!(
        violations
            .iter()
            .all(|v| v.starts_with("gateway: IDENTIFY") || v.ends_with("401: Unauthorized")),
        "{violations:?}"
    );
}

#[tokio::test]
async fn a_message_or_edit_that_could_ping_is_recorded_when_pings_are_breaches() {
    let discord = FakeDiscord::start(Setup::default()).await;
    let http = http(&discord);
    let general = serenity::ChannelId::new(GENERAL);
    let quiet = json!({"parse": [], "users": [], "roles": [], "replied_user": false});
    let mut said = general
        .send_message(
            &http,
            serenity::CreateMessage::new()
                .content("hi <@502>")
                .allowed_mentions(serenity::CreateAllowedMentions::new()),
        )
        .await
        .unwrap();
    http.send_message(
        general,
        vec![],
        &json!({"content": "hi <@502>", "allowed_mentions": quiet}),
    )
    .await
    .unwrap();
    assert_eq!(discord.violations(), Vec::<String>::new());
    // The one person a message names by id may be pinged on purpose.
    http.send_message(
        general,
        vec![],
        &json!({"content": "<@502> your task is stuck", "allowed_mentions": {"parse": [], "users": ["502"]}}),
    )
    .await
    .unwrap();
    assert_eq!(discord.violations(), Vec::<String>::new());

    let pinging = [
        json!({"content": "hi <@502>"}),
        json!({"content": "hi <@502>", "allowed_mentions": {"parse": ["users"]}}),
        json!({"content": "hi <@502>", "allowed_mentions": {"parse": [], "users": ["503"]}}),
        json!({"content": "hi <@&600>", "allowed_mentions": {"parse": [], "roles": ["600"]}}),
        json!({"content": "hi", "allowed_mentions": {"parse": [], "replied_user": true}}),
    ];
    for body in &pinging {
        http.send_message(general, vec![], body)
            .await
            .expect("Discord takes it");
    }
    said.edit(&http, serenity::EditMessage::new().content("hi again <@502>"))
        .await
        .unwrap();
    let violations = discord.violations();
    let post = "POST /api/v10/channels/4000/messages";
    assert_eq!(
        violations,
        [
            format!("{post}: no allowed_mentions: every mention in it pings"),
            format!("{post}: allowed_mentions.parse [\"users\"] may ping"),
            format!("{post}: allowed_mentions.users [\"503\"] may ping"),
            format!("{post}: allowed_mentions.roles [\"600\"] may ping"),
            format!("{post}: allowed_mentions.replied_user true pings the author replied to"),
            format!(
                "PATCH /api/v10/channels/4000/messages/{}: no allowed_mentions: every mention in it pings",
                said.id
            ),
        ]
    );
    let seen = discord.wait_channel_messages(GENERAL, 7, WAIT).await.unwrap();
    assert_eq!(seen[0].allowed_mentions, None, "the edit's own, none");
}
