//! Crash safety: bulk writes through the real `dossier` binary, killed with SIGKILL at random
//! moments. After every kill the workspace must pass `PRAGMA integrity_check` and hold each
//! source entirely or not at all.
//!
//! Four workloads take turns, each a single process doing many writes:
//!
//! - **import**: `dossier import FOLDER --tag theme/crash` of 30 new text files (one transaction
//!   per source). Every source present must be complete: its whole text, its hash, its tag, its
//!   search index entry; sources absent are the ones not reached yet.
//! - **reimport**: `dossier source reimport` of a source with 12 excerpts whose file alternates
//!   between two versions (the text and every excerpt's re-anchoring in one transaction). The
//!   source must hold one version or the other, with every excerpt that is not orphaned pointing
//!   at its exact quote in it.
//! - **restore**: `dossier restore` of one of two backups (different sources, excerpts, tags,
//!   questions) over a workspace holding the other. The workspace must equal one of the two,
//!   never a mixture.
//! - **archive**: `dossier archive import FILE --into-new PATH`. PATH must be absent, or a
//!   complete copy of the archived workspace.
//!
//! The decision a reader might question: the kill time is drawn uniformly over how long an
//! uninterrupted run of that workload takes (measured first), so kills land during start-up,
//! reads, writes, commits and the final checkpoint alike; a kill that arrives after the process
//! already finished is not counted. `DOSSIER_CRASH_KILLS` (default 100) sets how many kills;
//! `DOSSIER_CRASH_SEED` replays a run (the seed is printed).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dossier_core::text::{content_hash, normalize_body, slice_chars};
use rusqlite::Connection;

const BIN: &str = env!("CARGO_BIN_EXE_dossier");

/// A small deterministic generator: the seed is all a failing run needs to be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn dossier(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_NOW")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn run_ok(db: &Path, args: &[&str]) -> String {
    let out = dossier(db, args)
        .stdout(Stdio::piped())
        .output()
        .expect("the dossier binary runs");
    assert!(
        out.status.success(),
        "setup `dossier {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// How one killed run ended.
enum Ending {
    /// Killed while running.
    Killed,
    /// It had already exited (successfully) when the kill was due.
    Finished,
}

/// Starts `cmd`, waits `after`, and kills it if it is still running. A run that exits on its
/// own must have succeeded: a crash test that hides ordinary failures proves nothing.
fn kill_after(mut cmd: Command, after: Duration) -> Ending {
    let mut child: Child = cmd.spawn().expect("the dossier binary runs");
    let deadline = Instant::now() + after;
    loop {
        if let Some(status) = child.try_wait().expect("wait for dossier") {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                use std::io::Read;
                let _ = e.read_to_string(&mut err);
            }
            assert!(status.success(), "an uninterrupted run failed: {err}");
            return Ending::Finished;
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        std::thread::sleep((deadline - now).min(Duration::from_micros(500)));
    }
    // `Child::kill` is SIGKILL on Unix: no destructor, no atexit, no SQLite close.
    child.kill().expect("SIGKILL the dossier process");
    child.wait().expect("reap the killed process");
    Ending::Killed
}

fn integrity(db: &Path) {
    let conn = Connection::open(db).expect("open after a kill");
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check runs");
    assert_eq!(ok, "ok", "PRAGMA integrity_check of {}", db.display());
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "no row points at a missing row in {}", db.display());
    for fts in ["source_fts", "excerpt_fts", "followup_fts"] {
        conn.execute(
            &format!("INSERT INTO {fts} ({fts}) VALUES ('integrity-check')"),
            [],
        )
        .unwrap_or_else(|e| panic!("the search index {fts} matches its table: {e}"));
    }
}

/// Everything a workspace holds that an analyst would miss, as sorted lines.
fn fingerprint(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut lines = Vec::new();
    for sql in [
        "SELECT 'source|' || id || '|' || title || '|' || content_hash || '|' || body FROM source",
        "SELECT 'excerpt|' || id || '|' || source_id || '|' || quote || '|' || start || '|' || \"end\" || '|' || note || '|' || orphaned FROM excerpt",
        "SELECT 'tagged|' || excerpt_id || '|' || tag_id || '|' || position FROM excerpt_tag",
        "SELECT 'source_tag|' || source_id || '|' || tag_id FROM source_tag",
        "SELECT 'tag|' || id || '|' || path || '|' || label FROM tag",
        "SELECT 'question|' || id || '|' || question || '|' || status || '|' || coalesce(answer, '') FROM followup",
        "SELECT 'link|' || followup_id || '|' || excerpt_id || '|' || role FROM followup_excerpt",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        lines.extend(rows.map(Result::unwrap));
    }
    lines.sort();
    lines
}

