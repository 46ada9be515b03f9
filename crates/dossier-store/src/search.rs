//! Search: a parsed query compiled to one parameterised SQL statement per kind of item
//! (excerpt, source, question), ranked by BM25 with recency as the tie-breaker.
//!
//! The decision a reader may question: the words that every result must contain are pulled out
//! of the query into a single FTS5 `MATCH` that drives the statement, so a common word costs one
//! pass over the index (the same work as a bare FTS5 query) rather than a filter over every row;
//! filters, tags and alternatives mixing words with filters become SQL conditions on that pass.
//! FTS5 only ever sees strings this module quotes itself.

use dossier_core::fold;
use dossier_core::query::{
    Expr, FacetCount, Facets, Filter, ItemKind, SearchHit, SearchResults, SnippetPart, Text,
};
use dossier_core::snippet::Needle;
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::error::{Result, StoreError};
use crate::tags::{self, Owner};

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 50,
            offset: 0,
            facets: false,
        }
    }
}

/// At most this many results in one page.
pub const MAX_LIMIT: usize = 1000;

/// A condition on one kind's row, with its parameters in placeholder order.
#[derive(Debug, Clone)]
enum Cond {
    True,
    False,
    Sql(String, Vec<Value>),
}

impl Cond {
    fn sql(text: impl Into<String>, params: Vec<Value>) -> Cond {
        Cond::Sql(text.into(), params)
    }

    fn and(parts: Vec<Cond>) -> Cond {
        let mut text = Vec::new();
        let mut params = Vec::new();
        for p in parts {
            match p {
                Cond::True => {}
                Cond::False => return Cond::False,
                Cond::Sql(t, ps) => {
                    text.push(format!("({t})"));
                    params.extend(ps);
                }
            }
        }
        if text.is_empty() {
            Cond::True
        } else {
            Cond::Sql(text.join(" AND "), params)
        }
    }

    fn or(parts: Vec<Cond>) -> Cond {
        let mut text = Vec::new();
        let mut params = Vec::new();
        for p in parts {
            match p {
                Cond::True => return Cond::True,
                Cond::False => {}
                Cond::Sql(t, ps) => {
                    text.push(format!("({t})"));
                    params.extend(ps);
                }
            }
        }
        if text.is_empty() {
            Cond::False
        } else {
            Cond::Sql(text.join(" OR "), params)
        }
    }

    fn not(self) -> Cond {
        match self {
            Cond::True => Cond::False,
            Cond::False => Cond::True,
            Cond::Sql(t, ps) => Cond::Sql(format!("NOT ({t})"), ps),
        }
    }

    fn into_parts(self) -> (String, Vec<Value>) {
        match self {
            Cond::True => ("1".into(), vec![]),
            Cond::False => ("0".into(), vec![]),
            Cond::Sql(t, ps) => (t, ps),
        }
    }
}

/// Per-kind names used in the generated SQL.
struct KindSql {
    kind: ItemKind,
    fts: &'static str,
    weights: &'static str,
    /// Rows of this kind, with aliases the conditions use.
    from: &'static str,
    id: &'static str,
    /// The date results without words are ordered by (newest first).
    date: &'static str,
}

fn kind_sql(kind: ItemKind) -> KindSql {
    match kind {
        ItemKind::Excerpt => KindSql {
            kind,
            fts: "excerpt_fts",
            // quote, note
            weights: "3.0, 1.5",
            from: "excerpt e JOIN source s ON s.id = e.source_id",
            id: "e.id",
            date: "coalesce(s.published, substr(s.captured_at, 1, 10))",
        },
        ItemKind::Source => KindSql {
            kind,
            fts: "source_fts",
            // title, outlet, body
            weights: "6.0, 1.0, 1.0",
            from: "source s",
            id: "s.id",
            date: "coalesce(s.published, substr(s.captured_at, 1, 10))",
        },
        ItemKind::Question => KindSql {
            kind,
            fts: "followup_fts",
            // question, answer
            weights: "3.0, 1.0",
            from: "followup f",
            id: "f.id",
            date: "substr(f.created_at, 1, 10)",
        },
    }
}

