//! The records Dossier keeps, as the CLI prints them in JSON and the app receives them over IPC.
//!
//! Field names are the public JSON contract documented in the README: snake_case, ids as plain
//! integers, dates as `YYYY-MM-DD`, times as RFC 3339 UTC. Renaming a field is a breaking change.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::briefing::Marking;

/// A source as listed: everything but its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SourceSummary {
    pub id: i64,
    /// Its global id (a UUIDv7): the same on every replica of a team workspace, unlike `id`.
    pub uid: String,
    pub title: String,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    /// RFC 3339, UTC.
    pub captured_at: String,
    pub excerpt_count: i64,
    pub tags: Vec<String>,
    /// Its security marking; its excerpts carry it unless they are marked themselves.
    pub marking: Marking,
    /// The story it shares with its copies in other outlets; `None` when it has none.
    pub story: Option<i64>,
}

/// Another source carrying the same story: the share of the shorter text found in the longer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SourceCopy {
    pub id: i64,
    pub similarity: f64,
}

/// Which pages of a source were read by OCR from a scan, and how sure the reader was: an
/// analyst checks a quote from these pages against the page before citing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OcrInfo {
    /// Page numbers, from 1 (an image file is page 1).
    pub pages: Vec<u32>,
    /// Mean word confidence over those pages, 0 to 1.
    pub confidence: f64,
}

/// A source with its text, as `source show` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Source {
    #[serde(flatten)]
    #[ts(flatten)]
    pub summary: SourceSummary,
    pub notes: String,
    pub content_hash: String,
    /// Where it was captured from (a file path or URL), when known.
    pub origin: Option<String>,
    pub updated_at: String,
    /// What it was imported as (`text`, `markdown`, `html`, `pdf`, `docx`, `image`); `None` for
    /// pasted text.
    pub format: Option<String>,
    /// Code-point offsets in `text` where each page begins, for paged documents.
    pub pages: Option<Vec<usize>>,
    /// Set when some of its text was read by OCR.
    pub ocr: Option<OcrInfo>,
    /// The other sources carrying the same story, most similar first.
    pub copies: Vec<SourceCopy>,
    pub text: String,
}

/// What a capture provides. `body` is normalized by the store before it is hashed or kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewSource {
    pub title: String,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    pub notes: String,
    pub origin: Option<String>,
    pub tags: Vec<String>,
    pub body: String,
    #[serde(default)]
    pub marking: Marking,
}

/// Metadata changes to a source; `None` leaves a field as it is, `Some("")` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SourcePatch {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub authors: Option<Vec<String>>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    pub notes: Option<String>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    #[serde(default)]
    pub marking: Option<Marking>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Excerpt {
    pub id: i64,
    /// Its global id (a UUIDv7): the same on every replica of a team workspace, unlike `id`.
    /// An excerpt handed back to be restored may leave it out (it then gets a new one).
    #[serde(default)]
    pub uid: String,
    pub source_id: i64,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    /// Code-point offsets into the source's stored text.
    pub start: i64,
    pub end: i64,
    /// Markdown.
    pub note: String,
    /// Tag paths, in the order they were attached (the first gives the highlight colour).
    pub tags: Vec<String>,
    /// True when a re-import could not place the quote with confidence.
    pub orphaned: bool,
    pub created_at: String,
    pub updated_at: String,
    /// The marking it carries: its own when set, else its source's.
    #[serde(default)]
    pub marking: Marking,
    /// The marking set on the excerpt itself; `None` when it follows its source.
    #[serde(default)]
    pub own_marking: Option<Marking>,
}

/// Where a new excerpt is in its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum ExcerptTarget {
    Quote {
        quote: String,
        occurrence: Option<usize>,
    },
    Range {
        start: usize,
        end: usize,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExcerptPatch {
    pub note: Option<String>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    /// A marking of its own.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// Drops its own marking, so it follows its source's again (wins over `marking`).
    #[serde(default)]
    pub inherit_marking: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Tag {
    pub path: String,
    /// Its global id (a UUIDv7): the same on every replica of a team workspace, and kept when
    /// the tag is renamed, unlike its path.
    pub uid: String,
    pub label: String,
    pub label_fr: Option<String>,
    pub aliases: Vec<String>,
    /// `#rrggbb`.
    pub color: Option<String>,
    /// Everything the tag is attached to directly: excerpts + sources + follow-ups.
    pub count: i64,
    pub excerpt_count: i64,
    pub source_count: i64,
    pub question_count: i64,
}

/// Labels and looks of a tag; `None` leaves a field as it is, `Some("")` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TagSpec {
    pub label: Option<String>,
    pub label_fr: Option<String>,
    pub add_aliases: Vec<String>,
    pub remove_aliases: Vec<String>,
    pub color: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    Open,
    Answered,
    Dropped,
}

impl FollowUpStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpStatus::Open => "open",
            FollowUpStatus::Answered => "answered",
            FollowUpStatus::Dropped => "dropped",
        }
    }
}

impl fmt::Display for FollowUpStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FollowUpStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(FollowUpStatus::Open),
            "answered" => Ok(FollowUpStatus::Answered),
            "dropped" => Ok(FollowUpStatus::Dropped),
            other => Err(format!(
                "\"{other}\" is not a status; use open, answered or dropped"
            )),
        }
    }
}

/// A follow-up question raised by the material, tracked to an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FollowUp {
    pub id: i64,
    /// Its global id (a UUIDv7): the same on every replica of a team workspace, unlike `id`.
    pub uid: String,
    /// The question.
    pub text: String,
    pub status: FollowUpStatus,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    pub owner: Option<String>,
    pub excerpt_ids: Vec<i64>,
    pub source_ids: Vec<i64>,
    pub tags: Vec<String>,
    pub answer: Option<String>,
    pub answer_excerpt_ids: Vec<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub answered_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewFollowUp {
    pub text: String,
    pub excerpt_ids: Vec<i64>,
    pub source_ids: Vec<i64>,
    pub tags: Vec<String>,
    pub due: Option<String>,
    pub owner: Option<String>,
}

/// Changes to a follow-up's question, due date, owner, links and tags; `Some("")` clears.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FollowUpPatch {
    pub text: Option<String>,
    pub due: Option<String>,
    pub owner: Option<String>,
    pub add_excerpt_ids: Vec<i64>,
    pub add_source_ids: Vec<i64>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
}
