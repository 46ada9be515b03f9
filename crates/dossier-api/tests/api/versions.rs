//! Versions and originals through the service layer: import, change the file, import again.

use dossier_api::import::{ImportOptions, ItemStatus, import_all};
use dossier_api::versions::{
    DiffKind, compare_versions, save_original, source_original, source_versions,
};
use dossier_core::ExcerptTarget;
use dossier_store::{NotKept, Workspace};

use super::NOW;

const LATER: &str = "2026-11-27T10:00:00Z";
const V1: &str = "Officials said that sector deals are being negotiated one by one.\n\n\
    Dairy remains off the table, a senior official said.\n";
const V2: &str = "Officials said that sector deals are being negotiated one by one.\n\n\
    Dairy is now on the table, a senior official said.\n";

fn import(ws: &mut Workspace, file: &std::path::Path, options: &ImportOptions, now: &str) -> i64 {
    let summary = import_all(ws, &[file.display().to_string()], options, now, &mut |_| {});
    assert_eq!(summary.failed, 0, "{summary:?}");
    summary.items[0].id.unwrap()
}

#[test]
fn a_reimport_of_a_changed_file_adds_a_version_and_keeps_the_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.txt");
    std::fs::write(&file, V1).unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let options = ImportOptions::default();
    let id = import(&mut ws, &file, &options, NOW);
    let kept = ws
        .add_excerpt(
            id,
            ExcerptTarget::Quote {
                quote: "Dairy remains off the table".into(),
                occurrence: None,
            },
            "",
            &[],
            NOW,
        )
        .unwrap();
    std::fs::write(&file, V2).unwrap();
    let again = import_all(
        &mut ws,
        &[file.display().to_string()],
        &options,
        LATER,
        &mut |_| {},
    );
    assert_eq!(again.items[0].status, ItemStatus::Updated);

    let versions = source_versions(&ws, id).unwrap();
    assert_eq!(versions.len(), 2, "one version per text: {versions:?}");
    assert_eq!((versions[0].number, versions[1].number), (1, 2));
    assert_eq!(versions[0].captured_at, NOW);
    assert_eq!(versions[1].captured_at, LATER);
    assert_eq!(versions[0].original_size, Some(V1.len() as u64));
    assert_eq!(versions[0].not_kept, None);
    let summary = versions[1]
        .reanchor
        .clone()
        .expect("a re-import says what it did");
    assert_eq!(
        summary.orphaned_ids,
        vec![kept.id],
        "the changed passage is orphaned"
    );
    assert!(versions[0].reanchor.is_none());

    assert_eq!(
        source_original(&ws, id, Some(1)).unwrap().bytes,
        V1.as_bytes()
    );
    let latest = source_original(&ws, id, None).unwrap();
    assert_eq!(
        (latest.version, latest.bytes.as_slice()),
        (2, V2.as_bytes())
    );
    assert_eq!(latest.extension, "txt");

    // Written to a file: exactly the first bytes; an existing file is refused, then replaced.
    let out = dir.path().join("v1.txt");
    let saved = save_original(&ws, id, Some(1), &out, false).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), V1.as_bytes());
    assert_eq!(saved.bytes, V1.len() as u64);
    let refused = save_original(&ws, id, Some(2), &out, false).unwrap_err();
    assert_eq!(refused.code, "exists", "{refused:?}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        V1.as_bytes(),
        "left as it was"
    );
    save_original(&ws, id, Some(2), &out, true).unwrap();
    assert_eq!(
        std::fs::read(&out).unwrap(),
        V2.as_bytes(),
        "--force replaces"
    );

    // The same text again adds nothing.
    let same = import_all(
        &mut ws,
        &[file.display().to_string()],
        &options,
        LATER,
        &mut |_| {},
    );
    assert_eq!(same.items[0].status, ItemStatus::AlreadyPresent);
    assert_eq!(source_versions(&ws, id).unwrap().len(), 2);

    // Back to the first bytes: a third version, but the same original, stored once.
    std::fs::write(&file, V1).unwrap();
    import(&mut ws, &file, &options, LATER);
    let versions = source_versions(&ws, id).unwrap();
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[2].original_sha256, versions[0].original_sha256);
    let info = dossier_api::info::info(&ws).unwrap();
    assert_eq!(info.originals.count, 2, "identical bytes are kept once");
    assert_eq!(info.originals.bytes, (V1.len() + V2.len()) as u64);
}

