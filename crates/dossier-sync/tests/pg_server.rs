//! The team server on a real PostgreSQL (a throwaway cluster with TLS, started by each test):
//! the schema, the log's order and idempotence, and who may read and write what.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use dossier_sync::testing::{Options, TestServer};
use dossier_sync::{Change, Op, PgRemote, PgServer, Remote, RemoteError};
use serde_json::json;

fn change(n: usize, tx: &str) -> Change {
    Change {
        change_uid: format!("c-{tx}-{n}"),
        tx_uid: tx.to_string(),
        replica: "replica-1".into(),
        tbl: "excerpt".into(),
        row_uid: format!("row-{n}"),
        op: if n.is_multiple_of(3) {
            Op::Update
        } else {
            Op::Insert
        },
        old: n
            .is_multiple_of(3)
            .then(|| json!({"uid": format!("row-{n}"), "text": "before"})),
        new: Some(
            json!({"uid": format!("row-{n}"), "text": format!("excerpt number {n} é ✓"), "n": n}),
        ),
        made_at: "2026-12-06T10:00:00Z".into(),
        seq: None,
        author: None,
        at: None,
    }
}

fn db_message(e: &postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string())
}

/// A server with the schema installed and team "desk" owned by alice, bob a member.
fn server_with_team() -> (TestServer, PgRemote) {
    let server = TestServer::start();
    let mut alice = PgServer::connect(&server.url("alice")).expect("alice connects");
    assert!(alice.is_tls());
    alice.install_schema().unwrap();
    alice.create_team("desk").unwrap();
    let mut remote = alice.open_team("desk").unwrap();
    remote.grant("bob").unwrap();
    (server, remote)
}

#[test]
fn schema_installs_twice_and_a_team_is_created() {
    let server = TestServer::start();
    let mut alice = PgServer::connect(&server.url("alice")).unwrap();
    assert_eq!(alice.role(), "alice");
    assert!(!alice.schema_installed().unwrap());
    alice.install_schema().unwrap();
    alice.install_schema().unwrap();
    assert!(alice.schema_installed().unwrap());
    // A second connection (another role) installing again is a no-op too.
    let mut bob = PgServer::connect(&server.url("bob")).unwrap();
    bob.install_schema().unwrap();

    let team = alice.create_team("Canada-US trade").unwrap();
    assert_eq!(team.name, "Canada-US trade");
    assert_eq!(team.owner, "alice");
    assert!(team.require_tls);
    assert_eq!(team.uid.len(), 36);
    let err = alice.create_team("Canada-US trade").unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(alice.create_team("  ").is_err());

    let mut remote = alice.open_team("Canada-US trade").unwrap();
    assert_eq!(remote.team(), &team);
    assert_eq!(remote.log_head().unwrap(), 0);
    let members = remote.members().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].role, "alice");
    remote.grant("bob").unwrap();
    remote.grant("bob").unwrap();
    let roles: Vec<_> = remote
        .members()
        .unwrap()
        .into_iter()
        .map(|m| m.role)
        .collect();
    assert_eq!(roles, ["alice", "bob"]);
    let err = remote.grant("nobody_here").unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("no PostgreSQL role"), "{err}");
    remote.register_replica("replica-a").unwrap();
    remote.register_replica("replica-a").unwrap();

    // bob sees the team; carol does not.
    let bob = PgServer::connect(&server.url("bob")).unwrap();
    bob.open_team("Canada-US trade").unwrap();
    let carol = PgServer::connect(&server.url("carol")).unwrap();
    let err = carol.open_team("Canada-US trade").unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("not a member of team"), "{err}");

    // A database without the schema says so plainly.
    let mut fresh = PgServer::connect(&server.url_with(
        "alice",
        &format!(
            "sslmode=verify-full&sslrootcert={}",
            server.ca_path().display()
        ),
    ))
    .unwrap();
    fresh
        .client()
        .batch_execute("DROP SCHEMA dossier CASCADE")
        .unwrap();
    let err = fresh.open_team("x").unwrap_err();
    assert!(err.to_string().contains("no Dossier team schema"), "{err}");
}

