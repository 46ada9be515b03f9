//! The merge rules, on replicas that sync through an in-memory log in many orders: every
//! replica ends with the same rows, and every concurrent edit is either applied or kept as a
//! conflict. (tests/pg_*.rs run the same kind of scenario against a real PostgreSQL.)

use std::path::Path;

use dossier_core::{ExcerptPatch, ExcerptTarget, NewSource, TagSpec};
use dossier_store::{Workspace, sync};
use dossier_sync::memory::MemoryLog;
use dossier_sync::{engine, sync_once};

const NOW: &str = "2026-12-06T10:00:00Z";

fn body(n: usize) -> String {
    format!(
        "Sample article {n}. Officials from both countries met on Tuesday to discuss the steel \
         quota. The aluminum sector asked for a longer review period. Forestry exporters said \
         the softwood duties remain the main obstacle. A further meeting is planned for spring."
    )
}

fn replica(dir: &Path, name: &str) -> Workspace {
    Workspace::open(&dir.join(format!("{name}.dossier"))).unwrap()
}

fn join(ws: &mut Workspace, name: &str) {
    let st = sync::SyncState {
        team: "trade".into(),
        server: "memory".into(),
        replica: format!("replica-{name}"),
        role: name.into(),
        last_pulled: 0,
        last_sync: None,
        last_error: None,
    };
    ws.with_tx(|tx| sync::start(tx, &st, NOW).map(|_| ()))
        .unwrap();
}

fn add_source(ws: &mut Workspace, n: usize) -> i64 {
    ws.add_source(
        NewSource {
            title: format!("Sample {n}"),
            body: body(n),
            ..NewSource::default()
        },
        NOW,
    )
    .unwrap()
    .source
    .id
}

fn quote(q: &str) -> ExcerptTarget {
    ExcerptTarget::Quote {
        quote: q.into(),
        occurrence: None,
    }
}

fn note(ws: &mut Workspace, id: i64, text: &str) {
    ws.edit_excerpt(
        id,
        ExcerptPatch {
            note: Some(text.into()),
            ..ExcerptPatch::default()
        },
        NOW,
    )
    .unwrap();
}

fn tag(ws: &mut Workspace, id: i64, path: &str) {
    ws.edit_excerpt(
        id,
        ExcerptPatch {
            add_tags: vec![path.into()],
            ..ExcerptPatch::default()
        },
        NOW,
    )
    .unwrap();
}

fn untag(ws: &mut Workspace, id: i64, path: &str) {
    ws.edit_excerpt(
        id,
        ExcerptPatch {
            remove_tags: vec![path.into()],
            ..ExcerptPatch::default()
        },
        NOW,
    )
    .unwrap();
}

fn excerpt_id(ws: &Workspace, uid: &str) -> i64 {
    ws.conn()
        .query_row("SELECT id FROM excerpt WHERE uid = ?1", [uid], |r| r.get(0))
        .unwrap()
}

fn source_id(ws: &Workspace, uid: &str) -> i64 {
    ws.conn()
        .query_row("SELECT id FROM source WHERE uid = ?1", [uid], |r| r.get(0))
        .unwrap()
}

