//! Sources: captured documents with their normalized text and metadata.
//!
//! The body is normalized and hashed here, at the single door every capture goes through, so a
//! text captured twice — pasted, then imported from a file — is recognised as the same.

use dossier_core::text::{content_hash, guess_title, is_blank, normalize_body};
use dossier_core::{IsoDate, NewSource, Source, SourcePatch, SourceSummary};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::tags::{self, Owner};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddedSource {
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DeletedSource {
    pub id: i64,
    /// The global id it had.
    pub uid: String,
    pub title: String,
    pub excerpts: usize,
}

fn clean_opt(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn check_date(value: Option<String>) -> Result<Option<String>> {
    clean_opt(value)
        .map(|d| Ok(d.parse::<IsoDate>()?.to_string()))
        .transpose()
}

pub(crate) fn check_lang(value: Option<String>) -> Result<Option<String>> {
    let Some(lang) = clean_opt(value) else {
        return Ok(None);
    };
    let lang = lang.to_ascii_lowercase();
    let ok = (2..=3).contains(&lang.split('-').next().unwrap_or("").len())
        && lang.len() <= 16
        && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !ok {
        return Err(StoreError::invalid(format!(
            "\"{lang}\" is not a language code; use en, fr or another ISO 639 code"
        )));
    }
    Ok(Some(lang))
}

fn clean_authors(authors: Vec<String>) -> Vec<String> {
    authors
        .into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// The existing source with this normalized text, if any.
pub fn find_by_text(conn: &Connection, normalized_body: &str) -> Result<Option<(i64, String)>> {
    // Cached: bulk import asks this once or twice per file.
    Ok(conn
        .prepare_cached("SELECT id, title FROM source WHERE content_hash = ?1")?
        .query_row([content_hash(normalized_body)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// Adds a source. A text already in the workspace is refused with the existing source's id.
pub fn add(conn: &Connection, new: NewSource, now: &str) -> Result<AddedSource> {
    let body = normalize_body(&new.body);
    if is_blank(&body) {
        return Err(StoreError::invalid("the text is empty; nothing was added"));
    }
    if let Some((existing_id, title)) = find_by_text(conn, &body)? {
        return Err(StoreError::DuplicateSource { existing_id, title });
    }
    let title = normalize_body(new.title.trim());
    let title = if title.is_empty() {
        guess_title(&body).unwrap_or_else(|| "Untitled".to_string())
    } else {
        title.replace('\n', " ")
    };
    let published = check_date(new.published)?;
    let lang = check_lang(new.lang)?;
    let authors = serde_json::to_string(&clean_authors(new.authors)).expect("strings serialize");
    conn.prepare_cached(
        "INSERT INTO source (title, outlet, authors, published, url, lang, captured_at, updated_at,
                             body, content_hash, notes, origin, marking)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        title,
        clean_opt(new.outlet),
        authors,
        published,
        clean_opt(new.url),
        lang,
        now,
        body,
        content_hash(&body),
        new.notes.trim(),
        clean_opt(new.origin),
        new.marking.as_str(),
    ])?;
    let id = conn.last_insert_rowid();
    tags::retag(conn, Owner::Source, id, &new.tags, &[], now)?;
    // Every source has a version 1; an import then records on it what it was read from.
    crate::originals::add_first(conn, id, now)?;
    crate::stories::index_source(conn, id)?;
    Ok(AddedSource { id })
}

const SUMMARY_SELECT: &str =
    "SELECT s.id, s.title, s.outlet, s.authors, s.published, s.url, s.lang,
        s.captured_at, (SELECT count(*) FROM excerpt e WHERE e.source_id = s.id), s.marking,
        (SELECT m.story FROM story_member m WHERE m.source_id = s.id
         AND EXISTS (SELECT 1 FROM story_member o WHERE o.story = m.story AND o.source_id <> s.id)),
        s.uid
     FROM source s";

fn summary_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceSummary> {
    let authors: String = r.get(3)?;
    Ok(SourceSummary {
        id: r.get(0)?,
        uid: r.get(11)?,
        title: r.get(1)?,
        outlet: r.get(2)?,
        authors: serde_json::from_str(&authors).unwrap_or_default(),
        published: r.get(4)?,
        url: r.get(5)?,
        lang: r.get(6)?,
        captured_at: r.get(7)?,
        excerpt_count: r.get(8)?,
        tags: Vec::new(),
        marking: crate::parse_marking(r.get(9)?)?,
        story: r.get(10)?,
    })
}

/// Every source, oldest capture first, without text.
pub fn list(conn: &Connection) -> Result<Vec<SourceSummary>> {
    let mut stmt = conn.prepare_cached(&format!("{SUMMARY_SELECT} ORDER BY s.id"))?;
    let mut out: Vec<SourceSummary> = stmt
        .query_map([], summary_from_row)?
        .collect::<Result<_, _>>()?;
    let mut tag_stmt = conn.prepare_cached(
        "SELECT x.source_id, t.path FROM source_tag x JOIN tag t ON t.id = x.tag_id
         ORDER BY x.source_id, x.position",
    )?;
    let mut by_source: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for row in tag_stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, path) = row?;
        by_source.entry(id).or_default().push(path);
    }
    for s in &mut out {
        s.tags = by_source.remove(&s.id).unwrap_or_default();
    }
    Ok(out)
}

pub fn summary(conn: &Connection, id: i64) -> Result<SourceSummary> {
    let mut s = conn
        .query_row(
            &format!("{SUMMARY_SELECT} WHERE s.id = ?1"),
            [id],
            summary_from_row,
        )
        .optional()?
        .ok_or(StoreError::SourceNotFound(id))?;
    s.tags = tags::paths_of(conn, Owner::Source, id)?;
    Ok(s)
}

pub fn get(conn: &Connection, id: i64) -> Result<Source> {
    let summary = summary(conn, id)?;
    let (notes, content_hash, origin, updated_at, text, format, pages, ocr) = conn.query_row(
        "SELECT notes, content_hash, origin, updated_at, body, format, pages, ocr
         FROM source WHERE id = ?1",
        [id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        },
    )?;
    // Both columns are JSON checked on the way in; a value that no longer parses is shown as
    // absent rather than failing the whole source.
    let pages = pages.and_then(|p| serde_json::from_str(&p).ok());
    let ocr = ocr.and_then(|o| serde_json::from_str(&o).ok());
    Ok(Source {
        summary,
        notes,
        content_hash,
        origin,
        updated_at,
        format,
        pages,
        ocr,
        copies: crate::stories::copies(conn, id)?,
        text,
    })
}

/// The stored (normalized) text of a source.
pub fn body(conn: &Connection, id: i64) -> Result<String> {
    conn.query_row("SELECT body FROM source WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::SourceNotFound(id))
}

pub fn exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM source WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Changes metadata; the text itself never changes here (that is a re-import).
pub fn edit(conn: &Connection, id: i64, patch: SourcePatch, now: &str) -> Result<()> {
    if !exists(conn, id)? {
        return Err(StoreError::SourceNotFound(id));
    }
    if let Some(title) = patch.title {
        let title = normalize_body(title.trim()).replace('\n', " ");
        if title.is_empty() {
            return Err(StoreError::invalid("a source's title cannot be empty"));
        }
        conn.execute(
            "UPDATE source SET title = ?2 WHERE id = ?1",
            params![id, title],
        )?;
    }
    if let Some(outlet) = patch.outlet {
        conn.execute(
            "UPDATE source SET outlet = ?2 WHERE id = ?1",
            params![id, clean_opt(Some(outlet))],
        )?;
    }
    if let Some(authors) = patch.authors {
        let authors = serde_json::to_string(&clean_authors(authors)).expect("strings serialize");
        conn.execute(
            "UPDATE source SET authors = ?2 WHERE id = ?1",
            params![id, authors],
        )?;
    }
    if let Some(published) = patch.published {
        conn.execute(
            "UPDATE source SET published = ?2 WHERE id = ?1",
            params![id, check_date(Some(published))?],
        )?;
    }
    if let Some(url) = patch.url {
        conn.execute(
            "UPDATE source SET url = ?2 WHERE id = ?1",
            params![id, clean_opt(Some(url))],
        )?;
    }
    if let Some(lang) = patch.lang {
        conn.execute(
            "UPDATE source SET lang = ?2 WHERE id = ?1",
            params![id, check_lang(Some(lang))?],
        )?;
    }
    if let Some(notes) = patch.notes {
        conn.execute(
            "UPDATE source SET notes = ?2 WHERE id = ?1",
            params![id, notes.trim()],
        )?;
    }
    if let Some(marking) = patch.marking {
        conn.execute(
            "UPDATE source SET marking = ?2 WHERE id = ?1",
            params![id, marking.as_str()],
        )?;
    }
    tags::retag(
        conn,
        Owner::Source,
        id,
        &patch.add_tags,
        &patch.remove_tags,
        now,
    )?;
    conn.execute(
        "UPDATE source SET updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Deletes a source with its excerpts (and their links to follow-ups).
pub fn delete(conn: &Connection, id: i64) -> Result<DeletedSource> {
    let s = summary(conn, id)?;
    conn.execute("DELETE FROM source WHERE id = ?1", [id])?;
    Ok(DeletedSource {
        id,
        uid: s.uid,
        title: s.title,
        excerpts: s.excerpt_count as usize,
    })
}
