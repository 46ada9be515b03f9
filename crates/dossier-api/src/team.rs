//! A team workspace: making this workspace a replica of a team on a PostgreSQL server, joining
//! one, syncing, membership, and the conflicts concurrent edits leave. Both front doors call
//! these; nothing here waits on the network except the calls that are about the network
//! (`init`, `join`, `sync`, `grant`, `revoke`).

use dossier_store::Workspace;
use dossier_store::sync::{self, Conflict, Keep, SyncState};
use dossier_sync::{PgRemote, PgServer, Remote, RemoteError, SyncError, TeamUrl, engine};
use serde::Serialize;
use ts_rs::TS;

use crate::{CommandError, now};

/// What one sync did; re-exported so the front doors need not depend on dossier-sync.
pub use dossier_sync::SyncReport;

/// `team init` and `team join`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Joined {
    pub team: String,
    /// The server, without any password.
    pub server: String,
    /// This replica's uid.
    pub replica: String,
    /// When the URL carried a password: whether the system keyring now keeps it for the next
    /// syncs (the workspace never does). Absent when the URL had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_kept: Option<bool>,
}

/// Files a password given in the URL in the system keyring, so later syncs find it without it
/// being written anywhere else; a keyring that is missing or slow is not an error.
fn keep_password(url: &TeamUrl) -> Option<bool> {
    let pw = url.password.clone()?;
    if std::env::var_os("DOSSIER_NO_KEYRING").is_some() {
        return Some(false);
    }
    let url = url.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(dossier_sync::password::keyring_set(&url, &pw).is_ok());
    });
    Some(
        rx.recv_timeout(std::time::Duration::from_secs(3))
            .unwrap_or(false),
    )
}

/// `team status`: read from the workspace alone, never from the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "TeamStatus")]
pub struct Status {
    pub team: String,
    pub server: String,
    pub replica: String,
    pub role: String,
    /// Changes made here that wait to be pushed.
    pub pending: u64,
    pub last_sync: Option<String>,
    /// Open conflicts.
    pub conflicts: u64,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
}

fn remote_error(e: RemoteError) -> CommandError {
    match e {
        RemoteError::Unreachable(m) => CommandError::new(
            "server_unreachable",
            format!(
                "the team server cannot be reached ({m}); your changes stay queued and will be sent at the next sync"
            ),
        ),
        RemoteError::Refused(m) => {
            CommandError::new("server_refused", format!("the team server refused: {m}"))
        }
        RemoteError::Other(m) => CommandError::new("server_error", m),
    }
}

fn sync_error(e: SyncError) -> CommandError {
    match e {
        SyncError::Remote(e) => remote_error(e),
        SyncError::Store(e) => e.into(),
        SyncError::NotATeam => not_a_team(),
    }
}

fn not_a_team() -> CommandError {
    CommandError::new(
        "not_a_team",
        "this workspace does not belong to a team (see `dossier team init` and `dossier team join`)",
    )
}

fn state(ws: &Workspace) -> Result<SyncState, CommandError> {
    sync::state(ws.conn())?.ok_or_else(not_a_team)
}

fn new_replica_uid(ws: &Workspace) -> Result<String, CommandError> {
    Ok(ws
        .conn()
        .query_row("SELECT lower(hex(randomblob(16)))", [], |r| r.get(0))
        .map_err(dossier_store::StoreError::from)?)
}

fn parse_url(url: &str) -> Result<TeamUrl, CommandError> {
    TeamUrl::parse(url)
        .map_err(|m| CommandError::new("invalid_url", format!("the team URL is not valid: {m}")))
}

fn default_team_name(ws: &Workspace) -> String {
    ws.path()
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "team".into())
}

/// Makes this workspace a team workspace on the server at `url` (installing the server's
/// schema if it is not there), and sends it everything the workspace holds.
pub fn init(ws: &mut Workspace, url: &str, name: Option<&str>) -> Result<Joined, CommandError> {
    if sync::state(ws.conn())?.is_some() {
        return Err(CommandError::new(
            "already_a_team",
            "this workspace already belongs to a team (see `dossier team status`)",
        ));
    }
    let parsed = parse_url(url)?;
    let mut server = PgServer::connect(url).map_err(remote_error)?;
    if !server.schema_installed().map_err(remote_error)? {
        server.install_schema().map_err(remote_error)?;
    }
    let name = name
        .map(str::to_string)
        .unwrap_or_else(|| default_team_name(ws));
    let info = server.create_team(&name).map_err(remote_error)?;
    let mut remote = server.open_team(&info.name).map_err(remote_error)?;
    let replica = new_replica_uid(ws)?;
    remote.register_replica(&replica).map_err(remote_error)?;
    let st = SyncState {
        team: info.name.clone(),
        server: parsed.redacted(),
        replica: replica.clone(),
        role: remote.role().to_string(),
        last_pulled: 0,
        last_sync: None,
        last_error: None,
    };
    let at = now();
    ws.with_tx(|tx| sync::start(tx, &st, &at).map(|_| ()))?;
    dossier_sync::sync_once(ws, &mut remote).map_err(sync_error)?;
    Ok(Joined {
        team: st.team,
        server: st.server,
        replica,
        password_kept: keep_password(&parsed),
    })
}

