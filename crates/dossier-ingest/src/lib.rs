//! Import: a document's bytes in, normalized text plus metadata out — web pages, PDF, Word
//! (.docx), Markdown and plain text — and, around that pure core, fetching URLs ([`fetch`]) and
//! importing many files and URLs into a workspace ([`bulk`]).
//!
//! The format is decided by the content (magic bytes, then sniffing decoded text), never by the
//! file name: a PDF saved as `.txt` imports as a PDF, and a PNG named `.html` is refused. The
//! one exception a reader might question: a file name ending `.md` or a `text/markdown` type
//! labels text as Markdown; it changes nothing but the recorded format, since Markdown is kept
//! as its source text (front matter is recognised by content either way).

pub mod bulk;
mod docx;
mod error;
pub mod fetch;
mod html;
mod lang;
mod pdf;
mod sniff;
pub mod text;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use bulk::{ImportOptions, ImportSummary, ItemResult, ItemStatus, Progress};
pub use error::{IngestError, Result};
pub use fetch::{FetchOptions, Fetched};

/// Files and downloads larger than this are refused unless the caller raises the limit: a
/// 50 MB report is already unusually large, and everything is held in memory while it is read.
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

/// What a document was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

/// What is known about the bytes besides themselves. None of it decides the format.
#[derive(Debug, Clone, Default)]
pub struct Hint {
    /// The file name or URL, for messages (and `.md` for the Markdown label).
    pub name: Option<String>,
    /// An HTTP `Content-Type`, for its `charset` (and `text/markdown`).
    pub content_type: Option<String>,
    /// Where the document lives on the web, for resolving relative links in a page.
    pub url: Option<String>,
}

impl Hint {
    pub fn named(name: impl Into<String>) -> Hint {
        Hint {
            name: Some(name.into()),
            ..Hint::default()
        }
    }

    fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| "the document".into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes (also the cap on a Word file's unpacked text).
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// A document's text and what it says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Document {
    /// Normalized as the store keeps it (`dossier_core::text::normalize_body`).
    pub text: String,
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Outlet or site name.
    pub outlet: Option<String>,
    /// ISO 639-1 code (`en`, `fr`): declared by the document, else detected.
    pub lang: Option<String>,
    /// The canonical URL the document declares.
    pub url: Option<String>,
    /// Code-point offsets in `text` where each page begins (PDF only).
    #[ts(type = "Array<number> | null")]
    pub pages: Option<Vec<usize>>,
    pub format: Format,
}

impl Document {
    fn new(text: String, format: Format) -> Document {
        Document {
            text,
            title: None,
            authors: Vec::new(),
            published: None,
            outlet: None,
            lang: None,
            url: None,
            pages: None,
            format,
        }
    }
}

/// Reads a document: detects its format from its content, extracts its text and metadata, and
/// detects its language when it does not declare one.
pub fn extract(bytes: &[u8], hint: &Hint, limits: &Limits) -> Result<Document> {
    let name = hint.label();
    if bytes.len() as u64 > limits.max_bytes {
        return Err(too_large(&name, Some(bytes.len() as u64), limits.max_bytes));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty { name });
    }
    let kind = sniff::sniff(bytes, &name)?;
    // A parser that panics on a hostile file must fail that file, not the whole import; the
    // message names the format the file claimed to be, which is what the analyst can act on.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        extract_by_kind(kind, bytes, hint, limits, &name)
    }));
    let mut doc = match outcome {
        Ok(result) => result?,
        Err(_) => {
            let reason = "its reader stopped on damaged content".to_owned();
            return Err(match kind {
                sniff::Kind::Pdf => IngestError::BrokenPdf { name, reason },
                sniff::Kind::Docx => IngestError::BrokenDocx { name, reason },
                sniff::Kind::Text => IngestError::BrokenHtml { name, reason },
            });
        }
    };
    if text::is_blank_text(&doc.text) {
        let hint = match doc.format {
            Format::Pdf => " (a scanned PDF has only images of text; run it through OCR first)",
            Format::Html => " (no article could be found in the page)",
            _ => "",
        };
        return Err(IngestError::NoText {
            name,
            hint: hint.into(),
        });
    }
    if doc.lang.is_none() {
        doc.lang = lang::detect(&doc.text);
    }
    Ok(doc)
}

fn extract_by_kind(
    kind: sniff::Kind,
    bytes: &[u8],
    hint: &Hint,
    limits: &Limits,
    name: &str,
) -> Result<Document> {
    match kind {
        sniff::Kind::Pdf => pdf::extract(bytes, name),
        sniff::Kind::Docx => docx::extract(bytes, name, limits),
        sniff::Kind::Text => {
            let decoded = text::decode(bytes, hint.content_type.as_deref(), name)?;
            if sniff::looks_like_html(&decoded) {
                html::extract(&decoded, hint, name)
            } else {
                Ok(text::extract(&decoded, hint))
            }
        }
    }
}

pub(crate) fn too_large(name: &str, size: Option<u64>, limit: u64) -> IngestError {
    IngestError::TooLarge {
        name: name.to_string(),
        size: size.map_or(String::new(), |s| {
            format!(" (it is {:.1} MB)", s as f64 / 1024.0 / 1024.0)
        }),
        limit_mb: limit / 1024 / 1024,
    }
}

/// A date as documents write it (`2025-03-14`, `2025-03-14T09:00:00-05:00`) as `YYYY-MM-DD`, or
/// `None` when it is not a real date.
pub(crate) fn iso_date(value: &str) -> Option<String> {
    let v = value.trim();
    let day = v.get(..10)?;
    let d: dossier_core::IsoDate = day.parse().ok()?;
    Some(d.to_string())
}

/// A language tag reduced to its primary subtag (`fr-CA` → `fr`), so that facets do not split
/// one language in several.
pub(crate) fn primary_lang(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

pub(crate) fn clean(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
}
