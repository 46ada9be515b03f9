//! Follow-ups: questions the material raises, tracked open → answered (or dropped), linked to
//! the excerpts and sources they concern and to the excerpts that settle them.
//!
//! Reopening keeps the previous answer text (nothing an analyst wrote is thrown away); only
//! `answered_at` is cleared, and answering again replaces the answer.

use dossier_core::{FollowUp, FollowUpPatch, FollowUpStatus, IsoDate, NewFollowUp};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Result, StoreError};
use crate::tags::{self, Owner};
use crate::{excerpts, sources};

fn check_due(due: Option<&str>) -> Result<Option<String>> {
    match due.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Ok(Some(d.parse::<IsoDate>()?.to_string())),
        None => Ok(None),
    }
}

fn clean(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn link_excerpts(conn: &Connection, id: i64, role: &str, excerpt_ids: &[i64]) -> Result<()> {
    for &excerpt_id in excerpt_ids {
        if !excerpts::exists(conn, excerpt_id)? {
            return Err(StoreError::ExcerptNotFound(excerpt_id));
        }
        conn.execute(
            "INSERT OR IGNORE INTO followup_excerpt (followup_id, excerpt_id, role, position)
             VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM followup_excerpt
                                  WHERE followup_id = ?1 AND role = ?3))",
            params![id, excerpt_id, role],
        )?;
    }
    Ok(())
}

fn link_sources(conn: &Connection, id: i64, source_ids: &[i64]) -> Result<()> {
    for &source_id in source_ids {
        if !sources::exists(conn, source_id)? {
            return Err(StoreError::SourceNotFound(source_id));
        }
        conn.execute(
            "INSERT OR IGNORE INTO followup_source (followup_id, source_id, position)
             VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM followup_source WHERE followup_id = ?1))",
            params![id, source_id],
        )?;
    }
    Ok(())
}

pub fn add(conn: &Connection, new: &NewFollowUp, now: &str) -> Result<i64> {
    let text = new.text.trim();
    if text.is_empty() {
        return Err(StoreError::invalid("the question is empty"));
    }
    let due = check_due(new.due.as_deref())?;
    conn.execute(
        "INSERT INTO followup (question, status, due, owner, created_at, updated_at)
         VALUES (?1, 'open', ?2, ?3, ?4, ?4)",
        params![text, due, clean(new.owner.as_deref()), now],
    )?;
    let id = conn.last_insert_rowid();
    link_excerpts(conn, id, "concerns", &new.excerpt_ids)?;
    link_sources(conn, id, &new.source_ids)?;
    tags::retag(conn, Owner::FollowUp, id, &new.tags, &[], now)?;
    Ok(id)
}

fn exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM followup WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn linked_excerpts(conn: &Connection, id: i64, role: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT excerpt_id FROM followup_excerpt WHERE followup_id = ?1 AND role = ?2 ORDER BY position",
    )?;
    let ids = stmt
        .query_map(params![id, role], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

pub fn get(conn: &Connection, id: i64) -> Result<FollowUp> {
    let mut f = conn
        .query_row(
            "SELECT id, question, status, due, owner, answer, created_at, updated_at, answered_at, uid
             FROM followup WHERE id = ?1",
            [id],
            |r| {
                let status: String = r.get(2)?;
                Ok(FollowUp {
                    id: r.get(0)?,
                    uid: r.get(9)?,
                    text: r.get(1)?,
                    status: status.parse().unwrap_or(FollowUpStatus::Open),
                    due: r.get(3)?,
                    owner: r.get(4)?,
                    answer: r.get(5)?,
                    created_at: r.get(6)?,
                    updated_at: r.get(7)?,
                    answered_at: r.get(8)?,
                    excerpt_ids: Vec::new(),
                    source_ids: Vec::new(),
                    tags: Vec::new(),
                    answer_excerpt_ids: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or(StoreError::FollowUpNotFound(id))?;
    f.excerpt_ids = linked_excerpts(conn, id, "concerns")?;
    f.answer_excerpt_ids = linked_excerpts(conn, id, "answer")?;
    let mut stmt = conn.prepare_cached(
        "SELECT source_id FROM followup_source WHERE followup_id = ?1 ORDER BY position",
    )?;
    f.source_ids = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    f.tags = tags::paths_of(conn, Owner::FollowUp, id)?;
    Ok(f)
}

/// Follow-ups, open ones first, then by due date (undated last) and id.
pub fn list(conn: &Connection, status: Option<FollowUpStatus>) -> Result<Vec<FollowUp>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM followup WHERE ?1 IS NULL OR status = ?1
         ORDER BY CASE status WHEN 'open' THEN 0 WHEN 'answered' THEN 1 ELSE 2 END,
                  due IS NULL, due, id",
    )?;
    let ids: Vec<i64> = stmt
        .query_map([status.map(FollowUpStatus::as_str)], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.into_iter().map(|id| get(conn, id)).collect()
}

pub fn edit(conn: &Connection, id: i64, patch: &FollowUpPatch, now: &str) -> Result<()> {
    if !exists(conn, id)? {
        return Err(StoreError::FollowUpNotFound(id));
    }
    if let Some(text) = &patch.text {
        if text.trim().is_empty() {
            return Err(StoreError::invalid("the question cannot be empty"));
        }
        conn.execute(
            "UPDATE followup SET question = ?2 WHERE id = ?1",
            params![id, text.trim()],
        )?;
    }
    if let Some(due) = &patch.due {
        conn.execute(
            "UPDATE followup SET due = ?2 WHERE id = ?1",
            params![id, check_due(Some(due))?],
        )?;
    }
    if let Some(owner) = &patch.owner {
        conn.execute(
            "UPDATE followup SET owner = ?2 WHERE id = ?1",
            params![id, clean(Some(owner))],
        )?;
    }
    link_excerpts(conn, id, "concerns", &patch.add_excerpt_ids)?;
    link_sources(conn, id, &patch.add_source_ids)?;
    tags::retag(
        conn,
        Owner::FollowUp,
        id,
        &patch.add_tags,
        &patch.remove_tags,
        now,
    )?;
    conn.execute(
        "UPDATE followup SET updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Records the answer and the excerpts that support it, and marks the question answered.
pub fn answer(
    conn: &Connection,
    id: i64,
    text: &str,
    excerpt_ids: &[i64],
    now: &str,
) -> Result<()> {
    if !exists(conn, id)? {
        return Err(StoreError::FollowUpNotFound(id));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(StoreError::invalid("the answer is empty"));
    }
    conn.execute(
        "UPDATE followup SET status = 'answered', answer = ?2, answered_at = ?3, updated_at = ?3 WHERE id = ?1",
        params![id, text, now],
    )?;
    conn.execute(
        "DELETE FROM followup_excerpt WHERE followup_id = ?1 AND role = 'answer'",
        [id],
    )?;
    link_excerpts(conn, id, "answer", excerpt_ids)?;
    Ok(())
}

/// Drops or reopens a question (answering goes through [`answer`]).
pub fn set_status(conn: &Connection, id: i64, status: FollowUpStatus, now: &str) -> Result<()> {
    if !exists(conn, id)? {
        return Err(StoreError::FollowUpNotFound(id));
    }
    if status == FollowUpStatus::Answered {
        return Err(StoreError::invalid(
            "to mark a question answered, give its answer",
        ));
    }
    conn.execute(
        "UPDATE followup SET status = ?2, answered_at = NULL, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), now],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM followup WHERE id = ?1", [id])? == 0 {
        return Err(StoreError::FollowUpNotFound(id));
    }
    Ok(())
}
