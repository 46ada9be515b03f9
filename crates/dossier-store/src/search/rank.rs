//! Ranking one query's matches into the page asked for: BM25 (FTS5's `bm25()` with per-column
//! weights, lower is better), then the newest news, then the newest id.
//!
//! Two paths, and the decision a reader may question: without facets each kind ranks only the
//! top `offset + limit` rows (plus a margin) and counts the rest, so a page costs what a bare
//! FTS5 query costs; with facets every match has to be kept anyway, so they all go into the
//! `temp.search_hit` table, which the facet counts then read (see `hydrate`).

use std::collections::{HashMap, HashSet};

use dossier_core::query::ItemKind;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::compile::{Cond, KindSql, Plan, matches_sql, rank_expr};
use crate::error::Result;

pub(super) struct Ranked {
    pub(super) kind: ItemKind,
    pub(super) id: i64,
    pub(super) rank: f64,
    pub(super) day: Option<String>,
}

/// Every match of every kind into `temp.search_hit` (for the facets), and the page of them.
/// Returns the page and the number of matches.
pub(super) fn rank_into_hit_table(
    conn: &Connection,
    plans: &[(KindSql, Plan)],
    limit: usize,
    offset: usize,
    one_per_story: bool,
) -> Result<(Vec<Ranked>, i64)> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS search_hit (kind TEXT NOT NULL, id INTEGER NOT NULL, rank REAL NOT NULL, day TEXT,
             outlet TEXT, lang TEXT, status TEXT);
         DELETE FROM temp.search_hit;",
    )?;
    for (k, p) in plans {
        let (sql, params) = matches_sql(k, p);
        conn.prepare_cached(
            &format!("INSERT INTO temp.search_hit (kind, id, rank, day, outlet, lang, status) SELECT '{}', * FROM ({sql})", k.kind.as_str()),
        )?
        .execute(
            rusqlite::params_from_iter(params),
        )?;
    }
    if one_per_story {
        let rows = {
            let mut stmt = conn.prepare_cached(
                "SELECT h.id, h.rank, m.story FROM temp.search_hit h
                 JOIN story_member m ON m.source_id = h.id WHERE h.kind = 'source'",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<std::result::Result<Vec<_>, _>>()?
        };
        let folded = folded_copies(rows);
        if !folded.is_empty() {
            let ids: Vec<String> = folded.iter().map(i64::to_string).collect();
            conn.prepare_cached(
                "DELETE FROM temp.search_hit WHERE kind = 'source'
                 AND id IN (SELECT value FROM json_each(?1))",
            )?
            .execute([format!("[{}]", ids.join(","))])?;
        }
    }
    let total: i64 = conn.query_row("SELECT count(*) FROM temp.search_hit", [], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(
        "SELECT kind, id, rank, day FROM temp.search_hit ORDER BY rank, day DESC, id DESC LIMIT ? OFFSET ?",
    )?;
    let rows = stmt.query_map(rusqlite::params![limit as i64, offset as i64], |r| {
        let kind: String = r.get(0)?;
        Ok(Ranked {
            kind: match kind.as_str() {
                "excerpt" => ItemKind::Excerpt,
                "source" => ItemKind::Source,
                _ => ItemKind::Question,
            },
            id: r.get(1)?,
            rank: r.get(2)?,
            day: r.get(3)?,
        })
    })?;
    let ranked: Vec<Ranked> = rows.collect::<std::result::Result<_, _>>()?;
    Ok((ranked, total))
}

/// The page of matches without keeping the rest; returns it and the number of matches.
pub(super) fn rank_page(
    conn: &Connection,
    plans: &[(KindSql, Plan)],
    limit: usize,
    offset: usize,
    one_per_story: bool,
) -> Result<(Vec<Ranked>, i64)> {
    let mut ranked: Vec<Ranked> = Vec::new();
    let mut undated: Vec<bool> = Vec::new();
    let mut total = 0i64;
    let want = offset + limit;
    for (k, p) in plans {
        if one_per_story && k.kind == ItemKind::Source {
            // Which copy stands for a story depends on every copy's rank: all the source
            // matches are ranked, and the copies folded before the page is cut.
            let from = ranked.len();
            total += rank_kind(conn, k, p, usize::MAX / 4, &mut ranked, &mut undated)?;
            let folded = fold_ranked(conn, &ranked[from..])?;
            if !folded.is_empty() {
                let mut i = 0;
                let mut keep_undated = Vec::with_capacity(undated.len());
                ranked.retain(|r| {
                    let keep = r.kind != ItemKind::Source || !folded.contains(&r.id);
                    if keep {
                        keep_undated.push(undated[i]);
                    }
                    i += 1;
                    keep
                });
                undated = keep_undated;
                total -= folded.len() as i64;
            }
            continue;
        }
        total += rank_kind(conn, k, p, want, &mut ranked, &mut undated)?;
    }
    date_ties(conn, plans, &mut ranked, &undated, offset, limit)?;
    ranked.sort_by(|a, b| {
        a.rank
            .total_cmp(&b.rank)
            .then_with(|| b.day.cmp(&a.day))
            .then_with(|| b.id.cmp(&a.id))
    });
    ranked = ranked.into_iter().skip(offset).take(limit).collect();
    Ok((ranked, total))
}

/// The source matches that are copies of a better-ranked match of the same story (lower rank,
/// then the earlier source): what one hit per story leaves out.
fn folded_copies(rows: Vec<(i64, f64, i64)>) -> HashSet<i64> {
    let mut best: HashMap<i64, (f64, i64)> = HashMap::new();
    for &(id, rank, story) in &rows {
        let e = best.entry(story).or_insert((rank, id));
        if rank.total_cmp(&e.0).then(id.cmp(&e.1)).is_lt() {
            *e = (rank, id);
        }
    }
    rows.into_iter()
        .filter(|(id, _, story)| best[story].1 != *id)
        .map(|(id, _, _)| id)
        .collect()
}

/// [`folded_copies`] of ranked source rows.
fn fold_ranked(conn: &Connection, ranked: &[Ranked]) -> Result<HashSet<i64>> {
    if ranked.is_empty() {
        return Ok(HashSet::new());
    }
    let rank_of: HashMap<i64, f64> = ranked.iter().map(|r| (r.id, r.rank)).collect();
    let ids: Vec<String> = ranked.iter().map(|r| r.id.to_string()).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT m.source_id, m.story FROM json_each(?1) j
         CROSS JOIN story_member m ON m.source_id = j.value",
    )?;
    let rows = stmt
        .query_map([format!("[{}]", ids.join(","))], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(folded_copies(
        rows.into_iter()
            .map(|(id, story)| (id, rank_of[&id], story))
            .collect(),
    ))
}

/// Reads the dates the order depends on: those of rows whose rank equals another row's in a
/// run of equal ranks that reaches into the page. A row with a rank of its own is placed by
/// its rank alone, so for a words query this is usually no row at all (reading a date per row
/// kept cost as much as the ranking); and a run wholly before or after the page fills the same
/// places whatever its inner order.
fn date_ties(
    conn: &Connection,
    plans: &[(KindSql, Plan)],
    ranked: &mut [Ranked],
    undated: &[bool],
    offset: usize,
    limit: usize,
) -> Result<()> {
    if !undated.iter().any(|u| *u) {
        return Ok(());
    }
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| ranked[a].rank.total_cmp(&ranked[b].rank));
    let mut start = 0;
    while start < order.len() && start < offset + limit {
        let rank = ranked[order[start]].rank;
        let mut end = start + 1;
        while end < order.len() && ranked[order[end]].rank.total_cmp(&rank).is_eq() {
            end += 1;
        }
        if end - start > 1 && end > offset {
            for &i in &order[start..end] {
                if undated[i] {
                    let k = &plans
                        .iter()
                        .find(|(k, _)| k.kind == ranked[i].kind)
                        .expect("a ranked row comes from a plan")
                        .0;
                    ranked[i].day = day_of(conn, k, ranked[i].id)?;
                }
            }
        }
        start = end;
    }
    Ok(())
}

