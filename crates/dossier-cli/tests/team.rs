//! A team workspace through the real `dossier` binary against a real PostgreSQL (a throwaway
//! cluster with TLS, started here): init, join, concurrent offline edits, sync in both orders,
//! a conflict shown and resolved, an unreachable server, and syncs killed with SIGKILL.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use dossier_store::{Workspace, sync};
use dossier_sync::testing::TestServer;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_dossier");

fn cmd(db: &Path, role: &str, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_NOW")
        .env("PGPASSWORD", TestServer::password(role))
        .env("DOSSIER_NO_KEYRING", "1")
        .stdin(Stdio::null());
    c
}

fn run(db: &Path, role: &str, args: &[&str]) -> Output {
    cmd(db, role, args)
        .output()
        .expect("the dossier binary runs")
}

fn json(db: &Path, role: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = run(db, role, &all);
    assert!(
        out.status.success(),
        "`dossier {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

const ARTICLE: &str = "Sample wire story. Negotiators met in the capital to review the steel \
quota. Industry groups asked for a longer consultation on aluminum. Lumber producers said the \
duties still weigh on exports. Officials expect another round before the summer.";

/// Alice's and Bob's workspace files in a temp folder; Alice's holds the sample story as
/// source 1. The folder lives as long as the first value.
fn desk() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("alice.sqlite");
    let b = dir.path().join("bob.sqlite");
    let article = dir.path().join("story.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    json(
        &a,
        "alice",
        &[
            "source",
            "add",
            article.to_str().unwrap(),
            "--title",
            "Wire story",
        ],
    );
    (dir, a, b)
}

fn excerpt_by_uid(db: &Path, role: &str, uid: &str) -> Value {
    let list = json(db, role, &["excerpt", "list"]);
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| {
            let id = e["id"].as_i64().unwrap();
            Workspace::open(db)
                .unwrap()
                .conn()
                .query_row("SELECT uid FROM excerpt WHERE id = ?1", [id], |r| {
                    r.get::<_, String>(0)
                })
                .unwrap()
                == uid
        })
        .cloned()
        .unwrap_or(Value::Null)
}

fn uid_of_excerpt(db: &Path, id: i64) -> String {
    Workspace::open(db)
        .unwrap()
        .conn()
        .query_row("SELECT uid FROM excerpt WHERE id = ?1", [id], |r| r.get(0))
        .unwrap()
}

fn same_state(a: &Path, b: &Path) {
    let sa = sync::logical_state(Workspace::open(a).unwrap().conn()).unwrap();
    let sb = sync::logical_state(Workspace::open(b).unwrap().conn()).unwrap();
    assert_eq!(sa.len(), sb.len());
    for (k, v) in &sa {
        assert_eq!(Some(v), sb.get(k), "row {k} differs");
    }
}

