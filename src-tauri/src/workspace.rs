//! The workspace the window works on, held for the app's lifetime as Tauri state.
//!
//! One connection behind one mutex (see ARCHITECTURE.md): commands are short, and SQLite
//! serialises writers anyway. The mutex guards a *slot* rather than the workspace itself, so
//! File → Open workspace swaps the file under every later command without restarting the app.
//! A poisoned lock is taken over rather than refused, because every multi-row write runs in a
//! transaction that rolled back when its thread panicked.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use dossier_api::CommandError;
use dossier_api::workspace as workspaces;
use dossier_store::Workspace;

/// The file name of the sample workspace, kept beside the default workspace.
pub const SAMPLE_FILE: &str = "sample.sqlite";

pub struct WorkspaceState {
    slot: Mutex<Slot>,
    /// The open workspace's file, kept apart from the slot so that the browser connector can
    /// ask for it before every request without waiting behind a long command on the slot.
    open_path: Mutex<Option<PathBuf>>,
}

enum Slot {
    Open(Workspace),
    /// Opening failed; `path` is what was tried, when it was known.
    Failed {
        path: Option<PathBuf>,
        error: CommandError,
    },
}

impl WorkspaceState {
    /// Opens the workspace named by `DOSSIER_DB`, else the one in the user's data folder.
    pub fn open_default() -> WorkspaceState {
        WorkspaceState::open(workspaces::default_path())
    }

    /// Opens the workspace at `path`, keeping any failure (including finding no path) as state.
    pub fn open(path: Result<PathBuf, CommandError>) -> WorkspaceState {
        let slot = match path {
            Ok(path) => match workspaces::open(&path) {
                Ok(workspace) => Slot::Open(workspace),
                Err(error) => Slot::Failed {
                    path: Some(path),
                    error,
                },
            },
            Err(error) => Slot::Failed { path: None, error },
        };
        let open_path = match &slot {
            Slot::Open(workspace) => Some(workspace.path().to_path_buf()),
            Slot::Failed { .. } => None,
        };
        WorkspaceState {
            slot: Mutex::new(slot),
            open_path: Mutex::new(open_path),
        }
    }

