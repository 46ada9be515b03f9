//! Search: a parsed query compiled to one parameterised SQL statement per kind of item
//! (excerpt, source, question), ranked by BM25 with recency as the tie-breaker.
//!
//! The decision a reader may question: the words that every result must contain are pulled out
//! of the query into a single FTS5 `MATCH` that drives the statement, so a common word costs one
//! pass over the index (the same work as a bare FTS5 query) rather than a filter over every row;
//! filters, tags and alternatives mixing words with filters become SQL conditions on that pass.
//! FTS5 only ever sees strings this module quotes itself.
//!
//! The parts: [`compile`] turns the AST into SQL and FTS5 text, [`rank`] orders the matches
//! into a page, [`hydrate`] reads what the page shows (snippets, facets).

mod compile;
mod expand;
mod hydrate;
mod rank;

use dossier_core::query::{ItemKind, SearchResults};
use rusqlite::Connection;

use crate::error::{Result, StoreError};
use compile::{Compiler, Cond, kind_sql, plan};

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
    /// Also look for the taxonomy's other-language words of a tag word (`steel` → `acier`);
    /// on by default.
    pub expand: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 50,
            offset: 0,
            facets: false,
            expand: true,
        }
    }
}

/// At most this many results in one page.
pub const MAX_LIMIT: usize = 1000;

/// Runs a query. `query` is the user's text, parsed here.
pub fn search(conn: &Connection, query: &str, opts: &SearchOptions) -> Result<SearchResults> {
    let typed = dossier_core::query::parse(query).map_err(StoreError::Query)?;
    // One read transaction for the dozens of statements a search steps: outside one, each
    // statement takes and drops the WAL read lock (two fcntl calls and a header check), which
    // for a rare word cost as much as the FTS5 query. It is also one snapshot, so the count,
    // page and facets agree even while another connection writes.
    let _read = ReadTx::begin(conn)?;
    let limit = opts.limit.clamp(1, MAX_LIMIT);
    // A search steps a dozen or so cached statements (ranking per kind, dates, hydration, tag
    // lookups, facets); rusqlite's default cache of 16 would evict them between searches.
    conn.set_prepared_statement_cache_capacity(64);
    let (expr, expansions) = if opts.expand {
        expand::expand(conn, &typed)?
    } else {
        (typed.clone(), Vec::new())
    };
    let c = Compiler { conn };
    let mut plans = Vec::new();
    for kind in ItemKind::ALL {
        let k = kind_sql(kind);
        let mut p = plan(&c, &expr, &k)?;
        if !expansions.is_empty() && p.fts.is_some() {
            p.literal = plan(&c, &typed, &k)?
                .fts
                .filter(|literal| Some(literal) != p.fts.as_ref());
        }
        if !matches!(p.cond, Cond::False) {
            plans.push((k, p));
        }
    }

    // One hit per story (its copies listed on it), unless the query is about outlets.
    let one_per_story = !typed.names_outlet() && stories_exist(conn)?;
    let (ranked, total, facets) = if opts.facets {
        let (ranked, total) =
            rank::rank_into_hit_table(conn, &plans, limit, opts.offset, one_per_story)?;
        (ranked, total, Some(hydrate::facet_counts(conn)?))
    } else {
        let (ranked, total) = rank::rank_page(conn, &plans, limit, opts.offset, one_per_story)?;
        (ranked, total, None)
    };

    let needles = dossier_core::snippet::needles(&expr);
    let mut results = hydrate::page(conn, &ranked, &needles)?;
    hydrate::matched_via(&mut results, &expansions);
    Ok(SearchResults {
        query: query.to_string(),
        total,
        limit,
        offset: opts.offset,
        results,
        facets,
        expansions,
    })
}

/// Every item a query matches now, as (kind, id): what an alert compares with what it matched
/// when the user last looked. Taxonomy expansion is on, as for a search run.
pub fn matching_items(conn: &Connection, query: &str) -> Result<Vec<(ItemKind, i64)>> {
    let typed = dossier_core::query::parse(query).map_err(StoreError::Query)?;
    let _read = ReadTx::begin(conn)?;
    conn.set_prepared_statement_cache_capacity(64);
    let (expr, _) = expand::expand(conn, &typed)?;
    let c = Compiler { conn };
    let mut plans = Vec::new();
    for kind in ItemKind::ALL {
        let k = kind_sql(kind);
        let p = plan(&c, &expr, &k)?;
        if !matches!(p.cond, Cond::False) {
            plans.push((k, p));
        }
    }
    // Every copy is an item of its own here: an alert counts each outlet's copy.
    rank::rank_into_hit_table(conn, &plans, 1, 0, false)?;
    let mut stmt = conn.prepare_cached("SELECT kind, id FROM temp.search_hit")?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(0)?;
        let kind = match kind.as_str() {
            "excerpt" => ItemKind::Excerpt,
            "source" => ItemKind::Source,
            _ => ItemKind::Question,
        };
        Ok((kind, r.get(1)?))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Whether any source shares a story with another (then search folds copies).
fn stories_exist(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM story_member)")?
        .query_row([], |r| r.get(0))?)
}

/// A read transaction held for the guard's life, when the caller is not in one already.
/// Ends with `COMMIT` (nothing was written to the workspace; the temp tables are scratch).
struct ReadTx<'c> {
    conn: Option<&'c Connection>,
}

impl<'c> ReadTx<'c> {
    fn begin(conn: &'c Connection) -> Result<ReadTx<'c>> {
        if !conn.is_autocommit() {
            return Ok(ReadTx { conn: None });
        }
        conn.execute_batch("BEGIN DEFERRED")?;
        Ok(ReadTx { conn: Some(conn) })
    }
}

impl Drop for ReadTx<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn {
            // A read-only transaction cannot fail to end; if it somehow did, a later BEGIN
            // would say so.
            let _ = conn.execute_batch("COMMIT");
        }
    }
}
