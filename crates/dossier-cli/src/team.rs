//! `dossier team`, `dossier sync` and `dossier conflict`: a team workspace on PostgreSQL.

use clap::{Subcommand, ValueEnum};
use dossier_api::team as api;
use dossier_store::Workspace;
use dossier_store::sync::Keep;
use serde_json::json;

use crate::print::{Out, or_dash, terminal_safe};

#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Make this workspace a team workspace on a PostgreSQL server (installing the server's
    /// schema if needed) and send it everything here
    Init {
        /// A libpq connection string: postgres://ROLE@HOST:PORT/DB?sslmode=verify-full&sslrootcert=CA.pem
        url: String,
        /// The team's name [default: the workspace file's name]
        #[arg(long)]
        name: Option<String>,
    },
    /// Fill this empty workspace from a team you are a member of
    Join {
        url: String,
        /// The team [default: the only one you belong to on that server]
        #[arg(long)]
        name: Option<String>,
    },
    /// The team, the server, changes waiting, the last sync and open conflicts (no network)
    Status,
    /// Let an existing PostgreSQL role into the team (the team's owner only)
    Grant { role: String },
    /// Take a role out of the team (the team's owner only)
    Revoke { role: String },
}

#[derive(Debug, Subcommand)]
pub enum ConflictCmd {
    /// Concurrent edits kept aside: the value you wrote and the other
    List {
        /// Resolved ones too
        #[arg(long)]
        all: bool,
    },
    /// Settle a conflict: keep your value or theirs (the choice syncs to the team)
    Resolve {
        id: i64,
        #[arg(long, value_enum)]
        keep: KeepArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeepArg {
    Mine,
    Theirs,
}

/// A password given in the URL that no keyring could keep: the next sync will not find it.
fn warn_password(j: &api::Joined) {
    if j.password_kept == Some(false) {
        eprintln!(
            "note: the password in the URL was not kept (no system keyring here); for the next syncs put it in ~/.pgpass (chmod 600) or PGPASSWORD"
        );
    }
}

pub fn writes(cmd: &TeamCmd) -> bool {
    matches!(cmd, TeamCmd::Init { .. } | TeamCmd::Join { .. })
}

pub fn team(ws: &mut Workspace, cmd: TeamCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        TeamCmd::Init { url, name } => {
            let j = api::init(ws, &url, name.as_deref())?;
            warn_password(&j);
            out.done(
                &json!(j),
                &format!(
                    "this workspace is now team {} on {} (replica {})",
                    terminal_safe(&j.team),
                    terminal_safe(&j.server),
                    j.replica
                ),
            );
        }
        TeamCmd::Join { url, name } => {
            let j = api::join(ws, &url, name.as_deref())?;
            warn_password(&j);
            out.done(
                &json!(j),
                &format!(
                    "joined team {} on {} (replica {})",
                    terminal_safe(&j.team),
                    terminal_safe(&j.server),
                    j.replica
                ),
            );
        }
        TeamCmd::Status => {
            let s = api::status(ws)?;
            out.done(
                &json!(s),
                &format!(
                    "team       {}\nserver     {}\nyou        {}\nreplica    {}\nwaiting    {} change(s)\nlast sync  {}\nconflicts  {}{}",
                    terminal_safe(&s.team),
                    terminal_safe(&s.server),
                    terminal_safe(&s.role),
                    s.replica,
                    s.pending,
                    or_dash(s.last_sync.as_deref()),
                    s.conflicts,
                    s.last_error
                        .as_deref()
                        .map(|e| format!("\nlast error {}", terminal_safe(e)))
                        .unwrap_or_default()
                ),
            );
        }
        TeamCmd::Grant { role } => {
            api::grant(ws, &role)?;
            out.done(
                &json!({"granted": role}),
                &format!("{} is now a member of the team", terminal_safe(&role)),
            );
        }
        TeamCmd::Revoke { role } => {
            api::revoke(ws, &role)?;
            out.done(
                &json!({"revoked": role}),
                &format!("{} is no longer a member of the team", terminal_safe(&role)),
            );
        }
    }
    Ok(())
}

pub fn sync(ws: &mut Workspace, out: &Out) -> anyhow::Result<()> {
    let r = api::sync_now(ws)?;
    out.done(
        &json!(r),
        &format!(
            "pushed {}, pulled {}, {} conflict(s) open",
            r.pushed, r.pulled, r.conflicts
        ),
    );
    Ok(())
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(deleted)".into(),
        serde_json::Value::String(s) => terminal_safe(s).into_owned(),
        other => terminal_safe(&other.to_string()).into_owned(),
    }
}

pub fn conflict(ws: &mut Workspace, cmd: ConflictCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        ConflictCmd::List { all } => {
            let list = api::conflicts(ws, all)?;
            let rows: Vec<_> = list
                .iter()
                .map(|c| {
                    json!({
                        "id": c.id, "uid": c.uid, "item_uid": c.item_uid, "kind": c.kind,
                        "table": c.table, "field": c.field, "mine": c.mine, "theirs": c.theirs,
                        "by": c.by, "at": c.at, "showing": c.showing, "resolved": c.resolved,
                    })
                })
                .collect();
            let mut text = String::new();
            for c in &list {
                text.push_str(&format!(
                    "#{} {} {} {}{}\n  mine:   {}\n  theirs: {} (by {}, {})\n",
                    c.id,
                    c.kind,
                    c.table,
                    c.item_uid,
                    c.field
                        .as_deref()
                        .map(|f| format!(" · {f}"))
                        .unwrap_or_default(),
                    show(&c.mine),
                    show(&c.theirs),
                    terminal_safe(&c.by),
                    c.at
                ));
            }
            if list.is_empty() {
                text.push_str("no conflicts\n");
            }
            out.done(&json!(rows), text.trim_end());
        }
        ConflictCmd::Resolve { id, keep } => {
            let keep = match keep {
                KeepArg::Mine => Keep::Mine,
                KeepArg::Theirs => Keep::Theirs,
            };
            let c = api::resolve(ws, id, keep)?;
            out.done(
                &json!({"id": c.id, "uid": c.uid, "resolved": c.resolved}),
                &format!(
                    "conflict {} resolved; it syncs at the next `dossier sync`",
                    c.id
                ),
            );
        }
    }
    Ok(())
}
