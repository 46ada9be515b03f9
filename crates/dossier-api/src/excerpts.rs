//! Excerpts: anchored quotes with a note and tags; the undo of a delete; orphans left by a
//! re-import and their reattachment.

use dossier_core::briefing::Marking;
use dossier_core::{Excerpt, ExcerptPatch, ExcerptTarget};
use dossier_store::{DeletedExcerpt, ExcerptFilter, Workspace};

use crate::{CommandError, now};

pub fn list(ws: &Workspace, filter: &ExcerptFilter) -> Result<Vec<Excerpt>, CommandError> {
    Ok(ws.list_excerpts(filter)?)
}

pub fn get(ws: &Workspace, id: i64) -> Result<Excerpt, CommandError> {
    Ok(ws.get_excerpt(id)?)
}

/// Adds an excerpt, with a marking of its own when `marking` is given; a `question` with text is asked about it in the same transaction (a blank
/// one is no question).
pub fn add(
    ws: &mut Workspace,
    source_id: i64,
    target: ExcerptTarget,
    note: &str,
    tags: &[String],
    question: Option<&str>,
    marking: Option<Marking>,
) -> Result<Excerpt, CommandError> {
    let question = question.map(str::trim).filter(|q| !q.is_empty());
    Ok(ws.add_excerpt_with_question(source_id, target, note, tags, question, marking, &now())?)
}

pub fn edit(ws: &mut Workspace, id: i64, patch: ExcerptPatch) -> Result<Excerpt, CommandError> {
    Ok(ws.edit_excerpt(id, patch, &now())?)
}

/// Deletes the excerpt; answers with what was deleted, which [`restore`] takes back.
pub fn delete(ws: &mut Workspace, id: i64) -> Result<DeletedExcerpt, CommandError> {
    Ok(ws.delete_excerpt(id)?)
}

/// The undo of a delete: the excerpt again at the same range, with its tags and question links,
/// in one transaction; refused when the source's text has changed under it.
pub fn restore(ws: &mut Workspace, deleted: &DeletedExcerpt) -> Result<Excerpt, CommandError> {
    Ok(ws.restore_excerpt(deleted, &now())?)
}

/// Excerpts a re-import could not place, of one source or of all.
pub fn orphans(ws: &Workspace, source_id: Option<i64>) -> Result<Vec<Excerpt>, CommandError> {
    Ok(ws.list_orphans(source_id)?)
}

/// Anchors an orphan again, at `start..end` in code points of its source's text.
pub fn reattach(
    ws: &mut Workspace,
    id: i64,
    start: usize,
    end: usize,
) -> Result<Excerpt, CommandError> {
    Ok(ws.reattach_excerpt(id, start, end, &now())?)
}
