//! Imports: sources read from files and URLs, with their page map and format; re-import of a
//! source whose original changed (same id, every excerpt re-anchored in the same transaction);
//! orphaned excerpts, listed and re-attached by hand; and the page an excerpt is on.
//!
//! The decision a reader might question: a re-import replaces the text but keeps the metadata
//! the analyst may have corrected (title, outlet, authors, date): only fields still empty are
//! filled from the new document. An orphan keeps its old quote, context and offsets — the
//! offsets then describe the text it was last placed in, and nothing reads them while
//! `orphaned = 1`.

use dossier_core::reanchor::{self, Body, Method, Placement};
use dossier_core::text::{char_len, content_hash, is_blank, normalize_body};
use dossier_core::{Anchor, Excerpt, IsoDate, NewSource, OcrInfo};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::originals::{self, Kept, NotKept, Original, ReanchorSummary};
use crate::{Workspace, excerpts, sources};

/// A document read by the import pipeline, ready to be stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedText {
    /// Metadata and text; `origin` is the file path or URL a re-import reads again.
    pub source: NewSource,
    /// Code-point offsets in the normalized body where each page begins (the first is 0).
    pub pages: Option<Vec<usize>>,
    /// `text`, `markdown`, `html`, `pdf`, `docx` or `image`.
    pub format: Option<String>,
    /// When a URL was fetched, RFC 3339 UTC.
    pub retrieved_at: Option<String>,
    /// The pages read by OCR, when some were.
    pub ocr: Option<OcrInfo>,
    /// The bytes the text was read from, hashed and compressed (see [`Original::new`]);
    /// `None` when they are not kept, for the reason in `not_kept`.
    pub original: Option<Original>,
    /// Why `original` is `None` (`None` here means [`NotKept::NoOriginal`]).
    pub not_kept: Option<NotKept>,
    /// The size of an original not kept, when known (over the cap).
    pub size_not_kept: Option<u64>,
}

impl ImportedText {
    fn kept(&self) -> Kept<'_> {
        Kept {
            format: self.format.as_deref(),
            original: self.original.as_ref(),
            not_kept: self.not_kept,
            size_not_kept: self.size_not_kept,
        }
    }
}

/// What a re-import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReimportOutcome {
    pub source_id: i64,
    /// False when the new text is the same as the stored one (nothing was re-anchored).
    pub changed: bool,
    pub excerpts: usize,
    /// Excerpts whose quote was found unchanged.
    pub placed: usize,
    /// Excerpts placed on a slightly different quote (their stored quote now follows the text).
    pub adjusted: usize,
    /// Excerpts that could not be placed with confidence, kept and flagged.
    pub orphaned: usize,
    pub orphaned_ids: Vec<i64>,
    /// The version this re-import added; `None` when the text was unchanged.
    pub version: Option<u32>,
}

/// The source already imported from this file path or URL, if any (the oldest, if several).
pub fn find_by_origin(conn: &Connection, origin: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM source WHERE origin = ?1 ORDER BY id LIMIT 1")?
        .query_row([origin], |r| r.get(0))
        .optional()?)
}

/// Checks a page map against the normalized body it describes.
fn check_pages(pages: &Option<Vec<usize>>, body: &str) -> Result<Option<String>> {
    let Some(pages) = pages else {
        return Ok(None);
    };
    let len = char_len(body);
    let ordered = pages.windows(2).all(|w| w[0] <= w[1]);
    if pages.first() != Some(&0) || !ordered || pages.iter().any(|&p| p > len) {
        return Err(StoreError::invalid(
            "the page map does not fit the text (pages must start at 0, ascend and stay inside it)",
        ));
    }
    Ok(Some(
        serde_json::to_string(pages).expect("numbers serialize"),
    ))
}

/// Checks what OCR says against the page map (its pages exist) and gives the stored JSON.
fn check_ocr(ocr: &Option<OcrInfo>, pages: &Option<Vec<usize>>) -> Result<Option<String>> {
    let Some(ocr) = ocr else {
        return Ok(None);
    };
    let count = pages.as_ref().map_or(1, Vec::len) as u32;
    if ocr.pages.is_empty()
        || ocr.pages.iter().any(|&p| p == 0 || p > count)
        || !ocr.pages.windows(2).all(|w| w[0] < w[1])
        || !(0.0..=1.0).contains(&ocr.confidence)
    {
        return Err(StoreError::invalid(
            "the OCR pages do not fit the document (pages from 1, ascending, within its pages; \
             confidence from 0 to 1)",
        ));
    }
    Ok(Some(serde_json::to_string(ocr).expect("numbers serialize")))
}

