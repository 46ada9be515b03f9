//! Workspaces for the desktop tests, filled through the real `dossier` CLI so the app is
//! tested against data written the way an analyst writes it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::desktop::{built_binary, workspace_root};

/// A fixture file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(name)
}

/// Runs `dossier ARGS…` on the workspace file `db` and returns its standard output.
pub fn dossier(db: &Path, args: &[&str]) -> String {
    let cli = built_binary("dossier");
    assert!(
        cli.is_file(),
        "the CLI binary {} does not exist: build it with `cargo build -p dossier-cli`",
        cli.display()
    );
    let output = Command::new(&cli)
        .args(args)
        .env("DOSSIER_DB", db)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", cli.display()));
    assert!(
        output.status.success(),
        "`dossier {}` failed ({}):\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the CLI prints UTF-8")
}
