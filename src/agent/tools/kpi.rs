//! The figures tools: `get_kpi` (the readings of a key or of all, optionally since a
//! day), `get_arr_data` (the latest figures and their change) and `update_arr_data`
//! (a reading added): the use cases of [`crate::app::kpi`], as `myorg kpi` has them.
//! The reading ones also give the figures as data ([`SeriesShownJson`],
//! [`FiguresJson`]).

use super::{Effect, Found, Outcome, Tool, ToolContext, reading_tool_with_data, tool};
use crate::app::json::{FiguresJson, SeriesShownJson};
use crate::app::kpi::{self, NewReading, Wanted};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde_json::{Map, Value};

pub(super) fn tools() -> Vec<Tool> {
    vec![
        reading_tool_with_data(
            "get_kpi",
            "Readings of a figure (mrr, arr, users…) or of all, from kpi.txt; optionally since a day.",
            get_kpi,
        ),
        reading_tool_with_data(
            "get_arr_data",
            "The latest figures (mrr, arr, users…), each with its change since the reading before.",
            get_arr_data,
        ),
        tool(
            "update_arr_data",
            "Add a dated reading of figures (mrr, arr, users…) to kpi.txt.",
            Effect::Changes,
            update_arr_data,
        ),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetKpi {
    /// One figure's key, like mrr (default: all).
    key: Option<String>,
    /// Only readings on or after this day (date or words).
    since: Option<String>,
}

fn get_kpi(ctx: &ToolContext, args: GetKpi) -> anyhow::Result<Found<SeriesShownJson>> {
    let wanted = Wanted {
        key: args.key,
        since: args.since,
    };
    let shown = kpi::series(&ctx.look(), &wanted)?;
    Ok(Found {
        said: shown.said(),
        data: SeriesShownJson::from(&shown),
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetArrData {}

fn get_arr_data(ctx: &ToolContext, _args: GetArrData) -> anyhow::Result<Found<FiguresJson>> {
    let current = kpi::current(&ctx.look())?;
    Ok(Found {
        said: current.said(),
        data: FiguresJson::from(&current),
    })
}

/// Figures by key: lowercase keys, decimal numbers.
fn figures_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "description": "Figures by lowercase key, like {\"mrr\": 1200, \"arr\": 14400, \"users\": 53}.",
        "additionalProperties": {"type": "number"},
        "minProperties": 1,
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateArrData {
    #[schemars(schema_with = "figures_schema")]
    figures: Map<String, Value>,
    /// The day of the reading (default today; date or words).
    date: Option<String>,
}

/// A figure's value as written: a JSON number in plain digits (never an exponent),
/// or a string holding one.
fn value_text(key: &str, value: &Value) -> anyhow::Result<String> {
    match value {
        Value::Number(number) => Ok(match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(whole), _, _) => whole.to_string(),
            (_, Some(whole), _) => whole.to_string(),
            (_, _, Some(float)) => float.to_string(),
            _ => number.to_string(),
        }),
        Value::String(text) => Ok(text.trim().to_string()),
        _ => anyhow::bail!("the figure {key} must be a number, like 1200 or -3.5"),
    }
}

fn update_arr_data(ctx: &ToolContext, args: UpdateArrData) -> anyhow::Result<Outcome> {
    let figures = args
        .figures
        .iter()
        .map(|(key, value)| Ok((key.trim().to_string(), value_text(key, value)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let new = NewReading {
        figures,
        date: args.date,
    };
    Ok(Outcome::Done(kpi::add(ctx, &new)?.said()))
}
