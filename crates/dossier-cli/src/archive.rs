//! `dossier archive export|import` (the whole workspace as JSON) and
//! `dossier excerpt export --w3c` (excerpts as W3C Web Annotations).
//!
//! The decision a reader might question: `archive import` refuses a workspace that holds
//! anything of the analyst's, instead of merging. Ids in the archive would collide with ids in
//! the workspace, and renumbering them would break every link an analyst has quoted
//! elsewhere; `--into-new PATH` creates a fresh workspace for the archive instead.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use dossier_api::archive;
use dossier_store::Workspace;
use serde_json::json;

use crate::print::Out;

#[derive(Debug, Subcommand)]
pub enum ArchiveCmd {
    /// Write the whole workspace to a JSON file (see the README for the format)
    Export {
        /// The file to write (must not exist)
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
    },
    /// Load an archive into this workspace (only if it is empty) or into a new one
    Import {
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        /// Create a new workspace at PATH for the archive, leaving --db untouched
        #[arg(long, value_name = "PATH", conflicts_with = "merge")]
        into_new: Option<PathBuf>,
        /// Merge into this workspace although it holds work: add what it lacks (by uid),
        /// leave what it has
        #[arg(long)]
        merge: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExcerptExportCmd {
    /// Export excerpts as W3C Web Annotations (JSON-LD)
    Export {
        /// The W3C Web Annotation format (the only one for now, so it is required)
        #[arg(long, required = true)]
        w3c: bool,
        /// Only this source's excerpts
        #[arg(long = "source", value_name = "ID")]
        source: Option<i64>,
        /// Write to FILE instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// True for the one archive command that must not open `--db`.
pub fn runs_unopened(cmd: &ArchiveCmd) -> bool {
    matches!(
        cmd,
        ArchiveCmd::Import {
            into_new: Some(_),
            ..
        }
    )
}

fn imported_json(i: &archive::Imported) -> serde_json::Value {
    json!({
        "workspace": i.workspace.display().to_string(),
        "archive_schema_version": i.archive_schema_version,
        "schema_version": i.schema_version,
        "rows": i.rows,
        "counts": i.counts,
    })
}

fn imported_text(i: &archive::Imported) -> String {
    format!(
        "imported {} rows into {} ({} sources, {} excerpts, {} questions, {} briefings)\n",
        i.rows,
        i.workspace.display(),
        i.counts.sources,
        i.counts.excerpts,
        i.counts.questions,
        i.counts.briefings
    )
}

/// `archive import --into-new PATH`, which leaves the `--db` workspace closed and untouched.
pub fn import_into_new(cmd: ArchiveCmd, out: &Out) -> anyhow::Result<()> {
    let ArchiveCmd::Import {
        file,
        into_new: Some(path),
        ..
    } = cmd
    else {
        anyhow::bail!("only `archive import --into-new` runs without a workspace");
    };
    let imported = archive::import_file_into_new(&path, &file)?;
    out.raw(&imported_json(&imported), &imported_text(&imported));
    Ok(())
}

pub fn run(ws: &mut Workspace, cmd: ArchiveCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        ArchiveCmd::Export { file } => {
            let e = archive::export_to_file(ws, &file)?;
            out.raw(
                &json!({
                    "path": e.path.display().to_string(),
                    "bytes": e.bytes,
                    "format": archive::FORMAT,
                    "version": archive::VERSION,
                    "schema_version": e.schema_version,
                    "rows": e.rows,
                    "counts": e.counts,
                }),
                &format!("{}\n", e.path.display()),
            );
        }
        cmd @ ArchiveCmd::Import {
            into_new: Some(_), ..
        } => import_into_new(cmd, out)?,
        ArchiveCmd::Import {
            file,
            into_new: None,
            merge: true,
        } => {
            let m = archive::merge_file(ws, &file)?;
            out.raw(
                &json!({"added": m.added, "already": m.already, "rejected": m.rejected}),
                &format!(
                    "added {} item(s); {} already here{}\n",
                    m.added,
                    m.already,
                    if m.rejected > 0 {
                        format!(
                            "; {} could not be added (see `dossier conflict list`)",
                            m.rejected
                        )
                    } else {
                        String::new()
                    }
                ),
            );
        }
        ArchiveCmd::Import {
            file,
            into_new: None,
            merge: false,
        } => {
            let imported = archive::import_file(ws, &file)?;
            out.raw(&imported_json(&imported), &imported_text(&imported));
        }
    }
    Ok(())
}

pub fn export_excerpts(ws: &Workspace, cmd: ExcerptExportCmd, out: &Out) -> anyhow::Result<()> {
    let ExcerptExportCmd::Export {
        w3c: _,
        source,
        output,
    } = cmd;
    let collection = archive::annotations(ws, source)?;
    let mut text = serde_json::to_string_pretty(&collection)?;
    text.push('\n');
    let total = collection["total"].as_u64().unwrap_or(0);
    match output {
        None => {
            // The collection is the one JSON document, with or without --json.
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
        }
        Some(path) => {
            archive::write_new(&path, &text)?;
            out.raw(
                &json!({ "path": path.display().to_string(), "annotations": total }),
                &format!("{}\n", path.display()),
            );
        }
    }
    Ok(())
}
