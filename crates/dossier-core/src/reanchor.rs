//! Re-anchoring: finding an excerpt's place again after its source's text changed (a re-import),
//! in the spirit of the W3C Web Annotation TextQuoteSelector — the quote and its context decide,
//! the old offsets only break ties.
//!
//! Order: the exact quote first (several occurrences are told apart by their context, then by
//! nearness to the old position); then the quote allowing small differences (an edit distance of
//! at most a quarter of its length, found by seeding on exact fragments of the quote and its
//! context and verifying with a semi-global edit distance). Every placement is scored, and below
//! the threshold the excerpt is *orphaned*.
//!
//! The decision a reader might question: a unique exact match of a short quote (under 20 code
//! points) whose context on both sides has changed is orphaned, not placed. A word such as
//! "steel" surviving somewhere else in a rewritten article is not evidence that the passage
//! survived; asking the analyst is cheaper than a citation pointing at the wrong sentence.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::anchor::{Anchor, CONTEXT_CHARS};

/// Minimum score (0..1) of a fuzzy placement: 0.7 × quote similarity + 0.3 × context similarity.
pub const FUZZY_THRESHOLD: f64 = 0.8;
/// A fuzzy quote may differ by at most this share of its length (in edits).
const MAX_EDIT_RATIO: f64 = 0.25;
/// Quotes at least this long are placed by a unique exact match whatever their context.
const SELF_EVIDENT_LEN: usize = 20;
/// Two candidates whose scores are closer than this are indistinguishable.
const AMBIGUITY_MARGIN: f64 = 0.1;
/// Context similarity required of an exact match that is not self-evident.
const EXACT_CONTEXT_MIN: f64 = 0.5;
/// A seed fragment occurring more often than this says nothing about where the quote is.
const MAX_SEED_HITS: usize = 64;
/// Places verified by an edit distance, best supported first.
const MAX_PLACES_VERIFIED: usize = 6;

/// How an excerpt was placed in the new text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The quote is unchanged.
    Exact,
    /// The quote changed slightly (its new text is in the new anchor).
    Fuzzy,
}

/// The result of re-anchoring one excerpt.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    Placed {
        anchor: Anchor,
        method: Method,
        /// 0..1; exact matches with matching context score 1.
        confidence: f64,
    },
    /// No place could be found with confidence; the excerpt keeps its old anchor.
    Orphaned,
}

impl Placement {
    pub fn anchor(&self) -> Option<&Anchor> {
        match self {
            Placement::Placed { anchor, .. } => Some(anchor),
            Placement::Orphaned => None,
        }
    }
}

/// Length of the fragments the body is indexed by.
const GRAM: usize = 8;

/// A new body prepared once for re-anchoring many excerpts against it: its code points and an
/// index of every 8-code-point fragment, so that finding a quote or a seed costs a binary search
/// instead of a scan of the whole text (500 scans of 50,000 characters would take most of the
/// time budget).
pub struct Body<'a> {
    _text: std::marker::PhantomData<&'a str>,
    chars: Vec<char>,
    /// (hash of the fragment starting here, position), sorted.
    grams: Vec<(u64, u32)>,
}

