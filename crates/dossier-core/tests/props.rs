//! Hostile input, no panic: property tests over arbitrary text for the query parser, anchoring
//! and re-anchoring — the three places where text an analyst (or a pasted article) controls
//! meets index arithmetic.
//!
//! Strategies mix plain arbitrary strings with generated near-misses (query tokens and
//! operators thrown together, quotes cut from the text, bodies edited a little), because
//! uniformly random text almost never reaches the interesting branches. `PROPTEST_CASES` raises
//! the number of cases (default 256 per property).

use dossier_core::anchor::CONTEXT_CHARS;
use dossier_core::query;
use dossier_core::reanchor::{Placement, reanchor_in};
use dossier_core::text::{char_len, normalize_body, normalize_fragment, slice_chars};
use dossier_core::{Anchor, AnchorError};
use proptest::prelude::*;
use proptest::string::string_regex;

/// Words, operators and filters of the query language, and characters FTS5 would treat as
/// syntax if they reached it raw.
const QUERY_PIECES: &[&str] = &[
    "steel",
    "acier",
    "énergie",
    "œuvre",
    "tarif*",
    "*",
    "\"",
    "«",
    "»",
    "“",
    "”",
    "(",
    ")",
    "-",
    "OR",
    "AND",
    "NOT",
    "or",
    "#steel",
    "#",
    "#acier",
    "tag:",
    "tag:sector/steel",
    "outlet:",
    "outlet:\"Maple Wire\"",
    "author:roy",
    "source:1",
    "source:x",
    "after:2025-01-01",
    "before:2025-13-45",
    "after:",
    "captured-after:2026-11-01",
    "lang:fr",
    "type:excerpt",
    "type:nothing",
    "is:open",
    "is:",
    "due-before:2026-12-01",
    "NEAR(a b)",
    "{title}:",
    "^",
    ":",
    "'",
    "\\",
    "\0",
    "😀",
    "中文",
    "مرحبا",
    "\u{301}",
    "e\u{301}",
    // Letters to Unicode that are also combining marks: they fold to nothing.
    "\u{345}",
    "\u{9BE}",
    "a\u{345}b",
    " ",
    "  ",
    "\t",
    "\n",
];

fn query_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(QUERY_PIECES), 0..24)
            .prop_map(|parts| parts.concat()),
        prop::collection::vec(prop::sample::select(QUERY_PIECES), 0..12)
            .prop_map(|parts| parts.join(" ")),
        string_regex("[a-z#:()\"*\\- ]{0,40}").unwrap(),
    ]
}

/// A body as the store keeps it: any text, normalized.
fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        string_regex("([a-zé ]{1,12}[.,;]? ){0,40}").unwrap(),
        prop::collection::vec(prop::sample::select(QUERY_PIECES), 0..60).prop_map(|p| p.join(" ")),
    ]
    .prop_map(|b| normalize_body(&b))
}

proptest! {
    #[test]
    fn the_query_parser_never_panics(q in query_like()) {
        match query::parse(&q) {
            Ok(_) => {}
            Err(e) => {
                let len = char_len(&q);
                prop_assert!(
                    e.position <= len.max(1) && e.length >= 1,
                    "the error points inside the query: {e:?} for {q:?}"
                );
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn a_located_quote_is_exactly_the_body_slice(
        body in body(),
        from in any::<prop::sample::Index>(),
        len in 0usize..80,
        other in any::<String>(),
        use_other in any::<bool>(),
        occurrence in prop::option::of(0usize..4),
    ) {
        let n = char_len(&body);
        let start = if n == 0 { 0 } else { from.index(n) };
        let quote = if use_other {
            other
        } else {
            slice_chars(&body, start, (start + len).min(n)).unwrap_or("").to_string()
        };
        if let Ok(a) = Anchor::locate(&body, &quote, occurrence) {
            prop_assert_eq!(slice_chars(&body, a.start, a.end), Some(a.quote.as_str()));
            prop_assert_eq!(a.quote, normalize_fragment(&quote));
            prop_assert!(char_len(&a.prefix) <= CONTEXT_CHARS && char_len(&a.suffix) <= CONTEXT_CHARS);
            prop_assert_eq!(slice_chars(&body, a.start - char_len(&a.prefix), a.start), Some(a.prefix.as_str()));
            prop_assert_eq!(slice_chars(&body, a.end, a.end + char_len(&a.suffix)), Some(a.suffix.as_str()));
        }
    }

    #[test]
    fn a_range_anchor_never_panics_and_holds_when_made(
        body in body(),
        start in prop_oneof![0usize..200, any::<usize>()],
        end in prop_oneof![0usize..200, any::<usize>()],
    ) {
        match Anchor::from_range(&body, start, end) {
            Ok(a) => {
                prop_assert_eq!(slice_chars(&body, start, end), Some(a.quote.as_str()));
                prop_assert!(a.holds_in(&body));
            }
            Err(AnchorError::RangeEmpty { .. } | AnchorError::RangeOutside { .. }
                | AnchorError::RangeBlank { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected error for a range: {e}"),
        }
    }

    #[test]
    fn a_placed_reanchor_points_at_what_the_new_body_holds(
        old_body in body(),
        from in any::<prop::sample::Index>(),
        len in 1usize..60,
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0usize..20, prop_oneof![
                Just(String::new()),
                string_regex("[a-zé ]{0,15}").unwrap(),
                any::<String>(),
            ]),
            0..6,
        ),
    ) {
        let n = char_len(&old_body);
        prop_assume!(n > 0);
        let start = from.index(n);
        let Ok(old) = Anchor::from_range(&old_body, start, (start + len).min(n).max(start + 1)) else {
            return Ok(());
        };
        // The new text: the old one with a few spans replaced, as a re-import would bring.
        let mut chars: Vec<char> = old_body.chars().collect();
        for (at, cut, with) in &edits {
            let at = if chars.is_empty() { 0 } else { at.index(chars.len() + 1) };
            let end = (at + cut).min(chars.len());
            chars.splice(at..end, with.chars());
        }
        let new_body = normalize_body(&chars.into_iter().collect::<String>());
        if let Placement::Placed { anchor, confidence, .. } = reanchor_in(&old, &new_body) {
            prop_assert_eq!(
                slice_chars(&new_body, anchor.start, anchor.end),
                Some(anchor.quote.as_str()),
                "a placed excerpt's quote is what the new text holds there"
            );
            prop_assert!((0.0..=1.0).contains(&confidence));
        }
    }

    #[test]
    fn reanchoring_an_arbitrary_anchor_never_panics(
        quote in any::<String>(),
        prefix in any::<String>(),
        suffix in any::<String>(),
        start in any::<usize>(),
        end in any::<usize>(),
        new_body in body(),
    ) {
        let old = Anchor { quote, prefix, suffix, start, end };
        if let Placement::Placed { anchor, .. } = reanchor_in(&old, &new_body) {
            prop_assert_eq!(slice_chars(&new_body, anchor.start, anchor.end), Some(anchor.quote.as_str()));
        }
    }
}