#[test]
fn two_analysts_sync_through_postgres_and_a_conflict_is_kept_and_resolved() {
    let mut server = TestServer::start();
    let (_dir, a, b) = desk();
    let e = json(
        &a,
        "alice",
        &[
            "excerpt",
            "add",
            "1",
            "--quote",
            "review the steel quota",
            "--note",
            "first",
        ],
    );
    let e_uid = uid_of_excerpt(&a, e["id"].as_i64().unwrap());

    let init = json(
        &a,
        "alice",
        &["team", "init", &server.url("alice"), "--name", "trade"],
    );
    assert_eq!(init["team"], "trade");
    assert!(!init["replica"].as_str().unwrap().is_empty());
    assert!(
        !init["server"]
            .as_str()
            .unwrap()
            .contains(&TestServer::password("alice")),
        "{init}"
    );

    // Bob is not a member yet: joining is refused, and his workspace stays as it was.
    let refused = run(
        &b,
        "bob",
        &["team", "join", &server.url("bob"), "--name", "trade"],
    );
    assert_eq!(refused.status.code(), Some(1));
    json(&a, "alice", &["team", "grant", "bob"]);
    let joined = json(
        &b,
        "bob",
        &["team", "join", &server.url("bob"), "--name", "trade"],
    );
    assert_eq!(joined["team"], "trade");
    assert_eq!(excerpt_by_uid(&b, "bob", &e_uid)["note"], "first");
    same_state(&a, &b);

    // Offline, the same note on both sides, and more.
    let b_id = excerpt_by_uid(&b, "bob", &e_uid)["id"].as_i64().unwrap();
    json(
        &a,
        "alice",
        &[
            "excerpt",
            "edit",
            &e["id"].to_string(),
            "--note",
            "Alice's reading",
        ],
    );
    json(
        &b,
        "bob",
        &[
            "excerpt",
            "edit",
            &b_id.to_string(),
            "--note",
            "Bob's reading",
        ],
    );
    json(
        &b,
        "bob",
        &[
            "excerpt",
            "add",
            "1",
            "--quote",
            "longer consultation on aluminum",
        ],
    );
    let status = json(&b, "bob", &["team", "status"]);
    assert!(status["pending"].as_u64().unwrap() >= 2, "{status}");
    for key in [
        "team",
        "server",
        "replica",
        "pending",
        "last_sync",
        "conflicts",
    ] {
        assert!(status.get(key).is_some(), "{key} missing from {status}");
    }

    let r1 = json(&b, "bob", &["sync"]);
    assert!(r1["pushed"].as_u64().unwrap() >= 2, "{r1}");
    let r2 = json(&a, "alice", &["sync"]);
    assert!(r2["pulled"].as_u64().unwrap() >= 2, "{r2}");
    json(&b, "bob", &["sync"]);
    same_state(&a, &b);

    let list = json(&a, "alice", &["conflict", "list"]);
    let c = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["item_uid"] == e_uid.as_str() && c["field"] == "note")
        .unwrap_or_else(|| panic!("no conflict on the note: {list}"))
        .clone();
    assert_eq!(c["mine"], "Alice's reading");
    assert_eq!(c["theirs"], "Bob's reading");
    assert_eq!(c["by"], "bob");
    for key in [
        "id", "item_uid", "kind", "field", "mine", "theirs", "by", "at",
    ] {
        assert!(c.get(key).is_some(), "{key} missing from {c}");
    }
    let bob_view = json(&b, "bob", &["conflict", "list"]);
    let bc = bob_view
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["uid"] == c["uid"])
        .unwrap()
        .clone();
    assert_eq!(bc["mine"], "Bob's reading");

    // Bob keeps Alice's: both end with it, and the conflict is gone on both.
    json(
        &b,
        "bob",
        &[
            "conflict",
            "resolve",
            &bc["id"].to_string(),
            "--keep",
            "theirs",
        ],
    );
    json(&b, "bob", &["sync"]);
    json(&a, "alice", &["sync"]);
    same_state(&a, &b);
    assert_eq!(
        excerpt_by_uid(&a, "alice", &e_uid)["note"],
        "Alice's reading"
    );
    assert_eq!(
        json(&a, "alice", &["conflict", "list"]),
        Value::Array(vec![])
    );
    assert_eq!(json(&b, "bob", &["conflict", "list"]), Value::Array(vec![]));

    // The server down: sync fails in plain words, the change stays queued, then goes.
    server.stop();
    json(
        &a,
        "alice",
        &[
            "excerpt",
            "edit",
            &e["id"].to_string(),
            "--note",
            "while offline",
        ],
    );
    let down = run(&a, "alice", &["sync"]);
    assert_eq!(down.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&down.stderr).contains("cannot be reached"),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
    assert!(
        json(&a, "alice", &["team", "status"])["pending"]
            .as_u64()
            .unwrap()
            >= 1
    );
    server.restart();
    json(&a, "alice", &["sync"]);
    assert_eq!(json(&a, "alice", &["team", "status"])["pending"], 0);
    json(&b, "bob", &["sync"]);
    assert_eq!(excerpt_by_uid(&b, "bob", &e_uid)["note"], "while offline");
    same_state(&a, &b);
}

