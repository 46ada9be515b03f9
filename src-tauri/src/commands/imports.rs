//! Import in the app: files picked in a dialog or dropped on the window, and URLs, all through
//! the same bulk import as `dossier import`; and the orphaned excerpts a re-import leaves.
//!
//! Progress is sent to the page as `import-progress` events and the outcome as one
//! `import-finished` event, whichever way the import started (a drop starts it from Rust, with
//! no command to answer). Paths never come from the page: the dialog and the drop are both
//! handled here, so script cannot ask to read a path it chose.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use dossier_api::excerpts;
use dossier_api::import::{self, ImportOptions, ImportSummary};
use dossier_core::Excerpt;
use dossier_ingest::OcrProgress;
use serde::Serialize;
use tauri::{AppHandle, DragDropEvent, Emitter, Manager, Window, WindowEvent};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use super::{now, on_workspace};
use crate::workspace::WorkspaceState;
use dossier_api::CommandError;

/// Where a bulk import is: `done` of `total` items finished, `current` being read, and while
/// a scan is read by OCR, its page `ocr_done` of `ocr_total` (both 0 otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
    pub current: String,
    pub ocr_done: usize,
    pub ocr_total: usize,
}

/// The file types the import dialog offers (the format itself is told from the content).
const EXTENSIONS: &[&str] = &[
    "html", "htm", "pdf", "docx", "md", "markdown", "txt", "png", "jpg", "jpeg", "tif", "tiff",
];

/// The flag the running import checks between items and between OCR pages; `cancel_import`
/// raises it, and each import lowers it as it starts.
#[derive(Default)]
pub struct ImportCancel(Arc<AtomicBool>);

/// Runs the bulk import of `inputs` on the calling thread, sending progress and the summary
/// to the page as events.
///
/// The import writes through a connection of its own to the same file, as a second `dossier`
/// process would: each source is its own short transaction, so the window keeps reading,
/// searching and saving while a folder of a thousand files comes in, instead of waiting behind
/// the app's one connection for the whole batch.
fn run_import(app: &AppHandle, inputs: Vec<String>) -> Result<ImportSummary, CommandError> {
    let state = app.state::<WorkspaceState>();
    let mut workspace = state.own_connection()?;
    let cancel = app.state::<ImportCancel>().0.clone();
    cancel.store(false, Ordering::Relaxed);
    let mut options = ImportOptions::default();
    options.ocr.cancel = Some(cancel);
    // The item being read, for the OCR pages' events (sent from inside the read).
    let current = Arc::new(std::sync::Mutex::new((0, 0, String::new())));
    let for_pages = (app.clone(), current.clone());
    options.ocr.progress = Some(Arc::new(move |page: OcrProgress| {
        let (done, total, label) = for_pages.1.lock().map(|c| c.clone()).unwrap_or_default();
        let _ = for_pages.0.emit(
            "import-progress",
            ImportProgress {
                done,
                total,
                current: label,
                ocr_done: page.done,
                ocr_total: page.total,
            },
        );
    }));
    let stamp = now();
    let summary = import::import_all(&mut workspace, &inputs, &options, &stamp, &mut |p| {
        if let Ok(mut c) = current.lock() {
            *c = (p.done, p.total, p.current.to_owned());
        }
        let _ = app.emit(
            "import-progress",
            ImportProgress {
                done: p.done,
                total: p.total,
                current: p.current.to_owned(),
                ocr_done: 0,
                ocr_total: 0,
            },
        );
    });
    let _ = app.emit("import-finished", summary.clone());
    Ok(summary)
}

/// Asks for files to import (several may be picked) and imports them; `None` when cancelled.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_files(app: AppHandle) -> Result<Option<ImportSummary>, CommandError> {
    tauri::async_runtime::spawn_blocking(move || {
        let mut dialog = app
            .dialog()
            .file()
            .set_title("Import documents")
            .add_filter("Web pages, PDF, Word, Markdown and text", EXTENSIONS);
        if let Some(window) = app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        let Some(picked) = dialog.blocking_pick_files() else {
            return Ok(None);
        };
        let inputs: Vec<String> = picked
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .map(|p| p.display().to_string())
            .collect();
        if inputs.is_empty() {
            return Ok(None);
        }
        run_import(&app, inputs).map(Some)
    })
    .await
    .map_err(CommandError::internal)?
}

/// Downloads a web page, PDF or Word file and imports it.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_url(app: AppHandle, url: String) -> Result<ImportSummary, CommandError> {
    let url = url.trim().to_owned();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(CommandError::new(
            "invalid",
            "an address to import starts with http:// or https://",
        ));
    }
    tauri::async_runtime::spawn_blocking(move || run_import(&app, vec![url]))
        .await
        .map_err(CommandError::internal)?
}

/// Stops the running import: the item being read stops at its next OCR page, and the items
/// not yet read are reported as cancelled. What was already written stays.
#[tauri::command(rename_all = "snake_case")]
pub fn cancel_import(app: AppHandle) {
    app.state::<ImportCancel>().0.store(true, Ordering::Relaxed);
}

/// Files dropped on the window are imported off the main thread; the page hears of it
/// through the same events as any import.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
        let inputs: Vec<String> = paths
            .iter()
            .map(PathBuf::as_path)
            .map(|p| p.display().to_string())
            .collect();
        if inputs.is_empty() {
            return;
        }
        let app = window.app_handle().clone();
        tauri::async_runtime::spawn_blocking(move || {
            if let Err(error) = run_import(&app, inputs) {
                let _ = app.emit("import-failed", error);
            }
        });
    }
}

/// Every orphaned excerpt, by source.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_orphans(app: AppHandle) -> Result<Vec<Excerpt>, CommandError> {
    on_workspace(app, |state| state.with(|w| excerpts::orphans(w, None))).await
}

/// Places an excerpt on `start..end` (code points) of its source's current text.
#[tauri::command(rename_all = "snake_case")]
pub async fn reattach_excerpt(
    app: AppHandle,
    id: i64,
    start: usize,
    end: usize,
) -> Result<Excerpt, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| excerpts::reattach(w, id, start, end))
    })
    .await
}
