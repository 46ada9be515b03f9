//! Backups: a checked copy on demand or when one is due, the list of copies beside a
//! workspace, and restoring one over it. The policy and the checks are the store's.

use std::path::{Path, PathBuf};

use dossier_store::Workspace;
use dossier_store::backup;
pub use dossier_store::backup::{BackupFile, CheckedFile, Counts, Kind, Policy, Restored};

use crate::{CommandError, now};

/// The folder a workspace's backups live in (`backups/` beside it).
pub fn folder(workspace: &Path) -> PathBuf {
    backup::folder(workspace)
}

/// Every copy of the workspace at `workspace`, newest first.
pub fn list(workspace: &Path) -> Result<Vec<BackupFile>, CommandError> {
    Ok(backup::list(workspace)?)
}

/// A copy in the backups folder, now.
pub fn manual(ws: &Workspace) -> Result<CheckedFile, CommandError> {
    Ok(backup::write_manual(ws, &now())?)
}

/// Opens the copy at `path` read-only and checks it: integrity, schema version, counts.
pub fn check(path: &Path) -> Result<CheckedFile, CommandError> {
    Ok(backup::check(path)?)
}

/// A copy at `target`, which must not exist yet.
pub fn write_to(ws: &Workspace, target: &Path) -> Result<CheckedFile, CommandError> {
    Ok(backup::write_to(ws, target)?)
}

/// The automatic copy, when the policy (from the environment) says one is due.
pub fn auto(ws: &Workspace) -> Result<Option<PathBuf>, CommandError> {
    Ok(backup::auto(ws, &now())?)
}

/// Restores `from` over the workspace at `workspace`, keeping the workspace as it was aside.
/// The workspace must not be open elsewhere in this process (reopen it afterwards).
pub fn restore(workspace: &Path, from: &Path) -> Result<Restored, CommandError> {
    Ok(backup::restore(workspace, from, &now())?)
}

/// The backup called `name` in the workspace's own folder; any other name is refused, so a
/// caller that names backups (the app's page) cannot point at a path of its choosing.
pub fn listed(workspace: &Path, name: &str) -> Result<PathBuf, CommandError> {
    list(workspace)?
        .into_iter()
        .map(|f| f.path)
        .find(|p| p.file_name().is_some_and(|n| n == name))
        .ok_or_else(|| {
            CommandError::new(
                "not_found",
                format!("there is no backup called \"{name}\" beside this workspace"),
            )
        })
}
