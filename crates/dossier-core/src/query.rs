//! The search query language, parsed into an AST. The store compiles the AST to SQL and FTS5;
//! user text never reaches FTS5 except as quoted strings built from this AST.
//!
//! ```text
//! steel "sector deals" tarif* -autos (quota OR contingent) #steel -#autos tag:sector/energy
//! outlet:wire author:roy source:12 after:2025-01-01 before:2025-07-01 captured-after:2026-01-01
//! lang:fr type:excerpt|source|question is:open|answered|dropped due-before:2026-12-01
//! ```
//!
//! Errors carry the code-point position of the problem so the UI can point at it. Limits on
//! length, terms and nesting turn hostile input into a message instead of a deep recursion.

use std::fmt;

use serde::Serialize;
use thiserror::Error;

use crate::date::IsoDate;

pub const MAX_QUERY_CHARS: usize = 2000;
pub const MAX_TERMS: usize = 64;
pub const MAX_DEPTH: usize = 16;

/// The three kinds of item a search finds; `excerpt`, `source` or `question` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Excerpt,
    Source,
    Question,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Excerpt, ItemKind::Source, ItemKind::Question];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Excerpt => "excerpt",
            ItemKind::Source => "source",
            ItemKind::Question => "question",
        }
    }
}

/// A text condition, matched against the full-text index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// A word, matched whole (accent- and case-insensitive).
    Word(String),
    /// `tarif*`: any word starting so.
    Prefix(String),
    /// `"sector deals"`: these words, adjacent, in order.
    Phrase(String),
    /// `=steel`: the word itself, without the tag taxonomy's other-language words.
    Exact(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `#steel`, `tag:sector/steel`: the tag named (by path, label, French label or alias) or
    /// any tag under it.
    Tag(String),
    Outlet(String),
    Author(String),
    Source(i64),
    /// Published on or after.
    After(IsoDate),
    /// Published before.
    Before(IsoDate),
    CapturedAfter(IsoDate),
    CapturedBefore(IsoDate),
    Lang(String),
    Kind(ItemKind),
    Status(crate::FollowUpStatus),
    DueBefore(IsoDate),
    DueAfter(IsoDate),
    /// `marking:protected-b`, `marking>=protected-a`, `marking<=unclassified`: an excerpt's
    /// marking (its own, else its source's) or a source's.
    Marking(Compare, crate::briefing::Marking),
}

/// How a `marking` filter compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Equal,
    AtLeast,
    AtMost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Text(Text),
    Filter(Filter),
}

impl Expr {
    /// Whether an `outlet:` filter appears anywhere in the query (negated or not): then the
    /// analyst is asking about outlets, and every copy of a story is a hit of its own.
    pub fn names_outlet(&self) -> bool {
        match self {
            Expr::And(v) | Expr::Or(v) => v.iter().any(Expr::names_outlet),
            Expr::Not(e) => e.names_outlet(),
            Expr::Filter(Filter::Outlet(_)) => true,
            Expr::Text(_) | Expr::Filter(_) => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
pub struct QueryError {
    pub message: String,
    /// Code-point offset of the problem in the query.
    pub position: usize,
    /// How many code points the problem spans (at least 1).
    pub length: usize,
    #[serde(skip)]
    excerpt: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at character {}: {})",
            self.message,
            self.position + 1,
            self.excerpt
        )
    }
}

