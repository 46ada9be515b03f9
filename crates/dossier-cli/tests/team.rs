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
        let mut child = cmd(db, role, &["sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(next(250)));
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
    // Most kills must land while a sync runs, or this tests nothing.
    assert!(
        killed * 2 >= kills,
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
