//! Compiling a parsed query to SQL: per kind of item (excerpt, source, question), the words
//! every result must contain become one FTS5 `MATCH` that drives the statement ([`plan`]), and
//! everything else — filters, tags, negations, alternatives mixing words with filters —
//! becomes a parameterised SQL condition on that pass ([`Cond`]).
//!
//! The decision a reader may question: FTS5 only ever sees strings this module quotes itself
//! ([`fts_text`]), so the query language's operators are ours, never FTS5's; a user typing
//! `NEAR(a b)` searches for those words, not for FTS5's NEAR.

use dossier_core::briefing::Marking;
use dossier_core::fold;
use dossier_core::query::{Compare, Expr, Filter, ItemKind, Text};
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::error::Result;
use crate::tags;

/// A condition on one kind's row, with its parameters in placeholder order.
#[derive(Debug, Clone)]
pub(super) enum Cond {
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

    pub(super) fn into_parts(self) -> (String, Vec<Value>) {
        match self {
            Cond::True => ("1".into(), vec![]),
            Cond::False => ("0".into(), vec![]),
            Cond::Sql(t, ps) => (t, ps),
        }
    }
}

/// Per-kind names used in the generated SQL.
pub(super) struct KindSql {
    pub(super) kind: ItemKind,
    pub(super) fts: &'static str,
    pub(super) weights: &'static str,
    /// Rows of this kind, with aliases the conditions use.
    pub(super) from: &'static str,
    pub(super) id: &'static str,
    /// The date results without words are ordered by (newest first).
    pub(super) date: &'static str,
    /// What the facets count besides kind and tags, read in the same pass as the match
    /// (`outlet`, `lang`, `status`), so the facets never read a source row a second time.
    pub(super) facet_cols: &'static str,
}

impl KindSql {
    /// The rows to scan when there are no words to drive the statement.
    pub(super) fn source_table_without_words(&self, plan: &Plan) -> &'static str {
        match self.kind {
            // CROSS JOIN fixes the order: the published-date index picks the sources, their
            // excerpts come from `excerpt_source`.
            ItemKind::Excerpt if plan.dated => {
                "source s CROSS JOIN excerpt e ON s.id = e.source_id"
            }
            _ => self.from,
        }
    }
}

pub(super) fn kind_sql(kind: ItemKind) -> KindSql {
    match kind {
        ItemKind::Excerpt => KindSql {
            kind,
            fts: "excerpt_fts",
            // quote, note
            weights: "3.0, 1.5",
            from: "excerpt e JOIN source s ON s.id = e.source_id",
            id: "e.id",
            date: "coalesce(s.published, substr(s.captured_at, 1, 10))",
            facet_cols: "s.outlet, s.lang, NULL",
        },
        ItemKind::Source => KindSql {
            kind,
            fts: "source_fts",
            // title, outlet, body
            weights: "6.0, 1.0, 1.0",
            from: "source s",
            id: "s.id",
            date: "coalesce(s.published, substr(s.captured_at, 1, 10))",
            facet_cols: "s.outlet, s.lang, NULL",
        },
        ItemKind::Question => KindSql {
            kind,
            fts: "followup_fts",
            // question, answer
            weights: "3.0, 1.0",
            from: "followup f",
            id: "f.id",
            date: "substr(f.created_at, 1, 10)",
            facet_cols: "NULL, NULL, f.status",
        },
    }
}

fn quote_fts(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// FTS5 text for one term. `œ` is a letter to FTS5, not an accent, so a word written either
/// way searches both spellings.
pub(super) fn fts_text(t: &Text) -> String {
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
pub(super) fn fts_expr(e: &Expr) -> Option<String> {
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

pub(super) fn combine_fts(pos: &[String], neg: &[String]) -> Option<String> {
    if pos.is_empty() {
        return None;
    }
    let mut s = format!("({})", pos.join(" AND "));
    for n in neg {
        s = format!("({s} NOT {n})");
    }
    Some(s)
}

pub(super) struct Compiler<'c> {
    pub(super) conn: &'c Connection,
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
            (Filter::Marking(compare, marking), ItemKind::Excerpt | ItemKind::Source) => {
                let column = match k.kind {
                    ItemKind::Excerpt => "coalesce(e.marking, s.marking)",
                    _ => "s.marking",
                };
                let rank = format!(
                    "(CASE {column} WHEN 'protected_b' THEN 2 WHEN 'protected_a' THEN 1 ELSE 0 END)"
                );
                let op = match compare {
                    Compare::Equal => "=",
                    Compare::AtLeast => ">=",
                    Compare::AtMost => "<=",
                };
                let level = Marking::ALL
                    .iter()
                    .position(|m| m == marking)
                    .expect("every marking is in ALL") as i64;
                Ok(Cond::sql(
                    format!("{rank} {op} ?"),
                    vec![Value::Integer(level)],
                ))
            }
            // A question carries no marking of its own.
            (Filter::Marking(..), ItemKind::Question) => Ok(Cond::False),
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
pub(super) struct Plan {
    pub(super) fts: Option<String>,
    pub(super) cond: Cond,
    /// Every result must have a publication date in a range: without words, excerpts are then
    /// read source first, through the date index, instead of checking every tagged excerpt's
    /// source row.
    pub(super) dated: bool,
}

pub(super) fn plan(c: &Compiler<'_>, expr: &Expr, k: &KindSql) -> Result<Plan> {
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
    let dated = rest
        .iter()
        .any(|e| matches!(e, Expr::Filter(Filter::After(_) | Filter::Before(_))));
    let cond = Cond::and(rest.iter().map(|e| c.cond(e, k)).collect::<Result<_>>()?);
    Ok(Plan { fts, cond, dated })
}

/// The SELECT of one kind's matches: id, rank (BM25, lower is better; 0 without words), date,
/// and the facet columns (outlet, lang, status).
/// `CROSS JOIN` keeps the full-text index as the outer loop: it is the selective side.
pub(super) fn matches_sql(k: &KindSql, plan: &Plan) -> (String, Vec<Value>) {
    let (cond, mut params) = plan.cond.clone().into_parts();
    match &plan.fts {
        Some(m) => {
            let mut all = vec![Value::Text(m.clone())];
            all.append(&mut params);
            (
                format!(
                    "SELECT {id} AS id, bm25({fts}, {w}) AS rank, {date} AS day, {facets}
                     FROM {fts} CROSS JOIN {from}
                     WHERE {fts} MATCH ? AND {id} = {fts}.rowid AND ({cond})",
                    id = k.id,
                    fts = k.fts,
                    w = k.weights,
                    date = k.date,
                    facets = k.facet_cols,
                    from = k.from
                ),
                all,
            )
        }
        None => (
            format!(
                "SELECT {id} AS id, 0.0 AS rank, {date} AS day, {facets} FROM {from} WHERE {cond}",
                id = k.id,
                date = k.date,
                facets = k.facet_cols,
                from = k.source_table_without_words(plan)
            ),
            params,
        ),
    }
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
}
