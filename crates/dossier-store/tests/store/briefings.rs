use dossier_core::briefing::{
    BriefingPatch, ContactPatch, DecisionOutcome, DecisionPatch, ItemStatus, Marking, NewBriefing,
    Purpose, SectionKind, SectionPatch,
};
use dossier_core::{ExcerptTarget, NewFollowUp, NewSource};
use dossier_store::{StoreError, Workspace};
use rstest::rstest;

use super::{LATER, NOW, dump, workspace};

const BODY: &str = "OTTAWA — Officials said sector deals are being negotiated one by one. \
Steel exports fell 12% in the quarter. Aluminum smelters in Québec asked for relief. \
Le bois d’œuvre reste exclu des discussions. Auto parts makers worry about rules of origin.";

fn fields(title: &str) -> NewBriefing {
    NewBriefing {
        title: title.into(),
        ..Default::default()
    }
}

struct Fixture {
    source: i64,
    /// "sector deals", "Steel exports fell 12%", "Aluminum smelters", "bois d’œuvre", "Auto parts"
    e: [i64; 5],
}

fn add_source(ws: &mut Workspace, title: &str, published: Option<&str>, body: &str) -> i64 {
    ws.add_source(
        NewSource {
            title: title.into(),
            outlet: Some("Maple Wire".into()),
            authors: vec!["Jeanne Roy".into()],
            published: published.map(Into::into),
            url: Some("https://example.org/talks".into()),
            body: body.into(),
            ..Default::default()
        },
        NOW,
    )
    .unwrap()
    .id
}

fn excerpt(ws: &mut Workspace, source: i64, quote: &str, note: &str, tags: &[&str]) -> i64 {
    let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
    ws.add_excerpt(
        source,
        ExcerptTarget::Quote {
            quote: quote.into(),
            occurrence: None,
        },
        note,
        &tags,
        NOW,
    )
    .unwrap()
    .id
}

fn fixture(ws: &mut Workspace) -> Fixture {
    let source = add_source(ws, "Sector deals one by one", Some("2025-03-14"), BODY);
    let e = [
        excerpt(ws, source, "sector deals", "First signal", &[]),
        excerpt(ws, source, "Steel exports fell 12%", "", &["sector/steel"]),
        excerpt(ws, source, "Aluminum smelters", "", &["sector/aluminum"]),
        excerpt(ws, source, "bois d’œuvre", "", &["sector/forestry"]),
        excerpt(ws, source, "Auto parts", "", &["sector/automotive"]),
    ];
    Fixture { source, e }
}

fn add_to(section: SectionKind, excerpts: &[i64]) -> BriefingPatch {
    let mut p = SectionPatch::new(section);
    p.add_excerpts = excerpts.to_vec();
    BriefingPatch {
        sections: vec![p],
        ..Default::default()
    }
}

fn excerpt_ids(ws: &Workspace, id: i64, section: SectionKind) -> Vec<Option<i64>> {
    ws.get_briefing(id)
        .unwrap()
        .section(section)
        .items
        .iter()
        .map(|i| i.excerpt_id)
        .collect()
}

#[test]
fn a_new_briefing_has_its_fields_and_eight_empty_sections() {
    let (_d, mut ws) = workspace();
    let b = ws
        .create_briefing(
            &NewBriefing {
                title: "  Canada–US steel talks:\n state of play ".into(),
                title_fr: Some("Négociations sur l’acier : état de la situation".into()),
                marking: Marking::ProtectedA,
                addressee: Some("the Minister of International Trade".into()),
                file_number: Some("BN-2025-0143".into()),
                date: Some("2025-03-15".into()),
                purpose: Purpose::Decision,
                deadline: Some("2025-03-20".into()),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(
        b.title, "Canada–US steel talks: state of play",
        "titles are one line"
    );
    assert_eq!(
        b.title_fr.as_deref(),
        Some("Négociations sur l’acier : état de la situation")
    );
    assert_eq!(
        (b.marking, b.purpose, b.deadline.as_deref()),
        (Marking::ProtectedA, Purpose::Decision, Some("2025-03-20"))
    );
    let kinds: Vec<SectionKind> = b.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, SectionKind::ALL);
    assert!(b.sections.iter().all(|s| s.is_empty()));
    assert_eq!((b.created_at.as_str(), b.updated_at.as_str()), (NOW, NOW));

    let listed = ws.list_briefings().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, b.id);
    assert_eq!(listed[0].item_count, 0);
}

