//! Briefing notes in the app: list, open, create, draft from a search, edit, move items,
//! duplicate, delete, a live preview, and Export with a save dialog.
//!
//! The preview is the HTML export's own body (the same escaping, the same numbering), so what
//! the analyst reads while composing is what the file will say. Export asks where to save in
//! Rust and writes the bytes there; the page never names a path.

use std::path::PathBuf;

use dossier_api::briefings;
use dossier_api::export::{self, ExportedFile};
use dossier_core::briefing::{
    Briefing, BriefingPatch, BriefingSummary, Marking, NewBriefing, SectionKind,
};
use dossier_export::Format;
use dossier_store::DeletedBriefing;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use super::on_workspace;
use dossier_api::CommandError;

/// What the save dialog calls files of `format`.
fn filter_name(format: Format) -> &'static str {
    match format {
        Format::Docx => "Word document",
        Format::Pdf => "PDF",
        Format::Html => "Web page",
        Format::Markdown => "Markdown",
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_briefings(app: AppHandle) -> Result<Vec<BriefingSummary>, CommandError> {
    on_workspace(app, |state| state.with(|w| briefings::list(w))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_briefing(app: AppHandle, id: i64) -> Result<Briefing, CommandError> {
    on_workspace(app, move |state| state.with(|w| briefings::get(w, id))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn new_briefing(app: AppHandle, fields: NewBriefing) -> Result<Briefing, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| briefings::create(w, &fields))
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
        state.with(|w| briefings::draft(w, &query, &fields))
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
        state.with(|w| briefings::edit(w, id, &patch))
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
        state.with(|w| briefings::move_item(w, id, item_id, to, position))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn duplicate_briefing(app: AppHandle, id: i64) -> Result<Briefing, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| briefings::duplicate(w, id))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_briefing(app: AppHandle, id: i64) -> Result<DeletedBriefing, CommandError> {
    on_workspace(app, move |state| state.with(|w| briefings::delete(w, id))).await
}

/// The note as the HTML export lays it out, body only, for the composer's preview pane.
#[tauri::command(rename_all = "snake_case")]
pub async fn preview_briefing(app: AppHandle, id: i64) -> Result<String, CommandError> {
    on_workspace(app, move |state| state.with(|w| briefings::preview(w, id))).await
}

/// Asks where to save the note and writes it there; `None` when the analyst cancels. A note
/// marked below what it quotes is refused (`marking_too_low`) unless `at` asks for a copy at
/// that marking without the items above it.
///
/// `DOSSIER_EXPORT_DIR`, when set, skips the dialog and saves into that folder under the
/// suggested name (scripted runs and the end-to-end tests, which cannot click a native dialog).
#[tauri::command(rename_all = "snake_case")]
pub async fn export_briefing(
    app: AppHandle,
    id: i64,
    format: Format,
    at: Option<Marking>,
) -> Result<Option<ExportedFile>, CommandError> {
    let handle = app.clone();
    // Typeset before asking: a PDF takes most of a second, and a refusal (a briefing deleted
    // meanwhile) is better said before the analyst has chosen a file name.
    let rendered = on_workspace(app, move |state| {
        state.with(|w| export::render(w, id, format, at))
    })
    .await?;
    tauri::async_runtime::spawn_blocking(move || {
        let name = rendered.file_name();
        let target = match std::env::var_os("DOSSIER_EXPORT_DIR").filter(|d| !d.is_empty()) {
            Some(dir) => PathBuf::from(dir).join(&name),
            None => {
                let mut dialog = handle
                    .dialog()
                    .file()
                    .set_title("Export the briefing note")
                    .set_file_name(&name)
                    .add_filter(filter_name(format), &[format.extension()]);
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
        rendered.write(&target).map(Some)
    })
    .await
    .map_err(CommandError::internal)?
}
