//! Briefing notes: their fields, each section's Markdown text, and the excerpts placed in each
//! section; the [`BriefingDocument`] the exporters take; and the draft built from search hits.
//!
//! The decision a reader might question: an item outlives its excerpt. Deleting an excerpt (or
//! its source) freezes the quote, note and citation into the item (triggers in migration 04)
//! and marks it detached, instead of silently dropping evidence from a note or letting it point
//! elsewhere. The analyst removes a detached item explicitly, by its item id.

use std::collections::HashSet;

use dossier_core::briefing::{
    Briefing, BriefingDocument, BriefingItem, BriefingPatch, BriefingSection, BriefingSummary,
    Citation, Contact, ContactPatch, Decision, DecisionOutcome, DecisionPatch, ItemStatus, Marking,
    NewBriefing, Purpose, SectionKind, SectionPatch, escape_markdown, long_date,
};
use dossier_core::{IsoDate, Lang};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::{excerpts, followups};

mod draft;
pub use draft::{DRAFT_MAX_EXCERPTS, NO_SECTOR, draft_from_hits, draft_from_query};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DeletedBriefing {
    pub id: i64,
    /// The global id it had.
    pub uid: String,
    pub title: String,
}

/// Trimmed, single-line, `None` when empty: for names, numbers and titles.
fn clean(value: Option<&str>) -> Option<String> {
    value
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
}

fn check_date(value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Ok(Some(d.parse::<IsoDate>()?.to_string())),
        None => Ok(None),
    }
}

fn check_title(title: &str) -> Result<String> {
    clean(Some(title)).ok_or_else(|| StoreError::invalid("a briefing needs a title"))
}

/// Section text as the analyst typed it, with Windows line ends and trailing blanks removed.
fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n").trim_end().to_string()
}

pub fn exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM briefing WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn require(conn: &Connection, id: i64) -> Result<()> {
    if exists(conn, id)? {
        Ok(())
    } else {
        Err(StoreError::BriefingNotFound(id))
    }
}

