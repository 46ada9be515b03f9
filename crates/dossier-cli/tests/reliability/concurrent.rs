//! Two writers and a reader on one workspace at once, for a fixed period, each a stream of
//! real `dossier` processes: no "database is locked" may reach the analyst, and every write a
//! writer was told succeeded must be in the workspace afterwards.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::{Run, path_str, run, workspace_with};

const PERIOD: Duration = Duration::from_secs(4);

/// What one actor saw.
#[derive(Default, Debug)]
struct Tally {
    runs: usize,
    failures: Vec<String>,
    /// Source ids the CLI reported creating.
    sources: BTreeSet<i64>,
    /// Excerpt ids the CLI reported creating.
    excerpts: BTreeSet<i64>,
}

impl Tally {
    fn record(&mut self, what: &str, run: &Run) -> bool {
        self.runs += 1;
        let trouble = ["locked", "busy", "warning", "panicked"]
            .iter()
            .any(|w| run.stderr.to_lowercase().contains(w));
        if run.code != 0 || trouble {
            self.failures
                .push(format!("{what}: exit {}: {}", run.code, run.stderr.trim()));
            return false;
        }
        true
    }
}

fn until(stop: &AtomicBool) -> bool {
    !stop.load(Ordering::Relaxed)
}

/// Captures a source and excerpts it, again and again, each a separate process.
fn source_writer(db: PathBuf, dir: PathBuf, name: &'static str, stop: Arc<AtomicBool>) -> Tally {
    let mut t = Tally::default();
    let mut i = 0;
    while until(&stop) {
        i += 1;
        let file = dir.join(format!("{name}-{i}.txt"));
        std::fs::write(
            &file,
            format!("{name} article {i}\n\nSteel tariffs, round {i} of writer {name}.\n"),
        )
        .unwrap();
        let added = run(
            &db,
            &[
                "--json",
                "source",
                "add",
                path_str(&file),
                "--tag",
                "theme/load",
            ],
        );
        if !t.record("source add", &added) {
            continue;
        }
        let id = added.json()["id"].as_i64().unwrap();
        t.sources.insert(id);
        let excerpt = run(
            &db,
            &[
                "--json",
                "excerpt",
                "add",
                &id.to_string(),
                "--quote",
                &format!("round {i} of writer {name}"),
                "--tag",
                "sector/steel",
            ],
        );
        if t.record("excerpt add", &excerpt) {
            t.excerpts.insert(excerpt.json()["id"].as_i64().unwrap());
        }
    }
    t
}

/// Imports folders of ten files in one process each: long runs of transactions.
fn import_writer(db: PathBuf, dir: PathBuf, stop: Arc<AtomicBool>) -> Tally {
    let mut t = Tally::default();
    let mut round = 0;
    while until(&stop) {
        round += 1;
        let folder = dir.join(format!("batch-{round}"));
        std::fs::create_dir_all(&folder).unwrap();
        for i in 0..10 {
            std::fs::write(
                folder.join(format!("{i}.txt")),
                format!("Batch {round} item {i}\n\nAluminum quotas, batch {round}, item {i}.\n"),
            )
            .unwrap();
        }
        let imported = run(&db, &["--json", "import", path_str(&folder)]);
        if !t.record("import", &imported) {
            continue;
        }
        for item in imported.json()["items"].as_array().unwrap() {
            assert_eq!(item["status"], "imported", "{item}");
            t.sources.insert(item["id"].as_i64().unwrap());
        }
    }
    t
}

/// Lists, searches, shows and backs up while the others write.
fn reader(db: PathBuf, dir: PathBuf, stop: Arc<AtomicBool>) -> Tally {
    let mut t = Tally::default();
    let mut i = 0;
    while until(&stop) {
        i += 1;
        let r = match i % 5 {
            0 => run(&db, &["--json", "source", "list"]),
            1 => run(&db, &["--json", "search", "steel OR aluminum", "--facets"]),
            2 => run(&db, &["--json", "excerpt", "list", "--tag", "sector/steel"]),
            3 => run(&db, &["--json", "info"]),
            _ => {
                let copy = dir.join(format!("during-{i}.sqlite"));
                run(&db, &["--json", "backup", path_str(&copy)])
            }
        };
        t.record("read", &r);
    }
    t
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn two_writers_and_a_reader_lose_nothing_and_never_see_a_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace_with(dir.path(), 1);
    let before_sources = count(&db, "SELECT count(*) FROM source");
    let before_excerpts = count(&db, "SELECT count(*) FROM excerpt");
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let a = {
        let (db, d, s) = (db.clone(), dir.path().to_path_buf(), stop.clone());
        thread::spawn(move || source_writer(db, d, "alpha", s))
    };
    let b = {
        let (db, d, s) = (db.clone(), dir.path().to_path_buf(), stop.clone());
        thread::spawn(move || import_writer(db, d, s))
    };
    let r = {
        let (db, d, s) = (db.clone(), dir.path().to_path_buf(), stop.clone());
        thread::spawn(move || reader(db, d, s))
    };
    thread::sleep(PERIOD);
    stop.store(true, Ordering::Relaxed);
    let (a, b, r) = (a.join().unwrap(), b.join().unwrap(), r.join().unwrap());
    let elapsed = started.elapsed();

    for (name, t) in [("source writer", &a), ("import writer", &b), ("reader", &r)] {
        assert!(
            t.failures.is_empty(),
            "{name}: every run succeeds, none says the workspace is locked: {:#?}",
            t.failures
        );
    }
    assert!(
        a.sources.len() >= 3 && !b.sources.is_empty() && r.runs >= 5,
        "each actor got real work done: {} + {} sources, {} reads",
        a.sources.len(),
        b.sources.len(),
        r.runs
    );
    assert!(
        a.sources.is_disjoint(&b.sources),
        "no id was reported to two writers"
    );
    let sources = count(&db, "SELECT count(*) FROM source");
    let excerpts = count(&db, "SELECT count(*) FROM excerpt");
    assert_eq!(
        sources - before_sources,
        (a.sources.len() + b.sources.len()) as i64,
        "every source a writer reported is in the workspace, and nothing else"
    );
    assert_eq!(
        excerpts - before_excerpts,
        a.excerpts.len() as i64,
        "every excerpt reported is in the workspace"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    for id in a.sources.iter().chain(&b.sources) {
        let found: i64 = conn
            .query_row("SELECT count(*) FROM source WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(found, 1, "source {id} is there");
    }
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    eprintln!(
        "concurrent: {:.1} s, source writer {} runs ({} sources, {} excerpts), import writer {} runs ({} sources), reader {} runs, 0 failures",
        elapsed.as_secs_f64(),
        a.runs,
        a.sources.len(),
        a.excerpts.len(),
        b.runs,
        b.sources.len(),
        r.runs
    );
}
