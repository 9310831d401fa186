//! Each interaction and message the bot handles, in a span of its own: what it is
//! (`command`, `autocomplete`, `button`, `message`), the command, the person (their
//! handle when configured), the Discord user, guild and channel. [`Traced`] wraps
//! poise's framework, so every command, check, error handler and event handler runs
//! inside the span of its interaction without each one saying so.

use myorg_domain::people::People;
use poise::serenity_prelude as serenity;
use serenity::{CommandDataOptionValue, FullEvent, Interaction};
use tracing::Instrument;

/// poise's framework, dispatching each event inside its span.
pub struct Traced<F> {
    pub inner: F,
    pub people: People,
}

#[serenity::async_trait]
impl<F: serenity::Framework> serenity::Framework for Traced<F> {
    async fn init(&mut self, client: &serenity::Client) {
        self.inner.init(client).await;
    }

    async fn dispatch(&self, ctx: serenity::Context, event: FullEvent) {
        match span_of(&event, &self.people) {
            Some(span) => self.inner.dispatch(ctx, event).instrument(span).await,
            None => self.inner.dispatch(ctx, event).await,
        }
    }
}

/// The span of an interaction or a message; `None` for the gateway's other events.
fn span_of(event: &FullEvent, people: &People) -> Option<tracing::Span> {
    let (kind, command, user, guild, channel) = match event {
        FullEvent::InteractionCreate { interaction } => match interaction {
            Interaction::Command(command) => (
                "command",
                qualified(&command.data.name, &command.data.options),
                &command.user,
                command.guild_id,
                command.channel_id,
            ),
            Interaction::Autocomplete(command) => (
                "autocomplete",
                qualified(&command.data.name, &command.data.options),
                &command.user,
                command.guild_id,
                command.channel_id,
            ),
            Interaction::Component(click) => (
                "button",
                // The kind of button (`page`, `yes`…), never the rest of its id.
                click
                    .data
                    .custom_id
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                &click.user,
                click.guild_id,
                click.channel_id,
            ),
            _ => return None,
        },
        FullEvent::Message { new_message } if !new_message.author.bot => (
            "message",
            String::new(),
            &new_message.author,
            new_message.guild_id,
            new_message.channel_id,
        ),
        _ => return None,
    };
    let person = people
        .by_discord_id(user.id.get())
        .map(|person| person.handle.as_str())
        .unwrap_or("");
    Some(tracing::info_span!(
        "discord",
        kind,
        command = %command,
        person,
        user = user.id.get(),
        guild = guild.map(|guild| guild.get()),
        channel = channel.get(),
    ))
}

/// `name` and its subcommands, as typed: `project status`.
fn qualified(name: &str, options: &[serenity::CommandDataOption]) -> String {
    let mut qualified = name.to_string();
    let mut options = options;
    while let Some(option) = options.first() {
        match &option.value {
            CommandDataOptionValue::SubCommand(inner) | CommandDataOptionValue::SubCommandGroup(inner) => {
                qualified.push(' ');
                qualified.push_str(&option.name);
                options = inner;
            }
            _ => break,
        }
    }
    qualified
}
