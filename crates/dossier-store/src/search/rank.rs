//! Ranking one query's matches into the page asked for: BM25 (FTS5's `bm25()` with per-column
//! weights, lower is better), then the newest news, then the newest id.
//!
//! Two paths, and the decision a reader may question: without facets each kind ranks only the
//! top `offset + limit` rows (plus a margin) and counts the rest, so a page costs what a bare
//! FTS5 query costs; with facets every match has to be kept anyway, so they all go into the
//! `temp.search_hit` table, which the facet counts then read (see `hydrate`).

use dossier_core::query::ItemKind;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::compile::{Cond, KindSql, Plan, matches_sql};
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
) -> Result<(Vec<Ranked>, i64)> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS search_hit (kind TEXT NOT NULL, id INTEGER NOT NULL, rank REAL NOT NULL, day TEXT);
         DELETE FROM temp.search_hit;",
    )?;
    for (k, p) in plans {
        let (sql, params) = matches_sql(k, p);
        conn.execute(
            &format!("INSERT INTO temp.search_hit (kind, id, rank, day) SELECT '{}', id, rank, day FROM ({sql})", k.kind.as_str()),
            rusqlite::params_from_iter(params),
        )?;
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
) -> Result<(Vec<Ranked>, i64)> {
    let mut ranked: Vec<Ranked> = Vec::new();
    let mut total = 0i64;
    let want = offset + limit;
    for (k, p) in plans {
        total += rank_kind(conn, k, p, want, &mut ranked)?;
    }
    ranked.sort_by(|a, b| {
        a.rank
            .total_cmp(&b.rank)
            .then_with(|| b.day.cmp(&a.day))
            .then_with(|| b.id.cmp(&a.id))
    });
    ranked = ranked.into_iter().skip(offset).take(limit).collect();
    Ok((ranked, total))
}

/// Ranks one kind's matches into `out` (at most `want` of them, plus a margin so that the
/// recency tie-break is decided on enough rows); returns how many matches there are in all.
///
/// Words alone take the lean path, the same statement as a bare FTS5 query plus a count; with
/// filters the join is needed, and one pass yields both the page and the count.
fn rank_kind(
    conn: &Connection,
    k: &KindSql,
    p: &Plan,
    want: usize,
    out: &mut Vec<Ranked>,
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
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT rowid, bm25({f}, {w}) FROM {f} WHERE {f} MATCH ?1",
                f = k.fts,
                w = k.weights
            ))?;
            let mut all: Vec<(i64, f64)> = stmt
                .query_map(rusqlite::params![m], |r| Ok((r.get(0)?, r.get(1)?)))?
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
            let mut params = vec![Value::Text(m.clone())];
            params.extend(cond_params);
            params.push(Value::Integer(fetch));
            let mut stmt = conn.prepare_cached(&format!(
                // bm25() cannot sit beside a window function: rank in a subquery, count outside.
                "SELECT id, rank, count(*) OVER () FROM (
                     SELECT {id} AS id, bm25({f}, {w}) AS rank FROM {f} CROSS JOIN {from}
                     WHERE {f} MATCH ? AND {id} = {f}.rowid AND ({cond}))
                 ORDER BY rank LIMIT ?",
                id = k.id,
                f = k.fts,
                w = k.weights,
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
            let mut params = cond_params;
            params.push(Value::Integer(fetch));
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {id}, {date} AS day, count(*) OVER () FROM {from} WHERE {cond}
                 ORDER BY day DESC, {id} DESC LIMIT ?",
                id = k.id,
                date = k.date,
                from = k.source_table_without_words(p)
            ))?;
            let mut count = 0;
            let mut q = stmt.query(rusqlite::params_from_iter(params))?;
            while let Some(r) = q.next()? {
                count = r.get(2)?;
                out.push(Ranked {
                    kind: k.kind,
                    id: r.get(0)?,
                    rank: 0.0,
                    day: r.get(1)?,
                });
            }
            return Ok(count);
        }
    }
    if rows.is_empty() {
        return Ok(total);
    }
    // Dates only for the rows on the page: the tie-breaker, not a sort key for every match.
    // One cached statement per kind, stepped per id, rather than a fresh `IN (…)` to prepare.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {date} FROM {from} WHERE {id} = ?1",
        id = k.id,
        date = k.date,
        from = k.from,
    ))?;
    let mut days: std::collections::HashMap<i64, Option<String>> = Default::default();
    for (id, _) in &rows {
        let day: Option<String> = stmt.query_row([id], |r| r.get(0)).optional()?.flatten();
        days.insert(*id, day);
    }
    for (id, rank) in rows {
        out.push(Ranked {
            kind: k.kind,
            id,
            rank,
            day: days.get(&id).cloned().flatten(),
        });
    }
    Ok(total)
}
