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
    for w in [a, b] {
        let rejected: Vec<_> = sync::conflicts(w.conn(), true)
            .unwrap()
            .into_iter()
            .filter(|c| c.kind == "rejected")
            .collect();
        assert!(rejected.is_empty(), "{rejected:#?}");
    }
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
    for path in ["topic/quota", "topic/review", "topic/duties"] {
        a.add_tag(path, TagSpec::default(), NOW).unwrap();
    }
    let s1 = add_source(&mut a, 1);
    let s3 = add_source(&mut a, 3);
    let e1 = a
        .add_excerpt(
            s1,
            quote("discuss the steel quota"),
            "first note",
            &["topic/quota".into()],
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
    tag(&mut a, e1, "topic/review");
    untag(&mut b, b_e1, "topic/quota");
    tag(&mut b, b_e1, "topic/duties");
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
    let tags: Vec<String> = a.get_excerpt(e1).unwrap().tags.to_vec();
    assert!(tags.contains(&"topic/review".to_string()), "{tags:?}");
    assert!(tags.contains(&"topic/duties".to_string()), "{tags:?}");
    assert!(!tags.contains(&"topic/quota".to_string()), "{tags:?}");

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

/// A small deterministic generator, so a failure replays.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn ids(ws: &Workspace, table: &str) -> Vec<i64> {
    let mut stmt = ws
        .conn()
        .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// One random edit of the kinds analysts make, on whatever this replica holds.
fn random_edit(ws: &mut Workspace, rng: &mut Lcg, who: &str, step: usize) {
    let sources = ids(ws, "source");
    let excerpts = ids(ws, "excerpt");
    let quotes = [
        "steel quota",
        "longer review period",
        "softwood duties",
        "further meeting",
    ];
    let tags = ["topic/quota", "topic/review", "topic/duties"];
    match rng.next(9) {
        0 => {
            // The same article may be captured on two replicas at once: one source in the end.
            let _ = ws.add_source(
                NewSource {
                    title: format!("Sample by {who}"),
                    body: body(100 + rng.next(6)),
                    ..NewSource::default()
                },
                NOW,
            );
        }
        1 | 2 if !sources.is_empty() => {
            let s = sources[rng.next(sources.len())];
            let _ = ws.add_excerpt(
                s,
                quote(quotes[rng.next(quotes.len())]),
                &format!("{who} {step}"),
                &[],
                NOW,
            );
        }
        3 | 4 if !excerpts.is_empty() => {
            note(
                ws,
                excerpts[rng.next(excerpts.len())],
                &format!("{who} says {step}"),
            );
        }
        5 if !excerpts.is_empty() => {
            tag(
                ws,
                excerpts[rng.next(excerpts.len())],
                tags[rng.next(tags.len())],
            );
        }
        6 if !excerpts.is_empty() => {
            untag(
                ws,
                excerpts[rng.next(excerpts.len())],
                tags[rng.next(tags.len())],
            );
        }
        7 if !excerpts.is_empty() => {
            ws.delete_excerpt(excerpts[rng.next(excerpts.len())])
                .unwrap();
        }
        8 if sources.len() > 1 => {
            ws.delete_source(sources[rng.next(sources.len())]).unwrap();
        }
        _ => {}
    }
}

fn scripted_team(replicas: usize, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let log = MemoryLog::new();
    let names: Vec<String> = (0..replicas).map(|i| format!("analyst{i}")).collect();
    let mut first = replica(dir.path(), &names[0]);
    for path in ["topic/quota", "topic/review", "topic/duties"] {
        first.add_tag(path, TagSpec::default(), NOW).unwrap();
    }
    add_source(&mut first, 1);
    join(&mut first, &names[0]);
    sync_once(&mut first, &mut log.connect(&names[0])).unwrap();
    let mut ws = vec![first];
    for name in &names[1..] {
        let mut w = replica(dir.path(), name);
        join(&mut w, name);
        engine::pull(&mut w, &mut log.connect(name), 1000).unwrap();
        ws.push(w);
    }
    let mut rng = Lcg(seed);
    for step in 0..120 {
        let i = rng.next(replicas);
        random_edit(&mut ws[i], &mut rng, &names[i], step);
        if rng.next(4) == 0 {
            let j = rng.next(replicas);
            sync_once(&mut ws[j], &mut log.connect(&names[j])).unwrap();
        }
    }
    for _ in 0..2 {
        for (i, w) in ws.iter_mut().enumerate() {
            sync_once(w, &mut log.connect(&names[i])).unwrap();
        }
    }
    for w in &ws[1..] {
        assert_same(&ws[0], w);
    }
    for w in &ws {
        assert_eq!(sync::pending_count(w.conn()).unwrap(), 0);
    }
}

#[test]
fn two_replicas_with_random_edits_in_random_orders_converge() {
    for seed in 1..=6 {
        scripted_team(2, seed);
    }
}

#[test]
fn five_replicas_with_random_edits_in_random_orders_converge() {
    for seed in 11..=14 {
        scripted_team(5, seed);
    }
}
