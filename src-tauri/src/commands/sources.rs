//! Sources: list, read, capture (pasted or from a text file), edit, delete.

use dossier_core::{NewSource, Source, SourcePatch, SourceSummary};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use super::{now, on_workspace};
use crate::error::CommandError;

/// A text file the analyst picked, read for the paste dialog to fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenedFile {
    /// The full path, kept as the source's origin.
    pub path: String,
    /// The file name without its folder, a starting point for the title.
    pub name: String,
    pub text: String,
}

/// What deleting a source removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeletedSource {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    #[ts(type = "number")]
    pub excerpts: usize,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_sources(app: AppHandle) -> Result<Vec<SourceSummary>, CommandError> {
    on_workspace(app, |state| state.with(|w| w.list_sources())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_source(app: AppHandle, id: i64) -> Result<Source, CommandError> {
    on_workspace(app, move |state| state.with(|w| w.get_source(id))).await
}

/// Captures a source and answers with it as stored (normalized text, guessed title).
#[tauri::command(rename_all = "snake_case")]
pub async fn add_source(app: AppHandle, source: NewSource) -> Result<Source, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| {
            let added = w.add_source(source, &now())?;
            w.get_source(added.id)
        })
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_source(
    app: AppHandle,
    id: i64,
    patch: SourcePatch,
) -> Result<Source, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.edit_source(id, patch, &now()))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_source(app: AppHandle, id: i64) -> Result<DeletedSource, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.delete_source(id)).map(|d| DeletedSource {
            id: d.id,
            title: d.title,
            excerpts: d.excerpts,
        })
    })
    .await
}

/// Asks for a .txt or .md file and reads it; `None` when the analyst cancels.
///
/// The dialog is shown from Rust and only the chosen file's text crosses to the page, so the
/// UI holds no permission to pick or read paths itself.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_text_file(app: AppHandle) -> Result<Option<OpenedFile>, CommandError> {
    tauri::async_runtime::spawn_blocking(move || {
        let mut dialog = app
            .dialog()
            .file()
            .set_title("Open a text file as a source")
            .add_filter("Text and Markdown", &["txt", "md", "markdown", "text"]);
        if let Some(window) = app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        let Some(picked) = dialog.blocking_pick_file() else {
            return Ok(None);
        };
        let path = picked
            .into_path()
            .map_err(|e| CommandError::new("io", format!("cannot use that file: {e}")))?;
        read_text_file(&path).map(Some)
    })
    .await
    .map_err(CommandError::internal)?
}

fn read_text_file(path: &std::path::Path) -> Result<OpenedFile, CommandError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CommandError::new("io", format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CommandError::new(
            "invalid",
            format!(
                "{} is not UTF-8 text; save it as UTF-8 and open it again",
                path.display()
            ),
        )
    })?;
    Ok(OpenedFile {
        path: path.display().to_string(),
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_is_read_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.md");
        std::fs::write(&path, "# Acier\n\nLes droits de douane…").unwrap();
        let opened = read_text_file(&path).unwrap();
        assert_eq!(opened.name, "note.md");
        assert_eq!(opened.text, "# Acier\n\nLes droits de douane…");
    }

    #[test]
    fn a_file_that_is_not_utf8_is_refused_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin1.txt");
        std::fs::write(&path, b"d\xe9cision").unwrap();
        let error = read_text_file(&path).unwrap_err();
        assert_eq!(error.code, "invalid");
        assert!(error.message.contains("UTF-8"), "{}", error.message);
    }
}