fn gram_hash(chars: &[char]) -> u64 {
    chars.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &c| {
        (h ^ c as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

impl<'a> Body<'a> {
    pub fn new(text: &'a str) -> Body<'a> {
        let chars: Vec<char> = text.chars().collect();
        let mut grams: Vec<(u64, u32)> = chars
            .windows(GRAM)
            .enumerate()
            .map(|(i, w)| (gram_hash(w), i as u32))
            .collect();
        grams.sort_unstable();
        Body {
            _text: std::marker::PhantomData,
            chars,
            grams,
        }
    }

    pub fn char_len(&self) -> usize {
        self.chars.len()
    }

    /// Every start (in code points, ascending) where `needle` occurs, overlapping ones included.
    fn find_all(&self, needle: &[char]) -> Vec<usize> {
        if needle.is_empty() {
            return Vec::new();
        }
        if needle.len() < GRAM {
            return self
                .chars
                .windows(needle.len())
                .enumerate()
                .filter(|(_, w)| *w == needle)
                .map(|(i, _)| i)
                .collect();
        }
        let h = gram_hash(&needle[..GRAM]);
        let first = self.grams.partition_point(|g| g.0 < h);
        let mut out: Vec<usize> = self.grams[first..]
            .iter()
            .take_while(|g| g.0 == h)
            .map(|g| g.1 as usize)
            .filter(|&at| self.chars.get(at..at + needle.len()) == Some(needle))
            .collect();
        out.sort_unstable();
        out
    }

    fn anchor(&self, start: usize, end: usize) -> Anchor {
        let p = start.saturating_sub(CONTEXT_CHARS);
        let s = (end + CONTEXT_CHARS).min(self.chars.len());
        Anchor {
            quote: self.chars[start..end].iter().collect(),
            prefix: self.chars[p..start].iter().collect(),
            suffix: self.chars[end..s].iter().collect(),
            start,
            end,
        }
    }

    /// Similarity (0..1) of the old context with the text around `start..end` here.
    fn context_similarity(&self, old: &Anchor, start: usize, end: usize) -> f64 {
        let old_prefix: Vec<char> = old.prefix.chars().collect();
        let old_suffix: Vec<char> = old.suffix.chars().collect();
        let new_prefix = &self.chars[start.saturating_sub(old_prefix.len().max(1))..start];
        let suffix_end = (end + old_suffix.len().max(1)).min(self.chars.len());
        let new_suffix = &self.chars[end..suffix_end];
        (side_similarity(&old_prefix, new_prefix) + side_similarity(&old_suffix, new_suffix)) / 2.0
    }
}

/// One side of the context. An old side that was empty (the quote began or ended the text)
/// neither confirms nor contradicts a place, unless the new side is empty too.
fn side_similarity(old: &[char], new: &[char]) -> f64 {
    match (old.is_empty(), new.is_empty()) {
        (true, true) => 1.0,
        (true, false) => 0.5,
        _ => similarity(old, new),
    }
}

/// 1 − Levenshtein distance / longer length.
fn similarity(a: &[char], b: &[char]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f64 / longer as f64
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

/// The best end in `text` of an alignment of `pattern` that may start anywhere (Sellers'
/// semi-global edit distance): (distance, end). Ties go to the end nearest `prefer_end`.
fn best_end(pattern: &[char], text: &[char], prefer_end: usize) -> (usize, usize) {
    let mut prev: Vec<usize> = vec![0; text.len() + 1];
    let mut cur: Vec<usize> = vec![0; text.len() + 1];
    for (i, p) in pattern.iter().enumerate() {
        cur[0] = i + 1;
        for (j, t) in text.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(p != t))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let mut best: (usize, usize) = (usize::MAX, 0);
    for (j, &d) in prev.iter().enumerate() {
        let better =
            d < best.0 || (d == best.0 && j.abs_diff(prefer_end) < best.1.abs_diff(prefer_end));
        if better {
            best = (d, j);
        }
    }
    best
}

/// Where in `window` the quote best aligns: (distance, start, end), offsets within the window.
fn align(quote: &[char], window: &[char], prefer_start: usize) -> (usize, usize, usize) {
    let (dist, end) = best_end(quote, window, prefer_start + quote.len());
    let rev_quote: Vec<char> = quote.iter().rev().copied().collect();
    let rev_text: Vec<char> = window[..end].iter().rev().copied().collect();
    let (_, rev_end) = best_end(&rev_quote, &rev_text, end.saturating_sub(prefer_start));
    (dist, end - rev_end, end)
}

struct Candidate {
    start: usize,
    end: usize,
    score: f64,
    quote_similarity: f64,
    context: f64,
}

/// Finds where `old` belongs in `body`, or says it cannot be placed with confidence.
pub fn reanchor(old: &Anchor, body: &Body<'_>) -> Placement {
    let quote: Vec<char> = old.quote.chars().collect();
    if quote.is_empty() || body.chars.is_empty() {
        return Placement::Orphaned;
    }
    if let Some(p) = place_exact(old, &quote, body) {
        return p;
    }
    place_fuzzy(old, &quote, body)
}

/// Convenience for one excerpt; prepare a [`Body`] once when placing many.
pub fn reanchor_in(old: &Anchor, new_body: &str) -> Placement {
    reanchor(old, &Body::new(new_body))
}

fn place_exact(old: &Anchor, quote: &[char], body: &Body<'_>) -> Option<Placement> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut last_end = 0;
    for start in body.find_all(quote) {
        // Occurrences are counted without overlaps, as `Anchor::locate` counts them.
        if start < last_end {
            continue;
        }
        last_end = start + quote.len();
        let end = start + quote.len();
        let context = body.context_similarity(old, start, end);
        found.push(Candidate {
            start,
            end,
            score: context,
            quote_similarity: 1.0,
            context,
        });
    }
    if found.is_empty() {
        return None;
    }
    let unique = found.len() == 1;
    found.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then(
            a.start
                .abs_diff(old.start)
                .cmp(&b.start.abs_diff(old.start)),
        )
    });
    let best = &found[0];
    let confident =
        best.context >= EXACT_CONTEXT_MIN || (unique && quote.len() >= SELF_EVIDENT_LEN);
    if !confident {
        return None;
    }
    // Several copies with equally good context (a paragraph repeated whole) are the same words
    // in the same surroundings: the one nearest the old position is kept, and since the sort
    // put nearer ones first among equals, that is `best` unless a clearly better one exists.
    let rivals: Vec<&Candidate> = found
        .iter()
        .filter(|c| best.score - c.score < AMBIGUITY_MARGIN)
        .collect();
    let chosen = rivals
        .iter()
        .min_by_key(|c| c.start.abs_diff(old.start))
        .copied()
        .unwrap_or(best);
    Some(Placement::Placed {
        anchor: body.anchor(chosen.start, chosen.end),
        method: Method::Exact,
        confidence: 0.7 + 0.3 * chosen.context,
    })
}

/// Candidate starts for a quote that no longer occurs exactly, best supported first: exact hits
/// of fragments of the quote vote for where the quote would start, and so do hits of the end of
/// the old prefix and the start of the old suffix. Only the best few places are verified.
fn seed_starts(old: &Anchor, quote: &[char], body: &Body<'_>, max_edits: usize) -> Vec<usize> {
    let seed_len = (quote.len() / 4).clamp(4, 16).min(quote.len());
    // (implied start, which fragment voted)
    let mut votes: Vec<(usize, usize)> = Vec::new();
    let mut vote = |fragment: &[char], id: usize, to_start: &dyn Fn(usize) -> usize| {
        let hits = body.find_all(fragment);
        if hits.len() <= MAX_SEED_HITS {
            for at in hits {
                votes.push((to_start(at), id));
            }
        }
    };
    let mut offset = 0;
    let mut id = 0;
    while offset + seed_len <= quote.len() {
        vote(&quote[offset..offset + seed_len], id, &|at| {
            at.saturating_sub(offset)
        });
        offset += seed_len;
        id += 1;
    }
    let prefix: Vec<char> = old.prefix.chars().collect();
    let tail: Vec<char> = prefix[prefix.len().saturating_sub(16)..].to_vec();
    if tail.len() >= 4 {
        let tail_len = tail.len();
        vote(&tail, id, &|at| at + tail_len);
    }
    let head: Vec<char> = old.suffix.chars().take(16).collect();
    if head.len() >= 4 {
        vote(&head, id + 1, &|at| at.saturating_sub(quote.len()));
    }
    votes.sort_unstable();
    // Votes within `max_edits` of each other describe the same place.
    let mut places: Vec<(usize, usize)> = Vec::new(); // (distinct voters, start)
    let mut i = 0;
    while i < votes.len() {
        let first = votes[i].0;
        let mut voters: Vec<usize> = Vec::new();
        let mut j = i;
        while j < votes.len() && votes[j].0 <= first + max_edits.max(1) {
            if !voters.contains(&votes[j].1) {
                voters.push(votes[j].1);
            }
            j += 1;
        }
        places.push((voters.len(), votes[(i + j) / 2].0));
        i = j;
    }
    places.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.abs_diff(old.start).cmp(&b.1.abs_diff(old.start)))
    });
    // A place far less supported than the best is a coincidence of common words.
    let best_votes = places.first().map_or(0, |p| p.0);
    places.retain(|p| p.0 * 2 >= best_votes);
    places.truncate(MAX_PLACES_VERIFIED);
    places.into_iter().map(|(_, start)| start).collect()
}