fn check_format(format: &Option<String>) -> Result<()> {
    match format.as_deref() {
        None | Some("text" | "markdown" | "html" | "pdf" | "docx" | "image") => Ok(()),
        Some(other) => Err(StoreError::invalid(format!(
            "\"{other}\" is not a format Dossier records"
        ))),
    }
}

/// Adds an imported source with its page map and format. Refused (with the existing id) when
/// the same text is already in the workspace.
pub fn add(conn: &Connection, mut imported: ImportedText, now: &str) -> Result<i64> {
    check_format(&imported.format)?;
    let body = normalize_body(&imported.source.body);
    let ocr = check_ocr(&imported.ocr, &imported.pages)?;
    let pages = check_pages(&imported.pages, &body)?;
    let id = sources::add(conn, std::mem::take(&mut imported.source), now)?.id;
    conn.prepare_cached(
        "UPDATE source SET pages = ?2, format = ?3, retrieved_at = ?4, ocr = ?5 WHERE id = ?1",
    )?
    .execute(params![
        id,
        pages,
        imported.format,
        imported.retrieved_at,
        ocr
    ])?;
    originals::keep_first(conn, id, imported.kept())?;
    Ok(id)
}

fn fill_if_empty(conn: &Connection, id: i64, column: &str, value: Option<String>) -> Result<()> {
    let Some(value) = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
    else {
        return Ok(());
    };
    // `column` is one of a fixed set of names below, never user input.
    conn.execute(
        &format!("UPDATE source SET {column} = ?2 WHERE id = ?1 AND {column} IS NULL"),
        params![id, value],
    )?;
    Ok(())
}

