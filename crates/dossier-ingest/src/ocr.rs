//! OCR: the text of scanned pages and images, read by Tesseract's command (Debian's
//! `tesseract-ocr` with its `eng` and `fra` models), pages of a PDF rendered for it by poppler's
//! `pdftoppm`. Each page becomes paragraphs of text and a mean word confidence.
//!
//! The decisions a reader might question:
//! - **The command, not the library.** Linking libtesseract would tie the build to one ABI and
//!   pull C++ into every crate that imports; the command is what Debian ships and tests, and a
//!   page that makes Tesseract crash or hang fails that page (it is killed after
//!   [`PAGE_TIMEOUT`]) instead of taking the app down.
//! - **300 dpi, gray.** Tesseract is trained on text about 20–30 pixels high; 300 dpi gives that
//!   for body text. A page so large that 300 dpi would exceed [`MAX_PIXELS`] is rendered at
//!   the resolution that fits (a PDF "bomb" with a 5-metre page cannot exhaust memory).
//! - **Both languages by default.** `eng+fra` reads either, and accents right, without
//!   guessing the language first; the document's language is then detected from the text.
//! - **Lines of a paragraph are joined** (a hyphen at a line's end is dropped when a lowercase
//!   letter follows), so a quote that crosses a line break is one phrase, as in born-digital
//!   text.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::document::normalize_text;
use crate::error::{IngestError, Result};
use crate::pdf::join_pages;
use crate::{Document, Format};

/// The languages read when none is given: English and French together.
pub const DEFAULT_LANG: &str = "eng+fra";
/// The resolution pages are rendered at for OCR, unless the page is too large for it.
pub const OCR_DPI: u32 = 300;
/// The largest rendered page, in pixels (an A0 poster at 150 dpi; a letter page at 300 dpi is
/// 8.4 million).
pub const MAX_PIXELS: f64 = 40_000_000.0;
/// Scanned pages read in one import; a longer scan is refused before any work is done.
pub const MAX_OCR_PAGES: usize = 300;
/// One page's rendering or recognition is stopped after this long.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(120);

pub use dossier_core::OcrInfo;

/// Progress of a document's OCR: `done` of `total` scanned pages read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OcrProgress {
    pub done: usize,
    pub total: usize,
}

type ProgressFn = dyn Fn(OcrProgress) + Send + Sync;

/// How OCR runs: its languages, a flag that cancels it, and a per-page progress callback.
#[derive(Clone, Default)]
pub struct OcrOptions {
    /// Tesseract languages, `+`-joined (`eng`, `fra`, `eng+fra`); `None` is [`DEFAULT_LANG`].
    pub lang: Option<String>,
    pub cancel: Option<Arc<AtomicBool>>,
    pub progress: Option<Arc<ProgressFn>>,
}

impl std::fmt::Debug for OcrOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcrOptions")
            .field("lang", &self.lang)
            .field("cancel", &self.cancel)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl OcrOptions {
    pub fn lang(&self) -> &str {
        self.lang.as_deref().unwrap_or(DEFAULT_LANG)
    }

    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    pub(crate) fn report(&self, done: usize, total: usize) {
        if let Some(progress) = &self.progress {
            progress(OcrProgress { done, total });
        }
    }
}

/// Checks an `--ocr-lang` value: Tesseract language names (`eng`, `fra`, `chi_sim`) joined by
/// `+`, each one installed.
pub fn check_lang(lang: &str) -> Result<()> {
    let bad = |reason: String| IngestError::OcrLang {
        lang: lang.to_string(),
        reason,
    };
    let parts: Vec<&str> = lang.split('+').collect();
    if parts.iter().any(|p| {
        p.is_empty()
            || p.len() > 16
            || !p
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }) {
        return Err(bad(
            "write Tesseract language names joined by +, for example eng+fra".into(),
        ));
    }
    if let Ok(installed) = installed_langs() {
        let missing: Vec<&str> = parts
            .iter()
            .copied()
            .filter(|p| !installed.iter().any(|i| i == p))
            .collect();
        if !missing.is_empty() {
            return Err(bad(format!(
                "{} is not installed (installed: {}); on Debian or Ubuntu, install \
                 tesseract-ocr-{}",
                missing.join(", "),
                installed.join(", "),
                missing[0]
            )));
        }
    }
    Ok(())
}