fn paragraph(seed: usize, i: usize) -> String {
    format!(
        "Paragraph {i} of text {seed}. Officials said steel and aluminum tariffs would be \
         discussed sector by sector, with lumber quotas next and the CUSMA review after that. \
         Les négociations reprendront mardi à Ottawa; l’acier vient en premier.\n\n"
    )
}

struct Imports {
    db: PathBuf,
    root: PathBuf,
    round: usize,
    /// origin path → the text that was in the file.
    expected: BTreeMap<String, String>,
}

impl Imports {
    fn next_folder(&mut self) -> PathBuf {
        self.round += 1;
        let dir = self.root.join(format!("batch-{}", self.round));
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..30 {
            let path = dir.join(format!("item-{}-{i}.txt", self.round));
            let mut text = format!("Crash item {} {i}\n\n", self.round);
            for p in 0..(3 + i % 5) {
                text.push_str(&paragraph(self.round * 100 + i, p));
            }
            std::fs::write(&path, &text).unwrap();
            let origin = std::fs::canonicalize(&path).unwrap();
            self.expected
                .insert(origin.to_string_lossy().into_owned(), text);
        }
        dir
    }

    fn command(&mut self) -> Command {
        let dir = self.next_folder();
        dossier(
            &self.db,
            &["import", dir.to_str().unwrap(), "--tag", "theme/crash"],
        )
    }

    /// Every source present is complete; returns how many are present.
    fn check(&self) -> usize {
        integrity(&self.db);
        let conn = Connection::open(&self.db).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT s.id, s.origin, s.body, s.content_hash,
                        (SELECT count(*) FROM source_tag st JOIN tag t ON t.id = st.tag_id
                         WHERE st.source_id = s.id AND t.path = 'theme/crash'),
                        (SELECT count(*) FROM source_fts WHERE source_fts MATCH 'crash' AND rowid = s.id)
                 FROM source s",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })
            .unwrap();
        let mut n = 0;
        for row in rows {
            let (id, origin, body, hash, tagged, indexed) = row.unwrap();
            let origin = origin.unwrap_or_else(|| panic!("source {id} has its origin"));
            let text = self
                .expected
                .get(&origin)
                .unwrap_or_else(|| panic!("source {id} comes from a file of the test: {origin}"));
            assert_eq!(
                body,
                normalize_body(text),
                "source {id} holds its whole text"
            );
            assert_eq!(
                hash,
                content_hash(&body),
                "source {id}'s hash is of its text"
            );
            assert_eq!(
                tagged, 1,
                "source {id} carries the tag it was imported with"
            );
            assert_eq!(indexed, 1, "source {id} is in the search index");
            n += 1;
        }
        n
    }
}

struct Reimport {
    db: PathBuf,
    file: PathBuf,
    versions: [String; 2],
    current: usize,
    id: String,
}

impl Reimport {
    fn setup(root: &Path) -> Reimport {
        let db = root.join("reimport.sqlite");
        let file = root.join("report.txt");
        let mut a = String::from("Quarterly trade report\n\n");
        for p in 0..40 {
            a.push_str(&paragraph(7, p));
        }
        // Version B: a new opening paragraph shifts every offset, one paragraph is rewritten
        // and one removed, so re-anchoring moves, adjusts and orphans.
        let mut b = String::from("Quarterly trade report\n\nA new opening paragraph.\n\n");
        for p in 0..40 {
            match p {
                5 => b.push_str("Paragraph 5 was rewritten entirely after the briefing.\n\n"),
                9 => {}
                _ => b.push_str(&paragraph(7, p)),
            }
        }
        std::fs::write(&file, &a).unwrap();
        run_ok(&db, &["import", file.to_str().unwrap()]);
        let id = "1".to_string();
        for p in [1, 3, 5, 7, 9, 11, 15, 20, 25, 30, 35, 39] {
            run_ok(
                &db,
                &[
                    "excerpt",
                    "add",
                    &id,
                    "--quote",
                    &format!("Paragraph {p} of text 7"),
                    "--note",
                    &format!("Note {p}"),
                ],
            );
        }
        Reimport {
            db,
            file,
            versions: [a, b],
            current: 0,
            id,
        }
    }

