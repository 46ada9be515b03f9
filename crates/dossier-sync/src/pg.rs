//! The team's server: PostgreSQL, reached with the `postgres` crate over rustls.
//!
//! ```no_run
//! use dossier_sync::pg::PgServer;
//! use dossier_sync::Remote;
//! # fn main() -> Result<(), dossier_sync::RemoteError> {
//! let mut server = PgServer::connect("postgres://alice@db.example/desk?sslmode=verify-full")?;
//! server.install_schema()?;
//! let team = server.create_team("Canada-US trade")?;
//! let mut remote = server.open_team(&team.name)?;
//! remote.grant("bob")?;
//! let seqs = remote.push(&[])?;
//! let newer = remote.pull(0, 500)?;
//! # let _ = (seqs, newer); Ok(()) }
//! ```

use std::collections::HashMap;
use std::time::Duration;

use postgres::config::SslMode as PgSslMode;
use postgres::error::SqlState;
use postgres::{Client, IsolationLevel};
use serde_json::Value;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::password;
use crate::remote::{Remote, RemoteError};
use crate::url::{SslMode, TeamUrl};
use crate::{Change, Op};

const SCHEMA_SQL: &str = include_str!("schema.sql");
/// What `COMMENT ON SCHEMA dossier` says once this version of the schema is installed.
const SCHEMA_MARK: &str = "Dossier team workspaces, schema 1";
/// An advisory lock key serializing schema installs (two `team init` at once).
const INSTALL_LOCK: i64 = 0x646f_7373_6965_7231; // "dossier1"
/// How long a push waits for another push to the same team before giving up (and retrying later).
const PUSH_LOCK_WAIT: &str = "30s";
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A team as the server knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamInfo {
    /// The team's id (a UUID).
    pub uid: String,
    pub name: String,
    /// The role that created it, the only one who can grant and revoke membership.
    pub owner: String,
    /// Whether its log is refused to connections without TLS (true unless a DBA changed it).
    pub require_tls: bool,
}

/// A member of a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub role: String,
    pub granted_by: String,
    /// When the membership was granted (RFC 3339, UTC).
    pub at: String,
}

/// A connection to a team server, not yet bound to a team.
pub struct PgServer {
    client: Client,
    role: String,
    url: TeamUrl,
    tls: bool,
}

/// A connection bound to one team: the team's log, as a [`Remote`].
pub struct PgRemote {
    server: PgServer,
    team: TeamInfo,
}

impl std::fmt::Debug for PgServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgServer")
            .field("url", &self.url.redacted())
            .field("role", &self.role)
            .field("tls", &self.tls)
            .finish()
    }
}

impl std::fmt::Debug for PgRemote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgRemote")
            .field("server", &self.server)
            .field("team", &self.team)
            .finish()
    }
}

impl PgServer {
    /// Connects with a team URL (libpq syntax), the password found in libpq's order (see
    /// [`crate::password`]), TLS as its `sslmode` says (`require` when it says nothing).
    pub fn connect(url: &str) -> Result<PgServer, RemoteError> {
        let url = TeamUrl::parse(url).map_err(RemoteError::Other)?;
        PgServer::connect_url(&url, &crate::url::process_env)
    }

