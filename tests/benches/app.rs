//! The desktop app's benchmark (not a timed test): `make bench-app`, on a release build, under a
//! display. A workspace of 2,000 sources and 20,000 excerpts, written through the store API:
//!
//! - launch → library painted: from the app process's start (read from /proc) to the UI's
//!   `library-painted` performance mark (set two animation frames after the rows render);
//! - click → long source painted: a 50,000-character source with 200 excerpts, from the click on
//!   its row to the reader's `reader-painted` mark, both timed inside the page;
//! - idle memory: PSS summed over the app and every process it started (WebKitWebProcess,
//!   WebKitNetworkProcess), from /proc/PID/smaps_rollup, after 5 s at rest.
//!
//! Each is measured with WebKit's defaults and with `WEBKIT_DISABLE_DMABUF_RENDERER=1`.
//! Targets (issue 3): library ≤ 1.5 s, long source ≤ 150 ms, idle ≤ 250 MB PSS.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dossier_core::{ExcerptTarget, NewSource};
use dossier_e2e::desktop::{Desktop, target_dir};
use dossier_store::{Workspace, excerpts, sources};
use serde_json::json;

const SOURCES: usize = 2_000;
const EXCERPTS: usize = 20_000;
const LONG_CHARS: usize = 50_000;
const LONG_EXCERPTS: usize = 200;
const NOW: &str = "2026-11-26T12:00:00Z";
/// Bump when the generated workspace changes, so a cached copy is not reused.
const WORKSPACE_VERSION: u32 = 2;
/// The long source is written last, so it is the newest and first in the library.
const LONG_ID: usize = SOURCES;

const LAUNCHES: usize = 3;
const OPENS: usize = 5;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks harness-less benches to list themselves
    }
    let profile = std::env::var("DOSSIER_E2E_PROFILE").unwrap_or_default();
    if profile != "release" {
        eprintln!(
            "note: measuring the {} build; `make bench-app` sets DOSSIER_E2E_PROFILE=release",
            if profile.is_empty() {
                "debug"
            } else {
                &profile
            }
        );
    }
    let workspace = cached_workspace();

    // The app turns WebKit's DMA-BUF renderer off unless the variable is set; "0" keeps it.
    // DOSSIER_BENCH_ENV="NAME=VALUE ..." adds a column with more variables, to try WebKit knobs.
    let mut configs: Vec<(String, Vec<(String, String)>)> = vec![
        ("the app as shipped".to_owned(), vec![]),
        (
            "WEBKIT_DISABLE_DMABUF_RENDERER=0".to_owned(),
            vec![("WEBKIT_DISABLE_DMABUF_RENDERER".to_owned(), "0".to_owned())],
        ),
    ];
    if let Ok(extra) = std::env::var("DOSSIER_BENCH_ENV") {
        let vars = extra
            .split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        configs.push((extra.clone(), vars));
    }
    let mut rows = Vec::new();
    for (n, (label, env)) in configs.iter().enumerate() {
        rows.push((label.as_str(), measure(&workspace, env, n)));
    }
    print_table(&rows);
}

#[derive(Debug, Default)]
struct Figures {
    launch_from_spawn_ms: Vec<f64>,
    launch_from_request_ms: Vec<f64>,
    spawn_to_page_ms: Vec<f64>,
    page_to_library_ms: Vec<f64>,
    long_source_ms: Vec<f64>,
    idle_pss_mb: Vec<f64>,
    reader_pss_mb: Vec<f64>,
    processes: String,
}

fn measure(workspace: &Path, env: &[(String, String)], config: usize) -> Figures {
    let mut figures = Figures::default();
    for run in 0..LAUNCHES {
        let scratch = tempfile::tempdir().expect("create a temp dir");
        let db = scratch.path().join("ws.sqlite");
        std::fs::copy(workspace, &db).expect("copy the benchmark workspace");
        let extra: Vec<(&str, &Path)> = env
            .iter()
            .map(|(k, v)| (k.as_str(), Path::new(v.as_str())))
            .collect();

        let requested = epoch_ms();
        let app = Desktop::launch_with(&format!("bench-{run}"), &db, scratch.path(), &extra);
        let painted = wait_for_mark(&app, "library-painted");
        figures.launch_from_request_ms.push(painted - requested);
        let pid = app_pid(&db).expect("find the app's process");
        let spawned = process_start_epoch_ms(pid);
        figures.launch_from_spawn_ms.push(painted - spawned);
        let page = app
            .js("return performance.timeOrigin;", &[])
            .as_f64()
            .expect("the page has a time origin");
        figures.spawn_to_page_ms.push(page - spawned);
        figures.page_to_library_ms.push(painted - page);
        let count = app.text("#library-count", "the library counts its sources");
        assert_eq!(
            count,
            format!("{SOURCES} sources"),
            "the library holds every source"
        );

        std::thread::sleep(Duration::from_secs(5));
        let (pss, names) = pss_of_tree(pid);
        figures.idle_pss_mb.push(pss);
        if let Some(dir) = std::env::var_os("DOSSIER_BENCH_SMAPS") {
            dump_smaps(pid, Path::new(&dir), config, run);
        }
        figures.processes = names;

        for _ in 0..OPENS {
            figures.long_source_ms.push(open_long_source(&app));
            app.click("#nav-library", "back to the library");
            app.expect(".source-row", "the library again");
        }
        open_long_source(&app);
        std::thread::sleep(Duration::from_secs(3));
        figures.reader_pss_mb.push(pss_of_tree(pid).0);
        app.quit();
    }
    figures
}

