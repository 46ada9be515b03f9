use std::collections::BTreeMap;

use dossier_core::briefing::{Contact, Decision, DecisionOutcome, Marking, NewBriefing, Purpose};
use dossier_core::text::slice_chars;
use dossier_core::{ExcerptTarget, NewSource, OcrInfo};
use dossier_store::archive::{self, Archive};
use dossier_store::imports::ImportedText;
use dossier_store::search::SearchOptions;
use dossier_store::{ExcerptFilter, SCHEMA_VERSION, Workspace, sample, web_annotation};
use serde_json::{Value, json};

use super::{NOW, dump};

/// A workspace with a row in every table and a value in every column that can hold one: the
/// sample workspace, plus what it lacks — a saved search, an imported PDF with its page map, a
/// briefing with every field, a drafted briefing with grouped items, an item whose excerpt was
/// deleted (frozen), an orphaned excerpt and section text.
fn full_workspace(dir: &std::path::Path) -> Workspace {
    let mut ws = Workspace::open(&dir.join("full.sqlite")).unwrap();
    sample::load(&mut ws, NOW).unwrap();
    ws.save_search_alert("Steel watch", "#steel -#autos", true, NOW)
        .unwrap();
    // A split is the analyst's decision and travels with the archive.
    ws.split_source(1, NOW).unwrap();
    let pdf = ws
        .store_import(
            ImportedText {
                source: NewSource {
                    title: "Tariff schedule (PDF)".into(),
                    outlet: Some("Finance Canada".into()),
                    authors: vec!["Tariff Policy Division".into()],
                    published: Some("2025-04-02".into()),
                    url: Some("https://example.org/schedule.pdf".into()),
                    lang: Some("en".into()),
                    notes: "Two pages.".into(),
                    origin: Some("/home/analyst/schedule.pdf".into()),
                    tags: vec!["instrument/tariff".into()],
                    body: "Page one lists steel.\nPage two lists aluminum and the quota.\n".into(),
                    marking: Marking::ProtectedB,
                },
                pages: Some(vec![0, 22]),
                format: Some("pdf".into()),
                retrieved_at: Some("2026-11-25T08:00:00Z".into()),
                ocr: Some(OcrInfo {
                    pages: vec![2],
                    confidence: 0.91,
                }),
                // A blob in the archive: the round trip must carry the original too.
                original: Some(dossier_store::Original::new(
                    b"%PDF-1.4 Page one lists steel. Page two lists aluminum.".to_vec(),
                )),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    let dossier_store::Stored::Added(pdf) = pdf else {
        panic!("the PDF is new: {pdf:?}")
    };
    let kept = ws
        .add_excerpt(
            pdf,
            ExcerptTarget::Quote {
                quote: "aluminum and the quota".into(),
                occurrence: None,
            },
            "Quota on page two.",
            &["sector/aluminum".into()],
            NOW,
        )
        .unwrap();
    // Marked lower than its source, so the archive carries an excerpt's own marking too.
    ws.edit_excerpt(
        kept.id,
        dossier_core::ExcerptPatch {
            marking: Some(Marking::ProtectedA),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    let doomed = ws
        .add_excerpt(
            pdf,
            ExcerptTarget::Quote {
                quote: "lists steel".into(),
                occurrence: None,
            },
            "Will be deleted after it is briefed.",
            &["sector/steel".into()],
            NOW,
        )
        .unwrap();
    ws.add_followup(
        dossier_core::NewFollowUp {
            text: "Does the schedule's quota apply from January?".into(),
            excerpt_ids: vec![kept.id],
            source_ids: vec![pdf],
            tags: vec!["instrument/quota".into(), "sector/aluminum".into()],
            due: Some("2026-12-15".into()),
            owner: Some("Sam Park".into()),
        },
        NOW,
    )
    .unwrap();
    let fields = NewBriefing {
        title: "Steel and aluminum: where the talks stand".into(),
        title_fr: Some("Acier et aluminium : où en sont les pourparlers".into()),
        lang: dossier_core::Lang::Fr,
        marking: Marking::ProtectedA,
        addressee: Some("Minister of International Trade".into()),
        file_number: Some("BN-2026-0042".into()),
        date: Some("2026-11-26".into()),
        purpose: Purpose::Decision,
        deadline: Some("2026-12-01".into()),
        prepared_by: Contact {
            name: Some("Jeanne Roy".into()),
            title: Some("Senior Policy Analyst".into()),
            phone: Some("613-555-0100".into()),
        },
        approved_by: Contact {
            name: Some("Sam Park".into()),
            title: Some("Director General".into()),
            phone: Some("613-555-0199".into()),
        },
        decision: Decision {
            maker: Some("Minister of International Trade".into()),
            outcome: Some(DecisionOutcome::ApprovedWithChanges),
            decided_on: Some("2026-11-30".into()),
            comments: Some("Proceed, steel first.".into()),
        },
    };
    ws.create_briefing(&fields, NOW).unwrap();
    let open: Vec<i64> = ws
        .list_followups(None)
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    let draft = ws
        .draft_briefing(&[kept.id, doomed.id, 1, 2], &open, &fields, NOW)
        .unwrap();
    ws.conn()
        .execute(
            "INSERT INTO briefing_section (briefing_id, section, text) VALUES (?1, 'summary', 'Steel **first**.')",
            [draft.id],
        )
        .unwrap();
    // A second version of the PDF, so the versions table holds a re-import's summary.
    ws.reimport_source(
        pdf,
        ImportedText {
            source: NewSource {
                body:
                    "Page one lists steel.\nPage two lists aluminum and the quota, from January.\n"
                        .into(),
                origin: Some("/home/analyst/schedule.pdf".into()),
                ..Default::default()
            },
            pages: Some(vec![0, 22]),
            format: Some("pdf".into()),
            ocr: Some(OcrInfo {
                pages: vec![2],
                confidence: 0.88,
            }),
            original: Some(dossier_store::Original::new(
                b"%PDF-1.4 Page two lists aluminum and the quota, from January.".to_vec(),
            )),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    ws.delete_excerpt(doomed.id).unwrap();
    ws.conn()
        .execute("UPDATE excerpt SET orphaned = 1 WHERE id = 3", [])
        .unwrap();
    // A feed with every polling column set, and a kept entry pointing at the PDF's source.
    ws.conn()
        .execute_batch(&format!(
            "INSERT INTO feed (id, uid, url, title, tags, every_minutes, full_text, auto_query, etag,
                 last_modified, last_polled, next_poll, last_error, failures, created_at, updated_at)
             VALUES (1, 'f1', 'https://example.test/feed.xml', 'Trade desk', '[\"sector/steel\"]', 30, 1,
                 'tariff OR #steel', '\"v1\"', 'Sat, 14 Mar 2026 09:00:00 GMT', '{NOW}', '{NOW}',
                 'the server answered 503', 1, '{NOW}', '{NOW}');
             INSERT INTO feed_entry (uid, feed_id, entry_key, title, link, published, summary, status,
                 source_id, seen_at, updated_at)
             VALUES ('e1', 1, 'urn:e1', 'Schedule', 'https://example.test/e1', '{NOW}', 'Plain text.',
                 'kept', {pdf}, '{NOW}', '{NOW}');"
        ))
        .unwrap();
    ws
}

/// Everything the workspace shows through its own API, for a comparison that does not go
/// through the archive code at all.
fn everything(ws: &Workspace) -> Value {
    let sources: Vec<_> = ws
        .list_sources()
        .unwrap()
        .iter()
        .map(|s| ws.get_source(s.id).unwrap())
        .collect();
    let briefings: Vec<_> = ws
        .list_briefings()
        .unwrap()
        .iter()
        .map(|b| ws.get_briefing(b.id).unwrap())
        .collect();
    let pages: Vec<_> = ws
        .list_sources()
        .unwrap()
        .iter()
        .map(|s| dossier_store::imports::pages(ws.conn(), s.id).unwrap())
        .collect();
    json!({
        "sources": sources,
        "pages": pages,
        "excerpts": ws.list_excerpts(&ExcerptFilter::default()).unwrap(),
        "orphans": ws.list_orphans(None).unwrap(),
        "tags": ws.list_tags().unwrap(),
        "followups": ws.list_followups(None).unwrap(),
        "saved_searches": ws.saved_searches().unwrap(),
        "briefings": briefings,
        "search": ws.search("steel OR acier", &SearchOptions::default()).unwrap(),
        "versions": ws.list_sources().unwrap().iter()
            .map(|s| ws.source_versions(s.id).unwrap()).collect::<Vec<_>>(),
        "originals": ws.list_sources().unwrap().iter()
            .map(|s| ws.source_original(s.id, None).ok().map(|o| o.bytes)).collect::<Vec<_>>(),
    })
}

#[test]
fn the_fixture_fills_every_table_and_every_column() {
    let dir = tempfile::tempdir().unwrap();
    let ws = full_workspace(dir.path());
    let a = archive::export(&ws, NOW).unwrap();
    let mut empty = Vec::new();
    for (table, rows) in &a.tables {
        if rows.is_empty() {
            empty.push(format!("table {table} has no rows"));
            continue;
        }
        let mut filled: BTreeMap<&str, bool> = BTreeMap::new();
        for row in rows {
            for (col, v) in row {
                *filled.entry(col.as_str()).or_default() |= !v.is_null();
            }
        }
        for (col, any) in filled {
            if !any {
                empty.push(format!("{table}.{col} is null in every row"));
            }
        }
    }
    assert!(
        empty.is_empty(),
        "the round trip only proves what the fixture holds; fill these in `full_workspace`: {empty:#?}"
    );
}

#[test]
fn a_round_trip_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = full_workspace(dir.path());
    let file = dir.path().join("full.json");
    let exported = archive::export_to_file(&ws, &file, NOW).unwrap();
    assert_eq!(exported.schema_version, *SCHEMA_VERSION);
    assert!(exported.rows > 100, "{exported:?}");

    let read = archive::read_file(&file).unwrap();
    let copy_path = dir.path().join("copy.sqlite");
    let imported = archive::import_into_new(&copy_path, &read).unwrap();
    assert_eq!(imported.counts, exported.counts);
    let copy = Workspace::open(&copy_path).unwrap();

    let before = archive::export(&ws, NOW).unwrap();
    let after = archive::export(&copy, NOW).unwrap();
    for (table, rows) in &before.tables {
        assert_eq!(
            after.tables.get(table),
            Some(rows),
            "every row and every field of {table} survives the round trip"
        );
    }
    assert_eq!(before, after, "no table more or less");
    assert_eq!(
        everything(&copy),
        everything(&ws),
        "the workspace reads back the same through its own API (ids, times, tags, links, answers, briefings, page maps, search)"
    );
}

#[test]
fn an_empty_workspace_takes_an_archive_and_a_used_one_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let full = full_workspace(dir.path());
    let a = archive::export(&full, NOW).unwrap();

    let (_d, mut fresh) = super::workspace();
    assert!(archive::is_empty(&fresh).unwrap());
    archive::import(&mut fresh, &a).unwrap();
    assert_eq!(everything(&fresh), everything(&full));

    let (_d2, mut used) = super::workspace();
    used.add_tag("theme/mine", Default::default(), NOW).unwrap();
    assert!(
        !archive::is_empty(&used).unwrap(),
        "a tag of the analyst's own makes a workspace not empty"
    );
    let before = dump(&used);
    let err = archive::import(&mut used, &a).unwrap_err();
    assert!(err.to_string().contains("--into-new"), "{err}");
    assert_eq!(dump(&used), before, "a refused import changes nothing");
}

fn small_archive() -> Archive {
    serde_json::from_value(json!({
        "format": "dossier-archive", "version": 1, "schema_version": 1,
        "exported_at": NOW,
        "tables": {
            "source": [{ "id": 7, "title": "Old layout", "authors": "[]",
                         "captured_at": NOW, "updated_at": NOW,
                         "body": "Text from schema one about lumber.", "content_hash": "h7" }],
            "excerpt": [{ "id": 3, "source_id": 7, "quote": "lumber", "start": 27, "end": 33,
                          "created_at": NOW, "updated_at": NOW }]
        }
    }))
    .unwrap()
}

#[test]
fn an_archive_of_an_older_schema_is_brought_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite");
    let imported = archive::import_into_new(&path, &small_archive()).unwrap();
    assert_eq!(imported.archive_schema_version, 1);
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.get_excerpt(3).unwrap().source_id, 7);
    assert_eq!(
        ws.search("lumber", &SearchOptions::default())
            .unwrap()
            .total,
        2,
        "the search index is rebuilt from the imported rows"
    );
    let (_d, fresh) = super::workspace();
    let paths = |ws: &Workspace| -> Vec<String> {
        ws.list_tags()
            .unwrap()
            .into_iter()
            .map(|t| t.path)
            .collect()
    };
    assert_eq!(
        paths(&ws),
        paths(&fresh),
        "the archive had no tags; the starting taxonomy arrives with migration 2, as it would for a workspace file of schema 1"
    );
}

#[test]
fn bad_archives_are_refused_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Archive, &str)> = vec![
        (
            "newer schema",
            {
                let mut a = small_archive();
                a.schema_version = *SCHEMA_VERSION + 1;
                a
            },
            "newer version of Dossier",
        ),
        (
            "other format",
            {
                let mut a = small_archive();
                a.format = "something-else".into();
                a
            },
            "not a Dossier archive",
        ),
        (
            "dangling excerpt",
            {
                let mut a = small_archive();
                a.tables.get_mut("excerpt").unwrap()[0]["source_id"] = json!(99);
                a
            },
            "inconsistent",
        ),
        (
            "unknown table",
            {
                let mut a = small_archive();
                a.tables.insert("gossip".into(), vec![]);
                a
            },
            "\"gossip\"",
        ),
        (
            "unknown column",
            {
                let mut a = small_archive();
                a.tables.get_mut("source").unwrap()[0].insert("mood".into(), json!("glum"));
                a
            },
            "\"mood\"",
        ),
        (
            "wrong type",
            {
                let mut a = small_archive();
                a.tables.get_mut("excerpt").unwrap()[0]["start"] = json!("early");
                a
            },
            "cannot be stored",
        ),
        (
            "broken constraint",
            {
                let mut a = small_archive();
                a.tables.get_mut("excerpt").unwrap()[0]["end"] = json!(2);
                a
            },
            "cannot be stored",
        ),
    ];
    for (name, bad, message) in cases {
        let path = dir.path().join(format!("{name}.sqlite"));
        let err = archive::import_into_new(&path, &bad).unwrap_err();
        assert!(err.to_string().contains(message), "{name}: {err}");
        assert!(
            err.to_string().contains("nothing was imported"),
            "{name}: {err}"
        );
        assert!(!path.exists(), "{name}: no workspace is left behind");
    }
    let not_json = dir.path().join("notes.json");
    std::fs::write(&not_json, "{ \"format\": ").unwrap();
    let err = archive::read_file(&not_json).unwrap_err();
    assert!(err.to_string().contains("not a Dossier archive"), "{err}");
}

