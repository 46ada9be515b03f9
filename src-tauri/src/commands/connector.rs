//! The browser connector in the window: its status, the pairing requests waiting for Allow /
//! Deny, and the tokens with Revoke. A token's text never comes here: approving hands it to the
//! extension's next poll only.

use dossier_api::CommandError;
use dossier_api::connector::{self, ConnectorToken, PairingRequest};
use tauri::AppHandle;

use super::on_workspace;
use crate::connector::ConnectorStatus;

#[tauri::command(rename_all = "snake_case")]
pub fn connector_status(app: AppHandle) -> ConnectorStatus {
    crate::connector::status(&app)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn connector_pending(app: AppHandle) -> Result<Vec<PairingRequest>, CommandError> {
    on_workspace(app, |state| state.with(|w| connector::pending_pairings(w))).await
}

/// Allow (the extension gets its token at its next poll) or Deny a waiting request.
#[tauri::command(rename_all = "snake_case")]
pub async fn connector_answer(app: AppHandle, id: i64, allow: bool) -> Result<(), CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| {
            if allow {
                connector::approve_pairing(w, id).map(|_| ())
            } else {
                connector::deny_pairing(w, id)
            }
        })
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn connector_tokens(app: AppHandle) -> Result<Vec<ConnectorToken>, CommandError> {
    on_workspace(app, |state| state.with(|w| connector::list_tokens(w))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn connector_revoke(app: AppHandle, id: i64) -> Result<ConnectorToken, CommandError> {
    on_workspace(app, move |state| {
        state.with(|w| connector::revoke_token(w, id))
    })
    .await
}
