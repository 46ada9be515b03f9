//! Search and saved searches. The query language lives in dossier-core; nothing here reads it.

use dossier_api::search::{self as searches, SearchOptions};
use dossier_core::query::{SavedSearch, SearchResults};
use tauri::AppHandle;

use super::on_workspace;
use dossier_api::CommandError;

#[tauri::command(rename_all = "snake_case")]
pub async fn search(
    app: AppHandle,
    query: String,
    limit: usize,
    offset: usize,
    facets: bool,
    expand: Option<bool>,
) -> Result<SearchResults, CommandError> {
    let options = SearchOptions {
        limit,
        offset,
        facets,
        // The taxonomy's other-language words are searched too unless the page says not.
        expand: expand.unwrap_or(true),
    };
    on_workspace(app, move |state| {
        state.with(|w| searches::run(w, &query, &options))
    })
    .await
}

/// Saves `query` under `name`; saving a name again replaces its query.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_search(
    app: AppHandle,
    name: String,
    query: String,
) -> Result<SavedSearch, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| searches::save(w, &name, &query))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_saved_searches(app: AppHandle) -> Result<Vec<SavedSearch>, CommandError> {
    on_workspace(app, |state| state.with(|w| searches::list_saved(w))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_saved_search(
    app: AppHandle,
    name: String,
) -> Result<SavedSearch, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| searches::delete_saved(w, &name))
    })
    .await
}
