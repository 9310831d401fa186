//! `/settings`: a person's own settings (briefing times, quiet hours, the daily limit,
//! the kinds of reminder, DMs or the team channel, timezone, default context), shown
//! or one of them set, through [`crate::app::settings`]. Each person sets their own;
//! the answer is private.

use super::{run, say, titled};
use crate::app::settings;
use crate::discord::{Context, Error};

/// Which setting.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub(super) enum Key {
    #[name = "morning"]
    Morning,
    #[name = "evening"]
    Evening,
    #[name = "review"]
    Review,
    #[name = "quiet_hours"]
    QuietHours,
    #[name = "max_per_day"]
    MaxPerDay,
    #[name = "reminders"]
    Reminders,
    #[name = "deliver"]
    Deliver,
    #[name = "timezone"]
    Timezone,
    #[name = "context"]
    Context,
    #[name = "work_hours"]
    WorkHours,
}

impl Key {
    /// Its name in the settings file, as [`settings::KEYS`] has it.
    fn name(self) -> &'static str {
        match self {
            Key::Morning => "morning",
            Key::Evening => "evening",
            Key::Review => "review",
            Key::QuietHours => "quiet_hours",
            Key::MaxPerDay => "max_per_day",
            Key::Reminders => "reminders",
            Key::Deliver => "deliver",
            Key::Timezone => "timezone",
            Key::Context => "context",
            Key::WorkHours => "work_hours",
        }
    }
}

/// Your own settings: briefing times, quiet hours, reminders, timezone…
#[poise::command(slash_command)]
pub(super) async fn settings(
    ctx: Context<'_>,
    #[description = "The setting to change (none: show them all)"] key: Option<Key>,
    #[description = "Its new value (`default` puts it back), e.g. 07:30 or 22:00-07:00"]
    #[max_length = 100]
    value: Option<String>,
) -> Result<(), Error> {
    match (key, value) {
        (Some(key), Some(value)) => {
            let done = run(ctx, "settings", move |app| {
                settings::set(app, None, key.name(), &value)
            })
            .await?;
            say(ctx, done, |changed| changed.said()).await
        }
        (Some(key), None) => {
            let meaning = settings::KEYS
                .iter()
                .find(|(name, _)| *name == key.name())
                .map_or("", |(_, meaning)| *meaning);
            let done: crate::app::Result<()> = Err(crate::app::Error::Invalid(format!(
                "give {} a value ({meaning}), or `default`",
                key.name()
            )));
            say(ctx, done, |()| String::new()).await
        }
        (None, _) => {
            let done = run(ctx, "settings", |app| settings::show(&app.look(), None)).await?;
            titled(ctx, done, "Your settings", |shown| shown.lines()[1..].join("\n")).await
        }
    }
}
