//! What travels between a replica and its team's server: one change of one synced row.
//!
//! A change carries the row's whole image before and after (with references to other rows given
//! by their uids, never by local ids), so every replica can apply it, tell whether it was made
//! without knowing of another edit, and keep the value it displaced.

use serde::{Deserialize, Serialize};

/// What happened to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        match s {
            "insert" => Some(Op::Insert),
            "update" => Some(Op::Update),
            "delete" => Some(Op::Delete),
            _ => None,
        }
    }
}

/// One change of one synced row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Unique id of this change: pushing it twice adds it to the log once.
    pub change_uid: String,
    /// The local transaction it was made in; a transaction's changes are pushed together and
    /// get consecutive positions in the log.
    pub tx_uid: String,
    /// The replica that made it.
    pub replica: String,
    /// The table, e.g. `excerpt`.
    pub tbl: String,
    /// The row's uid (for link tables, made of the uids of what they link).
    pub row_uid: String,
    pub op: Op,
    /// The row before (update, delete), as a JSON object of column → value.
    pub old: Option<serde_json::Value>,
    /// The row after (insert, update).
    pub new: Option<serde_json::Value>,
    /// When the replica made it, by the replica's clock (shown; never used to order).
    pub made_at: String,
    /// Set by the server: the change's position in the team's log.
    pub seq: Option<i64>,
    /// Set by the server: the PostgreSQL role that pushed it.
    pub author: Option<String>,
    /// Set by the server: when it reached the log, by the server's clock.
    pub at: Option<String>,
}