impl QueryError {
    fn new(query: &[char], position: usize, length: usize, message: impl Into<String>) -> Self {
        let length = length.max(1);
        let from = position.saturating_sub(15);
        let to = (position + length + 15).min(query.len());
        let before: String = query[from..position.min(query.len())].iter().collect();
        let at: String = query[position.min(query.len())..(position + length).min(query.len())]
            .iter()
            .collect();
        let after: String = query[(position + length).min(query.len())..to]
            .iter()
            .collect();
        let excerpt = format!(
            "{}{}⟦{}⟧{}{}",
            if from > 0 { "…" } else { "" },
            before,
            if at.is_empty() { "end".to_string() } else { at },
            after,
            if to < query.len() { "…" } else { "" }
        );
        QueryError {
            message: message.into(),
            position,
            length,
            excerpt,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Or,
    And,
    Not,
    /// A leading `-` glued to what follows.
    Minus,
    Phrase(String),
    Word(String),
    /// `name:value`, value unquoted.
    Field(String, String),
}

struct Lexed {
    tok: Tok,
    pos: usize,
    len: usize,
}

const FIELDS: &[&str] = &[
    "tag",
    "outlet",
    "author",
    "source",
    "after",
    "before",
    "captured-after",
    "captured-before",
    "lang",
    "type",
    "is",
    "due-before",
    "due-after",
    "marking",
];

fn lex(q: &[char]) -> Result<Vec<Lexed>, QueryError> {
    let mut out = Vec::new();
    let mut i = 0;
    let is_space = |c: char| c.is_whitespace() || c.is_control();
    while i < q.len() {
        let c = q[i];
        if is_space(c) {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            '(' => {
                out.push(Lexed {
                    tok: Tok::LParen,
                    pos: i,
                    len: 1,
                });
                i += 1;
            }
            ')' => {
                out.push(Lexed {
                    tok: Tok::RParen,
                    pos: i,
                    len: 1,
                });
                i += 1;
            }
            '-' if i + 1 < q.len() && !is_space(q[i + 1]) && q[i + 1] != ')' => {
                out.push(Lexed {
                    tok: Tok::Minus,
                    pos: i,
                    len: 1,
                });
                i += 1;
            }
            '"' | '“' | '”' | '«' => {
                let close = |d: char| matches!(d, '"' | '”' | '“' | '»');
                let mut j = i + 1;
                while j < q.len() && !close(q[j]) {
                    j += 1;
                }
                if j >= q.len() {
                    return Err(QueryError::new(
                        q,
                        start,
                        1,
                        "this phrase has no closing quote",
                    ));
                }
                let text: String = q[i + 1..j]
                    .iter()
                    .map(|&c| if is_space(c) { ' ' } else { c })
                    .collect();
                out.push(Lexed {
                    tok: Tok::Phrase(text),
                    pos: start,
                    len: j + 1 - start,
                });
                i = j + 1;
                if i < q.len() && q[i] == '*' {
                    return Err(QueryError::new(
                        q,
                        i,
                        1,
                        "a '*' goes after a word, not after a phrase",
                    ));
                }
            }
            _ => {
                let mut j = i;
                while j < q.len() && !is_space(q[j]) && q[j] != '(' && q[j] != ')' && q[j] != '"' {
                    j += 1;
                }
                let word: String = q[i..j].iter().collect();
                i = j;
                // `marking>=protected-a`, `marking<=protected-a`: the one ordered filter.
                let lower = word.to_ascii_lowercase();
                if let Some((op, value)) = ["marking>=", "marking<="]
                    .iter()
                    .find_map(|op| lower.strip_prefix(op).map(|_| (*op, &word[op.len()..])))
                {
                    if value.trim().is_empty() {
                        return Err(QueryError::new(
                            q,
                            start,
                            i - start,
                            format!("{op} needs a marking, as in {op}protected-a"),
                        ));
                    }
                    out.push(Lexed {
                        tok: Tok::Field(op.to_string(), value.trim().to_string()),
                        pos: start,
                        len: i - start,
                    });
                    continue;
                }
                // A field's value may be a quoted phrase: outlet:"Maple Wire".
                if let Some((name, rest)) = word.split_once(':') {
                    let lname = name.to_ascii_lowercase();
                    if FIELDS.contains(&lname.as_str()) {
                        let mut value = rest.to_string();
                        if value.is_empty() && i < q.len() && q[i] == '"' {
                            let mut k = i + 1;
                            while k < q.len() && q[k] != '"' {
                                k += 1;
                            }
                            if k >= q.len() {
                                return Err(QueryError::new(
                                    q,
                                    i,
                                    1,
                                    "this value has no closing quote",
                                ));
                            }
                            value = q[i + 1..k].iter().collect();
                            i = k + 1;
                        }
                        if value.trim().is_empty() {
                            return Err(QueryError::new(
                                q,
                                start,
                                i - start,
                                format!("{lname}: needs a value"),
                            ));
                        }
                        out.push(Lexed {
                            tok: Tok::Field(lname, value.trim().to_string()),
                            pos: start,
                            len: i - start,
                        });
                        continue;
                    }
                    let looks_like_filter = !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
                        && !rest.starts_with('/');
                    if looks_like_filter {
                        return Err(QueryError::new(
                            q,
                            start,
                            name.chars().count() + 1,
                            format!(
                                "there is no \"{name}:\" filter; use one of {}:",
                                FIELDS.join(":, ")
                            ),
                        ));
                    }
                }
                let tok = match word.as_str() {
                    "OR" | "|" => Tok::Or,
                    "AND" | "&" => Tok::And,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(word),
                };
                out.push(Lexed {
                    tok,
                    pos: start,
                    len: i - start,
                });
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    q: &'a [char],
    toks: Vec<Lexed>,
    at: usize,
    terms: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|l| &l.tok)
    }

    fn end_pos(&self) -> usize {
        self.q.len()
    }

    fn err_here(&self, message: impl Into<String>) -> QueryError {
        match self.toks.get(self.at) {
            Some(l) => QueryError::new(self.q, l.pos, l.len, message),
            None => QueryError::new(self.q, self.end_pos(), 1, message),
        }
    }

    fn or_expr(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut parts = vec![self.and_expr(depth)?];
        while self.peek() == Some(&Tok::Or) {
            self.at += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or)) {
                return Err(self.err_here("OR needs something on both sides"));
            }
            parts.push(self.and_expr(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one")
        } else {
            Expr::Or(parts)
        })
    }

    fn and_expr(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen | Tok::Or) => break,
                Some(Tok::And) => {
                    if parts.is_empty() {
                        return Err(self.err_here("AND needs something on both sides"));
                    }
                    self.at += 1;
                    if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                        return Err(self.err_here("AND needs something on both sides"));
                    }
                }
                _ => parts.push(self.unary(depth)?),
            }
        }
        match parts.len() {
            0 => Err(match self.peek() {
                Some(Tok::Or) => self.err_here("OR needs something on both sides"),
                Some(Tok::RParen) => self.err_here("nothing between these parentheses"),
                _ => self.err_here("the query is empty"),
            }),
            1 => Ok(parts.pop().expect("one")),
            _ => Ok(Expr::And(parts)),
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if matches!(self.peek(), Some(Tok::Minus | Tok::Not)) {
            self.at += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                return Err(self.err_here("nothing to exclude after '-' or NOT"));
            }
            return Ok(Expr::Not(Box::new(self.unary(depth)?)));
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let lexed = &self.toks[self.at];
        let (pos, len) = (lexed.pos, lexed.len);
        let tok = lexed.tok.clone();
        self.at += 1;
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(QueryError::new(
                self.q,
                pos,
                len,
                format!("the query has more than {MAX_TERMS} terms; narrow it down"),
            ));
        }
        match tok {
            Tok::LParen => {
                if depth >= MAX_DEPTH {
                    return Err(QueryError::new(
                        self.q,
                        pos,
                        1,
                        format!("parentheses nest more than {MAX_DEPTH} deep"),
                    ));
                }
                if self.peek() == Some(&Tok::RParen) {
                    return Err(self.err_here("nothing between these parentheses"));
                }
                let inner = self.or_expr(depth + 1)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(QueryError::new(self.q, pos, 1, "this '(' is never closed"));
                }
                self.at += 1;
                Ok(inner)
            }
            Tok::RParen => Err(QueryError::new(
                self.q,
                pos,
                1,
                "this ')' has no matching '('",
            )),
            Tok::Phrase(text) => {
                if !text.chars().any(char::is_alphanumeric) {
                    return Err(QueryError::new(
                        self.q,
                        pos,
                        len,
                        "this phrase has no words in it",
                    ));
                }
                Ok(Expr::Text(Text::Phrase(text)))
            }
            Tok::Word(word) => self.word(word, pos, len),
            Tok::Field(name, value) => self.field(&name, &value, pos, len),
            Tok::Or | Tok::And | Tok::Not | Tok::Minus => unreachable!("handled by callers"),
        }
    }

    fn word(&self, word: String, pos: usize, len: usize) -> Result<Expr, QueryError> {
        if let Some(tag) = word.strip_prefix('#') {
            if tag.is_empty() {
                return Err(QueryError::new(
                    self.q,
                    pos,
                    len,
                    "'#' needs a tag name, as in #steel",
                ));
            }
            return Ok(Expr::Filter(Filter::Tag(tag.to_string())));
        }
        if let Some(exact) = word.strip_prefix('=') {
            if !exact.chars().any(char::is_alphanumeric) || exact.contains('*') {
                return Err(QueryError::new(
                    self.q,
                    pos,
                    len,
                    "'=' goes before a word, as in =steel",
                ));
            }
            return Ok(Expr::Text(Text::Exact(exact.to_string())));
        }
        let (stem, prefix) = match word.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (word.as_str(), false),
        };
        if stem.contains('*') {
            return Err(QueryError::new(
                self.q,
                pos,
                len,
                "'*' can only end a word, as in tarif*",
            ));
        }
        if !stem.chars().any(char::is_alphanumeric) {
            let message = if prefix {
                "'*' needs letters before it, as in tarif*"
            } else {
                "this has no letters or digits to search for"
            };
            return Err(QueryError::new(self.q, pos, len, message));
        }
        Ok(Expr::Text(if prefix {
            Text::Prefix(stem.to_string())
        } else {
            Text::Word(stem.to_string())
        }))
    }

    fn field(&self, name: &str, value: &str, pos: usize, len: usize) -> Result<Expr, QueryError> {
        let err = |m: String| QueryError::new(self.q, pos, len, m);
        let date = |v: &str| {
            v.parse::<IsoDate>()
                .map_err(|e| err(format!("{name}: {e}")))
        };
        let filter = match name {
            "tag" => Filter::Tag(value.trim_start_matches('#').to_string()),
            "outlet" => Filter::Outlet(value.to_string()),
            "author" => Filter::Author(value.to_string()),
            "source" => Filter::Source(value.parse().map_err(|_| {
                err(format!(
                    "source: takes a source id, as in source:12 (got \"{value}\")"
                ))
            })?),
            "after" => Filter::After(date(value)?),
            "before" => Filter::Before(date(value)?),
            "captured-after" => Filter::CapturedAfter(date(value)?),
            "captured-before" => Filter::CapturedBefore(date(value)?),
            "due-before" => Filter::DueBefore(date(value)?),
            "due-after" => Filter::DueAfter(date(value)?),
            "lang" => {
                let v = value.to_ascii_lowercase();
                if !(2..=8).contains(&v.len())
                    || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    return Err(err(format!(
                        "lang: takes a language code such as en or fr (got \"{value}\")"
                    )));
                }
                Filter::Lang(v)
            }
            "type" => Filter::Kind(match value.to_ascii_lowercase().trim_end_matches('s') {
                "excerpt" => ItemKind::Excerpt,
                "source" => ItemKind::Source,
                "question" | "follow-up" | "followup" => ItemKind::Question,
                _ => {
                    return Err(err(format!(
                        "type: is excerpt, source or question (got \"{value}\")"
                    )));
                }
            }),
            "is" => Filter::Status(value.parse().map_err(|_| {
                err(format!(
                    "is: is open, answered or dropped (got \"{value}\")"
                ))
            })?),
            "marking" | "marking>=" | "marking<=" => {
                let marking = value.parse().map_err(|_| {
                    err(format!(
                        "{name} takes unclassified, protected-a or protected-b (got \"{value}\")"
                    ))
                })?;
                let compare = match name {
                    "marking>=" => Compare::AtLeast,
                    "marking<=" => Compare::AtMost,
                    _ => Compare::Equal,
                };
                Filter::Marking(compare, marking)
            }
            _ => unreachable!("the lexer only emits known fields"),
        };
        Ok(Expr::Filter(filter))
    }
}