/// Clicks the long source's row and returns the time to its highlights painted, in the page.
fn open_long_source(app: &Desktop) -> f64 {
    let elapsed = app
        .session()
        .execute_async(
            r#"
            const done = arguments[arguments.length - 1];
            const link = document.querySelector(`.source-row[data-source-id="${arguments[0]}"] .source-link`);
            if (!link) { done(-1); return; }
            link.scrollIntoView({ block: "center" });
            requestAnimationFrame(() => {
              const before = performance.getEntriesByName("reader-painted").length;
              const t0 = performance.now();
              link.click();
              const poll = () => {
                const marks = performance.getEntriesByName("reader-painted");
                if (marks.length > before) done(marks[marks.length - 1].startTime - t0);
                else setTimeout(poll, 2);
              };
              poll();
            });
            "#,
            &[json!(LONG_ID)],
        )
        .expect("open the long source");
    let ms = elapsed.as_f64().expect("the page reports a time");
    assert!(ms >= 0.0, "the long source's row is in the library");
    let highlighted = app.js(
        "return new Set([...document.querySelectorAll('#reader-text mark[data-excerpt]')]\
         .flatMap((m) => m.dataset.excerpts.split(' '))).size;",
        &[],
    );
    assert_eq!(
        highlighted.as_u64(),
        Some(LONG_EXCERPTS as u64),
        "every excerpt of the long source is highlighted"
    );
    ms
}

fn wait_for_mark(app: &Desktop, name: &str) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let value = app.js(
            "const m = performance.getEntriesByName(arguments[0]); \
             return m.length ? performance.timeOrigin + m[0].startTime : null;",
            &[json!(name)],
        );
        if let Some(at) = value.as_f64() {
            return at;
        }
        assert!(Instant::now() < deadline, "no {name} mark within 60 s");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs_f64()
        * 1000.0
}

/// The app process on `db`: the one whose environment names it.
fn app_pid(db: &Path) -> Option<u32> {
    let needle = format!("DOSSIER_DB={}", db.display()).into_bytes();
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(Result::ok)
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let exe = std::fs::read_link(entry.path().join("exe")).ok()?;
            let env = std::fs::read(entry.path().join("environ")).ok()?;
            let is_app = exe
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("dossier-app"));
            (is_app && env.split(|b| *b == 0).any(|v| v == needle.as_slice())).then_some(pid)
        })
}

/// (pid, ppid, name) of every process.
fn processes() -> Vec<(u32, u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            let (name, rest) = stat.split_once(" (")?.1.rsplit_once(") ")?;
            let ppid = rest.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid, name.to_owned()))
        })
        .collect()
}

/// When `pid` started, in ms since the epoch (10 ms resolution: clock ticks since boot).
fn process_start_epoch_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read the app's stat");
    let after_name = stat.rsplit_once(") ").expect("stat has a name").1;
    // Field 22 overall; field 20 after "pid (name)".
    let ticks: f64 = after_name
        .split_whitespace()
        .nth(19)
        .and_then(|t| t.parse().ok())
        .expect("stat has a start time");
    let hz: f64 = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0);
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|u| u.split_whitespace().next()?.parse().ok())
        .expect("read /proc/uptime");
    let boot = epoch_ms() - uptime * 1000.0;
    boot + ticks / hz * 1000.0
}

/// `DOSSIER_BENCH_SMAPS=DIR`: each process's `/proc/PID/smaps` at rest, as
/// `DIR/config-C-run-N-NAME.smaps` (C counts the table's columns from 0), to see which
/// mappings the idle figure is made of.
fn dump_smaps(root: u32, dir: &Path, config: usize, run: usize) {
    std::fs::create_dir_all(dir).expect("create the smaps folder");
    let all = processes();
    for pid in tree_of(root, &all) {
        let name = all
            .iter()
            .find(|(p, _, _)| *p == pid)
            .map(|(_, _, n)| n.clone())
            .unwrap_or_default();
        if let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) {
            let file = dir.join(format!("config-{config}-run-{run}-{name}.smaps"));
            std::fs::write(file, text).expect("write a smaps copy");
        }
    }
}

