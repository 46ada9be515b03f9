//! The merge rules, on replicas that sync through an in-memory log in many orders: every
//! replica ends with the same rows, and every concurrent edit is either applied or kept as a
//! conflict. (tests/pg_*.rs run the same kind of scenario against a real PostgreSQL.)

use std::path::Path;

use dossier_core::briefing::{NewBriefing, SectionKind};
use dossier_core::{ExcerptPatch, ExcerptTarget, NewSource, SourcePatch, TagSpec};
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
    match rng.next(13) {
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
        9 if !excerpts.is_empty() => {
            let pick: Vec<i64> = excerpts.iter().copied().take(3).collect();
            let fields = NewBriefing {
                title: format!("Note by {who} {step}"),
                ..NewBriefing::default()
            };
            ws.draft_briefing(&pick, &[], &fields, NOW).unwrap();
        }
        10 => {
            // The same briefing reordered on several replicas at once.
            let briefings = ids(ws, "briefing");
            if let Some(b) = briefings.first() {
                let doc = ws.get_briefing(*b).unwrap();
                let items: Vec<i64> = doc
                    .sections
                    .iter()
                    .flat_map(|s| s.items.iter().map(|i| i.id))
                    .collect();
                if !items.is_empty() {
                    let kinds = [
                        SectionKind::Issue,
                        SectionKind::Background,
                        SectionKind::CurrentStatus,
                    ];
                    let item = items[rng.next(items.len())];
                    ws.move_briefing_item(*b, item, kinds[rng.next(3)], rng.next(3), NOW)
                        .unwrap();
                }
            }
        }
        12 if !sources.is_empty() => {
            // A re-import of a changed text, with its original kept: a new version everywhere.
            let s = sources[rng.next(sources.len())];
            let body: String = ws
                .conn()
                .query_row("SELECT body FROM source WHERE id = ?1", [s], |r| r.get(0))
                .unwrap();
            let _ = ws.reimport_source(s, kept_file(&format!("{body} Update {step}.")), NOW);
        }
        11 if !sources.is_empty() => {
            let s = sources[rng.next(sources.len())];
            ws.edit_source(
                s,
                SourcePatch {
                    title: Some(format!("Retitled by {who} {step}")),
                    ..SourcePatch::default()
                },
                NOW,
            )
            .unwrap();
        }
        _ => {}
    }
}

fn scripted_team(replicas: usize, seed: u64) {
    let log = MemoryLog::new();
    let names: Vec<String> = (0..replicas).map(|i| format!("analyst{i}")).collect();
    scripted_team_on(&names, seed, &mut |name| Box::new(log.connect(name)));
}

