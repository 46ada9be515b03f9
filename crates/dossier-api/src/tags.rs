//! Tags: the taxonomy with counts, and its maintenance. A tag is named by its path, its label,
//! its French label or an alias, as the store resolves them.

use dossier_core::{Tag, TagSpec};
use dossier_store::{MergedTag, RenamedTag, Workspace};

use crate::{CommandError, now};

pub fn list(ws: &Workspace) -> Result<Vec<Tag>, CommandError> {
    Ok(ws.list_tags()?)
}

pub fn get(ws: &Workspace, tag: &str) -> Result<Tag, CommandError> {
    Ok(ws.get_tag(tag)?)
}

pub fn add(ws: &mut Workspace, path: &str, spec: TagSpec) -> Result<Tag, CommandError> {
    Ok(ws.add_tag(path, spec, &now())?)
}

pub fn edit(ws: &mut Workspace, tag: &str, spec: TagSpec) -> Result<Tag, CommandError> {
    Ok(ws.edit_tag(tag, spec)?)
}

/// Moves the tag and the tags under it to a new path.
pub fn rename(ws: &mut Workspace, from: &str, to: &str) -> Result<RenamedTag, CommandError> {
    Ok(ws.rename_tag(from, to, &now())?)
}

/// Moves every attachment of `from` to `into`, then deletes `from`.
pub fn merge(ws: &mut Workspace, from: &str, into: &str) -> Result<MergedTag, CommandError> {
    Ok(ws.merge_tag(from, into, &now())?)
}

/// Deletes the tag and the tags under it; answers with the paths deleted.
pub fn delete(ws: &mut Workspace, tag: &str) -> Result<Vec<String>, CommandError> {
    Ok(ws.delete_tag(tag)?)
}
