//! Briefing notes: list, open, create, draft from a search, edit, move items, duplicate,
//! delete, and the preview (the HTML export's own body). Export to a file is [`crate::export`].

use dossier_core::briefing::{Briefing, BriefingPatch, BriefingSummary, NewBriefing, SectionKind};
use dossier_store::{DeletedBriefing, Workspace};

use crate::{CommandError, now};

pub fn list(ws: &Workspace) -> Result<Vec<BriefingSummary>, CommandError> {
    Ok(ws.list_briefings()?)
}

pub fn get(ws: &Workspace, id: i64) -> Result<Briefing, CommandError> {
    Ok(ws.get_briefing(id)?)
}

pub fn create(ws: &mut Workspace, fields: &NewBriefing) -> Result<Briefing, CommandError> {
    Ok(ws.create_briefing(fields, &now())?)
}

/// A new note from what `query` matches: Current Status from the matching excerpts by sector,
/// Next Steps from the open follow-ups among them.
pub fn draft(
    ws: &mut Workspace,
    query: &str,
    fields: &NewBriefing,
) -> Result<Briefing, CommandError> {
    Ok(ws.draft_briefing_from_query(query, fields, &now())?)
}

/// Fields, section text and items in one transaction: a refused change changes nothing.
pub fn edit(ws: &mut Workspace, id: i64, patch: &BriefingPatch) -> Result<Briefing, CommandError> {
    Ok(ws.edit_briefing(id, patch, &now())?)
}

/// Moves `item_id` to `position` (1-based) in section `to`.
pub fn move_item(
    ws: &mut Workspace,
    id: i64,
    item_id: i64,
    to: SectionKind,
    position: usize,
) -> Result<Briefing, CommandError> {
    Ok(ws.move_briefing_item(id, item_id, to, position, &now())?)
}

pub fn duplicate(ws: &mut Workspace, id: i64) -> Result<Briefing, CommandError> {
    Ok(ws.duplicate_briefing(id, &now())?)
}

pub fn delete(ws: &mut Workspace, id: i64) -> Result<DeletedBriefing, CommandError> {
    Ok(ws.delete_briefing(id)?)
}

/// The note as the HTML export lays it out, body only: what the composer's preview shows is
/// what the file will say.
pub fn preview(ws: &Workspace, id: i64) -> Result<String, CommandError> {
    let doc = ws.briefing_document(id)?;
    Ok(dossier_export::html_body(&doc))
}
