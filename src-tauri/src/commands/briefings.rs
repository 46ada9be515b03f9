//! Briefing notes in the app: list, open, create, draft from a search, edit, move items,
//! duplicate, delete, a live preview, and Export with a save dialog.
//!
//! The preview is the HTML export's own body (the same escaping, the same numbering), so what
//! the analyst reads while composing is what the file will say. Export asks where to save in
//! Rust and writes the bytes there; the page never names a path.

use std::io::Write;
use std::path::{Path, PathBuf};

use dossier_core::briefing::{Briefing, BriefingPatch, BriefingSummary, NewBriefing, SectionKind};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use super::{now, on_workspace};
use crate::error::CommandError;

/// What deleting a briefing removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeletedBriefing {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
}

/// The formats a briefing exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Docx,
    Pdf,
    Html,
    Md,
}

impl ExportFormat {
    fn format(self) -> dossier_export::Format {
        match self {
            ExportFormat::Docx => dossier_export::Format::Docx,
            ExportFormat::Pdf => dossier_export::Format::Pdf,
            ExportFormat::Html => dossier_export::Format::Html,
            ExportFormat::Md => dossier_export::Format::Markdown,
        }
    }

    fn filter_name(self) -> &'static str {
        match self {
            ExportFormat::Docx => "Word document",
            ExportFormat::Pdf => "PDF",
            ExportFormat::Html => "Web page",
            ExportFormat::Md => "Markdown",
        }
    }
}

/// A file an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportedFile {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: usize,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_briefings(app: AppHandle) -> Result<Vec<BriefingSummary>, CommandError> {
    on_workspace(app, |state| state.with(|w| w.list_briefings())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_briefing(app: AppHandle, id: i64) -> Result<Briefing, CommandError> {
    on_workspace(app, move |state| state.with(|w| w.get_briefing(id))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn new_briefing(app: AppHandle, fields: NewBriefing) -> Result<Briefing, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.create_briefing(&fields, &now()))
    })
    .await
}

/// "New briefing from this search": Current Status from the matching excerpts by sector, Next
/// Steps from the open follow-ups among them.
#[tauri::command(rename_all = "snake_case")]
pub async fn draft_briefing(
    app: AppHandle,
    query: String,
    fields: NewBriefing,
) -> Result<Briefing, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.draft_briefing_from_query(&query, &fields, &now()))
    })
    .await
}

/// Fields, section text and items in one transaction: a refused change changes nothing.
#[tauri::command(rename_all = "snake_case")]
pub async fn edit_briefing(
    app: AppHandle,
    id: i64,
    patch: BriefingPatch,
) -> Result<Briefing, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.edit_briefing(id, &patch, &now()))
    })
    .await
}

/// Drag and drop: `item_id` to `position` (1-based) in section `to`.
#[tauri::command(rename_all = "snake_case")]
pub async fn move_briefing_item(
    app: AppHandle,
    id: i64,
    item_id: i64,
    to: SectionKind,
    position: usize,
) -> Result<Briefing, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.move_briefing_item(id, item_id, to, position, &now()))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn duplicate_briefing(app: AppHandle, id: i64) -> Result<Briefing, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.duplicate_briefing(id, &now()))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_briefing(app: AppHandle, id: i64) -> Result<DeletedBriefing, CommandError> {
    on_workspace(app, move |state| {
        state
            .with(|w| w.delete_briefing(id))
            .map(|d| DeletedBriefing {
                id: d.id,
                title: d.title,
            })
    })
    .await
}

/// The note as the HTML export lays it out, body only, for the composer's preview pane.
#[tauri::command(rename_all = "snake_case")]
pub async fn preview_briefing(app: AppHandle, id: i64) -> Result<String, CommandError> {
    on_workspace(app, move |state| {
        let doc = state.with(|w| w.briefing_document(id))?;
        Ok(dossier_export::html_body(&doc))
    })
    .await
}

/// Asks where to save the note and writes it there; `None` when the analyst cancels.
///
/// `DOSSIER_EXPORT_DIR`, when set, skips the dialog and saves into that folder under the
/// suggested name (scripted runs and the end-to-end tests, which cannot click a native dialog).
#[tauri::command(rename_all = "snake_case")]
pub async fn export_briefing(
    app: AppHandle,
    id: i64,
    format: ExportFormat,
) -> Result<Option<ExportedFile>, CommandError> {
    let handle = app.clone();
    // Typeset before asking: a PDF takes most of a second, and a refusal (a briefing deleted
    // meanwhile) is better said before the analyst has chosen a file name.
    let (title, bytes) = on_workspace(app, move |state| {
        let doc = state.with(|w| w.briefing_document(id))?;
        let bytes = dossier_export::export(&doc, format.format()).map_err(|e| {
            CommandError::new("export", format!("the briefing could not be exported: {e}"))
        })?;
        Ok((doc.title, bytes))
    })
    .await?;
    let name = format!("{}.{}", file_stem(&title), format.format().extension());
    tauri::async_runtime::spawn_blocking(move || {
        let target = match std::env::var_os("DOSSIER_EXPORT_DIR").filter(|d| !d.is_empty()) {
            Some(dir) => PathBuf::from(dir).join(&name),
            None => {
                let mut dialog = handle
                    .dialog()
                    .file()
                    .set_title("Export the briefing note")
                    .set_file_name(&name)
                    .add_filter(format.filter_name(), &[format.format().extension()]);
                if let Some(window) = handle.get_webview_window("main") {
                    dialog = dialog.set_parent(&window);
                }
                let Some(picked) = dialog.blocking_save_file() else {
                    return Ok(None);
                };
                picked.into_path().map_err(|e| {
                    CommandError::new("io", format!("cannot save to that place: {e}"))
                })?
            }
        };
        write_whole(&target, &bytes)?;
        Ok(Some(ExportedFile {
            path: target.display().to_string(),
            bytes: bytes.len(),
        }))
    })
    .await
    .map_err(CommandError::internal)?
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
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut stem = String::new();
    for word in words {
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

/// Writes all of `bytes` at `target` or nothing: a hidden file beside it, synced, renamed over.
/// An export interrupted half-way never leaves a truncated note where the old one was.
pub fn write_whole(target: &Path, bytes: &[u8]) -> Result<(), CommandError> {
    let io = |what: &str, e: std::io::Error| {
        CommandError::new("io", format!("cannot {what} {}: {e}", target.display()))
    };
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let partial = dir.join(format!(".{name}.{}.partial", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&partial).map_err(|e| io("write", e))?;
        file.write_all(bytes).map_err(|e| io("write", e))?;
        file.sync_all().map_err(|e| io("write", e))?;
        std::fs::rename(&partial, target).map_err(|e| io("save", e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
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
    fn an_export_replaces_the_old_file_whole_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("note.md");
        std::fs::write(&target, "old").unwrap();
        write_whole(&target, "# Nouvelle note".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "# Nouvelle note");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("note.md")]);
    }

    #[test]
    fn an_export_to_a_missing_folder_is_refused_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("absent").join("note.md");
        let error = write_whole(&target, b"x").unwrap_err();
        assert_eq!(error.code, "io");
        assert!(error.message.contains("note.md"), "{}", error.message);
    }
}
