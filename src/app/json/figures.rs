//! The figures of kpi.txt as JSON: the latest value of a key with its change (`myorg
//! kpi --json`, the `get_arr_data` tool) and a key's readings (the `get_kpi` tool),
//! each with the lines kpi.txt could not read. Values are JSON numbers.

use crate::app::kpi::{Current, Shown};
use chrono::NaiveDate;
use myorg_domain::kpi::{Latest, Point, Series};
use myorg_parsers::Diagnostic;
use schemars::JsonSchema;
use serde::Serialize;

/// A key's latest reading and its change since the one before.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LatestJson {
    /// Like mrr.
    pub key: String,
    pub value: f64,
    /// YYYY-MM-DD.
    #[schemars(with = "String")]
    pub date: NaiveDate,
    /// Its line in kpi.txt, from 1.
    pub line: usize,
    /// The reading before; none for a first reading.
    pub previous: Option<ReadingJson>,
    /// The change since the reading before.
    pub change: Option<f64>,
    /// The change in percent of the reading before (none from zero).
    pub percent: Option<f64>,
}

/// A value on a day.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReadingJson {
    pub value: f64,
    /// YYYY-MM-DD.
    #[schemars(with = "String")]
    pub date: NaiveDate,
}

/// A key's readings, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SeriesJson {
    pub key: String,
    pub readings: Vec<ReadingJson>,
}

/// A line of kpi.txt not read (it is kept in the file).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LineNotRead {
    /// From 1.
    pub line: usize,
    /// Why.
    pub message: String,
}

/// The latest value of each key.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FiguresJson {
    pub figures: Vec<LatestJson>,
    pub not_read: Vec<LineNotRead>,
}

/// The readings asked for.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SeriesShownJson {
    pub series: Vec<SeriesJson>,
    pub not_read: Vec<LineNotRead>,
}

impl From<&Latest> for LatestJson {
    fn from(latest: &Latest) -> LatestJson {
        let change = latest.change();
        LatestJson {
            key: latest.key.clone(),
            value: latest.point.value.to_f64(),
            date: latest.point.date,
            line: latest.point.line + 1,
            previous: latest.previous.as_ref().map(ReadingJson::from),
            change: change.map(|change| change.by.to_f64()),
            percent: change.and_then(|change| change.percent),
        }
    }
}

impl From<&Point> for ReadingJson {
    fn from(point: &Point) -> ReadingJson {
        ReadingJson {
            value: point.value.to_f64(),
            date: point.date,
        }
    }
}

impl From<&Series> for SeriesJson {
    fn from(series: &Series) -> SeriesJson {
        SeriesJson {
            key: series.key.clone(),
            readings: series.points.iter().map(ReadingJson::from).collect(),
        }
    }
}

impl From<&Diagnostic> for LineNotRead {
    fn from(problem: &Diagnostic) -> LineNotRead {
        LineNotRead {
            line: problem.line,
            message: problem.message.clone(),
        }
    }
}

impl From<&Current> for FiguresJson {
    fn from(current: &Current) -> FiguresJson {
        FiguresJson {
            figures: current.latest.iter().map(LatestJson::from).collect(),
            not_read: current.problems.iter().map(LineNotRead::from).collect(),
        }
    }
}

impl From<&Shown> for SeriesShownJson {
    fn from(shown: &Shown) -> SeriesShownJson {
        SeriesShownJson {
            series: shown.series.iter().map(SeriesJson::from).collect(),
            not_read: shown.problems.iter().map(LineNotRead::from).collect(),
        }
    }
}
