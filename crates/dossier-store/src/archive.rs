//! The whole workspace as one JSON document, and back: for moving a workspace between machines
//! or versions, and for keeping it in a form any tool can read.
//!
//! Format, version 1:
//!
//! ```json
//! { "format": "dossier-archive", "version": 1, "schema_version": 5,
//!   "exported_at": "2026-11-26T12:00:00Z",
//!   "tables": { "source": [ { "id": 1, "title": "…", "authors": "[\"Jeanne Roy\"]", … } ],
//!               "excerpt": [ … ], "tag": [ … ], … } }
//! ```
//!
//! `tables` holds every table of the workspace's schema (`schema_version`), under its own name,
//! every row as an object of every column, exactly as stored: integers, text, `null` (a blob
//! would be `{"$blob": "hex"}`; none exists today). Times are RFC 3339 UTC text, dates
//! `YYYY-MM-DD`, and the columns that hold JSON (`authors`, `pages`, `frozen_citation`) hold it
//! as text. Rows are in primary-key order. The search indexes are not exported: they are
//! rebuilt from the rows.
//!
//! The decision a reader might question: the archive is the tables, not the records the CLI
//! prints. A record format would have to be extended by hand for every new column, and a field
//! forgotten there is a field lost in the round trip; rows of every table cannot forget one.
//! The price is that the format follows the schema, so the archive names its schema version
//! and an import loads it at that version, then brings it up to date through the same
//! migrations as a workspace file. Everything is loaded into a staging database first and
//! checked (types, constraints, foreign keys, integrity) before the target is touched, then
//! copied in with the backup API: an import is complete or has not happened.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::backup::{self, Counts};
use crate::error::{Result, StoreError};
use crate::{Workspace, atomic_file, db};

/// The value of `format`.
pub const FORMAT: &str = "dossier-archive";
/// The archive format this build writes and the newest it reads.
pub const VERSION: u32 = 1;

/// A whole workspace: see the module documentation for the format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Archive {
    pub format: String,
    pub version: u32,
    pub schema_version: usize,
    pub exported_at: String,
    /// Table name → rows, each a map of column name → value.
    pub tables: BTreeMap<String, Vec<Map<String, Value>>>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub path: PathBuf,
    pub bytes: u64,
    pub schema_version: usize,
    pub rows: usize,
    pub counts: Counts,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub workspace: PathBuf,
    pub archive_schema_version: usize,
    pub schema_version: usize,
    pub rows: usize,
    pub counts: Counts,
}

/// The tables an archive holds: the schema's ordinary tables, without SQLite's own and without
/// the search indexes (virtual tables and their shadow tables), which are rebuilt from rows, and
/// without the near-duplicate index and story grouping, which the workspace rebuilds when it
/// opens (see `stories`), and without the browser connector's tokens and pairing requests: they
/// belong to this machine's browsers, and a workspace restored or moved elsewhere pairs again.
fn data_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'sync_%'
         AND name NOT IN ('source_neardup', 'source_band', 'story_member',
                          'connector_token', 'connector_pairing') ORDER BY name",
    )?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

/// A table's columns, and the columns of its primary key in key order (empty: none declared).
fn columns(conn: &Connection, table: &str) -> Result<(Vec<String>, Vec<String>)> {
    let mut stmt = conn.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?;
    let rows = stmt
        .query_map([table], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut key: Vec<(i64, String)> = rows
        .iter()
        .filter(|(_, pk)| *pk > 0)
        .map(|(n, pk)| (*pk, n.clone()))
        .collect();
    key.sort();
    Ok((
        rows.into_iter().map(|(n, _)| n).collect(),
        key.into_iter().map(|(_, n)| n).collect(),
    ))
}

/// Identifiers come from the schema itself, never from an archive (those are checked against
/// the schema first); quoting keeps names such as `end` valid.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn to_json(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
            serde_json::json!({ "$blob": hex })
        }
    }
}

