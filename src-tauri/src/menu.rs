//! The native menu bar. Items that change the workspace are carried out here in Rust; items
//! that act on the page (new source, find, palette, views, theme) are forwarded to it as a
//! `menu` event carrying the item's id, so the page runs the same action as its own shortcut.
//!
//! Accelerators are declared here so the menu shows them, and GTK handles them before the page
//! sees the key; the page also binds the same keys, which is what answers when no menu exists
//! (tests drive the page directly).
//!
//! Every label is given in English and French; the menu is built in the interface's language
//! (see `commands::language`) and rebuilt when the analyst switches it.

use dossier_core::Lang;
use tauri::menu::{
    Menu, MenuBuilder, MenuEvent, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder,
};
use tauri::{AppHandle, Emitter, Runtime};

use crate::commands::workspace::{MenuAction, run_from_menu};

/// The event the page hears for menu items it carries out.
pub const MENU_EVENT: &str = "menu";

/// Items forwarded to the page: (id, label in English and French, accelerator).
type Item = (
    &'static str,
    (&'static str, &'static str),
    Option<&'static str>,
);

const FILE_PAGE_ITEMS: &[Item] = &[
    (
        "new-source",
        ("New source…", "Nouvelle source…"),
        Some("CmdOrCtrl+N"),
    ),
    (
        "open-file",
        ("Open file…", "Ouvrir un fichier…"),
        Some("CmdOrCtrl+O"),
    ),
    (
        "import-files",
        ("Import…", "Importer…"),
        Some("CmdOrCtrl+I"),
    ),
    (
        "import-url",
        ("Import from URL…", "Importer depuis une adresse Web…"),
        None,
    ),
    (
        "new-briefing",
        ("New briefing note…", "Nouvelle note d’information…"),
        Some("CmdOrCtrl+B"),
    ),
    (
        "export-briefing",
        (
            "Export the briefing note…",
            "Exporter la note d’information…",
        ),
        Some("CmdOrCtrl+Shift+E"),
    ),
];

/// Backups: the page shows the result, so these go to it too.
const BACKUP_PAGE_ITEMS: &[Item] = &[
    (
        "backup-now",
        ("Back up now", "Sauvegarder maintenant"),
        None,
    ),
    (
        "restore-backup",
        ("Restore from a backup…", "Restaurer une sauvegarde…"),
        None,
    ),
];

/// A team workspace: the page knows whether this one is, and says so when it is not.
const TEAM_PAGE_ITEMS: &[Item] = &[
    (
        "sync-now",
        ("Sync with the team now", "Synchroniser avec l’équipe"),
        Some("CmdOrCtrl+Shift+S"),
    ),
    (
        "conflicts",
        ("Conflicts…", "Conflits…"),
        Some("CmdOrCtrl+Shift+Y"),
    ),
];

const VIEW_PAGE_ITEMS: &[Item] = &[
    (
        "view-library",
        ("Library", "Bibliothèque"),
        Some("CmdOrCtrl+1"),
    ),
    (
        "view-followups",
        ("Follow-ups", "Suivis"),
        Some("CmdOrCtrl+2"),
    ),
    ("view-tags", ("Tags", "Étiquettes"), Some("CmdOrCtrl+3")),
    (
        "view-briefings",
        ("Briefing notes", "Notes d’information"),
        Some("CmdOrCtrl+4"),
    ),
    ("find", ("Search…", "Rechercher…"), Some("CmdOrCtrl+F")),
    (
        "palette",
        ("Command palette…", "Palette de commandes…"),
        Some("CmdOrCtrl+K"),
    ),
    (
        "toggle-theme",
        ("Toggle light / dark", "Basculer clair / sombre"),
        Some("CmdOrCtrl+Shift+L"),
    ),
];

/// The menu in the language the interface starts in.
pub fn build_initial<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    build(app, crate::commands::language::current(app))
}