    fn command(&mut self) -> Command {
        self.current = 1 - self.current;
        std::fs::write(&self.file, &self.versions[self.current]).unwrap();
        dossier(&self.db, &["source", "reimport", &self.id])
    }

    /// The source holds one version whole, with every placed excerpt on its exact quote;
    /// returns which version.
    fn check(&self) -> usize {
        integrity(&self.db);
        let conn = Connection::open(&self.db).unwrap();
        let body: String = conn
            .query_row("SELECT body FROM source WHERE id = 1", [], |r| r.get(0))
            .unwrap();
        let version = self
            .versions
            .iter()
            .position(|v| normalize_body(v) == body)
            .expect("the source holds one version of its text, whole");
        let mut stmt = conn
            .prepare("SELECT id, quote, start, \"end\", orphaned FROM excerpt WHERE source_id = 1")
            .unwrap();
        let excerpts: Vec<(i64, String, i64, i64, bool)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(excerpts.len(), 12, "no excerpt is lost or duplicated");
        for (id, quote, start, end, orphaned) in excerpts {
            if !orphaned {
                assert_eq!(
                    slice_chars(&body, start as usize, end as usize),
                    Some(quote.as_str()),
                    "excerpt {id} points at its exact quote in the version the source holds"
                );
            }
        }
        version
    }
}

struct Restore {
    db: PathBuf,
    backups: [PathBuf; 2],
    prints: [Vec<String>; 2],
    current: usize,
}

fn sample_workspace(db: &Path, root: &Path, flavour: usize) {
    for s in 0..(2 + flavour) {
        let file = root.join(format!("restore-{flavour}-{s}.txt"));
        let mut text = format!("Restore sample {flavour} {s}\n\n");
        for p in 0..4 {
            text.push_str(&paragraph(1000 + flavour * 10 + s, p));
        }
        std::fs::write(&file, text).unwrap();
        let id = run_ok(
            db,
            &[
                "source",
                "add",
                file.to_str().unwrap(),
                "--tag",
                "sector/steel",
            ],
        );
        let id = id.trim();
        for p in 0..(2 + flavour) {
            let e = run_ok(
                db,
                &[
                    "excerpt",
                    "add",
                    id,
                    "--quote",
                    &format!("Paragraph {p} of text {}", 1000 + flavour * 10 + s),
                    "--tag",
                    if flavour == 0 {
                        "sector/aluminum"
                    } else {
                        "theme/restored"
                    },
                ],
            );
            run_ok(
                db,
                &[
                    "question",
                    "add",
                    &format!("Why {flavour} {s} {p}?"),
                    "--excerpt",
                    e.trim(),
                ],
            );
        }
    }
}

impl Restore {
    fn setup(root: &Path) -> Restore {
        let mut backups = Vec::new();
        let mut prints = Vec::new();
        for flavour in 0..2 {
            let src = root.join(format!("restore-source-{flavour}.sqlite"));
            sample_workspace(&src, root, flavour);
            let copy = root.join(format!("restore-backup-{flavour}.sqlite"));
            run_ok(&src, &["backup", copy.to_str().unwrap()]);
            prints.push(fingerprint(&copy));
            backups.push(copy);
        }
        let db = root.join("restored.sqlite");
        run_ok(&db, &["restore", backups[0].to_str().unwrap()]);
        assert_eq!(fingerprint(&db), prints[0]);
        Restore {
            db,
            backups: [backups[0].clone(), backups[1].clone()],
            prints: [prints[0].clone(), prints[1].clone()],
            current: 0,
        }
    }

    fn command(&self) -> Command {
        let other = &self.backups[1 - self.current];
        dossier(&self.db, &["restore", other.to_str().unwrap()])
    }

    /// The workspace is one backup or the other, whole; returns whether it changed.
    fn check(&mut self) -> bool {
        integrity(&self.db);
        let now = fingerprint(&self.db);
        let which = self
            .prints
            .iter()
            .position(|p| *p == now)
            .expect("the workspace is exactly one of the two backups, never a mixture");
        let changed = which != self.current;
        self.current = which;
        changed
    }
}

struct ArchiveNew {
    root: PathBuf,
    archive: PathBuf,
    print: Vec<String>,
    round: usize,
    target: PathBuf,
}

impl ArchiveNew {
    fn setup(root: &Path, source: &Path) -> ArchiveNew {
        let archive = root.join("whole.json");
        run_ok(source, &["archive", "export", archive.to_str().unwrap()]);
        ArchiveNew {
            root: root.to_path_buf(),
            archive,
            print: fingerprint(source),
            round: 0,
            target: PathBuf::new(),
        }
    }

