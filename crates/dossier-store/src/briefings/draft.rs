//! Drafting a briefing note from a search: "New briefing from this search" and
//! `dossier briefing draft`. Current Status gets the matching excerpts grouped by sector, Next
//! Steps the open follow-ups among them; the rest of the note (fields, editing, moving items)
//! is the parent module's.

use std::collections::{BTreeMap, HashSet};

use dossier_core::query::ItemKind;
use dossier_core::{FollowUpStatus, TagPath};
use rusqlite::{Connection, OptionalExtension};

use super::*;
use crate::error::{Result, StoreError};
use crate::search::{self, MAX_LIMIT, SearchOptions};
use crate::tags::{self, Owner};

/// The sector an excerpt belongs to for a draft: its first `sector/…` tag (in the order tags
/// were attached), else its source's; cut to the sector itself (`sector/steel/flat` → steel).
fn sector_of(conn: &Connection, excerpt_id: i64, source_id: i64) -> Result<Option<String>> {
    let sector = |paths: Vec<String>| {
        paths.into_iter().find_map(|p| {
            let path = TagPath::parse(&p).ok()?;
            let mut segments = path.as_str().split('/');
            (segments.next() == Some("sector"))
                .then(|| segments.next().map(|s| format!("sector/{s}")))
                .flatten()
        })
    };
    let path = match sector(tags::paths_of(conn, Owner::Excerpt, excerpt_id)?) {
        Some(p) => Some(p),
        None => sector(tags::paths_of(conn, Owner::Source, source_id)?),
    };
    let Some(path) = path else { return Ok(None) };
    let label: Option<String> = conn
        .query_row("SELECT label FROM tag WHERE path = ?1", [&path], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(Some(label.unwrap_or_else(|| {
        TagPath::parse(&path)
            .map(|p| p.default_label())
            .unwrap_or(path)
    })))
}

/// An excerpt waiting for its place in a draft: (date of the news, excerpt created_at, id).
type Placed = (String, String, i64);

/// The heading for excerpts without a sector tag; it sorts after every sector.
pub const NO_SECTOR: &str = "Other";

/// Creates a draft from search hits: Current Status holds the matching excerpts grouped by
/// sector (sectors alphabetically, "Other" last; newest first inside each), Next Steps lists the
/// open follow-ups among the hits and those concerning the matching excerpts, by due date. Other
/// sections start empty: the draft is a starting point, not a final text.
pub fn draft_from_hits(
    conn: &Connection,
    excerpt_ids: &[i64],
    followup_ids: &[i64],
    fields: &NewBriefing,
    now: &str,
) -> Result<i64> {
    let mut seen = HashSet::new();
    let excerpt_ids: Vec<i64> = excerpt_ids
        .iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect();
    if excerpt_ids.is_empty() && followup_ids.is_empty() {
        return Err(StoreError::invalid(
            "nothing to draft from: no excerpt or follow-up matched; no briefing was created",
        ));
    }

    // (group, date of the news, excerpt id) for each excerpt.
    let mut placed: Vec<(Option<String>, String, String, i64)> = Vec::new();
    for &excerpt_id in &excerpt_ids {
        let e = excerpts::get(conn, excerpt_id)?;
        let date: String = conn.query_row(
            "SELECT coalesce(published, substr(captured_at, 1, 10)) FROM source WHERE id = ?1",
            [e.source_id],
            |r| r.get(0),
        )?;
        let group = sector_of(conn, excerpt_id, e.source_id)?;
        placed.push((group, date, e.created_at, excerpt_id));
    }
    // Keyed by (is "Other", folded label) so sectors sort alphabetically and "Other" comes last.
    let mut groups: BTreeMap<(bool, String), (String, Vec<Placed>)> = BTreeMap::new();
    for (group, date, created, id) in placed {
        let key = match &group {
            Some(label) => (false, dossier_core::fold(label)),
            None => (true, String::new()),
        };
        let label = group.unwrap_or_else(|| NO_SECTOR.to_string());
        groups
            .entry(key)
            .or_insert_with(|| (label, Vec::new()))
            .1
            .push((date, created, id));
    }

    let mut open: Vec<dossier_core::FollowUp> = Vec::new();
    let mut taken = HashSet::new();
    for &fid in followup_ids {
        let f = followups::get(conn, fid)?;
        if f.status == FollowUpStatus::Open && taken.insert(f.id) {
            open.push(f);
        }
    }
    for &excerpt_id in &excerpt_ids {
        let mut stmt = conn.prepare_cached(
            "SELECT followup_id FROM followup_excerpt WHERE excerpt_id = ?1 AND role = 'concerns'
             ORDER BY followup_id",
        )?;
        let ids: Vec<i64> = stmt
            .query_map([excerpt_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for fid in ids {
            let f = followups::get(conn, fid)?;
            if f.status == FollowUpStatus::Open && taken.insert(f.id) {
                open.push(f);
            }
        }
    }
    open.sort_by(|a, b| (a.due.is_none(), &a.due, a.id).cmp(&(b.due.is_none(), &b.due, b.id)));

    let id = create(conn, fields, now)?;
    for (label, mut members) in groups.into_values() {
        // Newest news first; for the same day, the excerpt made last.
        members.sort_by(|a, b| (&b.0, &b.1, b.2).cmp(&(&a.0, &a.1, a.2)));
        let ids: Vec<i64> = members.iter().map(|m| m.2).collect();
        add_items(conn, id, SectionKind::CurrentStatus, &ids, Some(&label))?;
    }
    if !open.is_empty() {
        let lines: Vec<String> = open
            .iter()
            .map(|f| {
                let mut line = format!("- {}", escape_markdown(&f.text));
                let mut extra = Vec::new();
                if let Some(owner) = &f.owner {
                    extra.push(format!("owner: {}", escape_markdown(owner)));
                }
                if let Some(due) = &f.due {
                    extra.push(format!("due {}", long_date(due)));
                }
                if !extra.is_empty() {
                    line.push_str(&format!(" ({})", extra.join("; ")));
                }
                line
            })
            .collect();
        set_section_text(conn, id, SectionKind::NextSteps, &lines.join("\n"))?;
    }
    Ok(id)
}

/// A draft takes at most this many excerpts: past it, a query is too broad to brief from.
pub const DRAFT_MAX_EXCERPTS: usize = 500;

/// Runs a search and drafts from its excerpt and question hits (sources that match are not
/// drafted: a note quotes passages, not whole articles). See [`draft_from_hits`].
pub fn draft_from_query(
    conn: &Connection,
    query: &str,
    fields: &NewBriefing,
    now: &str,
) -> Result<i64> {
    let mut excerpt_ids = Vec::new();
    let mut followup_ids = Vec::new();
    let mut offset = 0;
    loop {
        let page = search::search(
            conn,
            query,
            &SearchOptions {
                limit: MAX_LIMIT,
                offset,
                facets: false,
                expand: true,
            },
        )?;
        for hit in &page.results {
            match hit.kind {
                ItemKind::Excerpt => excerpt_ids.push(hit.id),
                ItemKind::Question => followup_ids.push(hit.id),
                ItemKind::Source => {}
            }
        }
        if excerpt_ids.len() > DRAFT_MAX_EXCERPTS {
            return Err(StoreError::invalid(format!(
                "\"{query}\" matches more than {DRAFT_MAX_EXCERPTS} excerpts, too many to brief from; \
                 narrow the query (a tag, a date range, an outlet) — no briefing was created"
            )));
        }
        offset += page.results.len();
        if page.results.is_empty() || offset as i64 >= page.total {
            break;
        }
    }
    if excerpt_ids.is_empty() && followup_ids.is_empty() {
        return Err(StoreError::invalid(format!(
            "no excerpt or question matches \"{query}\"; no briefing was created"
        )));
    }
    draft_from_hits(conn, &excerpt_ids, &followup_ids, fields, now)
}
