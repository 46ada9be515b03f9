//! Reading a text file (or standard input) for `source add`, through the service layer's
//! reader, so the CLI and the app accept and refuse the same files.

use std::io::Read;
use std::path::Path;

use anyhow::Context;
use dossier_api::text_file;

pub fn text_file(path: &Path) -> anyhow::Result<String> {
    if path.as_os_str() != "-" {
        return Ok(text_file::read(path)?.text);
    }
    let mut buf = Vec::new();
    std::io::stdin()
        .take(text_file::MAX_BYTES + 1)
        .read_to_end(&mut buf)
        .context("cannot read standard input")?;
    Ok(text_file::decode(&buf, "standard input")?)
}

/// Where a source came from, for a later re-import: the absolute path of a file.
pub fn origin(path: &Path) -> Option<String> {
    if path.as_os_str() == "-" {
        return None;
    }
    text_file::origin(path)
}
