//! Saved searches: a name and a query, rerun on demand. A query is checked when it is saved,
//! so a saved search never fails to parse later (a tag it names may still be deleted since).
//!
//! Each remembers the items it matched when the user last looked (`saved_search_seen`), so it
//! can say how many it matches now that it did not then. A set rather than a high-water mark:
//! an old source edited (or re-tagged) into matching is new to the search, and an id above the
//! mark that stopped matching is not.

use dossier_core::fold;
use std::collections::HashSet;

use dossier_core::query::{ItemKind, SavedSearch, SavedSearchStatus};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Result, StoreError};

const SELECT: &str = "SELECT id, name, query, alert, created_at, updated_at, uid FROM saved_search";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SavedSearch> {
    Ok(SavedSearch {
        id: r.get(0)?,
        uid: r.get(6)?,
        name: r.get(1)?,
        query: r.get(2)?,
        alert: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

/// Saves `query` under `name`, replacing the query (and alert flag) of an existing search with
/// that name. What it matches now counts as seen: the user is looking at it.
pub fn save(
    conn: &Connection,
    name: &str,
    query: &str,
    alert: bool,
    now: &str,
) -> Result<SavedSearch> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::invalid("a saved search needs a name"));
    }
    dossier_core::query::parse(query).map_err(StoreError::Query)?;
    conn.execute(
        "INSERT INTO saved_search (name, name_key, query, alert, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, query = excluded.query,
             alert = excluded.alert, updated_at = excluded.updated_at",
        params![name, fold(name), query.trim(), alert, now],
    )?;
    let saved = get(conn, name)?;
    mark_seen(conn, &saved)?;
    Ok(saved)
}

pub fn get(conn: &Connection, name: &str) -> Result<SavedSearch> {
    conn.query_row(
        &format!("{SELECT} WHERE name_key = ?1"),
        [fold(name.trim())],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::invalid(format!("no saved search is called \"{}\"", name.trim())))
}

pub fn list(conn: &Connection) -> Result<Vec<SavedSearch>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY name_key"))?;
    let rows = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn delete(conn: &Connection, name: &str) -> Result<SavedSearch> {
    let s = get(conn, name)?;
    conn.execute("DELETE FROM saved_search WHERE id = ?1", [s.id])?;
    Ok(s)
}

/// Remembers what the search matches now as seen (in the caller's transaction).
pub fn mark_seen(conn: &Connection, saved: &SavedSearch) -> Result<()> {
    let items = crate::search::matching_items(conn, &saved.query)?;
    conn.execute(
        "DELETE FROM saved_search_seen WHERE saved_search_id = ?1",
        [saved.id],
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO saved_search_seen (saved_search_id, kind, item_id) VALUES (?1, ?2, ?3)",
    )?;
    for (kind, id) in items {
        insert.execute(params![saved.id, kind.as_str(), id])?;
    }
    Ok(())
}

/// How many items the search matches now that it did not when last seen. A story counts once:
/// a new copy of a story already seen (another outlet carrying the same wire story) is not new,
/// and three outlets carrying one new story are one new match.
pub fn new_count(conn: &Connection, saved: &SavedSearch) -> Result<i64> {
    let items = crate::search::matching_items(conn, &saved.query)?;
    let mut seen = conn.prepare_cached(
        "SELECT 1 FROM saved_search_seen WHERE saved_search_id = ?1 AND kind = ?2 AND item_id = ?3",
    )?;
    let mut unseen: Vec<(ItemKind, i64)> = Vec::new();
    let mut stories_seen: HashSet<i64> = HashSet::new();
    for (kind, id) in items {
        let story = match kind {
            ItemKind::Source => crate::stories::story_of(conn, id)?,
            _ => None,
        };
        if seen.exists(params![saved.id, kind.as_str(), id])? {
            stories_seen.extend(story);
        } else {
            unseen.push((kind, id));
        }
    }
    let mut new_stories: HashSet<i64> = HashSet::new();
    let mut n = 0;
    for (kind, id) in unseen {
        if kind == ItemKind::Source
            && let Some(story) = crate::stories::story_of(conn, id)?
            && (stories_seen.contains(&story) || !new_stories.insert(story))
        {
            continue;
        }
        n += 1;
    }
    Ok(n)
}

/// Every saved search with its count of new matches, by name.
pub fn statuses(conn: &Connection) -> Result<Vec<SavedSearchStatus>> {
    list(conn)?
        .into_iter()
        .map(|search| {
            let new_count = new_count(conn, &search)?;
            Ok(SavedSearchStatus { search, new_count })
        })
        .collect()
}
