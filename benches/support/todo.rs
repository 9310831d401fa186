//! The realistic 100k-line todo.txt the benchmarks read.

/// Lines in it.
pub const LINES: usize = 100_000;

/// A todo.txt like a busy person's: a mix of priorities, projects, contexts, due and
/// threshold dates, owners, done tasks and the odd blank line.
pub fn realistic_todo() -> String {
    let projects = [
        "work",
        "home",
        "travel",
        "q4-report",
        "garden",
        "health",
        "money",
        "kids",
    ];
    let contexts = ["phone", "laptop", "errands", "office", "waiting"];
    let words = [
        "Call", "Email", "Review", "Plan", "Buy", "Fix", "Write", "Book", "Pay", "Ask",
    ];
    let objects = [
        "the plumber",
        "budget draft",
        "flights to Lisbon",
        "school forms",
        "the roof",
        "slides",
    ];
    let mut out = String::with_capacity(LINES * 70);
    for n in 0..LINES {
        let day = 1 + n % 28;
        let month = 1 + n % 12;
        if n % 97 == 0 {
            out.push('\n');
            continue;
        }
        if n % 5 == 0 {
            out.push_str(&format!("x 2026-{month:02}-{day:02} "));
        } else if n % 3 == 0 {
            out.push_str(&format!("({}) ", (b'A' + (n % 4) as u8) as char));
        }
        out.push_str(&format!(
            "2026-{month:02}-{day:02} {} {} #{n} +{} @{}",
            words[n % words.len()],
            objects[n % objects.len()],
            projects[n % projects.len()],
            contexts[n % contexts.len()],
        ));
        if n % 4 == 0 {
            out.push_str(&format!(" due:2026-{:02}-{day:02}", 1 + (n / 7) % 12));
        }
        if n % 11 == 0 {
            out.push_str(&format!(" t:2026-{:02}-{day:02}", 1 + (n / 5) % 12));
        }
        if n % 6 == 0 {
            out.push_str(" owner:ana");
        }
        out.push('\n');
    }
    out
}
