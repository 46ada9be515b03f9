use std::path::Path;
use std::time::Duration;

use dossier_store::backup::{self, Kind, Policy};
use dossier_store::{SCHEMA_VERSION, Workspace, migrations};
use rstest::rstest;
use rusqlite::Connection;

use super::{NOW, dump, source};

fn with_sources(n: usize) -> (tempfile::TempDir, Workspace) {
    let (dir, mut ws) = super::workspace();
    for i in 0..n {
        ws.add_source(
            source(&format!("Source {i}"), &format!("Body number {i}.")),
            NOW,
        )
        .unwrap();
    }
    (dir, ws)
}

fn kinds(ws: &Path) -> Vec<Kind> {
    backup::list(ws).unwrap().iter().map(|f| f.kind).collect()
}

#[test]
fn automatic_backups_are_taken_once_per_period_and_rotated() {
    let (_dir, ws) = with_sources(1);
    let policy = Policy {
        every: Duration::from_secs(24 * 3600),
        keep: 3,
    };
    let first = backup::auto_with(&ws, "2026-11-01T08:00:00Z", &policy)
        .unwrap()
        .expect("the first command of a workspace takes a backup");
    assert_eq!(
        first,
        backup::folder(ws.path()).join("ws-20261101T080000Z.sqlite")
    );
    assert_eq!(
        backup::auto_with(&ws, "2026-11-01T20:00:00Z", &policy).unwrap(),
        None,
        "twelve hours later the newest backup is recent enough"
    );
    for day in 2..=6 {
        let now = format!("2026-11-{day:02}T08:00:00Z");
        assert!(
            backup::auto_with(&ws, &now, &policy).unwrap().is_some(),
            "a day later a new backup is due ({now})"
        );
    }
    let names: Vec<String> = backup::list(ws.path())
        .unwrap()
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "ws-20261106T080000Z.sqlite",
            "ws-20261105T080000Z.sqlite",
            "ws-20261104T080000Z.sqlite"
        ],
        "only the newest `keep` automatic backups remain"
    );
}

#[test]
fn rotation_never_deletes_copies_kept_for_a_reason() {
    let (_dir, ws) = with_sources(1);
    let policy = Policy {
        every: Duration::from_secs(3600),
        keep: 1,
    };
    backup::write_manual(&ws, "2026-11-01T07:00:00Z").unwrap();
    for hour in 8..12 {
        backup::auto_with(&ws, &format!("2026-11-01T{hour:02}:00:00Z"), &policy).unwrap();
    }
    assert_eq!(kinds(ws.path()), [Kind::Automatic, Kind::Manual]);
}

#[test]
fn keep_zero_turns_automatic_backups_off() {
    let (_dir, ws) = with_sources(1);
    let off = Policy {
        keep: 0,
        ..Policy::default()
    };
    assert_eq!(backup::auto_with(&ws, NOW, &off).unwrap(), None);
    assert!(!backup::folder(ws.path()).exists());
}

#[test]
fn a_backup_is_a_complete_self_contained_copy() {
    let (dir, ws) = with_sources(3);
    let target = dir.path().join("copy.sqlite");
    let checked = backup::write_to(&ws, &target).unwrap();
    assert_eq!(checked.counts.sources, 3);
    assert_eq!(checked.schema_version, *SCHEMA_VERSION);
    let header = std::fs::read(&target).unwrap();
    assert_eq!(
        (header[18], header[19]),
        (1, 1),
        "a backup is in rollback-journal mode, so it needs no -wal file beside it"
    );
    let copy = Workspace::open(&target).unwrap();
    assert_eq!(
        dump(&copy),
        dump(&ws),
        "the copy holds exactly the workspace"
    );
}

#[test]
fn a_backup_never_overwrites_a_file() {
    let (dir, ws) = with_sources(1);
    let target = dir.path().join("precious.txt");
    std::fs::write(&target, "do not touch").unwrap();
    let err = backup::write_to(&ws, &target).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "do not touch");
}

#[test]
fn backups_taken_while_another_connection_writes_are_consistent() {
    let (dir, ws) = with_sources(0);
    let path = ws.path().to_path_buf();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut other = Workspace::open(&path).unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // A source and its excerpt in one transaction: a consistent copy has both or
                // neither.
                other
                    .with_tx(|tx| {
                        let id = dossier_store::sources::add(
                            tx,
                            source(&format!("Written {n}"), &format!("Steel text {n}.")),
                            NOW,
                        )?
                        .id;
                        dossier_store::excerpts::add(
                            tx,
                            id,
                            &dossier_core::ExcerptTarget::Quote {
                                quote: "Steel".into(),
                                occurrence: None,
                            },
                            "",
                            &[],
                            NOW,
                        )?;
                        Ok(())
                    })
                    .unwrap();
                n += 1;
            }
            n
        })
    };
    let mut sizes = Vec::new();
    for i in 0..10 {
        let target = dir.path().join(format!("during-{i}.sqlite"));
        let checked = backup::write_to(&ws, &target).expect("a backup while writing succeeds");
        assert_eq!(
            checked.counts.sources, checked.counts.excerpts,
            "every source in copy {i} comes with its excerpt"
        );
        sizes.push(checked.counts.sources);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written > 0, "the writer wrote while the copies were taken");
    assert!(
        sizes.windows(2).all(|w| w[0] <= w[1]),
        "later copies hold at least as much: {sizes:?}"
    );
}

