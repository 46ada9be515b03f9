//! The types every reader shares: what a document was read as ([`Format`]), what is known about
//! its bytes besides themselves ([`Hint`]), the size limit ([`Limits`]), and what reading gives
//! back ([`Document`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// A scan or photo (PNG, JPEG, TIFF), read by OCR.
    Image,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Image => "image",
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

    pub(crate) fn label(&self) -> String {
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
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
    /// Code-point offsets in `text` where each page begins (PDF and multi-page scans).
    pub pages: Option<Vec<usize>>,
    pub format: Format,
    /// Which pages were read by OCR, and how confidently; `None` when none were.
    pub ocr: Option<crate::ocr::OcrInfo>,
}

impl Document {
    pub(crate) fn new(text: String, format: Format) -> Document {
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
            ocr: None,
        }
    }
}

/// What every format's text goes through: control characters other than newline, tab and
/// carriage return dropped (a web page's `ESC ]0;…BEL` or `ESC [2J` must never reach the
/// terminal of an analyst who prints the source), then the store's own normalization.
pub(crate) fn normalize_text(text: &str) -> String {
    dossier_core::text::normalize_body(&without_controls(text))
}

/// `text` without C0 and C1 control characters other than `\n`, `\t` and `\r` (line endings
/// are unified by the normalization after).
pub fn without_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let unwanted = |c: char| c.is_control() && !matches!(c, '\n' | '\t' | '\r');
    if text.chars().any(unwanted) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !unwanted(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
