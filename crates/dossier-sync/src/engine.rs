//! One sync of a replica: push what waits in the outbox, then pull the team's log.

use dossier_store::{StoreError, Workspace, sync};
use serde::Serialize;

use crate::{Remote, RemoteError};

/// How many changes travel per round trip.
pub const BATCH: usize = 5000;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "this workspace does not belong to a team (see `dossier team init` and `dossier team join`)"
    )]
    NotATeam,
}

/// What one sync did, as `dossier sync --json` prints it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SyncReport {
    pub pushed: u64,
    pub pulled: u64,
    pub conflicts: u64,
}

pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// Pushes every waiting change, `batch` at a time. A push the server took but whose answer
/// was lost is sent again: the server keeps each change once.
pub fn push(ws: &mut Workspace, remote: &mut dyn Remote, batch: usize) -> Result<u64, SyncError> {
    let st = sync::state(ws.conn())?.ok_or(SyncError::NotATeam)?;
    let mut pushed = 0;
    loop {
        let changes = ws.with_tx(|tx| sync::pending(tx, &st.replica, batch))?;
        if changes.is_empty() {
            break;
        }
        let seqs = remote.push(&changes)?;
        if seqs.len() != changes.len() {
            return Err(RemoteError::Other(format!(
                "the server answered {} positions for {} changes",
                seqs.len(),
                changes.len()
            ))
            .into());
        }
        let role = remote.role().to_string();
        let at = now();
        ws.with_tx(|tx| sync::acknowledge(tx, &changes, &seqs, &role, &at))?;
        pushed += changes.len() as u64;
    }
    Ok(pushed)
}

/// Pulls and applies the team's log from where this replica stopped, `batch` at a time, each
/// batch in one transaction.
pub fn pull(
    ws: &mut Workspace,
    remote: &mut dyn Remote,
    batch: usize,
) -> Result<sync::Applied, SyncError> {
    let mut total = sync::Applied::default();
    loop {
        let st = sync::state(ws.conn())?.ok_or(SyncError::NotATeam)?;
        let changes = remote.pull(st.last_pulled, batch)?;
        if changes.is_empty() {
            break;
        }
        let at = now();
        let applied = ws.with_tx(|tx| sync::apply(tx, &changes, &at))?;
        total.pulled += applied.pulled;
        total.conflicts += applied.conflicts;
    }
    Ok(total)
}

/// Pushes, then pulls; records the attempt. When the server cannot be reached the changes
/// stay queued and the error says so.
pub fn sync_once(ws: &mut Workspace, remote: &mut dyn Remote) -> Result<SyncReport, SyncError> {
    let result = (|| {
        let pushed = push(ws, remote, BATCH)?;
        let applied = pull(ws, remote, BATCH)?;
        Ok(SyncReport {
            pushed,
            pulled: applied.pulled,
            conflicts: applied.conflicts,
        })
    })();
    let at = now();
    let err = result.as_ref().err().map(|e: &SyncError| e.to_string());
    // Recording the attempt must not hide the sync's own outcome.
    let _ = ws.with_tx(|tx| sync::record_attempt(tx, &at, err.as_deref()));
    result
}