#[test]
fn compare_shows_the_changed_words_and_the_excerpts_they_moved() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.txt");
    std::fs::write(&file, V1).unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let options = ImportOptions::default();
    let id = import(&mut ws, &file, &options, NOW);
    let orphan = ws
        .add_excerpt(
            id,
            ExcerptTarget::Quote {
                quote: "remains off".into(),
                occurrence: None,
            },
            "",
            &[],
            NOW,
        )
        .unwrap();
    let err = compare_versions(&ws, id, None, None).unwrap_err();
    assert_eq!(
        err.code, "invalid",
        "one version has nothing to compare: {err:?}"
    );
    std::fs::write(&file, V2).unwrap();
    import(&mut ws, &file, &options, LATER);

    let c = compare_versions(&ws, id, None, None).unwrap();
    assert_eq!((c.from, c.to), (1, 2), "the two latest by default");
    let changed: Vec<(DiffKind, &str)> = c
        .ops
        .iter()
        .filter(|o| o.kind != DiffKind::Equal)
        .map(|o| (o.kind, o.text.trim()))
        .collect();
    assert_eq!(
        changed,
        [
            (DiffKind::Delete, "remains off"),
            (DiffKind::Insert, "is now on")
        ]
    );
    assert_eq!((c.words_deleted, c.words_inserted), (2, 3));
    assert_eq!(c.excerpts.len(), 1);
    assert_eq!(c.excerpts[0].id, orphan.id);
    assert_eq!(c.excerpts[0].change, "orphaned");
    assert!(c.excerpts[0].orphaned);
    assert_eq!(c.reanchor.unwrap().orphaned, 1);

    let reverse = compare_versions(&ws, id, Some(2), Some(1)).unwrap();
    assert_eq!((reverse.words_deleted, reverse.words_inserted), (3, 2));

    let unknown = compare_versions(&ws, id, Some(1), Some(9)).unwrap_err();
    assert_eq!(unknown.code, "not_found");
    assert!(
        unknown.message.contains("no version 9"),
        "{}",
        unknown.message
    );
}

#[test]
fn originals_over_the_cap_or_declined_are_not_kept_but_the_text_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, V1).unwrap();
    let capped = ImportOptions {
        original_cap_bytes: 10,
        ..Default::default()
    };
    let id = import(&mut ws, &big, &capped, NOW);
    let v = &source_versions(&ws, id).unwrap()[0];
    assert_eq!(v.not_kept, Some(NotKept::OverCap));
    assert_eq!(v.original_sha256, None);
    assert_eq!(
        v.original_size,
        Some(V1.len() as u64),
        "the size it had is said"
    );
    let err = source_original(&ws, id, None).unwrap_err();
    assert_eq!(err.code, "not_kept", "{err:?}");

    let declined = dir.path().join("declined.txt");
    std::fs::write(&declined, V2).unwrap();
    let no_original = ImportOptions {
        keep_original: false,
        ..Default::default()
    };
    let id2 = import(&mut ws, &declined, &no_original, NOW);
    let v = &source_versions(&ws, id2).unwrap()[0];
    assert_eq!(v.not_kept, Some(NotKept::NoOriginal));
    assert!(
        ws.get_source(id2)
            .unwrap()
            .text
            .contains("now on the table")
    );
    assert_eq!(dossier_api::info::info(&ws).unwrap().originals.count, 0);

    // Nothing is written for a version or an original that is not there.
    let out = dir.path().join("nothing.bin");
    let e = save_original(&ws, id, Some(7), &out, false).unwrap_err();
    assert_eq!(e.code, "not_found");
    let e = save_original(&ws, id, None, &out, false).unwrap_err();
    assert_eq!(e.code, "not_kept");
    let e = save_original(&ws, 999, None, &out, false).unwrap_err();
    assert_eq!(e.code, "not_found");
    assert!(!out.exists(), "no file is left by a refusal");
}
