//! Backups in the app: a copy on demand, the list of copies in the workspace's `backups/`
//! folder, restoring one of them (or a file picked in a dialog), and the automatic copy taken
//! while the app runs — the same library calls as `dossier backup` / `dossier restore`.
//!
//! The page names a listed backup by its file name only; the folder is always the workspace's
//! own, so script cannot ask to read a path of its choosing.

use std::path::Path;
use std::time::Duration;

use dossier_api::backups::{self, BackupFile, CheckedFile, Restored};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use super::on_workspace;
use crate::workspace::WorkspaceState;
use dossier_api::CommandError;

/// A copy of the open workspace in its backups folder, now.
#[tauri::command(rename_all = "snake_case")]
pub async fn backup_now(app: AppHandle) -> Result<CheckedFile, CommandError> {
    on_workspace(app, |state| state.with(|w| backups::manual(w))).await
}

/// Every copy of the open workspace, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_backups(app: AppHandle) -> Result<Vec<BackupFile>, CommandError> {
    on_workspace(app, |state| backups::list(&state.path()?)).await
}

/// Restores the listed backup called `name` over the open workspace; the workspace as it was
/// is kept aside first.
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_backup(app: AppHandle, name: String) -> Result<Restored, CommandError> {
    on_workspace(app, move |state| {
        let workspace = state.path()?;
        let from = backups::listed(&workspace, &name)?;
        restore_into(state, &workspace, &from)
    })
    .await
}

/// Asks for a backup file anywhere and restores it; `None` when the analyst cancels.
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_from_file(app: AppHandle) -> Result<Option<Restored>, CommandError> {
    let handle = app.clone();
    on_workspace(app, move |state| {
        let workspace = state.path()?;
        let mut dialog = handle
            .dialog()
            .file()
            .set_title("Restore the workspace from a backup")
            .add_filter("Dossier workspace or backup", &["sqlite", "db"])
            .set_directory(backups::folder(&workspace));
        if let Some(window) = handle.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        let Some(picked) = dialog.blocking_pick_file() else {
            return Ok(None);
        };
        let from = picked
            .into_path()
            .map_err(|e| CommandError::new("io", format!("cannot use that file: {e}")))?;
        restore_into(state, &workspace, &from).map(Some)
    })
    .await
}

/// Restores, then reopens the workspace so the window works on what was restored (a damaged
/// workspace is replaced by a rename, which the old connection would not see).
fn restore_into(
    state: &WorkspaceState,
    workspace: &Path,
    from: &Path,
) -> Result<Restored, CommandError> {
    let restored = backups::restore(workspace, from)?;
    state.switch_to(workspace)?;
    Ok(restored)
}

/// How often the running app asks whether an automatic backup is due. The policy (a day by
/// default) decides whether one is written; the check itself is one folder listing.
const CHECK_EVERY: Duration = Duration::from_secs(15 * 60);

/// The event the page hears when an automatic backup was written or failed.
pub const AUTO_BACKUP_EVENT: &str = "auto-backup";

/// What the page hears about an automatic backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AutoBackup {
    pub path: Option<String>,
    pub error: Option<CommandError>,
}

/// Takes an automatic backup at start and then whenever one falls due while the app runs, so
/// an analyst who leaves the window open for a week still gets a copy every day.
pub fn start_timer(app: &AppHandle) {
    let app = app.clone();
    std::thread::Builder::new()
        .name("auto-backup".into())
        .spawn(move || {
            loop {
                let state = app.state::<WorkspaceState>();
                // Through a connection of its own: copying a large workspace takes a moment,
                // and the window's commands need not wait behind it.
                let outcome = state
                    .own_connection()
                    .and_then(|workspace| backups::auto(&workspace));
                let payload = match outcome {
                    Ok(Some(path)) => Some(AutoBackup {
                        path: Some(path.display().to_string()),
                        error: None,
                    }),
                    Ok(None) => None,
                    // No workspace open is said elsewhere; a backup that failed is worth a word.
                    Err(error) if state.failure().is_some() => {
                        let _ = error;
                        None
                    }
                    Err(error) => Some(AutoBackup {
                        path: None,
                        error: Some(error),
                    }),
                };
                if let Some(payload) = payload {
                    let _ = app.emit(AUTO_BACKUP_EVENT, payload);
                }
                std::thread::sleep(CHECK_EVERY);
            }
        })
        .map(drop)
        .unwrap_or_else(|e| log::error!("automatic backups are off: {e}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(w: &mut dossier_store::Workspace, text: &str) {
        let source = dossier_core::NewSource {
            body: text.into(),
            ..Default::default()
        };
        dossier_api::sources::add(w, source).unwrap();
    }

    #[test]
    fn only_a_listed_backup_can_be_named() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("ws.sqlite");
        let state = WorkspaceState::open(Ok(workspace.clone()));
        state
            .with(|w| {
                add(w, "Les droits sur l'acier.");
                Ok::<_, CommandError>(())
            })
            .unwrap();
        let made = state.with(|w| backups::manual(w)).unwrap();
        let name = made
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();

        assert_eq!(backups::listed(&workspace, &name).unwrap(), made.path);
        for bad in ["../ws.sqlite", "/etc/passwd", "ws.sqlite", ""] {
            let error = backups::listed(&workspace, bad).unwrap_err();
            assert_eq!(error.code, "not_found", "{bad}");
        }
    }

    #[test]
    fn a_restore_brings_back_the_copy_and_the_window_sees_it() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("ws.sqlite");
        let state = WorkspaceState::open(Ok(workspace.clone()));
        let add = |text: &str| {
            state
                .with(|w| {
                    add(w, text);
                    Ok::<_, CommandError>(())
                })
                .unwrap();
        };
        add("First source about softwood lumber.");
        let made = state.with(|w| backups::manual(w)).unwrap();
        add("Second source about aluminum.");
        assert_eq!(
            state.with(|w| dossier_api::sources::list(w)).unwrap().len(),
            2
        );

        let done = restore_into(&state, &workspace, &made.path).unwrap();

        assert_eq!(done.counts.sources, 1);
        assert!(done.kept_aside.is_some(), "the replaced state is kept");
        assert_eq!(
            state.with(|w| dossier_api::sources::list(w)).unwrap().len(),
            1,
            "the open workspace shows the restored contents"
        );
    }

    #[test]
    fn a_restore_works_while_another_program_writes_to_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("ws.sqlite");
        // The CLI: its own connection, opened and closed around each command.
        let cli = |text: &str| add(&mut dossier_api::workspace::open(&workspace).unwrap(), text);
        cli("First note on the steel quota.");
        let state = WorkspaceState::open(Ok(workspace.clone()));
        cli("Second note on aluminum.");
        assert_eq!(
            state.with(|w| dossier_api::sources::list(w)).unwrap().len(),
            2
        );
        let made = state.with(|w| backups::manual(w)).unwrap();
        cli("Third note, on dairy.");

        let done = restore_into(&state, &workspace, &made.path).unwrap();

        assert_eq!(done.counts.sources, 2);
        assert_eq!(
            state.with(|w| dossier_api::sources::list(w)).unwrap().len(),
            2
        );
        let kept = backups::check(done.kept_aside.as_deref().unwrap()).unwrap();
        assert_eq!(kept.counts.sources, 3, "the replaced state is kept whole");
    }
}
