use dossier_core::text::slice_chars;
use dossier_core::{ExcerptPatch, ExcerptTarget};
use dossier_store::AlongWith;
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
                ..Default::default()
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

fn tags(paths: &[&str]) -> Vec<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

#[test]
fn an_excerpt_with_a_question_adds_both_linked() {
    let (_d, mut ws) = workspace();
    let id = ws.add_source(source("Mixed", MIXED), NOW).unwrap().id;
    let e = ws
        .add_excerpt_with_question(
            id,
            quote("关税谈判"),
            "note",
            &tags(&["sector/steel"]),
            AlongWith {
                question: Some("  Who leads the talks?  "),
                marking: None,
            },
            NOW,
        )
        .unwrap();
    let questions = ws.list_followups(None).unwrap();
    assert_eq!(questions.len(), 1, "one question was asked");
    assert_eq!(questions[0].text, "Who leads the talks?");
    assert_eq!(
        questions[0].excerpt_ids,
        [e.id],
        "the question concerns the new excerpt"
    );
    assert_eq!(e.tags, ["sector/steel"]);
}

#[rstest]
#[case::none(None)]
#[case::blank(Some("   "))]
fn a_blank_question_adds_the_excerpt_alone(#[case] question: Option<&str>) {
    let (_d, mut ws) = workspace();
    let id = ws.add_source(source("Mixed", MIXED), NOW).unwrap().id;
    ws.add_excerpt_with_question(
        id,
        quote("关税谈判"),
        "",
        &[],
        AlongWith {
            question,
            marking: None,
        },
        NOW,
    )
    .unwrap();
    assert_eq!(
        ws.list_excerpts(&ExcerptFilter::default()).unwrap().len(),
        1
    );
    assert!(
        ws.list_followups(None).unwrap().is_empty(),
        "no empty question is made"
    );
}

#[test]
fn an_excerpt_with_a_question_is_all_or_nothing() {
    let (_d, mut ws) = workspace();
    let id = ws.add_source(source("Mixed", MIXED), NOW).unwrap().id;
    let before = dump(&ws);
    // A bad tag fails after the excerpt row is written: nothing may stay.
    assert!(
        ws.add_excerpt_with_question(
            id,
            quote("关税谈判"),
            "",
            &tags(&["bad//tag"]),
            AlongWith {
                question: Some("Why?"),
                marking: None
            },
            NOW
        )
        .is_err()
    );
    assert_eq!(
        dump(&ws),
        before,
        "a refused tag leaves no excerpt and no question"
    );
    // A bad anchor fails before the question: nothing either.
    assert!(
        ws.add_excerpt_with_question(
            id,
            quote("aluminium"),
            "",
            &[],
            AlongWith {
                question: Some("Why?"),
                marking: None
            },
            NOW
        )
        .is_err()
    );
    assert_eq!(dump(&ws), before, "a refused anchor leaves no question");
}