#[rstest]
#[case::not_sqlite(b"my notes\n" as &[u8], "not an SQLite database")]
#[case::empty(b"", "not an SQLite database")]
#[case::truncated_header(b"SQLite format 3\0\x10\x00", "damaged")]
fn check_refuses_what_is_not_a_workspace(#[case] bytes: &[u8], #[case] message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.sqlite");
    std::fs::write(&path, bytes).unwrap();
    let err = backup::check(&path).unwrap_err();
    assert!(err.to_string().contains(message), "{message:?} in: {err}");
}

#[test]
fn check_refuses_an_sqlite_file_that_is_not_dossier() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA user_version = 3;")
        .unwrap();
    drop(conn);
    let err = backup::check(&path).unwrap_err();
    assert!(err.to_string().contains("not a Dossier workspace"), "{err}");
}

#[test]
fn check_refuses_a_newer_workspace() {
    let (dir, ws) = with_sources(1);
    let target = dir.path().join("newer.sqlite");
    backup::write_to(&ws, &target).unwrap();
    Connection::open(&target)
        .unwrap()
        .pragma_update(None, "user_version", (*SCHEMA_VERSION + 1) as i64)
        .unwrap();
    let err = backup::check(&target).unwrap_err();
    assert!(
        err.to_string().contains("newer version of Dossier"),
        "{err}"
    );
}

#[test]
fn check_refuses_a_damaged_file() {
    let (dir, ws) = with_sources(40);
    let target = dir.path().join("damaged.sqlite");
    backup::write_to(&ws, &target).unwrap();
    let mut bytes = std::fs::read(&target).unwrap();
    let page = 4096;
    // Every page after the first (the schema) overwritten: whatever the layout, tables break.
    for b in &mut bytes[page..] {
        *b = 0xA5;
    }
    std::fs::write(&target, &bytes).unwrap();
    let err = backup::check(&target).unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
}

#[test]
fn restore_replaces_the_contents_and_keeps_the_old_workspace_aside() {
    let (dir, mut ws) = with_sources(2);
    let saved = dir.path().join("saved.sqlite");
    backup::write_to(&ws, &saved).unwrap();
    let at_backup = dump(&ws);
    ws.add_source(source("After the backup", "Written later."), NOW)
        .unwrap();
    let before_restore = dump(&ws);

    let restored = backup::restore(ws.path(), &saved, "2026-11-27T10:00:00Z").unwrap();
    assert_eq!(restored.counts.sources, 2);
    assert_eq!(
        dump(&ws),
        at_backup,
        "a connection that was open during the restore sees the restored contents"
    );
    let kept = restored.kept_aside.expect("the old workspace is kept");
    assert_eq!(
        kept,
        backup::folder(ws.path()).join("ws-20261127T100000Z-before-restore.sqlite")
    );
    assert_eq!(
        dump(&Workspace::open(&kept).unwrap()),
        before_restore,
        "the copy kept aside is the workspace as it was just before"
    );
}

#[test]
fn restoring_an_older_schema_migrates_it() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.sqlite");
    {
        let mut conn = Connection::open(&old).unwrap();
        migrations().to_version(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO source (title, captured_at, updated_at, body, content_hash) VALUES ('Old', 'x', 'x', 'old text', 'h')",
            [],
        )
        .unwrap();
    }
    let ws_path = dir.path().join("ws.sqlite");
    let ws = Workspace::open(&ws_path).unwrap();
    let restored = backup::restore(&ws_path, &old, NOW).unwrap();
    assert_eq!(restored.file_schema_version, 1);
    let version: i64 = ws
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version as usize, *SCHEMA_VERSION);
    assert_eq!(ws.list_sources().unwrap()[0].title, "Old");
    let hits = ws
        .search("old", &Default::default())
        .expect("the restored text is searchable");
    assert_eq!(hits.total, 1);
}

#[test]
fn restore_over_a_file_that_is_not_a_workspace_moves_it_aside() {
    let (dir, ws) = with_sources(2);
    let saved = dir.path().join("saved.sqlite");
    backup::write_to(&ws, &saved).unwrap();
    drop(ws);
    let ws_path = dir.path().join("broken.sqlite");
    std::fs::write(&ws_path, "not a database at all").unwrap();
    let restored = backup::restore(&ws_path, &saved, NOW).unwrap();
    let kept = restored.kept_aside.expect("the broken file is kept");
    assert_eq!(
        std::fs::read_to_string(&kept).unwrap(),
        "not a database at all"
    );
    assert_eq!(
        Workspace::open(&ws_path)
            .unwrap()
            .list_sources()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_refused_restore_changes_nothing() {
    let (dir, ws) = with_sources(2);
    let bad = dir.path().join("bad.sqlite");
    std::fs::write(&bad, "garbage").unwrap();
    let before = dump(&ws);
    let err = backup::restore(ws.path(), &bad, NOW).unwrap_err();
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(dump(&ws), before);
    assert!(
        kinds(ws.path()).is_empty(),
        "nothing is written to the backups folder for a refused restore"
    );
}

#[test]
fn restore_onto_a_missing_workspace_puts_the_copy_in_place() {
    let (dir, ws) = with_sources(2);
    let saved = dir.path().join("saved.sqlite");
    backup::write_to(&ws, &saved).unwrap();
    let fresh = dir.path().join("elsewhere").join("new.sqlite");
    std::fs::create_dir_all(fresh.parent().unwrap()).unwrap();
    let restored = backup::restore(&fresh, &saved, NOW).unwrap();
    assert_eq!(restored.kept_aside, None, "there was nothing to keep");
    assert_eq!(dump(&Workspace::open(&fresh).unwrap()), dump(&ws));
}
