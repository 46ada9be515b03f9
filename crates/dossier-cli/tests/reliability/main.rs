//! Reliability through the built `dossier` binary: backups and restores, archives, concurrent
//! writers, and workspaces that are damaged, too new, read-only or on a full disk. (The SIGKILL
//! loop is its own test binary, `tests/crash.rs`, so its minute of work runs on its own.)

mod backup_restore;
mod bad_databases;
mod concurrent;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_dossier");

/// The output of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "command failed: {}", self.stderr);
        self
    }
}

/// `dossier --db DB ARGS…` with a pinned clock, and no workspace from the environment.
pub fn command(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .env("DOSSIER_NOW", "2026-11-26T12:00:00Z")
        .stdin(Stdio::null());
    cmd
}

pub fn run_command(mut cmd: Command) -> Run {
    // A binary copied just before (the read-only cases run a copy as `nobody`) can be "busy"
    // for a moment: another test thread forking at the time of the copy holds its write handle
    // until it execs. Linux's ETXTBSY race; trying again a little later is the known remedy.
    let mut tries = 0;
    let out = loop {
        match cmd.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other.expect("the dossier binary runs"),
        }
    };
    Run {
        code: out
            .status
            .code()
            .unwrap_or_else(|| panic!("dossier was killed by a signal: {:?}", out.status)),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

pub fn run(db: &Path, args: &[&str]) -> Run {
    run_command(command(db, args))
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// A workspace in a temp dir with `n` sources of a few paragraphs, each with two excerpts.
pub fn workspace_with(dir: &Path, n: usize) -> PathBuf {
    let db = dir.join("ws.sqlite");
    for i in 0..n {
        let file = dir.join(format!("article-{i}.txt"));
        let mut text = format!("Article {i}\n\n");
        for p in 0..6 {
            text.push_str(&format!(
                "Paragraph {p} of article {i}: steel and aluminum tariffs, lumber quotas, and \
                 the CUSMA review; Ottawa et Washington négocient secteur par secteur.\n\n"
            ));
        }
        std::fs::write(&file, text).unwrap();
        let id = run(&db, &["source", "add", path_str(&file)]).ok().stdout;
        for p in [1, 4] {
            run(
                &db,
                &[
                    "excerpt",
                    "add",
                    id.trim(),
                    "--quote",
                    &format!("Paragraph {p} of article {i}"),
                    "--tag",
                    "sector/steel",
                ],
            )
            .ok();
        }
    }
    db
}