    /// Connects with a parsed URL, reading the environment through `env`.
    pub fn connect_url(url: &TeamUrl, env: crate::url::Env<'_>) -> Result<PgServer, RemoteError> {
        let mut config = postgres::Config::new();
        config.user(&url.user).dbname(&url.dbname).port(url.port);
        if url.is_socket() {
            config.host_path(&url.host);
        } else {
            config.host(&url.host);
        }
        if let Some(a) = url.hostaddr {
            config.hostaddr(a);
        }
        config.connect_timeout(url.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT));
        config
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30));
        config.application_name(url.application_name.as_deref().unwrap_or("dossier"));
        if let Some(o) = &url.options {
            config.options(o);
        }
        if let Some((pw, _)) = password::find(url, env) {
            config.password(pw);
        }
        // No TLS over a Unix socket (as libpq).
        let sslmode = if url.is_socket() {
            SslMode::Disable
        } else {
            url.sslmode
        };
        config.ssl_mode(match sslmode {
            SslMode::Disable => PgSslMode::Disable,
            SslMode::Prefer => PgSslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => PgSslMode::Require,
        });
        let tls_url = TeamUrl {
            sslmode,
            ..url.clone()
        };
        let tls = crate::tls::client_config(&tls_url).map_err(RemoteError::Other)?;
        let where_ = format!("{}:{}", url.host, url.port);
        let connected = match tls {
            Some(cfg) => config.connect(MakeRustlsConnect::new(cfg)),
            None => config.connect(postgres::NoTls),
        };
        let mut client = connected.map_err(|e| connect_error(&e, url, &where_))?;
        let row = client
            .query_one(
                "SELECT current_user::text, dossier_tls FROM (SELECT coalesce((SELECT ssl FROM \
                 pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()), false) AS \
                 dossier_tls) s",
                &[],
            )
            .map_err(|e| classify(&e))?;
        Ok(PgServer {
            client,
            role: row.get(0),
            tls: row.get(1),
            url: url.clone(),
        })
    }

    /// The role this connection acts as.
    pub fn role(&self) -> &str {
        &self.role
    }

    /// Whether the connection is encrypted.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The URL connected to, without its password.
    pub fn url(&self) -> &TeamUrl {
        &self.url
    }

    /// Whether the connection has died (the server stopped, the network dropped): reconnect.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Whether this version of the server schema is installed.
    pub fn schema_installed(&mut self) -> Result<bool, RemoteError> {
        let row = self
            .client
            .query_one(
                "SELECT pg_catalog.obj_description(n.oid, 'pg_namespace') FROM \
                 pg_catalog.pg_namespace n WHERE n.nspname = 'dossier' UNION ALL SELECT NULL \
                 LIMIT 1",
                &[],
            )
            .map_err(|e| classify(&e))?;
        let mark: Option<String> = row.get(0);
        Ok(mark.as_deref() == Some(SCHEMA_MARK))
    }

    /// Installs the server schema (schema `dossier`) if this version is not there yet; running
    /// it again does nothing. The installing role owns the schema: a DBA's role, ideally.
    pub fn install_schema(&mut self) -> Result<(), RemoteError> {
        if self.schema_installed()? {
            return Ok(());
        }
        let mut tx = self.client.transaction().map_err(|e| classify(&e))?;
        tx.execute(
            "SELECT pg_catalog.pg_advisory_xact_lock($1)",
            &[&INSTALL_LOCK],
        )
        .map_err(|e| classify(&e))?;
        // Another install may have finished while this one waited for the lock.
        let done: Option<String> = tx
            .query_one(
                "SELECT pg_catalog.obj_description(n.oid, 'pg_namespace') FROM \
                 pg_catalog.pg_namespace n WHERE n.nspname = 'dossier' UNION ALL SELECT NULL \
                 LIMIT 1",
                &[],
            )
            .map_err(|e| classify(&e))?
            .get(0);
        if done.as_deref() != Some(SCHEMA_MARK) {
            tx.batch_execute(SCHEMA_SQL).map_err(|e| {
                let err = classify(&e);
                match err {
                    RemoteError::Refused(m) => RemoteError::Refused(format!(
                        "installing the team schema: {m} (the role needs CREATE on the database)"
                    )),
                    other => other,
                }
            })?;
        }
        tx.commit().map_err(|e| classify(&e))
    }

    /// Creates a team owned by this role, which becomes its first member.
    pub fn create_team(&mut self, name: &str) -> Result<TeamInfo, RemoteError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(RemoteError::Other("a team needs a name".into()));
        }
        let row = self
            .client
            .query_one(
                "SELECT id::text, name, owner::text, require_tls FROM dossier.create_team($1)",
                &[&name],
            )
            .map_err(|e| self.schema_hint(e))?;
        Ok(team_from_row(&row))
    }

    /// The team named `name`, if this role belongs to it (and may use it over this connection);
    /// the connection then serves that team's log.
    pub fn open_team(mut self, name: &str) -> Result<PgRemote, RemoteError> {
        let rows = self
            .client
            .query(
                "SELECT t.id::text, t.name, t.owner::text, t.require_tls FROM dossier.team t \
                 WHERE t.name = $1 AND EXISTS (SELECT 1 FROM dossier.member m WHERE m.team = t.id \
                 AND m.role = current_user)",
                &[&name],
            )
            .map_err(|e| self.schema_hint(e))?;
        let Some(row) = rows.first() else {
            return Err(RemoteError::Refused(format!(
                "you ({}) are not a member of team \"{name}\" (or it does not exist)",
                self.role
            )));
        };
        let team = team_from_row(row);
        self.client
            .execute("SELECT dossier.assert_access($1::text::uuid)", &[&team.uid])
            .map_err(|e| classify(&e))?;
        Ok(PgRemote { server: self, team })
    }

    /// The teams this role belongs to.
    pub fn teams(&mut self) -> Result<Vec<TeamInfo>, RemoteError> {
        let rows = self
            .client
            .query(
                "SELECT t.id::text, t.name, t.owner::text, t.require_tls FROM dossier.team t \
                 WHERE EXISTS (SELECT 1 FROM dossier.member m WHERE m.team = t.id AND m.role = \
                 current_user) ORDER BY t.name",
                &[],
            )
            .map_err(|e| self.schema_hint(e))?;
        Ok(rows.iter().map(team_from_row).collect())
    }

    /// Runs SQL as this role (tests, administration).
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    fn schema_hint(&self, e: postgres::Error) -> RemoteError {
        if e.code() == Some(&SqlState::UNDEFINED_TABLE)
            || e.code() == Some(&SqlState::INVALID_SCHEMA_NAME)
            || e.code() == Some(&SqlState::UNDEFINED_FUNCTION)
        {
            return RemoteError::Other(format!(
                "database \"{}\" has no Dossier team schema yet (dossier team init installs it)",
                self.url.dbname
            ));
        }
        classify(&e)
    }
}

