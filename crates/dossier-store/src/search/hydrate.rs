//! Turning ranked ids into what the user sees: each hit's title, tags, dates and a snippet with
//! the matched words marked, and the facet counts over every match.
//!
//! The decision a reader may question: snippets are cut here, in Rust, from the stored text
//! with the query's own needles (`dossier_core::snippet`), not with FTS5's `snippet()`: the
//! marks then follow our folding (accents, `œ`) and a hit matched through a filter alone still
//! gets a useful head of text. Only the page's rows are read, so the cost is per page shown.

use std::collections::HashMap;

use dossier_core::FollowUpStatus;
use dossier_core::briefing::Marking;
use dossier_core::query::{
    Expansion, FacetCount, Facets, HitCopy, ItemKind, SearchHit, SnippetPart,
};
use dossier_core::snippet::Needle;
use rusqlite::Connection;

use super::rank::Ranked;
use crate::error::{Result, StoreError};
use crate::tags::Owner;

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
    // Outlet and language were read with each match (`matches_sql`): the source rows behind
    // thousands of hits are not read again, which was most of the facets' cost.
    let mut outlets: std::collections::BTreeMap<String, i64> = Default::default();
    let mut langs: std::collections::BTreeMap<String, i64> = Default::default();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT outlet, lang, count(*) FROM temp.search_hit
             WHERE kind IN ('excerpt', 'source') GROUP BY outlet, lang",
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
            "SELECT status, count(*) AS n FROM temp.search_hit
             WHERE kind = 'question' GROUP BY status ORDER BY n DESC, status",
        )?,
    })
}

fn snippet_html(parts: &[SnippetPart]) -> String {
    // One pass over the text rather than a `replace` per character to escape: the four
    // replaces, each copying the text, were a tenth of a rare word's search.
    fn push_escaped(out: &mut String, s: &str) {
        let mut last = 0;
        for (i, c) in s.char_indices() {
            let rep = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => continue,
            };
            out.push_str(&s[last..i]);
            out.push_str(rep);
            last = i + 1;
        }
        out.push_str(&s[last..]);
    }
    let mut out = String::new();
    for p in parts {
        if p.mark {
            out.push_str("<mark>");
            push_escaped(&mut out, &p.text);
            out.push_str("</mark>");
        } else {
            push_escaped(&mut out, &p.text);
        }
    }
    out
}

fn plain_head(text: &str, chars: usize) -> String {
    dossier_core::text::one_line_head(text, chars)
}

/// The page's ids as a JSON array, for `json_each`: one cached statement reads every row of a
/// kind, where a statement per hit (and another for its tags) cost more than the rows.
fn id_list(ids: &[i64]) -> String {
    let parts: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("[{}]", parts.join(","))
}

/// Tag paths of each item of the page, in attachment order (as `tags::paths_of`).
fn tags_of(conn: &Connection, owner: Owner, ids: &str) -> Result<HashMap<i64, Vec<String>>> {
    let (table, col) = match owner {
        Owner::Excerpt => ("excerpt_tag", "excerpt_id"),
        Owner::Source => ("source_tag", "source_id"),
        Owner::FollowUp => ("followup_tag", "followup_id"),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT x.{col}, t.path FROM json_each(?1) j CROSS JOIN {table} x ON x.{col} = j.value
         JOIN tag t ON t.id = x.tag_id ORDER BY x.{col}, x.position, t.path"
    ))?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    let mut rows = stmt.query([ids])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    Ok(out)
}

struct ExcerptRow {
    uid: String,
    source_id: i64,
    title: String,
    quote: String,
    start: i64,
    end: i64,
    outlet: Option<String>,
    published: Option<String>,
    note: String,
    marking: Marking,
}

struct SourceRow {
    uid: String,
    title: String,
    body: String,
    outlet: Option<String>,
    published: Option<String>,
    marking: Marking,
}

struct QuestionRow {
    uid: String,
    text: String,
    status: FollowUpStatus,
    due: Option<String>,
    answer: Option<String>,
    /// The first source it concerns, else the source of the first excerpt it concerns.
    source_id: Option<i64>,
}