/// Parses a query. An empty query is an error: there is nothing to search for.
pub fn parse(query: &str) -> Result<Expr, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(QueryError::new(
            &chars,
            MAX_QUERY_CHARS,
            1,
            format!("the query is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let toks = lex(&chars)?;
    if toks.is_empty() {
        return Err(QueryError::new(&chars, 0, 1, "the query is empty"));
    }
    let mut p = Parser {
        q: &chars,
        toks,
        at: 0,
        terms: 0,
    };
    let expr = p.or_expr(0)?;
    if p.at < p.toks.len() {
        return Err(p.err_here("this ')' has no matching '('"));
    }
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn w(s: &str) -> Expr {
        Expr::Text(Text::Word(s.into()))
    }

    #[rstest]
    #[case::word("steel", w("steel"))]
    #[case::implicit_and("steel tariff", Expr::And(vec![w("steel"), w("tariff")]))]
    #[case::phrase("\"sector deals\"", Expr::Text(Text::Phrase("sector deals".into())))]
    #[case::french_quotes("«droits de douane»", Expr::Text(Text::Phrase("droits de douane".into())))]
    #[case::prefix("tarif*", Expr::Text(Text::Prefix("tarif".into())))]
    #[case::exclusion("steel -autos", Expr::And(vec![w("steel"), Expr::Not(Box::new(w("autos")))]))]
    #[case::or("quota OR contingent", Expr::Or(vec![w("quota"), w("contingent")]))]
    #[case::lowercase_or_is_a_word("this or that", Expr::And(vec![w("this"), w("or"), w("that")]))]
    #[case::parens("steel (quota OR tariff)", Expr::And(vec![w("steel"), Expr::Or(vec![w("quota"), w("tariff")])]))]
    #[case::tag("#steel", Expr::Filter(Filter::Tag("steel".into())))]
    #[case::tag_field("tag:sector/steel", Expr::Filter(Filter::Tag("sector/steel".into())))]
    #[case::not_tag("-#autos", Expr::Not(Box::new(Expr::Filter(Filter::Tag("autos".into())))))]
    #[case::quoted_outlet("outlet:\"Maple Wire\"", Expr::Filter(Filter::Outlet("Maple Wire".into())))]
    #[case::date("after:2025-01-31", Expr::Filter(Filter::After("2025-01-31".parse().unwrap())))]
    #[case::status("is:open", Expr::Filter(Filter::Status(crate::FollowUpStatus::Open)))]
    #[case::kind("type:questions", Expr::Filter(Filter::Kind(ItemKind::Question)))]
    #[case::source("source:12", Expr::Filter(Filter::Source(12)))]
    #[case::exact("=steel", Expr::Text(Text::Exact("steel".into())))]
    #[case::marking(
        "marking:protected-b",
        Expr::Filter(Filter::Marking(Compare::Equal, crate::briefing::Marking::ProtectedB))
    )]
    #[case::marking_at_least(
        "marking>=protected-a",
        Expr::Filter(Filter::Marking(Compare::AtLeast, crate::briefing::Marking::ProtectedA))
    )]
    #[case::marking_at_most(
        "MARKING<=Unclassified",
        Expr::Filter(Filter::Marking(Compare::AtMost, crate::briefing::Marking::Unclassified))
    )]
    #[case::near_is_a_word("NEAR", w("NEAR"))]
    #[case::url_is_a_word("https://example.org/x", w("https://example.org/x"))]
    #[case::time_is_a_word("10:30", w("10:30"))]
    #[case::control_chars_are_spaces("steel\u{7}\u{0}tariff", Expr::And(vec![w("steel"), w("tariff")]))]
    #[case::hyphenated_word("co-operation", w("co-operation"))]
    #[case::explicit_and("steel AND tariff", Expr::And(vec![w("steel"), w("tariff")]))]
    #[case::not_keyword("NOT steel", Expr::Not(Box::new(w("steel"))))]
    #[case::fts_column_syntax_is_just_words("{quote note}: steel", Expr::And(vec![w("{quote"), w("note}:"), w("steel")]))]
    fn parses(#[case] query: &str, #[case] expected: Expr) {
        assert_eq!(parse(query).unwrap(), expected);
    }

    #[rstest]
    #[case::unbalanced_quote("steel \"tariff talks", 6, "no closing quote")]
    #[case::unclosed_paren("(steel OR aluminum", 0, "never closed")]
    #[case::stray_paren("steel)", 5, "no matching '('")]
    #[case::empty_parens("steel ()", 7, "nothing between")]
    #[case::star_alone("*", 0, "letters before it")]
    #[case::star_inside("ta*rif", 0, "can only end a word")]
    #[case::empty("   ", 0, "empty")]
    #[case::dangling_or("steel OR", 8, "both sides")]
    #[case::leading_or("OR steel", 0, "both sides")]
    #[case::column_filter("quote:steel", 0, "no \"quote:\" filter")]
    #[case::bad_date("after:2025-02-30", 0, "not a date")]
    #[case::bad_status("is:pending", 0, "open, answered or dropped")]
    #[case::bad_source("source:abc", 0, "source id")]
    #[case::empty_tag("# steel", 0, "tag name")]
    #[case::dash_alone("steel - ", 6, "no letters")]
    #[case::empty_field("outlet: steel", 0, "needs a value")]
    #[case::bare_equals("steel = ", 6, "'=' goes before a word")]
    #[case::bad_marking("steel marking:secret", 6, "unclassified, protected-a or protected-b")]
    #[case::empty_marking("marking>= steel", 0, "needs a marking")]
    fn refuses_with_a_position(
        #[case] query: &str,
        #[case] position: usize,
        #[case] message: &str,
    ) {
        let err = parse(query).unwrap_err();
        assert!(
            err.message.contains(message) || err.to_string().contains(message),
            "{query:?}: {err}"
        );
        assert_eq!(err.position, position, "{query:?}: {err}");
    }

    #[test]
    fn hostile_sizes_are_refused_not_recursed() {
        let long = "a ".repeat(5000);
        assert!(parse(&long).unwrap_err().message.contains("longer than"));
        let deep = format!("{}x{}", "(".repeat(500), ")".repeat(500));
        assert!(parse(&deep).unwrap_err().message.contains("nest"));
        let many = "w ".repeat(100);
        assert!(parse(&many).unwrap_err().message.contains("terms"));
    }
}

