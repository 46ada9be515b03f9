use dossier_core::briefing::BriefingDocument;
use dossier_export::Format;
use rstest::rstest;
use sha2::{Digest, Sha256};

use super::fixture;

#[rstest]
fn the_same_note_exports_to_the_same_bytes(
    #[values(Format::Markdown, Format::Html, Format::Docx, Format::Pdf)] format: Format,
    #[values(fixture::decision_note(), fixture::french_note())] doc: BriefingDocument,
) {
    let first = dossier_export::export(&doc, format).unwrap();
    let second = dossier_export::export(&doc, format).unwrap();
    assert!(
        first == second,
        "two {format} exports of a {} note in one process are identical",
        doc.lang
    );
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(dossier_export::markdown(&fixture::decision_note()));
}

/// The French note as Markdown: read it as a French reader would. Non-breaking spaces are
/// shown as `⍽` so a change to the spacing shows in the diff.
#[test]
fn french_markdown_snapshot() {
    let md = dossier_export::markdown(&fixture::french_note());
    insta::assert_snapshot!(md.replace('\u{a0}', "⍽"));
}

#[test]
fn html_snapshot() {
    insta::assert_snapshot!(dossier_export::html(&fixture::decision_note()));
}

#[test]
fn docx_snapshot() {
    let doc = fixture::decision_note();
    for (name, xml) in dossier_export::docx_parts(&doc) {
        if matches!(
            name,
            "word/document.xml"
                | "word/footnotes.xml"
                | "word/header1.xml"
                | "word/footer1.xml"
                | "word/numbering.xml"
                | "word/_rels/document.xml.rels"
                | "docProps/core.xml"
        ) {
            // One element per line, so a change reads as a diff.
            let readable = xml.replace("><", ">\n<");
            insta::assert_snapshot!(name.replace('/', "_"), readable);
        }
    }
    // The zip around them, timestamps included, is fixed too.
    insta::assert_snapshot!("docx_sha256", sha256(&dossier_export::docx(&doc).unwrap()));
}

#[test]
fn pdf_snapshot() {
    let doc = fixture::decision_note();
    insta::assert_snapshot!("pdf_typst_source", dossier_export::typst_source(&doc));
    insta::assert_snapshot!("pdf_sha256", sha256(&dossier_export::pdf(&doc).unwrap()));
}
