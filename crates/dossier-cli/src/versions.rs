//! `dossier source versions`, `source original` and `source compare`: a source's versions, the
//! original bytes of one, and two compared word by word.
//!
//! The decision a reader might question: `compare` prints the whole later text with the changes
//! marked inline (`[-deleted-]`, `{+inserted+}`, as `git diff --word-diff=plain` does) but cuts
//! long unchanged stretches down to their ends, so a one-word change in a 40-page report is a
//! screenful, not 40 pages; `--json` always carries every op in full.

use std::path::PathBuf;

use clap::Subcommand;
use dossier_api::versions::{self, DiffKind, VersionComparison};
use dossier_store::{NotKept, SourceVersion, Workspace};
use serde_json::json;

use crate::print::{Out, one_line};

#[derive(Debug, Subcommand)]
pub enum VersionCmd {
    /// Every version of a source: when captured, its format, its original or why none was kept
    Versions { id: i64 },
    /// Write the bytes a version was read from (the latest by default) to a file
    // `--version N` names the source's version here, so Dossier's own version flag steps aside.
    #[command(disable_version_flag = true)]
    Original {
        id: i64,
        /// The version number (see `source versions`) [default: the latest]
        #[arg(long = "version", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        number: Option<u32>,
        /// The file to write; an existing one is refused unless --force
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// Compare two versions' texts word by word [default: the two latest]
    Compare {
        id: i64,
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        from: Option<u32>,
        #[arg(long, value_name = "M", value_parser = clap::value_parser!(u32).range(1..))]
        to: Option<u32>,
    },
}

pub fn run(ws: &mut Workspace, cmd: VersionCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        VersionCmd::Versions { id } => {
            let list = versions::source_versions(ws, id)?;
            out.raw(&json!(list), &versions_text(&list));
        }
        VersionCmd::Original {
            id,
            number,
            output,
            force,
        } => {
            let saved = versions::save_original(ws, id, number, &output, force)?;
            out.done(
                &json!(saved),
                &format!(
                    "wrote {} ({}, version {} of source {id}, {})",
                    saved.path,
                    size(saved.bytes),
                    saved.version,
                    saved.format.as_deref().unwrap_or("unknown format")
                ),
            );
        }
        VersionCmd::Compare { id, from, to } => {
            let c = versions::compare_versions(ws, id, from, to)?;
            out.raw(&json!(c), &compare_text(&c));
        }
    }
    Ok(())
}

pub(crate) fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
    }
}

fn versions_text(list: &[SourceVersion]) -> String {
    let mut s = String::new();
    for v in list {
        let original = match (v.not_kept, v.original_size) {
            (None, Some(n)) => format!("original {}", size(n)),
            (None, None) => "original".to_owned(),
            (Some(NotKept::OverCap), Some(n)) => {
                format!("no original: {} was over the cap", size(n))
            }
            (Some(NotKept::OverCap), None) => "no original: over the cap".to_owned(),
            (Some(NotKept::NoOriginal), _) => "no original: pasted or --no-original".to_owned(),
            (Some(NotKept::BeforeVersions), _) => {
                "no original: captured before originals were kept".to_owned()
            }
        };
        let reanchor = v.reanchor.as_ref().map_or(String::new(), |r| {
            format!(
                "\texcerpts: {} unchanged, {} moved, {} orphaned",
                r.unchanged, r.moved, r.orphaned
            )
        });
        s.push_str(&format!(
            "{}\t{}\t{}\t{original}{reanchor}\n",
            v.number,
            v.captured_at,
            v.format.as_deref().unwrap_or("-"),
        ));
    }
    s
}

/// Unchanged text longer than this is cut to its ends.
const KEEP: usize = 160;

fn cut_equal(text: &str, first: bool, last: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let head = if first { 0 } else { KEEP };
    let tail = if last { 0 } else { KEEP };
    if chars.len() <= head + tail + 40 {
        return text.to_owned();
    }
    let skipped = chars.len() - head - tail;
    let mut s: String = chars[..head].iter().collect();
    s.push_str(&format!("\n[… {skipped} characters unchanged …]\n"));
    s.extend(&chars[chars.len() - tail..]);
    s
}

fn compare_text(c: &VersionComparison) -> String {
    let mut s = format!(
        "source {}: version {} → {}: {} word(s) deleted, {} inserted\n",
        c.source_id, c.from, c.to, c.words_deleted, c.words_inserted
    );
    if let Some(r) = &c.reanchor {
        s.push_str(&format!(
            "excerpts at version {}: {} unchanged, {} moved, {} orphaned\n",
            c.to, r.unchanged, r.moved, r.orphaned
        ));
    }
    for e in &c.excerpts {
        s.push_str(&format!(
            "  excerpt {} {}{}: “{}”\n",
            e.id,
            e.change,
            if e.orphaned && e.change != "orphaned" {
                " (orphaned now)"
            } else {
                ""
            },
            one_line(&e.quote, 80)
        ));
    }
    s.push('\n');
    let n = c.ops.len();
    for (i, op) in c.ops.iter().enumerate() {
        // Whitespace alone on one side (a word removed between two spaces) needs no marker.
        let blank = op.text.trim().is_empty();
        match op.kind {
            DiffKind::Equal => s.push_str(&cut_equal(&op.text, i == 0, i + 1 == n)),
            DiffKind::Delete if blank => {}
            DiffKind::Insert if blank => s.push_str(&op.text),
            DiffKind::Delete => s.push_str(&format!("[-{}-]", op.text)),
            DiffKind::Insert => s.push_str(&format!("{{+{}+}}", op.text)),
        }
    }
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}