fn quote_fts(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// FTS5 text for one term. `œ` is a letter to FTS5, not an accent, so a word written either
/// way searches both spellings.
fn fts_text(t: &Text) -> String {
    let variants = |w: &str| -> Vec<String> {
        let lower = w.to_lowercase();
        let plain = lower.replace('œ', "oe");
        let lig = plain.replace("oe", "œ");
        if plain == lig {
            vec![plain]
        } else {
            vec![plain, lig]
        }
    };
    let alts: Vec<String> = match t {
        Text::Word(w) => variants(w).iter().map(|v| quote_fts(v)).collect(),
        Text::Prefix(w) => variants(w)
            .iter()
            .map(|v| format!("{} *", quote_fts(v)))
            .collect(),
        Text::Phrase(p) => variants(p).iter().map(|v| quote_fts(v)).collect(),
    };
    if alts.len() == 1 {
        alts.into_iter().next().expect("one")
    } else {
        format!("({})", alts.join(" OR "))
    }
}

/// The expression as one FTS5 query, when it is words only and FTS5 can say it.
fn fts_expr(e: &Expr) -> Option<String> {
    match e {
        Expr::Text(t) => Some(fts_text(t)),
        Expr::Filter(_) | Expr::Not(_) => None,
        Expr::Or(parts) => {
            let ps: Option<Vec<String>> = parts.iter().map(fts_expr).collect();
            Some(format!("({})", ps?.join(" OR ")))
        }
        Expr::And(parts) => {
            let mut pos = Vec::new();
            let mut neg = Vec::new();
            for p in parts {
                match p {
                    Expr::Not(inner) => neg.push(fts_expr(inner)?),
                    other => pos.push(fts_expr(other)?),
                }
            }
            combine_fts(&pos, &neg)
        }
    }
}

fn combine_fts(pos: &[String], neg: &[String]) -> Option<String> {
    if pos.is_empty() {
        return None;
    }
    let mut s = format!("({})", pos.join(" AND "));
    for n in neg {
        s = format!("({s} NOT {n})");
    }
    Some(s)
}

struct Compiler<'c> {
    conn: &'c Connection,
}