/// The languages Tesseract has models for.
pub fn installed_langs() -> Result<Vec<String>> {
    let out = Command::new("tesseract")
        .arg("--list-langs")
        .stdin(Stdio::null())
        .output()
        .map_err(|_| unavailable())?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "osd")
        .map(str::to_string)
        .collect())
}

/// Whether OCR can run here (Tesseract's command answers).
pub fn available() -> bool {
    Command::new("tesseract")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn unavailable() -> IngestError {
    IngestError::OcrUnavailable {
        reason: "Tesseract is not installed (on Debian or Ubuntu: apt install tesseract-ocr \
                 tesseract-ocr-eng tesseract-ocr-fra poppler-utils, or run make setup)"
            .into(),
    }
}

/// One page's recognized text.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageText {
    pub text: String,
    /// Sum and count of word confidences (0–100), to average over a document.
    pub conf_sum: f64,
    pub words: usize,
}

/// Runs a command to completion, killing it when it takes longer than [`PAGE_TIMEOUT`] or the
/// run is cancelled. Returns its standard output.
fn run(mut command: Command, what: &str, options: &OcrOptions) -> Result<Vec<u8>> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                unavailable()
            } else {
                IngestError::Ocr {
                    reason: format!("{what} could not start ({e})"),
                }
            }
        })?;
    // Both pipes are drained on their own threads so a chatty child never blocks on a full pipe.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.by_ref().take(64 * 1024).read_to_end(&mut buf);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| IngestError::Ocr {
            reason: format!("{what} failed ({e})"),
        })? {
            break status;
        }
        if options.cancelled() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(IngestError::Cancelled);
        }
        if started.elapsed() > PAGE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(IngestError::Ocr {
                reason: format!(
                    "{what} took longer than {} seconds and was stopped",
                    PAGE_TIMEOUT.as_secs()
                ),
            });
        }
        std::thread::sleep(Duration::from_millis(15));
    };
    let out = out_thread.join().unwrap_or_default();
    let err = err_thread.join().unwrap_or_default();
    if !status.success() {
        let message = String::from_utf8_lossy(&err);
        let last = message
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty())
            .unwrap_or("no message");
        return Err(IngestError::Ocr {
            reason: format!("{what} failed: {last}"),
        });
    }
    Ok(out)
}

/// Recognizes the text of an image file (PNG, JPEG, TIFF — every page of a multi-page TIFF).
/// Pages are returned in order; a TIFF page with no text is an empty page.
pub(crate) fn recognize(image: &Path, options: &OcrOptions) -> Result<Vec<PageText>> {
    let mut command = Command::new("tesseract");
    command
        .arg(image)
        .arg("stdout")
        .args(["-l", options.lang(), "--psm", "3"])
        .arg("tsv")
        // One thread per page: faster overall on a small machine than OpenMP's contention.
        .env("OMP_THREAD_LIMIT", "1");
    let out = run(command, "Tesseract", options)?;
    Ok(parse_tsv(&String::from_utf8_lossy(&out)))
}

