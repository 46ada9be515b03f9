//! French notes: every fixed word in French, Canadian French spacing (U+00A0 before ":" and
//! inside « »), the French title first, and fr-CA in each format's metadata — read back by the
//! same readers as the English note. The expected strings were checked by eye against the
//! Translation Bureau's usage, not copied from the output.

use std::collections::BTreeSet;
use std::io::Read;

use dossier_core::Lang;
use dossier_core::briefing::{BriefingDocument, Purpose, SectionKind};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{fixture, flat, pdf_pages};

const NBSP: char = '\u{a0}';

const FRENCH_HEADINGS: [&str; 8] = [
    "Résumé",
    "Enjeu",
    "Contexte",
    "Situation actuelle",
    "Considérations",
    "Options",
    "Recommandation",
    "Prochaines étapes",
];

fn part(doc: &BriefingDocument, name: &str) -> String {
    dossier_export::docx_parts(doc)
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("the package has {name}"))
        .1
}

/// The text of a WordprocessingML part, runs joined, paragraphs on lines of their own.
fn docx_text(xml: &str) -> String {
    let mut out = String::new();
    for para in xml.split("</w:p>") {
        for piece in para.split("<w:t").skip(1) {
            let body = &piece[piece.find('>').unwrap() + 1..];
            out.push_str(&body[..body.find("</w:t>").unwrap_or(body.len())]);
        }
        out.push('\n');
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

/// What is between `<tag>` and `</tag>`, the first time.
fn between<'a>(xml: &'a str, open: &str, close: &str) -> &'a str {
    let start = xml.find(open).unwrap_or_else(|| panic!("{open} in {xml}")) + open.len();
    &xml[start..start + xml[start..].find(close).unwrap()]
}

/// Every fixed word a French decision note prints, as a reader expects it (NBSPs included).
fn french_words() -> Vec<String> {
    [
        "NOTE À L’INTENTION DE LA MINISTRE DU COMMERCE INTERNATIONAL",
        "Numéro de dossier\u{a0}: NB-2026-0211",
        "Date\u{a0}: 1er décembre 2026",
        "POUR DÉCISION",
        "Décision requise d’ici le 2 décembre 2026",
        "Préparé par\u{a0}: Élise Côté",
        "Approuvé par\u{a0}: Marc Tremblay",
        "DÉCISION DE LA MINISTRE",
        "☐ Approuvé",
        "☐ Non approuvé",
        "☐ Approuvé avec modifications",
        "Signature\u{a0}: ",
        "Sources",
        // A citation: "et", the title in « » with NBSPs (and the NBSP the analyst's colon got),
        // the French date, "p. 3".
        "Claire Bouchard et Luc Martel, «\u{a0}Acier\u{a0}: Ottawa et Washington reprennent les pourparlers\u{a0}», Le Fil économique, 24 novembre 2026, p.\u{a0}3, ",
        "Sam Park, «\u{a0}Aluminum quotas after the joint review\u{a0}», Trade Policy Quarterly, 1er octobre 2026",
        // The analyst's text, respaced.
        "reprennent secteur par secteur\u{a0}: l’acier d’abord.",
        "demandent «\u{a0}une exemption complète\u{a0}» des droits.",
        "pour l’aluminium\u{a0}?",
        "approche séquentielle\u{a0}!",
        "Option 1\u{a0}: accepter",
    ]
    .into_iter()
    .map(str::to_string)
    .chain(FRENCH_HEADINGS.iter().map(|h| h.to_string()))
    .collect()
}

/// What must come out exactly as typed: a URL (with its "?") and its "; " after a space that
/// did become non-breaking, code, and a quote in English.
const UNTOUCHED: [&str; 4] = [
    "https://exemple.ca/examen?annee=2026\u{a0}; le tableau",
    "ACR-7 : v2",
    "Officials said: quotas would be reviewed every quarter.",
    "Canada–US steel and aluminum talks: next round",
];

const FRENCH_TITLE: &str =
    "Négociations Canada–États-Unis sur l’acier et l’aluminium\u{a0}: prochaine ronde";

