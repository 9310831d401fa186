//! todo.txt: any bytes parse without panicking, write back unchanged, and every task
//! reads back the same from its canonical form, also after a completion.
#![no_main]

use libfuzzer_sys::fuzz_target;
use myorg_parsers::{TodoFile, TodoLine, Task};

fuzz_target!(|data: &[u8]| {
    let mut doc = TodoFile::parse(data.to_vec());
    assert_eq!(doc.to_bytes(), data);
    let _ = doc.diagnostics();
    let lines = doc.len();
    for index in 0..lines {
        if let Some(TodoLine::Task(task)) = doc.get(index) {
            let mut task = task.clone();
            assert_eq!(Task::parse(&task.render()), task);
            let _ = (task.due(), task.threshold(), task.recurrence(), task.followup(), task.is_hidden());
            task.complete(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
            assert_eq!(Task::parse(&task.render()), task);
            doc.replace(index, TodoLine::Task(task));
        }
    }
    let reread = TodoFile::parse(doc.to_bytes());
    assert_eq!(reread.len(), lines);
});
