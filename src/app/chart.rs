//! A line chart of one figure over time, drawn in process as PNG bytes: dates along
//! the x axis, values up the y axis, each reading marked, a title on top. Drawing
//! only: which readings to draw is [`super::kpi::chart`]'s.
//!
//! `plotters` draws into an RGB buffer (its bitmap backend) with its `ab_glyph` text,
//! which needs no font library of the system: the font is DejaVu Sans cut down to
//! ASCII, compiled in (`assets/fonts/`, its licence beside it). The `png` crate
//! encodes the buffer.

use super::{Error, Result};
use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use std::sync::OnceLock;

/// The font of every text on a chart.
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-ascii.ttf");

/// The family name the font is registered under.
const FAMILY: &str = "sans-serif";

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

impl Size {
    /// 800 × 400.
    pub const DEFAULT: Size = Size {
        width: 800,
        height: 400,
    };
    /// The smallest a chart can be and still show its labels.
    pub const SMALLEST: Size = Size {
        width: 200,
        height: 150,
    };
    /// The largest a chart may be (about 48 MB of pixels while drawing).
    pub const LARGEST: Size = Size {
        width: 4000,
        height: 4000,
    };

    /// `width` × `height` (each defaulting to [`Size::DEFAULT`]'s), checked against
    /// [`Size::SMALLEST`] and [`Size::LARGEST`].
    pub fn new(width: Option<u32>, height: Option<u32>) -> Result<Size> {
        let size = Size {
            width: width.unwrap_or(Size::DEFAULT.width),
            height: height.unwrap_or(Size::DEFAULT.height),
        };
        let fits = |value: u32, low: u32, high: u32| (low..=high).contains(&value);
        if !fits(size.width, Size::SMALLEST.width, Size::LARGEST.width)
            || !fits(size.height, Size::SMALLEST.height, Size::LARGEST.height)
        {
            return Err(Error::Invalid(format!(
                "a chart of {}×{} pixels cannot be drawn: the width must be {}–{} and the height {}–{}",
                size.width,
                size.height,
                Size::SMALLEST.width,
                Size::LARGEST.width,
                Size::SMALLEST.height,
                Size::LARGEST.height
            )));
        }
        Ok(size)
    }
}

/// Registers the compiled-in font once; an unreadable font is an error, not a panic.
fn font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let registered = *REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if registered {
        Ok(())
    } else {
        Err(Error::Failed(anyhow::anyhow!("the chart font could not be read")))
    }
}

/// A day as a number on the x axis.
fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// The date of an x axis number.
fn date_of(day: i32) -> String {
    NaiveDate::from_num_days_from_ce_opt(day)
        .map(|date| date.to_string())
        .unwrap_or_default()
}

/// A value as an axis label: whole numbers without decimals, others with up to two.
fn value_label(value: f64) -> String {
    if value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The y range: the values' with a margin, never empty.
fn value_range(values: &[f64]) -> (f64, f64) {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let margin = if high > low {
        (high - low) * 0.1
    } else {
        (low.abs() * 0.1).max(1.0)
    };
    (low - margin, high + margin)
}

/// The line chart of `points` (oldest first) titled `title`, as PNG bytes of `size`.
/// One point is drawn as a marked point in the middle.
pub fn line_chart(title: &str, points: &[(NaiveDate, f64)], size: Size) -> Result<Vec<u8>> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Err(Error::Invalid("a chart needs at least one reading".to_string()));
    };
    if points.iter().any(|(_, value)| !value.is_finite()) {
        return Err(Error::Invalid(
            "a chart's values must be finite numbers".to_string(),
        ));
    }
    font()?;
    let (from, to) = (day_number(first.0), day_number(last.0));
    // A margin each side, so the first and last points are not cut by the axes.
    let margin = ((to - from) / 30).max(1);
    let (from, to) = (from - margin, to + margin);
    let values: Vec<f64> = points.iter().map(|(_, value)| *value).collect();
    let (low, high) = value_range(&values);
    let series: Vec<(i32, f64)> = points
        .iter()
        .map(|(date, value)| (day_number(*date), *value))
        .collect();
    let mut pixels = vec![0u8; size.width as usize * size.height as usize * 3];
    draw(&mut pixels, size, title, (from, to), (low, high), &series)
        .map_err(|error| Error::Failed(anyhow::anyhow!("the chart could not be drawn: {error}")))?;
    encode(&pixels, size)
}