fn team_from_row(row: &postgres::Row) -> TeamInfo {
    TeamInfo {
        uid: row.get(0),
        name: row.get(1),
        owner: row.get(2),
        require_tls: row.get(3),
    }
}

impl PgRemote {
    /// Connects and opens a team in one step.
    pub fn connect(url: &str, team: &str) -> Result<PgRemote, RemoteError> {
        PgServer::connect(url)?.open_team(team)
    }

    pub fn team(&self) -> &TeamInfo {
        &self.team
    }

    pub fn server(&mut self) -> &mut PgServer {
        &mut self.server
    }

    /// Whether the connection has died: reconnect.
    pub fn is_closed(&self) -> bool {
        self.server.is_closed()
    }

    /// Makes an existing PostgreSQL role a member (only the team's owner can).
    pub fn grant(&mut self, role: &str) -> Result<(), RemoteError> {
        self.server
            .client
            .execute(
                "SELECT dossier.grant($1::text::uuid, $2)",
                &[&self.team.uid, &role],
            )
            .map(|_| ())
            .map_err(|e| classify(&e))
    }

    /// Ends a role's membership (only the team's owner can; the owner stays).
    pub fn revoke(&mut self, role: &str) -> Result<(), RemoteError> {
        self.server
            .client
            .execute(
                "SELECT dossier.revoke($1::text::uuid, $2)",
                &[&self.team.uid, &role],
            )
            .map(|_| ())
            .map_err(|e| classify(&e))
    }

    /// The team's members, oldest first.
    pub fn members(&mut self) -> Result<Vec<Member>, RemoteError> {
        let rows = self
            .server
            .client
            .query(
                "SELECT role, granted_by, to_char(at AT TIME ZONE 'UTC', \
                 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM dossier.members($1::text::uuid)",
                &[&self.team.uid],
            )
            .map_err(|e| classify(&e))?;
        Ok(rows
            .iter()
            .map(|r| Member {
                role: r.get(0),
                granted_by: r.get(1),
                at: r.get(2),
            })
            .collect())
    }

