use super::read;

const STORY: &str = include_str!("fixtures/wire-story.html");
const EXPECTED: &str = include_str!("fixtures/wire-story.expected.txt");

#[test]
fn an_article_is_extracted_without_the_boilerplate_around_it() {
    let doc = read(STORY.as_bytes(), "story.html");
    assert_eq!(
        doc.text,
        EXPECTED.trim_end(),
        "the article's paragraphs and headings, nothing else"
    );
    for boilerplate in [
        "cookie",
        "ADVERTISEMENT",
        "Related stories",
        "Sponsored",
        "Share on social",
        "All rights reserved",
        "dataLayer",
        "Subscribe",
    ] {
        assert!(
            !doc.text.contains(boilerplate),
            "{boilerplate} must be dropped"
        );
    }
}

#[test]
fn metadata_comes_from_meta_tags_opengraph_and_json_ld() {
    let doc = read(STORY.as_bytes(), "story.html");
    assert_eq!(
        doc.title.as_deref(),
        Some("Sector deals to be negotiated one by one, officials say")
    );
    assert_eq!(doc.authors, ["Jeanne Roy", "Paul Tremblay"]);
    assert_eq!(doc.published.as_deref(), Some("2025-03-14"));
    assert_eq!(doc.outlet.as_deref(), Some("Maple Wire"));
    assert_eq!(
        doc.lang.as_deref(),
        Some("en"),
        "from <html lang=\"en-CA\">"
    );
    assert_eq!(
        doc.url.as_deref(),
        Some("https://maplewire.example/2025/03/14/sector-deals")
    );
    assert_eq!(doc.format, dossier_ingest::Format::Html);
    assert_eq!(doc.pages, None);
}

#[test]
fn a_french_page_without_metadata_gets_its_language_detected() {
    let html = "<html><head><title>Bois d’œuvre</title></head><body><article>\
        <h1>Bois d’œuvre : les pourparlers reprennent</h1>\
        <p>Les négociateurs canadiens et américains ont repris mardi les pourparlers sur le bois d’œuvre résineux, après une pause de plusieurs semaines.</p>\
        <p>Selon un haut fonctionnaire, les deux délégations souhaitent conclure une entente sectorielle avant l’examen conjoint de l’accord commercial prévu l’an prochain.</p>\
        <p>Les producteurs québécois suivent le dossier de près, car les droits compensateurs pèsent lourdement sur leurs exportations depuis le printemps.</p>\
        </article></body></html>";
    let doc = read(html.as_bytes(), "page.html");
    assert_eq!(doc.lang.as_deref(), Some("fr"));
    assert!(doc.text.contains("bois d’œuvre résineux"), "{}", doc.text);
    assert!(doc.authors.is_empty());
}

#[test]
fn a_page_in_windows_1252_declared_by_meta_charset_keeps_its_accents() {
    let mut html =
        b"<html><head><meta charset=\"windows-1252\"><title>Acier</title></head><body><article><p>"
            .to_vec();
    let para = "Le ministre a d\u{e9}clar\u{e9} que les droits sur l\u{2019}acier seraient r\u{e9}duits d\u{e8}s l\u{2019}\u{e9}t\u{e9} prochain, selon un communiqu\u{e9} publi\u{e9} mardi. ";
    let repeated = para.repeat(4);
    let (encoded, _, _) = encoding_rs::WINDOWS_1252.encode(&repeated);
    html.extend_from_slice(&encoded);
    html.extend_from_slice(b"</p></article></body></html>");
    let doc = read(&html, "page.html");
    assert!(
        doc.text.contains("déclaré que les droits sur l’acier"),
        "{}",
        doc.text
    );
}

#[test]
fn a_page_that_would_drive_the_terminal_loses_its_control_characters() {
    let page = "<html><head><title>Tarifs\u{1b}]0;owned\u{7}</title></head><body><article>\
        <h1>Quotas on steel</h1>\
        <p>Ottawa answered the tariff \u{1b}[2Jwith a quota on imports of steel and aluminum, \
        effective at once, and a review of the measure within ninety days.\u{9b}31m</p>\
        <p>Les producteurs\u{8} ont salué la mesure, qui reste temporaire.</p></article></body></html>";
    let doc = read(page.as_bytes(), "page.html");
    let controls: Vec<char> = doc
        .text
        .chars()
        .chain(doc.title.as_deref().unwrap_or("").chars())
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(controls.is_empty(), "{controls:?} in {:?}", doc.text);
    assert!(
        doc.text.contains("tariff [2Jwith"),
        "the visible text stays: {}",
        doc.text
    );
    assert!(doc.text.contains("Les producteurs ont"), "{}", doc.text);
}

#[test]
fn plain_text_loses_its_control_characters_too() {
    let doc = read(
        "Note on the softwood duties\n\n\u{1b}]0;title\u{7}The duties rose\tagain today.\r\n"
            .as_bytes(),
        "note.txt",
    );
    assert!(
        !doc.text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{:?}",
        doc.text
    );
    assert!(
        doc.text.contains("]0;titleThe duties rose\tagain"),
        "{:?}",
        doc.text
    );
}
