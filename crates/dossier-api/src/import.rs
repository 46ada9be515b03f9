//! Importing many files and URLs into a workspace: folders walked recursively, one result per
//! item (imported, updated, already present, skipped, failed with its reason), a progress
//! callback, and one bad file never stops or spoils the rest. Also the re-import of one source
//! from where it came from. Ingest reads the documents; this module is what stores them, so
//! ingest itself never touches a workspace.
//!
//! The decision a reader might question: a file found while walking a folder whose content is
//! not a format Dossier reads (a spreadsheet, a GIF) is *skipped*, not failed — folders of
//! reports come with such files, and they should not turn a good import into exit code 1; so is
//! a picture found there in which OCR finds no text (a logo, a photo). A path or URL named
//! explicitly fails instead. Hidden files and folders (`.git`) are not walked, nor the
//! `NAME_files` folder a browser saves beside `NAME.html` (its pictures and scripts).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier_core::NewSource;
use dossier_ingest::fetch::{self, FetchOptions};
use dossier_ingest::{
    Format, IngestError, Limits, OcrOptions, Read, read_path_with, read_url_with,
};
use dossier_store::imports::ImportBatch;
use dossier_store::{ImportedText, NotKept, Original, ReimportOutcome, Stored, Workspace};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::CommandError;

/// Settings for one import run; `outlet`, `lang` and `tags` apply to every item and win over
/// what the documents say.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub limits: Limits,
    pub fetch: FetchOptions,
    pub outlet: Option<String>,
    pub lang: Option<String>,
    pub tags: Vec<String>,
    /// The security marking new sources get (a source already in the workspace keeps its own).
    pub marking: dossier_core::briefing::Marking,
    /// OCR's languages for scans, its per-page progress, and the flag that cancels the run
    /// (checked between items and while a page is read).
    pub ocr: OcrOptions,
    /// Keep the bytes each document was read from in the workspace, as its version's original.
    pub keep_original: bool,
    /// Originals larger than this are not kept (the text still is).
    pub original_cap_bytes: u64,
}

/// The default cap on a kept original: the default size limit of an import, so by default
/// every file that can be imported keeps its original.
pub const DEFAULT_ORIGINAL_CAP_BYTES: u64 = 50 * 1024 * 1024;

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            limits: Limits::default(),
            fetch: FetchOptions::default(),
            outlet: None,
            lang: None,
            marking: Default::default(),
            tags: Vec::new(),
            ocr: OcrOptions::default(),
            keep_original: true,
            original_cap_bytes: DEFAULT_ORIGINAL_CAP_BYTES,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// A new source.
    Imported,
    /// A new version of a source imported before from the same file or URL.
    Updated,
    /// The same text is already in the workspace (`id` is that source).
    AlreadyPresent,
    /// Found in a folder, but not a format Dossier imports.
    Skipped,
    Failed,
}

/// The outcome of one file or URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ItemResult {
    /// The path or URL, as given or as found in a folder.
    pub input: String,
    pub status: ItemStatus,
    pub id: Option<i64>,
    pub title: Option<String>,
    pub format: Option<Format>,
    /// Why it failed or was skipped, in plain words.
    pub reason: Option<String>,
    /// A stable code for `reason` (`unsupported_format`, `broken_file`, `fetch_failed`, …).
    pub code: Option<String>,
    /// For an update: excerpts placed unchanged, adjusted to a slightly changed quote, orphaned.
    #[ts(type = "{ placed: number, adjusted: number, orphaned: number } | null")]
    pub reanchored: Option<Reanchored>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Reanchored {
    pub placed: usize,
    pub adjusted: usize,
    pub orphaned: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportSummary {
    pub imported: usize,
    pub updated: usize,
    pub already_present: usize,
    pub skipped: usize,
    pub failed: usize,
    pub items: Vec<ItemResult>,
}

impl ImportSummary {
    fn push(&mut self, item: ItemResult) {
        match item.status {
            ItemStatus::Imported => self.imported += 1,
            ItemStatus::Updated => self.updated += 1,
            ItemStatus::AlreadyPresent => self.already_present += 1,
            ItemStatus::Skipped => self.skipped += 1,
            ItemStatus::Failed => self.failed += 1,
        }
        self.items.push(item);
    }
}

/// Where a run is, for a progress bar: called before each item is read (with `done` items
/// read), and once at the end when every item is written.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub done: usize,
    pub total: usize,
    pub current: &'a str,
}

