use dossier_store::{SCHEMA_VERSION, StoreError, Workspace, migrations};
use rusqlite::Connection;

#[test]
fn migrations_are_valid() {
    migrations()
        .validate()
        .expect("every migration applies cleanly to an empty database");
}

#[test]
fn migrated_schema_snapshot() {
    let (_dir, ws) = super::workspace();
    let mut stmt = ws
        .conn()
        .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name")
        .unwrap();
    let schema: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    insta::assert_snapshot!(schema.join(";\n\n"));
}

#[test]
fn pragmas_are_set_on_every_connection() {
    let (_dir, ws) = super::workspace();
    let fk: i64 = ws
        .conn()
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    let mode: String = ws
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(
        (fk, mode.as_str()),
        (1, "wal"),
        "foreign keys on and WAL journal"
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite");
    std::fs::write(&path, "These are my notes, not a database.\n").unwrap();
    let err = Workspace::open(&path).err().expect("must be refused");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("not a Dossier workspace"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "These are my notes, not a database.\n"
    );
}

#[test]
fn a_newer_workspace_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    drop(Workspace::open(&path).unwrap());
    let newer = (*SCHEMA_VERSION + 5) as i64;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Workspace::open(&path).err().expect("must be refused");
    assert_eq!(err.code(), "workspace_too_new", "{err}");
    assert!(
        err.to_string().contains("newer version of Dossier"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file must not change"
    );
}

#[test]
fn an_older_workspace_is_copied_aside_before_migrating() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    {
        let mut conn = Connection::open(&path).unwrap();
        migrations().to_version(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO source (title, captured_at, updated_at, body, content_hash) VALUES ('Old', 'x', 'x', 'old text', 'h')",
            [],
        )
        .unwrap();
    }
    let ws = Workspace::open(&path).unwrap();
    let version: i64 = ws
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version as usize, *SCHEMA_VERSION);
    let copy = dir.path().join("backups/ws-before-schema-1.sqlite");
    assert!(
        copy.exists(),
        "a copy of the old workspace is kept at {}",
        copy.display()
    );
    let old = Connection::open(&copy).unwrap();
    let titles: String = old
        .query_row("SELECT group_concat(title) FROM source", [], |r| r.get(0))
        .unwrap();
    assert_eq!(titles, "Old");
    let v: i64 = old
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, 1, "the copy keeps the old schema");
    let mode: String = old
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(
        mode, "delete",
        "the copy is one self-contained file, with no -wal beside it"
    );
}

#[test]
fn a_folder_is_not_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let err = Workspace::open(dir.path())
        .err()
        .expect("a folder is refused");
    assert!(err.to_string().contains("folder"), "{err}");
}

#[test]
fn a_version_7_workspace_takes_scans_after_migrating_and_keeps_its_excerpts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    {
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        migrations().to_version(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO source (title, captured_at, updated_at, body, content_hash, format)
               VALUES ('Old', 'x', 'x', 'old text here', 'h', 'pdf');
             INSERT INTO excerpt (source_id, quote, start, \"end\", created_at, updated_at)
               VALUES (1, 'text', 4, 8, 'x', 'x');",
        )
        .unwrap();
        let refused = conn.execute("UPDATE source SET format = 'image' WHERE id = 1", []);
        assert!(refused.is_err(), "version 7 refuses the image format");
    }
    let ws = Workspace::open(&path).unwrap();
    let conn = ws.conn();
    let excerpts: i64 = conn
        .query_row("SELECT count(*) FROM excerpt", [], |r| r.get(0))
        .unwrap();
    assert_eq!(excerpts, 1, "no excerpt was lost to the migration");
    // The same connection that migrated sees the new rule at once.
    conn.execute(
        "UPDATE source SET format = 'image', ocr = '{\"pages\":[1],\"confidence\":0.9}' WHERE id = 1",
        [],
    )
    .unwrap();
    let err = conn
        .execute("UPDATE source SET format = 'gif' WHERE id = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("source format"), "{err}");
    let err = conn
        .execute("UPDATE source SET ocr = '[1]' WHERE id = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
    let err = conn
        .execute(
            "INSERT INTO source (title, captured_at, updated_at, body, content_hash, format)
               VALUES ('New', 'x', 'x', 'new', 'h2', 'exe')",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("source format"), "{err}");
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    drop(ws);
    // And so does a new connection, reading the edited schema from the file.
    let again = Workspace::open(&path).unwrap();
    let format: String = again
        .conn()
        .query_row("SELECT format FROM source WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(format, "image");
    assert!(
        again
            .conn()
            .execute("UPDATE source SET format = 'gif' WHERE id = 1", [])
            .is_err()
    );
}
