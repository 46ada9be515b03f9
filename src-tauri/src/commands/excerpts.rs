//! Excerpts: anchored quotes with a note and tags.

use dossier_core::{Excerpt, ExcerptPatch, ExcerptTarget};
use dossier_store::ExcerptFilter;
use serde::Deserialize;
use tauri::AppHandle;
use ts_rs::TS;

use super::{now, on_workspace};
use crate::error::CommandError;

/// Which excerpts to list; both fields narrow, and a tag includes the tags under it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
pub struct ExcerptQuery {
    #[ts(type = "number | null")]
    pub source_id: Option<i64>,
    pub tag: Option<String>,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_excerpts(
    app: AppHandle,
    query: ExcerptQuery,
) -> Result<Vec<Excerpt>, CommandError> {
    let filter = ExcerptFilter {
        source_id: query.source_id,
        tag: query.tag,
    };
    on_workspace(app, move |state| state.with(|w| w.list_excerpts(&filter))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_excerpt(app: AppHandle, id: i64) -> Result<Excerpt, CommandError> {
    on_workspace(app, move |state| state.with(|w| w.get_excerpt(id))).await
}

/// `target` is in code points of the source's stored text; the UI converts from UTF-16.
#[tauri::command(rename_all = "snake_case")]
pub async fn add_excerpt(
    app: AppHandle,
    source_id: i64,
    target: ExcerptTarget,
    note: String,
    tags: Vec<String>,
) -> Result<Excerpt, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.add_excerpt(source_id, target, &note, &tags, &now()))
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
        state.with(|w| w.edit_excerpt(id, patch, &now()))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_excerpt(app: AppHandle, id: i64) -> Result<(), CommandError> {
    on_workspace(app, move |state| state.with(|w| w.delete_excerpt(id).map(drop))).await
}