/// One piece of a result's snippet: matched words have `mark` set.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SnippetPart {
    pub text: String,
    pub mark: bool,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SearchHit {
    pub kind: ItemKind,
    pub id: i64,
    /// The global id of the excerpt, source or follow-up (its `uid`).
    pub uid: String,
    /// The excerpt's source, the source itself, or the first source a question concerns.
    pub source_id: Option<i64>,
    /// The source's title (for excerpts and sources) or the question.
    pub title: String,
    /// Text around the match; matched words wrapped in `<mark>`…`</mark>`, everything else
    /// HTML-escaped.
    pub snippet: String,
    /// The same snippet as plain-text parts, for a UI that renders text, not HTML.
    pub snippet_parts: Vec<SnippetPart>,
    /// Relevance, higher is better (BM25); 0 when the query has no words.
    pub score: f64,
    pub tags: Vec<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// Excerpts: their quote and place in the source.
    pub quote: Option<String>,
    pub start: Option<i64>,
    pub end: Option<i64>,
    /// Questions: their status and due date.
    pub status: Option<crate::FollowUpStatus>,
    pub due: Option<String>,
    /// Excerpts and sources: the marking they carry (an excerpt's own, else its source's).
    pub marking: Option<crate::briefing::Marking>,
    /// The other-language words of the taxonomy this hit was found by ("acier" for `steel`):
    /// those of the query's expansions that it contains.
    pub matched_via: Vec<Expansion>,
    /// Sources: the other sources carrying the same story (another outlet's copy of the wire
    /// story), oldest first. Unless the query names an outlet, a story is one hit and its
    /// copies are listed here rather than as hits of their own.
    pub copies: Vec<HitCopy>,
}

