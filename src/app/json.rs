//! The JSON shapes of the use cases' results, one shape per thing: what a command's
//! `--json` prints and what the model's reading tools give as their structured
//! results (their JSON Schemas generated from these types, so the two cannot drift).
//! Dates are `YYYY-MM-DD`, times of day `HH:MM`, moments in the store's timezone
//! `YYYY-MM-DDTHH:MM:SS`. A task's shape is [`TaskJson`] (in `task_json.rs`).

mod briefing;
mod calendar;
mod digest;
mod figures;
mod files;
mod plan;
mod projects;
mod store;
mod suggest;
mod waiting;

pub use super::task_json::TaskJson;
pub use briefing::{BriefingItemJson, BriefingJson, SectionJson};
pub use calendar::{DayJson, DueTaskJson, EventJson};
pub use digest::{DigestJson, PersonWeekJson, WeekJson};
pub use figures::{FiguresJson, LatestJson, LineNotRead, ReadingJson, SeriesJson, SeriesShownJson};
pub use files::{FileJson, FileReadJson};
pub use plan::{InitiativeJson, PlanJson, PullRequestJson};
pub use projects::{LogEntryJson, ProgressJson, ProjectJson, ProjectShownJson};
pub use store::{ChangeJson, NotAppliedJson, StatusJson};
pub use suggest::{ContextJson, SuggestionJson};
pub use waiting::WaitingJson;