#[test]
fn the_word_file_speaks_french() {
    let doc = fixture::french_note();
    let body = docx_text(&part(&doc, "word/document.xml"));
    let notes = docx_text(&part(&doc, "word/footnotes.xml"));
    let all = format!("{body}\n{notes}");
    for want in french_words().iter().map(String::as_str).chain(UNTOUCHED) {
        assert!(all.contains(want), "the DOCX says {want:?}:\n{all}");
    }
    for english in [
        "MEMORANDUM",
        "File:",
        "Prepared by",
        "FOR DECISION",
        "December",
        "Summary",
    ] {
        assert!(!all.contains(english), "no {english:?} in a French note");
    }
    // The French title first, then the English one.
    let fr = body.find(FRENCH_TITLE).expect("the French title");
    let en = body.find("Canada–US steel and aluminum talks").unwrap();
    assert!(fr < en, "the note's language's title comes first");
    // No plain space left before a colon outside the code.
    let text_only = all.replace("ACR-7 : v2", "");
    assert!(!text_only.contains(" :"), "{text_only}");
    assert!(!text_only.contains("« ") && !text_only.contains(" »"));

    assert_eq!(
        docx_text(&part(&doc, "word/header1.xml")).trim(),
        "NON CLASSIFIÉ / UNCLASSIFIED"
    );
    let footer = part(&doc, "word/footer1.xml");
    assert_eq!(
        docx_text(&footer).trim(),
        "Page 1 de 1",
        "the footer's fields read Page n de N"
    );
    assert!(footer.find(" PAGE ").unwrap() < footer.find(" NUMPAGES ").unwrap());
}

#[test]
fn the_word_file_is_marked_fr_ca() {
    let doc = fixture::french_note();
    let styles = part(&doc, "word/styles.xml");
    let defaults = between(&styles, "<w:rPrDefault>", "</w:rPrDefault>");
    assert!(
        defaults.contains("<w:lang w:val=\"fr-CA\""),
        "every run is French unless it says otherwise: {defaults}"
    );
    let subtitle = between(&styles, "w:styleId=\"Subtitle\"", "</w:style>");
    assert!(
        subtitle.contains("<w:lang w:val=\"en-CA\"/>"),
        "the second title is English: {subtitle}"
    );
    assert!(part(&doc, "docProps/core.xml").contains("<dc:language>fr-CA</dc:language>"));
    assert!(part(&doc, "word/settings.xml").contains("<w:themeFontLang w:val=\"fr-CA\"/>"));

    // The English note as before.
    let en = fixture::decision_note();
    let styles = part(&en, "word/styles.xml");
    assert!(between(&styles, "<w:rPrDefault>", "</w:rPrDefault>").contains("w:val=\"en-CA\""));
    assert!(
        between(&styles, "w:styleId=\"Subtitle\"", "</w:style>")
            .contains("<w:lang w:val=\"fr-CA\"/>")
    );
    assert!(part(&en, "docProps/core.xml").contains("<dc:language>en-CA</dc:language>"));
}

#[test]
fn a_french_note_without_a_french_title_has_one_title() {
    let mut doc = fixture::french_note();
    doc.title = "Pourparlers sur l’acier".into();
    doc.title_fr = None;
    let body = docx_text(&part(&doc, "word/document.xml"));
    assert!(body.contains("Pourparlers sur l’acier"));
    assert!(
        !part(&doc, "word/document.xml").contains("Subtitle"),
        "no second title"
    );
    let md = dossier_export::markdown(&doc);
    assert!(
        md.contains("# Pourparlers sur l’acier\n\n**POUR DÉCISION**"),
        "{md}"
    );
}

#[test]
fn an_english_note_keeps_english_first_and_its_spacing() {
    let md = dossier_export::markdown(&fixture::decision_note());
    let en = md.find("# Canada–US steel and aluminum talks").unwrap();
    let fr = md.find("*Négociations Canada–États-Unis").unwrap();
    assert!(en < fr);
    assert!(!md.contains(NBSP), "English notes are not respaced");
    assert!(
        md.contains("**UNCLASSIFIED / NON CLASSIFIÉ**")
            || md.contains("**PROTECTED A / PROTÉGÉ A**")
    );
}

#[test]
fn an_information_note_gives_its_deadline_as_a_date() {
    let mut doc = fixture::french_note();
    doc.purpose = Purpose::Information;
    doc.decision = None;
    let md = dossier_export::markdown(&doc);
    assert!(
        md.contains("**POUR INFORMATION** — Échéance\u{a0}: 2 décembre 2026"),
        "{md}"
    );
    doc.purpose = Purpose::Signature;
    assert!(dossier_export::markdown(&doc).contains("Signature requise d’ici le 2 décembre 2026"));
}

fn write_pdf(doc: &BriefingDocument) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.pdf");
    let bytes = dossier_export::pdf(doc).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    (dir, path, bytes)
}

