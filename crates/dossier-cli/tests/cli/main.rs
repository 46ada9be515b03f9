//! The built `dossier` binary, driven as a script would drive it, on a workspace in a temp dir.

mod bad_input;
mod briefing;
mod connector;
mod feeds;
mod import;
mod journey;
mod markings;
mod search;
mod stories;
mod terminal;
mod uids;
mod versions;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

pub struct Ws {
    pub dir: TempDir,
    pub db: PathBuf,
    /// Set on every run, after the defaults.
    pub env: Vec<(String, String)>,
}

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

impl Default for Ws {
    fn default() -> Self {
        Ws::new()
    }
}

impl Ws {
    pub fn new() -> Ws {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ws.sqlite");
        Ws {
            dir,
            db,
            env: Vec::new(),
        }
    }

    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Run {
        use std::io::Write;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("DOSSIER_DB");
        cmd.env("DOSSIER_NOW", "2026-11-26T12:00:00Z");
        // New notes take the system's language: pin it, so a developer's French desktop does
        // not change what the tests expect (tests of the default set it themselves).
        for name in ["DOSSIER_UI_LANG", "LC_ALL", "LC_MESSAGES"] {
            cmd.env_remove(name);
        }
        cmd.env("LANG", "C.UTF-8");
        for (name, value) in &self.env {
            cmd.env(name, value);
        }
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("the dossier binary runs");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        } else {
            drop(child.stdin.take());
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        Run {
            code: status.code().expect("exited, not killed"),
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
        }
    }

    /// Everything the workspace holds, as the CLI reports it.
    pub fn snapshot(&self) -> String {
        let mut out = String::new();
        for args in [
            &["--json", "source", "list"][..],
            &["--json", "excerpt", "list"],
            &["--json", "tag", "list"],
            &["--json", "question", "list"],
        ] {
            out.push_str(&self.run(args).ok().stdout);
        }
        let sources = self.run(&["--json", "source", "list"]).ok().json();
        for s in sources.as_array().unwrap() {
            let id = s["id"].to_string();
            out.push_str(&self.run(&["--json", "source", "show", &id]).ok().stdout);
        }
        out
    }
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}
