use dossier_ingest::Format;
use rstest::rstest;

use super::read;

const FRENCH: &str = "Le ministre a déclaré que les droits sur l’acier « seraient réduits » dès l’été.\r\nDeuxième ligne — fin.";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xfe, 0xff]
    } else {
        vec![0xff, 0xfe]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[rstest]
#[case::utf8(FRENCH.as_bytes().to_vec())]
#[case::utf8_with_bom([b"\xef\xbb\xbf".as_slice(), FRENCH.as_bytes()].concat())]
#[case::utf16_le(utf16(FRENCH, false))]
#[case::utf16_be(utf16(FRENCH, true))]
#[case::windows_1252(encoding_rs::WINDOWS_1252.encode(FRENCH).0.into_owned())]
fn every_encoding_reads_as_the_same_normalized_text(#[case] bytes: Vec<u8>) {
    let doc = read(&bytes, "note.txt");
    assert_eq!(doc.text, FRENCH.replace("\r\n", "\n"));
    assert_eq!(doc.format, Format::Text);
    assert_eq!(doc.lang.as_deref(), Some("fr"));
}

#[test]
fn markdown_front_matter_fills_the_metadata() {
    let md = "---\ntitle: Softwood lumber update\nauthor: Jeanne Roy\ndate: 2025-03-14\noutlet: Maple Wire\n---\n\n# Softwood lumber update\n\nDuties on lumber exports rose again in the spring, producers said on Monday.";
    let doc = read(md.as_bytes(), "update.md");
    assert_eq!(doc.format, Format::Markdown);
    assert_eq!(doc.title.as_deref(), Some("Softwood lumber update"));
    assert_eq!(doc.authors, ["Jeanne Roy"]);
    assert_eq!(doc.published.as_deref(), Some("2025-03-14"));
    assert_eq!(doc.outlet.as_deref(), Some("Maple Wire"));
    assert!(
        doc.text.starts_with("# Softwood lumber update"),
        "front matter removed from the text"
    );
}

#[test]
fn the_format_follows_the_content_not_the_name() {
    let html = include_str!("fixtures/wire-story.html");
    assert_eq!(read(html.as_bytes(), "saved-page.txt").format, Format::Html);
    let pdf = super::pdf::pdf(&[&["A PDF saved with the wrong name."]], None, None);
    assert_eq!(read(&pdf, "report.txt").format, Format::Pdf);
    assert_eq!(
        read(b"Plain words, not a web page.", "page.html").format,
        Format::Text
    );
}