/// One thing to import, once folders are expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Url(String),
    /// `in_folder`: found by walking a folder rather than named.
    File {
        path: PathBuf,
        in_folder: bool,
    },
    /// A named input that could not even be listed.
    Unreadable {
        input: String,
        error: String,
    },
}

impl Item {
    fn label(&self) -> String {
        match self {
            Item::Url(u) => u.clone(),
            Item::File { path, .. } => path.display().to_string(),
            Item::Unreadable { input, .. } => input.clone(),
        }
    }
}

/// The `NAME_files` folder a browser's "save page" writes beside `NAME.html` or `NAME.htm`.
fn is_saved_page_assets(path: &Path) -> bool {
    let Some(stem) = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix("_files"))
    else {
        return false;
    };
    ["html", "htm"]
        .iter()
        .any(|ext| path.with_file_name(format!("{stem}.{ext}")).is_file())
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// Files under a folder, sorted by path so runs are repeatable. Symbolic links to folders are
/// not followed (they can loop).
fn walk(dir: &Path, out: &mut Vec<Item>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Item::Unreadable {
                input: dir.display().to_string(),
                error: format!("cannot list the folder {}: {e}", dir.display()),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if is_hidden(&path) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if !is_saved_page_assets(&path) {
                walk(&path, out);
            }
        } else if meta.is_file() || (meta.is_symlink() && path.is_file()) {
            out.push(Item::File {
                path,
                in_folder: true,
            });
        }
    }
}

fn plan(inputs: &[String]) -> Vec<Item> {
    let mut items = Vec::new();
    for input in inputs {
        if fetch::is_url(input) {
            items.push(Item::Url(input.trim().to_string()));
            continue;
        }
        let path = PathBuf::from(input);
        if path.is_dir() {
            walk(&path, &mut items);
        } else {
            items.push(Item::File {
                path,
                in_folder: false,
            });
        }
    }
    items
}

/// What the store is given for a read document, with the run's overrides applied.
pub fn to_imported(read: Read, options: &ImportOptions) -> ImportedText {
    let Read {
        document: doc,
        origin,
        retrieved_at,
        final_url,
        original,
    } = read;
    let size = original.len() as u64;
    let (original, not_kept, size_not_kept) = if !options.keep_original {
        (None, Some(NotKept::NoOriginal), None)
    } else if size > options.original_cap_bytes {
        (None, Some(NotKept::OverCap), Some(size))
    } else {
        // Hashed and deflated here, while reading, never inside the batch's write transaction.
        (Some(Original::new(original)), None, None)
    };
    ImportedText {
        source: NewSource {
            title: doc.title.unwrap_or_default(),
            outlet: options.outlet.clone().or(doc.outlet),
            authors: doc.authors,
            published: doc.published,
            url: doc.url.or(final_url),
            lang: options.lang.clone().or(doc.lang),
            notes: String::new(),
            origin: Some(origin),
            tags: options.tags.clone(),
            body: doc.text,
            marking: options.marking,
        },
        pages: doc.pages,
        format: Some(doc.format.as_str().to_string()),
        retrieved_at,
        ocr: doc.ocr,
        original,
        not_kept,
        size_not_kept,
    }
}

fn failed(input: String, code: &str, reason: String, status: ItemStatus) -> ItemResult {
    ItemResult {
        input,
        status,
        id: None,
        title: None,
        format: None,
        reason: Some(reason),
        code: Some(code.to_owned()),
        reanchored: None,
    }
}