    /// Records that this replica syncs with the team (again: its `last_seen` moves on).
    pub fn register_replica(&mut self, replica_uid: &str) -> Result<(), RemoteError> {
        self.server
            .client
            .execute(
                "INSERT INTO dossier.replica (team, replica) SELECT $1::text::uuid, $2 WHERE \
                 dossier.assert_access($1::text::uuid) ON CONFLICT (team, replica) DO UPDATE SET \
                 last_seen = now()",
                &[&self.team.uid, &replica_uid],
            )
            .map(|_| ())
            .map_err(|e| classify(&e))
    }

    /// The position of the team's last change (0 for an empty log): cheap, for status.
    pub fn log_head(&mut self) -> Result<i64, RemoteError> {
        let row = self
            .server
            .client
            .query_one(
                "SELECT coalesce(max(seq), 0) FROM dossier.change WHERE team = $1::text::uuid \
                 AND dossier.assert_access($1::text::uuid)",
                &[&self.team.uid],
            )
            .map_err(|e| classify(&e))?;
        Ok(row.get(0))
    }
}

/// About how many bytes of changes (as the server stores them) one pull brings.
const PULL_BYTES: i64 = 32 << 20;

const PULL_COLUMNS: &str = "seq, change_uid, tx_uid, replica, tbl, row_uid, op, old, new, \
    made_at, author::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

fn change_from_row(row: &postgres::Row) -> Result<Change, RemoteError> {
    let op: String = row.get(6);
    Ok(Change {
        seq: Some(row.get(0)),
        change_uid: row.get(1),
        tx_uid: row.get(2),
        replica: row.get(3),
        tbl: row.get(4),
        row_uid: row.get(5),
        op: Op::parse(&op)
            .ok_or_else(|| RemoteError::Other(format!("the log holds an unknown op \"{op}\"")))?,
        old: row.get::<_, Option<Value>>(7),
        new: row.get::<_, Option<Value>>(8),
        made_at: row.get(9),
        author: Some(row.get(10)),
        at: Some(row.get(11)),
    })
}

impl Remote for PgRemote {
    fn role(&self) -> &str {
        &self.server.role
    }

