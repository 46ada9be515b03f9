//! Scans in the real window: a scanned page imported by the CLI opens in the reader with its
//! OCR'd text marked, and a long scan imported from the window reports each page as it is read,
//! keeps the window responsive, and stops when the analyst cancels, writing nothing.
//! Run under a display, like `desktop.rs`; needs Tesseract and ImageMagick (`make setup-test`).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use dossier_e2e::desktop::Desktop;
use dossier_e2e::workspace::dossier;
use serde_json::{Value, json};

const ENTER: &str = "\u{E007}";

/// The team's own sample text, one scanned page of it.
const PAGE_TEXT: &str = "Ottawa weighs its response to the new steel duties\n\n\
Officials in the trade policy branch met on Tuesday to review the options\n\
left to Canada after the latest round of duties on steel and aluminum.\n\
The deputy minister asked for a short note on each option, with the cost\n\
to producers in Ontario and Quebec and the effect on the coming review.";

fn json_of(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&dossier(db, &all)).expect("the CLI prints JSON with --json")
}

/// `text` drawn black on white by ImageMagick, as a scanner would give a printed page:
/// `width`×`height` pixels, written to `out` (its extension picks the format).
fn draw_page(text: &str, width: u32, height: u32, out: &Path) {
    let status = Command::new("convert")
        .args(["-size", &format!("{width}x{height}"), "xc:white"])
        .args([
            "-font",
            "DejaVu-Serif",
            "-pointsize",
            "34",
            "-fill",
            "black",
        ])
        .args(["-annotate", "+110+160", text])
        .args(["-colorspace", "Gray", "-quality", "90"])
        .arg(out)
        .status()
        .expect("ImageMagick's convert runs (make setup-test installs imagemagick)");
    assert!(status.success(), "convert drew the page");
}

/// An image-only PDF, one JPEG per page (a letter-size page each), as a scanner writes it.
fn scanned_pdf(jpegs: &[Vec<u8>], width: u32, height: u32) -> Vec<u8> {
    let mut pdf: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    let n = jpegs.len();
    // Objects: 1 catalog, 2 pages, then per page i: page, content, image.
    let page_id = |i: usize| 3 + 3 * i;
    let mut object = |pdf: &mut Vec<u8>, body: &[u8]| {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    };
    object(&mut pdf, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", page_id(i))).collect();
    object(
        &mut pdf,
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).as_bytes(),
    );
    for (i, jpeg) in jpegs.iter().enumerate() {
        let id = page_id(i);
        object(
            &mut pdf,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R \
                 /Resources << /XObject << /Im0 {} 0 R >> >> >>",
                id + 1,
                id + 2
            )
            .as_bytes(),
        );
        let draw = b"q 612 0 0 792 0 0 cm /Im0 Do Q";
        let mut content = format!("<< /Length {} >>\nstream\n", draw.len()).into_bytes();
        content.extend_from_slice(draw);
        content.extend_from_slice(b"\nendstream");
        object(&mut pdf, &content);
        let mut image = format!(
            "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} \
             /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            jpeg.len()
        )
        .into_bytes();
        image.extend_from_slice(jpeg);
        image.extend_from_slice(b"\nendstream");
        object(&mut pdf, &image);
    }
    let xref = pdf.len();
    let count = offsets.len() + 1;
    pdf.extend_from_slice(format!("xref\n0 {count}\n0000000000 65535 f \n").as_bytes());
    for offset in &offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    pdf
}

/// Serves `body` as a PDF to every request on 127.0.0.1 for as long as the test runs.
fn serve_pdf(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let addr = listener.local_addr().expect("a local address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{addr}/submissions/scanned-letter.pdf")
}

