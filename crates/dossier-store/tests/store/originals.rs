//! Originals and versions: content addressing, release on delete, the migration's backfill,
//! and a damaged original refused rather than handed out.

use dossier_core::NewSource;
use dossier_store::{ImportedText, NotKept, Original, StoreError, Stored, Workspace, migrations};
use rusqlite::Connection;

use super::{LATER, NOW, source, workspace};

fn with_original(body: &str, origin: &str, bytes: &[u8]) -> ImportedText {
    ImportedText {
        source: NewSource {
            title: "Report".into(),
            body: body.into(),
            origin: Some(origin.into()),
            ..Default::default()
        },
        format: Some("html".into()),
        original: Some(Original::new(bytes.to_vec())),
        ..Default::default()
    }
}

fn count(ws: &Workspace, sql: &str) -> i64 {
    ws.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn added(stored: Stored) -> i64 {
    match stored {
        Stored::Added(id) => id,
        other => panic!("expected a new source, got {other:?}"),
    }
}

#[test]
fn the_same_bytes_are_kept_once_and_go_with_the_last_source_using_them() {
    let (_dir, mut ws) = workspace();
    // One page saved twice, read by two extractions into two texts.
    let page =
        b"<html><body><p>Steel quotas stay.</p><p>Dairy is off.</p></body></html>".repeat(20);
    let a = added(
        ws.store_import(with_original("Steel quotas stay.", "/a.html", &page), NOW)
            .unwrap(),
    );
    let b = added(
        ws.store_import(with_original("Dairy is off.", "/b.html", &page), NOW)
            .unwrap(),
    );
    assert_eq!(
        count(&ws, "SELECT count(*) FROM original"),
        1,
        "identical bytes, one row"
    );
    let stats = ws.original_stats().unwrap();
    assert_eq!(stats.count, 1);
    assert_eq!(stats.bytes, page.len() as u64);
    assert!(
        stats.stored_bytes < stats.bytes,
        "markup deflates: {stats:?}"
    );
    assert_eq!(
        ws.source_original(a, None).unwrap().bytes,
        ws.source_original(b, Some(1)).unwrap().bytes
    );

    ws.delete_source(a).unwrap();
    assert_eq!(
        count(&ws, "SELECT count(*) FROM original"),
        1,
        "b still refers to it"
    );
    assert_eq!(ws.source_original(b, None).unwrap().bytes, page);
    ws.delete_source(b).unwrap();
    assert_eq!(
        count(&ws, "SELECT count(*) FROM original"),
        0,
        "released with its last version"
    );
    assert_eq!(count(&ws, "SELECT count(*) FROM source_version"), 0);
}

#[test]
fn a_reimport_appends_a_version_and_an_unchanged_text_does_not() {
    let (_dir, mut ws) = workspace();
    let id = added(
        ws.store_import(
            with_original("First text.", "/r.html", b"<p>First text.</p>"),
            NOW,
        )
        .unwrap(),
    );
    let same = ws
        .reimport_source(
            id,
            with_original("First text.", "/r.html", b"<p>First  text.</p>"),
            LATER,
        )
        .unwrap();
    assert!(!same.changed);
    assert_eq!(same.version, None);
    assert_eq!(
        ws.source_versions(id).unwrap().len(),
        1,
        "the same text is no new version"
    );
    let changed = ws
        .reimport_source(
            id,
            with_original("Second text.", "/r.html", b"<p>Second text.</p>"),
            LATER,
        )
        .unwrap();
    assert_eq!(changed.version, Some(2));
    let versions = ws.source_versions(id).unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].captured_at, LATER);
    let (_, body) = ws.source_version(id, Some(1)).unwrap();
    assert_eq!(body, "First text.", "each version keeps its own text");
    assert_eq!(
        ws.source_original(id, Some(1)).unwrap().bytes,
        b"<p>First text.</p>"
    );
    assert_eq!(
        ws.source_original(id, None).unwrap().bytes,
        b"<p>Second text.</p>"
    );
    assert_ne!(versions[0].uid, versions[1].uid);
    assert_eq!(versions[0].uid.len(), 32);
}

#[test]
fn pasted_text_has_a_version_without_an_original() {
    let (_dir, mut ws) = workspace();
    let id = ws
        .add_source(source("Pasted", "Some pasted text."), NOW)
        .unwrap()
        .id;
    let v = ws.source_versions(id).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].not_kept, Some(NotKept::NoOriginal));
    let err = ws.source_original(id, None).unwrap_err();
    assert!(
        matches!(err, StoreError::OriginalNotKept { number: 1, .. }),
        "{err:?}"
    );
    let err = ws.source_original(id, Some(2)).unwrap_err();
    assert!(
        matches!(err, StoreError::VersionNotFound { number: 2, .. }),
        "{err:?}"
    );
    assert_eq!(err.code(), "not_found");
}

#[test]
fn a_damaged_original_is_refused_not_handed_out() {
    let (_dir, mut ws) = workspace();
    let bytes = b"Plain words, repeated. ".repeat(50);
    let id = added(
        ws.store_import(with_original("Plain words.", "/p.txt", &bytes), NOW)
            .unwrap(),
    );
    ws.conn()
        .execute("UPDATE original SET data = zeroblob(length(data))", [])
        .unwrap();
    let err = ws.source_original(id, None).unwrap_err();
    assert_eq!(err.code(), "damaged", "{err}");
}

#[test]
fn a_workspace_from_before_versions_gets_version_1_of_every_source() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    {
        let mut conn = Connection::open(&path).unwrap();
        migrations().to_version(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO source (title, captured_at, updated_at, body, content_hash, format)
             VALUES ('Old page', '2025-01-02T03:04:05Z', '2025-06-01T00:00:00Z', 'Old text.', 'h1', 'html'),
                    ('Old note', '2025-02-03T04:05:06Z', '2025-02-03T04:05:06Z', 'Another.', 'h2', NULL);",
        )
        .unwrap();
    }
    let ws = Workspace::open(&path).unwrap();
    let versions = ws.source_versions(1).unwrap();
    assert_eq!(versions.len(), 1);
    let v = &versions[0];
    assert_eq!(v.number, 1);
    assert_eq!(
        v.captured_at, "2025-01-02T03:04:05Z",
        "captured when the source was"
    );
    assert_eq!(v.format.as_deref(), Some("html"));
    assert_eq!(v.not_kept, Some(NotKept::BeforeVersions));
    assert_eq!(v.original_sha256, None);
    assert_eq!(ws.source_version(1, None).unwrap().1, "Old text.");
    assert_eq!(
        ws.source_versions(2).unwrap()[0].not_kept,
        Some(NotKept::BeforeVersions)
    );
    assert_ne!(ws.source_versions(2).unwrap()[0].uid, v.uid);
    assert_eq!(ws.original_stats().unwrap().count, 0);
}
