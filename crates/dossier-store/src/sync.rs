//! The replica's side of a team workspace.
//!
//! **Capture.** Once a workspace belongs to a team, triggers on every synced table write each
//! insert, update and delete into `sync_outbox` — in the same transaction as the change itself,
//! so a crash can neither lose a change nor keep half of one. A change carries the row's whole
//! image before and after, with references to other rows given by their uids.
//!
//! **Order.** The team server's log decides. Syncing pushes the outbox (the server gives each
//! change its position, `seq`) and pulls everyone else's changes in log order. Every replica
//! applies the same log with the same rules, so all reach the same state, as if each had folded
//! the log from the start:
//!
//! - a change whose `old` value of a field is what the replica holds applies plainly;
//! - a field whose value is not the change's `old` was edited concurrently: the later change in
//!   the log wins, and the value it displaced is kept as a **conflict** (unless the field is a
//!   bookkeeping one, such as `updated_at` or a position); a change made here and not yet in the
//!   log is later than anything pulled;
//! - sets merge, because their members are rows of their own (a tag on an excerpt);
//! - a delete concurrent with an edit, or with something added under the item, keeps the item and
//!   flags it; an edit of an item deleted concurrently brings it back, flagged;
//! - two replicas that created the same thing (a tag path, the same article) end with one row:
//!   the uid first in the log is kept, the other becomes its alias;
//! - an excerpt whose source text changed on another replica is re-anchored on arrival, orphaned
//!   rather than misplaced. Derived data (search indexes, counts, the near-duplicate index) is
//!   rebuilt locally by the same triggers and functions as a local write.
//!
//! A conflict's uid is made from the change that lost, so every replica derives the same ones;
//! resolving one is a change that syncs like any other.

use std::collections::BTreeMap;

use dossier_core::sync::{Change, Op};
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::{Result, StoreError};

/// How one table syncs.
pub struct Table {
    pub name: &'static str,
    /// `None`: the row has a `uid` column. Otherwise a link row, known by these columns (the
    /// references among them by the uids of what they point to).
    pub link_key: Option<&'static [&'static str]>,
    /// Columns holding another table's local id: (column, table).
    pub refs: &'static [(&'static str, &'static str)],
    /// Columns that stay on this machine (a feed's polling state).
    pub local: &'static [&'static str],
    /// Columns whose concurrent edits resolve by log order without a conflict (bookkeeping,
    /// positions, values derived from another column).
    pub quiet: &'static [&'static str],
    /// Unique keys other than uid: a row arriving with the same key is the same thing.
    pub natural: &'static [&'static [&'static str]],
    /// Columns holding JSON whose arrays at these paths list local ids of a table: (column,
    /// paths, table). They travel as uids (an id means nothing on another machine).
    pub id_lists: &'static [(&'static str, &'static [&'static str], &'static str)],
    /// Columns holding another table's key itself (not a local id): (column, table). They
    /// travel as they are; they only matter to which changes commute.
    pub keyed_refs: &'static [(&'static str, &'static str)],
    /// A number counted within a parent (column, parent column): a row arriving with a number
    /// the parent already has takes the next one, unless it is the same thing (`same`), which
    /// becomes an alias of the row there.
    pub numbered: Option<Numbered>,
}

impl Table {
    /// A table with a `uid` and nothing particular; the entries of [`TABLES`] say how each
    /// differs.
    const PLAIN: Table = Table {
        name: "",
        link_key: None,
        refs: &[],
        local: &[],
        quiet: &[],
        natural: &[],
        id_lists: &[],
        keyed_refs: &[],
        numbered: None,
    };
}

/// See [`Table::numbered`].
pub struct Numbered {
    pub number: &'static str,
    pub parent: &'static str,
    /// Columns that, all equal, make two rows the same thing.
    pub same: &'static [&'static str],
}

/// Every synced table, parents before children.
pub static TABLES: &[Table] = &[
    Table {
        name: "tag",
        quiet: &["path_key", "label_key", "label_fr_key"],
        natural: &[&["path_key"], &["path"]],
        ..Table::PLAIN
    },
    Table {
        name: "tag_alias",
        link_key: Some(&["tag_id", "alias_key"]),
        refs: &[("tag_id", "tag")],
        ..Table::PLAIN
    },
    Table {
        name: "source",
        quiet: &[
            "captured_at",
            "content_hash",
            "pages",
            "format",
            "retrieved_at",
            "ocr",
        ],
        natural: &[&["content_hash"]],
        ..Table::PLAIN
    },
    // The file a version was read from, as kept (its bytes travel as hex); the same bytes are
    // the same original everywhere, so it is known by their hash. Never changed once kept.
    Table {
        name: "original",
        link_key: Some(&["sha256"]),
        quiet: &["size", "stored_size", "compression", "data"],
        ..Table::PLAIN
    },
    Table {
        name: "source_version",
        refs: &[("source_id", "source")],
        quiet: &[
            "number",
            "captured_at",
            "body",
            "format",
            "original_sha256",
            "original_size",
            "not_kept",
            "reanchor",
        ],
        id_lists: &[("reanchor", &["moved_ids", "orphaned_ids"], "excerpt")],
        // Deleting the last version of an original deletes the original (a trigger).
        keyed_refs: &[("original_sha256", "original")],
        // Two replicas re-importing one source at once: both versions kept, numbered in the
        // team's order; the first version of one article captured on two replicas, one version.
        numbered: Some(Numbered {
            number: "number",
            parent: "source_id",
            same: &["body", "original_sha256"],
        }),
        ..Table::PLAIN
    },
    Table {
        name: "excerpt",
        refs: &[("source_id", "source")],
        quiet: &["start", "end", "prefix", "suffix", "orphaned"],
        ..Table::PLAIN
    },
    Table {
        name: "excerpt_tag",
        link_key: Some(&["excerpt_id", "tag_id"]),
        refs: &[("excerpt_id", "excerpt"), ("tag_id", "tag")],
        quiet: &["position"],
        ..Table::PLAIN
    },
    Table {
        name: "source_tag",
        link_key: Some(&["source_id", "tag_id"]),
        refs: &[("source_id", "source"), ("tag_id", "tag")],
        quiet: &["position"],
        ..Table::PLAIN
    },
    Table {
        name: "followup",
        quiet: &["answered_at"],
        ..Table::PLAIN
    },
    Table {
        name: "followup_excerpt",
        link_key: Some(&["followup_id", "role", "excerpt_id"]),
        refs: &[("followup_id", "followup"), ("excerpt_id", "excerpt")],
        quiet: &["position"],
        ..Table::PLAIN
    },
    Table {
        name: "followup_source",
        link_key: Some(&["followup_id", "source_id"]),
        refs: &[("followup_id", "followup"), ("source_id", "source")],
        quiet: &["position"],
        ..Table::PLAIN
    },
    Table {
        name: "followup_tag",
        link_key: Some(&["followup_id", "tag_id"]),
        refs: &[("followup_id", "followup"), ("tag_id", "tag")],
        quiet: &["position"],
        ..Table::PLAIN
    },
    Table {
        name: "briefing",
        ..Table::PLAIN
    },
    Table {
        name: "briefing_section",
        link_key: Some(&["briefing_id", "section"]),
        refs: &[("briefing_id", "briefing")],
        ..Table::PLAIN
    },
    Table {
        name: "briefing_item",
        refs: &[("briefing_id", "briefing"), ("excerpt_id", "excerpt")],
        // Set by the freeze trigger when the excerpt goes, to a source that may be gone as
        // well (or, on another replica, be another one): each replica freezes its own.
        local: &["frozen_source_id"],
        quiet: &[
            "position",
            "section",
            "frozen_quote",
            "frozen_note",
            "frozen_citation",
            "frozen_marking",
        ],
        natural: &[&["briefing_id", "section", "excerpt_id"]],
        ..Table::PLAIN
    },
    Table {
        name: "saved_search",
        quiet: &["name_key"],
        natural: &[&["name_key"]],
        ..Table::PLAIN
    },
    Table {
        name: "feed",
        local: &[
            "etag",
            "last_modified",
            "last_polled",
            "next_poll",
            "last_error",
            "failures",
        ],
        natural: &[&["url"]],
        ..Table::PLAIN
    },
    Table {
        name: "feed_entry",
        refs: &[("feed_id", "feed"), ("source_id", "source")],
        quiet: &["seen_at"],
        natural: &[&["feed_id", "entry_key"]],
        ..Table::PLAIN
    },
    Table {
        name: "story_split",
        refs: &[("source_id", "source")],
        natural: &[&["source_id"]],
        ..Table::PLAIN
    },
];

/// Columns every table treats as bookkeeping.
const STAMPS: &[&str] = &["created_at", "updated_at", "uid"];

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

impl Table {
    fn has_uid(&self) -> bool {
        self.link_key.is_none()
    }

    fn ref_table(&self, col: &str) -> Option<&'static str> {
        self.refs.iter().find(|(c, _)| *c == col).map(|(_, t)| *t)
    }

    fn is_quiet(&self, col: &str) -> bool {
        self.quiet.contains(&col) || STAMPS.contains(&col) || self.ref_table(col).is_some()
    }

    /// Whether other tables point at this one.
    fn is_referenced(&self) -> bool {
        TABLES
            .iter()
            .any(|t| t.refs.iter().any(|(_, r)| *r == self.name))
    }
}

fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A synced column: its name and whether it may be NULL.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    not_null: bool,
    /// Bytes: they travel as lowercase hex.
    blob: bool,
}

