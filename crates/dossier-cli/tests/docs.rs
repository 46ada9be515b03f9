//! What the CLI prints about itself — completion scripts and the man page — and the README's
//! examples that must agree with the binary, checked by running the built `dossier`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_dossier");

fn dossier(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .output()
        .expect("the dossier binary runs")
}

fn stdout_of(db: &Path, args: &[&str]) -> String {
    let out = dossier(db, args);
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn readme() -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let text = std::fs::read_to_string(&path).expect("README.md is readable");
    (path, text)
}

/// Every `"schema_version": N` in `text`, with its line number.
fn schema_versions(text: &str) -> Vec<(usize, u64)> {
    let key = "\"schema_version\":";
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find(key) {
            rest = &rest[at + key.len()..];
            let digits: String = rest
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(n) = digits.parse() {
                found.push((i + 1, n));
            }
        }
    }
    found
}

#[test]
fn readme_schema_version_examples_match_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let info: Value = serde_json::from_str(&stdout_of(
        &dir.path().join("ws.sqlite"),
        &["info", "--json"],
    ))
    .expect("info --json prints JSON");
    let actual = info["schema_version"]
        .as_u64()
        .expect("info --json has a numeric schema_version");

    let (path, text) = readme();
    let examples = schema_versions(&text);
    assert!(
        !examples.is_empty(),
        "{} has no \"schema_version\": N example any more; drop this test or the check with it",
        path.display()
    );
    let wrong: Vec<String> = examples
        .iter()
        .filter(|(_, n)| *n != actual)
        .map(|(line, n)| format!("line {line}: \"schema_version\": {n}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "README.md shows a schema version other than this build's {actual} (`dossier info --json`): {}",
        wrong.join("; ")
    );
}

#[test]
fn schema_version_examples_are_found_wherever_they_sit() {
    // An archive's or a backup file's own version may be older, so only the bare key counts.
    let text = "a\n{ \"format\": \"x\", \"schema_version\": 5,\n\"schema_version\":12} \"archive_schema_version\": 3\n";
    assert_eq!(schema_versions(text), vec![(2, 5), (3, 12)]);
}

#[test]
fn bash_completion_names_the_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    let script = stdout_of(&dir.path().join("ws.sqlite"), &["completions", "bash"]);
    assert!(script.contains("complete "), "not a bash completion script");
    for sub in ["import", "search", "briefing", "excerpt"] {
        assert!(
            script.contains(sub),
            "the bash completion does not mention `{sub}`"
        );
    }
}

#[test]
fn every_shell_gets_a_script() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ws.sqlite");
    for (shell, marker) in [
        ("bash", "_dossier()"),
        ("zsh", "#compdef dossier"),
        ("fish", "complete -c dossier"),
        ("elvish", "edit:completion:arg-completer[dossier]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout_of(&db, &["completions", shell]);
        assert!(
            script.contains(marker),
            "{shell}: `{marker}` missing from\n{script}"
        );
    }
    let unknown = dossier(&db, &["completions", "tcsh"]);
    assert_eq!(
        unknown.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn man_page_is_roff_and_covers_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let page = stdout_of(&dir.path().join("ws.sqlite"), &["man"]);
    // clap_mangen opens with two lines defining the apostrophe string (`.ie`/`.el … .ds Aq`);
    // the title header `.TH` must be the first thing after them.
    let first = page
        .lines()
        .find(|l| !(l.starts_with(".ie ") || l.starts_with(".el ")))
        .unwrap_or_default();
    assert!(
        first.starts_with(".TH dossier 1"),
        "the man page does not start with its .TH header: {:?}",
        &page[..page.len().min(120)]
    );
    assert!(
        page.contains("dossier"),
        "the man page does not name the command"
    );
    assert!(
        page.contains("import"),
        "the man page does not list `import`"
    );
}

#[test]
fn completions_and_man_never_open_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    // Neither an absent workspace (which opening would create) nor a file that is not one
    // (which opening would refuse) matters to them.
    let absent = dir.path().join("absent").join("ws.sqlite");
    let fresh = dir.path().join("fresh.sqlite");
    let not_a_db = dir.path().join("notes.sqlite");
    std::fs::write(&not_a_db, "not a database").unwrap();
    for db in [&absent, &fresh, &not_a_db] {
        stdout_of(db, &["completions", "zsh"]);
        stdout_of(db, &["man"]);
    }
    assert!(
        !absent.parent().unwrap().exists(),
        "a workspace folder was created"
    );
    assert!(!fresh.exists(), "a workspace was created");
    assert_eq!(std::fs::read(&not_a_db).unwrap(), b"not a database");
}

#[test]
fn completions_and_man_are_hidden_from_help() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout_of(&dir.path().join("ws.sqlite"), &["--help"]);
    assert!(
        !help.contains("completions"),
        "completions shows in --help:\n{help}"
    );
    assert!(!help.contains("\n  man "), "man shows in --help:\n{help}");
}

/// The names of the `pub fn`s inside `impl Workspace { … }` blocks of one store source file.
fn workspace_methods(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in source.lines() {
        if line.starts_with("impl Workspace") {
            inside = true;
        } else if inside && line.starts_with('}') {
            inside = false;
        } else if inside && let Some(rest) = line.trim_start().strip_prefix("pub fn ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(name);
        }
    }
    names
}

/// Every `.rs` file under `dir`, with its text.
fn rust_sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder is readable") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source is readable");
                found.push((path, text));
            }
        }
    }
    found
}

/// Both front doors reach the workspace through dossier-api: neither the CLI nor the app calls
/// one of the store's `Workspace` methods itself (reading the workspace's path is allowed), so a
/// use case the two share cannot drift apart again.
#[test]
fn the_front_doors_call_the_service_layer_not_the_store() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let store = root.join("crates/dossier-store/src");
    let mut methods = Vec::new();
    for (_, text) in rust_sources(&store) {
        methods.extend(workspace_methods(&text));
    }
    for known in ["add_source", "search", "list_tags", "create_briefing"] {
        assert!(
            methods.iter().any(|m| m == known),
            "the scan of the store's impl blocks missed {known}: {methods:?}"
        );
    }
    let allowed = ["path"];
    let mut calls = Vec::new();
    for door in ["crates/dossier-cli/src", "src-tauri/src"] {
        for (path, text) in rust_sources(&root.join(door)) {
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for m in methods.iter().filter(|m| !allowed.contains(&m.as_str())) {
                    if code.contains(&format!(".{m}("))
                        || code.contains(&format!("Workspace::{m}("))
                    {
                        calls.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        calls.is_empty(),
        "front doors call the store's Workspace directly; call dossier-api instead:\n{}",
        calls.join("\n")
    );
}
