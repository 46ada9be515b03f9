//! The IPC commands: adapters of a few lines, each named after the store call it wraps.
//!
//! Every command runs its store call on Tauri's blocking pool: SQLite I/O on the async runtime
//! (or, for sync commands, on the main thread) would stall the window. Arguments keep the
//! snake_case names of the Rust types (`rename_all = "snake_case"`), so the generated
//! TypeScript types and the `invoke` arguments spell fields the same way.

pub mod backups;
pub mod briefings;
pub mod connector;
pub mod excerpts;
pub mod feeds;
pub mod followups;
pub mod imports;
pub mod language;
pub mod search;
pub mod sources;
pub mod tags;
pub mod team;
pub mod versions;
pub mod workspace;

use tauri::{AppHandle, Manager};

use crate::workspace::WorkspaceState;
use dossier_api::CommandError;

/// Runs `f` on the blocking pool with the app's workspace state.
pub(crate) async fn on_workspace<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&WorkspaceState) -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<WorkspaceState>()))
        .await
        .map_err(CommandError::internal)?
}

/// The current time as the store wants it (`DOSSIER_NOW` pins it, as for the CLI).
pub(crate) use dossier_api::now;
