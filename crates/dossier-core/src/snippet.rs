//! Result snippets: a short window of text around the first place the query's words occur,
//! with every occurrence in the window marked.
//!
//! Built here rather than by FTS5's `snippet()`, which re-tokenizes the whole document: on a
//! 2,000-word source that cost more than finding the result. Words are compared the way the
//! index compares them — case and accents folded — so what is marked is what matched.

use crate::fold::fold;
use crate::query::{Expr, SnippetPart, Text};

/// A folded search term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Needle {
    Word(String),
    Prefix(String),
    Phrase(Vec<String>),
}

fn words(text: &str) -> Vec<String> {
    tokens(text)
        .into_iter()
        .map(|(a, b)| fold_token(&text[a..b]))
        // A "letter" that is also a combining mark (U+0345, Indic vowel signs) folds to
        // nothing; an empty needle would match everywhere and nowhere.
        .filter(|w| !w.is_empty())
        .collect()
}

fn fold_token(t: &str) -> String {
    if t.is_ascii() {
        t.to_ascii_lowercase()
    } else {
        fold(t)
    }
}

/// Byte spans of the words of `text` (runs of letters and digits), as the index sees words.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric() || crate::fold::is_mark(c);
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The terms a result must show: every word, prefix and phrase not under a `-`.
pub fn needles(expr: &Expr) -> Vec<Needle> {
    fn walk(e: &Expr, out: &mut Vec<Needle>) {
        match e {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| walk(p, out)),
            Expr::Not(_) | Expr::Filter(_) => {}
            Expr::Text(Text::Word(w) | Text::Exact(w)) => {
                let ws = words(w);
                match ws.len() {
                    0 => {}
                    1 => out.push(Needle::Word(ws.into_iter().next().expect("one"))),
                    _ => out.push(Needle::Phrase(ws)),
                }
            }
            Expr::Text(Text::Prefix(w)) => {
                let mut ws = words(w);
                if let Some(last) = ws.pop() {
                    if ws.is_empty() {
                        out.push(Needle::Prefix(last));
                    } else {
                        ws.push(last);
                        out.push(Needle::Phrase(ws));
                    }
                }
            }
            Expr::Text(Text::Phrase(p)) => {
                let ws = words(p);
                if !ws.is_empty() {
                    out.push(Needle::Phrase(ws));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(expr, &mut out);
    out
}

/// `text` folded char by char (lowercase, accents and ligatures as in [`fold`]), with where
/// each folded byte came from in `text`.
///
/// Runs of ASCII fold to themselves byte for byte, so only the other chars are recorded, as
/// spans; a folded offset maps back by one binary search. (A table of one original offset per
/// folded byte cost eight bytes per byte of every source a hit is cut from.)
struct Folded {
    text: String,
    /// For each non-ASCII char, in order: its folded range and its original range.
    spans: Vec<Span>,
}

struct Span {
    folded: usize,
    folded_end: usize,
    orig: usize,
    orig_end: usize,
}

impl Folded {
    /// The offset in the original text of the char the folded byte at `at` came from; the
    /// folded text's end maps to the original's end.
    fn orig(&self, at: usize) -> usize {
        let k = self.spans.partition_point(|s| s.folded <= at);
        match k.checked_sub(1).map(|k| &self.spans[k]) {
            None => at,
            Some(s) if at < s.folded_end => s.orig,
            Some(s) => s.orig_end + (at - s.folded_end),
        }
    }
}

fn fold_char(c: char, out: &mut String) {
    match c {
        'œ' | 'Œ' => out.push_str("oe"),
        'æ' | 'Æ' => out.push_str("ae"),
        'ß' => out.push_str("ss"),
        c => unicode_normalization::char::decompose_canonical(c, |d| {
            if !crate::fold::is_mark(d) {
                out.extend(d.to_lowercase());
            }
        }),
    }
}

fn fold_with_map(text: &str) -> Folded {
    let mut folded = String::with_capacity(text.len());
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let run_end = bytes[i..]
            .iter()
            .position(|b| !b.is_ascii())
            .map_or(text.len(), |n| i + n);
        if run_end > i {
            let at = folded.len();
            folded.push_str(&text[i..run_end]);
            folded[at..].make_ascii_lowercase();
            i = run_end;
        }
        if let Some(c) = text[i..].chars().next() {
            let before = folded.len();
            fold_char(c, &mut folded);
            spans.push(Span {
                folded: before,
                folded_end: folded.len(),
                orig: i,
                orig_end: i + c.len_utf8(),
            });
            i += c.len_utf8();
        }
    }
    Folded {
        text: folded,
        spans,
    }
}

fn is_word_byte_before(s: &str, at: usize) -> bool {
    s[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

fn is_word_byte_after(s: &str, at: usize) -> bool {
    s[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// Every occurrence of `word` in `hay` at or after `from` that starts a word (and, unless it
/// is a prefix, ends one): byte ranges in `hay`.
fn word_at(hay: &str, mut from: usize, word: &str, prefix: bool) -> Option<(usize, usize)> {
    if word.is_empty() {
        return None;
    }
    while let Some(pos) = hay.get(from..)?.find(word) {
        let (a, b) = (from + pos, from + pos + word.len());
        if !is_word_byte_before(hay, a) && (prefix || !is_word_byte_after(hay, b)) {
            let end = if prefix {
                b + hay[b..]
                    .find(|c: char| !c.is_alphanumeric())
                    .unwrap_or(hay.len() - b)
            } else {
                b
            };
            return Some((a, end));
        }
        from = a + hay[a..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// The first match of `needle` in `hay` at or after `from`, as a byte range of `hay`.
fn find(hay: &str, from: usize, needle: &Needle) -> Option<(usize, usize)> {
    match needle {
        Needle::Word(w) => word_at(hay, from, w, false),
        Needle::Prefix(p) => word_at(hay, from, p, true),
        Needle::Phrase(ws) => {
            let mut at = from;
            'outer: while let Some((a, mut b)) = word_at(hay, at, &ws[0], false) {
                for w in &ws[1..] {
                    // Words of a phrase may be separated by anything that is not a word.
                    let gap = hay[b..]
                        .find(char::is_alphanumeric)
                        .map_or(hay.len(), |g| b + g);
                    match word_at(hay, gap, w, false) {
                        Some((c, d)) if c == gap => b = d,
                        _ => {
                            at = a + hay[a..].chars().next().map_or(1, char::len_utf8);
                            continue 'outer;
                        }
                    }
                }
                return Some((a, b));
            }
            None
        }
    }
}

/// All matches in `text`, as byte ranges of `text`, in order and without overlaps.
fn all_matches(text: &str, needles: &[Needle]) -> Vec<(usize, usize)> {
    let f = fold_with_map(text);
    let mut found: Vec<(usize, usize)> = Vec::new();
    for n in needles {
        let mut at = 0;
        while let Some((a, b)) = find(&f.text, at, n) {
            found.push((f.orig(a), f.orig(b)));
            at = b.max(a + 1);
            while at < f.text.len() && !f.text.is_char_boundary(at) {
                at += 1;
            }
        }
    }
    found.sort();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (a, b) in found {
        match out.last_mut() {
            Some(last) if a < last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// A window of about `width` words around the first match, or `None` when nothing matches.
pub fn snippet(text: &str, needles: &[Needle], width: usize) -> Option<Vec<SnippetPart>> {
    if needles.is_empty() {
        return None;
    }
    let f = fold_with_map(text);
    let first = needles
        .iter()
        .filter_map(|n| find(&f.text, 0, n))
        .map(|(a, _)| f.orig(a))
        .min()?;
    // Back a quarter of the width in words, then forward the whole width.
    let before = width / 4;
    let mut start = first;
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in text[..first].char_indices().rev() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            seen += 1;
        }
        in_word = w;
        if seen > before {
            break;
        }
        start = i;
    }
    while start < first && !text[start..].starts_with(char::is_alphanumeric) {
        start += text[start..].chars().next().map_or(1, char::len_utf8);
    }
    let mut end = text.len();
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text[start..].char_indices() {
        let w = c.is_alphanumeric();
        if !w && in_word {
            words += 1;
            if words >= width {
                end = start + i;
                break;
            }
        }
        in_word = w;
    }
    let window = &text[start..end];
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut push = |t: &str, mark: bool| {
        if t.is_empty() {
            return;
        }
        let flat = t.replace(['\n', '\r', '\t'], " ");
        match parts.last_mut() {
            Some(last) if last.mark == mark => last.text.push_str(&flat),
            _ => parts.push(SnippetPart { text: flat, mark }),
        }
    };
    if start > 0 {
        push("…", false);
    }
    let mut cursor = 0;
    for (a, b) in all_matches(window, needles) {
        push(&window[cursor..a], false);
        push(&window[a..b], true);
        cursor = b;
    }
    push(&window[cursor..], false);
    if end < text.len() {
        push("…", false);
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn render(parts: &[SnippetPart]) -> String {
        parts
            .iter()
            .map(|p| {
                if p.mark {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn marks_words_accent_insensitively() {
        let n = needles(&parse("energie reglement").unwrap());
        let s = snippet("Le règlement sur l’énergie reste inchangé.", &n, 24).unwrap();
        assert_eq!(render(&s), "Le [règlement] sur l’[énergie] reste inchangé.");
    }

    #[test]
    fn phrases_prefixes_and_ligatures() {
        let n = needles(&parse("\"sector deals\" tarif* oeuvre").unwrap());
        let s = snippet("Sector deals on tariffs and the bois d’œuvre file.", &n, 24).unwrap();
        assert_eq!(
            render(&s),
            "[Sector deals] on [tariffs] and the bois d’[œuvre] file."
        );
    }

    #[test]
    fn a_long_text_gets_a_window_around_the_first_match() {
        let text = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let n = needles(&parse("needle").unwrap());
        let s = render(&snippet(&text, &n, 12).unwrap());
        assert!(
            s.starts_with('…') && s.ends_with('…') && s.contains("[needle]"),
            "{s}"
        );
        assert!(s.len() < 120, "{s}");
    }

    #[test]
    fn excluded_words_and_no_match() {
        let n = needles(&parse("steel -autos").unwrap());
        assert_eq!(n, vec![Needle::Word("steel".into())]);
        assert!(snippet("nothing here about autos", &n, 24).is_none());
    }

    /// The table the spans replaced: one original offset per folded byte, then the end.
    fn per_byte_map(text: &str) -> (String, Vec<usize>) {
        let mut folded = String::new();
        let mut from = Vec::new();
        for (i, c) in text.char_indices() {
            let before = folded.len();
            fold_char(c, &mut folded);
            from.extend(std::iter::repeat_n(i, folded.len() - before));
        }
        from.push(text.len());
        (folded, from)
    }

    proptest::proptest! {
        #[test]
        fn spans_map_every_folded_byte_as_the_per_byte_table_did(
            text in "[a-zA-Z ’éÉœŒßİ\u{301}\u{345}ﬁΣς日本]{0,40}"
        ) {
            let f = fold_with_map(&text);
            let (folded, from) = per_byte_map(&text);
            proptest::prop_assert_eq!(&f.text, &folded);
            for (at, want) in from.iter().enumerate() {
                proptest::prop_assert_eq!(f.orig(at), *want, "folded offset {}", at);
            }
        }
    }
}