/// The columns of `t` that travel: all but the local id and the machine-local ones.
fn columns(conn: &Connection, t: &Table) -> Result<Vec<Column>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, \"notnull\", type FROM pragma_table_info(?1)")?;
    let cols = stmt
        .query_map([t.name], |r| {
            Ok(Column {
                name: r.get(0)?,
                not_null: r.get::<_, i64>(1)? != 0,
                blob: r.get::<_, String>(2)?.eq_ignore_ascii_case("blob"),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cols
        .into_iter()
        .filter(|c| c.name != "id" && !t.local.contains(&c.name.as_str()))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Capture

const NOW_SQL: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// The SQL expression of column `col` of the row `row` (NEW or OLD, or the table's name) as
/// it travels.
fn travel_expr(t: &Table, row: &str, col: &str, blob: bool) -> String {
    if blob {
        return format!(
            "CASE WHEN {row}.{c} IS NULL THEN NULL ELSE lower(hex({row}.{c})) END",
            c = q(col)
        );
    }
    if let Some((_, paths, lt)) = t.id_lists.iter().find(|(c, _, _)| *c == col) {
        return id_list_sql(&format!("{row}.{}", q(col)), paths, "id", "uid", lt);
    }
    match t.ref_table(col) {
        Some(rt) => format!(
            "coalesce((SELECT uid FROM {rt} WHERE id = {row}.{c}), \
             (SELECT uid FROM sync_deleting WHERE tbl = '{rt}' AND id = {row}.{c}))",
            c = q(col)
        ),
        // `|| ''` drops a JSON subtype the value may carry inside the statement that made it
        // (a trigger's json_object): it travels as the text stored, not as a nested object.
        None => format!(
            "CASE WHEN typeof({row}.{c}) = 'text' THEN {row}.{c} || '' ELSE {row}.{c} END",
            c = q(col)
        ),
    }
}

/// `value` (SQL: JSON text) with the ids at `paths` replaced by what `to` is for the rows of
/// `table` whose `from` they are (in order; those not here are left out). Text, never NULL
/// unless `value` is.
fn id_list_sql(value: &str, paths: &[&str], from: &str, to: &str, table: &str) -> String {
    let mut expr = value.to_string();
    for p in paths {
        expr = format!(
            "json_set({expr}, '$.{p}', json((SELECT json_group_array(v) FROM \
             (SELECT x.{to} AS v FROM json_each({value}, '$.{p}') j JOIN {table} x \
              ON x.{from} = j.value ORDER BY j.key))))"
        );
    }
    format!("CASE WHEN {value} IS NULL THEN NULL ELSE {expr} || '' END")
}

fn image_sql(t: &Table, cols: &[Column], row: &str) -> String {
    let args: Vec<String> = cols
        .iter()
        .map(|c| format!("'{}', {}", c.name, travel_expr(t, row, &c.name, c.blob)))
        .collect();
    format!("json_object({})", args.join(", "))
}

fn row_uid_sql(t: &Table, row: &str) -> String {
    match t.link_key {
        None => format!("{row}.uid"),
        Some(key) => key
            .iter()
            .map(|c| {
                format!(
                    "coalesce(CAST({} AS TEXT), '')",
                    travel_expr(t, row, c, false)
                )
            })
            .collect::<Vec<_>>()
            .join(" || '/' || "),
    }
}

/// (Re)creates the capture triggers from the tables as they are now. Cheap; run when a
/// workspace joins a team and each time a team workspace opens, so columns added by later
/// migrations travel too.
pub fn install_capture(conn: &Connection) -> Result<()> {
    let gate = "NOT EXISTS (SELECT 1 FROM sync_applying)";
    let mut sql = String::new();
    for t in TABLES {
        let cols = columns(conn, t)?;
        let n = t.name;
        for kind in ["ins", "upd", "del", "bdel"] {
            sql.push_str(&format!(
                "DROP TRIGGER IF EXISTS sync_capture_{n}_{kind};\n"
            ));
        }
        let outbox = "INSERT INTO sync_outbox (change_uid, tx_uid, tbl, row_uid, op, old, new, made_at) \
                      VALUES (lower(hex(randomblob(16))), ''";
        let new_img = image_sql(t, &cols, "NEW");
        let old_img = image_sql(t, &cols, "OLD");
        let changed = cols
            .iter()
            .map(|c| format!("OLD.{0} IS NOT NEW.{0}", q(&c.name)))
            .collect::<Vec<_>>()
            .join(" OR ");
        let (has_new, has_old) = if t.has_uid() {
            (" AND NEW.uid IS NOT NULL", " AND OLD.uid IS NOT NULL")
        } else {
            ("", "")
        };
        sql.push_str(&format!(
            "CREATE TRIGGER sync_capture_{n}_ins AFTER INSERT ON {n} WHEN {gate}{has_new} BEGIN
               {outbox}, '{n}', {ruid}, 'insert', NULL, {new_img}, {NOW_SQL});
             END;\n",
            ruid = row_uid_sql(t, "NEW"),
        ));
        if t.has_uid() {
            // The uid trigger fills a uid left out by an INSERT with an UPDATE: that update is
            // the row's insert as far as the team is concerned.
            sql.push_str(&format!(
                "CREATE TRIGGER sync_capture_{n}_upd AFTER UPDATE ON {n}
                 WHEN {gate}{has_new} AND (OLD.uid IS NULL OR {changed}) BEGIN
                   {outbox}, '{n}', NEW.uid,
                     CASE WHEN OLD.uid IS NULL THEN 'insert' ELSE 'update' END,
                     CASE WHEN OLD.uid IS NULL THEN NULL ELSE {old_img} END, {new_img}, {NOW_SQL});
                 END;\n"
            ));
        } else {
            sql.push_str(&format!(
                "CREATE TRIGGER sync_capture_{n}_upd AFTER UPDATE ON {n} WHEN {gate} AND ({changed}) BEGIN
                   {outbox}, '{n}', {ruid}, 'update', {old_img}, {new_img}, {NOW_SQL});
                 END;\n",
                ruid = row_uid_sql(t, "NEW"),
            ));
        }
        let forget = if t.is_referenced() {
            format!("DELETE FROM sync_deleting WHERE tbl = '{n}' AND id = OLD.id;")
        } else {
            String::new()
        };
        let ruid_old = row_uid_sql(t, "OLD");
        sql.push_str(&format!(
            "CREATE TRIGGER sync_capture_{n}_del AFTER DELETE ON {n} WHEN {gate}{has_old} BEGIN
               {outbox}, '{n}', {ruid_old}, 'delete', {old_img}, NULL, {NOW_SQL});
               INSERT OR REPLACE INTO sync_tombstone (tbl, row_uid, image, change_uid)
                 VALUES ('{n}', {ruid_old}, {old_img},
                         (SELECT change_uid FROM sync_outbox WHERE id = last_insert_rowid()));
               {forget}
             END;\n"
        ));
        if t.is_referenced() {
            // Rows a delete cascades to are deleted after this one: they find its uid here.
            sql.push_str(&format!(
                "CREATE TRIGGER sync_capture_{n}_bdel BEFORE DELETE ON {n} WHEN {gate}{has_old} BEGIN
                   INSERT OR REPLACE INTO sync_deleting (tbl, id, uid) VALUES ('{n}', OLD.id, OLD.uid);
                 END;\n"
            ));
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Removes the capture triggers (a workspace leaving its team).
pub fn remove_capture(conn: &Connection) -> Result<()> {
    let mut sql = String::new();
    for t in TABLES {
        for kind in ["ins", "upd", "del", "bdel"] {
            sql.push_str(&format!(
                "DROP TRIGGER IF EXISTS sync_capture_{}_{kind};\n",
                t.name
            ));
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Images

fn to_json(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(b.iter().map(|x| format!("{x:02x}")).collect()),
    }
}

fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Where a row is: a WHERE clause and its parameters.
struct Loc {
    clause: String,
    params: Vec<Sql>,
}

/// The canonical uid of `uid` in `tbl` (itself unless it became an alias).
fn canonical(conn: &Connection, tbl: &str, uid: &str) -> Result<String> {
    let c: Option<String> = conn
        .prepare_cached("SELECT canonical FROM sync_alias WHERE tbl = ?1 AND uid = ?2")?
        .query_row(params![tbl, uid], |r| r.get(0))
        .optional()?;
    Ok(c.unwrap_or_else(|| uid.to_string()))
}

fn local_id(conn: &Connection, tbl: &str, uid: &str) -> Result<Option<i64>> {
    let uid = canonical(conn, tbl, uid)?;
    Ok(conn
        .prepare_cached(&format!("SELECT id FROM {tbl} WHERE uid = ?1"))?
        .query_row([&uid], |r| r.get(0))
        .optional()?)
}

/// Where the row of a change is, if it can be here at all.
fn locate(
    conn: &Connection,
    t: &Table,
    row_uid: &str,
    image: Option<&Map<String, Value>>,
) -> Result<Option<Loc>> {
    match t.link_key {
        None => Ok(Some(Loc {
            clause: "uid = ?".into(),
            params: vec![Sql::Text(canonical(conn, t.name, row_uid)?)],
        })),
        Some(key) => {
            let Some(image) = image else { return Ok(None) };
            let mut clause = Vec::new();
            let mut params = Vec::new();
            for col in key {
                let v = image.get(*col).cloned().unwrap_or(Value::Null);
                let p = match (t.ref_table(col), &v) {
                    (Some(rt), Value::String(uid)) => match local_id(conn, rt, uid)? {
                        Some(id) => Sql::Integer(id),
                        None => return Ok(None),
                    },
                    (Some(_), _) => return Ok(None),
                    (None, v) => to_sql(v),
                };
                clause.push(format!("{} = ?", q(col)));
                params.push(p);
            }
            Ok(Some(Loc {
                clause: clause.join(" AND "),
                params,
            }))
        }
    }
}

fn select_list(t: &Table, cols: &[Column]) -> String {
    cols.iter()
        .map(|c| match t.ref_table(&c.name) {
            Some(rt) => format!(
                "(SELECT uid FROM {rt} WHERE id = {}.{})",
                t.name,
                q(&c.name)
            ),
            None if c.blob || t.id_lists.iter().any(|(l, _, _)| *l == c.name) => {
                travel_expr(t, t.name, &c.name, c.blob)
            }
            None => format!("{}.{}", t.name, q(&c.name)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The row's image as it travels, or None if it is not here.
fn current(
    conn: &Connection,
    t: &Table,
    cols: &[Column],
    loc: &Loc,
) -> Result<Option<Map<String, Value>>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {}",
        select_list(t, cols),
        t.name,
        loc.clause
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let row = stmt
        .query_row(params_from_iter(loc.params.iter()), |r| {
            let mut m = Map::new();
            for (i, c) in cols.iter().enumerate() {
                m.insert(c.name.clone(), to_json(r.get_ref(i)?));
            }
            Ok(m)
        })
        .optional()?;
    Ok(row)
}

/// Every synced row of the workspace, keyed `table/row_uid`: what two replicas of one team
/// must agree on.
pub fn logical_state(conn: &Connection) -> Result<BTreeMap<String, Value>> {
    let mut out = BTreeMap::new();
    for t in TABLES {
        let cols = columns(conn, t)?;
        let sql = format!("SELECT {} FROM {}", select_list(t, &cols), t.name);
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut m = Map::new();
            for (i, c) in cols.iter().enumerate() {
                m.insert(c.name.clone(), to_json(r.get_ref(i)?));
            }
            let key = match t.link_key {
                None => m
                    .get("uid")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                Some(key) => key
                    .iter()
                    .map(|c| match m.get(*c) {
                        Some(Value::String(s)) => s.clone(),
                        Some(v) => v.to_string(),
                        None => String::new(),
                    })
                    .collect::<Vec<_>>()
                    .join("/"),
            };
            out.insert(format!("{}/{key}", t.name), Value::Object(m));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The replica's team

/// The team this workspace belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    pub team: String,
    pub server: String,
    pub replica: String,
    pub role: String,
    pub last_pulled: i64,
    pub last_sync: Option<String>,
    pub last_error: Option<String>,
}

pub fn state(conn: &Connection) -> Result<Option<SyncState>> {
    Ok(conn
        .query_row(
            "SELECT team, server, replica, role, last_pulled, last_sync, last_error FROM sync_state",
            [],
            |r| {
                Ok(SyncState {
                    team: r.get(0)?,
                    server: r.get(1)?,
                    replica: r.get(2)?,
                    role: r.get(3)?,
                    last_pulled: r.get(4)?,
                    last_sync: r.get(5)?,
                    last_error: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// Changes made here and not yet in the team's log.
pub fn pending_count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM sync_outbox WHERE seq IS NULL",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

/// Whether the workspace holds nothing of its own (only the seeded taxonomy), as joining needs.
pub fn is_empty(conn: &Connection) -> Result<bool> {
    for t in [
        "source",
        "excerpt",
        "followup",
        "briefing",
        "saved_search",
        "feed",
    ] {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
        if n > 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Makes this workspace a replica of `team`: capture starts, and every row already here is
/// queued as an insert so the team receives it. Runs inside the caller's transaction.
pub fn start(conn: &Connection, st: &SyncState, now: &str) -> Result<u64> {
    if state(conn)?.is_some() {
        return Err(StoreError::Invalid(
            "this workspace already belongs to a team (see `dossier team status`)".into(),
        ));
    }
    conn.execute(
        "INSERT INTO sync_state (id, team, server, replica, role, last_pulled, joined_at)
         VALUES (1, ?1, ?2, ?3, ?4, 0, ?5)",
        params![st.team, st.server, st.replica, st.role, now],
    )?;
    install_capture(conn)?;
    let mut queued = 0;
    for t in TABLES {
        queued += queue_table(conn, t, now)?;
    }
    Ok(queued)
}

/// Queues every row of `t` as created, and notes that it was.
fn queue_table(conn: &Connection, t: &Table, now: &str) -> Result<u64> {
    let cols = columns(conn, t)?;
    let img = image_sql(t, &cols, t.name);
    let ruid = row_uid_sql(t, t.name);
    let queued = conn.execute(
        &format!(
            "INSERT INTO sync_outbox (change_uid, tx_uid, tbl, row_uid, op, old, new, made_at)
             SELECT lower(hex(randomblob(16))), '', '{n}', {ruid}, 'insert', NULL, {img}, ?1
             FROM {n}{order}",
            n = t.name,
            order = if t.has_uid() { " ORDER BY id" } else { "" },
        ),
        [now],
    )? as u64;
    conn.execute(
        "INSERT OR IGNORE INTO sync_queued (tbl) VALUES (?1)",
        [t.name],
    )?;
    Ok(queued)
}

/// In a team workspace made by an earlier version: queues the rows of the tables that version
/// did not sync (source versions and originals), once. Rows another replica already sent are
/// recognised when they come back.
pub fn queue_new_tables(conn: &Connection) -> Result<u64> {
    let now: String = conn.query_row(&format!("SELECT {NOW_SQL}"), [], |r| r.get(0))?;
    let mut queued = 0;
    for t in TABLES {
        let done: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sync_queued WHERE tbl = ?1)",
            [t.name],
            |r| r.get(0),
        )?;
        if !done {
            queued += queue_table(conn, t, &now)?;
        }
    }
    Ok(queued)
}

// ---------------------------------------------------------------------------------------------
// Push

/// About how many bytes of changes one push carries.
pub const PUSH_BYTES: usize = 32 << 20;

/// Up to `limit` changes waiting to be pushed, oldest first, as they travel. Changes read here
/// get a transaction uid (kept, so a push repeated after a crash sends the same).
pub fn pending(conn: &Connection, replica: &str, limit: usize) -> Result<Vec<Change>> {
    // Kept originals make some changes large: a push carries at most about PUSH_BYTES (and
    // always at least one change).
    let limit = {
        let mut sizes = conn.prepare_cached(
            "SELECT coalesce(length(old), 0) + coalesce(length(new), 0) FROM sync_outbox
             WHERE seq IS NULL ORDER BY id LIMIT ?1",
        )?;
        let mut total = 0usize;
        let mut n = 0usize;
        let mut rows = sizes.query([limit as i64])?;
        while let Some(r) = rows.next()? {
            let size = r.get::<_, i64>(0)? as usize;
            if n > 0 && total + size > PUSH_BYTES {
                break;
            }
            total += size;
            n += 1;
        }
        n.max(1)
    };
    let tx_uid: String = conn.query_row("SELECT lower(hex(randomblob(16)))", [], |r| r.get(0))?;
    conn.execute(
        "UPDATE sync_outbox SET tx_uid = ?1 WHERE id IN
           (SELECT id FROM sync_outbox WHERE seq IS NULL ORDER BY id LIMIT ?2) AND tx_uid = ''",
        params![tx_uid, limit as i64],
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT change_uid, tx_uid, tbl, row_uid, op, old, new, made_at FROM sync_outbox
         WHERE seq IS NULL ORDER BY id LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(change_uid, tx_uid, tbl, row_uid, op, old, new, made_at)| {
                let parse = |s: Option<String>| -> Result<Option<Value>> {
                    s.map(|s| serde_json::from_str(&s))
                        .transpose()
                        .map_err(|e| StoreError::Damaged {
                            detail: format!("a queued change is not valid JSON: {e}"),
                        })
                };
                Ok(Change {
                    change_uid,
                    tx_uid,
                    replica: replica.to_string(),
                    tbl,
                    row_uid,
                    op: Op::parse(&op).ok_or_else(|| StoreError::Damaged {
                        detail: format!("a queued change has the unknown operation {op}"),
                    })?,
                    old: parse(old)?,
                    new: parse(new)?,
                    made_at,
                    seq: None,
                    author: None,
                    at: None,
                })
            },
        )
        .collect()
}

/// Records what the server said of pushed changes: their place in the log.
pub fn acknowledge(
    conn: &Connection,
    changes: &[Change],
    seqs: &[i64],
    role: &str,
    at: &str,
) -> Result<()> {
    for (c, seq) in changes.iter().zip(seqs) {
        let done = conn.execute(
            "UPDATE sync_outbox SET seq = ?2 WHERE change_uid = ?1 AND seq IS NULL",
            params![c.change_uid, seq],
        )?;
        if done > 0 {
            record_clocks(conn, c, *seq, role, at)?;
        }
    }
    Ok(())
}

fn changed_fields(c: &Change) -> Vec<String> {
    let empty = Map::new();
    let old = c.old.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let new = c.new.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    new.iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}

fn record_clocks(conn: &Connection, c: &Change, seq: i64, author: &str, at: &str) -> Result<()> {
    let Some(t) = table(&c.tbl) else {
        return Ok(());
    };
    let row_uid = if t.has_uid() {
        canonical(conn, t.name, &c.row_uid)?
    } else {
        c.row_uid.clone()
    };
    if c.op == Op::Insert && row_uid != c.row_uid {
        // A second creation of something the log already had: it was dropped, and the first
        // creation's clock stands.
        return Ok(());
    }
    let mut clock = conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_field_clock (tbl, row_uid, field, change_uid, seq, author, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    match c.op {
        Op::Insert => {
            clock.execute(params![t.name, row_uid, "*", c.change_uid, seq, author, at])?;
        }
        Op::Update => {
            for f in changed_fields(c) {
                clock.execute(params![t.name, row_uid, f, c.change_uid, seq, author, at])?;
            }
        }
        Op::Delete => {}
    }
    conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_row_author (tbl, row_uid, author, at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![t.name, row_uid, author, at])?;
    Ok(())
}

struct Clock {
    author: String,
    at: String,
}

fn clock_of(conn: &Connection, tbl: &str, row_uid: &str, field: &str) -> Result<Option<Clock>> {
    Ok(conn
        .prepare_cached(
            "SELECT author, at FROM sync_field_clock
             WHERE tbl = ?1 AND row_uid = ?2 AND field IN (?3, '*') ORDER BY field = '*' LIMIT 1",
        )?
        .query_row(params![tbl, row_uid, field], |r| {
            Ok(Clock {
                author: r.get(0)?,
                at: r.get(1)?,
            })
        })
        .optional()?)
}

// ---------------------------------------------------------------------------------------------
// Pull

/// What applying a batch of the team's changes did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Changes of other replicas applied.
    pub pulled: u64,
    /// Conflicts recorded.
    pub conflicts: u64,
}

/// A change made here and not yet applied in log order: undone before a pull, replayed after.
struct Local {
    id: i64,
    change: Change,
    undo: Option<Value>,
}

fn local_changes(conn: &Connection, st: &SyncState) -> Result<Vec<Local>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, change_uid, tx_uid, tbl, row_uid, op, old, new, made_at, seq, undo
         FROM sync_outbox WHERE seq IS NULL OR seq > ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([st.last_pulled], |r| {
            let json = |s: Option<String>| s.and_then(|s| serde_json::from_str::<Value>(&s).ok());
            Ok(Local {
                id: r.get(0)?,
                change: Change {
                    change_uid: r.get(1)?,
                    tx_uid: r.get(2)?,
                    replica: st.replica.clone(),
                    tbl: r.get(3)?,
                    row_uid: r.get(4)?,
                    op: Op::parse(&r.get::<_, String>(5)?).unwrap_or(Op::Update),
                    old: json(r.get(6)?),
                    new: json(r.get(7)?),
                    made_at: r.get(8)?,
                    seq: r.get(9)?,
                    author: Some(st.role.clone()),
                    at: None,
                },
                undo: json(r.get(10)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Applies changes pulled from the team's log (in log order, `seq` set), in the caller's
/// transaction, so that the workspace ends as every replica's will: the team's log folded from
/// the start, with the changes made here and not yet in it replayed on top. Nothing applied is
/// captured again.
pub fn apply(conn: &Connection, changes: &[Change], now: &str) -> Result<Applied> {
    let st = state(conn)?
        .ok_or_else(|| StoreError::Invalid("this workspace does not belong to a team".into()))?;
    conn.execute("INSERT OR IGNORE INTO sync_applying (id) VALUES (1)", [])?;
    let mut applied = Applied::default();
    let mut cx = Cx {
        conn,
        me: &st,
        now,
        conflicts: 0,
        provisional: false,
        replaying: None,
        cols: Default::default(),
    };
    // Only our own changes coming back, in the order they were made: the workspace already
    // holds them where the log put them (nothing of anyone else's came in between), so they are
    // acknowledged, not undone and replayed. The common case, and what keeps a big first push
    // (`team init`) linear.
    let foreign: Vec<&Change> = changes
        .iter()
        .filter(|c| c.replica != st.replica && c.seq.is_some_and(|s| s > st.last_pulled))
        .collect();
    if foreign.is_empty() {
        let mut last = st.last_pulled;
        for c in changes {
            let Some(seq) = c.seq.filter(|s| *s > last) else {
                continue;
            };
            acknowledge_in_place(conn, c, seq)?;
            last = seq;
        }
        settle(conn, last)?;
        conn.execute("DELETE FROM sync_applying", [])?;
        return Ok(Applied {
            pulled: 0,
            conflicts: open_conflicts(conn)?,
        });
    }
    // 1. Take back what was done here after the last change pulled and touches what the team's
    //    changes touch (see `entangled`), newest first. The rest commutes with them: it stays.
    let locals = local_changes(conn, &st)?;
    let redo = entangled(conn, &foreign, &locals)?;
    for l in locals.iter().rev().filter(|l| redo.contains(&l.id)) {
        cx.undo(l)?;
    }
    // Their provisional conflicts are found again as they are replayed (older ones, from before
    // changes were told apart, too).
    {
        let mut forget = conn
            .prepare_cached("DELETE FROM sync_conflict WHERE provisional = 1 AND by_change = ?1")?;
        for l in locals.iter().filter(|l| redo.contains(&l.id)) {
            forget.execute([&l.change.change_uid])?;
        }
        conn.execute(
            "DELETE FROM sync_conflict WHERE provisional = 1 AND by_change IS NULL",
            [],
        )?;
    }
    let taken_back: std::collections::HashSet<&str> = locals
        .iter()
        .filter(|l| redo.contains(&l.id))
        .map(|l| l.change.change_uid.as_str())
        .collect();
    // 2. The team's changes in log order (ours among them, where the log put them: re-applied
    //    if taken back, acknowledged where they stand otherwise).
    let mut last = st.last_pulled;
    let mut in_batch = std::collections::HashSet::new();
    for c in changes {
        let seq = c.seq.ok_or_else(|| {
            StoreError::Invalid("a pulled change has no position in the log".into())
        })?;
        if seq <= last {
            continue; // delivered twice
        }
        let author = c.author.clone().unwrap_or_default();
        let at = c.at.clone().unwrap_or_else(|| c.made_at.clone());
        if c.replica == st.replica {
            in_batch.insert(c.change_uid.clone());
            if taken_back.contains(c.change_uid.as_str()) {
                conn.execute(
                    "UPDATE sync_outbox SET seq = ?2, undo = NULL WHERE change_uid = ?1",
                    params![c.change_uid, seq],
                )?;
                cx.apply_guarded(c, seq, &author, &at)?;
            } else {
                acknowledge_in_place(conn, c, seq)?;
            }
        } else {
            applied.pulled += 1;
            cx.apply_guarded(c, seq, &author, &at)?;
        }
        last = seq;
    }
    conn.execute("UPDATE sync_state SET last_pulled = ?1", [last])?;
    // 3. Replay what was taken back and is not in the log yet, as it will be applied everywhere
    //    once pushed; what it finds is provisional until then.
    cx.provisional = true;
    for l in locals
        .iter()
        .filter(|l| redo.contains(&l.id) && !in_batch.contains(&l.change.change_uid))
    {
        let before = cx.image_of(&l.change)?;
        let undo = match before {
            Some(img) => serde_json::json!({ "image": img }),
            None => serde_json::json!({ "absent": true }),
        };
        conn.execute(
            "UPDATE sync_outbox SET undo = ?2 WHERE id = ?1",
            params![l.id, undo.to_string()],
        )?;
        let at = l.change.made_at.clone();
        cx.replaying = Some(l.change.change_uid.clone());
        cx.apply_guarded(&l.change, i64::MAX, &st.role, &at)?;
    }
    cx.replaying = None;
    conn.execute("DELETE FROM sync_applying", [])?;
    settle(conn, last)?;
    applied.conflicts = open_conflicts(conn)?;
    Ok(applied)
}

/// One of our own changes back from the log, where it already stands here: it takes its
/// position and its clocks, as if applied there.
fn acknowledge_in_place(conn: &Connection, c: &Change, seq: i64) -> Result<()> {
    conn.prepare_cached("UPDATE sync_outbox SET seq = ?2, undo = NULL WHERE change_uid = ?1")?
        .execute(params![c.change_uid, seq])?;
    let author = c.author.clone().unwrap_or_default();
    let at = c.at.clone().unwrap_or_else(|| c.made_at.clone());
    record_clocks(conn, c, seq, &author, &at)
}

/// After a pull up to `last`: what replaying our changes found is final once they are in the
/// log where they stand, and the log's changes need no keeping here.
fn settle(conn: &Connection, last: i64) -> Result<()> {
    conn.execute(
        "UPDATE sync_conflict SET provisional = 0, by_change = NULL
         WHERE provisional = 1 AND by_change IN
           (SELECT change_uid FROM sync_outbox WHERE seq IS NOT NULL AND seq <= ?1)",
        [last],
    )?;
    conn.execute("UPDATE sync_state SET last_pulled = ?1", [last])?;
    conn.execute(
        "DELETE FROM sync_outbox WHERE seq IS NOT NULL AND seq <= ?1",
        [last],
    )?;
    let waiting: i64 = conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
    if waiting == 0 {
        conn.execute(
            "UPDATE sync_conflict SET provisional = 0, by_change = NULL WHERE provisional = 1",
            [],
        )?;
    }
    Ok(())
}

/// The changes made here (by outbox id) that must be taken back before the team's `foreign`
/// changes apply and replayed after them: those that touch a row, a parent or a unique key that
/// a foreign change touches, and, again, those that touch what these touch. Every other change
/// made here touches nothing the batch does, so applying the batch before or after it ends the
/// same: it stays where it is. A resolution of a conflict, here or from the team, takes everything
/// back (rare, and what it touches is not in its own row).
fn entangled(
    conn: &Connection,
    foreign: &[&Change],
    locals: &[Local],
) -> Result<std::collections::HashSet<i64>> {
    use std::collections::HashSet;
    let mut uniques = Uniques::default();
    let mut touched: HashSet<String> = HashSet::new();
    for c in foreign {
        match touches(conn, &mut uniques, c)? {
            Some(k) => touched.extend(k),
            None => return Ok(locals.iter().map(|l| l.id).collect()),
        }
    }
    let mut mine = Vec::with_capacity(locals.len());
    for l in locals {
        match touches(conn, &mut uniques, &l.change)? {
            Some(k) => mine.push((l.id, k)),
            None => return Ok(locals.iter().map(|l| l.id).collect()),
        }
    }
    let mut redo = HashSet::new();
    loop {
        let mut grew = false;
        for (id, keys) in &mine {
            if !redo.contains(id) && keys.iter().any(|k| clashes(&touched, k)) {
                redo.insert(*id);
                touched.extend(keys.iter().cloned());
                grew = true;
            }
        }
        if !grew {
            return Ok(redo);
        }
    }
}

/// Whether a key of one change clashes with what others touched. `r:` is a row written, `f:` a
/// row pointed to: two changes that only point to the same row (two excerpts of one source)
/// commute; a change to a row does not commute with one that points to it.
fn clashes(touched: &std::collections::HashSet<String>, key: &str) -> bool {
    if let Some(uid) = key.strip_prefix("r:") {
        touched.contains(key) || touched.contains(&format!("f:{uid}"))
    } else if let Some(uid) = key.strip_prefix("f:") {
        touched.contains(&format!("r:{uid}"))
    } else {
        touched.contains(key)
    }
}

/// Each synced table's unique indexes (their columns), read once per pull.
#[derive(Default)]
struct Uniques(std::collections::HashMap<&'static str, Vec<(String, Vec<String>)>>);

impl Uniques {
    fn of(&mut self, conn: &Connection, t: &'static Table) -> Result<&[(String, Vec<String>)]> {
        if !self.0.contains_key(t.name) {
            let mut found = Vec::new();
            let names: Vec<String> = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_index_list('{}') WHERE \"unique\" = 1",
                    t.name
                ))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for name in names {
                let cols: Vec<Option<String>> = conn
                    .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")?
                    .query_map([&name], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                // An index on an expression: its columns cannot be told; the natural keys
                // declared for the table stand in for it.
                if let Some(cols) = cols.into_iter().collect::<Option<Vec<String>>>() {
                    found.push((name, cols));
                }
            }
            for nat in t.natural {
                found.push((
                    format!("natural:{}", nat.join(",")),
                    nat.iter().map(|c| c.to_string()).collect(),
                ));
            }
            self.0.insert(t.name, found);
        }
        Ok(&self.0[t.name])
    }
}

/// What a change touches, as keys two changes share when they may not commute (see `clashes`):
/// its row, the rows it points to (by canonical uid, the same key as those rows' own), and each
/// unique key its row had or has. `None`: anything.
fn touches(conn: &Connection, uniques: &mut Uniques, c: &Change) -> Result<Option<Vec<String>>> {
    let Some(t) = table(&c.tbl) else {
        // A table this version does not sync touches nothing here; a resolution, anything.
        return Ok((c.tbl != "sync_conflict").then(Vec::new));
    };
    let mut keys = Vec::new();
    keys.push(if t.has_uid() {
        format!("r:{}", canonical(conn, t.name, &c.row_uid)?)
    } else {
        format!("r:{}/{}", t.name, c.row_uid)
    });
    for img in [&c.old, &c.new].into_iter().flatten() {
        if let Some(img) = img.as_object() {
            image_keys(conn, uniques, t, img, &mut keys, 0)?;
        }
    }
    Ok(Some(keys))
}

/// The keys of a row image: the rows it points to and its unique keys. A row it points to that
/// was deleted here would be brought back by the change, with its own unique keys, so those
/// count too.
fn image_keys(
    conn: &Connection,
    uniques: &mut Uniques,
    t: &'static Table,
    img: &Map<String, Value>,
    keys: &mut Vec<String>,
    depth: usize,
) -> Result<()> {
    for (col, rt) in t.refs {
        let Some(Value::String(uid)) = img.get(*col) else {
            continue;
        };
        let uid = canonical(conn, rt, uid)?;
        let tomb: Option<String> = conn
            .prepare_cached("SELECT image FROM sync_tombstone WHERE tbl = ?1 AND row_uid = ?2")?
            .query_row(params![rt, uid], |r| r.get(0))
            .optional()?;
        match (tomb, table(rt)) {
            // Deleted here: the change may bring it back, writing it.
            (Some(tomb), Some(parent)) if depth < 4 => {
                keys.push(format!("r:{uid}"));
                if let Ok(Value::Object(img)) = serde_json::from_str::<Value>(&tomb) {
                    image_keys(conn, uniques, parent, &img, keys, depth + 1)?;
                }
            }
            (Some(_), _) => keys.push(format!("r:{uid}")),
            (None, _) => keys.push(format!("f:{uid}")),
        }
    }
    for (col, rt) in t.keyed_refs {
        if let Some(Value::String(key)) = img.get(*col) {
            keys.push(format!("f:{rt}/{key}"));
        }
    }
    for (name, cols) in uniques.of(conn, t)? {
        let vals: Option<Vec<&Value>> = cols.iter().map(|c| img.get(c)).collect();
        // A unique key with a column that does not travel (the local id) is the row's own.
        if let Some(vals) = vals {
            keys.push(format!(
                "u:{}:{}:{}",
                t.name,
                name,
                Value::Array(vals.into_iter().cloned().collect())
            ));
        }
    }
    Ok(())
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}

fn conflict_uid(change_uid: &str, field: &str) -> String {
    let h = Sha256::digest(format!("{change_uid}\u{0}{field}").as_bytes());
    h.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

struct Cx<'a> {
    conn: &'a Connection,
    me: &'a SyncState,
    now: &'a str,
    conflicts: u64,
    provisional: bool,
    /// The change made here being replayed (its provisional conflicts are its own).
    replaying: Option<String>,
    /// Each table's synced columns, read once per batch.
    cols: std::collections::HashMap<String, std::rc::Rc<Vec<Column>>>,
}

impl Cx<'_> {
    fn cols(&mut self, t: &Table) -> Result<std::rc::Rc<Vec<Column>>> {
        if let Some(c) = self.cols.get(t.name) {
            return Ok(c.clone());
        }
        let c = std::rc::Rc::new(columns(self.conn, t)?);
        self.cols.insert(t.name.to_string(), c.clone());
        Ok(c)
    }

    /// Applies one change; one that cannot apply here (a constraint refuses it) is kept as a
    /// conflict rather than lost or allowed to stop the sync.
    fn apply_guarded(&mut self, c: &Change, seq: i64, author: &str, at: &str) -> Result<()> {
        self.conn.execute_batch("SAVEPOINT sync_change")?;
        match self.apply_one(c, seq, author, at) {
            Ok(()) => self.conn.execute_batch("RELEASE sync_change")?,
            Err(StoreError::Sqlite(e)) if is_constraint(&e) => {
                self.conn
                    .execute_batch("ROLLBACK TO sync_change; RELEASE sync_change")?;
                self.rejected(c, author, at, &e.to_string())?;
            }
            Err(StoreError::Invalid(msg)) => {
                self.conn
                    .execute_batch("ROLLBACK TO sync_change; RELEASE sync_change")?;
                self.rejected(c, author, at, &msg)?;
            }
            Err(e) => {
                self.conn
                    .execute_batch("ROLLBACK TO sync_change; RELEASE sync_change")?;
                return Err(e);
            }
        }
        Ok(())
    }

    /// The row a change is about, as it is now.
    fn image_of(&mut self, c: &Change) -> Result<Option<Map<String, Value>>> {
        let Some(t) = table(&c.tbl) else {
            return Ok(None);
        };
        let img = c
            .new
            .as_ref()
            .or(c.old.as_ref())
            .and_then(Value::as_object)
            .cloned();
        let cols = self.cols(t)?;
        match locate(self.conn, t, &c.row_uid, img.as_ref())? {
            Some(loc) => current(self.conn, t, &cols, &loc),
            None => Ok(None),
        }
    }

    /// Puts a row back as it was before a local change.
    fn undo(&mut self, l: &Local) -> Result<()> {
        let c = &l.change;
        let Some(t) = table(&c.tbl) else {
            if c.tbl == "sync_conflict" {
                // A resolution made here: replayed after the pull.
                self.conn.execute(
                    "UPDATE sync_conflict SET resolved = NULL, resolved_by = NULL, resolved_at = NULL
                     WHERE uid = ?1",
                    [&c.row_uid],
                )?;
            }
            return Ok(());
        };
        let before: Option<Map<String, Value>> = match &l.undo {
            Some(u) if u.get("absent").is_some() => None,
            Some(u) => u.get("image").and_then(Value::as_object).cloned(),
            None => match c.op {
                Op::Insert => None,
                _ => c.old.as_ref().and_then(Value::as_object).cloned(),
            },
        };
        let cols = self.cols(t)?;
        if before.is_none() && t.has_uid() {
            // Only a row created under this very uid goes: a creation that became an alias of
            // the team's earlier one created nothing.
            self.conn.execute(
                &format!("DELETE FROM {} WHERE uid = ?1", t.name),
                [&c.row_uid],
            )?;
            return Ok(());
        }
        let probe = c
            .new
            .as_ref()
            .or(c.old.as_ref())
            .and_then(Value::as_object)
            .cloned();
        let loc = locate(self.conn, t, &c.row_uid, probe.as_ref())?;
        let now = match &loc {
            Some(loc) => current(self.conn, t, &cols, loc)?,
            None => None,
        };
        match (before, now, loc) {
            (None, Some(_), Some(loc)) => {
                self.conn.execute(
                    &format!("DELETE FROM {} WHERE {}", t.name, loc.clause),
                    params_from_iter(loc.params.iter()),
                )?;
            }
            (Some(img), Some(_), Some(loc)) => {
                let sets: Vec<(Column, Value)> = cols
                    .iter()
                    .filter_map(|col| img.get(&col.name).map(|v| (col.clone(), v.clone())))
                    .collect();
                let author = self.me.role.clone();
                self.write_fields(t, &loc, &sets, &author, self.now)?;
            }
            (Some(img), None, _) => {
                let author = self.me.role.clone();
                self.insert_row(t, &cols, &img, &author, self.now)?;
            }
            _ => {}
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn conflict(
        &mut self,
        uid: String,
        kind: &str,
        t: &Table,
        item_uid: &str,
        field: Option<&str>,
        kept: (&Value, &str, &str),
        other: (&Value, &str, &str),
    ) -> Result<()> {
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO sync_conflict
               (uid, kind, tbl, item_uid, field, kept, kept_by, kept_at, other, other_by, other_at,
                provisional, by_change, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?14, ?12, ?12)",
            params![
                uid,
                kind,
                t.name,
                item_uid,
                field,
                kept.0.to_string(),
                kept.1,
                kept.2,
                other.0.to_string(),
                other.1,
                other.2,
                self.now,
                self.provisional,
                self.replaying.as_deref().filter(|_| self.provisional)
            ],
        )?;
        self.conflicts += n as u64;
        Ok(())
    }

    fn rejected(&mut self, c: &Change, author: &str, at: &str, why: &str) -> Result<()> {
        let Some(t) = table(&c.tbl) else {
            return Ok(());
        };
        let other = c
            .new
            .clone()
            .or_else(|| c.old.clone())
            .unwrap_or(Value::Null);
        self.conflict(
            conflict_uid(&c.change_uid, "!"),
            "rejected",
            t,
            &c.row_uid,
            None,
            (
                &Value::String(why.to_string()),
                &self.me.role.clone(),
                self.now,
            ),
            (&other, author, at),
        )
    }

    fn apply_one(&mut self, c: &Change, seq: i64, author: &str, at: &str) -> Result<()> {
        if c.tbl == "sync_conflict" {
            return self.apply_resolution(c);
        }
        // A table this version does not know (a newer replica's): nothing here to change.
        let Some(t) = table(&c.tbl) else {
            return Ok(());
        };
        match c.op {
            Op::Insert => self.apply_insert(t, c, author, at)?,
            Op::Update => self.apply_update(t, c, author, at)?,
            Op::Delete => self.apply_delete(t, c, author, at)?,
        }
        if seq == i64::MAX || seq == 0 {
            // A replay of a change not in the log yet (its clock comes when it is), or a row
            // merged from an archive (never in any log).
        } else if c.op != Op::Delete {
            record_clocks(self.conn, c, seq, author, at)?;
        } else {
            let row_uid = if t.has_uid() {
                canonical(self.conn, t.name, &c.row_uid)?
            } else {
                c.row_uid.clone()
            };
            self.conn
                .prepare_cached(
                    "INSERT OR REPLACE INTO sync_row_author (tbl, row_uid, author, at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![t.name, row_uid, author, at])?;
        }
        Ok(())
    }

    fn apply_resolution(&mut self, c: &Change) -> Result<()> {
        let Some(new) = c.new.as_ref().and_then(Value::as_object) else {
            return Ok(());
        };
        let s = |k: &str| new.get(k).and_then(Value::as_str).map(str::to_string);
        self.conn.execute(
            "UPDATE sync_conflict SET resolved = ?2, resolved_by = ?3, resolved_at = ?4, updated_at = ?5
             WHERE uid = ?1 AND resolved IS NULL",
            params![c.row_uid, s("resolved"), s("resolved_by"), s("resolved_at"), self.now],
        )?;
        Ok(())
    }

    /// The value to write for `col`: a reference's uid becomes the local id (bringing back a
    /// parent deleted concurrently); anything else as is.
    fn value_for(
        &mut self,
        t: &Table,
        col: &Column,
        v: &Value,
        author: &str,
        at: &str,
    ) -> Result<Sql> {
        let Some(rt) = t.ref_table(&col.name) else {
            return self.plain_value(t, col, v);
        };
        let Value::String(uid) = v else {
            return Ok(Sql::Null);
        };
        if let Some(id) = local_id(self.conn, rt, uid)? {
            return Ok(Sql::Integer(id));
        }
        if let Some(id) = self.resurrect(rt, uid, author, at)? {
            return Ok(Sql::Integer(id));
        }
        if col.not_null {
            Err(StoreError::Invalid(format!(
                "it refers to a {rt} ({uid}) this workspace never received"
            )))
        } else {
            Ok(Sql::Null)
        }
    }

    /// A value that is not a reference, as stored here: bytes from their hex, id lists from
    /// their uids.
    fn plain_value(&mut self, t: &Table, col: &Column, v: &Value) -> Result<Sql> {
        match v {
            Value::String(hex) if col.blob => from_hex(hex).map(Sql::Blob).ok_or_else(|| {
                StoreError::Invalid(format!("{}.{} is not hex-encoded bytes", t.name, col.name))
            }),
            Value::String(json) => match t.id_lists.iter().find(|(c, _, _)| *c == col.name) {
                Some((_, paths, lt)) => Ok(self.conn.query_row(
                    &format!("SELECT {}", id_list_sql("?1", paths, "uid", "id", lt)),
                    [json],
                    |r| r.get::<_, Sql>(0),
                )?),
                None => Ok(to_sql(v)),
            },
            _ => Ok(to_sql(v)),
        }
    }

    /// Brings back a row deleted here while something concurrent still needs it; flags it.
    fn resurrect(&mut self, tbl: &str, uid: &str, author: &str, at: &str) -> Result<Option<i64>> {
        let uid = canonical(self.conn, tbl, uid)?;
        let tomb: Option<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT image, change_uid FROM sync_tombstone WHERE tbl = ?1 AND row_uid = ?2",
            )?
            .query_row(params![tbl, uid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((image, delete_uid)) = tomb else {
            return Ok(None);
        };
        let Some(t) = table(tbl) else { return Ok(None) };
        let image: Map<String, Value> = serde_json::from_str(&image).unwrap_or_default();
        // Meanwhile the same thing was created again (the same article captured anew): the
        // deleted one lives on as that one.
        for key in t.natural {
            if let Some(existing) = self.find_natural(t, key, &image)? {
                self.alias(t, &uid, &existing)?;
                return local_id(self.conn, tbl, &existing);
            }
        }
        let cols = self.cols(t)?;
        self.insert_row(t, &cols, &image, author, at)?;
        self.conn.execute(
            "DELETE FROM sync_tombstone WHERE tbl = ?1 AND row_uid = ?2",
            params![tbl, uid],
        )?;
        let deleter = self.author_of(t.name, &uid)?;
        self.conflict(
            conflict_uid(&delete_uid, "*"),
            "edit_delete",
            t,
            &uid,
            None,
            (&Value::String("kept".into()), author, at),
            (&Value::Null, &deleter.0, &deleter.1),
        )?;
        local_id(self.conn, tbl, &uid)
    }

    fn author_of(&self, tbl: &str, row_uid: &str) -> Result<(String, String)> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT author, at FROM sync_row_author WHERE tbl = ?1 AND row_uid = ?2",
            )?
            .query_row(params![tbl, row_uid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or_else(|| (self.me.role.clone(), self.now.to_string())))
    }

    fn insert_row(
        &mut self,
        t: &Table,
        cols: &[Column],
        image: &Map<String, Value>,
        author: &str,
        at: &str,
    ) -> Result<()> {
        let mut names = Vec::new();
        let mut values = Vec::new();
        for col in cols {
            let Some(v) = image.get(&col.name) else {
                continue;
            };
            values.push(self.value_for(t, col, v, author, at)?);
            names.push(q(&col.name));
        }
        let marks = vec!["?"; names.len()].join(", ");
        self.conn.execute(
            &format!(
                "INSERT INTO {} ({}) VALUES ({marks})",
                t.name,
                names.join(", ")
            ),
            params_from_iter(values.iter()),
        )?;
        self.after_write(t, image)?;
        Ok(())
    }

    /// Keeps derived data and anchors right after a row arrived or changed.
    fn after_write(&mut self, t: &Table, image: &Map<String, Value>) -> Result<()> {
        let uid = image.get("uid").and_then(Value::as_str).unwrap_or("");
        match t.name {
            "source" => {
                if let Some(id) = local_id(self.conn, "source", uid)? {
                    crate::stories::index_source(self.conn, id)?;
                    self.reanchor_source(id)?;
                }
            }
            "excerpt" => {
                if let Some(id) = local_id(self.conn, "excerpt", uid)? {
                    self.reanchor_excerpt(id)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn reanchor_source(&mut self, source_id: i64) -> Result<()> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM excerpt WHERE source_id = ?1")?
            .query_map([source_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            self.reanchor_excerpt(id)?;
        }
        Ok(())
    }

    /// An excerpt whose quote is no longer at its offsets in its source's text is placed again,
    /// or orphaned: never left pointing at other words.
    fn reanchor_excerpt(&mut self, id: i64) -> Result<()> {
        let (quote, prefix, suffix, start, end, orphaned, body): (
            String,
            String,
            String,
            i64,
            i64,
            i64,
            String,
        ) = self.conn.query_row(
            "SELECT e.quote, e.prefix, e.suffix, e.start, e.\"end\", e.orphaned, s.body
                 FROM excerpt e JOIN source s ON s.id = e.source_id WHERE e.id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )?;
        let here: String = body
            .chars()
            .skip(start as usize)
            .take((end - start).max(0) as usize)
            .collect();
        if here == quote && orphaned == 0 {
            return Ok(());
        }
        let anchor = dossier_core::Anchor {
            quote,
            prefix,
            suffix,
            start: start as usize,
            end: end as usize,
        };
        match dossier_core::reanchor::reanchor_in(&anchor, &body) {
            dossier_core::reanchor::Placement::Placed { anchor: a, .. } => {
                self.conn.execute(
                    "UPDATE excerpt SET quote = ?2, prefix = ?3, suffix = ?4, start = ?5, \"end\" = ?6,
                            orphaned = 0 WHERE id = ?1",
                    params![id, a.quote, a.prefix, a.suffix, a.start as i64, a.end as i64],
                )?;
            }
            dossier_core::reanchor::Placement::Orphaned => {
                if orphaned == 0 {
                    self.conn
                        .execute("UPDATE excerpt SET orphaned = 1 WHERE id = ?1", [id])?;
                }
            }
        }
        Ok(())
    }

    fn apply_insert(&mut self, t: &Table, c: &Change, author: &str, at: &str) -> Result<()> {
        let new = c
            .new
            .as_ref()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let cols = self.cols(t)?;
        if let Some(loc) = locate(self.conn, t, &c.row_uid, Some(&new))?
            && current(self.conn, t, &cols, &loc)?.is_some()
        {
            // Already here: the same link added on two replicas, or a change seen twice.
            return Ok(());
        }
        // The same thing created on two replicas: one row, under the uid first in the log.
        for key in t.natural {
            let Some(existing) = self.find_natural(t, key, &new)? else {
                continue;
            };
            if existing == c.row_uid {
                return Ok(());
            }
            // Everything here is the team's log folded up to this change: what exists was
            // created first, and this creation becomes its alias.
            self.alias(t, &c.row_uid, &existing)?;
            return Ok(());
        }
        let mut new = new;
        if let Some(n) = &t.numbered
            && !self.number_in_parent(t, n, &c.row_uid, &cols, &mut new)?
        {
            return Ok(());
        }
        self.insert_row(t, &cols, &new, author, at)
    }

    /// Before a numbered row arrives: when its parent already has a row with its number, it
    /// is either the same thing (it becomes an alias; answers false) or takes the parent's next
    /// number.
    fn number_in_parent(
        &mut self,
        t: &Table,
        n: &Numbered,
        row_uid: &str,
        cols: &[Column],
        new: &mut Map<String, Value>,
    ) -> Result<bool> {
        let (Some(rt), Some(Value::String(parent_uid)), Some(number)) = (
            t.ref_table(n.parent),
            new.get(n.parent),
            new.get(n.number).and_then(Value::as_i64),
        ) else {
            return Ok(true);
        };
        let Some(parent) = local_id(self.conn, rt, parent_uid)? else {
            return Ok(true);
        };
        let taken: Option<String> = self
            .conn
            .prepare_cached(&format!(
                "SELECT uid FROM {} WHERE {} = ?1 AND {} = ?2",
                t.name,
                q(n.parent),
                q(n.number)
            ))?
            .query_row(params![parent, number], |r| r.get(0))
            .optional()?;
        let Some(taken) = taken else {
            return Ok(true);
        };
        let loc = Loc {
            clause: "uid = ?".into(),
            params: vec![Sql::Text(taken.clone())],
        };
        if let Some(there) = current(self.conn, t, cols, &loc)?
            && n.same.iter().all(|c| there.get(*c) == new.get(*c))
        {
            self.alias(t, row_uid, &taken)?;
            return Ok(false);
        }
        let next: i64 = self.conn.query_row(
            &format!(
                "SELECT coalesce(max({}), 0) + 1 FROM {} WHERE {} = ?1",
                q(n.number),
                t.name,
                q(n.parent)
            ),
            [parent],
            |r| r.get(0),
        )?;
        new.insert(n.number.to_string(), Value::from(next));
        Ok(true)
    }

    fn find_natural(
        &mut self,
        t: &Table,
        key: &[&str],
        image: &Map<String, Value>,
    ) -> Result<Option<String>> {
        if !t.has_uid() {
            return Ok(None);
        }
        let mut clause = Vec::new();
        let mut params = Vec::new();
        for col in key {
            let v = image.get(*col).cloned().unwrap_or(Value::Null);
            let p = match (t.ref_table(col), &v) {
                (Some(rt), Value::String(uid)) => match local_id(self.conn, rt, uid)? {
                    Some(id) => Sql::Integer(id),
                    None => return Ok(None),
                },
                (_, Value::Null) => return Ok(None),
                (None, v) => to_sql(v),
                (Some(_), _) => return Ok(None),
            };
            clause.push(format!("{} = ?", q(col)));
            params.push(p);
        }
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT uid FROM {} WHERE {}",
                t.name,
                clause.join(" AND ")
            ))?
            .query_row(params_from_iter(params.iter()), |r| r.get(0))
            .optional()?)
    }

    fn alias(&mut self, t: &Table, uid: &str, canonical_uid: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO sync_alias (tbl, uid, canonical) VALUES (?1, ?2, ?3)",
            params![t.name, uid, canonical_uid],
        )?;
        // Anything that named `uid` as canonical follows.
        self.conn.execute(
            "UPDATE sync_alias SET canonical = ?3 WHERE tbl = ?1 AND canonical = ?2",
            params![t.name, uid, canonical_uid],
        )?;
        Ok(())
    }

    fn write_fields(
        &mut self,
        t: &Table,
        loc: &Loc,
        sets: &[(Column, Value)],
        author: &str,
        at: &str,
    ) -> Result<()> {
        if sets.is_empty() {
            return Ok(());
        }
        let mut assigns = Vec::new();
        let mut values = Vec::new();
        for (col, v) in sets {
            assigns.push(format!("{} = ?", q(&col.name)));
            values.push(self.value_for(t, col, v, author, at)?);
        }
        values.extend(loc.params.iter().cloned());
        self.conn.execute(
            &format!(
                "UPDATE {} SET {} WHERE {}",
                t.name,
                assigns.join(", "),
                loc.clause
            ),
            params_from_iter(values.iter()),
        )?;
        if let Some(image) = current(self.conn, t, &self.cols(t)?, loc)? {
            let touches_text = sets.iter().any(|(c, _)| {
                matches!(
                    c.name.as_str(),
                    "body" | "quote" | "start" | "end" | "source_id"
                )
            });
            if touches_text || t.name == "source" {
                self.after_write(t, &image)?;
            }
        }
        Ok(())
    }

    fn apply_update(&mut self, t: &Table, c: &Change, author: &str, at: &str) -> Result<()> {
        let old = c
            .old
            .as_ref()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let new = c
            .new
            .as_ref()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let cols = self.cols(t)?;
        let row_uid = if t.has_uid() {
            canonical(self.conn, t.name, &c.row_uid)?
        } else {
            c.row_uid.clone()
        };
        let mut loc = locate(self.conn, t, &row_uid, Some(&new))?;
        let mut cur = match &loc {
            Some(l) => current(self.conn, t, &cols, l)?,
            None => None,
        };
        if cur.is_none() {
            // Deleted here while it was being edited there: the edit brings it back, flagged.
            if t.has_uid() && self.resurrect(t.name, &row_uid, author, at)?.is_some() {
                loc = locate(self.conn, t, &row_uid, Some(&new))?;
                cur = match &loc {
                    Some(l) => current(self.conn, t, &cols, l)?,
                    None => None,
                };
            }
        }
        let (Some(loc), Some(cur)) = (loc, cur) else {
            return Ok(());
        };
        let mut sets = Vec::new();
        for col in cols.iter() {
            let f = col.name.as_str();
            let (Some(x_new), x_old) = (new.get(f), old.get(f).unwrap_or(&Value::Null)) else {
                continue;
            };
            if x_new == x_old {
                continue;
            }
            let v = cur.get(f).unwrap_or(&Value::Null);
            if v != x_old && v != x_new && !t.is_quiet(f) {
                let displaced = clock_of(self.conn, t.name, &row_uid, f)?;
                let (by, when) = match displaced {
                    Some(k) => (k.author, k.at),
                    None => (self.me.role.clone(), self.now.to_string()),
                };
                // Known by the change that came later and won: every replica finds it there.
                self.conflict(
                    conflict_uid(&c.change_uid, f),
                    "edit",
                    t,
                    &row_uid,
                    Some(f),
                    (x_new, author, at),
                    (v, &by, &when),
                )?;
            }
            if v != x_new {
                sets.push((col.clone(), x_new.clone()));
            }
        }
        self.write_fields(t, &loc, &sets, author, at)
    }

    /// Whether a delete was made without knowing of an edit of the row, or of something added
    /// under it, that the log puts before it (or that waits here to be pushed).
    fn delete_is_concurrent(&mut self, t: &Table, c: &Change, row_uid: &str) -> Result<bool> {
        let old = c
            .old
            .as_ref()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let cols = self.cols(t)?;
        let Some(loc) = locate(self.conn, t, row_uid, Some(&old))? else {
            return Ok(false);
        };
        let Some(cur) = current(self.conn, t, &cols, &loc)? else {
            return Ok(false);
        };
        if cols.iter().any(|col| {
            let f = col.name.as_str();
            !t.is_quiet(f) && old.contains_key(f) && cur.get(f) != old.get(f)
        }) {
            return Ok(true);
        }
        if !t.has_uid() {
            return Ok(false);
        }
        let id: i64 = self.conn.query_row(
            &format!("SELECT id FROM {} WHERE {}", t.name, loc.clause),
            params_from_iter(loc.params.iter()),
            |r| r.get(0),
        )?;
        for child in TABLES {
            for (col, rt) in child.refs {
                if *rt != t.name {
                    continue;
                }
                let nullable = self
                    .cols(child)?
                    .iter()
                    .any(|cc| cc.name == *col && !cc.not_null);
                if nullable {
                    continue;
                }
                let n: i64 = self.conn.query_row(
                    &format!("SELECT count(*) FROM {} WHERE {} = ?1", child.name, q(col)),
                    [id],
                    |r| r.get(0),
                )?;
                if n > 0 {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    fn apply_delete(&mut self, t: &Table, c: &Change, author: &str, at: &str) -> Result<()> {
        let old = c
            .old
            .as_ref()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let cols = self.cols(t)?;
        let row_uid = if t.has_uid() {
            canonical(self.conn, t.name, &c.row_uid)?
        } else {
            c.row_uid.clone()
        };
        let Some(loc) = locate(self.conn, t, &row_uid, Some(&old))? else {
            return Ok(());
        };
        let Some(cur) = current(self.conn, t, &cols, &loc)? else {
            return Ok(());
        };
        let concurrent = self.delete_is_concurrent(t, c, &row_uid)?;
        if concurrent {
            if t.has_uid() {
                let kept_by = self.author_of(t.name, &row_uid)?;
                self.conflict(
                    conflict_uid(&c.change_uid, "*"),
                    "edit_delete",
                    t,
                    &row_uid,
                    None,
                    (&Value::String("kept".into()), &kept_by.0, &kept_by.1),
                    (&Value::Null, author, at),
                )?;
            }
            return Ok(());
        }
        self.conn.execute(
            "INSERT OR REPLACE INTO sync_tombstone (tbl, row_uid, image, change_uid) VALUES (?1, ?2, ?3, ?4)",
            params![t.name, row_uid, Value::Object(cur).to_string(), c.change_uid],
        )?;
        self.conn.execute(
            &format!("DELETE FROM {} WHERE {}", t.name, loc.clause),
            params_from_iter(loc.params.iter()),
        )?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Conflicts

/// A concurrent edit kept aside, as `dossier conflict list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Conflict {
    pub id: i64,
    pub uid: String,
    /// `edit` (two edits of one field), `edit_delete` (an edit and a delete: the item was kept)
    /// or `rejected` (a change that could not apply here).
    pub kind: String,
    /// The item's table, e.g. `excerpt`.
    pub table: String,
    pub item_uid: String,
    pub field: Option<String>,
    /// The value written by this analyst (or, if neither was, the one in the workspace now).
    #[ts(type = "unknown")]
    pub mine: Value,
    /// The other value.
    #[ts(type = "unknown")]
    pub theirs: Value,
    /// Who wrote `theirs`, and when (by the server's clock).
    pub by: String,
    pub at: String,
    /// Which value the workspace holds now: `mine` or `theirs`.
    pub showing: String,
    pub resolved: Option<String>,
    pub resolved_by: Option<String>,
}

pub fn conflicts(conn: &Connection, include_resolved: bool) -> Result<Vec<Conflict>> {
    let role = state(conn)?.map(|s| s.role).unwrap_or_default();
    let mut stmt = conn.prepare(
        "SELECT id, uid, kind, tbl, item_uid, field, kept, kept_by, kept_at, other, other_by,
                other_at, resolved, resolved_by
         FROM sync_conflict WHERE ?1 OR resolved IS NULL ORDER BY id",
    )?;
    let rows = stmt
        .query_map([include_resolved], |r| {
            let parse = |s: Option<String>| {
                s.and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or(Value::Null)
            };
            let kept = parse(r.get(6)?);
            let kept_by: String = r.get(7)?;
            let kept_at: String = r.get(8)?;
            let other = parse(r.get(9)?);
            let other_by: String = r.get(10)?;
            let other_at: String = r.get(11)?;
            // "Mine" is what this analyst wrote, whichever won.
            let other_is_mine = other_by == role && kept_by != role;
            let (mine, theirs, by, at, showing) = if other_is_mine {
                (other, kept, kept_by, kept_at, "theirs")
            } else {
                (kept, other, other_by, other_at, "mine")
            };
            Ok(Conflict {
                id: r.get(0)?,
                uid: r.get(1)?,
                kind: r.get(2)?,
                table: r.get(3)?,
                item_uid: r.get(4)?,
                field: r.get(5)?,
                mine,
                theirs,
                by,
                at,
                showing: showing.to_string(),
                resolved: r.get(12)?,
                resolved_by: r.get(13)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn open_conflicts(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM sync_conflict WHERE resolved IS NULL",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

/// Which side of a conflict to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Mine,
    Theirs,
}

/// Resolves a conflict: the kept value is written as an ordinary edit (so it syncs), and the
/// conflict is marked resolved on every replica. Runs inside the caller's transaction.
pub fn resolve(conn: &Connection, id: i64, keep: Keep, now: &str) -> Result<Conflict> {
    let st = state(conn)?
        .ok_or_else(|| StoreError::Invalid("this workspace does not belong to a team".into()))?;
    let c = conflicts(conn, true)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| {
            StoreError::Invalid(format!(
                "no conflict with id {id} (see `dossier conflict list`)"
            ))
        })?;
    if c.resolved.is_some() {
        return Err(StoreError::Invalid(format!(
            "conflict {id} was already resolved by {}",
            c.resolved_by.clone().unwrap_or_default()
        )));
    }
    let chosen = match keep {
        Keep::Mine => &c.mine,
        Keep::Theirs => &c.theirs,
    };
    let t = table(&c.table);
    match (c.kind.as_str(), t, &c.field) {
        ("edit", Some(t), Some(field)) if t.has_uid() => {
            let col = columns(conn, t)?
                .into_iter()
                .find(|col| &col.name == field)
                .ok_or_else(|| StoreError::Invalid(format!("{} has no field {field}", t.name)))?;
            conn.execute(
                &format!(
                    "UPDATE {} SET {} = ?1 WHERE uid = ?2 AND {} IS NOT ?1",
                    t.name,
                    q(&col.name),
                    q(&col.name)
                ),
                params![to_sql(chosen), canonical(conn, t.name, &c.item_uid)?],
            )?;
        }
        ("edit_delete", Some(t), _) if t.has_uid() && chosen.is_null() => {
            // Keeping the delete.
            conn.execute(
                &format!("DELETE FROM {} WHERE uid = ?1", t.name),
                [canonical(conn, t.name, &c.item_uid)?],
            )?;
        }
        _ => {}
    }
    let which = if (keep == Keep::Mine) == (c.showing == "mine") {
        "kept"
    } else {
        "other"
    };
    conn.execute(
        "UPDATE sync_conflict SET resolved = ?2, resolved_by = ?3, resolved_at = ?4, updated_at = ?4
         WHERE id = ?1",
        params![id, which, st.role, now],
    )?;
    let body = serde_json::json!({"resolved": which, "resolved_by": st.role, "resolved_at": now});
    conn.execute(
        "INSERT INTO sync_outbox (change_uid, tx_uid, tbl, row_uid, op, old, new, made_at)
         VALUES (lower(hex(randomblob(16))), '', 'sync_conflict', ?1, 'update', NULL, ?2, ?3)",
        params![c.uid, body.to_string(), now],
    )?;
    Ok(conflicts(conn, true)?
        .into_iter()
        .find(|x| x.id == id)
        .expect("just resolved"))
}

/// Who last changed an item, and when (None before it was ever synced).
pub fn last_changed(conn: &Connection, tbl: &str, uid: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT author, at FROM sync_row_author WHERE tbl = ?1 AND row_uid = ?2")?
        .query_row(params![tbl, uid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Records the outcome of a sync attempt.
pub fn record_attempt(conn: &Connection, now: &str, error: Option<&str>) -> Result<()> {
    match error {
        None => conn.execute(
            "UPDATE sync_state SET last_sync = ?1, last_error = NULL",
            [now],
        )?,
        Some(e) => conn.execute("UPDATE sync_state SET last_error = ?1", [e])?,
    };
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Merging an archive by uid

/// What merging an archive did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Merged {
    /// Rows the workspace did not have, now added.
    pub added: u64,
    /// Rows it already had (by uid, or the same thing under another uid: a tag path, the same
    /// text), left as they are.
    pub already: u64,
    /// Rows that could not be added (kept as `rejected` conflicts, see `dossier conflict list`).
    pub rejected: u64,
}

/// Adds to the workspace what an archive (of schema 14 or later: rows with uids) holds and the
/// workspace does not, in the caller's transaction. Rows the workspace has are left as they
/// are. In a team workspace what is added is captured like any other change, so it syncs.
pub fn merge_rows(
    conn: &Connection,
    tables: &BTreeMap<String, Vec<Map<String, Value>>>,
    now: &str,
) -> Result<Merged> {
    // The archive's local ids, to turn its references into uids.
    let mut uid_of: std::collections::HashMap<(&str, i64), String> = Default::default();
    for t in TABLES.iter().filter(|t| t.has_uid()) {
        for row in tables.get(t.name).into_iter().flatten() {
            let (Some(id), Some(uid)) = (
                row.get("id").and_then(Value::as_i64),
                row.get("uid").and_then(Value::as_str),
            ) else {
                return Err(StoreError::Invalid(format!(
                    "the archive's {} rows have no uid (it was written before Dossier gave every item one, schema 14): it can only be imported into an empty or new workspace; nothing was merged",
                    t.name
                )));
            };
            uid_of.insert((t.name, id), uid.to_string());
        }
    }
    let me = state(conn)?.unwrap_or_else(|| SyncState {
        team: String::new(),
        server: String::new(),
        replica: String::new(),
        role: "archive".into(),
        last_pulled: 0,
        last_sync: None,
        last_error: None,
    });
    let mut cx = Cx {
        conn,
        me: &me,
        now,
        conflicts: 0,
        provisional: false,
        replaying: None,
        cols: Default::default(),
    };
    let rejected_before = count_rejected(conn)?;
    let mut merged = Merged::default();
    for t in TABLES {
        let cols = columns(conn, t)?;
        for row in tables.get(t.name).into_iter().flatten() {
            let mut image = Map::new();
            for col in cols.iter() {
                let Some(v) = row.get(&col.name) else {
                    continue;
                };
                let v = match (t.ref_table(&col.name), v.as_i64()) {
                    (Some(rt), Some(id)) => uid_of
                        .get(&(rt, id))
                        .map(|u| Value::String(u.clone()))
                        .unwrap_or(Value::Null),
                    (Some(_), None) => Value::Null,
                    (None, _) => v.clone(),
                };
                image.insert(col.name.clone(), v);
            }
            let row_uid = match t.link_key {
                None => image
                    .get("uid")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                Some(key) => key
                    .iter()
                    .map(|c| match image.get(*c) {
                        Some(Value::String(s)) => s.clone(),
                        Some(v) => v.to_string(),
                        None => String::new(),
                    })
                    .collect::<Vec<_>>()
                    .join("/"),
            };
            let here = match locate(conn, t, &row_uid, Some(&image))? {
                Some(loc) => current(conn, t, &cols, &loc)?.is_some(),
                None => false,
            };
            let natural_twin = t.has_uid()
                && !here
                && t.natural
                    .iter()
                    .map(|key| cx.find_natural(t, key, &image))
                    .collect::<Result<Vec<_>>>()?
                    .into_iter()
                    .any(|x| x.is_some());
            if here || natural_twin {
                merged.already += 1;
                if natural_twin {
                    // One row under the uid already here; references to the archive's follow.
                    cx.apply_guarded(&archive_change(t, &row_uid, image), 0, "archive", now)?;
                }
                continue;
            }
            cx.apply_guarded(&archive_change(t, &row_uid, image), 0, "archive", now)?;
            merged.added += 1;
        }
    }
    merged.rejected = count_rejected(conn)? - rejected_before;
    merged.added -= merged.rejected.min(merged.added);
    Ok(merged)
}

fn archive_change(t: &Table, row_uid: &str, image: Map<String, Value>) -> Change {
    Change {
        change_uid: format!("archive/{}/{row_uid}", t.name),
        tx_uid: String::new(),
        replica: "archive".into(),
        tbl: t.name.into(),
        row_uid: row_uid.into(),
        op: Op::Insert,
        old: None,
        new: Some(Value::Object(image)),
        made_at: String::new(),
        seq: None,
        author: Some("archive".into()),
        at: None,
    }
}

fn count_rejected(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM sync_conflict WHERE kind = 'rejected'",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64)
}
