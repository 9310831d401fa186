//! Figures in kpi.txt: a reading added (one commit, authored by the person asking),
//! the latest value of each key with its change, and the series of a key or of all.
//! Series, ordering and change are `myorg_domain::kpi`'s; the file's grammar is
//! `myorg_parsers::kpi`'s. Lines kpi.txt cannot read are left out of the figures and
//! reported with them, never dropped from the file. [`chart()`] draws one key's
//! series as a PNG line chart ([`super::chart`]).

use super::chart::{self, Size};
use super::{Ctx, Error, Files, Look, Result};
use crate::store::operation::KPI;
use crate::store::{Operation, PushReport};
use chrono::NaiveDate;
use myorg_domain::fields;
use myorg_domain::kpi::{self as domain, Figures, KpiError, Latest, Point, Series};
use myorg_parsers::{Diagnostic, KpiFile};

impl From<KpiError> for Error {
    fn from(error: KpiError) -> Error {
        match error {
            KpiError::UnknownKey { .. } => Error::NotFound(error.to_string()),
            _ => Error::Invalid(error.to_string()),
        }
    }
}

/// A reading to add.
#[derive(Debug, Clone, Default)]
pub struct NewReading {
    /// Key and value, as given (`("mrr", "1200")`).
    pub figures: Vec<(String, String)>,
    /// The day, a date or words (default today).
    pub date: Option<String>,
}

/// `KEY=VALUE` words (`mrr=1200`) as the figures of a [`NewReading`].
pub fn figures_of(words: &[String]) -> Result<Vec<(String, String)>> {
    Ok(words
        .iter()
        .map(|word| domain::assignment(word))
        .collect::<Result<_, _>>()?)
}

/// A reading added.
#[derive(Debug, Clone)]
pub struct Added {
    /// The line written to kpi.txt.
    pub line: String,
    pub push: PushReport,
}

impl Added {
    /// `Added to kpi.txt: LINE`.
    pub fn said(&self) -> String {
        format!("Added to kpi.txt: {}", self.line)
    }
}

/// Adds `new` to kpi.txt, checked first: a bad key, value or date changes nothing.
pub fn add(ctx: &Ctx, new: &NewReading) -> Result<Added> {
    let today = ctx.now.date();
    let date = match new.date.as_deref() {
        Some(when) => fields::when(when, today)?,
        None => today,
    };
    let line = domain::new_reading(date, today, &new.figures)?.render();
    let applied = ctx
        .store
        .apply(Operation::AddReading { line: line.clone() }, &ctx.actor)?;
    Ok(Added {
        line,
        push: applied.push,
    })
}

/// kpi.txt read: its figures and the lines it could not read.
pub fn figures(files: &dyn Files) -> Result<(Figures, Vec<Diagnostic>)> {
    let file = KpiFile::parse(files.read(KPI)?);
    Ok((Figures::of(&file), file.diagnostics()))
}

/// `kpi.txt line N: why (the line is kept, not read)` for each line not read.
pub fn problem_lines(problems: &[Diagnostic]) -> Vec<String> {
    problems
        .iter()
        .map(|problem| {
            format!(
                "{KPI} line {}: {} (the line is kept, not read)",
                problem.line, problem.message
            )
        })
        .collect()
}

/// `mrr 1200 on 2026-11-21 (+100 (+9.1%) since 2026-11-14)`, or `(first reading)`.
fn figure_line(latest: &Latest) -> String {
    let point = latest.point;
    let change = match (latest.change(), latest.previous) {
        (Some(change), Some(previous)) => format!(" ({change} since {})", previous.date),
        _ => " (first reading)".to_string(),
    };
    format!("{} {} on {}{change}", latest.key, point.value, point.date)
}

/// The latest value of each key.
#[derive(Debug, Clone)]
pub struct Current {
    pub latest: Vec<Latest>,
    /// The lines of kpi.txt not read.
    pub problems: Vec<Diagnostic>,
}

