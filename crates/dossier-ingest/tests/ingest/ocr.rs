//! OCR of scans the tests make: the team's own sample articles are laid out as a PDF, rendered
//! to pixels by poppler (at 150 and 300 dpi, one turned by 2°), and wrapped in an image-only
//! PDF, as a scanner would give them; then read back through `extract` with the real Tesseract.
//! Word accuracy is the share of the article's words found in order (a word-level LCS).

use std::io::Write as _;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use dossier_ingest::{
    Document, Format, Hint, IngestError, Limits, OcrOptions, OcrProgress, extract, extract_with,
};
use lopdf::content::{Content, Operation};
use lopdf::{Document as Pdf, Object, Stream, dictionary};

use super::pdf::pdf;

const ENGLISH: &[&str] = &[
    "Ottawa weighs its response to the new steel duties",
    "",
    "Officials in the trade policy branch met on Tuesday to review the",
    "options left to Canada after the latest round of duties on steel and",
    "aluminum. The deputy minister asked for a short note on each option,",
    "with the cost to producers in Ontario and Quebec, the likely reaction",
    "of the United States, and the effect on the coming review of the",
    "agreement. Analysts expect the first draft by the end of the month.",
    "",
    "Forestry groups asked that softwood lumber be kept out of any package",
    "of countermeasures, since the sector is already paying deposits on",
    "its exports. The automotive council warned that parts cross the",
    "border several times before a vehicle is finished, so a tariff on",
    "parts would be paid more than once by the same plant.",
];

const FRENCH: &[&str] = &[
    "Québec réclame une stratégie commune sur l'aluminium",
    "",
    "Le ministère a présenté mardi une analyse des mesures envisagées par",
    "Ottawa après la hausse des droits de douane sur l'acier. Selon les",
    "fonctionnaires, les alumineries québécoises ont déjà réduit leurs",
    "expéditions vers les États-Unis, et plusieurs contrats ont été reportés",
    "à l'automne. Le gouvernement souhaite une réponse coordonnée avec",
    "l'Ontario avant la révision de l'accord prévue l'été prochain.",
    "",
    "Les représentants de l'industrie forestière ont rappelé que les",
    "scieries paient toujours des dépôts élevés sur le bois d'œuvre exporté.",
    "Ils demandent que le secteur soit épargné par toute riposte commerciale",
    "et que les négociations reprennent dès que possible à Washington.",
];

/// A gray image: width, height, one byte per pixel (0 black, 255 white).
struct Gray {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// The article laid out as a born-digital PDF, rendered by pdftoppm at `dpi`.
fn render(lines: &[&str], dpi: u32) -> Gray {
    let dir = tempfile::tempdir().unwrap();
    let born_digital = dir.path().join("article.pdf");
    std::fs::write(&born_digital, pdf(&[lines], None, None)).unwrap();
    let out = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-singlefile"])
        .arg(&born_digital)
        .arg(&out)
        .status()
        .expect("pdftoppm runs (make setup installs poppler-utils)");
    assert!(status.success());
    let pgm = std::fs::read(out.with_extension("pgm")).unwrap();
    parse_pgm(&pgm)
}

fn parse_pgm(bytes: &[u8]) -> Gray {
    // "P5\n<w> <h>\n255\n" then the pixels.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let width: usize = fields[1].parse().unwrap();
    let height: usize = fields[2].parse().unwrap();
    let pixels = bytes[i + 1..].to_vec();
    assert_eq!(pixels.len(), width * height);
    Gray {
        width,
        height,
        pixels,
    }
}

/// The image turned by `degrees` about its centre (bilinear, white where nothing was).
fn rotate(image: &Gray, degrees: f64) -> Gray {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (image.width as f64 / 2.0, image.height as f64 / 2.0);
    let at = |x: i64, y: i64| -> f64 {
        if x < 0 || y < 0 || x as usize >= image.width || y as usize >= image.height {
            255.0
        } else {
            f64::from(image.pixels[y as usize * image.width + x as usize])
        }
    };
    let mut pixels = vec![255u8; image.pixels.len()];
    for y in 0..image.height {
        for x in 0..image.width {
            let (dx, dy) = (x as f64 - cx, y as f64 - cy);
            let sx = cos * dx + sin * dy + cx;
            let sy = -sin * dx + cos * dy + cy;
            let (x0, y0) = (sx.floor() as i64, sy.floor() as i64);
            let (fx, fy) = (sx - x0 as f64, sy - y0 as f64);
            let v = at(x0, y0) * (1.0 - fx) * (1.0 - fy)
                + at(x0 + 1, y0) * fx * (1.0 - fy)
                + at(x0, y0 + 1) * (1.0 - fx) * fy
                + at(x0 + 1, y0 + 1) * fx * fy;
            pixels[y * image.width + x] = v.round() as u8;
        }
    }
    Gray {
        width: image.width,
        height: image.height,
        pixels,
    }
}

/// An image-only PDF page of `image`, as a scanner makes at `dpi`.
fn scan_page(doc: &mut Pdf, pages_id: lopdf::ObjectId, image: &Gray, dpi: u32) -> Object {
    let mut deflate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    deflate.write_all(&image.pixels).unwrap();
    let data = deflate.finish().unwrap();
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image",
            "Width" => image.width as i64, "Height" => image.height as i64,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            "Filter" => "FlateDecode",
        },
        data,
    ));
    let (w, h) = (
        image.width as f32 * 72.0 / dpi as f32,
        image.height as f32 * 72.0 / dpi as f32,
    );
    let content = Content {
        operations: vec![
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![w.into(), 0.into(), 0.into(), h.into(), 0.into(), 0.into()],
            ),
            Operation::new("Do", vec!["Im1".into()]),
            Operation::new("Q", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let resources = dictionary! { "XObject" => dictionary! { "Im1" => image_id } };
    doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), w.into(), h.into()],
    })
    .into()
}