#[rstest]
#[case::empty_title(NewBriefing { title: "  ".into(), ..Default::default() }, "invalid")]
#[case::bad_date(NewBriefing { title: "T".into(), date: Some("15/03/2025".into()), ..Default::default() }, "invalid")]
#[case::impossible_deadline(NewBriefing { title: "T".into(), deadline: Some("2025-02-30".into()), ..Default::default() }, "invalid")]
fn bad_fields_are_refused_and_nothing_is_created(#[case] new: NewBriefing, #[case] code: &str) {
    let (_d, mut ws) = workspace();
    let err = ws.create_briefing(&new, NOW).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert!(ws.list_briefings().unwrap().is_empty());
}

#[test]
fn edits_change_fields_and_an_empty_value_clears_one() {
    let (_d, mut ws) = workspace();
    let id = ws
        .create_briefing(
            &NewBriefing {
                title: "T".into(),
                file_number: Some("BN-1".into()),
                ..Default::default()
            },
            NOW,
        )
        .unwrap()
        .id;
    let b = ws
        .edit_briefing(
            id,
            &BriefingPatch {
                title: Some("Steel talks".into()),
                title_fr: Some("Pourparlers sur l’acier".into()),
                file_number: Some("".into()),
                marking: Some(Marking::ProtectedB),
                purpose: Some(Purpose::Decision),
                deadline: Some("2025-04-01".into()),
                prepared_by: ContactPatch {
                    name: Some("Élise Côté".into()),
                    title: Some("Senior Policy Analyst".into()),
                    phone: Some("613-555-0143".into()),
                },
                decision: DecisionPatch {
                    maker: Some("Minister".into()),
                    outcome: Some("approved-with-changes".into()),
                    ..Default::default()
                },
                ..Default::default()
            },
            LATER,
        )
        .unwrap();
    assert_eq!(b.title, "Steel talks");
    assert_eq!(b.file_number, None, "an empty value clears the field");
    assert_eq!(b.marking, Marking::ProtectedB);
    assert_eq!(b.prepared_by.name.as_deref(), Some("Élise Côté"));
    assert_eq!(
        b.decision.outcome,
        Some(DecisionOutcome::ApprovedWithChanges)
    );
    assert_eq!(b.updated_at, LATER);
    assert_eq!(b.created_at, NOW);
}

fn one_section(p: SectionPatch) -> BriefingPatch {
    BriefingPatch {
        sections: vec![p],
        ..Default::default()
    }
}

#[test]
fn a_removal_is_undone_by_one_patch_that_inserts_at_the_old_index() {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    let id = ws.create_briefing(&fields("T"), NOW).unwrap().id;
    let mut p = SectionPatch::new(SectionKind::CurrentStatus);
    p.add_excerpts = vec![f.e[1], f.e[2], f.e[3]];
    p.group = Some("Steel".into());
    let before = ws.edit_briefing(id, &one_section(p), NOW).unwrap();
    let before = before.section(SectionKind::CurrentStatus).clone();

    let mut remove = SectionPatch::new(SectionKind::CurrentStatus);
    remove.remove_excerpts = vec![f.e[2]];
    ws.edit_briefing(id, &one_section(remove), NOW).unwrap();

    let mut undo = SectionPatch::new(SectionKind::CurrentStatus);
    undo.add_excerpts = vec![f.e[2]];
    undo.insert_at = Some(1);
    undo.group = Some("Steel".into());
    let after = ws.edit_briefing(id, &one_section(undo), LATER).unwrap();
    let after = after.section(SectionKind::CurrentStatus);
    assert_eq!(
        after
            .items
            .iter()
            .map(|i| (i.excerpt_id, &i.group))
            .collect::<Vec<_>>(),
        before
            .items
            .iter()
            .map(|i| (i.excerpt_id, &i.group))
            .collect::<Vec<_>>(),
        "the excerpt is back at its place, with its group"
    );
}

