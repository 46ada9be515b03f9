//! `dossier import`, `dossier source reimport`, `dossier excerpt orphans` and
//! `dossier excerpt reattach`: the command-line side of importing, with clap definitions and
//! handlers kept together here.
//!
//! Output: with `--json`, one summary document; without, one tab-separated line per item on
//! stdout (`status`, `id`, `input`, then the reason) so a script can cut it, and the totals on
//! stderr. The decision a reader might question: when any item failed, `import` exits 1 *after*
//! printing the complete summary (through `std::process::exit`), instead of returning an error —
//! the other items were imported, and the summary is the one JSON document on stdout.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use clap::{Args, Subcommand};
use dossier_api::import::{ImportOptions, ImportSummary, ItemStatus, Progress};
use dossier_ingest::{Limits, OcrProgress};
use dossier_store::Workspace;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::print::Out;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files, folders (imported recursively) and http(s) URLs
    #[arg(required = true, value_name = "PATH|URL")]
    pub inputs: Vec<String>,
    /// Outlet for every imported source, instead of the one the documents name
    #[arg(long)]
    pub outlet: Option<String>,
    /// Language code for every imported source, instead of the declared or detected one
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Tag every imported source; repeat for several
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Security marking of every new source: unclassified, protected-a or protected-b
    /// [default: unclassified]
    #[arg(long, value_parser = crate::args::parse_marking, value_name = "MARKING")]
    pub marking: Option<dossier_core::briefing::Marking>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Largest file or download accepted, in megabytes
    #[arg(long = "max-size", value_name = "MB", default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_size_mb: u64,
    /// Seconds allowed for fetching one URL
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Languages OCR reads scans in, Tesseract names joined by + (eng, fra, eng+fra)
    #[arg(long = "ocr-lang", value_name = "LANGS", default_value = dossier_ingest::ocr::DEFAULT_LANG, value_parser = ocr_lang)]
    pub ocr_lang: String,
    /// Keep only the text, not the file or page it was read from
    #[arg(long)]
    pub no_original: bool,
    /// Originals larger than this are not kept (the text still is), in megabytes
    #[arg(long = "original-cap-mb", value_name = "MB", default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub original_cap_mb: u64,
}

/// `--ocr-lang`, checked before anything is read (a usage error, exit 2).
fn ocr_lang(value: &str) -> Result<String, String> {
    dossier_api::import::check_ocr_lang(value)
        .map(|()| value.to_string())
        .map_err(|e| e.message)
}

impl LimitArgs {
    fn options(&self) -> ImportOptions {
        let mut options = ImportOptions {
            limits: Limits {
                max_bytes: self.max_size_mb * 1024 * 1024,
            },
            keep_original: !self.no_original,
            original_cap_bytes: self.original_cap_mb * 1024 * 1024,
            ..ImportOptions::default()
        };
        options.fetch.timeout = Duration::from_secs(self.timeout);
        options.fetch.max_bytes = options.limits.max_bytes;
        options.ocr.lang = Some(self.ocr_lang.clone());
        options
    }
}

#[derive(Debug, Subcommand)]
pub enum SourceImportCmd {
    /// Read a source again from its file or URL; excerpts are re-anchored or orphaned
    Reimport {
        id: i64,
        #[command(flatten)]
        limits: LimitArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExcerptImportCmd {
    /// Excerpts a re-import could not place, with their original quotes
    Orphans {
        #[arg(long = "source", value_name = "ID")]
        source: Option<i64>,
    },
    /// Place an excerpt on a new range of its source's text (clears its orphaned flag)
    Reattach {
        id: i64,
        /// Start offset, in characters (Unicode code points) of the source's text
        #[arg(long)]
        start: usize,
        /// End offset (exclusive)
        #[arg(long)]
        end: usize,
    },
}

fn emit_json<T: Serialize + ?Sized>(value: &T) {
    let mut stdout = std::io::stdout().lock();
    let mut s = serde_json::to_string_pretty(value).expect("records serialize");
    s.push('\n');
    let _ = stdout.write_all(s.as_bytes());
    let _ = stdout.flush();
}

fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {prefix}{wide_msg}")
            .expect("the template is valid"),
    );
    Some(bar)
}

