//! `dossier backup` and `dossier restore`, and the automatic backup every write command checks
//! for first.
//!
//! The decision a reader might question: the automatic backup runs *before* a write command,
//! on every write command, rather than from a scheduler: the CLI has no daemon, and the moment
//! before a change is the moment a copy is worth having. It costs one listing of the backups
//! folder unless a copy is due (once a day by default), and a failure to write it is a warning,
//! never a reason to refuse the analyst's command.

use std::path::PathBuf;

use clap::Args;
use dossier_api::backups::{self, BackupFile, CheckedFile};
use dossier_store::Workspace;
use serde_json::json;

use crate::args::{Command, ExcerptCmd, QuestionCmd, SourceCmd, TagCmd};
use crate::print::Out;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist) [default: a new file in the backups folder
    /// beside the workspace]
    #[arg(value_name = "FILE", conflicts_with = "list")]
    pub file: Option<PathBuf>,
    /// List the workspace's backups instead, newest first
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup or workspace file; it is checked before anything is replaced
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Commands that only read. Everything else, including commands added later, counts as a
/// write: an extra check of the backups folder costs nothing, a missed backup might.
pub fn writes(command: &Command) -> bool {
    use crate::import::ExcerptImportCmd;
    match command {
        Command::Info
        | Command::Backup(_)
        | Command::Restore(_)
        | Command::Archive(_)
        | Command::Source(SourceCmd::List | SourceCmd::Show { .. })
        | Command::Excerpt(
            ExcerptCmd::List { .. }
            | ExcerptCmd::Show { .. }
            | ExcerptCmd::Export(_)
            | ExcerptCmd::Import(ExcerptImportCmd::Orphans { .. }),
        )
        | Command::Tag(TagCmd::List | TagCmd::Show { .. })
        | Command::Question(QuestionCmd::List { .. } | QuestionCmd::Show { .. }) => false,
        Command::Feed(cmd) => crate::feeds::writes(Some(cmd), None),
        Command::Inbox(cmd) => crate::feeds::writes(None, Some(cmd)),
        Command::Connector(cmd) => crate::connector::writes(cmd),
        Command::Team(cmd) => crate::team::writes(cmd),
        Command::Conflict(crate::team::ConflictCmd::List { .. }) => false,
        Command::Search(args) => matches!(
            args.saved,
            Some(crate::search::SavedCmd::Save { .. } | crate::search::SavedCmd::Delete { .. })
        ),
        _ => true,
    }
}

/// Writes the automatic backup if one is due. A failure is reported on stderr and the command
/// goes on.
pub fn auto(ws: &Workspace) {
    match backups::auto(ws) {
        Ok(_) => {}
        Err(e) => eprintln!(
            "warning: the automatic backup could not be written ({e}); your command still runs"
        ),
    }
}

fn checked_json(c: &CheckedFile) -> serde_json::Value {
    json!({
        "path": c.path.display().to_string(),
        "bytes": c.bytes,
        "schema_version": c.schema_version,
        "integrity": "ok",
        "counts": c.counts,
    })
}

fn list_json(files: &[BackupFile]) -> serde_json::Value {
    json!(
        files
            .iter()
            .map(|f| json!({
                "path": f.path.display().to_string(),
                "kind": f.kind,
                "taken_at": f.taken_at,
                "bytes": f.bytes,
            }))
            .collect::<Vec<_>>()
    )
}

pub fn run_backup(ws: &Workspace, args: BackupArgs, out: &Out) -> anyhow::Result<()> {
    if args.list {
        let files = backups::list(ws.path())?;
        let folder = backups::folder(ws.path());
        let mut text = format!(
            "backups of {} in {}\n",
            ws.path().display(),
            folder.display()
        );
        if files.is_empty() {
            text.push_str("none yet\n");
        }
        for f in &files {
            text.push_str(&format!(
                "{}\t{}\t{} bytes\n",
                f.path.display(),
                serde_json::to_value(f.kind)?.as_str().unwrap_or(""),
                f.bytes
            ));
        }
        out.raw(
            &json!({ "folder": folder.display().to_string(), "backups": list_json(&files) }),
            &text,
        );
        return Ok(());
    }
    let checked = match args.file {
        Some(file) => backups::write_to(ws, &file)?,
        None => backups::manual(ws)?,
    };
    out.raw(
        &checked_json(&checked),
        &format!("{}\n", checked.path.display()),
    );
    Ok(())
}

/// Runs without opening the workspace first: the workspace may be the damaged file the analyst
/// is restoring over.
pub fn run_restore(
    workspace: &std::path::Path,
    args: RestoreArgs,
    out: &Out,
) -> anyhow::Result<()> {
    let restored = backups::restore(workspace, &args.file)?;
    let kept = restored
        .kept_aside
        .as_ref()
        .map(|p| format!("; the previous workspace is kept at {}", p.display()))
        .unwrap_or_default();
    out.raw(
        &json!({
            "workspace": restored.workspace.display().to_string(),
            "restored_from": restored.restored_from.display().to_string(),
            "kept_aside": restored.kept_aside.as_ref().map(|p| p.display().to_string()),
            "file_schema_version": restored.file_schema_version,
            "schema_version": restored.schema_version,
            "counts": restored.counts,
        }),
        &format!(
            "restored {} from {} ({} sources, {} excerpts){kept}\n",
            restored.workspace.display(),
            restored.restored_from.display(),
            restored.counts.sources,
            restored.counts.excerpts
        ),
    );
    Ok(())
}

/// The workspace file `--db` or the environment names, without opening it.
pub fn workspace_path(db: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    Ok(dossier_api::workspace::path_or_default(db)?)
}
