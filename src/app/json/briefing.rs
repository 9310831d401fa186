//! A briefing as JSON: `myorg briefing --json` and the `get_briefing` tool's
//! structured result, the same sections as its Markdown.

use chrono::NaiveDate;
use myorg_domain::briefing::{Briefing, Item, Kind, Section};
use schemars::JsonSchema;
use serde::Serialize;

/// A whole briefing.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BriefingJson {
    /// morning, evening or weekly.
    pub kind: String,
    /// YYYY-MM-DD.
    #[schemars(with = "String")]
    pub date: NaiveDate,
    /// The person's handle, when it is one person's.
    #[serde(rename = "for")]
    pub handle: Option<String>,
    /// A line under the title (the week's goal).
    pub subtitle: Option<String>,
    /// The sections that have something, in order.
    pub sections: Vec<SectionJson>,
}

/// A titled list of a briefing.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SectionJson {
    pub title: String,
    /// A line under the title, before the items.
    pub lead: Option<String>,
    pub items: Vec<BriefingItemJson>,
}

/// One line of a section.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BriefingItemJson {
    /// The task's reference, when it is a task of todo.txt.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text: String,
    /// A short remark: when it was due, why it is listed.
    pub note: Option<String>,
}

impl From<&Briefing> for BriefingJson {
    fn from(briefing: &Briefing) -> BriefingJson {
        BriefingJson {
            kind: match briefing.kind {
                Kind::Morning => "morning",
                Kind::Evening => "evening",
                Kind::Weekly => "weekly",
            }
            .to_string(),
            date: briefing.date,
            handle: briefing.handle.clone(),
            subtitle: briefing.subtitle.clone(),
            sections: briefing.sections.iter().map(SectionJson::from).collect(),
        }
    }
}

impl From<&Section> for SectionJson {
    fn from(section: &Section) -> SectionJson {
        SectionJson {
            title: section.title.clone(),
            lead: section.lead.clone(),
            items: section.items.iter().map(BriefingItemJson::from).collect(),
        }
    }
}

impl From<&Item> for BriefingItemJson {
    fn from(item: &Item) -> BriefingItemJson {
        BriefingItemJson {
            reference: item.reference.clone(),
            text: item.text.clone(),
            note: item.note.clone(),
        }
    }
}
