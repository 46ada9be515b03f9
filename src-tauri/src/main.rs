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
mod config_folder;
mod connector;
#[cfg(test)]
mod ipc_drift;
mod links;
mod menu;
mod team_sync;
mod window_state;
mod workspace;

use tauri::Manager;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

fn main() {
    #[cfg(target_os = "linux")]
    restart_without_dmabuf_renderer();

    let carried_over = config_folder::carry_over();
    let workspace = workspace::WorkspaceState::open_default();

    let result = tauri::Builder::default()
        // First, as its documentation asks: a second launch hands over to the running window
        // (which comes to the front) and exits before opening anything of its own.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        // Size, position and maximized state only: restoring a saved "hidden" flag could
        // bring the window back invisible.
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(window_state::FLAGS)
                .build(),
        )
        // Before anything that logs: to stderr and to the platform's log folder (on Linux
        // ~/.local/share/ca.dossier.desktop/logs/), rotated, so an app started from its desktop
        // entry still leaves a trace of what went wrong.
        .plugin(
            tauri_plugin_log::Builder::new()
                .clear_targets()
                .targets([
                    Target::new(TargetKind::Stderr),
                    Target::new(TargetKind::LogDir {
                        file_name: Some("dossier-app".into()),
                    }),
                ])
                .level(log::LevelFilter::Info)
                .max_file_size(1_000_000)
                .rotation_strategy(RotationStrategy::KeepSome(5))
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        // Alerts are told from Rust (the feed poller); the page is granted nothing of it.
        .plugin(tauri_plugin_notification::init())
        // Links leave for the system's browser; the window shows only Dossier's own pages.
        .plugin(links::guard())
        .manage(workspace)
        .manage(commands::imports::ImportCancel::default())
        .manage(commands::feeds::AlertMemory::default())
        .manage(connector::ConnectorState::default())
        .manage(team_sync::TeamSync::default())
        .setup(move |app| {
            if let Some(error) = app.state::<workspace::WorkspaceState>().failure() {
                log::error!("{} ({})", error.message, error.code);
            }
            if let Some(done) = &carried_over {
                log::info!("{done}");
            }
            window_state::save_when_settled(app.handle());
            commands::backups::start_timer(app.handle());
            commands::feeds::start_poller(app.handle());
            connector::start(app.handle());
            team_sync::start(app.handle());
            Ok(())
        })
        .menu(menu::build_initial)
        .on_menu_event(menu::on_event)
        .on_window_event(commands::imports::on_window_event)
        .invoke_handler(tauri::generate_handler![
            commands::workspace::workspace_info,
            commands::workspace::open_sample_workspace,
            commands::workspace::open_default_workspace,
            commands::workspace::open_workspace,
            commands::workspace::new_workspace,
            commands::workspace::workspace_version,
            commands::sources::list_sources,
            commands::sources::get_source,
            commands::sources::add_source,
            commands::sources::edit_source,
            commands::sources::delete_source,
            commands::sources::split_source,
            commands::sources::open_text_file,
            commands::excerpts::list_excerpts,
            commands::excerpts::get_excerpt,
            commands::excerpts::add_excerpt,
            commands::excerpts::edit_excerpt,
            commands::excerpts::delete_excerpt,
            commands::excerpts::restore_excerpt,
            commands::tags::list_tags,
            commands::tags::add_tag,
            commands::tags::edit_tag,
            commands::tags::rename_tag,
            commands::tags::merge_tag,
            commands::tags::delete_tag,
            commands::followups::list_followups,
            commands::followups::add_followup,
            commands::followups::edit_followup,
            commands::followups::answer_followup,
            commands::followups::set_followup_status,
            commands::followups::delete_followup,
            commands::search::search,
            commands::search::save_search,
            commands::search::list_saved_searches,
            commands::search::delete_saved_search,
            commands::imports::import_files,
            commands::imports::import_url,
            commands::imports::cancel_import,
            commands::imports::list_orphans,
            commands::imports::reattach_excerpt,
            commands::briefings::list_briefings,
            commands::briefings::get_briefing,
            commands::briefings::new_briefing,
            commands::briefings::draft_briefing,
            commands::briefings::edit_briefing,
            commands::briefings::move_briefing_item,
            commands::briefings::duplicate_briefing,
            commands::briefings::delete_briefing,
            commands::briefings::preview_briefing,
            commands::briefings::export_briefing,
            commands::backups::backup_now,
            commands::backups::list_backups,
            commands::backups::restore_backup,
            commands::backups::restore_from_file,
            commands::versions::source_versions,
            commands::versions::original_page,
            commands::versions::open_original,
            commands::versions::compare_versions,
            commands::language::ui_language,
            commands::language::set_ui_language,
            links::open_link,
            commands::feeds::list_feeds,
            commands::feeds::add_feed,
            commands::feeds::edit_feed,
            commands::feeds::remove_feed,
            commands::feeds::poll_feeds,
            commands::feeds::list_inbox,
            commands::feeds::keep_entries,
            commands::feeds::dismiss_entries,
            commands::feeds::list_alerts,
            commands::feeds::sidebar_counts,
            commands::feeds::mark_search_seen,
            commands::connector::connector_status,
            commands::connector::connector_pending,
            commands::connector::connector_answer,
            commands::connector::connector_tokens,
            commands::connector::connector_revoke,
            commands::team::team_status,
            commands::team::sync_now,
            commands::team::list_conflicts,
            commands::team::resolve_conflict,
            commands::team::excerpt_last_changed,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        // The logger lives inside the app that failed to start: stderr is all there is.
        eprintln!("dossier-app: the window could not be started: {error}");
        std::process::exit(1);
    }
}

/// WebKitGTK's DMA-BUF renderer cost ~180 MB more at idle here (`make bench-app`) and shows
/// blank windows on some GPU drivers; a text workbench gains nothing from it. The variable must
/// be set before WebKit starts, and this crate forbids `unsafe` (which `set_var` now is), so the
/// app restarts itself once with it set — the same process id, through `exec`. Setting
/// `WEBKIT_DISABLE_DMABUF_RENDERER=0` keeps WebKit's default.
#[cfg(target_os = "linux")]
fn restart_without_dmabuf_renderer() {
    use std::os::unix::process::CommandExt;

    const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if std::env::var_os(VAR).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(VAR, "1")
        .exec();
    eprintln!(
        "dossier-app: could not restart with {VAR}=1 ({error}); going on with WebKit's default"
    );
}
