//! Backups: consistent copies of a workspace taken with SQLite's online backup API, kept in a
//! `backups/` folder beside the workspace file — automatic rotating copies, the copy kept before
//! a migration or a restore, copies on demand — and restoring a copy over a workspace.
//!
//! Names, in `backups/` next to `NAME.sqlite` (times are UTC):
//! `NAME-20261126T120000Z.sqlite` (automatic, the newest [`Policy::keep`] are kept),
//! `NAME-20261126T120000Z-manual.sqlite` (`dossier backup` without a file),
//! `NAME-20261126T120000Z-before-restore.sqlite`, `NAME-20261126T120000Z-replaced.sqlite` (a
//! workspace that could not be opened, moved aside by a restore) and
//! `NAME-before-schema-4.sqlite` (before a migration from schema 4). Only automatic copies are
//! ever deleted. Every copy is a self-contained SQLite file (rollback journal, no `-wal`), written
//! under a hidden `.partial` name and renamed into place, so a copy that exists is complete.
//!
//! The decisions a reader might question. A copy is taken in one `sqlite3_backup_step(-1)`: all
//! pages inside one read transaction, which in WAL mode does not block writers and gives the
//! workspace as of one instant; the page-at-a-time loop restarts whenever another connection
//! writes and, under a busy CLI, might never finish. A restore writes *into* the open workspace
//! through the same API instead of renaming a file over it: the app or another CLI may have the
//! workspace open, and a rename would leave them writing to the old, unlinked file; the backup
//! API replaces every page inside one write transaction, which other connections see as an
//! ordinary commit — all of it or none of it.

use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::error::{Result, StoreError};
use crate::{Workspace, atomic_file, db};

/// The folder beside the workspace file that holds its backups.
pub const FOLDER: &str = "backups";

/// How long a copy may wait for a writer to finish before giving up.
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// A `.partial` file older than this was left by a process that died while copying.
const STALE_PARTIAL: Duration = Duration::from_secs(3600);

/// When automatic backups are taken and how many are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// A new automatic backup is written when the newest is at least this old.
    pub every: Duration,
    /// Automatic backups kept; older ones are deleted. 0 turns automatic backups off.
    pub keep: usize,
}

impl Default for Policy {
    /// A day's work is the most an analyst can lose to a damaged file; two weeks of copies
    /// reach back past a mistake noticed late (a deleted tag, an overwritten note).
    fn default() -> Self {
        Policy {
            every: Duration::from_secs(24 * 3600),
            keep: 14,
        }
    }
}

impl Policy {
    /// The default, changed by `DOSSIER_BACKUP_EVERY_HOURS` (a whole number of hours, at least
    /// 1) and `DOSSIER_BACKUP_KEEP` (0 turns automatic backups off).
    pub fn from_env() -> Result<Policy> {
        let mut policy = Policy::default();
        if let Some(hours) = env_number("DOSSIER_BACKUP_EVERY_HOURS")? {
            if hours == 0 {
                return Err(StoreError::invalid(
                    "DOSSIER_BACKUP_EVERY_HOURS must be at least 1 (to turn automatic backups off, set DOSSIER_BACKUP_KEEP=0)",
                ));
            }
            policy.every = Duration::from_secs(hours.saturating_mul(3600));
        }
        if let Some(keep) = env_number("DOSSIER_BACKUP_KEEP")? {
            policy.keep = usize::try_from(keep).unwrap_or(usize::MAX);
        }
        Ok(policy)
    }
}

fn env_number(name: &str) -> Result<Option<u64>> {
    match std::env::var(name) {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => v.trim().parse().map(Some).map_err(|_| {
            StoreError::invalid(format!("{name} must be a whole number, not \"{v}\""))
        }),
        Err(_) => Ok(None),
    }
}

/// Why a backup file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BackupKind")]
pub enum Kind {
    Automatic,
    Manual,
    BeforeMigration,
    BeforeRestore,
    /// A workspace that could not be opened, moved aside by a restore.
    Replaced,
}

impl Kind {
    fn suffix(self) -> &'static str {
        match self {
            Kind::Automatic => "",
            Kind::Manual => "-manual",
            Kind::BeforeRestore => "-before-restore",
            Kind::Replaced => "-replaced",
            Kind::BeforeMigration => "",
        }
    }
}

