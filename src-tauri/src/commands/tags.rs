//! Tags: the taxonomy with counts, and its maintenance (add, edit, rename, merge, delete).

use dossier_api::tags;
use dossier_core::{Tag, TagSpec};
use dossier_store::{MergedTag, RenamedTag};
use tauri::AppHandle;

use super::on_workspace;
use dossier_api::CommandError;

#[tauri::command(rename_all = "snake_case")]
pub async fn list_tags(app: AppHandle) -> Result<Vec<Tag>, CommandError> {
    on_workspace(app, |state| state.with(|w| tags::list(w))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_tag(app: AppHandle, path: String, spec: TagSpec) -> Result<Tag, CommandError> {
    on_workspace(app, move |state| state.with(|w| tags::add(w, &path, spec))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_tag(app: AppHandle, tag: String, spec: TagSpec) -> Result<Tag, CommandError> {
    on_workspace(app, move |state| state.with(|w| tags::edit(w, &tag, spec))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn rename_tag(
    app: AppHandle,
    from: String,
    to: String,
) -> Result<RenamedTag, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| tags::rename(w, &from, &to))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn merge_tag(
    app: AppHandle,
    from: String,
    into: String,
) -> Result<MergedTag, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| tags::merge(w, &from, &into))
    })
    .await
}

/// Deletes the tag and the tags under it; answers with the paths deleted.
#[tauri::command(rename_all = "snake_case")]
pub async fn delete_tag(app: AppHandle, tag: String) -> Result<Vec<String>, CommandError> {
    on_workspace(app, move |state| state.with(|w| tags::delete(w, &tag))).await
}
