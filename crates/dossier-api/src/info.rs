//! What a workspace holds, for `dossier info` and the app: counted by the store's own query
//! (the one backups use to check a copy), never by SQL written in a front door.

use dossier_store::backup::Counts;
use dossier_store::{OriginalStats, Workspace};

use crate::CommandError;

/// The workspace file, its schema version and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    pub path: String,
    pub schema_version: usize,
    pub counts: Counts,
    /// The originals kept (distinct byte strings), their size as read and as stored.
    pub originals: OriginalStats,
}

pub fn info(ws: &Workspace) -> Result<Info, CommandError> {
    Ok(Info {
        path: ws.path().display().to_string(),
        schema_version: *dossier_store::SCHEMA_VERSION,
        counts: dossier_store::backup::counts(ws.conn())?,
        originals: ws.original_stats()?,
    })
}
