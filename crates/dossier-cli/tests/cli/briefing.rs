use serde_json::{Value, json};

use super::{Ws, path_str};

const STEEL: &str = "OTTAWA — Officials said sector deals are being negotiated one by one, \
starting with steel and aluminum. Steel exports fell 12% in the quarter.\n";
const BOIS: &str = "« Nous ne signerons pas n’importe quel accord », a déclaré la ministre \
au sujet du bois d’œuvre.\n";

/// Two sources (one French), three excerpts tagged by sector, an open and a dropped question.
/// Returns the workspace and the excerpt ids: [steel deals, steel exports, lumber].
fn seeded() -> (Ws, [i64; 3]) {
    let ws = Ws::new();
    let add = |file: &str, text: &str, title: &str, outlet: &str, date: &str| -> String {
        let f = ws.file(file, text);
        ws.run(&[
            "source",
            "add",
            path_str(&f),
            "--title",
            title,
            "--outlet",
            outlet,
            "--author",
            "Jeanne Roy",
            "--published",
            date,
            "--url",
            &format!("https://example.org/{file}"),
        ])
        .ok()
        .stdout
        .trim()
        .to_string()
    };
    let steel = add(
        "steel.md",
        STEEL,
        "Sector deals one by one",
        "Maple Wire",
        "2025-03-14",
    );
    let bois = add(
        "bois.md",
        BOIS,
        "Bois d’œuvre : Ottawa maintient le cap",
        "La Presse canadienne",
        "2025-03-10",
    );
    let excerpt = |source: &str, quote: &str, tag: &str| -> i64 {
        ws.run(&["excerpt", "add", source, "--quote", quote, "--tag", tag])
            .ok()
            .stdout
            .trim()
            .parse()
            .unwrap()
    };
    let e = [
        excerpt(
            &steel,
            "sector deals are being negotiated one by one",
            "sector/steel",
        ),
        excerpt(&steel, "Steel exports fell 12%", "sector/steel"),
        excerpt(
            &bois,
            "Nous ne signerons pas n’importe quel accord",
            "sector/forestry",
        ),
    ];
    ws.run(&[
        "question",
        "add",
        "When does the joint review start?",
        "--excerpt",
        &e[0].to_string(),
        "--due",
        "2026-12-01",
    ])
    .ok();
    let dropped = ws
        .run(&[
            "question",
            "add",
            "Old question about steel?",
            "--excerpt",
            &e[1].to_string(),
        ])
        .ok()
        .stdout
        .trim()
        .to_string();
    ws.run(&["question", "drop", &dropped]).ok();
    (ws, e)
}