impl Current {
    /// One line a key: `mrr 1200 on 2026-11-21 (+100 (+9.1%) since 2026-11-14)`.
    pub fn figure_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.latest.iter().map(figure_line).collect();
        if lines.is_empty() {
            lines.push("No figures yet: myorg kpi add KEY=VALUE… adds a reading to kpi.txt.".to_string());
        }
        lines
    }

    /// The line of `key` in [`Current::figure_lines`], if it has readings.
    pub fn line_of(&self, key: &str) -> Option<String> {
        self.latest
            .iter()
            .find(|latest| latest.key == key)
            .map(figure_line)
    }

    /// `kpi.txt line N: why (the line is kept, not read)` for each line not read.
    pub fn problem_lines(&self) -> Vec<String> {
        problem_lines(&self.problems)
    }

    /// The figures' lines, then the lines not read.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = self.figure_lines();
        lines.extend(self.problem_lines());
        lines
    }

    /// [`Current::lines`], one a line.
    pub fn said(&self) -> String {
        self.lines().join("\n")
    }
}

/// The latest value of each key in kpi.txt, with its change against the reading
/// before.
pub fn current(look: &Look) -> Result<Current> {
    let (figures, problems) = figures(look.files)?;
    Ok(Current {
        latest: figures.latest(),
        problems,
    })
}

/// Which figures a series request wants.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    /// One key (default: all).
    pub key: Option<String>,
    /// Only readings on or after this day (a date or words).
    pub since: Option<String>,
}

/// The series asked for.
#[derive(Debug, Clone)]
pub struct Shown {
    pub series: Vec<Series>,
    /// The lines of kpi.txt not read.
    pub problems: Vec<Diagnostic>,
}

impl Shown {
    /// `mrr: 2026-10-31 1000, 2026-11-21 1200` a key, then the lines not read.
    pub fn said(&self) -> String {
        let mut lines: Vec<String> = self
            .series
            .iter()
            .map(|series| {
                let points: Vec<String> = series
                    .points
                    .iter()
                    .map(|point| format!("{} {}", point.date, point.value))
                    .collect();
                format!("{}: {}", series.key, points.join(", "))
            })
            .collect();
        if lines.is_empty() {
            lines.push("No readings.".to_string());
        }
        lines.extend(problem_lines(&self.problems));
        lines.join("\n")
    }
}

/// The series of `wanted.key` (or every key), since `wanted.since`. A key no reading
/// gives is not found, with the keys there are.
pub fn series(look: &Look, wanted: &Wanted) -> Result<Shown> {
    let (mut figures, problems) = figures(look.files)?;
    if let Some(key) = wanted.key.as_deref().map(str::trim) {
        figures = Figures {
            series: vec![figures.get(key)?.clone()],
        };
    }
    if let Some(since) = wanted.since.as_deref() {
        figures = figures.since(fields::when(since, look.now.date())?);
    }
    Ok(Shown {
        series: figures.series,
        problems,
    })
}

/// A chart of one key's readings, drawn.
#[derive(Debug, Clone)]
pub struct Chart {
    pub key: String,
    /// The first day the chart covers: the `since` asked for, else the first reading's.
    pub since: NaiveDate,
    /// The readings drawn, oldest first.
    pub points: Vec<Point>,
    pub size: Size,
    /// The chart as PNG bytes.
    pub png: Vec<u8>,
    /// The lines of kpi.txt not read.
    pub problems: Vec<Diagnostic>,
}

impl Chart {
    /// `mrr since 2026-10-31`, the chart's title.
    pub fn title(&self) -> String {
        chart_title(&self.key, self.since)
    }

    /// `mrr.png`, a name for the chart's file.
    pub fn file_name(&self) -> String {
        format!("{}.png", self.key)
    }