/// Tesseract's TSV: one row per page, block, paragraph, line and word. Words become lines,
/// lines become paragraphs (joined by a space), paragraphs are separated by a blank line.
pub(crate) fn parse_tsv(tsv: &str) -> Vec<PageText> {
    let mut pages: Vec<PageText> = Vec::new();
    // (page, block, paragraph, line) of the last word, to know when each ends.
    let mut last: Option<(usize, u32, u32, u32)> = None;
    let mut paragraph = String::new();
    let mut line = String::new();
    let flush_line = |paragraph: &mut String, line: &mut String| {
        if line.is_empty() {
            return;
        }
        if paragraph.is_empty() {
            paragraph.push_str(line);
        } else if paragraph.ends_with('-')
            && paragraph
                .chars()
                .rev()
                .nth(1)
                .is_some_and(char::is_alphabetic)
            && line.chars().next().is_some_and(char::is_lowercase)
        {
            paragraph.pop();
            paragraph.push_str(line);
        } else {
            paragraph.push(' ');
            paragraph.push_str(line);
        }
        line.clear();
    };
    let flush_paragraph = |page: &mut PageText, paragraph: &mut String| {
        if paragraph.is_empty() {
            return;
        }
        if !page.text.is_empty() {
            page.text.push_str("\n\n");
        }
        page.text.push_str(paragraph);
        paragraph.clear();
    };
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<u32>().unwrap_or(0);
        let page = num(1).max(1) as usize;
        while pages.len() < page {
            pages.push(PageText::default());
        }
        if cols[0].trim() != "5" {
            continue;
        }
        let word = cols[11].trim();
        let conf: f64 = cols[10].trim().parse().unwrap_or(-1.0);
        if word.is_empty() || conf < 0.0 {
            continue;
        }
        let key = (page, num(2), num(3), num(4));
        if let Some(prev) = last
            && prev != key
        {
            if (prev.0, prev.1, prev.2) != (key.0, key.1, key.2) {
                flush_line(&mut paragraph, &mut line);
                flush_paragraph(&mut pages[prev.0 - 1], &mut paragraph);
            } else {
                flush_line(&mut paragraph, &mut line);
            }
        }
        last = Some(key);
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        let target = &mut pages[page - 1];
        target.conf_sum += conf;
        target.words += 1;
    }
    if let Some(prev) = last {
        flush_line(&mut paragraph, &mut line);
        flush_paragraph(&mut pages[prev.0 - 1], &mut paragraph);
    }
    pages
}

/// The resolution a page of `width` × `height` points is rendered at: [`OCR_DPI`], lowered so
/// the image stays under [`MAX_PIXELS`].
pub(crate) fn dpi_for(width_pt: f64, height_pt: f64) -> u32 {
    let inches = (width_pt / 72.0).max(0.01) * (height_pt / 72.0).max(0.01);
    let fit = (MAX_PIXELS / inches).sqrt();
    (fit.floor() as u32).clamp(10, OCR_DPI)
}

/// Renders page `page` (from 1) of the PDF at `pdf` to a gray PGM in `dir`, and returns its path.
pub(crate) fn render_page(
    pdf: &Path,
    page: usize,
    dpi: u32,
    dir: &Path,
    options: &OcrOptions,
) -> Result<std::path::PathBuf> {
    let prefix = dir.join(format!("page-{page}"));
    let mut command = Command::new("pdftoppm");
    command
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        // PGM, not PNG: compressing a 300-dpi page takes pdftoppm about 4 s, as long as
        // Tesseract takes to read it; writing it raw takes 0.2 s (the file lives a moment).
        .args(["-r", &dpi.to_string(), "-gray", "-singlefile"])
        .arg(pdf)
        .arg(&prefix);
    run(command, "The page renderer (pdftoppm)", options).map_err(|e| match e {
        IngestError::OcrUnavailable { .. } => IngestError::OcrUnavailable {
            reason: "poppler's pdftoppm is not installed (on Debian or Ubuntu: apt install \
                     poppler-utils, or run make setup)"
                .into(),
        },
        other => other,
    })?;
    let image = prefix.with_extension("pgm");
    if !image.exists() {
        return Err(IngestError::Ocr {
            reason: format!("page {page} could not be rendered"),
        });
    }
    Ok(image)
}

