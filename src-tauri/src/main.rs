//! Dossier's desktop app: one window over one workspace file.
//!
//! The workspace is opened before the window so the first IPC call finds it ready; when it
//! cannot be opened the app still starts and every command answers with the reason, because a
//! window that explains the problem is more use to an analyst than a crash.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod bindings;
mod commands;
mod error;
mod workspace;

fn main() {
    let workspace = workspace::WorkspaceState::open_default();
    if let workspace::WorkspaceState::Failed { error, .. } = &workspace {
        eprintln!("dossier-app: {} ({})", error.message, error.code);
    }

    let result = tauri::Builder::default()
        .manage(workspace)
        .invoke_handler(tauri::generate_handler![
            commands::workspace_info,
            commands::list_sources,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("dossier-app: the window could not be started: {error}");
        std::process::exit(1);
    }
}
