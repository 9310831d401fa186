//! kpi.txt: dated figures, one reading a line: `2026-11-21 mrr:1200 arr:14400 users:53`.
//!
//! A reading is a date (`YYYY-MM-DD`, a real one) and one or more `key:value` figures:
//! keys are lowercase, `[a-z][a-z0-9_]*`, each at most once a line; values are decimal
//! numbers with an optional `-` and decimal point (`1200`, `-3.5`, `0.25`), at most 18
//! digits either side of the point, read exactly. A line starting with `#` is a
//! comment; blank lines and comments are kept. Any other line is kept as written, as
//! an unreadable line that says why.

use crate::date::{parse_date, raw_date};
use crate::document::{Document, LineItem};
use crate::tokens;
use chrono::NaiveDate;
use std::cmp::Ordering;
use std::fmt;

/// A kpi.txt file.
pub type KpiFile = Document<KpiLine>;

/// One line of kpi.txt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KpiLine {
    Blank,
    /// `# …`, as written.
    Comment(String),
    Reading(Reading),
    /// Not a reading: the text as written, and why.
    Unreadable {
        text: String,
        problem: Problem,
    },
}

impl KpiLine {
    /// The reading on this line, if it is one.
    pub fn reading(&self) -> Option<&Reading> {
        match self {
            KpiLine::Reading(reading) => Some(reading),
            _ => None,
        }
    }
}

/// Most digits a value has before, and after, its decimal point.
pub const MAX_DIGITS: usize = 18;

/// Why a line, a key or a value is not what kpi.txt holds; the text is what a person
/// reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The line does not start with a date.
    NoDate(String),
    /// `YYYY-MM-DD` naming no day (`2026-02-30`).
    BadDate(String),
    /// A date and nothing else.
    NoFigures,
    /// A word that is not `key:value`.
    NotAFigure(String),
    /// A key that is not `[a-z][a-z0-9_]*`.
    BadKey(String),
    /// A value that is not a decimal number.
    NotANumber(String),
    /// A value with more than [`MAX_DIGITS`] digits on a side of the point.
    TooManyDigits(String),
    /// The same key twice in one reading.
    Twice(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NoDate(word) => write!(
                f,
                "not a reading: expected a date (YYYY-MM-DD) first, found \"{word}\""
            ),
            Problem::BadDate(text) => write!(f, "{text} is not a date"),
            Problem::NoFigures => f.write_str("a date without figures (expected key:value after it)"),
            Problem::NotAFigure(word) => {
                write!(
                    f,
                    "\"{word}\" is not a figure (expected key:value, like mrr:1200)"
                )
            }
            Problem::BadKey(key) => write!(
                f,
                "\"{key}\" is not a key: use lowercase letters, digits and _, starting with a letter \
                 (like mrr or active_users)"
            ),
            Problem::NotANumber(value) => write!(
                f,
                "\"{value}\" is not a number: use digits, with an optional - and decimal point \
                 (like 1200, -3.5 or 0.25)"
            ),
            Problem::TooManyDigits(value) => write!(
                f,
                "\"{value}\" has too many digits (at most {MAX_DIGITS} before and after the point)"
            ),
            Problem::Twice(key) => write!(f, "{key} is given twice in one reading"),
        }
    }
}

impl std::error::Error for Problem {}

/// A decimal number as written (`1200`, `-3.5`, `0.250`): `units / 10^scale`, exact.
///
/// Two numbers are equal (`==`) when they are written the same; [`Number::compare`]
/// compares their values (`1.5` and `1.50` are the same value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    units: i128,
    scale: u32,
}