/// Replaces a source's text with a new version of the same document, keeping its id, and
/// re-anchors every excerpt (orphans included: the new text may have brought their passage
/// back). Call inside a transaction: the text and all the excerpts change together.
pub fn reimport(
    conn: &Connection,
    id: i64,
    mut imported: ImportedText,
    now: &str,
) -> Result<ReimportOutcome> {
    check_format(&imported.format)?;
    let ocr = check_ocr(&imported.ocr, &imported.pages)?;
    let old_hash: String = conn
        .query_row("SELECT content_hash FROM source WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or(StoreError::SourceNotFound(id))?;
    let body = normalize_body(&imported.source.body);
    if is_blank(&body) {
        return Err(StoreError::invalid(
            "the new version has no text; the source was left as it was",
        ));
    }
    let pages = check_pages(&imported.pages, &body)?;
    let hash = content_hash(&body);
    let mut outcome = ReimportOutcome {
        source_id: id,
        changed: hash != old_hash,
        ..Default::default()
    };
    if let Some((existing_id, title)) = sources::find_by_text(conn, &body)?
        && existing_id != id
    {
        return Err(StoreError::DuplicateSource { existing_id, title });
    }
    let new = std::mem::take(&mut imported.source);
    let published = new
        .published
        .filter(|d| d.parse::<IsoDate>().is_ok())
        .filter(|d| !d.is_empty());
    let lang = sources::check_lang(new.lang).ok().flatten();
    fill_if_empty(conn, id, "outlet", new.outlet)?;
    fill_if_empty(conn, id, "published", published)?;
    fill_if_empty(conn, id, "url", new.url)?;
    fill_if_empty(conn, id, "lang", lang)?;
    if !new.authors.is_empty() {
        let authors = serde_json::to_string(&new.authors).expect("strings serialize");
        conn.execute(
            "UPDATE source SET authors = ?2 WHERE id = ?1 AND authors = '[]'",
            params![id, authors],
        )?;
    }
    conn.execute(
        "UPDATE source SET pages = ?2, format = coalesce(?3, format),
                retrieved_at = coalesce(?4, retrieved_at), updated_at = ?5, ocr = ?6
         WHERE id = ?1",
        params![id, pages, imported.format, imported.retrieved_at, now, ocr],
    )?;

    let excerpts = anchors_of(conn, id)?;
    outcome.excerpts = excerpts.len();
    if !outcome.changed {
        outcome.placed = excerpts.iter().filter(|e| !e.1).count();
        outcome.orphaned_ids = excerpts.iter().filter(|e| e.1).map(|e| e.0).collect();
        outcome.orphaned = outcome.orphaned_ids.len();
        return Ok(outcome);
    }
    conn.execute(
        "UPDATE source SET body = ?2, content_hash = ?3 WHERE id = ?1",
        params![id, body, hash],
    )?;
    crate::stories::index_source(conn, id)?;
    let prepared = Body::new(&body);
    let mut summary = ReanchorSummary::default();
    for (excerpt_id, was_orphan, anchor) in excerpts {
        match reanchor::reanchor(&anchor, &prepared) {
            Placement::Placed {
                anchor: new_anchor,
                method,
                ..
            } => {
                match method {
                    Method::Exact => outcome.placed += 1,
                    Method::Fuzzy => outcome.adjusted += 1,
                }
                let same_place = method == Method::Exact
                    && !was_orphan
                    && (new_anchor.start, new_anchor.end) == (anchor.start, anchor.end);
                if same_place {
                    summary.unchanged += 1;
                } else {
                    summary.moved += 1;
                    summary.moved_ids.push(excerpt_id);
                }
                write_anchor(conn, excerpt_id, &new_anchor, now)?;
            }
            Placement::Orphaned => {
                outcome.orphaned += 1;
                outcome.orphaned_ids.push(excerpt_id);
                conn.execute(
                    "UPDATE excerpt SET orphaned = 1, updated_at = ?2 WHERE id = ?1",
                    params![excerpt_id, now],
                )?;
            }
        }
    }
    summary.orphaned = outcome.orphaned;
    summary.orphaned_ids = outcome.orphaned_ids.clone();
    // The new text, its original and what it did to the excerpts: one more version, in the
    // same transaction as the text it records.
    outcome.version = Some(originals::append(conn, id, imported.kept(), &summary, now)?);
    Ok(outcome)
}

/// (id, orphaned, anchor) of every excerpt of a source.
fn anchors_of(conn: &Connection, source_id: i64) -> Result<Vec<(i64, bool, Anchor)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, orphaned, quote, prefix, suffix, start, \"end\" FROM excerpt
         WHERE source_id = ?1 ORDER BY start, id",
    )?;
    let rows = stmt.query_map([source_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)? != 0,
            Anchor {
                quote: r.get(2)?,
                prefix: r.get(3)?,
                suffix: r.get(4)?,
                start: r.get::<_, i64>(5)? as usize,
                end: r.get::<_, i64>(6)? as usize,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn write_anchor(conn: &Connection, excerpt_id: i64, a: &Anchor, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE excerpt SET quote = ?2, prefix = ?3, suffix = ?4, start = ?5, \"end\" = ?6,
                orphaned = 0, updated_at = ?7
         WHERE id = ?1",
        params![
            excerpt_id,
            a.quote,
            a.prefix,
            a.suffix,
            a.start as i64,
            a.end as i64,
            now
        ],
    )?;
    Ok(())
}

/// Orphaned excerpts (of one source, or all), in source order, with their original quotes.
pub fn orphans(conn: &Connection, source_id: Option<i64>) -> Result<Vec<Excerpt>> {
    if let Some(id) = source_id
        && !sources::exists(conn, id)?
    {
        return Err(StoreError::SourceNotFound(id));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM excerpt WHERE orphaned = 1 AND (?1 IS NULL OR source_id = ?1)
         ORDER BY source_id, start, id",
    )?;
    let ids: Vec<i64> = stmt
        .query_map([source_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.into_iter().map(|id| excerpts::get(conn, id)).collect()
}

/// Places an excerpt (orphaned or not) on `start..end` of its source's current text, chosen by
/// the analyst; its quote becomes that text and it is no longer orphaned.
pub fn reattach(
    conn: &Connection,
    excerpt_id: i64,
    start: usize,
    end: usize,
    now: &str,
) -> Result<()> {
    let source_id: i64 = conn
        .query_row(
            "SELECT source_id FROM excerpt WHERE id = ?1",
            [excerpt_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::ExcerptNotFound(excerpt_id))?;
    let body = sources::body(conn, source_id)?;
    let anchor = Anchor::from_range(&body, start, end)?;
    write_anchor(conn, excerpt_id, &anchor, now)
}

/// The page map of a source, if it has one.
pub fn pages(conn: &Connection, source_id: i64) -> Result<Option<Vec<usize>>> {
    let json: Option<String> = conn
        .query_row("SELECT pages FROM source WHERE id = ?1", [source_id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or(StoreError::SourceNotFound(source_id))?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// The 1-based page that a code-point offset falls on, given page start offsets.
pub fn page_at(pages: &[usize], offset: usize) -> Option<u32> {
    let n = pages.partition_point(|&start| start <= offset);
    (n > 0).then_some(n as u32)
}

/// The page an excerpt starts on, for a citation ("p. 12"): `None` when its source has no page
/// map (not a PDF) or the excerpt is orphaned.
pub fn excerpt_page(conn: &Connection, excerpt_id: i64) -> Result<Option<u32>> {
    let (source_id, start, orphaned): (i64, i64, i64) = conn
        .query_row(
            "SELECT source_id, start, orphaned FROM excerpt WHERE id = ?1",
            [excerpt_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or(StoreError::ExcerptNotFound(excerpt_id))?;
    if orphaned != 0 {
        return Ok(None);
    }
    Ok(pages(conn, source_id)?.and_then(|p| page_at(&p, start as usize)))
}

/// Whether an import found a new source, a text already present, or a new version of a source
/// imported before from the same place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Added(i64),
    AlreadyPresent(i64),
    Reimported(ReimportOutcome),
}

/// Stores one imported document: a new source; or, when a source was imported from the same
/// origin before, a re-import of it; or nothing when the same text is already in the workspace.
/// Call inside a transaction or savepoint: an error leaves parts written.
pub fn store(conn: &Connection, imported: ImportedText, now: &str) -> Result<Stored> {
    let body = normalize_body(&imported.source.body);
    let previous = match imported.source.origin.as_deref() {
        Some(origin) => find_by_origin(conn, origin)?,
        None => None,
    };
    // The same text, from wherever, is already present and nothing is written.
    if let Some((id, _)) = sources::find_by_text(conn, &body)? {
        return Ok(Stored::AlreadyPresent(id));
    }
    if let Some(id) = previous {
        return Ok(Stored::Reimported(reimport(conn, id, imported, now)?));
    }
    Ok(Stored::Added(add(conn, imported, now)?))
}

/// Many imports in one write transaction, each inside its own savepoint: an item that fails
/// rolls back to its savepoint and leaves nothing of itself, and the others still commit
/// together. One commit (one FTS5 segment, one set of WAL frames) per batch instead of per
/// file is what makes bulk import fast. Nothing is durable, nor visible to other connections,
/// until [`ImportBatch::commit`]; dropping the batch rolls all of it back.
///
/// The caller keeps batches short (a few hundred items, a fraction of a second): the write lock
/// is held from [`Workspace::begin_import_batch`] to the commit, and another connection's
/// writes wait for it.
pub struct ImportBatch<'a> {
    tx: Transaction<'a>,
    stored: usize,
    /// Set when SQLite rolled the whole transaction back on its own (a full disk, an I/O
    /// error): the batch's earlier items are gone, and nothing more may be written in it —
    /// outside a transaction each savepoint would commit by itself.
    lost: bool,
}

impl ImportBatch<'_> {
    /// Stores one document in its own savepoint (see [`store`]): on an error nothing of it is
    /// left in the batch.
    pub fn store_import(&mut self, imported: ImportedText, now: &str) -> Result<Stored> {
        if self.lost {
            return Err(StoreError::invalid(
                "an earlier error rolled this batch back; nothing was written",
            ));
        }
        let mut sp = self.tx.savepoint()?;
        match store(&sp, imported, now) {
            Ok(stored) => {
                sp.commit()?;
                self.stored += 1;
                Ok(stored)
            }
            Err(e) => {
                // Dropping the savepoint would roll back too, but silently: a rollback that
                // fails must not let the batch commit with half an item in it.
                if sp.rollback().is_err() {
                    self.lost = true;
                }
                drop(sp);
                if self.tx.is_autocommit() {
                    self.lost = true;
                }
                Err(e)
            }
        }
    }

    /// Whether an error undid the whole batch: [`ImportBatch::commit`] will fail, and the
    /// items stored in it so far are not in the workspace.
    pub fn is_lost(&self) -> bool {
        self.lost
    }

    /// The title of a source, as this batch sees it (its own writes included).
    pub fn title(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .tx
            .prepare_cached("SELECT title FROM source WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Documents stored in this batch so far.
    pub fn len(&self) -> usize {
        self.stored
    }

    pub fn is_empty(&self) -> bool {
        self.stored == 0
    }

    /// Writes the whole batch. On an error nothing of it is written.
    pub fn commit(self) -> Result<()> {
        if self.lost {
            return Err(StoreError::invalid(
                "an error rolled this batch back; nothing of it was written",
            ));
        }
        Ok(self.tx.commit()?)
    }
}

impl Workspace {
    /// Stores one imported document in its own transaction (see [`store`]).
    pub fn store_import(&mut self, imported: ImportedText, now: &str) -> Result<Stored> {
        self.with_tx(|tx| store(tx, imported, now))
    }

    /// Opens a write transaction (`BEGIN IMMEDIATE`) for several imports; see [`ImportBatch`].
    pub fn begin_import_batch(&mut self) -> Result<ImportBatch<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(ImportBatch {
            tx,
            stored: 0,
            lost: false,
        })
    }

    pub fn reimport_source(
        &mut self,
        id: i64,
        imported: ImportedText,
        now: &str,
    ) -> Result<ReimportOutcome> {
        self.with_tx(|tx| reimport(tx, id, imported, now))
    }

    pub fn list_orphans(&self, source_id: Option<i64>) -> Result<Vec<Excerpt>> {
        orphans(&self.conn, source_id)
    }

    pub fn reattach_excerpt(
        &mut self,
        excerpt_id: i64,
        start: usize,
        end: usize,
        now: &str,
    ) -> Result<Excerpt> {
        self.with_tx(|tx| {
            reattach(tx, excerpt_id, start, end, now)?;
            excerpts::get(tx, excerpt_id)
        })
    }

    pub fn excerpt_page(&self, excerpt_id: i64) -> Result<Option<u32>> {
        excerpt_page(&self.conn, excerpt_id)
    }

    /// The file path or URL a source was imported from.
    pub fn source_origin(&self, id: i64) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT origin FROM source WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StoreError::SourceNotFound(id))
    }
}

#[cfg(test)]
mod tests {
    use super::{ImportedText, Stored, page_at};
    use crate::Workspace;
    use dossier_core::NewSource;

    const NOW: &str = "2026-11-26T09:00:00Z";

    fn note(body: &str, tags: &[&str]) -> ImportedText {
        ImportedText {
            source: NewSource {
                body: body.into(),
                origin: Some(format!("/notes/{}.md", body.len())),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                ..Default::default()
            },
            format: Some("markdown".into()),
            ..Default::default()
        }
    }

    #[test]
    fn an_item_that_fails_half_way_leaves_nothing_and_the_batch_commits() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
        let mut batch = ws.begin_import_batch().unwrap();
        let first = batch.store_import(note("Steel quotas stay.", &[]), NOW);
        // The source row is inserted before the tag is refused: the savepoint must undo it.
        let bad = batch.store_import(note("Lumber duties rose sharply.", &["//"]), NOW);
        let dup = batch.store_import(note("Steel quotas stay.", &[]), NOW);
        assert!(bad.is_err(), "an empty tag path is refused");
        assert!(!batch.is_lost(), "one failed item does not undo the batch");
        assert_eq!(batch.len(), 2);
        batch.commit().unwrap();
        let Ok(Stored::Added(id)) = first else {
            panic!("{first:?}")
        };
        assert_eq!(
            dup.unwrap(),
            Stored::AlreadyPresent(id),
            "seen within the batch"
        );
        let count = |sql: &str| -> i64 { ws.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            count("SELECT count(*) FROM source"),
            1,
            "no trace of the bad item"
        );
        assert_eq!(
            count("SELECT count(*) FROM source_fts WHERE source_fts MATCH 'lumber'"),
            0,
            "nor in the search index"
        );
    }

    #[test]
    fn a_batch_dropped_without_commit_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
        let mut batch = ws.begin_import_batch().unwrap();
        batch
            .store_import(note("Dairy is off the table.", &[]), NOW)
            .unwrap();
        drop(batch);
        assert!(ws.list_sources().unwrap().is_empty());
    }

    #[test]
    fn offsets_map_to_pages_and_empty_pages_are_skipped() {
        let pages = [0, 100, 100, 250];
        assert_eq!(page_at(&pages, 0), Some(1));
        assert_eq!(page_at(&pages, 99), Some(1));
        assert_eq!(page_at(&pages, 100), Some(3), "page 2 is empty");
        assert_eq!(page_at(&pages, 900), Some(4));
        assert_eq!(page_at(&[], 5), None);
    }
}
