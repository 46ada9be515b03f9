use dossier_core::{NewSource, SourcePatch};
use dossier_store::StoreError;

use super::{NOW, dump, source, workspace};

#[test]
fn a_source_is_normalized_once_and_listed_without_text() {
    let (_d, mut ws) = workspace();
    let new = NewSource {
        title: "  Steel talks resume ".into(),
        outlet: Some("Wire".into()),
        authors: vec!["A. Writer".into(), " ".into()],
        published: Some("2025-03-14".into()),
        lang: Some("EN".into()),
        body: "\u{feff}Line one\r\nE\u{301}nergie\rend".into(),
        tags: vec!["sector/steel".into()],
        ..Default::default()
    };
    let id = ws.add_source(new, NOW).unwrap().id;
    let s = ws.get_source(id).unwrap();
    assert_eq!(
        s.text, "Line one\nÉnergie\nend",
        "BOM dropped, \\n endings, NFC"
    );
    assert_eq!(s.summary.title, "Steel talks resume");
    assert_eq!(s.summary.authors, ["A. Writer"], "blank author dropped");
    assert_eq!(s.summary.lang.as_deref(), Some("en"));
    assert_eq!(s.summary.tags, ["sector/steel"]);
    assert_eq!(s.summary.captured_at, NOW);
    let listed = ws.list_sources().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], s.summary);
}

#[test]
fn the_same_text_is_not_kept_twice() {
    let (_d, mut ws) = workspace();
    let id = ws
        .add_source(source("First", "Le règlement\n"), NOW)
        .unwrap()
        .id;
    let before = dump(&ws);
    let err = ws
        .add_source(source("Again", "Le re\u{300}glement\r\n"), NOW)
        .unwrap_err();
    match &err {
        StoreError::DuplicateSource { existing_id, .. } => assert_eq!(*existing_id, id),
        other => panic!("expected a duplicate, got {other}"),
    }
    assert!(err.to_string().contains(&format!("source {id}")), "{err}");
    assert_eq!(dump(&ws), before);
}

#[test]
fn missing_title_is_guessed_from_the_text() {
    let (_d, mut ws) = workspace();
    let id = ws
        .add_source(source("", "\n# Lumber duties rise\n\nBody."), NOW)
        .unwrap()
        .id;
    assert_eq!(
        ws.get_source(id).unwrap().summary.title,
        "Lumber duties rise"
    );
}

#[rstest::rstest]
#[case::empty_text(source("T", " \n\t"), "empty")]
#[case::bad_date(NewSource { published: Some("2025-02-30".into()), ..source("T", "x") }, "not a date")]
#[case::bad_lang(NewSource { lang: Some("english!".into()), ..source("T", "x") }, "language code")]
#[case::bad_tag(NewSource { tags: vec!["bad tag".into()], ..source("T", "x") }, "contains")]
fn bad_sources_are_refused_and_nothing_is_written(#[case] new: NewSource, #[case] message: &str) {
    let (_d, mut ws) = workspace();
    let before = dump(&ws);
    let err = ws.add_source(new, NOW).unwrap_err();
    assert!(err.to_string().contains(message), "{err}");
    assert_eq!(dump(&ws), before, "a refused source leaves no trace");
}

#[test]
fn editing_metadata_and_deleting_cascades() {
    let (_d, mut ws) = workspace();
    let id = ws
        .add_source(source("T", "Alpha beta gamma."), NOW)
        .unwrap()
        .id;
    ws.add_excerpt(
        id,
        dossier_core::ExcerptTarget::Quote {
            quote: "beta".into(),
            occurrence: None,
        },
        "",
        &[],
        NOW,
    )
    .unwrap();
    let patch = SourcePatch {
        outlet: Some("Gazette".into()),
        published: Some("".into()),
        ..Default::default()
    };
    let s = ws.edit_source(id, patch, super::LATER).unwrap();
    assert_eq!(s.summary.outlet.as_deref(), Some("Gazette"));
    assert_eq!(s.updated_at, super::LATER);
    let deleted = ws.delete_source(id).unwrap();
    assert_eq!(deleted.excerpts, 1);
    let left: i64 = ws
        .conn()
        .query_row("SELECT count(*) FROM excerpt", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "excerpts go with their source");
    assert!(matches!(
        ws.get_source(id),
        Err(StoreError::SourceNotFound(_))
    ));
}