pub fn import(ws: &mut Workspace, args: ImportArgs, now: &str, out: &Out) -> anyhow::Result<()> {
    let mut options = args.limits.options();
    options.outlet = args.outlet;
    options.lang = args.lang;
    options.tags = args.tags;
    options.marking = args.marking.unwrap_or_default();
    let bar = progress_bar();
    if let Some(bar) = &bar {
        let bar = bar.clone();
        options.ocr.progress = Some(std::sync::Arc::new(move |p: OcrProgress| {
            if p.done < p.total {
                bar.set_prefix(format!("OCR page {} of {} ", p.done + 1, p.total));
            } else {
                bar.set_prefix("");
            }
        }));
    }
    let summary =
        dossier_api::import::import_all(ws, &args.inputs, &options, now, &mut |p: Progress<'_>| {
            if let Some(bar) = &bar {
                bar.set_length(p.total as u64);
                bar.set_position(p.done as u64);
                bar.set_message(p.current.to_string());
            }
        });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print_summary(&summary, out);
    if summary.failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}

fn print_summary(summary: &ImportSummary, out: &Out) {
    if out.json {
        return emit_json(summary);
    }
    let mut stdout = std::io::stdout().lock();
    for item in &summary.items {
        let status = match item.status {
            ItemStatus::Imported => "imported",
            ItemStatus::Updated => "updated",
            ItemStatus::AlreadyPresent => "present",
            ItemStatus::Skipped => "skipped",
            ItemStatus::Failed => "failed",
        };
        let id = item.id.map_or("-".to_string(), |id| id.to_string());
        let detail = match (&item.reason, &item.reanchored) {
            (Some(reason), _) => format!("\t{reason}"),
            (None, Some(r)) => format!(
                "\t{} placed, {} adjusted, {} orphaned",
                r.placed, r.adjusted, r.orphaned
            ),
            (None, None) => String::new(),
        };
        let _ = writeln!(stdout, "{status}\t{id}\t{}{detail}", item.input);
    }
    let _ = stdout.flush();
    eprintln!(
        "{} imported, {} updated, {} already present, {} skipped, {} failed",
        summary.imported, summary.updated, summary.already_present, summary.skipped, summary.failed
    );
}

pub fn source(
    ws: &mut Workspace,
    cmd: SourceImportCmd,
    now: &str,
    out: &Out,
) -> anyhow::Result<()> {
    match cmd {
        SourceImportCmd::Reimport { id, limits } => {
            let outcome = dossier_api::import::reimport_source(ws, id, &limits.options(), now)?;
            if out.json {
                emit_json(&outcome);
            } else if !outcome.changed {
                println!("source {id} is unchanged");
            } else {
                let orphans = if outcome.orphaned_ids.is_empty() {
                    String::new()
                } else {
                    let ids: Vec<String> =
                        outcome.orphaned_ids.iter().map(i64::to_string).collect();
                    format!(
                        " (excerpts {}; see `dossier excerpt orphans`)",
                        ids.join(", ")
                    )
                };
                let version = outcome
                    .version
                    .map_or(String::new(), |n| format!(" (version {n})"));
                println!(
                    "source {id} updated{version}: {} placed, {} adjusted, {} orphaned{orphans}",
                    outcome.placed, outcome.adjusted, outcome.orphaned
                );
            }
        }
    }
    Ok(())
}

pub fn excerpt(ws: &mut Workspace, cmd: ExcerptImportCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        ExcerptImportCmd::Orphans { source } => {
            out.excerpts(&dossier_api::excerpts::orphans(ws, source)?)
        }
        ExcerptImportCmd::Reattach { id, start, end } => {
            out.excerpt(&dossier_api::excerpts::reattach(ws, id, start, end)?)
        }
    }
    Ok(())
}
