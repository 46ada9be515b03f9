use serde_json::json;

use super::{Ws, path_str};

fn seeded() -> Ws {
    let ws = Ws::new();
    let en = ws.file(
        "en.txt",
        "Steel and aluminum tariffs come first, officials said. Autos come later.\n",
    );
    let fr = ws.file(
        "fr.txt",
        "Le règlement sur l’énergie reste inchangé. L’acier d’abord.\n",
    );
    ws.run(&[
        "source",
        "add",
        path_str(&en),
        "--title",
        "First movers",
        "--outlet",
        "Maple Wire",
        "--lang",
        "en",
        "--published",
        "2025-03-14",
    ])
    .ok();
    ws.run(&[
        "source",
        "add",
        path_str(&fr),
        "--title",
        "Le point",
        "--outlet",
        "Le Courrier",
        "--lang",
        "fr",
        "--published",
        "2025-06-02",
    ])
    .ok();
    ws.run(&[
        "excerpt",
        "add",
        "1",
        "--quote",
        "Steel and aluminum tariffs come first",
        "--tag",
        "steel",
        "--tag",
        "tariff",
    ])
    .ok();
    ws.run(&[
        "excerpt",
        "add",
        "2",
        "--quote",
        "Le règlement sur l’énergie reste inchangé",
        "--tag",
        "énergie",
        "--note",
        "Energy spared",
    ])
    .ok();
    ws.run(&[
        "question",
        "add",
        "Which steel products first?",
        "--excerpt",
        "1",
        "--due",
        "2026-12-01",
    ])
    .ok();
    ws
}

#[test]
fn results_carry_the_documented_fields() {
    let ws = seeded();
    // --literal: the French source that says "acier" is the subject of its own test.
    let res = ws
        .run(&["--json", "search", "steel", "--literal"])
        .ok()
        .json();
    assert_eq!(res["total"], 3, "{res}");
    assert_eq!(res["expansions"], json!([]), "{res}");
    let widened = ws.run(&["--json", "search", "steel"]).ok().json();
    assert_eq!(widened["total"], 4, "steel also finds acier: {widened}");
    assert_eq!(widened["expansions"][0]["word"], "Acier", "{widened}");
    for hit in res["results"].as_array().unwrap() {
        for field in [
            "kind",
            "id",
            "source_id",
            "title",
            "snippet",
            "score",
            "tags",
            "marking",
            "matched_via",
        ] {
            assert!(hit.get(field).is_some(), "result has {field}: {hit}");
        }
    }
    assert_eq!(
        res["results"][0]["kind"], "excerpt",
        "a quote hit ranks first"
    );
    assert!(
        res["results"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>Steel</mark>")
    );
    let kinds: Vec<_> = res["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].clone())
        .collect();
    assert!(kinds.contains(&json!("question")) && kinds.contains(&json!("source")));
}

#[test]
fn accents_tags_filters_facets_and_paging() {
    let ws = seeded();
    let ids = |args: &[&str]| -> Vec<(String, i64)> {
        let mut a = vec!["--json", "search"];
        a.extend_from_slice(args);
        ws.run(&a).ok().json()["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["kind"].as_str().unwrap().to_string(),
                    h["id"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        ids(&["energie"]),
        vec![("excerpt".into(), 2), ("source".into(), 2)]
    );
    assert_eq!(ids(&["#acier"]), vec![("excerpt".into(), 1)]);
    assert_eq!(
        ids(&["-#steel type:excerpt"]),
        vec![("excerpt".into(), 2)],
        "a leading '-' is a query, not an option"
    );
    assert_eq!(ids(&["lang:fr type:source"]), vec![("source".into(), 2)]);
    assert_eq!(
        ids(&["is:open due-before:2026-12-02"]),
        vec![("question".into(), 1)]
    );
    assert_eq!(
        ids(&["outlet:\"maple wire\" after:2025-01-01 type:source"]),
        vec![("source".into(), 1)]
    );
    let page = ws
        .run(&[
            "--json",
            "search",
            "tariff* OR energie",
            "--limit",
            "1",
            "--offset",
            "1",
            "--facets",
        ])
        .ok()
        .json();
    assert_eq!(page["results"].as_array().unwrap().len(), 1);
    assert_eq!(
        (page["limit"].as_i64(), page["offset"].as_i64()),
        (Some(1), Some(1))
    );
    let types = page["facets"]["types"].as_array().unwrap();
    assert!(
        types.contains(&json!({"value": "excerpt", "count": 2})),
        "{types:?}"
    );
    let langs = page["facets"]["langs"].as_array().unwrap();
    assert!(
        langs.contains(&json!({"value": "fr", "count": 2})),
        "{langs:?}"
    );
}

#[test]
fn saved_searches_from_the_command_line() {
    let ws = seeded();
    ws.run(&["search", "save", "Steel watch", "#steel -#autos"])
        .ok();
    let saved = ws.run(&["--json", "search", "saved"]).ok().json();
    assert_eq!(saved[0]["name"], "Steel watch");
    assert_eq!(saved[0]["query"], "#steel -#autos");
    let run = ws
        .run(&["--json", "search", "run", "steel watch"])
        .ok()
        .json();
    assert_eq!(run["total"], 1);
    let missing = ws.run(&["search", "run", "nope"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing
            .stderr
            .contains("no saved search is called \"nope\""),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_malformed_query_points_at_the_problem() {
    let ws = seeded();
    let run = ws.run(&["--json", "search", "steel \"tariff talks"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no closing quote") && run.stderr.contains("character 7"),
        "{}",
        run.stderr
    );
    let err = run.json();
    assert_eq!(
        (
            err["error"]["code"].as_str(),
            err["error"]["position"].as_i64()
        ),
        (Some("query"), Some(6))
    );
    let words = ws.run(&["search", "steel", "tariff"]);
    assert_eq!(words.code, 2);
    assert!(words.stderr.contains("in quotes"), "{}", words.stderr);
}