/// Issue 12: a scanned page becomes text in the reader, marked as OCR'd with its page and the
/// reader's confidence, so a quote is checked against the page before it is cited.
#[test]
fn a_scanned_page_opens_with_its_ocr_text_marked() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let scan = scratch.path().join("scanned-note.png");
    draw_page(PAGE_TEXT, 2100, 900, &scan);
    dossier(&db, &["import", scan.to_str().expect("UTF-8 path")]);
    let shown = json_of(&db, &["source", "show", "1"]);
    assert_eq!(shown["ocr"]["pages"], json!([1]), "{shown}");

    let app = Desktop::launch("scans-reader", &db, scratch.path());
    app.click(
        ".source-row[data-source-id='1'] .source-link",
        "the scanned note opens in the reader",
    );
    app.expect("#reader-text p", "the reader shows the OCR'd text");
    let notice = app.text(
        "#reader-ocr-notice",
        "the reader says the text came from OCR",
    );
    assert!(
        notice.starts_with("Page 1 was read by OCR") && notice.contains('%'),
        "the notice names the page and the confidence: {notice:?}"
    );
    let marked = app.js(
        "return [...document.querySelectorAll('#reader-text p')].map(p => [p.classList.contains('ocr'), p.dataset.ocrPage ?? null, p.textContent]);",
        &[],
    );
    let paragraphs = marked.as_array().expect("a list of paragraphs");
    assert!(!paragraphs.is_empty());
    for p in paragraphs {
        assert_eq!(
            p[0],
            json!(true),
            "every paragraph of the scan is marked: {p}"
        );
        assert_eq!(p[1], json!("1"), "with its page: {p}");
    }
    let text: String = paragraphs
        .iter()
        .map(|p| p[2].as_str().unwrap_or_default())
        .collect();
    assert!(
        text.contains("deputy minister") && text.contains("steel duties"),
        "the scan's words are the reader's text: {text:?}"
    );
    app.screenshot("ocr-reader");
    app.quit();
}

/// Issue 12: a 20-page scan imported from the window shows each page as OCR reads it, the
/// window keeps answering meanwhile, and Cancel stops the import with nothing half-written.
#[test]
fn a_long_scan_shows_its_pages_and_can_be_cancelled() {
    let scratch = tempfile::tempdir().expect("create a temp dir");
    let db = scratch.path().join("ws.sqlite");
    let page = scratch.path().join("page.jpg");
    let (width, height) = (1275, 1650); // letter at 150 dpi
    let jpegs: Vec<Vec<u8>> = (1..=20)
        .map(|n| {
            draw_page(&format!("Page {n}\n\n{PAGE_TEXT}"), width, height, &page);
            std::fs::read(&page).expect("read the drawn page")
        })
        .collect();
    let url = serve_pdf(scanned_pdf(&jpegs, width, height));

    let app = Desktop::launch("scans-cancel", &db, scratch.path());
    app.palette("Import from URL");
    app.replace_text("#import-url", &url, "the dialog takes an address");
    app.type_into("#import-url", ENTER, "Enter starts the import");
    app.wait_until(
        "(() => { const p = document.querySelector('#import-ocr-progress'); return p && p.max === 20 && p.value >= 1; })()",
        "the panel shows OCR reading the scan page by page",
    );
    let line = app.text("#import-panel .line", "the panel says which page is read");
    assert!(
        line.contains("by OCR") && line.contains("of 20"),
        "the progress line names the page: {line:?}"
    );
    // The window still answers while the scan is read: the palette opens and closes.
    app.press("\u{E009}k");
    app.expect("#palette-input", "the palette opens during the OCR");
    app.press("\u{E00C}"); // Escape

    app.click("#import-cancel", "the panel offers to cancel the import");
    app.wait_until(
        "document.querySelector('#import-panel')?.textContent.includes('Import finished')",
        "the cancelled import reports its end",
    );
    let panel = app.text("#import-panel", "the summary stays on screen");
    assert!(
        panel.contains("cancelled"),
        "the summary says the scan was cancelled: {panel:?}"
    );
    let sources = json_of(&db, &["source", "list"]);
    assert_eq!(
        sources.as_array().map(Vec::len),
        Some(0),
        "a cancelled scan writes no source: {sources}"
    );
    app.quit();
}
