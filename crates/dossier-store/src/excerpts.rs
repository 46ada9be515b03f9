//! Excerpts: exact quotes anchored in a source, with a Markdown note and tags.
//!
//! An excerpt is placed against the source's stored text at the moment it is made, and the
//! quote is stored beside the offsets; nothing here ever moves an anchor silently — which is
//! also why undoing a delete ([`restore`]) refuses, rather than re-anchors, when the source's
//! text no longer holds the quote at its old place.

use dossier_core::briefing::Marking;
use dossier_core::{Anchor, Excerpt, ExcerptPatch, ExcerptTarget};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::sources;
use crate::tags::{self, Owner};

/// Which excerpts to list (the UI's `ExcerptQuery`); both fields narrow, and a tag includes
/// the tags under it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[ts(rename = "ExcerptQuery")]
#[serde(default)]
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
        e.note, e.orphaned, e.created_at, e.updated_at, e.marking,
        (SELECT s.marking FROM source s WHERE s.id = e.source_id), e.uid FROM excerpt e";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Excerpt> {
    let own: Option<String> = r.get(11)?;
    let of_source: String = r.get(12)?;
    let own_marking = own.map(crate::parse_marking).transpose()?;
    Ok(Excerpt {
        id: r.get(0)?,
        uid: r.get(13)?,
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
        marking: match own_marking {
            Some(m) => m,
            None => crate::parse_marking(of_source)?,
        },
        own_marking,
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
    if patch.inherit_marking {
        set_marking(conn, id, None)?;
    } else if let Some(marking) = patch.marking {
        set_marking(conn, id, Some(marking))?;
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

/// Gives the excerpt a marking of its own, or (`None`) lets it follow its source's again.
pub fn set_marking(conn: &Connection, id: i64, marking: Option<Marking>) -> Result<()> {
    conn.execute(
        "UPDATE excerpt SET marking = ?2 WHERE id = ?1",
        params![id, marking.map(Marking::as_str)],
    )?;
    Ok(())
}

/// What a delete took away, enough to undo it with [`restore`]: the excerpt as it was (tags
/// included) and the follow-ups linked to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DeletedExcerpt {
    pub excerpt: Excerpt,
    /// The follow-ups the excerpt concerned (its questions), by id.
    pub followup_ids: Vec<i64>,
    /// The follow-ups whose answer the excerpt supported. Kept apart so an undo does not turn
    /// evidence for an answer into a question about the passage.
    #[serde(default)]
    pub answer_followup_ids: Vec<i64>,
}

fn followups_linked(conn: &Connection, id: i64, role: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT followup_id FROM followup_excerpt WHERE excerpt_id = ?1 AND role = ?2
         ORDER BY followup_id",
    )?;
    let ids = stmt
        .query_map(params![id, role], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

pub fn delete(conn: &Connection, id: i64) -> Result<DeletedExcerpt> {
    let excerpt = get(conn, id)?;
    let followup_ids = followups_linked(conn, id, "concerns")?;
    let answer_followup_ids = followups_linked(conn, id, "answer")?;
    conn.execute("DELETE FROM excerpt WHERE id = ?1", [id])?;
    Ok(DeletedExcerpt {
        excerpt,
        followup_ids,
        answer_followup_ids,
    })
}

/// Re-creates a deleted excerpt at the same range of the same source, with its note, tags,
/// creation time and the links to the follow-ups that still exist; under its old id when that
/// is free. Refused when the source's text at that range is no longer the quote: the excerpt
/// would otherwise cite a passage the analyst never chose.
pub fn restore(conn: &Connection, deleted: &DeletedExcerpt, now: &str) -> Result<i64> {
    let e = &deleted.excerpt;
    let body = sources::body(conn, e.source_id)?;
    let (start, end) = match (usize::try_from(e.start), usize::try_from(e.end)) {
        (Ok(start), Ok(end)) => (start, end),
        _ => return Err(changed_since(e)),
    };
    let anchor = Anchor::from_range(&body, start, end).map_err(|_| changed_since(e))?;
    if anchor.quote != e.quote {
        return Err(changed_since(e));
    }
    let id = if exists(conn, e.id)? {
        None
    } else {
        Some(e.id)
    };
    // The same item comes back, global id included, unless another row took it since (an undo
    // handed an id from elsewhere): then, as with an empty one, the trigger gives it a new one.
    let uid_taken = conn
        .query_row("SELECT 1 FROM excerpt WHERE uid = ?1", [&e.uid], |_| Ok(()))
        .optional()?
        .is_some();
    let uid = (!e.uid.is_empty() && !uid_taken).then_some(e.uid.as_str());
    conn.execute(
        "INSERT INTO excerpt (id, source_id, quote, prefix, suffix, start, \"end\", note, created_at, updated_at,
                              marking, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            e.source_id,
            anchor.quote,
            anchor.prefix,
            anchor.suffix,
            anchor.start as i64,
            anchor.end as i64,
            e.note,
            e.created_at,
            now,
            e.own_marking.map(Marking::as_str),
            uid
        ],
    )?;
    let id = conn.last_insert_rowid();
    tags::retag(conn, Owner::Excerpt, id, &e.tags, &[], now)?;
    for (role, followup_ids) in [
        ("concerns", &deleted.followup_ids),
        ("answer", &deleted.answer_followup_ids),
    ] {
        for followup_id in followup_ids {
            // A follow-up deleted since is skipped: the excerpt comes back without it.
            conn.execute(
                "INSERT OR IGNORE INTO followup_excerpt (followup_id, excerpt_id, role, position)
                 SELECT f.id, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM followup_excerpt
                                       WHERE followup_id = f.id AND role = ?3)
                 FROM followup f WHERE f.id = ?1",
                params![followup_id, id, role],
            )?;
        }
    }
    Ok(id)
}

fn changed_since(e: &Excerpt) -> StoreError {
    StoreError::invalid(format!(
        "excerpt {} cannot be restored: the text of source {} has changed, and characters {}–{} no longer hold its quote; nothing was changed",
        e.id, e.source_id, e.start, e.end
    ))
}
