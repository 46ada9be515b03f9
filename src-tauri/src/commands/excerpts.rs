//! Excerpts: anchored quotes with a note and tags.

use dossier_api::excerpts;
use dossier_core::briefing::Marking;
use dossier_core::{Excerpt, ExcerptPatch, ExcerptTarget};
use dossier_store::{DeletedExcerpt, ExcerptFilter};
use tauri::AppHandle;

use super::on_workspace;
use dossier_api::CommandError;

#[tauri::command(rename_all = "snake_case")]
pub async fn list_excerpts(
    app: AppHandle,
    query: ExcerptFilter,
) -> Result<Vec<Excerpt>, CommandError> {
    on_workspace(app, move |state| state.with(|w| excerpts::list(w, &query))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_excerpt(app: AppHandle, id: i64) -> Result<Excerpt, CommandError> {
    on_workspace(app, move |state| state.with(|w| excerpts::get(w, id))).await
}

/// `target` is in code points of the source's stored text; the UI converts from UTF-16. A
/// `question` asked about the passage is stored with it, in the same transaction; `marking`
/// gives the excerpt one of its own (none: its source's).
#[tauri::command(rename_all = "snake_case")]
pub async fn add_excerpt(
    app: AppHandle,
    source_id: i64,
    target: ExcerptTarget,
    note: String,
    tags: Vec<String>,
    question: Option<String>,
    marking: Option<Marking>,
) -> Result<Excerpt, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| {
            excerpts::add(
                w,
                source_id,
                target,
                &note,
                &tags,
                question.as_deref(),
                marking,
            )
        })
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_excerpt(
    app: AppHandle,
    id: i64,
    patch: ExcerptPatch,
) -> Result<Excerpt, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| excerpts::edit(w, id, patch))
    })
    .await
}

/// Deletes the excerpt; answers with what was deleted, which `restore_excerpt` takes back.
#[tauri::command(rename_all = "snake_case")]
pub async fn delete_excerpt(app: AppHandle, id: i64) -> Result<DeletedExcerpt, CommandError> {
    on_workspace(app, move |state| state.with(|w| excerpts::delete(w, id))).await
}

/// Undo of a delete: the excerpt again, at the same range, with its tags and question links,
/// in one transaction; refused when the source's text has changed under it.
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_excerpt(
    app: AppHandle,
    deleted: DeletedExcerpt,
) -> Result<Excerpt, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| excerpts::restore(w, &deleted))
    })
    .await
}
