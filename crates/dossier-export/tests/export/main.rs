//! Export tests: each format read back by a real reader (pulldown-cmark, LibreOffice,
//! pdftotext), hostile article text that must come out as text, and snapshots of the bytes that
//! prove the same note always exports the same way.
//!
//! Tests that need LibreOffice or poppler-utils fail — never skip — when the tool is missing,
//! with the command that installs it.

mod determinism;
mod docx;
mod fixture;
mod french;
mod html;
mod markdown;
mod pdf;

use std::path::Path;
use std::process::Command;

/// Panics with what to install when `tool` is not on PATH.
pub fn require_tool(tool: &str, package: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "`{tool}` is not installed, and this test needs it to read the exported file as a user \
         would. Install it with `scripts/setup.sh test` (or `sudo apt-get install {package}`)."
    );
}

/// The text of a PDF, one string per page (pdftotext splits pages with form feeds).
pub fn pdf_pages(pdf: &Path) -> Vec<String> {
    require_tool("pdftotext", "poppler-utils");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext could not read {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("pdftotext writes UTF-8");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Text with line breaks and hyphenation undone, for "does the PDF say X" checks.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
