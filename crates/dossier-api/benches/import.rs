//! Import benchmark, measured the way a user imports: the release `dossier` binary run as a
//! child process, `dossier --db FRESH.sqlite import FOLDER --json`, over folders of 1,000 and
//! 5,000 Markdown notes of about 100 words (synthetic English and French prose), a fresh
//! workspace for every run; the median wall time and notes per second, process start-up,
//! workspace creation and the JSON summary included. The same folders through
//! `dossier_api::import::import_all` in this process follow for comparison, then 1,000 HTML
//! pages in process, and re-anchoring 500 excerpts after an edit of a 50,000-character source,
//! alone and as a whole re-import through the store.
//!
//! Run with `make bench-import` (it builds the release CLI first; this bench finds it under
//! `$CARGO_TARGET_DIR/release/dossier`, else the workspace's `target/release/dossier`). Targets:
//! ≥ 3,000 notes a second through the CLI; re-anchoring 500 excerpts in < 100 ms.
//! `DOSSIER_BENCH_RUNS` sets the runs per folder (default 5).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dossier_api::import::{ImportOptions, import_all};
use dossier_core::reanchor::{Body, Placement, reanchor};
use dossier_core::{Anchor, ExcerptTarget, NewSource};
use dossier_store::{ImportedText, Workspace};

const NOW: &str = "2026-11-26T09:00:00Z";

const ENGLISH: &[&str] = &[
    "tariff",
    "steel",
    "quota",
    "officials",
    "review",
    "aluminum",
    "lumber",
    "dairy",
    "minister",
    "negotiators",
    "border",
    "exports",
    "sector",
    "deal",
    "talks",
    "energy",
    "the",
    "of",
    "and",
    "with",
    "provinces",
    "industry",
    "workers",
    "duties",
    "agreement",
    "signal",
    "schedule",
    "critical",
    "minerals",
    "plants",
    "investment",
    "said",
    "would",
    "is",
    "for",
    "that",
];

const FRENCH: &[&str] = &[
    "les",
    "droits",
    "de",
    "douane",
    "sur",
    "l'acier",
    "et",
    "l'aluminium",
    "des",
    "négociateurs",
    "la",
    "frontière",
    "le",
    "ministre",
    "a",
    "déclaré",
    "que",
    "secteur",
    "bois",
    "d'œuvre",
    "produits",
    "laitiers",
    "une",
    "entente",
    "pour",
    "travailleurs",
    "usines",
    "investissements",
    "énergie",
    "minéraux",
    "critiques",
    "avec",
    "est",
    "dans",
    "du",
    "pas",
];

/// Deterministic prose: sentences drawn from a small trade lexicon in one language.
struct Prose(u64);

impl Prose {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn sentence(&mut self, lexicon: &[&str], tag: usize) -> String {
        let n = 8 + self.next() % 12;
        let words: Vec<&str> = (0..n)
            .map(|_| lexicon[self.next() % lexicon.len()])
            .collect();
        let mut first = words[0].to_string();
        if let Some(c) = first.get_mut(0..1) {
            c.make_ascii_uppercase();
        }
        format!("{first} {} {tag}.", words[1..].join(" "))
    }

    /// About `words` words of sentences.
    fn text(&mut self, lexicon: &[&str], words: usize, tag: usize) -> String {
        let mut out = String::new();
        let mut count = 0;
        let mut k = 0;
        while count < words {
            let s = self.sentence(lexicon, tag * 100 + k);
            count += s.split_whitespace().count();
            if !out.is_empty() {
                out.push_str(if k % 4 == 0 { "\n\n" } else { " " });
            }
            out.push_str(&s);
            k += 1;
        }
        out
    }
}

/// `n` Markdown notes of about 100 words, one in three in French, each text unique.
fn notes(n: usize, seed: u64) -> Vec<(String, String)> {
    let mut prose = Prose(seed);
    (0..n)
        .map(|i| {
            let (lexicon, heading) = if i % 3 == 2 {
                (FRENCH, "Note de suivi")
            } else {
                (ENGLISH, "Desk note")
            };
            let body = format!(
                "# {heading} {i}\n\n{}\n",
                prose.text(lexicon, 95, i).trim_end()
            );
            (format!("note-{i:05}.md"), body)
        })
        .collect()
}

