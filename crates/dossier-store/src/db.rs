//! Opening a workspace: refusing what is not one, pragmas on every connection, and migrations.
//!
//! Pragmas live here and never in migrations, because a migration runs once while a pragma such
//! as `foreign_keys` must be set on every new connection. The copy kept before a migration is
//! written by `backup`, which depends on this module; [`open`] takes it as an argument so the
//! dependency runs one way.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use include_dir::{Dir, include_dir};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::Migrations;

use crate::error::{Result, StoreError};

static MIGRATIONS_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/migrations");

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::from_directory(&MIGRATIONS_DIR).expect("migrations folder is checked by a test")
});

/// The schema version this build writes: the number of migrations.
pub static SCHEMA_VERSION: LazyLock<usize> = LazyLock::new(|| MIGRATIONS_DIR.dirs().count());

/// The migrations, for the `validate()` test.
pub fn migrations() -> &'static Migrations<'static> {
    &MIGRATIONS
}

/// The workspace the CLI and the app open when none is named: `$DOSSIER_DB` if set, else
/// `dossier/workspace.sqlite` under the user's data directory (`$XDG_DATA_HOME`, usually
/// `~/.local/share`).
pub fn default_workspace_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("DOSSIER_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let base = directories::BaseDirs::new().ok_or_else(|| {
        StoreError::invalid(
            "cannot find your home folder; set DOSSIER_DB to the workspace file to use",
        )
    })?;
    Ok(base.data_dir().join("dossier").join("workspace.sqlite"))
}

/// Opens the workspace at `path` and migrates it. `keep_copy(conn, found)` runs before a
/// migration changes an existing file at schema `found`; the caller passes the backups' copy
/// (so this module, which backups build on, does not call back into them), and an error from
/// it leaves the file unmigrated.
pub(crate) fn open(
    path: &Path,
    keep_copy: impl FnOnce(&Connection, usize) -> Result<()>,
) -> Result<Connection> {
    let existing = check_existing_file(path)?;
    if !existing && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            reason: format!("cannot create the folder {}: {e}", dir.display()),
        })?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    configure(&conn).map_err(|e| open_error(path, e))?;
    // SQLite quietly opens a file it may not write read-only; every later write would then
    // fail one by one. Say so once, before anything is attempted.
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return Err(StoreError::Open {
            path: path.to_path_buf(),
            reason: not_writable_reason(path),
        });
    }

    let found: usize = conn
        .pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
        .map_err(|e| open_error(path, e))?
        .try_into()
        .unwrap_or(usize::MAX);
    let known = *SCHEMA_VERSION;
    if found > known {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            known,
        });
    }
    if found < known {
        if found > 0 {
            keep_copy(&conn, found)?;
        }
        MIGRATIONS
            .to_latest(&mut conn)
            .map_err(|e| StoreError::Migration(e.to_string()))?;
    }
    Ok(conn)
}

/// Settings every connection needs. WAL lets the app read while the CLI writes; `synchronous =
/// NORMAL` is safe against a crashed or killed process in WAL mode (only a power cut can lose
/// the last commits); the busy timeout turns short write contention into a wait, not an error.
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "journal mode {mode} (WAL could not be enabled)"
        )));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // `fold(text)`: the same accent and case folding as tag lookups, for outlet and author
    // filters in search.
    conn.create_scalar_function(
        "fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(text.map(|t| dossier_core::fold(&t)))
        },
    )?;
    Ok(())
}

/// Refuses a file that is not an SQLite database before SQLite touches it. Returns whether a
/// non-empty file is there.
fn check_existing_file(path: &Path) -> Result<bool> {
    let mut file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            });
        }
    };
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(StoreError::Open {
            path: path.to_path_buf(),
            reason: "it is a folder, not a file".into(),
        });
    }
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => {
                return Err(StoreError::Open {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                });
            }
        }
    }
    if read == 0 {
        return Ok(false);
    }
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    Ok(true)
}

fn open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ffi::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
            detail: cut_off(path)
                .unwrap_or_else(|| format!("{}: SQLite reports: {e}", path.display())),
        },
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreError::Open {
                path: path.to_path_buf(),
                reason: not_writable_reason(path),
            }
        }
        _ => StoreError::Open {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    }
}

/// Migrates a connection to `version` (an archive written by an older Dossier is loaded into
/// a staging database at its own schema first).
pub(crate) fn migrate_to(conn: &mut Connection, version: usize) -> Result<()> {
    MIGRATIONS
        .to_version(conn, version)
        .map_err(|e| StoreError::Migration(e.to_string()))
}

/// Migrates a connection that is not a [`crate::Workspace`] (a copy being restored or
/// staged) to this build's schema. No copy is kept: the caller owns the original.
pub(crate) fn migrate_to_latest(conn: &mut Connection) -> Result<()> {
    MIGRATIONS
        .to_latest(conn)
        .map_err(|e| StoreError::Migration(e.to_string()))
}

/// Why a workspace cannot be opened for writing, in terms of what the user can change: the
/// file itself, or the folder, where WAL needs to create `-wal` and `-shm` files beside it.
fn not_writable_reason(path: &Path) -> String {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file_writable = fs::OpenOptions::new().append(true).open(path).is_ok();
    if !file_writable && path.exists() {
        return "the file is read-only (or you may not write it): make it writable, or open a copy you can write to".into();
    }
    // Probing with a file of our own is the only portable way to ask whether the folder
    // accepts new files; it is removed at once.
    let probe = dir.join(format!(".{name}.probe-{}", std::process::id()));
    let dir_writable = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .is_ok();
    let _ = fs::remove_file(&probe);
    if !dir_writable {
        return format!(
            "the folder {} is read-only: while a workspace is open Dossier keeps two small files beside it ({name}-wal and {name}-shm) and cannot create them there; make the folder writable or move the workspace to a folder you can write to",
            dir.display()
        );
    }
    "it cannot be opened for writing (check the file's and folder's permissions)".into()
}

/// Explains a file SQLite found damaged when it is shorter than its own header says: a copy or
/// download that stopped part way. Only asked after SQLite has reported corruption (under its
/// own lock): read on its own, the header can be ahead of the file for an instant while another
/// process checkpoints, and a workspace in use would be refused as "cut off".
fn cut_off(path: &Path) -> Option<String> {
    let mut header = [0u8; 100];
    let mut file = fs::File::open(path).ok()?;
    // The header first, then the length: a file that grows meanwhile cannot look cut off.
    let read_whole_header = file.read_exact(&mut header).is_ok();
    let len = file.metadata().ok()?.len();
    if !read_whole_header {
        return Some(format!(
            "{}: the file ends inside its header",
            path.display()
        ));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // The page count in the header is only valid when the change counter matches the
    // "version valid for" field (older writers did not keep it).
    let valid = header[24..28] == header[92..96];
    (valid && len < pages * page_size).then(|| {
        format!(
            "{}: it is {len} bytes long but its header says {} (it was cut off, for example by a copy that did not finish)",
            path.display(),
            pages * page_size
        )
    })
}
