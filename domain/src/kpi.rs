//! Figures from kpi.txt (see `myorg_parsers::kpi`): a series per key, the latest
//! value of each key and its change against the reading before, readings since a
//! date, and a new reading from `key=value` words.
//!
//! Readings are ordered by date; two readings on the same date keep the file's order,
//! so the later line is the later reading (a reading added for an earlier day lands in
//! its place). A key's series holds only the readings that give it; keys come in the
//! order the file first names them. Lines kpi.txt cannot read are left out here and
//! reported by the document's diagnostics.

use chrono::NaiveDate;
use myorg_parsers::kpi::{Figure, Problem};
use myorg_parsers::{KpiFile, Number, Reading};
use std::fmt;

/// One value of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub date: NaiveDate,
    pub value: Number,
    /// The 0-based line of kpi.txt it was read from.
    pub line: usize,
}

/// The values of one key, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub key: String,
    pub points: Vec<Point>,
}

/// Every key's series.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub series: Vec<Series>,
}

/// Why a figures request cannot be done; the text is what a person reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KpiError {
    /// A key, a value or the reading as a whole is not what kpi.txt holds.
    Figure(Problem),
    /// A word that is not `key=value`.
    NotAnAssignment(String),
    /// A reading asked for without any figure.
    NoFigures,
    /// A reading dated after today.
    Future { date: NaiveDate, today: NaiveDate },
    /// No reading gives this key; the keys there are.
    UnknownKey { key: String, known: Vec<String> },
}

impl fmt::Display for KpiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KpiError::Figure(problem) => problem.fmt(f),
            KpiError::NotAnAssignment(word) => {
                write!(f, "\"{word}\" is not a figure: write KEY=VALUE, like mrr=1200")
            }
            KpiError::NoFigures => f.write_str("no figures: give at least one, like mrr=1200"),
            KpiError::Future { date, today } => write!(
                f,
                "{date} is after today ({today}): a reading is of a day that has come"
            ),
            KpiError::UnknownKey { key, known } if known.is_empty() => {
                write!(
                    f,
                    "there are no figures for {key}, and kpi.txt has no readings yet"
                )
            }
            KpiError::UnknownKey { key, known } => write!(
                f,
                "there are no figures for {key}; kpi.txt has {}",
                known.join(", ")
            ),
        }
    }
}

impl std::error::Error for KpiError {}

impl From<Problem> for KpiError {
    fn from(problem: Problem) -> Self {
        KpiError::Figure(problem)
    }
}

impl Figures {
    /// The series of every key in `file`.
    pub fn of(file: &KpiFile) -> Figures {
        let mut readings: Vec<(usize, &Reading)> = file.readings().collect();
        // Stable: the same date keeps the file's order.
        readings.sort_by_key(|(_, reading)| reading.date());
        let mut keys: Vec<&str> = Vec::new();
        for (_, reading) in file.readings() {
            for figure in reading.figures() {
                if !keys.contains(&figure.key()) {
                    keys.push(figure.key());
                }
            }
        }
        let series = keys
            .into_iter()
            .map(|key| Series {
                key: key.to_string(),
                points: readings
                    .iter()
                    .filter_map(|(line, reading)| {
                        reading.get(key).map(|value| Point {
                            date: reading.date(),
                            value,
                            line: *line,
                        })
                    })
                    .collect(),
            })
            .collect();
        Figures { series }
    }

    /// The keys, in the order the file first names them.
    pub fn keys(&self) -> Vec<&str> {
        self.series.iter().map(|series| series.key.as_str()).collect()
    }

    /// The series of `key`.
    pub fn get(&self, key: &str) -> Result<&Series, KpiError> {
        self.series
            .iter()
            .find(|series| series.key == key)
            .ok_or_else(|| KpiError::UnknownKey {
                key: key.to_string(),
                known: self.keys().into_iter().map(str::to_string).collect(),
            })
    }

    /// Only the points on or after `date`; keys without any left out.
    pub fn since(self, date: NaiveDate) -> Figures {
        let series = self
            .series
            .into_iter()
            .map(|mut series| {
                series.points.retain(|point| point.date >= date);
                series
            })
            .filter(|series| !series.points.is_empty())
            .collect();
        Figures { series }
    }

