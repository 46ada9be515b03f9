//! Briefing notes out: a [`BriefingDocument`] in, the bytes of a Markdown, HTML, Word or PDF
//! file out. No database, no window, no clock, no file system: the caller decides where the
//! bytes go, and the same document always gives the same bytes.
//!
//! Every format lays the note out the same way — marking, "MEMORANDUM TO …", file and date, the
//! title in the note's language then in the other, the purpose line, the non-empty sections in order, each quoted
//! excerpt with a numbered note citing it, the prepared-by and approved-by lines, the decision
//! block on decision notes, then the sources — and every format escapes article text for its
//! own syntax (see `prepare`).
//!
//! Every fixed word follows the note's language (`BriefingDocument::lang`): the English ones
//! and the wording shared with other crates live in `dossier_core::briefing`, the rest in
//! `words`. A French note also gets Canadian French spacing in its text (`prepare`).
//!
//! The decision a reader might question: DOCX is written by hand rather than with docx-rs; see
//! the `docx` module for why.

mod docx;
mod html;
mod markdown;
mod pdf;
mod prepare;
mod words;

use std::fmt;
use std::str::FromStr;

use dossier_core::briefing::BriefingDocument;
use thiserror::Error;

/// The formats a briefing exports to, named as their file extensions (`docx`, `pdf`, `html`,
/// `md`) in JSON and in the UI's `ExportFormat`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[ts(rename = "ExportFormat")]
pub enum Format {
    #[serde(rename = "md")]
    Markdown,
    #[serde(rename = "html")]
    Html,
    #[serde(rename = "docx")]
    Docx,
    #[serde(rename = "pdf")]
    Pdf,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Docx, Format::Pdf, Format::Html, Format::Markdown];

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Pdf => "application/pdf",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            "docx" | "word" => Ok(Format::Docx),
            "pdf" => Ok(Format::Pdf),
            _ => Err(format!(
                "\"{s}\" is not an export format; use docx, pdf, html or md"
            )),
        }
    }
}

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("the PDF could not be typeset: {0}")]
    Typeset(String),
    #[error("the Word file could not be written: {0}")]
    Package(#[from] std::io::Error),
}

/// The note in `format`.
pub fn export(doc: &BriefingDocument, format: Format) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Markdown => Ok(markdown(doc).into_bytes()),
        Format::Html => Ok(html(doc).into_bytes()),
        Format::Docx => docx(doc),
        Format::Pdf => pdf(doc),
    }
}

/// CommonMark with footnotes.
pub fn markdown(doc: &BriefingDocument) -> String {
    markdown::write(&prepare::prepare(doc))
}

/// One self-contained HTML file, with print styles and no script.
pub fn html(doc: &BriefingDocument) -> String {
    html::write(&prepare::prepare(doc))
}

/// The HTML file's body alone (no `<html>`, `<head>` or style): the app's live preview. Every
/// piece of article text in it is escaped exactly as in [`html`].
pub fn html_body(doc: &BriefingDocument) -> String {
    let mut out = String::with_capacity(16 * 1024);
    html::body(&prepare::prepare(doc), &mut out);
    out
}

pub fn docx(doc: &BriefingDocument) -> Result<Vec<u8>, ExportError> {
    Ok(docx::write(&prepare::prepare(doc))?)
}

pub fn pdf(doc: &BriefingDocument) -> Result<Vec<u8>, ExportError> {
    pdf::write(&prepare::prepare(doc)).map_err(ExportError::Typeset)
}

/// The XML parts of the Word file, by name, before zipping: what the tests snapshot.
#[doc(hidden)]
pub fn docx_parts(doc: &BriefingDocument) -> Vec<(&'static str, String)> {
    docx::parts(&prepare::prepare(doc))
}

/// The Typst source the PDF is set from.
#[doc(hidden)]
pub fn typst_source(doc: &BriefingDocument) -> String {
    pdf::source(&prepare::prepare(doc))
}

/// Forgets what Typst memoized from earlier exports, so a benchmark measures a cold layout.
#[doc(hidden)]
pub fn forget_typesetting_caches() {
    typst::comemo::evict(0);
}

/// Typesets Typst source as the PDF export does, calling `phase("layout")` between layout and
/// PDF writing: for the benchmark's breakdown.
#[doc(hidden)]
pub fn typeset_source(
    source: String,
    phase: &mut dyn FnMut(&'static str),
) -> Result<Vec<u8>, ExportError> {
    pdf::typeset(source, phase).map_err(ExportError::Typeset)
}
