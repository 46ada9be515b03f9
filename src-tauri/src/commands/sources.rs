//! Sources: list, read, capture (pasted or from a text file), edit, delete.

use dossier_api::sources;
use dossier_api::text_file::{self, OpenedFile};
use dossier_core::{NewSource, Source, SourcePatch, SourceSummary};
use dossier_store::DeletedSource;
use dossier_store::stories::SplitSource;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use super::on_workspace;
use dossier_api::CommandError;

#[tauri::command(rename_all = "snake_case")]
pub async fn list_sources(app: AppHandle) -> Result<Vec<SourceSummary>, CommandError> {
    on_workspace(app, |state| state.with(|w| sources::list(w))).await
}

/// Takes a source out of the story it shares with its copies ("not the same story"); it stays
/// out.
#[tauri::command(rename_all = "snake_case")]
pub async fn split_source(app: AppHandle, id: i64) -> Result<SplitSource, CommandError> {
    on_workspace(app, move |state| state.with(|w| sources::split(w, id))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_source(app: AppHandle, id: i64) -> Result<Source, CommandError> {
    on_workspace(app, move |state| state.with(|w| sources::get(w, id))).await
}

/// Captures a source and answers with it as stored (normalized text, guessed title).
#[tauri::command(rename_all = "snake_case")]
pub async fn add_source(app: AppHandle, source: NewSource) -> Result<Source, CommandError> {
    on_workspace(app, move |state| state.with(|w| sources::add(w, source))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_source(
    app: AppHandle,
    id: i64,
    patch: SourcePatch,
) -> Result<Source, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| sources::edit(w, id, patch))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_source(app: AppHandle, id: i64) -> Result<DeletedSource, CommandError> {
    on_workspace(app, move |state| state.with(|w| sources::delete(w, id))).await
}

/// Asks for a .txt or .md file and reads it (the encodings `dossier source add` reads); `None` when the analyst cancels.
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
        text_file::read(&path).map(Some)
    })
    .await
    .map_err(CommandError::internal)?
}
