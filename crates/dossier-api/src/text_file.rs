//! Reading a text or Markdown file as a new source's text: `dossier source add FILE` and the
//! app's "Open a text file" both come here, so both accept the same encodings (UTF-8, UTF-16
//! with a byte-order mark, legacy ones such as Windows-1252) and refuse the same files.
//!
//! Richer formats (web pages, PDF, Word) belong to import; a binary file is refused with a
//! message, never read as garbage.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::CommandError;

/// Text files larger than this are refused: a text source of 50 MB is a mistake, not an article.
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// A text file read for a new source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenedFile {
    /// The full path, kept as the source's origin.
    pub path: String,
    /// The file name without its folder, a starting point for the title.
    pub name: String,
    pub text: String,
}

/// The text of `bytes` read from `name` (a path, or "standard input").
pub fn decode(bytes: &[u8], name: &str) -> Result<String, CommandError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(CommandError::new(
            "too_large",
            format!(
                "{name} is larger than {} MB; nothing was added",
                MAX_BYTES / 1024 / 1024
            ),
        ));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CommandError::new(
            "no_text",
            format!("{name} is empty; nothing was added"),
        ));
    }
    let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    if bytes.contains(&0) && !utf16 {
        return Err(CommandError::new(
            "unsupported_format",
            format!("{name} looks like a binary file, not text; nothing was added"),
        ));
    }
    Ok(dossier_ingest::text::decode_text_file(bytes, name)?)
}

/// Reads a text file, refusing a folder or an oversized file before reading it.
pub fn read(path: &Path) -> Result<OpenedFile, CommandError> {
    let name = path.display().to_string();
    let meta =
        std::fs::metadata(path).map_err(|e| CommandError::io(format!("cannot read {name}"), &e))?;
    if meta.is_dir() {
        return Err(CommandError::new(
            "invalid",
            format!("{name} is a folder; give a .txt or .md file"),
        ));
    }
    if meta.len() > MAX_BYTES {
        return Err(CommandError::new(
            "too_large",
            format!(
                "{name} is larger than {} MB; nothing was added",
                MAX_BYTES / 1024 / 1024
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| CommandError::io(format!("cannot read {name}"), &e))?;
    Ok(OpenedFile {
        path: name.clone(),
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        text: decode(&bytes, &name)?,
    })
}

/// Where a source came from, for a later re-import: the absolute path of a file.
pub fn origin(path: &Path) -> Option<String> {
    std::fs::canonicalize(path)
        .ok()
        .map(|p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_is_read_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.md");
        std::fs::write(&path, "# Acier\n\nLes droits de douane…").unwrap();
        let opened = read(&path).unwrap();
        assert_eq!(opened.name, "note.md");
        assert_eq!(opened.text, "# Acier\n\nLes droits de douane…");
    }

    #[test]
    fn a_legacy_encoding_is_read_and_a_binary_file_refused() {
        let dir = tempfile::tempdir().unwrap();
        let latin = dir.path().join("latin1.txt");
        std::fs::write(
            &latin,
            b"La d\xe9cision sur l'acier est report\xe9e au printemps.",
        )
        .unwrap();
        assert_eq!(
            read(&latin).unwrap().text,
            "La décision sur l'acier est reportée au printemps."
        );
        let binary = dir.path().join("data.txt");
        std::fs::write(&binary, b"\x01\x02\0\0binary").unwrap();
        let error = read(&binary).unwrap_err();
        assert_eq!(error.code, "unsupported_format");
        assert!(error.message.contains("binary"), "{}", error.message);
    }

    #[test]
    fn a_folder_and_a_missing_file_are_refused_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap_err().code, "invalid");
        let missing = read(&dir.path().join("absent.txt")).unwrap_err();
        assert_eq!(missing.code, "io");
        assert!(
            missing.message.contains("absent.txt"),
            "{}",
            missing.message
        );
    }
}
