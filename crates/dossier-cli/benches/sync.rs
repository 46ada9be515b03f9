//! A team workspace at size, through the release `dossier` binary against a real PostgreSQL
//! (a throwaway cluster with TLS, started here). Run with `make bench-sync`.
//!
//! - join a team holding 100,000 excerpts (target: under 60 s);
//! - push 10,000 changes, and pull them on another replica (target: under 2 s each way);
//! - twenty replicas editing and syncing at once against one server for five minutes
//!   (`DOSSIER_BENCH_SYNC_SECONDS`, default 300): no error, no lost change;
//! - the server's and a replica's sizes.
//!
//! `DOSSIER_BENCH_SYNC_EXCERPTS` changes the 100,000.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use dossier_store::{Workspace, sync};
use dossier_sync::testing::TestServer;

fn cli() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root.join(d),
        _ => root.join("target"),
    };
    let bin = target.join("release/dossier");
    assert!(
        bin.is_file(),
        "build it first: cargo build --release -p dossier-cli"
    );
    bin
}

fn run(bin: &Path, db: &Path, role: &str, args: &[&str]) -> Output {
    let out = Command::new(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .arg("--json")
        .env("PGPASSWORD", TestServer::password(role))
        .env("DOSSIER_NO_KEYRING", "1")
        .stdin(Stdio::null())
        .output()
        .expect("dossier runs");
    assert!(
        out.status.success(),
        "dossier {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Edits the notes of `count` excerpts from local id `first`, in one transaction.
fn edit_notes(db: &Path, first: u64, count: u64, text: &str) {
    let mut ws = Workspace::open(db).unwrap();
    let before = sync::pending_count(ws.conn()).unwrap();
    ws.with_tx(|tx| {
        tx.execute(
            "UPDATE excerpt SET note = ?3 || ' ' || id WHERE id >= ?1 AND id < ?1 + ?2",
            rusqlite::params![first as i64, count as i64, text],
        )?;
        Ok(())
    })
    .unwrap();
    assert_eq!(sync::pending_count(ws.conn()).unwrap(), before + count);
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn timed(bin: &Path, db: &Path, role: &str, args: &[&str]) -> (f64, serde_json::Value) {
    let t = Instant::now();
    let out = run(bin, db, role, args);
    (
        t.elapsed().as_secs_f64(),
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
    )
}

/// A workspace of `n` excerpts over n/100 sources, written directly (fast) — our own words.
fn big_workspace(path: &Path, n: usize) {
    let mut ws = Workspace::open(path).unwrap();
    let words = [
        "quota",
        "tariff",
        "lumber",
        "steel",
        "review",
        "duty",
        "panel",
        "exporters",
    ];
    ws.with_tx(|tx| {
        let per = 100;
        for s in 0..n.div_ceil(per) {
            let mut body = String::new();
            let mut spans = Vec::new();
            for k in 0..per {
                let sentence = format!(
                    "Paragraph {k} of file {s} notes that the {} {} was raised by the {} committee. ",
                    words[(s + k) % 8],
                    words[(s * 7 + k) % 8],
                    words[(k * 3) % 8]
                );
                let start = body.chars().count();
                body.push_str(&sentence);
                spans.push((start, start + sentence.trim_end().chars().count(), sentence.trim_end().to_string()));
            }
            let hash = format!("{:064x}", s + 1);
            tx.execute(
                "INSERT INTO source (title, authors, captured_at, updated_at, body, content_hash, notes)
                 VALUES (?1, '[]', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', ?2, ?3, '')",
                rusqlite::params![format!("Bench file {s}"), body, hash],
            )?;
            let sid = tx.last_insert_rowid();
            // Its first version, as every capture keeps one (it syncs with the source).
            tx.execute(
                "INSERT INTO source_version (uid, source_id, number, captured_at, body, not_kept)
                 SELECT lower(hex(randomblob(16))), id, 1, captured_at, body, 'no_original'
                 FROM source WHERE id = ?1",
                [sid],
            )?;
            for (a, b, q) in spans.into_iter().take(n - s * per) {
                tx.execute(
                    "INSERT INTO excerpt (source_id, quote, start, \"end\", note, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, 'bench', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')",
                    rusqlite::params![sid, q, a as i64, b as i64],
                )?;
            }
        }
        Ok(())
    })
    .unwrap();
}

fn size_mb(p: &Path) -> f64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
}

fn main() {
    let bin = cli();
    let n: usize = std::env::var("DOSSIER_BENCH_SYNC_EXCERPTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let seconds: u64 = std::env::var("DOSSIER_BENCH_SYNC_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("alice.sqlite");
    let b = dir.path().join("bob.sqlite");

    big_workspace(&a, n);
    let (t_init, _) = timed(
        &bin,
        &a,
        "alice",
        &["team", "init", &server.url("alice"), "--name", "bench"],
    );
    println!("team init of {n} excerpts (pushes them all): {t_init:.1} s");
    run(&bin, &a, "alice", &["team", "grant", "bob"]);
    let (t_join, _) = timed(
        &bin,
        &b,
        "bob",
        &["team", "join", &server.url("bob"), "--name", "bench"],
    );
    println!("team join of a team holding {n} excerpts: {t_join:.1} s (target < 60 s)");

    // Five rounds: Bob annotates 50 excerpts and syncs; Alice edits 10,000 notes (captured as
    // any edit is) and syncs, pulling Bob's among her own; Bob syncs and pulls her 10,000.
    let (mut pushes, mut pulls) = (Vec::new(), Vec::new());
    for round in 0..5 {
        let bobs = (n as u64).saturating_sub(1_000) + round * 50;
        edit_notes(&b, bobs, 50, &format!("Bob, round {round}"));
        run(&bin, &b, "bob", &["sync"]);
        edit_notes(
            &a,
            1,
            10_000.min(n as u64 / 2),
            &format!("Alice, round {round}"),
        );
        let (t_push, r) = timed(&bin, &a, "alice", &["sync"]);
        println!("  round {round}: push of 10,000 changes {t_push:.2} s {r}");
        let (t_pull, r) = timed(&bin, &b, "bob", &["sync"]);
        println!("  round {round}: pull of 10,000 changes {t_pull:.2} s {r}");
        pushes.push(t_push);
        pulls.push(t_pull);
    }
    println!(
        "push of 10,000 changes (dossier sync): median {:.2} s over 5 (target < 2 s)",
        median(&mut pushes)
    );
    println!(
        "pull of 10,000 changes (dossier sync): median {:.2} s over 5 (target < 2 s)",
        median(&mut pulls)
    );

    let mut su = server.superuser();
    let row = su
        .query_one(
            "SELECT pg_total_relation_size('dossier.change'), pg_database_size(current_database()), count(*) FROM dossier.change",
            &[],
        )
        .unwrap();
    let (log_bytes, db_bytes, changes): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    println!(
        "server: {changes} changes in the log, {:.1} MB (database {:.1} MB); replica file {:.1} MB",
        log_bytes as f64 / 1e6,
        db_bytes as f64 / 1e6,
        size_mb(&b)
    );

    // Twenty replicas at once for `seconds`: each adds excerpts and syncs, in a loop.
    let small = TestServer::start();
    let root = dir.path().join("twenty");
    std::fs::create_dir_all(&root).unwrap();
    let first = root.join("r0.sqlite");
    let article = root.join("a.txt");
    std::fs::write(
        &article,
        "Officials met to review the quota. Exporters asked for a panel. The duty stays for now.",
    )
    .unwrap();
    run(
        &bin,
        &first,
        "alice",
        &[
            "source",
            "add",
            article.to_str().unwrap(),
            "--title",
            "Shared",
        ],
    );
    run(
        &bin,
        &first,
        "alice",
        &["team", "init", &small.url("alice"), "--name", "twenty"],
    );
    let roles: Vec<String> = (0..20).map(|i| format!("analyst{i}")).collect();
    for r in &roles {
        small.create_role(r);
        run(&bin, &first, "alice", &["team", "grant", r]);
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let handles: Vec<_> = roles
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let bin = bin.clone();
            let db = root.join(format!("r{}.sqlite", i + 1));
            let url = small.url(role);
            let role = role.clone();
            std::thread::spawn(move || {
                run(
                    &bin,
                    &db,
                    &role,
                    &["team", "join", &url, "--name", "twenty"],
                );
                let (mut edits, mut syncs, mut errors) = (0u64, 0u64, 0u64);
                let quotes = ["review the quota", "asked for a panel", "The duty stays"];
                while Instant::now() < deadline {
                    let q = quotes[(edits as usize) % 3];
                    let note = format!("{role} {edits}");
                    let ok = Command::new(&bin)
                        .arg("--db")
                        .arg(&db)
                        .args(["excerpt", "add", "1", "--quote", q, "--note", &note])
                        .env("DOSSIER_NO_KEYRING", "1")
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .map(|s| s.success())
                        .unwrap_or(false);
                    if ok {
                        edits += 1
                    } else {
                        errors += 1
                    }
                    let ok = Command::new(&bin)
                        .arg("--db")
                        .arg(&db)
                        .arg("sync")
                        .env("PGPASSWORD", TestServer::password(&role))
                        .env("DOSSIER_NO_KEYRING", "1")
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .map(|s| s.success())
                        .unwrap_or(false);
                    if ok { syncs += 1 } else { errors += 1 }
                }
                (db, role, edits, syncs, errors)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let edits: u64 = results.iter().map(|r| r.2).sum();
    let syncs: u64 = results.iter().map(|r| r.3).sum();
    let errors: u64 = results.iter().map(|r| r.4).sum();
    for _ in 0..2 {
        for (db, role, ..) in &results {
            run(&bin, db, role, &["sync"]);
        }
    }
    run(&bin, &first, "alice", &["sync"]);
    let reference = sync::logical_state(Workspace::open(&first).unwrap().conn()).unwrap();
    let excerpts = reference
        .keys()
        .filter(|k| k.starts_with("excerpt/"))
        .count() as u64;
    let mut identical = 0;
    for (db, ..) in &results {
        if sync::logical_state(Workspace::open(db).unwrap().conn()).unwrap() == reference {
            identical += 1;
        }
    }
    println!(
        "twenty replicas for {seconds} s: {edits} excerpts added, {syncs} syncs, {errors} errors; \
         afterwards {excerpts} excerpts on every replica (lost: {}), {identical}/20 replicas identical to the first",
        edits.saturating_sub(excerpts)
    );
}