/// Draws the chart into `pixels` (RGB, `size`).
fn draw(
    pixels: &mut [u8],
    size: Size,
    title: &str,
    days: (i32, i32),
    values: (f64, f64),
    series: &[(i32, f64)],
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let root = BitMapBackend::with_buffer(pixels, (size.width, size.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let line = RGBColor(0x2f, 0x6f, 0x9f);
    let title_size = (size.height / 16).clamp(12, 40);
    let label_size = (size.height / 28).clamp(10, 24);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FAMILY, title_size))
        .margin(size.height.min(size.width) / 30 + 4)
        // Room for half of the last date label.
        .margin_right(label_size * 3)
        .x_label_area_size(label_size * 2)
        .y_label_area_size(label_size * 4)
        .build_cartesian_2d(days.0..days.1, values.0..values.1)?;
    chart
        .configure_mesh()
        .x_labels((size.width / 110).clamp(2, 12) as usize)
        .y_labels(6)
        .x_label_formatter(&|day| date_of(*day))
        .y_label_formatter(&|value| value_label(*value))
        .label_style((FAMILY, label_size))
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()?;
    chart.draw_series(LineSeries::new(series.iter().copied(), line.stroke_width(2)))?;
    let radius = (size.height / 100).clamp(3, 8);
    chart.draw_series(
        series
            .iter()
            .map(|point| Circle::new(*point, radius, line.filled())),
    )?;
    root.present()?;
    Ok(())
}

/// `pixels` (RGB, `size`) as PNG bytes.
fn encode(pixels: &[u8], size: Size) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, size.width, size.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let failed =
        |error: png::EncodingError| Error::Failed(anyhow::anyhow!("the chart could not be encoded: {error}"));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(pixels).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// The width, height and RGB pixels of `png`.
    fn decoded(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        pixels.truncate(info.buffer_size());
        (info.width, info.height, pixels)
    }

    #[test]
    fn a_series_is_drawn_at_the_size_asked_with_more_than_one_colour() {
        let points = [
            (day("2026-10-31"), 1000.0),
            (day("2026-11-07"), 1100.0),
            (day("2026-11-21"), 1200.5),
        ];
        let png = line_chart(
            "mrr since 2026-10-31",
            &points,
            Size::new(Some(640), Some(320)).unwrap(),
        )
        .unwrap();
        let (width, height, pixels) = decoded(&png);
        assert_eq!((width, height), (640, 320));
        let line = [0x2f, 0x6f, 0x9f];
        assert!(pixels.chunks(3).any(|pixel| pixel == line));
        assert!(pixels.chunks(3).any(|pixel| pixel == [255, 255, 255]));
    }

    #[test]
    fn one_reading_or_equal_values_still_draw() {
        for points in [
            vec![(day("2026-11-21"), 53.0)],
            vec![(day("2026-11-21"), 0.0), (day("2026-11-22"), 0.0)],
            vec![(day("2026-11-21"), -3.5), (day("2026-11-21"), -3.5)],
        ] {
            let png = line_chart("users", &points, Size::DEFAULT).unwrap();
            assert_eq!(decoded(&png).0, 800);
        }
        assert!(matches!(
            line_chart("x", &[], Size::DEFAULT),
            Err(Error::Invalid(_))
        ));
    }

    #[test]
    fn sizes_outside_the_limits_are_refused() {
        assert_eq!(Size::new(None, None).unwrap(), Size::DEFAULT);
        for (width, height) in [(0, 400), (199, 400), (800, 149), (4001, 400), (800, u32::MAX)] {
            let error = Size::new(Some(width), Some(height)).unwrap_err();
            assert!(
                error.to_string().contains("the width must be 200–4000"),
                "{error}"
            );
        }
    }

    #[test]
    fn labels_read_as_people_write_numbers_and_dates() {
        assert_eq!(value_label(1200.0), "1200");
        assert_eq!(value_label(-3.5), "-3.5");
        assert_eq!(value_label(0.256), "0.26");
        assert_eq!(date_of(day_number(day("2026-11-21"))), "2026-11-21");
        assert_eq!(value_range(&[5.0]), (4.0, 6.0));
    }
}
