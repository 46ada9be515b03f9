use serde_json::json;

use super::{Ws, path_str};

const ARTICLE: &str = "OTTAWA — Canadian officials said on Tuesday that sector deals are being \
negotiated one by one, starting with steel and aluminum, ahead of the CUSMA joint review.\n\n\
« Nous ne signerons pas n’importe quel accord », a déclaré la ministre. Le règlement sur \
l’énergie 🇨🇦 reste inchangé.\n\nSteel producers welcomed the news. Steel exports fell 12%.\n";

#[test]
fn source_excerpts_question_answer_rename_merge() {
    let ws = Ws::new();
    let file = ws.file("talks.md", ARTICLE);

    // Capture.
    let created = ws
        .run(&[
            "--json",
            "source",
            "add",
            path_str(&file),
            "--title",
            "Sector deals negotiated one by one",
            "--outlet",
            "Maple Wire",
            "--author",
            "Jeanne Roy",
            "--author",
            "Sam Park",
            "--published",
            "2025-03-14",
            "--url",
            "https://example.org/talks",
            "--lang",
            "en",
        ])
        .ok()
        .json();
    let source_id = created["id"].as_i64().expect("a source has an integer id");
    for field in [
        "id",
        "title",
        "outlet",
        "authors",
        "published",
        "url",
        "lang",
        "captured_at",
        "excerpt_count",
    ] {
        assert!(
            created.get(field).is_some(),
            "source JSON has {field}: {created}"
        );
    }
    assert_eq!(created["authors"], json!(["Jeanne Roy", "Sam Park"]));
    assert_eq!(created["excerpt_count"], 0);
    let sid = source_id.to_string();

    // Without --json, creation prints the id alone.
    let plain = ws
        .run(&["excerpt", "add", &sid, "--quote", "Steel exports fell 12%"])
        .ok();
    let plain_id: i64 = plain
        .stdout
        .trim()
        .parse()
        .expect("plain output is the new id");

    // Excerpts by quote, with tags and notes, including one after an emoji in French text.
    let e1 = ws
        .run(&[
            "--json",
            "excerpt",
            "add",
            &sid,
            "--quote",
            "sector deals are being negotiated one by one",
            "--note",
            "First public signal that **sector deals** are negotiated separately.",
            "--tag",
            "sector/steel",
            "--tag",
            "aluminium",
        ])
        .ok()
        .json();
    for field in [
        "id",
        "source_id",
        "quote",
        "prefix",
        "suffix",
        "start",
        "end",
        "note",
        "tags",
    ] {
        assert!(e1.get(field).is_some(), "excerpt JSON has {field}: {e1}");
    }
    assert_eq!(
        e1["tags"],
        json!(["sector/steel", "sector/aluminum"]),
        "French alias resolves"
    );
    assert_eq!(
        e1["prefix"],
        "OTTAWA — Canadian officials said on Tuesday that "
            .chars()
            .rev()
            .take(32)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<String>()
    );

    let e2 = ws
        .run(&[
            "--json",
            "excerpt",
            "add",
            &sid,
            "--quote",
            "reste inchangé",
            "--tag",
            "Énergie",
            "--note",
            "Energy untouched",
        ])
        .ok()
        .json();
    let shown = ws.run(&["--json", "source", "show", &sid]).ok().json();
    let text = shown["text"].as_str().unwrap();
    let (start, end) = (
        e2["start"].as_u64().unwrap() as usize,
        e2["end"].as_u64().unwrap() as usize,
    );
    let sliced: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(
        sliced, "reste inchangé",
        "offsets count code points, even after 🇨🇦"
    );
    assert_eq!(e2["tags"], json!(["sector/energy"]));

    // "Steel" occurs twice: the second occurrence must be asked for.
    let e3 = ws
        .run(&[
            "--json",
            "excerpt",
            "add",
            &sid,
            "--quote",
            "Steel",
            "--occurrence",
            "2",
            "--tag",
            "steel",
        ])
        .ok()
        .json();
    assert!(
        e3["suffix"].as_str().unwrap().starts_with(" exports"),
        "{e3}"
    );

    // A follow-up, then its answer.
    let (e1_id, e3_id) = (e1["id"].to_string(), e3["id"].to_string());
    let q = ws
        .run(&[
            "--json",
            "question",
            "add",
            "Which strategic sectors are under discussion?",
            "--excerpt",
            &e1_id,
            "--source",
            &sid,
            "--tag",
            "instrument/cusma-review",
            "--due",
            "2026-12-05",
            "--owner",
            "J. Roy",
        ])
        .ok()
        .json();
    for field in [
        "id",
        "text",
        "status",
        "due",
        "owner",
        "excerpt_ids",
        "source_ids",
        "tags",
        "answer",
        "answer_excerpt_ids",
    ] {
        assert!(q.get(field).is_some(), "follow-up JSON has {field}: {q}");
    }
    assert_eq!(
        (q["status"].as_str(), q["answer"].is_null()),
        (Some("open"), true)
    );
    let qid = q["id"].to_string();
    let answered = ws
        .run(&[
            "--json",
            "question",
            "answer",
            &qid,
            "Steel and aluminum first; autos later.",
            "--excerpt",
            &e1_id,
            "--excerpt",
            &e3_id,
        ])
        .ok()
        .json();
    assert_eq!(answered["status"], "answered");
    assert_eq!(answered["answer_excerpt_ids"], json!([e1["id"], e3["id"]]));
    assert_eq!(answered["excerpt_ids"], json!([e1["id"]]));

    // Rename a tag (with a new child), then merge another into it.
    ws.run(&[
        "tag",
        "add",
        "sector/steel/flat-rolled",
        "--label-fr",
        "Laminés plats",
    ])
    .ok();
    let renamed = ws
        .run(&[
            "--json",
            "tag",
            "rename",
            "sector/steel",
            "sector/steel-and-iron",
        ])
        .ok()
        .json();
    assert_eq!(renamed["to"], "sector/steel-and-iron");
    assert_eq!(
        renamed["renamed"].as_array().unwrap().len(),
        2,
        "the child moved too: {renamed}"
    );
    let merged = ws
        .run(&[
            "--json",
            "tag",
            "merge",
            "sector/aluminum",
            "sector/steel-and-iron",
        ])
        .ok()
        .json();
    assert_eq!(merged["removed"], json!(["sector/aluminum"]));

    // Lists and shows reflect all of it.
    let e1_after = ws.run(&["--json", "excerpt", "show", &e1_id]).ok().json();
    assert_eq!(
        e1_after["tags"],
        json!(["sector/steel-and-iron"]),
        "one tag, not two, after the merge"
    );
    let tags = ws.run(&["--json", "tag", "list"]).ok().json();
    let tag = tags
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["path"] == "sector/steel-and-iron")
        .expect("renamed tag listed");
    for field in ["path", "label", "label_fr", "aliases", "color", "count"] {
        assert!(tag.get(field).is_some(), "tag JSON has {field}: {tag}");
    }
    assert_eq!(tag["count"], 2, "e1 and e3: {tag}");
    assert!(
        tag["aliases"]
            .as_array()
            .unwrap()
            .contains(&json!("Aluminum")),
        "merged label kept as alias: {tag}"
    );
    assert!(
        tags.as_array()
            .unwrap()
            .iter()
            .all(|t| t["path"] != "sector/aluminum")
    );
    assert!(
        tags.as_array()
            .unwrap()
            .iter()
            .any(|t| t["path"] == "sector/steel-and-iron/flat-rolled")
    );

    let by_tag = ws
        .run(&[
            "--json",
            "excerpt",
            "list",
            "--tag",
            "sector/steel-and-iron",
        ])
        .ok()
        .json();
    let ids: Vec<_> = by_tag
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(ids, vec![e1["id"].clone(), e3["id"].clone()]);

    let sources = ws.run(&["--json", "source", "list"]).ok().json();
    assert_eq!(sources[0]["excerpt_count"], 4);
    assert!(sources[0].get("text").is_none(), "lists leave the text out");
    assert_eq!(shown["text"].as_str().unwrap(), ARTICLE);

    let open = ws
        .run(&["--json", "question", "list", "--status", "open"])
        .ok()
        .json();
    assert_eq!(open, json!([]));
    let all = ws.run(&["--json", "question", "list"]).ok().json();
    assert_eq!(all[0]["tags"], json!(["instrument/cusma-review"]));

    // Drop, reopen, and a plain-text listing a person can read.
    ws.run(&["question", "drop", &qid]).ok();
    let reopened = ws.run(&["--json", "question", "reopen", &qid]).ok().json();
    assert_eq!(reopened["status"], "open");
    let listing = ws.run(&["source", "list"]).ok().stdout;
    assert!(
        listing.contains("Sector deals negotiated one by one") && listing.contains("4 excerpts"),
        "{listing}"
    );

    // Edits and deletes.
    let edited = ws
        .run(&[
            "--json",
            "excerpt",
            "edit",
            &plain_id.to_string(),
            "--note",
            "Exports data",
            "--tag",
            "theme/trade-data",
        ])
        .ok()
        .json();
    assert_eq!(
        (edited["note"].as_str(), edited["tags"].clone()),
        (Some("Exports data"), json!(["theme/trade-data"]))
    );
    ws.run(&["excerpt", "delete", &plain_id.to_string()]).ok();
    let deleted = ws.run(&["--json", "source", "delete", &sid]).ok().json();
    assert_eq!(deleted["deleted"]["excerpts"], 3);
    assert_eq!(
        ws.run(&["--json", "excerpt", "list"]).ok().json(),
        json!([])
    );
}

#[test]
fn text_from_standard_input_and_title_from_the_first_line() {
    let ws = Ws::new();
    let out = ws
        .run_with_stdin(
            &["--json", "source", "add", "-"],
            Some("# Lumber duties rise\r\n\r\nBody text.\r\n"),
        )
        .ok()
        .json();
    assert_eq!(out["title"], "Lumber duties rise");
    let id = out["id"].to_string();
    let shown = ws.run(&["--json", "source", "show", &id]).ok().json();
    assert_eq!(
        shown["text"], "# Lumber duties rise\n\nBody text.\n",
        "CRLF normalized"
    );
}

#[test]
fn the_default_workspace_comes_from_dossier_db() {
    let ws = Ws::new();
    let path = ws.dir.path().join("from-env.sqlite");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--json", "info"])
        .env("DOSSIER_DB", &path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["path"], path.display().to_string());
    assert!(path.exists());
}
