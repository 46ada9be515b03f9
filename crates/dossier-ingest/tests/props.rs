//! Hostile input, no panic: every importer fed arbitrary and nearly-valid bytes returns a
//! document or a clean error, and Dossier's own code never panics. A panic hook records every
//! panic, including those `extract`'s `catch_unwind` catches: one in Dossier's code fails the
//! test; one inside a third-party reader passes only if it was caught and the import failed
//! with a clean error, and its place is printed (pdf_oxide 0.3 slices a string inside a UTF-8
//! character on some damaged PDFs; that cannot be fixed from here).
//!
//! Nearly valid is where parsers break: a real PDF and a real Word file with bytes flipped,
//! cut or inserted; Word files whose XML is random; HTML made of random tags, attributes,
//! entities and scripts; Markdown with random front matter; text in random encodings.
//! `PROPTEST_CASES` raises the number of cases (default 256 per importer).

use std::cell::RefCell;
use std::io::{Cursor, Write};
use std::sync::{Mutex, Once};

use dossier_core::text::{char_len, normalize_body};
use dossier_ingest::{Document, Hint, Limits, extract};
use lopdf::content::{Content, Operation};
use lopdf::{Document as Pdf, Object, Stream, StringFormat, dictionary};
use proptest::prelude::*;
use proptest::string::string_regex;

thread_local! {
    /// Where each panic on this thread happened, caught or not.
    static PANICS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Records panics on this thread, caught or not, and still prints them.
fn count_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let at = info.location().map_or_else(
                || "unknown".to_string(),
                |l| format!("{}:{}", l.file(), l.line()),
            );
            PANICS.with(|p| p.borrow_mut().push(at));
            previous(info);
        }));
    });
}

/// A third-party reader that panicked on damaged input, where `extract`'s `catch_unwind`
/// turned the panic into a clean error: each place is printed once per run.
fn report_caught(at: &str) {
    static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if !seen.iter().any(|s| s == at) {
        seen.push(at.to_string());
        eprintln!("caught (a third-party reader panicked; the import failed cleanly): {at}");
    }
}

/// Runs one import and checks what any outcome must satisfy.
fn import(bytes: &[u8], name: &str) -> Result<(), TestCaseError> {
    count_panics();
    PANICS.with(|p| p.borrow_mut().clear());
    let limits = Limits {
        max_bytes: 1024 * 1024,
    };
    let outcome = extract(bytes, &Hint::named(name), &limits);
    let panics = PANICS.with(|p| std::mem::take(&mut *p.borrow_mut()));
    for at in &panics {
        // Dossier's own code must never panic; a dependency's panic is tolerated only when it
        // was caught and the import failed cleanly.
        prop_assert!(
            at.contains("/registry/src/") && !at.contains("dossier-"),
            "Dossier code panicked at {} on {} ({} bytes)",
            at,
            name,
            bytes.len()
        );
        prop_assert!(outcome.is_err(), "a panic ended in a document: {}", at);
        report_caught(at);
    }
    match outcome {
        Ok(doc) => check_document(&doc)?,
        Err(e) => {
            let message = e.to_string();
            prop_assert!(!message.trim().is_empty());
            prop_assert!(
                message.contains(name),
                "the message names the file: {}",
                message
            );
            prop_assert!(!e.code().is_empty());
        }
    }
    Ok(())
}

fn check_document(doc: &Document) -> Result<(), TestCaseError> {
    prop_assert!(!doc.text.trim().is_empty(), "an imported document has text");
    prop_assert_eq!(
        &normalize_body(&doc.text),
        &doc.text,
        "the text is stored normalized"
    );
    if let Some(pages) = &doc.pages {
        prop_assert_eq!(pages.first(), Some(&0));
        prop_assert!(pages.windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(pages.iter().all(|&p| p <= char_len(&doc.text)));
    }
    if let Some(date) = &doc.published {
        prop_assert!(
            date.parse::<dossier_core::IsoDate>().is_ok(),
            "published is a real date: {}",
            date
        );
    }
    if let Some(lang) = &doc.lang {
        prop_assert!(
            (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase()),
            "lang is a primary language code: {}",
            lang
        );
    }
    Ok(())
}

/// A small real PNG with a line of text, rendered by poppler from a PDF (both made here). OCR
/// runs on every case that still decodes, so this image is kept small.
fn valid_png() -> Vec<u8> {
    static PNG: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PNG.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        std::fs::write(&pdf, valid_pdf()).unwrap();
        let out = dir.path().join("page");
        let ok = std::process::Command::new("pdftoppm")
            .args([
                "-r",
                "40",
                "-gray",
                "-png",
                "-singlefile",
                "-f",
                "1",
                "-l",
                "1",
            ])
            .arg(&pdf)
            .arg(&out)
            .status()
            .expect("pdftoppm runs (make setup installs poppler-utils)")
            .success();
        assert!(ok);
        std::fs::read(out.with_extension("png")).unwrap()
    })
    .clone()
}