fn from_json(value: &Value) -> Option<SqlValue> {
    Some(match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64()?),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Object(o) if o.len() == 1 => {
            let hex = o.get("$blob")?.as_str()?;
            if hex.len() % 2 != 0 {
                return None;
            }
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()?;
            SqlValue::Blob(bytes)
        }
        _ => return None,
    })
}

/// Reads every table of the workspace inside one read transaction, so the archive is the
/// workspace as of one instant even while another program writes.
pub fn export(ws: &Workspace, now: &str) -> Result<Archive> {
    let conn = ws.conn();
    let tx = conn.unchecked_transaction()?;
    let schema_version: usize = tx
        .pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?
        .try_into()
        .unwrap_or(0);
    let mut tables = BTreeMap::new();
    for table in data_tables(&tx)? {
        let (cols, key) = columns(&tx, &table)?;
        let order = if key.is_empty() {
            "rowid".to_string()
        } else {
            key.iter().map(|k| quoted(k)).collect::<Vec<_>>().join(", ")
        };
        let list = cols
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = tx.prepare(&format!(
            "SELECT {list} FROM {} ORDER BY {order}",
            quoted(&table)
        ))?;
        let rows = stmt
            .query_map([], |r| {
                let mut row = Map::new();
                for (i, c) in cols.iter().enumerate() {
                    row.insert(c.clone(), to_json(r.get_ref(i)?));
                }
                Ok(row)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        tables.insert(table, rows);
    }
    drop(tx);
    Ok(Archive {
        format: FORMAT.into(),
        version: VERSION,
        schema_version,
        exported_at: now.into(),
        tables,
    })
}

/// `dossier archive export FILE`: writes the archive to a new file (an existing one is never
/// replaced), through a hidden partial file so a failed export leaves nothing half-written.
pub fn export_to_file(ws: &Workspace, path: &Path, now: &str) -> Result<Exported> {
    if path.exists() {
        return Err(StoreError::invalid(format!(
            "{} already exists; choose another name (an export never overwrites a file)",
            path.display()
        )));
    }
    let archive = export(ws, now)?;
    let bytes = atomic_file::write_new_with(path, |out| {
        serde_json::to_writer_pretty(&mut *out, &archive).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    })
    .map_err(|e| match e.kind() {
        // Created by another program since the check above.
        std::io::ErrorKind::AlreadyExists => StoreError::invalid(format!(
            "{} already exists; choose another name (an export never overwrites a file)",
            path.display()
        )),
        _ => StoreError::Io {
            context: format!("cannot write {}", path.display()),
            source: e,
        },
    })?;
    Ok(Exported {
        path: path.to_path_buf(),
        bytes,
        schema_version: archive.schema_version,
        rows: archive.tables.values().map(Vec::len).sum(),
        counts: backup::counts(ws.conn())?,
    })
}

/// Reads an archive file, refusing what is not one with a message that says why.
pub fn read_file(path: &Path) -> Result<Archive> {
    let file = fs::File::open(path).map_err(|e| StoreError::Io {
        context: format!("cannot read {}", path.display()),
        source: e,
    })?;
    let archive: Archive = serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| {
        StoreError::invalid(format!(
            "{} is not a Dossier archive ({e}); nothing was imported",
            path.display()
        ))
    })?;
    Ok(archive)
}

fn check_header(archive: &Archive) -> Result<()> {
    if archive.format != FORMAT {
        return Err(StoreError::invalid(format!(
            "this is not a Dossier archive (its format is \"{}\", not \"{FORMAT}\"); nothing was imported",
            archive.format
        )));
    }
    let known = *db::SCHEMA_VERSION;
    if archive.version > VERSION || archive.schema_version > known {
        return Err(StoreError::invalid(format!(
            "this archive was written by a newer version of Dossier (archive format {}, schema {}; this version reads up to format {VERSION}, schema {known}); update Dossier to import it — nothing was imported",
            archive.version, archive.schema_version
        )));
    }
    if archive.version == 0 || archive.schema_version == 0 {
        return Err(StoreError::invalid(
            "this archive names no version or schema; nothing was imported",
        ));
    }
    Ok(())
}

/// Loads an archive into a new in-memory database at its own schema, checks it, and migrates
/// it to this build's schema. Nothing outside the staging database is touched.
fn stage(archive: &Archive, page_size: i64) -> Result<Connection> {
    check_header(archive)?;
    let mut conn = Connection::open_in_memory()?;
    // The backup API can only copy into a WAL database of the same page size, and an empty
    // database takes its page size from this setting.
    conn.pragma_update(None, "page_size", page_size)?;
    // Rows arrive table by table in name order, not parents first; the foreign keys are
    // checked once everything is in (below).
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    db::migrate_to(&mut conn, archive.schema_version)?;
    let tx = conn.transaction()?;
    let tables = data_tables(&tx)?;
    for table in &tables {
        // The seed taxonomy a migration wrote: the archive's own tags replace it.
        tx.execute(&format!("DELETE FROM {}", quoted(table)), [])?;
    }
    for (table, rows) in &archive.tables {
        if !tables.contains(table) {
            return Err(StoreError::invalid(format!(
                "the archive has a table \"{table}\" that schema {} does not have; nothing was imported",
                archive.schema_version
            )));
        }
        let (cols, _) = columns(&tx, table)?;
        for (i, row) in rows.iter().enumerate() {
            let bad = |what: String| {
                StoreError::invalid(format!(
                    "row {} of \"{table}\" in the archive {what}; nothing was imported",
                    i + 1
                ))
            };
            let mut names = Vec::with_capacity(row.len());
            let mut values = Vec::with_capacity(row.len());
            for (name, value) in row {
                if !cols.contains(name) {
                    return Err(bad(format!(
                        "has a column \"{name}\" the table does not have"
                    )));
                }
                names.push(quoted(name));
                values
                    .push(from_json(value).ok_or_else(|| {
                        bad(format!("has a value of another kind in \"{name}\""))
                    })?);
            }
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                quoted(table),
                names.join(", "),
                vec!["?"; names.len()].join(", ")
            );
            let mut stmt = tx.prepare_cached(&sql)?;
            stmt.execute(params_from_iter(values))
                .map_err(|e| bad(format!("cannot be stored ({e})")))?;
        }
    }
    let dangling: Option<(String, i64, String)> = tx
        .query_row(
            "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    r.get(2)?,
                ))
            },
        )
        .ok();
    if let Some((table, rowid, parent)) = dangling {
        return Err(StoreError::invalid(format!(
            "the archive is inconsistent: a row of \"{table}\" (rowid {rowid}) points at a row of \"{parent}\" that is not in it; nothing was imported"
        )));
    }
    tx.commit()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    db::migrate_to_latest(&mut conn)?;
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(StoreError::invalid(format!(
            "the archive does not make a sound workspace ({ok}); nothing was imported"
        )));
    }
    Ok(conn)
}