#[test]
fn push_pull_round_trip_is_ordered_idempotent_and_keeps_transactions_whole() {
    let (server, mut alice) = server_with_team();
    let tx1: Vec<Change> = (0..5).map(|n| change(n, "tx1")).collect();
    let tx2: Vec<Change> = (5..12).map(|n| change(n, "tx2")).collect();
    let tx3: Vec<Change> = (12..14).map(|n| change(n, "tx3")).collect();
    // Odd values survive the trip: U+0000 (jsonb would refuse it), astral characters, the
    // largest integers, nested objects.
    let mut odd = change(999, "tx0");
    odd.new = Some(json!({
        "text": "nul\u{0}byte, 🧭, \u{202e}rtl, \"quoted\"\n",
        "big": i64::MAX, "small": i64::MIN, "f": 0.1, "none": null,
        "nested": {"b": 1, "a": [1, "two", {"three": 3}]}
    }));
    odd.old = None;
    odd.op = Op::Insert;
    assert_eq!(alice.push(std::slice::from_ref(&odd)).unwrap(), vec![1]);
    let back = alice.pull(0, 10).unwrap();
    assert_eq!(back[0].new, odd.new);
    assert_eq!(back[0].old, None);
    server.sql("DELETE FROM dossier.change");

    let s1 = alice.push(&tx1).unwrap();
    assert_eq!(s1, vec![1, 2, 3, 4, 5]);
    let s2 = alice.push(&[tx2.clone(), tx3.clone()].concat()).unwrap();
    assert_eq!(s2, (6..=14).collect::<Vec<i64>>());
    // Pushed again (a retry after a lost answer): nothing added, same positions.
    assert_eq!(alice.push(&tx1).unwrap(), s1);
    let mixed = [tx1[2..].to_vec(), vec![change(99, "tx4")]].concat();
    assert_eq!(alice.push(&mixed).unwrap(), vec![3, 4, 5, 15]);
    assert_eq!(alice.log_head().unwrap(), 15);

    let mut bob = PgRemote::connect(&server.url("bob"), "desk").unwrap();
    let all = bob.pull(0, 1000).unwrap();
    assert_eq!(all.len(), 15);
    let sent: Vec<Change> = [tx1, tx2, tx3, vec![change(99, "tx4")]].concat();
    for (i, (got, want)) in all.iter().zip(&sent).enumerate() {
        assert_eq!(got.seq, Some(i as i64 + 1));
        assert_eq!(got.author.as_deref(), Some("alice"));
        assert!(
            got.at.as_deref().is_some_and(|a| a.ends_with('Z')),
            "{:?}",
            got.at
        );
        let mut plain = got.clone();
        plain.seq = None;
        plain.author = None;
        plain.at = None;
        assert_eq!(&plain, want);
    }
    // Pulls of "about 3" never end inside a transaction: tx1 (5), then tx2 (7), then tx3 (2) + tx4.
    let a = bob.pull(0, 3).unwrap();
    assert_eq!(a.len(), 5);
    let b = bob.pull(5, 3).unwrap();
    assert_eq!(b.len(), 7);
    assert!(b.iter().all(|c| c.tx_uid == "tx2"));
    let c = bob.pull(12, 3).unwrap();
    assert_eq!(c.len(), 3);
    assert!(bob.pull(15, 3).unwrap().is_empty());
    assert_eq!(bob.pull(14, 1).unwrap()[0].tx_uid, "tx4");

    // bob's own push is authored by bob.
    bob.push(&[change(100, "tx5")]).unwrap();
    let last = alice.pull(15, 10).unwrap();
    assert_eq!(last[0].author.as_deref(), Some("bob"));
    assert_eq!(last[0].seq, Some(16));
}

