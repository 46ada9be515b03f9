use std::collections::BTreeSet;
use std::process::Command;

use dossier_core::briefing::{BriefingDocument, SectionKind};

use super::{fixture, flat, pdf_pages, require_tool};

fn write(doc: &BriefingDocument) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.pdf");
    std::fs::write(&path, dossier_export::pdf(doc).unwrap()).unwrap();
    (dir, path)
}

fn poppler(tool: &str, pdf: &std::path::Path, args: &[&str]) -> String {
    require_tool(tool, "poppler-utils");
    let out = Command::new(tool).args(args).arg(pdf).output().unwrap();
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_marking_and_page_number_are_on_every_page() {
    let (_dir, pdf) = write(&fixture::long_note(60));
    let pages = pdf_pages(&pdf);
    assert!(
        pages.len() >= 3,
        "60 excerpts run over 3+ pages, got {}",
        pages.len()
    );
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("PROTECTED A / PROTÉGÉ A"),
            "pdftotext finds the marking on page {}:\n{page}",
            n + 1
        );
        assert!(
            flat(page).contains(&format!("Page {} of {}", n + 1, pages.len())),
            "page {} is numbered",
            n + 1
        );
    }
}

#[test]
fn the_text_reads_back_with_accents_headings_and_footnotes() {
    let (_dir, pdf) = write(&fixture::decision_note());
    let all = flat(&pdf_pages(&pdf).join("\n"));
    for want in [
        "MEMORANDUM TO THE MINISTER OF INTERNATIONAL TRADE",
        "Canada–US steel and aluminum talks: state of play",
        "Négociations Canada–États-Unis sur l’acier et l’aluminium : état de la situation",
        "FOR DECISION — Decision needed by 20 March 2025",
        "« Nous ne signerons pas n’importe quel accord », a déclaré la ministre.3",
        "Sam Park and Amélie Gagnon, “Aluminum and the CUSMA joint review”, Trade Policy Quarterly, 28 February 2025, p. 12,",
        "Prepared by: Élise Côté",
        "☐ Approved",
    ] {
        assert!(all.contains(want), "the PDF says {want:?}:\n{all}");
    }
    for kind in SectionKind::ALL {
        assert!(all.contains(kind.heading()));
    }
    let info = poppler("pdfinfo", &pdf, &[]);
    assert!(
        info.contains("Title:           Canada–US steel and aluminum talks: state of play"),
        "{info}"
    );
}

#[test]
fn fonts_are_embedded() {
    let (_dir, pdf) = write(&fixture::decision_note());
    let fonts = poppler("pdffonts", &pdf, &[]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... encoding emb sub uni object ID: emb is the 5th from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "embedded: {row}");
    }
    assert!(
        fonts.contains("DejaVuSans"),
        "the body face is DejaVu Sans: {fonts}"
    );
}

#[test]
fn every_link_works() {
    let doc = fixture::decision_note();
    let (_dir, pdf) = write(&doc);
    let urls: BTreeSet<String> = poppler("pdfinfo", &pdf, &["-url"])
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(2).map(str::to_string))
        .collect();
    let mut want: BTreeSet<String> = doc
        .sections
        .iter()
        .flat_map(|s| s.excerpts.iter().filter_map(|e| e.citation.url.clone()))
        .collect();
    want.insert("https://example.org/cusma-review".into());
    assert_eq!(
        urls, want,
        "every citation and every link in the text is a live link"
    );
}

#[test]
fn hostile_text_prints_as_text() {
    let (_dir, pdf) = write(&fixture::hostile_note());
    let all = flat(&pdf_pages(&pdf).join("\n"));
    assert!(
        all.contains("#set page(fill: red)"),
        "Typst markup in an article is printed, not run"
    );
    assert!(
        all.contains("Quote <script>alert(\"x\")</script> *not emphasis* _nor this_"),
        "{all}"
    );
    let urls = poppler("pdfinfo", &pdf, &["-url"]);
    assert!(!urls.contains("javascript"), "{urls}");
}