/// One file in the backups folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(rename = "BackupEntry")]
pub struct BackupFile {
    /// The file name, which is how the app's page asks to restore it.
    pub name: String,
    #[ts(as = "String")]
    pub path: PathBuf,
    pub kind: Kind,
    /// RFC 3339 UTC, from the name; none for the copies kept before a migration.
    pub taken_at: Option<String>,
    pub bytes: u64,
}

/// What a workspace or backup file holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(rename = "BackupCounts")]
pub struct Counts {
    pub sources: i64,
    pub excerpts: i64,
    pub tags: i64,
    pub questions: i64,
    pub briefings: i64,
}

/// A file that passed every check [`check`] makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(rename = "BackupMade")]
pub struct CheckedFile {
    #[ts(as = "String")]
    pub path: PathBuf,
    pub bytes: u64,
    pub schema_version: usize,
    pub counts: Counts,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(rename = "RestoreDone")]
pub struct Restored {
    #[ts(as = "String")]
    pub workspace: PathBuf,
    #[ts(as = "String")]
    pub restored_from: PathBuf,
    /// The workspace as it was before, kept in the backups folder (none if there was none).
    #[ts(as = "Option<String>")]
    pub kept_aside: Option<PathBuf>,
    /// The schema of the restored file; older ones are migrated on the way in.
    pub file_schema_version: usize,
    pub schema_version: usize,
    pub counts: Counts,
}

/// The backups folder of the workspace at `workspace`.
pub fn folder(workspace: &Path) -> PathBuf {
    match workspace.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.join(FOLDER),
        None => PathBuf::from(FOLDER),
    }
}

fn stem(workspace: &Path) -> String {
    workspace
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "workspace".into())
}

fn parse_now(now: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(now, &Rfc3339)
        .map(|t| t.to_offset(time::UtcOffset::UTC))
        .map_err(|_| StoreError::invalid(format!("\"{now}\" is not an RFC 3339 time")))
}

const COMPACT: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

fn compact(t: OffsetDateTime) -> String {
    t.format(COMPACT)
        .unwrap_or_else(|_| "00000000T000000Z".into())
}

fn name_for(stem: &str, taken_at: OffsetDateTime, kind: Kind) -> String {
    format!("{stem}-{}{}.sqlite", compact(taken_at), kind.suffix())
}