    fn command(&mut self) -> Command {
        self.round += 1;
        self.target = self
            .root
            .join(format!("from-archive-{}.sqlite", self.round));
        let mut cmd = dossier(
            &self.root.join("unused.sqlite"),
            &[
                "archive",
                "import",
                self.archive.to_str().unwrap(),
                "--into-new",
            ],
        );
        cmd.arg(&self.target);
        cmd
    }

    /// The new workspace is absent or complete; returns whether it exists.
    fn check(&self) -> bool {
        if !self.target.exists() {
            return false;
        }
        integrity(&self.target);
        assert_eq!(
            fingerprint(&self.target),
            self.print,
            "a workspace made from the archive is complete"
        );
        true
    }
}

/// Measures how long an uninterrupted run of a workload takes, so kills can be spread over it.
fn measure(cmd: Command) -> Duration {
    let start = Instant::now();
    match kill_after(cmd, Duration::from_secs(120)) {
        Ending::Finished => start.elapsed(),
        Ending::Killed => panic!("an uninterrupted run took over two minutes"),
    }
}

#[test]
fn killed_writers_leave_every_source_whole_or_absent() {
    let kills: usize = std::env::var("DOSSIER_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let seed: u64 = std::env::var("DOSSIER_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("crash test: {kills} kills, DOSSIER_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();

    let mut imports = Imports {
        db: root.join("import.sqlite"),
        root: root.join("import"),
        round: 0,
        expected: BTreeMap::new(),
    };
    let mut reimport = Reimport::setup(root);
    let mut restore = Restore::setup(root);
    let mut archive = ArchiveNew::setup(root, &restore.backups[1]);

    let durations = [
        measure(imports.command()),
        measure(reimport.command()),
        measure(restore.command()),
        measure(archive.command()),
    ];
    imports.check();
    reimport.check();
    restore.check();
    archive.check();

    let names = ["import", "reimport", "restore", "archive"];
    let mut killed = [0usize; 4];
    let mut finished = [0usize; 4];
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut attempt = 0usize;
    let mut sources_checked = 0usize;
    while killed.iter().sum::<usize>() < kills {
        let w = attempt % 4;
        attempt += 1;
        let cmd = match w {
            0 => imports.command(),
            1 => reimport.command(),
            2 => restore.command(),
            _ => archive.command(),
        };
        // Up to 110% of a measured run, so some kills arrive as the process exits.
        let span = durations[w].as_micros() as u64 * 11 / 10;
        let after = Duration::from_micros(rng.below(span));
        match kill_after(cmd, after) {
            Ending::Killed => killed[w] += 1,
            Ending::Finished => finished[w] += 1,
        }
        let outcome = match w {
            0 => {
                sources_checked += imports.check();
                "import: every source present was whole".to_string()
            }
            1 => format!("reimport: holds version {}", reimport.check() + 1),
            2 => format!(
                "restore: {}",
                if restore.check() {
                    "new contents"
                } else {
                    "old contents"
                }
            ),
            _ => format!(
                "archive: {}",
                if archive.check() {
                    "complete"
                } else {
                    "absent"
                }
            ),
        };
        *outcomes.entry(outcome).or_default() += 1;
        assert!(
            attempt < kills * 20,
            "too few runs were still going when killed: {killed:?} killed, {finished:?} finished"
        );
    }
    let total_sources = imports.check();
    let summary = serde_json::json!({
        "kills": kills,
        "seed": seed,
        "killed": names.iter().zip(killed).map(|(n, k)| (n.to_string(), k)).collect::<BTreeMap<_, _>>(),
        "finished_before_kill": names.iter().zip(finished).map(|(n, k)| (n.to_string(), k)).collect::<BTreeMap<_, _>>(),
        "uninterrupted_run_ms": names.iter().zip(durations).map(|(n, d)| (n.to_string(), d.as_millis())).collect::<BTreeMap<_, _>>(),
        "imported_sources_at_the_end": total_sources,
        "source_checks_after_import_kills": sources_checked,
        "outcomes": outcomes,
        "integrity_checks_ok": attempt + 4,
        "seconds": started.elapsed().as_secs_f64(),
    });
    eprintln!("{}", serde_json::to_string_pretty(&summary).unwrap());
    let report = Path::new(env!("CARGO_TARGET_TMPDIR")).join("crash-summary.json");
    let _ = std::fs::write(&report, summary.to_string());
}
