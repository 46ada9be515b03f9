//! Which workspace file the window works on: where it is, and switching to another one — a file
//! the analyst picks, a new one, the default one, or the sample workspace.
//!
//! Switching is offered both as commands (the command palette, the first-launch offer) and from
//! the native File menu; the menu calls the same functions and then tells the page with a
//! `workspace-changed` event, since no `invoke` is waiting for the answer there.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use super::on_workspace;
use crate::workspace::{WorkspaceState, sample_path};
use dossier_api::CommandError;
use dossier_api::workspace as workspaces;

/// The workspace the window is working on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WorkspaceInfo {
    /// The workspace file, as the operating system spells it.
    pub path: String,
    /// True for the sample workspace, so the UI can offer the way back.
    pub is_sample: bool,
}

/// The event the page hears when the menu switched the workspace under it.
pub const WORKSPACE_CHANGED: &str = "workspace-changed";

pub fn info(state: &WorkspaceState) -> Result<WorkspaceInfo, CommandError> {
    let path = state.path()?;
    let is_sample = sample_path().is_ok_and(|sample| sample == path);
    Ok(WorkspaceInfo {
        path: path.display().to_string(),
        is_sample,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn workspace_info(app: AppHandle) -> Result<WorkspaceInfo, CommandError> {
    on_workspace(app, info).await
}

/// Opens the sample workspace, writing it first if it does not exist yet (or holds nothing).
#[tauri::command(rename_all = "snake_case")]
pub async fn open_sample_workspace(app: AppHandle) -> Result<WorkspaceInfo, CommandError> {
    on_workspace(app, open_sample).await
}

pub fn open_sample(state: &WorkspaceState) -> Result<WorkspaceInfo, CommandError> {
    state.replace(workspaces::open_sample(&sample_path()?)?);
    info(state)
}

/// Goes back to the default workspace (the one the CLI uses).
#[tauri::command(rename_all = "snake_case")]
pub async fn open_default_workspace(app: AppHandle) -> Result<WorkspaceInfo, CommandError> {
    on_workspace(app, |state| {
        state.switch_to(&workspaces::default_path()?)?;
        info(state)
    })
    .await
}

/// Asks for an existing workspace file and opens it; `None` when the analyst cancels.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_workspace(app: AppHandle) -> Result<Option<WorkspaceInfo>, CommandError> {
    let handle = app.clone();
    on_workspace(app, move |state| {
        pick_workspace(&handle, Pick::Existing)
            .map(|path| switch(state, &path))
            .transpose()
    })
    .await
}

/// Asks where to create a new workspace file and opens it; `None` when the analyst cancels.
#[tauri::command(rename_all = "snake_case")]
pub async fn new_workspace(app: AppHandle) -> Result<Option<WorkspaceInfo>, CommandError> {
    let handle = app.clone();
    on_workspace(app, move |state| {
        pick_workspace(&handle, Pick::New)
            .map(|path| switch(state, &path))
            .transpose()
    })
    .await
}

fn switch(state: &WorkspaceState, path: &Path) -> Result<WorkspaceInfo, CommandError> {
    state.switch_to(path)?;
    info(state)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Existing,
    New,
}

/// Shows the file dialog; blocking, so never call it on the main thread.
pub fn pick_workspace(app: &AppHandle, pick: Pick) -> Option<PathBuf> {
    let mut dialog = app
        .dialog()
        .file()
        .add_filter("Dossier workspace", &["sqlite", "db"]);
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    if let Ok(default) = workspaces::default_path()
        && let Some(dir) = default.parent().filter(|d| d.is_dir())
    {
        dialog = dialog.set_directory(dir);
    }
    let picked = match pick {
        Pick::Existing => dialog
            .set_title("Open a Dossier workspace")
            .blocking_pick_file(),
        Pick::New => dialog
            .set_title("Create a new Dossier workspace")
            .set_file_name("workspace.sqlite")
            .blocking_save_file(),
    };
    picked.and_then(|p| p.into_path().ok())
}

/// What the menu does for File → Open workspace / New workspace / Open the sample workspace:
/// the same as the commands, on a worker thread, then an event for the page.
pub fn run_from_menu(app: &AppHandle, action: MenuAction) {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<WorkspaceState>();
        let outcome = match action {
            MenuAction::Open => pick_workspace(&app, Pick::Existing).map(|p| switch(&state, &p)),
            MenuAction::New => pick_workspace(&app, Pick::New).map(|p| switch(&state, &p)),
            MenuAction::Sample => Some(open_sample(&state)),
        };
        let payload = match outcome {
            None => return,
            Some(Ok(info)) => WorkspaceChanged {
                info: Some(info),
                error: None,
            },
            Some(Err(error)) => WorkspaceChanged {
                info: None,
                error: Some(error),
            },
        };
        if let Err(e) = app.emit(WORKSPACE_CHANGED, payload) {
            log::warn!("cannot tell the window about the new workspace: {e}");
        }
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuAction {
    Open,
    New,
    Sample,
}

/// The payload of `workspace-changed`: the new workspace, or why switching failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WorkspaceChanged {
    pub info: Option<WorkspaceInfo>,
    pub error: Option<CommandError>,
}

/// A number that changes whenever another program (the `dossier` CLI, a second window on the
/// same file) commits to the workspace; the window's own changes leave it as it is. The page
/// asks on focus and reloads only when it moved, so coming back to the window shows what the
/// CLI did without reloading thousands of rows every time.
#[tauri::command(rename_all = "snake_case")]
pub async fn workspace_version(app: AppHandle) -> Result<i64, CommandError> {
    on_workspace(app, |state| state.with(|w| workspaces::data_version(w))).await
}
