//! Exporting a briefing note to a file: the format (named, or told from the file's extension),
//! the bytes, the warnings an analyst must see (an orphaned or deleted excerpt still quoted),
//! the suggested file name, and the write — whole or not at all.
//!
//! The decision a reader might question: an export replaces an existing file without asking.
//! The analyst named the path (or picked it in a save dialog, which asks), and a note is
//! re-exported after every round of edits; what must never happen is a half-written file, so
//! the bytes go through the store's atomic write.

use std::path::{Path, PathBuf};

use dossier_core::briefing::{Briefing, BriefingDocument, ItemStatus};
use dossier_export::Format;
use dossier_store::Workspace;
use serde::Serialize;
use ts_rs::TS;

use crate::CommandError;

/// A briefing note rendered in one format, not yet written anywhere.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub briefing_id: i64,
    pub title: String,
    pub format: Format,
    pub bytes: Vec<u8>,
    /// Items the analyst should check before circulating the note.
    pub warnings: Vec<String>,
}

/// A file an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportedFile {
    pub briefing_id: i64,
    /// `docx`, `pdf`, `html` or `md`.
    pub format: String,
    pub path: String,
    pub bytes: usize,
    pub warnings: Vec<String>,
}

/// The format `given`, or the one `path`'s extension names.
pub fn format_for(path: &Path, given: Option<Format>) -> Result<Format, CommandError> {
    if let Some(format) = given {
        return Ok(format);
    }
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(|e| e.parse::<Format>().ok())
        .ok_or_else(|| {
            CommandError::new(
                "invalid",
                format!(
                    "cannot tell the format from {}; add --format docx, pdf, html or md",
                    path.display()
                ),
            )
        })
}

/// What an analyst should check before circulating `briefing`, one sentence per item.
pub fn warnings(briefing: &Briefing) -> Vec<String> {
    briefing
        .items_needing_attention()
        .map(|(kind, item)| match item.status {
            ItemStatus::Orphaned => format!(
                "{}: excerpt {} is no longer found in its source's text; check the quote",
                kind.heading(),
                item.excerpt_id.unwrap_or_default()
            ),
            _ => format!(
                "{}: item {} quotes a deleted excerpt (the copy kept when it was deleted is exported)",
                kind.heading(),
                item.id
            ),
        })
        .collect()
}

/// Renders briefing `id` in `format`.
pub fn render(ws: &Workspace, id: i64, format: Format) -> Result<Rendered, CommandError> {
    let briefing = ws.get_briefing(id)?;
    let bytes = dossier_export::export(&BriefingDocument::from(&briefing), format)?;
    Ok(Rendered {
        briefing_id: briefing.id,
        warnings: warnings(&briefing),
        title: briefing.title,
        format,
        bytes,
    })
}

impl Rendered {
    /// The name a save dialog suggests: the title's words and the format's extension.
    pub fn file_name(&self) -> String {
        format!("{}.{}", file_stem(&self.title), self.format.extension())
    }

    /// Writes the note at `path`, replacing a file already there, whole or not at all.
    pub fn write(&self, path: &Path) -> Result<ExportedFile, CommandError> {
        if path.file_name().is_none() || path.is_dir() {
            return Err(CommandError::new(
                "invalid",
                format!("{} is a folder; give a file name", path.display()),
            ));
        }
        let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(CommandError::new(
                "io",
                format!(
                    "cannot write {}: the folder {} does not exist",
                    path.display(),
                    dir.display()
                ),
            ));
        }
        dossier_store::atomic_file::write_replacing(path, &self.bytes)
            .map_err(|e| CommandError::io(format!("cannot write {}", path.display()), &e))?;
        let written = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(ExportedFile {
            briefing_id: self.briefing_id,
            format: self.format.extension().to_owned(),
            path: written.display().to_string(),
            bytes: self.bytes.len(),
            warnings: self.warnings.clone(),
        })
    }
}

/// `dossier export`: briefing `id` to `path`, in `format` or the one the extension names.
pub fn export_to_file(
    ws: &Workspace,
    id: i64,
    path: &Path,
    format: Option<Format>,
) -> Result<ExportedFile, CommandError> {
    let format = format_for(path, format)?;
    render(ws, id, format)?.write(path)
}

/// A file name from a title: the words, without characters file systems refuse.
pub fn file_stem(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut stem = String::new();
    for word in cleaned.split_whitespace() {
        if stem.chars().count() + word.chars().count() > 80 {
            break;
        }
        if !stem.is_empty() {
            stem.push(' ');
        }
        stem.push_str(word);
    }
    let stem = stem.trim_matches('.').trim().to_string();
    if stem.is_empty() {
        "Briefing note".to_string()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_becomes_a_file_name_without_what_file_systems_refuse() {
        assert_eq!(
            file_stem("Steel: the 25 % tariff / CUSMA?"),
            "Steel the 25 % tariff CUSMA"
        );
        assert_eq!(file_stem("Acier — décision"), "Acier — décision");
        assert_eq!(file_stem("  ..  "), "Briefing note");
        assert!(file_stem(&"mot ".repeat(100)).chars().count() <= 80);
    }

    #[test]
    fn the_format_comes_from_the_flag_or_the_extension() {
        assert_eq!(format_for(Path::new("n.docx"), None).unwrap(), Format::Docx);
        assert_eq!(
            format_for(Path::new("n.md"), None).unwrap(),
            Format::Markdown
        );
        assert_eq!(
            format_for(Path::new("n.txt"), Some(Format::Pdf)).unwrap(),
            Format::Pdf
        );
        let error = format_for(Path::new("note"), None).unwrap_err();
        assert!(error.message.contains("--format"), "{}", error.message);
    }

    fn note(dir: &Path) -> (Workspace, i64) {
        let mut ws = Workspace::open(&dir.join("ws.sqlite")).unwrap();
        let new = dossier_core::briefing::NewBriefing {
            title: "Acier : la suite".into(),
            ..Default::default()
        };
        let id = ws.create_briefing(&new, "2026-11-26T10:00:00Z").unwrap().id;
        (ws, id)
    }

    #[test]
    fn an_export_replaces_the_old_file_whole_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, id) = note(dir.path());
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let target = out.join("note.md");
        std::fs::write(&target, "old").unwrap();
        let written = export_to_file(&ws, id, &target, None).unwrap();
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(text.contains("Acier"), "{text}");
        assert_eq!(written.bytes, text.len());
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("note.md")]);
    }

    #[test]
    fn an_export_to_a_missing_folder_is_refused_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, id) = note(dir.path());
        let target = dir.path().join("absent").join("note.md");
        let error = export_to_file(&ws, id, &target, None).unwrap_err();
        assert_eq!(error.code, "io");
        assert!(error.message.contains("note.md"), "{}", error.message);
        assert!(!target.exists());
    }
}