/// The `/Lang` of the PDF's catalog (the document's language).
fn catalog_lang(pdf: &[u8]) -> String {
    let text = String::from_utf8_lossy(pdf);
    let at = text.find("/Type/Catalog").expect("a catalog");
    let obj = &text[at..at + text[at..].find("endobj").unwrap()];
    let lang = obj
        .find("/Lang(")
        .unwrap_or_else(|| panic!("no /Lang in {obj}"))
        + 6;
    obj[lang..lang + obj[lang..].find(')').unwrap()].to_string()
}

#[test]
fn the_pdf_speaks_french() {
    let doc = fixture::french_note();
    let (_dir, path, bytes) = write_pdf(&doc);
    let pages = pdf_pages(&path);
    let all = flat(&pages.join("\n"));
    // pdftotext gives a non-breaking space back as a plain one; `flat` makes it one anyway.
    for want in french_words().iter().map(String::as_str).chain(UNTOUCHED) {
        let want = flat(want);
        assert!(all.contains(&want), "the PDF says {want:?}:\n{all}");
    }
    assert!(all.contains("POUR DÉCISION — Décision requise d’ici le 2 décembre 2026"));
    assert!(all.find(&flat(FRENCH_TITLE)).unwrap() < all.find("Canada–US steel").unwrap());
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("NON CLASSIFIÉ / UNCLASSIFIED"),
            "page {}",
            n + 1
        );
        assert!(
            flat(page).contains(&format!("Page {} de {}", n + 1, pages.len())),
            "page {} is numbered in French:\n{page}",
            n + 1
        );
    }
    assert_eq!(catalog_lang(&bytes), "fr-CA");
    let info = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    assert!(
        info.contains(&format!(
            "Title:           {}",
            FRENCH_TITLE.replace(NBSP, " ")
        )) || info.contains(&format!("Title:           {FRENCH_TITLE}")),
        "the document's title is the French one: {info}"
    );
    let source = dossier_export::typst_source(&doc);
    assert!(
        source.contains("lang: \"fr\", region: \"ca\""),
        "Typst sets French"
    );
    assert!(
        source.contains(&format!("#\"{NBSP}: l’acier d’abord.\"")),
        "the NBSP reaches Typst"
    );

    let (_dir, _path, english) = write_pdf(&fixture::decision_note());
    assert_eq!(catalog_lang(&english), "en-CA");
}

/// Whether some font's ToUnicode map gives a glyph as U+00A0: the PDF's text layer holds a
/// non-breaking space (pdftotext reads it back as a plain one, so it cannot tell).
fn maps_a_glyph_to_nbsp(pdf: &[u8]) -> bool {
    let mut found = false;
    let mut rest = pdf;
    while let Some(at) = find(rest, b"stream\n") {
        let body = &rest[at + 7..];
        let end = find(body, b"endstream").unwrap_or(body.len());
        let mut text = Vec::new();
        let inflated = flate2::read::ZlibDecoder::new(&body[..end]).read_to_end(&mut text);
        if inflated.is_ok() {
            let text = String::from_utf8_lossy(&text).to_uppercase();
            found |= (text.contains("BEGINBFCHAR") || text.contains("BEGINBFRANGE"))
                && text.contains("<00A0>");
        }
        // Past "endstream", whose own "stream" would otherwise match next.
        rest = &body[(end + 9).min(body.len())..];
    }
    found
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn a_long_french_note_is_numbered_in_french_and_keeps_its_non_breaking_spaces() {
    let (_dir, path, bytes) = write_pdf(&fixture::long_french_note(30));
    let pages = pdf_pages(&path);
    assert!(
        pages.len() >= 3,
        "30 passages run over pages: {}",
        pages.len()
    );
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains("NON CLASSIFIÉ / UNCLASSIFIED"));
        assert!(flat(page).contains(&format!("Page {} de {}", n + 1, pages.len())));
        // UAX #14 already keeps these marks with their word, in Typst as in LibreOffice;
        // checked all the same, since a French reader would notice at once.
        for line in page.lines().map(str::trim) {
            assert!(
                !line.starts_with([':', ';', '!', '?', '»']) && !line.ends_with('«'),
                "a French mark is kept with its word on page {}: {line:?}",
                n + 1
            );
        }
    }
    assert!(
        maps_a_glyph_to_nbsp(&bytes),
        "the French spaces reach the PDF"
    );
    let (_dir, _path, english) = write_pdf(&fixture::decision_note());
    assert!(
        !maps_a_glyph_to_nbsp(&english),
        "and the English note has none"
    );
}

