//! The one error shape the UI receives: a stable `code` to branch on and a `message` in plain
//! words to show. Messages come from the store's own `Display`, so the app and the CLI say the
//! same thing about the same problem.

use dossier_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// Why a command failed. Branch on `code`; show `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CommandError {
    /// Stable and machine-readable, e.g. `not_found`, `workspace_too_new`, `internal`.
    pub code: String,
    /// In plain words, for the analyst.
    pub message: String,
}

impl CommandError {
    /// A failure of the app itself rather than of the workspace (a panicked worker thread).
    pub fn internal(message: impl std::fmt::Display) -> CommandError {
        CommandError {
            code: "internal".to_owned(),
            message: format!("Dossier hit an internal error: {message}"),
        }
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> CommandError {
        CommandError {
            code: error.code().to_owned(),
            message: error.to_string(),
        }
    }
}