fn uid_of(ws: &Workspace, table: &str, id: i64) -> String {
    ws.conn()
        .query_row(
            &format!("SELECT uid FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

/// Syncs every replica in the order given, then everyone again until nothing moves.
fn settle(log: &MemoryLog, replicas: &mut [(&str, &mut Workspace)]) {
    for _ in 0..3 {
        for (name, ws) in replicas.iter_mut() {
            sync_once(ws, &mut log.connect(name)).unwrap();
        }
    }
}

fn conflicts_of(ws: &Workspace) -> Vec<(String, String, Option<String>)> {
    let mut c: Vec<_> = sync::conflicts(ws.conn(), true)
        .unwrap()
        .into_iter()
        .map(|c| (c.uid, c.kind, c.field))
        .collect();
    c.sort();
    c
}

fn assert_same(a: &Workspace, b: &Workspace) {
    let sa = sync::logical_state(a.conn()).unwrap();
    let sb = sync::logical_state(b.conn()).unwrap();
    for (k, v) in &sa {
        assert_eq!(Some(v), sb.get(k), "row {k} differs");
    }
    for k in sb.keys() {
        assert!(sa.contains_key(k), "row {k} only on the second replica");
    }
    assert_eq!(conflicts_of(a), conflicts_of(b));
}

#[test]
fn two_replicas_edit_offline_and_converge_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let log = MemoryLog::new();
    let mut a = replica(dir.path(), "alice");
    a.add_tag("sector/steel", TagSpec::default(), NOW).unwrap();
    a.add_tag("sector/aluminum", TagSpec::default(), NOW)
        .unwrap();
    let s1 = add_source(&mut a, 1);
    let s3 = add_source(&mut a, 3);
    let e1 = a
        .add_excerpt(
            s1,
            quote("discuss the steel quota"),
            "first note",
            &["sector/steel".into()],
            NOW,
        )
        .unwrap()
        .id;
    join(&mut a, "alice");
    sync_once(&mut a, &mut log.connect("alice")).unwrap();

    let mut b = replica(dir.path(), "bob");
    join(&mut b, "bob");
    engine::pull(&mut b, &mut log.connect("bob"), 100).unwrap();
    sync_once(&mut b, &mut log.connect("bob")).unwrap();
    assert_same(&a, &b);

    let e1_uid = uid_of(&a, "excerpt", e1);
    let s1_uid = uid_of(&a, "source", s1);
    let s3_uid = uid_of(&a, "source", s3);
    let b_e1 = excerpt_id(&b, &e1_uid);
    let b_s1 = source_id(&b, &s1_uid);
    let b_s3 = source_id(&b, &s3_uid);

    // Offline, at the same time:
    note(&mut a, e1, "Alice's reading");
    note(&mut b, b_e1, "Bob's reading");
    tag(&mut a, e1, "sector/aluminum");
    untag(&mut b, b_e1, "sector/steel");
    tag(&mut b, b_e1, "sector/forestry");
    add_source(&mut a, 2);
    let b_e2 = b
        .add_excerpt(b_s1, quote("longer review period"), "", &[], NOW)
        .unwrap()
        .id;
    a.delete_source(s3).unwrap();
    let b_e3 = b
        .add_excerpt(b_s3, quote("softwood duties"), "still relevant", &[], NOW)
        .unwrap()
        .id;

    // Bob syncs first, then Alice, then both again.
    settle(&log, &mut [("bob", &mut b), ("alice", &mut a)]);
    assert_same(&a, &b);

    // Both notes survive: one in the excerpt, the other in a conflict.
    let note_now: String = a
        .conn()
        .query_row("SELECT note FROM excerpt WHERE uid = ?1", [&e1_uid], |r| {
            r.get(0)
        })
        .unwrap();
    let conflicts = sync::conflicts(a.conn(), false).unwrap();
    let on_note: Vec<_> = conflicts
        .iter()
        .filter(|c| c.item_uid == e1_uid && c.field.as_deref() == Some("note"))
        .collect();
    assert_eq!(on_note.len(), 1, "{conflicts:#?}");
    let mut both = vec![
        on_note[0].mine.as_str().unwrap().to_string(),
        on_note[0].theirs.as_str().unwrap().to_string(),
    ];
    both.sort();
    assert_eq!(both, vec!["Alice's reading", "Bob's reading"]);
    assert!(both.contains(&note_now));

    // Tags merge as sets: aluminum added by Alice, steel removed and forestry added by Bob.
    let tags: Vec<String> = a
        .get_excerpt(e1)
        .unwrap()
        .tags
        .iter()
        .map(|t| t.path.clone())
        .collect();
    assert!(tags.contains(&"sector/aluminum".to_string()), "{tags:?}");
    assert!(tags.contains(&"sector/forestry".to_string()), "{tags:?}");
    assert!(!tags.contains(&"sector/steel".to_string()), "{tags:?}");

    // The source Alice deleted while Bob excerpted it is kept, flagged.
    assert!(a.get_source(source_id(&a, &s3_uid)).is_ok());
    assert!(
        conflicts
            .iter()
            .any(|c| c.kind == "edit_delete" && c.item_uid == s3_uid)
    );
    let e3_uid = uid_of(&b, "excerpt", b_e3);
    assert!(a.get_excerpt(excerpt_id(&a, &e3_uid)).is_ok());
    let e2_uid = uid_of(&b, "excerpt", b_e2);
    assert!(a.get_excerpt(excerpt_id(&a, &e2_uid)).is_ok());

    // Resolving on one side resolves everywhere.
    let id = on_note[0].id;
    a.with_tx(|tx| sync::resolve(tx, id, sync::Keep::Theirs, NOW).map(|_| ()))
        .unwrap();
    settle(&log, &mut [("alice", &mut a), ("bob", &mut b)]);
    assert_same(&a, &b);
    assert!(
        sync::conflicts(b.conn(), false)
            .unwrap()
            .iter()
            .all(|c| c.uid != on_note[0].uid)
    );
}

#[test]
fn a_change_delivered_twice_is_applied_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = MemoryLog::new();
    let mut a = replica(dir.path(), "alice");
    join(&mut a, "alice");
    let s = add_source(&mut a, 1);
    a.add_excerpt(s, quote("steel quota"), "n", &[], NOW)
        .unwrap();
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    let mut b = replica(dir.path(), "bob");
    join(&mut b, "bob");
    sync_once(&mut b, &mut log.connect("bob")).unwrap();
    // The whole log again, as a retried pull would bring it.
    let again = log.all();
    b.with_tx(|tx| {
        tx.execute("UPDATE sync_state SET last_pulled = 0", [])?;
        sync::apply(tx, &again, NOW)
    })
    .unwrap();
    assert_same(&a, &b);
    let n: i64 = b
        .conn()
        .query_row("SELECT count(*) FROM excerpt", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}
