//! A source's versions: list them, show an HTML original inside the app, hand any other
//! original to the system's viewer, and compare two versions' texts.
//!
//! The decision a reader may question: a PDF, Word file or scan is written to the app's cache
//! folder (`originals/source-ID-vN.ext`, replaced each time) and opened from there rather than
//! from a temporary file, so the viewer can still read it after the command returns, and a
//! second click reuses the same name instead of piling up copies. An HTML original is never
//! handed to a browser, where its scripts and trackers would run: `original_page` returns it
//! inert, for the sandboxed frame the reader shows it in.

use dossier_api::CommandError;
use dossier_api::versions::{self, OriginalPage, SavedOriginal, VersionComparison};
use dossier_store::SourceVersion;
use tauri::{AppHandle, Manager};

use super::on_workspace;
use crate::links;

#[tauri::command(rename_all = "snake_case")]
pub async fn source_versions(app: AppHandle, id: i64) -> Result<Vec<SourceVersion>, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| versions::source_versions(w, id))
    })
    .await
}

/// An HTML original, inert, to be shown in a sandboxed frame.
#[tauri::command(rename_all = "snake_case")]
pub async fn original_page(
    app: AppHandle,
    id: i64,
    version: u32,
) -> Result<OriginalPage, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| versions::original_page(w, id, Some(version)))
    })
    .await
}

/// Writes a non-HTML original to the cache folder and opens it in the system's viewer.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_original(
    app: AppHandle,
    id: i64,
    version: u32,
) -> Result<SavedOriginal, CommandError> {
    let folder = app
        .path()
        .app_cache_dir()
        .map_err(|e| CommandError::new("io", format!("cannot find the app's cache folder: {e}")))?
        .join("originals");
    on_workspace(app, move |state| {
        let saved = state.with(|w| versions::cache_original(w, id, version, &folder))?;
        links::open_file(std::path::Path::new(&saved.path))?;
        Ok(saved)
    })
    .await
}

/// Compares version `from` with version `to`; by default the previous and the latest.
#[tauri::command(rename_all = "snake_case")]
pub async fn compare_versions(
    app: AppHandle,
    id: i64,
    from: Option<u32>,
    to: Option<u32>,
) -> Result<VersionComparison, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| versions::compare_versions(w, id, from, to))
    })
    .await
}
