//! Excerpts: exact quotes anchored in a source, with a Markdown note and tags.
//!
//! An excerpt is placed against the source's stored text at the moment it is made, and the
//! quote is stored beside the offsets; nothing here ever moves an anchor silently.

use dossier_core::{Anchor, Excerpt, ExcerptPatch, ExcerptTarget};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Result, StoreError};
use crate::sources;
use crate::tags::{self, Owner};

#[derive(Debug, Clone, Default)]
pub struct ExcerptFilter {
    pub source_id: Option<i64>,
    /// A tag name; its descendants count too.
    pub tag: Option<String>,
}

pub fn add(
    conn: &Connection,
    source_id: i64,
    target: &ExcerptTarget,
    note: &str,
    tag_inputs: &[String],
    now: &str,
) -> Result<i64> {
    let body = sources::body(conn, source_id)?;
    let anchor = match target {
        ExcerptTarget::Quote { quote, occurrence } => Anchor::locate(&body, quote, *occurrence)?,
        ExcerptTarget::Range { start, end } => Anchor::from_range(&body, *start, *end)?,
    };
    conn.execute(
        "INSERT INTO excerpt (source_id, quote, prefix, suffix, start, \"end\", note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            source_id,
            anchor.quote,
            anchor.prefix,
            anchor.suffix,
            anchor.start as i64,
            anchor.end as i64,
            note.trim(),
            now
        ],
    )?;
    let id = conn.last_insert_rowid();
    tags::retag(conn, Owner::Excerpt, id, tag_inputs, &[], now)?;
    Ok(id)
}

const EXCERPT_SELECT: &str =
    "SELECT e.id, e.source_id, e.quote, e.prefix, e.suffix, e.start, e.\"end\",
        e.note, e.orphaned, e.created_at, e.updated_at FROM excerpt e";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Excerpt> {
    Ok(Excerpt {
        id: r.get(0)?,
        source_id: r.get(1)?,
        quote: r.get(2)?,
        prefix: r.get(3)?,
        suffix: r.get(4)?,
        start: r.get(5)?,
        end: r.get(6)?,
        note: r.get(7)?,
        orphaned: r.get::<_, i64>(8)? != 0,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        tags: Vec::new(),
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Excerpt> {
    let mut e = conn
        .query_row(&format!("{EXCERPT_SELECT} WHERE e.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::ExcerptNotFound(id))?;
    e.tags = tags::paths_of(conn, Owner::Excerpt, id)?;
    Ok(e)
}

pub fn exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM excerpt WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Excerpts in source order (source, then position in its text).
pub fn list(conn: &Connection, filter: &ExcerptFilter) -> Result<Vec<Excerpt>> {
    if let Some(source_id) = filter.source_id
        && !sources::exists(conn, source_id)?
    {
        return Err(StoreError::SourceNotFound(source_id));
    }
    let tag_path = match &filter.tag {
        Some(input) => Some(tags::require(conn, input)?.1),
        None => None,
    };
    let mut stmt = conn.prepare_cached(&format!(
        "{EXCERPT_SELECT}
         WHERE (?1 IS NULL OR e.source_id = ?1)
           AND (?2 IS NULL OR EXISTS (
                 SELECT 1 FROM excerpt_tag x JOIN tag t ON t.id = x.tag_id
                 WHERE x.excerpt_id = e.id
                   AND (t.path = ?2 OR (t.path > ?2 || '/' AND t.path < ?2 || '0'))))
         ORDER BY e.source_id, e.start, e.id"
    ))?;
    let mut out: Vec<Excerpt> = stmt
        .query_map(params![filter.source_id, tag_path], from_row)?
        .collect::<Result<_, _>>()?;
    for e in &mut out {
        e.tags = tags::paths_of(conn, Owner::Excerpt, e.id)?;
    }
    Ok(out)
}

pub fn edit(conn: &Connection, id: i64, patch: &ExcerptPatch, now: &str) -> Result<()> {
    if !exists(conn, id)? {
        return Err(StoreError::ExcerptNotFound(id));
    }
    if let Some(note) = &patch.note {
        conn.execute(
            "UPDATE excerpt SET note = ?2 WHERE id = ?1",
            params![id, note.trim()],
        )?;
    }
    tags::retag(
        conn,
        Owner::Excerpt,
        id,
        &patch.add_tags,
        &patch.remove_tags,
        now,
    )?;
    conn.execute(
        "UPDATE excerpt SET updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM excerpt WHERE id = ?1", [id])? == 0 {
        return Err(StoreError::ExcerptNotFound(id));
    }
    Ok(())
}
