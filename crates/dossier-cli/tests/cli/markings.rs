//! Security markings on sources and excerpts, the search filters on them, the export that
//! refuses to put protected text under a lower marking, and the language of a briefing note.

use serde_json::Value;

use super::{Ws, path_str};

const PUBLIC: &str = "Ottawa announced steel quotas today. Industry welcomed the move.\n";
const CABINET: &str = "The fallback position is a ten per cent quota on steel. Ministers agreed.\n";

/// A public and a protected-B source, one excerpt of each; returns the excerpt ids.
fn seeded() -> (Ws, i64, i64) {
    let ws = Ws::new();
    let public = ws.file("public.txt", PUBLIC);
    let cabinet = ws.file("cabinet.txt", CABINET);
    let add = |file: &std::path::Path, marking: &str| -> i64 {
        ws.run(&[
            "--json",
            "source",
            "add",
            path_str(file),
            "--marking",
            marking,
        ])
        .ok()
        .json()["id"]
            .as_i64()
            .unwrap()
    };
    let public = add(&public, "unclassified");
    let cabinet = add(&cabinet, "protected-b");
    let excerpt = |source: i64, quote: &str| -> i64 {
        ws.run(&[
            "--json",
            "excerpt",
            "add",
            &source.to_string(),
            "--quote",
            quote,
        ])
        .ok()
        .json()["id"]
            .as_i64()
            .unwrap()
    };
    let open = excerpt(public, "Ottawa announced steel quotas today");
    let secret = excerpt(
        cabinet,
        "The fallback position is a ten per cent quota on steel",
    );
    (ws, open, secret)
}

fn ids(hits: &Value) -> Vec<(String, i64)> {
    hits["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_owned(),
                h["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn an_excerpt_carries_its_sources_marking_unless_marked_itself() {
    let (ws, open, secret) = seeded();
    let shown = ws
        .run(&["--json", "excerpt", "show", &secret.to_string()])
        .ok()
        .json();
    assert_eq!(shown["marking"], "protected_b");
    assert_eq!(shown["own_marking"], Value::Null);

    let edited = ws
        .run(&[
            "--json",
            "excerpt",
            "edit",
            &open.to_string(),
            "--marking",
            "protected-a",
        ])
        .ok()
        .json();
    assert_eq!(
        (edited["marking"].as_str(), edited["own_marking"].as_str()),
        (Some("protected_a"), Some("protected_a"))
    );
    let back = ws
        .run(&[
            "--json",
            "excerpt",
            "edit",
            &open.to_string(),
            "--marking",
            "inherit",
        ])
        .ok()
        .json();
    assert_eq!(
        (back["marking"].as_str(), back["own_marking"].as_str()),
        (Some("unclassified"), None)
    );

    let sources = ws.run(&["--json", "source", "list"]).ok().json();
    let markings: Vec<&str> = sources
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["marking"].as_str().unwrap())
        .collect();
    assert_eq!(markings, ["unclassified", "protected_b"]);

    let bad = ws.run(&["excerpt", "edit", &open.to_string(), "--marking", "secret"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("protected-a"), "{}", bad.stderr);
}

#[test]
fn search_filters_by_marking_and_shows_it() {
    let (ws, open, secret) = seeded();
    let run = |q: &str| ws.run(&["--json", "search", q]).ok().json();
    let exact = run("steel marking:protected-b");
    assert!(ids(&exact).contains(&("excerpt".into(), secret)), "{exact}");
    assert!(!ids(&exact).contains(&("excerpt".into(), open)), "{exact}");
    let at_least = run("steel marking>=protected-a type:excerpt");
    assert_eq!(ids(&at_least), vec![("excerpt".to_owned(), secret)]);
    let at_most = run("steel marking<=unclassified type:excerpt");
    assert_eq!(ids(&at_most), vec![("excerpt".to_owned(), open)]);
    let hit = exact["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == secret && h["kind"] == "excerpt")
        .unwrap();
    assert_eq!(hit["marking"], "protected_b");

    let bad = ws.run(&["--json", "search", "marking:secret"]);
    assert_eq!(bad.code, 1, "{}", bad.stdout);
    assert_eq!(bad.json()["error"]["code"], "query");
}

#[test]
fn a_note_quoting_protected_b_refuses_to_export_as_unclassified() {
    let (ws, open, secret) = seeded();
    let note = ws
        .run(&["--json", "briefing", "new", "--title", "Steel quotas"])
        .ok()
        .json();
    let id = note["id"].as_i64().unwrap().to_string();
    ws.run(&[
        "briefing",
        "edit",
        &id,
        "--section",
        "current-status",
        "--add",
        &open.to_string(),
        "--add",
        &secret.to_string(),
    ])
    .ok();
    let before = ws.snapshot();
    let out = ws.dir.path().join("note.docx");
    let refused = ws.run(&["--json", "export", &id, "-o", path_str(&out)]);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    let error = &refused.json()["error"];
    assert_eq!(error["code"], "marking_too_low");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains(&format!("excerpt {secret}")), "{message}");
    assert!(message.contains("--at unclassified"), "{message}");
    assert!(!out.exists(), "nothing is written");
    assert_eq!(ws.snapshot(), before, "the workspace is unchanged");

    let md = ws.dir.path().join("note.md");
    let copy = ws
        .run(&[
            "--json",
            "export",
            &id,
            "-o",
            path_str(&md),
            "--at",
            "unclassified",
        ])
        .ok();
    let written = copy.json();
    assert_eq!(written["marking"], "unclassified");
    assert_eq!(written["left_out"][0]["excerpt_id"], secret);
    assert_eq!(written["left_out"][0]["marking"], "protected_b");
    assert!(copy.stderr.contains("left out"), "{}", copy.stderr);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(
        text.contains("Ottawa announced steel quotas today"),
        "{text}"
    );
    assert!(!text.contains("fallback position"), "{text}");
    assert!(text.contains("UNCLASSIFIED"), "{text}");

    ws.run(&["briefing", "edit", &id, "--marking", "protected-b"])
        .ok();
    let whole = ws
        .run(&["--json", "export", &id, "-o", path_str(&md)])
        .ok()
        .json();
    assert_eq!(whole["left_out"], Value::Array(vec![]));
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .contains("fallback position")
    );
}

#[test]
fn a_note_has_a_language_from_the_flag_or_the_system() {
    let ws = Ws::new();
    let en = ws
        .run(&["--json", "briefing", "new", "--title", "Steel"])
        .ok()
        .json();
    assert_eq!(en["lang"], "en");
    let fr = ws
        .run(&[
            "--json", "briefing", "new", "--title", "Acier", "--lang", "fr",
        ])
        .ok()
        .json();
    assert_eq!(fr["lang"], "fr");
    let id = fr["id"].to_string();
    let edited = ws
        .run(&["--json", "briefing", "edit", &id, "--lang", "en"])
        .ok()
        .json();
    assert_eq!(edited["lang"], "en");
    let bad = ws.run(&["briefing", "new", "--title", "X", "--lang", "de"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);

    let mut french_desktop = Ws::new();
    french_desktop
        .env
        .push(("LANG".into(), "fr_CA.UTF-8".into()));
    let default = french_desktop
        .run(&["--json", "briefing", "new", "--title", "Acier"])
        .ok()
        .json();
    assert_eq!(default["lang"], "fr");
    french_desktop
        .env
        .push(("DOSSIER_UI_LANG".into(), "en".into()));
    let overridden = french_desktop
        .run(&["--json", "briefing", "new", "--title", "Steel"])
        .ok()
        .json();
    assert_eq!(overridden["lang"], "en");
}