impl Number {
    /// Reads `-?DIGITS(.DIGITS)?`, at most [`MAX_DIGITS`] digits a side.
    pub fn parse(text: &str) -> Result<Number, Problem> {
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (unsigned, None),
        };
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || fraction.is_some_and(|part| !all_digits(part)) {
            return Err(Problem::NotANumber(text.to_string()));
        }
        let fraction = fraction.unwrap_or_default();
        // Leading zeros are not digits that count.
        let significant = whole.trim_start_matches('0');
        if significant.len() > MAX_DIGITS || fraction.len() > MAX_DIGITS {
            return Err(Problem::TooManyDigits(text.to_string()));
        }
        // At most 36 digits: far below i128's 38.
        let units = significant
            .bytes()
            .chain(fraction.bytes())
            .fold(0i128, |acc, b| acc * 10 + i128::from(b - b'0'));
        Ok(Number {
            units: if negative { -units } else { units },
            // At most MAX_DIGITS.
            scale: fraction.len() as u32,
        })
    }

    /// The number as an `f64` (for ratios and charts; not exact).
    pub fn to_f64(self) -> f64 {
        self.units as f64 / 10f64.powi(self.scale as i32)
    }

    /// Whether it is zero.
    pub fn is_zero(self) -> bool {
        self.units == 0
    }

    /// Whether it is below zero.
    pub fn is_negative(self) -> bool {
        self.units < 0
    }

    /// Both numbers with the same scale (the larger one).
    fn aligned(self, other: Number) -> Option<(i128, i128, u32)> {
        let scale = self.scale.max(other.scale);
        let widen = |n: Number| n.units.checked_mul(10i128.checked_pow(scale - n.scale)?);
        Some((widen(self)?, widen(other)?, scale))
    }

    /// `self - other`, exact, with the larger of the two scales.
    pub fn minus(self, other: Number) -> Option<Number> {
        let (a, b, scale) = self.aligned(other)?;
        Some(Number {
            units: a.checked_sub(b)?,
            scale,
        })
    }

    /// The order of the two values.
    pub fn compare(self, other: Number) -> Ordering {
        match self.aligned(other) {
            Some((a, b, _)) => a.cmp(&b),
            // Cannot happen within MAX_DIGITS; the floats still order them.
            None => self.to_f64().total_cmp(&other.to_f64()),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.units.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let sign = if self.units < 0 { "-" } else { "" };
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{whole}.{fraction}")
    }
}

/// Whether `key` is a figure's key: `[a-z][a-z0-9_]*`.
pub fn check_key(key: &str) -> Result<(), Problem> {
    let mut bytes = key.bytes();
    let well_formed = bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if well_formed {
        Ok(())
    } else {
        Err(Problem::BadKey(key.to_string()))
    }
}

/// One figure of a reading: `key:value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    key: String,
    value: Number,
}

impl Figure {
    /// A figure; the key must be well formed ([`check_key`]).
    pub fn new(key: &str, value: Number) -> Result<Figure, Problem> {
        check_key(key)?;
        Ok(Figure {
            key: key.to_string(),
            value,
        })
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn value(&self) -> Number {
        self.value
    }
}

/// A dated line of figures, each key once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    date: NaiveDate,
    figures: Vec<Figure>,
}

