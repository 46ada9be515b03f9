//! Hostile queries against a real workspace: whatever the parser accepts must run through
//! search without an SQL or FTS5 error — raw user text never reaches `MATCH`.

use dossier_store::search::SearchOptions;
use dossier_store::{StoreError, sample};
use proptest::prelude::*;
use proptest::string::string_regex;
use proptest::test_runner::{Config, TestRunner};

use super::NOW;

const PIECES: &[&str] = &[
    "steel",
    "acier",
    "energie",
    "oeuvre",
    "tarif*",
    "st*",
    "*",
    "\"",
    "«",
    "»",
    "(",
    ")",
    "-",
    "OR",
    "AND",
    "NOT",
    "#steel",
    "#acier",
    "#energie",
    "#produits-laitiers",
    "#nothing",
    "-#autos",
    "tag:sector",
    "tag:sector/steel",
    "outlet:",
    "outlet:\"Northern Wire\"",
    "outlet:wire",
    "author:roy",
    "source:1",
    "source:999",
    "after:2025-01-01",
    "before:2025-07-01",
    "captured-after:2026-11-01",
    "captured-before:2020-01-01",
    "lang:fr",
    "lang:xx",
    "type:excerpt",
    "type:source",
    "type:question",
    "is:open",
    "is:answered",
    "is:dropped",
    "due-before:2026-12-01",
    "due-after:2026-01-01",
    "NEAR",
    "{title}:",
    "^",
    ":",
    "'",
    "\\",
    "%",
    "_",
    ";",
    "--",
    "/*",
    "DROP",
    "😀",
    "中文",
    "\u{301}",
    "e\u{301}",
    // Letters to Unicode that are also combining marks: they fold to nothing.
    "\u{345}",
    "\u{9BE}",
    "a\u{345}b",
];

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(PIECES), 1..16).prop_map(|p| p.join(" ")),
        prop::collection::vec(prop::sample::select(PIECES), 1..10).prop_map(|p| p.concat()),
        string_regex("[a-zé#:()\"*\\- ]{1,40}").unwrap(),
    ]
}

#[test]
fn every_accepted_query_runs_without_an_sql_error() {
    let (_dir, mut ws) = super::workspace();
    sample::load(&mut ws, NOW).expect("the sample loads");
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let mut runner = TestRunner::new(Config {
        cases,
        // A failure prints its minimal query; there is no source file to keep it beside.
        failure_persistence: None,
        ..Config::default()
    });
    let accepted = std::cell::Cell::new(0usize);
    let facets = SearchOptions {
        facets: true,
        ..SearchOptions::default()
    };
    runner
        .run(&query(), |q| {
            if dossier_core::query::parse(&q).is_err() {
                return Ok(());
            }
            accepted.set(accepted.get() + 1);
            for opts in [&SearchOptions::default(), &facets] {
                match ws.search(&q, opts) {
                    Ok(results) => {
                        prop_assert!(results.results.len() <= opts.limit);
                        prop_assert!(results.total >= results.results.len() as i64);
                    }
                    Err(StoreError::Sqlite(e)) => {
                        prop_assert!(false, "SQL error for {q:?}: {e}")
                    }
                    Err(e) => prop_assert!(
                        !e.to_string().to_lowercase().contains("fts5")
                            && !e.to_string().contains("syntax error"),
                        "{q:?} was refused with an SQL message: {e}"
                    ),
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let accepted = accepted.get();
    eprintln!("{accepted} accepted queries searched, each with and without facets");
    assert!(
        accepted >= 100,
        "the strategy produced too few accepted queries to mean anything ({accepted})"
    );
}

/// Found by the property above: a word made of a letter that is also a combining mark (here
/// U+0345, "alphabetic" to Unicode) folds to nothing, and the snippet search for an empty word
/// ran past the end of the text.
#[rstest::rstest]
#[case::ypogegrammeni_or("digital OR \u{345}")]
#[case::bengali_vowel_sign_or("tax OR \u{9BE}")]
#[case::mark_prefix_or("tax OR \u{345}*")]
#[case::mark_in_phrase_or("tax OR \"\u{345} services\"")]
fn words_that_fold_to_nothing_do_not_break_snippets(#[case] q: &str) {
    let (_dir, mut ws) = super::workspace();
    sample::load(&mut ws, NOW).expect("the sample loads");
    let results = ws
        .search(q, &SearchOptions::default())
        .expect("the query runs");
    assert!(results.total > 0, "{q:?} still finds the other word");
}