/// Says on each hit which of the query's expansions it was found by: those whose words its
/// snippet marks (the snippet looks for them too).
pub(super) fn matched_via(hits: &mut [SearchHit], expansions: &[Expansion]) {
    if expansions.is_empty() {
        return;
    }
    let words: Vec<(String, &Expansion)> = expansions
        .iter()
        .map(|e| (dossier_core::fold(&e.word), e))
        .collect();
    for hit in hits {
        let marked: Vec<String> = hit
            .snippet_parts
            .iter()
            .filter(|p| p.mark)
            .map(|p| dossier_core::fold(&p.text))
            .collect();
        for (word, expansion) in &words {
            if marked
                .iter()
                .any(|m| m == word || m.contains(word.as_str()))
                && !hit.matched_via.contains(expansion)
            {
                hit.matched_via.push((*expansion).clone());
            }
        }
    }
}

/// What the page shows, read kind by kind in one statement each (rows, then tags).
pub(super) fn page(
    conn: &Connection,
    ranked: &[Ranked],
    needles: &[Needle],
) -> Result<Vec<SearchHit>> {
    let ids_of = |kind: ItemKind| -> Vec<i64> {
        ranked
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.id)
            .collect()
    };
    let mut excerpts: HashMap<i64, ExcerptRow> = HashMap::new();
    let mut sources: HashMap<i64, SourceRow> = HashMap::new();
    let mut questions: HashMap<i64, QuestionRow> = HashMap::new();
    let mut tags: HashMap<(ItemKind, i64), Vec<String>> = HashMap::new();
    let mut add_tags = |kind: ItemKind, found: HashMap<i64, Vec<String>>| {
        tags.extend(found.into_iter().map(|(id, t)| ((kind, id), t)));
    };
    let ids = ids_of(ItemKind::Excerpt);
    if !ids.is_empty() {
        let ids = id_list(&ids);
        let mut stmt = conn.prepare_cached(
            "SELECT e.id, e.source_id, s.title, e.quote, e.start, e.\"end\", s.outlet, s.published, e.note,
                    coalesce(e.marking, s.marking), e.uid
             FROM json_each(?1) j CROSS JOIN excerpt e ON e.id = j.value JOIN source s ON s.id = e.source_id",
        )?;
        let mut rows = stmt.query([&ids])?;
        while let Some(r) = rows.next()? {
            excerpts.insert(
                r.get(0)?,
                ExcerptRow {
                    uid: r.get(10)?,
                    source_id: r.get(1)?,
                    title: r.get(2)?,
                    quote: r.get(3)?,
                    start: r.get(4)?,
                    end: r.get(5)?,
                    outlet: r.get(6)?,
                    published: r.get(7)?,
                    note: r.get(8)?,
                    marking: crate::parse_marking(r.get(9)?)?,
                },
            );
        }
        add_tags(ItemKind::Excerpt, tags_of(conn, Owner::Excerpt, &ids)?);
    }
    let ids = ids_of(ItemKind::Source);
    if !ids.is_empty() {
        let ids = id_list(&ids);
        let mut stmt = conn.prepare_cached(
            "SELECT s.id, s.title, s.body, s.outlet, s.published, s.marking, s.uid
             FROM json_each(?1) j CROSS JOIN source s ON s.id = j.value",
        )?;
        let mut rows = stmt.query([&ids])?;
        while let Some(r) = rows.next()? {
            sources.insert(
                r.get(0)?,
                SourceRow {
                    uid: r.get(6)?,
                    title: r.get(1)?,
                    body: r.get(2)?,
                    outlet: r.get(3)?,
                    published: r.get(4)?,
                    marking: crate::parse_marking(r.get(5)?)?,
                },
            );
        }
        add_tags(ItemKind::Source, tags_of(conn, Owner::Source, &ids)?);
    }
    let ids = ids_of(ItemKind::Question);
    if !ids.is_empty() {
        let ids = id_list(&ids);
        // The same links `followups::get` reads, in the same order, first of each only.
        let mut stmt = conn.prepare_cached(
            "SELECT f.id, f.question, f.status, f.due, f.answer,
                    coalesce(
                        (SELECT source_id FROM followup_source WHERE followup_id = f.id
                         ORDER BY position, source_id LIMIT 1),
                        (SELECT x.source_id FROM followup_excerpt fx JOIN excerpt x ON x.id = fx.excerpt_id
                         WHERE fx.followup_id = f.id AND fx.role = 'concerns'
                         ORDER BY fx.position, fx.excerpt_id LIMIT 1)),
                    f.uid
             FROM json_each(?1) j CROSS JOIN followup f ON f.id = j.value",
        )?;
        let mut rows = stmt.query([&ids])?;
        while let Some(r) = rows.next()? {
            let status: String = r.get(2)?;
            questions.insert(
                r.get(0)?,
                QuestionRow {
                    uid: r.get(6)?,
                    text: r.get(1)?,
                    status: status.parse().unwrap_or(FollowUpStatus::Open),
                    due: r.get(3)?,
                    answer: r.get(4)?,
                    source_id: r.get(5)?,
                },
            );
        }
        add_tags(ItemKind::Question, tags_of(conn, Owner::FollowUp, &ids)?);
    }
    let mut copies = copies_of(conn, &ids_of(ItemKind::Source))?;
    ranked
        .iter()
        .map(|r| {
            let tags = tags.remove(&(r.kind, r.id)).unwrap_or_default();
            let copies = match r.kind {
                ItemKind::Source => copies.remove(&r.id).unwrap_or_default(),
                _ => Vec::new(),
            };
            hit(
                r,
                needles,
                tags,
                &mut excerpts,
                &mut sources,
                &mut questions,
            )
            .map(|mut h| {
                h.copies = copies;
                h
            })
        })
        .collect()
}