#[test]
fn the_html_file_speaks_french() {
    let doc = fixture::french_note();
    let html = dossier_export::html(&doc);
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"fr-CA\">"),
        "{}",
        &html[..60]
    );
    assert!(html.contains(
        "<p class=\"title-en\" lang=\"en-CA\">Canada–US steel and aluminum talks: next round</p>"
    ));
    assert!(html.contains(&format!("<h1 class=\"subject\">{FRENCH_TITLE}</h1>")));
    for h in FRENCH_HEADINGS {
        assert!(html.contains(&format!("<h2>{h}</h2>")), "{h}");
    }
    let plain = html.replace("<strong>", "").replace("</strong>", "");
    for want in french_words() {
        assert!(plain.contains(&want), "the HTML says {want:?}");
    }
    assert!(html.contains("aria-label=\"Retour au texte\""));
    assert!(html.contains("<h2>Notes</h2>"));
    // Page n de N when printed.
    assert!(
        html.contains("content: \"Page \" counter(page) \" de \" counter(pages)"),
        "{html}"
    );
    assert!(dossier_export::html(&fixture::decision_note()).contains("<html lang=\"en-CA\">"));
}

#[test]
fn the_markdown_reads_as_french_markdown() {
    let md = dossier_export::markdown(&fixture::french_note());
    let mut headings = Vec::new();
    let mut current: Option<String> = None;
    let mut refs = BTreeSet::new();
    let mut defs = BTreeSet::new();
    for e in Parser::new_ext(&md, Options::ENABLE_FOOTNOTES) {
        match e {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => current = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => headings.extend(current.take()),
            Event::Text(t) => {
                if let Some(c) = &mut current {
                    c.push_str(&t);
                }
            }
            Event::FootnoteReference(r) => {
                refs.insert(r.to_string());
            }
            Event::Start(Tag::FootnoteDefinition(d)) => {
                defs.insert(d.to_string());
            }
            _ => {}
        }
    }
    let mut want: Vec<String> = FRENCH_HEADINGS.iter().map(|h| h.to_string()).collect();
    want.extend(["DÉCISION DE LA MINISTRE".into(), "Sources".into()]);
    assert_eq!(headings, want);
    assert_eq!(refs, defs);
    let plain = md.replace("**", "").replace("`", "");
    for w in french_words().iter().map(String::as_str).chain(UNTOUCHED) {
        assert!(plain.contains(w), "the Markdown says {w:?}:\n{md}");
    }
    assert!(!md.contains("lang:"), "no front matter, so no lang: line");
}

#[test]
fn every_heading_is_translated() {
    for (kind, want) in SectionKind::ALL.into_iter().zip(FRENCH_HEADINGS) {
        assert_eq!(kind.heading_in(Lang::Fr), want);
    }
}

#[test]
fn hostile_text_in_a_french_note_stays_text() {
    let mut doc = fixture::hostile_note();
    doc.lang = Lang::Fr;
    for format in dossier_export::Format::ALL {
        dossier_export::export(&doc, format)
            .unwrap_or_else(|e| panic!("a French hostile note exports to {format}: {e}"));
    }
    let html = dossier_export::html(&doc);
    assert!(
        !html.to_lowercase().contains("<script"),
        "no script element"
    );
    let (_dir, path, _) = write_pdf(&doc);
    let all = flat(&pdf_pages(&path).join("\n"));
    assert!(
        all.contains("#set page(fill: red)"),
        "Typst markup is printed, not run"
    );
    let body = part(&doc, "word/document.xml");
    assert!(
        body.contains("&lt;/w:t&gt;"),
        "XML in an article stays escaped"
    );
}

#[test]
fn a_decided_french_note_reads_its_decision_in_french() {
    let mut doc = fixture::french_note();
    doc.decision = Some(dossier_core::briefing::Decision {
        maker: Some("le ministre".into()),
        outcome: Some(dossier_core::briefing::DecisionOutcome::ApprovedWithChanges),
        decided_on: Some("2026-12-03".into()),
        comments: Some("Voir la note : d’accord.".into()),
    });
    let md = dossier_export::markdown(&doc);
    for want in [
        "## DÉCISION DU MINISTRE",
        "☐ Approuvé · ☐ Non approuvé · ☒ Approuvé avec modifications",
        "Date\u{a0}: 3 décembre 2026",
        "Commentaires\u{a0}: Voir la note\u{a0}: d’accord.",
    ] {
        assert!(md.contains(want), "{want:?} in:\n{md}");
    }
    let body = docx_text(&part(&doc, "word/document.xml"));
    assert!(
        body.contains("Commentaires\u{a0}: Voir la note\u{a0}: d’accord."),
        "{body}"
    );
}