#[rstest]
#[case::first(Some(0), [4, 1, 2, 3])]
#[case::middle(Some(2), [1, 2, 4, 3])]
#[case::past_the_end(Some(9), [1, 2, 3, 4])]
#[case::append(None, [1, 2, 3, 4])]
fn added_excerpts_go_where_insert_at_says(
    #[case] insert_at: Option<usize>,
    #[case] expected: [usize; 4],
) {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    let id = ws.create_briefing(&fields("T"), NOW).unwrap().id;
    ws.edit_briefing(
        id,
        &add_to(SectionKind::Issue, &[f.e[1], f.e[2], f.e[3]]),
        NOW,
    )
    .unwrap();
    let mut p = SectionPatch::new(SectionKind::Issue);
    p.add_excerpts = vec![f.e[4]];
    p.insert_at = insert_at;
    ws.edit_briefing(id, &one_section(p), NOW).unwrap();
    assert_eq!(
        excerpt_ids(&ws, id, SectionKind::Issue),
        expected.map(|i| Some(f.e[i])),
    );
}

#[test]
fn a_patch_without_insert_at_still_parses() {
    let p: SectionPatch =
        serde_json::from_str(r#"{"section": "issue", "text": null, "add_excerpts": [3]}"#).unwrap();
    assert_eq!(
        p.insert_at, None,
        "JSON written before insert_at means append"
    );
    assert_eq!(p.add_excerpts, [3]);
}

#[test]
fn section_text_and_excerpts_are_added_reordered_and_removed() {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    let id = ws.create_briefing(&fields("T"), NOW).unwrap().id;
    let mut p = SectionPatch::new(SectionKind::CurrentStatus);
    p.text = Some("Talks continue.\r\n\r\n- one\n- two\n\n".into());
    p.add_excerpts = vec![f.e[1], f.e[2], f.e[3]];
    let b = ws
        .edit_briefing(
            id,
            &BriefingPatch {
                sections: vec![p],
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    let cs = b.section(SectionKind::CurrentStatus);
    assert_eq!(
        cs.text, "Talks continue.\n\n- one\n- two",
        "line ends normalized, trailing blanks dropped"
    );
    assert_eq!(cs.items[0].quote, "Steel exports fell 12%");
    assert_eq!(cs.items[0].citation.title, "Sector deals one by one");
    assert_eq!(cs.items[0].citation.authors, ["Jeanne Roy"]);
    assert_eq!(cs.items[0].status, ItemStatus::Live);

    let mut p = SectionPatch::new(SectionKind::CurrentStatus);
    p.order_excerpts = Some(vec![f.e[3]]);
    ws.edit_briefing(
        id,
        &BriefingPatch {
            sections: vec![p],
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    assert_eq!(
        excerpt_ids(&ws, id, SectionKind::CurrentStatus),
        [Some(f.e[3]), Some(f.e[1]), Some(f.e[2])],
        "the named item moves first; the others keep their order"
    );

    let mut p = SectionPatch::new(SectionKind::CurrentStatus);
    p.remove_excerpts = vec![f.e[1]];
    p.text = Some(String::new());
    let b = ws
        .edit_briefing(
            id,
            &BriefingPatch {
                sections: vec![p],
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(
        excerpt_ids(&ws, id, SectionKind::CurrentStatus),
        [Some(f.e[3]), Some(f.e[2])]
    );
    assert_eq!(b.section(SectionKind::CurrentStatus).text, "");

    // The same excerpt may serve two sections.
    ws.edit_briefing(id, &add_to(SectionKind::Background, &[f.e[3]]), NOW)
        .unwrap();
    assert_eq!(
        excerpt_ids(&ws, id, SectionKind::Background),
        [Some(f.e[3])]
    );
}

#[rstest]
#[case::unknown_excerpt(add_to(SectionKind::Issue, &[999]), "not_found")]
#[case::already_there(add_to(SectionKind::CurrentStatus, &[0]), "invalid")]
#[case::twice_in_one_go(add_to(SectionKind::Issue, &[0, 0]), "invalid")]
#[case::remove_absent({
    let mut p = SectionPatch::new(SectionKind::Issue);
    p.remove_excerpts = vec![0];
    BriefingPatch { sections: vec![p], ..Default::default() }
}, "invalid")]
#[case::order_names_item_twice({
    let mut p = SectionPatch::new(SectionKind::CurrentStatus);
    p.order_excerpts = Some(vec![0, 0]);
    BriefingPatch { sections: vec![p], ..Default::default() }
}, "invalid")]
#[case::bad_outcome(BriefingPatch { decision: DecisionPatch { outcome: Some("maybe".into()), ..Default::default() }, title: Some("New".into()), ..Default::default() }, "invalid")]
#[case::empty_title(BriefingPatch { title: Some(" ".into()), ..Default::default() }, "invalid")]
fn a_refused_edit_changes_nothing(#[case] mut patch: BriefingPatch, #[case] code: &str) {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    let id = ws.create_briefing(&fields("T"), NOW).unwrap().id;
    ws.edit_briefing(id, &add_to(SectionKind::CurrentStatus, &[f.e[0]]), NOW)
        .unwrap();
    // Case tables cannot know ids: 0 stands for the first fixture excerpt.
    for s in &mut patch.sections {
        for list in [&mut s.add_excerpts, &mut s.remove_excerpts] {
            list.iter_mut()
                .filter(|e| **e == 0)
                .for_each(|e| *e = f.e[0]);
        }
        if let Some(order) = &mut s.order_excerpts {
            order
                .iter_mut()
                .filter(|e| **e == 0)
                .for_each(|e| *e = f.e[0]);
        }
        s.text.get_or_insert_with(|| "changed text".into());
    }
    let before = (dump(&ws), ws.get_briefing(id).unwrap());
    let err = ws.edit_briefing(id, &patch, LATER).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(
        (dump(&ws), ws.get_briefing(id).unwrap()),
        before,
        "a refused edit leaves the workspace as it was"
    );
}

#[test]
fn deleting_an_excerpt_leaves_a_detached_item_with_a_frozen_copy() {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    let id = ws.create_briefing(&fields("T"), NOW).unwrap().id;
    ws.edit_briefing(
        id,
        &add_to(SectionKind::CurrentStatus, &[f.e[0], f.e[1]]),
        NOW,
    )
    .unwrap();
    let live = ws
        .get_briefing(id)
        .unwrap()
        .section(SectionKind::CurrentStatus)
        .items[0]
        .clone();

    ws.delete_excerpt(f.e[0]).unwrap();
    let items = ws
        .get_briefing(id)
        .unwrap()
        .section(SectionKind::CurrentStatus)
        .items
        .clone();
    assert_eq!(items.len(), 2, "the item stays in the note");
    let gone = &items[0];
    assert_eq!(gone.status, ItemStatus::Detached);
    assert_eq!(gone.excerpt_id, None);
    assert_eq!(
        (&gone.quote, &gone.note, &gone.citation, gone.source_id),
        (&live.quote, &live.note, &live.citation, live.source_id),
        "the frozen copy is what the note showed before"
    );
    assert_eq!(items[1].status, ItemStatus::Live);

    // Deleting the source too: the remaining item freezes with its full citation.
    ws.delete_source(f.source).unwrap();
    let b = ws.get_briefing(id).unwrap();
    let items = &b.section(SectionKind::CurrentStatus).items;
    assert!(items.iter().all(|i| i.status == ItemStatus::Detached));
    assert_eq!(items[1].quote, "Steel exports fell 12%");
    assert_eq!(items[1].citation.outlet.as_deref(), Some("Maple Wire"));
    assert_eq!(
        items[1].citation.published.as_deref(),
        Some("2025-03-14"),
        "the citation was frozen before the source row went"
    );
    assert_eq!(b.items_needing_attention().count(), 2);

    // A detached item is removed by its item id.
    let mut p = SectionPatch::new(SectionKind::CurrentStatus);
    p.remove_items = vec![items[0].id];
    let b = ws
        .edit_briefing(
            id,
            &BriefingPatch {
                sections: vec![p],
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(b.section(SectionKind::CurrentStatus).items.len(), 1);
}

#[test]
fn a_live_item_follows_edits_to_its_excerpt_and_source() {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    let id = ws.create_briefing(&fields("T"), NOW).unwrap().id;
    ws.edit_briefing(id, &add_to(SectionKind::Issue, &[f.e[0]]), NOW)
        .unwrap();
    ws.edit_excerpt(
        f.e[0],
        dossier_core::ExcerptPatch {
            note: Some("Now the key signal".into()),
            ..Default::default()
        },
        LATER,
    )
    .unwrap();
    ws.edit_source(
        f.source,
        dossier_core::SourcePatch {
            outlet: Some("La Presse canadienne".into()),
            ..Default::default()
        },
        LATER,
    )
    .unwrap();
    let item = ws
        .get_briefing(id)
        .unwrap()
        .section(SectionKind::Issue)
        .items[0]
        .clone();
    assert_eq!(item.note, "Now the key signal");
    assert_eq!(
        item.citation.outlet.as_deref(),
        Some("La Presse canadienne")
    );
}

#[test]
fn a_quote_from_a_paged_source_cites_its_page() {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    // As a PDF import records it: page 2 starts at code point 40.
    ws.conn()
        .execute(
            "UPDATE source SET pages = '[0, 40]' WHERE id = ?1",
            [f.source],
        )
        .unwrap();
    let id = ws.create_briefing(&fields("T"), NOW).unwrap().id;
    let b = ws
        .edit_briefing(id, &add_to(SectionKind::Issue, &[f.e[0], f.e[1]]), NOW)
        .unwrap();
    let pages: Vec<Option<u32>> = b
        .section(SectionKind::Issue)
        .items
        .iter()
        .map(|i| i.citation.page)
        .collect();
    assert_eq!(pages, [Some(1), Some(2)]);

    // Deleted, the quotes keep their pages: one excerpt alone, then the other with its source.
    ws.delete_excerpt(f.e[1]).unwrap();
    ws.delete_source(f.source).unwrap();
    let b = ws.get_briefing(id).unwrap();
    let frozen: Vec<(ItemStatus, Option<u32>)> = b
        .section(SectionKind::Issue)
        .items
        .iter()
        .map(|i| (i.status, i.citation.page))
        .collect();
    assert_eq!(
        frozen,
        [
            (ItemStatus::Detached, Some(1)),
            (ItemStatus::Detached, Some(2))
        ]
    );
}

#[test]
fn duplicate_copies_everything_and_the_copies_are_independent() {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    let mut p = SectionPatch::new(SectionKind::Summary);
    p.text = Some("Résumé".into());
    p.add_excerpts = vec![f.e[0]];
    let id = ws
        .create_briefing(
            &NewBriefing {
                title: "Steel".into(),
                title_fr: Some("Acier".into()),
                ..Default::default()
            },
            NOW,
        )
        .unwrap()
        .id;
    ws.edit_briefing(
        id,
        &BriefingPatch {
            sections: vec![p],
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    let copy = ws.duplicate_briefing(id, LATER).unwrap();
    assert_ne!(copy.id, id);
    assert_eq!(copy.title, "Steel (copy)");
    assert_eq!(copy.title_fr.as_deref(), Some("Acier (copie)"));
    assert_eq!(copy.created_at, LATER);
    let original = ws.get_briefing(id).unwrap();
    assert_eq!(copy.sections[0].text, original.sections[0].text);
    assert_eq!(
        copy.sections[0].items[0].excerpt_id,
        original.sections[0].items[0].excerpt_id
    );
    assert_ne!(
        copy.sections[0].items[0].id,
        original.sections[0].items[0].id
    );

    ws.delete_briefing(copy.id).unwrap();
    assert_eq!(
        ws.get_briefing(id).unwrap(),
        original,
        "deleting the copy leaves the original"
    );
    assert!(
        ws.get_excerpt(f.e[0]).is_ok(),
        "excerpts are not owned by briefings"
    );
    assert!(matches!(
        ws.get_briefing(copy.id),
        Err(StoreError::BriefingNotFound(_))
    ));
    let n: i64 = ws
        .conn()
        .query_row("SELECT count(*) FROM briefing_item", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "the copy's items went with it");
}

#[test]
fn move_item_drags_between_sections_and_positions() {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    let id = ws.create_briefing(&fields("T"), NOW).unwrap().id;
    let b = ws
        .edit_briefing(
            id,
            &add_to(SectionKind::CurrentStatus, &[f.e[0], f.e[1], f.e[2]]),
            NOW,
        )
        .unwrap();
    let third = b.section(SectionKind::CurrentStatus).items[2].id;
    ws.move_briefing_item(id, third, SectionKind::CurrentStatus, 1, NOW)
        .unwrap();
    assert_eq!(
        excerpt_ids(&ws, id, SectionKind::CurrentStatus),
        [Some(f.e[2]), Some(f.e[0]), Some(f.e[1])]
    );
    ws.move_briefing_item(id, third, SectionKind::Background, 99, NOW)
        .unwrap();
    assert_eq!(
        excerpt_ids(&ws, id, SectionKind::CurrentStatus),
        [Some(f.e[0]), Some(f.e[1])]
    );
    assert_eq!(
        excerpt_ids(&ws, id, SectionKind::Background),
        [Some(f.e[2])]
    );
    assert_eq!(
        ws.move_briefing_item(id, 12345, SectionKind::Issue, 1, NOW)
            .unwrap_err()
            .code(),
        "invalid"
    );
}

#[test]
fn the_document_has_non_empty_sections_and_a_decision_block_only_for_decisions() {
    let (_d, mut ws) = workspace();
    let f = fixture(&mut ws);
    let id = ws.create_briefing(&fields("T"), NOW).unwrap().id;
    let mut issue = SectionPatch::new(SectionKind::Issue);
    issue.text = Some("Whether to respond.".into());
    let mut next = SectionPatch::new(SectionKind::NextSteps);
    next.add_excerpts = vec![f.e[1]];
    ws.edit_briefing(
        id,
        &BriefingPatch {
            sections: vec![issue, next],
            decision: DecisionPatch {
                maker: Some("Minister".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    let doc = ws.briefing_document(id).unwrap();
    let kinds: Vec<SectionKind> = doc.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SectionKind::Issue, SectionKind::NextSteps]);
    assert_eq!(doc.sections[1].excerpts[0].quote, "Steel exports fell 12%");
    assert_eq!(
        doc.decision, None,
        "an information note prints no decision block"
    );
    ws.edit_briefing(
        id,
        &BriefingPatch {
            purpose: Some(Purpose::Decision),
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    let doc = ws.briefing_document(id).unwrap();
    assert_eq!(
        doc.decision.and_then(|d| d.maker).as_deref(),
        Some("Minister")
    );
}

#[test]
fn unknown_ids_are_not_found() {
    let (_d, mut ws) = workspace();
    for err in [
        ws.get_briefing(7).unwrap_err(),
        ws.edit_briefing(7, &BriefingPatch::default(), NOW)
            .unwrap_err(),
        ws.duplicate_briefing(7, NOW).unwrap_err(),
        ws.delete_briefing(7).unwrap_err(),
    ] {
        assert_eq!(err.code(), "not_found", "{err}");
        assert_eq!(err.to_string(), "no briefing with id 7");
    }
}

mod draft {
    use super::*;

    /// Sources on three dates; excerpts tagged by sector (one only through its source, one on
    /// none); follow-ups open, answered and dropped.
    struct Drafted {
        ws: Workspace,
        _dir: tempfile::TempDir,
        steel_old: i64,
        steel_new: i64,
        alu: i64,
        via_source: i64,
        untagged: i64,
        not_a_hit: i64,
        q_open_hit: i64,
        q_open_linked: i64,
        q_answered: i64,
        q_dropped: i64,
    }

    fn drafted() -> Drafted {
        let (dir, mut ws) = workspace();
        let old = add_source(
            &mut ws,
            "Old",
            Some("2025-01-10"),
            "Steel quotas were set. Other news.",
        );
        let new = add_source(
            &mut ws,
            "New",
            Some("2025-03-14"),
            "Steel tariffs rose. Aluminum too.",
        );
        let lumber = ws
            .add_source(
                NewSource {
                    title: "Bois".into(),
                    published: Some("2025-02-01".into()),
                    tags: vec!["sector/forestry".into()],
                    body: "Les droits sur le bois d’œuvre augmentent.".into(),
                    ..Default::default()
                },
                NOW,
            )
            .unwrap()
            .id;
        let steel_old = excerpt(
            &mut ws,
            old,
            "Steel quotas were set",
            "",
            &["actor/canada", "sector/steel"],
        );
        let untagged = excerpt(&mut ws, old, "Other news", "", &[]);
        let steel_new = excerpt(&mut ws, new, "Steel tariffs rose", "", &["sector/steel"]);
        let alu = excerpt(
            &mut ws,
            new,
            "Aluminum too",
            "",
            &["sector/aluminum", "sector/steel"],
        );
        let via_source = excerpt(&mut ws, lumber, "bois d’œuvre", "", &[]);
        let not_a_hit = excerpt(&mut ws, lumber, "augmentent", "", &["sector/forestry"]);
        let q = |ws: &mut Workspace, text: &str, excerpts: Vec<i64>, due: Option<&str>| {
            ws.add_followup(
                NewFollowUp {
                    text: text.into(),
                    excerpt_ids: excerpts,
                    due: due.map(Into::into),
                    owner: Some("Trade Policy".into()),
                    ..Default::default()
                },
                NOW,
            )
            .unwrap()
            .id
        };
        let q_open_hit = q(
            &mut ws,
            "When does the *joint review* start?",
            vec![],
            Some("2025-04-01"),
        );
        let q_open_linked = q(
            &mut ws,
            "Which sectors are next?",
            vec![steel_new],
            Some("2025-03-20"),
        );
        let q_answered = q(&mut ws, "Answered one", vec![steel_new], None);
        ws.answer_followup(q_answered, "Yes.", &[], NOW).unwrap();
        let q_dropped = q(&mut ws, "Dropped one", vec![alu], None);
        ws.set_followup_status(q_dropped, dossier_core::FollowUpStatus::Dropped, NOW)
            .unwrap();
        Drafted {
            ws,
            _dir: dir,
            steel_old,
            steel_new,
            alu,
            via_source,
            untagged,
            not_a_hit,
            q_open_hit,
            q_open_linked,
            q_answered,
            q_dropped,
        }
    }

    #[test]
    fn current_status_groups_by_sector_newest_first_and_next_steps_lists_open_questions() {
        let mut d = drafted();
        let hits = [d.untagged, d.steel_old, d.alu, d.via_source, d.steel_new];
        let questions = [d.q_open_hit, d.q_answered, d.q_dropped];
        let b =
            d.ws.draft_briefing(
                &hits,
                &questions,
                &NewBriefing {
                    title: "Tariff talks".into(),
                    title_fr: Some("Négociations tarifaires".into()),
                    ..Default::default()
                },
                NOW,
            )
            .unwrap();
        let placed: Vec<(Option<&str>, Option<i64>)> = b
            .section(SectionKind::CurrentStatus)
            .items
            .iter()
            .map(|i| (i.group.as_deref(), i.excerpt_id))
            .collect();
        assert_eq!(
            placed,
            [
                // Aluminum: its first sector tag wins over the later steel one.
                (Some("Aluminum"), Some(d.alu)),
                // Forestry: tagged only through its source.
                (Some("Forestry (softwood lumber)"), Some(d.via_source)),
                // Steel, newest news first.
                (Some("Steel"), Some(d.steel_new)),
                (Some("Steel"), Some(d.steel_old)),
                // No sector at all: last, under "Other".
                (Some("Other"), Some(d.untagged)),
            ]
        );
        assert!(
            !placed.iter().any(|(_, e)| *e == Some(d.not_a_hit)),
            "only hits are drafted"
        );
        assert!(
            b.section(SectionKind::CurrentStatus)
                .items
                .iter()
                .all(|i| !i.citation.title.is_empty()),
            "citations are filled"
        );
        assert_eq!(
            b.section(SectionKind::NextSteps).text,
            "- Which sectors are next? (owner: Trade Policy; due 20 March 2025)\n\
             - When does the \\*joint review\\* start? (owner: Trade Policy; due 1 April 2025)",
            "open questions among the hits and about the matching excerpts, by due date; \
             answered and dropped ones left out; Markdown escaped"
        );
        let _ = d.q_open_linked;
        for kind in [
            SectionKind::Summary,
            SectionKind::Issue,
            SectionKind::Background,
            SectionKind::Considerations,
            SectionKind::Options,
            SectionKind::Recommendation,
        ] {
            assert!(b.section(kind).is_empty(), "{kind} starts empty");
        }
        assert_eq!(b.title_fr.as_deref(), Some("Négociations tarifaires"));
    }

    #[test]
    fn a_draft_from_nothing_is_refused() {
        let mut d = drafted();
        let err =
            d.ws.draft_briefing(&[], &[], &fields("T"), NOW)
                .unwrap_err();
        assert_eq!(err.code(), "invalid");
        assert!(d.ws.list_briefings().unwrap().is_empty());
    }

    #[test]
    fn a_draft_naming_a_missing_excerpt_creates_nothing() {
        let mut d = drafted();
        let err =
            d.ws.draft_briefing(&[d.steel_old, 9999], &[], &fields("T"), NOW)
                .unwrap_err();
        assert_eq!(err.code(), "not_found");
        assert!(d.ws.list_briefings().unwrap().is_empty());
    }

    #[test]
    fn only_questions_make_a_draft_with_next_steps_alone() {
        let mut d = drafted();
        let b =
            d.ws.draft_briefing(&[], &[d.q_open_hit], &fields("T"), NOW)
                .unwrap();
        assert!(b.section(SectionKind::CurrentStatus).is_empty());
        assert!(
            b.section(SectionKind::NextSteps)
                .text
                .contains("joint review")
        );
    }

    #[test]
    fn a_query_drafts_its_excerpt_and_question_hits() {
        let mut d = drafted();
        let b =
            d.ws.draft_briefing_from_query("steel OR joint", &fields("Steel"), NOW)
                .unwrap();
        let ids: Vec<Option<i64>> = b
            .section(SectionKind::CurrentStatus)
            .items
            .iter()
            .map(|i| i.excerpt_id)
            .collect();
        assert_eq!(
            ids,
            [Some(d.steel_new), Some(d.steel_old)],
            "the two steel quotes, newest first"
        );
        assert!(
            b.section(SectionKind::NextSteps)
                .text
                .contains("joint review"),
            "the matching open question: {}",
            b.section(SectionKind::NextSteps).text
        );
        assert!(
            b.section(SectionKind::NextSteps)
                .text
                .contains("Which sectors are next?"),
            "and the open question about a matching excerpt"
        );
    }

    #[test]
    fn a_query_that_matches_nothing_creates_nothing() {
        let mut d = drafted();
        let err =
            d.ws.draft_briefing_from_query("zinc", &fields("T"), NOW)
                .unwrap_err();
        assert_eq!(err.code(), "invalid");
        assert!(
            err.to_string().contains("no excerpt or question matches"),
            "{err}"
        );
        assert!(d.ws.list_briefings().unwrap().is_empty());
    }
}
