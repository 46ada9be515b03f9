//! Sources: list, read, capture pasted text, edit, delete.

use dossier_core::{NewSource, Source, SourcePatch, SourceSummary};
use dossier_store::{DeletedSource, Workspace};

use crate::{CommandError, now};

pub fn list(ws: &Workspace) -> Result<Vec<SourceSummary>, CommandError> {
    Ok(ws.list_sources()?)
}

pub fn get(ws: &Workspace, id: i64) -> Result<Source, CommandError> {
    Ok(ws.get_source(id)?)
}

/// Captures a source and answers with it as stored (normalized text, guessed title, language).
pub fn add(ws: &mut Workspace, new: NewSource) -> Result<Source, CommandError> {
    let added = ws.add_source(new, &now())?;
    get(ws, added.id)
}

pub fn edit(ws: &mut Workspace, id: i64, patch: SourcePatch) -> Result<Source, CommandError> {
    Ok(ws.edit_source(id, patch, &now())?)
}

/// Deletes the source and its excerpts; answers with what went.
pub fn delete(ws: &mut Workspace, id: i64) -> Result<DeletedSource, CommandError> {
    Ok(ws.delete_source(id)?)
}

/// Takes a source out of the story it shares with its copies; it stays out (the split is
/// kept and the source is never grouped again).
pub fn split(
    ws: &mut Workspace,
    id: i64,
) -> Result<dossier_store::stories::SplitSource, CommandError> {
    Ok(ws.split_source(id, &now())?)
}

/// The sources already carrying the story of `text` (none when it is new), most similar first:
/// what an inbox entry asks before it is kept ("already a source: #12").
pub fn copies_of_text(
    ws: &Workspace,
    text: &str,
) -> Result<Vec<dossier_core::SourceCopy>, CommandError> {
    Ok(dossier_store::stories::copies_of_text(ws.conn(), text, 0)?)
}
