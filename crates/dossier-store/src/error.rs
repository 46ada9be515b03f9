//! The store's one error type. Every message is in plain words an analyst can act on; `code()`
//! is what the app and scripts branch on, never the message text.

use std::path::PathBuf;

use dossier_core::{AnchorError, DateError, TagPathError};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open the workspace {path}: {reason}")]
    Open { path: PathBuf, reason: String },
    #[error(
        "{path} is not a Dossier workspace (it is not an SQLite database); nothing was changed"
    )]
    NotADatabase { path: PathBuf },
    #[error(
        "the workspace {path} was written by a newer version of Dossier (schema {found}, this version knows up to {known}); update Dossier to open it — the file was left untouched"
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        known: usize,
    },
    #[error("no source with id {0}")]
    SourceNotFound(i64),
    #[error("no excerpt with id {0}")]
    ExcerptNotFound(i64),
    #[error("no follow-up with id {0}")]
    FollowUpNotFound(i64),
    #[error("no briefing with id {0}")]
    BriefingNotFound(i64),
    #[error(
        "source {source_id} has no version {number} (see `dossier source versions {source_id}`)"
    )]
    VersionNotFound { source_id: i64, number: u32 },
    #[error("version {number} of source {source_id} has no original: {reason}")]
    OriginalNotKept {
        source_id: i64,
        number: u32,
        reason: &'static str,
    },
    #[error("no feed with id {0}")]
    FeedNotFound(i64),
    #[error("no inbox entry with id {0}")]
    EntryNotFound(i64),
    #[error("feed {id} already follows {url}")]
    FeedExists { id: i64, url: String },
    #[error("no tag matches \"{0}\"")]
    TagNotFound(String),
    #[error("\"{input}\" could mean several tags: {}; give the full path", candidates.join(", "))]
    TagAmbiguous {
        input: String,
        candidates: Vec<String>,
    },
    #[error("the tag {0} already exists")]
    TagExists(String),
    #[error(
        "the tag {0} already exists; to fold one tag into the other use `tag merge`, which moves every attachment"
    )]
    RenameOntoExisting(String),
    #[error(
        "this text is already in the workspace as source {existing_id} (\"{title}\"); nothing was added"
    )]
    DuplicateSource { existing_id: i64, title: String },
    #[error(transparent)]
    Anchor(#[from] AnchorError),
    #[error(transparent)]
    TagPath(#[from] TagPathError),
    #[error(transparent)]
    Date(#[from] DateError),
    #[error("{0}")]
    Invalid(String),
    #[error("in the query: {0}")]
    Query(dossier_core::query::QueryError),
    #[error("the workspace is busy: another program held it too long; try again")]
    Busy,
    #[error(
        "the workspace file is damaged ({detail}); nothing was changed — restore a backup with `dossier restore FILE` (automatic backups are in the backups folder beside the workspace)"
    )]
    Damaged { detail: String },
    #[error("the disk is full: nothing was written; free some space and try again")]
    DiskFull,
    #[error(
        "the workspace cannot be written (its file or folder is read-only); nothing was changed"
    )]
    ReadOnly,
    #[error("the workspace could not be updated: {0}")]
    Migration(String),
    #[error("the workspace could not be read or written: {0}")]
    Sqlite(rusqlite::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

impl StoreError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Open { .. } => "open_failed",
            StoreError::NotADatabase { .. } => "not_a_database",
            StoreError::TooNew { .. } => "workspace_too_new",
            StoreError::SourceNotFound(_)
            | StoreError::ExcerptNotFound(_)
            | StoreError::FollowUpNotFound(_)
            | StoreError::BriefingNotFound(_)
            | StoreError::VersionNotFound { .. }
            | StoreError::FeedNotFound(_)
            | StoreError::EntryNotFound(_)
            | StoreError::TagNotFound(_) => "not_found",
            StoreError::OriginalNotKept { .. } => "not_kept",
            StoreError::TagAmbiguous { .. } => "ambiguous",
            StoreError::TagExists(_)
            | StoreError::RenameOntoExisting(_)
            | StoreError::FeedExists { .. } => "conflict",
            StoreError::DuplicateSource { .. } => "duplicate_source",
            StoreError::Anchor(_) => "anchor",
            StoreError::TagPath(_) | StoreError::Date(_) | StoreError::Invalid(_) => "invalid",
            StoreError::Query(_) => "query",
            StoreError::Busy => "busy",
            StoreError::Damaged { .. } => "damaged",
            StoreError::DiskFull => "disk_full",
            StoreError::ReadOnly => "read_only",
            StoreError::Migration(_) => "migration_failed",
            StoreError::Sqlite(_) => "storage",
            StoreError::Io { .. } => "io",
        }
    }

    /// What a translated message needs beside `code`: which kind of item was not found
    /// (`what`: source, excerpt, follow_up, briefing, version, tag) and its `id`, the tag
    /// `input` and its `candidates`, the existing source's `title`, the file's `path`, schema
    /// numbers. Free text from SQLite or the file system stays in `message`.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let id = |what: &str, id: &i64| vec![("what", what.to_owned()), ("id", id.to_string())];
        match self {
            StoreError::Open { path, .. } | StoreError::NotADatabase { path } => {
                vec![("path", path.display().to_string())]
            }
            StoreError::TooNew { path, found, known } => vec![
                ("path", path.display().to_string()),
                ("found", found.to_string()),
                ("known", known.to_string()),
            ],
            StoreError::SourceNotFound(i) => id("source", i),
            StoreError::ExcerptNotFound(i) => id("excerpt", i),
            StoreError::FollowUpNotFound(i) => id("follow_up", i),
            StoreError::BriefingNotFound(i) => id("briefing", i),
            StoreError::FeedNotFound(i) => id("feed", i),
            StoreError::EntryNotFound(i) => id("entry", i),
            StoreError::FeedExists { id, url } => {
                vec![("id", id.to_string()), ("url", url.clone())]
            }
            StoreError::VersionNotFound { source_id, number }
            | StoreError::OriginalNotKept {
                source_id, number, ..
            } => vec![
                ("what", "version".to_owned()),
                ("id", source_id.to_string()),
                ("number", number.to_string()),
            ],
            StoreError::TagNotFound(input) => {
                vec![("what", "tag".to_owned()), ("input", input.clone())]
            }
            StoreError::TagAmbiguous { input, candidates } => vec![
                ("input", input.clone()),
                ("candidates", candidates.join(", ")),
            ],
            StoreError::TagExists(tag) | StoreError::RenameOntoExisting(tag) => {
                vec![("tag", tag.clone())]
            }
            StoreError::DuplicateSource { existing_id, title } => {
                vec![("id", existing_id.to_string()), ("title", title.clone())]
            }
            _ => Vec::new(),
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> StoreError {
        StoreError::Invalid(msg.into())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            // SQLite finds damage lazily, on the page it reads: say so in words an analyst can
            // act on wherever it surfaces, not only when the file is opened.
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Damaged {
                detail: format!("SQLite reports: {e}"),
            },
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