    /// One line a reading drawn: `2026-11-21 1200`.
    pub fn reading_lines(&self) -> Vec<String> {
        self.points
            .iter()
            .map(|point| format!("{} {}", point.date, point.value))
            .collect()
    }

    /// `Chart of mrr since 2026-10-31: 3 readings, from 1000 to 1200.` (one reading
    /// is drawn as a single point, and said so).
    pub fn said(&self) -> String {
        let title = self.title();
        match (self.points.first(), self.points.last()) {
            (Some(first), Some(last)) if self.points.len() > 1 => format!(
                "Chart of {title}: {} readings, from {} to {}.",
                self.points.len(),
                first.value,
                last.value
            ),
            (Some(only), _) => format!(
                "Chart of {title}: one reading ({} on {}), drawn as a single point.",
                only.value, only.date
            ),
            _ => format!("Chart of {title}: no readings."),
        }
    }
}

fn chart_title(key: &str, since: NaiveDate) -> String {
    format!("{key} since {since}")
}

/// The line chart of `key`'s readings since `since` (a date or words; default all of
/// them), drawn at `size`. A key no reading gives, or none since that day, is not
/// found, with the keys there are or the latest reading; one reading is drawn as a
/// single point.
pub fn chart(look: &Look, key: &str, since: Option<&str>, size: Size) -> Result<Chart> {
    let key = key.trim();
    let (figures, problems) = figures(look.files)?;
    let series = figures.get(key)?;
    let since = since
        .map(|words| fields::when(words, look.now.date()))
        .transpose()?;
    let points: Vec<Point> = series
        .points
        .iter()
        .filter(|point| since.is_none_or(|since| point.date >= since))
        .copied()
        .collect();
    let Some(first) = points.first() else {
        let latest = series.points.last().map(|point| point.date);
        return Err(Error::NotFound(match (since, latest) {
            (Some(since), Some(latest)) => {
                format!("there are no figures for {key} since {since}: its latest reading is of {latest}")
            }
            _ => format!("there are no figures for {key}"),
        }));
    };
    let since = since.unwrap_or(first.date);
    let drawn: Vec<(NaiveDate, f64)> = points
        .iter()
        .map(|point| (point.date, point.value.to_f64()))
        .collect();
    let png = chart::line_chart(&chart_title(key, since), &drawn, size)?;
    Ok(Chart {
        key: key.to_string(),
        since,
        points,
        size,
        png,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample::with_ctx;

    #[test]
    fn a_bad_figure_or_date_changes_nothing() {
        with_ctx(|ctx| {
            let before = ctx.store.read(KPI).unwrap();
            let bad = [
                (vec![("MRR", "1")], None, "\"MRR\" is not a key"),
                (vec![("mrr", "12k")], None, "\"12k\" is not a number"),
                (vec![], None, "no figures"),
                (vec![("mrr", "1")], Some("2026-02-30"), "2026-02-30"),
                (vec![("mrr", "1")], Some("tomorrow"), "is after today"),
            ];
            for (figures, date, why) in bad {
                let new = NewReading {
                    figures: figures
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    date: date.map(String::from),
                };
                match add(ctx, &new) {
                    Err(Error::Invalid(message)) => assert!(message.contains(why), "{message}"),
                    other => panic!("{new:?}: {other:?}"),
                }
            }
            assert_eq!(ctx.store.read(KPI).unwrap(), before);
            let added = add(
                ctx,
                &NewReading {
                    figures: figures_of(&["mrr=1300".to_string()]).unwrap(),
                    date: Some("yesterday".to_string()),
                },
            )
            .unwrap();
            assert_eq!(added.said(), "Added to kpi.txt: 2026-11-22 mrr:1300");
            let unknown = series(
                &ctx.look(),
                &Wanted {
                    key: Some("nope".into()),
                    since: None,
                },
            );
            assert!(matches!(unknown, Err(Error::NotFound(why)) if why.contains("mrr")));
        });
    }
}