fn html_pages(n: usize) -> Vec<(String, String)> {
    let mut prose = Prose(23);
    (0..n)
        .map(|i| {
            let paras: String = (0..6)
                .map(|p| format!("<p>{}</p>\n", prose.text(ENGLISH, 50, i * 10 + p)))
                .collect();
            let nav: String = (0..12)
                .map(|k| format!("<li><a href=\"/s{k}\">Section {k}</a></li>"))
                .collect();
            let page = format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Story {i} | Maple Wire</title>\
                 <meta property=\"og:site_name\" content=\"Maple Wire\">\
                 <meta property=\"article:published_time\" content=\"2025-03-14T09:30:00Z\">\
                 <script>var tracker = {{ page: {i} }};</script><style>.ad{{display:block}}</style></head>\
                 <body><div class=\"cookie-banner\"><p>We use cookies.</p></div><nav><ul>{nav}</ul></nav>\
                 <article><h1>Story {i}</h1><p class=\"byline\">By Jeanne Roy</p>\n{paras}</article>\
                 <aside class=\"related\"><ul><li><a href=\"/r\">Related story</a></li></ul></aside>\
                 <footer><p>© Maple Wire</p></footer></body></html>"
            );
            (format!("story-{i:04}.html"), page)
        })
        .collect()
}

fn write_folder(dir: &Path, label: &str, files: &[(String, String)]) -> PathBuf {
    let input = dir.join(label);
    std::fs::create_dir_all(&input).unwrap();
    for (name, body) in files {
        std::fs::write(input.join(name), body).unwrap();
    }
    input
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// The release CLI this bench measures.
fn dossier_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let bin = target.join("release").join("dossier");
    assert!(
        bin.is_file(),
        "{} is missing: build it first with `cargo build --release -p dossier-cli` (`make bench-import` does)",
        bin.display()
    );
    bin
}

