//! The one error shape the UI receives: a stable `code` to branch on and a `message` in plain
//! words to show. Messages come from the store's own `Display`, so the app and the CLI say the
//! same thing about the same problem.
//!
//! Two codes carry a little structure beside the message, because the UI acts on it rather than
//! reading it: `duplicate_source` names the source already holding the text (so the UI can open
//! it), and `query` says where in the query the problem is (so the search box can point at it).

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
    /// `duplicate_source`: the source that already holds this text.
    #[ts(type = "number | null")]
    pub existing_id: Option<i64>,
    /// `query`: where the problem starts, in code points of the query.
    #[ts(type = "number | null")]
    pub position: Option<usize>,
    /// `query`: how many code points the problem spans.
    #[ts(type = "number | null")]
    pub length: Option<usize>,
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> CommandError {
        CommandError {
            code: code.to_owned(),
            message: message.into(),
            existing_id: None,
            position: None,
            length: None,
        }
    }

    /// A failure of the app itself rather than of the workspace (a panicked worker thread).
    pub fn internal(message: impl std::fmt::Display) -> CommandError {
        CommandError::new(
            "internal",
            format!("Dossier hit an internal error: {message}"),
        )
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> CommandError {
        let mut out = CommandError::new(error.code(), error.to_string());
        match &error {
            StoreError::DuplicateSource { existing_id, .. } => out.existing_id = Some(*existing_id),
            StoreError::Query(query) => {
                out.message = format!("In the query: {}", query.message);
                out.position = Some(query.position);
                out.length = Some(query.length);
            }
            _ => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_error_says_where_without_the_terminal_excerpt() {
        let error = dossier_core::query::parse("steel \"tariff").unwrap_err();
        let out = CommandError::from(StoreError::Query(error));
        assert_eq!(out.code, "query");
        assert_eq!(
            out.position,
            Some(6),
            "the position points at the opening quote"
        );
        assert!(
            out.message.starts_with("In the query: ") && !out.message.contains('⟦'),
            "the UI marks the position itself, so the message carries no inline marker: {}",
            out.message
        );
    }

    #[test]
    fn a_duplicate_names_the_existing_source() {
        let out = CommandError::from(StoreError::DuplicateSource {
            existing_id: 4,
            title: "Steel".into(),
        });
        assert_eq!(out.code, "duplicate_source");
        assert_eq!(out.existing_id, Some(4));
    }
}
