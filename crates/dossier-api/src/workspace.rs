//! Which workspace file to work on, and opening it.

use std::path::{Path, PathBuf};

use dossier_store::Workspace;

use crate::CommandError;

/// `DOSSIER_DB` when set, else the workspace in the user's data folder.
pub fn default_path() -> Result<PathBuf, CommandError> {
    Ok(dossier_store::default_workspace_path()?)
}

/// The file a front door was given, else [`default_path`].
pub fn path_or_default(given: Option<PathBuf>) -> Result<PathBuf, CommandError> {
    match given {
        Some(path) => Ok(path),
        None => default_path(),
    }
}

/// Opens (creating or migrating) the workspace at `path`; refuses what is not one.
pub fn open(path: &Path) -> Result<Workspace, CommandError> {
    Ok(Workspace::open(path)?)
}

/// Opens the sample workspace at `path`, writing the sample into it when it holds no source
/// yet; an existing sample is reopened as the analyst left it.
pub fn open_sample(path: &Path) -> Result<Workspace, CommandError> {
    let mut sample = open(path)?;
    if sample.list_sources()?.is_empty() {
        dossier_store::sample::load(&mut sample, &crate::now())?;
    }
    Ok(sample)
}

/// A number that changes whenever another connection commits to the workspace (SQLite's
/// `data_version`); this connection's own writes leave it as it is.
pub fn data_version(ws: &Workspace) -> Result<i64, CommandError> {
    ws.conn()
        .query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))
        .map_err(|e| CommandError::from(dossier_store::StoreError::from(e)))
}