/// One `dossier import` as a user runs it, into a fresh workspace; checks every note was
/// imported and returns the wall time.
fn cli_run(bin: &Path, db: &Path, input: &Path, expected: usize) -> Duration {
    let started = Instant::now();
    let out = Command::new(bin)
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(input)
        .arg("--json")
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_NOW")
        .stdin(Stdio::null())
        .output()
        .expect("the dossier binary runs");
    let elapsed = started.elapsed();
    assert!(
        out.status.success(),
        "dossier import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("--json prints one summary");
    assert_eq!(
        summary["imported"].as_u64(),
        Some(expected as u64),
        "every note is imported: failed {}",
        summary["failed"]
    );
    elapsed
}

/// The same import in this process, into a fresh workspace (opening it not counted).
fn in_process_run(db: &Path, input: &Path, expected: usize) -> Duration {
    let mut ws = Workspace::open(db).unwrap();
    let started = Instant::now();
    let summary = import_all(
        &mut ws,
        &[input.display().to_string()],
        &ImportOptions::default(),
        NOW,
        &mut |_| {},
    );
    let elapsed = started.elapsed();
    assert_eq!(
        summary.failed,
        0,
        "{:?}",
        summary.items.iter().find(|i| i.reason.is_some())
    );
    assert_eq!(summary.imported, expected);
    elapsed
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

fn row(label: &str, n: usize, d: Duration) {
    println!(
        "{:<44} {:>7} {:>10.3} {:>10.0}",
        label,
        n,
        d.as_secs_f64(),
        n as f64 / d.as_secs_f64()
    );
}

/// A source of about 50,000 characters, 500 excerpts spread through it, and an edited version:
/// a new lead paragraph, one paragraph deleted, one moved, a few words changed.
fn reanchor_case() -> (String, Vec<Anchor>, String) {
    let mut prose = Prose(5);
    let mut paras: Vec<String> = Vec::new();
    while paras.iter().map(|p| p.len() + 2).sum::<usize>() < 50_000 {
        let tag = paras.len();
        paras.push(prose.text(ENGLISH, 60, tag).replace("\n\n", " "));
    }
    let old = paras.join("\n\n");
    // 500 quotes of about 60 characters, evenly spread, each from a word start to a word end.
    let chars: Vec<char> = old.chars().collect();
    let mut anchors = Vec::new();
    for k in 0..500 {
        let mut start = k * chars.len() / 500;
        while start > 0 && !chars[start - 1].is_whitespace() {
            start += 1;
        }
        let mut end = (start + 60).min(chars.len());
        while end < chars.len() && chars[end].is_alphanumeric() {
            end += 1;
        }
        anchors.push(Anchor::from_range(&old, start, end).unwrap());
    }
    let mut edited = paras.clone();
    edited.remove(40);
    let moved = edited.remove(10);
    edited.push(moved);
    edited.insert(
        0,
        "UPDATED — a new lead paragraph was added to this story.".into(),
    );
    let new = edited
        .join("\n\n")
        .replace(" steel ", " Steel ")
        .replace(" said ", " stated ");
    (old, anchors, new)
}

fn reanchoring(dir: &Path) {
    let (old, anchors, new) = reanchor_case();
    let mut runs = Vec::new();
    let mut placed = 0;
    for _ in 0..9 {
        let started = Instant::now();
        let body = Body::new(&new);
        placed = anchors
            .iter()
            .filter(|a| matches!(reanchor(a, &body), Placement::Placed { .. }))
            .count();
        runs.push(started.elapsed());
    }
    println!();
    println!(
        "{:<44} {:>7} {:>10} {:>10}",
        "re-anchoring (median of 9)", "excerpts", "ms", "placed"
    );
    println!(
        "{:<44} {:>7} {:>10.1} {:>10}",
        format!("{} → {} chars", old.chars().count(), new.chars().count()),
        anchors.len(),
        median(runs).as_secs_f64() * 1000.0,
        placed
    );

    // The same through the store: one transaction that replaces the text and rewrites every
    // excerpt, alternating between the two versions so each run really changes the text.
    let mut ws = Workspace::open(&dir.join("reanchor.sqlite")).unwrap();
    let imported = |body: &str| ImportedText {
        source: NewSource {
            title: "Long report".into(),
            body: body.into(),
            origin: Some("/bench/report.txt".into()),
            ..Default::default()
        },
        format: Some("text".into()),
        ..Default::default()
    };
    let id = match ws.store_import(imported(&old), NOW).unwrap() {
        dossier_store::Stored::Added(id) => id,
        other => panic!("a new workspace holds nothing: {other:?}"),
    };
    for a in &anchors {
        ws.add_excerpt(
            id,
            ExcerptTarget::Range {
                start: a.start,
                end: a.end,
            },
            "",
            &[],
            NOW,
        )
        .unwrap();
    }
    let mut runs = Vec::new();
    let mut orphaned = 0;
    for run in 0..9 {
        let body = if run % 2 == 0 { &new } else { &old };
        let started = Instant::now();
        let outcome = ws.reimport_source(id, imported(body), NOW).unwrap();
        runs.push(started.elapsed());
        orphaned = orphaned.max(outcome.orphaned);
    }
    println!(
        "{:<44} {:>7} {:>10.1} {:>10}",
        "whole re-import through the store",
        anchors.len(),
        median(runs).as_secs_f64() * 1000.0,
        format!("{orphaned} orphaned")
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let runs: usize = std::env::var("DOSSIER_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5);
    let bin = dossier_binary();
    let dir = tempfile::tempdir().unwrap();
    println!(
        "Dossier import benchmark: {} (release), folders and workspaces in {}",
        bin.display(),
        dir.path().display()
    );
    let folders: Vec<(usize, PathBuf)> = [1_000, 5_000]
        .into_iter()
        .map(|n| {
            let label = format!("notes-{n}");
            (n, write_folder(dir.path(), &label, &notes(n, n as u64)))
        })
        .collect();
    let db = dir.path().join("run.sqlite");

    println!();
    println!(
        "{:<44} {:>7} {:>10} {:>10}",
        format!("median of {runs} runs, fresh workspace each"),
        "notes",
        "seconds",
        "notes/s"
    );
    for (n, input) in &folders {
        let times = (0..runs)
            .map(|_| {
                remove_db(&db);
                cli_run(&bin, &db, input, *n)
            })
            .collect();
        row(
            "`dossier import DIR --json` (child process)",
            *n,
            median(times),
        );
    }
    for (n, input) in &folders {
        let times = (0..runs)
            .map(|_| {
                remove_db(&db);
                in_process_run(&db, input, *n)
            })
            .collect();
        row("import_all in process", *n, median(times));
    }
    let html = write_folder(dir.path(), "html", &html_pages(1_000));
    remove_db(&db);
    row(
        "import_all in process, HTML pages (1 run)",
        1_000,
        in_process_run(&db, &html, 1_000),
    );

    reanchoring(dir.path());
}