/// The other members of each page source's story, oldest first.
fn copies_of(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, Vec<HitCopy>>> {
    let mut out: HashMap<i64, Vec<HitCopy>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT j.value, s.id, s.title, s.outlet, s.published
         FROM json_each(?1) j
         CROSS JOIN story_member m ON m.source_id = j.value
         JOIN story_member o ON o.story = m.story AND o.source_id <> m.source_id
         JOIN source s ON s.id = o.source_id
         ORDER BY j.value, s.id",
    )?;
    let mut rows = stmt.query([id_list(ids)])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(HitCopy {
            id: r.get(1)?,
            title: r.get(2)?,
            outlet: r.get(3)?,
            published: r.get(4)?,
        });
    }
    Ok(out)
}

fn hit(
    r: &Ranked,
    needles: &[Needle],
    tags: Vec<String>,
    excerpts: &mut HashMap<i64, ExcerptRow>,
    sources: &mut HashMap<i64, SourceRow>,
    questions: &mut HashMap<i64, QuestionRow>,
) -> Result<SearchHit> {
    let snip = |texts: &[&str]| {
        texts
            .iter()
            .find_map(|t| dossier_core::snippet::snippet(t, needles, 24))
    };
    let mut h = SearchHit {
        kind: r.kind,
        id: r.id,
        uid: String::new(),
        source_id: None,
        title: String::new(),
        snippet: String::new(),
        snippet_parts: Vec::new(),
        score: if r.rank == 0.0 { 0.0 } else { -r.rank },
        tags,
        outlet: None,
        published: None,
        quote: None,
        start: None,
        end: None,
        status: None,
        due: None,
        marking: None,
        matched_via: Vec::new(),
        copies: Vec::new(),
    };
    let missing = || StoreError::from(rusqlite::Error::QueryReturnedNoRows);
    // The plain head of text is only the fallback: cut when no needle is found.
    let or_head = |found: Option<Vec<SnippetPart>>, text: &str| {
        found.unwrap_or_else(|| {
            vec![SnippetPart {
                text: plain_head(text, 200),
                mark: false,
            }]
        })
    };
    match r.kind {
        ItemKind::Excerpt => {
            let e = excerpts.remove(&r.id).ok_or_else(missing)?;
            h.snippet_parts = or_head(snip(&[&e.quote, &e.note]), &e.quote);
            h.uid = e.uid;
            h.source_id = Some(e.source_id);
            h.title = e.title;
            (h.start, h.end, h.outlet, h.published) =
                (Some(e.start), Some(e.end), e.outlet, e.published);
            h.quote = Some(e.quote);
            h.marking = Some(e.marking);
        }
        ItemKind::Source => {
            let s = sources.remove(&r.id).ok_or_else(missing)?;
            h.snippet_parts = or_head(
                snip(&[&s.body, &s.title]),
                &s.body[..s.body.floor_char_boundary(600)],
            );
            h.source_id = Some(r.id);
            h.uid = s.uid;
            (h.title, h.outlet, h.published) = (s.title, s.outlet, s.published);
            h.marking = Some(s.marking);
        }
        ItemKind::Question => {
            let q = questions
                .remove(&r.id)
                .ok_or(StoreError::FollowUpNotFound(r.id))?;
            let answer = q.answer.as_deref().unwrap_or("");
            h.snippet_parts = or_head(
                snip(&[&q.text, answer]),
                q.answer.as_deref().unwrap_or(&q.text),
            );
            h.source_id = q.source_id;
            h.uid = q.uid;
            (h.title, h.status, h.due) = (q.text, Some(q.status), q.due);
        }
    }
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
