//! One story across outlets (`make bench-stories`): how fast a new source finds its copies in a
//! workspace of 100,000, and how well stories are found on real text.
//!
//! **Speed.** A generated workspace of 100,000 sources of about 250 words (a made-up vocabulary
//! drawn from a Zipf distribution, one source in a hundred a copy of an earlier one), made once
//! and kept under the target folder. Timed: the near-duplicate lookup for a new text (shingles,
//! MinHash, the band query, confirming candidates on their text) for texts with no copy and for
//! texts that copy a source of the workspace, and the whole `sources::add` of one source (the
//! lookup, the index rows and the grouping, in a transaction rolled back). Set
//! DOSSIER_BENCH_SMALL=1 for a tenth of the size.
//!
//! **Accuracy.** Real public-domain prose cut into article-sized pieces (300 to 900 words); for
//! some pieces, copies made the ways the issue names (another headline and dateline, a credit
//! line, the end trimmed to keep 70–95% of the words, house spelling, a "Related:" line, an
//! outlet's page header and footer, the same page captured twice), and hard negatives beside
//! them: every other piece (the next passage of the same book, other passages on the same
//! subject) and "continued" pieces that repeat the end of the passage before. Everything is
//! added in a shuffled order through the store, as captures are; the stories the store forms
//! are then compared with the truth: every pair of copies of one piece should share a story
//! (recall), and no other pair should (wrong pairs).
//!
//! The text is not in this repository: DOSSIER_STORIES_TEXT names a plain-text file (the
//! Makefile target writes the King James Version there from Debian's `bible-kjv` package).
//! Lines of the form `Ge1:1 In the beginning …` are read as verses of books; any other text is
//! read as paragraphs separated by blank lines.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier_core::{NewSource, neardup};
use dossier_store::{StoreError, Workspace, sources, stories};