pub fn create(conn: &Connection, new: &NewBriefing, now: &str) -> Result<i64> {
    let title = check_title(&new.title)?;
    let date = check_date(new.date.as_deref())?;
    let deadline = check_date(new.deadline.as_deref())?;
    let decided_on = check_date(new.decision.decided_on.as_deref())?;
    let (p, a, d) = (&new.prepared_by, &new.approved_by, &new.decision);
    conn.execute(
        "INSERT INTO briefing (marking, addressee, file_number, date, title, title_fr, purpose,
             deadline, prepared_name, prepared_title, prepared_phone, approved_name, approved_title,
             approved_phone, decision_maker, decision_outcome, decided_on, decision_comments,
             created_at, updated_at, lang)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19, ?20)",
        params![
            new.marking.as_str(),
            clean(new.addressee.as_deref()),
            clean(new.file_number.as_deref()),
            date,
            title,
            clean(new.title_fr.as_deref()),
            new.purpose.as_str(),
            deadline,
            clean(p.name.as_deref()),
            clean(p.title.as_deref()),
            clean(p.phone.as_deref()),
            clean(a.name.as_deref()),
            clean(a.title.as_deref()),
            clean(a.phone.as_deref()),
            clean(d.maker.as_deref()),
            d.outcome.map(DecisionOutcome::as_str),
            decided_on,
            clean(d.comments.as_deref()),
            now,
            new.lang.as_str()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn parse_word<T: std::str::FromStr<Err = String>>(word: String) -> rusqlite::Result<T> {
    // The CHECK constraints keep these columns to known words; anything else is a damaged file.
    word.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

const BRIEFING_SELECT: &str = "SELECT id, marking, addressee, file_number, date, title, title_fr,
        purpose, deadline, prepared_name, prepared_title, prepared_phone, approved_name,
        approved_title, approved_phone, decision_maker, decision_outcome, decided_on,
        decision_comments, created_at, updated_at, lang, uid FROM briefing";

fn briefing_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Briefing> {
    Ok(Briefing {
        id: r.get(0)?,
        uid: r.get(22)?,
        marking: parse_word::<Marking>(r.get(1)?)?,
        addressee: r.get(2)?,
        file_number: r.get(3)?,
        date: r.get(4)?,
        title: r.get(5)?,
        title_fr: r.get(6)?,
        lang: parse_word::<Lang>(r.get(21)?)?,
        purpose: parse_word::<Purpose>(r.get(7)?)?,
        deadline: r.get(8)?,
        prepared_by: Contact {
            name: r.get(9)?,
            title: r.get(10)?,
            phone: r.get(11)?,
        },
        approved_by: Contact {
            name: r.get(12)?,
            title: r.get(13)?,
            phone: r.get(14)?,
        },
        decision: Decision {
            maker: r.get(15)?,
            outcome: r
                .get::<_, Option<String>>(16)?
                .map(parse_word::<DecisionOutcome>)
                .transpose()?,
            decided_on: r.get(17)?,
            comments: r.get(18)?,
        },
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
        sections: SectionKind::ALL
            .into_iter()
            .map(|kind| BriefingSection {
                kind,
                text: String::new(),
                items: Vec::new(),
            })
            .collect(),
    })
}

/// The page a quote starts on, when its source came from a PDF with a page map.
fn page_of(conn: &Connection, excerpt_id: i64) -> Result<Option<u32>> {
    crate::imports::excerpt_page(conn, excerpt_id)
}

fn items_of(conn: &Connection, briefing_id: i64) -> Result<Vec<(SectionKind, BriefingItem)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.section, i.excerpt_id, i.group_label,
                e.quote, e.note, e.orphaned, e.source_id,
                s.title, s.outlet, s.authors, s.published, s.url,
                i.frozen_quote, i.frozen_note, i.frozen_source_id, i.frozen_citation,
                coalesce(e.marking, s.marking), i.frozen_marking, i.uid
         FROM briefing_item i
         LEFT JOIN excerpt e ON e.id = i.excerpt_id
         LEFT JOIN source s ON s.id = e.source_id
         WHERE i.briefing_id = ?1
         ORDER BY i.section, i.position, i.id",
    )?;
    let rows = stmt.query_map([briefing_id], |r| {
        let section = parse_word::<SectionKind>(r.get(1)?)?;
        let excerpt_id: Option<i64> = r.get(2)?;
        let live_quote: Option<String> = r.get(4)?;
        let item = match (excerpt_id, live_quote) {
            (Some(excerpt_id), Some(quote)) => {
                let authors: String = r.get(10)?;
                BriefingItem {
                    id: r.get(0)?,
                    uid: r.get(19)?,
                    excerpt_id: Some(excerpt_id),
                    source_id: r.get(7)?,
                    group: r.get(3)?,
                    quote,
                    note: r.get(5)?,
                    status: if r.get::<_, i64>(6)? != 0 {
                        ItemStatus::Orphaned
                    } else {
                        ItemStatus::Live
                    },
                    citation: Citation {
                        title: r.get(8)?,
                        outlet: r.get(9)?,
                        authors: serde_json::from_str(&authors).unwrap_or_default(),
                        published: r.get(11)?,
                        url: r.get(12)?,
                        page: None,
                    },
                    marking: crate::parse_marking(r.get(17)?)?,
                }
            }
            _ => {
                let citation: Option<String> = r.get(16)?;
                BriefingItem {
                    id: r.get(0)?,
                    uid: r.get(19)?,
                    excerpt_id: None,
                    source_id: r.get(15)?,
                    group: r.get(3)?,
                    quote: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                    note: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
                    status: ItemStatus::Detached,
                    citation: citation
                        .and_then(|c| serde_json::from_str(&c).ok())
                        .unwrap_or_default(),
                    marking: r
                        .get::<_, Option<String>>(18)?
                        .map(crate::parse_marking)
                        .transpose()?
                        .unwrap_or_default(),
                }
            }
        };
        Ok((section, item))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (section, mut item) = row?;
        if let Some(excerpt_id) = item.excerpt_id {
            item.citation.page = page_of(conn, excerpt_id)?;
        }
        out.push((section, item));
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: i64) -> Result<Briefing> {
    let mut b = conn
        .query_row(
            &format!("{BRIEFING_SELECT} WHERE id = ?1"),
            [id],
            briefing_from_row,
        )
        .optional()?
        .ok_or(StoreError::BriefingNotFound(id))?;
    let mut stmt =
        conn.prepare_cached("SELECT section, text FROM briefing_section WHERE briefing_id = ?1")?;
    let texts = stmt.query_map([id], |r| {
        Ok((
            parse_word::<SectionKind>(r.get(0)?)?,
            r.get::<_, String>(1)?,
        ))
    })?;
    for row in texts {
        let (kind, text) = row?;
        b.sections[kind.index()].text = text;
    }
    for (kind, item) in items_of(conn, id)? {
        b.sections[kind.index()].items.push(item);
    }
    Ok(b)
}

/// Briefings, most recently changed first.
pub fn list(conn: &Connection) -> Result<Vec<BriefingSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.id, b.title, b.title_fr, b.marking, b.purpose, b.date, b.deadline,
                (SELECT count(*) FROM briefing_item i WHERE i.briefing_id = b.id), b.updated_at,
                b.lang, b.uid
         FROM briefing b ORDER BY b.updated_at DESC, b.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(BriefingSummary {
            id: r.get(0)?,
            uid: r.get(10)?,
            title: r.get(1)?,
            title_fr: r.get(2)?,
            lang: parse_word::<Lang>(r.get(9)?)?,
            marking: parse_word::<Marking>(r.get(3)?)?,
            purpose: parse_word::<Purpose>(r.get(4)?)?,
            date: r.get(5)?,
            deadline: r.get(6)?,
            item_count: r.get(7)?,
            updated_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What the exporters take: the fields and the non-empty sections with resolved excerpts.
pub fn document(conn: &Connection, id: i64) -> Result<BriefingDocument> {
    Ok(BriefingDocument::from(&get(conn, id)?))
}

fn set_column(conn: &Connection, id: i64, column: &str, value: Option<String>) -> Result<()> {
    // `column` is always one of this module's literals, never user input.
    conn.execute(
        &format!("UPDATE briefing SET {column} = ?2 WHERE id = ?1"),
        params![id, value],
    )?;
    Ok(())
}

fn patch_contact(conn: &Connection, id: i64, prefix: &str, patch: &ContactPatch) -> Result<()> {
    for (part, value) in [
        ("name", &patch.name),
        ("title", &patch.title),
        ("phone", &patch.phone),
    ] {
        if let Some(v) = value {
            set_column(conn, id, &format!("{prefix}_{part}"), clean(Some(v)))?;
        }
    }
    Ok(())
}

fn patch_decision(conn: &Connection, id: i64, patch: &DecisionPatch) -> Result<()> {
    if let Some(maker) = &patch.maker {
        set_column(conn, id, "decision_maker", clean(Some(maker)))?;
    }
    if let Some(outcome) = &patch.outcome {
        let outcome = match outcome.trim() {
            "" => None,
            word => Some(
                word.parse::<DecisionOutcome>()
                    .map_err(StoreError::Invalid)?
                    .as_str()
                    .to_string(),
            ),
        };
        set_column(conn, id, "decision_outcome", outcome)?;
    }
    if let Some(on) = &patch.decided_on {
        set_column(conn, id, "decided_on", check_date(Some(on))?)?;
    }
    if let Some(comments) = &patch.comments {
        set_column(conn, id, "decision_comments", clean(Some(comments)))?;
    }
    Ok(())
}

/// The item ids of a section, in order.
fn section_items(conn: &Connection, id: i64, kind: SectionKind) -> Result<Vec<(i64, Option<i64>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, excerpt_id FROM briefing_item WHERE briefing_id = ?1 AND section = ?2
         ORDER BY position, id",
    )?;
    let rows = stmt.query_map(params![id, kind.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Gives the items of one section positions 1, 2, … in this order.
fn renumber(conn: &Connection, order: &[i64]) -> Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE briefing_item SET position = ?2 WHERE id = ?1")?;
    for (i, item_id) in order.iter().enumerate() {
        stmt.execute(params![item_id, i as i64 + 1])?;
    }
    Ok(())
}

fn set_section_text(conn: &Connection, id: i64, kind: SectionKind, text: &str) -> Result<()> {
    let text = clean_text(text);
    if text.trim().is_empty() {
        conn.execute(
            "DELETE FROM briefing_section WHERE briefing_id = ?1 AND section = ?2",
            params![id, kind.as_str()],
        )?;
    } else {
        conn.execute(
            "INSERT INTO briefing_section (briefing_id, section, text) VALUES (?1, ?2, ?3)
             ON CONFLICT (briefing_id, section) DO UPDATE SET text = excluded.text",
            params![id, kind.as_str(), text],
        )?;
    }
    Ok(())
}

fn add_items(
    conn: &Connection,
    id: i64,
    kind: SectionKind,
    excerpt_ids: &[i64],
    group: Option<&str>,
) -> Result<()> {
    let present: HashSet<i64> = section_items(conn, id, kind)?
        .into_iter()
        .filter_map(|(_, e)| e)
        .collect();
    let mut seen = HashSet::new();
    for &excerpt_id in excerpt_ids {
        if !excerpts::exists(conn, excerpt_id)? {
            return Err(StoreError::ExcerptNotFound(excerpt_id));
        }
        if present.contains(&excerpt_id) || !seen.insert(excerpt_id) {
            return Err(StoreError::invalid(format!(
                "excerpt {excerpt_id} is already in {}; nothing was changed",
                kind.heading()
            )));
        }
        conn.execute(
            "INSERT INTO briefing_item (briefing_id, section, position, excerpt_id, group_label)
             VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM briefing_item
                              WHERE briefing_id = ?1 AND section = ?2), ?3, ?4)",
            params![id, kind.as_str(), excerpt_id, clean(group)],
        )?;
    }
    Ok(())
}

fn apply_section(conn: &Connection, id: i64, p: &SectionPatch) -> Result<()> {
    let kind = p.section;
    let heading = kind.heading();
    if let Some(text) = &p.text {
        set_section_text(conn, id, kind, text)?;
    }
    let items = section_items(conn, id, kind)?;
    let mut removed = Vec::new();
    for &item_id in &p.remove_items {
        if !items.iter().any(|(i, _)| *i == item_id) {
            return Err(StoreError::invalid(format!(
                "{heading} of briefing {id} has no item {item_id}; nothing was changed"
            )));
        }
        removed.push(item_id);
    }
    for &excerpt_id in &p.remove_excerpts {
        let Some((item_id, _)) = items.iter().find(|(_, e)| *e == Some(excerpt_id)) else {
            return Err(StoreError::invalid(format!(
                "excerpt {excerpt_id} is not in {heading} of briefing {id}; nothing was changed"
            )));
        };
        removed.push(*item_id);
    }
    for item_id in &removed {
        conn.execute("DELETE FROM briefing_item WHERE id = ?1", [item_id])?;
    }
    add_items(conn, id, kind, &p.add_excerpts, p.group.as_deref())?;
    if let Some(at) = p.insert_at
        && !p.add_excerpts.is_empty()
    {
        // `add_items` appended them; move them, in their order, to `at` among the others.
        let (added, mut order): (Vec<_>, Vec<_>) = section_items(conn, id, kind)?
            .into_iter()
            .partition(|(_, e)| e.is_some_and(|e| p.add_excerpts.contains(&e)));
        let at = at.min(order.len());
        order.splice(at..at, added);
        renumber(conn, &order.into_iter().map(|(i, _)| i).collect::<Vec<_>>())?;
    }

    let items = section_items(conn, id, kind)?;
    let mut first: Vec<i64> = Vec::new();
    if let Some(order) = &p.order_items {
        for &item_id in order {
            if !items.iter().any(|(i, _)| *i == item_id) {
                return Err(StoreError::invalid(format!(
                    "{heading} of briefing {id} has no item {item_id}; nothing was changed"
                )));
            }
            first.push(item_id);
        }
    }
    if let Some(order) = &p.order_excerpts {
        for &excerpt_id in order {
            let Some((item_id, _)) = items.iter().find(|(_, e)| *e == Some(excerpt_id)) else {
                return Err(StoreError::invalid(format!(
                    "excerpt {excerpt_id} is not in {heading} of briefing {id}; nothing was changed"
                )));
            };
            first.push(*item_id);
        }
    }
    let unique: HashSet<i64> = first.iter().copied().collect();
    if unique.len() != first.len() {
        return Err(StoreError::invalid(
            "the new order names an item twice; nothing was changed",
        ));
    }
    let mut order = first;
    order.extend(
        items
            .iter()
            .map(|(i, _)| *i)
            .filter(|i| !unique.contains(i)),
    );
    renumber(conn, &order)
}

pub fn edit(conn: &Connection, id: i64, patch: &BriefingPatch, now: &str) -> Result<()> {
    require(conn, id)?;
    if let Some(title) = &patch.title {
        set_column(conn, id, "title", Some(check_title(title)?))?;
    }
    for (column, value) in [
        ("title_fr", &patch.title_fr),
        ("addressee", &patch.addressee),
        ("file_number", &patch.file_number),
    ] {
        if let Some(v) = value {
            set_column(conn, id, column, clean(Some(v)))?;
        }
    }
    for (column, value) in [("date", &patch.date), ("deadline", &patch.deadline)] {
        if let Some(v) = value {
            set_column(conn, id, column, check_date(Some(v))?)?;
        }
    }
    if let Some(marking) = patch.marking {
        set_column(conn, id, "marking", Some(marking.as_str().into()))?;
    }
    if let Some(purpose) = patch.purpose {
        set_column(conn, id, "purpose", Some(purpose.as_str().into()))?;
    }
    if let Some(lang) = patch.lang {
        set_column(conn, id, "lang", Some(lang.as_str().into()))?;
    }
    patch_contact(conn, id, "prepared", &patch.prepared_by)?;
    patch_contact(conn, id, "approved", &patch.approved_by)?;
    patch_decision(conn, id, &patch.decision)?;
    for section in &patch.sections {
        apply_section(conn, id, section)?;
    }
    set_column(conn, id, "updated_at", Some(now.to_string()))
}

/// Moves one item to another place, in its section or another (the composer's drag and drop).
/// `position` is 1-based; past the end means last.
pub fn move_item(
    conn: &Connection,
    id: i64,
    item_id: i64,
    to: SectionKind,
    position: usize,
    now: &str,
) -> Result<()> {
    require(conn, id)?;
    let found: Option<(String, Option<i64>)> = conn
        .query_row(
            "SELECT section, excerpt_id FROM briefing_item WHERE id = ?1 AND briefing_id = ?2",
            params![item_id, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((from, excerpt_id)) = found else {
        return Err(StoreError::invalid(format!(
            "briefing {id} has no item {item_id}"
        )));
    };
    let from: SectionKind = from.parse().map_err(StoreError::Invalid)?;
    if from != to {
        if let Some(excerpt_id) = excerpt_id
            && section_items(conn, id, to)?
                .iter()
                .any(|(_, e)| *e == Some(excerpt_id))
        {
            return Err(StoreError::invalid(format!(
                "excerpt {excerpt_id} is already in {}; nothing was changed",
                to.heading()
            )));
        }
        conn.execute(
            "UPDATE briefing_item SET section = ?2 WHERE id = ?1",
            params![item_id, to.as_str()],
        )?;
        let rest: Vec<i64> = section_items(conn, id, from)?
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        renumber(conn, &rest)?;
    }
    let mut order: Vec<i64> = section_items(conn, id, to)?
        .into_iter()
        .map(|(i, _)| i)
        .filter(|i| *i != item_id)
        .collect();
    let at = position.saturating_sub(1).min(order.len());
    order.insert(at, item_id);
    renumber(conn, &order)?;
    set_column(conn, id, "updated_at", Some(now.to_string()))
}

/// Copies a briefing with its sections and items; the copy's title says it is one.
pub fn duplicate(conn: &Connection, id: i64, now: &str) -> Result<i64> {
    require(conn, id)?;
    conn.execute(
        "INSERT INTO briefing (marking, addressee, file_number, date, title, title_fr, purpose,
             deadline, prepared_name, prepared_title, prepared_phone, approved_name, approved_title,
             approved_phone, decision_maker, decision_outcome, decided_on, decision_comments,
             created_at, updated_at, lang)
         SELECT marking, addressee, file_number, date, title || ' (copy)',
             CASE WHEN title_fr IS NULL THEN NULL ELSE title_fr || ' (copie)' END, purpose,
             deadline, prepared_name, prepared_title, prepared_phone, approved_name, approved_title,
             approved_phone, decision_maker, decision_outcome, decided_on, decision_comments, ?2, ?2,
             lang
         FROM briefing WHERE id = ?1",
        params![id, now],
    )?;
    let copy = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO briefing_section (briefing_id, section, text)
         SELECT ?2, section, text FROM briefing_section WHERE briefing_id = ?1",
        params![id, copy],
    )?;
    conn.execute(
        "INSERT INTO briefing_item (briefing_id, section, position, excerpt_id, group_label,
             frozen_quote, frozen_note, frozen_source_id, frozen_citation, frozen_marking)
         SELECT ?2, section, position, excerpt_id, group_label, frozen_quote, frozen_note,
             frozen_source_id, frozen_citation, frozen_marking
         FROM briefing_item WHERE briefing_id = ?1 ORDER BY section, position, id",
        params![id, copy],
    )?;
    Ok(copy)
}

pub fn delete(conn: &Connection, id: i64) -> Result<DeletedBriefing> {
    let (title, uid): (String, String) = conn
        .query_row("SELECT title, uid FROM briefing WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or(StoreError::BriefingNotFound(id))?;
    conn.execute("DELETE FROM briefing WHERE id = ?1", [id])?;
    Ok(DeletedBriefing { id, uid, title })
}
