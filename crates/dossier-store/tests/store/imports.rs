use dossier_core::{ExcerptTarget, NewSource};
use dossier_store::{ImportedText, StoreError, Stored};
use rstest::rstest;

use super::{LATER, NOW, dump, workspace};

const V1: &str = "Ottawa — Negotiators met on Tuesday.\n\n\
    Officials said that sector deals are being negotiated one by one, starting with steel.\n\n\
    Dairy remains off the table, according to a senior official.\n\n\
    The talks resume in Washington next month.";

fn imported(body: &str, origin: &str) -> ImportedText {
    ImportedText {
        source: NewSource {
            title: "Talks".into(),
            body: body.into(),
            origin: Some(origin.into()),
            ..Default::default()
        },
        format: Some("text".into()),
        ..Default::default()
    }
}

fn quote(q: &str) -> ExcerptTarget {
    ExcerptTarget::Quote {
        quote: q.into(),
        occurrence: None,
    }
}

#[test]
fn a_reimport_keeps_the_id_and_places_or_orphans_every_excerpt() {
    let (_dir, mut ws) = workspace();
    let Stored::Added(id) = ws
        .store_import(imported(V1, "/docs/talks.txt"), NOW)
        .unwrap()
    else {
        panic!("a new text is added")
    };
    let kept = ws
        .add_excerpt(id, quote("The talks resume in Washington"), "", &[], NOW)
        .unwrap();
    let changed = ws
        .add_excerpt(
            id,
            quote("sector deals are being negotiated one by one"),
            "",
            &[],
            NOW,
        )
        .unwrap();
    let gone = ws
        .add_excerpt(id, quote("Dairy remains off the table"), "why", &[], NOW)
        .unwrap();

    let v2 = format!("UPDATE: a new lead.\n\n{}", V1)
        .replace("negotiated one by one", "discussed one by one")
        .replace(
            "Dairy remains off the table, according to a senior official.\n\n",
            "",
        );
    let Stored::Reimported(outcome) = ws
        .store_import(imported(&v2, "/docs/talks.txt"), LATER)
        .unwrap()
    else {
        panic!("the same origin with new text is a re-import")
    };
    assert_eq!(outcome.source_id, id, "the source keeps its id");
    assert_eq!(
        (outcome.placed, outcome.adjusted, outcome.orphaned),
        (1, 1, 1)
    );
    assert_eq!(outcome.orphaned_ids, vec![gone.id]);
    assert_eq!(ws.get_source(id).unwrap().text, v2);

    let kept = ws.get_excerpt(kept.id).unwrap();
    assert!(
        !kept.orphaned
            && v2
                .chars()
                .skip(kept.start as usize)
                .take(5)
                .collect::<String>()
                == "The t"
    );
    let changed = ws.get_excerpt(changed.id).unwrap();
    assert_eq!(changed.quote, "sector deals are being discussed one by one");
    let orphan = ws.get_excerpt(gone.id).unwrap();
    assert!(orphan.orphaned);
    assert_eq!(
        orphan.quote, "Dairy remains off the table",
        "an orphan keeps its original quote"
    );
    assert_eq!(orphan.note, "why");

    let orphans = ws.list_orphans(None).unwrap();
    assert_eq!(
        orphans.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![gone.id]
    );

    let start = v2.chars().count() - "next month.".chars().count();
    let reattached = ws
        .reattach_excerpt(gone.id, start, start + 10, LATER)
        .unwrap();
    assert!(!reattached.orphaned);
    assert_eq!(reattached.quote, "next month");
    assert!(ws.list_orphans(Some(id)).unwrap().is_empty());
}

#[test]
fn importing_the_same_file_or_the_same_text_again_adds_nothing() {
    let (_dir, mut ws) = workspace();
    let Stored::Added(id) = ws.store_import(imported(V1, "/a.txt"), NOW).unwrap() else {
        panic!()
    };
    let before = dump(&ws);
    assert_eq!(
        ws.store_import(imported(V1, "/a.txt"), LATER).unwrap(),
        Stored::AlreadyPresent(id)
    );
    assert_eq!(
        ws.store_import(imported(V1, "/copy/b.txt"), LATER).unwrap(),
        Stored::AlreadyPresent(id)
    );
    let crlf = V1.replace('\n', "\r\n");
    assert_eq!(
        ws.store_import(imported(&crlf, "/c.txt"), LATER).unwrap(),
        Stored::AlreadyPresent(id)
    );
    assert_eq!(
        dump(&ws),
        before,
        "nothing is written for a text already present"
    );
    assert_eq!(ws.list_sources().unwrap().len(), 1);
}

#[test]
fn an_excerpt_knows_its_page() {
    let (_dir, mut ws) = workspace();
    let body = "Page one text.\n\nPage two starts here and mentions steel.\n\nPage three.";
    let mut doc = imported(body, "/r.pdf");
    doc.pages = Some(vec![0, 16, 59]);
    doc.format = Some("pdf".into());
    let Stored::Added(id) = ws.store_import(doc, NOW).unwrap() else {
        panic!()
    };
    let on_two = ws.add_excerpt(id, quote("steel"), "", &[], NOW).unwrap();
    let on_three = ws.add_excerpt(id, quote("three"), "", &[], NOW).unwrap();
    let on_one = ws.add_excerpt(id, quote("one"), "", &[], NOW).unwrap();
    assert_eq!(ws.excerpt_page(on_one.id).unwrap(), Some(1));
    assert_eq!(ws.excerpt_page(on_two.id).unwrap(), Some(2));
    assert_eq!(ws.excerpt_page(on_three.id).unwrap(), Some(3));

    let Stored::Added(plain) = ws
        .store_import(imported("No pages here.", "/n.txt"), NOW)
        .unwrap()
    else {
        panic!()
    };
    let e = ws.add_excerpt(plain, quote("pages"), "", &[], NOW).unwrap();
    assert_eq!(
        ws.excerpt_page(e.id).unwrap(),
        None,
        "text without a page map has no page"
    );
}