/// Another source carrying a search hit's story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct HitCopy {
    pub id: i64,
    pub title: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
}

/// A word a search also looked for because the query named a tag's label, French label or
/// alias: `steel` → `acier`, the tag's French label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
pub struct Expansion {
    /// The word looked for, as the taxonomy spells it: "acier".
    pub word: String,
    /// What the analyst typed: "steel".
    pub typed: String,
    /// The tag both belong to.
    pub tag: String,
    /// How `word` relates to the tag: its English `label`, its French `label_fr`, or an `alias`.
    pub role: ExpansionRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ExpansionRole {
    Label,
    LabelFr,
    Alias,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Facets {
    pub types: Vec<FacetCount>,
    pub tags: Vec<FacetCount>,
    pub outlets: Vec<FacetCount>,
    pub langs: Vec<FacetCount>,
    pub statuses: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SearchResults {
    pub query: String,
    /// Every match, across kinds (results holds one page of them).
    pub total: i64,
    pub limit: usize,
    pub offset: usize,
    pub results: Vec<SearchHit>,
    pub facets: Option<Facets>,
    /// Every word the query also looked for through the taxonomy (none with `=word`).
    pub expansions: Vec<Expansion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SavedSearch {
    pub id: i64,
    /// Its global id (a UUIDv7): the same on every replica of a team workspace, unlike `id`.
    pub uid: String,
    pub name: String,
    pub query: String,
    /// Whether the analyst wants to be told when it has new matches.
    pub alert: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A saved search with what it matches now that it did not when the user last looked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SavedSearchStatus {
    #[serde(flatten)]
    #[ts(flatten)]
    pub search: SavedSearch,
    pub new_count: i64,
}
