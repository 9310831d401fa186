//! `myorg calendar days`: day headers for a range of dates.

use anyhow::{Context, bail};
use chrono::NaiveDate;
use myorg_parsers::calendar::header::write_day_header;
use std::io::Write;

/// Prints the header of every day from `from` to `to`, inclusive, one per line.
pub fn days(from: NaiveDate, to: NaiveDate) -> anyhow::Result<()> {
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = String::with_capacity(20);
    for date in from.iter_days().take_while(|date| *date <= to) {
        line.clear();
        write_day_header(date, &mut line);
        line.push('\n');
        out.write_all(line.as_bytes())
            .context("writing to standard output")?;
    }
    out.flush().context("writing to standard output")
}
