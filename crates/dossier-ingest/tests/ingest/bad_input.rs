use std::io::{Cursor, Write};

use dossier_ingest::{Hint, Limits, extract};
use rstest::rstest;

fn zip_with(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn broken_docx() -> Vec<u8> {
    zip_with(&[(
        "word/document.xml",
        b"<w:document><w:body><w:p><w:r><w:t>unclosed</w:r></w:p>",
    )])
}

fn truncated_pdf() -> Vec<u8> {
    let pdf = super::pdf::pdf(&[&["Some text on a page."]], None, None);
    pdf[..pdf.len() / 3].to_vec()
}

#[rstest]
#[case::empty(b"".to_vec(), "no_text", "is empty")]
#[case::whitespace(b"  \n\t ".to_vec(), "no_text", "is empty")]
#[case::png(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "broken_file", "damaged or unreadable image")]
#[case::jpeg(b"\xff\xd8\xff\xe0\0\x10JFIF".to_vec(), "broken_file", "damaged or unreadable image")]
#[case::gif(b"GIF89a\x01\0\x01\0".to_vec(), "unsupported_format", "a GIF image")]
#[case::old_word(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0".to_vec(), "unsupported_format", "old-style Office")]
#[case::binary(b"\x01\x02\x03\0\0\x05 some bytes".to_vec(), "unsupported_format", "binary data")]
#[case::excel(zip_with(&[("xl/workbook.xml", b"<workbook/>")]), "unsupported_format", "an Excel workbook")]
#[case::plain_zip(zip_with(&[("notes.txt", b"hello")]), "unsupported_format", "a ZIP archive")]
#[case::broken_zip(b"PK\x03\x04 this is not really a zip".to_vec(), "broken_file", "damaged or unreadable Word")]
#[case::broken_docx_xml(broken_docx(), "broken_file", "not well-formed XML")]
#[case::truncated_pdf(truncated_pdf(), "broken_file", "damaged or unreadable PDF")]
#[case::garbage_pdf(b"%PDF-1.7\nnothing else here".to_vec(), "broken_file", "damaged or unreadable PDF")]
#[case::html_without_article(b"<html><body><nav><a href='/'>Home</a></nav></body></html>".to_vec(), "no_text", "no article could be found")]
fn bad_input_is_refused_with_a_clear_message(
    #[case] bytes: Vec<u8>,
    #[case] code: &str,
    #[case] message: &str,
) {
    let err =
        extract(&bytes, &Hint::named("input"), &Limits::default()).expect_err("must be refused");
    assert_eq!(err.code(), code, "{err}");
    assert!(err.to_string().contains(message), "{err}");
    assert!(
        err.to_string().starts_with("input "),
        "the message names the file: {err}"
    );
}

#[test]
fn the_size_limit_is_configurable() {
    let limits = Limits { max_bytes: 10 };
    let err = extract(
        b"More than ten bytes of text.",
        &Hint::named("n.txt"),
        &limits,
    )
    .unwrap_err();
    assert_eq!(err.code(), "too_large");
}
