//! The one error shape both front doors show: a stable `code` to branch on and a `message` in
//! plain words. The CLI prints it as `{"error": …}` with `--json`; the app receives it from every
//! failed command. Messages come from the lower crates' own `Display`, so both doors say the same
//! thing about the same problem.
//!
//! Two codes carry a little structure beside the message, because a caller acts on it rather
//! than reading it: `duplicate_source` names the source already holding the text (the UI opens
//! it), and `query` says where in the query the problem is (the search box points at it). They
//! are left out of the JSON when absent, as the CLI has always printed them.

use dossier_export::ExportError;
use dossier_ingest::IngestError;
use dossier_store::StoreError;
use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

/// Why a command failed. Branch on `code`; show `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{}", self.terminal.as_deref().unwrap_or(&self.message))]
pub struct CommandError {
    /// Stable and machine-readable, e.g. `not_found`, `workspace_too_new`, `internal`.
    pub code: String,
    /// In plain words, for the analyst.
    pub message: String,
    /// `duplicate_source`: the source that already holds this text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub existing_id: Option<i64>,
    /// `query`: where the problem starts, in code points of the query.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub position: Option<usize>,
    /// `query`: how many code points the problem spans.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub length: Option<usize>,
    /// What the app needs to word the error in the analyst's language beside `code`: the id
    /// or name of the item concerned, the limit passed (see `StoreError::params` and
    /// `IngestError::params`). Left out of the JSON when empty.
    /// Boxed, so every `Result` carrying the error stays small.
    #[serde(skip_serializing_if = "no_params")]
    #[ts(as = "Option<BTreeMap<String, String>>", optional)]
    pub params: Box<BTreeMap<String, String>>,
    /// How a terminal says it when that differs from `message`: a query error with the
    /// problem marked inline (⟦…⟧), which the app draws itself from `position` and `length`.
    /// What `Display` prints; never serialized.
    #[serde(skip)]
    #[ts(skip)]
    pub terminal: Option<Box<str>>,
}

fn no_params(params: &BTreeMap<String, String>) -> bool {
    params.is_empty()
}

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> CommandError {
        CommandError {
            code: code.to_owned(),
            message: message.into(),
            existing_id: None,
            position: None,
            length: None,
            params: Box::default(),
            terminal: None,
        }
    }

    fn with_params(mut self, params: Vec<(&'static str, String)>) -> CommandError {
        *self.params = params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        self
    }

    /// A failure of the program itself rather than of the workspace (a panicked worker thread).
    pub fn internal(message: impl std::fmt::Display) -> CommandError {
        CommandError::new(
            "internal",
            format!("Dossier hit an internal error: {message}"),
        )
    }

    /// An I/O failure, said with what was being done: "cannot write /tmp/note.docx: …".
    pub fn io(what: impl std::fmt::Display, error: &std::io::Error) -> CommandError {
        CommandError::new("io", format!("{what}: {error}"))
    }

    /// Finds the most specific error in an error chain (the CLI's `anyhow` errors wrap ours).
    pub fn find(error: &(dyn std::error::Error + 'static)) -> Option<CommandError> {
        let mut next = Some(error);
        while let Some(e) = next {
            if let Some(c) = e.downcast_ref::<CommandError>() {
                return Some(c.clone());
            }
            if let Some(s) = e.downcast_ref::<StoreError>() {
                return Some(s.into());
            }
            if let Some(i) = e.downcast_ref::<IngestError>() {
                return Some(i.into());
            }
            if let Some(x) = e.downcast_ref::<ExportError>() {
                return Some(x.into());
            }
            next = e.source();
        }
        None
    }
}

impl From<&StoreError> for CommandError {
    fn from(error: &StoreError) -> CommandError {
        let mut out =
            CommandError::new(error.code(), error.to_string()).with_params(error.params());
        match error {
            StoreError::DuplicateSource { existing_id, .. } => out.existing_id = Some(*existing_id),
            StoreError::Query(query) => {
                // Without the inline excerpt a terminal needs: `position` and `length` say where.
                out.terminal = Some(std::mem::take(&mut out.message).into());
                out.message = format!("in the query: {}", query.message);
                out.position = Some(query.position);
                out.length = Some(query.length);
            }
            _ => {}
        }
        out
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> CommandError {
        CommandError::from(&error)
    }
}

impl From<&IngestError> for CommandError {
    fn from(error: &IngestError) -> CommandError {
        CommandError::new(error.code(), error.to_string()).with_params(error.params())
    }
}

impl From<IngestError> for CommandError {
    fn from(error: IngestError) -> CommandError {
        CommandError::from(&error)
    }
}

impl From<&ExportError> for CommandError {
    fn from(error: &ExportError) -> CommandError {
        CommandError::new(
            "export",
            format!("the briefing could not be exported: {error}"),
        )
    }
}

impl From<ExportError> for CommandError {
    fn from(error: ExportError) -> CommandError {
        CommandError::from(&error)
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
            out.message.starts_with("in the query: ") && !out.message.contains('⟦'),
            "the UI marks the position itself, so the message carries no inline marker: {}",
            out.message
        );
        assert!(
            out.to_string().contains('⟦'),
            "a terminal gets the inline marker: {out}"
        );
        let json = serde_json::to_string(&out).unwrap();
        assert!(!json.contains('⟦') && !json.contains("terminal"), "{json}");
    }

    #[test]
    fn a_duplicate_names_the_existing_source_and_absent_details_stay_out_of_the_json() {
        let out = CommandError::from(StoreError::DuplicateSource {
            existing_id: 4,
            title: "Steel".into(),
        });
        assert_eq!(out.code, "duplicate_source");
        assert_eq!(out.existing_id, Some(4));
        let json = serde_json::to_string(&out).unwrap();
        assert!(json.contains("\"existing_id\":4"), "{json}");
        assert!(!json.contains("position"), "{json}");
    }

    #[test]
    fn the_most_specific_error_is_found_through_a_chain() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot delete question 3")]
        struct Context(#[source] StoreError);
        let chained = Context(StoreError::FollowUpNotFound(3));
        let found = CommandError::find(&chained).expect("the store error is in the chain");
        assert_eq!(found.code, "not_found");
        assert!(CommandError::find(&std::fmt::Error).is_none());
    }
}
