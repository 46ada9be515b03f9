//! Import: a document's bytes in, normalized text plus metadata out — web pages, PDF, Word
//! (.docx), Markdown, plain text, and scans (PDF pages without text, PNG, JPEG and TIFF images)
//! read by OCR ([`ocr`]) — and, around that pure core, reading files and fetching
//! URLs ([`read`], [`fetch`]). Storing what was read is the service layer's job (`dossier-api`):
//! this crate never opens a workspace.
//!
//! The format is decided by the content (magic bytes, then sniffing decoded text), never by the
//! file name: a PDF saved as `.txt` imports as a PDF, and a PNG named `.html` is refused. The
//! one exception a reader might question: a file name ending `.md` or a `text/markdown` type
//! labels text as Markdown; it changes nothing but the recorded format, since Markdown is kept
//! as its source text (front matter is recognised by content either way).

mod byline;
mod consensus;
mod document;
mod docx;
mod error;
pub mod feed;
pub mod fetch;
mod html;
mod lang;
pub mod ocr;
mod pdf;
pub mod read;
mod sniff;
pub mod text;

pub use document::{DEFAULT_MAX_BYTES, Document, Format, Hint, Limits};
pub use error::{IngestError, Result};
pub use fetch::{FetchOptions, Fetched};
pub use ocr::{OcrInfo, OcrOptions, OcrProgress};
pub use read::{Read, read_file, read_path, read_path_with, read_url, read_url_with};

/// Reads a document: detects its format from its content, extracts its text and metadata, and
/// detects its language when it does not declare one. Scans are read by OCR with the default
/// languages; [`extract_with`] sets them, and progress and cancelling.
pub fn extract(bytes: &[u8], hint: &Hint, limits: &Limits) -> Result<Document> {
    extract_with(bytes, hint, limits, &OcrOptions::default())
}

/// [`extract`], with OCR's languages, progress callback and cancel flag.
pub fn extract_with(
    bytes: &[u8],
    hint: &Hint,
    limits: &Limits,
    ocr: &OcrOptions,
) -> Result<Document> {
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
        extract_by_kind(kind, bytes, hint, limits, &name, ocr)
    }));
    let mut doc = match outcome {
        Ok(result) => result?,
        Err(_) => {
            let reason = "its reader stopped on damaged content".to_owned();
            return Err(match kind {
                sniff::Kind::Pdf => IngestError::BrokenPdf { name, reason },
                sniff::Kind::Docx => IngestError::BrokenDocx { name, reason },
                sniff::Kind::Image => IngestError::BrokenImage { name, reason },
                sniff::Kind::Text => IngestError::BrokenHtml { name, reason },
            });
        }
    };
    if text::is_blank_text(&doc.text) {
        if doc.format == Format::Image {
            return Err(IngestError::NoTextInImage { name });
        }
        let hint = match doc.format {
            Format::Pdf if doc.ocr.is_none() => {
                " (its pages have no text, and OCR found none in them)"
            }
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
    // What a document says about itself is printed too (`source list` shows titles).
    for field in [
        &mut doc.title,
        &mut doc.outlet,
        &mut doc.url,
        &mut doc.published,
    ] {
        if let Some(value) = field.as_mut()
            && let std::borrow::Cow::Owned(clean) = document::without_controls(value)
        {
            *value = clean;
        }
    }
    for author in &mut doc.authors {
        if let std::borrow::Cow::Owned(clean) = document::without_controls(author) {
            *author = clean;
        }
    }
    Ok(doc)
}

fn extract_by_kind(
    kind: sniff::Kind,
    bytes: &[u8],
    hint: &Hint,
    limits: &Limits,
    name: &str,
    ocr: &OcrOptions,
) -> Result<Document> {
    match kind {
        sniff::Kind::Pdf => pdf::extract(bytes, name, ocr),
        sniff::Kind::Image => ocr::extract_image(bytes, name, ocr),
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
