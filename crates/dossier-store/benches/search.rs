//! Search benchmark (`make bench`): a generated workspace of 10,000 sources of 2,000 words,
//! 100,000 excerpts, 5,000 follow-ups and 300 tags; a fixed query mix timed for median and p95,
//! each text query beside its floor — the same FTS5 MATCH ranked by bm25 straight on the
//! indexes, top 20 per kind — in the same process and run.
//!
//! The workspace is generated once (about a minute) and kept under the target folder; words are
//! drawn from a Zipf distribution over a made-up vocabulary so that "common" and "rare" mean
//! what they would in real text. Set DOSSIER_BENCH_SMALL=1 for a tenth of the size.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier_core::{ExcerptTarget, NewFollowUp, NewSource};
use dossier_store::search::SearchOptions;
use dossier_store::{Workspace, excerpts, followups, sources};

const GENERATOR_VERSION: u32 = 1;
const NOW: &str = "2026-11-26T12:00:00Z";

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
}

struct Vocab {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocab {
    fn new(rng: &mut Rng, size: usize) -> Vocab {
        let syll = [
            "ta", "ri", "fe", "lo", "men", "cor", "sa", "ve", "qui", "dan", "por", "el", "ni",
            "stra", "gu", "bel", "on", "ex", "ar", "té",
        ];
        let mut words = Vec::with_capacity(size);
        let mut seen = std::collections::HashSet::new();
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
    fn pick(&self, rng: &mut Rng) -> &str {
        let x = rng.unit() * self.cumulative.last().unwrap();
        let i = self.cumulative.partition_point(|&c| c < x);
        &self.words[i.min(self.words.len() - 1)]
    }
}

struct Scale {
    sources: usize,
    words: usize,
    excerpts: usize,
    followups: usize,
    tags: usize,
}

fn generate(path: &Path, scale: &Scale) {
    let started = Instant::now();
    let mut rng = Rng(42);
    let vocab = Vocab::new(&mut rng, 30_000);
    let mut ws = Workspace::open(path).unwrap();
    let outlets = [
        "Maple Wire",
        "Le Courrier",
        "Gazette",
        "Trade Daily",
        "La Presse du Nord",
        "Capital Report",
    ];
    let seeded: Vec<String> = ws
        .list_tags()
        .unwrap()
        .into_iter()
        .map(|t| t.path)
        .collect();
    let mut tag_paths = seeded.clone();
    let extra = scale.tags.saturating_sub(seeded.len());
    ws.with_tx(|tx| {
        for i in 0..extra {
            let path = format!("theme/topic-{i}");
            dossier_store::tags::add(tx, &path, &Default::default(), NOW)?;
            tag_paths.push(path);
        }
        Ok(())
    })
    .unwrap();
    let mut bodies: Vec<(i64, Vec<(usize, usize)>)> = Vec::with_capacity(scale.sources);
    for chunk in 0..scale.sources.div_ceil(500) {
        ws.with_tx(|tx| {
            for i in chunk * 500..((chunk + 1) * 500).min(scale.sources) {
                let mut body = String::with_capacity(scale.words * 8);
                let mut spans = Vec::new(); // (start, end) in chars of each sentence
                let mut chars = 0usize;
                let mut w = 0;
                while w < scale.words {
                    let len = 8 + rng.below(20);
                    let start = chars;
                    for k in 0..len {
                        let word = vocab.pick(&mut rng);
                        if k > 0 {
                            body.push(' ');
                            chars += 1;
                        }
                        body.push_str(word);
                        chars += word.chars().count();
                    }
                    body.push('.');
                    chars += 1;
                    spans.push((start, chars));
                    body.push(' ');
                    chars += 1;
                    w += len;
                }
                let year = 2023 + rng.below(3);
                let new = NewSource {
                    title: format!("{} {} {}", vocab.pick(&mut rng), vocab.pick(&mut rng), i),
                    outlet: Some(outlets[rng.below(outlets.len())].into()),
                    authors: vec![format!("Author {}", rng.below(200))],
                    published: Some(format!(
                        "{year}-{:02}-{:02}",
                        1 + rng.below(12),
                        1 + rng.below(28)
                    )),
                    lang: Some(if rng.below(3) == 0 { "fr" } else { "en" }.into()),
                    tags: if rng.below(4) == 0 {
                        vec![tag_paths[rng.below(tag_paths.len())].clone()]
                    } else {
                        vec![]
                    },
                    body,
                    ..Default::default()
                };
                let id = sources::add(tx, new, NOW)?.id;
                bodies.push((id, spans));
            }
            Ok(())
        })
        .unwrap();
    }
    let per_source = scale.excerpts / scale.sources.max(1);
    let mut excerpt_ids = Vec::with_capacity(scale.excerpts);
    for chunk in bodies.chunks(500) {
        ws.with_tx(|tx| {
            for (source_id, spans) in chunk {
                for _ in 0..per_source {
                    let (start, end) = spans[rng.below(spans.len())];
                    // Tags: a sector most of the time, sometimes an instrument and a topic.
                    let mut tags = vec![tag_paths[rng.below(tag_paths.len().min(12))].clone()];
                    if rng.below(2) == 0 {
                        tags.push(tag_paths[rng.below(tag_paths.len())].clone());
                    }
                    let note = if rng.below(3) == 0 {
                        format!("{} {}", vocab.pick(&mut rng), vocab.pick(&mut rng))
                    } else {
                        String::new()
                    };
                    let e = excerpts::add(
                        tx,
                        *source_id,
                        &ExcerptTarget::Range {
                            start,
                            end: end - 1,
                        },
                        &note,
                        &tags,
                        NOW,
                    )?;
                    excerpt_ids.push(e);
                }
            }
            Ok(())
        })
        .unwrap();
    }
    ws.with_tx(|tx| {
        for i in 0..scale.followups {
            let new = NewFollowUp {
                text: format!(
                    "What about {} and {}?",
                    vocab.pick(&mut rng),
                    vocab.pick(&mut rng)
                ),
                excerpt_ids: vec![excerpt_ids[rng.below(excerpt_ids.len())]],
                due: Some(format!(
                    "2026-{:02}-{:02}",
                    1 + rng.below(12),
                    1 + rng.below(28)
                )),
                ..Default::default()
            };
            let id = followups::add(tx, &new, NOW)?;
            if i % 3 == 0 {
                followups::answer(
                    tx,
                    id,
                    &format!("Answered: {}", vocab.pick(&mut rng)),
                    &[],
                    NOW,
                )?;
            }
        }
        Ok(())
    })
    .unwrap();
    ws.conn().execute_batch("PRAGMA optimize; INSERT INTO excerpt_fts(excerpt_fts) VALUES('optimize'); INSERT INTO source_fts(source_fts) VALUES('optimize'); INSERT INTO followup_fts(followup_fts) VALUES('optimize');").unwrap();
    eprintln!(
        "generated {} in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> (f64, f64) {
    f(); // warm
    let mut ds: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    ds.sort();
    (percentile(&ds, 0.5), percentile(&ds, 0.95))
}

/// Excerpt document frequency of a word, to pick "common" and "rare" honestly.
fn df(ws: &Workspace, word: &str) -> i64 {
    ws.conn()
        .query_row(
            "SELECT count(*) FROM excerpt_fts WHERE excerpt_fts MATCH ?",
            [format!("\"{word}\"")],
            |r| r.get(0),
        )
        .unwrap()
}

fn main() {
    let small = std::env::var_os("DOSSIER_BENCH_SMALL").is_some();
    let scale = if small {
        Scale {
            sources: 1_000,
            words: 2_000,
            excerpts: 10_000,
            followups: 500,
            tags: 300,
        }
    } else {
        Scale {
            sources: 10_000,
            words: 2_000,
            excerpts: 100_000,
            followups: 5_000,
            tags: 300,
        }
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!(
        "search-v{GENERATOR_VERSION}-{}.sqlite",
        scale.sources
    ));
    if !path.exists() {
        let tmp = path.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        generate(&tmp, &scale);
        std::fs::rename(&tmp, &path).unwrap();
    }
    let mut ws = Workspace::open(&path).unwrap();
    let n_excerpts: i64 = ws
        .conn()
        .query_row("SELECT count(*) FROM excerpt", [], |r| r.get(0))
        .unwrap();

    // Choose the words by measured frequency.
    let mut vocab_rng = Rng(42);
    let vocab = Vocab::new(&mut vocab_rng, 30_000);
    let common = vocab.words[..50]
        .iter()
        .min_by_key(|w| (df(&ws, w) - n_excerpts / 4).abs())
        .unwrap()
        .clone();
    let rare = vocab.words[5_000..5_200]
        .iter()
        .find(|w| (5..=50).contains(&df(&ws, w)))
        .unwrap_or(&vocab.words[5_000])
        .clone();
    let phrase_src: String = ws
        .conn()
        .query_row("SELECT quote FROM excerpt WHERE id = 777", [], |r| r.get(0))
        .unwrap();
    let phrase: Vec<&str> = phrase_src.split_whitespace().take(2).collect();
    let phrase = format!("\"{}\"", phrase.join(" "));
    let mid = vocab.words[300..400]
        .iter()
        .max_by_key(|w| w.chars().count())
        .unwrap()
        .clone();
    // A stem an analyst would type (like `tarif*`): five letters of a mid-frequency word.
    let stem_of = vocab.words[1_000..1_100]
        .iter()
        .max_by_key(|w| w.chars().count())
        .unwrap();
    let prefix = format!("{}*", stem_of.chars().take(5).collect::<String>());
    // A tag whose English and French labels are two words of the text, as `steel` and `acier`
    // are: searching the one also searches the other (the same edit each run, so the kept
    // workspace is unchanged by it).
    let (english, french) = (vocab.words[450].clone(), vocab.words[650].clone());
    ws.edit_tag(
        "theme/topic-3",
        dossier_core::TagSpec {
            label: Some(english.clone()),
            label_fr: Some(french),
            ..Default::default()
        },
    )
    .unwrap();
    let cases: Vec<(&str, String, bool)> = vec![
        ("word + its French label", english.clone(), false),
        ("common word", common.clone(), false),
        ("rare word", rare.clone(), false),
        ("phrase", phrase.clone(), false),
        ("prefix", prefix.clone(), false),
        ("tag alone", "#topic-7".into(), false),
        ("tag + word", format!("#steel {mid}"), false),
        (
            "tag -tag + dates",
            "#sector -#autos after:2024-01-01 before:2025-01-01".into(),
            false,
        ),
        ("word + facets", mid.clone(), true),
    ];
    if let Some(out) = std::env::var_os("DOSSIER_BENCH_DUMP") {
        dump(&ws, &cases, &PathBuf::from(out));
        return;
    }
    println!(
        "\nSearch benchmark — {} sources × {} words, {} excerpts, {} follow-ups, {} tags",
        scale.sources, scale.words, n_excerpts, scale.followups, scale.tags
    );
    println!(
        "common word \"{common}\" is in {} excerpts ({:.0}%); rare word \"{rare}\" in {}",
        df(&ws, &common),
        100.0 * df(&ws, &common) as f64 / n_excerpts as f64,
        df(&ws, &rare)
    );
    println!("\n| query | text | total | median ms | p95 ms | floor median ms | ratio |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    let runs = std::env::var("DOSSIER_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(if small { 15 } else { 30 });
    // DOSSIER_BENCH_ONLY=rare times only the rows whose name contains it (for a profiler).
    let only = std::env::var("DOSSIER_BENCH_ONLY").unwrap_or_default();
    for (name, q, facets) in cases.iter().filter(|c| c.0.contains(only.as_str())) {
        let opts = SearchOptions {
            limit: 20,
            offset: 0,
            facets: *facets,
            expand: true,
        };
        let total = ws.search(q, &opts).unwrap().total;
        let (med, p95) = time(runs, || {
            std::hint::black_box(ws.search(q, &opts).unwrap());
        });
        let expr = dossier_core::query::parse(q).unwrap();
        let is_text = matches!(expr, dossier_core::query::Expr::Text(_));
        let floor = if is_text {
            let m = match &expr {
                dossier_core::query::Expr::Text(dossier_core::query::Text::Prefix(w)) => {
                    format!("\"{}\" *", w.to_lowercase())
                }
                dossier_core::query::Expr::Text(dossier_core::query::Text::Phrase(p)) => {
                    format!("\"{}\"", p.to_lowercase())
                }
                dossier_core::query::Expr::Text(
                    dossier_core::query::Text::Word(w) | dossier_core::query::Text::Exact(w),
                ) => {
                    format!("\"{}\"", w.to_lowercase())
                }
                _ => unreachable!(),
            };
            let (fmed, _) = time(runs, || {
                for t in ["excerpt_fts", "source_fts", "followup_fts"] {
                    let mut stmt = ws.conn().prepare_cached(&format!("SELECT rowid, bm25({t}) FROM {t} WHERE {t} MATCH ? ORDER BY bm25({t}) LIMIT 20")).unwrap();
                    let rows: Vec<(i64, f64)> = stmt
                        .query_map([&m], |r| Ok((r.get(0)?, r.get(1)?)))
                        .unwrap()
                        .map(Result::unwrap)
                        .collect();
                    std::hint::black_box(rows);
                }
            });
            Some(fmed)
        } else {
            None
        };
        println!(
            "| {name} | `{q}` | {total} | {med:.2} | {p95:.2} | {} | {} |",
            floor.map_or("—".into(), |f| format!("{f:.2}")),
            floor.map_or("—".into(), |f| format!("{:.2}×", med / f))
        );
    }
    if !"tag list with counts".contains(only.as_str()) {
        return;
    }
    let (tmed, tp95) = time(runs, || {
        std::hint::black_box(ws.list_tags().unwrap());
    });
    println!(
        "| tag list with counts | — | {} | {tmed:.2} | {tp95:.2} | — | — |",
        ws.list_tags().unwrap().len()
    );

    // The CLI end to end, process start included, when a release binary is there.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("release")
        .join("dossier");
    if target.exists() {
        let (cmed, cp95) = time(20, || {
            let out = std::process::Command::new(&target)
                .args(["--db", path.to_str().unwrap(), "--json", "search", &mid])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        });
        println!(
            "| CLI `dossier search` end to end | `{mid}` | — | {cmed:.2} | {cp95:.2} | — | — |"
        );
    } else {
        println!(
            "(no release CLI at {}; `make bench` builds it)",
            target.display()
        );
    }
}

/// Every case and more (pages, facets, filters, alternatives) with their full results as JSON
/// lines, so that two builds can be diffed: a faster search must find the same thing.
fn dump(ws: &Workspace, cases: &[(&str, String, bool)], out: &Path) {
    use std::io::Write;
    let mut queries: Vec<String> = cases.iter().map(|c| c.1.clone()).collect();
    let (common, mid) = (&cases[0].1, &cases[7].1);
    let rare = &cases[1].1;
    queries.extend([
        format!("{common} {mid}"),
        format!("{common} OR {rare}"),
        format!("{common} -{mid}"),
        format!("{rare} type:source"),
        format!("{rare} type:excerpt"),
        format!("{mid} after:2024-06-01"),
        format!("{mid} outlet:gazette"),
        format!("{mid} lang:fr"),
        format!("{common} #steel"),
        format!("#steel -{common}"),
        format!("{mid} -#sector"),
        format!("({rare} OR #topic-3) before:2024-01-01"),
        "is:open".into(),
        "is:answered answered".into(),
        "what".into(),
        "type:question due-before:2026-03-01".into(),
        "source:77".into(),
        format!("source:77 {common}"),
        "author:\"author 12\"".into(),
        "#topic-7 OR #topic-8".into(),
        "after:2025-06-01".into(),
        "ta*".into(),
        "zzzzqx".into(),
    ]);
    let mut f = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    for q in &queries {
        for (limit, offset, facets) in [
            (20, 0, false),
            (20, 0, true),
            (50, 20, false),
            (7, 3, true),
            (100, 400, false),
        ] {
            let opts = SearchOptions {
                limit,
                offset,
                facets,
                expand: true,
            };
            let r = ws.search(q, &opts).unwrap();
            writeln!(f, "{}", serde_json::to_string(&r).unwrap()).unwrap();
        }
    }
    eprintln!("{} queries written to {}", queries.len(), out.display());
}