impl Reading {
    /// A reading of `figures` on `date`: at least one, each key once.
    pub fn new(date: NaiveDate, figures: Vec<Figure>) -> Result<Reading, Problem> {
        if figures.is_empty() {
            return Err(Problem::NoFigures);
        }
        for (index, figure) in figures.iter().enumerate() {
            if figures[..index].iter().any(|earlier| earlier.key == figure.key) {
                return Err(Problem::Twice(figure.key.clone()));
            }
        }
        Ok(Reading { date, figures })
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The figures in the order written.
    pub fn figures(&self) -> &[Figure] {
        &self.figures
    }

    /// The value of `key` in this reading.
    pub fn get(&self, key: &str) -> Option<Number> {
        self.figures
            .iter()
            .find(|figure| figure.key == key)
            .map(|figure| figure.value)
    }

    /// `YYYY-MM-DD key:value …`.
    pub fn render(&self) -> String {
        let mut out = self.date.to_string();
        for figure in &self.figures {
            out.push(' ');
            out.push_str(&figure.key);
            out.push(':');
            out.push_str(&figure.value.to_string());
        }
        out
    }
}

/// Reads a line that is not blank and not a comment.
fn reading(text: &str) -> Result<Reading, Problem> {
    let mut words = tokens::tokens(text).map(|(_, word)| word);
    let first = words.next().unwrap_or_default();
    let date = match parse_date(first) {
        Some(date) => date,
        None if matches!(raw_date(first), Ok(("", _))) => return Err(Problem::BadDate(first.to_string())),
        None => return Err(Problem::NoDate(first.to_string())),
    };
    let figures = words
        .map(|word| {
            let (key, value) = word
                .split_once(':')
                .ok_or_else(|| Problem::NotAFigure(word.to_string()))?;
            Figure::new(key, Number::parse(value)?)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Reading::new(date, figures)
}

impl LineItem for KpiLine {
    fn parse(text: &str) -> Self {
        let trimmed = tokens::trim(text);
        if trimmed.is_empty() {
            return KpiLine::Blank;
        }
        if trimmed.starts_with('#') {
            return KpiLine::Comment(text.to_string());
        }
        match reading(trimmed) {
            Ok(reading) => KpiLine::Reading(reading),
            Err(problem) => KpiLine::Unreadable {
                text: text.to_string(),
                problem,
            },
        }
    }

    fn render(&self) -> String {
        match self {
            KpiLine::Blank => String::new(),
            KpiLine::Comment(text) | KpiLine::Unreadable { text, .. } => text.clone(),
            KpiLine::Reading(reading) => reading.render(),
        }
    }

    fn problems(&self, out: &mut Vec<String>) {
        if let KpiLine::Unreadable { problem, .. } = self {
            out.push(problem.to_string());
        }
    }
}

impl KpiFile {
    /// The readings with their 0-based line index, in file order.
    pub fn readings(&self) -> impl Iterator<Item = (usize, &Reading)> + '_ {
        self.items()
            .filter_map(|(index, line)| line.reading().map(|reading| (index, reading)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    #[test]
    fn reads_readings_comments_and_blank_lines() {
        let doc = KpiFile::parse(
            "# monthly figures\n2026-11-21 mrr:1200 arr:14400 users:53\n\n\t2026-11-28\tmrr:1250.50  churn:-0.5 \r\n",
        );
        assert_eq!(doc.len(), 4);
        assert_eq!(doc.get(0), Some(&KpiLine::Comment("# monthly figures".into())));
        assert_eq!(doc.get(2), Some(&KpiLine::Blank));
        let readings: Vec<(usize, &Reading)> = doc.readings().collect();
        assert_eq!(readings.len(), 2);
        let (_, first) = readings[0];
        assert_eq!(first.date(), day("2026-11-21"));
        let keys: Vec<&str> = first.figures().iter().map(Figure::key).collect();
        assert_eq!(keys, ["mrr", "arr", "users"]);
        assert_eq!(first.get("users").map(|n| n.to_string()).as_deref(), Some("53"));
        let (index, second) = readings[1];
        assert_eq!(index, 3);
        assert_eq!(second.render(), "2026-11-28 mrr:1250.50 churn:-0.5");
        assert!(doc.diagnostics().is_empty());
    }

    #[test]
    fn anything_else_is_kept_and_reported_with_its_reason() {
        let table = [
            (
                "mrr:1200",
                "expected a date (YYYY-MM-DD) first, found \"mrr:1200\"",
            ),
            ("2026-02-30 mrr:1", "2026-02-30 is not a date"),
            ("2026-11-21", "a date without figures"),
            ("2026-11-21 mrr 1200", "\"mrr\" is not a figure"),
            ("2026-11-21 MRR:1200", "\"MRR\" is not a key"),
            ("2026-11-21 1x:1", "\"1x\" is not a key"),
            ("2026-11-21 :1", "\"\" is not a key"),
            ("2026-11-21 mrr:1,200", "\"1,200\" is not a number"),
            ("2026-11-21 mrr:+5", "\"+5\" is not a number"),
            ("2026-11-21 mrr:.5", "\".5\" is not a number"),
            ("2026-11-21 mrr:5.", "\"5.\" is not a number"),
            ("2026-11-21 mrr:1e3", "\"1e3\" is not a number"),
            ("2026-11-21 mrr:--1", "\"--1\" is not a number"),
            ("2026-11-21 mrr:", "\"\" is not a number"),
            ("2026-11-21 mrr:1:2", "\"1:2\" is not a number"),
            ("2026-11-21 mrr:1 mrr:2", "mrr is given twice"),
            (
                "2026-11-21 mrr:1234567890123456789",
                "\"1234567890123456789\" has too many digits",
            ),
            ("2026-11-21 mrr:1 # a note", "\"#\" is not a figure"),
        ];
        for (line, why) in table {
            let input = format!("2026-11-20 mrr:1\n{line}\n");
            let doc = KpiFile::parse(input.clone());
            assert_eq!(doc.to_bytes(), input.as_bytes(), "{line}");
            assert!(
                matches!(doc.get(1), Some(KpiLine::Unreadable { text, .. }) if text == line),
                "{line}: {:?}",
                doc.get(1)
            );
            let diagnostics = doc.diagnostics();
            assert_eq!(diagnostics.len(), 1, "{line}: {diagnostics:?}");
            assert_eq!(diagnostics[0].line, 2);
            assert!(diagnostics[0].message.contains(why), "{line}: {}", diagnostics[0]);
            assert_eq!(doc.readings().count(), 1, "{line}");
        }
    }

    #[test]
    fn numbers_are_read_exactly_and_written_as_read() {
        for (text, shown, float) in [
            ("1200", "1200", 1200.0),
            ("-3.5", "-3.5", -3.5),
            ("0.250", "0.250", 0.25),
            ("007", "7", 7.0),
            ("-0.05", "-0.05", -0.05),
            ("000000000000000000001", "1", 1.0),
            (
                "999999999999999999.999999999999999999",
                "999999999999999999.999999999999999999",
                1e18,
            ),
        ] {
            let number = Number::parse(text).unwrap();
            assert_eq!(number.to_string(), shown, "{text}");
            assert_eq!(Number::parse(shown), Ok(number), "{text}");
            assert!(
                (number.to_f64() - float).abs() < 1e-9 * float.abs().max(1.0),
                "{text}"
            );
        }
        let n = |text: &str| Number::parse(text).unwrap();
        assert_eq!(n("1250.50").minus(n("1200")), Some(n("50.50")));
        assert_eq!(n("0.1").minus(n("0.3")).unwrap().to_string(), "-0.2");
        assert_eq!(n("-5").minus(n("-5")).unwrap().to_string(), "0");
        assert_eq!(n("1.5").compare(n("1.50")), Ordering::Equal);
        assert_eq!(n("-2").compare(n("1")), Ordering::Less);
        let big = n("999999999999999999.999999999999999999");
        let small = n("-999999999999999999.999999999999999999");
        assert_eq!(
            big.minus(small).unwrap().to_string(),
            "1999999999999999999.999999999999999998"
        );
        assert!(n("-0.5").is_negative() && n("0.0").is_zero());
    }

    #[test]
    fn new_readings_render_canonically_and_read_back_the_same() {
        let figure = |key: &str, value: &str| Figure::new(key, Number::parse(value).unwrap());
        let reading = Reading::new(
            day("2026-11-23"),
            vec![figure("mrr", "1200").unwrap(), figure("net_users", "-2").unwrap()],
        )
        .unwrap();
        let mut doc = KpiFile::parse("# figures\r\n2026-11-21 mrr:1100");
        doc.push(KpiLine::Reading(reading.clone()));
        assert_eq!(
            doc.to_bytes(),
            b"# figures\r\n2026-11-21 mrr:1100\r\n2026-11-23 mrr:1200 net_users:-2"
        );
        let line = KpiLine::Reading(reading);
        assert_eq!(KpiLine::parse(&line.render()), line);
        assert_eq!(figure("Mrr", "1"), Err(Problem::BadKey("Mrr".into())));
        assert_eq!(
            Reading::new(day("2026-11-23"), Vec::new()),
            Err(Problem::NoFigures)
        );
        assert_eq!(
            Reading::new(
                day("2026-11-23"),
                vec![figure("a", "1").unwrap(), figure("a", "2").unwrap()]
            ),
            Err(Problem::Twice("a".into()))
        );
    }

    #[test]
    fn odd_input_round_trips_byte_for_byte() {
        for input in [
            &b""[..],
            b"\n\n",
            b"\xEF\xBB\xBF2026-11-21 mrr:1\n",
            b"2026-11-21 mrr:1",
            b"2026-11-21 mrr:1\r\n# c\r\n",
            b"2026-11-21 mrr:\xff\n",
            b"\xff\xfe\n2026-11-21 users:3\n",
            b"  # indented comment  \n\t\n",
            b"2026-11-21\rmrr:1\n",
            b"2026-11-21 mrr:1\x00\n",
        ] {
            let doc = KpiFile::parse(input.to_vec());
            assert_eq!(doc.to_bytes(), input, "{:?}", String::from_utf8_lossy(input));
            let _ = doc.diagnostics();
        }
        let doc = KpiFile::parse(b"\xff\xfe\n2026-11-21 users:3\n".to_vec());
        assert_eq!(doc.readings().count(), 1);
        // Not UTF-8, and not a reading: both told, about line 1.
        let lines: Vec<usize> = doc.diagnostics().iter().map(|d| d.line).collect();
        assert_eq!(lines, [1, 1]);
    }

    /// A line of kpi.txt's words, or any bytes.
    fn kpi_like() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![
                Just(b"2026-11-21".to_vec()),
                Just(b"2026-02-30".to_vec()),
                Just(b" ".to_vec()),
                Just(b"\t".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b"\n".to_vec()),
                Just(b"mrr:".to_vec()),
                Just(b"-".to_vec()),
                Just(b".".to_vec()),
                Just(b"#".to_vec()),
                Just(b":".to_vec()),
                Just(b"\xEF\xBB\xBF".to_vec()),
                "[a-zA-Z0-9_]{1,20}".prop_map(String::into_bytes),
                proptest::collection::vec(any::<u8>(), 1..4),
            ],
            0..40,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_without_panicking_and_write_back_unchanged(
            input in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
        ) {
            let doc = KpiFile::parse(input.clone());
            proptest::prop_assert_eq!(doc.to_bytes(), input);
            let _ = doc.diagnostics();
        }

        #[test]
        fn kpi_like_text_round_trips_and_readings_read_back_the_same(input in kpi_like()) {
            let doc = KpiFile::parse(input.clone());
            proptest::prop_assert_eq!(doc.to_bytes(), input);
            let _ = doc.diagnostics();
            for (_, line) in doc.items() {
                proptest::prop_assert_eq!(&KpiLine::parse(&line.render()), line);
            }
        }
    }
}