impl Compiler<'_> {
    fn tag_ids(&self, input: &str) -> Result<String> {
        let (_, path) = tags::require(self.conn, input)?;
        let ids: Vec<String> = tags::subtree(self.conn, &path)?
            .into_iter()
            .map(|(id, _)| id.to_string())
            .collect();
        Ok(ids.join(","))
    }

    /// A condition on a source row aliased `s`.
    fn source_meta(&self, f: &Filter, s: &str) -> Option<Cond> {
        let like = |v: &str| {
            let escaped = fold(v)
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            Value::Text(format!("%{escaped}%"))
        };
        let text = |v: String| Value::Text(v);
        Some(match f {
            Filter::Outlet(v) => Cond::sql(
                format!("fold({s}.outlet) LIKE ? ESCAPE '\\'"),
                vec![like(v)],
            ),
            Filter::Author(v) => Cond::sql(
                format!(
                    "EXISTS (SELECT 1 FROM json_each({s}.authors) WHERE fold(value) LIKE ? ESCAPE '\\')"
                ),
                vec![like(v)],
            ),
            Filter::Source(id) => Cond::sql(format!("{s}.id = ?"), vec![Value::Integer(*id)]),
            Filter::After(d) => Cond::sql(format!("{s}.published >= ?"), vec![text(d.to_string())]),
            Filter::Before(d) => Cond::sql(format!("{s}.published < ?"), vec![text(d.to_string())]),
            Filter::CapturedAfter(d) => {
                Cond::sql(format!("{s}.captured_at >= ?"), vec![text(d.to_string())])
            }
            Filter::CapturedBefore(d) => {
                Cond::sql(format!("{s}.captured_at < ?"), vec![text(d.to_string())])
            }
            Filter::Lang(l) => Cond::sql(
                format!("({s}.lang = ? OR {s}.lang LIKE ?)"),
                vec![text(l.clone()), text(format!("{l}-%"))],
            ),
            _ => return None,
        })
    }

    fn filter(&self, f: &Filter, k: &KindSql) -> Result<Cond> {
        if let Filter::Tag(name) = f {
            let ids = self.tag_ids(name)?;
            let (table, col) = match k.kind {
                ItemKind::Excerpt => ("excerpt_tag", "excerpt_id"),
                ItemKind::Source => ("source_tag", "source_id"),
                ItemKind::Question => ("followup_tag", "followup_id"),
            };
            // Tag ids come from the database, never from the query text.
            return Ok(Cond::sql(
                format!(
                    "{} IN (SELECT {col} FROM {table} WHERE tag_id IN ({ids}))",
                    k.id
                ),
                vec![],
            ));
        }
        match (f, k.kind) {
            (Filter::Kind(want), kind) => Ok(if *want == kind {
                Cond::True
            } else {
                Cond::False
            }),
            (Filter::Status(st), ItemKind::Question) => Ok(Cond::sql(
                "f.status = ?",
                vec![Value::Text(st.as_str().into())],
            )),
            (Filter::DueBefore(d), ItemKind::Question) => {
                Ok(Cond::sql("f.due < ?", vec![Value::Text(d.to_string())]))
            }
            (Filter::DueAfter(d), ItemKind::Question) => {
                Ok(Cond::sql("f.due >= ?", vec![Value::Text(d.to_string())]))
            }
            (Filter::Status(_) | Filter::DueBefore(_) | Filter::DueAfter(_), _) => Ok(Cond::False),
            (_, ItemKind::Excerpt | ItemKind::Source) => {
                Ok(self.source_meta(f, "s").unwrap_or(Cond::False))
            }
            (_, ItemKind::Question) => {
                // A question has a source's properties through the sources it concerns,
                // directly or through its excerpts.
                let Some(inner) = self.source_meta(f, "qs") else {
                    return Ok(Cond::False);
                };
                let (t, ps) = inner.into_parts();
                Ok(Cond::sql(
                    format!(
                        "EXISTS (SELECT 1 FROM source qs WHERE qs.id IN (
                            SELECT source_id FROM followup_source WHERE followup_id = f.id
                            UNION SELECT x.source_id FROM followup_excerpt fx JOIN excerpt x ON x.id = fx.excerpt_id
                                  WHERE fx.followup_id = f.id) AND ({t}))"
                    ),
                    ps,
                ))
            }
        }
    }

    fn cond(&self, e: &Expr, k: &KindSql) -> Result<Cond> {
        Ok(match e {
            Expr::And(parts) => Cond::and(
                parts
                    .iter()
                    .map(|p| self.cond(p, k))
                    .collect::<Result<_>>()?,
            ),
            Expr::Or(parts) => Cond::or(
                parts
                    .iter()
                    .map(|p| self.cond(p, k))
                    .collect::<Result<_>>()?,
            ),
            Expr::Not(inner) => self.cond(inner, k)?.not(),
            Expr::Filter(f) => self.filter(f, k)?,
            Expr::Text(t) => Cond::sql(
                format!(
                    "{} IN (SELECT rowid FROM {} WHERE {} MATCH ?)",
                    k.id, k.fts, k.fts
                ),
                vec![Value::Text(fts_text(t))],
            ),
        })
    }
}

/// What one kind contributes: an optional driving FTS5 match and the remaining condition.
struct Plan {
    fts: Option<String>,
    cond: Cond,
}

