//! Search and saved searches. The query language lives in dossier-core and runs in the store;
//! neither front door reads it.

use dossier_core::query::{SavedSearch, SearchResults};
use dossier_store::Workspace;
pub use dossier_store::search::SearchOptions;

use crate::{CommandError, now};

pub fn run(
    ws: &Workspace,
    query: &str,
    options: &SearchOptions,
) -> Result<SearchResults, CommandError> {
    Ok(ws.search(query, options)?)
}

/// Runs the query saved under `name`.
pub fn run_saved(
    ws: &Workspace,
    name: &str,
    options: &SearchOptions,
) -> Result<SearchResults, CommandError> {
    let saved = saved(ws, name)?;
    run(ws, &saved.query, options)
}

/// Saves `query` under `name`; saving a name again replaces its query.
pub fn save(ws: &mut Workspace, name: &str, query: &str) -> Result<SavedSearch, CommandError> {
    Ok(ws.save_search(name, query, &now())?)
}

pub fn list_saved(ws: &Workspace) -> Result<Vec<SavedSearch>, CommandError> {
    Ok(ws.saved_searches()?)
}

pub fn saved(ws: &Workspace, name: &str) -> Result<SavedSearch, CommandError> {
    Ok(ws.saved_search(name)?)
}

pub fn delete_saved(ws: &mut Workspace, name: &str) -> Result<SavedSearch, CommandError> {
    Ok(ws.delete_saved_search(name)?)
}
