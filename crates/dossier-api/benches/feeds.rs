//! Feed polling benchmark, measured the way a user (or cron) polls: the release `dossier`
//! binary run as a child process, `dossier --db WS.sqlite --json feed poll --all`, over 200
//! feeds of 50 entries each served by a local HTTP server on 127.0.0.1 (each feed with its own
//! ETag). Two figures, medians over the runs, process start-up and the JSON report included:
//!
//! - the first poll of a fresh workspace (10,000 entries stored, summaries only); target < 10 s;
//! - a poll with nothing new (every feed answers 304 to its ETag); target < 1 s.
//!
//! Run with `make bench-feeds` (it builds the release CLI first; the binary is found under
//! `$CARGO_TARGET_DIR/release/dossier`, else the workspace's `target/release/dossier`).
//! `DOSSIER_BENCH_RUNS` sets the runs (default 5).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../tests/api/feed_server.rs"]
mod feed_server;
use feed_server::{FeedServer, rss};

const FEEDS: usize = 200;
const ENTRIES: usize = 50;

fn dossier_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let bin = target.join("release").join("dossier");
    assert!(
        bin.is_file(),
        "{} is missing: build it first with `cargo build --release -p dossier-cli` (`make bench-feeds` does)",
        bin.display()
    );
    bin
}

fn run(bin: &Path, db: &Path, args: &[&str]) -> (Duration, serde_json::Value) {
    let started = Instant::now();
    let out = Command::new(bin)
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .env_remove("DOSSIER_DB")
        .env("DOSSIER_NOW", "2026-11-26T12:00:00Z")
        .stdin(Stdio::null())
        .output()
        .expect("the dossier binary runs");
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = serde_json::from_slice(&out.stdout).expect("one JSON document");
    (took, json)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

const WORDS: &[&str] = &[
    "tariff",
    "steel",
    "quota",
    "officials",
    "review",
    "aluminum",
    "lumber",
    "dairy",
    "minister",
    "border",
    "exports",
    "sector",
    "talks",
    "energy",
    "provinces",
    "industry",
    "duties",
    "agreement",
    "schedule",
    "investment",
    "les",
    "droits",
    "douane",
    "acier",
    "frontière",
];

fn summary(feed: usize, entry: usize) -> String {
    (0..60)
        .map(|i| WORDS[(feed * 7 + entry * 13 + i * 3) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let runs: usize = std::env::var("DOSSIER_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let bin = dossier_binary();
    let server = FeedServer::start();
    for f in 0..FEEDS {
        let items: Vec<(String, String, String, String)> = (0..ENTRIES)
            .map(|e| {
                (
                    format!("urn:feed{f}:entry{e}"),
                    format!("Notice {e} of desk {f}"),
                    format!("https://example.test/desk{f}/notice{e}"),
                    summary(f, e),
                )
            })
            .collect();
        let refs: Vec<(&str, &str, &str, &str)> = items
            .iter()
            .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
            .collect();
        server.feed(
            &format!("/feed/{f}.xml"),
            rss(&format!("Desk {f}"), &refs),
            Some(&format!("\"f{f}\"")),
        );
    }
    let mut first = Vec::new();
    let mut idle = Vec::new();
    for _ in 0..runs {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ws.sqlite");
        // The subscriptions, from an OPML list as an analyst would bring them.
        let list: Vec<(String, String)> = (0..FEEDS)
            .map(|f| (server.url(&format!("/feed/{f}.xml")), format!("Desk {f}")))
            .collect();
        let opml = dir.path().join("feeds.opml");
        std::fs::write(&opml, dossier_ingest::feed::write_opml(&list, "bench")).unwrap();
        run(&bin, &db, &["feed", "import", opml.to_str().unwrap()]);

        let (took, report) = run(&bin, &db, &["feed", "poll", "--all"]);
        assert_eq!(report["new"], FEEDS * ENTRIES, "{report}");
        first.push(took);
        let (took, report) = run(&bin, &db, &["feed", "poll", "--all"]);
        assert_eq!(report["new"], 0, "{report}");
        let errors = report["feeds"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| !f["error"].is_null())
            .count();
        assert_eq!(errors, 0, "{report}");
        idle.push(took);
    }
    let first = median(first);
    let idle = median(idle);
    println!(
        "feeds: {FEEDS} feeds × {ENTRIES} entries, local server, `dossier feed poll --all --json`, median of {runs}"
    );
    println!("| poll | median | target |");
    println!("| --- | --- | --- |");
    println!(
        "| first poll ({} entries, summaries only) | {:.2} s | < 10 s |",
        FEEDS * ENTRIES,
        first.as_secs_f64()
    );
    println!(
        "| nothing new (304s) | {:.3} s | < 1 s |",
        idle.as_secs_f64()
    );
}