/// `root` and every process under it.
fn tree_of(root: u32, all: &[(u32, u32, String)]) -> Vec<u32> {
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            all.iter()
                .filter(|(_, ppid, _)| *ppid == parent)
                .map(|(pid, _, _)| *pid),
        );
        i += 1;
    }
    tree
}

/// PSS in MB of `root` and every process under it, and their names.
fn pss_of_tree(root: u32) -> (f64, String) {
    let all = processes();
    let tree = tree_of(root, &all);
    let mut total_kb = 0.0;
    let mut names = Vec::new();
    for pid in &tree {
        let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
            continue;
        };
        let kb: f64 = rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        total_kb += kb;
        let name = all
            .iter()
            .find(|(p, _, _)| p == pid)
            .map(|(_, _, n)| n.clone())
            .unwrap_or_default();
        names.push(format!("{name} {:.0} MB", kb / 1024.0));
    }
    (total_kb / 1024.0, names.join(", "))
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

fn print_table(rows: &[(&str, Figures)]) {
    let cell = |v: &[f64], unit: &str| {
        format!(
            "{:.0} {unit} (min {:.0}, max {:.0}, n={})",
            median(v),
            v.iter().copied().fold(f64::INFINITY, f64::min),
            v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            v.len()
        )
    };
    println!();
    println!(
        "Dossier desktop app — {SOURCES} sources, {EXCERPTS} excerpts; long source {LONG_CHARS} characters, {LONG_EXCERPTS} excerpts"
    );
    println!();
    println!(
        "| measure (median) | target | {} |",
        rows.iter().map(|r| r.0).collect::<Vec<_>>().join(" | ")
    );
    println!("|---|---|{}", "---|".repeat(rows.len()));
    let line = |name: &str, target: &str, f: &dyn Fn(&Figures) -> String| {
        println!(
            "| {name} | {target} | {} |",
            rows.iter()
                .map(|(_, fig)| f(fig))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    };
    line(
        "launch → library painted, from process start",
        "≤ 1500 ms",
        &|f| cell(&f.launch_from_spawn_ms, "ms"),
    );
    line(
        "  of which: process start → page navigation starts",
        "",
        &|f| cell(&f.spawn_to_page_ms, "ms"),
    );
    line(
        "  of which: navigation → library painted (load, IPC, render)",
        "",
        &|f| cell(&f.page_to_library_ms, "ms"),
    );
    line(
        "launch → library painted, from WebDriver's new-session request",
        "",
        &|f| cell(&f.launch_from_request_ms, "ms"),
    );
    line(
        "click → long source's highlights painted",
        "≤ 150 ms",
        &|f| cell(&f.long_source_ms, "ms"),
    );
    line(
        "idle memory on the library (PSS, all processes)",
        "≤ 250 MB",
        &|f| cell(&f.idle_pss_mb, "MB"),
    );
    line("memory with the long source open (PSS)", "", &|f| {
        cell(&f.reader_pss_mb, "MB")
    });
    println!();
    for (label, f) in rows {
        println!("{label}: processes at idle: {}", f.processes);
    }
}

/// The benchmark workspace, generated once and kept under the target directory.
fn cached_workspace() -> PathBuf {
    let dir = target_dir().join("bench-app");
    std::fs::create_dir_all(&dir).expect("create target/bench-app");
    let path = dir.join(format!("workspace-v{WORKSPACE_VERSION}.sqlite"));
    if path.is_file() {
        return path;
    }
    let partial = dir.join(format!("workspace-v{WORKSPACE_VERSION}.partial.sqlite"));
    let _ = std::fs::remove_file(&partial);
    let started = Instant::now();
    generate(&partial);
    std::fs::rename(&partial, &path).expect("keep the generated workspace");
    eprintln!(
        "generated {} in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    path
}

/// A small deterministic generator (no dependency needed for reproducible text).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "tariff",
    "steel",
    "aluminum",
    "quota",
    "Ottawa",
    "Washington",
    "negotiators",
    "officials",
    "sector",
    "talks",
    "duties",
    "lumber",
    "softwood",
    "autos",
    "dairy",
    "review",
    "minister",
    "agreement",
    "exports",
    "imports",
    "market",
    "access",
    "rules",
    "origin",
    "supply",
    "chain",
    "producers",
    "industry",
    "round",
    "proposal",
    "concession",
    "retaliation",
    "measures",
    "the",
    "of",
    "and",
    "to",
    "in",
    "on",
    "for",
    "with",
    "said",
    "would",
    "could",
    "after",
    "before",
    "week",
    "month",
    "provinces",
    "federal",
    "trade",
    "representative",
    "committee",
    "joint",
    "energy",
    "critical",
    "minerals",
    "border",
    "plants",
    "workers",
    "jobs",
    "prices",
    "négociations",
    "acier",
    "droits",
    "douane",
    "contingent",
    "examen",
    "ministre",
    "énergie",
];

const OUTLETS: &[&str] = &[
    "Northern Wire",
    "Maple Wire",
    "Le Fil économique",
    "Great Lakes Trade Report",
    "Le Courrier parlementaire",
    "Prairie Ledger",
    "Harbour Gazette",
    "Capital Bulletin",
];

const TAGS: &[&str] = &[
    "sector/steel",
    "sector/aluminum",
    "sector/forestry",
    "sector/automotive",
    "sector/dairy",
    "sector/energy",
    "actor/canada",
    "actor/united-states",
    "instrument/tariff",
    "instrument/quota",
    "instrument/cusma-review",
];

fn text(rng: &mut Rng, chars: usize) -> String {
    let mut out = String::with_capacity(chars + 64);
    let mut sentence = 0;
    while out.chars().count() < chars {
        let words = 8 + rng.below(14);
        for w in 0..words {
            let word = WORDS[rng.below(WORDS.len())];
            if w == 0 {
                let mut c = word.chars();
                if let Some(first) = c.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(c.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(word);
            }
        }
        out.push('.');
        sentence += 1;
        out.push_str(if sentence % 5 == 0 { "\n\n" } else { " " });
    }
    out.trim_end().to_owned()
}

/// `count` non-overlapping (start, end) code-point ranges on word boundaries of `body`.
fn ranges(rng: &mut Rng, body: &str, count: usize) -> Vec<(usize, usize)> {
    let chars: Vec<char> = body.chars().collect();
    let slot = chars.len() / count;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let from = i * slot;
        let mut start = from + rng.below(slot / 3 + 1);
        while start < chars.len() && !chars[start].is_alphanumeric() {
            start += 1;
        }
        while start > from && chars[start - 1].is_alphanumeric() {
            start -= 1;
        }
        let mut end = (start + 30 + rng.below(slot / 2)).min(from + slot - 1);
        while end > start + 1 && !chars[end - 1].is_alphanumeric() {
            end -= 1;
        }
        if end > start {
            out.push((start, end));
        }
    }
    out
}

fn generate(path: &Path) {
    let mut ws = Workspace::open(path).expect("create the benchmark workspace");
    let mut rng = Rng(42);
    let long_body = text(&mut rng, LONG_CHARS);
    let regular_with_excerpts = (EXCERPTS - LONG_EXCERPTS) / 10;
    let mut made = 0;
    let mut excerpts_made = 0;
    while made < SOURCES {
        let batch = (SOURCES - made).min(100);
        ws.with_tx(|tx| {
            for _ in 0..batch {
                let i = made;
                made += 1;
                let long = i == SOURCES - 1;
                let body = if long {
                    long_body.clone()
                } else {
                    let chars = 900 + rng.below(900);
                    text(&mut rng, chars)
                };
                let title = if long {
                    "The long read: every sector of the tariff talks, file by file".to_owned()
                } else {
                    format!(
                        "{} {} {} — bulletin {i}",
                        WORDS[rng.below(WORDS.len())],
                        WORDS[rng.below(WORDS.len())],
                        WORDS[rng.below(WORDS.len())]
                    )
                };
                let added = sources::add(
                    tx,
                    NewSource {
                        title,
                        outlet: Some(OUTLETS[i % OUTLETS.len()].to_owned()),
                        authors: vec![format!("Reporter {}", i % 37)],
                        published: Some(format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
                        url: None,
                        lang: Some(if i % 4 == 0 { "fr" } else { "en" }.to_owned()),
                        notes: String::new(),
                        origin: None,
                        tags: vec![TAGS[i % TAGS.len()].to_owned()],
                        body,
                        marking: Default::default(),
                    },
                    NOW,
                )?;
                let count = if long {
                    LONG_EXCERPTS
                } else if i < regular_with_excerpts {
                    10
                } else {
                    0
                };
                if count == 0 {
                    continue;
                }
                let stored = sources::body(tx, added.id)?;
                for (n, (start, end)) in ranges(&mut rng, &stored, count).into_iter().enumerate() {
                    let tags = vec![
                        TAGS[(i + n) % TAGS.len()].to_owned(),
                        TAGS[(i + n + 3) % TAGS.len()].to_owned(),
                    ];
                    excerpts::add(
                        tx,
                        added.id,
                        &ExcerptTarget::Range { start, end },
                        "Why this passage matters for the briefing.",
                        &tags,
                        NOW,
                    )?;
                    excerpts_made += 1;
                }
            }
            Ok(())
        })
        .expect("write a batch of sources");
    }
    drop(ws);
    eprintln!("wrote {made} sources and {excerpts_made} excerpts");
    assert_eq!(
        excerpts_made, EXCERPTS,
        "the workspace has the promised size"
    );
}
