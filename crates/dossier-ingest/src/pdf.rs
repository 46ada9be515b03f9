//! PDF: the text of each page in reading order (pdf_oxide), pages joined by a blank line, and a
//! page map — the code-point offset where each page begins — so that an excerpt knows its page
//! and a citation can say "p. 12". Title and author come from the document information.
//!
//! A page with no text layer (a scanned page) is read by OCR ([`crate::ocr`]): a PDF mixing text
//! pages and scanned pages gets both, and the document says which pages came from OCR.
//!
//! The decision a reader might question: each page is normalized on its own and the map is
//! computed from the normalized pages. NFC cannot compose across the `\n\n` that joins them, so
//! the joined text is exactly what `normalize_body` would make of it, and the offsets hold.

use crate::document::normalize_text;
use dossier_core::text::char_len;
use pdf_oxide::PdfDocument;

use crate::error::{IngestError, Result};
use crate::html::split_names;
use crate::ocr::{self, OcrInfo, OcrOptions};
use crate::{Document, Format, clean};

pub(crate) fn extract(bytes: &[u8], name: &str, options: &OcrOptions) -> Result<Document> {
    let broken = |reason: String| IngestError::BrokenPdf {
        name: name.to_string(),
        reason,
    };
    let pdf = PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| broken(e.to_string()))?;
    if !pdf.is_authenticated() {
        return Err(IngestError::Protected {
            name: name.to_string(),
        });
    }
    let count = pdf.page_count().map_err(|e| broken(e.to_string()))?;
    if count == 0 {
        return Err(broken("it has no pages".into()));
    }
    let mut pages = Vec::with_capacity(count);
    for index in 0..count {
        let raw = pdf
            .extract_text(index)
            .map_err(|e| broken(format!("page {} cannot be read ({e})", index + 1)))?;
        pages.push(normalize_text(&raw));
    }
    // Pages with no letters or digits have no text layer worth keeping: scans, or blank pages.
    let scanned: Vec<(usize, f64, f64)> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.chars().any(char::is_alphanumeric))
        .map(|(i, _)| {
            let (x0, y0, x1, y1) = pdf
                .get_page_media_box(i)
                .unwrap_or((0.0, 0.0, 612.0, 792.0));
            (
                i + 1,
                f64::from((x1 - x0).abs()),
                f64::from((y1 - y0).abs()),
            )
        })
        .collect();
    let mut ocr_info = None;
    // A PDF whose every page has text needs no OCR; one with some text pages is still read when
    // Tesseract is missing (the scanned pages stay empty), since its text is worth having.
    if !scanned.is_empty() && (scanned.len() == count || ocr::available()) {
        let read = ocr::recognize_pdf_pages(bytes, &scanned, options).map_err(|e| match e {
            IngestError::Ocr { reason } => IngestError::Ocr {
                reason: format!("{name}: {reason}"),
            },
            other => other,
        })?;
        let mut numbers = Vec::new();
        for (&(page, _, _), text) in scanned.iter().zip(&read) {
            let normalized = normalize_text(&text.text);
            if normalized.chars().any(char::is_alphanumeric) {
                numbers.push(page as u32);
                pages[page - 1] = normalized;
            }
        }
        if !numbers.is_empty() {
            ocr_info = Some(OcrInfo {
                pages: numbers,
                confidence: ocr::mean_confidence(&read),
            });
        }
    }
    let (text, starts) = join_pages(&pages);
    let mut doc = Document::new(text, Format::Pdf);
    doc.pages = Some(starts);
    doc.ocr = ocr_info;
    doc.title = clean(info_string(&pdf, "Title"));
    doc.authors = info_string(&pdf, "Author")
        .map(|a| split_names(&a))
        .unwrap_or_default();
    Ok(doc)
}

/// Pages of normalized text joined by a blank line, and the code-point offset where each begins.
pub(crate) fn join_pages(pages: &[String]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(pages.len());
    let mut offset = 0;
    for page in pages {
        let page = page.trim_matches(|c: char| c.is_whitespace());
        if !text.is_empty() && !page.is_empty() {
            text.push_str("\n\n");
            offset += 2;
        }
        starts.push(offset);
        text.push_str(page);
        offset += char_len(page);
    }
    (text, starts)
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