/// A real two-page PDF with an information dictionary, as lopdf writes one.
fn valid_pdf() -> Vec<u8> {
    let mut doc = Pdf::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for page in [
        "Steel tariffs rise on Tuesday.",
        "Les quotas d'acier restent.",
    ] {
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 11.into()]),
                Operation::new("Td", vec![72.into(), 760.into()]),
                Operation::new(
                    "Tj",
                    vec![Object::String(
                        page.as_bytes().to_vec(),
                        StringFormat::Literal,
                    )],
                ),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        kids.push(
            doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            })
            .into(),
        );
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => 2, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::string_literal("Tariff schedule"),
        "CreationDate" => Object::string_literal("D:20250314090000-05'00'"),
    });
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A zip of the given entries; `stored` skips compression so mutations hit the XML itself.
fn zip_with(files: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    });
    for (name, body) in files {
        zip.start_file(*name, options).unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

fn document_xml(body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
    .into_bytes()
}

fn valid_docx(stored: bool) -> Vec<u8> {
    zip_with(
        &[
            ("[Content_Types].xml", CONTENT_TYPES),
            (
                "word/document.xml",
                &document_xml(
                    "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Steel options</w:t></w:r></w:p>\
                     <w:p><w:r><w:t xml:space=\"preserve\">Option A keeps the quota; </w:t></w:r><w:r><w:t>l&#8217;acier &amp; co.</w:t></w:r></w:p>",
                ),
            ),
            (
                "docProps/core.xml",
                br#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Options</dc:title><dc:creator>Jeanne Roy</dc:creator></cp:coreProperties>"#,
            ),
        ],
        stored,
    )
}

/// A valid file with a few bytes flipped, cut off, or with junk inserted.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = base.len();
    prop::collection::vec(
        (
            0..len,
            any::<u8>(),
            0u8..4,
            prop::collection::vec(any::<u8>(), 0..16),
        ),
        1..8,
    )
    .prop_map(move |edits| {
        let mut bytes = base.clone();
        for (at, byte, kind, junk) in edits {
            if bytes.is_empty() {
                break;
            }
            let at = at % bytes.len();
            match kind {
                0 => bytes[at] ^= byte | 1,
                1 => bytes.truncate(at.max(1)),
                2 => {
                    bytes.splice(at..at, junk);
                }
                _ => {
                    let end = (at + junk.len()).min(bytes.len());
                    bytes.drain(at..end);
                }
            }
        }
        bytes
    })
}

const HTML_PIECES: &[&str] = &[
    "<html>",
    "</html>",
    "<head>",
    "</head>",
    "<body>",
    "</body>",
    "<article>",
    "</article>",
    "<p>",
    "</p>",
    "<div class=\"content\">",
    "</div>",
    "<h1>",
    "</h1>",
    "<nav>",
    "<footer>",
    "<script>",
    "</script>",
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2025-02-30\",\"author\":[{\"name\":",
    "}]}",
    "<style>",
    "</style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<meta charset=\"",
    "<meta property=\"article:published_time\" content=\"",
    "<meta name=\"author\" content=\"",
    "\">",
    "<title>",
    "</title>",
    "<html lang=\"",
    "&amp;",
    "&lt;script&gt;",
    "&#x1F600;",
    "&#0;",
    "&#xD800;",
    "&nbsp;",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "</a>",
    "<iframe src=\"http://127.0.0.1/\">",
    "<svg><foreignObject>",
    "<table><tr><td>",
    "<br/>",
    "<base href=\"",
    "<link rel=\"canonical\" href=\"",
    "Steel tariffs rise sharply on Tuesday in Ottawa.",
    "L’acier et l’aluminium d’abord.",
    " ",
    "\n",
    "😀",
    "\u{0}",
    "\u{FEFF}",
    "\u{202E}",
    "2025-03-14",
    "fr-CA",
    "x",
];