#[rstest]
#[case::pages_not_from_zero(Some(vec![3, 10]), Some("pdf"), "page map")]
#[case::pages_descending(Some(vec![0, 10, 5]), Some("pdf"), "page map")]
#[case::pages_past_the_end(Some(vec![0, 10_000]), Some("pdf"), "page map")]
#[case::unknown_format(None, Some("odt"), "not a format")]
fn bad_imports_write_nothing(
    #[case] pages: Option<Vec<usize>>,
    #[case] format: Option<&str>,
    #[case] message: &str,
) {
    let (_dir, mut ws) = workspace();
    let before = dump(&ws);
    let mut doc = imported(V1, "/x.pdf");
    doc.pages = pages;
    doc.format = format.map(String::from);
    let err = ws.store_import(doc, NOW).unwrap_err();
    assert!(err.to_string().contains(message), "{err}");
    assert_eq!(
        dump(&ws),
        before,
        "a refused import leaves the workspace as it was"
    );
}

#[test]
fn a_reimport_onto_another_sources_text_is_refused_and_changes_nothing() {
    let (_dir, mut ws) = workspace();
    ws.store_import(imported(V1, "/a.txt"), NOW).unwrap();
    let Stored::Added(b) = ws
        .store_import(imported("Other text entirely.", "/b.txt"), NOW)
        .unwrap()
    else {
        panic!()
    };
    ws.add_excerpt(b, quote("Other text"), "", &[], NOW)
        .unwrap();
    let before = dump(&ws);
    let err = ws
        .reimport_source(b, imported(V1, "/b.txt"), LATER)
        .unwrap_err();
    assert!(matches!(err, StoreError::DuplicateSource { .. }), "{err}");
    assert_eq!(dump(&ws), before);
}

#[test]
fn an_orphan_comes_back_when_its_passage_returns() {
    let (_dir, mut ws) = workspace();
    let Stored::Added(id) = ws.store_import(imported(V1, "/a.txt"), NOW).unwrap() else {
        panic!()
    };
    let e = ws
        .add_excerpt(id, quote("Dairy remains off the table"), "", &[], NOW)
        .unwrap();
    let without = V1.replace(
        "Dairy remains off the table, according to a senior official.\n\n",
        "",
    );
    ws.reimport_source(id, imported(&without, "/a.txt"), LATER)
        .unwrap();
    assert!(ws.get_excerpt(e.id).unwrap().orphaned);
    let back = ws
        .reimport_source(id, imported(V1, "/a.txt"), LATER)
        .unwrap();
    assert_eq!((back.placed, back.orphaned), (1, 0));
    assert!(!ws.get_excerpt(e.id).unwrap().orphaned);
}

#[test]
fn a_scan_keeps_which_pages_came_from_ocr_and_bad_ocr_pages_are_refused() {
    let (_dir, mut ws) = super::workspace();
    let mut scan = imported("Page one typed.\n\nPage two scanned.", "/scans/letter.pdf");
    scan.format = Some("pdf".into());
    scan.pages = Some(vec![0, 17]);
    scan.ocr = Some(dossier_core::OcrInfo {
        pages: vec![2],
        confidence: 0.93,
    });
    let id = match ws.store_import(scan.clone(), super::NOW).unwrap() {
        dossier_store::Stored::Added(id) => id,
        other => panic!("{other:?}"),
    };
    let source = ws.get_source(id).unwrap();
    assert_eq!(source.format.as_deref(), Some("pdf"));
    assert_eq!(source.pages, Some(vec![0, 17]));
    assert_eq!(source.ocr.as_ref().unwrap().pages, [2]);
    let json = serde_json::to_value(&source).unwrap();
    assert_eq!(
        json["ocr"],
        serde_json::json!({"pages": [2], "confidence": 0.93})
    );

    // A page beyond the page map is refused, and nothing is written.
    let mut bad = imported("Another letter entirely.", "/scans/other.pdf");
    bad.pages = Some(vec![0]);
    bad.ocr = Some(dossier_core::OcrInfo {
        pages: vec![3],
        confidence: 0.9,
    });
    let before = ws.list_sources().unwrap().len();
    let err = ws.store_import(bad, super::NOW).unwrap_err();
    assert!(err.to_string().contains("OCR pages"), "{err}");
    assert_eq!(ws.list_sources().unwrap().len(), before);

    // A re-import whose new version has no scanned page clears the mark.
    let mut typed = scan;
    typed.source.body = "Page one typed.\n\nPage two typed now.".into();
    typed.ocr = None;
    ws.reimport_source(id, typed, super::NOW).unwrap();
    assert_eq!(ws.get_source(id).unwrap().ocr, None);
}
