use dossier_api::import::{ImportOptions, ItemStatus, Progress, import_all, reimport_source};
use dossier_core::ExcerptTarget;
use dossier_store::Workspace;

use super::NOW;

const LATER: &str = "2026-11-27T10:00:00Z";

#[test]
fn a_folder_is_imported_recursively_with_progress_and_duplicates_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("files");
    std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
    std::fs::create_dir_all(root.join(".hidden")).unwrap();
    std::fs::write(
        root.join("one.txt"),
        "Steel quotas stay in force.\nUntil the review ends.",
    )
    .unwrap();
    std::fs::write(
        root.join("sub/two.md"),
        "# Lumber\n\nDuties on lumber rose.",
    )
    .unwrap();
    std::fs::write(
        root.join("sub/deeper/three.txt"),
        "Steel quotas stay in force.\r\nUntil the review ends.",
    )
    .unwrap();
    std::fs::write(root.join(".hidden/secret.txt"), "Not walked.").unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let mut seen = Vec::new();
    let options = ImportOptions {
        outlet: Some("Desk notes".into()),
        lang: Some("en".into()),
        ..Default::default()
    };
    let summary = import_all(
        &mut ws,
        &[root.display().to_string()],
        &options,
        NOW,
        &mut |p: Progress<'_>| seen.push((p.done, p.total)),
    );
    assert_eq!(
        seen,
        [(0, 3), (1, 3), (2, 3), (3, 3)],
        "progress before each item and at the end"
    );
    assert_eq!(
        (summary.imported, summary.already_present, summary.failed),
        (2, 1, 0),
        "{summary:?}"
    );
    let dup = summary
        .items
        .iter()
        .find(|i| i.input.ends_with("three.txt"))
        .unwrap();
    assert_eq!(dup.status, ItemStatus::AlreadyPresent);
    assert_eq!(
        dup.id, summary.items[0].id,
        "the duplicate names the source already there"
    );
    let s = ws.get_source(summary.items[0].id.unwrap()).unwrap();
    assert_eq!(s.summary.outlet.as_deref(), Some("Desk notes"));
    assert_eq!(s.summary.lang.as_deref(), Some("en"));
}

#[test]
fn importing_a_changed_file_again_updates_its_source_and_reanchors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.txt");
    std::fs::write(&file, "Officials said that sector deals are being negotiated one by one.\n\nDairy remains off the table.").unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let input = [file.display().to_string()];
    let first = import_all(&mut ws, &input, &ImportOptions::default(), NOW, &mut |_| {});
    let id = first.items[0].id.unwrap();
    let quote = |q: &str| ExcerptTarget::Quote {
        quote: q.into(),
        occurrence: None,
    };
    ws.add_excerpt(
        id,
        quote("sector deals are being negotiated one by one"),
        "",
        &[],
        NOW,
    )
    .unwrap();
    let dairy = ws
        .add_excerpt(id, quote("Dairy remains off the table."), "", &[], NOW)
        .unwrap();

    std::fs::write(
        &file,
        "UPDATED.\n\nOfficials said that sector deals are being negotiated one by one.",
    )
    .unwrap();
    let again = import_all(
        &mut ws,
        &input,
        &ImportOptions::default(),
        LATER,
        &mut |_| {},
    );
    let item = &again.items[0];
    assert_eq!(
        (item.status, item.id),
        (ItemStatus::Updated, Some(id)),
        "{item:?}"
    );
    let r = item.reanchored.unwrap();
    assert_eq!((r.placed, r.adjusted, r.orphaned), (1, 0, 1));
    assert!(ws.get_excerpt(dairy.id).unwrap().orphaned);

    std::fs::write(&file, "UPDATED.\n\nOfficials said that sector deals are being negotiated one by one.\n\nDairy remains off the table.").unwrap();
    let outcome = reimport_source(&mut ws, id, &ImportOptions::default(), LATER).unwrap();
    assert_eq!(
        (outcome.placed, outcome.orphaned),
        (2, 0),
        "the orphan's passage is back"
    );
}

#[test]
fn bad_files_write_nothing_and_do_not_stop_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("in");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(files.join("a-broken.pdf"), b"%PDF-1.7\nnothing else here").unwrap();
    std::fs::write(
        files.join("b-good.txt"),
        "Steel quotas stay in force until the review ends.",
    )
    .unwrap();
    std::fs::write(
        files.join("c-broken.docx"),
        b"PK\x03\x04 this is not really a zip",
    )
    .unwrap();
    std::fs::write(files.join("d-picture.gif"), b"GIF89a\x01\0\x01\0\x80\0\0").unwrap();
    std::fs::write(
        files.join("e-good.md"),
        "# Dairy\n\nSupply management is not on the table.",
    )
    .unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let summary = import_all(
        &mut ws,
        &[files.display().to_string()],
        &ImportOptions::default(),
        NOW,
        &mut |_| {},
    );
    let statuses: Vec<ItemStatus> = summary.items.iter().map(|i| i.status).collect();
    assert_eq!(
        statuses,
        [
            ItemStatus::Failed,
            ItemStatus::Imported,
            ItemStatus::Failed,
            ItemStatus::Skipped,
            ItemStatus::Imported
        ]
    );
    assert_eq!(
        (summary.imported, summary.failed, summary.skipped),
        (2, 2, 1)
    );
    assert_eq!(
        ws.list_sources().unwrap().len(),
        2,
        "only the good files were written"
    );
}

#[test]
fn a_folder_larger_than_one_batch_keeps_every_result_and_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("notes");
    std::fs::create_dir(&root).unwrap();
    // 600 notes span several write batches; every hundredth repeats the first note's text, so
    // duplicates are found both inside a batch and across committed ones.
    for i in 0..600 {
        let body = if i == 0 || i % 100 == 99 {
            "Note zero\n\nSteel quotas stay in force.".to_string()
        } else {
            format!("Note {i}\n\nDuties on lumber rose by {i} percent.")
        };
        std::fs::write(root.join(format!("note-{i:04}.md")), body).unwrap();
    }
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let mut calls = 0;
    let summary = import_all(
        &mut ws,
        &[root.display().to_string()],
        &ImportOptions::default(),
        NOW,
        &mut |_| calls += 1,
    );
    assert_eq!(calls, 601, "progress before each item and at the end");
    assert_eq!(
        (summary.imported, summary.already_present, summary.failed),
        (594, 6, 0)
    );
    let first = summary.items[0].id;
    for (i, item) in summary.items.iter().enumerate() {
        assert!(item.input.ends_with(&format!("note-{i:04}.md")), "in order");
        if i % 100 == 99 {
            assert_eq!((item.status, item.id), (ItemStatus::AlreadyPresent, first));
        } else {
            assert_eq!(item.status, ItemStatus::Imported, "{item:?}");
            assert!(item.title.is_some());
        }
    }
    assert_eq!(ws.list_sources().unwrap().len(), 594, "all committed");
}