    fn push(&mut self, changes: &[Change]) -> Result<Vec<i64>, RemoteError> {
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        let team = self.team.uid.clone();
        let mut tx = self
            .server
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::ReadCommitted)
            .start()
            .map_err(|e| classify(&e))?;
        tx.batch_execute(&format!("SET LOCAL lock_timeout = '{PUSH_LOCK_WAIT}'"))
            .map_err(|e| classify(&e))?;
        // The team's lock before any position is given (the insert trigger takes it too); held
        // until commit, so no other push to this team runs meanwhile.
        tx.execute(
            "SELECT pg_catalog.pg_advisory_xact_lock(dossier.team_lock($1::text::uuid)) \
             WHERE dossier.assert_access($1::text::uuid)",
            &[&team],
        )
        .map_err(|e| classify(&e))?;
        // What the log already holds (a retry after a lost answer) is not sent again.
        let all_uids: Vec<&str> = changes.iter().map(|c| c.change_uid.as_str()).collect();
        let mut seqs: HashMap<String, i64> = tx
            .query(
                "SELECT change_uid, seq FROM dossier.change WHERE team = $1::text::uuid AND \
                 change_uid = ANY($2::text[])",
                &[&team, &all_uids],
            )
            .map_err(|e| classify(&e))?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let mut seen = std::collections::HashSet::new();
        let fresh: Vec<&Change> = changes
            .iter()
            .filter(|c| !seqs.contains_key(&c.change_uid) && seen.insert(c.change_uid.as_str()))
            .collect();
        if !fresh.is_empty() {
            let n = fresh.len();
            let mut change_uid = Vec::with_capacity(n);
            let mut tx_uid = Vec::with_capacity(n);
            let mut replica = Vec::with_capacity(n);
            let mut tbl = Vec::with_capacity(n);
            let mut row_uid = Vec::with_capacity(n);
            let mut op = Vec::with_capacity(n);
            let mut old = Vec::with_capacity(n);
            let mut new = Vec::with_capacity(n);
            let mut made_at = Vec::with_capacity(n);
            for c in &fresh {
                change_uid.push(c.change_uid.as_str());
                tx_uid.push(c.tx_uid.as_str());
                replica.push(c.replica.as_str());
                tbl.push(c.tbl.as_str());
                row_uid.push(c.row_uid.as_str());
                op.push(c.op.as_str());
                old.push(c.old.as_ref());
                new.push(c.new.as_ref());
                made_at.push(c.made_at.as_str());
            }
            let rows = tx
                .query(
                    "INSERT INTO dossier.change (team, change_uid, tx_uid, replica, tbl, row_uid, \
                     op, old, new, made_at, seq) \
                     SELECT $1::text::uuid, u.change_uid, u.tx_uid, u.replica, u.tbl, u.row_uid, \
                     u.op, u.old, u.new, u.made_at, 0 \
                     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                     $7::text[], $8::json[], $9::json[], $10::text[]) WITH ORDINALITY \
                     AS u(change_uid, tx_uid, replica, tbl, row_uid, op, old, new, made_at, ord) \
                     ORDER BY u.ord \
                     ON CONFLICT (team, change_uid) DO NOTHING \
                     RETURNING change_uid, seq",
                    &[
                        &team,
                        &change_uid,
                        &tx_uid,
                        &replica,
                        &tbl,
                        &row_uid,
                        &op,
                        &old,
                        &new,
                        &made_at,
                    ],
                )
                .map_err(|e| classify(&e))?;
            seqs.extend(rows.iter().map(|r| (r.get(0), r.get(1))));
        }
        tx.commit().map_err(|e| classify(&e))?;
        changes
            .iter()
            .map(|c| {
                seqs.get(&c.change_uid).copied().ok_or_else(|| {
                    RemoteError::Other(format!(
                        "the server did not record change {} (refused by its policies?)",
                        c.change_uid
                    ))
                })
            })
            .collect()
    }

    fn pull(&mut self, after: i64, limit: usize) -> Result<Vec<Change>, RemoteError> {
        self.pull_within(after, limit, PULL_BYTES)
    }
}

impl PgRemote {
    /// A pull of at most `limit` changes and about `bytes` of them (as stored; at least one
    /// change, and never part of a transaction).
    pub fn pull_within(
        &mut self,
        after: i64,
        limit: usize,
        bytes: i64,
    ) -> Result<Vec<Change>, RemoteError> {
        let limit = limit.clamp(1, 1_000_000) as i64;
        let team = &self.team.uid;
        let mut tx = self
            .server
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| classify(&e))?;
        // At most `limit` changes and about PULL_BYTES of them (as stored, so cheap to sum):
        // kept originals make some changes large. Always at least one.
        let rows = tx
            .query(
                &format!(
                    "SELECT {PULL_COLUMNS} FROM (SELECT *, sum(size) OVER (ORDER BY seq) - size \
                     AS before FROM (SELECT *, coalesce(pg_catalog.pg_column_size(old), 0) + \
                     coalesce(pg_catalog.pg_column_size(new), 0) AS size FROM dossier.change \
                     WHERE team = $1::text::uuid AND seq > $2 AND \
                     dossier.assert_access($1::text::uuid) ORDER BY seq LIMIT $3) c) c \
                     WHERE before < $4 ORDER BY seq"
                ),
                &[team, &after, &limit, &bytes],
            )
            .map_err(|e| classify(&e))?;
        let mut out = rows
            .iter()
            .map(change_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        // Never end in the middle of a transaction: take the rest of the last one (when the
        // next change in the log is of the same one).
        let continues = match out.last() {
            Some(last) => {
                let next: Option<String> = tx
                    .query_opt(
                        "SELECT tx_uid FROM dossier.change WHERE team = $1::text::uuid AND \
                         seq = $2",
                        &[team, &(last.seq.unwrap_or(after) + 1)],
                    )
                    .map_err(|e| classify(&e))?
                    .map(|r| r.get(0));
                next.as_deref() == Some(last.tx_uid.as_str())
            }
            None => false,
        };
        if continues {
            loop {
                let last = out.last().expect("non-empty");
                let (last_seq, last_tx) = (last.seq.unwrap_or(after), last.tx_uid.clone());
                let more = tx
                    .query(
                        &format!(
                            "SELECT {PULL_COLUMNS} FROM dossier.change WHERE team = \
                             $1::text::uuid AND seq > $2 ORDER BY seq LIMIT 500"
                        ),
                        &[team, &last_seq],
                    )
                    .map_err(|e| classify(&e))?;
                let fetched = more.len();
                let mut ended = false;
                for row in &more {
                    let c = change_from_row(row)?;
                    if c.tx_uid != last_tx {
                        ended = true;
                        break;
                    }
                    out.push(c);
                }
                if ended || fetched < 500 {
                    break;
                }
            }
        }
        tx.commit().map_err(|e| classify(&e))?;
        Ok(out)
    }
}