/// An item read (outside any transaction) and waiting for its batch's write.
enum Pending {
    /// Read and ready to store.
    Ready {
        label: String,
        format: Format,
        /// Boxed: with its original it is several times the size of a finished result.
        imported: Box<ImportedText>,
    },
    /// Its result is already known (skipped, or failed before reaching the store).
    Done(ItemResult),
}

impl Pending {
    /// Roughly what holding it costs, to cap a batch's memory.
    fn text_bytes(&self) -> usize {
        match self {
            Pending::Ready { imported, .. } => {
                imported.source.body.len() + imported.original.as_ref().map_or(0, |o| o.data.len())
            }
            Pending::Done(_) => 0,
        }
    }
}

fn read_one(item: &Item, options: &ImportOptions, now: &str) -> Pending {
    let label = item.label();
    let read = match item {
        Item::Url(url) => read_url_with(url, &options.limits, &options.fetch, now, &options.ocr),
        Item::File { path, .. } => read_path_with(path, &options.limits, &options.ocr),
        Item::Unreadable { error, .. } => {
            return Pending::Done(failed(label, "io", error.clone(), ItemStatus::Failed));
        }
    };
    match read {
        Ok(read) => Pending::Ready {
            label,
            format: read.document.format,
            imported: Box::new(to_imported(read, options)),
        },
        Err(e) => {
            let skip = matches!(
                item,
                Item::File {
                    in_folder: true,
                    ..
                }
            ) && (matches!(e, IngestError::Unsupported { .. })
                || matches!(e, IngestError::NoTextInImage { .. }));
            let status = if skip {
                ItemStatus::Skipped
            } else {
                ItemStatus::Failed
            };
            Pending::Done(failed(label, e.code(), e.to_string(), status))
        }
    }
}

fn stored_result(
    batch: &ImportBatch<'_>,
    label: String,
    format: Format,
    stored: Stored,
) -> ItemResult {
    let (status, id, reanchored) = match stored {
        Stored::Added(id) => (ItemStatus::Imported, id, None),
        Stored::AlreadyPresent(id) => (ItemStatus::AlreadyPresent, id, None),
        Stored::Reimported(o) => (
            ItemStatus::Updated,
            o.source_id,
            Some(Reanchored {
                placed: o.placed,
                adjusted: o.adjusted,
                orphaned: o.orphaned,
            }),
        ),
    };
    ItemResult {
        input: label,
        status,
        id: Some(id),
        title: batch.title(id).ok().flatten(),
        format: Some(format),
        reason: None,
        code: None,
        reanchored,
    }
}

fn store_failed(label: String, format: Format, e: &dossier_store::StoreError) -> ItemResult {
    let mut result = failed(label, e.code(), e.to_string(), ItemStatus::Failed);
    result.format = Some(format);
    result
}

/// Writes a batch of read items in one transaction, each in its own savepoint, and adds their
/// results to `summary` in order. When the commit itself fails, nothing of the batch was
/// written and every item it stored is reported failed with the reason.
fn write_batch(ws: &mut Workspace, batch: Vec<Pending>, now: &str, summary: &mut ImportSummary) {
    let mut results = Vec::with_capacity(batch.len());
    let mut open = if batch.iter().any(|p| matches!(p, Pending::Ready { .. })) {
        Some(ws.begin_import_batch())
    } else {
        None
    };
    for pending in batch {
        let (label, format, imported) = match pending {
            Pending::Done(result) => {
                results.push((result, None));
                continue;
            }
            Pending::Ready {
                label,
                format,
                imported,
            } => (label, format, imported),
        };
        let tx = match open.as_mut() {
            Some(Ok(tx)) => tx,
            Some(Err(e)) => {
                results.push((store_failed(label, format, e), None));
                continue;
            }
            None => unreachable!("a batch with an item to store has a transaction"),
        };
        match tx.store_import(*imported, now) {
            Ok(stored) => {
                let result = stored_result(tx, label.clone(), format, stored);
                results.push((result, Some((label, format))));
            }
            Err(e) => results.push((store_failed(label, format, &e), None)),
        }
    }
    let commit_error = match open {
        Some(Ok(tx)) => tx.commit().err(),
        _ => None,
    };
    for (result, stored) in results {
        match (&commit_error, stored) {
            (Some(e), Some((label, format))) => summary.push(store_failed(label, format, e)),
            _ => summary.push(result),
        }
    }
}

