//! `dossier backup`, `restore`, `archive` and `excerpt export --w3c` as a script sees them:
//! their JSON, their refusals, and the automatic backup the write commands take.

use std::fs;

use serde_json::json;

use super::{command, path_str, run, run_command, workspace_with};

#[test]
fn backup_writes_a_checked_copy_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace_with(dir.path(), 2);
    let copy = dir.path().join("copy.sqlite");
    let out = run(&db, &["--json", "backup", path_str(&copy)]).ok().json();
    assert_eq!(out["path"], path_str(&copy));
    assert_eq!(out["integrity"], "ok");
    assert_eq!(out["counts"]["sources"], 2);
    assert_eq!(out["counts"]["excerpts"], 4);
    assert!(out["bytes"].as_u64().unwrap() > 0);
    assert!(out["schema_version"].as_u64().unwrap() >= 1);

    let again = run(&db, &["--json", "backup", path_str(&copy)]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);

    let plain = run(&db, &["backup"]).ok();
    let manual = plain.stdout.trim();
    assert!(
        manual.ends_with("ws-20261126T120000Z-manual.sqlite"),
        "without FILE, a copy goes to the backups folder: {manual}"
    );
    let listed = run(&db, &["--json", "backup", "--list"]).ok().json();
    let mut kinds: Vec<&str> = listed["backups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["automatic", "manual"], "{listed}");
    assert_eq!(listed["folder"], path_str(&dir.path().join("backups")));
}

#[test]
fn write_commands_take_an_automatic_backup_once_a_day_and_reads_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace_with(dir.path(), 1);
    let backups = dir.path().join("backups");
    let count = || fs::read_dir(&backups).map(|d| d.count()).unwrap_or(0);
    assert_eq!(
        count(),
        1,
        "the first write with something to lose took one"
    );
    let at = |now: &str, args: &[&str]| {
        let mut cmd = command(&db, args);
        cmd.env("DOSSIER_NOW", now);
        run_command(cmd).ok()
    };
    at("2026-11-27T13:00:00Z", &["source", "list"]);
    at("2026-11-27T13:00:00Z", &["--json", "search", "steel"]);
    assert_eq!(count(), 1, "reads never take a backup");
    at("2026-11-27T13:00:00Z", &["tag", "add", "theme/new"]);
    assert_eq!(count(), 2, "a write a day later takes the next one");
    at("2026-11-27T14:00:00Z", &["tag", "add", "theme/newer"]);
    assert_eq!(count(), 2, "an hour later, the newest is recent enough");
    let mut off = command(&db, &["tag", "add", "theme/off"]);
    off.env("DOSSIER_NOW", "2026-12-30T00:00:00Z")
        .env("DOSSIER_BACKUP_KEEP", "0");
    run_command(off).ok();
    assert_eq!(count(), 2, "DOSSIER_BACKUP_KEEP=0 turns them off");
}

#[test]
fn restore_checks_the_file_first_and_keeps_the_workspace_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace_with(dir.path(), 2);
    let saved = dir.path().join("saved.sqlite");
    run(&db, &["backup", path_str(&saved)]).ok();
    let note = dir.path().join("later.txt");
    fs::write(&note, "Written after the backup: dairy.\n").unwrap();
    run(&db, &["source", "add", path_str(&note)]).ok();

    for (name, contents, message) in [
        ("notes.txt", &b"just notes"[..], "not an SQLite database"),
        ("empty.sqlite", b"", "not an SQLite database"),
    ] {
        let bad = dir.path().join(name);
        fs::write(&bad, contents).unwrap();
        let before = fs::read(&db).unwrap();
        let r = run(&db, &["--json", "restore", path_str(&bad)]);
        assert_eq!(r.code, 1, "{name}");
        assert!(r.stderr.contains(message), "{name}: {}", r.stderr);
        assert!(r.stderr.contains("nothing was changed"), "{}", r.stderr);
        assert_eq!(r.json()["error"]["code"], "invalid");
        assert_eq!(
            fs::read(&db).unwrap(),
            before,
            "{name}: workspace untouched"
        );
    }
    let missing = run(&db, &["restore", "/nowhere/backup.sqlite"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("no such file"),
        "{}",
        missing.stderr
    );

    let out = run(&db, &["--json", "restore", path_str(&saved)])
        .ok()
        .json();
    assert_eq!(out["counts"]["sources"], 2);
    assert_eq!(out["restored_from"], path_str(&saved));
    assert_eq!(out["workspace"], path_str(&db));
    let kept = out["kept_aside"].as_str().unwrap();
    assert!(
        kept.ends_with("backups/ws-20261126T120000Z-before-restore.sqlite"),
        "{kept}"
    );
    let listed = run(&db, &["--json", "source", "list"]).ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let kept_db = std::path::PathBuf::from(kept);
    let before = run(&kept_db, &["--json", "source", "list"]).ok().json();
    assert_eq!(
        before.as_array().unwrap().len(),
        3,
        "the copy kept aside holds the source added after the backup"
    );
}

