use dossier_core::text::slice_chars;
use dossier_core::{ExcerptPatch, ExcerptTarget};
use dossier_store::{ExcerptFilter, StoreError};
use rstest::rstest;

use super::{NOW, dump, source, workspace};

const MIXED: &str = "Intro 🇨🇦😀 Le règlement sur l’acier. 关税谈判 继续。 שלום עולם والرسوم الجمركية. Le règlement revient.";

fn quote(q: &str) -> ExcerptTarget {
    ExcerptTarget::Quote {
        quote: q.into(),
        occurrence: None,
    }
}

#[rstest]
#[case::after_emoji("Le règlement sur l’acier")]
#[case::cjk("关税谈判")]
#[case::hebrew("שלום עולם")]
#[case::arabic("والرسوم الجمركية")]
#[case::flag_emoji("🇨🇦😀")]
fn offsets_count_code_points_and_slice_back_to_the_quote(#[case] q: &str) {
    let (_d, mut ws) = workspace();
    let id = ws.add_source(source("Mixed", MIXED), NOW).unwrap().id;
    let e = ws.add_excerpt(id, quote(q), "", &[], NOW).unwrap();
    let body = ws.get_source(id).unwrap().text;
    assert_eq!(
        slice_chars(&body, e.start as usize, e.end as usize),
        Some(q)
    );
    assert_eq!((e.end - e.start) as usize, q.chars().count());
    assert!(e.prefix.chars().count() <= 32 && e.suffix.chars().count() <= 32);
    let by_range = ws
        .add_excerpt(
            id,
            ExcerptTarget::Range {
                start: e.start as usize,
                end: e.end as usize,
            },
            "",
            &[],
            NOW,
        )
        .unwrap();
    assert_eq!(by_range.quote, q, "a range gives back the same quote");
}

#[rstest]
#[case::absent(quote("aluminium"), "does not occur")]
#[case::ambiguous(quote("Le règlement"), "occurs 2 times")]
#[case::occurrence_too_high(ExcerptTarget::Quote { quote: "Le règlement".into(), occurrence: Some(3) }, "occurs 2 time")]
#[case::range_outside(ExcerptTarget::Range { start: 10, end: 100_000 }, "not inside")]
#[case::range_empty(ExcerptTarget::Range { start: 10, end: 10 }, "empty or reversed")]
fn bad_anchors_are_refused_and_nothing_is_written(
    #[case] target: ExcerptTarget,
    #[case] message: &str,
) {
    let (_d, mut ws) = workspace();
    let id = ws.add_source(source("Mixed", MIXED), NOW).unwrap().id;
    let before = dump(&ws);
    let err = ws
        .add_excerpt(id, target, "note", &["sector/steel".into()], NOW)
        .unwrap_err();
    assert!(err.to_string().contains(message), "{err}");
    assert_eq!(dump(&ws), before);
}

#[test]
fn the_second_occurrence_can_be_chosen() {
    let (_d, mut ws) = workspace();
    let id = ws.add_source(source("Mixed", MIXED), NOW).unwrap().id;
    let e = ws
        .add_excerpt(
            id,
            ExcerptTarget::Quote {
                quote: "Le règlement".into(),
                occurrence: Some(2),
            },
            "",
            &[],
            NOW,
        )
        .unwrap();
    assert!(e.suffix.starts_with(" revient"), "second occurrence: {e:?}");
}

#[test]
fn tags_keep_their_order_and_filter_includes_descendants() {
    let (_d, mut ws) = workspace();
    let id = ws
        .add_source(source("S", "Steel and aluminum quotas."), NOW)
        .unwrap()
        .id;
    let e = ws
        .add_excerpt(
            id,
            quote("Steel"),
            "Why it matters",
            &["acier".into(), "instrument/quota".into()],
            NOW,
        )
        .unwrap();
    assert_eq!(
        e.tags,
        ["sector/steel", "instrument/quota"],
        "resolved by French alias, in order"
    );
    let e2 = ws
        .add_excerpt(
            id,
            quote("aluminum"),
            "",
            &["sector/aluminum/primary".into()],
            NOW,
        )
        .unwrap();
    assert_eq!(
        e2.tags,
        ["sector/aluminum/primary"],
        "a new path is created under its parent"
    );
    let under_sector = ws
        .list_excerpts(&ExcerptFilter {
            tag: Some("sector".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        under_sector.iter().map(|e| e.id).collect::<Vec<_>>(),
        [e.id, e2.id]
    );
    let edited = ws
        .edit_excerpt(
            e.id,
            ExcerptPatch {
                note: Some("New".into()),
                add_tags: vec![],
                remove_tags: vec!["steel".into()],
            },
            super::LATER,
        )
        .unwrap();
    assert_eq!(
        (edited.note.as_str(), edited.tags.as_slice()),
        ("New", &["instrument/quota".to_string()][..])
    );
    assert_eq!(edited.updated_at, super::LATER);
}

#[test]
fn unknown_ids_are_reported() {
    let (_d, mut ws) = workspace();
    assert!(matches!(
        ws.add_excerpt(42, quote("x"), "", &[], NOW),
        Err(StoreError::SourceNotFound(42))
    ));
    assert!(matches!(
        ws.delete_excerpt(7),
        Err(StoreError::ExcerptNotFound(7))
    ));
}
