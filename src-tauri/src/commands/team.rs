//! A team workspace in the window: its state for the status bar, Sync now, the conflicts and
//! their resolution, and who last changed an excerpt — adapters over `dossier_api::team`.
//!
//! Sync now runs on a connection of its own, under the same lock as the background sync (see
//! `team_sync`), so a click never runs a second sync beside the one already under way and the
//! window's other commands never wait on the network.

use dossier_api::CommandError;
use dossier_api::team::{self, LastChanged, ListedConflict, Status};
use dossier_store::sync::Keep;
use serde::Deserialize;
use tauri::AppHandle;

use super::on_workspace;
use crate::team_sync::{self, TeamSynced};

/// The team's state (pending changes, conflicts, last error), or `None` for a workspace that
/// is not a team's.
#[tauri::command(rename_all = "snake_case")]
pub async fn team_status(app: AppHandle) -> Result<Option<Status>, CommandError> {
    on_workspace(app, |state| state.with(|w| team::status_if_team(w))).await
}

/// Pushes and pulls once, now, and starts the background schedule over.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(app: AppHandle) -> Result<TeamSynced, CommandError> {
    let handle = app.clone();
    on_workspace(app, move |state| team_sync::sync_once(&handle, state)).await
}

/// The open conflicts, each with the item it is about.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_conflicts(app: AppHandle) -> Result<Vec<ListedConflict>, CommandError> {
    on_workspace(app, |state| {
        state.with(|w| team::conflicts_listed(w, false))
    })
    .await
}

/// Which value of a conflict to keep.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeepSide {
    Mine,
    Theirs,
}

/// Keeps one side of a conflict; the kept value syncs as an ordinary edit.
#[tauri::command(rename_all = "snake_case")]
pub async fn resolve_conflict(
    app: AppHandle,
    id: i64,
    keep: KeepSide,
) -> Result<ListedConflict, CommandError> {
    let keep = match keep {
        KeepSide::Mine => Keep::Mine,
        KeepSide::Theirs => Keep::Theirs,
    };
    on_workspace(app, move |state| {
        state.with(|w| {
            let resolved = team::resolve(w, id, keep)?;
            team::conflicts_listed(w, true)?
                .into_iter()
                .find(|c| c.conflict.id == resolved.id)
                .ok_or_else(|| CommandError::new("not_found", format!("no conflict {id}")))
        })
    })
    .await
}

/// Who last changed the excerpt, in a team workspace.
#[tauri::command(rename_all = "snake_case")]
pub async fn excerpt_last_changed(
    app: AppHandle,
    id: i64,
) -> Result<Option<LastChanged>, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| team::excerpt_last_changed(w, id))
    })
    .await
}
