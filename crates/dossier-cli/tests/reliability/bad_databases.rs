//! Workspaces that cannot be used as they are: each is refused with a message an analyst can
//! act on, and the workspace file is byte for byte what it was.
//!
//! Permissions are enforced by the kernel only for ordinary users: when the test runs as root
//! (as CI does) the CLI is started as `nobody` for the read-only cases. The full disk is a real
//! one: a 1 MiB tmpfs mounted for the test, which needs root; without it the case fails and
//! says so rather than passing untested.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use rstest::rstest;
use rusqlite::Connection;

use super::{Run, command, path_str, run, run_command, workspace_with};

const NOBODY: u32 = 65534;

fn running_as_root(dir: &Path) -> bool {
    let probe = dir.join(".owner-probe");
    fs::write(&probe, "").unwrap();
    let root = fs::metadata(&probe).unwrap().uid() == 0;
    fs::remove_file(&probe).unwrap();
    root
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[derive(Debug, Clone, Copy)]
enum Damage {
    NotSqlite,
    Truncated,
    CorruptedPage,
    Newer,
    ReadOnlyFile,
    ReadOnlyFolder,
    FullDisk,
}

/// A tmpfs mounted for one test, unmounted on drop.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, size: &str) -> Mount {
        fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(at)
            .output();
        match out {
            Ok(o) if o.status.success() => Mount(at.to_path_buf()),
            Ok(o) => panic!(
                "the full-disk case needs a small tmpfs, and mounting one failed (run the tests as root, or with CAP_SYS_ADMIN): {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ),
            Err(e) => panic!("the full-disk case needs the `mount` command: {e}"),
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

/// A damaged workspace, the commands to try on it, and what must hold afterwards.
struct Scene {
    _dir: tempfile::TempDir,
    root: PathBuf,
    db: PathBuf,
    /// Permissions to put back so the temp dir can be removed.
    restore_modes: Vec<(PathBuf, u32)>,
    unprivileged: bool,
    _mount: Option<Mount>,
    filler: Option<PathBuf>,
}

impl Drop for Scene {
    fn drop(&mut self) {
        for (path, mode) in &self.restore_modes {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(*mode));
        }
    }
}

impl Scene {
    fn prepare(damage: Damage) -> Scene {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        // `nobody` must reach the binary's inputs.
        chmod(&root, 0o755);
        let as_root = running_as_root(&root);
        let place = root.join("place");
        let mut scene = Scene {
            _dir: dir,
            root: root.clone(),
            db: place.join("ws.sqlite"),
            restore_modes: Vec::new(),
            unprivileged: false,
            _mount: None,
            filler: None,
        };
        if let Damage::FullDisk = damage {
            // Room, once the filler is gone, for the new article's text three times over: the
            // source, its version 1 and the search index, each also in the WAL until a checkpoint.
            scene._mount = Some(Mount::tmpfs(&place, "2m"));
        }
        fs::create_dir_all(&place).unwrap();
        fs::write(
            root.join("new.txt"),
            "A new article about dairy quotas and supply management.\n",
        )
        .unwrap();
        match damage {
            Damage::NotSqlite => {
                fs::write(&scene.db, "These are my notes, not a workspace.\n").unwrap()
            }
            Damage::Truncated => {
                let db = workspace_with(&place, 20);
                let bytes = fs::read(&db).unwrap();
                // Cut on a page boundary, as a copy that stopped part way would.
                fs::write(&db, &bytes[..bytes.len() / 2 / 4096 * 4096]).unwrap();
            }
            Damage::CorruptedPage => {
                let db = workspace_with(&place, 30);
                let conn = Connection::open(&db).unwrap();
                // The leaf that holds the newest sources: every listing reads it, and a new
                // source is written into it.
                let page: i64 = conn
                    .query_row(
                        "SELECT pageno FROM dbstat WHERE name = 'source' AND pagetype = 'leaf' ORDER BY path DESC LIMIT 1",
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                drop(conn);
                let mut bytes = fs::read(&db).unwrap();
                let pages = bytes.len() / 4096;
                assert!(
                    page > 1 && (page as usize) < pages,
                    "page {page} of {pages} is inside the file"
                );
                let at = (page as usize - 1) * 4096;
                for (i, b) in bytes[at..at + 4096].iter_mut().enumerate() {
                    *b = (i as u8).wrapping_mul(37) ^ 0xA5;
                }
                fs::write(&db, bytes).unwrap();
            }
            Damage::Newer => {
                let db = workspace_with(&place, 2);
                let conn = Connection::open(&db).unwrap();
                let v: i64 = conn
                    .pragma_query_value(None, "user_version", |r| r.get(0))
                    .unwrap();
                conn.pragma_update(None, "user_version", v + 1).unwrap();
            }
            Damage::ReadOnlyFile => {
                let db = workspace_with(&place, 2);
                if as_root {
                    // The folder is nobody's, so only the file stands in the way.
                    std::os::unix::fs::chown(&place, Some(NOBODY), Some(NOBODY)).unwrap();
                    scene.unprivileged = true;
                }
                chmod(&db, 0o444);
            }
            Damage::ReadOnlyFolder => {
                let db = workspace_with(&place, 2);
                if as_root {
                    std::os::unix::fs::chown(&db, Some(NOBODY), Some(NOBODY)).unwrap();
                    scene.unprivileged = true;
                }
                chmod(&place, 0o555);
                scene.restore_modes.push((place.clone(), 0o755));
            }
            Damage::FullDisk => {
                workspace_with(&place, 3);
                // Fill the disk, then give back 64 KiB: enough to open the workspace (its
                // shared-memory file takes 32 KiB), not enough for what is added next.
                let filler = place.join("filler");
                let mut f = fs::File::create(&filler).unwrap();
                let chunk = vec![0x5Au8; 16 * 1024];
                use std::io::Write;
                while f.write_all(&chunk).is_ok() {}
                drop(f);
                let len = fs::metadata(&filler).unwrap().len();
                fs::OpenOptions::new()
                    .write(true)
                    .open(&filler)
                    .unwrap()
                    .set_len(len.saturating_sub(64 * 1024))
                    .unwrap();
                scene.filler = Some(filler);
                let mut big = String::new();
                for i in 0..4000 {
                    big.push_str(&format!(
                        "Line {i}: the dairy quota schedule lists tariff-rate quantities.\n"
                    ));
                }
                fs::write(root.join("new.txt"), big).unwrap();
            }
        }
        scene
    }

    fn run(&self, args: &[&str]) -> Run {
        let mut cmd = command(&self.db, args);
        if self.filler.is_some() {
            // A day after the workspace was filled: an automatic backup is due, and does not
            // fit either.
            cmd.env("DOSSIER_NOW", "2026-11-27T13:00:00Z");
        }
        if self.unprivileged {
            // `nobody` may not be able to reach the built binary (CI builds under /root): run
            // a copy from the scene's world-readable folder instead.
            let copy = self.root.join("dossier-bin");
            if !copy.exists() {
                fs::copy(super::BIN, &copy).unwrap();
                chmod(&copy, 0o755);
            }
            let mut as_nobody = std::process::Command::new(&copy);
            as_nobody.args(cmd.get_args());
            for (key, value) in cmd.get_envs() {
                match value {
                    Some(v) => as_nobody.env(key, v),
                    None => as_nobody.env_remove(key),
                };
            }
            as_nobody.stdin(std::process::Stdio::null());
            as_nobody.uid(NOBODY).gid(NOBODY);
            return run_command(as_nobody);
        }
        run_command(cmd)
    }

    fn new_file(&self) -> String {
        path_str(&self.root.join("new.txt")).to_string()
    }
}

/// Every file under `dir`, relative to it.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out
}

fn refused(run: &Run, message: &str, what: &str) {
    // Shown with --nocapture: the README's table quotes these.
    eprintln!("{what}: {}", run.stderr.trim());
    assert_eq!(run.code, 1, "{what}: exit 1; stderr: {}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("warning:"))
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "{what}: one line of error on stderr: {}",
        run.stderr
    );
    assert!(
        errors[0].starts_with("error: ") && errors[0].contains(message),
        "{what}: the error should say {message:?}: {}",
        run.stderr
    );
    for bad in ["panicked", "SQLITE_", "os error", "disk I/O error"] {
        assert!(
            !run.stderr.contains(bad),
            "{what}: no {bad:?} reaches the analyst: {}",
            run.stderr
        );
    }
}

#[rstest]
#[case::not_sqlite(Damage::NotSqlite, "not a Dossier workspace")]
#[case::truncated(Damage::Truncated, "cut off")]
#[case::corrupted_page(Damage::CorruptedPage, "is damaged")]
#[case::written_by_a_newer_version(Damage::Newer, "newer version of Dossier")]
#[case::read_only_file(Damage::ReadOnlyFile, "the file is read-only")]
#[case::read_only_folder(Damage::ReadOnlyFolder, "-wal and ws.sqlite-shm")]
#[case::full_disk(Damage::FullDisk, "the disk is full")]
fn a_bad_workspace_gives_a_clear_message_and_is_left_alone(
    #[case] damage: Damage,
    #[case] message: &str,
) {
    let scene = Scene::prepare(damage);
    let before = fs::read(&scene.db).expect("the workspace file exists");
    let folder = scene.db.parent().unwrap().to_path_buf();
    let listing = || -> Vec<String> {
        let mut names: Vec<String> = walk(&folder);
        names.sort();
        names
    };
    let files_before = listing();
    let new_file = scene.new_file();
    let add = ["source", "add", new_file.as_str(), "--title", "New"];
    match damage {
        Damage::FullDisk => {
            // Reading still works on a full disk; writing is refused.
            let listed = scene.run(&["--json", "source", "list"]);
            assert_eq!(listed.code, 0, "a full disk still reads: {}", listed.stderr);
            let added = scene.run(&add);
            refused(&added, message, "source add on a full disk");
            assert!(
                added
                    .stderr
                    .starts_with("warning: the automatic backup could not be written"),
                "the backup that was due and did not fit is reported, and the command still ran: {}",
                added.stderr
            );
        }
        _ => {
            refused(&scene.run(&["source", "list"]), message, "source list");
            refused(&scene.run(&add), message, "source add");
            let json = scene.run(&["--json", "source", "add", new_file.as_str()]);
            assert_eq!(json.code, 1);
            assert!(
                json.json()["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(message)),
                "--json carries the same message: {}",
                json.stdout
            );
        }
    }
    assert!(
        fs::read(&scene.db).unwrap() == before,
        "{damage:?}: the workspace file is byte for byte what it was"
    );

    let left: Vec<String> = listing()
        .into_iter()
        .filter(|f| !files_before.contains(f) && !f.ends_with("-wal") && !f.ends_with("-shm"))
        .collect();
    assert!(
        left.is_empty(),
        "{damage:?}: nothing new is left beside the workspace (a backup that did not fit is removed): {left:?}"
    );

    if let Damage::FullDisk = damage {
        fs::remove_file(scene.filler.as_ref().unwrap()).unwrap();
        let conn = Connection::open(&scene.db).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        drop(conn);
        let listed = run(&scene.db, &["--json", "source", "list"]).ok().json();
        assert_eq!(
            listed.as_array().unwrap().len(),
            3,
            "with space freed, the workspace holds what it held"
        );
        run(&scene.db, &["source", "add", new_file.as_str()]).ok();
    }
}

#[test]
fn a_damaged_workspace_can_be_restored_from_its_automatic_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = workspace_with(dir.path(), 3);
    let backups = dir.path().join("backups");
    let automatic: Vec<PathBuf> = fs::read_dir(&backups)
        .expect("write commands took an automatic backup")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(automatic.len(), 1, "{automatic:?}");
    fs::write(&db, "overwritten by accident").unwrap();
    refused(
        &run(&db, &["source", "list"]),
        "not a Dossier workspace",
        "list",
    );
    let restored = run(&db, &["--json", "restore", path_str(&automatic[0])])
        .ok()
        .json();
    let kept = restored["kept_aside"].as_str().unwrap();
    assert_eq!(
        fs::read_to_string(kept).unwrap(),
        "overwritten by accident",
        "even the broken file is kept"
    );
    let sources = run(&db, &["--json", "source", "list"]).ok().json();
    assert!(
        !sources.as_array().unwrap().is_empty(),
        "the workspace is back as the backup had it"
    );
}