/// True when the workspace holds nothing of the analyst's: no rows at all, except a taxonomy
/// that is still exactly the one a new workspace starts with.
pub fn is_empty(ws: &Workspace) -> Result<bool> {
    let conn = ws.conn();
    for table in data_tables(conn)? {
        if table == "tag" || table == "tag_alias" {
            continue;
        }
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {}", quoted(&table)),
            [],
            |r| r.get(0),
        )?;
        if n > 0 {
            return Ok(false);
        }
    }
    let mut fresh = Connection::open_in_memory()?;
    db::migrate_to_latest(&mut fresh)?;
    Ok(taxonomy(conn)? == taxonomy(&fresh)?)
}

fn taxonomy(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT t.path || '|' || t.label || '|' || coalesce(t.label_fr, '') || '|'
                || coalesce(t.color, '') || '|'
                || coalesce((SELECT group_concat(alias, ',') FROM
                               (SELECT alias FROM tag_alias a WHERE a.tag_id = t.id ORDER BY alias)), '')
         FROM tag t ORDER BY t.path",
    )?;
    let rows = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows)
}

/// Merges an archive into an open workspace that holds work already: what the archive has and
/// the workspace does not (by uid) is added, in one transaction; the rest is left as it is.
/// Needs an archive written since every item has a uid (schema 14).
pub fn merge(ws: &mut Workspace, archive: &Archive, now: &str) -> Result<crate::sync::Merged> {
    let known = *crate::SCHEMA_VERSION;
    if archive.format != FORMAT || archive.version == 0 || archive.version > VERSION {
        return Err(StoreError::Invalid(
            "this is not a Dossier archive this version can read; nothing was merged".into(),
        ));
    }
    if archive.schema_version > known {
        return Err(StoreError::Invalid(format!(
            "the archive was written by a newer Dossier (schema {}, this version knows up to {known}); nothing was merged",
            archive.schema_version
        )));
    }
    if archive.schema_version < 14 {
        return Err(StoreError::Invalid(format!(
            "the archive is of schema {}, from before every item had a uid (schema 14): it can only be imported into an empty or new workspace (--into-new PATH); nothing was merged",
            archive.schema_version
        )));
    }
    ws.with_tx(|tx| crate::sync::merge_rows(tx, &archive.tables, now))
}

