use std::io::{Cursor, Write};

use docx_rs::{Docx, Paragraph, Run, Style, StyleType};

use super::read;

/// A Word document written by docx-rs: a title, a heading, body paragraphs, a table cell.
fn report() -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    Docx::new()
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1"))
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Steel safeguard options"))
                .style("Heading1"),
        )
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_text("The department reviewed three options.")),
        )
        .add_paragraph(Paragraph::new())
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Option A keeps the quota; "))
                .add_run(Run::new().add_text("option B lifts it.").bold()),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Le contingent tarifaire & l’acier : à revoir.")),
        )
        .build()
        .pack(&mut out)
        .unwrap();
    out.into_inner()
}

#[test]
fn paragraphs_and_headings_are_kept_in_order() {
    let doc = read(&report(), "options.docx");
    assert_eq!(doc.format, dossier_ingest::Format::Docx);
    assert_eq!(
        doc.text,
        "Steel safeguard options\n\nThe department reviewed three options.\n\n\
         Option A keeps the quota; option B lifts it.\n\nLe contingent tarifaire & l’acier : à revoir."
    );
    assert_eq!(
        doc.title.as_deref(),
        Some("Steel safeguard options"),
        "no core title: the first heading"
    );
}

/// docx-rs cannot set core properties, so this one is zipped by hand, as Word lays it out.
fn with_core_properties() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Titre1"/></w:pPr><w:r><w:t>Note de breffage</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Premi&#232;re ligne</w:t></w:r><w:r><w:br/><w:t>deuxi&#232;me ligne</w:t></w:r></w:p>
<w:p><w:r><w:delText>texte supprim&#233;</w:delText></w:r><w:ins><w:r><w:t>texte ajout&#233;</w:t></w:r></w:ins></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cellule A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Cellule B</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"#,
    )
    .unwrap();
    zip.start_file("docProps/core.xml", opts).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
<dc:title>Note de breffage &#8212; acier</dc:title><dc:creator>Jeanne Roy; Luc C&#244;t&#233;</dc:creator><dc:language>fr-CA</dc:language>
</cp:coreProperties>"#,
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn title_authors_and_language_come_from_the_document_properties() {
    let doc = read(&with_core_properties(), "note.docx");
    assert_eq!(doc.title.as_deref(), Some("Note de breffage — acier"));
    assert_eq!(doc.authors, ["Jeanne Roy", "Luc Côté"]);
    assert_eq!(doc.lang.as_deref(), Some("fr"));
    assert_eq!(
        doc.text,
        "Note de breffage\n\nPremière ligne\ndeuxième ligne\n\ntexte ajouté\n\nCellule A\n\nCellule B",
        "line breaks kept, deleted revisions dropped, table cells in order"
    );
}