/// A connection attempt's failure, in words a user can act on.
fn connect_error(e: &postgres::Error, url: &TeamUrl, where_: &str) -> RemoteError {
    match classify(e) {
        RemoteError::Unreachable(m) => RemoteError::Unreachable(format!("{where_}: {m}")),
        RemoteError::Refused(m) if e.code() == Some(&SqlState::INVALID_PASSWORD) => {
            RemoteError::Refused(format!(
                "{m} (password looked up in the URL, PGPASSWORD, the keyring and the password \
                 file, for {})",
                url.identity()
            ))
        }
        RemoteError::Refused(m) => RemoteError::Refused(format!("{where_}: {m}")),
        RemoteError::Other(m) => RemoteError::Other(format!("{where_}: {m}")),
    }
}

/// Sorts a PostgreSQL error into "cannot reach the server" (try again later, changes stay
/// queued) and "the server said no" (authentication, TLS, permissions).
pub fn classify(e: &postgres::Error) -> RemoteError {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        let msg = db.message().to_string();
        return match &code[..2] {
            // connection exception, insufficient resources, operator intervention (shutdown),
            // system error; a lock held too long by another push.
            "08" | "53" | "57" | "58" => RemoteError::Unreachable(msg),
            _ if code == "55P03" => RemoteError::Unreachable(format!(
                "the team's log is busy (another push holds it): {msg}"
            )),
            // invalid authorization, privileges and RLS, no such database.
            "28" | "42" | "3D" => RemoteError::Refused(msg),
            _ => RemoteError::Other(msg),
        };
    }
    let text = error_chain(e);
    if e.is_closed() {
        return RemoteError::Unreachable(text);
    }
    if text.starts_with("error performing TLS handshake") {
        return RemoteError::Refused(if text.contains("server does not support TLS") {
            "the server does not accept TLS connections, and this URL requires TLS \
             (sslmode=require or stricter)"
                .to_string()
        } else {
            text
        });
    }
    if text.starts_with("invalid configuration") && text.contains("password missing") {
        return RemoteError::Refused(
            "the server asks for a password and none was found (URL, PGPASSWORD, keyring, \
             ~/.pgpass)"
                .into(),
        );
    }
    if text.starts_with("authentication error") {
        return RemoteError::Refused(text);
    }
    if text.starts_with("error connecting to server")
        || text.starts_with("error communicating with the server")
        || text.starts_with("timeout")
        || text.starts_with("connection closed")
        || text.starts_with("unexpected EOF")
    {
        return RemoteError::Unreachable(text);
    }
    RemoteError::Other(text)
}

fn error_chain(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}