/// Fills this (empty) workspace from the team on the server at `url`.
pub fn join(ws: &mut Workspace, url: &str, name: Option<&str>) -> Result<Joined, CommandError> {
    if sync::state(ws.conn())?.is_some() {
        return Err(CommandError::new(
            "already_a_team",
            "this workspace already belongs to a team (see `dossier team status`)",
        ));
    }
    if !sync::is_empty(ws.conn())? {
        return Err(CommandError::new(
            "workspace_not_empty",
            "a team can only be joined from an empty workspace: this one holds sources or other work; use a new file (--db) or make it a team with `dossier team init`",
        ));
    }
    let parsed = parse_url(url)?;
    let mut server = PgServer::connect(url).map_err(remote_error)?;
    let name = match name {
        Some(n) => n.to_string(),
        None => {
            let teams = server.teams().map_err(remote_error)?;
            match teams.as_slice() {
                [one] => one.name.clone(),
                [] => {
                    return Err(CommandError::new(
                        "server_refused",
                        "you are a member of no team on that server (ask the team's owner to run `dossier team grant`)",
                    ));
                }
                many => {
                    let names: Vec<&str> = many.iter().map(|t| t.name.as_str()).collect();
                    return Err(CommandError::new(
                        "invalid_input",
                        format!(
                            "you belong to several teams there ({}); say which with --name",
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
    };
    let mut remote = server.open_team(&name).map_err(remote_error)?;
    let replica = new_replica_uid(ws)?;
    remote.register_replica(&replica).map_err(remote_error)?;
    let st = SyncState {
        team: name,
        server: parsed.redacted(),
        replica: replica.clone(),
        role: remote.role().to_string(),
        last_pulled: 0,
        last_sync: None,
        last_error: None,
    };
    let at = now();
    ws.with_tx(|tx| sync::start(tx, &st, &at).map(|_| ()))?;
    // The team's work first, so what this workspace was seeded with meets it and merges.
    engine::pull(ws, &mut remote, engine::BATCH).map_err(sync_error)?;
    dossier_sync::sync_once(ws, &mut remote).map_err(sync_error)?;
    Ok(Joined {
        team: st.team,
        server: st.server,
        replica,
        password_kept: keep_password(&parsed),
    })
}

fn connect(st: &SyncState) -> Result<PgRemote, CommandError> {
    PgRemote::connect(&st.server, &st.team).map_err(remote_error)
}

/// Pushes and pulls once. Unreachable server: an error, and every change stays queued.
pub fn sync_now(ws: &mut Workspace) -> Result<SyncReport, CommandError> {
    let st = state(ws)?;
    let mut remote = match connect(&st) {
        Ok(r) => r,
        Err(e) => {
            let at = now();
            let _ = ws.with_tx(|tx| sync::record_attempt(tx, &at, Some(&e.message)));
            return Err(e);
        }
    };
    let head = remote.log_head().map_err(remote_error)?;
    if head < st.last_pulled {
        return Err(CommandError::new(
            "server_behind",
            format!(
                "the team server's log ends at change {head}, but this workspace already applied up to {}: the server was restored from an older backup; nothing was synced — ask the team's DBA",
                st.last_pulled
            ),
        ));
    }
    dossier_sync::sync_once(ws, &mut remote).map_err(sync_error)
}

pub fn status(ws: &Workspace) -> Result<Status, CommandError> {
    let st = state(ws)?;
    Ok(Status {
        pending: sync::pending_count(ws.conn())?,
        conflicts: sync::open_conflicts(ws.conn())?,
        team: st.team,
        server: st.server,
        replica: st.replica,
        role: st.role,
        last_sync: st.last_sync,
        last_error: st.last_error,
    })
}

/// Lets an existing PostgreSQL role into the team (only the team's owner may).
pub fn grant(ws: &Workspace, role: &str) -> Result<(), CommandError> {
    let st = state(ws)?;
    connect(&st)?.grant(role).map_err(remote_error)
}

pub fn revoke(ws: &Workspace, role: &str) -> Result<(), CommandError> {
    let st = state(ws)?;
    connect(&st)?.revoke(role).map_err(remote_error)
}

pub fn conflicts(ws: &Workspace, all: bool) -> Result<Vec<Conflict>, CommandError> {
    Ok(sync::conflicts(ws.conn(), all)?)
}

pub fn resolve(ws: &mut Workspace, id: i64, keep: Keep) -> Result<Conflict, CommandError> {
    let at = now();
    Ok(ws.with_tx(|tx| sync::resolve(tx, id, keep, &at))?)
}

/// The team's state for the app's status bar: `None` when the workspace is not a team's, so
/// the window shows nothing rather than an error every minute.
pub fn status_if_team(ws: &Workspace) -> Result<Option<Status>, CommandError> {
    if sync::state(ws.conn())?.is_none() {
        return Ok(None);
    }
    status(ws).map(Some)
}

/// An open conflict with a few words naming the item, so the app can show which excerpt or
/// source it is about rather than a uid.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ListedConflict {
    #[serde(flatten)]
    #[ts(flatten)]
    pub conflict: Conflict,
    /// The excerpt's quote, the source's or briefing's title, the follow-up's question.
    pub label: Option<String>,
    /// The item's local id, when it is still in this workspace.
    pub item_id: Option<i64>,
    /// For an excerpt, its source's local id (where the app opens it).
    pub source_id: Option<i64>,
}

/// Open conflicts (every one with `all`), each with its item's label.
pub fn conflicts_listed(ws: &Workspace, all: bool) -> Result<Vec<ListedConflict>, CommandError> {
    conflicts(ws, all)?
        .into_iter()
        .map(|conflict| {
            let (item_id, label, source_id) = describe(ws, &conflict.table, &conflict.item_uid)?;
            Ok(ListedConflict {
                conflict,
                label,
                item_id,
                source_id,
            })
        })
        .collect()
}

/// A conflict's item as the app names it: its local id, its label, and its source's id.
type Described = (Option<i64>, Option<String>, Option<i64>);

/// The item a conflict is about, by table: only tables the app can name are looked up.
fn describe(ws: &Workspace, table: &str, uid: &str) -> Result<Described, CommandError> {
    // A fixed list: the table name comes from the workspace, and is never spliced in otherwise.
    let sql = match table {
        "excerpt" => "SELECT id, quote, source_id FROM excerpt WHERE uid = ?1",
        "source" => "SELECT id, title, NULL FROM source WHERE uid = ?1",
        "followup" => "SELECT id, question, NULL FROM followup WHERE uid = ?1",
        "briefing" => "SELECT id, title, NULL FROM briefing WHERE uid = ?1",
        _ => return Ok((None, None, None)),
    };
    use rusqlite::OptionalExtension;
    let row = ws
        .conn()
        .query_row(sql, [uid], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })
        .optional()
        .map_err(dossier_store::StoreError::from)?;
    Ok(match row {
        Some((id, label, source)) => (Some(id), Some(label), source),
        None => (None, None, None),
    })
}

/// Who last changed an item, and when: what an item's detail shows in a team workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LastChanged {
    /// The PostgreSQL role of the analyst who made the change.
    pub by: String,
    pub at: String,
}

/// Who last changed the excerpt with this local id; `None` outside a team, or when no change
/// to it was recorded (made before the workspace became a team's).
pub fn excerpt_last_changed(ws: &Workspace, id: i64) -> Result<Option<LastChanged>, CommandError> {
    if sync::state(ws.conn())?.is_none() {
        return Ok(None);
    }
    use rusqlite::OptionalExtension;
    let uid: Option<String> = ws
        .conn()
        .query_row("SELECT uid FROM excerpt WHERE id = ?1", [id], |r| r.get(0))
        .optional()
        .map_err(dossier_store::StoreError::from)?
        .flatten();
    let Some(uid) = uid else {
        return Ok(None);
    };
    Ok(sync::last_changed(ws.conn(), "excerpt", &uid)?.map(|(by, at)| LastChanged { by, at }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workspace_that_is_not_a_teams_has_no_team_state_and_no_author() {
        let dir = tempfile::tempdir().unwrap();
        let ws = crate::workspace::open(&dir.path().join("ws.sqlite")).unwrap();
        assert_eq!(
            status_if_team(&ws).unwrap(),
            None,
            "the app shows no team item, rather than an error every minute"
        );
        assert_eq!(excerpt_last_changed(&ws, 1).unwrap(), None);
        assert_eq!(conflicts_listed(&ws, true).unwrap(), vec![]);
        assert_eq!(
            status(&ws).unwrap_err().code,
            "not_a_team",
            "`team status` still says why"
        );
    }
}