/// Items per write transaction, at most. With the time and size caps below it keeps the write
/// lock short: the desktop window writes on its own connection and waits for each batch.
const BATCH_ITEMS: usize = 256;
/// Reading stops filling a batch after this long, so that slow items (URLs, large PDFs) are
/// written, and seen by the window, soon after they are read.
const BATCH_READ_TIME: Duration = Duration::from_millis(150);
/// Text and originals held in memory for one batch, at most.
const BATCH_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// Checks languages for OCR (`eng+fra`): well formed, and each one installed when Tesseract is.
pub fn check_ocr_lang(lang: &str) -> Result<(), CommandError> {
    Ok(dossier_ingest::ocr::check_lang(lang)?)
}

fn cancelled(options: &ImportOptions) -> bool {
    options
        .ocr
        .cancel
        .as_ref()
        .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
}

/// Imports every path (folders recursively) and URL, calling `progress` before each item.
/// Never stops early: every item gets a result.
///
/// Items are read in batches outside any transaction, then each batch is written in one
/// transaction with a savepoint per item: a failing item rolls back only itself, and a commit
/// every few hundred items (instead of one per item) is what makes a folder of notes fast. The
/// write lock is held only while a batch is written, never while files are read, so another
/// connection's writes get in between batches.
pub fn import_all(
    ws: &mut Workspace,
    inputs: &[String],
    options: &ImportOptions,
    now: &str,
    progress: &mut dyn FnMut(Progress<'_>),
) -> ImportSummary {
    let items = plan(inputs);
    let mut summary = ImportSummary::default();
    summary.items.reserve(items.len());
    let total = items.len();
    let mut next = items.iter().enumerate().peekable();
    while next.peek().is_some() {
        let started = Instant::now();
        let mut batch = Vec::new();
        let mut bytes = 0;
        while batch.len() < BATCH_ITEMS
            && bytes < BATCH_TEXT_BYTES
            && started.elapsed() < BATCH_READ_TIME
            && let Some((done, item)) = next.next()
        {
            let label = item.label();
            progress(Progress {
                done,
                total,
                current: &label,
            });
            let pending = if cancelled(options) {
                Pending::Done(failed(
                    label,
                    IngestError::Cancelled.code(),
                    "the import was cancelled before this item was read".into(),
                    ItemStatus::Failed,
                ))
            } else {
                read_one(item, options, now)
            };
            bytes += pending.text_bytes();
            batch.push(pending);
        }
        write_batch(ws, batch, now, &mut summary);
    }
    progress(Progress {
        done: total,
        total,
        current: "",
    });
    summary
}

/// Reads a source again from the file or URL it was imported from and re-imports it in place.
pub fn reimport_source(
    ws: &mut Workspace,
    id: i64,
    options: &ImportOptions,
    now: &str,
) -> Result<ReimportOutcome, CommandError> {
    let origin = ws.source_origin(id)?.ok_or_else(|| {
        CommandError::from(IngestError::Io {
            name: format!("source {id}"),
            source: std::io::Error::other(
                "it was not imported from a file or URL, so there is nothing to read again",
            ),
        })
    })?;
    let read = if fetch::is_url(&origin) {
        read_url_with(&origin, &options.limits, &options.fetch, now, &options.ocr)?
    } else {
        read_path_with(Path::new(&origin), &options.limits, &options.ocr)?
    };
    let imported = to_imported(read, options);
    Ok(ws.reimport_source(id, imported, now)?)
}