/// `dir/name`, or `dir/name` numbered `-2`, `-3`, … when that is taken: two restores within
/// one second must each keep their copy.
fn unique(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let base = name.strip_suffix(".sqlite").unwrap_or(name);
    (2..)
        .map(|n| dir.join(format!("{base}-{n}.sqlite")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Reads a backup's kind and time back from its name; `None` for files that are not backups
/// of this workspace.
fn parse_name(stem: &str, name: &str) -> Option<(Kind, Option<OffsetDateTime>)> {
    let middle = name.strip_prefix(stem)?.strip_prefix('-')?;
    let middle = middle.strip_suffix(".sqlite")?;
    if let Some(rest) = middle.strip_prefix("before-schema-") {
        let version = rest.split('-').next()?;
        version.parse::<usize>().ok()?;
        return Some((Kind::BeforeMigration, None));
    }
    // A second copy of the same kind within the same second is numbered (see `unique`).
    let middle = match middle.rsplit_once('-') {
        Some((rest, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => middle,
    };
    let (stamp, kind) = match middle.split_once('-') {
        None => (middle, Kind::Automatic),
        Some((stamp, "manual")) => (stamp, Kind::Manual),
        Some((stamp, "before-restore")) => (stamp, Kind::BeforeRestore),
        Some((stamp, "replaced")) => (stamp, Kind::Replaced),
        Some(_) => return None,
    };
    let t = time::PrimitiveDateTime::parse(stamp, COMPACT)
        .ok()?
        .assume_utc();
    Some((kind, Some(t)))
}

/// Every backup of the workspace at `workspace`, newest first (copies kept before a migration
/// last). A missing folder is an empty list.
pub fn list(workspace: &Path) -> Result<Vec<BackupFile>> {
    let dir = folder(workspace);
    let stem = stem(workspace);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(format!("cannot list {}", dir.display()), e)),
    };
    let mut found: Vec<(Option<OffsetDateTime>, BackupFile)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((kind, taken)) = parse_name(&stem, &name) else {
            continue;
        };
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        found.push((
            taken,
            BackupFile {
                name,
                path: entry.path(),
                kind,
                taken_at: taken.and_then(|t| t.format(&Rfc3339).ok()),
                bytes,
            },
        ));
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.path.cmp(&a.1.path)));
    Ok(found.into_iter().map(|(_, f)| f).collect())
}

/// Writes an automatic backup when the newest is older than the policy's period (from the
/// environment, see [`Policy::from_env`]), and deletes automatic backups beyond the newest
/// `keep`. Cheap when nothing is due: one listing of the backups folder. Returns the new file.
pub fn auto(ws: &Workspace, now: &str) -> Result<Option<PathBuf>> {
    auto_with(ws, now, &Policy::from_env()?)
}

/// [`auto`] with an explicit policy (the app's timer, tests).
pub fn auto_with(ws: &Workspace, now: &str, policy: &Policy) -> Result<Option<PathBuf>> {
    if policy.keep == 0 {
        return Ok(None);
    }
    let now = parse_now(now)?;
    let existing = list(ws.path())?;
    let newest = existing
        .iter()
        .filter(|f| f.kind == Kind::Automatic)
        .filter_map(|f| f.taken_at.as_deref())
        .filter_map(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
        .max();
    // A backup dated after `now` (a clock moved back) counts as recent rather than triggering
    // a copy on every command until the clock catches up.
    if newest.is_some_and(|t| now - t < policy.every) {
        return Ok(None);
    }
    // A workspace with nothing of the analyst's in it has nothing to lose yet.
    let c = counts(ws.conn())?;
    if c.sources + c.excerpts + c.questions + c.briefings == 0 {
        return Ok(None);
    }
    let dir = folder(ws.path());
    let target = dir.join(name_for(&stem(ws.path()), now, Kind::Automatic));
    if target.exists() {
        return Ok(None);
    }
    write_copy(ws.conn(), &target)?;
    prune(ws.path(), policy.keep)?;
    remove_stale_partials(&dir);
    Ok(Some(target))
}

/// Deletes automatic backups beyond the newest `keep`. Other kinds are never deleted.
fn prune(workspace: &Path, keep: usize) -> Result<()> {
    let automatic: Vec<BackupFile> = list(workspace)?
        .into_iter()
        .filter(|f| f.kind == Kind::Automatic)
        .collect();
    for old in automatic.iter().skip(keep) {
        fs::remove_file(&old.path)
            .map_err(|e| io_error(format!("cannot delete {}", old.path.display()), e))?;
    }
    Ok(())
}

fn remove_stale_partials(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with('.') && name.ends_with(".partial")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_PARTIAL);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A copy of the open workspace in its backups folder, on demand.
pub fn write_manual(ws: &Workspace, now: &str) -> Result<CheckedFile> {
    let target = unique(
        &folder(ws.path()),
        &name_for(&stem(ws.path()), parse_now(now)?, Kind::Manual),
    );
    write_to(ws, &target)
}

/// `dossier backup FILE`: a consistent copy of the open workspace at `target` (which must not
/// exist), checked after it is written.
pub fn write_to(ws: &Workspace, target: &Path) -> Result<CheckedFile> {
    if target.exists() {
        return Err(StoreError::invalid(format!(
            "{} already exists; choose another name (a backup never overwrites a file)",
            target.display()
        )));
    }
    if same_file(ws.path(), target) {
        return Err(StoreError::invalid(
            "the backup cannot be the workspace itself",
        ));
    }
    write_copy(ws.conn(), target)?;
    check(target)
}

/// The copy kept before a migration changes an existing workspace. An existing copy is never
/// overwritten: a second one gets `-2`, and so on. No clock is read, so the name carries the
/// schema instead of a time.
pub(crate) fn before_migration(conn: &Connection, workspace: &Path, version: usize) -> Result<()> {
    let dir = folder(workspace);
    let stem = stem(workspace);
    let mut target = dir.join(format!("{stem}-before-schema-{version}.sqlite"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = dir.join(format!("{stem}-before-schema-{version}-{n}.sqlite"));
    }
    write_copy(conn, &target).map_err(|e| StoreError::Io {
        context: format!(
            "could not keep a copy at {} before updating the workspace, so it was not updated",
            target.display()
        ),
        source: std::io::Error::other(e.to_string()),
    })
}

/// Copies the database of `from` into a new file at `target` through the backup API: written
/// under a hidden `.partial` name, switched to a rollback journal so it is one self-contained
/// file, synced, then given its name without ever replacing an existing file.
fn write_copy(from: &Connection, target: &Path) -> Result<()> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)
        .map_err(|e| io_error(format!("cannot create the folder {}", dir.display()), e))?;
    let partial = atomic_file::temp_path(target)
        .map_err(|e| io_error(format!("cannot write {}", target.display()), e))?;
    let _ = fs::remove_file(&partial);
    let result = copy_into_new_file(from, &partial).and_then(|()| publish(&partial, target));
    if result.is_err() {
        let _ = fs::remove_file(&partial);
        let _ = fs::remove_file(journal_of(&partial));
    }
    result
}

fn journal_of(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-journal");
    PathBuf::from(s)
}

fn copy_into_new_file(from: &Connection, partial: &Path) -> Result<()> {
    let mut dst = Connection::open_with_flags(
        partial,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    copy_all(from, &mut dst)?;
    let mode: String = dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(StoreError::invalid(format!(
            "the copy kept journal mode {mode}"
        )));
    }
    dst.close().map_err(|(_, e)| StoreError::from(e))?;
    fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error(format!("cannot write {}", partial.display()), e))
}

