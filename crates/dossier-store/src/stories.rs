//! One story across outlets: near-duplicate sources found when a text is added or changed, in
//! the same transaction, and grouped into stories.
//!
//! The index (`source_neardup`, `source_band`) and the grouping (`story_member`) are derived
//! and rebuilt locally; only a split (`story_split`) is the analyst's decision and syncs.
//!
//! The decision a reader may question: a new source joins a story only when it is a copy of the
//! story's *representative* (its earliest member), not of any member. Linking to any member
//! (connected components) lets a chain of small edits merge different articles: A's copy B
//! trimmed, B's copy C with another end, until C shares little with A. Against the
//! representative every member is within the threshold of one text.

use std::collections::HashSet;

use dossier_core::neardup;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};

/// At most this many candidates from the band index are confirmed on their text.
const MAX_CANDIDATES: usize = 24;

pub use dossier_core::SourceCopy;

/// What `source split` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SplitSource {
    pub id: i64,
    /// The story it was taken out of; `None` when it was alone already.
    pub story: Option<i64>,
}

fn body(conn: &Connection, id: i64) -> Result<String> {
    crate::sources::body(conn, id)
}

fn is_split(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM story_split WHERE source_id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The story a source belongs to, if it has copies.
pub fn story_of(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT story FROM story_member WHERE source_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

fn representative(conn: &Connection, story: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT min(source_id) FROM story_member WHERE story = ?1")?
        .query_row([story], |r| r.get(0))?)
}

/// Sources whose band keys meet `keys`, most keys shared first, without `except`.
fn candidates(conn: &Connection, keys: &[i64], except: i64) -> Result<Vec<i64>> {
    let placeholders = vec!["?"; keys.len()].join(",");
    let sql = format!(
        "SELECT source_id FROM source_band WHERE key IN ({placeholders}) AND source_id <> ?
         GROUP BY source_id ORDER BY count(*) DESC, source_id LIMIT {MAX_CANDIDATES}"
    );
    let mut params: Vec<i64> = keys.to_vec();
    params.push(except);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The sources that are copies of `text` (confirmed on their texts), most similar first,
/// leaving out `except` and the sources split from their story. Read-only: what the inbox can
/// ask of an entry before it is kept.
pub fn copies_of_text(conn: &Connection, text: &str, except: i64) -> Result<Vec<SourceCopy>> {
    let sh = neardup::shingles(text);
    let Some(sig) = neardup::signature(&sh) else {
        return Ok(Vec::new());
    };
    confirmed(conn, &sh, &neardup::band_keys(&sig), except)
}

fn confirmed(conn: &Connection, sh: &[u64], keys: &[i64], except: i64) -> Result<Vec<SourceCopy>> {
    let mut out = Vec::new();
    for id in candidates(conn, keys, except)? {
        if is_split(conn, id)? {
            continue;
        }
        let similarity = neardup::similarity(sh, &neardup::shingles(&body(conn, id)?));
        if similarity >= neardup::THRESHOLD {
            out.push(SourceCopy { id, similarity });
        }
    }
    out.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Indexes a source's text and puts it in the story it is a copy of. Called in the transaction
/// that adds the source or changes its text; a source indexed before is taken out of its story
/// and indexed again.
pub fn index_source(conn: &Connection, id: i64) -> Result<()> {
    unindex(conn, id)?;
    let sh = neardup::shingles(&body(conn, id)?);
    let sig = neardup::signature(&sh);
    conn.prepare_cached("INSERT INTO source_neardup (source_id, shingles) VALUES (?1, ?2)")?
        .execute(params![id, if sig.is_some() { sh.len() as i64 } else { 0 }])?;
    let Some(sig) = sig else {
        return Ok(());
    };
    let keys = neardup::band_keys(&sig);
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO source_band (key, source_id) VALUES (?1, ?2)")?;
    for k in &keys {
        insert.execute(params![k, id])?;
    }
    if is_split(conn, id)? {
        return Ok(());
    }
    group(conn, id, &sh, &keys)
}

/// Puts a source in the story of the first copy whose story's representative it also copies.
fn group(conn: &Connection, id: i64, sh: &[u64], keys: &[i64]) -> Result<()> {
    let mut tried: HashSet<i64> = HashSet::new();
    for copy in confirmed(conn, sh, keys, id)? {
        let story = story_of(conn, copy.id)?;
        let rep = match story {
            Some(story) => representative(conn, story)?.unwrap_or(copy.id),
            None => copy.id,
        };
        if !tried.insert(rep) {
            continue;
        }
        let close = rep == copy.id
            || neardup::similarity(sh, &neardup::shingles(&body(conn, rep)?)) >= neardup::THRESHOLD;
        if !close {
            continue;
        }
        let story = match story {
            Some(story) => story,
            None => {
                // The earlier source's id, unless a story already goes by it.
                let story: i64 = conn.query_row(
                    "SELECT CASE WHEN EXISTS (SELECT 1 FROM story_member WHERE story = ?1)
                            THEN (SELECT max(story) FROM story_member) + 1 ELSE ?1 END",
                    [id.min(copy.id)],
                    |r| r.get(0),
                )?;
                conn.prepare_cached("INSERT INTO story_member (source_id, story) VALUES (?1, ?2)")?
                    .execute(params![copy.id, story])?;
                story
            }
        };
        conn.prepare_cached("INSERT INTO story_member (source_id, story) VALUES (?1, ?2)")?
            .execute(params![id, story])?;
        return Ok(());
    }
    Ok(())
}

/// Drops a source's index rows and takes it out of its story (a story left with one member
/// is no story).
fn unindex(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM source_band WHERE source_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM source_neardup WHERE source_id = ?1")?
        .execute([id])?;
    leave_story(conn, id)?;
    Ok(())
}

fn leave_story(conn: &Connection, id: i64) -> Result<Option<i64>> {
    let Some(story) = story_of(conn, id)? else {
        return Ok(None);
    };
    conn.prepare_cached("DELETE FROM story_member WHERE source_id = ?1")?
        .execute([id])?;
    conn.prepare_cached(
        "DELETE FROM story_member WHERE story = ?1
         AND (SELECT count(*) FROM story_member WHERE story = ?1) < 2",
    )?
    .execute([story])?;
    Ok(Some(story))
}

/// The other sources of a source's story, with their similarity to it, most similar first.
pub fn copies(conn: &Connection, id: i64) -> Result<Vec<SourceCopy>> {
    let Some(story) = story_of(conn, id)? else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT source_id FROM story_member WHERE story = ?1 AND source_id <> ?2 ORDER BY source_id",
    )?;
    let ids: Vec<i64> = stmt
        .query_map(params![story, id], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let sh = neardup::shingles(&body(conn, id)?);
    let mut out = Vec::with_capacity(ids.len());
    for other in ids {
        let similarity = neardup::similarity(&sh, &neardup::shingles(&body(conn, other)?));
        out.push(SourceCopy {
            id: other,
            similarity: (similarity * 1000.0).round() / 1000.0,
        });
    }
    out.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Takes a source out of its story for good: the split is kept, and the source is never
/// grouped again (nor are others grouped with it).
pub fn split(conn: &Connection, id: i64, now: &str) -> Result<SplitSource> {
    if !crate::sources::exists(conn, id)? {
        return Err(StoreError::SourceNotFound(id));
    }
    let story = leave_story(conn, id)?;
    let uid = crate::originals::new_uid(conn)?;
    conn.execute(
        "INSERT INTO story_split (uid, source_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (source_id) DO UPDATE SET updated_at = excluded.updated_at",
        params![uid, id, now],
    )?;
    Ok(SplitSource { id, story })
}

/// Indexes every source that has no index row yet, oldest first (a workspace from before
/// stories, or one whose index was dropped). Returns how many were indexed.
pub fn backfill(conn: &Connection) -> Result<usize> {
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT id FROM source s
             WHERE NOT EXISTS (SELECT 1 FROM source_neardup n WHERE n.source_id = s.id)
             ORDER BY id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    for &id in &ids {
        index_source(conn, id)?;
    }
    Ok(ids.len())
}

/// Whether some source is not indexed yet. Index rows go with their source (a foreign key
/// with cascade), so equal counts mean every source has one: two counts over the smallest
/// indexes, cheap enough to ask at every open.
pub fn needs_backfill(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM source) <> (SELECT count(*) FROM source_neardup)",
        [],
        |r| r.get(0),
    )?)
}
