//! The native menu bar. Items that change the workspace are carried out here in Rust; items
//! that act on the page (new source, find, palette, views, theme) are forwarded to it as a
//! `menu` event carrying the item's id, so the page runs the same action as its own shortcut.
//!
//! Accelerators are declared here so the menu shows them, and GTK handles them before the page
//! sees the key; the page also binds the same keys, which is what answers when no menu exists
//! (tests drive the page directly).

use tauri::menu::{
    Menu, MenuBuilder, MenuEvent, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder,
};
use tauri::{AppHandle, Emitter, Runtime};

use crate::commands::workspace::{MenuAction, run_from_menu};

/// The event the page hears for menu items it carries out.
pub const MENU_EVENT: &str = "menu";

/// Items forwarded to the page: (id, label, accelerator).
const FILE_PAGE_ITEMS: &[(&str, &str, Option<&str>)] = &[
    ("new-source", "New source…", Some("CmdOrCtrl+N")),
    ("open-file", "Open file…", Some("CmdOrCtrl+O")),
    ("import-files", "Import…", Some("CmdOrCtrl+I")),
    ("import-url", "Import from URL…", None),
    ("new-briefing", "New briefing note…", Some("CmdOrCtrl+B")),
    (
        "export-briefing",
        "Export the briefing note…",
        Some("CmdOrCtrl+Shift+E"),
    ),
];

/// Backups: the page shows the result, so these go to it too.
const BACKUP_PAGE_ITEMS: &[(&str, &str, Option<&str>)] = &[
    ("backup-now", "Back up now", None),
    ("restore-backup", "Restore from a backup…", None),
];

const VIEW_PAGE_ITEMS: &[(&str, &str, Option<&str>)] = &[
    ("view-library", "Library", Some("CmdOrCtrl+1")),
    ("view-followups", "Follow-ups", Some("CmdOrCtrl+2")),
    ("view-tags", "Tags", Some("CmdOrCtrl+3")),
    ("view-briefings", "Briefing notes", Some("CmdOrCtrl+4")),
    ("find", "Search…", Some("CmdOrCtrl+F")),
    ("palette", "Command palette…", Some("CmdOrCtrl+K")),
    (
        "toggle-theme",
        "Toggle light / dark",
        Some("CmdOrCtrl+Shift+L"),
    ),
];

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let mut file = SubmenuBuilder::new(app, "File");
    for (id, label, accel) in FILE_PAGE_ITEMS {
        file = file.item(&item(app, id, label, *accel)?);
    }
    let mut file = file
        .separator()
        .item(&item(
            app,
            "open-workspace",
            "Open workspace…",
            Some("CmdOrCtrl+Shift+O"),
        )?)
        .item(&item(app, "new-workspace", "New workspace…", None)?)
        .item(&item(
            app,
            "open-sample",
            "Open the sample workspace",
            None,
        )?)
        .separator();
    for (id, label, accel) in BACKUP_PAGE_ITEMS {
        file = file.item(&item(app, id, label, *accel)?);
    }
    let file = file
        .separator()
        .item(&PredefinedMenuItem::quit(app, Some("Quit"))?)
        .build()?;

    let edit = SubmenuBuilder::new(app, "Edit")
        .item(&PredefinedMenuItem::cut(app, None)?)
        .item(&PredefinedMenuItem::copy(app, None)?)
        .item(&PredefinedMenuItem::paste(app, None)?)
        .item(&PredefinedMenuItem::select_all(app, None)?)
        .build()?;

    let mut view = SubmenuBuilder::new(app, "View");
    for (id, label, accel) in VIEW_PAGE_ITEMS {
        view = view.item(&item(app, id, label, *accel)?);
    }
    let view = view.build()?;

    let help = SubmenuBuilder::new(app, "Help")
        .item(&item(app, "shortcuts", "Keyboard shortcuts", Some("F1"))?)
        .build()?;

    MenuBuilder::new(app)
        .items(&[&file, &edit, &view, &help])
        .build()
}

fn item<R: Runtime>(
    app: &AppHandle<R>,
    id: &str,
    label: &str,
    accelerator: Option<&str>,
) -> tauri::Result<tauri::menu::MenuItem<R>> {
    let mut builder = MenuItemBuilder::with_id(id, label);
    if let Some(accelerator) = accelerator {
        builder = builder.accelerator(accelerator);
    }
    builder.build(app)
}

pub fn on_event(app: &AppHandle, event: MenuEvent) {
    let id = event.id().as_ref();
    match id {
        "open-workspace" => run_from_menu(app, MenuAction::Open),
        "new-workspace" => run_from_menu(app, MenuAction::New),
        "open-sample" => run_from_menu(app, MenuAction::Sample),
        _ => {
            if let Err(e) = app.emit(MENU_EVENT, id) {
                log::warn!("cannot pass the menu item {id} to the window: {e}");
            }
        }
    }
}
