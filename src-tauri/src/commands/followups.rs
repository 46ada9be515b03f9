//! Follow-ups: questions raised by the material, tracked open → answered (or dropped).

use dossier_core::{FollowUp, FollowUpPatch, FollowUpStatus, NewFollowUp};
use tauri::AppHandle;

use super::{now, on_workspace};
use dossier_api::CommandError;

/// Open first, then by due date; `status` narrows to one state.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_followups(
    app: AppHandle,
    status: Option<FollowUpStatus>,
) -> Result<Vec<FollowUp>, CommandError> {
    on_workspace(app, move |state| state.with(|w| w.list_followups(status))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_followup(app: AppHandle, followup: NewFollowUp) -> Result<FollowUp, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| w.add_followup(followup, &now()))
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
        state.with(|w| w.edit_followup(id, patch, &now()))
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
        state.with(|w| w.answer_followup(id, &answer, &excerpt_ids, &now()))
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
        state.with(|w| w.set_followup_status(id, status, &now()))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_followup(app: AppHandle, id: i64) -> Result<(), CommandError> {
    on_workspace(app, move |state| state.with(|w| w.delete_followup(id))).await
}