    /// The file of the workspace open now, `None` when none could be opened. Never waits for
    /// a command: the browser connector asks it before every request to follow File → Open.
    pub fn open_path(&self) -> Option<PathBuf> {
        self.open_path
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The reason the workspace could not be opened, if it could not.
    pub fn failure(&self) -> Option<CommandError> {
        match &*self.lock() {
            Slot::Open(_) => None,
            Slot::Failed { error, .. } => Some(error.clone()),
        }
    }

    /// Where the workspace is, even when it failed to open, so the UI can say which file.
    pub fn path(&self) -> Result<PathBuf, CommandError> {
        match &*self.lock() {
            Slot::Open(workspace) => Ok(workspace.path().to_path_buf()),
            Slot::Failed {
                path: Some(path), ..
            } => Ok(path.clone()),
            Slot::Failed { path: None, error } => Err(error.clone()),
        }
    }

    /// Runs `f` on the open workspace, or answers with the reason it could not be opened.
    pub fn with<T, E: Into<CommandError>>(
        &self,
        f: impl FnOnce(&mut Workspace) -> Result<T, E>,
    ) -> Result<T, CommandError> {
        match &mut *self.lock() {
            Slot::Open(workspace) => f(workspace).map_err(Into::into),
            Slot::Failed { error, .. } => Err(error.clone()),
        }
    }

    /// A connection of its own to the open workspace, for long work (an import, an automatic
    /// backup) that must not hold the window's commands behind the one shared connection. Fails
    /// as every command does when no workspace could be opened.
    pub fn own_connection(&self) -> Result<Workspace, CommandError> {
        self.with(|_| Ok::<_, CommandError>(()))?;
        workspaces::open(&self.path()?)
    }

    /// Opens `path` (creating a new workspace there if there is no file) and works on it from
    /// now on. When it cannot be opened the current workspace stays, and the reason is returned:
    /// a typo in a file dialog should not cost the analyst the workspace they had open.
    pub fn switch_to(&self, path: &Path) -> Result<(), CommandError> {
        // Opened outside the lock: a migration of a large file must not block other commands.
        let workspace = workspaces::open(path)?;
        self.replace(workspace);
        Ok(())
    }

    /// Works on `workspace` from now on; the previous one is closed.
    pub fn replace(&self, workspace: Workspace) {
        let path = workspace.path().to_path_buf();
        let mut slot = self.lock();
        *slot = Slot::Open(workspace);
        // Under the slot's lock, so two switches at once leave both naming the same file.
        *self
            .open_path
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(path);
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The sample workspace's file: beside the default workspace, so it never replaces real work.
pub fn sample_path() -> Result<PathBuf, CommandError> {
    let default = workspaces::default_path()?;
    let dir = default.parent().unwrap_or_else(|| Path::new("."));
    Ok(dir.join(SAMPLE_FILE))
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
        assert_eq!(state.with(|w| dossier_api::sources::list(w)), Ok(vec![]));
        assert_eq!(state.failure(), None);
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
        let error = state.with(|w| dossier_api::sources::list(w)).unwrap_err();
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
        let state = WorkspaceState::open(Err(CommandError::new("invalid", "no home folder")));
        let error = state.path().unwrap_err();
        assert_eq!(error.code, "invalid");
        assert_eq!(
            state.with(|w| dossier_api::sources::list(w)).unwrap_err(),
            error
        );
    }

    #[test]
    fn switching_to_a_file_that_fails_keeps_the_open_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.sqlite");
        let bad = dir.path().join("bad.sqlite");
        std::fs::write(&bad, "not a database").unwrap();
        let state = WorkspaceState::open(Ok(good.clone()));

        let error = state.switch_to(&bad).unwrap_err();

        assert_eq!(error.code, "not_a_database");
        assert_eq!(
            state.path(),
            Ok(good),
            "a failed switch must leave the analyst on the workspace they had"
        );
    }

    #[test]
    fn a_second_connection_sees_the_same_workspace_and_none_is_opened_for_a_failed_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ws.sqlite");
        let state = WorkspaceState::open(Ok(path.clone()));
        let own = state.own_connection().unwrap();
        assert_eq!(own.path(), path.as_path());

        let bad = dir.path().join("bad.sqlite");
        std::fs::write(&bad, "not a database").unwrap();
        let failed = WorkspaceState::open(Ok(bad));
        let Err(error) = failed.own_connection() else {
            panic!("a workspace that failed to open gives no second connection");
        };
        assert_eq!(error.code, "not_a_database");
    }

    #[test]
    fn the_open_path_follows_every_switch_and_not_a_failed_one() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first.sqlite");
        let second = dir.path().join("second.sqlite");
        let bad = dir.path().join("bad.sqlite");
        std::fs::write(&bad, "not a database").unwrap();
        let state = WorkspaceState::open(Ok(first.clone()));
        assert_eq!(state.open_path(), Some(first));

        state.switch_to(&second).unwrap();
        assert_eq!(state.open_path(), Some(second.clone()));
        state.switch_to(&bad).unwrap_err();
        assert_eq!(state.open_path(), Some(second));

        let failed = WorkspaceState::open(Ok(bad));
        assert_eq!(failed.open_path(), None, "nothing open, nothing to follow");
        let fresh = dir.path().join("fresh.sqlite");
        failed.switch_to(&fresh).unwrap();
        assert_eq!(failed.open_path(), Some(fresh));
    }

    #[test]
    fn switching_recovers_from_a_workspace_that_failed_to_open() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.sqlite");
        std::fs::write(&bad, "not a database").unwrap();
        let state = WorkspaceState::open(Ok(bad));
        let fresh = dir.path().join("fresh.sqlite");

        state.switch_to(&fresh).unwrap();

        assert_eq!(state.path(), Ok(fresh));
        assert_eq!(state.with(|w| dossier_api::sources::list(w)), Ok(vec![]));
    }
}
