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
        WorkspaceState::open(dossier_store::default_workspace_path())
    }

    /// Opens the workspace at `path`, keeping any failure (including finding no path) as state.
    pub fn open(path: Result<PathBuf, StoreError>) -> WorkspaceState {
        let path = match path {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_workspace_opens_and_lists_no_sources() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ws.sqlite");
        let state = WorkspaceState::open(Ok(path.clone()));
        assert_eq!(
            state.path(),
            Ok(path),
            "the UI shows the path that was opened"
        );
        assert_eq!(state.with(|w| w.list_sources()), Ok(vec![]));
    }

    #[test]
    fn a_file_that_is_not_a_workspace_is_kept_as_the_answer_to_every_command() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.sqlite");
        std::fs::write(&path, "not a database").unwrap();

        let state = WorkspaceState::open(Ok(path.clone()));

        assert_eq!(
            state.path(),
            Ok(path),
            "the UI can still say which file failed"
        );
        let error = state.with(|w| w.list_sources()).unwrap_err();
        assert_eq!(
            error.code, "not_a_database",
            "the store's code reaches the UI unchanged"
        );
        assert!(
            error.message.contains("notes.sqlite"),
            "the message names the file: {}",
            error.message
        );
    }

    #[test]
    fn no_workspace_path_fails_every_command_including_the_path() {
        let state = WorkspaceState::open(Err(StoreError::Invalid("no home folder".into())));
        let error = state.path().unwrap_err();
        assert_eq!(error.code, "invalid");
        assert_eq!(state.with(|w| w.list_sources()).unwrap_err(), error);
    }
}
