//! Reading a document from where it lives: a file on disk (refused before reading when it is
//! over the limit) or a URL (fetched within the limits), then extracted. The caller decides
//! what to do with it; nothing here knows about a workspace.

use std::path::Path;

use crate::error::{IngestError, Result};
use crate::fetch::{self, FetchOptions};
use crate::{Document, Hint, Limits, OcrOptions, extract_with, too_large};

/// Reads a file, refusing it before reading when it is over the limit.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    let io = |source| IngestError::Io {
        name: name.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(IngestError::Io {
            name: name.clone(),
            source: std::io::Error::other("it is a folder"),
        });
    }
    if meta.len() > limits.max_bytes {
        return Err(too_large(&name, Some(meta.len()), limits.max_bytes));
    }
    std::fs::read(path).map_err(io)
}

/// A document read from a file or URL, ready for the store.
pub struct Read {
    pub document: Document,
    /// The absolute path or the URL asked for: what a re-import reads again.
    pub origin: String,
    pub retrieved_at: Option<String>,
    /// The address a fetched page was finally read from.
    pub final_url: Option<String>,
    /// The bytes as read from the file or fetched, before any extraction: what the store keeps
    /// as the source's original.
    pub original: Vec<u8>,
}

/// Reads and extracts a file (`origin` becomes its absolute path).
pub fn read_path(path: &Path, limits: &Limits) -> Result<Read> {
    read_path_with(path, limits, &OcrOptions::default())
}

/// [`read_path`], with OCR's options for a scan.
pub fn read_path_with(path: &Path, limits: &Limits, ocr: &OcrOptions) -> Result<Read> {
    let bytes = read_file(path, limits)?;
    let name = path.display().to_string();
    let document = extract_with(&bytes, &Hint::named(&name), limits, ocr)?;
    let origin = std::fs::canonicalize(path)
        .map(|p| p.display().to_string())
        .unwrap_or(name);
    Ok(Read {
        document,
        origin,
        retrieved_at: None,
        final_url: None,
        original: bytes,
    })
}

/// Fetches and extracts a URL; `now` is recorded as the retrieval time.
pub fn read_url(url: &str, limits: &Limits, fetch: &FetchOptions, now: &str) -> Result<Read> {
    read_url_with(url, limits, fetch, now, &OcrOptions::default())
}

/// [`read_url`], with OCR's options for a scanned PDF or image at the address.
pub fn read_url_with(
    url: &str,
    limits: &Limits,
    fetch: &FetchOptions,
    now: &str,
    ocr: &OcrOptions,
) -> Result<Read> {
    let mut fetch_options = fetch.clone();
    fetch_options.max_bytes = fetch_options.max_bytes.min(limits.max_bytes);
    let fetched = fetch::fetch(url, &fetch_options)?;
    let hint = Hint {
        name: Some(fetched.url.clone()),
        content_type: fetched.content_type.clone(),
        url: Some(fetched.final_url.clone()),
    };
    let document = extract_with(&fetched.bytes, &hint, limits, ocr)?;
    Ok(Read {
        document,
        origin: fetched.url,
        retrieved_at: Some(now.to_string()),
        final_url: Some(fetched.final_url),
        original: fetched.bytes,
    })
}
