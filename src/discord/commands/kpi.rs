//! `/kpi`: the latest figures of kpi.txt with their change, in an embed; with a key,
//! that figure's line chart attached as a PNG and shown as the embed's image, with its
//! latest value and the readings drawn. The use cases of [`crate::app::kpi`].

use super::{run, titled};
use crate::app::chart::Size;
use crate::app::kpi;
use crate::discord::{Context, Error, reply};
use poise::CreateReply;
use poise::serenity_prelude as serenity;

/// The latest figures and their change, or one figure's chart
#[poise::command(slash_command)]
pub(super) async fn kpi(
    ctx: Context<'_>,
    #[description = "A figure's key, like mrr, to draw its chart"]
    #[max_length = 64]
    key: Option<String>,
    #[description = "The chart's first day: a date or words (default: all readings)"]
    #[max_length = 40]
    since: Option<String>,
) -> Result<(), Error> {
    let Some(key) = key else {
        if since.is_some() {
            return reply::error(
                ctx,
                "since is for a chart: give the figure's key too, like key:mrr",
            )
            .await;
        }
        let done = run(ctx, "kpi", |app| kpi::current(&app.look())).await?;
        return titled(ctx, done, "Figures", |current| current.said()).await;
    };
    let done = run(ctx, "kpi chart", move |app| {
        let look = app.look();
        let chart = kpi::chart(&look, &key, since.as_deref(), Size::DEFAULT)?;
        let current = kpi::current(&look)?;
        Ok((chart, current))
    })
    .await?;
    let (chart, current) = match done {
        Ok(done) => done,
        Err(error) => return reply::error(ctx, &error.to_string()).await,
    };
    let mut body: Vec<String> = current.line_of(&chart.key).into_iter().collect();
    body.push(String::new());
    body.extend(chart.reading_lines());
    let name = chart.file_name();
    let embed = reply::embed(&chart.title(), &body.join("\n")).image(format!("attachment://{name}"));
    let answer = CreateReply::default()
        .embed(embed)
        .attachment(serenity::CreateAttachment::bytes(chart.png, name));
    reply::send(ctx, answer).await
}