    /// Only the points on or before `date` (the figures as they stood that day); keys
    /// without any left out.
    pub fn until(self, date: NaiveDate) -> Figures {
        let series = self
            .series
            .into_iter()
            .map(|mut series| {
                series.points.retain(|point| point.date <= date);
                series
            })
            .filter(|series| !series.points.is_empty())
            .collect();
        Figures { series }
    }

    /// The latest value of each key, with the one before it.
    pub fn latest(&self) -> Vec<Latest> {
        self.series
            .iter()
            .filter_map(|series| {
                let (point, earlier) = series.points.split_last()?;
                Some(Latest {
                    key: series.key.clone(),
                    point: *point,
                    previous: earlier.last().copied(),
                })
            })
            .collect()
    }
}

/// A key's latest value and the one before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    pub key: String,
    pub point: Point,
    pub previous: Option<Point>,
}

impl Latest {
    /// The change since the reading before (none for a first reading).
    pub fn change(&self) -> Option<Change> {
        let previous = self.previous?;
        let by = self.point.value.minus(previous.value)?;
        let percent =
            (!previous.value.is_zero()).then(|| by.to_f64() / previous.value.to_f64().abs() * 100.0);
        Some(Change { by, percent })
    }
}

/// How much a value moved: exactly, and in percent of the value before (none when
/// that was zero).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub by: Number,
    pub percent: Option<f64>,
}

impl fmt::Display for Change {
    /// `+50 (+4.2%)`, `-3.5 (-1.0%)`, `no change`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.by.is_zero() {
            return f.write_str("no change");
        }
        let sign = if self.by.is_negative() { "" } else { "+" };
        write!(f, "{sign}{}", self.by)?;
        match self.percent {
            Some(percent) => write!(f, " ({percent:+.1}%)"),
            None => Ok(()),
        }
    }
}

/// `key=value` (or `key:value`) split into its key and value.
pub fn assignment(word: &str) -> Result<(String, String), KpiError> {
    let word = word.trim();
    word.split_once('=')
        .or_else(|| word.split_once(':'))
        .map(|(key, value)| (key.trim().to_string(), value.trim().to_string()))
        .ok_or_else(|| KpiError::NotAnAssignment(word.to_string()))
}