/// Every page of `from` into `to`, in one step (see the module comment), waiting out writers
/// that hold a lock the copy needs.
pub(crate) fn copy_all(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = Backup::new(from, to)?;
    let deadline = Instant::now() + BUSY_WAIT;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => continue,
            _ if Instant::now() < deadline => thread::sleep(Duration::from_millis(25)),
            _ => return Err(StoreError::Busy),
        }
    }
}

/// Gives a finished copy its name, never replacing an existing file.
fn publish(partial: &Path, target: &Path) -> Result<()> {
    atomic_file::publish_new(partial, target).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => StoreError::invalid(format!(
            "{} already exists; a backup never overwrites a file",
            target.display()
        )),
        _ => io_error(format!("cannot write {}", target.display()), e),
    })
}

fn io_error(context: String, source: std::io::Error) -> StoreError {
    StoreError::Io { context, source }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn refuse(path: &Path, why: &str) -> StoreError {
    StoreError::invalid(format!(
        "{} cannot be restored: {why}; nothing was changed",
        path.display()
    ))
}

/// Checks a file before it is trusted as a workspace: an SQLite header, `PRAGMA
/// integrity_check` and `foreign_key_check` clean, a schema this build knows, and Dossier's
/// tables. Opens it read-only; never changes it.
pub fn check(path: &Path) -> Result<CheckedFile> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => refuse(path, "there is no such file"),
        _ => io_error(format!("cannot read {}", path.display()), e),
    })?;
    if meta.is_dir() {
        return Err(refuse(path, "it is a folder"));
    }
    let mut header = [0u8; 16];
    let read = {
        use std::io::Read;
        let mut f = fs::File::open(path)
            .map_err(|e| io_error(format!("cannot read {}", path.display()), e))?;
        f.read(&mut header)
            .map_err(|e| io_error(format!("cannot read {}", path.display()), e))?
    };
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(refuse(
            path,
            "it is not a Dossier workspace or backup (not an SQLite database)",
        ));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| refuse(path, &format!("SQLite cannot open it ({e})")))?;
    conn.busy_timeout(BUSY_WAIT)?;
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check(5)")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .map_err(|e| refuse(path, &format!("it is damaged ({e})")))?;
    if problems != ["ok"] {
        return Err(refuse(
            path,
            &format!("it is damaged (integrity check: {})", problems.join("; ")),
        ));
    }
    let version: usize = conn
        .pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
        .map_err(|e| refuse(path, &format!("it is damaged ({e})")))?
        .try_into()
        .unwrap_or(usize::MAX);
    let known = *db::SCHEMA_VERSION;
    if version > known {
        return Err(StoreError::invalid(format!(
            "{} was written by a newer version of Dossier (schema {version}, this version knows up to {known}); update Dossier to restore it — nothing was changed",
            path.display()
        )));
    }
    let dossier_tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'
         AND name IN ('source', 'excerpt', 'tag', 'followup')",
        [],
        |r| r.get(0),
    )?;
    if version == 0 || dossier_tables != 4 {
        return Err(refuse(
            path,
            "it is an SQLite database but not a Dossier workspace",
        ));
    }
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(|e| refuse(path, &format!("it is damaged ({e})")))?;
    if orphans > 0 {
        return Err(refuse(
            path,
            &format!("it is damaged ({orphans} rows point at rows that are gone)"),
        ));
    }
    Ok(CheckedFile {
        path: path.to_path_buf(),
        bytes: meta.len(),
        schema_version: version,
        counts: counts(&conn)?,
    })
}

