//! Follow-ups: questions raised by the material, tracked open → answered (or dropped).

use dossier_core::{FollowUp, FollowUpPatch, FollowUpStatus, NewFollowUp};
use dossier_store::Workspace;

use crate::{CommandError, now};

/// Open first, then by due date; `status` narrows to one state.
pub fn list(ws: &Workspace, status: Option<FollowUpStatus>) -> Result<Vec<FollowUp>, CommandError> {
    Ok(ws.list_followups(status)?)
}

pub fn get(ws: &Workspace, id: i64) -> Result<FollowUp, CommandError> {
    Ok(ws.get_followup(id)?)
}

pub fn add(ws: &mut Workspace, new: NewFollowUp) -> Result<FollowUp, CommandError> {
    Ok(ws.add_followup(new, &now())?)
}

pub fn edit(ws: &mut Workspace, id: i64, patch: FollowUpPatch) -> Result<FollowUp, CommandError> {
    Ok(ws.edit_followup(id, patch, &now())?)
}

/// Records the answer and the excerpts that support it; the follow-up becomes answered.
pub fn answer(
    ws: &mut Workspace,
    id: i64,
    text: &str,
    excerpt_ids: &[i64],
) -> Result<FollowUp, CommandError> {
    Ok(ws.answer_followup(id, text, excerpt_ids, &now())?)
}

/// Drops or reopens a follow-up (reopening keeps the last answer's text).
pub fn set_status(
    ws: &mut Workspace,
    id: i64,
    status: FollowUpStatus,
) -> Result<FollowUp, CommandError> {
    Ok(ws.set_followup_status(id, status, &now())?)
}

pub fn delete(ws: &mut Workspace, id: i64) -> Result<(), CommandError> {
    Ok(ws.delete_followup(id)?)
}
