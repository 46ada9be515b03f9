//! The interface's language: the system's (`DOSSIER_UI_LANG`, then `LC_ALL`, `LC_MESSAGES`,
//! `LANG`) until the analyst picks one in View → Language, then theirs, remembered in the app's
//! configuration folder (one word in `ui-language`), per user rather than per workspace.

use std::path::PathBuf;

use dossier_api::CommandError;
use dossier_core::Lang;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};
use ts_rs::TS;

const FILE: &str = "ui-language";

/// What the page starts in, and what the system alone would say.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UiLanguage {
    /// The analyst's choice, or the system's when they made none.
    pub lang: Lang,
    /// The system's language, for "follow the system".
    pub system: Lang,
    /// True when `lang` was picked in the app rather than taken from the system.
    pub chosen: bool,
}

fn file<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|dir| dir.join(FILE))
}

fn chosen<R: Runtime>(app: &AppHandle<R>) -> Option<Lang> {
    let text = std::fs::read_to_string(file(app)?).ok()?;
    text.trim().parse().ok()
}

/// The language the interface is in now.
pub fn current<R: Runtime>(app: &AppHandle<R>) -> Lang {
    chosen(app).unwrap_or_else(Lang::from_env)
}

#[tauri::command]
pub fn ui_language(app: AppHandle) -> UiLanguage {
    let picked = chosen(&app);
    UiLanguage {
        lang: picked.unwrap_or_else(Lang::from_env),
        system: Lang::from_env(),
        chosen: picked.is_some(),
    }
}

/// Remembers `lang` and rebuilds the native menu in it. The page has already switched its own
/// words; a failure to remember is reported, the menu still follows.
#[tauri::command]
pub fn set_ui_language(app: AppHandle, lang: Lang) -> Result<UiLanguage, CommandError> {
    let menu = crate::menu::build(&app, lang)
        .map_err(|e| CommandError::internal(format!("the menu could not be rebuilt: {e}")))?;
    app.set_menu(menu)
        .map_err(|e| CommandError::internal(format!("the menu could not be replaced: {e}")))?;
    let Some(path) = file(&app) else {
        return Err(CommandError::new(
            "io",
            "the app's configuration folder is unknown; the language will not be remembered",
        ));
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| CommandError::io(format!("cannot create {}", dir.display()), &e))?;
    }
    std::fs::write(&path, lang.as_str())
        .map_err(|e| CommandError::io(format!("cannot write {}", path.display()), &e))?;
    Ok(ui_language(app))
}
