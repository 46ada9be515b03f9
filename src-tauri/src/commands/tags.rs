//! Tags: the taxonomy with counts, and its maintenance (add, edit, rename, merge, delete).

use dossier_core::{Tag, TagSpec};
use serde::Serialize;
use tauri::AppHandle;
use ts_rs::TS;

use super::{now, on_workspace};
use crate::error::CommandError;

/// What a rename changed: every path under the renamed tag moves with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RenamedTag {
    pub from: String,
    pub to: String,
    /// `[old, new]` for each path that changed, descendants included.
    pub renamed: Vec<(String, String)>,
}

/// What a merge changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MergedTag {
    pub from: String,
    pub into: String,
    #[ts(type = "number")]
    pub moved: usize,
    /// Tags that no longer exist.
    pub removed: Vec<String>,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_tags(app: AppHandle) -> Result<Vec<Tag>, CommandError> {
    on_workspace(app, |state| state.with(|w| w.list_tags())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_tag(app: AppHandle, path: String, spec: TagSpec) -> Result<Tag, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.add_tag(&path, spec, &now()))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_tag(app: AppHandle, tag: String, spec: TagSpec) -> Result<Tag, CommandError> {
    on_workspace(app, move |state| state.with(|w| w.edit_tag(&tag, spec))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn rename_tag(
    app: AppHandle,
    from: String,
    to: String,
) -> Result<RenamedTag, CommandError> {
    on_workspace(app, move |state| {
        state
            .with(|w| w.rename_tag(&from, &to, &now()))
            .map(|r| RenamedTag {
                from: r.from,
                to: r.to,
                renamed: r.renamed,
            })
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
        state
            .with(|w| w.merge_tag(&from, &into, &now()))
            .map(|m| MergedTag {
                from: m.from,
                into: m.into,
                moved: m.moved,
                removed: m.removed,
            })
    })
    .await
}

/// Deletes the tag and the tags under it; answers with the paths deleted.
#[tauri::command(rename_all = "snake_case")]
pub async fn delete_tag(app: AppHandle, tag: String) -> Result<Vec<String>, CommandError> {
    on_workspace(app, move |state| state.with(|w| w.delete_tag(&tag))).await
}
