//! calendar.txt: any bytes parse without panicking and write back unchanged; events
//! split; inserting a day keeps every other line and the line count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myorg_parsers::{CalendarFile, CalendarLine};

fuzz_target!(|data: &[u8]| {
    let mut doc = CalendarFile::parse(data.to_vec());
    assert_eq!(doc.to_bytes(), data);
    let _ = doc.diagnostics();
    for (_, line) in doc.items() {
        if let CalendarLine::Day(day) = line {
            let _ = day.events();
        }
        let rendered = line.render();
        assert_eq!(CalendarLine::parse(&CalendarLine::parse(&rendered).render()).render(), rendered);
    }
    let seed = data.iter().fold(0u32, |acc, b| acc.wrapping_mul(31).wrapping_add(*b as u32));
    let date = chrono::NaiveDate::from_ymd_opt(1990 + (seed % 60) as i32, 1 + (seed % 12), 1 + (seed % 28)).unwrap();
    let before = doc.len();
    let had_day = doc.day_index(date).is_some();
    let index = doc.ensure_day(date);
    assert_eq!(doc.len(), before + usize::from(!had_day));
    assert_eq!(doc.day_index(date), Some(index));
    assert_eq!(CalendarFile::parse(doc.to_bytes()).len(), doc.len());
});