#[test]
fn excerpts_export_as_w3c_web_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let ws = full_workspace(dir.path());
    let c = web_annotation::collection(&ws, None).unwrap();
    assert_eq!(c["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(c["type"], "AnnotationCollection");
    let items = c["first"]["items"].as_array().unwrap();
    let excerpts = ws.list_excerpts(&ExcerptFilter::default()).unwrap();
    assert_eq!(items.len(), excerpts.len());
    assert_eq!(c["total"], excerpts.len());
    for (a, e) in items.iter().zip(&excerpts) {
        let source = ws.get_source(e.source_id).unwrap();
        assert_eq!(a["@context"], "http://www.w3.org/ns/anno.jsonld");
        assert_eq!(a["type"], "Annotation");
        assert_eq!(a["id"], format!("urn:x-dossier:excerpt:{}", e.id));
        assert_eq!(a["created"], e.created_at.as_str());
        assert_eq!(a["modified"], e.updated_at.as_str());
        let expected_source = source
            .summary
            .url
            .clone()
            .unwrap_or_else(|| format!("urn:x-dossier:source:{}", e.source_id));
        assert_eq!(a["target"]["source"], expected_source.as_str());
        let selectors = a["target"]["selector"].as_array().unwrap();
        let quote = &selectors[0];
        assert_eq!(quote["type"], "TextQuoteSelector");
        assert_eq!(quote["exact"], e.quote.as_str());
        assert_eq!(quote["prefix"], e.prefix.as_str());
        assert_eq!(quote["suffix"], e.suffix.as_str());
        if e.orphaned {
            assert_eq!(
                selectors.len(),
                1,
                "an orphan's offsets no longer describe its source: no position selector"
            );
        } else {
            let pos = &selectors[1];
            assert_eq!(pos["type"], "TextPositionSelector");
            let (start, end) = (pos["start"].as_u64().unwrap(), pos["end"].as_u64().unwrap());
            assert_eq!(
                slice_chars(&source.text, start as usize, end as usize),
                Some(e.quote.as_str()),
                "positions count code points of the stored text"
            );
        }
        let bodies = a["body"].as_array().cloned().unwrap_or_default();
        let tags: Vec<&str> = bodies
            .iter()
            .filter(|b| b["purpose"] == "tagging")
            .map(|b| b["value"].as_str().unwrap())
            .collect();
        assert_eq!(tags, e.tags, "tags in order, as tagging bodies");
        let notes: Vec<&Value> = bodies
            .iter()
            .filter(|b| b["purpose"] == "commenting")
            .collect();
        if e.note.is_empty() {
            assert!(notes.is_empty());
            assert_eq!(a["motivation"], "highlighting");
        } else {
            assert_eq!(notes.len(), 1);
            assert_eq!(notes[0]["type"], "TextualBody");
            assert_eq!(notes[0]["format"], "text/markdown");
            assert_eq!(notes[0]["value"], e.note.as_str());
            assert_eq!(a["motivation"], "commenting");
        }
    }
    let one = web_annotation::collection(&ws, Some(1)).unwrap();
    assert!(
        one["first"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["target"]["source"] == "https://example.org/northern-wire/sector-talks"),
        "--source keeps one source's excerpts"
    );
}