fn plan(c: &Compiler<'_>, expr: &Expr, k: &KindSql) -> Result<Plan> {
    let conjuncts: Vec<&Expr> = match expr {
        Expr::And(parts) => parts.iter().collect(),
        other => vec![other],
    };
    let mut pos = Vec::new();
    let mut neg = Vec::new();
    let mut rest = Vec::new();
    for e in conjuncts {
        match e {
            Expr::Not(inner) => match fts_expr(inner) {
                Some(f) => neg.push((f, e)),
                None => rest.push(e),
            },
            other => match fts_expr(other) {
                Some(f) => pos.push(f),
                None => rest.push(e),
            },
        }
    }
    let fts = if pos.is_empty() {
        rest.extend(neg.iter().map(|(_, e)| *e));
        None
    } else {
        combine_fts(
            &pos,
            &neg.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(),
        )
    };
    let cond = Cond::and(rest.iter().map(|e| c.cond(e, k)).collect::<Result<_>>()?);
    Ok(Plan { fts, cond })
}

/// The SELECT of one kind's matches: id, rank (BM25, lower is better; 0 without words), date.
/// `CROSS JOIN` keeps the full-text index as the outer loop: it is the selective side.
fn matches_sql(k: &KindSql, plan: &Plan) -> (String, Vec<Value>) {
    let (cond, mut params) = plan.cond.clone().into_parts();
    match &plan.fts {
        Some(m) => {
            let mut all = vec![Value::Text(m.clone())];
            all.append(&mut params);
            (
                format!(
                    "SELECT {id} AS id, bm25({fts}, {w}) AS rank, {date} AS day
                     FROM {fts} CROSS JOIN {from}
                     WHERE {fts} MATCH ? AND {id} = {fts}.rowid AND ({cond})",
                    id = k.id,
                    fts = k.fts,
                    w = k.weights,
                    date = k.date,
                    from = k.from
                ),
                all,
            )
        }
        None => (
            format!(
                "SELECT {id} AS id, 0.0 AS rank, {date} AS day FROM {from} WHERE {cond}",
                id = k.id,
                date = k.date,
                from = k.from
            ),
            params,
        ),
    }
}

struct Ranked {
    kind: ItemKind,
    id: i64,
    rank: f64,
    day: Option<String>,
}

