//! PDF: the text of each page in reading order (pdf_oxide), pages joined by a blank line, and a
//! page map — the code-point offset where each page begins — so that an excerpt knows its page
//! and a citation can say "p. 12". Title and author come from the document information.
//!
//! The decision a reader might question: each page is normalized on its own and the map is
//! computed from the normalized pages. NFC cannot compose across the `\n\n` that joins them, so
//! the joined text is exactly what `normalize_body` would make of it, and the offsets hold.

use crate::document::normalize_text;
use dossier_core::text::char_len;
use pdf_oxide::PdfDocument;

use crate::error::{IngestError, Result};
use crate::html::split_names;
use crate::{Document, Format, clean};

pub(crate) fn extract(bytes: &[u8], name: &str) -> Result<Document> {
    let broken = |reason: String| IngestError::BrokenPdf {
        name: name.to_string(),
        reason,
    };
    let pdf = PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| broken(e.to_string()))?;
    if !pdf.is_authenticated() {
        return Err(broken(
            "it is encrypted with a password; save an unprotected copy and import that".into(),
        ));
    }
    let count = pdf.page_count().map_err(|e| broken(e.to_string()))?;
    if count == 0 {
        return Err(broken("it has no pages".into()));
    }
    let mut text = String::new();
    let mut pages = Vec::with_capacity(count);
    let mut offset = 0;
    for index in 0..count {
        let raw = pdf
            .extract_text(index)
            .map_err(|e| broken(format!("page {} cannot be read ({e})", index + 1)))?;
        let page = normalize_text(&raw);
        let page = page.trim_matches(|c: char| c.is_whitespace());
        if !text.is_empty() && !page.is_empty() {
            text.push_str("\n\n");
            offset += 2;
        }
        pages.push(offset);
        text.push_str(page);
        offset += char_len(page);
    }
    let mut doc = Document::new(text, Format::Pdf);
    doc.pages = Some(pages);
    doc.title = clean(info_string(&pdf, "Title"));
    doc.authors = info_string(&pdf, "Author")
        .map(|a| split_names(&a))
        .unwrap_or_default();
    Ok(doc)
}

/// A text entry of the document information dictionary.
fn info_string(pdf: &PdfDocument, key: &str) -> Option<String> {
    let info = pdf.trailer().as_dict()?.get("Info")?;
    let info = pdf.resolve_references(info, 4).ok()?;
    let value = pdf.resolve_references(info.as_dict()?.get(key)?, 4).ok()?;
    let decoded = decode_text_string(value.as_string()?);
    let trimmed = decoded.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// PDF text strings: UTF-16BE with a BOM, UTF-8 with a BOM (PDF 2.0), else PDFDocEncoding, whose
/// printable range matches Latin-1 closely enough for titles and names.
fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| b as char).collect()
}
