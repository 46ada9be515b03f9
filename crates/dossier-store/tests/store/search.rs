use std::collections::{BTreeSet, HashMap};

use dossier_core::{ExcerptPatch, ExcerptTarget, NewFollowUp, NewSource};
use dossier_store::Workspace;
use dossier_store::search::SearchOptions;
use rstest::{fixture, rstest};
use tempfile::TempDir;

use super::NOW;

/// A small bilingual file with known contents; items are named so cases read as prose.
struct Fixture {
    _dir: TempDir,
    ws: Workspace,
    names: HashMap<(String, i64), &'static str>,
    ids: HashMap<&'static str, i64>,
}

#[fixture]
#[once]
fn fx() -> std::sync::Mutex<Fixture> {
    let (dir, mut ws) = super::workspace();
    let mut names = HashMap::new();
    let mut ids = HashMap::new();
    let mut src = |ws: &mut Workspace,
                   name: &'static str,
                   title: &str,
                   outlet: &str,
                   author: &str,
                   date: &str,
                   lang: &str,
                   body: &str| {
        let id = ws
            .add_source(
                NewSource {
                    title: title.into(),
                    outlet: Some(outlet.into()),
                    authors: vec![author.into()],
                    published: Some(date.into()),
                    lang: Some(lang.into()),
                    body: body.into(),
                    ..Default::default()
                },
                NOW,
            )
            .unwrap()
            .id;
        names.insert(("source".to_string(), id), name);
        ids.insert(name, id);
        id
    };
    let a = src(
        &mut ws,
        "A",
        "Sector deals negotiated one by one",
        "Maple Wire",
        "Jeanne Roy",
        "2025-03-14",
        "en",
        "Canada and the United States are negotiating sector deals one by one. Steel and aluminum tariffs come first. Officials expect the CUSMA joint review to start in July.",
    );
    let b = src(
        &mut ws,
        "B",
        "L’énergie épargnée",
        "Le Courrier",
        "Luc Gagnon",
        "2025-06-02",
        "fr",
        "Le règlement sur l’énergie reste inchangé. Les droits de douane sur l’acier augmentent. Le bois d’œuvre demeure un irritant.",
    );
    let c = src(
        &mut ws,
        "C",
        "Automakers sound the alarm",
        "Gazette",
        "Sam Park",
        "2024-11-20",
        "en",
        "Automakers warn that tariffs on autos would disrupt supply chains. Dairy quotas are not on the table.",
    );
    let mut ex = |ws: &mut Workspace,
                  name: &'static str,
                  source: i64,
                  quote: &str,
                  note: &str,
                  tags: &[&str]| {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        let e = ws
            .add_excerpt(
                source,
                ExcerptTarget::Quote {
                    quote: quote.into(),
                    occurrence: None,
                },
                note,
                &tags,
                NOW,
            )
            .unwrap();
        names.insert(("excerpt".to_string(), e.id), name);
        ids.insert(name, e.id);
        e.id
    };
    let xa1 = ex(
        &mut ws,
        "xA1",
        a,
        "negotiating sector deals one by one",
        "First public signal",
        &["sector/steel"],
    );
    let xa2 = ex(
        &mut ws,
        "xA2",
        a,
        "Steel and aluminum tariffs come first",
        "",
        &["sector/steel", "sector/aluminum", "instrument/tariff"],
    );
    ex(
        &mut ws,
        "xB1",
        b,
        "Le règlement sur l’énergie reste inchangé",
        "",
        &["sector/energy"],
    );
    ex(
        &mut ws,
        "xB2",
        b,
        "Le bois d’œuvre demeure un irritant",
        "",
        &["sector/forestry"],
    );
    ex(
        &mut ws,
        "xC1",
        c,
        "tariffs on autos would disrupt supply chains",
        "",
        &["sector/automotive", "instrument/tariff"],
    );
    ex(
        &mut ws,
        "xC2",
        c,
        "Dairy quotas are not on the table",
        "",
        &["sector/dairy", "instrument/quota"],
    );
    let mut q = |ws: &mut Workspace, name: &'static str, new: NewFollowUp| {
        let f = ws.add_followup(new, NOW).unwrap();
        names.insert(("question".to_string(), f.id), name);
        ids.insert(name, f.id);
        f.id
    };
    q(
        &mut ws,
        "q1",
        NewFollowUp {
            text: "When does the CUSMA joint review start?".into(),
            excerpt_ids: vec![xa1],
            due: Some("2026-12-01".into()),
            ..Default::default()
        },
    );
    let q2 = q(
        &mut ws,
        "q2",
        NewFollowUp {
            text: "Which steel products face tariffs?".into(),
            excerpt_ids: vec![xa2],
            ..Default::default()
        },
    );
    ws.answer_followup(q2, "Flat-rolled products first.", &[xa2], NOW)
        .unwrap();
    let q3 = q(
        &mut ws,
        "q3",
        NewFollowUp {
            text: "Is dairy really off the table?".into(),
            source_ids: vec![c],
            ..Default::default()
        },
    );
    ws.set_followup_status(q3, dossier_core::FollowUpStatus::Dropped, NOW)
        .unwrap();
    std::sync::Mutex::new(Fixture {
        _dir: dir,
        ws,
        names,
        ids,
    })
}