fn items(b: &Value, section: &str) -> Vec<(Value, Value)> {
    b["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == section)
        .unwrap_or_else(|| panic!("section {section} is in {b}"))["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["group"].clone(), i["excerpt_id"].clone()))
        .collect()
}

fn section_text(b: &Value, section: &str) -> String {
    b["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == section)
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn draft_edit_and_export_every_format() {
    let (ws, e) = seeded();
    let b = ws
        .run(&[
            "--json",
            "briefing",
            "draft",
            "deals OR exports OR accord",
            "--title",
            "Canada–US steel talks: state of play",
            "--title-fr",
            "Pourparlers sur l’acier : état de la situation",
            "--marking",
            "protected-a",
            "--purpose",
            "decision",
            "--deadline",
            "2026-12-05",
            "--addressee",
            "the Minister of International Trade",
            "--prepared-by",
            "Élise Côté",
        ])
        .ok()
        .json();
    for field in [
        "id",
        "marking",
        "addressee",
        "file_number",
        "date",
        "title",
        "title_fr",
        "purpose",
        "deadline",
        "sections",
        "prepared_by",
        "approved_by",
        "decision",
        "created_at",
        "updated_at",
    ] {
        assert!(b.get(field).is_some(), "briefing JSON has {field}: {b}");
    }
    assert_eq!(b["marking"], "protected_a");
    assert_eq!(b["purpose"], "decision");
    assert_eq!(b["date"], "2026-11-26", "a new note is dated today");
    assert_eq!(
        b["title_fr"],
        "Pourparlers sur l’acier : état de la situation"
    );
    assert_eq!(b["sections"].as_array().unwrap().len(), 8);
    assert_eq!(
        items(&b, "current_status"),
        [
            (json!("Forestry (softwood lumber)"), json!(e[2])),
            (json!("Steel"), json!(e[1])),
            (json!("Steel"), json!(e[0])),
        ],
        "grouped by sector; within steel, same-day news by the excerpt made last first"
    );
    let item = &b["sections"][3]["items"][0];
    assert_eq!(item["status"], "live");
    assert_eq!(item["citation"]["outlet"], "La Presse canadienne");
    assert_eq!(item["citation"]["authors"], json!(["Jeanne Roy"]));
    assert_eq!(
        section_text(&b, "next_steps"),
        "- When does the joint review start? (due 1 December 2026)",
        "the open question about a matching excerpt; the dropped one is left out"
    );
    let id = b["id"].to_string();

    // Edit: a field, a section's text, and the order of its excerpts.
    let text = ws.file("summary.md", "Talks now proceed **sector by sector**.\n");
    let edited = ws
        .run(&[
            "--json",
            "briefing",
            "edit",
            &id,
            "--file-number",
            "BN-2026-0042",
            "--section",
            "current-status",
            "--order",
            &format!("{},{}", e[0], e[2]),
        ])
        .ok()
        .json();
    assert_eq!(edited["file_number"], "BN-2026-0042");
    assert_eq!(
        items(&edited, "current_status")
            .into_iter()
            .map(|(_, e)| e)
            .collect::<Vec<_>>(),
        [json!(e[0]), json!(e[2]), json!(e[1])],
        "the named excerpts first, in that order; the other after them"
    );
    ws.run(&[
        "briefing",
        "edit",
        &id,
        "--section",
        "summary",
        "--text-file",
        path_str(&text),
    ])
    .ok();
    let shown = ws.run(&["--json", "briefing", "show", &id]).ok().json();
    assert_eq!(
        section_text(&shown, "summary"),
        "Talks now proceed **sector by sector**."
    );

    // Export: each format, twice, to the same bytes; nothing else left in the folder.
    let out = ws.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for (ext, magic) in [
        ("docx", &b"PK"[..]),
        ("pdf", b"%PDF"),
        ("html", b"<!DOCTYPE html>"),
        ("md", b"**PROTECTED A / PROT"),
    ] {
        let path = out.join(format!("note.{ext}"));
        let first = ws
            .run(&["--json", "export", &id, "-o", path_str(&path)])
            .ok()
            .json();
        assert_eq!(first["format"], ext);
        assert_eq!(first["warnings"], json!([]));
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            bytes.starts_with(magic),
            "{ext} starts as a {ext} file does"
        );
        assert_eq!(first["bytes"], json!(bytes.len()));
        // Again, with the format named and the file already there: replaced, same bytes.
        ws.run(&["export", &id, "--format", ext, "-o", path_str(&path)])
            .ok();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{ext} exports are identical"
        );
    }
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["note.docx", "note.html", "note.md", "note.pdf"],
        "no temporary files left"
    );
    let md = std::fs::read_to_string(out.join("note.md")).unwrap();
    assert!(md.contains("# Canada–US steel talks: state of play"));
    assert!(md.contains("> Nous ne signerons pas n’importe quel accord[^"));
}

#[test]
fn new_list_show_duplicate_delete() {
    let (ws, e) = seeded();
    let id = ws
        .run(&[
            "briefing",
            "new",
            "--title",
            "Lumber",
            "--date",
            "2026-11-20",
        ])
        .ok()
        .stdout
        .trim()
        .to_string();
    assert!(id.parse::<i64>().is_ok(), "new prints the id alone: {id}");
    ws.run(&[
        "briefing",
        "edit",
        &id,
        "--section",
        "background",
        "--add",
        &e[2].to_string(),
        "--group",
        "Forestry",
    ])
    .ok();
    let copy = ws
        .run(&["--json", "briefing", "duplicate", &id])
        .ok()
        .json();
    assert_eq!(copy["title"], "Lumber (copy)");
    assert_eq!(
        items(&copy, "background"),
        [(json!("Forestry"), json!(e[2]))]
    );

    let list = ws.run(&["--json", "briefing", "list"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    for field in [
        "id",
        "title",
        "title_fr",
        "marking",
        "purpose",
        "date",
        "deadline",
        "item_count",
        "updated_at",
    ] {
        assert!(list[0].get(field).is_some(), "list items have {field}");
    }
    let text = ws.run(&["briefing", "list"]).ok().stdout;
    assert!(
        text.contains("Lumber (copy)") && text.contains("UNCLASSIFIED"),
        "{text}"
    );
    let shown = ws.run(&["briefing", "show", &id]).ok().stdout;
    assert!(
        shown.contains("== Background ==") && shown.contains("[Forestry]"),
        "{shown}"
    );

    let uid = ws.run(&["--json", "briefing", "show", &id]).ok().json()["uid"].clone();
    let deleted = ws.run(&["--json", "briefing", "delete", &id]).ok().json();
    assert_eq!(
        deleted,
        json!({ "deleted": { "id": id.parse::<i64>().unwrap(), "uid": uid, "title": "Lumber" } })
    );
    let r = ws.run(&["--json", "briefing", "show", &id]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["code"], "not_found");
    assert_eq!(r.stderr.trim(), format!("error: no briefing with id {id}"));
    ws.run(&["excerpt", "show", &e[2].to_string()]).ok();
}

#[test]
fn a_deleted_excerpt_stays_in_the_note_as_a_detached_copy() {
    let (ws, e) = seeded();
    let id = ws
        .run(&["briefing", "new", "--title", "T"])
        .ok()
        .stdout
        .trim()
        .to_string();
    ws.run(&[
        "briefing",
        "edit",
        &id,
        "--section",
        "issue",
        "--add",
        &e[2].to_string(),
    ])
    .ok();
    ws.run(&["excerpt", "delete", &e[2].to_string()]).ok();
    let b = ws.run(&["--json", "briefing", "show", &id]).ok().json();
    let item = &b["sections"][1]["items"][0];
    assert_eq!(item["status"], "detached");
    assert_eq!(item["excerpt_id"], Value::Null);
    assert_eq!(item["quote"], "Nous ne signerons pas n’importe quel accord");
    assert_eq!(
        item["citation"]["title"],
        "Bois d’œuvre : Ottawa maintient le cap"
    );
    let text = ws.run(&["briefing", "show", &id]).ok().stdout;
    assert!(text.contains("DETACHED"), "{text}");

    let out = ws.dir.path().join("note.html");
    let r = ws.run(&["export", &id, "-o", path_str(&out)]).ok();
    assert!(
        r.stderr.contains("warning: Issue: item") && r.stderr.contains("deleted excerpt"),
        "the analyst is told before circulating: {}",
        r.stderr
    );
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("n’importe quel accord")
    );

    // Removed by its item id.
    let item_id = item["id"].to_string();
    let b = ws
        .run(&[
            "--json",
            "briefing",
            "edit",
            &id,
            "--section",
            "issue",
            "--remove-item",
            &item_id,
        ])
        .ok()
        .json();
    assert_eq!(items(&b, "issue"), []);
}

#[test]
fn refusals_change_nothing_and_say_why() {
    let (ws, e) = seeded();
    let id = ws
        .run(&["briefing", "new", "--title", "T"])
        .ok()
        .stdout
        .trim()
        .to_string();
    let before = ws.run(&["--json", "briefing", "show", &id]).ok().stdout;
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (
            vec![
                "briefing".into(),
                "new".into(),
                "--title".into(),
                "T".into(),
                "--marking".into(),
                "secret".into(),
            ],
            2,
            "is not a security marking",
        ),
        (
            vec![
                "briefing".into(),
                "new".into(),
                "--title".into(),
                "T".into(),
                "--purpose".into(),
                "fun".into(),
            ],
            2,
            "is not a purpose",
        ),
        (
            vec![
                "briefing".into(),
                "edit".into(),
                id.clone(),
                "--section".into(),
                "appendix".into(),
                "--text".into(),
                "x".into(),
            ],
            2,
            "is not a section",
        ),
        (
            vec![
                "briefing".into(),
                "edit".into(),
                id.clone(),
                "--add".into(),
                "1".into(),
            ],
            2,
            "required arguments were not provided",
        ),
        (
            vec![
                "briefing".into(),
                "edit".into(),
                id.clone(),
                "--section".into(),
                "issue".into(),
                "--add".into(),
                "999".into(),
                "--text".into(),
                "changed".into(),
            ],
            1,
            "no excerpt with id 999",
        ),
        (
            vec![
                "briefing".into(),
                "edit".into(),
                id.clone(),
                "--title".into(),
                " ".into(),
            ],
            1,
            "a briefing needs a title",
        ),
        (
            vec![
                "briefing".into(),
                "draft".into(),
                "zinc".into(),
                "--title".into(),
                "Z".into(),
            ],
            1,
            "no excerpt or question matches \"zinc\"",
        ),
        (
            vec![
                "briefing".into(),
                "draft".into(),
                "\"unclosed".into(),
                "--title".into(),
                "Z".into(),
            ],
            1,
            "closing quote",
        ),
        (
            vec!["export".into(), id.clone(), "-o".into(), "note.odt".into()],
            1,
            "cannot tell the format",
        ),
        (
            vec![
                "export".into(),
                id.clone(),
                "--format".into(),
                "rtf".into(),
                "-o".into(),
                "x".into(),
            ],
            2,
            "is not an export format",
        ),
        (
            vec!["export".into(), "77".into(), "-o".into(), "x.md".into()],
            1,
            "no briefing with id 77",
        ),
    ];
    for (args, code, says) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = ws.run(&args);
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(says),
            "{args:?} says {says:?}: {}",
            r.stderr
        );
    }
    assert_eq!(
        ws.run(&["--json", "briefing", "show", &id]).ok().stdout,
        before
    );
    assert_eq!(
        ws.run(&["--json", "briefing", "list"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        1,
        "no refused command created a briefing"
    );
    let _ = e;

    // An export into a folder that does not exist writes nothing anywhere.
    let missing = ws.dir.path().join("nowhere").join("note.pdf");
    let r = ws.run(&["export", &id, "-o", path_str(&missing)]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
    assert!(!missing.parent().unwrap().exists());
}
