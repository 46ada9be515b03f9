//! Turning ranked ids into what the user sees: each hit's title, tags, dates and a snippet with
//! the matched words marked, and the facet counts over every match.
//!
//! The decision a reader may question: snippets are cut here, in Rust, from the stored text
//! with the query's own needles (`dossier_core::snippet`), not with FTS5's `snippet()`: the
//! marks then follow our folding (accents, `œ`) and a hit matched through a filter alone still
//! gets a useful head of text. Only the page's rows are read, so the cost is per page shown.

use dossier_core::query::{FacetCount, Facets, ItemKind, SearchHit, SnippetPart};
use dossier_core::snippet::Needle;
use rusqlite::Connection;

use super::rank::Ranked;
use crate::error::Result;
use crate::tags::{self, Owner};

pub(super) fn facet_counts(conn: &Connection) -> Result<Facets> {
    let counts = |sql: &str| -> Result<Vec<FacetCount>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(FacetCount {
                value: r.get(0)?,
                count: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    // Outlet and language in one pass over the sources behind the hits: reading a source row
    // is the expensive part, since its long text shares the row.
    let mut outlets: std::collections::BTreeMap<String, i64> = Default::default();
    let mut langs: std::collections::BTreeMap<String, i64> = Default::default();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT s.outlet, s.lang, count(*) FROM (
                 SELECT e.source_id AS sid FROM temp.search_hit h JOIN excerpt e ON e.id = h.id WHERE h.kind = 'excerpt'
                 UNION ALL SELECT h.id FROM temp.search_hit h WHERE h.kind = 'source'
             ) a JOIN source s ON s.id = a.sid GROUP BY s.outlet, s.lang",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (outlet, lang, n): (Option<String>, Option<String>, i64) =
                (r.get(0)?, r.get(1)?, r.get(2)?);
            if let Some(o) = outlet {
                *outlets.entry(o).or_default() += n;
            }
            if let Some(l) = lang {
                *langs.entry(l).or_default() += n;
            }
        }
    }
    let ranked = |m: std::collections::BTreeMap<String, i64>, max: usize| {
        let mut v: Vec<FacetCount> = m
            .into_iter()
            .map(|(value, count)| FacetCount { value, count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v.truncate(max);
        v
    };
    Ok(Facets {
        types: counts("SELECT kind, count(*) AS n FROM temp.search_hit GROUP BY kind ORDER BY n DESC, kind")?,
        tags: counts(
            "SELECT t.path, count(*) AS n FROM (
                 SELECT x.tag_id FROM temp.search_hit h JOIN excerpt_tag x ON x.excerpt_id = h.id WHERE h.kind = 'excerpt'
                 UNION ALL SELECT x.tag_id FROM temp.search_hit h JOIN source_tag x ON x.source_id = h.id WHERE h.kind = 'source'
                 UNION ALL SELECT x.tag_id FROM temp.search_hit h JOIN followup_tag x ON x.followup_id = h.id WHERE h.kind = 'question'
             ) a JOIN tag t ON t.id = a.tag_id GROUP BY t.path ORDER BY n DESC, t.path LIMIT 40",
        )?,
        outlets: ranked(outlets, 40),
        langs: ranked(langs, 40),
        statuses: counts(
            "SELECT f.status, count(*) AS n FROM temp.search_hit h JOIN followup f ON f.id = h.id
             WHERE h.kind = 'question' GROUP BY f.status ORDER BY n DESC, f.status",
        )?,
    })
}

fn snippet_html(parts: &[SnippetPart]) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    parts
        .iter()
        .map(|p| {
            if p.mark {
                format!("<mark>{}</mark>", esc(&p.text))
            } else {
                esc(&p.text)
            }
        })
        .collect()
}

fn plain_head(text: &str, chars: usize) -> String {
    dossier_core::text::one_line_head(text, chars)
}

pub(super) fn hit(conn: &Connection, r: &Ranked, needles: &[Needle]) -> Result<SearchHit> {
    let snip = |texts: &[&str]| {
        texts
            .iter()
            .find_map(|t| dossier_core::snippet::snippet(t, needles, 24))
    };
    let mut h = SearchHit {
        kind: r.kind,
        id: r.id,
        source_id: None,
        title: String::new(),
        snippet: String::new(),
        snippet_parts: Vec::new(),
        score: if r.rank == 0.0 { 0.0 } else { -r.rank },
        tags: Vec::new(),
        outlet: None,
        published: None,
        quote: None,
        start: None,
        end: None,
        status: None,
        due: None,
    };
    let fallback: String;
    let found: Option<Vec<SnippetPart>>;
    match r.kind {
        ItemKind::Excerpt => {
            // One cached statement per page row: preparing a fresh one per hit cost more than
            // reading the row.
            let (source_id, title, quote, start, end, outlet, published, note): (
                i64,
                String,
                String,
                i64,
                i64,
                Option<String>,
                Option<String>,
                String,
            ) = conn
                .prepare_cached(
                    "SELECT e.source_id, s.title, e.quote, e.start, e.\"end\", s.outlet, s.published, e.note
                     FROM excerpt e JOIN source s ON s.id = e.source_id WHERE e.id = ?1",
                )?
                .query_row([r.id], |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                        row.get(7)?,
                    ))
                })?;
            found = snip(&[&quote, &note]);
            fallback = plain_head(&quote, 200);
            h.source_id = Some(source_id);
            h.title = title;
            h.quote = Some(quote);
            (h.start, h.end, h.outlet, h.published) = (Some(start), Some(end), outlet, published);
            h.tags = tags::paths_of(conn, Owner::Excerpt, r.id)?;
        }
        ItemKind::Source => {
            let (title, body, outlet, published): (String, String, Option<String>, Option<String>) =
                conn.prepare_cached(
                    "SELECT title, body, outlet, published FROM source WHERE id = ?1",
                )?
                .query_row([r.id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })?;
            found = snip(&[&body, &title]);
            fallback = plain_head(&body[..body.floor_char_boundary(600)], 200);
            h.source_id = Some(r.id);
            (h.title, h.outlet, h.published) = (title, outlet, published);
            h.tags = tags::paths_of(conn, Owner::Source, r.id)?;
        }
        ItemKind::Question => {
            let f = crate::followups::get(conn, r.id)?;
            found = snip(&[&f.text, f.answer.as_deref().unwrap_or("")]);
            fallback = plain_head(f.answer.as_deref().unwrap_or(&f.text), 200);
            h.source_id = f
                .source_ids
                .first()
                .copied()
                .or(match f.excerpt_ids.first() {
                    Some(e) => Some(crate::excerpts::get(conn, *e)?.source_id),
                    None => None,
                });
            (h.title, h.status, h.due, h.tags) = (f.text, Some(f.status), f.due, f.tags);
        }
    }
    h.snippet_parts = found.unwrap_or_else(|| {
        vec![SnippetPart {
            text: fallback,
            mark: false,
        }]
    });
    h.snippet = snippet_html(&h.snippet_parts);
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_html_escapes_text_and_marks_matches() {
        let parts = vec![
            SnippetPart {
                text: "a <b>".into(),
                mark: false,
            },
            SnippetPart {
                text: "steel".into(),
                mark: true,
            },
            SnippetPart {
                text: " & c".into(),
                mark: false,
            },
        ];
        assert_eq!(
            snippet_html(&parts),
            "a &lt;b&gt;<mark>steel</mark> &amp; c"
        );
    }
}