fn html() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(HTML_PIECES), 0..80).prop_map(|p| format!(
            "<!DOCTYPE html><html><body>{}",
            p.concat()
        )
        .into_bytes()),
        prop::collection::vec(prop::sample::select(HTML_PIECES), 0..40)
            .prop_map(|p| p.concat().into_bytes()),
        // Deep nesting. Kept to a few hundred levels: reading main text costs time quadratic
        // in depth (2,000 levels took 20 s in a debug build), which is slow, not unsafe.
        (1usize..120).prop_map(|n| {
            format!(
                "<html><body>{}<p>Deep text about steel quotas.</p>{}</body></html>",
                "<div>".repeat(n),
                "</div>".repeat(n)
            )
            .into_bytes()
        }),
    ]
}

fn markdown() -> impl Strategy<Value = Vec<u8>> {
    (
        string_regex(
            "(title|date|author|authors|lang|outlet|url): ?[\\[\\]\"'a-z0-9:\\-{} ,é]{0,20}\n",
        )
        .unwrap(),
        prop::collection::vec(
            string_regex("(title|date|author|lang|url|- |  )[^\n]{0,20}\n").unwrap(),
            0..6,
        ),
        any::<String>(),
        any::<bool>(),
    )
        .prop_map(|(first, rest, body, close)| {
            let mut s = format!("---\n{first}{}", rest.concat());
            if close {
                s.push_str("---\n");
            }
            s.push_str("# Heading\n\n");
            s.push_str(&body);
            s.into_bytes()
        })
}

fn text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<String>().prop_map(String::into_bytes),
        any::<String>().prop_map(|s| {
            let mut b = vec![0xFF, 0xFE];
            b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
            b
        }),
        any::<String>().prop_map(|s| {
            let mut b = vec![0xFE, 0xFF];
            b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
            b
        }),
        any::<String>().prop_map(|s| encoding_rs::WINDOWS_1252.encode(&s).0.into_owned()),
        prop::collection::vec(any::<u8>(), 0..512).prop_map(|b| [
            b"Steel quotas, l'acier \xe9t\xe9 ".as_slice(),
            &b
        ]
        .concat()),
    ]
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        import(&bytes, "random.bin")?;
    }

    #[test]
    fn a_damaged_pdf_never_panics(bytes in mutated(valid_pdf())) {
        import(&bytes, "report.pdf")?;
    }

    #[test]
    fn a_pdf_header_on_anything_never_panics(tail in prop::collection::vec(any::<u8>(), 0..2048)) {
        import(&[b"%PDF-1.7\n".as_slice(), &tail].concat(), "header.pdf")?;
    }

    #[test]
    fn a_damaged_word_file_never_panics(bytes in prop_oneof![mutated(valid_docx(false)), mutated(valid_docx(true))]) {
        import(&bytes, "options.docx")?;
    }

    #[test]
    fn a_word_file_with_random_xml_never_panics(
        body in prop::collection::vec(prop::sample::select(&[
            "<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:t xml:space=\"preserve\">",
            "<w:tab/>", "<w:br/>", "<w:pStyle w:val=\"Heading1\"/>", "<w:pPr>", "</w:pPr>",
            "&amp;", "&#8217;", "&#0;", "&bogus;", "&", "<", "<![CDATA[x]]>", "<!--", "<?pi?>",
            "text", "é", "😀", "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>",
        ][..]), 0..60).prop_map(|p| p.concat()),
        raw in any::<String>(),
        use_raw in any::<bool>(),
    ) {
        let xml = if use_raw { raw.into_bytes() } else { document_xml(&body) };
        let bytes = zip_with(&[("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", &xml)], true);
        import(&bytes, "random.docx")?;
    }

    #[test]
    fn random_html_never_panics(bytes in html()) {
        import(&bytes, "page.html")?;
    }

    #[test]
    fn random_markdown_never_panics(bytes in markdown()) {
        import(&bytes, "notes.md")?;
    }

    #[test]
    fn text_in_any_encoding_never_panics(bytes in text()) {
        import(&bytes, "notes.txt")?;
    }
}

proptest! {
    // Each case that still decodes runs Tesseract (about a quarter of a second), so fewer cases.
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn a_damaged_image_never_panics(bytes in mutated(valid_png())) {
        import(&bytes, "scan.png")?;
    }
}

#[test]
fn the_valid_files_behind_the_mutations_import() {
    // The mutations only mean something if the file they start from is read.
    for (bytes, name) in [
        (valid_pdf(), "report.pdf"),
        (valid_docx(false), "options.docx"),
        (valid_docx(true), "stored.docx"),
    ] {
        let doc = extract(&bytes, &Hint::named(name), &Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(doc.text.contains("teel"), "{name}: {}", doc.text);
    }
}
