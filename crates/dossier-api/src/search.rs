//! Search and saved searches. The query language lives in dossier-core and runs in the store;
//! neither front door reads it.

use dossier_core::query::{SavedSearch, SavedSearchStatus, SearchResults};
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

/// Runs the query saved under `name`, and marks what it matches as seen (its `new_count`
/// goes back to 0).
pub fn run_saved(
    ws: &mut Workspace,
    name: &str,
    options: &SearchOptions,
) -> Result<SearchResults, CommandError> {
    let saved = saved(ws, name)?;
    let results = run(ws, &saved.query, options)?;
    ws.mark_search_seen(name)?;
    Ok(results)
}

/// Saves `query` under `name` as an alert (or not); saving a name again replaces its query and
/// flag. What it matches now counts as seen.
pub fn save_alert(
    ws: &mut Workspace,
    name: &str,
    query: &str,
    alert: bool,
) -> Result<SavedSearch, CommandError> {
    Ok(ws.save_search_alert(name, query, alert, &now())?)
}

/// Every saved search with `new_count`: how many items it matches now that it did not when
/// the user last looked.
pub fn statuses(ws: &Workspace) -> Result<Vec<SavedSearchStatus>, CommandError> {
    Ok(ws.saved_search_statuses()?)
}

/// The saved searches that are alerts, with their counts: what to call after a feed poll (or
/// an import) to tell the analyst, e.g. one desktop notification per alert whose count is
/// above 0 and grew since the last call.
pub fn alerts(ws: &Workspace) -> Result<Vec<SavedSearchStatus>, CommandError> {
    Ok(statuses(ws)?
        .into_iter()
        .filter(|s| s.search.alert)
        .collect())
}

/// Marks what the saved search matches now as seen, without running it.
pub fn mark_seen(ws: &mut Workspace, name: &str) -> Result<SavedSearchStatus, CommandError> {
    Ok(ws.mark_search_seen(name)?)
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