/// Reads each of `pages` (from 1) of a PDF by OCR; `sizes` gives each page's size in points.
pub(crate) fn recognize_pdf_pages(
    bytes: &[u8],
    pages: &[(usize, f64, f64)],
    options: &OcrOptions,
) -> Result<Vec<PageText>> {
    if pages.len() > MAX_OCR_PAGES {
        return Err(IngestError::Ocr {
            reason: format!(
                "it has {} scanned pages, more than the {MAX_OCR_PAGES} Dossier reads by OCR in \
                 one import; split it into parts and import each",
                pages.len()
            ),
        });
    }
    if !available() {
        return Err(unavailable());
    }
    let dir = tempfile::tempdir().map_err(|e| IngestError::Ocr {
        reason: format!("no temporary folder for the pages ({e})"),
    })?;
    let pdf = dir.path().join("scan.pdf");
    std::fs::write(&pdf, bytes).map_err(|e| IngestError::Ocr {
        reason: format!("the scan could not be written for the renderer ({e})"),
    })?;
    options.report(0, pages.len());
    // Pages are read on as many threads as there are cores (each Tesseract single-threaded):
    // a 50-page scan takes half the time on two cores. Results are kept in page order.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(pages.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let results: std::sync::Mutex<(usize, Vec<Option<Result<PageText>>>)> =
        std::sync::Mutex::new((0, (0..pages.len()).map(|_| None).collect()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    if failed.load(Ordering::Relaxed) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(page, width, height)) = pages.get(i) else {
                        return;
                    };
                    let read = if options.cancelled() {
                        Err(IngestError::Cancelled)
                    } else {
                        read_pdf_page(&pdf, page, width, height, dir.path(), options)
                    };
                    let mut guard = results.lock().unwrap_or_else(|e| e.into_inner());
                    // A page finished after a cancel (asked for from the progress of another
                    // page, say) is not counted: the run ends as cancelled either way.
                    let read = match read {
                        Ok(_) if options.cancelled() => Err(IngestError::Cancelled),
                        other => other,
                    };
                    if read.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    let ok = read.is_ok();
                    guard.1[i] = Some(read);
                    if ok {
                        guard.0 += 1;
                        options.report(guard.0, pages.len());
                    }
                }
            });
        }
    });
    let (_, results) = results.into_inner().unwrap_or_else(|e| e.into_inner());
    // The first page that failed, in page order (a cancel is reported as a cancel).
    let mut out = Vec::with_capacity(pages.len());
    let mut first_error = None;
    for result in results {
        match result {
            Some(Ok(text)) => out.push(text),
            Some(Err(e)) if first_error.is_none() || matches!(e, IngestError::Cancelled) => {
                first_error = Some(e);
            }
            _ => {}
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    if out.len() != pages.len() {
        return Err(IngestError::Ocr {
            reason: "some pages were not read".into(),
        });
    }
    Ok(out)
}

/// Renders one page of a scanned PDF and reads it, as one page's text.
fn read_pdf_page(
    pdf: &Path,
    page: usize,
    width: f64,
    height: f64,
    dir: &Path,
    options: &OcrOptions,
) -> Result<PageText> {
    let image = render_page(pdf, page, dpi_for(width, height), dir, options)?;
    let text = recognize(&image, options).map_err(|e| match e {
        IngestError::Ocr { reason } => IngestError::Ocr {
            reason: format!("page {page}: {reason}"),
        },
        other => other,
    });
    let _ = std::fs::remove_file(&image);
    let mut page_text = PageText::default();
    for t in text? {
        if !page_text.text.is_empty() && !t.text.is_empty() {
            page_text.text.push_str("\n\n");
        }
        page_text.text.push_str(&t.text);
        page_text.conf_sum += t.conf_sum;
        page_text.words += t.words;
    }
    Ok(page_text)
}

/// The pixel size an image header declares (PNG, JPEG), to refuse decompression bombs before
/// Tesseract allocates them. `None` when the header does not say (TIFF is read as it is).
pub(crate) fn image_size(bytes: &[u8]) -> Option<(u64, u64)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 {
        let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
        let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
        return Some((w.into(), h.into()));
    }
    if bytes.starts_with(b"\xff\xd8") {
        let mut i = 2;
        while i + 9 < bytes.len() {
            if bytes[i] != 0xff {
                i += 1;
                continue;
            }
            let marker = bytes[i + 1];
            if marker == 0xff {
                i += 1;
                continue;
            }
            let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
            if (0xc0..=0xcf).contains(&marker) && ![0xc4, 0xc8, 0xcc].contains(&marker) {
                let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
                let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
                return Some((w.into(), h.into()));
            }
            if marker == 0xd8 || (0xd0..=0xd7).contains(&marker) || marker == 0x01 {
                i += 2;
                continue;
            }
            i += 2 + len;
        }
    }
    None
}

