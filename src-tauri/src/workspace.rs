//! The workspace the window works on, held for the app's lifetime as Tauri state.
//!
//! One connection behind one mutex (see ARCHITECTURE.md): commands are short, and SQLite
//! serialises writers anyway. A poisoned lock is taken over rather than refused, because every
//! multi-row write runs in a transaction that rolled back when its thread panicked.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use dossier_store::{StoreError, Workspace};

use crate::error::CommandError;

pub enum WorkspaceState {
    Open(Mutex<Workspace>),
    /// Opening failed; `path` is what was tried, when it was known.
    Failed {
        path: Option<PathBuf>,
        error: CommandError,
    },
}

impl WorkspaceState {
    /// Opens the workspace named by `DOSSIER_DB`, else the one in the user's data folder.
    pub fn open_default() -> WorkspaceState {
        let path = match dossier_store::default_workspace_path() {
            Ok(path) => path,
            Err(error) => {
                return WorkspaceState::Failed {
                    path: None,
                    error: error.into(),
                };
            }
        };
        match Workspace::open(&path) {
            Ok(workspace) => WorkspaceState::Open(Mutex::new(workspace)),
            Err(error) => WorkspaceState::Failed {
                path: Some(path),
                error: error.into(),
            },
        }
    }

    /// Where the workspace is, even when it failed to open, so the UI can say which file.
    pub fn path(&self) -> Result<PathBuf, CommandError> {
        match self {
            WorkspaceState::Open(workspace) => Ok(lock(workspace).path().to_path_buf()),
            WorkspaceState::Failed {
                path: Some(path), ..
            } => Ok(path.clone()),
            WorkspaceState::Failed { path: None, error } => Err(error.clone()),
        }
    }

    /// Runs `f` on the open workspace, or answers with the reason it could not be opened.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Workspace) -> Result<T, StoreError>,
    ) -> Result<T, CommandError> {
        match self {
            WorkspaceState::Open(workspace) => f(&mut lock(workspace)).map_err(CommandError::from),
            WorkspaceState::Failed { error, .. } => Err(error.clone()),
        }
    }
}

fn lock(workspace: &Mutex<Workspace>) -> std::sync::MutexGuard<'_, Workspace> {
    workspace.lock().unwrap_or_else(PoisonError::into_inner)
}
