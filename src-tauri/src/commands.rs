//! The IPC commands: adapters of a few lines, each named after the store call it wraps.
//!
//! Every command runs its store call on Tauri's blocking pool: SQLite I/O on the async runtime
//! (or, for sync commands, on the main thread) would stall the window.

use dossier_core::SourceSummary;
use serde::Serialize;
use tauri::{AppHandle, Manager};
use ts_rs::TS;

use crate::error::CommandError;
use crate::workspace::WorkspaceState;

/// The workspace the window is working on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WorkspaceInfo {
    /// The workspace file, as the operating system spells it.
    pub path: String,
}

#[tauri::command]
pub async fn workspace_info(app: AppHandle) -> Result<WorkspaceInfo, CommandError> {
    on_workspace(app, |workspace| {
        let path = workspace.path()?;
        Ok(WorkspaceInfo {
            path: path.display().to_string(),
        })
    })
    .await
}

#[tauri::command]
pub async fn list_sources(app: AppHandle) -> Result<Vec<SourceSummary>, CommandError> {
    on_workspace(app, |workspace| workspace.with(|w| w.list_sources())).await
}

async fn on_workspace<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&WorkspaceState) -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<WorkspaceState>()))
        .await
        .map_err(CommandError::internal)?
}