/// What a workspace holds, for reports. Tables that an older schema lacks count 0.
pub fn counts(conn: &Connection) -> Result<Counts> {
    let count = |table: &str| -> Result<i64> {
        let exists: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(0);
        }
        // `table` is one of the fixed names below.
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(Counts {
        sources: count("source")?,
        excerpts: count("excerpt")?,
        tags: count("tag")?,
        questions: count("followup")?,
        briefings: count("briefing")?,
    })
}

/// `dossier restore FILE`: checks `from` ([`check`]), brings a copy of it to this build's
/// schema, keeps the current workspace aside in the backups folder, then replaces the
/// workspace's contents in one transaction. A workspace that cannot be opened (damaged, not a
/// database) is moved aside whole instead, and the copy takes its place.
pub fn restore(workspace: &Path, from: &Path, now: &str) -> Result<Restored> {
    let checked = check(from)?;
    if same_file(workspace, from) {
        return Err(refuse(from, "it is the workspace itself"));
    }
    let now = parse_now(now)?;
    let dir = folder(workspace);
    let stem = stem(workspace);
    fs::create_dir_all(&dir)
        .map_err(|e| io_error(format!("cannot create the folder {}", dir.display()), e))?;
    let staged = dir.join(format!(".{stem}-restore.{}.partial", std::process::id()));
    let current = workspace.exists().then(|| Workspace::open(workspace));
    let result = stage(from, &staged).and_then(|mut copy| match current {
        Some(Ok(mut ws)) => {
            let kept = unique(&dir, &name_for(&stem, now, Kind::BeforeRestore));
            write_copy(ws.conn(), &kept)?;
            match_page_size(&mut copy, ws.conn())?;
            replace_contents(&copy, &mut ws)?;
            let counts = counts(ws.conn())?;
            Ok((Some(kept), counts))
        }
        Some(Err(e)) if !is_unopenable(&e) => Err(e),
        // Nothing there, or a file that is not a usable workspace: the checked copy takes its
        // place by a rename, which is all or nothing.
        _ => {
            let kept = move_aside(
                workspace,
                &unique(&dir, &name_for(&stem, now, Kind::Replaced)),
            )?;
            let counts = counts(&copy)?;
            copy.close().map_err(|(_, e)| StoreError::from(e))?;
            fs::rename(&staged, workspace).map_err(|e| {
                io_error(
                    format!("cannot put the restored copy at {}", workspace.display()),
                    e,
                )
            })?;
            atomic_file::sync_folder_of(workspace);
            Ok((kept, counts))
        }
    });
    let _ = fs::remove_file(&staged);
    let _ = fs::remove_file(journal_of(&staged));
    let (kept_aside, counts) = result?;
    Ok(Restored {
        workspace: workspace.to_path_buf(),
        restored_from: from.to_path_buf(),
        kept_aside,
        file_schema_version: checked.schema_version,
        schema_version: *db::SCHEMA_VERSION,
        counts,
    })
}

/// Failures that mean the file at the workspace path is not a usable workspace, as opposed to
/// one that is merely busy or in a read-only place (where moving it aside would not help).
fn is_unopenable(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::NotADatabase { .. } | StoreError::Damaged { .. } | StoreError::TooNew { .. }
    )
}

