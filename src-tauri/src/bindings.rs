//! Keeps `ui/src/lib/bindings/` equal to what ts-rs derives from the Rust types the UI receives.
//!
//! A test rather than a build step, so a stale binding fails CI instead of being rewritten
//! silently: run `UPDATE_BINDINGS=1 cargo test -p dossier-app bindings` to regenerate.

use std::path::{Path, PathBuf};

use dossier_core::SourceSummary;
use ts_rs::{Config, TS};

use crate::commands::WorkspaceInfo;
use crate::error::CommandError;

fn bindings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings")
}

fn generated() -> Vec<(String, String)> {
    fn one<T: TS + 'static>(cfg: &Config) -> (String, String) {
        let file = T::output_path().expect("an exported type has an output path");
        let text = T::export_to_string(cfg).expect("ts-rs could not render the type");
        (file.display().to_string(), text)
    }
    let cfg = Config::new();
    vec![
        one::<CommandError>(&cfg),
        one::<SourceSummary>(&cfg),
        one::<WorkspaceInfo>(&cfg),
    ]
}

#[test]
fn committed_bindings_match_the_rust_types() {
    let dir = bindings_dir();
    let update = std::env::var_os("UPDATE_BINDINGS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (file, text) in generated() {
        let path = dir.join(&file);
        if update {
            std::fs::write(&path, &text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "ui/src/lib/bindings/ is out of date for {stale:?}; regenerate with \
         `UPDATE_BINDINGS=1 cargo test -p dossier-app bindings` and commit the result"
    );
}