/// Syncs killed with SIGKILL at random moments, mid-push and mid-pull: afterwards every
/// replica is intact, and once synced to the end both hold every edit, none twice.
#[test]
fn syncs_killed_at_random_moments_lose_and_duplicate_nothing() {
    let kills: usize = std::env::var("DOSSIER_SYNC_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let server = TestServer::start();
    let (_dir, a, b) = desk();
    json(
        &a,
        "alice",
        &["team", "init", &server.url("alice"), "--name", "desk"],
    );
    json(&a, "alice", &["team", "grant", "bob"]);
    json(
        &b,
        "bob",
        &["team", "join", &server.url("bob"), "--name", "desk"],
    );

    let quotes = [
        "steel quota",
        "consultation on aluminum",
        "duties still weigh",
        "another round",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut made = 0;
    let mut killed = 0;
    let mut window_ms = 200;
    for i in 0..kills {
        let (db, role) = if i % 2 == 0 {
            (&a, "alice")
        } else {
            (&b, "bob")
        };
        // An edit, then a sync killed somewhere between start-up and its end.
        let q = quotes[next(quotes.len() as u64) as usize];
        let out = run(
            db,
            role,
            &[
                "excerpt",
                "add",
                "1",
                "--quote",
                q,
                "--note",
                &format!("edit {i}"),
            ],
        );
        if out.status.success() {
            made += 1;
        }
        // The kill lands uniformly over how long a whole sync takes here (measured every ten
        // rounds, under whatever load the machine has), as crash.rs does for its workloads.
        if i % 10 == 0 {
            let t = std::time::Instant::now();
            json(db, role, &["sync"]);
            window_ms = (t.elapsed().as_millis() as u64).max(20);
        }
        let mut child = cmd(db, role, &["sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(next(window_ms)));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let ok: String = Workspace::open(db)
            .unwrap()
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "replica damaged after kill {i}");
    }
    // Kills must land while a sync runs, or this tests nothing.
    println!("{killed} of {kills} kills landed during a sync");
    assert!(
        killed * 4 >= kills,
        "only {killed} of {kills} kills landed during a sync"
    );
    for _ in 0..2 {
        json(&a, "alice", &["sync"]);
        json(&b, "bob", &["sync"]);
    }
    same_state(&a, &b);
    let notes: Vec<String> = json(&a, "alice", &["excerpt", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["note"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(notes.len(), made, "every excerpt made, once: {notes:?}");
    for i in 0..kills {
        let n = notes.iter().filter(|x| **x == format!("edit {i}")).count();
        assert!(n <= 1, "edit {i} arrived {n} times");
    }
    let mut su = server.superuser();
    let rows = su
        .query_one(
            "SELECT count(*), count(DISTINCT (team, change_uid)) FROM dossier.change",
            &[],
        )
        .unwrap();
    let (all, distinct): (i64, i64) = (rows.get(0), rows.get(1));
    assert_eq!(all, distinct, "a change is in the log twice");
}

/// A replica whose clock runs five minutes ahead does not win by its clock: the server's order
/// decides, and the edit that lost is kept as a conflict.
#[test]
fn a_clock_five_minutes_ahead_does_not_decide() {
    let server = TestServer::start();
    let (_dir, a, b) = desk();
    let e = json(
        &a,
        "alice",
        &[
            "excerpt",
            "add",
            "1",
            "--quote",
            "steel quota",
            "--note",
            "start",
        ],
    );
    let e_uid = uid_of_excerpt(&a, e["id"].as_i64().unwrap());
    json(
        &a,
        "alice",
        &["team", "init", &server.url("alice"), "--name", "clocks"],
    );
    json(&a, "alice", &["team", "grant", "bob"]);
    json(
        &b,
        "bob",
        &["team", "join", &server.url("bob"), "--name", "clocks"],
    );
    let b_id = excerpt_by_uid(&b, "bob", &e_uid)["id"].to_string();

    let ahead = (time::OffsetDateTime::now_utc() + time::Duration::minutes(5))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    // Bob (clock ahead) edits and syncs first; Alice edits after him and syncs second.
    let out = cmd(
        &b,
        "bob",
        &["excerpt", "edit", &b_id, "--note", "bob, clock ahead"],
    )
    .env("DOSSIER_NOW", &ahead)
    .output()
    .unwrap();
    assert!(out.status.success());
    json(&b, "bob", &["sync"]);
    json(
        &a,
        "alice",
        &[
            "excerpt",
            "edit",
            &e["id"].to_string(),
            "--note",
            "alice, on time",
        ],
    );
    json(&a, "alice", &["sync"]);
    json(&b, "bob", &["sync"]);
    same_state(&a, &b);
    assert_eq!(excerpt_by_uid(&b, "bob", &e_uid)["note"], "alice, on time");
    let list = json(&b, "bob", &["conflict", "list"]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["mine"] == "bob, clock ahead" && c["theirs"] == "alice, on time"),
        "{list}"
    );
}

/// The server stopped (as by a crash) while a sync pushes or pulls, then started again: the
/// next sync finishes the work, nothing lost, nothing twice.
#[test]
fn the_server_stopped_mid_sync_loses_nothing() {
    let mut server = TestServer::start();
    let (_dir, a, b) = desk();
    for _ in 0..40 {
        json(
            &a,
            "alice",
            &["excerpt", "add", "1", "--quote", "steel quota"],
        );
    }
    json(
        &a,
        "alice",
        &["team", "init", &server.url("alice"), "--name", "outage"],
    );
    json(&a, "alice", &["team", "grant", "bob"]);
    json(
        &b,
        "bob",
        &["team", "join", &server.url("bob"), "--name", "outage"],
    );
    let mut interrupted = 0;
    for round in 0..6 {
        // Many changes at once on one side, so the sync takes a while.
        {
            let mut ws = Workspace::open(&a).unwrap();
            ws.with_tx(|tx| {
                for n in 0..50 {
                    tx.execute(
                        "UPDATE excerpt SET note = ?1 WHERE id = (SELECT id FROM excerpt ORDER BY id LIMIT 1 OFFSET ?2)",
                        rusqlite::params![format!("round {round} edit {n}"), n % 40],
                    )?;
                }
                Ok(())
            })
            .unwrap();
        }
        let (db, role) = if round % 2 == 0 {
            (&a, "alice")
        } else {
            (&b, "bob")
        };
        let mut child = cmd(db, role, &["sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(40 + 30 * round as u64));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        server.stop();
        let _ = child.wait();
        server.restart();
        json(&a, "alice", &["sync"]);
        json(&b, "bob", &["sync"]);
    }
    json(&a, "alice", &["sync"]);
    same_state(&a, &b);
    assert_eq!(json(&a, "alice", &["team", "status"])["pending"], 0);
    assert_eq!(json(&b, "bob", &["team", "status"])["pending"], 0);
    assert!(interrupted > 0, "no stop landed during a sync");
    let mut su = server.superuser();
    let row = su
        .query_one(
            "SELECT count(*), count(DISTINCT (team, change_uid)) FROM dossier.change",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), row.get::<_, i64>(1));
}

/// Every item's uid lets an archive merge into a workspace that holds work: what it lacks is
/// added (references followed by uid), the same article already here is not duplicated, and
/// merging again adds nothing.
#[test]
fn an_archive_merges_into_a_workspace_that_holds_work() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite");
    let b = dir.path().join("b.sqlite");
    let article = dir.path().join("story.txt");
    let other = dir.path().join("other.txt");
    std::fs::write(&article, ARTICLE).unwrap();
    std::fs::write(
        &other,
        "A second sample story about the lumber panel and its ruling in June.",
    )
    .unwrap();
    json(
        &a,
        "alice",
        &[
            "source",
            "add",
            article.to_str().unwrap(),
            "--title",
            "Wire story",
        ],
    );
    json(
        &a,
        "alice",
        &["source", "add", other.to_str().unwrap(), "--title", "Panel"],
    );
    json(
        &a,
        "alice",
        &[
            "excerpt",
            "add",
            "2",
            "--quote",
            "lumber panel",
            "--note",
            "from A",
            "--tag",
            "sector/forestry",
        ],
    );
    json(
        &a,
        "alice",
        &[
            "excerpt",
            "add",
            "1",
            "--quote",
            "steel quota",
            "--note",
            "A on the shared story",
        ],
    );
    let archive = dir.path().join("a.json");
    json(
        &a,
        "alice",
        &["archive", "export", archive.to_str().unwrap()],
    );

    // B captured the same wire story on its own and excerpted it.
    json(
        &b,
        "bob",
        &[
            "source",
            "add",
            article.to_str().unwrap(),
            "--title",
            "Same story, B's copy",
        ],
    );
    json(
        &b,
        "bob",
        &[
            "excerpt",
            "add",
            "1",
            "--quote",
            "another round",
            "--note",
            "from B",
        ],
    );
    let refused = run(&b, "bob", &["archive", "import", archive.to_str().unwrap()]);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "a plain import into a workspace with work is refused"
    );

    let m = json(
        &b,
        "bob",
        &["archive", "import", archive.to_str().unwrap(), "--merge"],
    );
    assert!(m["added"].as_u64().unwrap() >= 3, "{m}");
    assert!(m["already"].as_u64().unwrap() >= 1, "{m}");
    assert_eq!(m["rejected"], 0, "{m}");
    let sources = json(&b, "bob", &["source", "list"]);
    assert_eq!(
        sources.as_array().unwrap().len(),
        2,
        "the shared story is not duplicated: {sources}"
    );
    let excerpts = json(&b, "bob", &["excerpt", "list"]);
    let notes: Vec<&str> = excerpts
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["note"].as_str().unwrap())
        .collect();
    for n in ["from A", "from B", "A on the shared story"] {
        assert!(notes.contains(&n), "{n} missing: {notes:?}");
    }
    let on_panel = excerpts
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["note"] == "from A")
        .unwrap();
    assert_eq!(on_panel["quote"], "lumber panel");
    assert!(
        on_panel["tags"].to_string().contains("sector/forestry"),
        "{on_panel}"
    );

    let again = json(
        &b,
        "bob",
        &["archive", "import", archive.to_str().unwrap(), "--merge"],
    );
    assert_eq!(again["added"], 0, "{again}");
}

/// What a replica holds is the whole evidence: every version of a source, with the file each was
/// read from, byte for byte, and a re-import's report naming the replica's own excerpts.
#[test]
fn a_replica_holds_every_version_and_its_original_file() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        dir.path().join("alice.sqlite"),
        dir.path().join("bob.sqlite"),
    );
    let page = dir.path().join("release.html");
    let v1 = "<html><head><title>Quota review</title></head><body><p>Intro sentence of the \
              release.</p><p>The quota review starts in May.</p><p>Closing words here.</p>\
              </body></html>";
    std::fs::write(&page, v1).unwrap();
    let imported = json(&a, "alice", &["import", page.to_str().unwrap()]);
    let id = imported["items"][0]["id"]
        .as_i64()
        .expect("the page was imported");
    // Two excerpts made and deleted first, so Alice's excerpt ids differ from Bob's.
    let scratch: Vec<i64> = ["Intro sentence", "Closing words"]
        .iter()
        .map(|q| {
            json(
                &a,
                "alice",
                &["excerpt", "add", &id.to_string(), "--quote", q],
            )["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    let e = json(
        &a,
        "alice",
        &[
            "excerpt",
            "add",
            &id.to_string(),
            "--quote",
            "quota review starts in May",
        ],
    );
    let e_uid = uid_of_excerpt(&a, e["id"].as_i64().unwrap());
    {
        let mut ws = Workspace::open(&a).unwrap();
        for s in scratch {
            ws.delete_excerpt(s).unwrap();
        }
    }
    json(
        &a,
        "alice",
        &["team", "init", &server.url("alice"), "--name", "trade"],
    );
    json(&a, "alice", &["team", "grant", "bob"]);
    json(
        &b,
        "bob",
        &["team", "join", &server.url("bob"), "--name", "trade"],
    );

    // Bob's copy: the same version 1, and the very bytes Alice imported.
    let b_id = Workspace::open(&b)
        .unwrap()
        .conn()
        .query_row(
            "SELECT source_id FROM excerpt WHERE uid = ?1",
            [&e_uid],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    let versions =
        |db: &Path, role: &str, id: i64| json(db, role, &["source", "versions", &id.to_string()]);
    assert_eq!(versions(&b, "bob", b_id), versions(&a, "alice", id));
    let out = dir.path().join("bob-copy.html");
    json(
        &b,
        "bob",
        &[
            "source",
            "original",
            &b_id.to_string(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(std::fs::read(&out).unwrap(), v1.as_bytes());

    // Alice re-imports the changed page; after a sync Bob has version 2, its file, and a report
    // that names his own copy of the excerpt that moved.
    let v2 = v1.replace(
        "Intro sentence of the release.",
        "A new first paragraph was added overnight, longer than the old one.",
    );
    std::fs::write(&page, &v2).unwrap();
    json(&a, "alice", &["source", "reimport", &id.to_string()]);
    json(&a, "alice", &["sync"]);
    json(&b, "bob", &["sync"]);
    let on_b = versions(&b, "bob", b_id);
    assert_eq!(on_b.as_array().unwrap().len(), 2, "{on_b}");
    let b_e = excerpt_by_uid(&b, "bob", &e_uid)["id"].as_i64().unwrap();
    assert_ne!(
        b_e,
        e["id"].as_i64().unwrap(),
        "the two replicas' ids differ"
    );
    assert_eq!(
        on_b[1]["reanchor"]["moved_ids"],
        serde_json::json!([b_e]),
        "{on_b}"
    );
    json(
        &b,
        "bob",
        &[
            "source",
            "original",
            &b_id.to_string(),
            "--version",
            "2",
            "-o",
            out.to_str().unwrap(),
            "--force",
        ],
    );
    assert_eq!(std::fs::read(&out).unwrap(), v2.as_bytes());
    let compared = json(&b, "bob", &["source", "compare", &b_id.to_string()]);
    assert_eq!(compared["excerpts"][0]["id"], b_e, "{compared}");
}
