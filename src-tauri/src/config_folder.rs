//! The app's settings folder follows its identifier. It was `ca.dossier.app` until the
//! identifier became `ca.dossier.desktop` (an identifier ending in `.app` clashes with macOS
//! bundle names), so the first start under the new name moves the old folder — the window's
//! size and position live there — to the new one, and nobody loses their settings.
//!
//! It runs before Tauri starts, because the window-state plugin reads its file while the app
//! is being built; what it did is logged once the logger is up.

use std::path::{Path, PathBuf};

/// The identifier of releases before this one.
pub const OLD_IDENTIFIER: &str = "ca.dossier.app";
/// `identifier` in tauri.conf.json (a test keeps the two equal).
pub const IDENTIFIER: &str = "ca.dossier.desktop";

/// What happened to the old folder, in words for the log; `None` when there was nothing to do.
pub fn carry_over() -> Option<String> {
    let base = directories::BaseDirs::new()?;
    carry_over_in(base.config_dir())
}

fn carry_over_in(config_dir: &Path) -> Option<String> {
    let old = config_dir.join(OLD_IDENTIFIER);
    let new = config_dir.join(IDENTIFIER);
    if !old.is_dir() || new.exists() {
        return None;
    }
    match std::fs::rename(&old, &new) {
        Ok(()) => Some(format!(
            "moved the settings folder {} to {}",
            old.display(),
            new.display()
        )),
        // Another file system, say: copy what is there and leave the old folder.
        Err(_) => match copy_dir(&old, &new) {
            Ok(()) => Some(format!(
                "copied the settings folder {} to {}",
                old.display(),
                new.display()
            )),
            Err(e) => Some(format!(
                "cannot carry the settings in {} over to {}: {e}",
                old.display(),
                new.display()
            )),
        },
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target: PathBuf = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_is_the_one_tauri_conf_json_declares() {
        let conf = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tauri.conf.json"))
            .unwrap();
        assert!(
            conf.contains(&format!("\"identifier\": \"{IDENTIFIER}\"")),
            "tauri.conf.json names another identifier than config_folder::IDENTIFIER"
        );
    }

    #[test]
    fn the_old_folder_moves_once_and_a_new_one_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(OLD_IDENTIFIER);
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join(".window-state.json"), "{\"main\":{}}").unwrap();

        let said = carry_over_in(dir.path()).expect("the old folder is carried over");
        assert!(said.contains(IDENTIFIER), "{said}");
        let moved = dir.path().join(IDENTIFIER).join(".window-state.json");
        assert_eq!(std::fs::read_to_string(&moved).unwrap(), "{\"main\":{}}");

        // A later start, or an old folder reappearing beside a new one, changes nothing.
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join(".window-state.json"), "stale").unwrap();
        assert_eq!(carry_over_in(dir.path()), None);
        assert_eq!(std::fs::read_to_string(&moved).unwrap(), "{\"main\":{}}");
    }
}