/// Reads an image (PNG, JPEG, TIFF, every page of a multi-page TIFF) by OCR.
pub(crate) fn extract_image(bytes: &[u8], name: &str, options: &OcrOptions) -> Result<Document> {
    let broken = |reason: String| IngestError::BrokenImage {
        name: name.to_string(),
        reason,
    };
    if let Some((w, h)) = image_size(bytes) {
        if w == 0 || h == 0 {
            return Err(broken("its header gives it no size".into()));
        }
        if (w * h) as f64 > MAX_PIXELS {
            return Err(broken(format!(
                "it is {w} × {h} pixels, more than the {} megapixels OCR reads; scale it down \
                 (300 dpi is enough)",
                MAX_PIXELS as u64 / 1_000_000
            )));
        }
    }
    if !available() {
        return Err(unavailable());
    }
    let dir = tempfile::tempdir().map_err(|e| IngestError::Ocr {
        reason: format!("no temporary folder for the image ({e})"),
    })?;
    let path = dir.path().join("scan");
    std::fs::write(&path, bytes).map_err(|e| IngestError::Ocr {
        reason: format!("the image could not be written for Tesseract ({e})"),
    })?;
    options.report(0, 1);
    let read = recognize(&path, options).map_err(|e| match e {
        IngestError::Ocr { reason } if !reason.contains("seconds") => broken(reason),
        other => other,
    })?;
    options.report(1, 1);
    let pages: Vec<String> = read.iter().map(|p| normalize_text(&p.text)).collect();
    let numbers: Vec<u32> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.chars().any(char::is_alphanumeric))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    let (text, starts) = join_pages(&pages);
    let mut doc = Document::new(text, Format::Image);
    if pages.len() > 1 {
        doc.pages = Some(starts);
    }
    if !numbers.is_empty() {
        doc.ocr = Some(OcrInfo {
            pages: numbers,
            confidence: mean_confidence(&read),
        });
    }
    Ok(doc)
}

/// Mean confidence of pages, 0 to 1.
pub(crate) fn mean_confidence<'a>(pages: impl IntoIterator<Item = &'a PageText>) -> f64 {
    let (sum, words) = pages
        .into_iter()
        .fold((0.0, 0usize), |(s, w), p| (s + p.conf_sum, w + p.words));
    if words == 0 {
        0.0
    } else {
        ((sum / words as f64) / 100.0 * 1000.0).round() / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t
5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t96\tTariff
5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t90\tnegoti-
5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t94\tations
5\t1\t1\t1\t2\t2\t0\t0\t1\t1\t92\tresumed.
5\t1\t1\t2\t1\t1\t0\t0\t1\t1\t80\tSteel
5\t1\t1\t2\t1\t2\t0\t0\t1\t1\t-1\t
5\t1\t1\t2\t2\t1\t0\t0\t1\t1\t88\tUS-
5\t1\t1\t2\t2\t2\t0\t0\t1\t1\t88\tCanada
1\t2\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t
";

    #[test]
    fn tsv_words_become_paragraphs_and_hyphens_are_mended() {
        let pages = parse_tsv(TSV);
        assert_eq!(pages.len(), 2);
        assert_eq!(
            pages[0].text,
            "Tariff negotiations resumed.\n\nSteel US- Canada"
        );
        assert_eq!(pages[0].words, 7);
        assert_eq!(pages[1].text, "");
        let conf = mean_confidence(&pages);
        assert!((conf - 0.897).abs() < 0.001, "{conf}");
    }

    #[test]
    fn huge_pages_are_rendered_smaller() {
        assert_eq!(dpi_for(612.0, 792.0), OCR_DPI);
        let poster = dpi_for(72.0 * 200.0, 72.0 * 200.0);
        assert!(poster < 40, "{poster}");
        let pixels = (200.0 * poster as f64).powi(2);
        assert!(pixels <= MAX_PIXELS, "{pixels}");
    }

    #[test]
    fn image_headers_give_their_size() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(100_000u32.to_be_bytes());
        png.extend(50u32.to_be_bytes());
        assert_eq!(image_size(&png), Some((100_000, 50)));
        let jpeg = [
            0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0x00, 0x02, 0x00, 1,
        ];
        assert_eq!(image_size(&jpeg), Some((512, 256)));
        assert_eq!(image_size(b"II*\0rest"), None);
    }

    #[test]
    fn language_names_are_checked() {
        assert!(check_lang("eng+").is_err());
        assert!(check_lang("en g").is_err());
        assert!(check_lang("../../etc").is_err());
    }
}
