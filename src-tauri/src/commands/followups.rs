//! Follow-ups: questions raised by the material, tracked open → answered (or dropped).

use dossier_api::followups;
use dossier_core::{FollowUp, FollowUpPatch, FollowUpStatus, NewFollowUp};
use tauri::AppHandle;

use super::on_workspace;
use dossier_api::CommandError;

/// Open first, then by due date; `status` narrows to one state.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_followups(
    app: AppHandle,
    status: Option<FollowUpStatus>,
) -> Result<Vec<FollowUp>, CommandError> {
    on_workspace(app, move |state| state.with(|w| followups::list(w, status))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_followup(app: AppHandle, followup: NewFollowUp) -> Result<FollowUp, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| followups::add(w, followup))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_followup(
    app: AppHandle,
    id: i64,
    patch: FollowUpPatch,
) -> Result<FollowUp, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| followups::edit(w, id, patch))
    })
    .await
}

/// Records the answer and the excerpts that support it; the follow-up becomes answered.
#[tauri::command(rename_all = "snake_case")]
pub async fn answer_followup(
    app: AppHandle,
    id: i64,
    answer: String,
    excerpt_ids: Vec<i64>,
) -> Result<FollowUp, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| followups::answer(w, id, &answer, &excerpt_ids))
    })
    .await
}

/// Drops or reopens a follow-up (reopening keeps the last answer's text).
#[tauri::command(rename_all = "snake_case")]
pub async fn set_followup_status(
    app: AppHandle,
    id: i64,
    status: FollowUpStatus,
) -> Result<FollowUp, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| followups::set_status(w, id, status))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_followup(app: AppHandle, id: i64) -> Result<(), CommandError> {
    on_workspace(app, move |state| state.with(|w| followups::delete(w, id))).await
}
