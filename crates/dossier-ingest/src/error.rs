//! The import pipeline's one error type. Messages name the file or URL and say what to do;
//! `code()` is what the app and scripts branch on.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum IngestError {
    #[error("{name} is empty; nothing was imported")]
    Empty { name: String },
    #[error("{name} is larger than the import limit of {limit_mb} MB{size}; nothing was imported")]
    TooLarge {
        name: String,
        /// " (it is 73.2 MB)", when the size is known.
        size: String,
        limit_mb: u64,
    },
    #[error(
        "{name} is {what}, not a format Dossier imports (web page, PDF, Word .docx, Markdown, \
         text, or a PNG, JPEG or TIFF scan)"
    )]
    Unsupported { name: String, what: String },
    #[error("{name} is a damaged or unreadable PDF: {reason}")]
    BrokenPdf { name: String, reason: String },
    #[error(
        "{name} is protected with a password; open it, save a copy without the password, and \
         import that"
    )]
    Protected { name: String },
    #[error("{name} is a damaged or unreadable image: {reason}")]
    BrokenImage { name: String, reason: String },
    #[error("OCR cannot run: {reason}")]
    OcrUnavailable { reason: String },
    #[error("OCR failed: {reason}")]
    Ocr { reason: String },
    #[error("\"{lang}\" is not an OCR language Dossier can use: {reason}")]
    OcrLang { lang: String, reason: String },
    #[error("the import was cancelled; nothing was imported")]
    Cancelled,
    #[error("{name} is a damaged or unreadable Word document: {reason}")]
    BrokenDocx { name: String, reason: String },
    #[error("{name} could not be read as a web page: {reason}")]
    BrokenHtml { name: String, reason: String },
    #[error("{name} has no text to import{hint}")]
    NoText { name: String, hint: String },
    #[error("{name} has no text to import (OCR found none in the image)")]
    NoTextInImage { name: String },
    #[error("{url} is not a web address Dossier can fetch: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot fetch {url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("cannot read {name}: {source}")]
    Io {
        name: String,
        source: std::io::Error,
    },
}

impl IngestError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            IngestError::Empty { .. }
            | IngestError::NoText { .. }
            | IngestError::NoTextInImage { .. } => "no_text",
            IngestError::TooLarge { .. } => "too_large",
            IngestError::Unsupported { .. } => "unsupported_format",
            IngestError::BrokenPdf { .. }
            | IngestError::BrokenDocx { .. }
            | IngestError::BrokenHtml { .. } => "broken_file",
            IngestError::Protected { .. } => "protected",
            IngestError::BrokenImage { .. } => "broken_file",
            IngestError::OcrUnavailable { .. } => "ocr_unavailable",
            IngestError::Ocr { .. } => "ocr_failed",
            IngestError::OcrLang { .. } => "bad_ocr_lang",
            IngestError::Cancelled => "cancelled",
            IngestError::BadUrl { .. } => "bad_url",
            IngestError::Fetch { .. } => "fetch_failed",
            IngestError::Io { .. } => "io",
        }
    }
}

impl IngestError {
    /// What a translated message needs beside `code`: the file or address it is about
    /// (`name`, `url`) and the limit that was passed (`limit_mb`). Reasons from other programs
    /// stay in `message`.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            IngestError::Empty { name }
            | IngestError::Protected { name }
            | IngestError::NoTextInImage { name }
            | IngestError::NoText { name, .. }
            | IngestError::Unsupported { name, .. }
            | IngestError::BrokenPdf { name, .. }
            | IngestError::BrokenImage { name, .. }
            | IngestError::BrokenDocx { name, .. }
            | IngestError::BrokenHtml { name, .. }
            | IngestError::Io { name, .. } => vec![("name", name.clone())],
            IngestError::TooLarge { name, limit_mb, .. } => {
                vec![("name", name.clone()), ("limit_mb", limit_mb.to_string())]
            }
            IngestError::OcrLang { lang, .. } => vec![("lang", lang.clone())],
            IngestError::BadUrl { url, .. } | IngestError::Fetch { url, .. } => {
                vec![("url", url.clone())]
            }
            IngestError::OcrUnavailable { .. }
            | IngestError::Ocr { .. }
            | IngestError::Cancelled => Vec::new(),
        }
    }
}

pub type Result<T, E = IngestError> = std::result::Result<T, E>;