/// A source with one excerpt (two tags), a question about it and an answer it supports.
fn with_linked_excerpt() -> (tempfile::TempDir, dossier_store::Workspace, i64, i64, i64) {
    let (d, mut ws) = workspace();
    let source_id = ws.add_source(source("Mixed", MIXED), NOW).unwrap().id;
    let e = ws
        .add_excerpt_with_question(
            source_id,
            quote("关税谈判"),
            "**why** it matters",
            &tags(&["sector/steel", "instrument/quota"]),
            AlongWith {
                question: Some("Who leads the talks?"),
                marking: None,
            },
            NOW,
        )
        .unwrap();
    let asked = ws.list_followups(None).unwrap()[0].id;
    let answered = ws
        .add_followup(
            dossier_core::NewFollowUp {
                text: "Are talks going on?".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap()
        .id;
    ws.answer_followup(answered, "Yes", &[e.id], NOW).unwrap();
    (d, ws, e.id, asked, answered)
}

#[test]
fn a_deleted_excerpt_is_restored_whole_under_its_id() {
    let (_d, mut ws, id, asked, answered) = with_linked_excerpt();
    let before = ws.get_excerpt(id).unwrap();
    let deleted = ws.delete_excerpt(id).unwrap();
    assert_eq!(
        deleted.excerpt, before,
        "the snapshot is the excerpt as it was"
    );
    assert_eq!(deleted.followup_ids, [asked]);
    assert_eq!(deleted.answer_followup_ids, [answered]);
    assert!(ws.get_followup(asked).unwrap().excerpt_ids.is_empty());

    let restored = ws.restore_excerpt(&deleted, super::LATER).unwrap();
    assert_eq!(restored.id, id, "the old id is free, so it is reused");
    assert_eq!(restored.uid, before.uid, "and so is its global id");
    assert_eq!(
        (
            &restored.quote,
            restored.start,
            restored.end,
            &restored.note,
            &restored.tags
        ),
        (
            &before.quote,
            before.start,
            before.end,
            &before.note,
            &before.tags
        ),
        "same place, note and tags (in order)"
    );
    assert_eq!(restored.created_at, before.created_at, "it keeps its age");
    assert_eq!(ws.get_followup(asked).unwrap().excerpt_ids, [id]);
    assert_eq!(
        ws.get_followup(answered).unwrap().answer_excerpt_ids,
        [id],
        "evidence for an answer comes back as evidence, not as a question"
    );
    let found = ws.search("关税谈判", &Default::default()).unwrap();
    assert!(
        found
            .results
            .iter()
            .any(|h| h.kind == dossier_core::query::ItemKind::Excerpt && h.id == id),
        "the restored excerpt is searchable again"
    );
}

#[test]
fn a_restore_takes_a_new_id_when_the_old_one_is_taken_and_skips_deleted_followups() {
    let (_d, mut ws, id, asked, answered) = with_linked_excerpt();
    let deleted = ws.delete_excerpt(id).unwrap();
    ws.delete_followup(asked).unwrap();
    // The next excerpt takes the freed id.
    let source_id = deleted.excerpt.source_id;
    let other = ws
        .add_excerpt(source_id, quote("שלום עולם"), "", &[], NOW)
        .unwrap();
    assert_eq!(other.id, id, "SQLite reuses the highest freed id");

    let restored = ws.restore_excerpt(&deleted, super::LATER).unwrap();
    assert_ne!(restored.id, id);
    assert_eq!(
        restored.uid, deleted.excerpt.uid,
        "its global id was still free"
    );
    assert_ne!(restored.uid, other.uid);
    assert_eq!(restored.quote, deleted.excerpt.quote);
    assert_eq!(
        ws.get_followup(answered).unwrap().answer_excerpt_ids,
        [restored.id]
    );
    assert!(matches!(
        ws.get_followup(asked),
        Err(StoreError::FollowUpNotFound(_))
    ));

    // Restored twice (an id handed back again): the second copy cannot share the uid.
    let twice = ws.restore_excerpt(&deleted, super::LATER).unwrap();
    assert_ne!(twice.uid, restored.uid);
    assert!(!twice.uid.is_empty());
    // Handed back without one (an older caller): it gets a fresh one.
    let mut bare = ws.delete_excerpt(twice.id).unwrap();
    bare.excerpt.uid = String::new();
    let fresh = ws.restore_excerpt(&bare, super::LATER).unwrap();
    assert_eq!(fresh.uid.len(), 36, "{}", fresh.uid);
}

#[test]
fn a_restore_is_refused_when_the_source_text_moved() {
    let (_d, mut ws, id, _, _) = with_linked_excerpt();
    let deleted = ws.delete_excerpt(id).unwrap();
    // The text changed under the range (a re-import would do this).
    ws.conn()
        .execute(
            "UPDATE source SET body = 'Nouveau: ' || body WHERE id = ?1",
            [deleted.excerpt.source_id],
        )
        .unwrap();
    let before = dump(&ws);
    let e = ws.restore_excerpt(&deleted, super::LATER).unwrap_err();
    assert!(
        e.to_string().contains("no longer hold its quote"),
        "the refusal says why: {e}"
    );
    assert_eq!(
        dump(&ws),
        before,
        "nothing was anchored to the wrong passage"
    );
}

#[test]
fn a_restore_is_refused_when_the_source_is_gone() {
    let (_d, mut ws, id, _, _) = with_linked_excerpt();
    let deleted = ws.delete_excerpt(id).unwrap();
    ws.delete_source(deleted.excerpt.source_id).unwrap();
    assert!(matches!(
        ws.restore_excerpt(&deleted, super::LATER),
        Err(StoreError::SourceNotFound(_))
    ));
}