#[test]
fn concurrent_pushes_never_let_a_reader_skip_a_position() {
    let (server, _alice) = server_with_team();
    let writers = 4;
    let pushes = 25;
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let url = server.url("bob");
        let done = done.clone();
        std::thread::spawn(move || {
            let mut bob = PgRemote::connect(&url, "desk").unwrap();
            let mut seen: Vec<i64> = Vec::new();
            let mut after = 0;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let got = bob.pull(after, 7).unwrap();
                for c in &got {
                    let seq = c.seq.unwrap();
                    assert_eq!(seq, after + 1, "a pull skipped from {after} to {seq}");
                    after = seq;
                    seen.push(seq);
                }
                if finished && got.is_empty() {
                    return seen;
                }
            }
        })
    };
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let url = server.url(if w % 2 == 0 { "alice" } else { "bob" });
            std::thread::spawn(move || {
                let mut remote = PgRemote::connect(&url, "desk").unwrap();
                for p in 0..pushes {
                    let tx = format!("w{w}-p{p}");
                    let batch: Vec<Change> = (0..(1 + (p % 4))).map(|n| change(n, &tx)).collect();
                    let seqs = remote.push(&batch).unwrap();
                    // One push's changes are consecutive.
                    for pair in seqs.windows(2) {
                        assert_eq!(pair[1], pair[0] + 1);
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let seen = reader.join().unwrap();
    let expected: usize = writers * (0..pushes).map(|p| 1 + (p % 4)).sum::<usize>();
    assert_eq!(seen.len(), expected);
    assert_eq!(seen, (1..=expected as i64).collect::<Vec<_>>());
}

#[test]
fn outsiders_read_nothing_and_members_cannot_forge_or_grant() {
    let (server, mut alice) = server_with_team();
    alice.push(&[change(1, "t1"), change(2, "t1")]).unwrap();

    // carol, not a member: no team, no rows, even with direct SQL.
    let mut carol = PgServer::connect(&server.url("carol")).unwrap();
    assert!(carol.teams().unwrap().is_empty());
    for table in ["team", "member", "change", "replica"] {
        let n: i64 = carol
            .client()
            .query_one(&format!("SELECT count(*) FROM dossier.{table}"), &[])
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "carol reads dossier.{table}");
    }
    let team_uid = alice.team().uid.clone();
    let err = carol
        .client()
        .execute(
            "INSERT INTO dossier.change (team, seq, change_uid, tx_uid, replica, tbl, row_uid, \
             op, made_at) VALUES ($1::text::uuid, 0, 'x', 'x', 'r', 'excerpt', 'r', 'insert', 'now')",
            &[&team_uid],
        )
        .unwrap_err();
    assert!(db_message(&err).contains("row-level security"), "{err:?}");
    let err = carol
        .client()
        .execute(
            "INSERT INTO dossier.member (team, role) VALUES ($1::text::uuid, 'carol')",
            &[&team_uid],
        )
        .unwrap_err();
    assert!(err.code().is_some(), "{err}");
    let err = carol
        .client()
        .execute(
            "SELECT dossier.grant($1::text::uuid, 'carol')",
            &[&team_uid],
        )
        .unwrap_err();
    assert!(db_message(&err).contains("not a member"), "{err:?}");

    // bob, a member: reads, but cannot write under alice's name nor rewrite the log.
    let mut bob_server = PgServer::connect(&server.url("bob")).unwrap();
    let err = bob_server
        .client()
        .execute(
            "INSERT INTO dossier.change (team, seq, change_uid, tx_uid, replica, tbl, row_uid, \
             op, made_at, author) VALUES ($1::text::uuid, 0, 'forged', 'x', 'r', 'excerpt', 'r', \
             'insert', 'now', 'alice')",
            &[&team_uid],
        )
        .unwrap_err();
    assert!(db_message(&err).contains("row-level security"), "{err:?}");
    for sql in [
        "UPDATE dossier.change SET author = 'bob'",
        "DELETE FROM dossier.change",
        "UPDATE dossier.team SET owner = 'bob'",
        "INSERT INTO dossier.member (team, role) SELECT id, 'mallory' FROM dossier.team",
    ] {
        assert!(
            bob_server.client().execute(sql, &[]).is_err(),
            "bob ran {sql}"
        );
    }
    let mut bob = bob_server.open_team("desk").unwrap();
    assert_eq!(bob.pull(0, 10).unwrap().len(), 2);
    let err = bob.grant("mallory").unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("only the owner"), "{err}");
    assert!(bob.revoke("alice").is_err());
    assert_eq!(bob.members().unwrap().len(), 2);
    // The log holds no forged row.
    let authors: Vec<_> = bob
        .pull(0, 10)
        .unwrap()
        .into_iter()
        .map(|c| c.author.unwrap())
        .collect();
    assert_eq!(authors, ["alice", "alice"]);

    // Another team of alice's, which bob does not belong to, stays out of his sight.
    let mut alice_server = PgServer::connect(&server.url("alice")).unwrap();
    alice_server.create_team("other desk").unwrap();
    let mut other = alice_server.open_team("other desk").unwrap();
    other.push(&[change(7, "o1")]).unwrap();
    let mut bob_sql = PgServer::connect(&server.url("bob")).unwrap();
    let teams: Vec<_> = bob_sql
        .teams()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(teams, ["desk"]);
    let n: i64 = bob_sql
        .client()
        .query_one("SELECT count(*) FROM dossier.change", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 2, "bob sees only desk's log");
    assert!(bob_sql.open_team("other desk").is_err());
    // Replica ids are per role: bob cannot take over alice's.
    alice.register_replica("alice-laptop").unwrap();
    assert!(bob.register_replica("alice-laptop").is_err());
    bob.register_replica("bob-laptop").unwrap();

    // Revoked: bob's open connection reads nothing more and is told why.
    alice.revoke("bob").unwrap();
    let err = bob.pull(0, 10).unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
    assert!(bob.push(&[change(5, "t9")]).is_err());
    assert!(alice.revoke("alice").is_err());
}

#[test]
fn tls_is_required_by_the_team_and_checked_by_verify_full() {
    let (server, mut alice) = server_with_team();
    alice.push(&[change(1, "t1")]).unwrap();

    // Plain TCP reaches the server (pg_hba has a host line) but the team refuses it.
    let plain = PgServer::connect(&server.url_with("bob", "sslmode=disable")).unwrap();
    assert!(!plain.is_tls());
    let err = plain.open_team("desk").unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("requires TLS"), "{err}");
    // Even by hand, the log is invisible and closed to appends.
    let mut plain = PgServer::connect(&server.url_with("bob", "sslmode=disable")).unwrap();
    let n: i64 = plain
        .client()
        .query_one("SELECT count(*) FROM dossier.change", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0);

    // require: encrypted without checking; verify-ca and verify-full with the right CA pass.
    for query in [
        "sslmode=require".to_string(),
        format!(
            "sslmode=verify-ca&sslrootcert={}",
            server.ca_path().display()
        ),
        format!(
            "sslmode=verify-full&sslrootcert={}",
            server.ca_path().display()
        ),
    ] {
        let s = PgServer::connect(&server.url_with("bob", &query)).unwrap();
        assert!(s.is_tls(), "{query}");
        s.open_team("desk").unwrap();
    }
    // The default (no sslmode) is TLS.
    let s = PgServer::connect(&server.url_with("bob", "")).unwrap();
    assert!(s.is_tls());
    // A CA that did not sign the server's certificate: refused before any password is sent.
    let err = PgServer::connect(&server.url_with(
        "bob",
        &format!(
            "sslmode=verify-full&sslrootcert={}",
            server.wrong_ca_path().display()
        ),
    ))
    .unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
    // The right CA, the wrong name: verify-full refuses, verify-ca accepts.
    let by_name = |mode: &str| {
        format!(
            "postgres://bob:{}@127.0.0.2:{}/dossier?hostaddr=127.0.0.1&sslmode={mode}&sslrootcert={}",
            TestServer::password("bob"),
            server.port(),
            server.ca_path().display()
        )
    };
    let err = PgServer::connect(&by_name("verify-full")).unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
    PgServer::connect(&by_name("verify-ca")).unwrap();
    // A missing CA file is a plain error.
    let err = PgServer::connect(
        &server.url_with("bob", "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("sslrootcert"), "{err}");
}

#[test]
fn a_server_accepting_only_tls_refuses_plain_connections() {
    let server = TestServer::start_with(Options { plain_tcp: false });
    let err = PgServer::connect(&server.url_with("alice", "sslmode=disable")).unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("pg_hba.conf"), "{err}");
    PgServer::connect(&server.url("alice")).unwrap();
    // A wrong password is a refusal too.
    let err = PgServer::connect(&format!(
        "postgres://alice:wrong@127.0.0.1:{}/dossier?sslmode=require",
        server.port()
    ))
    .unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
}

#[test]
fn the_password_comes_from_the_password_file() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pgpass");
    std::fs::write(
        &file,
        format!(
            "127.0.0.1:{}:dossier:carol:{}\n",
            server.port(),
            TestServer::password("carol")
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let url = dossier_sync::TeamUrl::parse(&format!(
        "{}&passfile={}",
        server.url_without_password("carol"),
        file.display()
    ))
    .unwrap();
    let env = |k: &str| (k == "DOSSIER_NO_KEYRING").then(|| "1".to_string());
    let s = PgServer::connect_url(&url, &env).unwrap();
    assert_eq!(s.role(), "carol");
    // No password anywhere: a refusal that says where it looked.
    let url = dossier_sync::TeamUrl::parse(&server.url_without_password("carol")).unwrap();
    let none = |k: &str| match k {
        "DOSSIER_NO_KEYRING" => Some("1".to_string()),
        "PGPASSFILE" => Some("/nonexistent".to_string()),
        _ => None,
    };
    let err = PgServer::connect_url(&url, &none).unwrap_err();
    assert!(matches!(err, RemoteError::Refused(_)), "{err:?}");
}

#[test]
fn a_stopped_server_is_unreachable_and_comes_back() {
    let (mut server, mut alice) = server_with_team();
    alice.push(&[change(1, "t1")]).unwrap();
    server.stop();
    let err = alice.push(&[change(2, "t2")]).unwrap_err();
    assert!(matches!(err, RemoteError::Unreachable(_)), "{err:?}");
    assert!(alice.is_closed());
    let err = PgServer::connect(&server.url("alice")).unwrap_err();
    assert!(matches!(err, RemoteError::Unreachable(_)), "{err:?}");
    assert!(err.to_string().contains("cannot be reached"), "{err}");
    server.restart();
    let mut alice = PgRemote::connect(&server.url("alice"), "desk").unwrap();
    // The change that failed is pushed again; the one before is still there, once.
    assert_eq!(
        alice.push(&[change(1, "t1"), change(2, "t2")]).unwrap(),
        vec![1, 2]
    );
}

#[test]
fn ten_thousand_changes_push_and_pull() {
    let (server, mut alice) = server_with_team();
    let changes: Vec<Change> = (0..10_000)
        .map(|n| change(n, &format!("tx{}", n / 10)))
        .collect();
    let t = Instant::now();
    let seqs = alice.push(&changes).unwrap();
    let push = t.elapsed();
    assert_eq!(seqs, (1..=10_000).collect::<Vec<i64>>());
    let mut bob = PgRemote::connect(&server.url("bob"), "desk").unwrap();
    let t = Instant::now();
    let mut after = 0;
    let mut pulled = 0;
    loop {
        let got = bob.pull(after, 2000).unwrap();
        if got.is_empty() {
            break;
        }
        pulled += got.len();
        after = got.last().unwrap().seq.unwrap();
    }
    let pull = t.elapsed();
    assert_eq!(pulled, 10_000);
    let t = Instant::now();
    alice.push(&changes).unwrap();
    let repush = t.elapsed();
    eprintln!(
        "10,000 changes: push {push:?}, pull {pull:?} (in pulls of 2000), push again (all \
         known) {repush:?}"
    );
}

/// A change carrying `len` characters of hex that does not compress (a kept original).
fn bulky(n: usize, tx: &str, len: usize) -> Change {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15 ^ n as u64;
    let hex: String = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from_digit((x % 16) as u32, 16).unwrap()
        })
        .collect();
    let mut c = change(n, tx);
    c.tbl = "original".into();
    c.op = Op::Insert;
    c.old = None;
    c.new = Some(json!({ "sha256": format!("{n:064}"), "data": hex }));
    c
}

#[test]
fn a_pull_of_large_changes_stops_at_its_byte_budget_but_never_inside_a_transaction() {
    let (_server, mut alice) = server_with_team();
    for n in 0..6 {
        alice.push(&[bulky(n, &format!("tx{n}"), 10_000)]).unwrap();
    }
    // About 25 kB: three changes of 10 kB start under it.
    let got = alice.pull_within(0, 5000, 25_000).unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].seq, Some(3));
    // Whatever the budget, at least one.
    assert_eq!(alice.pull_within(3, 5000, 1).unwrap().len(), 1);
    // A transaction larger than the budget comes whole.
    let whole: Vec<Change> = (10..13).map(|n| bulky(n, "big", 10_000)).collect();
    alice.push(&whole).unwrap();
    let got = alice.pull_within(6, 5000, 1).unwrap();
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|c| c.tx_uid == "big"));
    assert_eq!(got[0].new, whole[0].new);
    // The usual budget takes everything here in one pull.
    assert_eq!(alice.pull(0, 5000).unwrap().len(), 9);
}