#[test]
fn archive_round_trip_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace_with(dir.path(), 2);
    run(&db, &["question", "add", "When?", "--excerpt", "1"]).ok();
    let file = dir.path().join("all.json");
    let out = run(&db, &["--json", "archive", "export", path_str(&file)])
        .ok()
        .json();
    assert_eq!(out["format"], "dossier-archive");
    assert_eq!(out["version"], 1);
    assert_eq!(out["counts"]["questions"], 1);
    let archive: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(archive["format"], "dossier-archive");
    assert!(archive["tables"]["source"].as_array().unwrap().len() == 2);

    let refused = run(&db, &["--json", "archive", "import", path_str(&file)]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("--into-new"), "{}", refused.stderr);

    let copy = dir.path().join("copy.sqlite");
    let imported = run(
        &db,
        &[
            "--json",
            "archive",
            "import",
            path_str(&file),
            "--into-new",
            path_str(&copy),
        ],
    )
    .ok()
    .json();
    assert_eq!(imported["workspace"], path_str(&copy));
    assert_eq!(imported["counts"], out["counts"]);
    for args in [
        &["--json", "source", "list"][..],
        &["--json", "excerpt", "list"],
        &["--json", "tag", "list"],
        &["--json", "question", "list"],
    ] {
        assert_eq!(
            run(&copy, args).ok().stdout,
            run(&db, args).ok().stdout,
            "{args:?} reads the same in the copy"
        );
    }

    let fresh = dir.path().join("fresh.sqlite");
    run(&fresh, &["info"]).ok();
    run(&fresh, &["archive", "import", path_str(&file)]).ok();
    assert_eq!(
        run(&fresh, &["--json", "source", "list"]).ok().stdout,
        run(&db, &["--json", "source", "list"]).ok().stdout,
        "an empty workspace takes the archive in place"
    );
}

#[test]
fn excerpts_export_as_web_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace_with(dir.path(), 2);
    let stdout = run(&db, &["excerpt", "export", "--w3c", "--source", "2"])
        .ok()
        .stdout;
    let c: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(c["@context"], "http://www.w3.org/ns/anno.jsonld");
    let items = c["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["type"], "Annotation");
    assert_eq!(items[0]["target"]["source"], "urn:x-dossier:source:2");
    assert_eq!(
        items[0]["target"]["selector"][0]["exact"],
        "Paragraph 1 of article 1"
    );
    assert_eq!(
        items[0]["body"],
        json!([{ "type": "TextualBody", "value": "sector/steel", "purpose": "tagging" }])
    );

    let file = dir.path().join("annotations.jsonld");
    let out = run(
        &db,
        &[
            "--json",
            "excerpt",
            "export",
            "--w3c",
            "-o",
            path_str(&file),
        ],
    )
    .ok()
    .json();
    assert_eq!(out["annotations"], 4);
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["total"], 4);

    let no_format = run(&db, &["excerpt", "export"]);
    assert_eq!(
        no_format.code, 2,
        "the format must be named: {}",
        no_format.stderr
    );
    let unknown = run(&db, &["excerpt", "export", "--w3c", "--source", "42"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("no source with id 42"),
        "{}",
        unknown.stderr
    );
}