/// A private copy of `from` at `staged`, migrated to this build's schema and checked again.
fn stage(from: &Path, staged: &Path) -> Result<Connection> {
    let _ = fs::remove_file(staged);
    let source = Connection::open_with_flags(
        from,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    copy_into_new_file(&source, staged)?;
    drop(source);
    let mut copy = Connection::open_with_flags(
        staged,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The workspace's own settings, except WAL: the copy stays one file, and its page size
    // can still change (see `match_page_size`).
    copy.busy_timeout(BUSY_WAIT)?;
    copy.pragma_update(None, "foreign_keys", "ON")?;
    db::migrate_to_latest(&mut copy)?;
    let ok: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(refuse(
            from,
            &format!("its migrated copy is damaged ({ok})"),
        ));
    }
    Ok(copy)
}

/// The backup API cannot write into a WAL database whose page size differs from the source's;
/// a copy with another page size (made by another tool) is rebuilt to the workspace's.
fn match_page_size(copy: &mut Connection, workspace: &Connection) -> Result<()> {
    let wanted: i64 = workspace.pragma_query_value(None, "page_size", |r| r.get(0))?;
    let have: i64 = copy.pragma_query_value(None, "page_size", |r| r.get(0))?;
    if wanted != have {
        copy.pragma_update(None, "page_size", wanted)?;
        copy.execute_batch("VACUUM")?;
    }
    Ok(())
}

fn replace_contents(copy: &Connection, ws: &mut Workspace) -> Result<()> {
    copy_all(copy, &mut ws.conn)?;
    let ok: String = ws
        .conn()
        .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(StoreError::Damaged {
            detail: format!("after the restore, SQLite reports: {ok}"),
        });
    }
    Ok(())
}

/// Moves an unusable workspace file (and the `-wal` and `-shm` files beside it, which belong
/// to it) into the backups folder. Nothing to move is not an error.
fn move_aside(workspace: &Path, target: &Path) -> Result<Option<PathBuf>> {
    if !workspace.exists() {
        return Ok(None);
    }
    if target.exists() {
        return Err(StoreError::invalid(format!(
            "{} already exists; try again in a second",
            target.display()
        )));
    }
    fs::rename(workspace, target).map_err(|e| {
        io_error(
            format!(
                "cannot move {} aside to {}",
                workspace.display(),
                target.display()
            ),
            e,
        )
    })?;
    for suffix in ["-wal", "-shm"] {
        let mut from = workspace.as_os_str().to_owned();
        from.push(suffix);
        let mut to = target.as_os_str().to_owned();
        to.push(suffix);
        if Path::new(&from).exists() {
            let _ = fs::rename(&from, &to);
        }
    }
    Ok(Some(target.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::automatic("ws-20261126T120000Z.sqlite", Some(Kind::Automatic))]
    #[case::manual("ws-20261126T120000Z-manual.sqlite", Some(Kind::Manual))]
    #[case::before_restore("ws-20261126T120000Z-before-restore.sqlite", Some(Kind::BeforeRestore))]
    #[case::replaced("ws-20261126T120000Z-replaced.sqlite", Some(Kind::Replaced))]
    #[case::second_restore_in_a_second(
        "ws-20261126T120000Z-before-restore-2.sqlite",
        Some(Kind::BeforeRestore)
    )]
    #[case::migration("ws-before-schema-4.sqlite", Some(Kind::BeforeMigration))]
    #[case::second_migration("ws-before-schema-4-2.sqlite", Some(Kind::BeforeMigration))]
    #[case::other_workspace("other-20261126T120000Z.sqlite", None)]
    #[case::partial(".ws-20261126T120000Z.sqlite.12.partial", None)]
    #[case::bad_time("ws-2026-11-26.sqlite", None)]
    #[case::unknown_kind("ws-20261126T120000Z-mine.sqlite", None)]
    fn names_are_read_back(#[case] name: &str, #[case] kind: Option<Kind>) {
        assert_eq!(parse_name("ws", name).map(|(k, _)| k), kind, "{name}");
    }

    #[test]
    fn a_name_round_trips_its_time() {
        let t = parse_now("2026-11-26T12:34:56Z").unwrap();
        let name = name_for("ws", t, Kind::Automatic);
        assert_eq!(name, "ws-20261126T123456Z.sqlite");
        assert_eq!(parse_name("ws", &name), Some((Kind::Automatic, Some(t))));
    }
}