/// The date a row is ordered by among equal ranks.
fn day_of(conn: &Connection, k: &KindSql, id: i64) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {date} FROM {from} WHERE {id} = ?1",
        id = k.id,
        date = k.date,
        from = k.from,
    ))?;
    Ok(stmt.query_row([id], |r| r.get(0)).optional()?.flatten())
}

/// Ranks one kind's matches into `out` (at most `want` of them, plus a margin so that the
/// recency tie-break is decided on enough rows); returns how many matches there are in all.
/// Rows ranked by words come without their date, marked in `undated` ([`date_ties`]).
///
/// Words alone take the lean path, the same statement as a bare FTS5 query plus a count; with
/// filters the join is needed, and one pass yields both the page and the count.
fn rank_kind(
    conn: &Connection,
    k: &KindSql,
    p: &Plan,
    want: usize,
    out: &mut Vec<Ranked>,
    undated: &mut Vec<bool>,
) -> Result<i64> {
    let fetch = (want + 20) as i64;
    let (cond, cond_params) = p.cond.clone().into_parts();
    let mut rows: Vec<(i64, f64)> = Vec::new();
    let total: i64;
    match &p.fts {
        Some(m) if matches!(p.cond, Cond::True) => {
            // One pass over the matches yields both the top rows and the count: a second
            // `count(*)` MATCH would walk the index again, which for a phrase (position lists)
            // costs as much as the ranking itself.
            let (rank, mut params) = rank_expr(k, p, "rowid");
            params.push(Value::Text(m.clone()));
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT rowid, {rank} FROM {f} WHERE {f} MATCH ?",
                f = k.fts,
            ))?;
            let mut all: Vec<(i64, f64)> = stmt
                .query_map(rusqlite::params_from_iter(params), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<Result<_, _>>()?;
            total = all.len() as i64;
            let fetch = fetch as usize;
            if all.len() > fetch {
                all.select_nth_unstable_by(fetch - 1, |a, b| a.1.total_cmp(&b.1));
                // Rows tied with the last one kept stay too, so the cut never decides a tie.
                let cut = all[fetch - 1].1;
                let (head, tail) = all.split_at_mut(fetch);
                let mut keep = head.to_vec();
                keep.extend(tail.iter().filter(|r| r.1 <= cut));
                all = keep;
            }
            rows = all;
        }
        Some(m) => {
            let (rank, mut params) = rank_expr(k, p, &format!("{}.rowid", k.fts));
            params.push(Value::Text(m.clone()));
            params.extend(cond_params);
            params.push(Value::Integer(fetch));
            let mut stmt = conn.prepare_cached(&format!(
                // bm25() cannot sit beside a window function: rank in a subquery, count outside.
                "SELECT id, rank, count(*) OVER () FROM (
                     SELECT {id} AS id, {rank} AS rank FROM {f} CROSS JOIN {from}
                     WHERE {f} MATCH ? AND {id} = {f}.rowid AND ({cond}))
                 ORDER BY rank LIMIT ?",
                id = k.id,
                f = k.fts,
                from = k.from
            ))?;
            let mut count = 0;
            let mut q = stmt.query(rusqlite::params_from_iter(params))?;
            while let Some(r) = q.next()? {
                count = r.get(2)?;
                rows.push((r.get(0)?, r.get(1)?));
            }
            total = count;
        }
        None => {
            // Every match comes back unsorted and the newest are picked here: a count(*) OVER
            // () beside ORDER BY … LIMIT made SQLite store and sort every match, three
            // quarters of a tag-and-dates query. Within a kind (date, id) is a total order, so
            // the rows kept are exactly the ones the LIMIT kept.
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {id}, {date} FROM {from} WHERE {cond}",
                id = k.id,
                date = k.date,
                from = k.source_table_without_words(p)
            ))?;
            let mut all: Vec<(i64, Option<String>)> = stmt
                .query_map(rusqlite::params_from_iter(cond_params), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<Result<_, _>>()?;
            let count = all.len() as i64;
            let fetch = fetch as usize;
            if all.len() > fetch {
                all.select_nth_unstable_by(fetch - 1, |a, b| {
                    b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0))
                });
                all.truncate(fetch);
            }
            for (id, day) in all {
                out.push(Ranked {
                    kind: k.kind,
                    id,
                    rank: 0.0,
                    day,
                });
                undated.push(false);
            }
            return Ok(count);
        }
    }
    for (id, rank) in rows {
        out.push(Ranked {
            kind: k.kind,
            id,
            rank,
            day: None,
        });
        undated.push(true);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use dossier_core::{ExcerptTarget, NewSource};

    use crate::Workspace;
    use crate::search::SearchOptions;

    const NOW: &str = "2026-11-26T12:00:00Z";

    /// Equal ranks are ordered newest first, then by id, on every page, though dates are read
    /// only for the runs of equal ranks that reach into the page asked for.
    #[test]
    fn equal_ranks_are_ordered_by_date_on_every_page() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("w.sqlite")).unwrap();
        let dates = [
            "2024-03-01",
            "2025-07-09",
            "2023-01-15",
            "2025-07-09",
            "2024-12-31",
        ];
        ws.with_tx(|tx| {
            for (i, day) in dates.iter().enumerate() {
                let body = format!("Steel quotas {i}. Filler text here.");
                let id = crate::sources::add(
                    tx,
                    NewSource {
                        title: "Note".into(),
                        published: Some((*day).into()),
                        body,
                        ..Default::default()
                    },
                    NOW,
                )?
                .id;
                let quote = ExcerptTarget::Quote {
                    quote: "Steel quotas".into(),
                    occurrence: None,
                };
                crate::excerpts::add(tx, id, &quote, "", &[], NOW)?;
                crate::excerpts::add(tx, id, &quote, "", &[], NOW)?;
            }
            Ok(())
        })
        .unwrap();
        let page = |limit, offset| {
            let opts = SearchOptions {
                limit,
                offset,
                facets: false,
                expand: true,
            };
            ws.search("steel", &opts)
                .unwrap()
                .results
                .into_iter()
                .map(|h| (h.kind, h.id, h.score, h.published))
                .collect::<Vec<_>>()
        };
        let all = page(50, 0);
        assert_eq!(all.len(), 15, "ten excerpts and five sources: {all:?}");
        for w in all.windows(2) {
            let ((_, a_id, a_score, a_day), (_, b_id, b_score, b_day)) = (&w[0], &w[1]);
            assert!(a_score >= b_score, "by score first: {all:?}");
            if a_score == b_score {
                assert!(
                    (a_day, a_id) > (b_day, b_id),
                    "equal scores newest first, then the newest id: {all:?}"
                );
            }
        }
        for (limit, offset) in [(1, 0), (3, 1), (4, 2), (2, 9), (5, 10), (7, 8), (3, 13)] {
            let end = (offset + limit).min(all.len());
            assert_eq!(
                page(limit, offset),
                all[offset..end],
                "page {offset}+{limit} is that slice of the whole order"
            );
        }
    }
}