/// Runs a query. `query` is the user's text, parsed here.
pub fn search(conn: &Connection, query: &str, opts: &SearchOptions) -> Result<SearchResults> {
    let expr = dossier_core::query::parse(query).map_err(StoreError::Query)?;
    let limit = opts.limit.clamp(1, MAX_LIMIT);
    let c = Compiler { conn };
    let mut plans = Vec::new();
    for kind in ItemKind::ALL {
        let k = kind_sql(kind);
        let p = plan(&c, &expr, &k)?;
        if !matches!(p.cond, Cond::False) {
            plans.push((k, p));
        }
    }

    let mut ranked: Vec<Ranked> = Vec::new();
    let mut total = 0i64;
    let facets = if opts.facets {
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS search_hit (kind TEXT NOT NULL, id INTEGER NOT NULL, rank REAL NOT NULL, day TEXT);
             DELETE FROM temp.search_hit;",
        )?;
        for (k, p) in &plans {
            let (sql, params) = matches_sql(k, p);
            conn.execute(
                &format!("INSERT INTO temp.search_hit (kind, id, rank, day) SELECT '{}', id, rank, day FROM ({sql})", k.kind.as_str()),
                rusqlite::params_from_iter(params),
            )?;
        }
        total = conn.query_row("SELECT count(*) FROM temp.search_hit", [], |r| r.get(0))?;
        let mut stmt = conn.prepare(
            "SELECT kind, id, rank, day FROM temp.search_hit ORDER BY rank, day DESC, id DESC LIMIT ? OFFSET ?",
        )?;
        let rows = stmt.query_map(rusqlite::params![limit as i64, opts.offset as i64], |r| {
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
        ranked = rows.collect::<Result<_, _>>()?;
        Some(facet_counts(conn)?)
    } else {
        let want = opts.offset + limit;
        for (k, p) in &plans {
            total += rank_kind(conn, k, p, want, &mut ranked)?;
        }
        ranked.sort_by(|a, b| {
            a.rank
                .total_cmp(&b.rank)
                .then_with(|| b.day.cmp(&a.day))
                .then_with(|| b.id.cmp(&a.id))
        });
        ranked = ranked.into_iter().skip(opts.offset).take(limit).collect();
        None
    };

    let needles = dossier_core::snippet::needles(&expr);
    let results = ranked
        .iter()
        .map(|r| hit(conn, r, &needles))
        .collect::<Result<_>>()?;
    Ok(SearchResults {
        query: query.to_string(),
        total,
        limit,
        offset: opts.offset,
        results,
        facets,
    })
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
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT rowid, bm25({f}, {w}) FROM {f} WHERE {f} MATCH ?1 ORDER BY 2 LIMIT ?2",
                f = k.fts,
                w = k.weights
            ))?;
            rows = stmt
                .query_map(rusqlite::params![m, fetch], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            total = if rows.len() < fetch as usize {
                rows.len() as i64
            } else {
                conn.prepare_cached(&format!(
                    "SELECT count(*) FROM {f} WHERE {f} MATCH ?1",
                    f = k.fts
                ))?
                .query_row([m], |r| r.get(0))?
            };
        }
        Some(m) => {
            let mut params = vec![Value::Text(m.clone())];
            params.extend(cond_params);
            params.push(Value::Integer(fetch));
            let mut stmt = conn.prepare(&format!(
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
            let mut stmt = conn.prepare(&format!(
                "SELECT {id}, {date} AS day, count(*) OVER () FROM {from} WHERE {cond}
                 ORDER BY day DESC, {id} DESC LIMIT ?",
                id = k.id,
                date = k.date,
                from = k.from
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
    let ids: Vec<String> = rows.iter().map(|(id, _)| id.to_string()).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT {id}, {date} FROM {from} WHERE {id} IN ({ids})",
        id = k.id,
        date = k.date,
        from = k.from,
        ids = ids.join(",")
    ))?;
    let days: std::collections::HashMap<i64, Option<String>> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
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

fn facet_counts(conn: &Connection) -> Result<Facets> {
    let counts = |sql: &str| -> Result<Vec<FacetCount>> {
        let mut stmt = conn.prepare(sql)?;
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
        let mut stmt = conn.prepare(
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
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        flat
    } else {
        format!("{}…", flat.chars().take(chars).collect::<String>())
    }
}

fn hit(conn: &Connection, r: &Ranked, needles: &[Needle]) -> Result<SearchHit> {
    let snip = |texts: &[&str]| {
        texts
            .iter()
            .find_map(|t| dossier_core::snippet::snippet(t, needles, 24))
    };
    let mut h = SearchHit {
        kind: r.kind.as_str().to_string(),
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
            let (source_id, title, quote, start, end, outlet, published): (
                i64,
                String,
                String,
                i64,
                i64,
                Option<String>,
                Option<String>,
            ) = conn.query_row(
                "SELECT e.source_id, s.title, e.quote, e.start, e.\"end\", s.outlet, s.published
                     FROM excerpt e JOIN source s ON s.id = e.source_id WHERE e.id = ?1",
                [r.id],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                    ))
                },
            )?;
            let note: String =
                conn.query_row("SELECT note FROM excerpt WHERE id = ?1", [r.id], |row| {
                    row.get(0)
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
                conn.query_row(
                    "SELECT title, body, outlet, published FROM source WHERE id = ?1",
                    [r.id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                )?;
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
    fn fts_strings_quote_everything_and_spell_ligatures_both_ways() {
        assert_eq!(fts_text(&Text::Word("steel".into())), "\"steel\"");
        assert_eq!(fts_text(&Text::Word("a\"b".into())), "\"a\"\"b\"");
        assert_eq!(
            fts_text(&Text::Word("oeuvre".into())),
            "(\"oeuvre\" OR \"œuvre\")"
        );
        assert_eq!(fts_text(&Text::Prefix("tarif".into())), "\"tarif\" *");
        assert_eq!(fts_text(&Text::Phrase("NEAR(a b)".into())), "\"near(a b)\"");
    }

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