pub fn build<R: Runtime>(app: &AppHandle<R>, lang: Lang) -> tauri::Result<Menu<R>> {
    let t = |(en, fr): (&'static str, &'static str)| match lang {
        Lang::En => en,
        Lang::Fr => fr,
    };
    let mut file = SubmenuBuilder::new(app, t(("File", "Fichier")));
    for (id, label, accel) in FILE_PAGE_ITEMS {
        file = file.item(&item(app, id, t(*label), *accel)?);
    }
    let mut file = file
        .separator()
        .item(&item(
            app,
            "open-workspace",
            t(("Open workspace…", "Ouvrir un espace de travail…")),
            Some("CmdOrCtrl+Shift+O"),
        )?)
        .item(&item(
            app,
            "new-workspace",
            t(("New workspace…", "Nouvel espace de travail…")),
            None,
        )?)
        .item(&item(
            app,
            "open-sample",
            t((
                "Open the sample workspace",
                "Ouvrir l’espace de travail d’exemple",
            )),
            None,
        )?)
        .separator();
    for (id, label, accel) in BACKUP_PAGE_ITEMS {
        file = file.item(&item(app, id, t(*label), *accel)?);
    }
    file = file.separator();
    for (id, label, accel) in TEAM_PAGE_ITEMS {
        file = file.item(&item(app, id, t(*label), *accel)?);
    }
    let file = file
        .separator()
        .item(&PredefinedMenuItem::quit(
            app,
            Some(t(("Quit", "Quitter"))),
        )?)
        .build()?;

    let edit = SubmenuBuilder::new(app, t(("Edit", "Édition")))
        .item(&PredefinedMenuItem::cut(app, Some(t(("Cut", "Couper"))))?)
        .item(&PredefinedMenuItem::copy(app, Some(t(("Copy", "Copier"))))?)
        .item(&PredefinedMenuItem::paste(
            app,
            Some(t(("Paste", "Coller"))),
        )?)
        .item(&PredefinedMenuItem::select_all(
            app,
            Some(t(("Select all", "Tout sélectionner"))),
        )?)
        .build()?;

    let mut view = SubmenuBuilder::new(app, t(("View", "Affichage")));
    for (id, label, accel) in VIEW_PAGE_ITEMS {
        view = view.item(&item(app, id, t(*label), *accel)?);
    }
    // View → Language / Affichage → Langue: each language named in itself, as pickers do.
    let language = SubmenuBuilder::new(app, t(("Language", "Langue")))
        .item(&check(app, "language-en", "English", lang == Lang::En)?)
        .item(&check(app, "language-fr", "Français", lang == Lang::Fr)?)
        .build()?;
    let view = view.separator().item(&language).build()?;

    let help = SubmenuBuilder::new(app, t(("Help", "Aide")))
        .item(&item(
            app,
            "shortcuts",
            t(("Keyboard shortcuts", "Raccourcis clavier")),
            Some("F1"),
        )?)
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

fn check<R: Runtime>(
    app: &AppHandle<R>,
    id: &str,
    label: &str,
    checked: bool,
) -> tauri::Result<tauri::menu::CheckMenuItem<R>> {
    tauri::menu::CheckMenuItemBuilder::with_id(id, label)
        .checked(checked)
        .build(app)
}

pub fn on_event(app: &AppHandle, event: MenuEvent) {
    let id = event.id().as_ref();
    match id {
        "open-workspace" => run_from_menu(app, MenuAction::Open),
        "new-workspace" => run_from_menu(app, MenuAction::New),
        "open-sample" => run_from_menu(app, MenuAction::Sample),
        // Everything else is the page's, `language-en` / `language-fr` included: the page
        // switches its own words, then tells Rust (`set_ui_language`), which rebuilds this menu.
        _ => {
            if let Err(e) = app.emit(MENU_EVENT, id) {
                log::warn!("cannot pass the menu item {id} to the window: {e}");
            }
        }
    }
}
