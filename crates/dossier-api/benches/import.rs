//! Import benchmark: bulk import throughput (10,000 text files, 1,000 HTML pages) into a real
//! workspace file in a temp dir, and re-anchoring 500 excerpts after an edit of a 50,000-character
//! source — alone, and as a whole re-import through the store. Prints a small table.
//!
//! Run in release: `cargo bench -p dossier-ingest --bench import`. Targets: ≥ 2,000 text
//! sources per second; re-anchoring 500 excerpts in < 100 ms.

use std::path::Path;
use std::time::{Duration, Instant};

use dossier_core::reanchor::{Body, Placement, reanchor};
use dossier_core::{Anchor, ExcerptTarget, NewSource};
use dossier_ingest::bulk::{ImportOptions, import_all};
use dossier_store::{ImportedText, Workspace};

const NOW: &str = "2026-11-26T09:00:00Z";

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
    "negotiators",
    "border",
    "exports",
    "sector",
    "deal",
    "talks",
    "energy",
    "Ottawa",
    "Washington",
    "provinces",
    "industry",
    "workers",
    "duties",
    "agreement",
    "signal",
    "schedule",
    "critical",
    "minerals",
    "autos",
    "plants",
    "investment",
    "said",
    "would",
];

/// Deterministic prose: sentences of words from a small trade lexicon.
struct Prose(u64);

impl Prose {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn sentence(&mut self, tag: usize) -> String {
        let n = 8 + self.next() % 12;
        let mut words: Vec<&str> = (0..n).map(|_| WORDS[self.next() % WORDS.len()]).collect();
        words[0] = "The";
        format!("{} {tag} {}.", words[0], words[1..].join(" "))
    }

    fn paragraph(&mut self, tag: usize) -> String {
        (0..3 + self.next() % 3)
            .map(|i| self.sentence(tag * 10 + i))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn bulk(dir: &Path, label: &str, files: Vec<(String, String)>) -> (String, usize, Duration) {
    let input = dir.join(label);
    std::fs::create_dir_all(&input).unwrap();
    for (name, body) in &files {
        std::fs::write(input.join(name), body).unwrap();
    }
    let mut ws = Workspace::open(&dir.join(format!("{label}.sqlite"))).unwrap();
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
    assert_eq!(summary.imported, files.len());
    (label.to_string(), files.len(), elapsed)
}

fn text_files(n: usize) -> Vec<(String, String)> {
    let mut prose = Prose(11);
    (0..n)
        .map(|i| {
            let body = format!(
                "Note {i}\n\n{}\n\n{}\n",
                prose.paragraph(i),
                prose.paragraph(i + 1)
            );
            (format!("note-{i:05}.txt"), body)
        })
        .collect()
}

fn html_pages(n: usize) -> Vec<(String, String)> {
    let mut prose = Prose(23);
    (0..n)
        .map(|i| {
            let paras: String = (0..6)
                .map(|p| format!("<p>{}</p>\n", prose.paragraph(i * 10 + p)))
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

/// A source of about 50,000 characters, 500 excerpts spread through it, and an edited version:
/// a new lead paragraph, one paragraph deleted, one moved, a few words changed.
fn reanchor_case() -> (String, Vec<Anchor>, String) {
    let mut prose = Prose(5);
    let mut paras: Vec<String> = Vec::new();
    while paras.iter().map(|p| p.len() + 2).sum::<usize>() < 50_000 {
        let tag = paras.len();
        paras.push(prose.paragraph(tag));
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

fn main() {
    let dir = tempfile::tempdir().unwrap();
    println!(
        "Dossier import benchmark (release build, workspace files in {})",
        dir.path().display()
    );
    println!();
    println!(
        "{:<34} {:>8} {:>10} {:>12}",
        "bulk import", "items", "seconds", "items/s"
    );
    for (label, n, elapsed) in [
        bulk(dir.path(), "text", text_files(10_000)),
        bulk(dir.path(), "html", html_pages(1_000)),
    ] {
        println!(
            "{:<34} {:>8} {:>10.2} {:>12.0}",
            format!("{label} sources"),
            n,
            elapsed.as_secs_f64(),
            n as f64 / elapsed.as_secs_f64()
        );
    }

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
        "{:<34} {:>8} {:>10} {:>12}",
        "re-anchoring (median of 9)", "excerpts", "ms", "placed"
    );
    println!(
        "{:<34} {:>8} {:>10.1} {:>12}",
        format!("{} → {} chars", old.chars().count(), new.chars().count()),
        anchors.len(),
        median(runs).as_secs_f64() * 1000.0,
        placed
    );

    // The same through the store: one transaction that replaces the text and rewrites every
    // excerpt, alternating between the two versions so each run really changes the text.
    let mut ws = Workspace::open(&dir.path().join("reanchor.sqlite")).unwrap();
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
        "{:<34} {:>8} {:>10.1} {:>12}",
        "whole re-import through the store",
        anchors.len(),
        median(runs).as_secs_f64() * 1000.0,
        format!("{orphaned} orphaned")
    );
}
