//! Reading a text file (or standard input) for `source add`.
//!
//! Plain text and Markdown in any encoding the import pipeline recognises; richer formats belong
//! to `dossier import`. Anything else is refused with a message, never read as garbage.

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
    let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    if bytes.contains(&0) && !utf16 {
        bail!("{name} looks like a binary file, not text; nothing was added");
    }
    // Any encoding: UTF-8, UTF-16 with a byte-order mark, or a legacy one such as Windows-1252.
    crate::import::decode_text(&bytes, &name)
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
