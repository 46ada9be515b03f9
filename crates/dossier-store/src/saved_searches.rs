//! Saved searches: a name and a query, rerun on demand. A query is checked when it is saved,
//! so a saved search never fails to parse later (a tag it names may still be deleted since).

use dossier_core::fold;
use dossier_core::query::SavedSearch;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Result, StoreError};

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SavedSearch> {
    Ok(SavedSearch {
        id: r.get(0)?,
        name: r.get(1)?,
        query: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
    })
}

/// Saves `query` under `name`, replacing the query of an existing search with that name.
pub fn save(conn: &Connection, name: &str, query: &str, now: &str) -> Result<SavedSearch> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::invalid("a saved search needs a name"));
    }
    dossier_core::query::parse(query).map_err(StoreError::Query)?;
    conn.execute(
        "INSERT INTO saved_search (name, name_key, query, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, query = excluded.query, updated_at = excluded.updated_at",
        params![name, fold(name), query.trim(), now],
    )?;
    get(conn, name)
}

pub fn get(conn: &Connection, name: &str) -> Result<SavedSearch> {
    conn.query_row(
        "SELECT id, name, query, created_at, updated_at FROM saved_search WHERE name_key = ?1",
        [fold(name.trim())],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::invalid(format!("no saved search is called \"{}\"", name.trim())))
}

pub fn list(conn: &Connection) -> Result<Vec<SavedSearch>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, query, created_at, updated_at FROM saved_search ORDER BY name_key",
    )?;
    let rows = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn delete(conn: &Connection, name: &str) -> Result<SavedSearch> {
    let s = get(conn, name)?;
    conn.execute("DELETE FROM saved_search WHERE id = ?1", [s.id])?;
    Ok(s)
}
