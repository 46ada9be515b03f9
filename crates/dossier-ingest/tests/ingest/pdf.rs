use lopdf::content::{Content, Operation};
use lopdf::{Document as Pdf, Object, Stream, StringFormat, dictionary};

use super::read;

/// A PDF with one page per entry, each page a few lines of Helvetica (WinAnsi, so accents work),
/// and a document information dictionary.
pub fn pdf(pages: &[&[&str]], title: Option<&str>, author: Option<&str>) -> Vec<u8> {
    let mut doc = Pdf::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for lines in pages {
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
                vec![Object::String(bytes.into_owned(), StringFormat::Literal)],
            ));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut info = lopdf::Dictionary::new();
    if let Some(t) = title {
        info.set("Title", Object::string_literal(t));
    }
    if let Some(a) = author {
        info.set("Author", Object::string_literal(a));
    }
    let info_id = doc.add_object(info);
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

const PAGE_1: &[&str] = &[
    "Report on the softwood lumber dispute",
    "Prepared for the Deputy Minister.",
];
const PAGE_2: &[&str] = &[
    "Duties on lumber exports rose in the spring.",
    "Producers in British Columbia were most affected.",
];
const PAGE_3: &[&str] = &[
    "Les droits compensateurs pèsent sur les scieries québécoises.",
    "Next steps: a joint review.",
];

#[test]
fn every_page_is_read_in_order_and_the_page_map_points_at_each() {
    let doc = read(
        &pdf(
            &[PAGE_1, PAGE_2, PAGE_3],
            Some("Lumber report"),
            Some("Policy Branch"),
        ),
        "report.pdf",
    );
    assert_eq!(doc.format, dossier_ingest::Format::Pdf);
    let pages = doc.pages.clone().expect("a PDF has a page map");
    assert_eq!(pages.len(), 3);
    let chars: Vec<char> = doc.text.chars().collect();
    for (n, (start, page)) in pages.iter().zip([PAGE_1, PAGE_2, PAGE_3]).enumerate() {
        let from_here: String = chars[*start..]
            .iter()
            .take(page[0].chars().count())
            .collect();
        assert_eq!(from_here, page[0], "page {} starts at its offset", n + 1);
    }
    assert!(
        doc.text.contains("pèsent sur les scieries québécoises"),
        "accents kept: {}",
        doc.text
    );
    assert_eq!(doc.title.as_deref(), Some("Lumber report"));
    assert_eq!(doc.authors, ["Policy Branch"]);
}

#[test]
fn an_excerpt_on_page_two_is_cited_as_page_two() {
    let doc = read(&pdf(&[PAGE_1, PAGE_2, PAGE_3], None, None), "report.pdf");
    let pages = doc.pages.clone().unwrap();
    let at = doc.text.find("Producers in British Columbia").unwrap();
    let offset = doc.text[..at].chars().count();
    let page = pages
        .iter()
        .rposition(|&start| start <= offset)
        .map(|i| i + 1);
    assert_eq!(page, Some(2), "page starts: {pages:?}");
}

#[test]
fn a_pdf_without_text_says_so() {
    let err = dossier_ingest::extract(
        &pdf(&[&[], &[]], None, None),
        &dossier_ingest::Hint::named("scan.pdf"),
        &Default::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("OCR"), "{err}");
}