const GENERATOR_VERSION: u32 = 1;
const NOW: &str = "2026-12-06T12:00:00Z";

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn p95(v: &mut [Duration]) -> Duration {
    v.sort();
    v[(v.len() * 95 / 100).min(v.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

// ---------------------------------------------------------------------------------------------
// Speed at 100,000 sources.

struct Vocab {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocab {
    fn new(rng: &mut Rng, size: usize) -> Vocab {
        let syll = [
            "ta", "ri", "fe", "lo", "men", "cor", "sa", "ve", "qui", "dan", "por", "el", "ni",
            "stra", "gu", "bel", "on", "ex", "ar", "do",
        ];
        let mut words = Vec::with_capacity(size);
        let mut seen = HashSet::new();
        while words.len() < size {
            let n = 2 + rng.below(3);
            let w: String = (0..n).map(|_| syll[rng.below(syll.len())]).collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut cumulative = Vec::with_capacity(size);
        let mut acc = 0.0;
        for rank in 1..=size {
            acc += 1.0 / rank as f64;
            cumulative.push(acc);
        }
        Vocab { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let x = rng.unit() * self.cumulative[self.cumulative.len() - 1];
        let i = self.cumulative.partition_point(|c| *c < x);
        &self.words[i.min(self.words.len() - 1)]
    }

    fn text(&self, rng: &mut Rng, words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push_str(if i % 17 == 0 { ". " } else { " " });
            }
            s.push_str(self.word(rng));
        }
        s.push('.');
        s
    }
}

/// A copy as an outlet carries it: a dateline, the end trimmed, a credit line.
fn outlet_copy(rng: &mut Rng, text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let keep = words.len() * rng.range(75, 95) / 100;
    format!(
        "OTTAWA — {}\nWith files from the wire service",
        words[..keep].join(" ")
    )
}

fn speed_workspace(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target")
        .join("bench-stories");
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(|t| PathBuf::from(t).join("bench-stories"))
        .unwrap_or(dir);
    std::fs::create_dir_all(&dir).expect("bench folder");
    let path = dir.join(format!("speed-{n}-v{GENERATOR_VERSION}.sqlite"));
    if path.exists() {
        return path;
    }
    let tmp = dir.join("speed.partial.sqlite");
    let _ = std::fs::remove_file(&tmp);
    let start = Instant::now();
    eprintln!("generating a workspace of {n} sources (once; kept at {path:?})…");
    let mut ws = Workspace::open(&tmp).expect("open");
    let mut rng = Rng(7);
    let vocab = Vocab::new(&mut rng, 30_000);
    let mut kept: Vec<String> = Vec::new();
    let mut added = 0;
    while added < n {
        let batch = 1000.min(n - added);
        ws.with_tx(|tx| {
            for _ in 0..batch {
                let body = if !kept.is_empty() && rng.below(100) == 0 {
                    let i = rng.below(kept.len());
                    outlet_copy(&mut rng, &kept[i])
                } else {
                    let len = rng.range(150, 350);
                    let t = vocab.text(&mut rng, len);
                    if kept.len() < 2000 || rng.below(50) == 0 {
                        kept.push(t.clone());
                    }
                    t
                };
                match sources::add(
                    tx,
                    NewSource {
                        title: "Generated".into(),
                        body,
                        ..Default::default()
                    },
                    NOW,
                ) {
                    // The same copy drawn twice: one source.
                    Ok(_) | Err(StoreError::DuplicateSource { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        })
        .expect("generate");
        added += batch;
        if added % 10_000 == 0 {
            eprintln!("  {added} sources, {:.0?}", start.elapsed());
        }
    }
    drop(ws);
    std::fs::rename(&tmp, &path).expect("keep the workspace");
    eprintln!("generated in {:.1?}", start.elapsed());
    path
}

fn speed(n: usize) {
    let path = speed_workspace(n);
    let mut ws = Workspace::open(&path).expect("open");
    let mut rng = Rng(99);
    let vocab = Vocab::new(&mut Rng(7), 30_000);
    let count: i64 = ws
        .conn()
        .query_row("SELECT count(*) FROM source", [], |r| r.get(0))
        .unwrap();
    let grouped: i64 = ws
        .conn()
        .query_row("SELECT count(*) FROM story_member", [], |r| r.get(0))
        .unwrap();
    // Texts that copy a source of the workspace: the lookup then confirms a candidate.
    let ids: Vec<i64> = {
        let mut stmt = ws
            .conn()
            .prepare("SELECT id FROM source ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let rounds = 300;
    let fresh: Vec<String> = (0..rounds)
        .map(|_| {
            let len = rng.range(150, 350);
            vocab.text(&mut rng, len)
        })
        .collect();
    let copies: Vec<String> = (0..rounds)
        .map(|_| {
            let id = *rng.pick(&ids);
            outlet_copy(&mut rng, &sources::body(ws.conn(), id).unwrap())
        })
        .collect();
    // Warm the page cache and the statements.
    for t in fresh.iter().take(20) {
        stories::copies_of_text(ws.conn(), t, 0).unwrap();
    }
    let time_lookup = |texts: &[String], ws: &Workspace| -> (Vec<Duration>, usize) {
        let mut found = 0;
        let times = texts
            .iter()
            .map(|t| {
                let start = Instant::now();
                let c = stories::copies_of_text(ws.conn(), t, 0).unwrap();
                let d = start.elapsed();
                found += usize::from(!c.is_empty());
                d
            })
            .collect();
        (times, found)
    };
    let (mut t_fresh, found_fresh) = time_lookup(&fresh, &ws);
    let (mut t_copy, found_copy) = time_lookup(&copies, &ws);
    let mut t_add: Vec<Duration> = Vec::new();
    for (i, body) in fresh.iter().chain(&copies).enumerate() {
        let conn = ws.conn();
        let tx = conn.unchecked_transaction().unwrap();
        let start = Instant::now();
        sources::add(
            &tx,
            NewSource {
                title: format!("New {i}"),
                body: body.clone(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
        t_add.push(start.elapsed());
        drop(tx); // rolled back: the workspace stays as generated
    }
    let _ = &mut ws;
    println!("\n## Near-duplicate lookup, {count} sources ({grouped} in stories)\n");
    println!("| what | runs | median | p95 | found copies |");
    println!("|---|---|---|---|---|");
    println!(
        "| lookup, a text with no copy | {rounds} | {} | {} | {found_fresh} |",
        ms(median(&mut t_fresh)),
        ms(p95(&mut t_fresh))
    );
    println!(
        "| lookup, a text copying a source | {rounds} | {} | {} | {found_copy} |",
        ms(median(&mut t_copy)),
        ms(p95(&mut t_copy))
    );
    println!(
        "| whole `sources::add` (index, FTS, lookup, grouping) | {} | {} | {} | |",
        t_add.len(),
        ms(median(&mut t_add)),
        ms(p95(&mut t_add))
    );
}

// ---------------------------------------------------------------------------------------------
// Accuracy on real text.

struct Piece {
    book: String,
    /// First and last chapter (0 for text without chapters).
    chapters: (u32, u32),
    text: String,
}

/// Texts the Bible itself carries twice, nearly word for word (the same song, list or
/// narrative in two books): pieces from both sides of one of these are the same text, so
/// grouping them is right, and the bench lists such pairs apart rather than as wrong.
/// A book and a range of its chapters.
type Chapters = (&'static str, u32, u32);

const PARALLELS: [(Chapters, Chapters); 14] = [
    (("2Sm", 22, 22), ("Psa", 18, 18)),
    (("2Ki", 18, 20), ("Isa", 36, 39)),
    (("Ezra", 2, 2), ("Neh", 7, 7)),
    (("2Ki", 24, 25), ("Jer", 52, 52)),
    (("Psa", 14, 14), ("Psa", 53, 53)),
    (("Psa", 40, 40), ("Psa", 70, 70)),
    (("Psa", 57, 60), ("Psa", 108, 108)),
    (("1Chr", 16, 16), ("Psa", 96, 106)),
    (("2Sm", 5, 24), ("1Chr", 11, 21)),
    (("Ge", 10, 11), ("1Chr", 1, 1)),
    (("Ge", 36, 36), ("1Chr", 1, 1)),
    (("1Ki", 3, 22), ("2Chr", 1, 18)),
    (("2Ki", 8, 25), ("2Chr", 21, 36)),
    (("Jer", 10, 10), ("Jer", 51, 51)),
];

fn parallel(a: &Piece, b: &Piece) -> bool {
    let within = |p: &Piece, (book, lo, hi): Chapters| {
        p.book == book && p.chapters.0 <= hi && p.chapters.1 >= lo
    };
    PARALLELS
        .iter()
        .any(|&(x, y)| (within(a, x) && within(b, y)) || (within(a, y) && within(b, x)))
}

/// The text as (book, chapter, paragraph) units: verses of the KJV dump, else blank-line
/// paragraphs.
fn units(raw: &str) -> Vec<(String, u32, String)> {
    let verse = |line: &str| -> Option<(String, u32, String)> {
        let (head, rest) = line.split_once(' ')?;
        let colon = head.find(':')?;
        let digits = head[..colon]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit())
            .last()?
            .0;
        if digits == 0 || !head[colon + 1..].chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some((
            head[..digits].to_string(),
            head[digits..colon].parse().ok()?,
            rest.trim().to_string(),
        ))
    };
    let lines: Vec<&str> = raw.lines().collect();
    let verses: Vec<(String, u32, String)> = lines.iter().filter_map(|l| verse(l)).collect();
    if verses.len() * 2 > lines.len() {
        return verses;
    }
    raw.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|p| ("text".to_string(), 0, p))
        .collect()
}

/// Consecutive units of one book, 300 to 900 words each.
fn pieces(units: &[(String, u32, String)], rng: &mut Rng) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut words = 0;
    let mut target = rng.range(300, 900);
    let mut book = "";
    let (mut first, mut last) = (0, 0);
    for (b, chapter, u) in units {
        if b != book {
            cur.clear();
            words = 0;
            book = b;
        }
        let n = u.split_whitespace().count();
        if words + n > 900 && words >= 300 {
            out.push(Piece {
                book: book.to_string(),
                chapters: (first, last),
                text: cur.join("\n\n"),
            });
            cur.clear();
            words = 0;
            target = rng.range(300, 900);
        }
        if cur.is_empty() {
            first = *chapter;
        }
        last = *chapter;
        cur.push(u);
        words += n;
        if words >= target {
            out.push(Piece {
                book: book.to_string(),
                chapters: (first, last),
                text: cur.join("\n\n"),
            });
            cur.clear();
            words = 0;
            target = rng.range(300, 900);
        }
    }
    out
}

const OUTLETS: [(&str, &str, &str); 5] = [
    (
        "CTV News",
        "Skip to main content. Menu. Search. Sign in. Watch live. Local news. Politics. Business. Top stories.",
        "Report an error. Editorial standards and policies. Why you can trust CTV News. Share this article on Facebook, X or by email. Copyright 2026 Bell Media. All rights reserved.",
    ),
    (
        "Global News",
        "Global News. Watch. Canada. World. Money. Politics. Trending now. Listen to the morning podcast.",
        "Comments are closed on this story. Sign up for the morning newsletter and get the day's top headlines in your inbox. Copyright 2026 Corus Entertainment Inc.",
    ),
    (
        "Maple Wire",
        "Maple Wire. News you can use. Subscribe for full access to every story on every device.",
        "This story was produced by the Maple Wire newsroom. Reproduction without permission is prohibited. Contact the desk with tips.",
    ),
    (
        "The Capital Ledger",
        "The Capital Ledger. Edition: Canada. Today's paper. Opinion. Sports. Arts. Life.",
        "Read more from The Capital Ledger. Our journalism depends on subscribers like you. Support local reporting today.",
    ),
    (
        "Prairie Daily",
        "Prairie Daily. Weather minus twelve. Traffic. Obituaries. Classifieds. Log in or register.",
        "Prairie Daily welcomes letters to the editor. Follow us for updates. All content copyright the publisher.",
    ),
];

const CITIES: [&str; 6] = [
    "OTTAWA",
    "TORONTO",
    "WASHINGTON",
    "HAMILTON, Ont.",
    "REGINA",
    "MONTREAL",
];

const CREDITS: [&str; 4] = [
    "With files from The Canadian Press.",
    "This report by The Canadian Press was first published Dec. 6, 2026.",
    "Reporting by the wire service; editing by the national desk.",
    "With files from Reuters and the Associated Press.",
];

/// British/Canadian spellings an American house style changes.
const SPELLING: [(&str, &str); 14] = [
    ("honour", "honor"),
    ("labour", "labor"),
    ("neighbour", "neighbor"),
    ("favour", "favor"),
    ("saviour", "savior"),
    ("colour", "color"),
    ("savour", "savor"),
    ("vapour", "vapor"),
    ("defence", "defense"),
    ("offence", "offense"),
    ("centre", "center"),
    ("travelled", "traveled"),
    ("realise", "realize"),
    ("judgement", "judgment"),
];

struct Doc {
    /// The piece it carries: documents of one group are copies of each other.
    group: usize,
    title: String,
    outlet: Option<String>,
    body: String,
}

/// A copy of `text` as one outlet carries it; returns the body and a description.
fn copy_of(text: &str, rng: &mut Rng) -> (String, Option<String>, Vec<&'static str>) {
    let mut how = Vec::new();
    let mut paras: Vec<String> = text.split("\n\n").map(str::to_string).collect();
    let total: usize = paras.iter().map(|p| p.split_whitespace().count()).sum();
    if rng.below(3) != 0 {
        // The end trimmed: keep 70–95% of the words.
        let keep = total * rng.range(70, 95) / 100;
        let mut n = 0;
        let mut out = Vec::new();
        for p in &paras {
            let w: Vec<&str> = p.split_whitespace().collect();
            if n + w.len() <= keep {
                out.push(p.clone());
                n += w.len();
            } else {
                out.push(w[..keep - n].join(" "));
                break;
            }
        }
        out.retain(|p| !p.is_empty());
        paras = out;
        how.push("trimmed");
    }
    if rng.below(2) == 0 {
        for p in &mut paras {
            for (from, to) in SPELLING {
                *p = p.replace(from, to);
                let cap = |s: &str| {
                    let mut c = s.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                };
                *p = p.replace(&cap(from), &cap(to));
            }
        }
        how.push("spelling");
    }
    if rng.below(2) == 0 && paras.len() > 2 {
        let at = rng.range(1, paras.len() - 1);
        paras.insert(
            at,
            "Related: What the new trade rules mean for your grocery bill".into(),
        );
        how.push("related");
    }
    let mut body = String::new();
    if rng.below(4) != 0 {
        body.push_str(&format!("{} — ", rng.pick(&CITIES)));
        how.push("dateline");
    }
    body.push_str(&paras.join("\n\n"));
    if how.is_empty() || rng.below(2) == 0 {
        // Never the very same text: that is one source already (the store refuses it).
        body.push_str(&format!("\n\n{}", rng.pick(&CREDITS)));
        how.push("credit");
    }
    let outlet = if rng.below(2) == 0 {
        let (name, header, footer) = rng.pick(&OUTLETS);
        body = format!("{header}\n\n{body}\n\n{footer}");
        how.push("boilerplate");
        Some(name.to_string())
    } else {
        Some(rng.pick(&OUTLETS).0.to_string())
    };
    (body, outlet, how)
}

fn accuracy(path: &Path) {
    let raw = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut rng = Rng(2026);
    let units = units(&raw);
    let pieces = pieces(&units, &mut rng);
    let books: HashSet<&str> = pieces.iter().map(|p| p.book.as_str()).collect();
    let words: usize = pieces
        .iter()
        .map(|p| p.text.split_whitespace().count())
        .sum();
    println!(
        "\n## Stories on real text: {} ({} pieces of 300–900 words from {} books, {} words)\n",
        path.display(),
        pieces.len(),
        books.len(),
        words
    );
    let mut docs: Vec<Doc> = Vec::new();
    // Every piece is an original; a third of them get one to three copies.
    let mut how_counts: HashMap<&str, usize> = HashMap::new();
    for (i, p) in pieces.iter().enumerate() {
        docs.push(Doc {
            group: i,
            title: format!("{} passage {}", p.book, i),
            outlet: Some("Wire".into()),
            body: p.text.clone(),
        });
        if rng.below(3) == 0 {
            for _ in 0..rng.range(1, 3) {
                let (body, outlet, how) = copy_of(&p.text, &mut rng);
                for h in how {
                    *how_counts.entry(h).or_default() += 1;
                }
                docs.push(Doc {
                    group: i,
                    title: format!("Headline {} for passage {}", rng.below(1000), i),
                    outlet,
                    body,
                });
            }
        }
        // A "continued" piece: the next passage, opening on the last fifth to third of this
        // one (a recap). A copy of the next passage with a lead added, and not the same story
        // as this one.
        if rng.below(10) == 0
            && let Some(next) = pieces.get(i + 1).filter(|n| n.book == p.book)
        {
            let w: Vec<&str> = p.text.split_whitespace().collect();
            let recap = w.len() * rng.range(20, 33) / 100;
            docs.push(Doc {
                group: i + 1,
                title: format!("Continued from passage {i}"),
                outlet: Some("Maple Wire".into()),
                body: format!("{}\n\n{}", w[w.len() - recap..].join(" "), next.text),
            });
        }
    }
    let mut order: Vec<usize> = (0..docs.len()).collect();
    rng.shuffle(&mut order);

    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = Workspace::open(&dir.path().join("stories.sqlite")).expect("open");
    let mut ids: HashMap<i64, usize> = HashMap::new();
    let mut adds: Vec<Duration> = Vec::new();
    let mut identical: HashSet<usize> = HashSet::new();
    let start = Instant::now();
    for chunk in order.chunks(200) {
        ws.with_tx(|tx| {
            for &d in chunk {
                let doc = &docs[d];
                let t = Instant::now();
                let added = sources::add(
                    tx,
                    NewSource {
                        title: doc.title.clone(),
                        outlet: doc.outlet.clone(),
                        body: doc.body.clone(),
                        ..Default::default()
                    },
                    NOW,
                );
                adds.push(t.elapsed());
                match added {
                    Ok(added) => {
                        ids.insert(added.id, d);
                    }
                    // Two copies made the same way are one text: the store keeps one source.
                    Err(StoreError::DuplicateSource { .. }) => {
                        identical.insert(d);
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        })
        .expect("add");
    }
    let elapsed = start.elapsed();
    let story: HashMap<usize, i64> = {
        let mut stmt = ws
            .conn()
            .prepare("SELECT source_id, story FROM story_member")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .unwrap()
            .map(|r| {
                let (id, s) = r.unwrap();
                (ids[&id], s)
            })
            .collect()
    };
    // True pairs: every two documents of one group.
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for (d, doc) in docs.iter().enumerate() {
        if identical.contains(&d) {
            continue;
        }
        groups.entry(doc.group).or_default().push(d);
    }
    let (mut true_pairs, mut found) = (0usize, 0usize);
    let mut missed: Vec<(usize, usize)> = Vec::new();
    for members in groups.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                true_pairs += 1;
                match (story.get(&a), story.get(&b)) {
                    (Some(x), Some(y)) if x == y => found += 1,
                    _ => missed.push((a, b)),
                }
            }
        }
    }
    // Wrong pairs: two documents in one story that are not of one group.
    let mut by_story: HashMap<i64, Vec<usize>> = HashMap::new();
    for (&d, &s) in &story {
        by_story.entry(s).or_default().push(d);
    }
    let mut wrong: Vec<(usize, usize)> = Vec::new();
    let mut parallels: Vec<(usize, usize)> = Vec::new();
    let is_parallel = |a: usize, b: usize| parallel(&pieces[docs[a].group], &pieces[docs[b].group]);
    for members in by_story.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                if docs[a].group == docs[b].group {
                    continue;
                }
                if is_parallel(a, b) {
                    parallels.push((a, b));
                } else {
                    wrong.push((a, b));
                }
            }
        }
    }
    // The exact similarity on both sides of the line, over every pair of documents.
    let sh: Vec<Vec<u64>> = docs.iter().map(|d| neardup::shingles(&d.body)).collect();
    let mut min_true = f64::MAX;
    let mut max_false = 0.0f64;
    let mut false_above = [0usize; 4];
    let mut close: Vec<(f64, usize, usize)> = Vec::new();
    for a in 0..docs.len() {
        for b in a + 1..docs.len() {
            if identical.contains(&a) || identical.contains(&b) {
                continue;
            }
            let sim = neardup::similarity(&sh[a], &sh[b]);
            if docs[a].group == docs[b].group {
                min_true = min_true.min(sim);
            } else if !is_parallel(a, b) {
                max_false = max_false.max(sim);
                if sim >= 0.4 {
                    close.push((sim, a, b));
                }
                for (i, t) in [0.2, 0.3, 0.4, 0.5].iter().enumerate() {
                    if sim >= *t {
                        false_above[i] += 1;
                    }
                }
            }
        }
    }
    let continued = docs
        .iter()
        .filter(|d| d.title.starts_with("Continued"))
        .count();
    let copies = docs.len() - pieces.len() - continued;
    println!(
        "{} documents: {} originals, {} copies ({}), {} continued passages\n",
        docs.len(),
        pieces.len(),
        copies,
        {
            let mut h: Vec<_> = how_counts.into_iter().collect();
            h.sort();
            h.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        },
        continued
    );
    if !identical.is_empty() {
        println!(
            "({} copies came out identical to another and were refused as the same source; left out.)\n",
            identical.len()
        );
    }
    println!("| figure | value |");
    println!("|---|---|");
    println!(
        "| true copy pairs found (recall) | {found} / {true_pairs} = {:.2}% |",
        100.0 * found as f64 / true_pairs.max(1) as f64
    );
    println!(
        "| wrong pairs (two sources in one story that are not copies) | {} |",
        wrong.len()
    );
    println!(
        "| pairs of the Bible's own parallel texts grouped (same text in two books; not counted as wrong) | {} |",
        parallels.len()
    );
    println!(
        "| similarity (containment): lowest true pair / highest other pair (parallel texts aside) | {min_true:.3} / {max_false:.3} (threshold {}) |",
        neardup::THRESHOLD
    );
    println!(
        "| other pairs at ≥0.2 / ≥0.3 / ≥0.4 / ≥0.5 | {} / {} / {} / {} |",
        false_above[0], false_above[1], false_above[2], false_above[3]
    );
    let mut adds2 = adds.clone();
    println!(
        "| adding a source (store, workspace growing to {}) | median {}, p95 {}; {:.1?} in all |",
        docs.len(),
        ms(median(&mut adds2)),
        ms(p95(&mut adds)),
        elapsed
    );
    for (a, b) in missed.iter().take(5) {
        eprintln!(
            "missed: {:?} / {:?} (similarity {:.3})",
            docs[*a].title,
            docs[*b].title,
            neardup::similarity(&sh[*a], &sh[*b])
        );
    }
    for (a, b) in &parallels {
        eprintln!(
            "parallel text: {:?} ({} {}-{}) / {:?} ({} {}-{}) (similarity {:.3})",
            docs[*a].title,
            pieces[docs[*a].group].book,
            pieces[docs[*a].group].chapters.0,
            pieces[docs[*a].group].chapters.1,
            docs[*b].title,
            pieces[docs[*b].group].book,
            pieces[docs[*b].group].chapters.0,
            pieces[docs[*b].group].chapters.1,
            neardup::similarity(&sh[*a], &sh[*b])
        );
    }
    close.sort_by(|x, y| y.0.total_cmp(&x.0));
    for (sim, a, b) in close.iter().take(6) {
        let (pa, pb) = (&pieces[docs[*a].group], &pieces[docs[*b].group]);
        eprintln!(
            "closest other pair: {:?} ({} {}-{}) / {:?} ({} {}-{}) (similarity {sim:.3})",
            docs[*a].title,
            pa.book,
            pa.chapters.0,
            pa.chapters.1,
            docs[*b].title,
            pb.book,
            pb.chapters.0,
            pb.chapters.1,
        );
    }
    for (a, b) in wrong.iter().take(10) {
        eprintln!(
            "wrong: {:?} / {:?} (similarity {:.3})",
            docs[*a].title,
            docs[*b].title,
            neardup::similarity(&sh[*a], &sh[*b])
        );
    }
}

fn main() {
    // `cargo bench` passes --bench; any other argument is a filter we do not use.
    let small = std::env::var_os("DOSSIER_BENCH_SMALL").is_some();
    let only = std::env::var("DOSSIER_STORIES_ONLY").unwrap_or_default();
    if only.is_empty() || only == "speed" {
        speed(if small { 10_000 } else { 100_000 });
    }
    if only.is_empty() || only == "accuracy" {
        match std::env::var_os("DOSSIER_STORIES_TEXT") {
            Some(p) => accuracy(Path::new(&p)),
            None => println!(
                "\nAccuracy skipped: set DOSSIER_STORIES_TEXT to a plain-text file of real \
                 public-domain prose (`make bench-stories` writes the King James Version there \
                 from Debian's bible-kjv package)."
            ),
        }
    }
}
