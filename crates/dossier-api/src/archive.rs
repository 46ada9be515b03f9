//! The whole workspace as one portable file (`dossier archive`), and the excerpts as W3C Web
//! Annotations (`dossier excerpt export --w3c`).

use std::path::Path;

pub use dossier_store::archive::{Exported, FORMAT, Imported, VERSION};
use dossier_store::{Workspace, archive, atomic_file, web_annotation};

use crate::{CommandError, now};

/// Writes the archive to `path`, which must not exist yet.
pub fn export_to_file(ws: &Workspace, path: &Path) -> Result<Exported, CommandError> {
    Ok(archive::export_to_file(ws, path, &now())?)
}

/// Reads the archive at `file` into the workspace (which must be empty), in one transaction.
pub fn import_file(ws: &mut Workspace, file: &Path) -> Result<Imported, CommandError> {
    let read = archive::read_file(file)?;
    Ok(archive::import(ws, &read)?)
}

/// Merges the archive at `file` into this workspace by uid: what it lacks is added, what it has
/// is left as it is.
pub fn merge_file(
    ws: &mut Workspace,
    file: &Path,
) -> Result<dossier_store::sync::Merged, CommandError> {
    let read = archive::read_file(file)?;
    Ok(archive::merge(ws, &read, &crate::now())?)
}

/// Reads the archive at `file` into a new workspace at `path`, which must not exist yet.
pub fn import_file_into_new(path: &Path, file: &Path) -> Result<Imported, CommandError> {
    let read = archive::read_file(file)?;
    Ok(archive::import_into_new(path, &read)?)
}

/// The excerpts, of one source or all, as a W3C Web Annotation collection. An unknown source
/// is an error, not an empty collection.
pub fn annotations(
    ws: &Workspace,
    source_id: Option<i64>,
) -> Result<serde_json::Value, CommandError> {
    if let Some(id) = source_id {
        ws.get_source(id)?;
    }
    Ok(web_annotation::collection(ws, source_id)?)
}

/// Writes `text` to `path` whole or not at all, never over an existing file (the same refusal
/// as an archive export's).
pub fn write_new(path: &Path, text: &str) -> Result<(), CommandError> {
    let exists = || {
        CommandError::new(
            "invalid",
            format!(
                "{} already exists; choose another name (an export never overwrites a file)",
                path.display()
            ),
        )
    };
    if path.exists() {
        return Err(exists());
    }
    atomic_file::write_new(path, text.as_bytes()).map_err(|e| match e.kind() {
        // Created by another program since the check above.
        std::io::ErrorKind::AlreadyExists => exists(),
        _ => CommandError::io(format_args!("cannot write {}", path.display()), &e),
    })
}