/// A PDF of pages, each either born-digital text (`Ok`) or a scan (`Err(image)`).
fn mixed_pdf(pages: &[Result<&[&str], &Gray>], dpi: u32) -> Vec<u8> {
    let mut doc = Pdf::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut kids = Vec::new();
    for page in pages {
        match page {
            Err(image) => kids.push(scan_page(&mut doc, pages_id, image, dpi)),
            Ok(lines) => {
                let mut ops = vec![
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 11.into()]),
                    Operation::new("TL", vec![16.into()]),
                    Operation::new("Td", vec![72.into(), 760.into()]),
                ];
                for line in *lines {
                    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(line);
                    ops.push(Operation::new(
                        "Tj",
                        vec![Object::String(
                            bytes.into_owned(),
                            lopdf::StringFormat::Literal,
                        )],
                    ));
                    ops.push(Operation::new("T*", vec![]));
                }
                ops.push(Operation::new("ET", vec![]));
                let content = Content { operations: ops };
                let content_id =
                    doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
                let id = doc.add_object(dictionary! {
                    "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
                    "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
                    "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                });
                kids.push(id.into());
            }
        }
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn scan(lines: &[&str], dpi: u32, skew: f64) -> Vec<u8> {
    let mut image = render(lines, dpi);
    if skew != 0.0 {
        image = rotate(&image, skew);
    }
    mixed_pdf(&[Err(&image)], dpi)
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .replace('’', "'")
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The share of `truth`'s words that `read` has, in order.
fn word_accuracy(truth: &[&str], read: &str) -> f64 {
    let truth = words(&truth.join("\n"));
    let read = words(read);
    let mut row = vec![0usize; read.len() + 1];
    for t in &truth {
        let mut diagonal = 0;
        for (j, r) in read.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if t == r {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[read.len()] as f64 / truth.len() as f64
}

fn ocr(bytes: &[u8], name: &str) -> Document {
    extract(bytes, &Hint::named(name), &Limits::default())
        .unwrap_or_else(|e| panic!("{name} should be read by OCR: {e}"))
}

fn assert_accuracy(lines: &[&str], dpi: u32, skew: f64, at_least: f64) -> Document {
    let doc = ocr(&scan(lines, dpi, skew), "scan.pdf");
    let accuracy = word_accuracy(lines, &doc.text);
    eprintln!("{dpi} dpi, {skew}° skew: word accuracy {accuracy:.4}");
    assert!(
        accuracy >= at_least,
        "{dpi} dpi, {skew}°: word accuracy {accuracy:.3} is under {at_least}; read:\n{}",
        doc.text
    );
    assert_eq!(doc.format, Format::Pdf);
    let info = doc.ocr.clone().expect("the page came from OCR");
    assert_eq!(info.pages, [1]);
    assert!(
        (0.5..=1.0).contains(&info.confidence),
        "confidence {}",
        info.confidence
    );
    doc
}

#[test]
fn an_english_scan_at_300_dpi_reads_at_least_97_percent_of_its_words() {
    let doc = assert_accuracy(ENGLISH, 300, 0.0, 0.97);
    assert_eq!(doc.lang.as_deref(), Some("en"));
}

#[test]
fn a_french_scan_at_300_dpi_reads_its_words_and_accents() {
    let doc = assert_accuracy(FRENCH, 300, 0.0, 0.97);
    assert_eq!(doc.lang.as_deref(), Some("fr"));
    for word in ["réclame", "québécoises", "États-Unis", "été", "à", "dépôts"] {
        assert!(doc.text.contains(word), "{word} in:\n{}", doc.text);
    }
}

#[test]
fn scans_at_150_dpi_read_at_least_90_percent_in_both_languages() {
    assert_accuracy(ENGLISH, 150, 0.0, 0.90);
    assert_accuracy(FRENCH, 150, 0.0, 0.90);
}

#[test]
fn a_page_scanned_two_degrees_askew_still_reads_at_97_percent() {
    assert_accuracy(ENGLISH, 300, 2.0, 0.97);
}

#[test]
fn a_pdf_mixing_text_and_scanned_pages_gets_both_with_its_page_map() {
    let image = render(FRENCH, 300);
    let bytes = mixed_pdf(
        &[Ok(ENGLISH), Err(&image), Ok(&["The end of the file."])],
        300,
    );
    let doc = ocr(&bytes, "mixed.pdf");
    let info = doc.ocr.clone().expect("page 2 came from OCR");
    assert_eq!(info.pages, [2], "only the scanned page is OCR");
    let pages = doc.pages.clone().unwrap();
    assert_eq!(pages.len(), 3);
    let chars: Vec<char> = doc.text.chars().collect();
    let page_text = |n: usize| -> String {
        let end = pages.get(n + 1).copied().unwrap_or(chars.len());
        chars[pages[n]..end].iter().collect()
    };
    assert!(page_text(0).starts_with(ENGLISH[0]), "{}", page_text(0));
    assert!(
        page_text(1).trim_start().starts_with("Québec réclame"),
        "{}",
        page_text(1)
    );
    assert!(word_accuracy(FRENCH, &page_text(1)) >= 0.97);
    assert_eq!(page_text(2).trim(), "The end of the file.");
}

#[test]
fn an_image_file_is_read_by_ocr() {
    let dir = tempfile::tempdir().unwrap();
    let born_digital = dir.path().join("a.pdf");
    std::fs::write(&born_digital, pdf(&[ENGLISH], None, None)).unwrap();
    let out = dir.path().join("page");
    let ok = Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-png", "-singlefile"])
        .arg(&born_digital)
        .arg(&out)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let png = std::fs::read(out.with_extension("png")).unwrap();
    // Named .txt: the format comes from the content.
    let doc = ocr(&png, "letter.txt");
    assert_eq!(doc.format, Format::Image);
    assert_eq!(doc.ocr.as_ref().map(|o| o.pages.clone()), Some(vec![1]));
    assert!(word_accuracy(ENGLISH, &doc.text) >= 0.97, "{}", doc.text);
}

#[test]
fn progress_is_reported_per_page_and_a_cancelled_scan_stops() {
    let image = render(ENGLISH, 150);
    let bytes = mixed_pdf(&[Err(&image), Err(&image), Err(&image)], 150);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let cancel = Arc::new(AtomicBool::new(false));
    let (seen_in, cancel_in) = (seen.clone(), cancel.clone());
    let options = OcrOptions {
        lang: Some("eng".into()),
        cancel: Some(cancel.clone()),
        progress: Some(Arc::new(move |p: OcrProgress| {
            seen_in.lock().unwrap().push((p.done, p.total));
            // Cancel once the first page is read.
            if p.done == 1 {
                cancel_in.store(true, Ordering::SeqCst);
            }
        })),
    };
    let err = extract_with(
        &bytes,
        &Hint::named("scan.pdf"),
        &Limits::default(),
        &options,
    )
    .unwrap_err();
    assert!(matches!(err, IngestError::Cancelled), "{err}");
    assert_eq!(err.code(), "cancelled");
    assert_eq!(*seen.lock().unwrap(), [(0, 3), (1, 3)]);

    // Uncancelled, every page is reported.
    cancel.store(false, Ordering::SeqCst);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen_in = seen.clone();
    let options = OcrOptions {
        lang: Some("eng".into()),
        cancel: None,
        progress: Some(Arc::new(move |p: OcrProgress| {
            seen_in.lock().unwrap().push(p.done)
        })),
    };
    let doc = extract_with(
        &bytes,
        &Hint::named("scan.pdf"),
        &Limits::default(),
        &options,
    )
    .unwrap();
    assert_eq!(*seen.lock().unwrap(), [0, 1, 2, 3]);
    assert_eq!(doc.ocr.unwrap().pages, [1, 2, 3]);
    assert_eq!(doc.pages.unwrap().len(), 3);
}

#[test]
fn a_password_protected_pdf_is_refused_as_protected_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.pdf");
    let locked = dir.path().join("locked.pdf");
    std::fs::write(&plain, pdf(&[ENGLISH], None, None)).unwrap();
    let ok = Command::new("qpdf")
        .args(["--encrypt", "secret", "owner-secret", "256", "--"])
        .arg(&plain)
        .arg(&locked)
        .status()
        .expect("qpdf runs (make setup-test installs it)")
        .success();
    assert!(ok);
    let err = extract(
        &std::fs::read(&locked).unwrap(),
        &Hint::named("locked.pdf"),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("protected with a password"),
        "{err}"
    );
    assert!(!err.to_string().contains("damaged"), "{err}");
    assert_eq!(err.code(), "protected");
}

#[test]
fn bad_scans_get_clear_errors() {
    let limits = Limits::default();
    let fail = |bytes: &[u8], name: &str| extract(bytes, &Hint::named(name), &limits).unwrap_err();

    // A PNG cut short.
    let dir = tempfile::tempdir().unwrap();
    let born_digital = dir.path().join("a.pdf");
    std::fs::write(&born_digital, pdf(&[ENGLISH], None, None)).unwrap();
    let out = dir.path().join("page");
    assert!(
        Command::new("pdftoppm")
            .args(["-r", "72", "-png", "-singlefile"])
            .arg(&born_digital)
            .arg(&out)
            .status()
            .unwrap()
            .success()
    );
    let png = std::fs::read(out.with_extension("png")).unwrap();
    let err = fail(&png[..60], "cut.png");
    assert_eq!(err.code(), "broken_file", "{err}");
    assert!(err.to_string().contains("cut.png"), "{err}");

    // A PNG header claiming 100 000 × 100 000 pixels is refused before Tesseract sees it.
    let mut bomb = png[..16].to_vec();
    bomb.extend(100_000u32.to_be_bytes());
    bomb.extend(100_000u32.to_be_bytes());
    bomb.extend(&png[24..]);
    let err = fail(&bomb, "bomb.png");
    assert!(err.to_string().contains("megapixels"), "{err}");

    // A white image has no text, and says so.
    let white = Gray {
        width: 800,
        height: 600,
        pixels: vec![255; 800 * 600],
    };
    let err = fail(&mixed_pdf(&[Err(&white)], 150), "white.pdf");
    assert_eq!(err.code(), "no_text", "{err}");

    // An unknown OCR language is refused in words.
    let options = OcrOptions {
        lang: Some("klingon".into()),
        ..OcrOptions::default()
    };
    let err = dossier_ingest::ocr::check_lang(options.lang()).unwrap_err();
    assert!(err.to_string().contains("not installed"), "{err}");
    assert!(dossier_ingest::ocr::check_lang("eng+fra").is_ok());
}

#[test]
fn a_scan_longer_than_the_ocr_limit_is_refused_before_any_page_is_read() {
    let white = Gray {
        width: 8,
        height: 8,
        pixels: vec![255; 64],
    };
    let pages: Vec<Result<&[&str], &Gray>> = (0..500).map(|_| Err(&white)).collect();
    let err = extract(
        &mixed_pdf(&pages, 72),
        &Hint::named("archive.pdf"),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("500 scanned pages"), "{err}");
    assert!(err.to_string().contains("split it"), "{err}");
}