/// Imports an archive into an open workspace that [`is_empty`]; a workspace with anything of
/// the analyst's in it is refused (import into a new one instead).
pub fn import(ws: &mut Workspace, archive: &Archive) -> Result<Imported> {
    if !is_empty(ws)? {
        let c = backup::counts(ws.conn())?;
        return Err(StoreError::invalid(format!(
            "the workspace {} already holds work ({} source(s), {} excerpt(s), {} question(s), {} briefing(s), or tags of its own); an archive is imported only into an empty or new workspace: give --into-new PATH — nothing was imported",
            ws.path().display(),
            c.sources,
            c.excerpts,
            c.questions,
            c.briefings
        )));
    }
    let page_size: i64 = ws
        .conn()
        .pragma_query_value(None, "page_size", |r| r.get(0))?;
    let staged = stage(archive, page_size)?;
    backup::copy_all(&staged, &mut ws.conn)?;
    Ok(Imported {
        workspace: ws.path().to_path_buf(),
        archive_schema_version: archive.schema_version,
        schema_version: *db::SCHEMA_VERSION,
        rows: archive.tables.values().map(Vec::len).sum(),
        counts: backup::counts(ws.conn())?,
    })
}

/// Imports an archive into a new workspace at `path`, which must not exist. The workspace is
/// built under a hidden partial name beside it and given its name only when complete, so an
/// interrupted import (a crash, a kill) leaves no half-made workspace at `path` to trip over.
pub fn import_into_new(path: &Path, archive: &Archive) -> Result<Imported> {
    if path.exists() {
        return Err(StoreError::invalid(format!(
            "{} already exists; --into-new needs the path of a workspace to create — nothing was imported",
            path.display()
        )));
    }
    // Checked before a file is created, so a bad archive leaves nothing behind.
    check_header(archive)?;
    let partial = atomic_file::temp_path(path).map_err(|e| StoreError::Io {
        context: format!("cannot create {}", path.display()),
        source: e,
    })?;
    let remove = |p: &Path| {
        for suffix in ["", "-wal", "-shm"] {
            let mut f = p.as_os_str().to_owned();
            f.push(suffix);
            let _ = fs::remove_file(PathBuf::from(f));
        }
    };
    remove(&partial);
    let result = (|| -> Result<Imported> {
        let mut ws = Workspace::open(&partial)?;
        let mut imported = import(&mut ws, archive)?;
        // Closing the last connection folds the WAL into the file and removes it, so the one
        // file published below is the whole workspace.
        drop(ws);
        atomic_file::publish_new(&partial, path).map_err(|e| match e.kind() {
            // Created by another program while the import ran.
            std::io::ErrorKind::AlreadyExists => StoreError::invalid(format!(
                "{} already exists; --into-new needs the path of a workspace to create — nothing was imported",
                path.display()
            )),
            _ => StoreError::Io {
                context: format!("cannot create {}", path.display()),
                source: e,
            },
        })?;
        imported.workspace = path.to_path_buf();
        Ok(imported)
    })();
    remove(&partial);
    result
}
