use dossier_core::{ExcerptTarget, FollowUpPatch, FollowUpStatus, NewFollowUp};
use dossier_store::StoreError;

use super::{LATER, NOW, dump, source, workspace};

#[test]
fn a_question_goes_open_answered_reopened_dropped() {
    let (_d, mut ws) = workspace();
    let s = ws
        .add_source(
            source("S", "Officials said sector deals are being negotiated."),
            NOW,
        )
        .unwrap()
        .id;
    let e = ws
        .add_excerpt(
            s,
            ExcerptTarget::Quote {
                quote: "sector deals".into(),
                occurrence: None,
            },
            "",
            &[],
            NOW,
        )
        .unwrap();
    let q = ws
        .add_followup(
            NewFollowUp {
                text: "Which strategic sectors are under discussion?".into(),
                excerpt_ids: vec![e.id],
                source_ids: vec![s],
                tags: vec!["instrument/cusma-review".into()],
                due: Some("2026-12-01".into()),
                owner: Some("J. Tremblay".into()),
            },
            NOW,
        )
        .unwrap();
    assert_eq!(q.status, FollowUpStatus::Open);
    assert_eq!(
        (q.excerpt_ids.as_slice(), q.source_ids.as_slice()),
        (&[e.id][..], &[s][..])
    );
    let a = ws
        .answer_followup(q.id, "Steel and aluminum first.", &[e.id], LATER)
        .unwrap();
    assert_eq!(a.status, FollowUpStatus::Answered);
    assert_eq!(a.answer_excerpt_ids, [e.id]);
    assert_eq!(a.answered_at.as_deref(), Some(LATER));
    let r = ws
        .set_followup_status(q.id, FollowUpStatus::Open, LATER)
        .unwrap();
    assert_eq!(
        (r.status, r.answered_at.as_deref(), r.answer.as_deref()),
        (
            FollowUpStatus::Open,
            None,
            Some("Steel and aluminum first.")
        )
    );
    ws.set_followup_status(q.id, FollowUpStatus::Dropped, LATER)
        .unwrap();
    assert_eq!(
        ws.list_followups(Some(FollowUpStatus::Dropped))
            .unwrap()
            .len(),
        1
    );
    assert!(
        ws.list_followups(Some(FollowUpStatus::Open))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn open_questions_list_first_by_due_date() {
    let (_d, mut ws) = workspace();
    let mk = |text: &str, due: Option<&str>| NewFollowUp {
        text: text.into(),
        due: due.map(Into::into),
        ..Default::default()
    };
    let late = ws
        .add_followup(mk("late", Some("2027-01-01")), NOW)
        .unwrap()
        .id;
    let undated = ws.add_followup(mk("undated", None), NOW).unwrap().id;
    let soon = ws
        .add_followup(mk("soon", Some("2026-12-01")), NOW)
        .unwrap()
        .id;
    let answered = ws
        .add_followup(mk("answered", Some("2026-01-01")), NOW)
        .unwrap()
        .id;
    ws.answer_followup(answered, "done", &[], NOW).unwrap();
    let order: Vec<i64> = ws
        .list_followups(None)
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(order, [soon, late, undated, answered]);
}

#[rstest::rstest]
#[case::empty(NewFollowUp { text: "  ".into(), ..Default::default() }, "empty")]
#[case::unknown_excerpt(NewFollowUp { text: "Q".into(), excerpt_ids: vec![99], ..Default::default() }, "no excerpt with id 99")]
#[case::unknown_source(NewFollowUp { text: "Q".into(), source_ids: vec![98], ..Default::default() }, "no source with id 98")]
#[case::bad_due(NewFollowUp { text: "Q".into(), due: Some("tomorrow".into()), ..Default::default() }, "not a date")]
fn bad_questions_are_refused_unchanged(#[case] new: NewFollowUp, #[case] message: &str) {
    let (_d, mut ws) = workspace();
    let before = dump(&ws);
    let err = ws.add_followup(new, NOW).unwrap_err();
    assert!(err.to_string().contains(message), "{err}");
    assert_eq!(dump(&ws), before, "the transaction rolled back");
}

#[test]
fn edits_and_unknown_ids() {
    let (_d, mut ws) = workspace();
    let q = ws
        .add_followup(
            NewFollowUp {
                text: "Q".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    let patch = FollowUpPatch {
        due: Some("2026-12-24".into()),
        owner: Some("Policy".into()),
        ..Default::default()
    };
    let q = ws.edit_followup(q.id, patch, LATER).unwrap();
    assert_eq!(
        (q.due.as_deref(), q.owner.as_deref()),
        (Some("2026-12-24"), Some("Policy"))
    );
    assert!(matches!(
        ws.answer_followup(404, "a", &[], NOW),
        Err(StoreError::FollowUpNotFound(404))
    ));
    assert!(ws.answer_followup(q.id, " ", &[], NOW).is_err());
}