/// Replicas named `names` of one team, reached through `connect`, make random edits and sync
/// in a random order; in the end all hold the same rows and conflicts, nothing pending.
pub fn scripted_team_on(
    names: &[String],
    seed: u64,
    connect: &mut dyn FnMut(&str) -> Box<dyn dossier_sync::Remote>,
) {
    let replicas = names.len();
    let dir = tempfile::tempdir().unwrap();
    let mut first = replica(dir.path(), &names[0]);
    for path in ["topic/quota", "topic/review", "topic/duties"] {
        first.add_tag(path, TagSpec::default(), NOW).unwrap();
    }
    add_source(&mut first, 1);
    join(&mut first, &names[0]);
    sync_once(&mut first, connect(&names[0]).as_mut()).unwrap();
    let mut ws = vec![first];
    for name in &names[1..] {
        let mut w = replica(dir.path(), name);
        join(&mut w, name);
        engine::pull(&mut w, connect(name).as_mut(), 1000).unwrap();
        ws.push(w);
    }
    let mut rng = Lcg(seed);
    for step in 0..120 {
        let i = rng.next(replicas);
        random_edit(&mut ws[i], &mut rng, &names[i], step);
        if rng.next(4) == 0 {
            let j = rng.next(replicas);
            sync_once(&mut ws[j], connect(&names[j]).as_mut()).unwrap();
        }
    }
    for _ in 0..2 {
        for (i, w) in ws.iter_mut().enumerate() {
            sync_once(w, connect(&names[i]).as_mut()).unwrap();
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

/// The same scripted team against a real PostgreSQL (a throwaway cluster with TLS): two and
/// then five analysts, each their own role, syncing through the team's log on the server.
#[test]
fn scripted_teams_converge_through_postgres() {
    use dossier_sync::testing::TestServer;
    use dossier_sync::{PgRemote, PgServer};
    let server = TestServer::start();
    for (team, n, seed) in [("pair", 2usize, 21u64), ("desk", 5, 22)] {
        let names: Vec<String> = (0..n).map(|i| format!("{team}{i}")).collect();
        for name in &names {
            server.create_role(name);
        }
        // The database's owner installs the schema, as a DBA would.
        let mut dba = PgServer::connect(&server.url("alice")).unwrap();
        if !dba.schema_installed().unwrap() {
            dba.install_schema().unwrap();
        }
        let mut owner = PgServer::connect(&server.url(&names[0])).unwrap();
        owner.create_team(team).unwrap();
        let mut remote = owner.open_team(team).unwrap();
        for name in &names[1..] {
            remote.grant(name).unwrap();
        }
        scripted_team_on(&names, seed, &mut |name| {
            Box::new(PgRemote::connect(&server.url(name), team).unwrap())
        });
    }
}

/// An excerpt made on a source's old text arrives after another replica re-imported the
/// source: it is placed on its quote in the new text, or orphaned when the quote is gone —
/// never left on other words.
#[test]
fn excerpts_on_old_text_are_reanchored_when_a_reimport_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let log = MemoryLog::new();
    let v1 = "Intro sentence of the release. The quota review starts in May. Closing words here.";
    let v2 = "A new first paragraph was added overnight. The quota review starts in May. Closing words here.";
    let mut a = replica(dir.path(), "alice");
    let s = a
        .add_source(
            NewSource {
                title: "Release".into(),
                body: v1.into(),
                ..NewSource::default()
            },
            NOW,
        )
        .unwrap()
        .id;
    join(&mut a, "alice");
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    let mut b = replica(dir.path(), "bob");
    join(&mut b, "bob");
    engine::pull(&mut b, &mut log.connect("bob"), 100).unwrap();
    let b_s = source_id(&b, &uid_of(&a, "source", s));

    // Bob excerpts the old text while Alice re-imports the new one.
    let kept = b
        .add_excerpt(b_s, quote("quota review starts in May"), "", &[], NOW)
        .unwrap()
        .id;
    let gone = b
        .add_excerpt(b_s, quote("Intro sentence"), "", &[], NOW)
        .unwrap()
        .id;
    let (kept_uid, gone_uid) = (uid_of(&b, "excerpt", kept), uid_of(&b, "excerpt", gone));
    a.reimport_source(
        s,
        dossier_store::ImportedText {
            source: NewSource {
                title: "Release".into(),
                body: v2.into(),
                ..NewSource::default()
            },
            ..Default::default()
        },
        NOW,
    )
    .unwrap();
    settle(&log, &mut [("bob", &mut b), ("alice", &mut a)]);
    assert_same(&a, &b);

    for ws in [&a, &b] {
        let (start, end, orphaned, body): (i64, i64, i64, String) = ws
            .conn()
            .query_row(
                "SELECT e.start, e.\"end\", e.orphaned, s.body FROM excerpt e JOIN source s ON s.id = e.source_id WHERE e.uid = ?1",
                [&kept_uid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(body, v2);
        assert_eq!(orphaned, 0);
        let at: String = body
            .chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect();
        assert_eq!(at, "quota review starts in May");
        let orphaned: i64 = ws
            .conn()
            .query_row(
                "SELECT orphaned FROM excerpt WHERE uid = ?1",
                [&gone_uid],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(orphaned, 1, "a quote no longer in the text is orphaned");
    }
}

/// How many changes made here and not yet in the log were replayed over the team's since
/// `mark_replayed` (a replay writes their `undo` image afresh).
fn replayed(ws: &Workspace) -> i64 {
    ws.conn()
        .query_row(
            "SELECT count(*) FROM sync_outbox
             WHERE undo IS NOT NULL AND json_extract(undo, '$.seen') IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn mark_replayed(ws: &Workspace) {
    ws.conn()
        .execute(
            "UPDATE sync_outbox SET undo = json_set(undo, '$.seen', 1) WHERE undo IS NOT NULL",
            [],
        )
        .unwrap();
}

#[test]
fn a_pull_leaves_in_place_the_changes_here_that_the_team_s_do_not_touch() {
    let dir = tempfile::tempdir().unwrap();
    let log = MemoryLog::new();
    let mut a = replica(dir.path(), "alice");
    let s = add_source(&mut a, 1);
    let mut ex = Vec::new();
    for q in ["steel quota", "longer review period", "softwood duties"] {
        ex.push(a.add_excerpt(s, quote(q), "", &[], NOW).unwrap().id);
    }
    join(&mut a, "alice");
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    let mut b = replica(dir.path(), "bob");
    join(&mut b, "bob");
    sync_once(&mut b, &mut log.connect("bob")).unwrap();
    let on_b = |a: &Workspace, b: &Workspace, id: i64| excerpt_id(b, &uid_of(a, "excerpt", id));
    let (b0, b1) = (on_b(&a, &b, ex[0]), on_b(&a, &b, ex[1]));

    // Both read the first excerpt differently; Bob also annotates the second, offline.
    note(&mut a, ex[0], "Alice's reading");
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    note(&mut b, b0, "Bob's reading");
    note(&mut b, b1, "Bob on the review period");

    // Bob pulls without pushing: his edit of the first excerpt is taken back and replayed over
    // Alice's (a provisional conflict); his edit of the second is left where it is.
    engine::pull(&mut b, &mut log.connect("bob"), 100).unwrap();
    assert_eq!(replayed(&b), 1, "only the entangled change is replayed");
    assert_eq!(sync::open_conflicts(b.conn()).unwrap(), 1);

    // Alice annotates the third; Bob pulls again. Neither of his changes touches it: both stay
    // in place, and the conflict his first one found is still there.
    note(&mut a, ex[2], "Alice on softwood");
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    mark_replayed(&b);
    engine::pull(&mut b, &mut log.connect("bob"), 100).unwrap();
    assert_eq!(
        replayed(&b),
        0,
        "nothing Bob did touches Alice's latest change"
    );
    assert_eq!(sync::open_conflicts(b.conn()).unwrap(), 1);
    let notes = |w: &Workspace| -> Vec<String> {
        let mut st = w
            .conn()
            .prepare("SELECT note FROM excerpt ORDER BY start")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(
        notes(&b),
        [
            "Bob's reading",
            "Bob on the review period",
            "Alice on softwood"
        ]
    );

    // Once everything is in the log, both replicas agree, the conflict included.
    sync_once(&mut b, &mut log.connect("bob")).unwrap();
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    assert_same(&a, &b);
    assert_eq!(sync::open_conflicts(a.conn()).unwrap(), 1);
    assert_eq!(sync::open_conflicts(b.conn()).unwrap(), 1);
}

fn kept_file(body: &str) -> dossier_store::ImportedText {
    dossier_store::ImportedText {
        source: NewSource {
            title: "Release".into(),
            body: body.into(),
            ..NewSource::default()
        },
        format: Some("html".into()),
        original: Some(dossier_store::Original::new(
            format!("<html><body><p>{body}</p></body></html>").into_bytes(),
        )),
        ..Default::default()
    }
}

#[test]
fn source_versions_and_kept_originals_reach_every_replica() {
    let dir = tempfile::tempdir().unwrap();
    let log = MemoryLog::new();
    let v1 = "Intro sentence of the release. The quota review starts in May. Closing words here.";
    let v2 = "A new first paragraph was added overnight. The quota review starts in May. Closing words here.";
    let mut a = replica(dir.path(), "alice");
    let dossier_store::Stored::Added(s) = a.store_import(kept_file(v1), NOW).unwrap() else {
        panic!("a new source");
    };
    // Two excerpts made and deleted first, so Alice's excerpt ids differ from Bob's.
    let scratch: Vec<i64> = ["Intro sentence", "Closing words"]
        .into_iter()
        .map(|q| a.add_excerpt(s, quote(q), "", &[], NOW).unwrap().id)
        .collect();
    let e = a
        .add_excerpt(s, quote("quota review starts in May"), "", &[], NOW)
        .unwrap()
        .id;
    for id in scratch {
        a.delete_excerpt(id).unwrap();
    }
    join(&mut a, "alice");
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    let mut b = replica(dir.path(), "bob");
    join(&mut b, "bob");
    sync_once(&mut b, &mut log.connect("bob")).unwrap();
    let b_s = source_id(&b, &uid_of(&a, "source", s));
    let b_e = excerpt_id(&b, &uid_of(&a, "excerpt", e));
    assert_ne!(b_e, e, "the two replicas' ids differ");

    // Bob holds version 1 and the very bytes Alice imported.
    assert_eq!(
        b.source_versions(b_s).unwrap(),
        a.source_versions(s).unwrap()
    );
    let original = b.source_original(b_s, None).unwrap();
    assert_eq!(
        original.bytes,
        format!("<html><body><p>{v1}</p></body></html>").into_bytes()
    );
    assert_eq!(
        original.sha256,
        dossier_store::originals::sha256_hex(&original.bytes)
    );

    // Alice re-imports a changed text: the excerpt moves. Bob gets version 2, its original, and
    // a report that names his own copy of the excerpt (ids are each replica's own).
    a.reimport_source(s, kept_file(v2), NOW).unwrap();
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    sync_once(&mut b, &mut log.connect("bob")).unwrap();
    let on_b = b.source_versions(b_s).unwrap();
    assert_eq!(on_b.len(), 2);
    let report = on_b[1].reanchor.clone().expect("a re-import's report");
    assert_eq!((report.moved, report.moved_ids.clone()), (1, vec![b_e]));
    assert_eq!(
        a.source_versions(s).unwrap()[1]
            .reanchor
            .clone()
            .unwrap()
            .moved_ids,
        vec![e]
    );
    assert_eq!(
        b.source_original(b_s, Some(2)).unwrap().bytes,
        format!("<html><body><p>{v2}</p></body></html>").into_bytes()
    );

    // Both re-import at once, offline, different texts: both versions are kept, numbered in
    // the team's order, the same on both replicas.
    a.reimport_source(s, kept_file(&format!("{v2} Alice's update.")), NOW)
        .unwrap();
    b.reimport_source(b_s, kept_file(&format!("{v2} Bob's update.")), NOW)
        .unwrap();
    settle(&log, &mut [("bob", &mut b), ("alice", &mut a)]);
    assert_same(&a, &b);
    let (va, vb) = (
        a.source_versions(s).unwrap(),
        b.source_versions(b_s).unwrap(),
    );
    assert_eq!(va.len(), 4);
    assert_eq!(
        va.iter()
            .map(|v| (v.number, v.uid.clone()))
            .collect::<Vec<_>>(),
        vb.iter()
            .map(|v| (v.number, v.uid.clone()))
            .collect::<Vec<_>>()
    );
    for n in 1..=4 {
        assert_eq!(
            a.source_original(s, Some(n)).unwrap().bytes,
            b.source_original(b_s, Some(n)).unwrap().bytes
        );
    }
}

#[test]
fn large_originals_travel_in_pushes_of_bounded_size() {
    let dir = tempfile::tempdir().unwrap();
    let log = MemoryLog::new();
    let mut a = replica(dir.path(), "alice");
    join(&mut a, "alice");
    // Three scanned documents of 12 MB that do not compress: 24 MB each as hex.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut shas = Vec::new();
    for n in 0..3 {
        let bytes: Vec<u8> = (0..12 << 20)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let mut file = kept_file(&format!(
            "Scanned report {n}. The quota review starts in May."
        ));
        file.source.origin = Some(format!("/scans/report-{n}.pdf"));
        file.original = Some(dossier_store::Original::new(bytes));
        shas.push(file.original.as_ref().unwrap().sha256.clone());
        a.store_import(file, NOW).unwrap();
    }
    let first = a
        .with_tx(|tx| sync::pending(tx, "replica-alice", 5000))
        .unwrap();
    let size: usize = first
        .iter()
        .map(|c| c.new.as_ref().map_or(0, |v| v.to_string().len()))
        .sum();
    let originals = first.iter().filter(|c| c.tbl == "original").count();
    assert_eq!(originals, 1, "one original per push");
    assert!(size < 2 * sync::PUSH_BYTES, "{size} bytes in one push");
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    assert_eq!(sync::pending_count(a.conn()).unwrap(), 0);

    let mut b = replica(dir.path(), "bob");
    join(&mut b, "bob");
    sync_once(&mut b, &mut log.connect("bob")).unwrap();
    assert_same(&a, &b);
    for sha in &shas {
        let (size, ok): (i64, bool) = b
            .conn()
            .query_row(
                "SELECT size, length(data) > 0 FROM original WHERE sha256 = ?1",
                [sha],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((size, ok), (12 << 20, true));
    }
}

#[test]
fn a_team_workspace_from_before_versions_synced_sends_them_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = MemoryLog::new();
    let mut a = replica(dir.path(), "alice");
    a.store_import(kept_file("The quota review starts in May."), NOW)
        .unwrap();
    join(&mut a, "alice");
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    // As a version that did not sync source versions and originals left it.
    a.conn()
        .execute(
            "DELETE FROM sync_queued WHERE tbl IN ('original', 'source_version')",
            [],
        )
        .unwrap();
    drop(a);
    let a = replica(dir.path(), "alice");
    assert_eq!(
        sync::pending_count(a.conn()).unwrap(),
        2,
        "one version, one original"
    );
    drop(a);
    let mut a = replica(dir.path(), "alice");
    assert_eq!(sync::pending_count(a.conn()).unwrap(), 2, "queued once");
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    let mut b = replica(dir.path(), "bob");
    join(&mut b, "bob");
    sync_once(&mut b, &mut log.connect("bob")).unwrap();
    sync_once(&mut a, &mut log.connect("alice")).unwrap();
    assert_same(&a, &b);
    assert_eq!(
        b.conn()
            .query_row("SELECT count(*) FROM source_version", [], |r| r
                .get::<_, i64>(0))
            .unwrap(),
        1
    );
}
