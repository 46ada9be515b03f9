//! Searching across the two languages: a word of the query that is a tag's label, French label
//! or alias also finds the tag's other words in the text — `steel` finds the French release that
//! says `acier`, `bois d'œuvre` finds `softwood lumber` — because the analyst's taxonomy already
//! pairs them. `=steel` keeps one word to itself; `SearchOptions::expand` turns it all off.
//!
//! The decision a reader may question: only the taxonomy's words are used, never a dictionary
//! or stemmer. The taxonomy is the analyst's own, in the words of their file, so an expansion is
//! always one they could read in the tag list and explain; a general translation would bring
//! in senses the file does not use. Negated words (`-steel`) stay literal: excluding a word
//! should not silently exclude its translation too.

use dossier_core::fold;
use dossier_core::query::{Expansion, ExpansionRole, Expr, Text};
use rusqlite::Connection;

use crate::error::Result;

/// The longest run of query words read as one tag name (`bois d'œuvre`, `produits laitiers`).
const MAX_RUN: usize = 4;
/// The most other words one typed word brings in.
const MAX_ALTERNATIVES: usize = 8;

/// The query with each tag word widened to `(word OR other words…)`, and what was added.
pub(super) fn expand(conn: &Connection, expr: &Expr) -> Result<(Expr, Vec<Expansion>)> {
    let taxonomy = Taxonomy::load(conn)?;
    let mut found = Vec::new();
    let out = walk(&taxonomy, expr, &mut found)?;
    Ok((out, found))
}

/// Every tag's words, split where a label joins several names ("Forestry (softwood lumber)",
/// "Foresterie / bois d’œuvre"), each with its folded key. Read once per search: a taxonomy
/// holds hundreds of tags, not the hundred thousands a text index does.
struct Taxonomy {
    /// (path, its words)
    tags: Vec<(String, Vec<TagWord>)>,
}

/// A word of a tag as written, its folded key, and what it is of the tag.
type TagWord = (String, String, ExpansionRole);

impl Taxonomy {
    fn load(conn: &Connection) -> Result<Taxonomy> {
        let mut stmt = conn.prepare_cached(
            "SELECT t.id, t.path, t.label, 'label' FROM tag t
             UNION ALL
             SELECT t.id, t.path, t.label_fr, 'label_fr' FROM tag t WHERE t.label_fr IS NOT NULL
             UNION ALL
             SELECT a.tag_id, t.path, a.alias, 'alias' FROM tag_alias a JOIN tag t ON t.id = a.tag_id
             ORDER BY 1",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut tags: Vec<(i64, String, Vec<TagWord>)> = Vec::new();
        for row in rows {
            let (id, path, text, role) = row?;
            let role = match role.as_str() {
                "label" => ExpansionRole::Label,
                "label_fr" => ExpansionRole::LabelFr,
                _ => ExpansionRole::Alias,
            };
            if tags.last().is_none_or(|t| t.0 != id) {
                tags.push((id, path, Vec::new()));
            }
            let words = &mut tags.last_mut().expect("pushed").2;
            for part in text.split(['/', '(', ')', ',', ';']) {
                let part = part.trim();
                let key = fold(part);
                if part.chars().any(char::is_alphanumeric) && !words.iter().any(|w| w.1 == key) {
                    words.push((part.to_owned(), key, role));
                }
            }
        }
        Ok(Taxonomy {
            tags: tags
                .into_iter()
                .map(|(_, path, words)| (path, words))
                .collect(),
        })
    }

    /// The other words of every tag one of whose words is `typed` (compared folded: case,
    /// accents and ligatures aside), French label first, each as (word, tag path, role).
    fn other_words(&self, typed: &str) -> Vec<(String, String, ExpansionRole)> {
        let key = fold(typed.trim());
        if key.is_empty() {
            return Vec::new();
        }
        let mut seen = vec![key.clone()];
        let mut out = Vec::new();
        for (path, words) in &self.tags {
            if !words.iter().any(|w| w.1 == key) {
                continue;
            }
            let mut others: Vec<&TagWord> = words.iter().collect();
            others.sort_by_key(|w| match w.2 {
                ExpansionRole::LabelFr => 0,
                ExpansionRole::Label => 1,
                ExpansionRole::Alias => 2,
            });
            for (word, word_key, role) in others {
                if seen.contains(word_key) || out.len() == MAX_ALTERNATIVES {
                    continue;
                }
                seen.push(word_key.clone());
                out.push((word.clone(), path.clone(), *role));
            }
        }
        out
    }
}

fn walk(taxonomy: &Taxonomy, e: &Expr, found: &mut Vec<Expansion>) -> Result<Expr> {
    Ok(match e {
        Expr::Text(Text::Word(w) | Text::Phrase(w)) => {
            widen(taxonomy, e.clone(), w, found).unwrap_or_else(|| e.clone())
        }
        Expr::Text(_) | Expr::Filter(_) | Expr::Not(_) => e.clone(),
        Expr::Or(parts) => Expr::Or(
            parts
                .iter()
                .map(|p| walk(taxonomy, p, found))
                .collect::<Result<_>>()?,
        ),
        Expr::And(parts) => {
            let mut out = Vec::with_capacity(parts.len());
            let mut i = 0;
            'parts: while i < parts.len() {
                // A run of plain words may name one tag: `bois d'œuvre` typed without quotes.
                let run_len = parts[i..]
                    .iter()
                    .take(MAX_RUN)
                    .take_while(|p| matches!(p, Expr::Text(Text::Word(_))))
                    .count();
                for len in (2..=run_len).rev() {
                    let words: Vec<&str> = parts[i..i + len]
                        .iter()
                        .map(|p| match p {
                            Expr::Text(Text::Word(w)) => w.as_str(),
                            _ => unreachable!("the run holds words only"),
                        })
                        .collect();
                    let literal = Expr::And(parts[i..i + len].to_vec());
                    if let Some(widened) = widen(taxonomy, literal, &words.join(" "), found) {
                        out.push(widened);
                        i += len;
                        continue 'parts;
                    }
                }
                out.push(walk(taxonomy, &parts[i], found)?);
                i += 1;
            }
            Expr::And(out)
        }
    })
}

/// `literal OR "other word" OR …` when `typed` names a tag by one of its words.
fn widen(
    taxonomy: &Taxonomy,
    literal: Expr,
    typed: &str,
    found: &mut Vec<Expansion>,
) -> Option<Expr> {
    let others = taxonomy.other_words(typed);
    if others.is_empty() {
        return None;
    }
    let mut alternatives = vec![literal];
    for (word, tag, role) in others {
        alternatives.push(Expr::Text(Text::Phrase(word.clone())));
        found.push(Expansion {
            word,
            typed: typed.to_owned(),
            tag,
            role,
        });
    }
    Some(Expr::Or(alternatives))
}