fn place_fuzzy(old: &Anchor, quote: &[char], body: &Body<'_>) -> Placement {
    let max_edits = ((quote.len() as f64) * MAX_EDIT_RATIO).floor() as usize;
    if max_edits == 0 {
        return Placement::Orphaned;
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    for seed_start in seed_starts(old, quote, body, max_edits) {
        let from = seed_start.saturating_sub(max_edits);
        let to = (seed_start + quote.len() + max_edits).min(body.chars.len());
        if from >= to {
            continue;
        }
        let window = &body.chars[from..to];
        let (dist, s, e) = align(quote, window, seed_start - from);
        // An exact hit was already judged (and refused) by its context in `place_exact`.
        if dist > max_edits || dist == 0 {
            continue;
        }
        let (start, end) = trim_span(&body.chars, from + s, from + e);
        if start >= end {
            continue;
        }
        let quote_similarity = 1.0 - dist as f64 / quote.len() as f64;
        let context = body.context_similarity(old, start, end);
        let score = 0.7 * quote_similarity + 0.3 * context;
        if !candidates.iter().any(|c| c.start == start && c.end == end) {
            candidates.push(Candidate {
                start,
                end,
                score,
                quote_similarity,
                context,
            });
        }
    }
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let Some(best) = candidates.first() else {
        return Placement::Orphaned;
    };
    let short = quote.len() < 12;
    if best.score < FUZZY_THRESHOLD || (short && best.context < 0.8) {
        return Placement::Orphaned;
    }
    // Another, separate place almost as good: the text no longer says which one was meant.
    let ambiguous = candidates.iter().skip(1).any(|c| {
        let overlaps = c.start < best.end && best.start < c.end;
        !overlaps && best.score - c.score < AMBIGUITY_MARGIN / 2.0
    });
    if ambiguous || best.quote_similarity < 1.0 - MAX_EDIT_RATIO {
        return Placement::Orphaned;
    }
    Placement::Placed {
        anchor: body.anchor(best.start, best.end),
        method: Method::Fuzzy,
        confidence: best.score,
    }
}

/// A quote never starts or ends with whitespace the alignment dragged in.
fn trim_span(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const OLD: &str = "Ottawa — Canadian and American negotiators met on Tuesday.\n\n\
        Officials said that sector deals are being negotiated one by one, starting with steel \
        and aluminum. A joint review of CUSMA is expected next year.\n\n\
        Dairy remains off the table, according to a senior official.\n\n\
        The talks resume in Washington next month.";

    fn excerpt(quote: &str) -> Anchor {
        Anchor::locate(OLD, quote, None).expect("the quote is in the old text")
    }

    enum Expect {
        /// Placed, with this exact quote text, by this method.
        At(&'static str, Method),
        Orphan,
    }

    #[rstest]
    #[case::unchanged("sector deals are being negotiated one by one", OLD.to_string(),
        Expect::At("sector deals are being negotiated one by one", Method::Exact))]
    #[case::text_inserted_before("sector deals are being negotiated one by one",
        format!("UPDATED with new details.\n\n{OLD}"),
        Expect::At("sector deals are being negotiated one by one", Method::Exact))]
    #[case::word_changed_inside("sector deals are being negotiated one by one",
        OLD.replace("negotiated one by one", "discussed one by one"),
        Expect::At("sector deals are being discussed one by one", Method::Fuzzy))]
    #[case::passage_deleted("Dairy remains off the table",
        OLD.replace("Dairy remains off the table, according to a senior official.\n\n", ""),
        Expect::Orphan)]
    #[case::passage_rewritten_beyond_recognition("Dairy remains off the table",
        OLD.replace("Dairy remains off the table", "Milk quotas were not raised"),
        Expect::Orphan)]
    #[case::passage_now_twice_with_other_context("A joint review of CUSMA is expected next year",
        format!("{OLD}\n\nRecap: A joint review of CUSMA is expected next year, officials repeated."),
        Expect::At("A joint review of CUSMA is expected next year", Method::Exact))]
    #[case::whitespace_changed("sector deals are being negotiated one by one",
        OLD.replace("being negotiated", "being  negotiated").replace("deals are", "deals\nare"),
        Expect::At("sector deals\nare being  negotiated one by one", Method::Fuzzy))]
    #[case::punctuation_changed("sector deals are being negotiated one by one, starting with steel",
        OLD.replace("one by one, starting", "one by one — starting"),
        Expect::At("sector deals are being negotiated one by one — starting with steel", Method::Fuzzy))]
    #[case::paragraph_moved("Dairy remains off the table, according to a senior official.",
        OLD.replace("Dairy remains off the table, according to a senior official.\n\n", "")
            + "\n\nDairy remains off the table, according to a senior official.",
        Expect::At("Dairy remains off the table, according to a senior official.", Method::Exact))]
    #[case::short_quote_whose_passage_is_gone("steel",
        "The steel mill in Hamilton reopened after a long strike by workers.".to_string(),
        Expect::Orphan)]
    #[case::short_quote_with_context_kept("steel",
        OLD.replace("Ottawa —", "OTTAWA (updated) —"),
        Expect::At("steel", Method::Exact))]
    fn reanchoring_cases(#[case] quote: &str, #[case] new_body: String, #[case] expect: Expect) {
        let old = excerpt(quote);
        let placement = reanchor_in(&old, &new_body);
        match (expect, placement) {
            (
                Expect::At(text, method),
                Placement::Placed {
                    anchor, method: m, ..
                },
            ) => {
                assert_eq!(anchor.quote, text, "placed on the wrong text");
                assert_eq!(m, method);
                assert!(
                    anchor.holds_in(&new_body),
                    "offsets must point at the quote"
                );
            }
            (Expect::Orphan, Placement::Orphaned) => {}
            (Expect::At(text, _), Placement::Orphaned) => {
                panic!("expected a placement on {text:?}, got an orphan")
            }
            (Expect::Orphan, Placement::Placed { anchor, .. }) => {
                panic!("expected an orphan, was moved to {:?}", anchor.quote)
            }
        }
    }

    #[test]
    fn identical_copies_keep_the_one_nearest_the_old_place() {
        let para = "Steel quotas stay in force until the review ends.";
        let old_body = format!("Intro.\n\n{para}\n\nMiddle part of the story.\n\nEnd.");
        let old = Anchor::locate(&old_body, "Steel quotas", None).unwrap();
        let new_body = format!("{old_body}\n\n{para}");
        let Placement::Placed { anchor, .. } = reanchor_in(&old, &new_body) else {
            panic!("an exact copy in the same context must be placed")
        };
        assert_eq!(anchor.start, old.start);
    }

    #[test]
    fn offsets_count_code_points_after_a_change() {
        let old_body = "😀 Le règlement sur l’acier entre en vigueur demain.";
        let old = Anchor::locate(old_body, "règlement sur l’acier", None).unwrap();
        let new_body = "😀😀 Avis : le règlement sur l’acier entre en vigueur demain.";
        let p = reanchor_in(&old, new_body);
        let anchor = p.anchor().expect("placed");
        assert!(anchor.holds_in(new_body));
    }

    /// Sentences of varied words, like real prose (a pseudo-random walk over a small lexicon).
    pub(crate) fn prose(sentences: usize, seed: u64) -> Vec<String> {
        const WORDS: &[&str] = &[
            "tariff",
            "steel",
            "quota",
            "officials",
            "review",
            "aluminum",
            "lumber",
            "dairy",
            "minister",
            "negotiators",
            "border",
            "exports",
            "sector",
            "deal",
            "talks",
            "energy",
            "Ottawa",
            "Washington",
            "provinces",
            "industry",
            "workers",
            "duties",
            "agreement",
            "signal",
            "schedule",
            "critical",
            "minerals",
            "autos",
            "plants",
            "investment",
        ];
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        (0..sentences)
            .map(|i| {
                let n = 8 + next() % 10;
                let words: Vec<&str> = (0..n).map(|_| WORDS[next() % WORDS.len()]).collect();
                format!("{} {i} {}. ", words[0], words[1..].join(" "))
            })
            .collect()
    }

    #[test]
    fn five_hundred_excerpts_survive_an_edit_of_the_text() {
        let sentences = prose(800, 7);
        let old_body: String = sentences.concat();
        let anchors: Vec<Anchor> = (0..500)
            .map(|i| Anchor::locate(&old_body, sentences[i + 100].trim(), None).unwrap())
            .collect();
        let new_body = format!(
            "A new lead paragraph.\n\n{}",
            old_body
                .replace(" steel ", " Steel ")
                .replace(" quota ", " quotas ")
        );
        let body = Body::new(&new_body);
        let placed = anchors
            .iter()
            .filter(|a| matches!(reanchor(a, &body), Placement::Placed { .. }))
            .count();
        assert_eq!(placed, 500);
    }
}