/// The reading of `figures` (key, value as written) on `date`, checked: each key
/// well formed and given once, each value a number, at least one figure, and a date
/// no later than `today`.
pub fn new_reading(
    date: NaiveDate,
    today: NaiveDate,
    figures: &[(String, String)],
) -> Result<Reading, KpiError> {
    if figures.is_empty() {
        return Err(KpiError::NoFigures);
    }
    let figures = figures
        .iter()
        .map(|(key, value)| Ok(Figure::new(key, Number::parse(value)?)?))
        .collect::<Result<Vec<_>, KpiError>>()?;
    let reading = Reading::new(date, figures)?;
    if date > today {
        return Err(KpiError::Future { date, today });
    }
    Ok(reading)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const KPI: &str = "\
# figures, monthly
2026-10-31 mrr:1000 users:40
2026-11-21 mrr:1200 arr:14400 users:53
2026-11-07 mrr:1100
not a reading
2026-11-21 users:52.5
2026-11-28 churn:0
";

    fn values(series: &Series) -> Vec<String> {
        series
            .points
            .iter()
            .map(|p| format!("{} {}", p.date, p.value))
            .collect()
    }

    #[test]
    fn series_are_by_date_with_the_file_order_within_a_day() {
        let figures = Figures::of(&KpiFile::parse(KPI));
        assert_eq!(figures.keys(), ["mrr", "users", "arr", "churn"]);
        let mrr = figures.get("mrr").unwrap();
        assert_eq!(
            values(mrr),
            ["2026-10-31 1000", "2026-11-07 1100", "2026-11-21 1200"]
        );
        let users = figures.get("users").unwrap();
        assert_eq!(
            values(users),
            ["2026-10-31 40", "2026-11-21 53", "2026-11-21 52.5"]
        );
        assert_eq!(users.points[2].line, 5);
        assert_eq!(
            figures.get("nope").unwrap_err().to_string(),
            "there are no figures for nope; kpi.txt has mrr, users, arr, churn"
        );
        let none = Figures::of(&KpiFile::parse("# nothing yet\n"));
        assert_eq!(
            none.get("mrr").unwrap_err().to_string(),
            "there are no figures for mrr, and kpi.txt has no readings yet"
        );
    }

    #[test]
    fn the_latest_value_changes_against_the_reading_before() {
        let figures = Figures::of(&KpiFile::parse(KPI));
        let said: Vec<String> = figures
            .latest()
            .iter()
            .map(|latest| {
                let change = latest
                    .change()
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "first".into());
                format!("{} {} {change}", latest.key, latest.point.value)
            })
            .collect();
        assert_eq!(
            said,
            [
                "mrr 1200 +100 (+9.1%)",
                "users 52.5 -0.5 (-0.9%)",
                "arr 14400 first",
                "churn 0 first",
            ]
        );
        let from_zero = Figures::of(&KpiFile::parse(
            "2026-11-01 x:0\n2026-11-02 x:5\n2026-11-03 x:5.0\n",
        ));
        let latest = &from_zero.latest()[0];
        assert_eq!(latest.change().unwrap().to_string(), "no change");
        let from_zero = Figures::of(&KpiFile::parse("2026-11-01 x:0\n2026-11-02 x:5\n"));
        assert_eq!(from_zero.latest()[0].change().unwrap().to_string(), "+5");
        let negative = Figures::of(&KpiFile::parse("2026-11-01 x:-10\n2026-11-02 x:-5\n"));
        assert_eq!(negative.latest()[0].change().unwrap().to_string(), "+5 (+50.0%)");
    }

    #[test]
    fn since_keeps_the_points_on_or_after_the_day() {
        let figures = Figures::of(&KpiFile::parse(KPI)).since(day("2026-11-21"));
        assert_eq!(figures.keys(), ["mrr", "users", "arr", "churn"]);
        assert_eq!(values(figures.get("mrr").unwrap()), ["2026-11-21 1200"]);
        let later = Figures::of(&KpiFile::parse(KPI)).since(day("2026-11-22"));
        assert_eq!(later.keys(), ["churn"]);
        assert!(later.latest()[0].previous.is_none());
    }

    #[test]
    fn new_readings_are_checked_before_anything_is_written() {
        let today = day("2026-11-23");
        let figures = |words: &[&str]| -> Result<Vec<(String, String)>, KpiError> {
            words.iter().map(|word| assignment(word)).collect()
        };
        let reading = new_reading(
            today,
            today,
            &figures(&["mrr=1200", "arr:14400", " users = 53 "]).unwrap(),
        );
        assert_eq!(
            reading.unwrap().render(),
            "2026-11-23 mrr:1200 arr:14400 users:53"
        );
        assert_eq!(
            assignment("mrr").unwrap_err().to_string(),
            "\"mrr\" is not a figure: write KEY=VALUE, like mrr=1200"
        );
        let errors = [
            (vec!["MRR=1"], "\"MRR\" is not a key"),
            (vec!["mrr=1,200"], "\"1,200\" is not a number"),
            (vec!["mrr=abc"], "\"abc\" is not a number"),
            (vec!["=5"], "\"\" is not a key"),
            (vec!["mrr=1", "mrr=2"], "mrr is given twice"),
            (vec![], "no figures: give at least one"),
        ];
        for (words, why) in errors {
            let error = new_reading(today, today, &figures(&words).unwrap()).unwrap_err();
            assert!(error.to_string().contains(why), "{words:?}: {error}");
        }
        let future = new_reading(day("2026-11-24"), today, &figures(&["mrr=1"]).unwrap()).unwrap_err();
        assert_eq!(
            future.to_string(),
            "2026-11-24 is after today (2026-11-23): a reading is of a day that has come"
        );
    }
}
