//! Reading a text file (or standard input) for `source add`.
//!
//! Plain text and Markdown must be UTF-8 here; richer formats and other encodings belong to the
//! import pipeline. Anything else is refused with a message, never read as garbage.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};

/// Files larger than this are refused: a text source of 50 MB is a mistake, not an article.
const MAX_BYTES: u64 = 50 * 1024 * 1024;

pub fn text_file(path: &Path) -> anyhow::Result<String> {
    let (bytes, name) = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        (buf, "standard input".to_string())
    } else {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path).with_context(|| format!("cannot read {name}"))?;
        if meta.is_dir() {
            bail!("{name} is a folder; give a .txt or .md file");
        }
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
        (bytes, name)
    };
    if bytes.len() as u64 > MAX_BYTES {
        bail!(
            "{name} is larger than {} MB; nothing was added",
            MAX_BYTES / 1024 / 1024
        );
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        bail!("{name} is empty; nothing was added");
    }
    if bytes.contains(&0) {
        bail!("{name} looks like a binary file, not text; nothing was added");
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => bail!(
            "{name} is not UTF-8 text (invalid byte at position {}); save it as UTF-8 and try again — nothing was added",
            e.utf8_error().valid_up_to()
        ),
    }
}

/// Where a source came from, for a later re-import: the absolute path of a file.
pub fn origin(path: &Path) -> Option<String> {
    if path.as_os_str() == "-" {
        return None;
    }
    std::fs::canonicalize(path)
        .ok()
        .map(|p| p.display().to_string())
}