/// What `query` finds, the words as typed (the language's own cases).
fn found(f: &Fixture, query: &str) -> BTreeSet<&'static str> {
    found_with(f, query, false)
}

/// What `query` finds, with (`expand`) or without the taxonomy's other-language words.
fn found_with(f: &Fixture, query: &str, expand: bool) -> BTreeSet<&'static str> {
    let res =
        f.ws.search(
            query,
            &SearchOptions {
                limit: 100,
                expand,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{query:?} should run: {e}"));
    assert_eq!(
        res.total as usize,
        res.results.len(),
        "{query:?}: total counts every match"
    );
    res.results
        .iter()
        .map(|h| f.names[&(h.kind.as_str().to_string(), h.id)])
        .collect()
}

fn set(items: &[&'static str]) -> BTreeSet<&'static str> {
    items.iter().copied().collect()
}

#[rstest]
#[case::word("steel", &["xA2", "A", "q2"])]
#[case::word_any_case("STEEL", &["xA2", "A", "q2"])]
#[case::accent_folded_query("energie", &["xB1", "B"])]
#[case::accent_folded_both_ways("Règlement", &["xB1", "B"])]
#[case::grave_dropped("reglement", &["xB1", "B"])]
#[case::ligature_typed_plain("oeuvre", &["xB2", "B"])]
#[case::ligature_typed("œuvre", &["xB2", "B"])]
#[case::phrase("\"sector deals\"", &["xA1", "A"])]
#[case::phrase_order_matters("\"deals sector\"", &[])]
#[case::french_phrase("«droits de douane»", &["B"])]
#[case::prefix("tarif*", &["xA2", "xC1", "A", "C", "q2"])]
#[case::exclusion("tariffs -autos", &["xA2", "A", "q2"])]
#[case::or("steel OR dairy", &["xA2", "A", "q2", "xC2", "C", "q3"])]
#[case::parens_and_type("(steel OR dairy) type:excerpt", &["xC2", "xA2"])]
#[case::tag_by_path("tag:sector/steel", &["xA1", "xA2"])]
#[case::tag_by_label("#steel", &["xA1", "xA2"])]
#[case::tag_by_french_label("#acier", &["xA1", "xA2"])]
#[case::tag_by_alias_hyphens_for_spaces("#mineraux-critiques OR #bois-d'oeuvre", &["xB2"])]
#[case::tag_descendants("tag:sector", &["xA1", "xA2", "xB1", "xB2", "xC1", "xC2"])]
#[case::tag_exclusion("#tariff -#autos", &["xA2"])]
#[case::tag_word("#tariff autos", &["xC1"])]
#[case::tag_exclusion_dates("#tariff -#autos after:2025-01-01 before:2025-06-01", &["xA2"])]
#[case::after("after:2025-05-01", &["xB1", "xB2", "B"])]
#[case::before("before:2025-01-01", &["xC1", "xC2", "C", "q3"])]
#[case::outlet("outlet:courrier", &["xB1", "xB2", "B"])]
#[case::outlet_quoted("outlet:\"maple wire\"", &["xA1", "xA2", "A", "q1", "q2"])]
#[case::author_accent_free("author:gagnon", &["xB1", "xB2", "B"])]
#[case::lang("lang:fr", &["xB1", "xB2", "B"])]
#[case::open("is:open", &["q1"])]
#[case::answered("is:answered", &["q2"])]
#[case::dropped_word("is:dropped dairy", &["q3"])]
#[case::due_before("due-before:2026-12-02", &["q1"])]
#[case::due_before_excludes("due-before:2026-12-01", &[])]
#[case::type_source("type:source", &["A", "B", "C"])]
#[case::answer_text("flat-rolled", &["q2"])]
#[case::note_text("\"public signal\"", &["xA1"])]
#[case::no_match("zeppelin", &[])]
#[case::near_is_a_word("NEAR", &[])]
#[case::column_syntax_is_words("{quote note}: steel", &[])]
#[case::negative_only("-#sector type:excerpt", &[])]
#[case::not_group("type:excerpt -(steel OR tariffs OR autos)", &["xA1", "xB1", "xB2", "xC2"])]
fn finds(fx: &std::sync::Mutex<Fixture>, #[case] query: &str, #[case] expected: &[&'static str]) {
    let f = fx.lock().unwrap_or_else(|e| e.into_inner());
    assert_eq!(found(&f, query), set(expected), "results of {query:?}");
}

/// A tag's label, French label or alias also finds the tag's other words (B is the French
/// source: "l’acier", "bois d’œuvre"); `=word` keeps a word to itself.
#[rstest]
#[case::english_finds_french("steel", &["xA2", "A", "q2", "B"])]
#[case::exact_word_stays_literal("=steel", &["xA2", "A", "q2"])]
#[case::french_finds_english("acier", &["xA2", "A", "q2", "B"])]
#[case::unquoted_words_name_a_tag("softwood lumber", &["xB2", "B"])]
#[case::negation_stays_literal("type:source -steel", &["B", "C"])]
#[case::not_a_tag_word("negotiating", &["A", "xA1"])]
fn finds_across_languages(
    fx: &std::sync::Mutex<Fixture>,
    #[case] query: &str,
    #[case] expected: &[&'static str],
) {
    let f = fx.lock().unwrap_or_else(|e| e.into_inner());
    assert_eq!(
        found_with(&f, query, true),
        set(expected),
        "results of {query:?}"
    );
}

#[rstest]
fn a_translated_match_says_why_and_ranks_below_the_literal_word(fx: &std::sync::Mutex<Fixture>) {
    let f = fx.lock().unwrap_or_else(|e| e.into_inner());
    let res =
        f.ws.search("steel type:source", &SearchOptions::default())
            .unwrap();
    let names: Vec<&str> = res
        .results
        .iter()
        .map(|h| f.names[&(h.kind.as_str().to_string(), h.id)])
        .collect();
    assert_eq!(names, ["A", "B"], "the English source, then the French one");
    let b = &res.results[1];
    let via: Vec<(&str, &str, &str)> = b
        .matched_via
        .iter()
        .map(|e| (e.word.as_str(), e.typed.as_str(), e.tag.as_str()))
        .collect();
    assert_eq!(via, [("Acier", "steel", "sector/steel")]);
    assert_eq!(
        b.matched_via[0].role,
        dossier_core::query::ExpansionRole::LabelFr
    );
    assert!(b.snippet.contains("<mark>acier</mark>"), "{}", b.snippet);
    assert!(
        res.results[0].matched_via.is_empty(),
        "A matched the word itself"
    );
    assert!(
        res.expansions.iter().any(|e| e.word == "Acier"),
        "{:?}",
        res.expansions
    );
}

#[test]
fn source_filter_reaches_excerpts_and_questions() {
    let f = fx::get();
    let f = f.lock().unwrap_or_else(|e| e.into_inner());
    let q = format!("source:{}", f.ids["A"]);
    assert_eq!(found(&f, &q), set(&["xA1", "xA2", "A", "q1", "q2"]));
}

#[rstest]
#[case::unbalanced_quote("steel \"tariff", "no closing quote")]
#[case::unbalanced_paren("(steel", "never closed")]
#[case::star_alone("*", "letters before it")]
#[case::unknown_tag("#zeppelins", "no tag matches \"zeppelins\"")]
#[case::unknown_filter("title:steel", "no \"title:\" filter")]
#[case::control_chars("\u{0}\u{7}", "empty")]
#[case::ten_thousand_chars(&"steel ".repeat(1700), "longer than")]
fn bad_queries_get_clear_messages(
    fx: &std::sync::Mutex<Fixture>,
    #[case] query: &str,
    #[case] message: &str,
) {
    let f = fx.lock().unwrap_or_else(|e| e.into_inner());
    let err = f.ws.search(query, &SearchOptions::default()).unwrap_err();
    assert!(err.to_string().contains(message), "{err}");
    assert!(
        !err.to_string().to_lowercase().contains("fts5") && !err.to_string().contains("SQL"),
        "{err}"
    );
}

#[test]
fn a_quote_outranks_a_long_body_and_recency_breaks_ties() {
    let f = fx::get();
    let f = f.lock().unwrap_or_else(|e| e.into_inner());
    let res = f.ws.search("steel", &SearchOptions::default()).unwrap();
    assert_eq!(
        res.results[0].kind.as_str(),
        "excerpt",
        "the quote hit ranks first: {:?}",
        res.results
    );
    assert!(
        res.results.windows(2).all(|w| w[0].score >= w[1].score),
        "sorted by score"
    );
    let tagged = f.ws.search("#tariff", &SearchOptions::default()).unwrap();
    let order: Vec<_> = tagged
        .results
        .iter()
        .map(|h| f.names[&(h.kind.as_str().to_string(), h.id)])
        .collect();
    assert_eq!(order, ["xA2", "xC1"], "without words, newest first");
}

#[test]
fn snippets_mark_the_matched_words() {
    let f = fx::get();
    let f = f.lock().unwrap_or_else(|e| e.into_inner());
    let res = f.ws.search("energie", &SearchOptions::default()).unwrap();
    let hit = res
        .results
        .iter()
        .find(|h| h.kind == dossier_core::query::ItemKind::Excerpt)
        .unwrap();
    assert!(
        hit.snippet.contains("<mark>énergie</mark>"),
        "{}",
        hit.snippet
    );
    assert!(
        hit.snippet_parts
            .iter()
            .any(|p| p.mark && p.text == "énergie")
    );
    assert_eq!(hit.tags, ["sector/energy"]);
    assert_eq!(
        hit.quote.as_deref(),
        Some("Le règlement sur l’énergie reste inchangé")
    );
    assert!(hit.start.is_some() && hit.source_id == Some(f.ids["B"]));
}

#[test]
fn facets_count_the_whole_result_set_and_pages_slice_it() {
    let f = fx::get();
    let f = f.lock().unwrap_or_else(|e| e.into_inner());
    let res =
        f.ws.search(
            "tarif*",
            &SearchOptions {
                limit: 2,
                offset: 1,
                facets: true,
                expand: true,
            },
        )
        .unwrap();
    assert_eq!(res.total, 5);
    assert_eq!(res.results.len(), 2);
    let facets = res.facets.unwrap();
    let count = |list: &[dossier_core::query::FacetCount], v: &str| {
        list.iter().find(|c| c.value == v).map(|c| c.count)
    };
    assert_eq!(count(&facets.types, "excerpt"), Some(2));
    assert_eq!(count(&facets.types, "source"), Some(2));
    assert_eq!(count(&facets.types, "question"), Some(1));
    assert_eq!(count(&facets.tags, "instrument/tariff"), Some(2));
    assert_eq!(count(&facets.outlets, "Maple Wire"), Some(2), "xA2 and A");
    assert_eq!(count(&facets.langs, "en"), Some(4));
    assert_eq!(count(&facets.statuses, "answered"), Some(1));
    let all =
        f.ws.search(
            "tarif*",
            &SearchOptions {
                limit: 50,
                offset: 0,
                facets: false,
                expand: true,
            },
        )
        .unwrap();
    let page: Vec<_> = all.results[1..3]
        .iter()
        .map(|h| (h.kind.as_str().to_string(), h.id))
        .collect();
    let got: Vec<_> = res
        .results
        .iter()
        .map(|h| (h.kind.as_str().to_string(), h.id))
        .collect();
    assert_eq!(got, page, "the facet path pages like the plain path");
}

#[test]
fn the_index_follows_edits_and_deletes() {
    let (_d, mut ws) = super::workspace();
    let s = ws
        .add_source(
            super::source("T", "Softwood lumber duties rose again."),
            NOW,
        )
        .unwrap()
        .id;
    let e = ws
        .add_excerpt(
            s,
            ExcerptTarget::Quote {
                quote: "lumber duties".into(),
                occurrence: None,
            },
            "",
            &[],
            NOW,
        )
        .unwrap();
    let opts = SearchOptions::default();
    assert_eq!(ws.search("countervailing", &opts).unwrap().total, 0);
    ws.edit_excerpt(
        e.id,
        ExcerptPatch {
            note: Some("Countervailing, not anti-dumping".into()),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    assert_eq!(ws.search("countervailing", &opts).unwrap().total, 1);
    ws.delete_source(s).unwrap();
    assert_eq!(
        ws.search("lumber", &opts).unwrap().total,
        0,
        "deleted items leave the index"
    );
}

#[test]
fn saved_searches_round_trip() {
    let (_d, mut ws) = super::workspace();
    let s = ws
        .save_search("Steel watch", "#steel -#autos", NOW)
        .unwrap();
    assert_eq!(s.query, "#steel -#autos");
    ws.save_search("steel WATCH", "#steel", super::LATER)
        .unwrap();
    let all = ws.saved_searches().unwrap();
    assert_eq!(all.len(), 1, "same name regardless of case replaces");
    assert_eq!(
        (all[0].query.as_str(), all[0].updated_at.as_str()),
        ("#steel", super::LATER)
    );
    assert!(
        ws.save_search("Broken", "(steel", NOW)
            .unwrap_err()
            .to_string()
            .contains("never closed")
    );
    assert!(ws.saved_search("nope").is_err());
    ws.delete_saved_search("steel watch").unwrap();
    assert!(ws.saved_searches().unwrap().is_empty());
}
